package roster

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/care-tool/care/internal/diag"
	"github.com/care-tool/care/internal/i18n"
	"github.com/care-tool/care/internal/record"
	"github.com/care-tool/care/internal/store"
	"github.com/care-tool/care/internal/validate"
)

var today = record.MustDate("2026-11-28")

// idNumber makes a valid id number for a birth date and gender.
func idNumber(t testing.TB, birth, gender string, seq int) string {
	t.Helper()
	d := record.MustDate(birth)
	g := seq*2 + 1
	if gender == "female" {
		g = seq * 2
	}
	first := fmt.Sprintf("429004%04d%02d%02d%02d%d", d.Year(), int(d.Month()), d.Day(), seq%100, g%10)
	c, err := validate.IDCheckChar(first)
	if err != nil {
		t.Fatal(err)
	}
	return first + string(c)
}

const fixtureConfig = `version: 1
school:
  name: 测试小学
terms:
  - id: 2026-autumn
    name: 2026年秋季学期
    start: 2026-09-01
    end: 2027-01-22
staff:
  - id: T01
    name: 王芳
  - id: T02
    name: 张伟
classes:
  - id: "3-2"
    grade: 3
    head_teacher: T01
  - id: "4-1"
    grade: 4
    head_teacher: T02
`

// fixtureChildren returns a small but varied set of child files.
func fixtureChildren(t testing.TB) map[string]string {
	return map[string]string{
		"children/3-2/2024031.yaml": fmt.Sprintf(`id: "2024031"
name: 李小明
gender: male
birth_date: 2016-05-12
id_number: %q
class: "3-2"
boarding: false
address: 湖北省仙桃市某镇某村3组
health: 良好
left_behind:
  since: 2022-03-01
  until: null
  type: both_parents
parents:
  - name: 李建国
    relation: father
    phone: "13800138000"
    work_address: 广东省东莞市长安镇
    employer: 某电子厂
  - name: 王秀英
    relation: mother
    phone: "13900139000"
    work_address: 广东省深圳市宝安区
guardian:
  name: 李德福
  relation: grandfather
  delegated: false
  age: 68
  occupation: 务农
  phone: "13712345678"
  address: 湖北省仙桃市某镇某村3组
  health: 高血压
enrolment:
  - date: 2022-09-01
    status: enrolled
support:
  priority: true
`, idNumber(t, "2016-05-12", "male", 1)),
		"children/3-2/2024032.yaml": fmt.Sprintf(`id: "2024032"
name: 张小红
gender: female
birth_date: 2016-08-30
id_number: %q
class: "3-2"
boarding: true
address: 湖北省仙桃市某镇某村5组
health: 良好
left_behind:
  since: 2023-02-15
  type: one_parent
parents:
  - name: 刘芳
    relation: mother
    phone: "13600136000"
    work_address: 浙江省义乌市
guardian:
  name: 张桂兰
  relation: grandmother
  age: 63
  occupation: 务农
  phone: "0728-1234567"
  health: 良好
enrolment:
  - date: 2022-09-01
    status: enrolled
  - date: 2026-10-15
    status: dropped_out
`, idNumber(t, "2016-08-30", "female", 2)),
		"children/4-1/2023015.yaml": `id: "2023015"
name: 王强
gender: male
birth_date: 2015-01-20
class: "4-1"
left_behind:
  since: 2021-06-01
enrolment: []
`,
		"children/4-1/2023016.yaml": `id: "2023016"
name: 陈静
gender: female
birth_date: 2015-03-03
class: "4-1"
left_behind:
  since: 2021-06-01
  type: both_parents
guardian:
  name: 陈大海
  relation: relative
  phone: "13512345678"
enrolment:
  - date: 2021-09-01
    status: enrolled
  - date: 2026-03-01
    status: suspended
`,
		// not on the roster: transferred out, and no longer left-behind
		"children/4-1/2023017.yaml": `id: "2023017"
name: 赵磊
gender: male
birth_date: 2015-04-04
class: "4-1"
left_behind:
  since: 2021-06-01
enrolment:
  - date: 2021-09-01
    status: enrolled
  - date: 2026-10-01
    status: transferred_out
    school: 东莞市长安镇第一小学
`,
		"children/4-1/2023018.yaml": `id: "2023018"
name: 孙丽
gender: female
birth_date: 2015-05-05
class: "4-1"
left_behind:
  since: 2021-06-01
  until: 2026-07-01
enrolment:
  - date: 2021-09-01
    status: enrolled
`,
	}
}

func writeTree(t testing.TB, dir string, files map[string]string) {
	t.Helper()
	for p, content := range files {
		full := filepath.Join(dir, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func fixtureRepo(t testing.TB, withChildren bool) string {
	dir := t.TempDir()
	files := map[string]string{"care.yaml": fixtureConfig}
	if withChildren {
		for k, v := range fixtureChildren(t) {
			files[k] = v
		}
	}
	writeTree(t, dir, files)
	return dir
}

func load(t testing.TB, dir string) *store.Loaded {
	t.Helper()
	l, err := store.LoadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func errorsOf(ds []diag.Diagnostic) []string {
	var out []string
	for _, d := range ds {
		if d.Severity == diag.Error {
			out = append(out, fmt.Sprintf("%s:%d: %s", d.File, d.Line, d.Message.En))
		}
	}
	return out
}

func mustValid(t testing.TB, dir string) *store.Loaded {
	t.Helper()
	l := load(t, dir)
	ds := validate.Run(l.Files, l.Dataset, l.Diags, validate.Options{Today: today})
	if errs := errorsOf(ds); len(errs) > 0 {
		t.Fatalf("repository %s is invalid:\n%s", dir, strings.Join(errs, "\n"))
	}
	return l
}

// importInto plans an import of data (named name) into the repository at
// dir and writes the planned files.
func importInto(t testing.TB, dir, name string, data []byte, update bool) *Plan {
	t.Helper()
	l := load(t, dir)
	tables, err := ReadTables(name, data)
	if err != nil {
		t.Fatal(err)
	}
	s, err := FindSheet(tables, l.Dataset.Config)
	if err != nil {
		t.Fatal(err)
	}
	p := Build(s, Options{Config: l.Dataset.Config, Files: l.Files, Today: today, Update: update,
		Read: func(p string) ([]byte, error) { return store.ReadFile(dir, p) }})
	for _, c := range p.Changes {
		if c.Action == Create || c.Action == Update {
			if len(p.Problems) > 0 {
				continue
			}
			full := filepath.Join(dir, filepath.FromSlash(c.Path))
			os.MkdirAll(filepath.Dir(full), 0o755)
			if err := os.WriteFile(full, c.Data, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	return p
}

func problems(p *Plan) string {
	var b strings.Builder
	for _, pr := range p.Problems {
		fmt.Fprintf(&b, "row %d [%s] %s (%s)\n", pr.Line, pr.Column, pr.Msg.En, pr.Hint.En)
	}
	return b.String()
}

func roundTrip(t *testing.T, src string, day record.Date, l i18n.Lang) {
	orig := mustValid(t, src)
	want := Export(orig.Dataset, day, l)
	if len(want) == 0 {
		t.Fatal("nothing to export")
	}
	for _, format := range []string{"xlsx", "csv"} {
		t.Run(format, func(t *testing.T) {
			var buf bytes.Buffer
			var err error
			if format == "xlsx" {
				err = WriteXLSX(&buf, l, want)
			} else {
				err = WriteCSV(&buf, l, want)
			}
			if err != nil {
				t.Fatal(err)
			}
			dst := t.TempDir()
			copyRepoWithoutRecords(t, src, dst)
			p := importInto(t, dst, "roster."+format, buf.Bytes(), false)
			if len(p.Problems) > 0 {
				t.Fatalf("import problems:\n%s", problems(p))
			}
			if n := p.Count(Create); n != len(want) {
				t.Fatalf("created %d files, want %d", n, len(want))
			}
			got := Export(mustValid(t, dst).Dataset, day, l)
			compareLines(t, want, got)
		})
	}
}

// copyRepoWithoutRecords copies care.yaml and everything else except
// children/, pairings/ and talks/.
func copyRepoWithoutRecords(t testing.TB, src, dst string) {
	t.Helper()
	err := filepath.WalkDir(src, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		top := strings.Split(filepath.ToSlash(rel), "/")[0]
		if top == "children" || top == "pairings" || top == "talks" || top == ".git" {
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
}

func compareLines(t *testing.T, want, got []Line) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("got %d lines, want %d", len(got), len(want))
	}
	head := Header(i18n.Zh)
	for i := range want {
		for f := range want[i].Cells {
			if w, g := want[i].Cells[f].Text, got[i].Cells[f].Text; w != g {
				t.Errorf("child %s, %s: got %q, want %q", want[i].ID, head[f], g, w)
			}
		}
	}
}

func TestRoundTripFixture(t *testing.T) {
	src := fixtureRepo(t, true)
	t.Run("zh", func(t *testing.T) { roundTrip(t, src, today, i18n.Zh) })
	t.Run("en", func(t *testing.T) { roundTrip(t, src, today, i18n.En) })
}

// TestRoundTripDemo exports the demo repository to xlsx and csv, imports each
// into a copy of it without children, pairings and talks, and checks that
// the copy validates and that every roster field comes back equal.
func TestRoundTripDemo(t *testing.T) {
	src := filepath.Join("..", "..", "examples", "demo-school")
	if _, err := os.Stat(filepath.Join(src, "care.yaml")); err != nil {
		t.Skip("examples/demo-school is not there yet")
	}
	t.Run("zh", func(t *testing.T) { roundTrip(t, src, today, i18n.Zh) })
	t.Run("en", func(t *testing.T) { roundTrip(t, src, today, i18n.En) })
}
