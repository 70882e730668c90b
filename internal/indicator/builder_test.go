package indicator

import (
	"fmt"
	"math/big"
	"testing"

	"github.com/care-tool/care/internal/record"
)

// d parses a date for tests.
func d(s string) record.Date { return record.MustDate(s) }

// builder builds small datasets in Go.
type builder struct {
	ds *record.Dataset
	n  int
}

var autumn = record.Term{ID: "2026-autumn", Name: "2026年秋季学期", Start: d("2026-09-01"), End: d("2027-01-22")}

// newB returns a dataset with one autumn term, staff T01 王芳 / T02 李强 /
// T03 张敏, classes 3-2 (head T01), 4-1 (head T02) and 5-1 (no head teacher),
// school age 6-15 with cutoff 08-31, and the default rules.
func newB() *builder {
	cfg := &record.Config{
		Version:   1,
		School:    record.School{Name: "某镇中心小学"},
		Terms:     []record.Term{autumn},
		SchoolAge: record.SchoolAge{Min: 6, Max: 15, CutoffMonth: 8, CutoffDay: 31},
		Staff:     []record.Staff{{ID: "T01", Name: "王芳"}, {ID: "T02", Name: "李强"}, {ID: "T03", Name: "张敏"}},
		Classes: []record.Class{
			{ID: "3-2", Grade: 3, HeadTeacher: "T01"},
			{ID: "4-1", Grade: 4, HeadTeacher: "T02"},
			{ID: "5-1", Grade: 5},
		},
		Targets: record.Targets{},
		Rules:   record.Rules{TalksPerMonth: 1, TalkBy: "head_teacher"},
	}
	return &builder{ds: &record.Dataset{Config: cfg}}
}

func (b *builder) term(start, end string) *builder {
	b.ds.Config.Terms = []record.Term{{ID: "t", Start: d(start), End: d(end)}}
	return b
}

func (b *builder) target(id, v string) *builder {
	r, ok := new(big.Rat).SetString(v)
	if !ok {
		panic(v)
	}
	f, _ := r.Float64()
	b.ds.Config.Targets[id] = record.Target{Rat: r, Float: f}
	return b
}

// child adds a child with a complete file, left-behind since 2022-03-01,
// enrolled since 2022-09-01, in class 3-2, born 2016-05-12. Tests change the
// returned child directly.
func (b *builder) child(id string) *record.Child {
	age, yes := 68, false
	c := &record.Child{
		ID: id, Name: "孩子" + id, Gender: "male", BirthDate: d("2016-05-12"), Class: "3-2",
		Boarding: &yes, Address: "某村3组", Health: "良好",
		LeftBehind: record.LeftBehind{Since: d("2022-03-01"), Type: "both_parents"},
		Parents:    []record.Parent{{Name: "李建国", Relation: "father", Phone: "13800138000", WorkAddress: "广东东莞"}},
		Guardian: &record.Guardian{Name: "李德福", Relation: "grandfather", Age: &age, Occupation: "务农",
			Phone: "13712345678", Address: "某村3组", Health: "高血压"},
		Enrolment: []record.Event{{Date: d("2022-09-01"), Status: record.Enrolled}},
	}
	b.ds.Children = append(b.ds.Children, c)
	return c
}

// events replaces c's enrolment events; args alternate date, status.
func events(c *record.Child, args ...string) {
	c.Enrolment = nil
	for i := 0; i+1 < len(args); i += 2 {
		c.Enrolment = append(c.Enrolment, record.Event{Date: d(args[i]), Status: args[i+1]})
	}
}

func (b *builder) talk(child, date, by, kind string) {
	b.n++
	b.ds.Talks = append(b.ds.Talks, &record.Talk{
		File:  &record.File{Path: fmt.Sprintf("talks/%s/%s-%s-%d.yaml", date[:7], date, child, b.n), Kind: record.KindTalk},
		Child: child, Date: d(date), By: by, Kind: kind})
}

func (b *builder) pair(child, role, mentor, start, end string, reviews ...string) *record.Pairing {
	b.n++
	p := &record.Pairing{File: &record.File{Path: fmt.Sprintf("pairings/%s-%s-%d.yaml", child, role, b.n), Kind: record.KindPairing},
		Child: child, Role: role, Mentor: mentor, Start: d(start)}
	if end != "" {
		p.End = d(end)
	}
	for _, r := range reviews {
		p.Reviews = append(p.Reviews, record.Review{Date: d(r), Note: "ok"})
	}
	b.ds.Pairings = append(b.ds.Pairings, p)
	return p
}

// compute runs Compute for the autumn (or only) term as of asOf.
func (b *builder) compute(t *testing.T, asOf string) *Result {
	t.Helper()
	return b.computeOpt(t, Options{Term: b.ds.Config.Terms[0], AsOf: d(asOf)})
}

func (b *builder) computeOpt(t *testing.T, opt Options) *Result {
	t.Helper()
	res, err := Compute(b.ds, opt)
	if err != nil {
		t.Fatalf("Compute: %v", err)
	}
	return res
}

// get returns the indicator id of res.
func get(t *testing.T, inds []Indicator, id string) Indicator {
	t.Helper()
	for _, in := range inds {
		if in.ID == id {
			return in
		}
	}
	t.Fatalf("no indicator %q", id)
	return Indicator{}
}

// short lists the shortfall of in as "child" or "child@month".
func short(in Indicator) []string {
	var out []string
	for _, s := range in.Shortfall {
		if s.Month != "" {
			out = append(out, s.Child+"@"+s.Month)
		} else {
			out = append(out, s.Child)
		}
	}
	return out
}

// frac returns "num/den".
func frac(in Indicator) string { return fmt.Sprintf("%d/%d", in.Numerator, in.Denominator) }

// check asserts the numerator/denominator and shortfall of indicator id.
func check(t *testing.T, res *Result, id, want string, wantShort ...string) {
	t.Helper()
	in := get(t, res.Indicators, id)
	if got := frac(in); got != want {
		t.Errorf("%s = %s, want %s (shortfall %v)", id, got, want, short(in))
	}
	if got := short(in); fmt.Sprint(got) != fmt.Sprint(wantShort) && !(len(got) == 0 && len(wantShort) == 0) {
		t.Errorf("%s shortfall = %v, want %v", id, got, wantShort)
	}
}

// reason returns the shortfall reason of child (and month) in indicator id.
func reason(t *testing.T, res *Result, id, child, month string) (zh, en string) {
	t.Helper()
	for _, s := range get(t, res.Indicators, id).Shortfall {
		if s.Child == child && s.Month == month {
			return s.Reason.Zh, s.Reason.En
		}
	}
	t.Fatalf("%s: no shortfall for %s %s", id, child, month)
	return "", ""
}
