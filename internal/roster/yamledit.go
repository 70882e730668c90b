package roster

import (
	"bytes"
	"strconv"

	"gopkg.in/yaml.v3"

	"github.com/care-tool/care/internal/record"
)

// Key orders of a child record (records.md). New keys are inserted at their
// place in this order; keys a file already has never move.
var (
	childKeys    = []string{"id", "name", "gender", "birth_date", "id_number", "class", "boarding", "address", "health", "left_behind", "parents", "guardian", "enrolment", "support", "notes"}
	lbKeys       = []string{"since", "until", "type"}
	parentKeys   = []string{"name", "relation", "phone", "work_address", "employer"}
	guardianKeys = []string{"name", "relation", "delegated", "age", "occupation", "phone", "address", "health"}
	eventKeys    = []string{"date", "status", "from", "school"}
)

func strNode(s string) *yaml.Node { return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s} }

// codeNode is a string that must stay a string (ids, phone and id numbers):
// always quoted, so that YAML never reads it as a number.
func codeNode(s string) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s, Style: yaml.DoubleQuotedStyle}
}

func dateNode(d record.Date) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!timestamp", Value: d.String()}
}

func boolNode(b bool) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!bool", Value: strconv.FormatBool(b)}
}

func intNode(n int) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!int", Value: strconv.Itoa(n)}
}

func mapNode() *yaml.Node { return &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"} }

// editor edits a yaml.Node tree in place and remembers whether anything
// changed, so that an update that changes nothing leaves the file alone.
type editor struct{ changed bool }

func rank(order []string, key string) int {
	for i, k := range order {
		if k == key {
			return i
		}
	}
	return -1
}

// pair returns the index of key's key node in mapping m, or -1.
func pair(m *yaml.Node, key string) int {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return i
		}
	}
	return -1
}

// sameScalar reports whether old already holds the value of val. A date may
// be written quoted or not; an id or class may be a bare number.
func sameScalar(old, val *yaml.Node, loose bool) bool {
	old = record.Resolve(old)
	if old == nil || old.Kind != yaml.ScalarNode || old.Value != val.Value {
		return false
	}
	if old.Tag == val.Tag {
		return true
	}
	pairOf := func(a, b string) bool {
		return old.Tag == a && val.Tag == b || old.Tag == b && val.Tag == a
	}
	return pairOf("!!str", "!!timestamp") || loose && pairOf("!!str", "!!int")
}

// set gives key the scalar val in mapping m. An existing value keeps its
// place and comments; a new key goes to its place in order.
func (e *editor) set(m *yaml.Node, key string, val *yaml.Node, order []string, loose bool) {
	if i := pair(m, key); i >= 0 {
		old := m.Content[i+1]
		if sameScalar(old, val, loose) {
			return
		}
		old.Kind, old.Tag, old.Value, old.Style, old.Content, old.Alias, old.Anchor = val.Kind, val.Tag, val.Value, val.Style, val.Content, nil, ""
		e.changed = true
		return
	}
	e.insert(m, key, val, order)
}

func (e *editor) insert(m *yaml.Node, key string, val *yaml.Node, order []string) {
	r := rank(order, key)
	at := len(m.Content)
	if r >= 0 {
		after, before := -1, -1
		for i := 0; i+1 < len(m.Content); i += 2 {
			kr := rank(order, m.Content[i].Value)
			if kr >= 0 && kr < r {
				after = i + 2
			}
			if kr > r && before < 0 {
				before = i
			}
		}
		switch {
		case after >= 0:
			at = after
		case before >= 0:
			at = before
		}
	}
	kv := []*yaml.Node{strNode(key), val}
	m.Content = append(m.Content[:at], append(kv, m.Content[at:]...)...)
	e.changed = true
}

// child returns the mapping or sequence at key in m, making it (or
// replacing a null) when it is missing.
func (e *editor) child(m *yaml.Node, key string, kind yaml.Kind, order []string) *yaml.Node {
	if i := pair(m, key); i >= 0 {
		v := record.Resolve(m.Content[i+1])
		if v.Kind == kind {
			return v
		}
		old := m.Content[i+1]
		n := &yaml.Node{Kind: kind, Tag: map[yaml.Kind]string{yaml.MappingNode: "!!map", yaml.SequenceNode: "!!seq"}[kind],
			HeadComment: old.HeadComment, LineComment: old.LineComment, FootComment: old.FootComment}
		m.Content[i+1] = n
		e.changed = true
		return n
	}
	n := &yaml.Node{Kind: kind, Tag: map[yaml.Kind]string{yaml.MappingNode: "!!map", yaml.SequenceNode: "!!seq"}[kind]}
	e.insert(m, key, n, order)
	return n
}

// encode writes a document with two-space indentation, as records.md shows
// records.
func encode(doc *yaml.Node) ([]byte, error) {
	var b bytes.Buffer
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(doc); err != nil {
		return nil, err
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}
