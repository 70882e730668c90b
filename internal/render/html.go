package render

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/care-tool/care/internal/i18n"
	"github.com/care-tool/care/internal/indicator"
)

// The page is one html/template file with its stylesheet inline, so that the
// report is a single file that works offline; every piece of data goes
// through html/template's contextual escaping, the charts included (they are
// inline SVG written in the same template from geometry computed here).
//
//go:embed templates/report.html.tmpl
var htmlTemplates embed.FS

// HTML writes the report as one self-contained HTML page: header, indicator
// cards, a bar chart of every indicator by class, the monthly talks and
// parent-contact chart, the roster summary and the shortfall lists grouped
// by class. It needs no network: no scripts, fonts or external styles, and
// it prints on A4.
func (r *Report) HTML(w io.Writer) error {
	t, err := template.New("report.html.tmpl").
		Funcs(template.FuncMap{"pick": r.Lang.Pick}).
		ParseFS(htmlTemplates, "templates/report.html.tmpl")
	if err != nil {
		return fmt.Errorf("html template: %w", err)
	}
	var b bytes.Buffer
	if err := t.Execute(&b, r.htmlPage()); err != nil {
		return fmt.Errorf("html template: %w", err)
	}
	_, err = w.Write(b.Bytes())
	return err
}

// htmlPage is what the template shows; every string in it is plain text
// that the template escapes.
type htmlPage struct {
	Lang        string // the html lang attribute
	Title       string
	Meta        []string // header lines after the title
	Cards       []htmlCard
	MetCount    int
	ClassCharts []svgBarChart
	ClassTable  htmlTable
	MonthChart  *svgColumnChart
	MonthTable  htmlTable
	RosterTitle string
	Roster      htmlTable
	Groups      []htmlGroup
	Unmet       []string // names of the unmet indicators whose shortfall is listed
}

// htmlCard is one indicator card.
type htmlCard struct {
	Name     string
	Rate     string
	Fraction string // "41 / 44"
	Target   string
	Met      bool
	Mark     string // "✓ 达标" / "✗ 未达标"
	Empty    bool   // no child to count: the rate is not defined
	Bar      svgMeter
}

// svgMeter is the small progress bar of a card: the rate as a filled bar
// and the target as a tick.
type svgMeter struct {
	Fill    string // width of the filled part, 0..200
	Target  string // x of the target tick
	Met     bool
	Label   string // aria-label
	Pattern string // id of the hatch pattern, unique in the page
}

// htmlTable is a table with a header row.
type htmlTable struct {
	Class   string // CSS class of the table
	Headers []string
	Rows    [][]htmlCell
}

// htmlCell is one table cell; Bad marks a value below its target (the text
// carries a ✗ too, so the mark does not rest on colour alone).
type htmlCell struct {
	Text string
	Bad  bool
}

// newHTMLTable makes an htmlTable, marking the cells that end in ✗.
func newHTMLTable(class string, headers []string, rows [][]string) htmlTable {
	t := htmlTable{Class: class, Headers: headers}
	for _, row := range rows {
		cells := make([]htmlCell, len(row))
		for i, c := range row {
			cells[i] = htmlCell{Text: cleanText(c), Bad: strings.HasSuffix(c, "✗")}
		}
		t.Rows = append(t.Rows, cells)
	}
	return t
}

// htmlGroup is the shortfall list of one class.
type htmlGroup struct {
	Title string
	Count string // "共 3 项" / "3 rows"
	Table htmlTable
}

// svgBarChart is a horizontal bar chart of one indicator, one bar per class.
type svgBarChart struct {
	ID        string // prefix of the pattern ids, unique in the page
	Title     string
	Subtitle  string // target and overall rate
	Label     string // aria-label
	Width     int
	Height    int
	PlotLeft  string
	PlotWidth string
	PlotTop   string
	PlotBot   string
	CatX      string // right edge of the class names
	Grid      []svgTick
	Bars      []svgHBar
	Target    svgTarget
}

// svgTick is a grid line with its label.
type svgTick struct {
	X, Y  string
	Label string
}

// svgHBar is one horizontal bar with its labels.
type svgHBar struct {
	Y, W, H   string // bar geometry (x is the plot's left edge)
	TextY     string // baseline of the labels
	Category  string
	Value     string
	Met       bool
	Empty     bool // zero denominator: no bar
	ValueX    string
	Fraction  string
	FractionX string
	Tooltip   string
}

// svgTarget is the target line and its label.
type svgTarget struct {
	X1, Y1      string
	X2, Y2      string
	Label       string
	LabelX      string
	LabelY      string
	LabelAnchor string
}

// svgColumnChart is the monthly chart: for each month one column for talks
// and one for parent contact, with the values written under the axis (not
// above the columns, where they would collide with the target line).
type svgColumnChart struct {
	ID        string
	Label     string
	Width     int
	Height    int
	PlotLeft  string
	PlotRight string
	PlotBot   string
	Grid      []svgTick
	Columns   []svgColumn
	Months    []svgTick
	Targets   []svgTarget
	Names     []string // the two series
}

// svgColumn is one vertical bar.
type svgColumn struct {
	X, Y, W, H   string
	Series       int // 0 talks, 1 parent contact
	Value        string
	ValueX       string
	ValueY       string
	Met          bool
	Empty        bool
	Tooltip      string
	FractionText string
}

// f formats a coordinate with at most one decimal.
func f(x float64) string {
	return strconv.FormatFloat(math.Round(x*10)/10, 'f', -1, 64)
}

func (r *Report) htmlPage() htmlPage {
	l := r.Lang
	res := r.Result
	h := cleanCells(r.header())
	p := htmlPage{Lang: l.Pick("zh-CN", "en"), Title: h[0], Meta: h[1:]}
	for i, in := range res.Indicators {
		p.Cards = append(p.Cards, r.htmlCard(i, in))
		if in.Met {
			p.MetCount++
		}
	}
	if len(res.ByClass) > 0 {
		for i, in := range res.Indicators {
			p.ClassCharts = append(p.ClassCharts, r.classChart(i, in))
		}
		p.ClassTable = newHTMLTable("classes", r.classHeaders(), r.classRows())
	}
	if len(res.Months) > 0 {
		p.MonthChart = r.monthChart()
		p.MonthTable = r.monthTable()
	}
	p.RosterTitle = l.Pick(fmt.Sprintf("花名册概况（截至 %s 在册的留守儿童 %d 人）", res.End, res.Summary.Total),
		fmt.Sprintf("Roster (%d left-behind children on the school's books on %s)", res.Summary.Total, res.End))
	p.Roster = newHTMLTable("roster", []string{l.Pick("项目", "Item"), l.Pick("人数", "Children")}, r.summaryRows())
	for _, in := range r.unmet() {
		p.Unmet = append(p.Unmet, in.Name.In(l))
	}
	p.Groups = r.shortfallGroups()
	return p
}

func (r *Report) htmlCard(i int, in indicator.Indicator) htmlCard {
	l := r.Lang
	c := htmlCard{
		Name:     in.Name.In(l),
		Rate:     FormatRate(in.Numerator, in.Denominator, in.Target.Rat, in.Met),
		Fraction: fmt.Sprintf("%d / %d", in.Numerator, in.Denominator),
		Target:   FormatTarget(in.Target),
		Met:      in.Met,
		Mark:     metMark(l, in.Met),
		Empty:    in.Denominator == 0,
	}
	const width = 200.0
	c.Bar = svgMeter{Target: f(math.Min(width-1, width*in.Target.Float)), Met: in.Met, Pattern: fmt.Sprintf("m%d-hatch", i),
		Label: l.Pick(fmt.Sprintf("%s：%s，目标 %s", c.Name, c.Rate, c.Target), fmt.Sprintf("%s: %s, target %s", c.Name, c.Rate, c.Target))}
	if in.Rate != nil {
		c.Bar.Fill = f(width * *in.Rate)
	} else {
		c.Bar.Fill = "0"
	}
	return c
}

// className is how a class is called in charts and headings.
func className(l i18n.Lang, id, name string) string {
	switch {
	case id == "":
		return l.Pick("未分班", "no class")
	case name != "":
		return name
	}
	return id
}

// classChart draws one indicator for every class as horizontal bars on a
// 0–100% scale (never a cut axis: short bars must look short), with the
// target as a dashed line. Unmet bars are hatched and marked ✗ so that the
// chart reads the same in black and white.
func (r *Report) classChart(i int, in indicator.Indicator) svgBarChart {
	l := r.Lang
	const (
		width    = 460
		labelW   = 118.0 // class names, right-aligned
		valueW   = 116.0 // rate and fraction
		top      = 26.0
		rowH     = 26.0
		barH     = 16.0
		bottom   = 24.0
		maxRunes = 7 // longer class names fall back to the class id
	)
	left, right := labelW, width-valueW
	plotW := right - left
	n := len(r.Result.ByClass)
	height := top + float64(n)*rowH + bottom
	ch := svgBarChart{
		ID:        fmt.Sprintf("c%d", i),
		Title:     in.Name.In(l),
		Width:     width,
		Height:    int(height),
		PlotLeft:  f(left),
		PlotWidth: f(plotW),
		CatX:      f(left - 8),
		PlotTop:   f(top - 6),
		PlotBot:   f(top + float64(n)*rowH),
	}
	scope := l.Pick("全校", "school")
	if r.Class != "" {
		scope = l.Pick("本班", "class")
	}
	ch.Subtitle = l.Pick(fmt.Sprintf(scope+" %s（%d/%d），目标 %s", FormatRate(in.Numerator, in.Denominator, in.Target.Rat, in.Met), in.Numerator, in.Denominator, FormatTarget(in.Target)),
		fmt.Sprintf(scope+" %s (%d/%d), target %s", FormatRate(in.Numerator, in.Denominator, in.Target.Rat, in.Met), in.Numerator, in.Denominator, FormatTarget(in.Target)))
	ch.Label = l.Pick("各班"+ch.Title+"条形图", ch.Title+" by class, bar chart")
	for _, pct := range []float64{0, 0.25, 0.5, 0.75, 1} {
		ch.Grid = append(ch.Grid, svgTick{X: f(left + plotW*pct), Y: f(height - 6), Label: strconv.Itoa(int(pct*100)) + "%"})
	}
	for k, c := range r.Result.ByClass {
		ci := c.Indicators[i]
		name := cleanText(className(l, c.Class, c.Name))
		if utf8.RuneCountInString(name) > maxRunes {
			name = c.Class
		}
		y := top + float64(k)*rowH
		b := svgHBar{
			Y: f(y + (rowH-barH)/2), H: f(barH), TextY: f(y + rowH/2 + 5),
			Category: name,
			Value:    FormatRate(ci.Numerator, ci.Denominator, ci.Target.Rat, ci.Met),
			Met:      ci.Met,
			Empty:    ci.Denominator == 0,
			ValueX:   f(right + 6),
			Fraction: fmt.Sprintf("%d/%d", ci.Numerator, ci.Denominator),
		}
		if ci.Rate != nil {
			b.W = f(plotW * *ci.Rate)
		} else {
			b.W = "0"
		}
		if !b.Met && !b.Empty {
			b.Value += " ✗"
		}
		b.FractionX = f(width - 2)
		b.Tooltip = fmt.Sprintf(l.Pick("%s：%s（%s）", "%s: %s (%s)"), className(l, c.Class, c.Name), b.Value, b.Fraction)
		ch.Bars = append(ch.Bars, b)
	}
	tx := left + plotW*in.Target.Float
	ch.Target = svgTarget{X1: f(tx), X2: f(tx), Y1: f(top - 10), Y2: f(top + float64(n)*rowH), LabelX: f(tx), LabelY: f(top - 14),
		Label: l.Pick("目标 ", "target ") + FormatTarget(in.Target), LabelAnchor: "middle"}
	if in.Target.Float > 0.85 {
		ch.Target.LabelAnchor = "end"
		ch.Target.LabelX = f(tx + 2)
	}
	return ch
}

// monthChart draws talks and parent contact month by month as paired
// columns on a 0–100% scale with the targets as dashed lines.
func (r *Report) monthChart() *svgColumnChart {
	l := r.Lang
	res := r.Result
	const (
		width  = 900
		left   = 48.0
		right  = 12.0
		top    = 22.0
		height = 240
		bottom = 46.0
	)
	plotW := width - left - right
	plotH := height - top - bottom
	base := height - bottom
	ch := &svgColumnChart{ID: "months", Width: width, Height: height,
		PlotLeft: f(left), PlotRight: f(width - right), PlotBot: f(base),
		Label: l.Pick("每月谈心覆盖率与家长联系反馈率柱状图", "Monthly talks and parent contact, column chart")}
	for _, pct := range []float64{0, 0.25, 0.5, 0.75, 1} {
		ch.Grid = append(ch.Grid, svgTick{X: f(left - 6), Y: f(base - plotH*pct), Label: strconv.Itoa(int(pct*100)) + "%"})
	}
	var talks, contact indicator.Indicator
	for _, in := range res.Indicators {
		switch in.ID {
		case indicator.Talks:
			talks = in
		case indicator.ParentContact:
			contact = in
		}
	}
	ch.Names = []string{talks.Name.In(l), contact.Name.In(l)}
	slot := plotW / float64(len(res.Months))
	colW := math.Min(56, slot*0.4)
	gap := math.Min(10, slot*0.05)
	for k, m := range res.Months {
		cx := left + slot*(float64(k)+0.5)
		ch.Months = append(ch.Months, svgTick{X: f(cx), Y: f(base + 38), Label: m.Month})
		for s, fr := range []indicator.Fraction{m.Talks, m.ParentContact} {
			target := talks.Target
			if s == 1 {
				target = contact.Target
			}
			met := indicator.Met(fr.Numerator, fr.Denominator, target.Rat)
			x := cx - gap/2 - colW
			if s == 1 {
				x = cx + gap/2
			}
			c := svgColumn{X: f(x), W: f(colW), Series: s, Met: met, Empty: fr.Denominator == 0,
				Value:        FormatRate(fr.Numerator, fr.Denominator, target.Rat, met),
				ValueX:       f(x + colW/2),
				ValueY:       f(base + 17),
				FractionText: fmt.Sprintf("%d/%d", fr.Numerator, fr.Denominator)}
			if !met {
				c.Value += " ✗"
			}
			hgt := 0.0
			if fr.Rate != nil {
				hgt = plotH * *fr.Rate
			}
			c.Y, c.H = f(base-hgt), f(hgt)
			c.Tooltip = fmt.Sprintf(l.Pick("%s %s：%s（%s）", "%s %s: %s (%s)"), m.Month, ch.Names[s], c.Value, c.FractionText)
			ch.Columns = append(ch.Columns, c)
		}
	}
	// The targets: one line when they agree (the usual 100%), else two.
	targets := []indicator.Indicator{talks}
	if talks.Target.Float != contact.Target.Float {
		targets = append(targets, contact)
	}
	for k, in := range targets {
		y := base - plotH*in.Target.Float
		label := l.Pick("目标 ", "target ") + FormatTarget(in.Target)
		if len(targets) > 1 {
			label = in.Name.In(l) + l.Pick(" 目标 ", " target ") + FormatTarget(in.Target)
		}
		ch.Targets = append(ch.Targets, svgTarget{X1: f(left), Y1: f(y), X2: f(width - right), Y2: f(y), Label: label,
			LabelX: f(width - right), LabelY: f(y - 4 - float64(k)*14), LabelAnchor: "end"})
	}
	return ch
}

func (r *Report) monthTable() htmlTable {
	l := r.Lang
	var talks, contact indicator.Indicator
	for _, in := range r.Result.Indicators {
		switch in.ID {
		case indicator.Talks:
			talks = in
		case indicator.ParentContact:
			contact = in
		}
	}
	headers := []string{l.Pick("月份", "Month"),
		talks.Name.In(l), l.Pick("达成数/应达成数", "Met/Total"),
		contact.Name.In(l), l.Pick("达成数/应达成数", "Met/Total")}
	var rows [][]string
	cell := func(fr indicator.Fraction, in indicator.Indicator) string {
		met := indicator.Met(fr.Numerator, fr.Denominator, in.Target.Rat)
		s := FormatRate(fr.Numerator, fr.Denominator, in.Target.Rat, met)
		if !met {
			s += " ✗"
		}
		return s
	}
	for _, m := range r.Result.Months {
		rows = append(rows, []string{m.Month,
			cell(m.Talks, talks), fmt.Sprintf("%d/%d", m.Talks.Numerator, m.Talks.Denominator),
			cell(m.ParentContact, contact), fmt.Sprintf("%d/%d", m.ParentContact.Numerator, m.ParentContact.Denominator)})
	}
	return newHTMLTable("months", headers, rows)
}

// shortfallGroups gathers the shortfall of the unmet indicators by class
// (care.yaml order, then any other class), and within a class by child, so
// that a head teacher finds everything about one child together.
func (r *Report) shortfallGroups() []htmlGroup {
	l := r.Lang
	type row struct {
		child string
		cells []string
	}
	byClass := map[string][]row{}
	var order []string
	seen := map[string]bool{}
	titles := map[string]string{}
	for _, c := range r.Result.ByClass {
		order = append(order, c.Class)
		seen[c.Class] = true
		t := className(l, c.Class, c.Name)
		if c.Class != "" && c.Name != "" {
			t += " (" + c.Class + ")"
		}
		if c.HeadTeacherName != "" {
			t += l.Pick(" · 班主任 ", " · head teacher ") + c.HeadTeacherName
		}
		titles[c.Class] = cleanText(t)
	}
	for _, in := range r.unmet() {
		for _, s := range in.Shortfall {
			if !seen[s.Class] {
				seen[s.Class] = true
				order = append(order, s.Class)
				titles[s.Class] = className(l, s.Class, "")
			}
			byClass[s.Class] = append(byClass[s.Class], row{s.Child, []string{s.Child, s.Name, in.Name.In(l), s.Month, s.Reason.In(l)}})
		}
	}
	headers := []string{l.Pick("学号", "ID"), l.Pick("姓名", "Name"), l.Pick("指标", "Indicator"), l.Pick("月份", "Month"), l.Pick("原因", "Reason")}
	var out []htmlGroup
	for _, c := range order {
		rows := byClass[c]
		if len(rows) == 0 {
			continue
		}
		sort.SliceStable(rows, func(i, j int) bool { return rows[i].child < rows[j].child })
		cells := make([][]string, len(rows))
		for i, rw := range rows {
			cells[i] = rw.cells
		}
		count := l.Pick(fmt.Sprintf("共 %d 项", len(rows)), fmt.Sprintf("%d rows", len(rows)))
		if len(rows) == 1 {
			count = l.Pick("共 1 项", "1 row")
		}
		out = append(out, htmlGroup{Title: titles[c], Count: count, Table: newHTMLTable("shortfall", headers, cells)})
	}
	return out
}
