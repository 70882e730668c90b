// Package record defines the Go types of care's records (care.yaml, child,
// pairing, talk), parses files into yaml.Node trees, decodes the trees into
// the types leniently (the schema reports shape errors, not the decoder), and
// maps JSON-pointer paths back to line and column.
package record

import (
	"math/big"

	"gopkg.in/yaml.v3"
)

// Kind is the kind of a record file, given by its top folder.
type Kind int

// Record kinds.
const (
	KindNone Kind = iota
	KindConfig
	KindChild
	KindPairing
	KindTalk
)

// String returns the kind's name as used in schema file names.
func (k Kind) String() string {
	switch k {
	case KindConfig:
		return "care"
	case KindChild:
		return "child"
	case KindPairing:
		return "pairing"
	case KindTalk:
		return "talk"
	}
	return "none"
}

// File is one parsed record file.
type File struct {
	Path string     // slash path relative to the repository root
	Kind Kind       // from the top folder
	Doc  *yaml.Node // the top-level mapping node; nil when the file could not be parsed
	Hash string     // hex SHA-256 of the raw content
	Pos  *PosTable  // positions of TablePointers, set by Parse; answers Position when Doc is nil
}

// Config is care.yaml.
type Config struct {
	File      *File
	Version   int
	School    School
	Locale    string
	Terms     []Term
	SchoolAge SchoolAge
	Staff     []Staff
	Classes   []Class
	Targets   Targets
	Rules     Rules
}

// School names the school.
type School struct {
	Name string `json:"name"`
	Code string `json:"code"`
}

// Term is one school term.
type Term struct {
	ID    string `json:"id"`
	Name  string `json:"name"`
	Start Date   `json:"start"`
	End   Date   `json:"end"`
}

// SchoolAge is the compulsory-education age window.
type SchoolAge struct {
	Min, Max    int
	CutoffMonth int // 1-12
	CutoffDay   int // 1-31
}

// Staff is one member of staff.
type Staff struct {
	ID   string
	Name string
}

// Class is one class.
type Class struct {
	ID          string
	Name        string
	Grade       int
	HeadTeacher string
}

// Target is an indicator target, kept as an exact rational so that
// numerator >= target x denominator can be compared without rounding.
type Target struct {
	Rat   *big.Rat
	Float float64
}

// Targets maps indicator ids to targets; a missing id means 1.0.
type Targets map[string]Target

// Rules are the programme rules.
type Rules struct {
	TalksPerMonth int    // default 1
	TalkBy        string // head_teacher (default) | any_staff
}

// Child is a child's file and contact card.
type Child struct {
	File       *File
	ID         string
	Name       string
	Gender     string
	BirthDate  Date
	IDNumber   string
	Class      string
	Boarding   *bool
	Address    string
	Health     string
	LeftBehind LeftBehind
	Parents    []Parent
	Guardian   *Guardian
	Enrolment  []Event
	Support    Support
	Notes      string
}

// LeftBehind says since when (and until when) the child is left-behind.
type LeftBehind struct {
	Since Date
	Until Date
	Type  string // both_parents | one_parent
}

// Parent is a parent working away.
type Parent struct {
	Name        string
	Relation    string // father | mother
	Phone       string
	WorkAddress string
	Employer    string
}

// Guardian is the guardian at home.
type Guardian struct {
	Name       string
	Relation   string
	Delegated  *bool
	Age        *int
	Occupation string
	Phone      string
	Address    string
	Health     string
}

// Enrolment statuses.
const (
	Enrolled       = "enrolled"
	Suspended      = "suspended"
	TransferredOut = "transferred_out"
	Graduated      = "graduated"
	DroppedOut     = "dropped_out"
	Deceased       = "deceased"
)

// Event is one enrolment event.
type Event struct {
	Date   Date
	Status string
	From   string
	School string
}

// Support flags a child for extra help.
type Support struct {
	Priority   bool
	Poor       bool
	Struggling bool
	Aid        []string
}

// Pairing is one mentoring pairing.
type Pairing struct {
	File    *File
	Child   string
	Role    string // teacher | proxy_parent | peer | volunteer
	Mentor  string
	Start   Date
	End     Date
	Focus   []string
	Plan    string
	Reviews []Review
}

// Review is a dated progress note on a pairing.
type Review struct {
	Date Date
	Note string
}

// Talk is a talk log, home visit or parent contact.
type Talk struct {
	File     *File
	Child    string
	Date     Date
	By       string
	Kind     string // talk | home_visit | parent_contact
	Topic    string
	Summary  string
	FollowUp string
}

// Talk kinds.
const (
	TalkTalk          = "talk"
	TalkHomeVisit     = "home_visit"
	TalkParentContact = "parent_contact"
)

// StatusOn returns the status of c's last enrolment event dated on or before
// d, or "" if there is none.
func (c *Child) StatusOn(d Date) string {
	s := ""
	for _, e := range c.Enrolment {
		if e.Date != 0 && e.Date <= d {
			s = e.Status
		}
	}
	return s
}

// LastEventOn returns c's last enrolment event dated on or before d.
func (c *Child) LastEventOn(d Date) (Event, bool) {
	var ev Event
	ok := false
	for _, e := range c.Enrolment {
		if e.Date != 0 && e.Date <= d {
			ev, ok = e, true
		}
	}
	return ev, ok
}

// LeftBehindOn reports whether c is left-behind on d.
func (c *Child) LeftBehindOn(d Date) bool {
	lb := c.LeftBehind
	return lb.Since != 0 && lb.Since <= d && (lb.Until == 0 || lb.Until > d)
}

// ActiveOn reports whether p is active on d.
func (p *Pairing) ActiveOn(d Date) bool {
	return p.Start != 0 && p.Start <= d && (p.End == 0 || p.End >= d)
}

// StaffName returns the name of the staff member id, or id itself.
func (c *Config) StaffName(id string) string {
	for _, s := range c.Staff {
		if s.ID == id && s.Name != "" {
			return s.Name
		}
	}
	return id
}

// Class returns the class with the given id.
func (c *Config) Class(id string) (Class, bool) {
	for _, cl := range c.Classes {
		if cl.ID == id {
			return cl, true
		}
	}
	return Class{}, false
}

// Term returns the term with the given id.
func (c *Config) Term(id string) (Term, bool) {
	for _, t := range c.Terms {
		if t.ID == id {
			return t, true
		}
	}
	return Term{}, false
}

// Target returns the target for indicator id (1 when unset).
func (c *Config) Target(id string) Target {
	if t, ok := c.Targets[id]; ok && t.Rat != nil {
		return t
	}
	return Target{Rat: big.NewRat(1, 1), Float: 1}
}

// Dataset is every record of a repository at one point.
type Dataset struct {
	Config   *Config
	Children []*Child // sorted by id
	Pairings []*Pairing
	Talks    []*Talk
}

// Child returns the child with the given id, or nil.
func (ds *Dataset) Child(id string) *Child {
	for _, c := range ds.Children {
		if c.ID == id {
			return c
		}
	}
	return nil
}
