package bench

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/care-tool/care/internal/cli"
	"github.com/care-tool/care/internal/iostreams"
	"github.com/care-tool/care/internal/store"
	"github.com/care-tool/care/internal/synth"
)

// The benchmarks run at the sizes of issue 7 named in CARE_BENCH_SIZES
// (comma separated, default "S,M,L"): S = 300, M = 1,000 and L = 5,000
// children with a school year of talk logs (about 90,000 files at L). CI
// runs CARE_BENCH_SIZES=S with -benchtime=1x to keep them working.
//
// The repositories are generated once per process into a temporary folder,
// or kept in CARE_BENCH_DIR (DIR/S, DIR/M, DIR/L, each a git repository with
// its weekly history) to be reused by later runs; bench/run uses that.

func sizes() []string {
	v := os.Getenv("CARE_BENCH_SIZES")
	if v == "" {
		v = "S,M,L"
	}
	var out []string
	for _, s := range strings.Split(v, ",") {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

var (
	reposMu sync.Mutex
	repos   = map[string]string{}
	tmpDir  string
)

// TestMain removes the repositories generated in a temporary folder.
func TestMain(m *testing.M) {
	code := m.Run()
	if tmpDir != "" {
		os.RemoveAll(tmpDir)
	}
	os.Exit(code)
}

// repo returns the root of the generated repository of size, with its git
// history, generating it on first use.
func repo(b *testing.B, size string) string {
	b.Helper()
	opt, ok := synth.Sizes[size]
	if !ok {
		b.Fatalf("CARE_BENCH_SIZES: unknown size %q (want S, M or L)", size)
	}
	reposMu.Lock()
	defer reposMu.Unlock()
	if root, ok := repos[size]; ok {
		return root
	}
	base := os.Getenv("CARE_BENCH_DIR")
	if base == "" {
		if tmpDir == "" {
			d, err := os.MkdirTemp("", "care-bench-")
			if err != nil {
				b.Fatal(err)
			}
			tmpDir = d
		}
		base = tmpDir
	}
	root := filepath.Join(base, size)
	if _, err := os.Stat(filepath.Join(root, ".git")); err != nil {
		os.RemoveAll(root)
		start := time.Now()
		if _, err := Write(root, opt, true); err != nil {
			b.Fatal(err)
		}
		b.Logf("generated %s in %s", root, time.Since(start).Round(time.Millisecond))
	}
	repos[size] = root
	return root
}

// care runs care in-process on root with today fixed to the generated
// data's last day, and fails the benchmark on an unexpected exit status.
func care(b *testing.B, root string, wantCode int, args ...string) {
	b.Helper()
	io, _, out, errOut := iostreams.Test()
	today := synth.Sizes["S"].Today.String()
	app := &cli.App{IO: io, Now: time.Now, Getenv: func(k string) string {
		switch k {
		case "CARE_TODAY":
			return today
		case "CARE_NO_CACHE", "CARE_CACHE_TRACE", "GITHUB_ACTIONS":
			return ""
		}
		return os.Getenv(k)
	}}
	if code := app.Run(context.Background(), append([]string{"-C", root}, args...)); code != wantCode {
		b.Fatalf("care %s: exit %d, want %d\n%.2000s\n%.2000s", strings.Join(args, " "), code, wantCode, out, errOut)
	}
}

func forSizes(b *testing.B, f func(b *testing.B, root string)) {
	for _, size := range sizes() {
		b.Run(size, func(b *testing.B) {
			root := repo(b, size)
			f(b, root)
		})
	}
}

// BenchmarkLoad reads and parses every file, as LoadDir does for the
// commands that need yaml.Node trees (import, the working tree of diff).
func BenchmarkLoad(b *testing.B) {
	forSizes(b, func(b *testing.B, root string) {
		for b.Loop() {
			if _, err := store.LoadDir(root); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkValidate runs care validate: cold (--no-cache), warm (nothing
// changed since the last run) and after one file changed.
func BenchmarkValidate(b *testing.B) {
	forSizes(b, func(b *testing.B, root string) {
		b.Run("cold", func(b *testing.B) {
			for b.Loop() {
				care(b, root, 0, "--no-cache", "validate")
			}
		})
		care(b, root, 0, "validate") // fill the cache
		b.Run("warm", func(b *testing.B) {
			for b.Loop() {
				care(b, root, 0, "validate")
			}
		})
		talks, _ := filepath.Glob(filepath.Join(root, "talks", "*", "*.yaml"))
		p := talks[len(talks)/2]
		orig, err := os.ReadFile(p)
		if err != nil {
			b.Fatal(err)
		}
		defer os.WriteFile(p, orig, 0o644)
		b.Run("one-changed", func(b *testing.B) {
			i := 0
			for b.Loop() {
				b.StopTimer()
				i++
				os.WriteFile(p, []byte(strings.Replace(string(orig), "follow_up:", fmt.Sprintf("topic_note_%d: x\nfollow_up:", i%2), 1)), 0o644)
				b.StartTimer()
				care(b, root, 1, "validate") // the change is an unknown field
			}
		})
	})
}

// BenchmarkReport runs care report with a warm cache and without one.
func BenchmarkReport(b *testing.B) {
	forSizes(b, func(b *testing.B, root string) {
		args := []string{"report", "--as-of", "2026-06-30", "--format", "json"}
		care(b, root, 0, args...)
		b.Run("warm", func(b *testing.B) {
			for b.Loop() {
				care(b, root, 0, args...)
			}
		})
		b.Run("cold", func(b *testing.B) {
			for b.Loop() {
				care(b, root, 0, append([]string{"--no-cache"}, args...)...)
			}
		})
	})
}

// BenchmarkDiff runs care diff of the last month of the history.
func BenchmarkDiff(b *testing.B) {
	forSizes(b, func(b *testing.B, root string) {
		month := synth.Sizes["S"].Today.String()[:7]
		for b.Loop() {
			care(b, root, 0, "diff", "--month", month, "--format", "json")
		}
	})
}
