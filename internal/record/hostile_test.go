package record

import (
	"strings"
	"testing"
	"time"
)

// Hostile inputs found by trying to break care validate: each case is a
// file that was read wrongly (values lost or made up, or a problem reported
// at the wrong place).

// Merge keys (<<) are part of YAML as yaml.v3 reads it: the merged fields
// belong to the mapping. They used to be dropped, so that a merged unknown
// field or a bad phone went unchecked and a merged required field counted as
// missing.
func TestMergeKeysAreFollowed(t *testing.T) {
	src := "id: \"2024031\"\n" +
		"parents:\n" +
		"  - &p {name: 李建国, phone: \"13800138000\", relation: father}\n" +
		"guardian:\n" +
		"  <<: *p\n" +
		"  relation: grandfather\n"
	f, ds := Parse("children/2024031.yaml", KindChild, []byte(src))
	if len(ds) != 0 || f.Doc == nil {
		t.Fatalf("diagnostics %+v", ds)
	}
	c := DecodeChild(f)
	if c.Guardian == nil || c.Guardian.Name != "李建国" || c.Guardian.Phone != "13800138000" || c.Guardian.Relation != "grandfather" {
		t.Fatalf("guardian %+v", c.Guardian)
	}
	v := ToValue(f.Doc).(map[string]any)["guardian"].(map[string]any)
	if v["phone"] != "13800138000" || v["relation"] != "grandfather" || len(v) != 3 {
		t.Fatalf("ToValue guardian = %v", v)
	}
	// the merged value is found where it is written
	if line, col := f.Position("/guardian/phone"); line != 3 || col != 27 {
		t.Errorf("position of the merged phone = %d:%d, want 3:27", line, col)
	}
	// a list of mappings: the first one that has a key wins; explicit keys win over all
	src = "a: &a {x: 1, y: 1}\nb: &b {y: 2, z: 2}\nc:\n  z: 3\n  <<: [*a, *b]\n"
	f, ds = Parse("children/x.yaml", KindChild, []byte(src))
	if len(ds) != 0 {
		t.Fatalf("diagnostics %+v", ds)
	}
	got := ToValue(f.Doc).(map[string]any)["c"].(map[string]any)
	if got["x"] != int64(1) || got["y"] != int64(1) || got["z"] != int64(3) || len(got) != 3 {
		t.Fatalf("c = %v", got)
	}
	// a merge of something that is not a mapping is an error, not ignored
	_, ds = Parse("children/x.yaml", KindChild, []byte("a: 1\nb:\n  <<: 5\n"))
	if len(ds) != 1 || ds[0].Line != 3 || ds[0].Column != 3 || ds[0].Check != CheckYAML {
		t.Fatalf("merge of a number: %+v", ds)
	}
}

// An alias used as a key stands for its text, as everywhere else.
func TestAliasKeys(t *testing.T) {
	f, _ := Parse("children/x.yaml", KindChild, []byte("a: &k name\n*k : 李小明\n"))
	if c := DecodeChild(f); c.Name != "李小明" {
		t.Fatalf("name %q", c.Name)
	}
}

// Tags: a value tagged as something it is not (!!int abc) used to become 0
// and pass; tags outside YAML's core ones (!!binary, !!python/object, !foo)
// are not record data.
func TestTags(t *testing.T) {
	for _, tt := range []struct {
		src       string
		line, col int
	}{
		{"guardian:\n  age: !!int abc\n", 2, 8},
		{"boarding: !!bool maybe\n", 1, 11},
		{"id: !!binary aGVsbG8=\n", 1, 5},
		{"name: !!python/object x\n", 1, 7},
		{"name: !foo x\n", 1, 7},
		{"guardian: !!set {a: null}\n", 1, 11},
	} {
		_, ds := Parse("children/x.yaml", KindChild, []byte(tt.src))
		if len(ds) != 1 || ds[0].Line != tt.line || ds[0].Column != tt.col || ds[0].Check != CheckYAML {
			t.Errorf("%q: got %+v, want one yaml diagnostic at %d:%d", tt.src, ds, tt.line, tt.col)
		}
	}
	for _, src := range []string{
		"id: !!str 2024031\nbirth_date: !!timestamp 2016-05-12\nname: !!str 李\nguardian: !!map {age: !!int 68}\nparents: !!seq []\nx: !!null ~\ny: !!float 1.5\nz: ! a\n",
	} {
		if _, ds := Parse("children/x.yaml", KindChild, []byte(src)); len(ds) != 0 {
			t.Errorf("%q: unexpected %+v", src, ds)
		}
	}
	f, _ := Parse("children/x.yaml", KindChild, []byte("guardian:\n  age: !!int abc\n"))
	if f.Doc != nil {
		if v := ToValue(f.Doc).(map[string]any)["guardian"].(map[string]any)["age"]; v == int64(0) || v == float64(0) {
			t.Errorf("!!int abc became %v", v)
		}
	}
}

// Syntax errors point at the line (and where it can be told, the column)
// where the mistake is, not the line before it or the end of the file.
func TestSyntaxErrorPositions(t *testing.T) {
	for _, tt := range []struct {
		name, src string
		line, col int
		hint      string
	}{
		{"unclosed double quote on line 1", "id: \"2024031\nname: x\ngender: male\n", 1, 5, "quote"},
		{"unclosed single quote", "id: '2024031\nname: x\n", 1, 5, "quote"},
		{"unclosed quote later", "id: \"2024031\"\nname: x\nhealth: \"良好\naddress: y\n", 3, 9, "quote"},
		{"unclosed flow sequence", "id: \"2024031\"\nname: [x\n", 2, 7, ""},
		{"unclosed flow mapping", "id: \"2024031\"\nguardian: {name: x\nage: 5\n", 2, 11, ""},
		{"over-indented key", "id: \"2024031\"\n  name: x\n", 2, 3, ""},
		{"missing colon", "id: \"2024031\"\nname x\ngender: male\n", 2, 1, ""},
		{"tab indentation", "id: x\nguardian:\n\tname: y\n", 3, 1, "tab"},
		{"unknown anchor", "id: x\nname: *nope\n", 2, 7, ""},
		{"control character", "id: x\nname: a\x07b\n", 2, 8, ""},
		{"unknown escape", "id: x\naddress: \"C:\\q\"\n", 2, 13, "backslash"},
		{"colon in a value", "id: x\nname: 李: 小明\n", 2, 8, "colon"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, ds := Parse("children/x.yaml", KindChild, []byte(tt.src))
			if len(ds) != 1 {
				t.Fatalf("want 1 diagnostic, got %+v", ds)
			}
			d := ds[0]
			if d.Line != tt.line || d.Column != tt.col {
				t.Errorf("%s at %d:%d, want %d:%d", d.Message.En, d.Line, d.Column, tt.line, tt.col)
			}
			if !strings.Contains(d.Hint.En, tt.hint) {
				t.Errorf("hint %q does not mention %q", d.Hint.En, tt.hint)
			}
		})
	}
	// a quote that is closed on a later line is not unclosed
	if _, ds := Parse("children/x.yaml", KindChild, []byte("notes: \"a\n  b\"\nname: 李\"小\"明\nhealth: 'it''s'\n")); len(ds) != 0 {
		t.Fatalf("valid quotes: %+v", ds)
	}
}

// Big files without any alias are not reported as alias bombs.
func TestTooManyValuesWithoutAliases(t *testing.T) {
	var b strings.Builder
	b.WriteString("reviews:\n")
	for i := 0; i < MaxExpandedNodes; i++ {
		b.WriteString("  - x\n")
	}
	_, ds := Parse("pairings/x.yaml", KindPairing, []byte(b.String()))
	if len(ds) != 1 || strings.Contains(ds[0].Message.En, "alias") {
		t.Fatalf("got %+v", ds)
	}
}

// A document that is only "---" or "~" is empty, not "a single value".
func TestNullDocument(t *testing.T) {
	for _, src := range []string{"---\n", "~\n", "null\n", "--- # nothing\n...\n"} {
		_, ds := Parse("children/x.yaml", KindChild, []byte(src))
		if len(ds) != 1 || !strings.Contains(ds[0].Message.En, "empty") {
			t.Errorf("%q: got %+v", src, ds)
		}
	}
}

// UTF-16 files (Windows Notepad's "Unicode") get the iconv command for UTF-16.
func TestUTF16(t *testing.T) {
	for _, data := range [][]byte{
		{0xff, 0xfe, 'i', 0, 'd', 0, ':', 0, ' ', 0, 'x', 0, '\n', 0},
		{0xfe, 0xff, 0, 'i', 0, 'd', 0, ':', 0, ' ', 0, 'x', 0, '\n'},
	} {
		_, ds := Parse("children/x.yaml", KindChild, data)
		if len(ds) != 1 || !strings.Contains(ds[0].Message.En, "UTF-16") || !strings.Contains(ds[0].Hint.En, "iconv -f UTF-16 -t UTF-8") {
			t.Errorf("got %+v", ds)
		}
	}
}

// Finding the line of a syntax error stays fast on a large file whose
// mistake is on its first line (every prefix fails the same way).
func TestSyntaxErrorLineIsFast(t *testing.T) {
	src := "id: \"2024031\n" + strings.Repeat("notes: abcdefghijklmnopqrstuvwxyz0123456789\n", 1400)
	start := time.Now()
	_, ds := Parse("children/x.yaml", KindChild, []byte(src))
	if len(ds) != 1 || ds[0].Line != 1 || ds[0].Column != 5 {
		t.Fatalf("got %+v", ds)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("took %v", d)
	}
}

// A YAML 1.2 directive is valid YAML; yaml.v3 only knows "%YAML 1.1".
func TestYAML12Directive(t *testing.T) {
	f, ds := Parse("children/x.yaml", KindChild, []byte("# c\n%YAML 1.2\n---\nid: \"2024031\"\nname: x\n"))
	if len(ds) != 0 || f.Doc == nil {
		t.Fatalf("got %+v", ds)
	}
	if line, col := f.Position("/name"); line != 5 || col != 7 {
		t.Errorf("position %d:%d", line, col)
	}
}

// A full-width colon (typed with a Chinese input method) gets its own hint.
func TestFullWidthColon(t *testing.T) {
	_, ds := Parse("children/x.yaml", KindChild, []byte("id: \"2024031\"\nname：李小明\ngender: male\n"))
	if len(ds) != 1 || ds[0].Line != 2 || !strings.Contains(ds[0].Hint.En, "full-width colon") {
		t.Fatalf("got %+v", ds)
	}
}
