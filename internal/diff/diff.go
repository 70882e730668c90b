// Package diff compares the records at two points in time by record
// identity rather than by line: children by id (a child whose file moved
// is moved, not removed and added), pairings and talk logs by file. It
// reports each changed field by path with its old and new value, calls out
// enrolment status and left-behind changes, pairings started and ended,
// talk logs added and removed counted by class and teacher, and how each
// indicator moved between the two points.
//
// The package is pure: datasets in, a Diff value out. Personal data is
// left as it is; masking is the renderer's job.
package diff

import (
	"sort"

	"github.com/care-tool/care/internal/i18n"
	"github.com/care-tool/care/internal/indicator"
	"github.com/care-tool/care/internal/record"
)

// Op says what happened to a field or an item.
type Op string

// The operations, written as JSON.
const (
	Added   Op = "added"
	Removed Op = "removed"
	Changed Op = "changed"
)

// Field is one changed field of a record.
type Field struct {
	// Path locates the field: "guardian.phone",
	// "parents[relation=mother].work_address", "enrolment[2026-10-15].status",
	// "support.aid", or "parents[1]" when list items have no stable key.
	Path string
	// Key is the last mapping key on the path ("phone"; "parents" for a whole
	// parent), by which renderers recognise personal data to mask.
	Key string
	Op  Op
	// Old and New are nil, string, int64, float64, bool, []any or Map; Old
	// is nil for Added, New for Removed.
	Old, New any
}

// ChildRef names a child.
type ChildRef struct {
	ID        string
	Name      string
	Class     string // class id
	ClassName string // from care.yaml; "" when unknown
	Path      string // the child's file (after the change; before it for a removed child)
}

// Move is a child whose file moved to another path.
type Move struct {
	Child    ChildRef
	From, To string
}

// ChildChange lists the changed fields of one child.
type ChildChange struct {
	Child  ChildRef
	Fields []Field
}

// StatusChange is a change of a child's current enrolment status: the status
// of the last enrolment event in the file.
type StatusChange struct {
	Child    ChildRef
	Old, New string      // "" when there is no event
	Date     record.Date // the date of the last event after the change
	School   string      // the receiving school of a transfer
}

// LeftBehindChange is any change of a child's left_behind block.
type LeftBehindChange struct {
	Child    ChildRef
	Old, New record.LeftBehind
}

// PairingRef describes a pairing.
type PairingRef struct {
	Path       string
	Child      string
	ChildName  string
	Role       string
	Mentor     string
	MentorName string // the staff member's name for a staff id, else Mentor
	Start, End record.Date
}

// PairingChange lists the changed fields of a pairing other than its end
// being set (an ended pairing is in Diff.PairingsEnded).
type PairingChange struct {
	Pairing PairingRef
	OldPath string // set when the file moved
	Fields  []Field
}

// TalkRef describes a talk log.
type TalkRef struct {
	Path      string
	Child     string
	ChildName string
	Class     string
	ClassName string
	By        string
	ByName    string
	Kind      string // talk | home_visit | parent_contact
	Date      record.Date
}

// Count is the number of talk logs added and removed for one class or one
// teacher.
type Count struct {
	Key     string // class id or staff id; "" when unknown
	Name    string // class or staff name; "" when unknown
	Added   int
	Removed int
}

// Talks sums up the talk logs added, removed and changed.
type Talks struct {
	Added     []TalkRef
	Removed   []TalkRef
	Changed   []TalkRef
	ByClass   []Count // in care.yaml class order, then unknown classes
	ByTeacher []Count // in care.yaml staff order, then unknown ids
}

// Window is the term and day on which indicators were computed at one point.
type Window struct {
	Term record.Term
	AsOf record.Date
}

// Value is an indicator's value at one point.
type Value struct {
	Numerator   int
	Denominator int
	Rate        *float64
	Target      record.Target
	Met         bool
}

// IndicatorMove is one indicator at both points; From or To is nil when it
// could not be computed there (no care.yaml, no term started).
type IndicatorMove struct {
	ID       string
	Name     i18n.Text
	From, To *Value
}

// Moved reports whether the indicator's numerator or denominator differs
// between the points.
func (m IndicatorMove) Moved() bool {
	if (m.From == nil) != (m.To == nil) {
		return true
	}
	return m.From != nil && (m.From.Numerator != m.To.Numerator || m.From.Denominator != m.To.Denominator)
}

// Diff is the difference between the records at two points.
type Diff struct {
	Status     []StatusChange     // enrolment status changes, by child id
	LeftBehind []LeftBehindChange // left-behind changes, by child id

	Added   []ChildRef    // children whose id is new
	Removed []ChildRef    // children whose id is gone
	Moved   []Move        // children whose file moved
	Changed []ChildChange // children with changed fields (moved ones too)

	PairingsStarted []PairingRef    // new pairing files
	PairingsEnded   []PairingRef    // pairings whose end got set
	PairingsRemoved []PairingRef    // pairing files deleted
	PairingsChanged []PairingChange // other changes to pairings

	Talks Talks

	Config []Field // changes to care.yaml

	// From and To are the indicator windows at each point; nil when
	// indicators were not computed there.
	From, To   *Window
	Indicators []IndicatorMove // the seven indicators; nil when computed at neither point
}

// Empty reports whether the records are the same at both points; indicator
// movements alone (the same records seen on another day) do not count.
func (d *Diff) Empty() bool { return d.Changes() == 0 }

// Changes counts the record changes: children added, removed, moved or
// changed, pairings started, ended, removed or changed, talk logs added,
// removed or changed, and care.yaml fields changed.
func (d *Diff) Changes() int {
	n := len(d.Added) + len(d.Removed) + len(d.Changed) + len(d.PairingsStarted) +
		len(d.PairingsEnded) + len(d.PairingsRemoved) + len(d.PairingsChanged) +
		len(d.Talks.Added) + len(d.Talks.Removed) + len(d.Talks.Changed) + len(d.Config)
	for _, m := range d.Moved {
		if !d.changed(m.Child.ID) {
			n++ // a move with field changes counts once, with the changes
		}
	}
	return n
}

func (d *Diff) changed(id string) bool {
	for _, c := range d.Changed {
		if c.Child.ID == id {
			return true
		}
	}
	return false
}

// Options tunes Compare.
type Options struct {
	// FromDay and ToDay are the days on which to compute the indicators at
	// each point (see WindowAt); 0 leaves them out on that side.
	FromDay, ToDay record.Date
}

// WindowAt returns the window of the indicators on day: the default term on
// that day (the term containing it, or in the holidays the latest term
// started), and as-of the day itself capped to the term's end. It reports
// false when no term has started by day.
func WindowAt(cfg *record.Config, day record.Date) (Window, bool) {
	t, ok := indicator.DefaultTerm(cfg, day)
	if !ok || day == 0 {
		return Window{}, false
	}
	asOf := day
	if t.End != 0 && asOf > t.End {
		asOf = t.End
	}
	return Window{Term: t, AsOf: asOf}, true
}

// Compare returns the difference from the records in a to those in b.
// Either may be nil, standing for no records at all.
func Compare(a, b *record.Dataset, opt Options) *Diff {
	if a == nil {
		a = &record.Dataset{}
	}
	if b == nil {
		b = &record.Dataset{}
	}
	c := &comparer{a: a, b: b, d: &Diff{}, aIdx: childIndex(a), bIdx: childIndex(b)}
	c.children()
	c.pairings()
	c.talks()
	c.config()
	c.indicators(opt)
	return c.d
}

type comparer struct {
	a, b       *record.Dataset
	d          *Diff
	aIdx, bIdx map[string]*record.Child // children by id, as Dataset.Child finds them
}

// childIndex maps each child id of ds to the child Dataset.Child returns:
// the first with that id.
func childIndex(ds *record.Dataset) map[string]*record.Child {
	m := make(map[string]*record.Child, len(ds.Children))
	for _, ch := range ds.Children {
		if _, ok := m[ch.ID]; !ok {
			m[ch.ID] = ch
		}
	}
	return m
}

// child returns the child with the given id in side (c.a or c.b).
func (c *comparer) child(side *record.Dataset, id string) *record.Child {
	if side == c.a {
		return c.aIdx[id]
	}
	if side == c.b {
		return c.bIdx[id]
	}
	return side.Child(id)
}

// cfg returns the care.yaml to name things by: the newer one, else the older.
func (c *comparer) cfg() *record.Config {
	if c.b.Config != nil {
		return c.b.Config
	}
	return c.a.Config
}

func (c *comparer) childRef(ch *record.Child) ChildRef {
	r := ChildRef{ID: ch.ID, Name: ch.Name, Class: ch.Class}
	if ch.File != nil {
		r.Path = ch.File.Path
	}
	if cfg := c.cfg(); cfg != nil {
		if cl, ok := cfg.Class(ch.Class); ok {
			r.ClassName = cl.Name
		}
	}
	return r
}

// matchChildren pairs each child in cur with the child in old that it
// continues: the one with the same id. When an id is in more than one file
// (invalid records, as when a file was copied rather than moved), a file is
// matched with the file of that id at the same path first, and only the
// rest are paired in order, as moves; a child without an id is matched by
// path alone. match[i] is the old child of cur[i], nil for a new child;
// gone lists the old children matched by none, in their order.
func matchChildren(old, cur []*record.Child) (match []*record.Child, gone []*record.Child) {
	type key struct{ id, path string }
	byPath := make(map[key][]int, len(old))
	byID := make(map[string][]int, len(old))
	for i, ch := range old {
		k := key{ch.ID, ch.File.Path}
		byPath[k] = append(byPath[k], i)
		if ch.ID != "" {
			byID[ch.ID] = append(byID[ch.ID], i)
		}
	}
	used := make([]bool, len(old))
	take := func(is []int) *record.Child {
		for _, i := range is {
			if !used[i] {
				used[i] = true
				return old[i]
			}
		}
		return nil
	}
	match = make([]*record.Child, len(cur))
	for j, ch := range cur {
		match[j] = take(byPath[key{ch.ID, ch.File.Path}])
	}
	for j, ch := range cur {
		if match[j] == nil && ch.ID != "" {
			match[j] = take(byID[ch.ID])
		}
	}
	for i, ch := range old {
		if !used[i] {
			gone = append(gone, ch)
		}
	}
	return match, gone
}

func (c *comparer) children() {
	match, gone := matchChildren(c.a.Children, c.b.Children)
	for j, nc := range c.b.Children {
		oc := match[j]
		if oc == nil {
			c.d.Added = append(c.d.Added, c.childRef(nc))
			continue
		}
		ref := c.childRef(nc)
		if oc.File.Path != nc.File.Path {
			c.d.Moved = append(c.d.Moved, Move{Child: ref, From: oc.File.Path, To: nc.File.Path})
		}
		if oc.File.Hash == nc.File.Hash {
			continue
		}
		if fs := Fields(oc.File, nc.File); len(fs) > 0 {
			c.d.Changed = append(c.d.Changed, ChildChange{Child: ref, Fields: fs})
		}
		if oe, ne := lastEvent(oc), lastEvent(nc); oe.Status != ne.Status {
			c.d.Status = append(c.d.Status, StatusChange{Child: ref, Old: oe.Status, New: ne.Status, Date: ne.Date, School: ne.School})
		}
		if oc.LeftBehind != nc.LeftBehind {
			c.d.LeftBehind = append(c.d.LeftBehind, LeftBehindChange{Child: ref, Old: oc.LeftBehind, New: nc.LeftBehind})
		}
	}
	for _, oc := range gone {
		c.d.Removed = append(c.d.Removed, c.childRef(oc))
	}
}

// lastEvent returns the child's last dated enrolment event (its current
// status), or the zero Event.
func lastEvent(ch *record.Child) record.Event {
	ev, _ := ch.LastEventOn(record.Date(99991231))
	return ev
}

func (c *comparer) childName(id string) string {
	if ch := c.bIdx[id]; ch != nil {
		return ch.Name
	}
	if ch := c.aIdx[id]; ch != nil {
		return ch.Name
	}
	return ""
}

func (c *comparer) pairingRef(p *record.Pairing) PairingRef {
	r := PairingRef{Path: p.File.Path, Child: p.Child, ChildName: c.childName(p.Child), Role: p.Role,
		Mentor: p.Mentor, MentorName: p.Mentor, Start: p.Start, End: p.End}
	if cfg := c.cfg(); cfg != nil && p.Role == "teacher" {
		r.MentorName = cfg.StaffName(p.Mentor)
	}
	return r
}

// pairingIdentity says which pairing a file holds, to recognise a pairing
// whose file moved.
type pairingIdentity struct {
	child, role, mentor string
	start               record.Date
}

func (c *comparer) pairings() {
	old := map[string]*record.Pairing{}
	for _, p := range c.a.Pairings {
		old[p.File.Path] = p
	}
	cur := map[string]*record.Pairing{}
	for _, p := range c.b.Pairings {
		cur[p.File.Path] = p
	}
	// Files gone, by what they hold, to pair them with new files.
	gone := map[pairingIdentity][]*record.Pairing{}
	for _, p := range c.a.Pairings {
		if _, ok := cur[p.File.Path]; !ok {
			id := pairingIdentity{p.Child, p.Role, p.Mentor, p.Start}
			gone[id] = append(gone[id], p)
		}
	}
	moved := map[string]bool{} // old paths matched to a new file
	for _, np := range c.b.Pairings {
		op, ok := old[np.File.Path]
		oldPath := ""
		if !ok {
			id := pairingIdentity{np.Child, np.Role, np.Mentor, np.Start}
			if l := gone[id]; len(l) > 0 {
				op, oldPath = l[0], l[0].File.Path
				gone[id] = l[1:]
				moved[oldPath] = true
			}
		}
		if op == nil {
			c.d.PairingsStarted = append(c.d.PairingsStarted, c.pairingRef(np))
			continue
		}
		ref := c.pairingRef(np)
		if op.End == 0 && np.End != 0 {
			c.d.PairingsEnded = append(c.d.PairingsEnded, ref)
		}
		if oldPath == "" && op.File.Hash == np.File.Hash {
			continue
		}
		fs := Fields(op.File, np.File)
		if op.End == 0 && np.End != 0 {
			fs = withoutEnd(fs)
		}
		if len(fs) > 0 || oldPath != "" {
			c.d.PairingsChanged = append(c.d.PairingsChanged, PairingChange{Pairing: ref, OldPath: oldPath, Fields: fs})
		}
	}
	for _, p := range c.a.Pairings {
		if _, ok := cur[p.File.Path]; !ok && !moved[p.File.Path] {
			c.d.PairingsRemoved = append(c.d.PairingsRemoved, c.pairingRef(p))
		}
	}
	byPath := func(l []PairingRef) {
		sort.SliceStable(l, func(i, j int) bool { return l[i].Path < l[j].Path })
	}
	byPath(c.d.PairingsStarted)
	byPath(c.d.PairingsEnded)
	byPath(c.d.PairingsRemoved)
	sort.SliceStable(c.d.PairingsChanged, func(i, j int) bool {
		return c.d.PairingsChanged[i].Pairing.Path < c.d.PairingsChanged[j].Pairing.Path
	})
}

// withoutEnd drops the field change that set a pairing's end, which the
// list of ended pairings already says.
func withoutEnd(fs []Field) []Field {
	out := fs[:0:0]
	for _, f := range fs {
		if f.Path == "end" && f.Op == Added {
			continue
		}
		out = append(out, f)
	}
	return out
}

func (c *comparer) talkRef(t *record.Talk, side *record.Dataset) TalkRef {
	r := TalkRef{Path: t.File.Path, Child: t.Child, By: t.By, ByName: t.By, Kind: t.Kind, Date: t.Date}
	ch := c.child(side, t.Child)
	if ch == nil {
		ch = c.bIdx[t.Child]
	}
	if ch == nil {
		ch = c.aIdx[t.Child]
	}
	if ch != nil {
		r.ChildName, r.Class = ch.Name, ch.Class
	}
	if cfg := c.cfg(); cfg != nil {
		r.ByName = cfg.StaffName(t.By)
		if cl, ok := cfg.Class(r.Class); ok {
			r.ClassName = cl.Name
		}
	}
	return r
}

func (c *comparer) talks() {
	old := map[string]*record.Talk{}
	oldHash := map[string]int{} // content of files gone, to recognise moves
	for _, t := range c.a.Talks {
		old[t.File.Path] = t
	}
	cur := map[string]*record.Talk{}
	for _, t := range c.b.Talks {
		cur[t.File.Path] = t
	}
	for _, t := range c.a.Talks {
		if _, ok := cur[t.File.Path]; !ok {
			oldHash[t.File.Hash]++
		}
	}
	newHash := map[string]int{} // content of new files matched to gone ones
	d := &c.d.Talks
	for _, t := range c.b.Talks {
		o, ok := old[t.File.Path]
		switch {
		case !ok && oldHash[t.File.Hash] > 0:
			oldHash[t.File.Hash]-- // the same log in another folder
			newHash[t.File.Hash]++
		case !ok:
			d.Added = append(d.Added, c.talkRef(t, c.b))
		case o.File.Hash != t.File.Hash && len(Fields(o.File, t.File)) > 0:
			d.Changed = append(d.Changed, c.talkRef(t, c.b))
		}
	}
	for _, t := range c.a.Talks {
		if _, ok := cur[t.File.Path]; ok {
			continue
		}
		if newHash[t.File.Hash] > 0 {
			newHash[t.File.Hash]--
			continue
		}
		d.Removed = append(d.Removed, c.talkRef(t, c.a))
	}
	for _, l := range [][]TalkRef{d.Added, d.Removed, d.Changed} {
		sort.SliceStable(l, func(i, j int) bool {
			if l[i].Date != l[j].Date {
				return l[i].Date < l[j].Date
			}
			return l[i].Path < l[j].Path
		})
	}
	d.ByClass = c.counts(func(t TalkRef) (string, string) { return t.Class, t.ClassName }, c.classOrder())
	d.ByTeacher = c.counts(func(t TalkRef) (string, string) { return t.By, t.ByName }, c.staffOrder())
}

func (c *comparer) classOrder() map[string]int {
	m := map[string]int{}
	if cfg := c.cfg(); cfg != nil {
		for i, cl := range cfg.Classes {
			m[cl.ID] = i
		}
	}
	return m
}

func (c *comparer) staffOrder() map[string]int {
	m := map[string]int{}
	if cfg := c.cfg(); cfg != nil {
		for i, s := range cfg.Staff {
			m[s.ID] = i
		}
	}
	return m
}

// counts groups the added and removed talk logs by key, ordered by the
// order map (care.yaml order), then by key.
func (c *comparer) counts(key func(TalkRef) (string, string), order map[string]int) []Count {
	idx := map[string]int{}
	var out []Count
	add := func(t TalkRef, added bool) {
		k, name := key(t)
		i, ok := idx[k]
		if !ok {
			i = len(out)
			idx[k] = i
			out = append(out, Count{Key: k, Name: name})
		}
		if added {
			out[i].Added++
		} else {
			out[i].Removed++
		}
	}
	for _, t := range c.d.Talks.Added {
		add(t, true)
	}
	for _, t := range c.d.Talks.Removed {
		add(t, false)
	}
	rank := func(k string) int {
		if r, ok := order[k]; ok {
			return r
		}
		return len(order)
	}
	sort.SliceStable(out, func(i, j int) bool {
		ri, rj := rank(out[i].Key), rank(out[j].Key)
		if ri != rj {
			return ri < rj
		}
		return out[i].Key < out[j].Key
	})
	return out
}

func (c *comparer) config() {
	var a, b *record.File
	if c.a.Config != nil {
		a = c.a.Config.File
	}
	if c.b.Config != nil {
		b = c.b.Config.File
	}
	if a == b || a != nil && b != nil && a.Hash == b.Hash {
		return
	}
	c.d.Config = Fields(a, b)
}

func (c *comparer) indicators(opt Options) {
	from, fw := compute(c.a, opt.FromDay)
	to, tw := compute(c.b, opt.ToDay)
	c.d.From, c.d.To = fw, tw
	if from == nil && to == nil {
		return
	}
	for _, id := range indicator.IDs {
		m := IndicatorMove{ID: id, Name: indicator.Name(id), From: value(from, id), To: value(to, id)}
		c.d.Indicators = append(c.d.Indicators, m)
	}
}

// compute computes the indicators of ds on day, or returns nil when there
// is no day, no care.yaml or no term started by then.
func compute(ds *record.Dataset, day record.Date) (*indicator.Result, *Window) {
	if day == 0 || ds.Config == nil {
		return nil, nil
	}
	w, ok := WindowAt(ds.Config, day)
	if !ok {
		return nil, nil
	}
	res, err := indicator.Compute(ds, indicator.Options{Term: w.Term, AsOf: w.AsOf})
	if err != nil {
		return nil, nil
	}
	return res, &w
}

// value returns indicator id of res, or nil.
func value(res *indicator.Result, id string) *Value {
	if res == nil {
		return nil
	}
	for _, in := range res.Indicators {
		if in.ID == id {
			return &Value{Numerator: in.Numerator, Denominator: in.Denominator, Rate: in.Rate, Target: in.Target, Met: in.Met}
		}
	}
	return nil
}
