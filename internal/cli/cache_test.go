package cli

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/care-tool/care/internal/cache"
	"github.com/care-tool/care/internal/iostreams"
	"github.com/care-tool/care/internal/synth"
)

// runWith runs care in-process with the given environment (on top of the
// process's own) and returns what it printed and its exit status, as one
// string to compare.
func runWith(env map[string]string, args ...string) string {
	io, _, out, errOut := iostreams.Test()
	app := &App{IO: io, Now: time.Now, Getenv: func(k string) string {
		if v, ok := env[k]; ok {
			return v
		}
		if k == "GITHUB_ACTIONS" || k == "CARE_NO_CACHE" || k == "CARE_CACHE_TRACE" {
			return ""
		}
		return os.Getenv(k)
	}}
	code := app.Run(context.Background(), args)
	return fmt.Sprintf("exit %d\n-- stdout --\n%s-- stderr --\n%s", code, out, errOut)
}

// TestCacheOnGeneratedRepository runs validate and report with and without
// the cache on a generated repository of size M (1,000 children, a school
// year of talk logs) through edits, planted mistakes and a damaged cache,
// and requires byte-identical output every time.
func TestCacheOnGeneratedRepository(t *testing.T) {
	if testing.Short() {
		t.Skip("writes and reads 18,000 files")
	}
	opt := synth.Sizes["M"]
	g, err := synth.New(opt)
	if err != nil {
		t.Fatal(err)
	}
	root := t.TempDir()
	if err := g.Write(root); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"CARE_TODAY": opt.Today.String()}
	all := [][]string{
		{"validate", "--lang", "en", "--show-pii"}, {"validate", "--format", "json"},
		{"report", "--as-of", "2026-06-30", "--format", "json"}, {"due"},
	}
	commands := all
	compare := func(what string) {
		t.Helper()
		for _, args := range commands {
			full := append([]string{"-C", root}, args...)
			with := runWith(env, full...)
			without := runWith(env, append([]string{"--no-cache"}, full...)...)
			if with != without {
				t.Fatalf("%s: care %s differs with the cache:\n%.3000s\nwithout:\n%.3000s", what, strings.Join(args, " "), with, without)
			}
		}
	}
	compare("cold")
	compare("warm")
	commands = all[1:3]
	talks, _ := filepath.Glob(filepath.Join(root, "talks", "2026-03", "*.yaml"))
	kids, _ := filepath.Glob(filepath.Join(root, "children", "4-1", "*.yaml"))
	edit := func(p, old, new string) {
		t.Helper()
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(data), old) {
			t.Fatalf("%s has no %q", p, old)
		}
		if err := os.WriteFile(p, []byte(strings.Replace(string(data), old, new, 1)), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// Edits that keep the repository valid.
	edit(talks[0], "kind: talk", "kind: home_visit")
	data, _ := os.ReadFile(talks[1])
	os.WriteFile(strings.TrimSuffix(talks[1], ".yaml")+"-9.yaml", data, 0o644)
	compare("a changed and an added talk log")
	os.Remove(talks[2])
	os.Rename(talks[3], filepath.Join(filepath.Dir(talks[3]), "renamed.yaml"))
	os.MkdirAll(filepath.Join(root, "children", "moved"), 0o755)
	os.Rename(kids[0], filepath.Join(root, "children", "moved", filepath.Base(kids[0])))
	compare("a deleted and a renamed talk log, a child's file moved")
	// Mistakes.
	edit(kids[1], "phone: \"1", "phone: \"+86 1")
	edit(talks[4], "kind:", "knid: x\nkind:")
	os.Rename(talks[5], filepath.Join(root, "talks", "2026-04", filepath.Base(talks[5])))
	edit(kids[2], "birth_date: 20", "birth_date: 19")
	compare("planted mistakes")
	// A damaged cache.
	commands = all[1:2]
	file := filepath.Join(cache.Dir(root), cache.FileName)
	for _, damage := range []func([]byte) []byte{
		func(b []byte) []byte { return b[:len(b)*2/3] },
		func(b []byte) []byte { b[len(b)/2] ^= 0x10; return b },
		func(b []byte) []byte { return []byte("not a cache") },
	} {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		os.WriteFile(file, damage(data), 0o644)
		compare("a damaged cache")
	}
}

// TestCacheTwoProcesses runs two care processes at once on a generated
// repository, again and again with edits in between: each must print what
// care prints without the cache, and the cache must stay usable.
func TestCacheTwoProcesses(t *testing.T) {
	if testing.Short() {
		t.Skip("builds care")
	}
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command to build care with")
	}
	bin := filepath.Join(t.TempDir(), "care")
	build := exec.Command(goBin, "build", "-o", bin, "./cmd/care")
	build.Dir = filepath.Join("..", "..")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	opt := synth.Sizes["S"]
	g, err := synth.New(opt)
	if err != nil {
		t.Fatal(err)
	}
	root := t.TempDir()
	if err := g.Write(root); err != nil {
		t.Fatal(err)
	}
	run := func(args ...string) (string, string) {
		cmd := exec.Command(bin, append([]string{"-C", root}, args...)...)
		cmd.Env = append(os.Environ(), "CARE_TODAY="+opt.Today.String(), "CARE_CACHE_TRACE=1", "CARE_NO_CACHE=", "NO_COLOR=1")
		var out, errOut bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errOut
		err := cmd.Run()
		code := 0
		if ee, ok := err.(*exec.ExitError); ok {
			code = ee.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		// The trace line differs from run to run; the rest must not.
		var kept []string
		for _, l := range strings.SplitAfter(errOut.String(), "\n") {
			if !strings.HasPrefix(l, "care: cache:") {
				kept = append(kept, l)
			}
		}
		return fmt.Sprintf("exit %d\n%s%s", code, out.String(), strings.Join(kept, "")), errOut.String()
	}
	talks, _ := filepath.Glob(filepath.Join(root, "talks", "2026-05", "*.yaml"))
	for round := 0; round < 6; round++ {
		if round > 0 {
			// An edit between rounds: a mistake, then its fix, in turn.
			p := talks[round]
			data, _ := os.ReadFile(p)
			os.WriteFile(p, append(data, []byte("extra_field: 1\n")...), 0o644)
		}
		for _, args := range [][]string{{"validate", "--format", "json"}, {"report", "--as-of", "2026-06-30", "--format", "json"}} {
			want, _ := run(append([]string{"--no-cache"}, args...)...)
			var wg sync.WaitGroup
			got := make([]string, 2)
			trace := make([]string, 2)
			for i := range got {
				wg.Add(1)
				go func() {
					defer wg.Done()
					got[i], trace[i] = run(args...)
				}()
			}
			wg.Wait()
			for i := range got {
				if got[i] != want {
					t.Fatalf("round %d, process %d, care %s:\n%.2000s\nwant:\n%.2000s", round, i, strings.Join(args, " "), got[i], want)
				}
			}
		}
	}
	// After all this the cache is whole: a run reads it.
	_, trace := run("validate")
	if !strings.Contains(trace, "cache read true") {
		t.Errorf("the cache is not usable after concurrent runs: %s", trace)
	}
}
