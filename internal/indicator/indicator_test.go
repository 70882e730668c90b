package indicator

import (
	"math/big"
	"strings"
	"testing"

	"github.com/care-tool/care/internal/record"
)

func TestIDsAndNames(t *testing.T) {
	res := newB().compute(t, "2026-11-30")
	want := []string{"filing", "enrolment", "retention", "talks", "parent_contact", "mentoring", "peer_help"}
	if len(res.Indicators) != len(want) {
		t.Fatalf("got %d indicators", len(res.Indicators))
	}
	wantNames := []string{"建档率/Filing", "入学率/Enrolment", "巩固率/Retention", "谈心覆盖率/Monthly talks",
		"家长联系反馈率/Parent contact", "重点帮扶结对率/Priority mentoring", "学习帮手覆盖率/Peer study helpers"}
	for i, in := range res.Indicators {
		if in.ID != want[i] {
			t.Errorf("indicator %d = %s, want %s", i, in.ID, want[i])
		}
		if got := in.Name.Zh + "/" + in.Name.En; got != wantNames[i] {
			t.Errorf("name of %s = %s, want %s", in.ID, got, wantNames[i])
		}
	}
}

// TestResponsibility covers LB, enrolment status, gone and R(x) for one child
// as of 2026-11-30 in the autumn term (start 2026-09-01).
func TestResponsibility(t *testing.T) {
	tests := []struct {
		name  string
		setup func(c *record.Child)
		want  map[string]string // indicator id -> num/den
		why   map[string]string // indicator id -> English reason of the shortfall
	}{
		{"plain", func(c *record.Child) {},
			map[string]string{Filing: "1/1", Enrolment: "1/1", Retention: "1/1", Mentoring: "0/0", PeerHelp: "0/1"}, nil},
		{"identified during the term", func(c *record.Child) { c.LeftBehind.Since = d("2026-10-01") },
			map[string]string{Filing: "1/1", Enrolment: "1/1", Retention: "0/0", PeerHelp: "0/1"}, nil},
		{"identified on the term start", func(c *record.Child) { c.LeftBehind.Since = d("2026-09-01") },
			map[string]string{Filing: "1/1", Retention: "1/1"}, nil},
		{"identified after END", func(c *record.Child) { c.LeftBehind.Since = d("2026-12-01") },
			map[string]string{Filing: "0/0", Enrolment: "0/0", Retention: "0/0", PeerHelp: "0/0"}, nil},
		{"parent came home before END", func(c *record.Child) { c.LeftBehind.Until = d("2026-10-15") },
			map[string]string{Filing: "0/0", Enrolment: "0/0", Retention: "1/1", PeerHelp: "0/0"}, nil},
		{"parent came home on END", func(c *record.Child) { c.LeftBehind.Until = d("2026-11-30") },
			map[string]string{Filing: "0/0", Enrolment: "0/0", PeerHelp: "0/0"}, nil},
		{"parent comes home after END", func(c *record.Child) { c.LeftBehind.Until = d("2026-12-01") },
			map[string]string{Filing: "1/1", Enrolment: "1/1", Retention: "1/1", PeerHelp: "0/1"}, nil},
		{"transferred out during the term", func(c *record.Child) {
			events(c, "2022-09-01", record.Enrolled, "2026-10-15", record.TransferredOut)
		}, map[string]string{Filing: "0/0", Enrolment: "0/0", Retention: "0/0", PeerHelp: "0/0"}, nil},
		{"transferred out after END", func(c *record.Child) {
			events(c, "2022-09-01", record.Enrolled, "2026-12-05", record.TransferredOut)
		}, map[string]string{Filing: "1/1", Enrolment: "1/1", Retention: "1/1"}, nil},
		{"transferred in during the term", func(c *record.Child) {
			c.Enrolment = []record.Event{{Date: d("2026-10-08"), Status: record.Enrolled, From: "某村小学"}}
		}, map[string]string{Filing: "1/1", Enrolment: "1/1", Retention: "0/0", PeerHelp: "0/1"}, nil},
		{"graduated before the term", func(c *record.Child) {
			events(c, "2020-09-01", record.Enrolled, "2026-07-01", record.Graduated)
		}, map[string]string{Filing: "0/0", Enrolment: "0/0", Retention: "0/0", PeerHelp: "0/0"}, nil},
		{"died during the term", func(c *record.Child) {
			events(c, "2022-09-01", record.Enrolled, "2026-10-20", record.Deceased)
		}, map[string]string{Filing: "0/0", Enrolment: "0/0", Retention: "0/0", PeerHelp: "0/0"}, nil},
		{"suspended", func(c *record.Child) {
			events(c, "2022-09-01", record.Enrolled, "2026-10-01", record.Suspended)
		}, map[string]string{Filing: "1/1", Enrolment: "0/1", Retention: "0/1", PeerHelp: "0/0", Mentoring: "0/0"},
			map[string]string{Enrolment: "suspended since 2026-10-01", Retention: "suspended since 2026-10-01"}},
		{"dropped out", func(c *record.Child) {
			events(c, "2022-09-01", record.Enrolled, "2026-10-12", record.DroppedOut)
		}, map[string]string{Filing: "1/1", Enrolment: "0/1", Retention: "0/1", PeerHelp: "0/0"},
			map[string]string{Enrolment: "dropped out on 2026-10-12", Retention: "dropped out on 2026-10-12"}},
		{"dropped out and re-enrolled", func(c *record.Child) {
			events(c, "2022-09-01", record.Enrolled, "2026-10-12", record.DroppedOut, "2026-11-02", record.Enrolled)
		}, map[string]string{Filing: "1/1", Enrolment: "1/1", Retention: "1/1", PeerHelp: "0/1"}, nil},
		{"dropped out before the term", func(c *record.Child) {
			events(c, "2022-09-01", record.Enrolled, "2026-06-12", record.DroppedOut)
		}, map[string]string{Filing: "1/1", Enrolment: "0/1", Retention: "0/0"}, nil},
		{"no enrolment events", func(c *record.Child) { c.Enrolment = nil },
			map[string]string{Filing: "1/1", Enrolment: "0/1", Retention: "0/0", PeerHelp: "0/0", Talks: "0/0"},
			map[string]string{Enrolment: "not enrolled (no enrolment event on or before 2026-11-30)"}},
		{"enrolment only after END", func(c *record.Child) { events(c, "2026-12-01", record.Enrolled) },
			map[string]string{Filing: "1/1", Enrolment: "0/1", Retention: "0/0"}, nil},
		{"incomplete file", func(c *record.Child) { c.Guardian.Phone = "" },
			map[string]string{Filing: "0/1"}, map[string]string{Filing: "guardian.phone is missing"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := newB()
			c := b.child("2024031")
			tt.setup(c)
			res := b.compute(t, "2026-11-30")
			for id, want := range tt.want {
				if got := frac(get(t, res.Indicators, id)); got != want {
					t.Errorf("%s = %s, want %s", id, got, want)
				}
			}
			for id, want := range tt.why {
				if _, en := reason(t, res, id, "2024031", ""); en != want {
					t.Errorf("%s reason = %q, want %q", id, en, want)
				}
			}
		})
	}
}

func TestStatusReasonsZh(t *testing.T) {
	b := newB()
	events(b.child("a"), "2022-09-01", record.Enrolled, "2026-10-12", record.DroppedOut)
	events(b.child("b"), "2022-09-01", record.Enrolled, "2026-10-01", record.Suspended)
	b.child("c").Enrolment = nil
	res := b.compute(t, "2026-11-30")
	for child, want := range map[string]string{"a": "2026-10-12 辍学", "b": "2026-10-01 起休学", "c": "未入学（2026-11-30 及之前无入学记录）"} {
		if zh, _ := reason(t, res, Enrolment, child, ""); zh != want {
			t.Errorf("%s: %q, want %q", child, zh, want)
		}
	}
}

func TestRefDay(t *testing.T) {
	aug31 := record.SchoolAge{Min: 6, Max: 15, CutoffMonth: 8, CutoffDay: 31}
	feb29 := record.SchoolAge{Min: 6, Max: 15, CutoffMonth: 2, CutoffDay: 29}
	tests := []struct {
		sa    record.SchoolAge
		start string
		want  string
	}{
		{aug31, "2026-09-01", "2026-08-31"},
		{aug31, "2026-08-31", "2026-08-31"},
		{aug31, "2026-08-30", "2025-08-31"},
		{aug31, "2026-02-23", "2025-08-31"},
		{feb29, "2027-03-01", "2027-02-28"},
		{feb29, "2027-02-28", "2027-02-28"},
		{feb29, "2027-02-27", "2026-02-28"},
		{feb29, "2028-03-01", "2028-02-29"},
		{feb29, "2028-02-28", "2027-02-28"},
		{record.SchoolAge{}, "2026-09-01", "2026-08-31"},
	}
	for _, tt := range tests {
		if got := RefDay(tt.sa, d(tt.start)); got != d(tt.want) {
			t.Errorf("RefDay(%02d-%02d, %s) = %s, want %s", tt.sa.CutoffMonth, tt.sa.CutoffDay, tt.start, got, tt.want)
		}
	}
}

func TestAgeOn(t *testing.T) {
	tests := []struct {
		birth, on string
		want      int
	}{
		{"2020-08-31", "2026-08-31", 6},
		{"2020-09-01", "2026-08-31", 5},
		{"2020-08-30", "2026-08-31", 6},
		{"2010-08-31", "2026-08-31", 16},
		{"2010-09-01", "2026-08-31", 15},
		{"2016-02-29", "2027-02-28", 10},
		{"2016-02-29", "2027-03-01", 11},
		{"2016-02-29", "2028-02-29", 12},
		{"2026-09-01", "2026-08-31", -1},
	}
	for _, tt := range tests {
		if got := AgeOn(d(tt.birth), d(tt.on)); got != tt.want {
			t.Errorf("AgeOn(%s, %s) = %d, want %d", tt.birth, tt.on, got, tt.want)
		}
	}
	if got := AgeOn(0, d("2026-08-31")); got != -1 {
		t.Errorf("AgeOn(no birth date) = %d, want -1", got)
	}
}

// TestSchoolAge checks the enrolment denominator at the age edges.
func TestSchoolAge(t *testing.T) {
	tests := []struct {
		name       string
		start, end string
		birth      string
		want       string
	}{
		{"turns 6 on REF", "2026-09-01", "2027-01-22", "2020-08-31", "1/1"},
		{"turns 6 the day after REF", "2026-09-01", "2027-01-22", "2020-09-01", "0/0"},
		{"turned 6 the day before REF", "2026-09-01", "2027-01-22", "2020-08-30", "1/1"},
		{"turns 16 on REF", "2026-09-01", "2027-01-22", "2010-08-31", "0/0"},
		{"turns 16 the day after REF", "2026-09-01", "2027-01-22", "2010-09-01", "1/1"},
		{"turned 16 the day before REF", "2026-09-01", "2027-01-22", "2010-08-30", "0/0"},
		{"term starts on the cutoff", "2026-08-31", "2027-01-22", "2020-08-31", "1/1"},
		{"spring term: REF in the year before", "2026-02-23", "2026-07-10", "2019-08-31", "1/1"},
		{"spring term: 6 at the start but not on REF", "2026-02-23", "2026-07-10", "2019-09-01", "0/0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := newB().term(tt.start, tt.end)
			b.child("x").BirthDate = d(tt.birth)
			res := b.compute(t, tt.start)
			if got := frac(get(t, res.Indicators, Enrolment)); got != tt.want {
				t.Errorf("enrolment = %s, want %s (REF %s)", got, tt.want, res.Ref)
			}
			if got := frac(get(t, res.Indicators, Filing)); got != "1/1" {
				t.Errorf("filing = %s, want 1/1 whatever the age", got)
			}
		})
	}
}

func TestTalksMonthBoundaries(t *testing.T) {
	// The term starts mid-month: a talk on 2026-09-10 does not count for September.
	build := func() *builder {
		b := newB().term("2026-09-15", "2027-01-22")
		b.child("a")
		b.child("b")
		b.child("c")
		b.talk("a", "2026-09-10", "T01", record.TalkTalk) // before the term start
		b.talk("a", "2026-10-01", "T01", record.TalkTalk) // first day of the month
		b.talk("b", "2026-09-15", "T01", record.TalkTalk) // term start
		b.talk("b", "2026-10-31", "T01", record.TalkTalk) // last day of the month
		b.talk("c", "2026-09-30", "T01", record.TalkTalk) // last day of September
		return b
	}
	tests := []struct {
		asOf   string
		want   string
		short  []string
		months []string
	}{
		{"2026-10-31", "4/6", []string{"a@2026-09", "c@2026-10"}, []string{"2026-09", "2026-10"}},
		{"2026-11-29", "4/6", []string{"a@2026-09", "c@2026-10"}, []string{"2026-09", "2026-10"}}, // November not over
		{"2026-10-30", "2/3", []string{"a@2026-09"}, []string{"2026-09"}},                         // 30th of a 31-day month
		{"2026-09-30", "2/3", []string{"a@2026-09"}, []string{"2026-09"}},                         // last day of a 30-day month
		{"2026-09-29", "0/0", nil, nil},
		{"2026-09-15", "0/0", nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.asOf, func(t *testing.T) {
			res := build().compute(t, tt.asOf)
			check(t, res, Talks, tt.want, tt.short...)
			var months []string
			for _, m := range res.Months {
				months = append(months, m.Month)
			}
			if strings.Join(months, ",") != strings.Join(tt.months, ",") {
				t.Errorf("months = %v, want %v", months, tt.months)
			}
		})
	}
}

func TestTalksTermEndingMidMonth(t *testing.T) {
	b := newB() // 2026-09-01 .. 2027-01-22
	b.child("a")
	for _, m := range []string{"2026-09-10", "2026-10-10", "2026-11-10", "2026-12-10", "2027-01-20"} {
		b.talk("a", m, "T01", record.TalkTalk)
	}
	b.child("b")
	for _, m := range []string{"2026-09-10", "2026-10-10", "2026-11-10", "2026-12-10", "2027-01-25"} {
		b.talk("b", m, "T01", record.TalkTalk) // January's talk is after the term end
	}
	res := b.compute(t, "2027-01-22")
	check(t, res, Talks, "9/10", "b@2027-01")
	if n := len(res.Months); n != 5 || res.Months[4].Ref != d("2027-01-22") {
		t.Errorf("months = %+v, want 5 ending with ref 2027-01-22", res.Months)
	}
	res = b.compute(t, "2027-01-21")
	check(t, res, Talks, "8/8")
	res = b.compute(t, "2027-02-10") // in the holidays: END = term end
	check(t, res, Talks, "9/10", "b@2027-01")
	if res.End != d("2027-01-22") {
		t.Errorf("END = %s", res.End)
	}
}

func TestTalksOwed(t *testing.T) {
	b := newB()
	b.child("late").LeftBehind.Since = d("2026-10-15")                                         // owed from October
	b.child("home").LeftBehind.Until = d("2026-10-20")                                         // owed in September only
	events(b.child("out"), "2022-09-01", record.Enrolled, "2026-10-10", record.TransferredOut) // September only
	events(b.child("susp"), "2022-09-01", record.Enrolled, "2026-10-01", record.Suspended)     // September only
	b.child("none").Enrolment = nil                                                            // never owed
	res := b.compute(t, "2026-10-31")
	check(t, res, Talks, "0/4", "home@2026-09", "late@2026-10", "out@2026-09", "susp@2026-09")
	check(t, res, ParentContact, "0/4", "home@2026-09", "late@2026-10", "out@2026-09", "susp@2026-09")
}

func TestTalksRules(t *testing.T) {
	t.Run("talks_per_month 2", func(t *testing.T) {
		b := newB()
		b.ds.Config.Rules.TalksPerMonth = 2
		b.child("one")
		b.child("two")
		b.talk("one", "2026-10-05", "T01", record.TalkTalk)
		b.talk("two", "2026-10-05", "T01", record.TalkTalk)
		b.talk("two", "2026-10-20", "T01", record.TalkTalk)
		res := b.computeOpt(t, Options{Term: record.Term{ID: "x", Start: d("2026-10-01"), End: d("2026-10-31")}, AsOf: d("2026-10-31")})
		check(t, res, Talks, "1/2", "one@2026-10")
		zh, en := reason(t, res, Talks, "one", "2026-10")
		if en != "only 1 of 2 talk logs by 王芳 in 2026-10" || zh != "2026-10 班主任王芳的谈心记录仅1次（应至少2次）" {
			t.Errorf("reason = %q / %q", zh, en)
		}
	})
	build := func(by string) *builder {
		b := newB()
		b.ds.Config.Rules.TalkBy = by
		b.child("a")                                      // 3-2, head teacher T01
		b.talk("a", "2026-09-05", "T02", record.TalkTalk) // another teacher
		b.talk("a", "2026-10-05", "T01", record.TalkTalk) // the head teacher
		b.child("e").Class = "5-1"                        // no head teacher
		b.talk("e", "2026-09-05", "T03", record.TalkTalk) // any staff
		b.talk("e", "2026-10-05", "T03", record.TalkTalk) // any staff
		b.talk("a", "2026-09-06", "T01", record.TalkParentContact)
		b.talk("a", "2026-10-06", "T02", record.TalkParentContact)
		return b
	}
	t.Run("head_teacher", func(t *testing.T) {
		res := build("head_teacher").compute(t, "2026-10-31")
		check(t, res, Talks, "1/4", "a@2026-09", "e@2026-09", "e@2026-10")
		check(t, res, ParentContact, "2/4", "e@2026-09", "e@2026-10")
		zh, en := reason(t, res, Talks, "a", "2026-09")
		if en != "no talk log by 王芳 in 2026-09 (1 by other staff does not count)" ||
			zh != "2026-09 无班主任王芳的谈心记录（其他教师的1次不计入）" {
			t.Errorf("reason = %q / %q", zh, en)
		}
		zh, en = reason(t, res, Talks, "e", "2026-10")
		if en != "class 5-1 has no head teacher: no talk log can count in 2026-10" || !strings.Contains(zh, "未设班主任") {
			t.Errorf("reason = %q / %q", zh, en)
		}
	})
	t.Run("any_staff", func(t *testing.T) {
		res := build("any_staff").compute(t, "2026-10-31")
		check(t, res, Talks, "4/4")
	})
	t.Run("any_staff reason", func(t *testing.T) {
		b := newB()
		b.ds.Config.Rules.TalkBy = "any_staff"
		b.child("a")
		res := b.compute(t, "2026-09-30")
		zh, en := reason(t, res, Talks, "a", "2026-09")
		if en != "no talk log in 2026-09" || zh != "2026-09 无谈心记录" {
			t.Errorf("reason = %q / %q", zh, en)
		}
	})
}

func TestTalkKinds(t *testing.T) {
	b := newB()
	b.child("talk")
	b.talk("talk", "2026-09-05", "T01", record.TalkTalk)
	b.child("contact")
	b.talk("contact", "2026-09-05", "T01", record.TalkParentContact)
	b.child("visit")
	b.talk("visit", "2026-09-05", "T01", record.TalkHomeVisit)
	b.child("other").Class = "4-1"
	b.talk("other", "2026-09-05", "T01", record.TalkParentContact) // any staff may contact the parents
	res := b.compute(t, "2026-09-30")
	check(t, res, Talks, "1/4", "contact@2026-09", "visit@2026-09", "other@2026-09")
	check(t, res, ParentContact, "2/4", "talk@2026-09", "visit@2026-09")
	zh, en := reason(t, res, ParentContact, "talk", "2026-09")
	if en != "no parent contact in 2026-09" || zh != "2026-09 无家长联系反馈记录" {
		t.Errorf("reason = %q / %q", zh, en)
	}
	zh, en = reason(t, res, Talks, "contact", "2026-09")
	if en != "no talk log by 王芳 in 2026-09" || zh != "2026-09 无班主任王芳的谈心记录" {
		t.Errorf("reason = %q / %q", zh, en)
	}
	if m := res.Months[0]; m.Talks.Numerator != 1 || m.Talks.Denominator != 4 || m.ParentContact.Numerator != 2 || *m.ParentContact.Rate != 0.5 {
		t.Errorf("month = %+v", m)
	}
}

func TestPairings(t *testing.T) {
	b := newB()
	b.child("p1").Support.Priority = true
	b.pair("p1", "teacher", "T01", "2026-09-05", "2026-11-28") // ends on END: active
	b.child("p2").Support.Poor = true
	b.pair("p2", "teacher", "T01", "2026-09-05", "2026-11-27") // ended the day before END
	b.child("p3").Support.Struggling = true
	b.pair("p3", "teacher", "T01", "2026-11-29", "") // starts after END
	b.child("p4")
	b.pair("p4", "teacher", "T01", "2026-09-05", "") // not a priority child
	b.child("p5").Support.Priority = true
	b.pair("p5", "peer", "小红", "2026-11-28", "") // starts on END
	p6 := b.child("p6")
	p6.Support.Priority = true
	events(p6, "2022-09-01", record.Enrolled, "2026-10-01", record.Suspended) // not enrolled on END
	b.child("p7").LeftBehind.Until = d("2026-11-01")                          // no longer left-behind
	res := b.compute(t, "2026-11-28")
	check(t, res, Mentoring, "1/4", "p2", "p3", "p5")
	check(t, res, PeerHelp, "1/5", "p1", "p2", "p3", "p4")
	zh, en := reason(t, res, Mentoring, "p2", "")
	if en != "no active teacher pairing on 2026-11-28" || zh != "2026-11-28 无有效的帮扶教师结对" {
		t.Errorf("reason = %q / %q", zh, en)
	}
	if _, en := reason(t, res, PeerHelp, "p1", ""); en != "no active peer helper on 2026-11-28" {
		t.Errorf("reason = %q", en)
	}
}

func TestZeroDenominators(t *testing.T) {
	res := newB().compute(t, "2026-11-30")
	for _, in := range res.Indicators {
		if in.Numerator != 0 || in.Denominator != 0 || in.Rate != nil || !in.Met || len(in.Shortfall) != 0 {
			t.Errorf("%s = %+v, want 0/0, nil rate, met", in.ID, in)
		}
	}
	if len(res.ByClass) != 3 {
		t.Errorf("ByClass has %d classes, want 3", len(res.ByClass))
	}
}

func TestMet(t *testing.T) {
	rat := func(s string) *big.Rat {
		r, _ := new(big.Rat).SetString(s)
		return r
	}
	tests := []struct {
		num, den int
		target   string
		want     bool
	}{
		{299, 300, "1.0", false},
		{300, 300, "1.0", true},
		{285, 300, "0.95", true},
		{284, 300, "0.95", false},
		{0, 0, "1", true},
		{0, 5, "0", true},
		{1, 3, "0.3333", true},
		{1, 3, "0.3334", false},
	}
	for _, tt := range tests {
		if got := Met(tt.num, tt.den, rat(tt.target)); got != tt.want {
			t.Errorf("Met(%d, %d, %s) = %v, want %v", tt.num, tt.den, tt.target, got, tt.want)
		}
	}
	if !Met(1, 1, nil) || Met(0, 1, nil) {
		t.Error("a nil target is 1")
	}
}

func TestTargetsThroughCompute(t *testing.T) {
	build := func(incomplete int) *builder {
		b := newB()
		for i := 0; i < 300; i++ {
			c := b.child(record.NewDate(2000, 1, 1).AddDays(i).String())
			if i < incomplete {
				c.Health = " "
			}
		}
		return b
	}
	res := build(1).compute(t, "2026-09-30")
	f := get(t, res.Indicators, Filing)
	if frac(f) != "299/300" || f.Met {
		t.Errorf("299/300 with target 1: %s met=%v", frac(f), f.Met)
	}
	res = build(15).target(Filing, "0.95").compute(t, "2026-09-30")
	f = get(t, res.Indicators, Filing)
	if frac(f) != "285/300" || !f.Met || f.Target.Float != 0.95 || *f.Rate != 0.95 {
		t.Errorf("285/300 with target 0.95: %s met=%v rate=%v", frac(f), f.Met, *f.Rate)
	}
	res = build(16).target(Filing, "0.95").compute(t, "2026-09-30")
	if f = get(t, res.Indicators, Filing); f.Met {
		t.Errorf("284/300 with target 0.95 is met")
	}
	if e := get(t, res.Indicators, Enrolment); !e.Met || e.Target.Float != 1 {
		t.Errorf("enrolment target = %v", e.Target.Float)
	}
}

func TestComplete(t *testing.T) {
	tests := []struct {
		name  string
		setup func(c *record.Child)
		want  string
	}{
		{"complete", func(c *record.Child) {}, ""},
		{"whitespace only", func(c *record.Child) { c.Name = "  \t"; c.Guardian.Phone = "\u3000" }, "name,guardian.phone"},
		{"no birth date", func(c *record.Child) { c.BirthDate = 0 }, "birth_date"},
		{"top level", func(c *record.Child) { c.Gender, c.Class, c.Address, c.Health = "", "", "", "\n" },
			"gender,class,address,health"},
		{"no parents", func(c *record.Child) { c.Parents = nil }, "parents"},
		{"second parent", func(c *record.Child) {
			c.Parents = append(c.Parents, record.Parent{Name: "王丽", Relation: "mother", Phone: "13800138001"})
		}, "parents[1].work_address"},
		{"blank parent", func(c *record.Child) { c.Parents = []record.Parent{{}} },
			"parents[0].name,parents[0].relation,parents[0].phone,parents[0].work_address"},
		{"no guardian", func(c *record.Child) { c.Guardian = nil }, "guardian"},
		{"guardian fields", func(c *record.Child) {
			c.Guardian = &record.Guardian{Name: "李德福"}
		}, "guardian.relation,guardian.phone,guardian.address,guardian.occupation,guardian.age,guardian.health"},
		{"employer and id number are optional", func(c *record.Child) { c.IDNumber = ""; c.Parents[0].Employer = "" }, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newB().child("x")
			tt.setup(c)
			if got := strings.Join(Complete(c), ","); got != tt.want {
				t.Errorf("Complete = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestFilingReason(t *testing.T) {
	b := newB()
	c := b.child("a")
	c.Guardian.Phone = "   "
	c2 := b.child("b")
	c2.Guardian.Phone = ""
	c2.Parents[0].WorkAddress = ""
	res := b.compute(t, "2026-09-30")
	check(t, res, Filing, "0/2", "a", "b")
	zh, en := reason(t, res, Filing, "a", "")
	if en != "guardian.phone is missing" || zh != "监护人电话（guardian.phone）未填写" {
		t.Errorf("reason = %q / %q", zh, en)
	}
	zh, en = reason(t, res, Filing, "b", "")
	if en != "parents[0].work_address, guardian.phone are missing" ||
		zh != "第1位父母务工地址（parents[0].work_address）、监护人电话（guardian.phone）未填写" {
		t.Errorf("reason = %q / %q", zh, en)
	}
}

func TestClassFilterAndByClass(t *testing.T) {
	b := newB()
	b.child("a") // 3-2
	b.child("b").Class = "4-1"
	b.child("c").Class = "4-1"
	b.child("d").Class = "9-9" // unknown class
	b.child("e").Class = ""    // no class (its file is incomplete)
	res := b.compute(t, "2026-09-30")
	check(t, res, Filing, "4/5", "e")
	var classes []string
	for _, cr := range res.ByClass {
		classes = append(classes, cr.Class+"="+frac(get(t, cr.Indicators, Filing)))
	}
	if got := strings.Join(classes, " "); got != "3-2=1/1 4-1=2/2 5-1=0/0 =1/2" {
		t.Errorf("ByClass = %s", got)
	}
	if cr := res.ByClass[0]; cr.HeadTeacher != "T01" || cr.HeadTeacherName != "王芳" || cr.Grade != 3 {
		t.Errorf("class 3-2 = %+v", cr)
	}

	res = b.computeOpt(t, Options{Term: autumn, AsOf: d("2026-09-30"), Class: "4-1"})
	check(t, res, Filing, "2/2")
	check(t, res, Talks, "0/2", "b@2026-09", "c@2026-09")
	if len(res.ByClass) != 1 || res.ByClass[0].Class != "4-1" {
		t.Errorf("ByClass = %+v", res.ByClass)
	}
	if res.Summary.Total != 2 {
		t.Errorf("summary total = %d", res.Summary.Total)
	}
	if _, err := Compute(b.ds, Options{Term: autumn, AsOf: d("2026-09-30"), Class: "9-9"}); err == nil {
		t.Error("an unknown class is not an error")
	}

	// No child without a class: no "" class.
	b = newB()
	b.child("a")
	res = b.compute(t, "2026-09-30")
	if n := len(res.ByClass); n != 3 || res.ByClass[2].Class != "5-1" {
		t.Errorf("ByClass = %+v", res.ByClass)
	}
}

func TestShortfallOrder(t *testing.T) {
	b := newB()
	b.child("z").Class = "3-2"
	b.child("b").Class = "4-1"
	b.child("a").Class = "4-1"
	res := b.compute(t, "2026-10-31")
	check(t, res, Talks, "0/6", "z@2026-09", "z@2026-10", "a@2026-09", "a@2026-10", "b@2026-09", "b@2026-10")
	s := get(t, res.Indicators, Talks).Shortfall[0]
	if s.Name != "孩子z" || s.Class != "3-2" {
		t.Errorf("shortfall = %+v", s)
	}
}

func TestSummary(t *testing.T) {
	b := newB()
	b.child("a")
	c := b.child("b")
	c.Class, c.Boarding, c.LeftBehind.Type = "4-1", nil, "one_parent"
	c.Guardian.Relation = "grandmother"
	events(c, "2022-09-01", record.Enrolled, "2026-09-10", record.Suspended)
	c = b.child("c")
	c.Class, c.Guardian, c.Enrolment = "", nil, nil
	yes := true
	c.Boarding = &yes
	events(b.child("gone"), "2022-09-01", record.Enrolled, "2026-09-10", record.TransferredOut)
	b.child("home").LeftBehind.Until = d("2026-09-10")
	res := b.compute(t, "2026-09-30")
	s := res.Summary
	str := func(cs []Count) string {
		var out []string
		for _, c := range cs {
			out = append(out, c.Key+":"+string(rune('0'+c.Count)))
		}
		return strings.Join(out, " ")
	}
	for name, tt := range map[string][2]string{
		"grade":    {str(s.ByGrade), "3:1 4:1 :1"},
		"class":    {str(s.ByClass), "3-2:1 4-1:1 :1"},
		"boarding": {str(s.Boarding), "yes:1 no:1 unknown:1"},
		"type":     {str(s.LeftBehindType), "both_parents:2 one_parent:1"},
		"guardian": {str(s.GuardianRelation), "grandfather:1 grandmother:1 :1"},
		"status":   {str(s.Status), "enrolled:1 suspended:1 :1"},
	} {
		if tt[0] != tt[1] {
			t.Errorf("%s = %q, want %q", name, tt[0], tt[1])
		}
	}
	if s.Total != 3 {
		t.Errorf("total = %d", s.Total)
	}
}

func TestComputeErrors(t *testing.T) {
	b := newB()
	b.child("a")
	if _, err := Compute(b.ds, Options{Term: autumn, AsOf: d("2026-08-31")}); err == nil {
		t.Error("AsOf before the term start is not an error")
	} else if e, ok := err.(*Error); !ok || e.Msg.Zh == "" {
		t.Errorf("error %v is not a bilingual *Error", err)
	}
	if _, err := Compute(b.ds, Options{Term: autumn}); err == nil {
		t.Error("no AsOf is not an error")
	}
	if _, err := Compute(b.ds, Options{Term: record.Term{ID: "bad", Start: d("2026-09-01")}, AsOf: d("2026-09-30")}); err == nil {
		t.Error("a term without an end is not an error")
	}
	if _, err := Compute(nil, Options{Term: autumn, AsOf: d("2026-09-30")}); err == nil {
		t.Error("a nil dataset is not an error")
	}
	if _, err := Compute(&record.Dataset{}, Options{Term: autumn, AsOf: d("2026-09-30")}); err == nil {
		t.Error("a dataset without care.yaml is not an error")
	}
	res, err := Compute(b.ds, Options{Term: autumn, AsOf: autumn.Start})
	if err != nil || res.End != autumn.Start || len(res.Months) != 0 {
		t.Errorf("AsOf on the term start: %v %+v", err, res)
	}
}

func TestDefaultTerm(t *testing.T) {
	cfg := &record.Config{Terms: []record.Term{
		{ID: "2026-spring", Start: d("2026-02-23"), End: d("2026-07-10")},
		{ID: "2026-autumn", Start: d("2026-09-01"), End: d("2027-01-22")},
		{ID: "2027-spring", Start: d("2027-02-22"), End: d("2027-07-09")},
	}}
	tests := []struct {
		today string
		want  string
	}{
		{"2026-10-01", "2026-autumn"},
		{"2026-09-01", "2026-autumn"},
		{"2027-01-22", "2026-autumn"},
		{"2027-02-10", "2026-autumn"}, // holidays after the autumn term
		{"2026-08-01", "2026-spring"},
		{"2027-02-22", "2027-spring"},
		{"2030-01-01", "2027-spring"},
		{"2026-02-22", ""}, // before any term
	}
	for _, tt := range tests {
		got, ok := DefaultTerm(cfg, d(tt.today))
		if ok != (tt.want != "") || got.ID != tt.want {
			t.Errorf("DefaultTerm(%s) = %q, %v; want %q", tt.today, got.ID, ok, tt.want)
		}
	}
	if _, ok := DefaultTerm(nil, d("2026-10-01")); ok {
		t.Error("DefaultTerm(nil) found a term")
	}
}
