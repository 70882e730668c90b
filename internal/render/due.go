package render

import (
	"fmt"
	"io"
	"strings"

	"github.com/care-tool/care/internal/i18n"
	"github.com/care-tool/care/internal/indicator"
	"github.com/care-tool/care/internal/record"
)

// Due is the teachers' working list of one month.
type Due struct {
	Result *indicator.DueResult
	AsOf   record.Date
	Lang   i18n.Lang
	ByName string // the teacher the list is filtered to, if any
	NoTerm bool   // the month is in no term: no talk or parent contact is owed
}

func (d *Due) noTermNote() string {
	m := d.Result.Month
	return d.Lang.Pick(fmt.Sprintf("%s 不在任何学期内：不要求谈心和家长联系反馈。", m),
		fmt.Sprintf("%s is in no term: no talk or parent contact is owed.", m))
}

type dueSection struct {
	title i18n.Text
	items []indicator.DueItem
	key   string
}

func (d *Due) sections() []dueSection {
	r := d.Result
	return []dueSection{
		{i18n.T("尚欠谈心", "Talks still owed"), r.Talks, "talks"},
		{i18n.T("尚欠家长联系反馈", "Parent contacts still owed"), r.Contacts, "contacts"},
		{i18n.Tf("结对超过 %d 天未记录进展", "Pairings with no review for over %d days", indicator.ReviewInterval), r.Reviews, "reviews"},
		{i18n.T("档案不完整", "Incomplete files"), r.Incomplete, "incomplete"},
	}
}

func (d *Due) title() string {
	l := d.Lang
	t := l.Pick(fmt.Sprintf("%s 待办（截至 %s）", d.Result.Month, d.AsOf), fmt.Sprintf("Due in %s (as of %s)", d.Result.Month, d.AsOf))
	if d.ByName != "" {
		t += l.Pick("：", ": ") + d.ByName
	}
	return t
}

func (d *Due) rows(items []indicator.DueItem) [][]string {
	var rows [][]string
	for _, it := range items {
		who := it.StaffName
		if who == "" {
			who = it.Staff
		}
		if who == "" {
			who = "—"
		}
		rows = append(rows, []string{who, it.Class, it.Child, it.Name, it.Reason.In(d.Lang)})
	}
	return rows
}

func (d *Due) headers() []string {
	l := d.Lang
	return []string{l.Pick("负责人", "Who"), l.Pick("班级", "Class"), l.Pick("学号", "ID"), l.Pick("姓名", "Name"), l.Pick("说明", "What")}
}

// Table writes the working list as text tables, one per kind of item.
func (d *Due) Table(w io.Writer) error {
	var b strings.Builder
	b.WriteString(cleanText(d.title()) + "\n")
	if d.NoTerm {
		b.WriteString("\n" + d.noTermNote() + "\n")
	}
	empty := true
	for _, s := range d.sections() {
		if len(s.items) == 0 {
			continue
		}
		empty = false
		b.WriteString(fmt.Sprintf("\n%s (%d)\n", s.title.In(d.Lang), len(s.items)))
		if err := writeTable(&b, d.headers(), cleanRows(d.rows(s.items))); err != nil {
			return err
		}
	}
	if empty {
		b.WriteString("\n" + d.Lang.Pick("没有待办事项。", "Nothing is due.") + "\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// Markdown writes the working list as Markdown.
func (d *Due) Markdown(w io.Writer) error {
	var b strings.Builder
	b.WriteString("# " + mdEscaper.Replace(d.title()) + "\n")
	if d.NoTerm {
		b.WriteString("\n" + d.noTermNote() + "\n")
	}
	empty := true
	for _, s := range d.sections() {
		if len(s.items) == 0 {
			continue
		}
		empty = false
		b.WriteString(fmt.Sprintf("\n## %s (%d)\n\n", s.title.In(d.Lang), len(s.items)))
		mdTable(&b, d.headers(), d.rows(s.items))
	}
	if empty {
		b.WriteString("\n" + d.Lang.Pick("没有待办事项。", "Nothing is due.") + "\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// JSON returns the working list as a JSON-ready value.
func (d *Due) JSON() any {
	type item struct {
		Child   string `json:"child"`
		Name    string `json:"name"`
		Class   string `json:"class"`
		Staff   string `json:"staff,omitempty"`
		Pairing string `json:"pairing,omitempty"`
		Reason  string `json:"reason"`
	}
	out := map[string]any{"month": d.Result.Month.String(), "as_of": d.AsOf.String(), "in_term": !d.NoTerm}
	for _, s := range d.sections() {
		items := []item{}
		for _, it := range s.items {
			items = append(items, item{it.Child, it.Name, it.Class, it.Staff, it.Pairing, it.Reason.In(d.Lang)})
		}
		out[s.key] = items
	}
	return out
}
