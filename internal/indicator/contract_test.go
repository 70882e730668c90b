package indicator

// Tests of the boundaries of the indicator contract (design/indicators.md)
// that indicator_test.go does not cover, and a comparison of Compute with a
// plain transcription of the contract on random data.

import (
	"fmt"
	"math/big"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/care-tool/care/internal/record"
)

// TestContractStatusOn: status(c, x) is the status of the last event dated
// on or before x; of several events on one day, the last in file order.
func TestContractStatusOn(t *testing.T) {
	const end = "2026-11-30"
	tests := []struct {
		name   string
		events []string // date, status, ...
		want   map[string]string
	}{
		{"dropped out and re-enrolled on one day", []string{"2022-09-01", record.Enrolled, "2026-10-12", record.DroppedOut, "2026-10-12", record.Enrolled},
			map[string]string{Filing: "1/1", Enrolment: "1/1", Retention: "1/1", PeerHelp: "0/1"}},
		{"re-enrolled and dropped out on one day", []string{"2022-09-01", record.Enrolled, "2026-10-12", record.Enrolled, "2026-10-12", record.DroppedOut},
			map[string]string{Filing: "1/1", Enrolment: "0/1", Retention: "0/1", PeerHelp: "0/0"}},
		{"transferred out and back in on one day", []string{"2022-09-01", record.Enrolled, "2026-10-12", record.TransferredOut, "2026-10-12", record.Enrolled},
			map[string]string{Filing: "1/1", Enrolment: "1/1", Retention: "1/1"}},
		{"transferred in and out on one day", []string{"2022-09-01", record.Enrolled, "2026-10-12", record.Enrolled, "2026-10-12", record.TransferredOut},
			map[string]string{Filing: "0/0", Enrolment: "0/0", Retention: "0/0", PeerHelp: "0/0"}},
		{"dropped out on END", []string{"2022-09-01", record.Enrolled, end, record.DroppedOut},
			map[string]string{Filing: "1/1", Enrolment: "0/1", Retention: "0/1", PeerHelp: "0/0"}},
		{"transferred out on END", []string{"2022-09-01", record.Enrolled, end, record.TransferredOut},
			map[string]string{Filing: "0/0", Enrolment: "0/0", Retention: "0/0", PeerHelp: "0/0"}},
		{"graduated the day after END", []string{"2022-09-01", record.Enrolled, "2026-12-01", record.Graduated},
			map[string]string{Filing: "1/1", Enrolment: "1/1", Retention: "1/1"}},
		{"dropped out, then transferred out", []string{"2022-09-01", record.Enrolled, "2026-10-01", record.DroppedOut, "2026-11-01", record.TransferredOut},
			map[string]string{Filing: "0/0", Enrolment: "0/0", Retention: "0/0"}},
		{"suspended before the term, back during it", []string{"2022-09-01", record.Enrolled, "2026-06-01", record.Suspended, "2026-10-08", record.Enrolled},
			map[string]string{Filing: "1/1", Enrolment: "1/1", Retention: "0/0", PeerHelp: "0/1"}},
		{"enrolled on the term start", []string{"2026-09-01", record.Enrolled},
			map[string]string{Enrolment: "1/1", Retention: "1/1"}},
		{"enrolled the day after the term start", []string{"2026-09-02", record.Enrolled},
			map[string]string{Enrolment: "1/1", Retention: "0/0"}},
		{"enrolled on END", []string{end, record.Enrolled},
			map[string]string{Enrolment: "1/1", Retention: "0/0", PeerHelp: "0/1"}},
		{"died after re-enrolling", []string{"2022-09-01", record.Enrolled, "2026-09-20", record.Suspended, "2026-10-01", record.Enrolled, "2026-11-02", record.Deceased},
			map[string]string{Filing: "0/0", Enrolment: "0/0", Retention: "0/0", PeerHelp: "0/0"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := newB()
			events(b.child("a"), tt.events...)
			res := b.compute(t, end)
			for id, want := range tt.want {
				if got := frac(get(t, res.Indicators, id)); got != want {
					t.Errorf("%s = %s, want %s", id, got, want)
				}
			}
		})
	}
}

// TestContractLeftBehind: LB(x) is since <= x < until; the filing
// denominator is R(END), the retention cohort is fixed on the term start,
// mentoring and peer_help need LB(END).
func TestContractLeftBehind(t *testing.T) {
	const end = "2026-11-30"
	tests := []struct {
		name         string
		since, until string
		want         map[string]string
	}{
		{"since END", end, "", map[string]string{Filing: "1/1", Retention: "0/0", PeerHelp: "0/1"}},
		{"since the day after END", "2026-12-01", "", map[string]string{Filing: "0/0", Retention: "0/0", PeerHelp: "0/0"}},
		{"since the day after the start", "2026-09-02", "", map[string]string{Filing: "1/1", Retention: "0/0"}},
		{"until the term start", "2022-03-01", "2026-09-01", map[string]string{Filing: "0/0", Retention: "0/0", PeerHelp: "0/0"}},
		{"until the day after the start", "2022-03-01", "2026-09-02", map[string]string{Filing: "0/0", Retention: "1/1", PeerHelp: "0/0"}},
		{"until the day after END", "2022-03-01", "2026-12-01", map[string]string{Filing: "1/1", Retention: "1/1", PeerHelp: "0/1"}},
		{"until before since", "2026-10-01", "2026-09-15", map[string]string{Filing: "0/0", Retention: "0/0", PeerHelp: "0/0"}},
		{"since and until on one day", "2026-10-01", "2026-10-01", map[string]string{Filing: "0/0", Retention: "0/0"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := newB()
			c := b.child("a")
			c.LeftBehind.Since = d(tt.since)
			if tt.until != "" {
				c.LeftBehind.Until = d(tt.until)
			}
			c.Support.Priority = true
			b.pair("a", "teacher", "T01", "2026-09-01", "")
			res := b.compute(t, end)
			for id, want := range tt.want {
				if got := frac(get(t, res.Indicators, id)); got != want {
					t.Errorf("%s = %s, want %s", id, got, want)
				}
			}
			if m, p := get(t, res.Indicators, Mentoring), get(t, res.Indicators, PeerHelp); m.Denominator != p.Denominator {
				t.Errorf("mentoring %s and peer_help %s differ for a priority child", frac(m), frac(p))
			}
		})
	}
}

// TestContractOwed: c is owed in M when LB(ref(M)) and enrolled on ref(M),
// whatever happens earlier in the month.
func TestContractOwed(t *testing.T) {
	b := newB()
	b.child("since-ref").LeftBehind.Since = d("2026-09-30")   // owed in September
	b.child("since-after").LeftBehind.Since = d("2026-10-01") // not in September
	b.child("until-ref").LeftBehind.Until = d("2026-09-30")   // not in September
	b.child("until-after").LeftBehind.Until = d("2026-10-01") // owed in September
	events(b.child("in-ref"), "2026-09-30", record.Enrolled)  // owed in September
	events(b.child("out-ref"), "2022-09-01", record.Enrolled, "2026-09-30", record.TransferredOut)
	events(b.child("back"), "2022-09-01", record.Enrolled, "2026-09-05", record.Suspended, "2026-09-29", record.Enrolled)
	events(b.child("drop"), "2022-09-01", record.Enrolled, "2026-09-29", record.DroppedOut, "2026-09-30", record.DroppedOut)
	for _, id := range []string{"since-ref", "until-after", "in-ref", "back"} {
		b.talk(id, "2026-09-01", "T01", record.TalkTalk) // any day of the month counts, even before c is owed
	}
	b.talk("until-ref", "2026-09-10", "T01", record.TalkTalk)
	res := b.compute(t, "2026-09-30")
	check(t, res, Talks, "4/4")
	check(t, res, ParentContact, "0/4", "back@2026-09", "in-ref@2026-09", "since-ref@2026-09", "until-after@2026-09")
	if m := res.Months; len(m) != 1 || m[0].Talks.Denominator != 4 || m[0].Ref != d("2026-09-30") {
		t.Errorf("months = %+v", m)
	}
}

// TestContractMonths: the counted months of terms across a year end, in a
// leap February, ending on a month's first day, and one day long.
func TestContractMonths(t *testing.T) {
	tests := []struct {
		start, end, asOf string
		want             string // month:ref, ...
	}{
		{"2026-09-01", "2027-01-22", "2027-01-21", "2026-09:09-30 2026-10:10-31 2026-11:11-30 2026-12:12-31"},
		{"2026-09-01", "2027-01-22", "2027-01-22", "2026-09:09-30 2026-10:10-31 2026-11:11-30 2026-12:12-31 2027-01:01-22"},
		{"2027-12-20", "2028-03-01", "2028-02-28", "2027-12:12-31 2028-01:01-31"},
		{"2027-12-20", "2028-03-01", "2028-02-29", "2027-12:12-31 2028-01:01-31 2028-02:02-29"},
		{"2027-12-20", "2028-03-01", "2028-03-01", "2027-12:12-31 2028-01:01-31 2028-02:02-29 2028-03:03-01"},
		{"2026-02-23", "2026-07-03", "2026-02-28", "2026-02:02-28"},
		{"2026-05-31", "2026-05-31", "2026-05-31", "2026-05:05-31"},
		{"2026-05-31", "2026-06-01", "2026-05-31", "2026-05:05-31"},
	}
	for _, tt := range tests {
		var got []string
		for _, m := range CountedMonths(record.Term{Start: d(tt.start), End: d(tt.end)}, d(tt.asOf)) {
			got = append(got, m.Month.String()+":"+m.Ref.String()[5:])
		}
		if strings.Join(got, " ") != tt.want {
			t.Errorf("CountedMonths(%s..%s, %s) = %v, want %s", tt.start, tt.end, tt.asOf, got, tt.want)
		}
	}

	// A talk counts in its month only in [start, end]; a one-day term.
	b := newB().term("2026-05-31", "2026-06-01")
	b.child("a")
	b.child("b")
	b.talk("a", "2026-05-30", "T01", record.TalkTalk)
	b.talk("a", "2026-06-02", "T01", record.TalkTalk)
	b.talk("b", "2026-05-31", "T01", record.TalkTalk)
	b.talk("b", "2026-06-01", "T01", record.TalkTalk)
	res := b.compute(t, "2026-06-05")
	check(t, res, Talks, "2/4", "a@2026-05", "a@2026-06")
}

// TestContractHeadTeacher: only talks by the head teacher of the class in
// the child's own file count; none can count without a class or a head
// teacher; under any_staff every staff member's talks count.
func TestContractHeadTeacher(t *testing.T) {
	b := newB()
	b.child("own")                                      // 3-2, head T01
	b.talk("own", "2026-09-05", "T01", record.TalkTalk) //
	b.child("other").Class = "4-1"                      // head T02
	b.talk("other", "2026-09-05", "T01", record.TalkTalk)
	b.talk("other", "2026-09-06", "T03", record.TalkTalk)
	b.child("nohead").Class = "5-1"
	b.talk("nohead", "2026-09-05", "T01", record.TalkTalk)
	b.child("noclass").Class = ""
	b.talk("noclass", "2026-09-05", "T01", record.TalkTalk)
	b.child("blankclass").Class = "  "
	b.child("unknown").Class = "9-9"
	b.talk("unknown", "2026-09-05", "T01", record.TalkTalk)
	b.talk("own", "2026-09-06", "T02", record.TalkParentContact)
	b.talk("noclass", "2026-09-06", "T03", record.TalkParentContact) // any staff, with or without a class
	res := b.compute(t, "2026-09-30")
	// sorted by class: "", "  ", "4-1", "5-1", "9-9"
	check(t, res, Talks, "1/6", "noclass@2026-09", "blankclass@2026-09", "other@2026-09", "nohead@2026-09", "unknown@2026-09")
	check(t, res, ParentContact, "2/6", "blankclass@2026-09", "other@2026-09", "nohead@2026-09", "unknown@2026-09")
	for child, want := range map[string]string{
		"other":      "no talk log by 李强 in 2026-09 (2 by other staff do not count)",
		"nohead":     "class 5-1 has no head teacher: no talk log can count in 2026-09",
		"noclass":    "no class, so no head teacher: no talk log can count in 2026-09",
		"blankclass": "no class, so no head teacher: no talk log can count in 2026-09",
		"unknown":    "class 9-9 is not in care.yaml, so no head teacher: no talk log can count in 2026-09",
	} {
		if _, en := reason(t, res, Talks, child, "2026-09"); en != want {
			t.Errorf("%s: %q, want %q", child, en, want)
		}
	}
	if zh, _ := reason(t, res, Talks, "other", "2026-09"); zh != "2026-09 无班主任李强的谈心记录（其他教师的2次不计入）" {
		t.Errorf("other: %q", zh)
	}

	b.ds.Config.Rules.TalkBy = "any_staff"
	res = b.compute(t, "2026-09-30")
	check(t, res, Talks, "5/6", "blankclass@2026-09")

	b.ds.Config.Rules.TalkBy = "head_teacher"
	b.ds.Config.Rules.TalksPerMonth = 0 // nothing is needed
	res = b.compute(t, "2026-09-30")
	check(t, res, Talks, "6/6")
	check(t, res, ParentContact, "2/6", "blankclass@2026-09", "other@2026-09", "nohead@2026-09", "unknown@2026-09")

	// A class with its head teacher changed in care.yaml: today's head
	// teacher is the one whose talks count.
	b.ds.Config.Rules.TalksPerMonth = 2
	b.ds.Config.Classes[1].HeadTeacher = "T03"
	res = b.compute(t, "2026-09-30")
	if _, en := reason(t, res, Talks, "other", "2026-09"); en != "only 1 of 2 talk logs by 张敏 in 2026-09 (1 by other staff does not count)" {
		t.Errorf("other: %q", en)
	}
}

// TestContractPairings: a pairing is active on END when start <= END and
// (no end or end >= END); mentoring counts only role teacher, peer_help
// only role peer.
func TestContractPairings(t *testing.T) {
	tests := []struct {
		name              string
		role, start, end  string
		mentoring, peerOK bool
	}{
		{"teacher from END", "teacher", "2026-11-30", "", true, false},
		{"teacher from the day after END", "teacher", "2026-12-01", "", false, false},
		{"teacher until END", "teacher", "2026-09-01", "2026-11-30", true, false},
		{"teacher until the day before END", "teacher", "2026-09-01", "2026-11-29", false, false},
		{"teacher on END only", "teacher", "2026-11-30", "2026-11-30", true, false},
		{"peer", "peer", "2026-09-01", "", false, true},
		{"peer until the day before END", "peer", "2026-09-01", "2026-11-29", false, false},
		{"proxy parent", "proxy_parent", "2026-09-01", "", false, false},
		{"volunteer", "volunteer", "2026-09-01", "", false, false},
		{"teacher before the term", "teacher", "2025-03-01", "", true, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := newB()
			b.child("a").Support.Struggling = true
			b.child("b").Support.Poor = true
			b.pair("a", tt.role, "T01", tt.start, tt.end)
			b.pair("b", "teacher", "T01", "2026-09-01", "2026-10-01") // another child's, ended
			b.pair("b", "peer", "小红", "2026-09-01", "")
			res := b.compute(t, "2026-11-30")
			want := map[bool]string{true: "1/2", false: "0/2"}
			if got := frac(get(t, res.Indicators, Mentoring)); got != want[tt.mentoring] {
				t.Errorf("mentoring = %s, want %s", got, want[tt.mentoring])
			}
			want = map[bool]string{true: "2/2", false: "1/2"}
			if got := frac(get(t, res.Indicators, PeerHelp)); got != want[tt.peerOK] {
				t.Errorf("peer_help = %s, want %s", got, want[tt.peerOK])
			}
		})
	}

	// After the term: END is the term end, not D.
	b := newB()
	b.child("a").Support.Priority = true
	b.pair("a", "teacher", "T01", "2026-09-01", "2027-01-22")
	b.pair("a", "peer", "小红", "2027-01-23", "")
	res := b.compute(t, "2027-02-20")
	check(t, res, Mentoring, "1/1")
	check(t, res, PeerHelp, "0/1", "a")
	if _, en := reason(t, res, PeerHelp, "a", ""); en != "no active peer helper on 2027-01-22" {
		t.Errorf("reason = %q", en)
	}
}

// TestContractComplete: blank means missing, null, "" or white space alone;
// a number (a guardian aged 0) is not blank.
func TestContractComplete(t *testing.T) {
	zero := 0
	tests := []struct {
		name  string
		setup func(c *record.Child)
		want  string
	}{
		{"guardian aged 0", func(c *record.Child) { c.Guardian.Age = &zero }, ""},
		{"no guardian age", func(c *record.Child) { c.Guardian.Age = nil }, "guardian.age"},
		{"empty guardian", func(c *record.Child) { c.Guardian = &record.Guardian{} },
			"guardian.name,guardian.relation,guardian.phone,guardian.address,guardian.occupation,guardian.age,guardian.health"},
		{"delegated does not count", func(c *record.Child) { c.Guardian.Delegated = nil }, ""},
		{"boarding and support do not count", func(c *record.Child) { c.Boarding = nil; c.Support = record.Support{} }, ""},
		{"full-width space", func(c *record.Child) { c.Address = "\u3000\u3000" }, "address"},
		{"no-break space and tabs", func(c *record.Child) { c.Health = "\u00a0\t\r\n" }, "health"},
		{"a dot is not blank", func(c *record.Child) { c.Health = "." }, ""},
		{"zero is not blank", func(c *record.Child) { c.Guardian.Occupation = "0" }, ""},
		{"text after spaces", func(c *record.Child) { c.Name = "  李 " }, ""},
		{"zero-width space is not white space", func(c *record.Child) { c.Health = "\u200b" }, ""},
		{"second parent blank", func(c *record.Child) {
			c.Parents = append(c.Parents, record.Parent{Name: " ", Relation: "mother", Phone: "13800138001", WorkAddress: "\u3000"})
		}, "parents[1].name,parents[1].work_address"},
		{"first parent without relation", func(c *record.Child) { c.Parents[0].Relation = "" }, "parents[0].relation"},
		{"empty parents list and no guardian", func(c *record.Child) { c.Parents = []record.Parent{}; c.Guardian = nil }, "parents,guardian"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := newB()
			c := b.child("x")
			tt.setup(c)
			if got := strings.Join(Complete(c), ","); got != tt.want {
				t.Errorf("Complete = %q, want %q", got, tt.want)
			}
			want := "1/1"
			if tt.want != "" {
				want = "0/1"
			}
			check(t, b.compute(t, "2026-09-30"), Filing, want, map[string][]string{"1/1": nil, "0/1": {"x"}}[want]...)
		})
	}
}

// TestBlank checks blank against strings.TrimSpace on every rune, alone and
// around text.
func TestBlank(t *testing.T) {
	for r := rune(0); r <= unicode.MaxRune; r++ {
		s := string(r)
		if got, want := blank(s), strings.TrimSpace(s) == ""; got != want {
			t.Fatalf("blank(%U) = %v, want %v", r, got, want)
		}
		if unicode.IsSpace(r) && (!blank(s+" "+s) || blank(s+"x"+s)) {
			t.Fatalf("blank around %U", r)
		}
	}
	for _, s := range []string{"", " ", "\xff", " \xff ", "a", "\t\n\v\f\r ", "\u3000李"} {
		if got, want := blank(s), strings.TrimSpace(s) == ""; got != want {
			t.Errorf("blank(%q) = %v, want %v", s, got, want)
		}
	}
}

// TestContractMetExact: met is numerator >= target × denominator in exact
// arithmetic, where float64 would be off (0.7 × 10 = 7.000000000000001,
// 0.29 × 100 = 28.999999999999996); the rate is the plain quotient.
func TestContractMetExact(t *testing.T) {
	tests := []struct {
		target   string
		num, den int
		met      bool
	}{
		{"0.7", 7, 10, true},
		{"0.7", 6, 10, false},
		{"0.9", 9, 10, true},
		{"0.9", 8, 10, false},
		{"0.95", 19, 20, true},
		{"0.95", 18, 20, false},
		{"0.95", 189, 199, false}, // 189 < 189.05
		{"0.29", 29, 100, true},
		{"0.29", 28, 100, false},
		{"0.57", 57, 100, true},
		{"0.1", 1, 10, true},
		{"0.3", 3, 10, true},
		{"1", 299, 300, false},
		{"1.0", 300, 300, true},
		{"0", 0, 3, true},
		{"0.999", 999, 1000, true},
		{"0.999", 1998, 2001, false},
	}
	for _, tt := range tests {
		b := newB().target(Filing, tt.target)
		for i := 0; i < tt.den; i++ {
			c := b.child(fmt.Sprintf("%04d", i))
			if i >= tt.num {
				c.Health = ""
			}
		}
		in := get(t, b.compute(t, "2026-09-30").Indicators, Filing)
		if in.Numerator != tt.num || in.Denominator != tt.den || in.Met != tt.met {
			t.Errorf("%d/%d with target %s: got %s met=%v, want met=%v", tt.num, tt.den, tt.target, frac(in), in.Met, tt.met)
		}
		if in.Rate == nil || *in.Rate != float64(tt.num)/float64(tt.den) {
			t.Errorf("%d/%d: rate %v", tt.num, tt.den, in.Rate)
		}
		if len(in.Shortfall) != tt.den-tt.num {
			t.Errorf("%d/%d: %d shortfalls", tt.num, tt.den, len(in.Shortfall))
		}
	}
	// Met itself, with targets as YAML writes them.
	for _, tt := range []struct {
		target   string
		num, den int
		met      bool
	}{{".7", 7, 10, true}, {"7e-1", 7, 10, true}, {"0.7000", 7, 10, true}, {"0.70001", 7, 10, false}, {"1e0", 5, 5, true}} {
		r, ok := new(big.Rat).SetString(tt.target)
		if !ok {
			t.Fatal(tt.target)
		}
		if got := Met(tt.num, tt.den, r); got != tt.met {
			t.Errorf("Met(%d, %d, %s) = %v", tt.num, tt.den, tt.target, got)
		}
	}
	// An unmet rate is below 1 however close it gets.
	if r := rate(19999999, 20000000); r == nil || *r >= 1 || Met(19999999, 20000000, nil) {
		t.Errorf("rate(19999999/20000000) = %v", *r)
	}
}

// TestContractAge: the age on REF (the latest cutoff on or before the
// start; a 02-29 cutoff is 02-28 in a common year) of children born on
// 02-29 and on REF.
func TestContractAge(t *testing.T) {
	tests := []struct {
		name       string
		cutoff     string
		start      string
		birth      string
		min, max   int
		schoolAged bool
	}{
		{"born on REF turns min", "08-31", "2026-09-01", "2020-08-31", 6, 15, true},
		{"born on REF turns max+1", "08-31", "2026-09-01", "2010-08-31", 6, 15, false},
		{"leap cutoff in a common year, born 02-29", "02-29", "2026-03-02", "2020-02-29", 6, 15, false}, // REF 2026-02-28: 5
		{"leap cutoff in a common year, born 02-28", "02-29", "2026-03-02", "2020-02-28", 6, 15, true},
		{"leap cutoff in a leap year, born 02-29", "02-29", "2028-03-01", "2020-02-29", 8, 8, true},        // REF 2028-02-29: 8
		{"leap cutoff, term starts 02-28 of a leap year", "02-29", "2028-02-28", "2021-02-28", 6, 6, true}, // REF 2027-02-28: 6
		{"born 02-29, REF 03-01 of a common year", "03-01", "2027-03-01", "2020-02-29", 7, 7, true},
		{"born 02-29, REF 02-28 of a common year", "02-28", "2027-03-01", "2020-02-29", 6, 6, true},
		{"cutoff on the term start", "09-01", "2026-09-01", "2020-09-01", 6, 6, true},
		{"cutoff the day after the term start", "09-02", "2026-09-01", "2019-09-02", 6, 6, true}, // REF 2025-09-02
		{"custom window", "08-31", "2026-09-01", "2014-08-31", 7, 12, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, dd, ok := record.ParseCutoff(tt.cutoff)
			if !ok {
				t.Fatal(tt.cutoff)
			}
			b := newB().term(tt.start, "2028-07-01")
			b.ds.Config.SchoolAge = record.SchoolAge{Min: tt.min, Max: tt.max, CutoffMonth: m, CutoffDay: dd}
			c := b.child("a")
			c.BirthDate = d(tt.birth)
			events(c, tt.start, record.Enrolled)
			c.LeftBehind.Since = d(tt.start)
			res := b.compute(t, tt.start)
			want := map[bool]string{true: "1/1", false: "0/0"}[tt.schoolAged]
			if got := frac(get(t, res.Indicators, Enrolment)); got != want {
				t.Errorf("enrolment = %s, want %s (REF %s, age %d)", got, want, res.Ref, AgeOn(c.BirthDate, res.Ref))
			}
		})
	}
}

// TestContractDefaultTerm: the term containing today, else the latest
// started, whatever the order of the terms in care.yaml.
func TestContractDefaultTerm(t *testing.T) {
	cfg := &record.Config{Terms: []record.Term{
		{ID: "2027-spring", Start: d("2027-02-22"), End: d("2027-07-09")},
		{ID: "2026-spring", Start: d("2026-02-23"), End: d("2026-07-10")},
		{ID: "2026-autumn", Start: d("2026-09-01"), End: d("2027-01-22")},
	}}
	for today, want := range map[string]string{
		"2026-07-10": "2026-spring", "2026-07-11": "2026-spring", "2026-08-31": "2026-spring",
		"2026-09-01": "2026-autumn", "2027-01-23": "2026-autumn", "2027-02-21": "2026-autumn",
		"2027-02-22": "2027-spring", "2027-12-01": "2027-spring",
	} {
		if got, ok := DefaultTerm(cfg, d(today)); !ok || got.ID != want {
			t.Errorf("DefaultTerm(%s) = %q, want %q", today, got.ID, want)
		}
	}
}

// TestContractRetention: the cohort is left-behind and enrolled on the
// start, less those gone on END; the numerator those enrolled on END.
func TestContractRetention(t *testing.T) {
	b := newB()
	b.child("stay")
	b.child("home").LeftBehind.Until = d("2026-10-01") // stays in the cohort
	events(b.child("drop"), "2022-09-01", record.Enrolled, "2026-10-01", record.DroppedOut)
	events(b.child("out"), "2022-09-01", record.Enrolled, "2026-10-01", record.TransferredOut)
	events(b.child("outin"), "2022-09-01", record.Enrolled, "2026-10-01", record.TransferredOut, "2026-11-01", record.Enrolled)
	events(b.child("susp-start"), "2022-09-01", record.Enrolled, "2026-09-01", record.Suspended, "2026-09-20", record.Enrolled)
	events(b.child("dead-after"), "2022-09-01", record.Enrolled, "2026-12-01", record.Deceased)
	res := b.compute(t, "2026-11-30")
	check(t, res, Retention, "4/5", "drop")
	if _, en := reason(t, res, Retention, "drop", ""); en != "dropped out on 2026-10-01" {
		t.Errorf("reason = %q", en)
	}
}

// TestContractReference compares Compute with a plain transcription of the
// contract on random, partly odd data: the figures, shortfall lists (child
// and month, in order) and per-class figures must agree.
func TestContractReference(t *testing.T) {
	for seed := uint64(1); seed <= 40; seed++ {
		ds := synthDataset(60, seed)
		r := rand.New(rand.NewPCG(seed, 7))
		cfg := ds.Config
		if seed%3 == 0 {
			cfg.Rules.TalkBy = "any_staff"
		}
		cfg.Rules.TalksPerMonth = int(seed % 3)
		cfg.SchoolAge = record.SchoolAge{Min: 6 + r.IntN(3), Max: 10 + r.IntN(6), CutoffMonth: 1 + r.IntN(12), CutoffDay: 1 + r.IntN(28)}
		if seed%5 == 0 {
			cfg.SchoolAge.CutoffMonth, cfg.SchoolAge.CutoffDay = 2, 29
		}
		for _, c := range ds.Children {
			switch r.IntN(10) {
			case 0: // several events on one day
				day := d("2026-03-01").AddDays(r.IntN(120))
				c.Enrolment = append(c.Enrolment, record.Event{Date: day, Status: record.DroppedOut}, record.Event{Date: day, Status: record.Enrolled})
			case 1:
				c.Class = "9-9" // unknown
			case 2:
				c.LeftBehind.Since = d("2026-02-01").AddDays(r.IntN(160))
			}
			if r.IntN(15) == 0 {
				c.BirthDate = d([]string{"2012-02-29", "2016-02-29", "2020-02-29", "2015-02-28", "2019-03-01", "2017-08-31"}[r.IntN(6)])
			}
		}
		for _, asOf := range []string{"2026-02-23", "2026-02-28", "2026-03-31", "2026-05-15", "2026-07-03", "2026-09-10"} {
			opt := Options{Term: spring2026, AsOf: d(asOf)}
			res, err := Compute(ds, opt)
			if err != nil {
				t.Fatal(err)
			}
			want := reference(ds, opt.Term, opt.AsOf, "")
			compareReference(t, fmt.Sprintf("seed %d as of %s", seed, asOf), res.Indicators, want)
			for _, cr := range res.ByClass {
				if cr.Class == "" {
					continue
				}
				compareReference(t, fmt.Sprintf("seed %d as of %s class %s", seed, asOf, cr.Class), cr.Indicators, reference(ds, opt.Term, opt.AsOf, cr.Class))
			}
		}
	}
}

// refIndicator is one indicator by the reference: num/den and the
// shortfall as "class child month".
type refIndicator struct {
	num, den int
	short    []string
}

// reference computes the seven indicators straight from the contract, over
// the children of class (all when "").
func reference(ds *record.Dataset, t record.Term, D record.Date, class string) map[string]*refIndicator {
	cfg := ds.Config
	END := min(D, t.End)
	lb := func(c *record.Child, x record.Date) bool {
		return c.LeftBehind.Since <= x && (c.LeftBehind.Until == 0 || c.LeftBehind.Until > x)
	}
	status := func(c *record.Child, x record.Date) string {
		s := ""
		for _, e := range c.Enrolment {
			if e.Date <= x {
				s = e.Status
			}
		}
		return s
	}
	enrolledOn := func(c *record.Child, x record.Date) bool { return status(c, x) == record.Enrolled }
	goneOn := func(c *record.Child, x record.Date) bool {
		s := status(c, x)
		return s == record.TransferredOut || s == record.Graduated || s == record.Deceased
	}
	// REF: try the cutoff in the start's year, then the year before; a
	// 02-29 that does not exist is 02-28.
	ref := record.Date(0)
	for y := t.Start.Year(); ref == 0; y-- {
		day, month := cfg.SchoolAge.CutoffDay, time.Month(cfg.SchoolAge.CutoffMonth)
		if n := record.DaysIn(y, month); day > n {
			day = n
		}
		if r := record.NewDate(y, month, day); r <= t.Start {
			ref = r
		}
	}
	age := func(b record.Date) int {
		a := ref.Year() - b.Year()
		if int(ref.Month())*100+ref.Day() < int(b.Month())*100+b.Day() {
			a--
		}
		return a
	}
	complete := func(c *record.Child) bool {
		bl := func(s string) bool { return strings.TrimSpace(s) == "" }
		if bl(c.Name) || bl(c.Gender) || c.BirthDate == 0 || bl(c.Class) || bl(c.Address) || bl(c.Health) || len(c.Parents) == 0 {
			return false
		}
		for _, p := range c.Parents {
			if bl(p.Name) || bl(p.Relation) || bl(p.Phone) || bl(p.WorkAddress) {
				return false
			}
		}
		g := c.Guardian
		return g != nil && !bl(g.Name) && !bl(g.Relation) && !bl(g.Phone) && !bl(g.Address) && !bl(g.Occupation) && g.Age != nil && !bl(g.Health)
	}
	active := func(c *record.Child, role string) bool {
		for _, p := range ds.Pairings {
			if p.Child == c.ID && p.Role == role && p.Start <= END && (p.End == 0 || p.End >= END) {
				return true
			}
		}
		return false
	}
	head := func(c *record.Child) string {
		for _, cl := range cfg.Classes {
			if cl.ID == c.Class {
				return cl.HeadTeacher
			}
		}
		return ""
	}
	out := map[string]*refIndicator{}
	for _, id := range IDs {
		out[id] = &refIndicator{}
	}
	add := func(id string, c *record.Child, month string, ok bool) {
		in := out[id]
		in.den++
		if ok {
			in.num++
		} else {
			in.short = append(in.short, c.Class+" "+c.ID+" "+month)
		}
	}
	kids := slices.Clone(ds.Children)
	slices.SortStableFunc(kids, func(a, b *record.Child) int { return strings.Compare(a.Class+"\x00"+a.ID, b.Class+"\x00"+b.ID) })
	for _, c := range kids {
		if class != "" && c.Class != class {
			continue
		}
		if lb(c, END) && !goneOn(c, END) {
			add(Filing, c, "", complete(c))
			if a := age(c.BirthDate); cfg.SchoolAge.Min <= a && a <= cfg.SchoolAge.Max {
				add(Enrolment, c, "", enrolledOn(c, END))
			}
		}
		if lb(c, t.Start) && enrolledOn(c, t.Start) && !goneOn(c, END) {
			add(Retention, c, "", enrolledOn(c, END))
		}
		for m := record.MonthOf(t.Start); m <= record.MonthOf(t.End); m = m.Next() {
			refM := min(m.Last(), t.End)
			if refM > D || !lb(c, refM) || !enrolledOn(c, refM) {
				continue
			}
			talks, contacts := 0, 0
			for _, k := range ds.Talks {
				if k.Child != c.ID || record.MonthOf(k.Date) != m || k.Date < t.Start || k.Date > t.End {
					continue
				}
				switch {
				case k.Kind == record.TalkTalk && (cfg.Rules.TalkBy == "any_staff" || (head(c) != "" && k.By == head(c))):
					talks++
				case k.Kind == record.TalkParentContact:
					contacts++
				}
			}
			add(Talks, c, m.String(), talks >= cfg.Rules.TalksPerMonth)
			add(ParentContact, c, m.String(), contacts >= 1)
		}
		if lb(c, END) && enrolledOn(c, END) {
			if c.Support.Priority || c.Support.Poor || c.Support.Struggling {
				add(Mentoring, c, "", active(c, "teacher"))
			}
			add(PeerHelp, c, "", active(c, "peer"))
		}
	}
	return out
}

func compareReference(t *testing.T, where string, got []Indicator, want map[string]*refIndicator) {
	t.Helper()
	for _, in := range got {
		w := want[in.ID]
		var short []string
		for _, s := range in.Shortfall {
			short = append(short, s.Class+" "+s.Child+" "+s.Month)
		}
		if in.Numerator != w.num || in.Denominator != w.den {
			t.Errorf("%s: %s = %s, want %d/%d", where, in.ID, frac(in), w.num, w.den)
		}
		if !slices.Equal(short, w.short) {
			t.Errorf("%s: %s shortfall = %q, want %q", where, in.ID, short, w.short)
		}
		wantMet := Met(w.num, w.den, in.Target.Rat)
		if in.Met != wantMet || (in.Rate == nil) != (w.den == 0) || (in.Rate != nil && *in.Rate != float64(w.num)/float64(w.den)) {
			t.Errorf("%s: %s met=%v rate=%v", where, in.ID, in.Met, in.Rate)
		}
	}
}

// TestMetAgainstBigRat checks Met (which compares in int64 when it can)
// against the comparison in big.Rat.
func TestMetAgainstBigRat(t *testing.T) {
	targets := []string{"0", "1", "1.0", "0.5", "0.9", "0.95", "0.999", "1/3", "2/3", "0.3333", "-0.5", "1.5", "7",
		"123456789012345678901234567890/123456789012345678901234567891", "2147483647/2147483648", "4294967296/4294967297",
		"9223372036854775807/9223372036854775806", "1e-30"}
	nums := []int{0, 1, 2, 3, 9, 10, 19, 20, 299, 300, 1 << 30, 1<<31 - 1, 1 << 31, 1 << 40}
	for _, ts := range targets {
		r, ok := new(big.Rat).SetString(ts)
		if !ok {
			t.Fatal(ts)
		}
		for _, den := range nums {
			for _, num := range nums {
				if num > den {
					continue
				}
				want := den == 0 || new(big.Rat).SetInt64(int64(num)).Cmp(new(big.Rat).Mul(r, new(big.Rat).SetInt64(int64(den)))) >= 0
				if got := Met(num, den, r); got != want {
					t.Errorf("Met(%d, %d, %s) = %v, want %v", num, den, ts, got, want)
				}
			}
		}
	}
}
