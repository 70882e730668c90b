package cli

import (
	"bufio"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/care-tool/care/internal/iostreams"
)

// runCare runs care in-process with fixed today and returns stdout, stderr
// and the exit status.
func runCare(t *testing.T, args ...string) (string, string, int) {
	t.Helper()
	io, _, out, errOut := iostreams.Test()
	app := &App{IO: io, Now: time.Now, Getenv: func(k string) string {
		switch k {
		case "CARE_TODAY":
			return "2026-11-28"
		case "GITHUB_ACTIONS":
			return ""
		}
		return os.Getenv(k)
	}}
	code := app.Run(context.Background(), args)
	return out.String(), errOut.String(), code
}

func TestDemoSchoolIsValid(t *testing.T) {
	out, errOut, code := runCare(t, "-C", "../../examples/demo-school", "validate", "--format", "json")
	if code != 0 {
		t.Fatalf("exit %d\n%s\n%s", code, out, errOut)
	}
	var res struct {
		Valid bool `json:"valid"`
		Files int  `json:"files"`
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil || !res.Valid || res.Files < 100 {
		t.Fatalf("res %+v err %v", res, err)
	}
}

// TestBrokenExampleListsEveryMistake checks that each line marked
// "# MISTAKE: <check>" in examples/broken is reported, at that line, with
// that check, and that nothing else is.
func TestBrokenExampleListsEveryMistake(t *testing.T) {
	root := "../../examples/broken"
	want := map[string]bool{}
	mark := regexp.MustCompile(`#\s*MISTAKE:\s*([a-z-]+)`)
	err := filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".yaml") {
			return err
		}
		f, err := os.Open(p)
		if err != nil {
			return err
		}
		defer f.Close()
		rel, _ := filepath.Rel(root, p)
		s := bufio.NewScanner(f)
		for line := 1; s.Scan(); line++ {
			if m := mark.FindStringSubmatch(s.Text()); m != nil {
				want[filepath.ToSlash(rel)+":"+strconv.Itoa(line)+":"+m[1]] = true
			}
		}
		return s.Err()
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(want) < 20 {
		t.Fatalf("only %d planted mistakes found", len(want))
	}
	out, errOut, code := runCare(t, "-C", root, "validate", "--format", "json", "--lang", "en")
	if code != 1 {
		t.Fatalf("exit %d, want 1\n%s", code, errOut)
	}
	var res struct {
		Errors []struct {
			File  string `json:"file"`
			Line  int    `json:"line"`
			Check string `json:"check"`
		} `json:"errors"`
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatal(err)
	}
	got := map[string]bool{}
	for _, e := range res.Errors {
		got[e.File+":"+strconv.Itoa(e.Line)+":"+e.Check] = true
	}
	for k := range want {
		if !got[k] {
			t.Errorf("planted mistake %s not reported", k)
		}
	}
	for k := range got {
		if !want[k] {
			t.Errorf("reported %s, which is not a planted mistake", k)
		}
	}
}
