package record

import "testing"

// Integers written in any form yaml.v3 reads as an integer, and whole
// numbers written as floats (which JSON Schema counts as integers, so the
// schema lets them through), decode to their value instead of reading as
// missing: a guardian aged 68.0 has an age, and talks_per_month 0x2 is 2.
func TestIntegersInEveryForm(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want int
		ok   bool
	}{
		{"68", 68, true}, {"+68", 68, true}, {"0x44", 68, true}, {"0o104", 68, true}, {"6_8", 68, true},
		{"68.0", 68, true}, {"6.8e1", 68, true}, {"-1", -1, true}, {"0", 0, true},
		{"68.5", 0, false}, {".inf", 0, false}, {".nan", 0, false}, {"\"68\"", 0, false}, {"sixty", 0, false},
	} {
		src := "id: \"2024031\"\nguardian:\n  age: " + tc.in + "\n"
		f, _ := Parse("children/2024031.yaml", KindChild, []byte(src))
		if f.Doc == nil {
			t.Fatalf("%s: did not parse", tc.in)
		}
		c := DecodeChild(f)
		switch {
		case c.Guardian == nil:
			t.Fatalf("%s: no guardian", tc.in)
		case tc.ok && (c.Guardian.Age == nil || *c.Guardian.Age != tc.want):
			t.Errorf("age: %s decodes to %v, want %d", tc.in, c.Guardian.Age, tc.want)
		case !tc.ok && c.Guardian.Age != nil:
			t.Errorf("age: %s decodes to %d, want none", tc.in, *c.Guardian.Age)
		}
	}
}

// A YAML syntax error is said in Chinese, with yaml.v3's English words in
// brackets to look up, and in English as yaml.v3 says it.
func TestSyntaxErrorInChinese(t *testing.T) {
	_, ds := Parse("children/2024031.yaml", KindChild, []byte("guardian:\n  name: 李德福\n\tage: 68\n"))
	if len(ds) != 1 {
		t.Fatalf("diagnostics %+v", ds)
	}
	zh, en := ds[0].Message.Zh, ds[0].Message.En
	if zh != "YAML 语法错误：缩进里有制表符（Tab）（found a tab character that violates indentation）" || en != "YAML syntax error: found a tab character that violates indentation" {
		t.Errorf("message %q / %q", zh, en)
	}
}
