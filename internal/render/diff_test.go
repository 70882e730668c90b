package render

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/care-tool/care/internal/diff"
	"github.com/care-tool/care/internal/i18n"
	"github.com/care-tool/care/internal/record"
	"github.com/care-tool/care/internal/store"
)

const diffCfg = `version: 1
school:
  name: 测试小学
terms:
  - id: 2026-autumn
    name: 2026年秋季学期
    start: 2026-09-01
    end: 2027-01-22
school_age: {min: 6, max: 15, cutoff: "08-31"}
staff:
  - {id: T01, name: 王芳}
  - {id: T02, name: 张伟}
classes:
  - {id: "3-2", name: 三年级二班, grade: 3, head_teacher: T01}
  - {id: "4-1", name: 四年级一班, grade: 4, head_teacher: T02}
`

const diffChildA = `id: "2024031"
name: 李小明
gender: male
birth_date: 2016-05-12
id_number: "429004201605120017"
class: "3-2"
address: 湖北省仙桃市某镇某村3组
left_behind:
  since: 2022-03-01
  type: both_parents
parents:
  - name: 王秀英
    relation: mother
    phone: "13900139000"
    work_address: 广东省东莞市长安镇某路
guardian:
  name: 李德福
  relation: grandfather
  phone: "13712345678"
enrolment:
  - date: 2022-09-01
    status: enrolled
notes: |
  两行
  备注
`

func diffEdit(s string, pairs ...string) string {
	return strings.NewReplacer(pairs...).Replace(s)
}

// sampleDiff is a diff with one of every kind of change.
func sampleDiff(t *testing.T) *diff.Diff {
	t.Helper()
	build := func(files ...string) *record.Dataset {
		var in []store.Input
		for i := 0; i+1 < len(files); i += 2 {
			in = append(in, store.Input{Path: files[i], Data: []byte(files[i+1])})
		}
		return store.Build(in).Dataset
	}
	other := diffEdit(diffChildA, `"2024031"`, `"2024032"`, "李小明", "王小红", `id_number: "429004201605120017"`+"\n", "")
	gone := diffEdit(other, `"2024032"`, `"2024033"`, "王小红", "刘小丽")
	pair := "child: \"2024031\"\nrole: teacher\nmentor: T01\nstart: 2026-09-05\n"
	peer := "child: \"2024032\"\nrole: peer\nmentor: 张同学\nstart: 2026-09-05\n"
	talk := func(child, date, by string) string {
		return "child: \"" + child + "\"\ndate: " + date + "\nby: " + by + "\nkind: talk\n"
	}
	a := build(
		"care.yaml", diffCfg,
		"children/3-2/2024031.yaml", diffChildA,
		"children/3-2/2024032.yaml", other,
		"children/3-2/2024033.yaml", gone,
		"pairings/2024031-teacher.yaml", pair,
		"pairings/2024032-peer.yaml", peer,
		"talks/2026-10/2026-10-09-2024032.yaml", talk("2024032", "2026-10-09", "T02"),
	)
	b := build(
		"care.yaml", diffEdit(diffCfg, "name: 张伟", "name: 张伟伟"),
		"children/3-2/2024031.yaml", diffEdit(diffChildA,
			`"429004201605120017"`, `"42900420160512001X"`,
			`"13712345678"`, `"13987654321"`,
			"广东省东莞市长安镇某路", "浙江省义乌市某镇某村",
			"    status: enrolled\n", "    status: enrolled\n  - date: 2026-11-18\n    status: transferred_out\n    school: 东莞市长安镇第一小学\n",
			"  type: both_parents", "  until: 2026-11-10\n  type: one_parent",
			"  两行\n", "  三行\n"),
		"children/4-1/2024032.yaml", diffEdit(other, `class: "3-2"`, `class: "4-1"`),
		"children/3-2/2026001.yaml", diffEdit(other, `"2024032"`, `"2026001"`, "王小红", "赵新"),
		"pairings/2024031-teacher.yaml", pair+"end: 2026-11-18\n",
		"pairings/2024032-peer.yaml", peer+"plan: 每周二\n",
		"pairings/2026001-teacher.yaml", "child: \"2026001\"\nrole: teacher\nmentor: T02\nstart: 2026-11-03\n",
		"talks/2026-11/2026-11-03-2024031.yaml", talk("2024031", "2026-11-03", "T01"),
		"talks/2026-11/2026-11-04-2024032.yaml", talk("2024032", "2026-11-04", "T02"),
	)
	return diff.Compare(a, b, diff.Options{FromDay: record.MustDate("2026-10-31"), ToDay: record.MustDate("2026-11-28")})
}

func sampleView(t *testing.T, l i18n.Lang) *DiffView {
	return &DiffView{
		School: "测试小学",
		From:   DiffPoint{Spec: "2026-10", Kind: DiffMonth, Month: "2026-10", Commit: strings.Repeat("a", 40), Short: "aaaaaaa", Date: "2026-10-28", Author: "王芳", Subject: "十月记录"},
		To:     DiffPoint{Kind: DiffWorkTree, Dirty: true},
		Diff:   sampleDiff(t),
		Lang:   l,
	}
}

func TestDiffGolden(t *testing.T) {
	for _, l := range []i18n.Lang{i18n.Zh, i18n.En} {
		v := sampleView(t, l)
		var txt, md, js bytes.Buffer
		if err := v.Text(&txt); err != nil {
			t.Fatal(err)
		}
		if err := v.Markdown(&md); err != nil {
			t.Fatal(err)
		}
		if err := v.JSON(&js); err != nil {
			t.Fatal(err)
		}
		golden(t, "diff_"+string(l)+".txt", txt.Bytes())
		golden(t, "diff_"+string(l)+".md", md.Bytes())
		golden(t, "diff_"+string(l)+".json", js.Bytes())
		if !json.Valid(js.Bytes()) {
			t.Error("invalid json")
		}
	}
}

func TestDiffMasksPersonalData(t *testing.T) {
	v := sampleView(t, i18n.Zh)
	for _, show := range []bool{false, true} {
		v.ShowPII = show
		for name, write := range map[string]func(*bytes.Buffer) error{
			"text":     func(b *bytes.Buffer) error { return v.Text(b) },
			"markdown": func(b *bytes.Buffer) error { return v.Markdown(b) },
			"json":     func(b *bytes.Buffer) error { return v.JSON(b) },
		} {
			var b bytes.Buffer
			if err := write(&b); err != nil {
				t.Fatal(err)
			}
			for _, secret := range []string{"13987654321", "13712345678", "42900420160512001X", "429004201605120017", "长安镇某路"} {
				if got := strings.Contains(b.String(), secret); got != show {
					t.Errorf("%s, show %v: %q shown = %v", name, show, secret, got)
				}
			}
		}
	}
	v.ShowPII = true
	var b bytes.Buffer
	_ = v.Text(&b)
	golden(t, "diff_show_pii.txt", b.Bytes())
}

func TestDiffColor(t *testing.T) {
	v := sampleView(t, i18n.En)
	var plain, col bytes.Buffer
	_ = v.Text(&plain)
	v.Color = true
	_ = v.Text(&col)
	if strings.Contains(plain.String(), "\x1b[") {
		t.Error("colour without Color")
	}
	for _, want := range []string{diffGreen + "+" + reset, red + "-" + reset, yellow + "±" + reset, bold} {
		if !strings.Contains(col.String(), want) {
			t.Errorf("no %q in coloured output", want)
		}
	}
}

func TestDiffEmpty(t *testing.T) {
	v := &DiffView{From: DiffPoint{Kind: DiffRevision, Spec: "HEAD"}, To: DiffPoint{Kind: DiffWorkTree}, Diff: diff.Compare(nil, nil, diff.Options{}), Lang: i18n.En}
	var b bytes.Buffer
	if err := v.Text(&b); err != nil || b.String() != "no changes to the records\n" {
		t.Errorf("%q %v", b.String(), err)
	}
}

func TestLogGolden(t *testing.T) {
	d := sampleDiff(t)
	for _, l := range []i18n.Lang{i18n.Zh, i18n.En} {
		v := &LogView{ChildID: "2024031", ChildName: "李小明", Lang: l, Entries: []LogEntry{
			{Commit: strings.Repeat("b", 40), Short: "bbbbbbb", Date: "2026-11-20", Author: "王芳", Subject: "李小明转学",
				Paths: []string{"children/3-2/2024031.yaml"}, Diff: d},
			{Commit: strings.Repeat("c", 40), Short: "ccccccc", Date: "2026-09-15", Author: "张伟", Subject: "空提交",
				Diff: diff.Compare(nil, nil, diff.Options{})},
		}}
		var txt, js bytes.Buffer
		if err := v.Text(&txt); err != nil {
			t.Fatal(err)
		}
		if err := v.JSON(&js); err != nil {
			t.Fatal(err)
		}
		golden(t, "diff_log_"+string(l)+".txt", txt.Bytes())
		golden(t, "diff_log_"+string(l)+".json", js.Bytes())
	}
}
