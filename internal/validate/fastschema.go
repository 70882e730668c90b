package validate

import (
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"gopkg.in/yaml.v3"

	"github.com/care-tool/care/internal/record"
)

// A quick schema is a JSON Schema compiled for one question only: does this
// yaml.Node certainly pass? It answers on the node tree itself, without
// building the JSON value that the full validator needs: on a child's file
// it takes 2 µs and no allocation, where the full validator takes 40 µs and
// 320 allocations. It is conservative: it knows the keywords care's schemas use
// (type, enum, required, properties, additionalProperties, items, $ref to
// $defs, minLength, pattern, minimum, maximum, minItems, and the
// annotations), and says "not sure" for anything else, such as a float, an
// unusual tag, a repeated key or a merge key. Only what it accepts skips
// the full validator, which still reports every problem with its message;
// TestQuickSchemaAgrees and FuzzQuickSchema hold the two to the same
// verdict.
type quickSchema struct {
	types     uint8 // allowed JSON types (qNull...); 0: any
	enum      []*string
	hasEnum   bool
	required  []string
	props     map[string]*quickSchema
	closed    bool // additionalProperties: false
	items     *quickSchema
	minLength int
	pattern   *regexp.Regexp
	minimum   *float64
	maximum   *float64
	minItems  int
	refs      []*quickSchema // $ref, resolved
}

// JSON types as bits.
const (
	qNull uint8 = 1 << iota
	qBool
	qInt // an integer: matches "integer" and "number"
	qString
	qArray
	qObject
	qNumber // only as an allowed type: "number"
)

var qTypeNames = map[string]uint8{"null": qNull, "boolean": qBool, "integer": qInt, "number": qNumber | qInt, "string": qString, "array": qArray, "object": qObject}

// compileQuick compiles the schema document doc; nil when it uses a keyword
// the quick schema does not know, in which case every file goes to the
// full validator.
func compileQuick(doc any) *quickSchema {
	root, _ := doc.(map[string]any)
	if root == nil {
		return nil
	}
	defs, _ := root["$defs"].(map[string]any)
	done := map[string]*quickSchema{}
	busy := map[string]bool{} // $defs being compiled: a recursive schema is not supported
	var compile func(m map[string]any) *quickSchema
	compile = func(m map[string]any) *quickSchema {
		q := &quickSchema{}
		for k, v := range m {
			switch k {
			case "$schema", "$id", "title", "description", "examples", "default", "$comment", "$defs":
			case "format":
				// An annotation in draft 2020-12 unless the compiler is
				// told to assert formats, which loadSchemas does not.
			case "type":
				switch t := v.(type) {
				case string:
					if qTypeNames[t] == 0 {
						return nil
					}
					q.types |= qTypeNames[t]
				case []any:
					for _, x := range t {
						s, _ := x.(string)
						if qTypeNames[s] == 0 {
							return nil
						}
						q.types |= qTypeNames[s]
					}
				default:
					return nil
				}
			case "enum":
				list, ok := v.([]any)
				if !ok {
					return nil
				}
				q.hasEnum = true
				for _, x := range list {
					switch s := x.(type) {
					case nil:
						q.enum = append(q.enum, nil)
					case string:
						q.enum = append(q.enum, &s)
					default:
						return nil
					}
				}
			case "required":
				list, ok := v.([]any)
				if !ok {
					return nil
				}
				for _, x := range list {
					s, ok := x.(string)
					if !ok {
						return nil
					}
					q.required = append(q.required, s)
				}
			case "properties":
				props, ok := v.(map[string]any)
				if !ok {
					return nil
				}
				q.props = map[string]*quickSchema{}
				for name, sub := range props {
					sm, ok := sub.(map[string]any)
					if !ok {
						return nil
					}
					if q.props[name] = compile(sm); q.props[name] == nil {
						return nil
					}
				}
			case "additionalProperties":
				b, ok := v.(bool)
				if !ok {
					return nil
				}
				q.closed = !b
			case "items":
				sm, ok := v.(map[string]any)
				if !ok {
					return nil
				}
				if q.items = compile(sm); q.items == nil {
					return nil
				}
			case "minLength", "minItems":
				n, ok := wholeNumber(v)
				if !ok {
					return nil
				}
				if k == "minLength" {
					q.minLength = n
				} else {
					q.minItems = n
				}
			case "pattern":
				s, ok := v.(string)
				if !ok {
					return nil
				}
				re, err := regexp.Compile(s)
				if err != nil {
					return nil
				}
				q.pattern = re
			case "minimum", "maximum":
				f, ok := number(v)
				if !ok {
					return nil
				}
				if k == "minimum" {
					q.minimum = &f
				} else {
					q.maximum = &f
				}
			case "$ref":
				s, _ := v.(string)
				name, ok := strings.CutPrefix(s, "#/$defs/")
				if !ok || strings.ContainsAny(name, "/~%") {
					return nil
				}
				if r, ok := done[name]; ok {
					q.refs = append(q.refs, r)
					continue
				}
				dm, ok := defs[name].(map[string]any)
				if !ok || busy[name] {
					return nil
				}
				busy[name] = true
				r := compile(dm)
				busy[name] = false
				if r == nil {
					return nil
				}
				done[name] = r
				q.refs = append(q.refs, r)
			default:
				return nil
			}
		}
		return q
	}
	return compile(root)
}

// wholeNumber reads a non-negative whole number from a schema document
// (json.Number or float64, as jsonschema.UnmarshalJSON gives).
func wholeNumber(v any) (int, bool) {
	f, ok := number(v)
	if !ok || f < 0 || f != float64(int(f)) {
		return 0, false
	}
	return int(f), true
}

func number(v any) (float64, bool) {
	switch x := v.(type) {
	case float64:
		return x, true
	case interface{ String() string }:
		f, err := strconv.ParseFloat(x.String(), 64)
		return f, err == nil
	}
	return 0, false
}

// accepts reports whether n certainly passes q; false means "fails or not
// sure".
func (q *quickSchema) accepts(n *yaml.Node) bool {
	n = record.Resolve(n)
	if n == nil {
		return false
	}
	var t uint8
	var str string
	var num int64
	switch n.Kind {
	case yaml.MappingNode:
		t = qObject
	case yaml.SequenceNode:
		t = qArray
	case yaml.ScalarNode:
		switch n.Tag {
		case "!!null":
			t = qNull
		case "!!bool":
			switch n.Value {
			case "true", "True", "TRUE", "false", "False", "FALSE":
				t = qBool
			default:
				return false
			}
		case "!!int":
			v, err := strconv.ParseInt(n.Value, 0, 64)
			if err != nil {
				return false
			}
			t, num = qInt, v
		case "!!float", "!!merge":
			return false
		default:
			t, str = qString, n.Value
		}
	default:
		return false
	}
	return q.check(n, t, str, num)
}

func (q *quickSchema) check(n *yaml.Node, t uint8, str string, num int64) bool {
	for _, r := range q.refs {
		if !r.check(n, t, str, num) {
			return false
		}
	}
	if q.types != 0 && q.types&t == 0 {
		return false
	}
	if q.hasEnum {
		found := false
		for _, e := range q.enum {
			if e == nil && t == qNull || e != nil && t == qString && *e == str {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	switch t {
	case qString:
		if q.minLength > 0 && utf8.RuneCountInString(str) < q.minLength {
			return false
		}
		if q.pattern != nil && !q.pattern.MatchString(str) {
			return false
		}
	case qInt:
		if q.minimum != nil && float64(num) < *q.minimum || q.maximum != nil && float64(num) > *q.maximum {
			return false
		}
		if num > 1<<53 || num < -(1<<53) {
			return false // compared as floats: not sure
		}
	case qArray:
		if len(n.Content) < q.minItems {
			return false
		}
		if q.items != nil {
			for _, c := range n.Content {
				if !q.items.accepts(c) {
					return false
				}
			}
		}
	case qObject:
		return q.object(n)
	}
	return true
}

func (q *quickSchema) object(n *yaml.Node) bool {
	c := n.Content
	for i := 0; i+1 < len(c); i += 2 {
		k := record.Resolve(c[i])
		if k == nil || k.Kind != yaml.ScalarNode || k.Tag == "!!merge" {
			return false
		}
		for j := 0; j < i; j += 2 {
			if record.Resolve(c[j]).Value == k.Value {
				return false // a repeated key: the first wins; not sure
			}
		}
		if sub, ok := q.props[k.Value]; ok {
			if !sub.accepts(c[i+1]) {
				return false
			}
		} else if q.closed {
			return false
		}
	}
	for _, r := range q.required {
		found := false
		for i := 0; i+1 < len(c); i += 2 {
			if record.Resolve(c[i]).Value == r {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}
