package render

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"math/big"
	"strconv"
	"strings"

	"github.com/olekukonko/tablewriter"
	"github.com/olekukonko/tablewriter/tw"

	"github.com/care-tool/care/internal/i18n"
	"github.com/care-tool/care/internal/indicator"
	"github.com/care-tool/care/internal/record"
)

// Report is everything a term-end report shows.
type Report struct {
	School   record.School
	Revision string // full commit id, "" when the data is not in git
	Dirty    bool   // uncommitted changes in the working tree
	NoGit    bool   // the repository is not in git
	Class    string // the --class filter, if any
	Result   *indicator.Result
	Lang     i18n.Lang
}

// FormatRate shows a rate as a percentage with one decimal place. It never
// shows a value that would read as met when the indicator is not: 2999/3000
// with a 100% target is 99.9%, not 100.0%.
func FormatRate(num, den int, target *big.Rat, met bool) string {
	if den == 0 {
		return "—"
	}
	// tenths of a percent, rounded half up
	tenths := int64(math.Floor(float64(num)*1000/float64(den) + 0.5))
	if !met && target != nil {
		// the largest tenth that is still below the target
		limit := new(big.Rat).Mul(target, big.NewRat(1000, 1))
		for tenths > 0 && new(big.Rat).SetInt64(tenths).Cmp(limit) >= 0 {
			tenths--
		}
	}
	if num < den && tenths >= 1000 {
		tenths = 999
	}
	return fmt.Sprintf("%d.%d%%", tenths/10, tenths%10)
}

// FormatTarget shows a target as a percentage: 1 -> 100%, 0.95 -> 95%, 0.925 -> 92.5%.
func FormatTarget(t record.Target) string {
	r := t.Rat
	if r == nil {
		r = big.NewRat(1, 1)
	}
	pct := new(big.Rat).Mul(r, big.NewRat(100, 1))
	s := pct.FloatString(2)
	s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	return s + "%"
}

func metMark(l i18n.Lang, met bool) string {
	if met {
		return l.Pick("✓ 达标", "✓ met")
	}
	return l.Pick("✗ 未达标", "✗ not met")
}

func (r *Report) header() []string {
	l := r.Lang
	res := r.Result
	termName := res.Term.Name
	if termName == "" {
		termName = res.Term.ID
	}
	lines := []string{
		l.Pick(r.School.Name+" · 留守儿童关爱工作报告", r.School.Name+" · Left-behind children care report"),
		l.Pick(fmt.Sprintf("学期：%s（%s 至 %s）", termName, res.Term.Start, res.Term.End),
			fmt.Sprintf("Term: %s (%s to %s)", termName, res.Term.Start, res.Term.End)),
		l.Pick("截至："+res.AsOf.String(), "As of: "+res.AsOf.String()),
	}
	if res.AsOf > res.Term.End {
		// END = min(as-of, term end): say so, or the page reads as counted to today
		lines[2] += l.Pick(fmt.Sprintf("（学期已于 %s 结束，统计到学期末）", res.Term.End),
			fmt.Sprintf(" (the term ended on %s; counted to its end)", res.Term.End))
	}
	rev := ""
	switch {
	case r.NoGit:
		rev = l.Pick("不在 git 仓库中，无法注明数据版本", "not in a git repository: no revision")
	case r.Revision == "":
		rev = l.Pick("git 仓库中还没有提交", "no commit in the git repository yet")
	default:
		rev = short(r.Revision)
		if r.Dirty {
			rev += l.Pick("（有未提交的修改）", " (uncommitted changes)")
		}
	}
	lines = append(lines, l.Pick("数据版本：", "Revision: ")+rev)
	if r.Class != "" {
		lines = append(lines, l.Pick("班级：", "Class: ")+r.Class)
	}
	return lines
}

func short(rev string) string {
	if len(rev) > 7 {
		return rev[:7]
	}
	return rev
}

func newTable(w io.Writer, headers ...any) *tablewriter.Table {
	t := tablewriter.NewTable(w,
		tablewriter.WithRendition(tw.Rendition{Symbols: tw.NewSymbols(tw.StyleASCII)}),
		tablewriter.WithHeaderAutoFormat(tw.Off),
		tablewriter.WithHeaderAlignment(tw.AlignLeft),
		tablewriter.WithRowAlignment(tw.AlignLeft),
		tablewriter.WithRowAutoWrap(tw.WrapNone),
	)
	t.Header(headers...)
	return t
}

func (r *Report) indicatorRows() [][]string {
	l := r.Lang
	var rows [][]string
	for _, in := range r.Result.Indicators {
		rows = append(rows, []string{
			in.Name.In(l),
			fmt.Sprintf("%d/%d", in.Numerator, in.Denominator),
			FormatRate(in.Numerator, in.Denominator, in.Target.Rat, in.Met),
			FormatTarget(in.Target),
			metMark(l, in.Met),
		})
	}
	return rows
}

func (r *Report) indicatorHeaders() []string {
	l := r.Lang
	return []string{l.Pick("名称", "Indicator"), l.Pick("达成数/应达成数", "Met/Total"), l.Pick("比率", "Rate"), l.Pick("目标", "Target"), l.Pick("是否达标", "Status")}
}

func (r *Report) classHeaders() []string {
	l := r.Lang
	h := []string{l.Pick("班级", "Class"), l.Pick("班主任", "Head teacher")}
	for _, id := range indicator.IDs {
		h = append(h, indicator.Name(id).In(l))
	}
	return h
}

func (r *Report) classRows() [][]string {
	l := r.Lang
	var rows [][]string
	for _, c := range r.Result.ByClass {
		name := c.Class
		if c.Name != "" {
			name = c.Name + " (" + c.Class + ")"
		}
		if c.Class == "" {
			name = l.Pick("未分班", "no class")
		}
		row := []string{name, c.HeadTeacherName}
		for _, in := range c.Indicators {
			cell := FormatRate(in.Numerator, in.Denominator, in.Target.Rat, in.Met)
			if in.Denominator > 0 && !in.Met {
				cell += " ✗"
			}
			row = append(row, cell)
		}
		rows = append(rows, row)
	}
	return rows
}

// summaryLabel translates a roster summary key.
func summaryLabel(l i18n.Lang, field, key string) string {
	if key == "" && field == "status" {
		return l.Pick("未入学", "not enrolled")
	}
	if key == "" || key == "unknown" {
		return l.Pick("未填写", "not given")
	}
	zh := map[string]string{
		"yes": "寄宿", "no": "走读",
		"both_parents": "双亲外出", "one_parent": "单亲外出",
		"grandfather": "祖父/外祖父", "grandmother": "祖母/外祖母", "father": "父亲", "mother": "母亲", "relative": "其他亲属", "other": "其他",
		"enrolled": "在读", "suspended": "休学", "transferred_out": "转出", "graduated": "毕业", "dropped_out": "辍学", "deceased": "死亡",
	}
	en := map[string]string{
		"yes": "boarding", "no": "day pupil",
		"both_parents": "both parents away", "one_parent": "one parent away",
		"enrolled": "enrolled", "suspended": "suspended", "transferred_out": "transferred out", "graduated": "graduated", "dropped_out": "dropped out", "deceased": "deceased",
	}
	if field == "grade" {
		return l.Pick(key+" 年级", "grade "+key)
	}
	if l == i18n.En {
		if v, ok := en[key]; ok {
			return v
		}
		return key
	}
	if v, ok := zh[key]; ok {
		return v
	}
	return key
}

type summaryGroup struct {
	field  string
	title  i18n.Text
	counts []indicator.Count
}

func (r *Report) summaryGroups() []summaryGroup {
	s := r.Result.Summary
	return []summaryGroup{
		{"grade", i18n.T("年级", "Grade"), s.ByGrade},
		{"class", i18n.T("班级", "Class"), s.ByClass},
		{"boarding", i18n.T("寄宿", "Boarding"), s.Boarding},
		{"type", i18n.T("留守类型", "Left-behind type"), s.LeftBehindType},
		{"guardian", i18n.T("监护人", "Guardian"), s.GuardianRelation},
		{"status", i18n.T("在校状态", "Enrolment status"), s.Status},
	}
}

func (r *Report) summaryRows() [][]string {
	var rows [][]string
	for _, g := range r.summaryGroups() {
		var parts []string
		for _, c := range g.counts {
			parts = append(parts, fmt.Sprintf("%s %d", summaryLabel(r.Lang, g.field, c.Key), c.Count))
		}
		if len(parts) == 0 {
			parts = []string{"—"}
		}
		rows = append(rows, []string{g.title.In(r.Lang), strings.Join(parts, r.Lang.Pick("，", ", "))})
	}
	return rows
}

func (r *Report) shortfallHeaders(monthly bool) []string {
	l := r.Lang
	h := []string{l.Pick("班级", "Class"), l.Pick("学号", "ID"), l.Pick("姓名", "Name")}
	if monthly {
		h = append(h, l.Pick("月份", "Month"))
	}
	return append(h, l.Pick("原因", "Reason"))
}

func (r *Report) shortfallRows(in indicator.Indicator) [][]string {
	monthly := in.ID == indicator.Talks || in.ID == indicator.ParentContact
	var rows [][]string
	for _, s := range in.Shortfall {
		row := []string{s.Class, s.Child, s.Name}
		if monthly {
			row = append(row, s.Month)
		}
		rows = append(rows, append(row, s.Reason.In(r.Lang)))
	}
	return rows
}

// unmet returns the unmet indicators, the ones whose shortfall is listed.
func (r *Report) unmet() []indicator.Indicator {
	var out []indicator.Indicator
	for _, in := range r.Result.Indicators {
		if !in.Met && len(in.Shortfall) > 0 {
			out = append(out, in)
		}
	}
	return out
}

// Table writes the report as aligned text tables for a terminal.
func (r *Report) Table(w io.Writer) error {
	l := r.Lang
	var b strings.Builder
	for _, line := range r.header() {
		b.WriteString(cleanText(line) + "\n")
	}
	section := func(title string) { b.WriteString("\n" + cleanText(title) + "\n") }
	table := func(headers []string, rows [][]string) error {
		return writeTable(&b, cleanCells(headers), cleanRows(rows))
	}
	section(l.Pick("指标", "Indicators"))
	if err := table(r.indicatorHeaders(), r.indicatorRows()); err != nil {
		return err
	}
	if len(r.Result.ByClass) > 0 {
		section(l.Pick("各班情况", "By class"))
		if err := table(r.classHeaders(), r.classRows()); err != nil {
			return err
		}
	}
	section(l.Pick(fmt.Sprintf("花名册概况（截至 %s 在册的留守儿童 %d 人）", r.Result.End, r.Result.Summary.Total),
		fmt.Sprintf("Roster (%d left-behind children on the school's books on %s)", r.Result.Summary.Total, r.Result.End)))
	if err := table([]string{l.Pick("项目", "Item"), l.Pick("人数", "Children")}, r.summaryRows()); err != nil {
		return err
	}
	unmet := r.unmet()
	if len(unmet) == 0 {
		section(l.Pick("所有指标均已达标。", "Every target is met."))
	}
	for _, in := range unmet {
		monthly := in.ID == indicator.Talks || in.ID == indicator.ParentContact
		section(l.Pick(fmt.Sprintf("未达标：%s（%d 项）", in.Name.In(l), len(in.Shortfall)),
			fmt.Sprintf("Not met: %s (%d)", in.Name.In(l), len(in.Shortfall))))
		if err := table(r.shortfallHeaders(monthly), r.shortfallRows(in)); err != nil {
			return err
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// mdEscaper makes text from the records literal Markdown on one line: the
// characters Markdown (or the HTML inside it) would act on are escaped, line
// breaks and tabs become spaces and the other characters cleanText refuses
// become U+FFFD.
var mdEscaper = func() *strings.Replacer {
	pairs := []string{"|", "\\|", "\r\n", " ", "\r", " ", "\n", " ", "\t", " ", "&", "&amp;", "<", "&lt;", ">", "&gt;",
		"*", "\\*", "_", "\\_", "`", "\\`", "[", "\\[", "]", "\\]"}
	for r := rune(0); r < 0xa0; r++ {
		if unsafeRune(r) && r != '\r' && r != '\n' && r != '\t' {
			pairs = append(pairs, string(r), cleanText(string(r)))
		}
	}
	for _, r := range []rune{'\u2028', '\u2029', '\u202a', '\u202b', '\u202c', '\u202d', '\u202e', '\u2066', '\u2067', '\u2068', '\u2069'} {
		pairs = append(pairs, string(r), cleanText(string(r)))
	}
	return strings.NewReplacer(pairs...)
}()

func mdTable(b *strings.Builder, headers []string, rows [][]string) {
	esc := func(cells []string) string {
		out := make([]string, len(cells))
		for i, c := range cells {
			// a backslash is escaped too, so that a\|b stays a\|b
			out[i] = mdEscaper.Replace(strings.ReplaceAll(c, `\`, `\\`))
		}
		return "| " + strings.Join(out, " | ") + " |\n"
	}
	b.WriteString(esc(headers))
	sep := make([]string, len(headers))
	for i := range sep {
		sep[i] = "---"
	}
	b.WriteString("| " + strings.Join(sep, " | ") + " |\n")
	for _, r := range rows {
		b.WriteString(esc(r))
	}
}

// Markdown writes the report as Markdown (for a wiki, an email or a pull request).
func (r *Report) Markdown(w io.Writer) error {
	l := r.Lang
	var b strings.Builder
	h := r.header()
	b.WriteString("# " + mdEscaper.Replace(h[0]) + "\n\n")
	for _, line := range h[1:] {
		b.WriteString("- " + mdEscaper.Replace(line) + "\n")
	}
	b.WriteString("\n## " + l.Pick("指标", "Indicators") + "\n\n")
	mdTable(&b, r.indicatorHeaders(), r.indicatorRows())
	if len(r.Result.ByClass) > 0 {
		b.WriteString("\n## " + l.Pick("各班情况", "By class") + "\n\n")
		mdTable(&b, r.classHeaders(), r.classRows())
	}
	b.WriteString("\n## " + l.Pick(fmt.Sprintf("花名册概况（%d 人）", r.Result.Summary.Total), fmt.Sprintf("Roster (%d children)", r.Result.Summary.Total)) + "\n\n")
	mdTable(&b, []string{l.Pick("项目", "Item"), l.Pick("人数", "Children")}, r.summaryRows())
	unmet := r.unmet()
	if len(unmet) == 0 {
		b.WriteString("\n" + l.Pick("所有指标均已达标。", "Every target is met.") + "\n")
	}
	for _, in := range unmet {
		monthly := in.ID == indicator.Talks || in.ID == indicator.ParentContact
		b.WriteString("\n## " + l.Pick(fmt.Sprintf("未达标：%s（%d 项）", in.Name.In(l), len(in.Shortfall)),
			fmt.Sprintf("Not met: %s (%d)", in.Name.In(l), len(in.Shortfall))) + "\n\n")
		mdTable(&b, r.shortfallHeaders(monthly), r.shortfallRows(in))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// CSV writes the indicators (whole school, then each class) and then the
// shortfall list as two tables separated by an empty line, UTF-8 with a
// byte-order mark so that Excel reads the Chinese text correctly.
func (r *Report) CSV(w io.Writer) error {
	l := r.Lang
	if _, err := io.WriteString(w, "\ufeff"); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	write := func(cells []string) {
		out := make([]string, len(cells))
		for i, c := range cells {
			out[i] = csvText(c)
		}
		_ = cw.Write(out)
	}
	write([]string{l.Pick("范围", "Scope"), l.Pick("指标代码", "Indicator id"), l.Pick("名称", "Indicator"),
		l.Pick("达成数", "Numerator"), l.Pick("应达成数", "Denominator"), l.Pick("比率", "Rate"), l.Pick("目标", "Target"), l.Pick("是否达标", "Met")})
	row := func(scope string, in indicator.Indicator) {
		rate := ""
		if in.Denominator > 0 {
			rate = csvRate(in.Numerator, in.Denominator, in.Met)
		}
		write([]string{scope, in.ID, in.Name.In(l), strconv.Itoa(in.Numerator), strconv.Itoa(in.Denominator),
			rate, FormatTarget(in.Target), l.Pick(map[bool]string{true: "是", false: "否"}[in.Met], map[bool]string{true: "yes", false: "no"}[in.Met])})
	}
	scope := l.Pick("全校", "school")
	if r.Class != "" {
		// the figures are the class's; its by-class rows would repeat them
		scope = r.Class
	}
	for _, in := range r.Result.Indicators {
		row(scope, in)
	}
	for _, c := range r.Result.ByClass {
		if r.Class != "" {
			break
		}
		scope := c.Class
		if scope == "" {
			scope = l.Pick("未分班", "no class")
		}
		for _, in := range c.Indicators {
			row(scope, in)
		}
	}
	_ = cw.Write(nil)
	write([]string{l.Pick("指标", "Indicator"), l.Pick("班级", "Class"), l.Pick("学号", "ID"), l.Pick("姓名", "Name"), l.Pick("月份", "Month"), l.Pick("原因", "Reason")})
	for _, in := range r.unmet() {
		for _, s := range in.Shortfall {
			write([]string{in.Name.In(l), s.Class, s.Child, s.Name, s.Month, s.Reason.In(l)})
		}
	}
	cw.Flush()
	return cw.Error()
}

// csvRate writes num/den as a fraction with four decimals, computed on the
// integers: an unmet rate is cut (never rounded up towards its target:
// 29/100 is 0.2900 and 19999/20000 is 0.9999), a met one is rounded half
// up, and only num = den is 1.0000.
func csvRate(num, den int, met bool) string {
	n, d := int64(num), int64(den)
	q := n * 10000 / d
	if met {
		q = (n*20000 + d) / (2 * d)
	}
	if n < d && q >= 10000 {
		q = 9999
	}
	return fmt.Sprintf("%d.%04d", q/10000, q%10000)
}

// csvText makes a cell safe for a spreadsheet: one line (cleanText), and a
// cell that starts with = + - or @, which Excel and WPS would run as a
// formula (=HYPERLINK(...) in a child's name), gets a leading apostrophe,
// the spreadsheet's own mark for text.
func csvText(s string) string {
	s = cleanText(s)
	if s != "" && strings.ContainsRune("=+-@", rune(s[0])) {
		return "'" + s
	}
	return s
}

type jsonShortfall struct {
	Child  string `json:"child"`
	Name   string `json:"name,omitempty"`
	Class  string `json:"class,omitempty"`
	Month  string `json:"month,omitempty"`
	Reason string `json:"reason"`
}

type jsonIndicator struct {
	ID          string          `json:"id"`
	Name        string          `json:"name"`
	Numerator   int             `json:"numerator"`
	Denominator int             `json:"denominator"`
	Rate        *float64        `json:"rate"`
	Target      float64         `json:"target"`
	Met         bool            `json:"met"`
	Shortfall   []jsonShortfall `json:"shortfall"`
}

type jsonClass struct {
	Class       string          `json:"class"`
	Name        string          `json:"name,omitempty"`
	HeadTeacher string          `json:"head_teacher,omitempty"`
	Indicators  []jsonIndicator `json:"indicators"`
}

type jsonMonth struct {
	Month         string   `json:"month"`
	Talks         jsonFrac `json:"talks"`
	ParentContact jsonFrac `json:"parent_contact"`
}

type jsonFrac struct {
	Numerator   int      `json:"numerator"`
	Denominator int      `json:"denominator"`
	Rate        *float64 `json:"rate"`
}

func (r *Report) jsonIndicators(ins []indicator.Indicator, withShortfall bool) []jsonIndicator {
	out := make([]jsonIndicator, 0, len(ins))
	for _, in := range ins {
		j := jsonIndicator{ID: in.ID, Name: in.Name.In(r.Lang), Numerator: in.Numerator, Denominator: in.Denominator,
			Rate: in.Rate, Target: in.Target.Float, Met: in.Met, Shortfall: []jsonShortfall{}}
		if withShortfall && !in.Met {
			for _, s := range in.Shortfall {
				j.Shortfall = append(j.Shortfall, jsonShortfall{Child: s.Child, Name: s.Name, Class: s.Class, Month: s.Month, Reason: s.Reason.In(r.Lang)})
			}
		}
		out = append(out, j)
	}
	return out
}

// JSON writes the report in the JSON shape of the indicator contract, with
// the sections by_class, months and summary added.
func (r *Report) JSON(w io.Writer) error {
	res := r.Result
	var rev *string
	if r.Revision != "" {
		rev = &r.Revision
	}
	out := struct {
		School     record.School   `json:"school"`
		Term       map[string]any  `json:"term"`
		AsOf       string          `json:"as_of"`
		Revision   *string         `json:"revision"`
		Dirty      bool            `json:"dirty"`
		Class      string          `json:"class,omitempty"`
		Indicators []jsonIndicator `json:"indicators"`
		ByClass    []jsonClass     `json:"by_class"`
		Months     []jsonMonth     `json:"months"`
		Summary    map[string]any  `json:"summary"`
	}{
		School:     r.School,
		Term:       map[string]any{"id": res.Term.ID, "name": res.Term.Name, "start": res.Term.Start.String(), "end": res.Term.End.String()},
		AsOf:       res.AsOf.String(),
		Revision:   rev,
		Dirty:      r.Dirty,
		Class:      r.Class,
		Indicators: r.jsonIndicators(res.Indicators, true),
		ByClass:    []jsonClass{},
		Months:     []jsonMonth{},
	}
	for _, c := range res.ByClass {
		out.ByClass = append(out.ByClass, jsonClass{Class: c.Class, Name: c.Name, HeadTeacher: c.HeadTeacher, Indicators: r.jsonIndicators(c.Indicators, false)})
	}
	for _, m := range res.Months {
		out.Months = append(out.Months, jsonMonth{Month: m.Month,
			Talks:         jsonFrac{m.Talks.Numerator, m.Talks.Denominator, m.Talks.Rate},
			ParentContact: jsonFrac{m.ParentContact.Numerator, m.ParentContact.Denominator, m.ParentContact.Rate}})
	}
	counts := func(cs []indicator.Count) map[string]int {
		m := map[string]int{}
		for _, c := range cs {
			m[c.Key] = c.Count
		}
		return m
	}
	s := res.Summary
	out.Summary = map[string]any{
		"total": s.Total, "by_grade": counts(s.ByGrade), "by_class": counts(s.ByClass), "boarding": counts(s.Boarding),
		"left_behind_type": counts(s.LeftBehindType), "guardian_relation": counts(s.GuardianRelation), "status": counts(s.Status),
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}
