// Package scaffold holds what care writes for a user rather than reads: the
// files of a new records repository (care.yaml with every setting explained,
// the CI workflows, the editor and pre-commit settings, a README for staff)
// and the skeletons of new child, pairing and talk records. The texts are
// templates embedded from templates/, so that they can be read and reviewed
// as the files they become.
package scaffold

import (
	"bytes"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"strings"
	"text/template"
	"time"
	"unicode"

	"gopkg.in/yaml.v3"

	"github.com/care-tool/care/internal/record"
	"github.com/care-tool/care/schema"
)

//go:embed templates
var templates embed.FS

// SchemaDir is the folder of a records repository that holds copies of the
// JSON Schemas, for editors.
const SchemaDir = ".care/schema"

// CacheDir is the folder of a records repository where care keeps its cache;
// it is never committed.
const CacheDir = ".care/cache"

// File is one file to write, at a slash path relative to the repository root.
type File struct {
	Path string
	Data []byte
	Mode fs.FileMode
}

// InitOptions say what to put into a new records repository.
type InitOptions struct {
	Today   record.Date // picks the school term written into care.yaml
	School  string      // the school's name; a placeholder when empty
	Version string      // care's version; a release pins the CI install and the pre-commit rev
}

// InitFiles returns the files of a new records repository, in the order they
// should be written (care.yaml first). Folders that must exist but hold no
// file yet get a .gitkeep, since git does not keep empty folders.
func InitFiles(o InitOptions) ([]File, error) {
	term := TermFor(o.Today)
	school := strings.TrimSpace(o.School)
	placeholder := school == ""
	if placeholder {
		school = "示例学校"
	}
	data := map[string]any{
		"School":            school,
		"SchoolLine":        strings.Join(strings.Fields(school), " "), // for titles: one line
		"SchoolPlaceholder": placeholder,
		"Term":              term,
		"NextTerm":          TermFor(term.End.AddDays(30)),
		"Install":           InstallRef(o.Version),
		"Rev":               preCommitRev(o.Version),
		"SchemaDir":         SchemaDir,
		"CacheDir":          CacheDir,
		"Today":             o.Today.String(),
	}
	var files []File
	add := func(p, tmpl string) error {
		b, err := render(tmpl, data)
		if err != nil {
			return err
		}
		files = append(files, File{Path: p, Data: b, Mode: 0o644})
		return nil
	}
	for _, t := range []struct{ path, tmpl string }{
		{"care.yaml", "care.yaml.tmpl"},
		{"README.md", "README.md.tmpl"},
		{".gitignore", "gitignore.tmpl"},
		{".github/workflows/care.yml", "github-workflow.yml.tmpl"},
		{".gitlab-ci.yml", "gitlab-ci.yml.tmpl"},
		{".pre-commit-config.yaml", "pre-commit-config.yaml.tmpl"},
		{".vscode/settings.json", "vscode-settings.json.tmpl"},
		{".vscode/extensions.json", "vscode-extensions.json.tmpl"},
	} {
		if err := add(t.path, t.tmpl); err != nil {
			return nil, err
		}
	}
	for _, dir := range []string{"children", "pairings", "talks"} {
		files = append(files, File{Path: dir + "/.gitkeep", Data: nil, Mode: 0o644})
	}
	schemas, err := SchemaFiles()
	if err != nil {
		return nil, err
	}
	files = append(files, schemas...)
	return files, nil
}

// SchemaFiles returns the embedded JSON Schemas as files under SchemaDir.
func SchemaFiles() ([]File, error) {
	var out []File
	for _, name := range schema.Names() {
		b, err := schema.Read(name)
		if err != nil {
			return nil, err
		}
		out = append(out, File{Path: SchemaDir + "/" + name, Data: b, Mode: 0o644})
	}
	return out, nil
}

// Term is a school term as written into care.yaml.
type Term struct {
	ID    string      // 2026-autumn
	Name  string      // 2026年秋季学期
	Start record.Date // first day
	End   record.Date // last day
}

// TermFor returns the school term of the school year that d falls in: the
// autumn term (September 1 to January 22 of the next year) when d is in
// August to January, else the spring term (February 20 to July 5). The dates
// are the usual ones; schools correct them in care.yaml.
func TermFor(d record.Date) Term {
	y := d.Year()
	switch {
	case d.Month() >= time.August:
		return autumn(y)
	case d.Month() == time.January:
		return autumn(y - 1)
	}
	return Term{
		ID:    fmt.Sprintf("%d-spring", y),
		Name:  fmt.Sprintf("%d年春季学期", y),
		Start: record.NewDate(y, time.February, 20),
		End:   record.NewDate(y, time.July, 5),
	}
}

func autumn(y int) Term {
	return Term{
		ID:    fmt.Sprintf("%d-autumn", y),
		Name:  fmt.Sprintf("%d年秋季学期", y),
		Start: record.NewDate(y, time.September, 1),
		End:   record.NewDate(y+1, time.January, 22),
	}
}

// InstallRef returns the version to install care at in CI: the release tag
// ("v1.2.0") when version is a release, else "latest".
func InstallRef(version string) string {
	v := strings.TrimPrefix(strings.TrimSpace(version), "v")
	if v == "" || strings.Contains(v, "-") || strings.Contains(v, "+") || strings.Count(v, ".") != 2 {
		return "latest"
	}
	return "v" + v
}

func preCommitRev(version string) string {
	if r := InstallRef(version); r != "latest" {
		return r
	}
	return "main"
}

var funcs = template.FuncMap{
	"kv":     kv,
	"q":      Quote,
	"p":      Plain,
	"indent": func(n int, s string) string { return strings.Repeat(" ", n) + s },
}

func render(name string, data any) ([]byte, error) {
	src, err := fs.ReadFile(templates, path.Join("templates", name))
	if err != nil {
		return nil, err
	}
	t, err := template.New(name).Funcs(funcs).Option("missingkey=error").Parse(string(src))
	if err != nil {
		return nil, fmt.Errorf("template %s: %w", name, err)
	}
	var b bytes.Buffer
	if err := t.Execute(&b, data); err != nil {
		return nil, fmt.Errorf("template %s: %w", name, err)
	}
	return b.Bytes(), nil
}

// commentColumn is where end-of-line comments start, as in the examples of
// the record format.
const commentColumn = 32

// kv returns one "key: value  # comment" line, indented by indent spaces,
// with the comment aligned at commentColumn when the line is short enough.
// value must already be YAML (see Quote and Plain).
func kv(indent int, key, value, comment string) string {
	line := strings.Repeat(" ", indent) + key + ":"
	if value != "" {
		line += " " + value
	}
	if comment == "" {
		return line
	}
	pad := commentColumn - width(line)
	if pad < 1 {
		pad = 1
	}
	return line + strings.Repeat(" ", pad) + "# " + comment
}

// width approximates the width of s on a terminal: CJK characters take two
// columns.
func width(s string) int {
	n := 0
	for _, r := range s {
		if r >= 0x1100 && (unicode.Is(unicode.Han, r) || r >= 0x3000 && r <= 0x303F || r >= 0xFF00 && r <= 0xFF60) {
			n += 2
		} else {
			n++
		}
	}
	return n
}

// Quote returns s as a double-quoted YAML scalar, the way ids and phone
// numbers are written so that they stay text ("2024031", "3-2").
func Quote(s string) string {
	n := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s, Style: yaml.DoubleQuotedStyle}
	return scalar(n)
}

// Plain returns s as a YAML scalar that reads back as the string s, without
// quotes when none are needed (李小明, T01) and quoted otherwise ("true",
// "a: b").
func Plain(s string) string {
	if s == "" {
		return `""`
	}
	if strings.ContainsAny(s, "\n\r") || yaml11Special(s) {
		return Quote(s)
	}
	n := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s}
	return scalar(n)
}

// yaml11Special reports whether s, written plain, is text to care (YAML 1.2)
// but a boolean or a sexagesimal number to YAML 1.1 readers, which many
// other tools still are: yes, No, on, OFF, y, 1:20.
func yaml11Special(s string) bool {
	switch s {
	case "y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO",
		"on", "On", "ON", "off", "Off", "OFF":
		return true
	}
	// [-+]?[0-9][0-9_]*(:[0-5]?[0-9])+(\.[0-9_]*)?
	t := strings.TrimLeft(s, "+-")
	head, rest, ok := strings.Cut(t, ":")
	if !ok || head == "" || head[0] < '0' || head[0] > '9' || strings.Trim(head, "0123456789_") != "" {
		return false
	}
	if i := strings.IndexByte(rest, '.'); i >= 0 {
		if strings.Trim(rest[i+1:], "0123456789_") != "" {
			return false
		}
		rest = rest[:i]
	}
	for _, part := range strings.Split(rest, ":") {
		if part == "" || len(part) > 2 || strings.Trim(part, "0123456789") != "" || len(part) == 2 && part[0] > '5' {
			return false
		}
	}
	return true
}

func scalar(n *yaml.Node) string {
	b, err := yaml.Marshal(n)
	if err != nil {
		return fmt.Sprintf("%q", n.Value)
	}
	return strings.TrimSuffix(string(b), "\n")
}
