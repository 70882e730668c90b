package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The progress bar goes to stderr when it is a terminal, and only then.
func TestImportProgressBar(t *testing.T) {
	dir := writeRosterRepo(t, rosterTestRepo+`-- roster.csv --
学号,姓名,性别,出生日期,班级,留守起始日期
2025001,甲,男,2016-01-02,3-2,2022-03-01
2025002,乙,女,2016-01-03,3-2,2022-03-01
`)
	code, out, errOut := rosterApp(t, false, true, "-C", dir, "import", "roster.csv", "--dry-run")
	if code != 0 {
		t.Fatalf("exit %d\n%s\n%s", code, out, errOut)
	}
	if !strings.Contains(errOut, "\r检查 [") || !strings.Contains(errOut, "] 2/2") || !strings.Contains(errOut, "\r\x1b[K") {
		t.Errorf("no progress bar on a terminal: %q", errOut)
	}
	if strings.Contains(out, "\r") {
		t.Errorf("the progress bar went to stdout: %q", out)
	}
	code, out, errOut = rosterApp(t, false, true, "-C", dir, "import", "roster.csv")
	if code != 0 || !strings.Contains(errOut, "\r写入 [") {
		t.Errorf("no progress bar while writing: exit %d %q %q", code, out, errOut)
	}
	code, _, errOut = rosterApp(t, false, false, "-C", dir, "import", "roster.csv", "--update")
	if code != 0 || strings.Contains(errOut, "\r") {
		t.Errorf("a progress bar on a pipe: exit %d %q", code, errOut)
	}
}

// TestRosterRoundTripDemoCLI exports the demo repository with the real
// command, to xlsx and csv, imports each into a copy of the repository
// without children, pairings and talks, validates the copy and exports it
// again: the roster comes back byte for byte.
func TestRosterRoundTripDemoCLI(t *testing.T) {
	demo, err := filepath.Abs(filepath.Join("..", "..", "examples", "demo-school"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(demo, "care.yaml")); err != nil {
		t.Skip("examples/demo-school is not there yet")
	}
	work := t.TempDir()
	want := filepath.Join(work, "want.csv")
	if code, _, errOut := rosterApp(t, false, false, "-C", demo, "export", "roster", "-o", want); code != 0 {
		t.Fatalf("export: %d %s", code, errOut)
	}
	wantData, _ := os.ReadFile(want)
	for _, format := range []string{"xlsx", "csv"} {
		t.Run(format, func(t *testing.T) {
			sheet := filepath.Join(work, "demo."+format)
			if code, _, errOut := rosterApp(t, false, false, "-C", demo, "export", "roster", "-o", sheet); code != 0 {
				t.Fatalf("export: %d %s", code, errOut)
			}
			dst := filepath.Join(t.TempDir(), "copy")
			if err := os.MkdirAll(dst, 0o755); err != nil {
				t.Fatal(err)
			}
			cfg, err := os.ReadFile(filepath.Join(demo, "care.yaml"))
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dst, "care.yaml"), cfg, 0o644); err != nil {
				t.Fatal(err)
			}
			code, out, errOut := rosterApp(t, false, false, "-C", dst, "import", sheet)
			if code != 0 {
				t.Fatalf("import: exit %d\n%s\n%s", code, out, errOut)
			}
			if code, out, errOut := rosterApp(t, false, false, "-C", dst, "validate"); code != 0 {
				t.Fatalf("the imported repository is invalid:\n%s\n%s", out, errOut)
			}
			got := filepath.Join(work, "got-"+format+".csv")
			if code, _, errOut := rosterApp(t, false, false, "-C", dst, "export", "roster", "-o", got); code != 0 {
				t.Fatalf("export again: %d %s", code, errOut)
			}
			gotData, _ := os.ReadFile(got)
			if !bytes.Equal(gotData, wantData) {
				t.Errorf("the roster did not come back the same:\n--- want\n%s\n--- got\n%s", wantData, gotData)
			}
		})
	}
}
