// Package indicator computes the care programme's seven indicators (建档率,
// 入学率, 巩固率, 谈心覆盖率, 家长联系反馈率, 重点帮扶结对率, 学习帮手覆盖率) for
// one term as of one day, with the children (and months) that keep each
// below its target, and the teachers' working list of what is due. It
// implements the indicator definitions of the design (design/indicators.md)
// exactly; targets are compared as exact rationals.
//
// The package is pure: it reads a record.Dataset and returns values; it does
// no I/O and prints nothing.
package indicator

import (
	"math/big"
	"sort"

	"github.com/care-tool/care/internal/i18n"
	"github.com/care-tool/care/internal/record"
)

// Indicator ids, in report order.
const (
	Filing        = "filing"
	Enrolment     = "enrolment"
	Retention     = "retention"
	Talks         = "talks"
	ParentContact = "parent_contact"
	Mentoring     = "mentoring"
	PeerHelp      = "peer_help"
)

// IDs lists the indicator ids in report order.
var IDs = []string{Filing, Enrolment, Retention, Talks, ParentContact, Mentoring, PeerHelp}

var names = map[string]i18n.Text{
	Filing:        i18n.T("建档率", "Filing"),
	Enrolment:     i18n.T("入学率", "Enrolment"),
	Retention:     i18n.T("巩固率", "Retention"),
	Talks:         i18n.T("谈心覆盖率", "Monthly talks"),
	ParentContact: i18n.T("家长联系反馈率", "Parent contact"),
	Mentoring:     i18n.T("重点帮扶结对率", "Priority mentoring"),
	PeerHelp:      i18n.T("学习帮手覆盖率", "Peer study helpers"),
}

// Name returns the name of indicator id in both languages (zero Text for an
// unknown id).
func Name(id string) i18n.Text { return names[id] }

// Options selects what Compute computes.
type Options struct {
	Term  record.Term // the term T = [start, end]
	AsOf  record.Date // the day D; must not be before Term.Start
	Class string      // optional: count only children whose class is this class id
}

// Result is the report of one term as of one day.
type Result struct {
	Term       record.Term
	AsOf       record.Date   // D
	End        record.Date   // END = min(D, term end)
	Ref        record.Date   // REF: the day ages are counted on (latest school-age cutoff on or before the term start)
	Indicators []Indicator   // all seven, in the order of IDs
	ByClass    []ClassResult // one per class in care.yaml order, then "" for children with no or an unknown class (only if any)
	Months     []MonthResult // the counted months (ref(M) <= D) with talks and parent_contact per month; never nil
	Summary    Summary       // roster summary of the children in R(END)
}

// Indicator is one indicator's value.
type Indicator struct {
	ID          string        // one of IDs
	Name        i18n.Text     // 建档率 / Filing, ...
	Numerator   int           // children (or child-months) that meet the requirement
	Denominator int           // children (or child-months) it applies to
	Rate        *float64      // Numerator / Denominator; nil when Denominator == 0
	Target      record.Target // from care.yaml (default 1)
	Met         bool          // Numerator >= Target × Denominator, exactly; true when Denominator == 0
	Shortfall   []Shortfall   // every child (and month) in the denominator but not the numerator, sorted by class id, child id, month; never nil
}

// Shortfall is one child (or child-month) that keeps an indicator below 100%.
type Shortfall struct {
	Child  string    // child id
	Name   string    // child's name, for display
	Class  string    // child's class id
	Month  string    // "YYYY-MM" for talks and parent_contact, else ""
	Reason i18n.Text // why, in words
}

// ClassResult holds the seven indicators computed on one class's children.
type ClassResult struct {
	Class           string // class id; "" for children with no or an unknown class
	Name            string // class name from care.yaml, if any
	Grade           int    // 0 when unknown
	HeadTeacher     string // staff id, "" when none
	HeadTeacherName string
	Indicators      []Indicator
}

// Fraction is a numerator over a denominator.
type Fraction struct {
	Numerator   int
	Denominator int
	Rate        *float64 // nil when Denominator == 0
}

// MonthResult gives talks and parent_contact for one counted month.
type MonthResult struct {
	Month         string      // "YYYY-MM"
	Ref           record.Date // ref(M) = min(last day of M, term end)
	Talks         Fraction
	ParentContact Fraction
}

// Error is an error from Compute, in both languages; Error returns English.
type Error struct{ Msg i18n.Text }

// Error returns the English message.
func (e *Error) Error() string { return e.Msg.En }

func errorf(zh, en string, args ...any) error { return &Error{Msg: i18n.Tf(zh, en, args...)} }

// rate returns num/den, or nil when den is 0.
func rate(num, den int) *float64 {
	if den == 0 {
		return nil
	}
	r := float64(num) / float64(den)
	return &r
}

// Met reports whether num >= target × den, compared exactly with big.Rat; a
// zero denominator (or a nil target, taken as 1) counts as met.
func Met(num, den int, target *big.Rat) bool {
	if den == 0 {
		return true
	}
	if target == nil {
		target = big.NewRat(1, 1)
	}
	need := new(big.Rat).Mul(target, new(big.Rat).SetInt64(int64(den)))
	return new(big.Rat).SetInt64(int64(num)).Cmp(need) >= 0
}

// gone reports whether the school is no longer responsible for c on x.
func gone(c *record.Child, x record.Date) bool {
	switch c.StatusOn(x) {
	case record.TransferredOut, record.Graduated, record.Deceased:
		return true
	}
	return false
}

func enrolled(c *record.Child, x record.Date) bool { return c.StatusOn(x) == record.Enrolled }

// Responsible reports whether c is in R(x): left-behind on x and not gone on
// x (transferred out, graduated or deceased).
func Responsible(c *record.Child, x record.Date) bool {
	return c.LeftBehindOn(x) && !gone(c, x)
}

// computer holds what every indicator needs.
type computer struct {
	cfg      *record.Config
	term     record.Term
	asOf     record.Date
	end      record.Date
	months   []TermMonth
	talks    map[string][]*record.Talk
	pairings map[string][]*record.Pairing
}

func newComputer(ds *record.Dataset, t record.Term, asOf record.Date) *computer {
	x := &computer{cfg: ds.Config, term: t, asOf: asOf, end: min(asOf, t.End),
		months: CountedMonths(t, asOf), talks: map[string][]*record.Talk{}, pairings: map[string][]*record.Pairing{}}
	for _, k := range ds.Talks {
		if k != nil {
			x.talks[k.Child] = append(x.talks[k.Child], k)
		}
	}
	for _, p := range ds.Pairings {
		if p != nil {
			x.pairings[p.Child] = append(x.pairings[p.Child], p)
		}
	}
	return x
}

// Compute computes the seven indicators for opt.Term as of opt.AsOf, over
// all children or, with opt.Class, over that class's children only. It
// returns an error (never panics) when the dataset has no care.yaml, the term
// has no valid dates, AsOf is before the term start, or opt.Class is not a
// class of care.yaml.
func Compute(ds *record.Dataset, opt Options) (*Result, error) {
	if ds == nil || ds.Config == nil {
		return nil, errorf("没有 care.yaml 配置", "no care.yaml configuration")
	}
	t := opt.Term
	if t.Start == 0 || t.End == 0 || t.End < t.Start {
		return nil, errorf("学期 %s 的起止日期无效（%s 至 %s）", "term %s has no valid dates (%s to %s)", t.ID, t.Start, t.End)
	}
	if opt.AsOf == 0 {
		return nil, errorf("没有给出统计日期", "no as-of day given")
	}
	if opt.AsOf < t.Start {
		return nil, errorf("统计日期 %s 早于学期 %s 的开始日期 %s", "as-of day %s is before the start of term %s (%s)", opt.AsOf, t.ID, t.Start)
	}
	cfg := ds.Config
	if opt.Class != "" {
		if _, ok := cfg.Class(opt.Class); !ok {
			return nil, errorf("care.yaml 中没有班级 %q", "class %q is not in care.yaml", opt.Class)
		}
	}
	x := newComputer(ds, t, opt.AsOf)
	var all []*record.Child
	for _, c := range ds.Children {
		if c != nil && (opt.Class == "" || c.Class == opt.Class) {
			all = append(all, c)
		}
	}
	sort.SliceStable(all, func(i, j int) bool { return all[i].ID < all[j].ID })

	res := &Result{Term: t, AsOf: opt.AsOf, End: x.end, Ref: RefDay(cfg.SchoolAge, t.Start)}
	res.Indicators, res.Months = x.indicators(all)
	res.Summary = x.summary(all)

	classResult := func(id string, kids []*record.Child) ClassResult {
		cr := ClassResult{Class: id}
		if cl, ok := cfg.Class(id); ok && id != "" {
			cr.Name, cr.Grade, cr.HeadTeacher = cl.Name, cl.Grade, cl.HeadTeacher
			if cl.HeadTeacher != "" {
				cr.HeadTeacherName = cfg.StaffName(cl.HeadTeacher)
			}
		}
		cr.Indicators, _ = x.indicators(kids)
		return cr
	}
	if opt.Class != "" {
		res.ByClass = []ClassResult{classResult(opt.Class, all)}
		return res, nil
	}
	byClass := map[string][]*record.Child{}
	var unknown []*record.Child
	for _, c := range all {
		if _, ok := cfg.Class(c.Class); ok && c.Class != "" {
			byClass[c.Class] = append(byClass[c.Class], c)
		} else {
			unknown = append(unknown, c)
		}
	}
	seen := map[string]bool{}
	for _, cl := range cfg.Classes {
		if cl.ID == "" || seen[cl.ID] {
			continue
		}
		seen[cl.ID] = true
		res.ByClass = append(res.ByClass, classResult(cl.ID, byClass[cl.ID]))
	}
	if len(unknown) > 0 {
		res.ByClass = append(res.ByClass, classResult("", unknown))
	}
	return res, nil
}

// acc accumulates one indicator.
type acc struct {
	num, den int
	short    []Shortfall
}

func (a *acc) add(c *record.Child, ok bool, month string, reason func() i18n.Text) {
	a.den++
	if ok {
		a.num++
		return
	}
	a.short = append(a.short, Shortfall{Child: c.ID, Name: c.Name, Class: c.Class, Month: month, Reason: reason()})
}

func (x *computer) indicator(id string, a *acc) Indicator {
	t := x.cfg.Target(id)
	sort.SliceStable(a.short, func(i, j int) bool {
		p, q := a.short[i], a.short[j]
		if p.Class != q.Class {
			return p.Class < q.Class
		}
		if p.Child != q.Child {
			return p.Child < q.Child
		}
		return p.Month < q.Month
	})
	if a.short == nil {
		a.short = []Shortfall{}
	}
	return Indicator{ID: id, Name: Name(id), Numerator: a.num, Denominator: a.den, Rate: rate(a.num, a.den),
		Target: t, Met: Met(a.num, a.den, t.Rat), Shortfall: a.short}
}

// indicators computes the seven indicators over children, and the per-month
// talks and parent_contact figures.
func (x *computer) indicators(children []*record.Child) ([]Indicator, []MonthResult) {
	accs := map[string]*acc{}
	for _, id := range IDs {
		accs[id] = &acc{}
	}
	monthTalks := make([]acc, len(x.months))
	monthContacts := make([]acc, len(x.months))
	start, end := x.term.Start, x.end
	for _, c := range children {
		status := func() i18n.Text { return statusReason(c, end) }
		if Responsible(c, end) {
			missing := Complete(c)
			accs[Filing].add(c, len(missing) == 0, "", func() i18n.Text { return MissingReason(missing) })
			if SchoolAged(c, x.cfg.SchoolAge, start) {
				accs[Enrolment].add(c, enrolled(c, end), "", status)
			}
		}
		if c.LeftBehindOn(start) && enrolled(c, start) && !gone(c, end) {
			accs[Retention].add(c, enrolled(c, end), "", status)
		}
		for i, m := range x.months {
			if !c.LeftBehindOn(m.Ref) || !enrolled(c, m.Ref) {
				continue
			}
			ms := m.Month.String()
			ts := x.talkCount(c, m)
			okT := ts.count >= x.cfg.Rules.TalksPerMonth
			accs[Talks].add(c, okT, ms, func() i18n.Text { return x.talkReason(c, m.Month, ts) })
			monthTalks[i].den++
			if okT {
				monthTalks[i].num++
			}
			okC := ts.contacts > 0
			accs[ParentContact].add(c, okC, ms, func() i18n.Text { return contactReason(m.Month) })
			monthContacts[i].den++
			if okC {
				monthContacts[i].num++
			}
		}
		if c.LeftBehindOn(end) && enrolled(c, end) {
			if c.Support.Priority || c.Support.Poor || c.Support.Struggling {
				accs[Mentoring].add(c, x.activePairing(c, "teacher", end), "", func() i18n.Text {
					return i18n.Tf("%s 无有效的帮扶教师结对", "no active teacher pairing on %s", end)
				})
			}
			accs[PeerHelp].add(c, x.activePairing(c, "peer", end), "", func() i18n.Text {
				return i18n.Tf("%s 无有效的学习帮手结对", "no active peer helper on %s", end)
			})
		}
	}
	out := make([]Indicator, len(IDs))
	for i, id := range IDs {
		out[i] = x.indicator(id, accs[id])
	}
	months := make([]MonthResult, len(x.months)) // never nil
	for i, m := range x.months {
		t, k := monthTalks[i], monthContacts[i]
		months[i] = MonthResult{Month: m.Month.String(), Ref: m.Ref,
			Talks:         Fraction{Numerator: t.num, Denominator: t.den, Rate: rate(t.num, t.den)},
			ParentContact: Fraction{Numerator: k.num, Denominator: k.den, Rate: rate(k.num, k.den)}}
	}
	return out, months
}

func (x *computer) activePairing(c *record.Child, role string, on record.Date) bool {
	for _, p := range x.pairings[c.ID] {
		if p.Role == role && p.ActiveOn(on) {
			return true
		}
	}
	return false
}

// talkStats counts c's logs in one month.
type talkStats struct {
	headTeacher string // the staff id whose talks count; "" under any_staff or when there is none
	count       int    // talks that count
	others      int    // talks that do not count (by other staff under head_teacher)
	contacts    int    // parent_contact logs
}

func anyStaff(cfg *record.Config) bool { return cfg.Rules.TalkBy == "any_staff" }

// headTeacher returns the head teacher of c's class, or "".
func headTeacher(cfg *record.Config, c *record.Child) string {
	if cl, ok := cfg.Class(c.Class); ok && c.Class != "" {
		return cl.HeadTeacher
	}
	return ""
}

// talkCount counts c's logs dated in month m and within [m.First, m.Ref].
func (x *computer) talkCount(c *record.Child, m TermMonth) talkStats {
	return countTalks(x.cfg, c, x.talks[c.ID], m.First, m.Ref)
}

// countTalks counts the logs of c dated in [from, to].
func countTalks(cfg *record.Config, c *record.Child, talks []*record.Talk, from, to record.Date) talkStats {
	s := talkStats{}
	anyOK := anyStaff(cfg)
	if !anyOK {
		s.headTeacher = headTeacher(cfg, c)
	}
	for _, k := range talks {
		if k.Child != c.ID || k.Date == 0 || k.Date < from || k.Date > to {
			continue
		}
		switch k.Kind {
		case record.TalkTalk:
			if anyOK || (s.headTeacher != "" && k.By == s.headTeacher) {
				s.count++
			} else {
				s.others++
			}
		case record.TalkParentContact:
			s.contacts++
		}
	}
	return s
}
