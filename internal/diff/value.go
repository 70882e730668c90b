package diff

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"strconv"

	"gopkg.in/yaml.v3"

	"github.com/care-tool/care/internal/record"
)

// Map is a YAML mapping with its keys in file order. It is one of the values
// a Field holds; as JSON it is an object with the keys in the same order.
type Map []KV

// KV is one key of a Map and its value.
type KV struct {
	Key   string
	Value any
}

// Get returns the value of key, or nil.
func (m Map) Get(key string) any {
	for _, kv := range m {
		if kv.Key == key {
			return kv.Value
		}
	}
	return nil
}

// MarshalJSON writes m as a JSON object, keeping the key order.
func (m Map) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, kv := range m {
		if i > 0 {
			b.WriteByte(',')
		}
		k, err := marshal(kv.Key)
		if err != nil {
			return nil, err
		}
		b.Write(k)
		b.WriteByte(':')
		v, err := marshal(kv.Value)
		if err != nil {
			return nil, err
		}
		b.Write(v)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// marshal writes v as JSON without escaping <, > and &, which appear in
// addresses and notes.
func marshal(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimRight(b.Bytes(), "\n"), nil
}

// valueOf converts a YAML node into a Field value: nil, string, int64,
// float64, bool, []any or Map. Dates stay strings, as written.
func valueOf(n *yaml.Node) any {
	n = record.Resolve(n)
	if n == nil {
		return nil
	}
	switch n.Kind {
	case yaml.MappingNode:
		m := make(Map, 0, len(n.Content)/2)
		seen := map[string]bool{}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := record.Resolve(n.Content[i])
			if k == nil || seen[k.Value] {
				continue // the first of repeated keys wins, as in decoding
			}
			seen[k.Value] = true
			m = append(m, KV{k.Value, valueOf(n.Content[i+1])})
		}
		return m
	case yaml.SequenceNode:
		s := make([]any, len(n.Content))
		for i, c := range n.Content {
			s[i] = valueOf(c)
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

// blank reports whether v says nothing: missing, null, "" or an empty list
// or mapping. The records treat all of these alike (a gap, not a value), so
// a change between two of them is no change.
func blank(v any) bool {
	switch x := v.(type) {
	case nil:
		return true
	case string:
		return x == ""
	case []any:
		return len(x) == 0
	case Map:
		return len(x) == 0
	}
	return false
}

// listKeys names the field that identifies the items of a list, by the
// list's own key: parents by relation, enrolment events and reviews by date.
// Other lists of mappings are keyed by id when every item has one.
var listKeys = map[string]string{
	"parents":   "relation",
	"enrolment": "date",
	"reviews":   "date",
}

// diffValues appends to out the changes from a to b below path p. key is
// the last mapping key on p (the list's key for list items).
func diffValues(out []Field, p, key string, a, b any) []Field {
	switch {
	case blank(a) && blank(b):
		return out
	case blank(a) && isMapList(b):
		// A first parent or review: added item by item, with its key.
		return diffLists(out, p, key, nil, b.([]any))
	case blank(b) && isMapList(a):
		return diffLists(out, p, key, a.([]any), nil)
	case blank(a):
		return append(out, Field{Path: p, Key: key, Op: Added, New: b})
	case blank(b):
		return append(out, Field{Path: p, Key: key, Op: Removed, Old: a})
	}
	switch x := a.(type) {
	case Map:
		if y, ok := b.(Map); ok {
			return diffMaps(out, p, x, y)
		}
	case []any:
		if y, ok := b.([]any); ok {
			return diffLists(out, p, key, x, y)
		}
	}
	if !reflect.DeepEqual(a, b) {
		out = append(out, Field{Path: p, Key: key, Op: Changed, Old: a, New: b})
	}
	return out
}

// diffMaps compares two mappings key by key: the keys of b in their order,
// then those only in a.
func diffMaps(out []Field, p string, a, b Map) []Field {
	join := func(k string) string {
		if p == "" {
			return k
		}
		return p + "." + k
	}
	for _, kv := range b {
		out = diffValues(out, join(kv.Key), kv.Key, a.Get(kv.Key), kv.Value)
	}
	for _, kv := range a {
		if !has(b, kv.Key) {
			out = diffValues(out, join(kv.Key), kv.Key, kv.Value, nil)
		}
	}
	return out
}

func has(m Map, key string) bool {
	for _, kv := range m {
		if kv.Key == key {
			return true
		}
	}
	return false
}

// diffLists compares two lists. Lists of mappings with a stable key field
// are matched item by item on it; other lists of mappings by position; a
// list of plain values changes as a whole.
func diffLists(out []Field, p, key string, a, b []any) []Field {
	if !mapsOnly(a) || !mapsOnly(b) {
		if !reflect.DeepEqual(a, b) {
			out = append(out, Field{Path: p, Key: key, Op: Changed, Old: a, New: b})
		}
		return out
	}
	if kf, ok := keyField(key, a, b); ok {
		label := func(m Map) string {
			v := fmt.Sprint(m.Get(kf))
			if kf == "date" {
				return p + "[" + v + "]"
			}
			return p + "[" + kf + "=" + v + "]"
		}
		old := map[string]Map{}
		for _, it := range a {
			m := it.(Map)
			old[fmt.Sprint(m.Get(kf))] = m
		}
		seen := map[string]bool{}
		for _, it := range b {
			m := it.(Map)
			k := fmt.Sprint(m.Get(kf))
			seen[k] = true
			if o, ok := old[k]; ok {
				out = diffMaps(out, label(m), o, m)
			} else {
				out = append(out, Field{Path: label(m), Key: key, Op: Added, New: m})
			}
		}
		for _, it := range a {
			m := it.(Map)
			if !seen[fmt.Sprint(m.Get(kf))] {
				out = append(out, Field{Path: label(m), Key: key, Op: Removed, Old: m})
			}
		}
		return out
	}
	for i := 0; i < max(len(a), len(b)); i++ {
		ip := fmt.Sprintf("%s[%d]", p, i)
		switch {
		case i >= len(a):
			out = append(out, Field{Path: ip, Key: key, Op: Added, New: b[i]})
		case i >= len(b):
			out = append(out, Field{Path: ip, Key: key, Op: Removed, Old: a[i]})
		default:
			out = diffMaps(out, ip, a[i].(Map), b[i].(Map))
		}
	}
	return out
}

// isMapList reports whether v is a list of mappings.
func isMapList(v any) bool {
	l, ok := v.([]any)
	return ok && mapsOnly(l)
}

func mapsOnly(l []any) bool {
	for _, it := range l {
		if _, ok := it.(Map); !ok {
			return false
		}
	}
	return true
}

// keyField returns the field that identifies the items of the list named
// key, if every item on both sides has a plain, non-blank value for it and
// no two items on one side share it.
func keyField(key string, lists ...[]any) (string, bool) {
	kf, ok := listKeys[key]
	if !ok {
		kf = "id"
	}
	for _, l := range lists {
		seen := map[string]bool{}
		for _, it := range l {
			v := it.(Map).Get(kf)
			switch v.(type) {
			case string, int64, float64, bool:
			default:
				return "", false
			}
			if blank(v) || seen[fmt.Sprint(v)] {
				return "", false
			}
			seen[fmt.Sprint(v)] = true
		}
	}
	return kf, true
}

// docValue returns the top-level mapping of a file as a Map (nil when the
// file could not be parsed).
func docValue(f *record.File) Map {
	if f == nil || f.Doc == nil {
		return nil
	}
	m, _ := valueOf(f.Doc).(Map)
	return m
}

// Fields returns the changes between two record files, field by field, with
// list items keyed by a stable field (see listKeys). Either may be nil.
func Fields(a, b *record.File) []Field {
	return diffMaps(nil, "", docValue(a), docValue(b))
}
