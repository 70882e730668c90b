package schema

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"gopkg.in/yaml.v3"
)

const (
	baseURL    = "https://care-tool.github.io/schema/"
	metaSchema = "https://json-schema.org/draft/2020-12/schema"
)

var wantNames = []string{"care.schema.json", "child.schema.json", "pairing.schema.json", "talk.schema.json"}

func TestNamesAndRead(t *testing.T) {
	if got := Names(); !slices.Equal(got, wantNames) {
		t.Fatalf("Names() = %q, want %q", got, wantNames)
	}
	for _, name := range Names() {
		b, err := Read(name)
		if err != nil {
			t.Fatalf("Read(%q): %v", name, err)
		}
		if len(b) == 0 {
			t.Errorf("Read(%q) is empty", name)
		}
	}
	if _, err := Read("nosuch.schema.json"); err == nil {
		t.Error("Read of a missing schema: want an error")
	}
}

// doc reads schema file name into the JSON data model.
func doc(t *testing.T, name string) any {
	t.Helper()
	b, err := Read(name)
	if err != nil {
		t.Fatal(err)
	}
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("%s is not valid JSON: %v", name, err)
	}
	return v
}

// compiled compiles every schema with one compiler, keyed by kind ("child").
func compiled(t *testing.T) map[string]*jsonschema.Schema {
	t.Helper()
	c := jsonschema.NewCompiler()
	for _, name := range Names() {
		if err := c.AddResource(baseURL+name, doc(t, name)); err != nil {
			t.Fatalf("AddResource(%s): %v", name, err)
		}
	}
	out := map[string]*jsonschema.Schema{}
	for _, name := range Names() {
		sch, err := c.Compile(baseURL + name)
		if err != nil {
			t.Fatalf("compile %s: %v", name, err)
		}
		out[strings.TrimSuffix(name, ".schema.json")] = sch
	}
	return out
}

func TestSchemasAreValid(t *testing.T) {
	meta, err := jsonschema.NewCompiler().Compile(metaSchema)
	if err != nil {
		t.Fatalf("compile the draft 2020-12 meta-schema: %v", err)
	}
	for _, name := range Names() {
		t.Run(name, func(t *testing.T) {
			b, _ := Read(name)
			if !json.Valid(b) {
				t.Fatal("not valid JSON")
			}
			d := doc(t, name)
			if err := meta.Validate(d); err != nil {
				t.Fatalf("does not validate against the draft 2020-12 meta-schema: %v", err)
			}
			m := d.(map[string]any)
			if m["$schema"] != metaSchema {
				t.Errorf("$schema = %v, want %s", m["$schema"], metaSchema)
			}
			if m["$id"] != baseURL+name {
				t.Errorf("$id = %v, want %s", m["$id"], baseURL+name)
			}
			// Self-contained: every $ref points into the file itself.
			walk(d, func(m map[string]any, _ string) {
				if r, ok := m["$ref"].(string); ok && !strings.HasPrefix(r, "#/$defs/") {
					t.Errorf("$ref %q leaves the file", r)
				}
			})
			// Pretty-printed with 2-space indentation, as json.MarshalIndent would.
			var buf bytes.Buffer
			if err := json.Indent(&buf, compact(t, b), "", "  "); err != nil {
				t.Fatal(err)
			}
			if got, want := strings.TrimSpace(string(b)), buf.String(); got != want {
				t.Error("not pretty-printed with 2-space indentation")
			}
		})
	}
	compiled(t)
}

func compact(t *testing.T, b []byte) []byte {
	var buf bytes.Buffer
	if err := json.Compact(&buf, b); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// The full examples of /work/shared/design/records.md.
var examples = map[string]string{
	"care": `
version: 1
school:
  name: 仙桃市某镇中心小学
  code: "4290040001"            # optional
locale: zh                      # zh | en: language of reports and messages
terms:                          # school terms; reports default to the term containing today
  - id: 2026-autumn
    name: 2026年秋季学期
    start: 2026-09-01
    end: 2027-01-22
school_age:                     # compulsory-education age window, used by the enrolment rate
  min: 6
  max: 15
  cutoff: "08-31"               # age is counted on the latest such day on or before the term start
staff:
  - id: T01
    name: 王芳
classes:
  - id: "3-2"
    grade: 3
    head_teacher: T01           # 班主任, a staff id
targets:                        # optional; every target defaults to 1.0 (100%)
  filing: 1.0
  enrolment: 1.0
  retention: 1.0
  talks: 1.0
rules:                          # optional
  talks_per_month: 1            # 每月至少谈心一次
  talk_by: head_teacher         # head_teacher | any_staff
`,
	"child": `
id: "2024031"                   # required; equals the file name without .yaml; unique
name: 李小明                     # required
gender: male                    # required: male | female
birth_date: 2016-05-12          # required
id_number: "42900420160512005X" # optional; 18 characters, GB 11643 check character,
                                #   birth date and gender parity must agree with the fields above
class: "3-2"                    # a class id from care.yaml
boarding: false
address: 湖北省仙桃市某镇某村3组  # family address
health: 良好                     # 身体状况
left_behind:
  since: 2022-03-01             # required: date identified as left-behind
  until: null                   # set when the child stops being left-behind (a parent came home)
  type: both_parents            # both_parents | one_parent
parents:                        # the parents working away
  - name: 李建国
    relation: father            # father | mother
    phone: "13800138000"
    work_address: 广东省东莞市长安镇   # 务工详细地址
    employer: 某电子厂                # optional, 务工单位
guardian:                       # the guardian at home, or the delegated guardian
  name: 李德福
  relation: grandfather         # grandfather | grandmother | father | mother | relative | other
  delegated: false              # 委托监护人
  age: 68
  occupation: 务农
  phone: "13712345678"
  address: 湖北省仙桃市某镇某村3组
  health: 高血压
enrolment:                      # required, in date order; may be empty ([]) for a child not yet in school
  - date: 2022-09-01
    status: enrolled            # enrolled | suspended | transferred_out | graduated | dropped_out | deceased
    from: 某村小学               # optional, for a transfer in
  - date: 2026-10-15
    status: transferred_out
    school: 东莞市长安镇第一小学   # required for transferred_out: the receiving school
support:                        # optional
  priority: true                # 重点帮扶对象
  poor: true                    # 贫困生
  struggling: false             # 学困生
  aid: [两免一补]
notes: |
  free text
`,
	"pairing": `
child: "2024031"                # required; a child id
role: teacher                   # required: teacher (帮扶教师) | proxy_parent (代理家长) |
                                #   peer (学习帮手) | volunteer (爱心爸爸妈妈)
mentor: T01                     # required; a staff id when role is teacher, otherwise a name
start: 2026-09-05               # required
end: null                       # set when the pairing ends
focus: [study, life, mind]      # study | life | mind
plan: 每周二、四下午辅导数学
reviews:                        # dated progress notes (阶段性效果)
  - date: 2026-10-30
    note: 数学单元测验由62分提高到78分
`,
	"talk": `
child: "2024031"                # required; a child id
date: 2026-11-03                # required; not in the future; the folder month must match
by: T01                         # required; a staff id
kind: talk                      # required: talk (谈心) | home_visit (家访) | parent_contact (与在外父母联系反馈)
topic: 学习压力
summary: |
  ...
follow_up: 下周再跟进
`,
}

// fromYAML parses src and converts it into the JSON data model the way the
// validator does: timestamps stay strings, ints become int64.
func fromYAML(t *testing.T, src string) any {
	t.Helper()
	var n yaml.Node
	if err := yaml.Unmarshal([]byte(src), &n); err != nil {
		t.Fatalf("parse YAML: %v", err)
	}
	return toValue(&n)
}

func toValue(n *yaml.Node) any {
	for n != nil && (n.Kind == yaml.DocumentNode || n.Kind == yaml.AliasNode) {
		if n.Kind == yaml.AliasNode {
			n = n.Alias
		} else if len(n.Content) > 0 {
			n = n.Content[0]
		} else {
			return nil
		}
	}
	if n == nil {
		return nil
	}
	switch n.Kind {
	case yaml.MappingNode:
		m := map[string]any{}
		for i := 0; i+1 < len(n.Content); i += 2 {
			m[n.Content[i].Value] = toValue(n.Content[i+1])
		}
		return m
	case yaml.SequenceNode:
		s := make([]any, len(n.Content))
		for i, c := range n.Content {
			s[i] = toValue(c)
		}
		return s
	}
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

func TestExamplesAreValid(t *testing.T) {
	schemas := compiled(t)
	for kind, src := range examples {
		v := fromYAML(t, src)
		if err := schemas[kind].Validate(v); err != nil {
			t.Errorf("%s example from records.md: %v", kind, err)
		}
	}
	// The dates really are strings in the data model the schemas see.
	v := fromYAML(t, examples["talk"]).(map[string]any)
	if _, ok := v["date"].(string); !ok {
		t.Fatalf("date converted to %T, want string", v["date"])
	}
}

// edit is a change to an example: a slash path ("guardian/phone",
// "parents/0/relation") and a new value, or deletion of the key.
type edit struct {
	path   string
	value  any
	delete bool
}

func set(path string, v any) edit { return edit{path: path, value: v} }
func del(path string) edit        { return edit{path: path, delete: true} }

func apply(t *testing.T, v any, e edit) {
	t.Helper()
	parts := strings.Split(e.path, "/")
	cur := v
	for _, p := range parts[:len(parts)-1] {
		switch c := cur.(type) {
		case map[string]any:
			cur = c[p]
		case []any:
			i, err := strconv.Atoi(p)
			if err != nil || i >= len(c) {
				t.Fatalf("bad path %q", e.path)
			}
			cur = c[i]
		default:
			t.Fatalf("bad path %q", e.path)
		}
	}
	last := parts[len(parts)-1]
	switch c := cur.(type) {
	case map[string]any:
		if e.delete {
			if _, ok := c[last]; !ok {
				t.Fatalf("path %q: nothing to delete", e.path)
			}
			delete(c, last)
		} else {
			c[last] = e.value
		}
	case []any:
		i, err := strconv.Atoi(last)
		if err != nil || i >= len(c) || e.delete {
			t.Fatalf("bad path %q", e.path)
		}
		c[i] = e.value
	default:
		t.Fatalf("bad path %q", e.path)
	}
}

// Optional fields may be missing, null, empty strings or empty lists, and
// identifiers may be unquoted numbers: such files are incomplete, not invalid.
func TestValidVariants(t *testing.T) {
	schemas := compiled(t)
	tests := []struct {
		kind  string
		name  string
		edits []edit
	}{
		{"care", "minimal", []edit{del("locale"), del("school_age"), del("staff"), del("classes"), del("targets"), del("rules"), del("school/code"), del("terms/0/name")}},
		{"care", "nulls", []edit{set("locale", nil), set("school_age", nil), set("staff", nil), set("classes", nil), set("targets", nil), set("rules", nil), set("school/code", nil), set("terms/0/name", nil)}},
		{"care", "empty strings and lists", []edit{set("locale", ""), set("staff", []any{}), set("classes", []any{}), set("school/code", ""), set("rules/talk_by", ""), set("terms/0/name", "")}},
		{"care", "nulls inside settings", []edit{set("school_age/min", nil), set("school_age/cutoff", nil), set("targets/filing", nil), set("rules/talks_per_month", nil), set("rules/talk_by", nil)}},
		{"care", "numeric ids", []edit{set("school/code", int64(4290040001)), set("terms/0/id", int64(2026)), set("staff/0/id", int64(1)), set("classes/0/id", int64(32)), set("classes/0/head_teacher", int64(1))}},
		{"care", "all targets, class name, en, any_staff", []edit{
			set("targets", map[string]any{"filing": 1.0, "enrolment": int64(1), "retention": 0.98, "talks": 0.9, "parent_contact": 0.95, "mentoring": int64(0), "peer_help": 0.5}),
			set("classes/0/name", "三年级二班"), set("locale", "en"), set("rules/talk_by", "any_staff"), set("staff/0/name", nil)}},
		{"care", "cutoff 12-31", []edit{set("school_age/cutoff", "12-31")}},
		{"child", "minimal", []edit{del("id_number"), del("class"), del("boarding"), del("address"), del("health"), del("left_behind/until"), del("left_behind/type"), del("parents"), del("guardian"), del("support"), del("notes"), set("enrolment", []any{})}},
		{"child", "nulls", []edit{set("id_number", nil), set("class", nil), set("boarding", nil), set("address", nil), set("health", nil), set("left_behind/type", nil), set("parents", nil), set("guardian", nil), set("support", nil), set("notes", nil)}},
		{"child", "empty values", []edit{set("id_number", ""), set("class", ""), set("address", ""), set("left_behind/type", ""), set("parents", []any{}), set("notes", "")}},
		{"child", "empty parent and guardian fields", []edit{
			set("parents/0", map[string]any{"name": "", "relation": "", "phone": "", "work_address": nil}),
			set("guardian", map[string]any{"name": nil, "relation": "", "delegated": nil, "age": nil, "occupation": "", "phone": nil, "address": "", "health": nil}),
			set("support", map[string]any{"priority": nil, "aid": nil}),
			set("enrolment/0/from", nil), set("enrolment/1/school", ""),
		}},
		{"child", "unquoted ids", []edit{set("id", int64(2024031)), set("class", int64(32))}},
		{"child", "one parent, left-behind ended", []edit{set("left_behind/type", "one_parent"), set("left_behind/until", "2026-07-01"), set("parents/0/relation", "mother")}},
		{"child", "landline, delegated other guardian", []edit{set("guardian/phone", "0728-1234567"), set("guardian/relation", "other"), set("guardian/delegated", true), set("guardian/age", int64(0))}},
		{"child", "empty support", []edit{set("support", map[string]any{})}},
		{"pairing", "minimal", []edit{del("end"), del("focus"), del("plan"), del("reviews")}},
		{"pairing", "nulls and empties", []edit{set("focus", nil), set("plan", ""), set("reviews", []any{}), set("end", nil)}},
		{"pairing", "ended peer pairing", []edit{set("role", "peer"), set("mentor", "张小红"), set("end", "2026-11-20"), set("focus", []any{"study"}), set("reviews/0/note", nil)}},
		{"pairing", "unquoted ids", []edit{set("child", int64(2024031)), set("mentor", int64(1))}},
		{"talk", "minimal", []edit{del("topic"), del("summary"), del("follow_up")}},
		{"talk", "home visit, unquoted ids", []edit{set("kind", "home_visit"), set("child", int64(2024031)), set("by", int64(1)), set("topic", nil), set("summary", "")}},
		{"talk", "parent contact", []edit{set("kind", "parent_contact")}},
	}
	for _, tt := range tests {
		t.Run(tt.kind+"/"+tt.name, func(t *testing.T) {
			v := fromYAML(t, examples[tt.kind])
			for _, e := range tt.edits {
				apply(t, v, e)
			}
			if err := schemas[tt.kind].Validate(v); err != nil {
				t.Errorf("want valid, got %v", err)
			}
		})
	}
}

func TestInvalid(t *testing.T) {
	schemas := compiled(t)
	tests := []struct {
		kind string
		name string
		edit edit
		at   string // JSON pointer of the value one of the errors points at
	}{
		// child: unknown fields
		{"child", "typo gaurdian at top level", set("gaurdian", map[string]any{"name": "李德福"}), ""},
		{"child", "unknown field in guardian", set("guardian/mobile", "13712345678"), "/guardian"},
		{"child", "unknown field in left_behind", set("left_behind/reason", "务工"), "/left_behind"},
		{"child", "unknown field in parents item", set("parents/0/mobile", "13800138000"), "/parents/0"},
		{"child", "unknown field in enrolment item", set("enrolment/0/grade", int64(1)), "/enrolment/0"},
		{"child", "unknown field in support", set("support/orphan", true), "/support"},
		// child: enums
		{"child", "bad gender", set("gender", "boy"), "/gender"},
		{"child", "empty gender", set("gender", ""), "/gender"},
		{"child", "null gender", set("gender", nil), "/gender"},
		{"child", "bad left_behind.type", set("left_behind/type", "both"), "/left_behind/type"},
		{"child", "bad parent relation", set("parents/0/relation", "grandfather"), "/parents/0/relation"},
		{"child", "bad guardian relation", set("guardian/relation", "grandpa"), "/guardian/relation"},
		{"child", "bad enrolment status", set("enrolment/0/status", "studying"), "/enrolment/0/status"},
		{"child", "empty enrolment status", set("enrolment/1/status", ""), "/enrolment/1/status"},
		// child: phones and id numbers as numbers
		{"child", "parent phone as a number", set("parents/0/phone", int64(13800138000)), "/parents/0/phone"},
		{"child", "guardian phone as a number", set("guardian/phone", int64(13712345678)), "/guardian/phone"},
		{"child", "id_number as a number", set("id_number", int64(429004201605120011)), "/id_number"},
		{"child", "id_number as a float", set("id_number", 4.29004201605120011e17), "/id_number"},
		// child: missing required fields
		{"child", "missing id", del("id"), ""},
		{"child", "missing name", del("name"), ""},
		{"child", "missing gender", del("gender"), ""},
		{"child", "missing birth_date", del("birth_date"), ""},
		{"child", "missing left_behind", del("left_behind"), ""},
		{"child", "missing left_behind.since", del("left_behind/since"), "/left_behind"},
		{"child", "missing enrolment", del("enrolment"), ""},
		{"child", "missing enrolment date", del("enrolment/0/date"), "/enrolment/0"},
		{"child", "missing enrolment status", del("enrolment/0/status"), "/enrolment/0"},
		// child: other shapes
		{"child", "blank name", set("name", "  "), "/name"},
		{"child", "empty name", set("name", ""), "/name"},
		{"child", "empty id", set("id", ""), "/id"},
		{"child", "null id", set("id", nil), "/id"},
		{"child", "birth_date as a number", set("birth_date", int64(20160512)), "/birth_date"},
		{"child", "null left_behind.since", set("left_behind/since", nil), "/left_behind/since"},
		{"child", "null enrolment", set("enrolment", nil), "/enrolment"},
		{"child", "left_behind as text", set("left_behind", "2022-03-01"), "/left_behind"},
		{"child", "guardian age too large", set("guardian/age", int64(130)), "/guardian/age"},
		{"child", "guardian age as text", set("guardian/age", "68"), "/guardian/age"},
		{"child", "boarding as text", set("boarding", "yes"), "/boarding"},
		{"child", "support.poor as text", set("support/poor", "是"), "/support/poor"},
		{"child", "support.aid as text", set("support/aid", "两免一补"), "/support/aid"},
		{"child", "parents as a mapping", set("parents", map[string]any{"name": "李建国"}), "/parents"},
		{"child", "guardian as a list", set("guardian", []any{"李德福"}), "/guardian"},
		// pairing
		{"pairing", "bad role", set("role", "mentor"), "/role"},
		{"pairing", "bad focus item", set("focus/1", "play"), "/focus/1"},
		{"pairing", "focus as text", set("focus", "study"), "/focus"},
		{"pairing", "unknown field", set("mentors", "T01"), ""},
		{"pairing", "unknown field in review", set("reviews/0/score", int64(78)), "/reviews/0"},
		{"pairing", "missing child", del("child"), ""},
		{"pairing", "missing role", del("role"), ""},
		{"pairing", "missing mentor", del("mentor"), ""},
		{"pairing", "missing start", del("start"), ""},
		{"pairing", "missing review date", del("reviews/0/date"), "/reviews/0"},
		{"pairing", "blank mentor", set("mentor", " "), "/mentor"},
		{"pairing", "null start", set("start", nil), "/start"},
		// talk
		{"talk", "bad kind", set("kind", "chat"), "/kind"},
		{"talk", "unknown field", set("followup", "下周"), ""},
		{"talk", "missing child", del("child"), ""},
		{"talk", "missing date", del("date"), ""},
		{"talk", "missing by", del("by"), ""},
		{"talk", "missing kind", del("kind"), ""},
		{"talk", "empty by", set("by", ""), "/by"},
		{"talk", "empty child", set("child", ""), "/child"},
		{"talk", "by as a list", set("by", []any{"T01"}), "/by"},
		{"talk", "summary as a number", set("summary", int64(1)), "/summary"},
		// care.yaml
		{"care", "bad locale", set("locale", "fr"), "/locale"},
		{"care", "bad talk_by", set("rules/talk_by", "teacher"), "/rules/talk_by"},
		{"care", "version 2", set("version", int64(2)), "/version"},
		{"care", "version as text", set("version", "1"), "/version"},
		{"care", "missing version", del("version"), ""},
		{"care", "missing school", del("school"), ""},
		{"care", "missing school name", del("school/name"), "/school"},
		{"care", "blank school name", set("school/name", ""), "/school/name"},
		{"care", "missing terms", del("terms"), ""},
		{"care", "no terms", set("terms", []any{}), "/terms"},
		{"care", "term without id", del("terms/0/id"), "/terms/0"},
		{"care", "term without start", del("terms/0/start"), "/terms/0"},
		{"care", "term without end", del("terms/0/end"), "/terms/0"},
		{"care", "staff without id", del("staff/0/id"), "/staff/0"},
		{"care", "class without id", del("classes/0/id"), "/classes/0"},
		{"care", "unknown top-level field", set("shcool", "x"), ""},
		{"care", "unknown field in school", set("school/address", "x"), "/school"},
		{"care", "unknown field in term", set("terms/0/weeks", int64(20)), "/terms/0"},
		{"care", "unknown field in staff", set("staff/0/phone", "13712345678"), "/staff/0"},
		{"care", "unknown field in class", set("classes/0/teacher", "T01"), "/classes/0"},
		{"care", "unknown target", set("targets/attendance", 1.0), "/targets"},
		{"care", "unknown rule", set("rules/visits_per_term", int64(1)), "/rules"},
		{"care", "unknown field in school_age", set("school_age/cutoff_day", "08-31"), "/school_age"},
		{"care", "target above 1", set("targets/filing", 1.5), "/targets/filing"},
		{"care", "target below 0", set("targets/talks", -0.1), "/targets/talks"},
		{"care", "target as percent text", set("targets/talks", "100%"), "/targets/talks"},
		{"care", "talks_per_month 0", set("rules/talks_per_month", int64(0)), "/rules/talks_per_month"},
		{"care", "school_age.min too large", set("school_age/min", int64(31)), "/school_age/min"},
		{"care", "school_age.max negative", set("school_age/max", int64(-1)), "/school_age/max"},
		{"care", "cutoff without leading zero", set("school_age/cutoff", "8-31"), "/school_age/cutoff"},
		{"care", "cutoff month 13", set("school_age/cutoff", "13-01"), "/school_age/cutoff"},
		{"care", "cutoff as a number", set("school_age/cutoff", int64(831)), "/school_age/cutoff"},
		{"care", "grade 0", set("classes/0/grade", int64(0)), "/classes/0/grade"},
		{"care", "blank term id", set("terms/0/id", " "), "/terms/0/id"},
	}
	for _, tt := range tests {
		t.Run(tt.kind+"/"+tt.name, func(t *testing.T) {
			v := fromYAML(t, examples[tt.kind])
			apply(t, v, tt.edit)
			err := schemas[tt.kind].Validate(v)
			if err == nil {
				t.Fatal("want invalid, got valid")
			}
			var ve *jsonschema.ValidationError
			if !errors.As(err, &ve) {
				t.Fatalf("error %T is not a ValidationError: %v", err, err)
			}
			locs := leafLocations(ve)
			if !slices.Contains(locs, tt.at) {
				t.Errorf("errors at %q, want one at %q:\n%v", locs, tt.at, err)
			}
		})
	}
}

// leafLocations lists the JSON pointers of the innermost errors.
func leafLocations(e *jsonschema.ValidationError) []string {
	if len(e.Causes) == 0 {
		if len(e.InstanceLocation) == 0 {
			return []string{""}
		}
		return []string{"/" + strings.Join(e.InstanceLocation, "/")}
	}
	var out []string
	for _, c := range e.Causes {
		out = append(out, leafLocations(c)...)
	}
	return out
}

// walk calls f on every JSON object inside v, with a readable path.
func walk(v any, f func(m map[string]any, path string)) {
	var rec func(v any, path string)
	rec = func(v any, path string) {
		switch v := v.(type) {
		case map[string]any:
			f(v, path)
			for k, c := range v {
				rec(c, path+"/"+k)
			}
		case []any:
			for i, c := range v {
				rec(c, fmt.Sprintf("%s/%d", path, i))
			}
		}
	}
	rec(v, "")
}

func hasHan(s string) bool {
	return strings.IndexFunc(s, func(r rune) bool { return unicode.Is(unicode.Han, r) }) >= 0
}

func hasLatin(s string) bool {
	return strings.IndexFunc(s, func(r rune) bool { return r < 128 && unicode.IsLetter(r) }) >= 0
}

func checkBilingual(t *testing.T, where string, m map[string]any) {
	t.Helper()
	for _, key := range []string{"title", "description"} {
		s, _ := m[key].(string)
		switch {
		case strings.TrimSpace(s) == "":
			t.Errorf("%s: no %s", where, key)
		case !hasHan(s):
			t.Errorf("%s: %s %q has no Chinese", where, key, s)
		case !hasLatin(s):
			t.Errorf("%s: %s %q has no English", where, key, s)
		}
	}
	if title, _ := m["title"].(string); !strings.Contains(title, " / ") {
		t.Errorf("%s: title %q is not written \"中文 / English\"", where, title)
	}
}

// Every property at every level (and each schema's root) has a title and a
// description in both Chinese and English, since teachers read them in their
// editor; enum properties explain each value.
func TestTitlesAndDescriptions(t *testing.T) {
	for _, name := range Names() {
		t.Run(name, func(t *testing.T) {
			d := doc(t, name)
			checkBilingual(t, name+" root", d.(map[string]any))
			count := 0
			walk(d, func(m map[string]any, path string) {
				props, ok := m["properties"].(map[string]any)
				if !ok {
					return
				}
				for key, ps := range props {
					count++
					where := path + "/properties/" + key
					p, ok := ps.(map[string]any)
					if !ok {
						t.Errorf("%s: not an object", where)
						continue
					}
					checkBilingual(t, where, p)
					enum, _ := p["enum"].([]any)
					if items, ok := p["items"].(map[string]any); ok && enum == nil {
						enum, _ = items["enum"].([]any)
					}
					desc, _ := p["description"].(string)
					for _, e := range enum {
						if s, _ := e.(string); s != "" && !strings.Contains(desc, s) {
							t.Errorf("%s: description does not explain enum value %q", where, s)
						}
					}
				}
			})
			if count == 0 {
				t.Error("no properties found")
			}
		})
	}
}

// Every object schema is closed: a typo such as gaurdian is an error.
func TestObjectsAreClosed(t *testing.T) {
	for _, name := range Names() {
		walk(doc(t, name), func(m map[string]any, path string) {
			_, hasProps := m["properties"]
			isObject := m["type"] == "object"
			if types, ok := m["type"].([]any); ok {
				isObject = slices.Contains(types, any("object"))
			}
			if (hasProps || isObject) && m["additionalProperties"] != false {
				t.Errorf("%s%s: object schema without additionalProperties: false", name, path)
			}
		})
	}
}
