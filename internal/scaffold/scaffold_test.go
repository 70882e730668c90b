package scaffold

import (
	"encoding/json"
	"os"
	"regexp"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/care-tool/care/internal/diag"
	"github.com/care-tool/care/internal/record"
	"github.com/care-tool/care/internal/store"
	"github.com/care-tool/care/internal/validate"
)

var today = record.MustDate("2026-11-28")

func TestTermFor(t *testing.T) {
	tests := []struct {
		today, id, name, start, end string
	}{
		{"2026-11-28", "2026-autumn", "2026年秋季学期", "2026-09-01", "2027-01-22"},
		{"2026-08-01", "2026-autumn", "2026年秋季学期", "2026-09-01", "2027-01-22"},
		{"2027-01-31", "2026-autumn", "2026年秋季学期", "2026-09-01", "2027-01-22"},
		{"2027-02-01", "2027-spring", "2027年春季学期", "2027-02-20", "2027-07-05"},
		{"2027-07-31", "2027-spring", "2027年春季学期", "2027-02-20", "2027-07-05"},
	}
	for _, tt := range tests {
		got := TermFor(record.MustDate(tt.today))
		if got.ID != tt.id || got.Name != tt.name || got.Start.String() != tt.start || got.End.String() != tt.end {
			t.Errorf("TermFor(%s) = %+v, want %s %s %s..%s", tt.today, got, tt.id, tt.name, tt.start, tt.end)
		}
	}
}

func TestInstallRef(t *testing.T) {
	for v, want := range map[string]string{"0.1.0-dev": "latest", "": "latest", "1.2.3": "v1.2.3", "v1.2.3": "v1.2.3", "1.2": "latest"} {
		if got := InstallRef(v); got != want {
			t.Errorf("InstallRef(%q) = %q, want %q", v, got, want)
		}
	}
}

func initFiles(t *testing.T, o InitOptions) map[string][]byte {
	t.Helper()
	files, err := InitFiles(o)
	if err != nil {
		t.Fatal(err)
	}
	m := map[string][]byte{}
	for _, f := range files {
		if _, dup := m[f.Path]; dup {
			t.Errorf("%s written twice", f.Path)
		}
		m[f.Path] = f.Data
	}
	return m
}

// check validates the repository made of files and returns its errors.
func check(t *testing.T, files map[string][]byte) []diag.Diagnostic {
	t.Helper()
	var inputs []store.Input
	for p, b := range files {
		inputs = append(inputs, store.Input{Path: p, Data: b})
	}
	l := store.Build(inputs)
	var errs []diag.Diagnostic
	for _, d := range validate.Run(l.Files, l.Dataset, l.Diags, validate.Options{Today: today}) {
		if d.Severity == diag.Error {
			errs = append(errs, d)
		}
	}
	return errs
}

func TestInitFiles(t *testing.T) {
	for _, school := range []string{"", "仙桃市某镇中心小学", "a: b # c"} {
		files := initFiles(t, InitOptions{Today: today, School: school, Version: "0.1.0-dev"})
		for _, p := range []string{"care.yaml", "README.md", ".gitignore", ".github/workflows/care.yml", ".gitlab-ci.yml",
			".pre-commit-config.yaml", ".vscode/settings.json", "children/.gitkeep", "pairings/.gitkeep", "talks/.gitkeep",
			".care/schema/care.schema.json", ".care/schema/child.schema.json", ".care/schema/pairing.schema.json", ".care/schema/talk.schema.json"} {
			if _, ok := files[p]; !ok {
				t.Errorf("no %s", p)
			}
		}
		if errs := check(t, files); len(errs) > 0 {
			t.Errorf("school %q: care.yaml is not valid: %+v\n%s", school, errs, files["care.yaml"])
		}
		l := store.Build([]store.Input{{Path: "care.yaml", Data: files["care.yaml"]}})
		cfg := l.Dataset.Config
		want := school
		if want == "" {
			want = "示例学校"
		}
		if cfg.School.Name != want {
			t.Errorf("school name %q, want %q", cfg.School.Name, want)
		}
		if len(cfg.Terms) != 1 || cfg.Terms[0].ID != "2026-autumn" || cfg.Terms[0].Start.String() != "2026-09-01" {
			t.Errorf("terms = %+v", cfg.Terms)
		}
		if len(cfg.Staff) != 1 || cfg.Staff[0].ID != "T01" || len(cfg.Classes) != 1 || cfg.Classes[0].HeadTeacher != "T01" {
			t.Errorf("staff %+v classes %+v", cfg.Staff, cfg.Classes)
		}
	}
	files := initFiles(t, InitOptions{Today: today})
	if !strings.Contains(string(files[".gitignore"]), ".care/cache/") {
		t.Errorf(".gitignore does not ignore .care/cache/:\n%s", files[".gitignore"])
	}
	// Every setting of care.yaml is explained in both languages.
	for i, line := range strings.Split(string(files["care.yaml"]), "\n") {
		code, comment, _ := strings.Cut(line, "#")
		if strings.TrimSpace(code) == "" || strings.HasPrefix(strings.TrimSpace(code), "- id:") && strings.Contains(line, "#") {
			continue
		}
		if comment == "" && !strings.HasPrefix(strings.TrimSpace(code), "- id:") {
			t.Errorf("care.yaml line %d has no comment: %s", i+1, line)
		}
	}
}

// The CI files are valid YAML whose jobs install care and run care validate.
func TestCIFiles(t *testing.T) {
	files := initFiles(t, InitOptions{Today: today, Version: "1.4.0"})

	var gh struct {
		On   map[string]any `yaml:"on"`
		Jobs map[string]struct {
			RunsOn string `yaml:"runs-on"`
			Steps  []struct {
				Uses string `yaml:"uses"`
				Run  string `yaml:"run"`
			} `yaml:"steps"`
		} `yaml:"jobs"`
	}
	if err := yaml.Unmarshal(files[".github/workflows/care.yml"], &gh); err != nil {
		t.Fatalf("workflow is not valid YAML: %v", err)
	}
	for _, ev := range []string{"push", "pull_request"} {
		if _, ok := gh.On[ev]; !ok {
			t.Errorf("workflow does not run on %s", ev)
		}
	}
	if len(gh.Jobs) == 0 {
		t.Fatal("workflow has no jobs")
	}
	for name, job := range gh.Jobs {
		var runs []string
		for _, s := range job.Steps {
			runs = append(runs, s.Run)
		}
		all := strings.Join(runs, "\n")
		if !regexp.MustCompile(`(?m)^care validate --format github$`).MatchString(all) {
			t.Errorf("job %s does not run care validate --format github: %q", name, runs)
		}
		if !strings.Contains(all, "go install github.com/care-tool/care/cmd/care@v1.4.0") {
			t.Errorf("job %s does not install care v1.4.0: %q", name, runs)
		}
		if job.RunsOn == "" {
			t.Errorf("job %s has no runs-on", name)
		}
	}

	var gl map[string]any
	if err := yaml.Unmarshal(files[".gitlab-ci.yml"], &gl); err != nil {
		t.Fatalf(".gitlab-ci.yml is not valid YAML: %v", err)
	}
	var job struct {
		Script    []string `yaml:"script"`
		Artifacts struct {
			When    string `yaml:"when"`
			Reports struct {
				JUnit string `yaml:"junit"`
			} `yaml:"reports"`
		} `yaml:"artifacts"`
	}
	raw, _ := yaml.Marshal(gl["care-validate"])
	if err := yaml.Unmarshal(raw, &job); err != nil {
		t.Fatal(err)
	}
	script := strings.Join(job.Script, "\n")
	if !regexp.MustCompile(`(?m)^care validate --format junit > (\S+)`).MatchString(script) {
		t.Errorf("gitlab job does not write a junit report: %q", job.Script)
	}
	if !regexp.MustCompile(`(?m)^care validate$`).MatchString(script) {
		t.Errorf("gitlab job does not fail on invalid records: %q", job.Script)
	}
	if job.Artifacts.Reports.JUnit != "care-junit.xml" || job.Artifacts.When != "always" {
		t.Errorf("gitlab artifacts = %+v", job.Artifacts)
	}

	var pc struct {
		Repos []struct {
			Repo  string `yaml:"repo"`
			Rev   string `yaml:"rev"`
			Hooks []struct {
				ID string `yaml:"id"`
			} `yaml:"hooks"`
		} `yaml:"repos"`
	}
	if err := yaml.Unmarshal(files[".pre-commit-config.yaml"], &pc); err != nil {
		t.Fatalf(".pre-commit-config.yaml is not valid YAML: %v", err)
	}
	if len(pc.Repos) != 1 || pc.Repos[0].Rev != "v1.4.0" || len(pc.Repos[0].Hooks) != 1 || pc.Repos[0].Hooks[0].ID != "care-validate" {
		t.Errorf(".pre-commit-config.yaml = %+v", pc)
	}
}

// The project's own pre-commit hook runs care validate on record changes.
func TestPreCommitHooks(t *testing.T) {
	b, err := os.ReadFile("../../.pre-commit-hooks.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var hooks []struct {
		ID            string `yaml:"id"`
		Entry         string `yaml:"entry"`
		Language      string `yaml:"language"`
		PassFilenames *bool  `yaml:"pass_filenames"`
		Files         string `yaml:"files"`
	}
	if err := yaml.Unmarshal(b, &hooks); err != nil {
		t.Fatal(err)
	}
	if len(hooks) != 1 {
		t.Fatalf("%d hooks, want 1", len(hooks))
	}
	h := hooks[0]
	if h.ID != "care-validate" || h.Entry != "care validate" || h.Language != "golang" || h.PassFilenames == nil || *h.PassFilenames {
		t.Errorf("hook = %+v", h)
	}
	re := regexp.MustCompile(h.Files)
	for p, want := range map[string]bool{
		"care.yaml": true, "children/3-2/2024031.yaml": true, "pairings/p.yaml": true, "talks/2026-11/a.yaml": true,
		"README.md": false, "care.yaml.bak": false, "docs/children/x.md": false,
	} {
		if re.MatchString(p) != want {
			t.Errorf("files pattern %q on %s: %v, want %v", h.Files, p, !want, want)
		}
	}
}

func TestVSCodeSettings(t *testing.T) {
	files := initFiles(t, InitOptions{Today: today})
	var s struct {
		Schemas map[string][]string `json:"yaml.schemas"`
	}
	if err := json.Unmarshal(files[".vscode/settings.json"], &s); err != nil {
		t.Fatalf("settings.json: %v", err)
	}
	want := map[string]string{"care": "/care.yaml", "child": "/children/**/*.yaml", "pairing": "/pairings/**/*.yaml", "talk": "/talks/**/*.yaml"}
	for kind, glob := range want {
		p := "./.care/schema/" + kind + ".schema.json"
		globs, ok := s.Schemas[p]
		if !ok {
			t.Errorf("no mapping for %s", p)
			continue
		}
		if _, ok := files[strings.TrimPrefix(p, "./")]; !ok {
			t.Errorf("%s is mapped but not written", p)
		}
		found := false
		for _, g := range globs {
			found = found || g == glob
		}
		if !found {
			t.Errorf("%s: globs %q lack %q", p, globs, glob)
		}
	}
	if err := json.Unmarshal(files[".vscode/extensions.json"], &map[string]any{}); err != nil {
		t.Errorf("extensions.json: %v", err)
	}
}

// New records are valid straight away, together with the new care.yaml.
func TestRecords(t *testing.T) {
	files := initFiles(t, InitOptions{Today: today})
	add := func(p string, b []byte, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		files[p] = b
	}
	b, err := ChildYAML(Child{ID: "2024031", Name: "李小明", Gender: "male", BirthDate: record.MustDate("2016-05-12"),
		Class: "1-1", Since: today, Created: today})
	add("children/1-1/2024031.yaml", b, err)
	b, err = ChildYAML(Child{ID: "007", Name: "true", Gender: "female", BirthDate: record.MustDate("2017-01-02"),
		IDNumber: idNumber("42900420170102002"), Since: record.MustDate("2020-01-01"), Type: "one_parent",
		Enrolled: record.MustDate("2023-09-01"), Created: today})
	add("children/007.yaml", b, err)
	b, err = PairingYAML(Pairing{Child: "2024031", Role: "teacher", Mentor: "T01", Start: today, Created: today})
	add("pairings/2024031-teacher.yaml", b, err)
	b, err = PairingYAML(Pairing{Child: "007", Role: "peer", Mentor: "王 小虎: 3-2", Start: today, Focus: []string{"study", "mind"}, Created: today})
	add("pairings/007-peer.yaml", b, err)
	b, err = TalkYAML(Talk{Child: "2024031", By: "T01", Kind: "home_visit", Date: record.MustDate("2026-11-03"), Created: today})
	add("talks/2026-11/2026-11-03-2024031.yaml", b, err)
	if errs := check(t, files); len(errs) > 0 {
		for _, d := range errs {
			t.Errorf("%s:%d: %s", d.File, d.Line, d.Message.En)
		}
	}
	l := store.Build([]store.Input{{Path: "children/007.yaml", Data: files["children/007.yaml"]}, {Path: "pairings/007-peer.yaml", Data: files["pairings/007-peer.yaml"]}})
	c := l.Dataset.Children[0]
	if c.ID != "007" || c.Name != "true" || c.IDNumber != idNumber("42900420170102002") || c.StatusOn(today) != "enrolled" {
		t.Errorf("child = %+v", c)
	}
	if p := l.Dataset.Pairings[0]; p.Mentor != "王 小虎: 3-2" || len(p.Focus) != 2 {
		t.Errorf("pairing = %+v", p)
	}

	// Unknown required values are left blank, which the validator reports.
	b, err = ChildYAML(Child{ID: "2024032", Name: "王五", Since: today, Created: today})
	add("children/2024032.yaml", b, err)
	errs := check(t, files)
	var got []string
	for _, d := range errs {
		got = append(got, d.File+" "+d.Path)
	}
	if strings.Join(got, ",") != "children/2024032.yaml /gender,children/2024032.yaml /birth_date" &&
		strings.Join(got, ",") != "children/2024032.yaml /birth_date,children/2024032.yaml /gender" {
		t.Errorf("blank required fields: got %q", got)
	}
}

func idNumber(first17 string) string {
	c, err := validate.IDCheckChar(first17)
	if err != nil {
		panic(err)
	}
	return first17 + string(c)
}

func TestQuoteAndPlain(t *testing.T) {
	for _, s := range []string{"2024031", "T01", "true", "null", "3-2", "a: b", "# x", "李小明", "- x", "'q'", `"d"`, "a\nb", " x", "007"} {
		for name, f := range map[string]func(string) string{"Quote": Quote, "Plain": Plain} {
			var got any
			if err := yaml.Unmarshal([]byte("v: "+f(s)), &map[string]any{}); err != nil {
				t.Errorf("%s(%q) = %s: %v", name, s, f(s), err)
				continue
			}
			var m map[string]any
			yaml.Unmarshal([]byte("v: "+f(s)), &m)
			got = m["v"]
			if got != s {
				t.Errorf("%s(%q) = %s reads back as %#v", name, s, f(s), got)
			}
		}
	}
	if Quote("2024031") != `"2024031"` || Plain("T01") != "T01" {
		t.Errorf("Quote/Plain style: %s %s", Quote("2024031"), Plain("T01"))
	}
}

// Plain quotes what YAML 1.1 tools (pre-commit's PyYAML, older editors)
// would read as a boolean or a base-60 number, so that every tool reads the
// same text as care.
func TestPlainQuotesYAML11Specials(t *testing.T) {
	for _, s := range []string{"yes", "No", "on", "OFF", "y", "N", "1:20", "-1:30:00", "190:20:30.15"} {
		if got := Plain(s); got != Quote(s) {
			t.Errorf("Plain(%q) = %s, want it quoted", s, got)
		}
	}
	for _, s := range []string{"T01", "李小明", "yesterday", "Noah", "1:60", "a:1", "12:3a", "王 on"} {
		if got := Plain(s); got != s {
			t.Errorf("Plain(%q) = %s, want it plain", s, got)
		}
	}
}

// A school name given with a line break keeps it in care.yaml, exactly, and
// the README's title stays one line.
func TestInitFilesSchoolWithLineBreak(t *testing.T) {
	files, err := InitFiles(InitOptions{Today: record.MustDate("2026-11-28"), School: "第一行\n第二行: #2"})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		switch f.Path {
		case "care.yaml":
			var cfg struct{ School struct{ Name string } }
			if err := yaml.Unmarshal(f.Data, &cfg); err != nil || cfg.School.Name != "第一行\n第二行: #2" {
				t.Errorf("care.yaml school name %q, %v", cfg.School.Name, err)
			}
		case "README.md":
			first, _, _ := strings.Cut(string(f.Data), "\n")
			if first != "# 第一行 第二行: #2 留守儿童关爱工程记录" {
				t.Errorf("README title %q", first)
			}
		}
	}
}
