package cli

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/care-tool/care/internal/iostreams"
)

// rosterApp runs care in process with stdout and stderr as terminals or not.
func rosterApp(t *testing.T, outTTY, errTTY bool, args ...string) (int, string, string) {
	t.Helper()
	ios, _, out, errOut := iostreams.Test()
	ios.SetTTY(outTTY, errTTY)
	app := &App{IO: ios, Getenv: careTestEnv, Now: time.Now}
	code := app.Run(context.Background(), args)
	return code, out.String(), errOut.String()
}

const rosterTestRepo = `-- care.yaml --
version: 1
school:
  name: 测试小学
terms:
  - id: 2026-autumn
    start: 2026-09-01
    end: 2027-01-22
staff:
  - id: T01
    name: 王芳
classes:
  - id: "3-2"
    grade: 3
    head_teacher: T01
-- children/3-2/2024031.yaml --
id: "2024031"
name: 李小明
gender: male
birth_date: 2016-05-12
id_number: "429004201605120017"
class: "3-2"
left_behind:
  since: 2022-03-01
guardian:
  name: 李德福
  phone: "13712345678"
enrolment:
  - date: 2022-09-01
    status: enrolled
`

// writeRosterRepo writes a txtar-like list of files ("-- name --" lines)
// into a new folder.
func writeRosterRepo(t *testing.T, archive string) string {
	t.Helper()
	dir := t.TempDir()
	var name string
	var body strings.Builder
	flush := func() {
		if name == "" {
			return
		}
		full := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(body.String()), 0o644); err != nil {
			t.Fatal(err)
		}
		body.Reset()
	}
	for _, line := range strings.SplitAfter(archive, "\n") {
		if strings.HasPrefix(line, "-- ") && strings.HasSuffix(strings.TrimSpace(line), " --") {
			flush()
			name = strings.TrimSuffix(strings.TrimPrefix(strings.TrimSpace(line), "-- "), " --")
			continue
		}
		body.WriteString(line)
	}
	flush()
	return dir
}

// The roster holds id and phone numbers in full: care never prints it to a
// terminal, in either format, but writes it to a file or a pipe.
func TestExportRosterRefusesTerminal(t *testing.T) {
	dir := writeRosterRepo(t, rosterTestRepo)
	for _, format := range []string{"xlsx", "csv"} {
		code, out, errOut := rosterApp(t, true, true, "-C", dir, "export", "roster", "--format", format)
		if code != ExitError || out != "" {
			t.Errorf("%s to a terminal: exit %d, stdout %q", format, code, out)
		}
		if !strings.Contains(errOut, "care 不会把它显示在终端上") || !strings.Contains(errOut, "提示：用 -o 花名册.xlsx 写入文件") {
			t.Errorf("%s to a terminal: stderr %q", format, errOut)
		}
		if strings.Contains(errOut, "13712345678") {
			t.Error("the refusal shows a phone number")
		}
	}
	code, _, errOut := rosterApp(t, true, true, "-C", dir, "--lang", "en", "export", "roster")
	if code != ExitError || !strings.Contains(errOut, "care: error: the roster holds children's id and phone numbers; care will not print it to a terminal") {
		t.Errorf("English refusal: exit %d, %q", code, errOut)
	}
	// -o with a terminal is fine; the file is readable by its owner only
	code, out, errOut := rosterApp(t, true, true, "-C", dir, "export", "roster", "-o", "r.csv")
	if code != 0 || out != "" || !strings.Contains(errOut, "注意：花名册含有 1 名儿童") {
		t.Fatalf("-o: exit %d, %q, %q", code, out, errOut)
	}
	st, err := os.Stat(filepath.Join(dir, "r.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o600 {
		t.Errorf("r.csv has mode %v, want 0600", st.Mode().Perm())
	}
	// a pipe is fine
	code, out, _ = rosterApp(t, false, true, "-C", dir, "export", "roster", "--format", "csv")
	if code != 0 || !strings.Contains(out, "13712345678") {
		t.Errorf("pipe: exit %d, %q", code, out)
	}
}
