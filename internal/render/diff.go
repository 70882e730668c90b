package render

import (
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/care-tool/care/internal/diff"
	"github.com/care-tool/care/internal/i18n"
	"github.com/care-tool/care/internal/pii"
	"github.com/care-tool/care/internal/record"
)

// DiffPoint describes one side of a diff: the state at the end of a month,
// a revision, the working tree, or nothing (before the first commit).
type DiffPoint struct {
	Spec    string // as the user typed it ("2026-10", "HEAD~1"); "" for the working tree
	Kind    string // DiffMonth, DiffRevision, DiffWorkTree or DiffEmpty
	Month   string // "2026-10" for DiffMonth
	Commit  string // full commit id; "" for the working tree and DiffEmpty
	Short   string // abbreviated commit id
	Date    string // commit date, YYYY-MM-DD
	Author  string
	Subject string
	Dirty   bool // DiffWorkTree: there are uncommitted changes
}

// The kinds of DiffPoint.
const (
	DiffMonth    = "month"
	DiffRevision = "revision"
	DiffWorkTree = "worktree"
	DiffEmpty    = "empty"
)

// Describe says in one line which state a point stands for, e.g.
// "2026-10 月末，即提交 a1b2c3d（2026-10-28，王芳：“十月谈心记录”）".
func (p DiffPoint) Describe(l i18n.Lang) string {
	commit := l.Pick(fmt.Sprintf("，即提交 %s（%s，%s：“%s”）", p.Short, p.Date, p.Author, p.Subject),
		fmt.Sprintf(", commit %s (%s, %s: %q)", p.Short, p.Date, p.Author, p.Subject))
	switch p.Kind {
	case DiffMonth:
		return l.Pick(p.Month+" 月末", "end of "+p.Month) + commit
	case DiffWorkTree:
		if p.Dirty {
			return l.Pick("工作区（有未提交的修改）", "the working tree (with uncommitted changes)")
		}
		return l.Pick("工作区（与 HEAD 相同）", "the working tree (same as HEAD)")
	case DiffEmpty:
		return l.Pick(p.Month+" 月末，还没有提交（视为没有记录）", "end of "+p.Month+", before the first commit (no records)")
	}
	return p.Spec + commit
}

// DiffView is a diff ready to be written in one of the formats.
type DiffView struct {
	School   string
	From, To DiffPoint
	Diff     *diff.Diff
	Lang     i18n.Lang
	ShowPII  bool // show phone and id numbers and addresses in full
	Color    bool // ANSI colours (text only)
}

// Colours of the marks.
const (
	diffGreen = "\x1b[32m"
)

// The marks, as dyff writes them.
const (
	markAdd    = "+"
	markRemove = "-"
	markChange = "±"
)

// piiMasker masks personal data in field values and notes whether it did.
type piiMasker struct {
	show   bool
	masked bool
}

// value formats a field value for text and markdown, masking personal data
// found under key (the last mapping key above the value).
func (m *piiMasker) value(key string, v any) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case string:
		s := m.scalar(key, x)
		if strings.ContainsAny(s, "\n\r\t") || strings.TrimSpace(s) != s || s == "" {
			return strconv.Quote(s)
		}
		return s
	case []any:
		parts := make([]string, len(x))
		for i, it := range x {
			parts[i] = m.value(key, it)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case diff.Map:
		parts := make([]string, len(x))
		for i, kv := range x {
			parts[i] = kv.Key + ": " + m.value(kv.Key, kv.Value)
		}
		return "{" + strings.Join(parts, ", ") + "}"
	}
	return fmt.Sprint(v)
}

// scalar masks one string by the key it is found under.
func (m *piiMasker) scalar(key, s string) string {
	if m.show || s == "" {
		return s
	}
	var out string
	switch key {
	case "phone":
		out = pii.Phone(s)
	case "id_number":
		out = pii.IDNumber(s)
	case "address", "work_address":
		out = pii.Address(s)
	default:
		return s
	}
	if out != s {
		m.masked = true
	}
	return out
}

// json returns a field value for JSON output, masked like value.
func (m *piiMasker) json(key string, v any) any {
	switch x := v.(type) {
	case string:
		return m.scalar(key, x)
	case []any:
		out := make([]any, len(x))
		for i, it := range x {
			out[i] = m.json(key, it)
		}
		return out
	case diff.Map:
		out := make(diff.Map, len(x))
		for i, kv := range x {
			out[i] = diff.KV{Key: kv.Key, Value: m.json(kv.Key, kv.Value)}
		}
		return out
	}
	return v
}

// enumLabel shows an enum value of the records in the user's language.
func enumLabel(l i18n.Lang, v string) string {
	zh := map[string]string{
		"teacher": "帮扶教师", "proxy_parent": "代理家长", "peer": "学习帮手", "volunteer": "爱心爸爸妈妈",
		"talk": "谈心", "home_visit": "家访", "parent_contact": "与在外父母联系",
	}
	en := map[string]string{
		"teacher": "teacher mentor", "proxy_parent": "proxy parent", "peer": "peer study helper", "volunteer": "volunteer",
		"talk": "talk", "home_visit": "home visit", "parent_contact": "parent contact",
	}
	if v == "" {
		return l.Pick("无", "none")
	}
	if l == i18n.En {
		if s, ok := en[v]; ok {
			return s
		}
	} else if s, ok := zh[v]; ok {
		return s
	}
	return summaryLabel(l, "status", v)
}

// childLabel names a child: "2024031 李小明（三年级二班）".
func childLabel(l i18n.Lang, c diff.ChildRef) string {
	s := c.ID
	if c.Name != "" {
		s += " " + c.Name
	}
	class := c.ClassName
	if class == "" {
		class = c.Class
	}
	if class != "" {
		s += l.Pick("（"+class+"）", " ("+class+")")
	}
	return s
}

// statusText says what a status change is: "在读 → 辍学（2026-11-20）".
func statusText(l i18n.Lang, s diff.StatusChange) string {
	out := enumLabel(l, s.Old) + " → " + enumLabel(l, s.New)
	var extra []string
	if s.Date != 0 {
		extra = append(extra, s.Date.String())
	}
	if s.School != "" && s.New == record.TransferredOut {
		extra = append(extra, l.Pick("转入 ", "to ")+s.School)
	}
	if len(extra) > 0 {
		out += l.Pick("（"+strings.Join(extra, "，")+"）", " ("+strings.Join(extra, ", ")+")")
	}
	return out
}

// leftBehindText says what a left-behind change is.
func leftBehindText(l i18n.Lang, c diff.LeftBehindChange) string {
	o, n := c.Old, c.New
	var parts []string
	switch {
	case o.Until == 0 && n.Until != 0:
		parts = append(parts, l.Pick("留守 → 不再留守（"+n.Until.String()+" 起）", "left-behind → no longer left-behind (from "+n.Until.String()+")"))
	case o.Until != 0 && n.Until == 0:
		parts = append(parts, l.Pick("不再留守 → 留守（撤销结束日期 "+o.Until.String()+"）", "no longer left-behind → left-behind (end date "+o.Until.String()+" removed)"))
	case o.Until != n.Until:
		parts = append(parts, l.Pick("留守结束日期 ", "left-behind until ")+o.Until.String()+" → "+n.Until.String())
	}
	if o.Since != n.Since {
		parts = append(parts, l.Pick("认定日期 ", "identified ")+dateOr(l, o.Since)+" → "+dateOr(l, n.Since))
	}
	if o.Type != n.Type {
		parts = append(parts, l.Pick("留守类型 ", "type ")+summaryLabel(l, "type", o.Type)+" → "+summaryLabel(l, "type", n.Type))
	}
	return strings.Join(parts, l.Pick("；", "; "))
}

func dateOr(l i18n.Lang, d record.Date) string {
	if d == 0 {
		return l.Pick("无", "none")
	}
	return d.String()
}

// pairingText describes a pairing: "李小明（2024031）· 帮扶教师 王芳 · 2026-09-05 起".
func pairingText(l i18n.Lang, p diff.PairingRef) string {
	who := p.Child
	if p.ChildName != "" {
		who = l.Pick(p.ChildName+"（"+p.Child+"）", p.ChildName+" ("+p.Child+")")
	}
	s := who + " · " + enumLabel(l, p.Role) + " " + p.MentorName
	if p.Start != 0 {
		s += " · " + l.Pick(p.Start.String()+" 起", "from "+p.Start.String())
	}
	if p.End != 0 {
		s += " · " + l.Pick(p.End.String()+" 结束", "ended "+p.End.String())
	}
	return s
}

// talkText describes one talk log: "2026-11-03 谈心 李小明（2024031）· 王芳".
func talkText(l i18n.Lang, t diff.TalkRef) string {
	who := t.Child
	if t.ChildName != "" {
		who = l.Pick(t.ChildName+"（"+t.Child+"）", t.ChildName+" ("+t.Child+")")
	}
	return fmt.Sprintf("%s %s %s · %s  %s", t.Date, enumLabel(l, t.Kind), who, t.ByName, t.Path)
}

// countText writes a talk count: "三年级二班 +2 -1".
func countText(l i18n.Lang, c diff.Count) string {
	name := c.Name
	if name == "" {
		name = c.Key
	}
	if name == "" {
		name = l.Pick("未知", "unknown")
	}
	s := name
	if c.Added > 0 {
		s += fmt.Sprintf(" +%d", c.Added)
	}
	if c.Removed > 0 {
		s += fmt.Sprintf(" -%d", c.Removed)
	}
	return s
}

// indicatorValue shows an indicator at one point: "96.2%（25/26）".
func indicatorValue(l i18n.Lang, v *diff.Value) string {
	if v == nil {
		return l.Pick("无法计算", "not available")
	}
	return FormatRate(v.Numerator, v.Denominator, v.Target.Rat, v.Met) + l.Pick(fmt.Sprintf("（%d/%d）", v.Numerator, v.Denominator), fmt.Sprintf(" (%d/%d)", v.Numerator, v.Denominator))
}

// windowText says on which term and day the indicators were computed.
func windowText(l i18n.Lang, from, to *diff.Window) string {
	name := func(w *diff.Window) string {
		if w.Term.Name != "" {
			return w.Term.Name
		}
		return w.Term.ID
	}
	asOf := func(w *diff.Window) string {
		if w == nil {
			return l.Pick("无学期", "no term")
		}
		return l.Pick("截至 ", "as of ") + w.AsOf.String()
	}
	if from != nil && to != nil && from.Term.ID == to.Term.ID {
		return name(to) + l.Pick("：", ": ") + asOf(from) + " → " + asOf(to)
	}
	side := func(w *diff.Window) string {
		if w == nil {
			return l.Pick("无学期", "no term")
		}
		return name(w) + " " + asOf(w)
	}
	return side(from) + " → " + side(to)
}

// diffSection is one titled block of a diff: lines of a mark and text, with an
// optional nested block of field changes.
type diffSection struct {
	title string
	items []diffItem
}

type diffItem struct {
	mark   string // markAdd, markRemove, markChange or "" (a plain line)
	text   string
	fields []diffFieldLine
}

type diffFieldLine struct {
	mark string
	path string
	text string // "old → new", "new" or "old", masked
}

// sections turns a diff into titled blocks in reading order: enrolment
// status and left-behind changes first, then children, pairings, talk logs
// and care.yaml. listTalks lists each talk log instead of counts alone.
func diffSections(d *diff.Diff, l i18n.Lang, m *piiMasker, listTalks bool) []diffSection {
	var out []diffSection
	add := func(title string, items []diffItem) {
		if len(items) > 0 {
			out = append(out, diffSection{title, items})
		}
	}
	fields := func(fs []diff.Field) []diffFieldLine {
		var ls []diffFieldLine
		for _, f := range fs {
			switch f.Op {
			case diff.Added:
				ls = append(ls, diffFieldLine{markAdd, f.Path, m.value(f.Key, f.New)})
			case diff.Removed:
				ls = append(ls, diffFieldLine{markRemove, f.Path, m.value(f.Key, f.Old)})
			default:
				ls = append(ls, diffFieldLine{markChange, f.Path, m.value(f.Key, f.Old) + " → " + m.value(f.Key, f.New)})
			}
		}
		return ls
	}

	var items []diffItem
	for _, s := range d.Status {
		items = append(items, diffItem{mark: markChange, text: childLabel(l, s.Child) + l.Pick("：", ": ") + statusText(l, s)})
	}
	add(l.Pick("学籍状态变化", "Enrolment status changes"), items)

	items = nil
	for _, c := range d.LeftBehind {
		items = append(items, diffItem{mark: markChange, text: childLabel(l, c.Child) + l.Pick("：", ": ") + leftBehindText(l, c)})
	}
	add(l.Pick("留守情况变化", "Left-behind changes"), items)

	items = nil
	for _, c := range d.Added {
		items = append(items, diffItem{mark: markAdd, text: childLabel(l, c) + "  " + c.Path})
	}
	add(l.Pick(fmt.Sprintf("新增儿童（%d）", len(d.Added)), fmt.Sprintf("Children added (%d)", len(d.Added))), items)

	items = nil
	for _, c := range d.Removed {
		items = append(items, diffItem{mark: markRemove, text: childLabel(l, c) + "  " + c.Path})
	}
	add(l.Pick(fmt.Sprintf("移除儿童（%d）", len(d.Removed)), fmt.Sprintf("Children removed (%d)", len(d.Removed))), items)

	items = nil
	for _, mv := range d.Moved {
		items = append(items, diffItem{mark: markChange, text: childLabel(l, mv.Child) + l.Pick("：", ": ") + mv.From + " → " + mv.To})
	}
	add(l.Pick(fmt.Sprintf("档案移动（%d）", len(d.Moved)), fmt.Sprintf("Files moved (%d)", len(d.Moved))), items)

	items = nil
	for _, c := range d.Changed {
		items = append(items, diffItem{mark: markChange, text: childLabel(l, c.Child) + "  " + c.Child.Path, fields: fields(c.Fields)})
	}
	add(l.Pick(fmt.Sprintf("档案修改（%d）", len(d.Changed)), fmt.Sprintf("Children changed (%d)", len(d.Changed))), items)

	items = nil
	for _, p := range d.PairingsStarted {
		items = append(items, diffItem{mark: markAdd, text: l.Pick("开始 ", "started ") + pairingText(l, p) + "  " + p.Path})
	}
	for _, p := range d.PairingsEnded {
		items = append(items, diffItem{mark: markRemove, text: l.Pick("结束 ", "ended ") + pairingText(l, p) + "  " + p.Path})
	}
	for _, p := range d.PairingsRemoved {
		items = append(items, diffItem{mark: markRemove, text: l.Pick("删除 ", "removed ") + pairingText(l, p) + "  " + p.Path})
	}
	for _, c := range d.PairingsChanged {
		where := c.Pairing.Path
		if c.OldPath != "" {
			where = c.OldPath + " → " + c.Pairing.Path
		}
		items = append(items, diffItem{mark: markChange, text: l.Pick("修改 ", "changed ") + pairingText(l, c.Pairing) + "  " + where, fields: fields(c.Fields)})
	}
	add(l.Pick("结对帮扶", "Pairings"), items)

	items = nil
	t := d.Talks
	if len(t.Added)+len(t.Removed)+len(t.Changed) > 0 {
		if listTalks {
			for _, r := range t.Added {
				items = append(items, diffItem{mark: markAdd, text: talkText(l, r)})
			}
			for _, r := range t.Removed {
				items = append(items, diffItem{mark: markRemove, text: talkText(l, r)})
			}
			for _, r := range t.Changed {
				items = append(items, diffItem{mark: markChange, text: talkText(l, r)})
			}
		} else {
			var parts []string
			if n := len(t.Added); n > 0 {
				parts = append(parts, l.Pick(fmt.Sprintf("新增 %d 条", n), fmt.Sprintf("%d added", n)))
			}
			if n := len(t.Removed); n > 0 {
				parts = append(parts, l.Pick(fmt.Sprintf("删除 %d 条", n), fmt.Sprintf("%d removed", n)))
			}
			if n := len(t.Changed); n > 0 {
				parts = append(parts, l.Pick(fmt.Sprintf("修改 %d 条", n), fmt.Sprintf("%d changed", n)))
			}
			items = append(items, diffItem{text: strings.Join(parts, l.Pick("，", ", "))})
			counts := func(title string, cs []diff.Count) {
				if len(cs) == 0 {
					return
				}
				parts := make([]string, len(cs))
				for i, c := range cs {
					parts[i] = countText(l, c)
				}
				items = append(items, diffItem{text: title + strings.Join(parts, l.Pick("；", "; "))})
			}
			counts(l.Pick("按班级：", "by class: "), t.ByClass)
			counts(l.Pick("按教师：", "by teacher: "), t.ByTeacher)
			for _, r := range t.Changed {
				items = append(items, diffItem{mark: markChange, text: talkText(l, r)})
			}
		}
	}
	add(l.Pick("谈心记录", "Talk logs"), items)

	if len(d.Config) > 0 {
		add(l.Pick("设置（care.yaml）", "Settings (care.yaml)"), []diffItem{{fields: fields(d.Config)}})
	}
	return out
}

// summary is the closing line: how many changes.
func diffSummary(l i18n.Lang, d *diff.Diff) string {
	n := d.Changes()
	if n == 0 {
		return l.Pick("记录没有变化", "no changes to the records")
	}
	return l.Pick(fmt.Sprintf("共 %d 处变化", n), fmt.Sprintf("%d %s", n, plural(n, "change")))
}

func piiMaskNote(l i18n.Lang) string {
	return l.Pick("电话、身份证号和地址已部分隐藏；用 --show-pii 显示全文", "phone and id numbers and addresses are masked; --show-pii shows them in full")
}

// diffTextWriter writes sections as indented text with coloured marks.
type diffTextWriter struct {
	b     strings.Builder
	color bool
}

func (w *diffTextWriter) mark(mark string) string {
	if !w.color || mark == "" {
		return mark
	}
	c := yellow
	switch mark {
	case markAdd:
		c = diffGreen
	case markRemove:
		c = red
	}
	return c + mark + reset
}

func (w *diffTextWriter) title(indent, s string) {
	if w.color {
		s = bold + s + reset
	}
	w.b.WriteString(indent + s + "\n")
}

// writeSections writes the sections at an indent; with gap, a blank line
// comes before each but the first.
func (w *diffTextWriter) writeSections(indent string, ss []diffSection, gap bool) {
	for i, s := range ss {
		if gap && i > 0 {
			w.b.WriteString("\n")
		}
		w.title(indent, s.title)
		for _, it := range s.items {
			if it.text != "" {
				if it.mark == "" {
					w.b.WriteString(indent + "  " + it.text + "\n")
				} else {
					w.b.WriteString(indent + "  " + w.mark(it.mark) + " " + it.text + "\n")
				}
			}
			fi := indent + "      "
			if it.text == "" {
				fi = indent + "  "
			}
			for _, f := range it.fields {
				w.b.WriteString(fi + w.mark(f.mark) + " " + f.path + ": " + f.text + "\n")
			}
		}
	}
}

// Text writes the diff as text with the marks + - ± (coloured when Color):
// the called-out changes, each diffSection, the indicators and a summary line.
// Which commits were compared is the caller's to say (on stderr).
func (v *DiffView) Text(w io.Writer) error {
	l := v.Lang
	m := &piiMasker{show: v.ShowPII}
	tw := &diffTextWriter{color: v.Color}
	ss := diffSections(v.Diff, l, m, false)
	tw.writeSections("", ss, true)
	if ins := v.Diff.Indicators; len(ins) > 0 {
		if len(ss) > 0 {
			tw.b.WriteString("\n")
		}
		tw.title("", l.Pick("指标变化", "Indicators")+l.Pick("（"+windowText(l, v.Diff.From, v.Diff.To)+"）", " ("+windowText(l, v.Diff.From, v.Diff.To)+")"))
		for _, in := range ins {
			mark := " "
			if in.Moved() {
				mark = tw.mark(markChange)
			}
			tw.b.WriteString(fmt.Sprintf("  %s %s%s%s → %s\n", mark, in.Name.In(l), l.Pick("：", ": "), indicatorValue(l, in.From), indicatorValue(l, in.To)))
		}
	}
	if tw.b.Len() > 0 {
		tw.b.WriteString("\n")
	}
	tw.b.WriteString(diffSummary(l, v.Diff) + "\n")
	if m.masked {
		tw.b.WriteString(piiMaskNote(l) + "\n")
	}
	_, err := io.WriteString(w, cleanOutput(tw.b.String(), v.Color))
	return err
}

// mdDiffCode writes s as a Markdown code span.
func mdDiffCode(s string) string {
	s = strings.ReplaceAll(s, "|", "\\|")
	if strings.Contains(s, "`") {
		return "`` " + s + " ``"
	}
	return "`" + s + "`"
}

// mdDiffText escapes s for Markdown text (in a list or a table cell).
func mdDiffText(s string) string { return mdEscaper.Replace(s) }

// writeMarkdownSections writes sections as Markdown headings (at level
// given by hashes), lists and field tables.
func writeMarkdownSections(b *strings.Builder, hashes string, l i18n.Lang, ss []diffSection) {
	for _, s := range ss {
		b.WriteString("\n" + hashes + " " + mdDiffText(s.title) + "\n\n")
		for _, it := range s.items {
			if it.text != "" {
				if it.mark == "" {
					b.WriteString("- " + mdDiffText(it.text) + "\n")
				} else {
					b.WriteString("- " + mdDiffCode(it.mark) + " " + mdDiffText(it.text) + "\n")
				}
			}
			if len(it.fields) > 0 {
				b.WriteString("\n| | " + l.Pick("字段", "Field") + " | " + l.Pick("变化", "Change") + " |\n| --- | --- | --- |\n")
				for _, f := range it.fields {
					b.WriteString("| " + mdDiffCode(f.mark) + " | " + mdDiffCode(f.path) + " | " + mdDiffText(f.text) + " |\n")
				}
				b.WriteString("\n")
			}
		}
	}
}

// Markdown writes the diff as Markdown, for a pull request, a wiki or an
// email: a title, which commits were compared, the sections and a table of
// the indicators.
func (v *DiffView) Markdown(w io.Writer) error {
	l := v.Lang
	m := &piiMasker{show: v.ShowPII}
	var b strings.Builder
	title := l.Pick("记录变化", "Changes to the records")
	if v.School != "" {
		title = v.School + " · " + title
	}
	b.WriteString("# " + mdDiffText(title) + "\n\n")
	b.WriteString("- " + l.Pick("起点：", "From: ") + mdDiffText(v.From.Describe(l)) + "\n")
	b.WriteString("- " + l.Pick("终点：", "To: ") + mdDiffText(v.To.Describe(l)) + "\n")
	writeMarkdownSections(&b, "##", l, diffSections(v.Diff, l, m, false))
	if ins := v.Diff.Indicators; len(ins) > 0 {
		b.WriteString("\n## " + mdDiffText(l.Pick("指标变化", "Indicators")) + "\n\n")
		b.WriteString(mdDiffText(windowText(l, v.Diff.From, v.Diff.To)) + "\n\n")
		b.WriteString("| | " + l.Pick("指标", "Indicator") + " | " + l.Pick("起点", "From") + " | " + l.Pick("终点", "To") + " |\n| --- | --- | --- | --- |\n")
		for _, in := range ins {
			mark := ""
			if in.Moved() {
				mark = mdDiffCode(markChange)
			}
			b.WriteString("| " + mark + " | " + mdDiffText(in.Name.In(l)) + " | " + mdDiffText(indicatorValue(l, in.From)) + " | " + mdDiffText(indicatorValue(l, in.To)) + " |\n")
		}
	}
	b.WriteString("\n" + mdDiffText(diffSummary(l, v.Diff)) + "\n")
	if m.masked {
		b.WriteString("\n" + mdDiffText(piiMaskNote(l)) + "\n")
	}
	out := b.String()
	for strings.Contains(out, "\n\n\n") {
		out = strings.ReplaceAll(out, "\n\n\n", "\n\n")
	}
	_, err := io.WriteString(w, out)
	return err
}

// JSON types of a diff. Dates are YYYY-MM-DD strings; absent values null.

type jsonDiffPoint struct {
	Spec     string  `json:"spec"`
	Kind     string  `json:"kind"`
	Month    string  `json:"month,omitempty"`
	Commit   *string `json:"commit"`
	Date     string  `json:"date,omitempty"`
	Author   string  `json:"author,omitempty"`
	Subject  string  `json:"subject,omitempty"`
	WorkTree bool    `json:"worktree"`
	Dirty    bool    `json:"dirty,omitempty"`
}

func jsonPoint(p DiffPoint) jsonDiffPoint {
	j := jsonDiffPoint{Spec: p.Spec, Kind: p.Kind, Month: p.Month, Date: p.Date, Author: p.Author, Subject: p.Subject,
		WorkTree: p.Kind == DiffWorkTree, Dirty: p.Dirty}
	if p.Commit != "" {
		c := p.Commit
		j.Commit = &c
	}
	return j
}

type jsonChild struct {
	ID    string `json:"id"`
	Name  string `json:"name"`
	Class string `json:"class"`
	Path  string `json:"path"`
}

func jsonChildRef(c diff.ChildRef) jsonChild {
	return jsonChild{ID: c.ID, Name: c.Name, Class: c.Class, Path: c.Path}
}

type jsonDiffField struct {
	Path string `json:"path"`
	Op   string `json:"op"`
	Old  any    `json:"old"`
	New  any    `json:"new"`
}

type jsonDiffDate record.Date

// MarshalJSON writes a date as YYYY-MM-DD, or null when unset.
func (d jsonDiffDate) MarshalJSON() ([]byte, error) {
	if d == 0 {
		return []byte("null"), nil
	}
	return json.Marshal(record.Date(d).String())
}

type jsonLeftBehind struct {
	Since jsonDiffDate `json:"since"`
	Until jsonDiffDate `json:"until"`
	Type  string       `json:"type"`
}

type jsonPairing struct {
	Path    string          `json:"path"`
	OldPath string          `json:"old_path,omitempty"`
	Child   string          `json:"child"`
	Role    string          `json:"role"`
	Mentor  string          `json:"mentor"`
	Start   jsonDiffDate    `json:"start"`
	End     jsonDiffDate    `json:"end"`
	Fields  []jsonDiffField `json:"fields,omitempty"`
}

func jsonPairingRef(p diff.PairingRef) jsonPairing {
	return jsonPairing{Path: p.Path, Child: p.Child, Role: p.Role, Mentor: p.Mentor, Start: jsonDiffDate(p.Start), End: jsonDiffDate(p.End)}
}

type jsonTalk struct {
	Path  string       `json:"path"`
	Child string       `json:"child"`
	Class string       `json:"class"`
	By    string       `json:"by"`
	Kind  string       `json:"kind"`
	Date  jsonDiffDate `json:"date"`
}

type jsonTalkCount struct {
	Key     string `json:"id"`
	Name    string `json:"name"`
	Added   int    `json:"added"`
	Removed int    `json:"removed"`
}

type jsonIndicatorValue struct {
	Numerator   int      `json:"numerator"`
	Denominator int      `json:"denominator"`
	Rate        *float64 `json:"rate"`
	Target      float64  `json:"target"`
	Met         bool     `json:"met"`
}

type jsonDiffWindow struct {
	Term string `json:"term"`
	Name string `json:"name"`
	AsOf string `json:"as_of"`
}

// diffJSON is the JSON body of a diff, shared by care diff and care log.
type diffJSON struct {
	Changes    int              `json:"changes"`
	Status     []map[string]any `json:"status_changes"`
	LeftBehind []map[string]any `json:"left_behind_changes"`
	Children   struct {
		Added   []jsonChild      `json:"added"`
		Removed []jsonChild      `json:"removed"`
		Moved   []map[string]any `json:"moved"`
		Changed []map[string]any `json:"changed"`
	} `json:"children"`
	Pairings struct {
		Started []jsonPairing `json:"started"`
		Ended   []jsonPairing `json:"ended"`
		Removed []jsonPairing `json:"removed"`
		Changed []jsonPairing `json:"changed"`
	} `json:"pairings"`
	Talks struct {
		Added     []jsonTalk      `json:"added"`
		Removed   []jsonTalk      `json:"removed"`
		Changed   []jsonTalk      `json:"changed"`
		ByClass   []jsonTalkCount `json:"by_class"`
		ByTeacher []jsonTalkCount `json:"by_teacher"`
	} `json:"talks"`
	Config []jsonDiffField `json:"config"`
}

func newDiffJSON(d *diff.Diff, m *piiMasker) diffJSON {
	var j diffJSON
	fields := func(fs []diff.Field) []jsonDiffField {
		out := make([]jsonDiffField, 0, len(fs))
		for _, f := range fs {
			out = append(out, jsonDiffField{Path: f.Path, Op: string(f.Op), Old: m.json(f.Key, f.Old), New: m.json(f.Key, f.New)})
		}
		return out
	}
	j.Changes = d.Changes()
	j.Status = []map[string]any{}
	for _, s := range d.Status {
		e := map[string]any{"child": s.Child.ID, "name": s.Child.Name, "class": s.Child.Class, "old": s.Old, "new": s.New, "date": jsonDiffDate(s.Date)}
		if s.School != "" {
			e["school"] = s.School
		}
		j.Status = append(j.Status, e)
	}
	j.LeftBehind = []map[string]any{}
	for _, c := range d.LeftBehind {
		j.LeftBehind = append(j.LeftBehind, map[string]any{"child": c.Child.ID, "name": c.Child.Name, "class": c.Child.Class,
			"old": jsonLeftBehind{jsonDiffDate(c.Old.Since), jsonDiffDate(c.Old.Until), c.Old.Type},
			"new": jsonLeftBehind{jsonDiffDate(c.New.Since), jsonDiffDate(c.New.Until), c.New.Type}})
	}
	j.Children.Added, j.Children.Removed = []jsonChild{}, []jsonChild{}
	for _, c := range d.Added {
		j.Children.Added = append(j.Children.Added, jsonChildRef(c))
	}
	for _, c := range d.Removed {
		j.Children.Removed = append(j.Children.Removed, jsonChildRef(c))
	}
	j.Children.Moved, j.Children.Changed = []map[string]any{}, []map[string]any{}
	for _, mv := range d.Moved {
		j.Children.Moved = append(j.Children.Moved, map[string]any{"id": mv.Child.ID, "name": mv.Child.Name, "from": mv.From, "to": mv.To})
	}
	for _, c := range d.Changed {
		j.Children.Changed = append(j.Children.Changed, map[string]any{"id": c.Child.ID, "name": c.Child.Name, "class": c.Child.Class,
			"path": c.Child.Path, "fields": fields(c.Fields)})
	}
	refs := func(ps []diff.PairingRef) []jsonPairing {
		out := make([]jsonPairing, 0, len(ps))
		for _, p := range ps {
			out = append(out, jsonPairingRef(p))
		}
		return out
	}
	j.Pairings.Started, j.Pairings.Ended, j.Pairings.Removed = refs(d.PairingsStarted), refs(d.PairingsEnded), refs(d.PairingsRemoved)
	j.Pairings.Changed = []jsonPairing{}
	for _, c := range d.PairingsChanged {
		p := jsonPairingRef(c.Pairing)
		p.OldPath, p.Fields = c.OldPath, fields(c.Fields)
		j.Pairings.Changed = append(j.Pairings.Changed, p)
	}
	talks := func(ts []diff.TalkRef) []jsonTalk {
		out := make([]jsonTalk, 0, len(ts))
		for _, t := range ts {
			out = append(out, jsonTalk{Path: t.Path, Child: t.Child, Class: t.Class, By: t.By, Kind: t.Kind, Date: jsonDiffDate(t.Date)})
		}
		return out
	}
	counts := func(cs []diff.Count) []jsonTalkCount {
		out := make([]jsonTalkCount, 0, len(cs))
		for _, c := range cs {
			out = append(out, jsonTalkCount{c.Key, c.Name, c.Added, c.Removed})
		}
		return out
	}
	j.Talks.Added, j.Talks.Removed, j.Talks.Changed = talks(d.Talks.Added), talks(d.Talks.Removed), talks(d.Talks.Changed)
	j.Talks.ByClass, j.Talks.ByTeacher = counts(d.Talks.ByClass), counts(d.Talks.ByTeacher)
	j.Config = fields(d.Config)
	return j
}

// JSON writes the diff as one JSON object: which points were compared
// (from, to: commit ids, or worktree), whether anything changed, the
// changes, and the indicators at both points. Personal data is masked
// unless ShowPII.
func (v *DiffView) JSON(w io.Writer) error {
	m := &piiMasker{show: v.ShowPII}
	l := v.Lang
	type jsonMove struct {
		ID   string              `json:"id"`
		Name string              `json:"name"`
		From *jsonIndicatorValue `json:"from"`
		To   *jsonIndicatorValue `json:"to"`
	}
	val := func(x *diff.Value) *jsonIndicatorValue {
		if x == nil {
			return nil
		}
		return &jsonIndicatorValue{x.Numerator, x.Denominator, x.Rate, x.Target.Float, x.Met}
	}
	win := func(x *diff.Window) *jsonDiffWindow {
		if x == nil {
			return nil
		}
		return &jsonDiffWindow{Term: x.Term.ID, Name: x.Term.Name, AsOf: x.AsOf.String()}
	}
	out := struct {
		School  string        `json:"school,omitempty"`
		From    jsonDiffPoint `json:"from"`
		To      jsonDiffPoint `json:"to"`
		Changed bool          `json:"changed"`
		diffJSON
		Indicators struct {
			From  *jsonDiffWindow `json:"from"`
			To    *jsonDiffWindow `json:"to"`
			Items []jsonMove      `json:"items"`
		} `json:"indicators"`
		PIIMasked bool `json:"pii_masked"`
	}{School: v.School, From: jsonPoint(v.From), To: jsonPoint(v.To), Changed: !v.Diff.Empty(), diffJSON: newDiffJSON(v.Diff, m)}
	out.Indicators.From, out.Indicators.To = win(v.Diff.From), win(v.Diff.To)
	out.Indicators.Items = []jsonMove{}
	for _, in := range v.Diff.Indicators {
		out.Indicators.Items = append(out.Indicators.Items, jsonMove{ID: in.ID, Name: in.Name.In(l), From: val(in.From), To: val(in.To)})
	}
	out.PIIMasked = !v.ShowPII
	return writeDiffJSON(w, out)
}

// writeDiffJSON writes v indented, without HTML escaping.
func writeDiffJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
