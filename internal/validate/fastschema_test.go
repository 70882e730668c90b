package validate

import (
	"errors"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"gopkg.in/yaml.v3"

	"github.com/care-tool/care/internal/record"
)

// fullVerdict runs the full validator on f: true when it finds nothing.
func fullVerdict(t testing.TB, k record.Kind, doc *yaml.Node) bool {
	cs := loadSchemas()
	if cs.err != nil {
		t.Fatal(cs.err)
	}
	err := cs.schemas[k].Validate(record.ToValue(doc))
	var ve *jsonschema.ValidationError
	if err != nil && !errors.As(err, &ve) {
		t.Fatalf("validate: %v", err)
	}
	return err == nil
}

// agree fails when the quick schema accepts what the full validator
// rejects; it returns whether the quick schema accepted.
func agree(t testing.TB, name string, k record.Kind, data []byte) bool {
	f, _ := record.Parse(name, k, data)
	if f.Doc == nil {
		return false
	}
	q := loadSchemas().quick[k]
	if q == nil {
		return false
	}
	quick := q.accepts(f.Doc)
	if quick && !fullVerdict(t, k, f.Doc) {
		t.Errorf("%s: the quick schema accepts what the full validator rejects:\n%s", name, data)
	}
	return quick
}

func kindOfPath(p string) record.Kind {
	switch strings.SplitN(filepath.ToSlash(p), "/", 2)[0] {
	case "children":
		return record.KindChild
	case "pairings":
		return record.KindPairing
	case "talks":
		return record.KindTalk
	}
	return record.KindConfig
}

// exampleFiles returns every record of the example repositories.
func exampleFiles(t testing.TB) map[string][]byte {
	out := map[string][]byte{}
	for _, repo := range []string{"demo-school", "broken"} {
		root := filepath.Join("..", "..", "examples", repo)
		filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(p, ".yaml") {
				return nil
			}
			rel, _ := filepath.Rel(root, p)
			if data, err := os.ReadFile(p); err == nil {
				out[repo+":"+filepath.ToSlash(rel)] = data
			}
			return nil
		})
	}
	return out
}

// TestQuickSchemaAgrees holds the quick schema to the full validator on
// every example record and on thousands of mutations of them: it must never
// accept what the full validator rejects, and must accept the valid
// records of the demo (or it would save nothing).
func TestQuickSchemaAgrees(t *testing.T) {
	for k, q := range loadSchemas().quick {
		if q == nil && k != record.KindConfig {
			t.Errorf("no quick schema for %s", k)
		}
	}
	files := exampleFiles(t)
	if len(files) < 100 {
		t.Fatalf("only %d example files", len(files))
	}
	accepted := 0
	r := rand.New(rand.NewPCG(1, 2))
	for name, data := range files {
		_, rel, _ := strings.Cut(name, ":")
		k := kindOfPath(rel)
		if agree(t, name, k, data) {
			accepted++
		} else if strings.HasPrefix(name, "demo-school:") && k != record.KindConfig && fullVerdict(t, k, mustDoc(t, rel, k, data)) {
			t.Errorf("%s: valid, but the quick schema is not sure", name)
		}
		for i := 0; i < 30; i++ {
			agree(t, name+" (mutated)", k, mutate(r, data))
		}
	}
	if accepted < len(files)/2 {
		t.Errorf("the quick schema accepted %d of %d files", accepted, len(files))
	}
}

func mustDoc(t testing.TB, p string, k record.Kind, data []byte) *yaml.Node {
	f, _ := record.Parse(p, k, data)
	return f.Doc
}

// replacements are values that a mutation puts in place of another.
var replacements = []string{"", "null", "~", "true", "false", "0", "12", "-3", "1.5", "1e3", ".nan", "0x1F", "\"\"", "\" \"",
	"[]", "{}", "[a, b]", "{a: 1}", "x", "\"2024031\"", "2024031", "2026-09-01", "2026-02-30", "!!str 12", "!!int \"12\"",
	"!!binary aGk=", "!!float 3", "!!bool yes", "yes", "Y", "&a x", "*a", "teacher", "talk", "male", "enrolled", "T01",
	"130", "-1", "121", "\"1-1\"", "\t", "|\n  text", "'single'"}

// mutate changes one line of a record: its value, its key, or both.
func mutate(r *rand.Rand, data []byte) []byte {
	lines := strings.Split(string(data), "\n")
	i := r.IntN(len(lines))
	l := lines[i]
	indent := len(l) - len(strings.TrimLeft(l, " -"))
	key, _, hasColon := strings.Cut(l[indent:], ":")
	switch r.IntN(6) {
	case 0, 1, 2:
		if hasColon {
			lines[i] = l[:indent] + key + ": " + replacements[r.IntN(len(replacements))]
		}
	case 3:
		if hasColon {
			lines[i] = l[:indent] + key + "x: 1"
		}
	case 4:
		lines = append(lines[:i], lines[i+1:]...)
	case 5:
		lines = append(lines[:i+1], lines[i:]...) // a repeated line: a repeated key
	}
	return []byte(strings.Join(lines, "\n"))
}

// FuzzQuickSchema looks for a talk log the quick schema accepts and the full
// validator rejects.
func FuzzQuickSchema(f *testing.F) {
	f.Add([]byte("child: \"2024031\"\ndate: 2026-11-03\nby: T01\nkind: talk\ntopic: x\n"))
	f.Add([]byte("child: 2024031\ndate: 2026-11-03\nby: T01\nkind: home_visit\nsummary: null\n"))
	for name, data := range exampleFiles(f) {
		if strings.Contains(name, "/talks/") || strings.Contains(name, ":talks/") {
			f.Add(data)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, k := range []record.Kind{record.KindTalk, record.KindChild, record.KindPairing} {
			agree(t, "fuzz", k, data)
		}
	})
}

// TestFormatNotAsserted checks what compileQuick assumes: the full
// validator treats "format" as an annotation (dates are checked in Go).
func TestFormatNotAsserted(t *testing.T) {
	doc := mustDoc(t, "talks/2026-11/x.yaml", record.KindTalk, []byte("child: \"1\"\ndate: hello\nby: T01\nkind: talk\n"))
	if !fullVerdict(t, record.KindTalk, doc) {
		t.Fatal("the full validator asserts format: date; the quick schema must too")
	}
}
