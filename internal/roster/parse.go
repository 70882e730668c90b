package roster

import (
	"fmt"
	"math"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/width"

	"github.com/care-tool/care/internal/i18n"
	"github.com/care-tool/care/internal/pii"
	"github.com/care-tool/care/internal/record"
	"github.com/care-tool/care/internal/validate"
)

// Problem is one thing wrong with one row of the sheet (Line > 0) or with
// the sheet as a whole (Line 0).
type Problem struct {
	Line     int    // the row number as the spreadsheet program shows it
	Column   string // the column's header as the sheet writes it; "" when no column is concerned
	Msg      i18n.Text
	Hint     i18n.Text
	Conflict bool // the row names a child that already has a file (and --update was not given)
}

// Sheet is a table whose header row has been recognised, with one Entry per
// row below it.
type Sheet struct {
	Table      *Table
	HeaderLine int      // row number of the header
	Ignored    []string // headers that are not read
	Unnamed    []string // letters of the columns that have data but no header
	Others     []string // the other worksheets of the workbook that have a roster header (not read)
	Problems   []Problem
	Entries    []*Entry
	cols       map[Field]int
	headers    map[Field]string
}

// Has reports whether the sheet has a column for f.
func (s *Sheet) Has(f Field) bool { _, ok := s.cols[f]; return ok }

// Header returns the header the sheet gives field f, or the field's Chinese
// name when the sheet has no such column.
func (s *Sheet) Header(f Field) string {
	if h, ok := s.headers[f]; ok {
		return h
	}
	return f.Label()
}

// Parent holds a parent's columns.
type Parent struct{ Name, Phone, WorkAddress, Employer string }

func (p Parent) blank() bool {
	return p.Name == "" && p.Phone == "" && p.WorkAddress == "" && p.Employer == ""
}

// Guardian holds the guardian's columns.
type Guardian struct {
	Name, Relation, Occupation, Phone, Health, Address string
	Age                                                *int
}

func (g Guardian) blank() bool {
	return g.Name == "" && g.Relation == "" && g.Occupation == "" && g.Phone == "" && g.Health == "" && g.Address == "" && g.Age == nil
}

// Entry is one row of the sheet read into record values. A blank cell (or a
// missing column) leaves its value zero: on --update it keeps what the file
// has.
type Entry struct {
	Line       int
	ID         string
	Name       string
	Gender     string // male | female
	BirthDate  record.Date
	IDNumber   string
	Class      string // a class id of care.yaml
	Boarding   *bool
	Address    string
	Health     string
	LBType     string // both_parents | one_parent
	Father     Parent
	Mother     Parent
	Guardian   Guardian
	Since      record.Date
	EnrolDate  record.Date
	Status     string // "" when blank; "none" for 未入学; otherwise an enrolment status
	StatusDate record.Date
	Complete   *bool // what the sheet's 建档是否完整 says; nil when blank or not a yes or no
	Problems   []Problem

	bad     map[Field]bool // fields whose cell could not be read
	derived map[Field]bool // fields taken from the id number
}

func (e *Entry) problem(s *Sheet, f Field, msg, hint i18n.Text) {
	e.Problems = append(e.Problems, Problem{Line: e.Line, Column: s.Header(f), Msg: msg, Hint: hint})
	if e.bad == nil {
		e.bad = map[Field]bool{}
	}
	e.bad[f] = true
}

// FindSheet picks the first table with a recognisable header row (within its
// first 20 rows: a row with 姓名 and at least two other known headers; a title
// row above it is allowed) and reads its rows into entries. cfg gives the
// class ids; it may be nil.
func FindSheet(tables []*Table, cfg *record.Config) (*Sheet, error) {
	idx, exact := headerIndex()
	for _, t := range tables {
		for r := 0; r < len(t.Rows) && r < 20; r++ {
			head, last := t.Rows[r], r
			if r+1 < len(t.Rows) {
				if two, ok := combineHeader(t.Rows[r], t.Rows[r+1], idx); ok {
					head, last = two, r+1
				}
			}
			cols, headers, ignored := matchHeader(head, idx, exact)
			if _, ok := cols[FieldName]; !ok || len(cols) < 3 {
				continue
			}
			s := &Sheet{Table: t, HeaderLine: t.Rows[last].Line, cols: cols, headers: headers, Ignored: ignored}
			rows := t.Rows[last+1:]
			for _, row := range rows {
				if e := s.readRow(row, cfg); e != nil {
					s.Entries = append(s.Entries, e)
				}
			}
			s.Unnamed = unnamedColumns(head, rows)
			for _, o := range tables {
				if o != t && o.Sheet != "" && hasHeader(o, idx, exact) {
					s.Others = append(s.Others, o.Sheet)
				}
			}
			return s, nil
		}
	}
	return nil, fail(i18n.T("找不到表头：表格前 20 行中没有一行同时含有“姓名”和其他花名册列名", "no header row found: none of the first 20 rows holds 姓名 (Name) and other roster headers"),
		i18n.T("第一行写列名，如 学号、姓名、性别、出生日期、身份证号、班级……（care export roster 导出的表格可作模板）",
			"put the column headers in the first row, e.g. 学号, 姓名, 性别, 出生日期 … (a roster written by care export roster is a template)"))
}

// combineHeader reads a header in two rows, as official rosters often have
// it: a group (父亲, 母亲, 监护人 …, merged over its columns or written
// above the first of them) over the group's columns (姓名, 电话, 务工地址 …).
// It reports false unless sub is such a second header row: every cell of it
// is a header, alone or with its group, and at least one needs its group.
// hasHeader reports whether a table has a roster header row.
func hasHeader(t *Table, idx map[string]Field, exact map[string]bool) bool {
	for r := 0; r < len(t.Rows) && r < 20; r++ {
		cols, _, _ := matchHeader(t.Rows[r], idx, exact)
		if _, ok := cols[FieldName]; ok && len(cols) >= 3 {
			return true
		}
	}
	return false
}

func combineHeader(top, sub TableRow, idx map[string]Field) (TableRow, bool) {
	n := max(len(top.Cells), len(sub.Cells))
	cell := func(r TableRow, j int) string {
		if j < len(r.Cells) {
			return strings.TrimSpace(r.Cells[j].Text)
		}
		return ""
	}
	known := func(h string) bool { _, ok := idx[normHeader(h)]; return ok }
	out := TableRow{Line: sub.Line, Cells: make([]TableCell, n)}
	group, grouped := "", 0
	for j := 0; j < n; j++ {
		t, u := cell(top, j), cell(sub, j)
		if t != "" {
			group = t
		}
		switch {
		case u == "" || normHeader(u) == normHeader(t):
			out.Cells[j].Text = t // a header over both rows (merged down, or written once)
			continue
		}
		h := ""
		for _, g := range []string{group, strings.TrimSuffix(group, "信息"), strings.TrimSuffix(group, "情况")} {
			if g != "" && known(g+u) {
				h = g + u
				break
			}
		}
		switch {
		case h != "":
			grouped++
		case known(u):
			h = u
		default:
			return TableRow{}, false // a data row, or a row of notes
		}
		out.Cells[j].Text = h
	}
	return out, grouped > 0
}

// unnamedColumns returns the letters of the columns that have no header
// yet hold data in some row below it: care cannot read them, and says so.
func unnamedColumns(head TableRow, rows []TableRow) []string {
	var out []string
	seen := map[int]bool{}
	for _, row := range rows {
		for j, c := range row.Cells {
			if seen[j] || c.Merged || strings.TrimSpace(c.Text) == "" {
				continue
			}
			if j < len(head.Cells) && strings.TrimSpace(head.Cells[j].Text) != "" {
				continue
			}
			seen[j] = true
		}
	}
	for j := range seen {
		name, _ := excelize.ColumnNumberToName(j + 1)
		out = append(out, name)
	}
	sort.Slice(out, func(a, b int) bool {
		return len(out[a]) < len(out[b]) || len(out[a]) == len(out[b]) && out[a] < out[b]
	})
	return out
}

func matchHeader(row TableRow, idx map[string]Field, exact map[string]bool) (cols map[Field]int, headers map[Field]string, ignored []string) {
	cols, headers = map[Field]int{}, map[Field]string{}
	isExact := map[Field]bool{}
	for i, c := range row.Cells {
		h := strings.TrimSpace(c.Text)
		if h == "" {
			continue
		}
		k := normHeader(h)
		f, ok := idx[k]
		if !ok {
			ignored = append(ignored, h)
			continue
		}
		if _, taken := cols[f]; taken {
			// A canonical name wins over a variant; otherwise the first column wins.
			if exact[k] && !isExact[f] {
				ignored = append(ignored, headers[f])
			} else {
				ignored = append(ignored, h)
				continue
			}
		}
		cols[f], headers[f], isExact[f] = i, h, exact[k]
	}
	return cols, headers, ignored
}

// cell returns the cell of field f in row, trimmed ("" when the sheet has no
// such column).
func (s *Sheet) cell(row TableRow, f Field) TableCell {
	i, ok := s.cols[f]
	if !ok || i >= len(row.Cells) {
		return TableCell{}
	}
	c := row.Cells[i]
	c.Text = strings.TrimSpace(c.Text)
	return c
}

func (s *Sheet) readRow(row TableRow, cfg *record.Config) *Entry {
	blank := true
	same := 0
	for f, i := range s.cols {
		if i >= len(row.Cells) {
			continue
		}
		v := strings.TrimSpace(row.Cells[i].Text)
		// A row holding nothing but copies of merged cells (a class merged
		// down over the empty rows of a template) is blank.
		if v != "" && f != FieldSeq && f != FieldComplete && !row.Cells[i].Merged {
			blank = false
		}
		if v == s.headers[f] {
			same++
		}
	}
	if blank || same == len(s.cols) { // an empty row, or the header repeated (as on each printed page)
		return nil
	}
	e := &Entry{Line: row.Line}
	text := func(f Field) string { return cleanText(s.cell(row, f).Text) }
	code := func(f Field) string { return codeText(s.cell(row, f)) }

	if id := code(FieldID); id != "" {
		if !idRE.MatchString(id) {
			e.problem(s, FieldID, i18n.Tf("学号 %q 不能用作文件名", "id %q cannot be used as a file name", id),
				i18n.T("学号只能由字母、数字、-、_ 和 . 组成，且以字母或数字开头", "an id may hold letters, digits, -, _ and . and must start with a letter or digit"))
		} else {
			e.ID = id
		}
	}
	e.Name = text(FieldName)
	e.label(s, FieldGender, s.cell(row, FieldGender), genders, &e.Gender)
	e.BirthDate = e.date(s, FieldBirthDate, s.cell(row, FieldBirthDate), s.Table.Date1904)
	e.IDNumber = e.idNumber(s, s.cell(row, FieldIDNumber))
	if c := text(FieldClass); c != "" {
		if id, ok := resolveClass(c, cfg); ok {
			e.Class = id
		} else if md, isDate := excelDateClass(s.cell(row, FieldClass), s.Table.Date1904); isDate {
			// Excel turns a class typed 3-2 into the date 3月2日.
			if id, ok := resolveClass(md, cfg); ok {
				e.Class = id
			} else {
				e.problem(s, FieldClass, i18n.Tf("班级被表格存成了日期（%s），care.yaml 的 classes 中没有班级 %s", "the class was stored as a date by the spreadsheet (%s), and there is no class %s in care.yaml", md, md),
					i18n.T("把这一列设为“文本”格式后重新输入班级，如 3-2", "format the column as Text and type the classes again, e.g. 3-2"))
			}
		} else {
			e.problem(s, FieldClass, i18n.Tf("班级 %q 不在 care.yaml 的 classes 中", "class %q is not among the classes in care.yaml", c), classHint(cfg))
		}
	}
	var b string
	if e.label(s, FieldBoarding, s.cell(row, FieldBoarding), yesNo, &b) {
		v := b == "true"
		e.Boarding = &v
	}
	e.Address = text(FieldAddress)
	e.Health = text(FieldHealth)
	e.label(s, FieldLBType, s.cell(row, FieldLBType), lbTypes, &e.LBType)
	e.Father = Parent{Name: text(FieldFatherName), Phone: e.phone(s, FieldFatherPhone, s.cell(row, FieldFatherPhone)),
		WorkAddress: text(FieldFatherWork), Employer: text(FieldFatherEmployer)}
	e.Mother = Parent{Name: text(FieldMotherName), Phone: e.phone(s, FieldMotherPhone, s.cell(row, FieldMotherPhone)),
		WorkAddress: text(FieldMotherWork), Employer: text(FieldMotherEmployer)}
	e.Guardian = Guardian{Name: text(FieldGuardianName), Occupation: text(FieldGuardianOccupation),
		Phone: e.phone(s, FieldGuardianPhone, s.cell(row, FieldGuardianPhone)), Health: text(FieldGuardianHealth),
		Address: text(FieldGuardianAddress)}
	e.label(s, FieldGuardianRelation, s.cell(row, FieldGuardianRelation), guardianRelations, &e.Guardian.Relation)
	e.Guardian.Age = e.age(s, s.cell(row, FieldGuardianAge))
	e.Since = e.date(s, FieldSince, s.cell(row, FieldSince), s.Table.Date1904)
	e.EnrolDate = e.date(s, FieldEnrolDate, s.cell(row, FieldEnrolDate), s.Table.Date1904)
	e.status(s, s.cell(row, FieldStatus), s.Table.Date1904)
	if l, ok := lookup(yesNo, s.cell(row, FieldComplete).Text); ok {
		v := l.value == "true"
		e.Complete = &v
	}
	e.deriveFromIDNumber(s, row)
	return e
}

var idRE = regexp.MustCompile(`^[0-9A-Za-z][0-9A-Za-z_.-]{0,63}$`)

// cleanText trims a text cell and folds runs of white space (line breaks
// inside a cell included) to one space.
func cleanText(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// codeText reads an id-like cell: half-width, without spaces; a number that
// a workbook stores as 2.024031E+06 or 2024031.0 is written out in full.
//
// The marks people and programs add to keep a long number text are dropped:
// ="429004201605120017" (a csv file written for Excel) and a leading '.
func codeText(c TableCell) string {
	s := strings.Join(strings.Fields(width.Fold.String(c.Text)), "")
	if len(s) > 3 && strings.HasPrefix(s, `="`) && strings.HasSuffix(s, `"`) {
		s = s[2 : len(s)-1]
	}
	s = strings.TrimPrefix(s, "'")
	if c.Number && strings.ContainsAny(s, ".eE") {
		if f, err := strconv.ParseFloat(s, 64); err == nil && f == math.Trunc(f) && math.Abs(f) < 1e15 {
			return strconv.FormatInt(int64(f), 10)
		}
	}
	return s
}

func (e *Entry) label(s *Sheet, f Field, c TableCell, labels []label, out *string) bool {
	if c.Text == "" {
		return false
	}
	l, ok := lookup(labels, c.Text)
	if !ok {
		e.problem(s, f, i18n.Text{Zh: fmt.Sprintf("%q 不是可识别的%s", c.Text, columns[f].zh), En: fmt.Sprintf("%q is not a known value for %s", c.Text, strings.ToLower(columns[f].en))},
			i18n.Text{Zh: "可以写：" + wordList(labels, i18n.Zh), En: "write one of: " + wordList(labels, i18n.En)})
		return false
	}
	*out = l.value
	return true
}

func (e *Entry) date(s *Sheet, f Field, c TableCell, date1904 bool) record.Date {
	if c.Text == "" {
		return 0
	}
	d, msg := ParseDate(c, date1904)
	if !msg.IsZero() {
		e.problem(s, f, msg, i18n.T("日期写成 2016-05-12、2016/5/12、2016.5.12 或 20160512", "write dates as 2016-05-12, 2016/5/12, 2016.5.12 or 20160512"))
		return 0
	}
	return d
}

var (
	ymdRE = regexp.MustCompile(`^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$`)
	ymRE  = regexp.MustCompile(`^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?$`)
)

// ParseDate reads a date cell: 2016-05-12, 2016/5/12, 2016.5.12, 2016年5月12日,
// 20160512, or a number, which is an Excel serial day (1 = 1900-01-01, or
// 1904-01-02 in a workbook that counts from 1904) of 1950 to 2100. It returns a message when
// the cell is not a real date.
func ParseDate(c TableCell, date1904 bool) (record.Date, i18n.Text) {
	s := strings.TrimSpace(width.Fold.String(c.Text))
	if isDigits(s) && len(s) == 8 {
		return ymd(s, s[0:4], s[4:6], s[6:8])
	}
	if m := ymdRE.FindStringSubmatch(s); m != nil {
		return ymd(s, m[1], m[2], m[3])
	}
	if m := ymRE.FindStringSubmatch(s); m != nil {
		return 0, i18n.Tf("%q 只有年和月，缺少日", "%q gives the year and month but no day", s)
	}
	if isDigits(s) && (len(s) == 4 || len(s) == 6) {
		if y, _ := strconv.Atoi(s[:4]); y >= 1900 && y <= 2100 {
			if len(s) == 4 {
				return 0, i18n.Tf("%q 只有年份，缺少月和日", "%q gives the year but no month and day", s)
			}
			if m, _ := strconv.Atoi(s[4:]); m >= 1 && m <= 12 {
				return 0, i18n.Tf("%q 只有年和月，缺少日", "%q gives the year and month but no day", s)
			}
		}
	}
	// An Excel serial day: only days from 1950 to 2100 are taken as one; a
	// smaller number (a year, an age) would silently become a day of 1900.
	if v, err := strconv.ParseFloat(s, 64); err == nil && v >= 1 && v < 2958466 {
		t, err := excelize.ExcelDateToTime(math.Floor(v), date1904)
		if err == nil && t.Year() >= 1950 && t.Year() <= 2100 {
			return record.FromTime(t), i18n.Text{}
		}
	}
	return 0, i18n.Tf("%q 不是日期", "%q is not a date", s)
}

func ymd(s, y, m, d string) (record.Date, i18n.Text) {
	yy, _ := strconv.Atoi(y)
	mm, _ := strconv.Atoi(m)
	dd, _ := strconv.Atoi(d)
	if mm < 1 || mm > 12 || dd < 1 || dd > record.DaysIn(yy, time.Month(mm)) {
		return 0, i18n.Tf("%q 不是真实存在的日期", "%q is not a real calendar date", s)
	}
	return record.NewDate(yy, time.Month(mm), dd), i18n.Text{}
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

var (
	plus86      = regexp.MustCompile(`^(?:\+?86)(1[3-9]\d{9})$`)
	bracketArea = regexp.MustCompile(`^\((0\d{2,3})\)-?(\d{7,8})$`)
)

// phone reads a phone cell. Spaces and dashes inside a mobile number and a
// +86 country code are dropped; a landline keeps its dash. What is still not
// a phone number is left for validation to report.
func (e *Entry) phone(s *Sheet, f Field, c TableCell) string {
	v := codeText(c)
	if v == "" {
		return ""
	}
	digits := strings.NewReplacer("-", "", "(", "", ")", "").Replace(v)
	if m := plus86.FindStringSubmatch(digits); m != nil {
		return m[1]
	}
	if validate.ValidPhone(digits) && digits[0] == '1' {
		return digits
	}
	// (0728)1234567: the area code in brackets is the area code before a dash.
	if m := bracketArea.FindStringSubmatch(v); m != nil && validate.ValidPhone(m[1]+"-"+m[2]) {
		return m[1] + "-" + m[2]
	}
	return v
}

func (e *Entry) idNumber(s *Sheet, c TableCell) string {
	v := codeText(c)
	if v == "" {
		return ""
	}
	if c.Number || strings.ContainsAny(v, "eE+") {
		// A spreadsheet keeps 15 significant digits of a number: the
		// last digits of an 18-digit id number are already gone.
		e.problem(s, FieldIDNumber, i18n.Tf("身份证号 %s 被表格存成了数字，最后几位已经丢失", "the id number %s was stored as a number by the spreadsheet and has lost its last digits", pii.IDNumber(v)),
			i18n.T("把这一列设为“文本”格式后重新输入身份证号，或导入 care export roster 导出的 .xlsx 文件", "format the column as Text and type the id numbers again, or import an .xlsx written by care export roster"))
		return ""
	}
	if len(v) == 18 && v[17] == 'x' {
		v = v[:17] + "X"
	}
	return v
}

var ageRE = regexp.MustCompile(`^(\d{1,3})(?:\.0+)?\s*(?:岁|周岁)?$`)

func (e *Entry) age(s *Sheet, c TableCell) *int {
	v := strings.TrimSpace(width.Fold.String(c.Text))
	if v == "" {
		return nil
	}
	m := ageRE.FindStringSubmatch(v)
	if m == nil {
		e.problem(s, FieldGuardianAge, i18n.Tf("监护人年龄 %q 不是整数", "guardian's age %q is not a whole number", v),
			i18n.T("写周岁数，如 68", "write the age in full years, e.g. 68"))
		return nil
	}
	n, _ := strconv.Atoi(m[1])
	return &n
}

var dateInTextRE = regexp.MustCompile(`\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?|\d{8}`)

// status reads the 在校状态 cell: a status word, and for a status other than
// 在读 and 未入学 the day it began, as export writes it: 辍学（2026-10-15起）.
func (e *Entry) status(s *Sheet, c TableCell, date1904 bool) {
	v := strings.TrimSpace(width.Fold.String(c.Text))
	if v == "" {
		return
	}
	var when record.Date
	if loc := dateInTextRE.FindStringIndex(v); loc != nil {
		d, msg := ParseDate(TableCell{Text: v[loc[0]:loc[1]]}, date1904)
		if !msg.IsZero() {
			e.problem(s, FieldStatus, msg, i18n.T("写成 辍学（2026-10-15起）", "write e.g. dropped out since 2026-10-15"))
			return
		}
		when = d
		v = v[:loc[0]] + " " + v[loc[1]:]
	}
	word := strings.Map(func(r rune) rune {
		switch r {
		case '(', ')', '（', '）', '，', ',', ':', '：', '起', '自', '于':
			return ' '
		}
		return r
	}, v)
	word = strings.TrimSpace(word)
	for _, w := range []string{"since", "from"} {
		word = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(word), w))
	}
	l, ok := lookup(statuses, word)
	if !ok {
		e.problem(s, FieldStatus, i18n.Tf("%q 不是可识别的在校状态", "%q is not a known status", c.Text),
			i18n.Text{Zh: "可以写：" + wordList(statuses, i18n.Zh) + "；在读、未入学以外的状态要写明开始日期，如 辍学（2026-10-15起）",
				En: "write one of: " + wordList(statuses, i18n.En) + "; a status other than enrolled and not enrolled needs the day it began, e.g. dropped out since 2026-10-15"})
		return
	}
	e.Status = l.value
	if l.value == "enrolled" || l.value == "none" {
		if when != 0 && e.EnrolDate == 0 && l.value == "enrolled" {
			e.EnrolDate = when
		}
		return
	}
	if when == 0 {
		e.problem(s, FieldStatus, i18n.Tf("在校状态“%s”没有写开始日期", "status %q does not say when it began", c.Text),
			i18n.Text{Zh: fmt.Sprintf("写成 %s（2026-10-15起），care 据此记下这次学籍变动", l.zh), En: fmt.Sprintf("write e.g. %s since 2026-10-15, so that care can record the change", l.en)})
		return
	}
	e.StatusDate = when
}

// deriveFromIDNumber fills a blank birth date or gender from a well-formed
// id number (its digits 7–14 and the parity of digit 17).
func (e *Entry) deriveFromIDNumber(s *Sheet, row TableRow) {
	v := e.IDNumber
	if len(v) != 18 || !isDigits(v[:17]) {
		return
	}
	d, err := record.ParseDate(v[6:10] + "-" + v[10:12] + "-" + v[12:14])
	if err != nil {
		return
	}
	if e.derived == nil {
		e.derived = map[Field]bool{}
	}
	if e.BirthDate == 0 && s.cell(row, FieldBirthDate).Text == "" {
		e.BirthDate = d
		e.derived[FieldBirthDate] = true
	}
	if e.Gender == "" && s.cell(row, FieldGender).Text == "" {
		e.Gender = "female"
		if (v[16]-'0')%2 == 1 {
			e.Gender = "male"
		}
		e.derived[FieldGender] = true
	}
}

var cnDigits = map[rune]int{'零': 0, '〇': 0, '一': 1, '二': 2, '两': 2, '三': 3, '四': 4, '五': 5, '六': 6, '七': 7, '八': 8, '九': 9}

// cnNumbers rewrites Chinese numerals up to 99 as digits: 三 → 3, 十二 → 12.
func cnNumbers(s string) string {
	rs := []rune(s)
	var b strings.Builder
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		d, isD := cnDigits[r]
		if !isD && r != '十' {
			b.WriteRune(r)
			continue
		}
		n := 0
		if r == '十' {
			n = 10
		} else {
			n = d
			if i+1 < len(rs) && rs[i+1] == '十' {
				n, i = d*10, i+1
			}
		}
		if i+1 < len(rs) && rs[i] == '十' {
			if d2, ok := cnDigits[rs[i+1]]; ok {
				n, i = n+d2, i+1
			}
		}
		b.WriteString(strconv.Itoa(n))
	}
	return b.String()
}

// excelDateClass reads a class cell that the spreadsheet stored as a date
// (an .xlsx number that is a day of 1990 to 2100) as the month-day text it
// was typed as: 3-2 for 3月2日.
func excelDateClass(c TableCell, date1904 bool) (string, bool) {
	if !c.Number {
		return "", false
	}
	v, err := strconv.ParseFloat(c.Text, 64)
	if err != nil || v != math.Trunc(v) || v < 32874 || v > 73415 {
		return "", false
	}
	t, err := excelize.ExcelDateToTime(v, date1904)
	if err != nil {
		return "", false
	}
	return fmt.Sprintf("%d-%d", t.Month(), t.Day()), true
}

var twoNumbersRE = regexp.MustCompile(`^\D*(\d{1,2})\D+(\d{1,2})\D*$`)

// resolveClass finds the class id of care.yaml a cell names: the id itself
// ("3-2"), a class name from care.yaml, or a common way of writing it
// (三年级二班, 3年级2班, 3（2）班, 3.2 → 3-2).
func resolveClass(v string, cfg *record.Config) (string, bool) {
	if cfg == nil {
		return "", false
	}
	v = strings.TrimSpace(width.Fold.String(v))
	key := normWord(v)
	for _, k := range cfg.Classes {
		if k.ID == v || normWord(k.ID) == key || k.Name != "" && normWord(k.Name) == key {
			return k.ID, true
		}
	}
	if m := twoNumbersRE.FindStringSubmatch(cnNumbers(v)); m != nil {
		g, _ := strconv.Atoi(m[1])
		c, _ := strconv.Atoi(m[2])
		for _, cand := range []string{fmt.Sprintf("%d-%d", g, c), fmt.Sprintf("%d%02d", g, c), fmt.Sprintf("%d.%d", g, c), fmt.Sprintf("%d_%d", g, c)} {
			for _, k := range cfg.Classes {
				if k.ID == cand {
					return k.ID, true
				}
			}
		}
	}
	return "", false
}

func classHint(cfg *record.Config) i18n.Text {
	if cfg == nil || len(cfg.Classes) == 0 {
		return i18n.T("先在 care.yaml 的 classes 中添加这个班级", "add the class to classes in care.yaml first")
	}
	var ids []string
	for _, k := range cfg.Classes {
		ids = append(ids, k.ID)
	}
	sort.Strings(ids)
	more := ""
	if len(ids) > 10 {
		ids, more = ids[:10], ", …"
	}
	return i18n.Tf("已有班级：%s；或先在 care.yaml 中添加这个班级", "known classes: %s; or add the class to care.yaml first", strings.Join(ids, ", ")+more)
}
