package record

import (
	"math"
	"math/big"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// The decoders below read what they can and ignore what has the wrong
// shape: shape errors are the schema's to report, with line and column.

// Get returns the value node of key in mapping n, or nil.
func Get(n *yaml.Node, key string) *yaml.Node {
	n = resolve(n)
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if keyIs(n.Content[i], key) {
			return resolve(n.Content[i+1])
		}
	}
	return nil
}

// IsNull reports whether n is missing or an explicit null.
func IsNull(n *yaml.Node) bool {
	n = resolve(n)
	return n == nil || n.Kind == yaml.ScalarNode && n.Tag == "!!null"
}

// Str returns the text of scalar n ("" for null, missing or non-scalar).
func Str(n *yaml.Node) string {
	n = resolve(n)
	if n == nil || n.Kind != yaml.ScalarNode || n.Tag == "!!null" {
		return ""
	}
	return n.Value
}

func dateOf(n *yaml.Node) Date {
	d, err := ParseDate(strings.TrimSpace(Str(n)))
	if err != nil {
		return 0
	}
	return d
}

func boolOf(n *yaml.Node) *bool {
	n = resolve(n)
	if n == nil || n.Kind != yaml.ScalarNode || n.Tag != "!!bool" {
		return nil
	}
	var b bool
	if err := n.Decode(&b); err != nil {
		return nil
	}
	return &b
}

func intOf(n *yaml.Node) *int {
	n = resolve(n)
	if n == nil || n.Kind != yaml.ScalarNode {
		return nil
	}
	switch n.Tag {
	case "!!int":
		// As yaml.v3 reads integers: 0x44, 0o104 and 6_8 are 68 too.
		v, err := strconv.ParseInt(n.Value, 0, 64)
		if err != nil || v != int64(int(v)) {
			return nil
		}
		i := int(v)
		return &i
	case "!!float":
		// JSON Schema counts 68.0 as an integer, so the schema lets it
		// through; it must not then read as missing.
		f, err := strconv.ParseFloat(strings.ReplaceAll(n.Value, "_", ""), 64)
		if err != nil || f != math.Trunc(f) || math.Abs(f) > 1<<53 {
			return nil
		}
		i := int(f)
		return &i
	}
	return nil
}

func items(n *yaml.Node) []*yaml.Node {
	n = resolve(n)
	if n == nil || n.Kind != yaml.SequenceNode {
		return nil
	}
	out := make([]*yaml.Node, len(n.Content))
	for i, c := range n.Content {
		out[i] = resolve(c)
	}
	return out
}

func strs(n *yaml.Node) []string {
	var out []string
	for _, c := range items(n) {
		if s := Str(c); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// DecodeConfig decodes care.yaml.
func DecodeConfig(f *File) *Config {
	n := f.Doc
	c := &Config{File: f, Locale: Str(Get(n, "locale"))}
	if v := intOf(Get(n, "version")); v != nil {
		c.Version = *v
	}
	s := Get(n, "school")
	c.School = School{Name: Str(Get(s, "name")), Code: Str(Get(s, "code"))}
	for _, t := range items(Get(n, "terms")) {
		c.Terms = append(c.Terms, Term{ID: Str(Get(t, "id")), Name: Str(Get(t, "name")),
			Start: dateOf(Get(t, "start")), End: dateOf(Get(t, "end"))})
	}
	c.SchoolAge = SchoolAge{Min: 6, Max: 15, CutoffMonth: 8, CutoffDay: 31}
	if sa := Get(n, "school_age"); sa != nil {
		if v := intOf(Get(sa, "min")); v != nil {
			c.SchoolAge.Min = *v
		}
		if v := intOf(Get(sa, "max")); v != nil {
			c.SchoolAge.Max = *v
		}
		if m, d, ok := ParseCutoff(Str(Get(sa, "cutoff"))); ok {
			c.SchoolAge.CutoffMonth, c.SchoolAge.CutoffDay = m, d
		}
	}
	for _, s := range items(Get(n, "staff")) {
		c.Staff = append(c.Staff, Staff{ID: Str(Get(s, "id")), Name: Str(Get(s, "name"))})
	}
	for _, cl := range items(Get(n, "classes")) {
		k := Class{ID: Str(Get(cl, "id")), Name: Str(Get(cl, "name")), HeadTeacher: Str(Get(cl, "head_teacher"))}
		if g := intOf(Get(cl, "grade")); g != nil {
			k.Grade = *g
		}
		c.Classes = append(c.Classes, k)
	}
	c.Targets = Targets{}
	if t := Get(n, "targets"); t != nil && t.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(t.Content); i += 2 {
			v := resolve(t.Content[i+1])
			if v == nil || v.Kind != yaml.ScalarNode || (v.Tag != "!!int" && v.Tag != "!!float") {
				continue
			}
			r, ok := new(big.Rat).SetString(v.Value)
			if !ok {
				continue
			}
			fl, _ := r.Float64()
			c.Targets[t.Content[i].Value] = Target{Rat: r, Float: fl}
		}
	}
	c.Rules = Rules{TalksPerMonth: 1, TalkBy: "head_teacher"}
	if r := Get(n, "rules"); r != nil {
		if v := intOf(Get(r, "talks_per_month")); v != nil {
			c.Rules.TalksPerMonth = *v
		}
		if v := Str(Get(r, "talk_by")); v != "" {
			c.Rules.TalkBy = v
		}
	}
	return c
}

// ParseCutoff parses a school-age cutoff written MM-DD.
func ParseCutoff(s string) (month, day int, ok bool) {
	if len(s) != 5 || s[2] != '-' {
		return 0, 0, false
	}
	m, err1 := strconv.Atoi(s[:2])
	d, err2 := strconv.Atoi(s[3:])
	if err1 != nil || err2 != nil || m < 1 || m > 12 || d < 1 || d > DaysIn(2024, timeMonth(m)) {
		return 0, 0, false
	}
	return m, d, true
}

// DecodeChild decodes a child record.
func DecodeChild(f *File) *Child {
	n := f.Doc
	c := &Child{
		File: f, ID: Str(Get(n, "id")), Name: Str(Get(n, "name")), Gender: Str(Get(n, "gender")),
		BirthDate: dateOf(Get(n, "birth_date")), IDNumber: Str(Get(n, "id_number")), Class: Str(Get(n, "class")),
		Boarding: boolOf(Get(n, "boarding")), Address: Str(Get(n, "address")), Health: Str(Get(n, "health")),
		Notes: Str(Get(n, "notes")),
	}
	lb := Get(n, "left_behind")
	c.LeftBehind = LeftBehind{Since: dateOf(Get(lb, "since")), Until: dateOf(Get(lb, "until")), Type: Str(Get(lb, "type"))}
	for _, p := range items(Get(n, "parents")) {
		c.Parents = append(c.Parents, Parent{Name: Str(Get(p, "name")), Relation: Str(Get(p, "relation")),
			Phone: Str(Get(p, "phone")), WorkAddress: Str(Get(p, "work_address")), Employer: Str(Get(p, "employer"))})
	}
	if g := Get(n, "guardian"); g != nil && g.Kind == yaml.MappingNode {
		c.Guardian = &Guardian{Name: Str(Get(g, "name")), Relation: Str(Get(g, "relation")), Delegated: boolOf(Get(g, "delegated")),
			Age: intOf(Get(g, "age")), Occupation: Str(Get(g, "occupation")), Phone: Str(Get(g, "phone")),
			Address: Str(Get(g, "address")), Health: Str(Get(g, "health"))}
	}
	for _, e := range items(Get(n, "enrolment")) {
		c.Enrolment = append(c.Enrolment, Event{Date: dateOf(Get(e, "date")), Status: Str(Get(e, "status")),
			From: Str(Get(e, "from")), School: Str(Get(e, "school"))})
	}
	if s := Get(n, "support"); s != nil {
		c.Support = Support{Priority: isTrue(Get(s, "priority")), Poor: isTrue(Get(s, "poor")),
			Struggling: isTrue(Get(s, "struggling")), Aid: strs(Get(s, "aid"))}
	}
	return c
}

func isTrue(n *yaml.Node) bool {
	b := boolOf(n)
	return b != nil && *b
}

// DecodePairing decodes a pairing record.
func DecodePairing(f *File) *Pairing {
	n := f.Doc
	p := &Pairing{File: f, Child: Str(Get(n, "child")), Role: Str(Get(n, "role")), Mentor: Str(Get(n, "mentor")),
		Start: dateOf(Get(n, "start")), End: dateOf(Get(n, "end")), Focus: strs(Get(n, "focus")), Plan: Str(Get(n, "plan"))}
	for _, r := range items(Get(n, "reviews")) {
		p.Reviews = append(p.Reviews, Review{Date: dateOf(Get(r, "date")), Note: Str(Get(r, "note"))})
	}
	return p
}

// DecodeTalk decodes a talk log.
func DecodeTalk(f *File) *Talk {
	n := f.Doc
	return &Talk{File: f, Child: Str(Get(n, "child")), Date: dateOf(Get(n, "date")), By: Str(Get(n, "by")),
		Kind: Str(Get(n, "kind")), Topic: Str(Get(n, "topic")), Summary: Str(Get(n, "summary")), FollowUp: Str(Get(n, "follow_up"))}
}
