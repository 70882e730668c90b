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
	"cmp"
	"math/big"
	"slices"
	"strings"

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
		return num >= den
	}
	// num >= p/q × den exactly when num × q >= p × den (q > 0); in int64
	// when no product can overflow.
	if p := target.Num(); p.IsInt64() && small(num) && small(den) {
		if target.IsInt() {
			if pv := p.Int64(); small64(pv) {
				return int64(num) >= pv*int64(den)
			}
		} else if q := target.Denom(); q.IsInt64() && small64(p.Int64()) && small64(q.Int64()) {
			return int64(num)*q.Int64() >= p.Int64()*int64(den)
		}
	}
	need := new(big.Rat).Mul(target, new(big.Rat).SetInt64(int64(den)))
	return new(big.Rat).SetInt64(int64(num)).Cmp(need) >= 0
}

// small reports whether |v| < 2^31, so that the product of two such numbers
// fits in an int64.
func small(v int) bool { return small64(int64(v)) }

func small64(v int64) bool { return -1<<31 < v && v < 1<<31 }

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

// computer holds what every indicator needs, computed once per Compute.
type computer struct {
	cfg      *record.Config
	term     record.Term
	asOf     record.Date
	end      record.Date
	months   []TermMonth
	monthStr []string // months[i].Month.String()
	anyStaff bool     // rules.talk_by is any_staff
	classes  map[string]record.Class
	pairings map[string][]*record.Pairing
	targets  [numIDs]record.Target // by index into IDs

	// The talk logs of the counted months, by child: the logs of the child
	// with slot s (see slot) are logs[off[s]:off[s+1]].
	slot map[string]int32
	off  []int32
	logs []talkLog

	// The texts of the shortfall reasons, referred to by index; those
	// shared by many children (and months) are made once.
	texts          []i18n.Text
	talkReasons    map[talkKey]int32 // into texts
	contactReasons []int32           // by month, into texts
	mentorReason   int32
	peerReason     int32
}

// talkLog is what the talks and parent_contact indicators need of a log.
type talkLog struct {
	by      string
	month   int32 // index into computer.months
	contact bool  // kind parent_contact; else kind talk
}

// talkKey identifies a talk shortfall reason: the month, and what
// talkReason reads of the child and its stats.
type talkKey struct {
	month         int
	headTeacher   string
	count, others int
	class         string // only when there is no head teacher to name
}

func newComputer(ds *record.Dataset, t record.Term, asOf record.Date, children []*record.Child) *computer {
	cfg := ds.Config
	x := &computer{cfg: cfg, term: t, asOf: asOf, end: min(asOf, t.End), months: CountedMonths(t, asOf),
		anyStaff: anyStaff(cfg), classes: make(map[string]record.Class, len(cfg.Classes)),
		pairings: map[string][]*record.Pairing{}, talkReasons: map[talkKey]int32{}}
	for k, id := range IDs {
		x.targets[k] = cfg.Target(id)
	}
	for _, cl := range cfg.Classes {
		if _, dup := x.classes[cl.ID]; !dup { // the first wins, as in Config.Class
			x.classes[cl.ID] = cl
		}
	}
	x.monthStr = make([]string, len(x.months))
	x.contactReasons = make([]int32, len(x.months))
	for i, m := range x.months {
		x.monthStr[i] = m.Month.String()
		x.contactReasons[i] = x.text(contactReason(m.Month))
	}
	x.mentorReason = x.text(i18n.Tf("%s 无有效的帮扶教师结对", "no active teacher pairing on %s", x.end))
	x.peerReason = x.text(i18n.Tf("%s 无有效的学习帮手结对", "no active peer helper on %s", x.end))
	for _, p := range ds.Pairings {
		if p != nil {
			x.pairings[p.Child] = append(x.pairings[p.Child], p)
		}
	}
	x.indexTalks(ds.Talks, children)
	return x
}

// class returns the class of care.yaml with the given id.
func (x *computer) class(id string) (record.Class, bool) {
	cl, ok := x.classes[id]
	return cl, ok
}

// headTeacher returns the head teacher of c's class, or "".
func (x *computer) headTeacher(c *record.Child) string {
	if c.Class == "" {
		return ""
	}
	return x.classes[c.Class].HeadTeacher
}

// indexTalks groups the logs of kind talk and parent_contact that belong to
// a counted month (dated in the month and in [start, end]) by child, for the
// given children, in one pass over talks (a counting sort by child).
func (x *computer) indexTalks(talks []*record.Talk, children []*record.Child) {
	x.slot = make(map[string]int32, len(children))
	for _, c := range children {
		if _, ok := x.slot[c.ID]; !ok {
			x.slot[c.ID] = int32(len(x.slot))
		}
	}
	n := len(x.slot)
	x.off = make([]int32, n+1)
	if len(x.months) == 0 {
		return
	}
	// The counted months are consecutive: every day from the first
	// month's First to the last month's Ref is in exactly one of them, and
	// in its [First, Ref].
	lo, hi := x.months[0].First, x.months[len(x.months)-1].Ref
	first := x.months[0].Month
	slots := make([]int32, len(talks))
	for i, k := range talks {
		slots[i] = -1
		if k == nil || k.Date < lo || k.Date > hi || (k.Kind != record.TalkTalk && k.Kind != record.TalkParentContact) {
			continue
		}
		if s, ok := x.slot[k.Child]; ok {
			slots[i] = s
			x.off[s+1]++
		}
	}
	for s := 0; s < n; s++ {
		x.off[s+1] += x.off[s]
	}
	x.logs = make([]talkLog, x.off[n])
	next := make([]int32, n)
	copy(next, x.off[:n])
	for i, s := range slots {
		if s < 0 {
			continue
		}
		k := talks[i]
		m := record.MonthOf(k.Date)
		mi := (m.Year()-first.Year())*12 + int(m.Month()) - int(first.Month())
		x.logs[next[s]] = talkLog{by: k.By, month: int32(mi), contact: k.Kind == record.TalkParentContact}
		next[s]++
	}
}

// talkStats fills stats (one per counted month) with c's logs.
func (x *computer) talkStats(c *record.Child, headTeacher string, stats []talkStats) {
	for i := range stats {
		stats[i] = talkStats{headTeacher: headTeacher}
	}
	s, ok := x.slot[c.ID]
	if !ok {
		return
	}
	for _, l := range x.logs[x.off[s]:x.off[s+1]] {
		st := &stats[l.month]
		switch {
		case l.contact:
			st.contacts++
		case x.anyStaff || (headTeacher != "" && l.by == headTeacher):
			st.count++
		default:
			st.others++
		}
	}
}

// talkReason returns the index in x.texts of talkReason(x.cfg, c, month i,
// s), made once per distinct reason.
func (x *computer) talkReason(c *record.Child, i int, s talkStats) int32 {
	k := talkKey{month: i, headTeacher: s.headTeacher, count: s.count, others: s.others}
	switch {
	case x.anyStaff:
		k.others = 0
	case s.headTeacher == "":
		k.others, k.class = 0, c.Class
	}
	t, ok := x.talkReasons[k]
	if !ok {
		t = x.text(talkReason(x.cfg, c, x.months[i].Month, s))
		x.talkReasons[k] = t
	}
	return t
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
	all := make([]*record.Child, 0, len(ds.Children))
	for _, c := range ds.Children {
		if c != nil && (opt.Class == "" || c.Class == opt.Class) {
			all = append(all, c)
		}
	}
	slices.SortStableFunc(all, func(a, b *record.Child) int { return strings.Compare(a.ID, b.ID) })
	x := newComputer(ds, t, opt.AsOf, all)

	// The groups of the by-class results: with opt.Class that class alone;
	// else each class of care.yaml in order, then "" for the children with
	// no or an unknown class, if any.
	var groups []ClassResult
	groupOf := make([]int32, len(all))
	if opt.Class != "" {
		groups = []ClassResult{{Class: opt.Class}}
	} else {
		index := map[string]int32{}
		for _, cl := range cfg.Classes {
			if _, seen := index[cl.ID]; cl.ID == "" || seen {
				continue
			}
			index[cl.ID] = int32(len(groups))
			groups = append(groups, ClassResult{Class: cl.ID})
		}
		unknown := int32(-1)
		for i, c := range all {
			g, ok := index[c.Class]
			if !ok || c.Class == "" {
				if unknown < 0 {
					unknown = int32(len(groups))
					groups = append(groups, ClassResult{Class: ""})
				}
				g = unknown
			}
			groupOf[i] = g
		}
	}
	for i := range groups {
		cr := &groups[i]
		if cl, ok := x.class(cr.Class); ok && cr.Class != "" {
			cr.Name, cr.Grade, cr.HeadTeacher = cl.Name, cl.Grade, cl.HeadTeacher
			if cl.HeadTeacher != "" {
				cr.HeadTeacherName = cfg.StaffName(cl.HeadTeacher)
			}
		}
	}

	res := &Result{Term: t, AsOf: opt.AsOf, End: x.end, Ref: RefDay(cfg.SchoolAge, t.Start)}
	var byClass [][]Indicator
	res.Indicators, res.Months, byClass = x.indicators(all, groupOf, len(groups))
	for i := range groups {
		groups[i].Indicators = byClass[i]
	}
	res.ByClass = groups
	res.Summary = x.summary(all)
	return res, nil
}

const numIDs = 7

// The indexes of the indicators in IDs.
const (
	iFiling = iota
	iEnrolment
	iRetention
	iTalks
	iParentContact
	iMentoring
	iPeerHelp
)

// acc accumulates one indicator: the count of the denominator and the
// numerator, and (for the whole) the misses: the children (and months) in
// the denominator but not the numerator, in the order of the shortfall.
type acc struct {
	num, den int
	misses   []miss
}

// miss is one shortfall, before it is made a Shortfall.
type miss struct {
	child  int32 // index into the children
	month  int32 // index into computer.months; -1 for none
	reason int32 // index into computer.texts
}

// text keeps t and returns its index into x.texts.
func (x *computer) text(t i18n.Text) int32 {
	x.texts = append(x.texts, t)
	return int32(len(x.texts) - 1)
}

// indicators computes the seven indicators over children (sorted by id),
// the per-month talks and parent_contact figures, and the seven indicators
// of each of the nGroups groups, child i being in group groupOf[i]. Each
// child's figures are computed once and added to its group and to the
// whole. The children are visited by class, then id (a stable sort), so
// that every shortfall list comes out in its order: class, child, month.
func (x *computer) indicators(children []*record.Child, groupOf []int32, nGroups int) ([]Indicator, []MonthResult, [][]Indicator) {
	var whole [numIDs]acc
	groups := make([][numIDs]acc, nGroups)
	monthTalks := make([]acc, len(x.months))
	monthContacts := make([]acc, len(x.months))
	stats := make([]talkStats, len(x.months))

	order := make([]int32, len(children))
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortFunc(order, func(a, b int32) int { // stable: ties keep the id order
		if c := strings.Compare(children[a].Class, children[b].Class); c != 0 {
			return c
		}
		return cmp.Compare(a, b)
	})

	start, end := x.term.Start, x.end
	need := x.cfg.Rules.TalksPerMonth
	for _, i := range order {
		c := children[i]
		g := &groups[groupOf[i]]
		// put counts c (in month mi, or -1) in indicator k; reason is the
		// index of the reason in x.texts when !ok.
		put := func(k int, ok bool, mi int32, reason int32) {
			whole[k].den++
			g[k].den++
			if ok {
				whole[k].num++
				g[k].num++
				return
			}
			whole[k].misses = append(whole[k].misses, miss{child: i, month: mi, reason: reason})
		}
		status := int32(-1)
		statusOf := func() int32 {
			if status < 0 {
				status = x.text(statusReason(c, end))
			}
			return status
		}
		lbEnd, statusEnd := c.LeftBehindOn(end), c.StatusOn(end)
		enrolledEnd := statusEnd == record.Enrolled
		goneEnd := statusEnd == record.TransferredOut || statusEnd == record.Graduated || statusEnd == record.Deceased
		if lbEnd && !goneEnd {
			if missing := Complete(c); len(missing) == 0 {
				put(iFiling, true, -1, -1)
			} else {
				put(iFiling, false, -1, x.text(MissingReason(missing)))
			}
			if SchoolAged(c, x.cfg.SchoolAge, start) {
				if enrolledEnd {
					put(iEnrolment, true, -1, -1)
				} else {
					put(iEnrolment, false, -1, statusOf())
				}
			}
		}
		if c.LeftBehindOn(start) && enrolled(c, start) && !goneEnd {
			if enrolledEnd {
				put(iRetention, true, -1, -1)
			} else {
				put(iRetention, false, -1, statusOf())
			}
		}
		if len(x.months) > 0 {
			x.talkStats(c, x.talkHeadTeacher(c), stats)
		}
		for mi, m := range x.months {
			if !c.LeftBehindOn(m.Ref) || !enrolled(c, m.Ref) {
				continue
			}
			ts := stats[mi]
			if ts.count >= need {
				put(iTalks, true, int32(mi), -1)
				monthTalks[mi].num++
			} else {
				put(iTalks, false, int32(mi), x.talkReason(c, mi, ts))
			}
			monthTalks[mi].den++
			if ts.contacts > 0 {
				put(iParentContact, true, int32(mi), -1)
				monthContacts[mi].num++
			} else {
				put(iParentContact, false, int32(mi), x.contactReasons[mi])
			}
			monthContacts[mi].den++
		}
		if lbEnd && enrolledEnd {
			if c.Support.Priority || c.Support.Poor || c.Support.Struggling {
				put(iMentoring, x.activePairing(c, "teacher", end), -1, x.mentorReason)
			}
			put(iPeerHelp, x.activePairing(c, "peer", end), -1, x.peerReason)
		}
	}

	months := make([]MonthResult, len(x.months)) // never nil
	for i, m := range x.months {
		t, k := monthTalks[i], monthContacts[i]
		months[i] = MonthResult{Month: x.monthStr[i], Ref: m.Ref,
			Talks:         Fraction{Numerator: t.num, Denominator: t.den, Rate: rate(t.num, t.den)},
			ParentContact: Fraction{Numerator: k.num, Denominator: k.den, Rate: rate(k.num, k.den)}}
	}

	// The shortfall lists: the whole's, and each group's (its misses, in
	// the same order), in one array per indicator.
	out := make([]Indicator, numIDs)
	byGroup := make([][]Indicator, nGroups)
	for g := range byGroup {
		byGroup[g] = make([]Indicator, numIDs)
	}
	count := make([]int, nGroups+1)
	for k := range IDs {
		ms := whole[k].misses
		short := make([]Shortfall, len(ms))
		clear(count)
		for j, m := range ms {
			c := children[m.child]
			month := ""
			if m.month >= 0 {
				month = x.monthStr[m.month]
			}
			short[j] = Shortfall{Child: c.ID, Name: c.Name, Class: c.Class, Month: month, Reason: x.texts[m.reason]}
			count[groupOf[m.child]+1]++
		}
		out[k] = x.indicator(k, whole[k].num, whole[k].den, short)
		if nGroups == 0 {
			continue
		}
		for g := 0; g < nGroups; g++ {
			count[g+1] += count[g]
		}
		backing := make([]Shortfall, len(ms))
		next := slices.Clone(count[:nGroups])
		for j, m := range ms {
			g := groupOf[m.child]
			backing[next[g]] = short[j]
			next[g]++
		}
		for g := range groups {
			a, b := count[g], count[g+1]
			gs := []Shortfall{}
			if b > a {
				gs = backing[a:b:b]
			}
			byGroup[g][k] = x.indicator(k, groups[g][k].num, groups[g][k].den, gs)
		}
	}
	return out, months, byGroup
}

func (x *computer) indicator(k int, num, den int, short []Shortfall) Indicator {
	id, t := IDs[k], x.targets[k]
	return Indicator{ID: id, Name: Name(id), Numerator: num, Denominator: den, Rate: rate(num, den),
		Target: t, Met: Met(num, den, t.Rat), Shortfall: short}
}

// talkHeadTeacher returns the staff id whose talks count for c: c's head
// teacher, or "" under any_staff (when every talk counts) or when c has
// none.
func (x *computer) talkHeadTeacher(c *record.Child) string {
	if x.anyStaff {
		return ""
	}
	return x.headTeacher(c)
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
