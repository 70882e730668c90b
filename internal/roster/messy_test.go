package roster

import (
	"bytes"
	"testing"

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
