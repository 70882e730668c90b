package diff

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/care-tool/care/internal/record"
	"github.com/care-tool/care/internal/store"
)

const cfgYAML = `version: 1
school:
  name: 测试小学
terms:
  - id: 2026-autumn
    name: 2026年秋季学期
    start: 2026-09-01
    end: 2027-01-22
staff:
  - id: T01
    name: 王芳
  - id: T02
    name: 张伟
classes:
  - id: "3-2"
    name: 三年级二班
    grade: 3
    head_teacher: T01
  - id: "4-1"
    name: 四年级一班
    grade: 4
    head_teacher: T02
`

const childYAML = `id: "2024031"
name: 李小明
gender: male
birth_date: 2016-05-12
class: "3-2"
address: 湖北省仙桃市某镇某村3组
health: 良好
left_behind:
  since: 2022-03-01
  type: both_parents
parents:
  - name: 李建国
    relation: father
    phone: "13800138000"
    work_address: 广东省东莞市长安镇
  - name: 王秀英
    relation: mother
    phone: "13900139000"
    work_address: 广东省深圳市宝安区
guardian:
  name: 李德福
  relation: grandfather
  phone: "13712345678"
  address: 湖北省仙桃市某镇某村3组
enrolment:
  - date: 2022-09-01
    status: enrolled
support:
  aid: [两免一补]
`

// dataset builds a dataset from path, content pairs.
func dataset(files ...string) *record.Dataset {
	var in []store.Input
	for i := 0; i+1 < len(files); i += 2 {
		in = append(in, store.Input{Path: files[i], Data: []byte(files[i+1])})
	}
	return store.Build(in).Dataset
}

// fieldLines writes fields as "op path: old -> new" for comparison.
func fieldLines(fs []Field) []string {
	var out []string
	for _, f := range fs {
		out = append(out, fmt.Sprintf("%s %s: %v -> %v", f.Op, f.Path, f.Old, f.New))
	}
	return out
}

func TestFields(t *testing.T) {
	tests := []struct {
		name string
		edit func(string) string
		want []string
	}{
		{"no change", func(s string) string { return s }, nil},
		{"comment and order only", func(s string) string { return "# 注释\n" + s }, nil},
		{"guardian phone", func(s string) string {
			return strings.Replace(s, `"13712345678"`, `"13987654321"`, 1)
		}, []string{"changed guardian.phone: 13712345678 -> 13987654321"}},
		{"mother's work address, keyed by relation", func(s string) string {
			return strings.Replace(s, "广东省深圳市宝安区", "浙江省义乌市", 1)
		}, []string{"changed parents[relation=mother].work_address: 广东省深圳市宝安区 -> 浙江省义乌市"}},
		{"parents reordered is no change", func(s string) string {
			i := strings.Index(s, "  - name: 李建国")
			j := strings.Index(s, "  - name: 王秀英")
			k := strings.Index(s, "guardian:")
			return s[:i] + s[j:k] + s[i:j] + s[k:]
		}, nil},
		{"dropout event added, keyed by date", func(s string) string {
			return strings.Replace(s, "support:", "  - date: 2026-11-20\n    status: dropped_out\nsupport:", 1)
		}, []string{"added enrolment[2026-11-20]: <nil> -> [{date 2026-11-20} {status dropped_out}]"}},
		{"status of an event", func(s string) string {
			return strings.Replace(s, "status: enrolled", "status: suspended", 1)
		}, []string{"changed enrolment[2022-09-01].status: enrolled -> suspended"}},
		{"left-behind until set, null and missing alike", func(s string) string {
			return strings.Replace(s, "  type: both_parents", "  until: 2026-11-10\n  type: both_parents\n  note: null", 1)
		}, []string{"added left_behind.until: <nil> -> 2026-11-10"}},
		{"list of values changes as a whole", func(s string) string {
			return strings.Replace(s, "[两免一补]", "[两免一补, 营养午餐]", 1)
		}, []string{"changed support.aid: [两免一补] -> [两免一补 营养午餐]"}},
		{"field removed", func(s string) string {
			return strings.Replace(s, "health: 良好\n", "", 1)
		}, []string{"removed health: 良好 -> <nil>"}},
		{"empty string is blank", func(s string) string {
			return strings.Replace(s, "health: 良好\n", "health: \"\"\n", 1)
		}, []string{"removed health: 良好 -> <nil>"}},
		{"quoted phone to bare number is a change of type", func(s string) string {
			return strings.Replace(s, `"13712345678"`, `13712345678`, 1)
		}, []string{"changed guardian.phone: 13712345678 -> 13712345678"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := dataset("children/3-2/2024031.yaml", childYAML)
			b := dataset("children/3-2/2024031.yaml", tt.edit(childYAML))
			got := fieldLines(Fields(a.Children[0].File, b.Children[0].File))
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got  %q\nwant %q", got, tt.want)
			}
		})
	}
}

func TestFieldsIndexFallback(t *testing.T) {
	// Two parents with the same relation: no stable key, so by position.
	y := strings.Replace(childYAML, "relation: mother", "relation: father", 1)
	a := dataset("children/a/2024031.yaml", y)
	b := dataset("children/a/2024031.yaml", strings.Replace(y, "广东省深圳市宝安区", "浙江省义乌市", 1))
	got := fieldLines(Fields(a.Children[0].File, b.Children[0].File))
	want := []string{"changed parents[1].work_address: 广东省深圳市宝安区 -> 浙江省义乌市"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}

func child(id, name, class string, extra string) string {
	return fmt.Sprintf(`id: "%s"
name: %s
gender: female
birth_date: 2017-03-02
class: "%s"
left_behind:
  since: 2023-03-01
  type: one_parent
enrolment:
  - date: 2023-09-01
    status: enrolled
%s`, id, name, class, extra)
}

func TestCompareChildren(t *testing.T) {
	a := dataset(
		"care.yaml", cfgYAML,
		"children/3-2/2024031.yaml", childYAML,
		"children/3-2/2024032.yaml", child("2024032", "王小红", "3-2", ""),
		"children/3-2/2024033.yaml", child("2024033", "张小华", "3-2", ""),
		"children/3-2/2024034.yaml", child("2024034", "刘小丽", "3-2", ""),
	)
	b := dataset(
		"care.yaml", cfgYAML,
		// a dropout
		"children/3-2/2024031.yaml", strings.Replace(childYAML, "support:", "  - date: 2026-11-20\n    status: dropped_out\nsupport:", 1),
		// moved to another class folder, class changed
		"children/4-1/2024032.yaml", child("2024032", "王小红", "4-1", ""),
		// a parent came home
		"children/3-2/2024033.yaml", strings.Replace(child("2024033", "张小华", "3-2", ""), "  type: one_parent", "  until: 2026-11-10\n  type: one_parent", 1),
		// 2024034 removed, 2026001 new
		"children/3-2/2026001.yaml", child("2026001", "赵新", "3-2", ""),
	)
	d := Compare(a, b, Options{})
	if len(d.Added) != 1 || d.Added[0].ID != "2026001" || d.Added[0].ClassName != "三年级二班" {
		t.Errorf("added %+v", d.Added)
	}
	if len(d.Removed) != 1 || d.Removed[0].ID != "2024034" {
		t.Errorf("removed %+v", d.Removed)
	}
	if len(d.Moved) != 1 || d.Moved[0].From != "children/3-2/2024032.yaml" || d.Moved[0].To != "children/4-1/2024032.yaml" {
		t.Errorf("moved %+v", d.Moved)
	}
	if len(d.Status) != 1 || d.Status[0].Child.ID != "2024031" || d.Status[0].Old != "enrolled" || d.Status[0].New != "dropped_out" || d.Status[0].Date.String() != "2026-11-20" {
		t.Errorf("status %+v", d.Status)
	}
	if len(d.LeftBehind) != 1 || d.LeftBehind[0].Child.ID != "2024033" || d.LeftBehind[0].New.Until.String() != "2026-11-10" {
		t.Errorf("left-behind %+v", d.LeftBehind)
	}
	var changed []string
	for _, c := range d.Changed {
		changed = append(changed, c.Child.ID+" "+strings.Join(fieldLines(c.Fields), "; "))
	}
	want := []string{
		"2024031 added enrolment[2026-11-20]: <nil> -> [{date 2026-11-20} {status dropped_out}]",
		"2024032 changed class: 3-2 -> 4-1",
		"2024033 added left_behind.until: <nil> -> 2026-11-10",
	}
	if !reflect.DeepEqual(changed, want) {
		t.Errorf("changed\n got %q\nwant %q", changed, want)
	}
	// a move: 1; changes: added, removed, three changed (the move is in them).
	if n := d.Changes(); n != 5 {
		t.Errorf("Changes() = %d, want 5", n)
	}
	if d.Empty() {
		t.Error("Empty() = true")
	}
	if !Compare(a, a, Options{}).Empty() {
		t.Error("a dataset differs from itself")
	}
}

func TestCompareMoveOnly(t *testing.T) {
	a := dataset("children/3-2/2024032.yaml", child("2024032", "王小红", "3-2", ""))
	b := dataset("children/2024032.yaml", child("2024032", "王小红", "3-2", ""))
	d := Compare(a, b, Options{})
	if len(d.Moved) != 1 || len(d.Changed) != 0 || len(d.Added)+len(d.Removed) != 0 || d.Changes() != 1 {
		t.Errorf("%+v", d)
	}
}

func pairing(child, role, mentor, start, end string) string {
	s := fmt.Sprintf("child: \"%s\"\nrole: %s\nmentor: %s\nstart: %s\n", child, role, mentor, start)
	if end != "" {
		s += "end: " + end + "\n"
	}
	return s
}

func TestComparePairings(t *testing.T) {
	a := dataset(
		"care.yaml", cfgYAML,
		"children/3-2/2024031.yaml", childYAML,
		"pairings/2024031-teacher.yaml", pairing("2024031", "teacher", "T01", "2026-09-05", ""),
		"pairings/2024031-peer.yaml", pairing("2024031", "peer", "张同学", "2026-09-05", ""),
		"pairings/old.yaml", pairing("2024031", "volunteer", "李阿姨", "2025-09-05", ""),
		"pairings/moveme.yaml", pairing("2024031", "proxy_parent", "赵叔叔", "2026-09-10", ""),
	)
	b := dataset(
		"care.yaml", cfgYAML,
		"children/3-2/2024031.yaml", childYAML,
		"pairings/2024031-teacher.yaml", pairing("2024031", "teacher", "T01", "2026-09-05", "2026-11-15"),
		"pairings/2024031-peer.yaml", pairing("2024031", "peer", "张同学", "2026-09-05", "")+"plan: 每周二\n",
		"pairings/2024031-teacher-2.yaml", pairing("2024031", "teacher", "T02", "2026-11-16", ""),
		"pairings/2026/moveme.yaml", pairing("2024031", "proxy_parent", "赵叔叔", "2026-09-10", ""),
	)
	d := Compare(a, b, Options{})
	paths := func(l []PairingRef) (out []string) {
		for _, p := range l {
			out = append(out, p.Path)
		}
		return out
	}
	if got := paths(d.PairingsStarted); !reflect.DeepEqual(got, []string{"pairings/2024031-teacher-2.yaml"}) {
		t.Errorf("started %q", got)
	}
	if d.PairingsStarted[0].MentorName != "张伟" || d.PairingsStarted[0].ChildName != "李小明" {
		t.Errorf("started %+v", d.PairingsStarted[0])
	}
	if got := paths(d.PairingsEnded); !reflect.DeepEqual(got, []string{"pairings/2024031-teacher.yaml"}) || d.PairingsEnded[0].End.String() != "2026-11-15" {
		t.Errorf("ended %q", got)
	}
	if got := paths(d.PairingsRemoved); !reflect.DeepEqual(got, []string{"pairings/old.yaml"}) {
		t.Errorf("removed %q", got)
	}
	var changed []string
	for _, c := range d.PairingsChanged {
		changed = append(changed, c.OldPath+" → "+c.Pairing.Path+" "+strings.Join(fieldLines(c.Fields), "; "))
	}
	want := []string{
		" → pairings/2024031-peer.yaml added plan: <nil> -> 每周二",
		"pairings/moveme.yaml → pairings/2026/moveme.yaml ",
	}
	if !reflect.DeepEqual(changed, want) {
		t.Errorf("changed\n got %q\nwant %q", changed, want)
	}
}

func talk(child, date, by, kind string) string {
	return fmt.Sprintf("child: \"%s\"\ndate: %s\nby: %s\nkind: %s\ntopic: 学习\n", child, date, by, kind)
}

func TestCompareTalks(t *testing.T) {
	a := dataset(
		"care.yaml", cfgYAML,
		"children/3-2/2024031.yaml", childYAML,
		"children/4-1/2024040.yaml", child("2024040", "周小兰", "4-1", ""),
		"talks/2026-10/2026-10-09-2024031.yaml", talk("2024031", "2026-10-09", "T01", "talk"),
		"talks/2026-10/2026-10-10-2024040.yaml", talk("2024040", "2026-10-10", "T02", "talk"),
		"talks/2026-10/x.yaml", talk("2024040", "2026-10-11", "T02", "home_visit"),
	)
	b := dataset(
		"care.yaml", cfgYAML,
		"children/3-2/2024031.yaml", childYAML,
		"children/4-1/2024040.yaml", child("2024040", "周小兰", "4-1", ""),
		"talks/2026-10/2026-10-09-2024031.yaml", talk("2024031", "2026-10-09", "T01", "talk"),
		// moved into a sub-folder: not added nor removed
		"talks/2026-10/4-1/x.yaml", talk("2024040", "2026-10-11", "T02", "home_visit"),
		"talks/2026-11/2026-11-03-2024031.yaml", talk("2024031", "2026-11-03", "T01", "talk"),
		"talks/2026-11/2026-11-04-2024031.yaml", talk("2024031", "2026-11-04", "T01", "parent_contact"),
		"talks/2026-11/2026-11-05-2024040.yaml", talk("2024040", "2026-11-05", "T01", "talk"),
	)
	d := Compare(a, b, Options{})
	if len(d.Talks.Added) != 3 || len(d.Talks.Removed) != 1 || len(d.Talks.Changed) != 0 {
		t.Fatalf("talks %+v", d.Talks)
	}
	if got, want := d.Talks.ByClass, []Count{{"3-2", "三年级二班", 2, 0}, {"4-1", "四年级一班", 1, 1}}; !reflect.DeepEqual(got, want) {
		t.Errorf("by class %+v, want %+v", got, want)
	}
	if got, want := d.Talks.ByTeacher, []Count{{"T01", "王芳", 3, 0}, {"T02", "张伟", 0, 1}}; !reflect.DeepEqual(got, want) {
		t.Errorf("by teacher %+v, want %+v", got, want)
	}
}

func TestCompareConfigAndIndicators(t *testing.T) {
	a := dataset("care.yaml", cfgYAML, "children/3-2/2024031.yaml", childYAML)
	b := dataset("care.yaml", strings.Replace(cfgYAML, "name: 张伟", "name: 张伟伟", 1), "children/3-2/2024031.yaml", childYAML)
	d := Compare(a, b, Options{FromDay: record.MustDate("2026-10-31"), ToDay: record.MustDate("2027-02-10")})
	if got := fieldLines(d.Config); !reflect.DeepEqual(got, []string{"changed staff[id=T02].name: 张伟 -> 张伟伟"}) {
		t.Errorf("config %q", got)
	}
	if d.From == nil || d.From.AsOf.String() != "2026-10-31" || d.From.Term.ID != "2026-autumn" {
		t.Errorf("from window %+v", d.From)
	}
	// In the holidays the term is the one just ended, as of its end.
	if d.To == nil || d.To.AsOf.String() != "2027-01-22" {
		t.Errorf("to window %+v", d.To)
	}
	if len(d.Indicators) != 7 || d.Indicators[0].ID != "filing" || d.Indicators[0].From == nil || d.Indicators[0].To == nil {
		t.Fatalf("indicators %+v", d.Indicators)
	}
	// No day: no indicators.
	if d := Compare(a, b, Options{}); d.Indicators != nil || d.From != nil {
		t.Errorf("indicators without days: %+v", d.Indicators)
	}
	// No term started: that side is missing.
	d = Compare(a, b, Options{FromDay: record.MustDate("2026-08-01"), ToDay: record.MustDate("2026-11-01")})
	if d.From != nil || d.Indicators[0].From != nil || d.Indicators[0].To == nil || !d.Indicators[0].Moved() {
		t.Errorf("from before any term: %+v %+v", d.From, d.Indicators[0])
	}
}

func TestCompareNil(t *testing.T) {
	b := dataset("care.yaml", cfgYAML, "children/3-2/2024031.yaml", childYAML)
	d := Compare(nil, b, Options{})
	if len(d.Added) != 1 || len(d.Config) == 0 {
		t.Errorf("%+v", d)
	}
	if d := Compare(b, nil, Options{}); len(d.Removed) != 1 {
		t.Errorf("%+v", d)
	}
}

func TestMapJSON(t *testing.T) {
	b, err := Map{{"z", "1"}, {"a", Map{{"b", int64(2)}}}, {"c", []any{"<x>"}}}.MarshalJSON()
	if err != nil || string(b) != `{"z":"1","a":{"b":2},"c":["<x>"]}` {
		t.Errorf("%s %v", b, err)
	}
}

func TestFieldsListFromNothing(t *testing.T) {
	a := dataset("pairings/p.yaml", pairing("2024031", "teacher", "T01", "2026-09-05", ""))
	b := dataset("pairings/p.yaml", pairing("2024031", "teacher", "T01", "2026-09-05", "")+
		"reviews:\n  - date: 2026-10-30\n    note: 进步\n  - date: 2026-11-30\n    note: 稳定\n")
	got := fieldLines(Fields(a.Pairings[0].File, b.Pairings[0].File))
	want := []string{
		"added reviews[2026-10-30]: <nil> -> [{date 2026-10-30} {note 进步}]",
		"added reviews[2026-11-30]: <nil> -> [{date 2026-11-30} {note 稳定}]",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
	got = fieldLines(Fields(b.Pairings[0].File, a.Pairings[0].File))
	if len(got) != 2 || !strings.HasPrefix(got[0], "removed reviews[2026-10-30]") {
		t.Errorf("removed: %q", got)
	}
}

// TestCompareDuplicateIDs: when an id is in two files (invalid records, as
// when a file is copied rather than moved), each file is matched with the
// file at the same path first; only the rest are moves. Deleting one of the
// copies removes that copy, not the other.
func TestCompareDuplicateIDs(t *testing.T) {
	one := child("2026001", "郭晨阳", "3-2", "")
	two := child("2026001", "郭晨阳二", "3-2", "")
	a := dataset("children/3-2/2026001.yaml", one, "children/4-1/2026001.yaml", two)
	b := dataset("children/4-1/2026001.yaml", two)
	d := Compare(a, b, Options{})
	if len(d.Removed) != 1 || d.Removed[0].Path != "children/3-2/2026001.yaml" || d.Removed[0].Name != "郭晨阳" {
		t.Errorf("removed %+v", d.Removed)
	}
	if len(d.Moved)+len(d.Changed)+len(d.Added) != 0 || d.Changes() != 1 {
		t.Errorf("moved %+v changed %+v added %+v", d.Moved, d.Changed, d.Added)
	}
	// The copy made: the file at the old path is unchanged, the new one added.
	d = Compare(b, a, Options{})
	if len(d.Added) != 1 || d.Added[0].Path != "children/3-2/2026001.yaml" || len(d.Moved)+len(d.Changed)+len(d.Removed) != 0 {
		t.Errorf("added %+v moved %+v changed %+v removed %+v", d.Added, d.Moved, d.Changed, d.Removed)
	}
	// Two copies, one moved: a move of that one, the other unchanged.
	c := dataset("children/4-1/2026001.yaml", two, "children/5-1/2026001.yaml", one)
	d = Compare(a, c, Options{})
	if len(d.Moved) != 1 || d.Moved[0].From != "children/3-2/2026001.yaml" || d.Moved[0].To != "children/5-1/2026001.yaml" || d.Changes() != 1 {
		t.Errorf("moved %+v, %d changes", d.Moved, d.Changes())
	}
}
