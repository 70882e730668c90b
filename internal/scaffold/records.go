package scaffold

import (
	"strings"

	"github.com/care-tool/care/internal/record"
)

// Child is what care new child knows about a new child. Empty fields are
// written as blanks for staff to fill in.
type Child struct {
	ID, Name  string
	Gender    string      // male | female
	BirthDate record.Date // required by the schema; blank when zero
	IDNumber  string
	Class     string
	Since     record.Date // left_behind.since
	Type      string      // both_parents | one_parent
	Enrolled  record.Date // date of an "enrolled" event; none when zero
	Created   record.Date // today, noted in the header comment
}

// Pairing is what care new pairing knows about a new pairing.
type Pairing struct {
	Child, Role, Mentor string
	Start               record.Date
	Focus               []string
	Created             record.Date
}

// Talk is what care new talk knows about a new talk log.
type Talk struct {
	Child, By, Kind string
	Date            record.Date
	Created         record.Date
}

func dateOrBlank(d record.Date) string { return d.String() }

func quoteOrBlank(s string) string {
	if s == "" {
		return ""
	}
	return Quote(s)
}

func plainOrBlank(s string) string {
	if s == "" {
		return ""
	}
	return Plain(s)
}

// ChildYAML returns the text of a new child's file.
func ChildYAML(c Child) ([]byte, error) {
	return render("child.yaml.tmpl", map[string]any{
		"Today":     c.Created.String(),
		"ID":        c.ID,
		"Name":      c.Name,
		"Gender":    plainOrBlank(c.Gender),
		"BirthDate": dateOrBlank(c.BirthDate),
		"IDNumber":  quoteOrBlank(c.IDNumber),
		"Class":     quoteOrBlank(c.Class),
		"Since":     dateOrBlank(c.Since),
		"Type":      plainOrBlank(c.Type),
		"Enrolled":  dateOrBlank(c.Enrolled),
	})
}

// PairingYAML returns the text of a new pairing.
func PairingYAML(p Pairing) ([]byte, error) {
	focus := "[]"
	if len(p.Focus) > 0 {
		focus = "[" + strings.Join(p.Focus, ", ") + "]"
	}
	return render("pairing.yaml.tmpl", map[string]any{
		"Today":  p.Created.String(),
		"Child":  p.Child,
		"Role":   Plain(p.Role),
		"Mentor": p.Mentor,
		"Start":  p.Start.String(),
		"Focus":  focus,
	})
}

// TalkYAML returns the text of a new talk log.
func TalkYAML(t Talk) ([]byte, error) {
	zh, en := "谈心", "talk"
	switch t.Kind {
	case record.TalkHomeVisit:
		zh, en = "家访", "home visit"
	case record.TalkParentContact:
		zh, en = "与在外父母联系反馈", "parent contact"
	}
	return render("talk.yaml.tmpl", map[string]any{
		"Today":  t.Created.String(),
		"Child":  t.Child,
		"By":     t.By,
		"Kind":   Plain(t.Kind),
		"Date":   t.Date.String(),
		"KindZh": zh,
		"KindEn": en,
	})
}
