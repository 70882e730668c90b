package store_test

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/care-tool/care/internal/cache"
	"github.com/care-tool/care/internal/diag"
	"github.com/care-tool/care/internal/record"
	"github.com/care-tool/care/internal/store"
	"github.com/care-tool/care/internal/synth"
	"github.com/care-tool/care/internal/validate"
)

var day = record.MustDate("2026-11-28")

// result is what a load and validation give, in a form that compares
// with reflect.DeepEqual: records without their File, which differs
// (with or without Doc) by design.
type result struct {
	Diags    []diag.Diagnostic
	Files    []string // path, kind, hash and table positions of each file
	Config   *record.Config
	Children []record.Child
	Pairings []record.Pairing
	Talks    []record.Talk
	Paths    []string // the File.Path of each record
}

func summarize(files []*record.File, ds *record.Dataset, diags []diag.Diagnostic) result {
	r := result{Diags: diags}
	for _, f := range files {
		var pos []string
		for _, p := range record.TablePointers {
			l, c := f.Position(p)
			kl, kc := f.KeyPosition(p)
			pos = append(pos, fmt.Sprint(l, c, kl, kc))
		}
		r.Files = append(r.Files, fmt.Sprint(f.Path, f.Kind, f.Hash, pos))
	}
	if ds.Config != nil {
		c := *ds.Config
		c.File = nil
		r.Config = &c
	}
	for _, x := range ds.Children {
		c := *x
		r.Paths = append(r.Paths, c.File.Path)
		c.File = nil
		r.Children = append(r.Children, c)
	}
	for _, x := range ds.Pairings {
		c := *x
		r.Paths = append(r.Paths, c.File.Path)
		c.File = nil
		r.Pairings = append(r.Pairings, c)
	}
	for _, x := range ds.Talks {
		c := *x
		r.Paths = append(r.Paths, c.File.Path)
		c.File = nil
		r.Talks = append(r.Talks, c)
	}
	return r
}

// reference loads root the plain way: LoadDir and validate.Run.
func reference(t *testing.T, root string, vo validate.Options) result {
	t.Helper()
	l, err := store.LoadDir(root)
	if err != nil {
		t.Fatal(err)
	}
	return summarize(l.Files, l.Dataset, validate.Run(l.Files, l.Dataset, l.Diags, vo))
}

// cached loads root through the cache in dir ("" for none), as care's
// command line does.
func cached(t *testing.T, root, dir string, vo validate.Options) (result, store.CacheStats) {
	t.Helper()
	opt := store.CacheOptions{Dir: dir, Key: "test", Today: vo.Today, PII: vo.ShowPII,
		Check: func(f *record.File) []diag.Diagnostic { return validate.CheckFile(f, vo) }}
	cl, err := store.LoadDirCached(context.Background(), root, opt)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range cl.Files {
		if f.Doc != nil {
			t.Fatalf("%s kept its Doc", f.Path)
		}
	}
	diags := validate.Run(cl.Files, cl.Dataset, append(cl.Diags[:len(cl.Diags):len(cl.Diags)], cl.CheckDiags...), vo)
	return summarize(cl.Files, cl.Dataset, diags), cl.Stats
}

// same fails the test when got and want differ, naming the first difference.
func same(t *testing.T, what string, got, want result) {
	t.Helper()
	if reflect.DeepEqual(got, want) {
		return
	}
	gv, wv := reflect.ValueOf(got), reflect.ValueOf(want)
	for i := 0; i < gv.NumField(); i++ {
		if !reflect.DeepEqual(gv.Field(i).Interface(), wv.Field(i).Interface()) {
			g, w := fmt.Sprintf("%+v", gv.Field(i).Interface()), fmt.Sprintf("%+v", wv.Field(i).Interface())
			n := 0
			for n < len(g) && n < len(w) && g[n] == w[n] {
				n++
			}
			from := max(0, n-200)
			t.Fatalf("%s: %s differ:\n got …%.400s\nwant …%.400s", what, gv.Type().Field(i).Name, g[from:], w[from:])
		}
	}
}

// copyTree copies the folder src to a new temporary folder.
func copyTree(t *testing.T, src string) string {
	t.Helper()
	dst := t.TempDir()
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		if strings.HasPrefix(d.Name(), ".") && rel != "." {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dst
}

// age moves the times of every file below root an hour back, as if it had
// been written long before: its status then vouches for its content.
func age(t *testing.T, root string) {
	t.Helper()
	old := time.Now().Add(-time.Hour)
	filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && !strings.Contains(p, ".care") {
			os.Chtimes(p, old, old)
		}
		return nil
	})
}

func generated(t *testing.T, children int) string {
	t.Helper()
	g, err := synth.New(synth.Options{Children: children, Months: 4, Seed: 5, Today: day})
	if err != nil {
		t.Fatal(err)
	}
	root := t.TempDir()
	if err := g.Write(root); err != nil {
		t.Fatal(err)
	}
	return root
}

// TestCachedEqualsUncached loads the examples and a generated repository
// without a cache, with an empty one and with a warm one, and compares each
// with the plain load and validation.
func TestCachedEqualsUncached(t *testing.T) {
	roots := map[string]string{
		"demo":      copyTree(t, "../../examples/demo-school"),
		"broken":    copyTree(t, "../../examples/broken"),
		"generated": generated(t, 60),
	}
	for name, root := range roots {
		for _, vo := range []validate.Options{{Today: day}, {Today: day, ShowPII: true}, {Today: record.MustDate("2026-10-01")}} {
			what := fmt.Sprintf("%s, %+v", name, vo)
			want := reference(t, root, vo)
			got, _ := cached(t, root, "", vo)
			same(t, what+", no cache", got, want)
			dir := t.TempDir()
			got, st := cached(t, root, dir, vo)
			same(t, what+", cold", got, want)
			if !st.Saved || st.Parsed != st.Files {
				t.Errorf("%s, cold: %s", what, st)
			}
			age(t, root)
			got, st = cached(t, root, dir, vo)
			same(t, what+", after ageing", got, want)
			got, st = cached(t, root, dir, vo)
			same(t, what+", warm", got, want)
			if st.Saved || st.Parsed != 1 || st.ByStat != st.Files-1 {
				t.Errorf("%s, warm: %s", what, st)
			}
		}
	}
}

// TestCacheAcrossOptions runs one cache through changing days and phone
// display, as a pre-commit hook does over weeks.
func TestCacheAcrossOptions(t *testing.T) {
	root := copyTree(t, "../../examples/broken")
	age(t, root)
	dir := t.TempDir()
	for _, vo := range []validate.Options{
		{Today: day}, {Today: day.AddDays(1)}, {Today: day.AddDays(30)}, {Today: record.MustDate("2026-09-15")},
		{Today: record.MustDate("2026-09-15"), ShowPII: true}, {Today: day, ShowPII: true}, {Today: day}, {},
	} {
		got, _ := cached(t, root, dir, vo)
		same(t, fmt.Sprintf("%+v", vo), got, reference(t, root, vo))
	}
}

func write(t *testing.T, p, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestCacheAfterEdits edits a repository between runs in every way a user
// can and checks each run against the plain load.
func TestCacheAfterEdits(t *testing.T) {
	root := copyTree(t, "../../examples/demo-school")
	vo := validate.Options{Today: day}
	dir := t.TempDir()
	check := func(what string) store.CacheStats {
		t.Helper()
		got, st := cached(t, root, dir, vo)
		same(t, what, got, reference(t, root, vo))
		return st
	}
	check("cold")
	age(t, root)
	check("aged")
	talk := filepath.Join(root, "talks/2026-10")
	entries, _ := os.ReadDir(talk)
	first := filepath.Join(talk, entries[0].Name())
	data, _ := os.ReadFile(first)

	// Change a file: a new topic, and then a mistake.
	write(t, first, strings.Replace(string(data), "topic:", "topic: 新主题 #", 1))
	if st := check("a changed file"); st.Parsed < 2 {
		t.Errorf("a changed file: %s", st)
	}
	write(t, first, string(data)+"gaurdian: x\n")
	check("a mistake")
	// The same size and time as before, different content.
	write(t, first, strings.Replace(string(data), "talk", "TALK", 1))
	info, _ := os.Stat(first)
	write(t, first, strings.Replace(string(data), "talk", "tala", 1))
	os.Chtimes(first, info.ModTime(), info.ModTime())
	check("same size and time")
	// Back to the original content.
	write(t, first, string(data))
	check("restored")
	// Add, delete and rename files; a file that is not YAML at all.
	write(t, filepath.Join(root, "talks/2026-10/2026-10-30-new.yaml"), "child: \"2021035\"\ndate: 2026-10-30\nby: T06\nkind: talk\n")
	check("an added file")
	write(t, filepath.Join(root, "children/3-2/bad.yaml"), "id: [\n")
	check("an added broken file")
	os.Remove(first)
	check("a deleted file")
	os.Rename(filepath.Join(root, "talks/2026-10/2026-10-30-new.yaml"), filepath.Join(root, "talks/2026-11/2026-10-30-new.yaml"))
	check("a renamed file (now in the wrong month)")
	kids, _ := filepath.Glob(filepath.Join(root, "children/1-1/*.yaml"))
	os.Rename(kids[0], filepath.Join(root, "pairings/moved.yaml"))
	check("a child's file moved among the pairings")
	write(t, filepath.Join(root, "stray.yaml"), "a: 1\n")
	check("a stray file")
	os.Symlink(filepath.Join(root, "care.yaml"), filepath.Join(root, "talks/link.yaml"))
	check("a symbolic link")
	cfg, _ := os.ReadFile(filepath.Join(root, "care.yaml"))
	write(t, filepath.Join(root, "care.yaml"), strings.Replace(string(cfg), "id: T06", "id: T66", 1))
	check("a staff id changed in care.yaml")
	// A few edits do not make a run write the cache (see saveEvery); the
	// files they touched are checked again by later runs, until enough
	// have changed.
	age(t, root)
	if st := check("aged again"); !st.Saved {
		t.Errorf("aged again: %s", st)
	}
	if st := check("aged again, warm"); st.Parsed != 1 || st.ByStat != st.Files-1 || st.Saved {
		t.Errorf("aged again, warm: %s", st)
	}
	write(t, filepath.Join(root, "talks/2026-10/2026-10-30-new.yaml"), "child: \"2021035\"\ndate: 2026-10-30\nby: T06\nkind: talk\n")
	if st := check("one more file"); st.Saved || st.Parsed != 2 || st.Dirty != 1 {
		t.Errorf("one more file: %s", st)
	}
	if st := check("one more file, again"); st.Saved || st.Parsed != 2 {
		t.Errorf("one more file, again: %s", st)
	}
}

// TestCorruptCache damages the cache file in several ways: every run must
// give the plain result and leave a good cache behind.
func TestCorruptCache(t *testing.T) {
	root := copyTree(t, "../../examples/demo-school")
	age(t, root)
	vo := validate.Options{Today: day}
	want := reference(t, root, vo)
	dir := t.TempDir()
	file := filepath.Join(dir, cache.FileName)
	damage := map[string]func([]byte) []byte{
		"truncated":    func(b []byte) []byte { return b[:len(b)/2] },
		"header only":  func(b []byte) []byte { return b[:20] },
		"empty":        func(b []byte) []byte { return nil },
		"flipped byte": func(b []byte) []byte { b[len(b)/3] ^= 0x40; return b },
		"flipped end":  func(b []byte) []byte { b[len(b)-1] ^= 1; return b },
		"garbage":      func(b []byte) []byte { return bytes.Repeat([]byte("garbage\x00\xff"), 1000) },
		"a directory":  nil,
	}
	for name, f := range damage {
		got, st := cached(t, root, dir, vo)
		same(t, name+": before", got, want)
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		if f == nil {
			os.Remove(file)
			os.Mkdir(file, 0o755)
		} else {
			os.WriteFile(file, f(data), 0o644)
		}
		got, st = cached(t, root, dir, vo)
		same(t, name, got, want)
		if st.Loaded || st.Parsed != st.Files {
			t.Errorf("%s: %s", name, st)
		}
		if f == nil {
			os.Remove(file)
		}
	}
}

func git(t *testing.T, dir string, args ...string) {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GIT_CONFIG_NOSYSTEM=1", "GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.com",
		"GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@example.com", "HOME="+dir)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("git %v: %v\n%s", args, err, out)
	}
}

// TestCacheInGit checks the use of git's index: after a checkout gives
// every file new times, git vouches for the unchanged files and nothing is
// read again; files changed since the index are read.
func TestCacheInGit(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("no git")
	}
	root := generated(t, 150)
	git(t, root, "init", "-q")
	git(t, root, "add", ".")
	git(t, root, "commit", "-q", "-m", "records")
	vo := validate.Options{Today: day}
	dir := filepath.Join(root, ".care", "cache")
	want := reference(t, root, vo)
	got, st := cached(t, root, dir, vo)
	same(t, "cold", got, want)
	if !st.Git {
		t.Fatalf("cold: git was not asked: %s", st)
	}
	// New times for every file, as after a checkout or in CI.
	later := time.Now().Add(-time.Minute)
	filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && !strings.Contains(p, "/.") {
			os.Chtimes(p, later, later)
		}
		return nil
	})
	git(t, root, "status", "--short") // refresh the index, as any git command the user runs does
	changed := filepath.Join(root, "care.yaml")
	talks, _ := filepath.Glob(filepath.Join(root, "talks/*/*.yaml"))
	data, _ := os.ReadFile(talks[0])
	write(t, talks[0], strings.Replace(string(data), "kind:", "topic2: x\nkind:", 1))
	got, st = cached(t, root, dir, vo)
	same(t, "after new times", reference(t, root, vo), got)
	if !st.Git || st.ByBlob != st.Files-2 || st.Parsed != 2 {
		t.Errorf("after new times: %s", st)
	}
	_ = changed
	// The next run trusts the status recorded by the last one.
	got, st = cached(t, root, dir, vo)
	same(t, "warm", reference(t, root, vo), got)
	if st.Git || st.ByStat != st.Files-2 {
		t.Errorf("warm: %s", st)
	}
	// The cache folder is ignored by git.
	cmd := exec.Command("git", "status", "--porcelain", "--untracked-files=all")
	cmd.Dir = root
	out, _ := cmd.Output()
	if strings.Contains(string(out), ".care") {
		t.Errorf("git sees the cache:\n%s", out)
	}
}
