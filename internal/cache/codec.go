package cache

import (
	"encoding/binary"
	"errors"
	"math"

	"github.com/care-tool/care/internal/diag"
	"github.com/care-tool/care/internal/i18n"
	"github.com/care-tool/care/internal/record"
)

// The body of a cache file is a sequence of entries in a small hand-written
// binary format: unsigned varints for counts, lengths and positions, zig-zag
// varints for signed numbers, and strings as a length and their bytes. It is
// several times faster to read than encoding/gob (see docs/performance.md),
// and decoding makes no copy of the strings: they are slices of the one
// string holding the file.
//
// Any change to what is written, including a field added to a record type,
// must bump formatVersion; TestRecordFieldsCovered fails when a record type
// gains a field the codec does not know.

// errCorrupt is returned for a body that does not decode.
var errCorrupt = errors.New("corrupt cache entry")

type encoder struct{ b []byte }

func (e *encoder) uint(v uint64) { e.b = binary.AppendUvarint(e.b, v) }
func (e *encoder) int(v int64)   { e.b = binary.AppendVarint(e.b, v) }
func (e *encoder) str(s string) {
	e.uint(uint64(len(s)))
	e.b = append(e.b, s...)
}
func (e *encoder) bool(v bool) {
	if v {
		e.b = append(e.b, 1)
	} else {
		e.b = append(e.b, 0)
	}
}
func (e *encoder) date(d record.Date) { e.int(int64(d)) }

// optBool writes a *bool as 0 (nil), 1 (false) or 2 (true).
func (e *encoder) optBool(p *bool) {
	switch {
	case p == nil:
		e.uint(0)
	case !*p:
		e.uint(1)
	default:
		e.uint(2)
	}
}

func (e *encoder) strs(ss []string) {
	e.uint(uint64(len(ss)))
	for _, s := range ss {
		e.str(s)
	}
}

type decoder struct {
	s   string
	i   int
	err bool

	// Slabs the decoded values are cut from: a few large allocations
	// instead of one per value, at tens of thousands of entries.
	entries []Entry
	pos     []record.PosTable
	talks   []record.Talk
}

// newEntry returns a zeroed Entry from the slab.
func (d *decoder) newEntry() *Entry {
	if len(d.entries) == 0 {
		d.entries = make([]Entry, 1024)
	}
	x := &d.entries[0]
	d.entries = d.entries[1:]
	return x
}

func (d *decoder) newPos() *record.PosTable {
	if len(d.pos) == 0 {
		d.pos = make([]record.PosTable, 1024)
	}
	x := &d.pos[0]
	d.pos = d.pos[1:]
	return x
}

func (d *decoder) newTalk() *record.Talk {
	if len(d.talks) == 0 {
		d.talks = make([]record.Talk, 1024)
	}
	x := &d.talks[0]
	d.talks = d.talks[1:]
	return x
}

func (d *decoder) uint() uint64 {
	if d.err {
		return 0
	}
	var v uint64
	var shift uint
	for {
		if d.i >= len(d.s) || shift > 63 {
			d.err = true
			return 0
		}
		c := d.s[d.i]
		d.i++
		v |= uint64(c&0x7f) << shift
		if c < 0x80 {
			return v
		}
		shift += 7
	}
}

func (d *decoder) int() int64 {
	u := d.uint()
	v := int64(u >> 1)
	if u&1 != 0 {
		v = ^v
	}
	return v
}

// count reads a length that must fit in what is left of the input, so that
// a corrupt length never makes a huge allocation.
func (d *decoder) count() int {
	n := d.uint()
	if n > uint64(len(d.s)-d.i) {
		d.err = true
		return 0
	}
	return int(n)
}

func (d *decoder) str() string {
	n := d.count()
	if d.err {
		return ""
	}
	s := d.s[d.i : d.i+n]
	d.i += n
	return s
}

func (d *decoder) bool() bool {
	if d.err || d.i >= len(d.s) {
		d.err = true
		return false
	}
	c := d.s[d.i]
	d.i++
	if c > 1 {
		d.err = true
	}
	return c == 1
}

func (d *decoder) date() record.Date {
	v := d.int()
	if v < math.MinInt32 || v > math.MaxInt32 {
		d.err = true
		return 0
	}
	return record.Date(v)
}

func (d *decoder) int32() int32 {
	v := d.int()
	if v < math.MinInt32 || v > math.MaxInt32 {
		d.err = true
		return 0
	}
	return int32(v)
}

func (d *decoder) optBool() *bool {
	switch d.uint() {
	case 0:
		return nil
	case 1:
		v := false
		return &v
	case 2:
		v := true
		return &v
	}
	d.err = true
	return nil
}

func (d *decoder) strs() []string {
	n := d.count()
	if n == 0 || d.err {
		return nil
	}
	out := make([]string, n)
	for i := range out {
		out[i] = d.str()
	}
	return out
}

func (e *encoder) text(t i18n.Text) {
	e.str(t.Zh)
	e.str(t.En)
}

func (d *decoder) text() i18n.Text { return i18n.Text{Zh: d.str(), En: d.str()} }

func (e *encoder) diags(ds []diag.Diagnostic) {
	e.uint(uint64(len(ds)))
	for _, x := range ds {
		e.str(x.File)
		e.int(int64(x.Line))
		e.int(int64(x.Column))
		e.int(int64(x.Severity))
		e.str(x.Check)
		e.str(x.Path)
		e.text(x.Message)
		e.text(x.Hint)
	}
}

func (d *decoder) diags() []diag.Diagnostic {
	n := d.count()
	if n == 0 || d.err {
		return nil
	}
	out := make([]diag.Diagnostic, n)
	for i := range out {
		out[i] = diag.Diagnostic{File: d.str(), Line: int(d.int()), Column: int(d.int()), Severity: diag.Severity(d.int()),
			Check: d.str(), Path: d.str(), Message: d.text(), Hint: d.text()}
	}
	return out
}

// Record tags: which decoded record follows an entry's header.
const (
	tagNone = iota
	tagChild
	tagPairing
	tagTalk
)

func (e *encoder) entry(x *Entry) {
	e.str(x.Path)
	e.uint(uint64(x.Kind))
	e.str(x.Hash)
	e.str(x.Blob)
	e.int(x.Stat.Size)
	e.int(x.Stat.ModNs)
	e.uint(x.Stat.Ino)
	e.int(x.Stat.ChangeNs)
	e.bool(x.StatTrusted)
	e.date(x.Today)
	e.date(x.MaxDate)
	e.bool(x.PII)
	if x.Pos == nil {
		e.bool(false)
	} else {
		e.bool(true)
		for _, p := range x.Pos {
			e.int(int64(p.Line))
			e.int(int64(p.Col))
			e.int(int64(p.KeyLine))
			e.int(int64(p.KeyCol))
		}
	}
	e.diags(x.LoadDiags)
	e.diags(x.CheckDiags)
	switch {
	case x.Child != nil:
		e.uint(tagChild)
		e.child(x.Child)
	case x.Pairing != nil:
		e.uint(tagPairing)
		e.pairing(x.Pairing)
	case x.Talk != nil:
		e.uint(tagTalk)
		e.talk(x.Talk)
	default:
		e.uint(tagNone)
	}
}

func (d *decoder) entry() *Entry {
	x := d.newEntry()
	x.Path, x.Kind, x.Hash, x.Blob = d.str(), record.Kind(d.uint()), d.str(), d.str()
	x.Stat = Stat{Size: d.int(), ModNs: d.int(), Ino: d.uint(), ChangeNs: d.int()}
	x.StatTrusted = d.bool()
	x.Today = d.date()
	x.MaxDate = d.date()
	x.PII = d.bool()
	if d.bool() {
		x.Pos = d.newPos()
		for i := range x.Pos {
			x.Pos[i] = record.Pos{Line: d.int32(), Col: d.int32(), KeyLine: d.int32(), KeyCol: d.int32()}
		}
	}
	x.LoadDiags = d.diags()
	x.CheckDiags = d.diags()
	switch d.uint() {
	case tagNone:
	case tagChild:
		x.Child = d.child()
	case tagPairing:
		x.Pairing = d.pairing()
	case tagTalk:
		x.Talk = d.talk()
	default:
		d.err = true
	}
	if d.err {
		return nil
	}
	return x
}

func (e *encoder) child(c *record.Child) {
	e.str(c.ID)
	e.str(c.Name)
	e.str(c.Gender)
	e.date(c.BirthDate)
	e.str(c.IDNumber)
	e.str(c.Class)
	e.optBool(c.Boarding)
	e.str(c.Address)
	e.str(c.Health)
	e.date(c.LeftBehind.Since)
	e.date(c.LeftBehind.Until)
	e.str(c.LeftBehind.Type)
	e.uint(uint64(len(c.Parents)))
	for _, p := range c.Parents {
		e.str(p.Name)
		e.str(p.Relation)
		e.str(p.Phone)
		e.str(p.WorkAddress)
		e.str(p.Employer)
	}
	if g := c.Guardian; g == nil {
		e.bool(false)
	} else {
		e.bool(true)
		e.str(g.Name)
		e.str(g.Relation)
		e.optBool(g.Delegated)
		if g.Age == nil {
			e.bool(false)
		} else {
			e.bool(true)
			e.int(int64(*g.Age))
		}
		e.str(g.Occupation)
		e.str(g.Phone)
		e.str(g.Address)
		e.str(g.Health)
	}
	e.uint(uint64(len(c.Enrolment)))
	for _, ev := range c.Enrolment {
		e.date(ev.Date)
		e.str(ev.Status)
		e.str(ev.From)
		e.str(ev.School)
	}
	e.bool(c.Support.Priority)
	e.bool(c.Support.Poor)
	e.bool(c.Support.Struggling)
	e.strs(c.Support.Aid)
	e.str(c.Notes)
}

func (d *decoder) child() *record.Child {
	c := &record.Child{ID: d.str(), Name: d.str(), Gender: d.str(), BirthDate: d.date(), IDNumber: d.str(), Class: d.str(),
		Boarding: d.optBool(), Address: d.str(), Health: d.str()}
	c.LeftBehind = record.LeftBehind{Since: d.date(), Until: d.date(), Type: d.str()}
	if n := d.count(); n > 0 && !d.err {
		c.Parents = make([]record.Parent, n)
		for i := range c.Parents {
			c.Parents[i] = record.Parent{Name: d.str(), Relation: d.str(), Phone: d.str(), WorkAddress: d.str(), Employer: d.str()}
		}
	}
	if d.bool() {
		g := &record.Guardian{Name: d.str(), Relation: d.str(), Delegated: d.optBool()}
		if d.bool() {
			age := int(d.int())
			g.Age = &age
		}
		g.Occupation, g.Phone, g.Address, g.Health = d.str(), d.str(), d.str(), d.str()
		c.Guardian = g
	}
	if n := d.count(); n > 0 && !d.err {
		c.Enrolment = make([]record.Event, n)
		for i := range c.Enrolment {
			c.Enrolment[i] = record.Event{Date: d.date(), Status: d.str(), From: d.str(), School: d.str()}
		}
	}
	c.Support = record.Support{Priority: d.bool(), Poor: d.bool(), Struggling: d.bool(), Aid: d.strs()}
	c.Notes = d.str()
	return c
}

func (e *encoder) pairing(p *record.Pairing) {
	e.str(p.Child)
	e.str(p.Role)
	e.str(p.Mentor)
	e.date(p.Start)
	e.date(p.End)
	e.strs(p.Focus)
	e.str(p.Plan)
	e.uint(uint64(len(p.Reviews)))
	for _, r := range p.Reviews {
		e.date(r.Date)
		e.str(r.Note)
	}
}

func (d *decoder) pairing() *record.Pairing {
	p := &record.Pairing{Child: d.str(), Role: d.str(), Mentor: d.str(), Start: d.date(), End: d.date(), Focus: d.strs(), Plan: d.str()}
	if n := d.count(); n > 0 && !d.err {
		p.Reviews = make([]record.Review, n)
		for i := range p.Reviews {
			p.Reviews[i] = record.Review{Date: d.date(), Note: d.str()}
		}
	}
	return p
}

func (e *encoder) talk(t *record.Talk) {
	e.str(t.Child)
	e.date(t.Date)
	e.str(t.By)
	e.str(t.Kind)
	e.str(t.Topic)
	e.str(t.Summary)
	e.str(t.FollowUp)
}

func (d *decoder) talk() *record.Talk {
	t := d.newTalk()
	t.Child, t.Date, t.By, t.Kind = d.str(), d.date(), d.str(), d.str()
	t.Topic, t.Summary, t.FollowUp = d.str(), d.str(), d.str()
	return t
}
