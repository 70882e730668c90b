package record

import "testing"

// TestPosTable checks that a File without its Doc answers Position and
// KeyPosition for the pointers of the table exactly as it did with it, and
// answers zero for the others.
func TestPosTable(t *testing.T) {
	docs := map[string]string{
		"child":    "# a comment\nid: \"2024031\"\nname: 李小明\nclass:   \"3-2\"\n",
		"talk":     "child: \"2024031\"\ndate: 2026-11-03\nby: T01\nkind: talk\n",
		"pairing":  "child: 2024031\nrole: teacher\nmentor:\n  - T01\nstart: 2026-09-05\n",
		"missing":  "name: x\n",
		"anchored": "base: &b\n  child: \"1\"\n<<: *b\nby: T02\n",
	}
	for name, src := range docs {
		f, _ := Parse("talks/2026-11/x.yaml", KindTalk, []byte(src))
		if f.Doc == nil || f.Pos == nil {
			t.Fatalf("%s: not parsed", name)
		}
		type pos struct{ l, c, kl, kc int }
		want := map[string]pos{}
		for _, p := range TablePointers {
			l, c := f.Position(p)
			kl, kc := f.KeyPosition(p)
			want[p] = pos{l, c, kl, kc}
		}
		doc := f.Doc
		f.Doc = nil
		for _, p := range TablePointers {
			l, c := f.Position(p)
			kl, kc := f.KeyPosition(p)
			if got := (pos{l, c, kl, kc}); got != want[p] {
				t.Errorf("%s: %q without Doc = %+v, with Doc %+v", name, p, got, want[p])
			}
		}
		if l, c := f.Position("/name"); l != 0 || c != 0 {
			t.Errorf("%s: /name without Doc = %d:%d, want 0:0", name, l, c)
		}
		f.Doc = doc
	}
	var nilFile *File
	if l, c := nilFile.Position("/id"); l != 0 || c != 0 {
		t.Errorf("nil file: %d:%d", l, c)
	}
}
