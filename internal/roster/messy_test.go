package roster

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

// xlsxOf writes rows to a one-sheet workbook, then lets edit merge cells.
func xlsxOf(t *testing.T, rows [][]any, edit func(f *excelize.File, sheet string)) []byte {
	t.Helper()
	f := excelize.NewFile()
	sh := f.GetSheetName(0)
	for r, row := range rows {
		ref, _ := excelize.CoordinatesToCellName(1, r+1)
		if err := f.SetSheetRow(sh, ref, &row); err != nil {
			t.Fatal(err)
		}
	}
	if edit != nil {
		edit(f, sh)
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// A class (or an address) merged down over the rows of its children, as
// official rosters do, belongs to every row of the merged range.
func TestImportMergedCells(t *testing.T) {
	rows := [][]any{
		{"沙湖镇中心小学留守儿童花名册"},
		{},
		{"学号", "姓名", "性别", "出生日期", "班级", "家庭住址", "留守起始日期", "在校状态"},
		{"2025001", "甲", "男", "2016-05-12", "3-2", "某村1组", "2022-03-01", "未入学"},
		{"2025002", "乙", "女", "2016-06-12", "", "", "2022-03-01", "未入学"},
		{"2025003", "丙", "男", "2016-07-12", "", "某村2组", "2022-03-01", "未入学"},
		{},
		{},
		{"", "", "", "", "", "", "", "", "填表人：王芳"},
	}
	data := xlsxOf(t, rows, func(f *excelize.File, sh string) {
		for _, r := range [][2]string{{"A1", "H1"}, {"E4", "E6"}, {"F4", "F5"}, {"G6", "G8"}} {
			if err := f.MergeCell(sh, r[0], r[1]); err != nil {
				t.Fatal(err)
			}
		}
	})
	dir := fixtureRepo(t, false)
	p := importInto(t, dir, "merged.xlsx", data, false)
	if len(p.Problems) > 0 {
		t.Fatal(problems(p))
	}
	for id, want := range map[string][2]string{"2025001": {"3-2", "某村1组"}, "2025002": {"3-2", "某村1组"}, "2025003": {"3-2", "某村2组"}} {
		c := child(t, dir, id)
		if c.Class != want[0] || c.Address != want[1] {
			t.Errorf("%s: class %q address %q, want %q %q", id, c.Class, c.Address, want[0], want[1])
		}
	}
}

// A header in two rows: 父亲 over 姓名, 电话, 务工地址, and so on.
func TestImportTwoRowHeader(t *testing.T) {
	h1 := []any{"序号", "学号", "姓名", "性别", "出生日期", "班级", "留守类型", "父亲", "", "", "母亲", "", "", "监护人", "", "", "", "留守起始日期", "入学日期", "在校状态"}
	h2 := []any{"", "", "", "", "", "", "", "姓名", "电话", "务工地址", "姓名", "联系电话", "务工地点", "姓名", "与儿童关系", "年龄", "电话", "", "", ""}
	row := []any{1, "2025001", "甲", "男", "2016-05-12", "3-2", "双亲外出", "甲父", "13800138000", "广东东莞", "甲母", "13900139000", "广东深圳", "甲奶", "奶奶", "66", "13712345678", "2022-03-01", "2022-09-01", "在读"}
	merged := func(f *excelize.File, sh string) {
		for _, c := range []string{"A", "B", "C", "D", "E", "F", "G", "R", "S", "T"} {
			if err := f.MergeCell(sh, c+"2", c+"3"); err != nil {
				t.Fatal(err)
			}
		}
		for _, r := range [][2]string{{"A1", "T1"}, {"H2", "J2"}, {"K2", "M2"}, {"N2", "Q2"}} {
			if err := f.MergeCell(sh, r[0], r[1]); err != nil {
				t.Fatal(err)
			}
		}
	}
	str := func(r []any) []string {
		out := make([]string, len(r))
		for i, v := range r {
			switch v := v.(type) {
			case string:
				out[i] = v
			case int:
				out[i] = "1"
			}
		}
		return out
	}
	for name, data := range map[string][]byte{
		"merged.xlsx": xlsxOf(t, [][]any{{"留守儿童花名册"}, h1, h2, row}, merged),
		"plain.csv":   csvOf(t, [][]string{{"留守儿童花名册"}, str(h1), str(h2), str(row)}),
	} {
		t.Run(name, func(t *testing.T) {
			dir := fixtureRepo(t, false)
			p := importInto(t, dir, name, data, false)
			if len(p.Problems) > 0 {
				t.Fatal(problems(p))
			}
			c := child(t, dir, "2025001")
			if len(c.Parents) != 2 || c.Parents[0].Phone != "13800138000" || c.Parents[0].WorkAddress != "广东东莞" || c.Parents[1].Name != "甲母" || c.Parents[1].Phone != "13900139000" || c.Parents[1].WorkAddress != "广东深圳" {
				t.Errorf("parents %+v", c.Parents)
			}
			if g := c.Guardian; g == nil || g.Name != "甲奶" || g.Relation != "grandmother" || g.Age == nil || *g.Age != 66 || g.Phone != "13712345678" {
				t.Errorf("guardian %+v", g)
			}
			if c.Name != "甲" || c.Class != "3-2" {
				t.Errorf("child %+v", c)
			}
		})
	}
}

// A column with data but no header is not dropped without a word.
func TestUnnamedColumnWithData(t *testing.T) {
	rows := [][]string{
		{"学号", "姓名", "性别", "出生日期", "", "留守起始日期", ""},
		{"2025001", "甲", "男", "2016-05-12", "13800138000", "2022-03-01", ""},
	}
	s := csvSheet(t, rows)
	if len(s.Unnamed) != 1 || s.Unnamed[0] != "E" {
		t.Errorf("unnamed columns with data: %v, want [E]", s.Unnamed)
	}
}

// Row numbers are those a spreadsheet program shows: a line break inside a
// quoted cell does not start a new row.
func TestCSVRowNumbersQuotedNewline(t *testing.T) {
	data := "学号,姓名,性别,出生日期,家庭住址,留守起始日期\r\n" +
		"2025001,甲,男,2016-05-12,\"某村\r\n3组\",2022-03-01\r\n" +
		"2025002,乙,女,2016-05-12,某村,2022-03-01\r\n" +
		"\r\n" +
		"2025003,丙,X,2016-05-12,某村,2022-03-01\r\n"
	tables, err := ReadTables("x.csv", []byte(data))
	if err != nil {
		t.Fatal(err)
	}
	var lines []int
	for _, r := range tables[0].Rows {
		lines = append(lines, r.Line)
	}
	if got := fmt.Sprint(lines); got != "[1 2 3 5]" {
		t.Errorf("row numbers %s, want [1 2 3 5]", got)
	}
}

// A separator is found even when the first line is a title without one.
func TestSniffSeparatorTitleLine(t *testing.T) {
	data := "沙湖镇中心小学留守儿童花名册\n学号;姓名;性别;出生日期;留守起始日期\n2025001;甲;男;2016-05-12;2022-03-01\n"
	tables, err := ReadTables("x.csv", []byte(data))
	if err != nil {
		t.Fatal(err)
	}
	s, err := FindSheet(tables, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Entries) != 1 || s.Entries[0].Name != "甲" {
		t.Errorf("entries %+v", s.Entries)
	}
}

// Phone and id cells written the ways spreadsheets and people write them.
func TestCodeCellVariants(t *testing.T) {
	rows := [][]string{
		{"学号", "姓名", "性别", "出生日期", "身份证号", "监护人电话", "父亲电话", "留守起始日期"},
		{"=\"2025001\"", "甲", "男", "2016-05-12", "=\"429004201605120017\"", "(0728)1234567", "'13800138000", "2022-03-01"},
		{"'2025002", "乙", "女", "2016-05-12", "'429004201605120025", "（0728）123 4567", "138 0013 8000", "2022-03-01"},
	}
	s := csvSheet(t, rows)
	if len(s.Entries) != 2 {
		t.Fatalf("entries %+v", s.Entries)
	}
	for i, want := range [][4]string{{"2025001", "429004201605120017", "0728-1234567", "13800138000"}, {"2025002", "429004201605120025", "0728-1234567", "13800138000"}} {
		e := s.Entries[i]
		if got := [4]string{e.ID, e.IDNumber, e.Guardian.Phone, e.Father.Phone}; got != want {
			t.Errorf("row %d: got %q, want %q (problems %+v)", e.Line, got, want, e.Problems)
		}
	}
}

// Excel turns a class typed 3-2 into the date 3月2日; and text pasted from a
// web page or a chat carries invisible characters (zero-width spaces, a
// byte-order mark in the middle of a file).
func TestImportExcelMangling(t *testing.T) {
	rows := [][]any{
		{"学号", "\ufeff姓名", "性别", "出生日期", "班级", "父亲电话", "留守起始日期", "在校状态"},
		{"2025001", "甲", "男", "2016-05-12", time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC), "", "2022-03-01", "未入学"},
		{"2025002", "乙\u200b", "男\u200b", "2016-05-12", "3-2", "138\u200b0013\u200b8000", "2022-03-01", "未入学"},
		{"2025003", "丙", "女", "2016-05-12", time.Date(2026, 12, 25, 0, 0, 0, 0, time.UTC), "", "2022-03-01", "未入学"},
	}
	dir := fixtureRepo(t, false)
	p := importInto(t, dir, "mangled.xlsx", xlsxOf(t, rows, nil), false)
	if len(p.Problems) != 1 || p.Problems[0].Line != 4 || p.Problems[0].Column != "班级" || !strings.Contains(p.Problems[0].Msg.En, "12-25") {
		t.Fatalf("want one problem, row 4 班级, naming 12-25:\n%s", problems(p))
	}
	rows = rows[:3]
	p = importInto(t, dir, "mangled.xlsx", xlsxOf(t, rows, nil), false)
	if len(p.Problems) > 0 {
		t.Fatal(problems(p))
	}
	if c := child(t, dir, "2025001"); c.Class != "3-2" {
		t.Errorf("class %q, want 3-2", c.Class)
	}
	c := child(t, dir, "2025002")
	if c.Name != "乙" || c.Gender != "male" || len(c.Parents) != 1 || c.Parents[0].Phone != "13800138000" {
		t.Errorf("child %+v %+v", c, c.Parents)
	}
}

// A year alone (2016), or any small number, is not an Excel serial day: read
// as one it would silently become a day of 1905.
func TestParseDateYearOnly(t *testing.T) {
	for _, in := range []TableCell{{Text: "2016"}, {Text: "2016", Number: true}, {Text: "12"}, {Text: "1", Number: true}, {Text: "201605"}} {
		if d, msg := ParseDate(in, false); msg.IsZero() {
			t.Errorf("%+v: got %s, want an error", in, d)
		}
	}
	if _, msg := ParseDate(TableCell{Text: "2016", Number: true}, false); !strings.Contains(msg.En, "year") {
		t.Errorf("year only: %q does not say it is a year", msg.En)
	}
	for in, want := range map[string]string{"18264": "1950-01-01", "46000": "2025-12-09"} {
		if d, msg := ParseDate(TableCell{Text: in, Number: true}, false); d.String() != want {
			t.Errorf("%s: got %s %q, want %s", in, d, msg.En, want)
		}
	}
}

// A workbook with one sheet per class: the first is read, and the others
// are named so that care can say so.
func TestOtherRosterSheets(t *testing.T) {
	f := excelize.NewFile()
	head := []any{"学号", "姓名", "性别", "出生日期", "留守起始日期"}
	for i, name := range []string{"说明", "一年级", "二年级", "统计"} {
		if i == 0 {
			f.SetSheetName("Sheet1", name)
		} else {
			f.NewSheet(name)
		}
		switch name {
		case "说明":
			f.SetSheetRow(name, "A1", &[]any{"填表说明"})
		case "统计":
			f.SetSheetRow(name, "A1", &[]any{"班级", "人数"})
		default:
			f.SetSheetRow(name, "A1", &head)
			f.SetSheetRow(name, "A2", &[]any{"2025001", "甲", "男", "2016-05-12", "2022-03-01"})
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	tables, err := ReadTables("x.xlsx", buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	s, err := FindSheet(tables, nil)
	if err != nil {
		t.Fatal(err)
	}
	if s.Table.Sheet != "一年级" || fmt.Sprint(s.Others) != "[二年级]" {
		t.Errorf("read %s, others %v; want 一年级, [二年级]", s.Table.Sheet, s.Others)
	}
}

// csvSheet reads rows written as a csv file and finds its roster sheet.
func csvSheet(t *testing.T, rows [][]string) *Sheet {
	t.Helper()
	tables, err := ReadTables("x.csv", csvOf(t, rows))
	if err != nil {
		t.Fatal(err)
	}
	s, err := FindSheet(tables, nil)
	if err != nil {
		t.Fatal(err)
	}
	return s
}
