package roster

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
	"sort"
	"strconv"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/width"

	"github.com/care-tool/care/internal/i18n"
	"github.com/care-tool/care/internal/indicator"
	"github.com/care-tool/care/internal/record"
)

// Cell is one value of a roster line.
type Cell struct {
	Text string      // as written in a csv file; "" when blank
	Date record.Date // the date, in a date column
	Num  *int        // the number, in a number column
}

// Line is one child's roster line: one Cell per column of Header.
type Line struct {
	ID    string // the child's id
	Cells []Cell
}

// Get returns the text of field f of the line.
func (ln Line) Get(f Field) string {
	if f < 0 || int(f) >= len(ln.Cells) {
		return ""
	}
	return ln.Cells[f].Text
}

// Export returns the roster lines of every child the school is responsible
// for on day (left-behind on day and not transferred out, graduated or
// deceased: indicator.Responsible), sorted by class in care.yaml order, then
// by id, and numbered from 1.
func Export(ds *record.Dataset, day record.Date, l i18n.Lang) []Line {
	classOrder := map[string]int{}
	if ds.Config != nil {
		for i, k := range ds.Config.Classes {
			classOrder[k.ID] = i
		}
	}
	var kids []*record.Child
	for _, c := range ds.Children {
		if indicator.Responsible(c, day) {
			kids = append(kids, c)
		}
	}
	rank := func(c *record.Child) int {
		if i, ok := classOrder[c.Class]; ok {
			return i
		}
		return len(classOrder)
	}
	sort.SliceStable(kids, func(i, j int) bool {
		a, b := kids[i], kids[j]
		if ra, rb := rank(a), rank(b); ra != rb {
			return ra < rb
		}
		if a.Class != b.Class {
			return a.Class < b.Class
		}
		return a.ID < b.ID
	})
	out := make([]Line, len(kids))
	for i, c := range kids {
		out[i] = line(c, i+1, day, l)
	}
	return out
}

func line(c *record.Child, seq int, day record.Date, l i18n.Lang) Line {
	cells := make([]Cell, numExported)
	set := func(f Field, s string) { cells[f] = Cell{Text: s} }
	date := func(f Field, d record.Date) {
		if d != 0 {
			cells[f] = Cell{Text: d.String(), Date: d}
		}
	}
	num := func(f Field, n *int) {
		if n != nil {
			v := *n
			cells[f] = Cell{Text: strconv.Itoa(v), Num: &v}
		}
	}
	num(FieldSeq, &seq)
	set(FieldID, c.ID)
	set(FieldName, c.Name)
	set(FieldGender, showLabel(genders, c.Gender, l))
	date(FieldBirthDate, c.BirthDate)
	set(FieldIDNumber, c.IDNumber)
	set(FieldClass, c.Class)
	if c.Boarding != nil {
		set(FieldBoarding, showLabel(yesNo, strconv.FormatBool(*c.Boarding), l))
	}
	set(FieldAddress, c.Address)
	set(FieldHealth, c.Health)
	set(FieldLBType, showLabel(lbTypes, c.LeftBehind.Type, l))
	if p := parentOf(c, "father"); p != nil {
		set(FieldFatherName, p.Name)
		set(FieldFatherPhone, p.Phone)
		set(FieldFatherWork, p.WorkAddress)
	}
	if p := parentOf(c, "mother"); p != nil {
		set(FieldMotherName, p.Name)
		set(FieldMotherPhone, p.Phone)
		set(FieldMotherWork, p.WorkAddress)
	}
	if g := c.Guardian; g != nil {
		set(FieldGuardianName, g.Name)
		set(FieldGuardianRelation, showLabel(guardianRelations, g.Relation, l))
		num(FieldGuardianAge, g.Age)
		set(FieldGuardianOccupation, g.Occupation)
		set(FieldGuardianPhone, g.Phone)
		set(FieldGuardianHealth, g.Health)
	}
	date(FieldSince, c.LeftBehind.Since)
	date(FieldEnrolDate, lastEnrolled(c, day))
	set(FieldStatus, StatusText(c, day, l))
	complete := "false"
	if len(indicator.Complete(c)) == 0 {
		complete = "true"
	}
	set(FieldComplete, showLabel(yesNo, complete, l))
	return Line{ID: c.ID, Cells: cells}
}

func parentOf(c *record.Child, relation string) *record.Parent {
	for i := range c.Parents {
		if c.Parents[i].Relation == relation {
			return &c.Parents[i]
		}
	}
	return nil
}

// lastEnrolled returns the date of c's latest enrolled event on or before day.
func lastEnrolled(c *record.Child, day record.Date) record.Date {
	var d record.Date
	for _, e := range c.Enrolment {
		if e.Status == record.Enrolled && e.Date != 0 && e.Date <= day {
			d = e.Date
		}
	}
	return d
}

// StatusText is what the 在校状态 column says of c on day: 在读 (enrolled),
// 未入学 (no enrolment event yet), or another status with the day it began,
// e.g. "辍学（2026-10-15起）" / "dropped out since 2026-10-15", so that an import
// can rebuild the event.
func StatusText(c *record.Child, day record.Date, l i18n.Lang) string {
	ev, ok := c.LastEventOn(day)
	switch {
	case !ok:
		return showLabel(statuses, "none", l)
	case ev.Status == record.Enrolled:
		return showLabel(statuses, record.Enrolled, l)
	case l == i18n.En:
		return fmt.Sprintf("%s since %s", showLabel(statuses, ev.Status, l), ev.Date)
	}
	return fmt.Sprintf("%s（%s起）", showLabel(statuses, ev.Status, l), ev.Date)
}

// WriteCSV writes the roster as CSV in UTF-8 with a byte-order mark (so that
// Excel opens it in the right encoding), with CRLF line ends.
func WriteCSV(w io.Writer, l i18n.Lang, lines []Line) error {
	var b bytes.Buffer
	b.WriteString("\ufeff")
	cw := csv.NewWriter(&b)
	cw.UseCRLF = true
	if err := cw.Write(Header(l)); err != nil {
		return err
	}
	for _, ln := range lines {
		rec := make([]string, len(ln.Cells))
		for i, c := range ln.Cells {
			rec[i] = c.Text
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return err
	}
	_, err := w.Write(b.Bytes())
	return err
}

// SheetName returns the name of the roster's worksheet.
func SheetName(l i18n.Lang) string { return l.Pick("花名册", "Roster") }

// WriteXLSX writes the roster as an Excel workbook: a bold header row that
// stays in view (frozen), column widths that fit the content, ids, phone and
// id numbers as text (so that Excel never shows 4.29E+17 or drops a leading
// zero), dates as real dates shown yyyy-mm-dd, and numbers as numbers.
func WriteXLSX(w io.Writer, l i18n.Lang, lines []Line) (err error) {
	f := excelize.NewFile()
	defer func() {
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}()
	sheet := SheetName(l)
	if err := f.SetSheetName(f.GetSheetName(0), sheet); err != nil {
		return err
	}
	header, err := f.NewStyle(&excelize.Style{
		Font:      &excelize.Font{Bold: true},
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}},
		Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center"},
		Border:    []excelize.Border{{Type: "bottom", Color: "000000", Style: 1}},
		NumFmt:    49,
	})
	if err != nil {
		return err
	}
	text, err := f.NewStyle(&excelize.Style{NumFmt: 49}) // "@": text
	if err != nil {
		return err
	}
	dateFmt := "yyyy-mm-dd"
	date, err := f.NewStyle(&excelize.Style{CustomNumFmt: &dateFmt})
	if err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	head := Header(l)
	for i := range head {
		wd := displayWidth(head[i])
		for _, ln := range lines {
			if n := displayWidth(ln.Cells[i].Text); n > wd {
				wd = n
			}
		}
		if err := sw.SetColWidth(i+1, i+1, clampWidth(wd)); err != nil {
			return err
		}
		switch columns[i].kind {
		case kindDate:
			err = sw.SetColStyle(i+1, i+1, date)
		case kindInt:
		default:
			err = sw.SetColStyle(i+1, i+1, text)
		}
		if err != nil {
			return err
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft",
		Selection: []excelize.Selection{{SQRef: "A2", ActiveCell: "A2", Pane: "bottomLeft"}}}); err != nil {
		return err
	}
	row := make([]any, len(head))
	for i, h := range head {
		row[i] = excelize.Cell{StyleID: header, Value: h}
	}
	if err := sw.SetRow("A1", row, excelize.RowOpts{Height: 20}); err != nil {
		return err
	}
	for r, ln := range lines {
		row := make([]any, len(ln.Cells))
		for i, c := range ln.Cells {
			switch {
			case c.Date != 0:
				row[i] = excelize.Cell{StyleID: date, Value: c.Date.Time()}
			case c.Num != nil:
				row[i] = excelize.Cell{Value: *c.Num}
			case c.Text == "":
				row[i] = nil
			default:
				row[i] = excelize.Cell{StyleID: text, Value: c.Text}
			}
		}
		cell, _ := excelize.CoordinatesToCellName(1, r+2)
		if err := sw.SetRow(cell, row); err != nil {
			return err
		}
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	_, err = f.WriteTo(w)
	return err
}

// displayWidth counts a wide (CJK) character as two columns.
func displayWidth(s string) int {
	n := 0
	for len(s) > 0 {
		r, size := utf8.DecodeRuneInString(s)
		s = s[size:]
		switch width.LookupRune(r).Kind() {
		case width.EastAsianWide, width.EastAsianFullwidth:
			n += 2
		default:
			n++
		}
	}
	return n
}

func clampWidth(n int) float64 {
	w := float64(n) + 2
	if w < 6 {
		w = 6
	}
	if w > 48 {
		w = 48
	}
	return w
}
