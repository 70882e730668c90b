package roster

import (
	"bytes"
	"encoding/csv"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/care-tool/care/internal/i18n"
	"github.com/care-tool/care/internal/record"
)

func csvOf(t testing.TB, rows [][]string) []byte {
	t.Helper()
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	if err := w.WriteAll(rows); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func child(t testing.TB, dir, id string) *record.Child {
	t.Helper()
	c := load(t, dir).Dataset.Child(id)
	if c == nil {
		t.Fatalf("no child %s in %s", id, dir)
	}
	return c
}

func readFile(t testing.TB, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

var plainHeader = []string{"学号", "姓名", "性别", "出生日期", "身份证号", "班级", "家庭住址", "留守类型", "父亲姓名", "父亲电话", "父亲务工地址",
	"监护人姓名", "与儿童关系", "监护人年龄", "监护人电话", "留守起始日期", "入学日期", "在校状态"}

func TestImportGBK(t *testing.T) {
	rows := [][]string{plainHeader,
		{"2025001", "欧阳娜娜", "女", "2017-03-08", "", "3-2", "湖北省仙桃市某镇某村1组", "双亲外出", "欧阳刚", "13800138001", "广东省广州市白云区",
			"欧阳德", "爷爷", "70", "13912345678", "2023-03-01", "2023-09-01", "在读"},
	}
	for _, enc := range []struct {
		name string
		data func([]byte) []byte
	}{
		{"GBK", func(b []byte) []byte {
			out, err := simplifiedchinese.GBK.NewEncoder().Bytes(b)
			if err != nil {
				t.Fatal(err)
			}
			return out
		}},
		{"GB18030", func(b []byte) []byte {
			out, err := simplifiedchinese.GB18030.NewEncoder().Bytes(b)
			if err != nil {
				t.Fatal(err)
			}
			return out
		}},
		{"UTF-8", func(b []byte) []byte { return b }},
		{"UTF-8 with BOM", func(b []byte) []byte { return append([]byte("\ufeff"), b...) }},
	} {
		t.Run(enc.name, func(t *testing.T) {
			dir := fixtureRepo(t, false)
			data := enc.data(csvOf(t, rows))
			tables, err := ReadTables("roster.csv", data)
			if err != nil {
				t.Fatal(err)
			}
			if want := map[string]string{"GBK": "GB18030"}[enc.name]; want != "" && tables[0].Encoding != want {
				t.Errorf("encoding %s, want %s", tables[0].Encoding, want)
			}
			p := importInto(t, dir, "roster.csv", data, false)
			if len(p.Problems) > 0 {
				t.Fatal(problems(p))
			}
			mustValid(t, dir)
			c := child(t, dir, "2025001")
			if c.Name != "欧阳娜娜" || c.Gender != "female" || c.Guardian.Relation != "grandfather" || c.LeftBehind.Type != "both_parents" ||
				c.Parents[0].WorkAddress != "广东省广州市白云区" || c.StatusOn(today) != record.Enrolled {
				t.Errorf("got %+v", c)
			}
		})
	}
}

// TestImportMessy reads a sheet with a title row, variant headers, a
// column care does not know, blank rows and values written in many ways.
func TestImportMessy(t *testing.T) {
	dir := fixtureRepo(t, false)
	idn := idNumber(t, "2016-05-12", "male", 7)
	idnLower := strings.Replace(idNumber(t, "2017-01-09", "female", 8), "X", "x", 1)
	rows := [][]string{
		{"沙湖镇中心小学留守儿童花名册（2026年秋）"},
		{"编号", "儿童姓名 ", "性别", "出生年月", "身份证号码", "班级名称", "是否住校", "家庭地址", "身体状况", "留守情况",
			"父亲", "父亲手机号", "父亲务工地点", "母亲", "母亲联系电话", "母亲外出务工地址",
			"监护人", "关系", "监护人年龄", "监护人职业", "联系电话", "监护人身体状况", "认定日期", "入学时间", "学籍状态", "备注"},
		{"", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "", ""},
		{"2026101", "李小明", "", "", idn, "三年级二班", "是", "某村3组", "良好", "父母双方外出",
			"李建国", "138 0013 8000", "广东东莞", "王秀英", "+86 139-0013-9000", "广东深圳",
			"李德福", "外公", "68岁", "务农", "0728-1234567", "高血压", "2022/3/1", "20220901", "在校", "喜欢画画"},
		{"2026102", "张小红", "女 ", "2017.1.9", idnLower, "3(2)班", "走读", "某村5组", "良好", "单亲",
			"", "", "", "刘芳", "13600136000", "浙江义乌",
			"张桂兰", "姥姥", "63", "务农", "13712345678", "良好", "2023年2月15日", "44805", "辍学（2026-10-15起）", ""},
		{"2026103", "王强", "男", "2015-01-20", "", "4-1", "", "", "", "",
			"", "", "", "", "", "",
			"", "", "", "", "", "", "2021-06-01", "", "未入学", ""},
	}
	p := importInto(t, dir, "messy.csv", csvOf(t, rows), false)
	if len(p.Problems) > 0 {
		t.Fatal(problems(p))
	}
	mustValid(t, dir)
	a := child(t, dir, "2026101")
	if a.Gender != "male" || a.BirthDate != record.MustDate("2016-05-12") || a.IDNumber != idn || a.Class != "3-2" || a.Boarding == nil || !*a.Boarding {
		t.Errorf("2026101: %+v", a)
	}
	if a.LeftBehind.Since != record.MustDate("2022-03-01") || a.LeftBehind.Type != "both_parents" {
		t.Errorf("2026101 left_behind: %+v", a.LeftBehind)
	}
	if len(a.Parents) != 2 || a.Parents[0].Phone != "13800138000" || a.Parents[1].Phone != "13900139000" || a.Parents[1].Relation != "mother" {
		t.Errorf("2026101 parents: %+v", a.Parents)
	}
	if g := a.Guardian; g.Relation != "grandfather" || *g.Age != 68 || g.Phone != "0728-1234567" || g.Health != "高血压" || g.Address != "某村3组" {
		t.Errorf("2026101 guardian: %+v", g)
	}
	if len(a.Enrolment) != 1 || a.Enrolment[0].Date != record.MustDate("2022-09-01") || a.Enrolment[0].Status != "enrolled" {
		t.Errorf("2026101 enrolment: %+v", a.Enrolment)
	}
	b := child(t, dir, "2026102")
	if b.IDNumber != strings.ToUpper(idnLower) || b.Class != "3-2" || *b.Boarding || b.LeftBehind.Type != "one_parent" || b.Guardian.Relation != "grandmother" {
		t.Errorf("2026102: %+v", b)
	}
	// 44805 is the Excel serial day of 2022-09-01.
	want := []record.Event{{Date: record.MustDate("2022-09-01"), Status: "enrolled"}, {Date: record.MustDate("2026-10-15"), Status: "dropped_out"}}
	if len(b.Enrolment) != 2 || b.Enrolment[0] != want[0] || b.Enrolment[1] != want[1] {
		t.Errorf("2026102 enrolment: %+v", b.Enrolment)
	}
	c := child(t, dir, "2026103")
	if len(c.Enrolment) != 0 || c.Guardian != nil || len(c.Parents) != 0 {
		t.Errorf("2026103: %+v", c)
	}
	if !strings.Contains(readFile(t, filepath.Join(dir, "children", "2026103.yaml")), "enrolment: []") {
		t.Error("a child with no enrolment event must get enrolment: []")
	}
}

func TestImportBadRows(t *testing.T) {
	dir := fixtureRepo(t, false)
	rows := [][]string{plainHeader,
		{"2025001", "好孩子", "女", "2017-03-08", "", "3-2", "", "", "", "", "", "", "", "", "", "2023-03-01", "", ""},
		{"2025002", "坏电话", "女", "2017-03-08", "", "3-2", "", "", "", "", "", "", "", "", "1380013800", "2023-03-01", "", ""},
		{"2025003", "坏日期", "男", "2017-02-30", "", "3-2", "", "", "", "", "", "", "", "", "", "2023-03-01", "", ""},
		{"2025004", "坏班级", "男", "2017-02-03", "", "9-9", "", "", "", "", "", "", "", "", "", "2030-03-01", "", "休学"},
	}
	p := importInto(t, dir, "bad.csv", csvOf(t, rows), false)
	lines := map[int][]string{}
	for _, pr := range p.Problems {
		lines[pr.Line] = append(lines[pr.Line], pr.Column+": "+pr.Msg.En)
	}
	if len(lines) != 3 || lines[3] == nil || lines[4] == nil || lines[5] == nil {
		t.Fatalf("want problems on rows 3, 4, 5:\n%s", problems(p))
	}
	for _, want := range []string{"[监护人电话] guardian.phone", "[出生日期] \"2017-02-30\" is not a real calendar date", "[班级] class \"9-9\"", "[留守起始日期] left_behind.since: 2030-03-01 is in the future", "[在校状态] status \"休学\" does not say when it began"} {
		if !strings.Contains(problems(p), want) {
			t.Errorf("missing %q in:\n%s", want, problems(p))
		}
	}
	if strings.Contains(problems(p), "1380013800") {
		t.Error("a message shows a phone number in full")
	}
}

func TestImportMissingColumns(t *testing.T) {
	dir := fixtureRepo(t, false)
	p := importInto(t, dir, "x.csv", csvOf(t, [][]string{{"学号", "姓名", "班级"}, {"1", "甲", "3-2"}, {"2", "乙", "3-2"}}), false)
	got := problems(p)
	for _, want := range []string{"no 性别 column", "no 出生日期 column", "no 留守起始日期 column", "rows 2、3"} {
		if !strings.Contains(got, want) {
			t.Errorf("missing %q in:\n%s", want, got)
		}
	}
}

const commented = `# 李小明的档案（2022年建档）
id: "2024031"
name: 李小明
gender: male
birth_date: 2016-05-12
class: "3-2" # 三年级二班
left_behind:
  since: 2022-03-01
  type: both_parents
guardian:
  name: 李德福
  relation: grandfather
  # 爷爷耳背，打电话要大声
  phone: "13712345678"
  delegated: false
enrolment:
  - date: 2022-09-01
    status: enrolled
support:
  priority: true
  aid: [两免一补]
notes: |
  喜欢画画
`

func TestImportUpdate(t *testing.T) {
	dir := fixtureRepo(t, false)
	writeTree(t, dir, map[string]string{"children/3-2/2024031.yaml": commented})
	sheet := func(phone, status string) []byte {
		return csvOf(t, [][]string{
			{"学号", "姓名", "监护人电话", "父亲姓名", "父亲电话", "在校状态"},
			{"2024031", "李小明", phone, "李建国", "13800138000", status},
		})
	}
	// without --update: a conflict, nothing written
	p := importInto(t, dir, "u.csv", sheet("13912345678", ""), false)
	if len(p.Problems) != 1 || !p.Problems[0].Conflict || p.Problems[0].Line != 2 {
		t.Fatalf("want one conflict on row 2:\n%s", problems(p))
	}
	if got := readFile(t, filepath.Join(dir, "children/3-2/2024031.yaml")); got != commented {
		t.Fatal("a conflict changed the file")
	}
	// with --update: edited in place
	p = importInto(t, dir, "u.csv", sheet("13912345678", "辍学（2026-11-02起）"), true)
	if len(p.Problems) > 0 || p.Count(Update) != 1 {
		t.Fatalf("want one update:\n%s", problems(p))
	}
	got := readFile(t, filepath.Join(dir, "children/3-2/2024031.yaml"))
	for _, want := range []string{
		"# 李小明的档案（2022年建档）\nid: \"2024031\"\n",
		"class: \"3-2\" # 三年级二班\n",
		"  # 爷爷耳背，打电话要大声\n  phone: \"13912345678\"\n  delegated: false\n",
		"  aid: [两免一补]\n",
		"notes: |\n  喜欢画画\n",
		"parents:\n  - name: 李建国\n    relation: father\n    phone: \"13800138000\"\n",
		"  - date: 2022-09-01\n    status: enrolled\n  - date: 2026-11-02\n    status: dropped_out\n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("updated file lacks %q:\n%s", want, got)
		}
	}
	if strings.Index(got, "parents:") > strings.Index(got, "guardian:") {
		t.Errorf("parents must go before guardian:\n%s", got)
	}
	mustValid(t, dir)
	// the same sheet again: unchanged
	p = importInto(t, dir, "u.csv", sheet("13912345678", "辍学（2026-11-02起）"), true)
	if len(p.Problems) > 0 || p.Count(Unchanged) != 1 {
		t.Fatalf("want unchanged:\n%s", problems(p))
	}
	// a status that disagrees with the history is a problem, not an edit
	p = importInto(t, dir, "u.csv", sheet("13912345678", "在读"), true)
	if len(p.Problems) != 1 || p.Problems[0].Column != "在校状态" {
		t.Fatalf("want one problem in 在校状态:\n%s", problems(p))
	}
}

func TestImportAssignsIDs(t *testing.T) {
	dir := fixtureRepo(t, true)
	rows := [][]string{plainHeader,
		{"", "新同学甲", "女", "2017-03-08", "", "3-2", "", "", "", "", "", "", "", "", "", "2023-03-01", "", ""},
		{"2025009", "新同学乙", "男", "2017-03-09", "", "4-1", "", "", "", "", "", "", "", "", "", "2023-03-01", "", ""},
		{"", "新同学丙", "男", "2017-03-10", "", "", "", "", "", "", "", "", "", "", "", "2023-03-01", "", ""},
		// no 学号, but the name and birth date of an existing child
		{"", "王强", "男", "2015-01-20", "", "4-1", "", "", "", "", "", "", "", "", "", "", "", ""},
	}
	p := importInto(t, dir, "ids.csv", csvOf(t, rows), true)
	if len(p.Problems) > 0 {
		t.Fatal(problems(p))
	}
	got := map[int]string{}
	for _, c := range p.Changes {
		got[c.Line] = c.ID + " " + c.Path + " " + c.MatchedBy
	}
	want := map[int]string{
		2: "2025010 children/3-2/2025010.yaml ",
		3: "2025009 children/4-1/2025009.yaml ",
		4: "2025011 children/2025011.yaml ",
		5: "2023015 children/4-1/2023015.yaml name_birth",
	}
	for line, w := range want {
		if got[line] != w {
			t.Errorf("row %d: got %q, want %q", line, got[line], w)
		}
	}
	mustValid(t, dir)

	// With no all-digit id at all: <this year>001.
	n, w := nextID(nil, []string{"A1"}, today)
	if n.String() != "2026001" || w != 7 {
		t.Errorf("nextID with no numeric id: %s/%d", n, w)
	}
	n, w = nextID(nil, []string{"0099", "12"}, today)
	if padID(n.String(), w) != "0100" {
		t.Errorf("nextID keeps the width: %s/%d", n, w)
	}
}

func TestParseDate(t *testing.T) {
	for in, want := range map[string]string{
		"2016-05-12": "2016-05-12", "2016/5/12": "2016-05-12", "2016.5.12": "2016-05-12", "20160512": "2016-05-12",
		"2016年5月12日": "2016-05-12", "２０１６－０５－１２": "2016-05-12", "2016-05-12 00:00:00": "2016-05-12",
		"2016-05-12T00:00:00Z": "2016-05-12", "42502": "2016-05-12", "42502.5": "2016-05-12",
		"2016-02-30": "", "2016.05": "", "5/12/2016": "", "abc": "", "20161312": "",
	} {
		d, msg := ParseDate(TableCell{Text: in}, false)
		if want == "" {
			if msg.IsZero() {
				t.Errorf("%q: got %s, want an error", in, d)
			}
			continue
		}
		if !msg.IsZero() || d.String() != want {
			t.Errorf("%q: got %s %q, want %s", in, d, msg.En, want)
		}
	}
	// a workbook that counts from 1904
	if d, _ := ParseDate(TableCell{Text: "41040", Number: true}, true); d.String() != "2016-05-12" {
		t.Errorf("1904 serial: %s", d)
	}
}

func TestResolveClass(t *testing.T) {
	cfg := &record.Config{Classes: []record.Class{{ID: "3-2"}, {ID: "12-1"}, {ID: "501", Name: "五年级一班"}}}
	for in, want := range map[string]string{
		"3-2": "3-2", "三年级二班": "3-2", "3年级2班": "3-2", "3（2）班": "3-2", "3(2)": "3-2", "3.2": "3-2", "三年级(2)班": "3-2",
		"十二年级一班": "12-1", "五年级一班": "501", "5年级1班": "501", "４－１": "", "3-3": "",
	} {
		got, ok := resolveClass(in, cfg)
		if got != want || ok != (want != "") {
			t.Errorf("%q: got %q %v, want %q", in, got, ok, want)
		}
	}
}

func TestHeaders(t *testing.T) {
	idx, _ := headerIndex()
	for h, want := range map[string]Field{
		"联系电话": FieldGuardianPhone, "手机号": FieldGuardianPhone, "电话号码": FieldGuardianPhone, "出生年月": FieldBirthDate,
		"身份证号码": FieldIDNumber, "班级名称": FieldClass, "*姓名": FieldName, "出生日期（yyyy-mm-dd）": FieldBirthDate,
		"Father's phone": FieldFatherPhone, "father’s phone": FieldFatherPhone, "ID Number": FieldIDNumber, "No.": FieldSeq,
		"Left-behind type": FieldLBType, "Guardian's relation": FieldGuardianRelation, "学籍号": FieldID, "在校状态": FieldStatus,
	} {
		if got, ok := idx[normHeader(h)]; !ok || got != want {
			t.Errorf("%q: got %v %v, want %v", h, got, ok, want)
		}
	}
	// every header and alias means one field only
	seen := map[string]Field{}
	for _, c := range columns {
		for _, h := range append([]string{c.zh, c.en}, c.aliases...) {
			k := normHeader(h)
			if f, ok := seen[k]; ok && f != c.field {
				t.Errorf("header %q means both %s and %s", h, f.Label(), c.field.Label())
			}
			seen[k] = c.field
		}
	}
}

// TestXLSXCells reads an exported workbook back with excelize: the header
// row is bold and frozen, ids, phone and id numbers are text cells, dates
// are numbers shown as dates, ages are numbers.
func TestXLSXCells(t *testing.T) {
	l := mustValid(t, fixtureRepo(t, true))
	lines := Export(l.Dataset, today, i18n.Zh)
	var buf bytes.Buffer
	if err := WriteXLSX(&buf, i18n.Zh, lines); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sh := SheetName(i18n.Zh)
	if f.GetSheetName(0) != sh {
		t.Fatalf("sheet %q", f.GetSheetName(0))
	}
	col := func(fl Field) string { n, _ := excelize.ColumnNumberToName(int(fl) + 1); return n }
	panes, err := f.GetPanes(sh)
	if err != nil || !panes.Freeze || panes.YSplit != 1 || panes.TopLeftCell != "A2" {
		t.Errorf("header row is not frozen: %+v %v", panes, err)
	}
	sid, _ := f.GetCellStyle(sh, "C1")
	st, _ := f.GetStyle(sid)
	if st == nil || st.Font == nil || !st.Font.Bold {
		t.Errorf("header is not bold: %+v", st)
	}
	if v, _ := f.GetCellValue(sh, "F1"); v != "身份证号" {
		t.Errorf("F1 = %q", v)
	}
	// row 2 is 2024031 (class 3-2 first)
	for _, fl := range []Field{FieldID, FieldIDNumber, FieldFatherPhone, FieldGuardianPhone, FieldClass} {
		ref := col(fl) + "2"
		ct, _ := f.GetCellType(sh, ref)
		if ct != excelize.CellTypeInlineString && ct != excelize.CellTypeSharedString {
			t.Errorf("%s (%s) is not a text cell: type %v", ref, fl.Label(), ct)
		}
		if v, _ := f.GetCellValue(sh, ref); v != lines[0].Cells[fl].Text {
			t.Errorf("%s = %q, want %q", ref, v, lines[0].Cells[fl].Text)
		}
	}
	for _, fl := range []Field{FieldBirthDate, FieldSince, FieldEnrolDate} {
		ref := col(fl) + "2"
		ct, _ := f.GetCellType(sh, ref)
		raw, _ := f.GetCellValue(sh, ref, excelize.Options{RawCellValue: true})
		shown, _ := f.GetCellValue(sh, ref)
		if ct != excelize.CellTypeUnset && ct != excelize.CellTypeNumber || strings.Contains(raw, "-") || shown != lines[0].Cells[fl].Text {
			t.Errorf("%s (%s) is not a date: type %v, raw %q, shown %q", ref, fl.Label(), ct, raw, shown)
		}
	}
	if raw, _ := f.GetCellValue(sh, col(FieldBirthDate)+"2", excelize.Options{RawCellValue: true}); raw != "42502" {
		t.Errorf("2016-05-12 stored as %q, want the serial day 42502", raw)
	}
	if ct, _ := f.GetCellType(sh, col(FieldGuardianAge)+"2"); ct != excelize.CellTypeUnset && ct != excelize.CellTypeNumber {
		t.Errorf("age is not a number: %v", ct)
	}
	if w, _ := f.GetColWidth(sh, col(FieldIDNumber)); w < 18 {
		t.Errorf("id number column is %v wide", w)
	}
}

// TestImportXLSXTypes reads a workbook as people make them: dates as real
// dates and as serial numbers, phones typed as numbers, an id number typed as
// a number (which has lost its last digits and must be refused).
func TestImportXLSXTypes(t *testing.T) {
	f := excelize.NewFile()
	sh := f.GetSheetName(0)
	head := []string{"学号", "姓名", "性别", "出生日期", "身份证号", "班级", "监护人电话", "留守起始日期", "入学日期"}
	for i, h := range head {
		ref, _ := excelize.CoordinatesToCellName(i+1, 1)
		f.SetCellValue(sh, ref, h)
	}
	set := func(ref string, v any) {
		if err := f.SetCellValue(sh, ref, v); err != nil {
			t.Fatal(err)
		}
	}
	set("A2", 2025001)
	set("B2", "甲")
	set("C2", "男")
	set("D2", time.Date(2016, 5, 12, 0, 0, 0, 0, time.UTC))
	set("F2", "3-2")
	set("G2", 13712345678)
	set("H2", 44621) // 2022-03-01
	set("I2", "2022-09-01")
	set("A3", 2025002)
	set("B3", "乙")
	set("C3", "女")
	set("D3", "2016-06-01")
	set("E3", 429004201606010000)
	set("F3", "3-2")
	set("H3", "2022-03-01")
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	dir := fixtureRepo(t, false)
	p := importInto(t, dir, "types.xlsx", buf.Bytes(), false)
	if len(p.Problems) != 1 || p.Problems[0].Line != 3 || p.Problems[0].Column != "身份证号" {
		t.Fatalf("want one problem, row 3 身份证号:\n%s", problems(p))
	}
	// drop the bad row and import again
	f.RemoveRow(sh, 3)
	buf.Reset()
	f.Write(&buf)
	p = importInto(t, dir, "types.xlsx", buf.Bytes(), false)
	if len(p.Problems) > 0 {
		t.Fatal(problems(p))
	}
	c := child(t, dir, "2025001")
	if c.BirthDate.String() != "2016-05-12" || c.Guardian.Phone != "13712345678" || c.LeftBehind.Since.String() != "2022-03-01" || c.Enrolment[0].Date.String() != "2022-09-01" {
		t.Errorf("got %+v %+v", c, c.Guardian)
	}
}

func TestReadTablesErrors(t *testing.T) {
	for name, data := range map[string][]byte{
		"old.xls":    {0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1},
		"fake.xlsx":  []byte("not a zip"),
		"roster.pdf": []byte("%PDF-1.4"),
		"bad.csv":    {0xff, 0xff, 0xff, 0x81},
	} {
		if _, err := ReadTables(name, data); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	tables, err := ReadTables("x.csv", []byte("a,b\n"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := FindSheet(tables, nil); err == nil {
		t.Error("a sheet without a header row was accepted")
	}
}

// TestLibreOffice converts the exported workbook to csv with LibreOffice
// and compares it with care's own csv; then has LibreOffice save the
// workbook again and imports that.
func TestLibreOffice(t *testing.T) {
	soffice, err := exec.LookPath("soffice")
	if err != nil {
		t.Skip("soffice (LibreOffice) is not on PATH; skipping the xlsx → csv comparison")
	}
	l := mustValid(t, fixtureRepo(t, true))
	lines := Export(l.Dataset, today, i18n.Zh)
	dir := t.TempDir()
	var x, c bytes.Buffer
	if err := WriteXLSX(&x, i18n.Zh, lines); err != nil {
		t.Fatal(err)
	}
	if err := WriteCSV(&c, i18n.Zh, lines); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "roster.xlsx"), x.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	// 44,34,76: comma separator, double quotes, UTF-8.
	cmd := exec.Command(soffice, "-env:UserInstallation=file://"+filepath.ToSlash(filepath.Join(dir, "profile")), "--headless",
		"--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76", "--outdir", filepath.Join(dir, "out"), filepath.Join(dir, "roster.xlsx"))
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("soffice: %v\n%s", err, out)
	}
	got, err := os.ReadFile(filepath.Join(dir, "out", "roster.csv"))
	if err != nil {
		t.Fatal(err)
	}
	parse := func(b []byte) [][]string {
		b = bytes.TrimPrefix(b, []byte("\ufeff"))
		r := csv.NewReader(bytes.NewReader(b))
		r.FieldsPerRecord = -1
		recs, err := r.ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		return recs
	}
	want := parse(c.Bytes())
	have := parse(got)
	defer func() {
		// A workbook saved again by LibreOffice (shared strings, its own
		// styles) imports back to the same roster.
		cmd := exec.Command(soffice, "-env:UserInstallation=file://"+filepath.ToSlash(filepath.Join(dir, "profile")), "--headless",
			"--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", filepath.Join(dir, "resaved"), filepath.Join(dir, "roster.xlsx"))
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("soffice: %v\n%s", err, out)
		}
		data, err := os.ReadFile(filepath.Join(dir, "resaved", "roster.xlsx"))
		if err != nil {
			t.Fatal(err)
		}
		dst := fixtureRepo(t, false)
		if p := importInto(t, dst, "roster.xlsx", data, false); len(p.Problems) > 0 {
			t.Fatalf("importing the workbook LibreOffice saved:\n%s", problems(p))
		}
		compareLines(t, lines, Export(mustValid(t, dst).Dataset, today, i18n.Zh))
	}()
	if len(have) != len(want) {
		t.Fatalf("LibreOffice wrote %d rows, care %d", len(have), len(want))
	}
	for i := range want {
		for j := range want[i] {
			var h string
			if j < len(have[i]) {
				h = have[i][j]
			}
			if h != want[i][j] {
				t.Errorf("row %d, %s: LibreOffice %q, care %q", i+1, want[0][j], h, want[i][j])
			}
		}
	}
}

func TestImportStatusProblems(t *testing.T) {
	dir := fixtureRepo(t, false)
	rows := [][]string{{"学号", "姓名", "性别", "出生日期", "留守起始日期", "入学日期", "在校状态"},
		{"2025001", "甲", "男", "2016-01-02", "2022-03-01", "2022-09-01", "转出（2026-10-01起）"},
		{"2025002", "乙", "男", "2016-01-02", "2022-03-01", "2022-09-01", "休学（2022-08-01起）"},
		{"2025003", "丙", "男", "2016-01-02", "2022-03-01", "", "在读"},
		{"2025004", "丁", "男", "2016-01-02", "2022-03-01", "2022-09-01", "未入学"},
		{"2025005", "戊", "男", "2016-01-02", "2022-03-01", "", "放假"},
		{"2025006", "己", "男", "2016-01-02", "2022-03-01", "", "在读（2022-09-01起）"},
	}
	p := importInto(t, dir, "s.csv", csvOf(t, rows), false)
	got := problems(p)
	for _, want := range []string{
		"row 2 [在校状态] a transferred_out event must name the receiving school (the roster has no column for the receiving school",
		"row 3 [在校状态] the suspended status begins (2022-08-01) before the enrolment date (2022-09-01)",
		"row 4 [入学日期] an enrolled child needs an enrolment date",
		"row 5 [在校状态] the status is not enrolled, yet an enrolment date is given",
		"row 6 [在校状态] \"放假\" is not a known status",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("missing %q in:\n%s", want, got)
		}
	}
	if strings.Contains(got, "row 7") {
		t.Errorf("在读（2022-09-01起） gives the enrolment date:\n%s", got)
	}
}

func TestReadUTF16Tabs(t *testing.T) {
	// Excel's "Unicode text": UTF-16 little-endian with a BOM, tab-separated.
	text := "学号\t姓名\t性别\n2025001\t甲\t男\n"
	var b bytes.Buffer
	b.Write([]byte{0xFF, 0xFE})
	for _, r := range text {
		b.WriteByte(byte(r))
		b.WriteByte(byte(r >> 8))
	}
	tables, err := ReadTables("u.txt", b.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if tables[0].Encoding != "UTF-16" || len(tables[0].Rows) != 2 || tables[0].Rows[1].Cells[1].Text != "甲" {
		t.Errorf("got %+v", tables[0])
	}
}
