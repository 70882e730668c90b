package indicator

import (
	"fmt"
	"math/rand/v2"
	"os"
	"testing"

	"github.com/care-tool/care/internal/record"
	"github.com/care-tool/care/internal/store"
)

// spring2026 is the term the benchmarks report on, as of 2026-06-30 (five
// counted months), like bench's BenchmarkReport.
var spring2026 = record.Term{ID: "2026-spring", Start: d("2026-02-23"), End: d("2026-07-03")}

// synthDataset builds a school of n children in classes of about 45 (one in
// nine classes without a head teacher), with talk logs from 2025-09 to
// 2026-06 (about 16 a child, by the head teacher or another teacher, some
// parent contacts and home visits), enrolment histories with transfers,
// drop-outs and suspensions, and about 1.2 pairings a child. It is random
// but deterministic for a given seed.
func synthDataset(n int, seed uint64) *record.Dataset {
	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	nClasses := max(1, n/45)
	cfg := &record.Config{
		Version:   1,
		Terms:     []record.Term{{ID: "2025-autumn", Start: d("2025-09-01"), End: d("2026-01-22")}, spring2026},
		SchoolAge: record.SchoolAge{Min: 6, Max: 15, CutoffMonth: 8, CutoffDay: 31},
		Targets:   record.Targets{},
		Rules:     record.Rules{TalksPerMonth: 1, TalkBy: "head_teacher"},
	}
	for i := 0; i < nClasses+10; i++ {
		cfg.Staff = append(cfg.Staff, record.Staff{ID: fmt.Sprintf("T%03d", i), Name: fmt.Sprintf("教师%d", i)})
	}
	for i := 0; i < nClasses; i++ {
		cl := record.Class{ID: fmt.Sprintf("%d-%d", i%6+1, i/6+1), Grade: i%6 + 1, HeadTeacher: fmt.Sprintf("T%03d", i)}
		if i%9 == 8 {
			cl.HeadTeacher = ""
		}
		cfg.Classes = append(cfg.Classes, cl)
	}
	ds := &record.Dataset{Config: cfg}
	day := func(from record.Date, span int) record.Date { return from.AddDays(r.IntN(span)) }
	months := []record.Month{}
	for m := record.Month(202509); m <= 202606; m = m.Next() {
		months = append(months, m)
	}
	for i := 0; i < n; i++ {
		age, yes := 40+r.IntN(40), r.IntN(2) == 0
		cl := cfg.Classes[r.IntN(nClasses)]
		c := &record.Child{
			ID: fmt.Sprintf("%07d", 2016000+i), Name: fmt.Sprintf("孩子%d", i), Gender: "female",
			BirthDate: day(d("2010-01-01"), 365*11), Class: cl.ID, Boarding: &yes, Address: "某村", Health: "良好",
			LeftBehind: record.LeftBehind{Since: day(d("2020-01-01"), 365*6+170), Type: "one_parent"},
			Parents:    []record.Parent{{Name: "父", Relation: "father", Phone: "13800138000", WorkAddress: "广东"}},
			Guardian: &record.Guardian{Name: "祖母", Relation: "grandmother", Age: &age, Occupation: "务农",
				Phone: "13712345678", Address: "某村", Health: "良好"},
			Support: record.Support{Priority: r.IntN(8) == 0, Poor: r.IntN(10) == 0, Struggling: r.IntN(10) == 0},
		}
		switch r.IntN(40) {
		case 0:
			c.Guardian.Phone = ""
		case 1:
			c.Parents[0].WorkAddress = " "
		case 2:
			c.Class = ""
		case 3:
			c.Guardian = nil
		}
		if r.IntN(12) == 0 {
			c.LeftBehind.Until = day(d("2025-09-01"), 300)
		}
		c.Enrolment = []record.Event{{Date: day(d("2016-09-01"), 365*9), Status: record.Enrolled}}
		switch r.IntN(30) {
		case 0:
			c.Enrolment = append(c.Enrolment, record.Event{Date: day(d("2026-03-01"), 100), Status: record.TransferredOut, School: "某校"})
		case 1:
			c.Enrolment = append(c.Enrolment, record.Event{Date: day(d("2025-10-01"), 200), Status: record.DroppedOut})
		case 2:
			s := day(d("2025-10-01"), 150)
			c.Enrolment = append(c.Enrolment, record.Event{Date: s, Status: record.Suspended}, record.Event{Date: s.AddDays(40), Status: record.Enrolled})
		case 3:
			c.Enrolment = nil
		}
		ds.Children = append(ds.Children, c)
		for _, m := range months {
			if r.IntN(20) == 0 {
				continue // a missed month
			}
			by := cl.HeadTeacher
			if by == "" || r.IntN(15) == 0 {
				by = cfg.Staff[nClasses+r.IntN(10)].ID
			}
			span := record.DaysIn(m.Year(), m.Month())
			ds.Talks = append(ds.Talks, &record.Talk{Child: c.ID, Date: day(m.First(), span), By: by, Kind: record.TalkTalk})
			if r.IntN(8) != 0 {
				ds.Talks = append(ds.Talks, &record.Talk{Child: c.ID, Date: day(m.First(), span), By: by, Kind: record.TalkParentContact})
			}
			if r.IntN(30) == 0 {
				ds.Talks = append(ds.Talks, &record.Talk{Child: c.ID, Date: day(m.First(), span), By: by, Kind: record.TalkHomeVisit})
			}
		}
		for r.IntN(5) < 3 {
			p := &record.Pairing{Child: c.ID, Role: []string{"teacher", "peer", "proxy_parent", "volunteer"}[r.IntN(4)],
				Mentor: cfg.Staff[r.IntN(len(cfg.Staff))].ID, Start: day(d("2025-09-01"), 300)}
			if r.IntN(4) == 0 {
				p.End = p.Start.AddDays(r.IntN(200))
			}
			ds.Pairings = append(ds.Pairings, p)
		}
	}
	// Talk logs come in path order (month folders), not child order.
	r.Shuffle(len(ds.Talks), func(i, j int) { ds.Talks[i], ds.Talks[j] = ds.Talks[j], ds.Talks[i] })
	return ds
}

// BenchmarkCompute computes a report at 5,000 children and about 80,000
// talk logs, like a warm care report on bench's L repository.
func BenchmarkCompute(b *testing.B) {
	ds := synthDataset(5000, 1)
	b.Logf("%d children, %d talk logs, %d pairings", len(ds.Children), len(ds.Talks), len(ds.Pairings))
	opt := Options{Term: spring2026, AsOf: d("2026-06-30")}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Compute(ds, opt); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkComputeRepo computes the report of the repository in
// CARE_INDICATOR_BENCH_REPO (e.g. one made by go run ./bench/gen) for the
// term containing CARE_TODAY (default 2026-06-30), as of that day.
func BenchmarkComputeRepo(b *testing.B) {
	root := os.Getenv("CARE_INDICATOR_BENCH_REPO")
	if root == "" {
		b.Skip("CARE_INDICATOR_BENCH_REPO is not set")
	}
	l, err := store.LoadDir(root)
	if err != nil {
		b.Fatal(err)
	}
	today := d("2026-06-30")
	if v := os.Getenv("CARE_TODAY"); v != "" {
		today = d(v)
	}
	term, ok := DefaultTerm(l.Dataset.Config, today)
	if !ok {
		b.Fatal("no term")
	}
	opt := Options{Term: term, AsOf: today}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Compute(l.Dataset, opt); err != nil {
			b.Fatal(err)
		}
	}
}
