package record

import (
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

func timeMonth(m int) time.Month { return time.Month(m) }

// Pointer builds a JSON pointer from path segments, escaping "~" and "/".
func Pointer(segs ...string) string {
	var b strings.Builder
	for _, s := range segs {
		b.WriteByte('/')
		s = strings.ReplaceAll(s, "~", "~0")
		b.WriteString(strings.ReplaceAll(s, "/", "~1"))
	}
	return b.String()
}

// SplitPointer splits a JSON pointer into its unescaped segments.
func SplitPointer(p string) []string {
	if p == "" || p == "/" {
		return nil
	}
	parts := strings.Split(strings.TrimPrefix(p, "/"), "/")
	for i, s := range parts {
		s = strings.ReplaceAll(s, "~1", "/")
		parts[i] = strings.ReplaceAll(s, "~0", "~")
	}
	return parts
}

// Locate finds the node at the JSON-pointer segments segs below n. It returns
// the value node and, when the last segment is a mapping key, its key node.
// When the path does not exist, it returns the deepest node that does.
func Locate(n *yaml.Node, segs []string) (value, key *yaml.Node, found bool) {
	cur := resolve(n)
	for _, s := range segs {
		switch {
		case cur == nil:
			return nil, nil, false
		case cur.Kind == yaml.MappingNode:
			var next, k *yaml.Node
			for i := 0; i+1 < len(cur.Content); i += 2 {
				if keyIs(cur.Content[i], s) {
					k, next = cur.Content[i], resolve(cur.Content[i+1])
					break
				}
			}
			if next == nil {
				return cur, key, false
			}
			cur, key = next, k
		case cur.Kind == yaml.SequenceNode:
			i, err := strconv.Atoi(s)
			if err != nil || i < 0 || i >= len(cur.Content) {
				return cur, key, false
			}
			cur, key = resolve(cur.Content[i]), nil
		default:
			return cur, key, false
		}
	}
	return cur, key, true
}

// Position returns the line and column of the node at pointer p in f: the
// value's position when it exists, otherwise that of the deepest existing
// parent. Without Doc, it answers from the position table (see
// TablePointers). A zero result means the file has no parsed content.
func (f *File) Position(p string) (line, col int) {
	if f == nil || f.Doc == nil {
		return f.tablePosition(p, false)
	}
	v, _, _ := Locate(f.Doc, SplitPointer(p))
	if v == nil {
		return f.Doc.Line, f.Doc.Column
	}
	return v.Line, v.Column
}

// KeyPosition returns the position of the key of the mapping entry at p, or
// of its value when p is not a mapping entry.
func (f *File) KeyPosition(p string) (line, col int) {
	if f == nil || f.Doc == nil {
		return f.tablePosition(p, true)
	}
	v, k, found := Locate(f.Doc, SplitPointer(p))
	if found && k != nil {
		return k.Line, k.Column
	}
	if v == nil {
		return f.Doc.Line, f.Doc.Column
	}
	return v.Line, v.Column
}

// ToValue converts n into the JSON data model (map[string]any, []any,
// string, float64/int64 as json.Number-like values, bool, nil) for schema
// validation. Dates and other timestamps stay strings. Parse has already
// bounded alias expansion.
func ToValue(n *yaml.Node) any {
	n = resolve(n)
	if n == nil {
		return nil
	}
	switch n.Kind {
	case yaml.MappingNode:
		m := make(map[string]any, len(n.Content)/2)
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := resolve(n.Content[i])
			if k.Tag == "!!merge" {
				continue
			}
			if _, dup := m[k.Value]; dup {
				continue // the first wins; duplicate-key reports the rest
			}
			m[k.Value] = ToValue(n.Content[i+1])
		}
		return m
	case yaml.SequenceNode:
		s := make([]any, len(n.Content))
		for i, c := range n.Content {
			s[i] = ToValue(c)
		}
		return s
	case yaml.ScalarNode:
		switch n.Tag {
		case "!!null":
			return nil
		case "!!bool":
			var b bool
			if n.Decode(&b) == nil {
				return b
			}
		case "!!int":
			if i, err := strconv.ParseInt(n.Value, 0, 64); err == nil {
				return i
			}
			var i int64
			if n.Decode(&i) == nil {
				return i
			}
			var f float64
			if n.Decode(&f) == nil {
				return f // too large for int64
			}
			// not a number at all (!!int abc): the text, for the schema to judge
		case "!!float":
			var f float64
			if n.Decode(&f) == nil {
				return f
			}
		}
		return n.Value
	}
	return nil
}

// keyIs reports whether mapping key k (a scalar, or an alias of one) is s.
func keyIs(k *yaml.Node, s string) bool {
	if k.Kind == yaml.AliasNode {
		k = resolve(k)
	}
	return k != nil && k.Kind == yaml.ScalarNode && k.Value == s
}
