package roster

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"path/filepath"
	"strings"
	uni "unicode"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"

	"github.com/care-tool/care/internal/i18n"
)

// Error is a problem with the input file as a whole, in both languages.
type Error struct {
	Msg, Hint i18n.Text
}

func (e *Error) Error() string { return e.Msg.En }

func fail(msg, hint i18n.Text) error { return &Error{Msg: msg, Hint: hint} }

// Table is one worksheet (or a csv file) read into text cells.
type Table struct {
	Format   string // "xlsx" or "csv"
	Encoding string // csv only: "UTF-8", "UTF-8 with BOM", "GB18030" (which covers GBK) or "UTF-16"
	Sheet    string // xlsx only: the worksheet's name
	Date1904 bool   // xlsx only: the workbook counts dates from 1904
	Rows     []TableRow
}

// TableRow is one row of a table with its row number as the spreadsheet
// program shows it (1-based).
type TableRow struct {
	Line  int
	Cells []TableCell
}

// TableCell is one cell. Number marks a cell that an .xlsx file stores as a
// number: Text is then its raw value (a date is a serial day number).
type TableCell struct {
	Text   string
	Number bool
	Merged bool // a copy of the top-left cell of a merged range
}

// ReadTables reads an .xlsx or .csv file into tables: one per worksheet of a
// workbook, one for a csv file. The format is taken from the content (an
// .xlsx file is a zip archive), else from the name.
func ReadTables(name string, data []byte) ([]*Table, error) {
	ext := strings.ToLower(filepath.Ext(name))
	switch {
	case bytes.HasPrefix(data, []byte("PK\x03\x04")):
		return readXLSX(data)
	case bytes.HasPrefix(data, []byte{0xD0, 0xCF, 0x11, 0xE0}):
		return nil, fail(i18n.T("这是旧版 Excel（.xls）文件或加密的工作簿，care 读不了", "this is a legacy Excel (.xls) file or an encrypted workbook, which care cannot read"),
			i18n.T("在 Excel 或 WPS 中打开，去掉密码后“另存为” .xlsx 格式再导入", "open it in Excel or WPS, remove any password and save it as .xlsx, then import that"))
	case ext == ".xlsx" || ext == ".xlsm":
		return nil, fail(i18n.Tf("%s 不是有效的 .xlsx 文件", "%s is not a valid .xlsx file", filepath.Base(name)),
			i18n.T("在 Excel 或 WPS 中重新“另存为” .xlsx 格式", "save it again as .xlsx from Excel or WPS"))
	case ext == ".csv" || ext == ".txt" || ext == ".tsv" || ext == "":
		t, err := readCSV(data)
		if err != nil {
			return nil, err
		}
		return []*Table{t}, nil
	}
	return nil, fail(i18n.Tf("不认识的文件类型 %s", "unknown file type %s", ext),
		i18n.T("导入 .xlsx 或 .csv 文件", "import an .xlsx or .csv file"))
}

func readXLSX(data []byte) (tables []*Table, err error) {
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		return nil, fail(i18n.Tf("无法读取工作簿：%v", "cannot read the workbook: %v", err),
			i18n.T("在 Excel 或 WPS 中重新“另存为” .xlsx 格式", "save it again as .xlsx from Excel or WPS"))
	}
	defer f.Close()
	date1904 := false
	if p, err := f.GetWorkbookProps(); err == nil && p.Date1904 != nil {
		date1904 = *p.Date1904
	}
	for _, sheet := range f.GetSheetList() {
		if v, err := f.GetSheetVisible(sheet); err == nil && !v {
			continue
		}
		rows, err := f.GetRows(sheet, excelize.Options{RawCellValue: true})
		if err != nil {
			return nil, fail(i18n.Tf("无法读取工作表 %s：%v", "cannot read worksheet %s: %v", sheet, err), i18n.Text{})
		}
		t := &Table{Format: "xlsx", Sheet: sheet, Date1904: date1904}
		for i, r := range rows {
			tr := TableRow{Line: i + 1, Cells: make([]TableCell, len(r))}
			for j, v := range r {
				v = visible(v)
				tr.Cells[j].Text = v
				if strings.TrimSpace(v) == "" {
					continue
				}
				ref, _ := excelize.CoordinatesToCellName(j+1, i+1)
				if ct, err := f.GetCellType(sheet, ref); err == nil && (ct == excelize.CellTypeUnset || ct == excelize.CellTypeNumber) {
					tr.Cells[j].Number = true
				}
			}
			t.Rows = append(t.Rows, tr)
		}
		if err := fillMerged(f, sheet, t); err != nil {
			return nil, fail(i18n.Tf("无法读取工作表 %s：%v", "cannot read worksheet %s: %v", sheet, err), i18n.Text{})
		}
		tables = append(tables, t)
	}
	if len(tables) == 0 {
		return nil, fail(i18n.T("工作簿里没有可见的工作表", "the workbook has no visible worksheet"), i18n.Text{})
	}
	return tables, nil
}

// fillMerged gives every cell of a merged range the value of its top-left
// cell, as the spreadsheet program shows it: a class or an address merged
// down over the rows of its children belongs to each of them, and a header
// such as 父亲 merged over 姓名, 电话 and 务工地址 heads each of those columns.
func fillMerged(f *excelize.File, sheet string, t *Table) error {
	merged, err := f.GetMergeCells(sheet)
	if err != nil {
		return err
	}
	for _, m := range merged {
		c1, r1, err1 := excelize.CellNameToCoordinates(m.GetStartAxis())
		c2, r2, err2 := excelize.CellNameToCoordinates(m.GetEndAxis())
		if err1 != nil || err2 != nil || r1 < 1 || c1 < 1 || r1 > len(t.Rows) {
			continue
		}
		top := t.Rows[r1-1]
		if c1 > len(top.Cells) || strings.TrimSpace(top.Cells[c1-1].Text) == "" {
			continue
		}
		v := top.Cells[c1-1]
		// A range reaching past the used area is cut to it (a title merged
		// over a thousand columns, a class merged down an empty page).
		if r2 > len(t.Rows) {
			r2 = len(t.Rows)
		}
		if c2 > c1+int(numFields)*2 {
			c2 = c1 + int(numFields)*2
		}
		for r := r1; r <= r2; r++ {
			row := &t.Rows[r-1]
			for c := c1; c <= c2; c++ {
				for len(row.Cells) < c {
					row.Cells = append(row.Cells, TableCell{})
				}
				if (r != r1 || c != c1) && strings.TrimSpace(row.Cells[c-1].Text) == "" {
					row.Cells[c-1] = v
					row.Cells[c-1].Merged = true
				}
			}
		}
	}
	return nil
}

// visible drops the invisible formatting characters (zero-width spaces, a
// byte-order mark in the middle of a file, direction marks …) that text
// pasted from a web page or a chat program carries: they would make 男
// unknown and a phone number invalid without anything to see.
func visible(s string) string {
	if !strings.ContainsFunc(s, isInvisible) {
		return s
	}
	return strings.Map(func(r rune) rune {
		if isInvisible(r) {
			return -1
		}
		return r
	}, s)
}

func isInvisible(r rune) bool { return r > 0x7f && uni.Is(uni.Cf, r) }

// decodeText converts a csv file to UTF-8: a UTF-8 or UTF-16 byte-order mark
// says the encoding; otherwise text that is valid UTF-8 is UTF-8, and
// anything else is read as GB18030, the superset of GBK and GB2312 that
// Chinese Windows and Excel write.
func decodeText(data []byte) (string, string, error) {
	switch {
	case bytes.HasPrefix(data, []byte("\xef\xbb\xbf")):
		return string(data[3:]), "UTF-8 with BOM", nil
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}), bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
		out, err := decodeWith(unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM), data)
		if err != nil {
			return "", "", err
		}
		return out, "UTF-16", nil
	case utf8.Valid(data):
		return string(data), "UTF-8", nil
	}
	out, err := decodeWith(simplifiedchinese.GB18030, data)
	if err != nil || strings.ContainsRune(out, utf8.RuneError) {
		return "", "", fail(i18n.T("文件既不是 UTF-8 也不是 GBK/GB18030 编码", "the file is neither UTF-8 nor GBK/GB18030 text"),
			i18n.T("在 Excel 或 WPS 中“另存为” CSV UTF-8 或 .xlsx 格式", "save it from Excel or WPS as CSV UTF-8 or as .xlsx"))
	}
	return out, "GB18030", nil
}

func decodeWith(enc encoding.Encoding, data []byte) (string, error) {
	out, err := enc.NewDecoder().Bytes(data)
	if err != nil {
		return "", fail(i18n.Tf("无法转换文件编码：%v", "cannot convert the file's encoding: %v", err), i18n.Text{})
	}
	return string(out), nil
}

func readCSV(data []byte) (*Table, error) {
	text, enc, err := decodeText(data)
	if err != nil {
		return nil, err
	}
	if strings.IndexByte(text, 0) >= 0 {
		return nil, fail(i18n.T("这是二进制文件，不是 CSV 文本", "this is a binary file, not CSV text"),
			i18n.T("导入 .xlsx 或 .csv 文件", "import an .xlsx or .csv file"))
	}
	r := csv.NewReader(strings.NewReader(text))
	r.Comma = sniffComma(text)
	r.FieldsPerRecord = -1
	r.LazyQuotes = true
	t := &Table{Format: "csv", Encoding: enc}
	inCells := 0 // line breaks inside the quoted cells read so far
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			line := 0
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				line = pe.Line
			}
			return nil, fail(i18n.Tf("CSV 第 %d 行格式错误：%v", "csv line %d is malformed: %v", line, err),
				i18n.T("检查这一行的引号是否成对", "check that the quotes on that line are paired"))
		}
		// A spreadsheet program counts a record as one row, however many
		// line breaks its quoted cells hold.
		line, _ := r.FieldPos(0)
		tr := TableRow{Line: line - inCells, Cells: make([]TableCell, len(rec))}
		for i, v := range rec {
			tr.Cells[i].Text = visible(v)
			inCells += strings.Count(v, "\n")
		}
		t.Rows = append(t.Rows, tr)
	}
	return t, nil
}

// sniffComma picks the separator, comma, tab or semicolon: the one that
// occurs most often on a line among the first 20 (the first line may be a
// title without any).
func sniffComma(text string) rune {
	best, n := ',', 0
	for i, line := range strings.SplitN(text, "\n", 21) {
		if i == 20 {
			break
		}
		for _, c := range []rune{',', '\t', ';'} {
			if k := strings.Count(line, string(c)); k > n {
				best, n = c, k
			}
		}
	}
	return best
}
