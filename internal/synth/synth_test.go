package synth

import (
	"bytes"
	"testing"

	"github.com/care-tool/care/internal/record"
	"github.com/care-tool/care/internal/store"
	"github.com/care-tool/care/internal/validate"
)

var small = Options{Children: 120, Months: 10, Seed: 7, Today: record.MustDate("2026-06-30")}

// TestValid checks that a generated repository has no diagnostic at all,
// for a school year and for a window that crosses two school years.
func TestValid(t *testing.T) {
	for _, opt := range []Options{small, {Children: 60, Months: 14, Seed: 3, Today: record.MustDate("2026-11-28")}} {
		g, err := New(opt)
		if err != nil {
			t.Fatal(err)
		}
		var inputs []store.Input
		for _, f := range g.Files(opt.Today) {
			inputs = append(inputs, store.Input{Path: f.Path, Data: f.Data})
		}
		l := store.Build(inputs)
		ds := validate.Run(l.Files, l.Dataset, l.Diags, validate.Options{Today: opt.Today})
		for _, d := range ds {
			t.Errorf("%s:%d:%d: [%s] %s", d.File, d.Line, d.Column, d.Check, d.Message.En)
		}
		c, p, k := g.Counts()
		if len(l.Dataset.Children) != c || len(l.Dataset.Pairings) != p || len(l.Dataset.Talks) != k {
			t.Errorf("loaded %d/%d/%d records, generated %d/%d/%d", len(l.Dataset.Children), len(l.Dataset.Pairings), len(l.Dataset.Talks), c, p, k)
		}
	}
}

// TestVariety checks that the generated data has what the issue asks for.
func TestVariety(t *testing.T) {
	g, err := New(Options{Children: 1000, Months: 10, Seed: 1, Today: record.MustDate("2026-06-30")})
	if err != nil {
		t.Fatal(err)
	}
	grades := map[int]bool{}
	for _, k := range g.classes {
		grades[k.grade] = true
	}
	if len(grades) != 6 {
		t.Errorf("grades %v, want 6", grades)
	}
	statuses := map[string]int{}
	incomplete := 0
	for _, c := range g.children {
		for _, e := range c.events {
			statuses[e.status]++
		}
		if c.noHealth || c.health == "" || c.guardian == nil || c.guardian.noPhone || !c.parents[0].workSet {
			incomplete++
		}
	}
	for _, s := range []string{record.Enrolled, record.TransferredOut, record.DroppedOut, record.Suspended} {
		if statuses[s] == 0 {
			t.Errorf("no %s event", s)
		}
	}
	if incomplete == 0 {
		t.Error("no incomplete file")
	}
	roles := map[string]int{}
	for _, p := range g.pairings {
		roles[p.role]++
	}
	for _, r := range []string{"teacher", "proxy_parent", "peer", "volunteer"} {
		if roles[r] == 0 {
			t.Errorf("no %s pairing", r)
		}
	}
	perMonth := map[string]int{}
	for _, k := range g.talks {
		perMonth[k.child+record.MonthOf(k.date).String()]++
	}
	counts := map[int]int{}
	for _, n := range perMonth {
		counts[n]++
	}
	if counts[1] == 0 || counts[2] == 0 || counts[3] == 0 || counts[4] != 0 {
		t.Errorf("talk logs per child and month: %v, want 1 to 3", counts)
	}
}

// TestDeterministic checks that the same seed writes the same files, and
// another seed other files.
func TestDeterministic(t *testing.T) {
	a, _ := New(small)
	b, _ := New(small)
	other := small
	other.Seed++
	c, _ := New(other)
	fa, fb, fc := a.Files(small.Today), b.Files(small.Today), c.Files(small.Today)
	if len(fa) != len(fb) {
		t.Fatalf("%d files, then %d", len(fa), len(fb))
	}
	for i := range fa {
		if fa[i].Path != fb[i].Path || !bytes.Equal(fa[i].Data, fb[i].Data) {
			t.Fatalf("%s differs between two runs", fa[i].Path)
		}
	}
	same := len(fa) == len(fc)
	for i := 0; same && i < len(fa); i++ {
		same = fa[i].Path == fc[i].Path && bytes.Equal(fa[i].Data, fc[i].Data)
	}
	if same {
		t.Error("another seed wrote the same repository")
	}
}

// TestCommits checks that the history's last tree is the working tree and
// that every intermediate tree is valid on its own day.
func TestCommits(t *testing.T) {
	g, _ := New(small)
	tree := map[string][]byte{}
	commits := g.Commits()
	if len(commits) < 40 {
		t.Errorf("%d commits, want one a week", len(commits))
	}
	for i, c := range commits {
		for _, f := range c.Changed {
			tree[f.Path] = f.Data
		}
		if i%10 != 5 {
			continue
		}
		var inputs []store.Input
		for p, d := range tree {
			inputs = append(inputs, store.Input{Path: p, Data: d})
		}
		l := store.Build(inputs)
		day := record.FromTime(c.When)
		for _, d := range validate.Run(l.Files, l.Dataset, l.Diags, validate.Options{Today: day}) {
			t.Errorf("commit %d (%s): %s:%d: [%s] %s", i, day, d.File, d.Line, d.Check, d.Message.En)
		}
	}
	final := g.Files(small.Today)
	if len(final) != len(tree) {
		t.Fatalf("history ends with %d files, the working tree has %d", len(tree), len(final))
	}
	for _, f := range final {
		if !bytes.Equal(tree[f.Path], f.Data) {
			t.Errorf("%s: history and working tree differ", f.Path)
		}
	}
}

func TestCheckChar(t *testing.T) {
	g, _ := New(small)
	for i := 0; i < 200; i++ {
		id := g.idNumber(record.MustDate("2016-05-12"), i%2 == 0)
		want, err := validate.IDCheckChar(id[:17])
		if err != nil || id[17] != want {
			t.Fatalf("%s: check character %c, want %c (%v)", id, id[17], want, err)
		}
	}
}
