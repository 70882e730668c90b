package roster

import (
	"fmt"
	"math/big"
	"path"
	"sort"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/care-tool/care/internal/diag"
	"github.com/care-tool/care/internal/i18n"
	"github.com/care-tool/care/internal/indicator"
	"github.com/care-tool/care/internal/record"
	"github.com/care-tool/care/internal/store"
	"github.com/care-tool/care/internal/validate"
)

// Action is what an import does with one row's child file.
type Action int

// Actions.
const (
	Create    Action = iota // a new file
	Update                  // an existing file, edited in place (--update)
	Unchanged               // an existing file that already says what the row says
)

// Change is the outcome planned for one row.
type Change struct {
	Line       int
	ID         string
	Name       string
	Path       string // slash path of the child's file, relative to the repository root
	Action     Action
	Data       []byte   // the file's new content (Create and Update)
	Old        []byte   // the file's content before (Update)
	Assigned   bool     // the row had no 学号 and care assigned one
	MatchedBy  string   // the row had no 学号 and is an existing child found by "id_number", or by "name_birth" (name and birth date)
	Incomplete []string // fields that keep the file from being complete (indicator.Complete)
}

// Plan is everything an import would do, or every reason it cannot.
type Plan struct {
	Changes  []Change
	Problems []Problem // sorted by row; an import goes ahead only when there are none
}

// Count returns how many changes have action a.
func (p *Plan) Count(a Action) int {
	n := 0
	for _, c := range p.Changes {
		if c.Action == a {
			n++
		}
	}
	return n
}

// Options are what Build needs to know about the repository.
type Options struct {
	Config   *record.Config
	Files    []*record.File                    // the repository's record files, as loaded
	Read     func(path string) ([]byte, error) // reads a file of the repository (for --update)
	Today    record.Date
	Update   bool                  // edit the files of children that exist
	Progress func(done, total int) // called as rows are checked; may be nil
}

// Build plans an import: it gives every row its id, makes or edits the
// child's file as a yaml.Node tree, parses the result and validates it as
// care validate would (the file alone, then with the rest of the
// repository), and collects every problem of every row. It writes nothing.
func Build(s *Sheet, opt Options) *Plan {
	p := &Plan{Problems: append([]Problem(nil), s.Problems...)}
	existing := map[string]*record.File{}
	paths := map[string]bool{}
	byIDNumber := map[string]string{}
	byNameBirth := map[string]string{}
	unique := func(m map[string]string, k, id string) {
		if _, seen := m[k]; seen {
			m[k] = ""
		} else {
			m[k] = id
		}
	}
	for _, f := range opt.Files {
		paths[f.Path] = true
		if f.Kind != record.KindChild || f.Doc == nil {
			continue
		}
		c := record.DecodeChild(f)
		if c.ID == "" {
			continue
		}
		if _, dup := existing[c.ID]; !dup {
			existing[c.ID] = f
		}
		if c.IDNumber != "" {
			unique(byIDNumber, c.IDNumber, c.ID)
		}
		if c.Name != "" && c.BirthDate != 0 {
			unique(byNameBirth, c.Name+"|"+c.BirthDate.String(), c.ID)
		}
	}
	byClass := classLayout(opt.Files)

	ids := make([]string, len(s.Entries))
	matched := make([]string, len(s.Entries))
	assigned := make([]bool, len(s.Entries))
	skip := make([]bool, len(s.Entries))
	for i, e := range s.Entries {
		ids[i] = e.ID
		if e.ID != "" || e.bad[FieldID] {
			continue
		}
		// A row without 学号 for a child who has a file: the same id number,
		// or else the same name and birth date (and no other id number).
		if id := byIDNumber[e.IDNumber]; e.IDNumber != "" && id != "" {
			ids[i], matched[i] = id, "id_number"
		} else if id := byNameBirth[e.Name+"|"+e.BirthDate.String()]; e.Name != "" && e.BirthDate != 0 && id != "" {
			if n := record.Str(record.Get(existing[id].Doc, "id_number")); e.IDNumber == "" || n == "" || n == e.IDNumber {
				ids[i], matched[i] = id, "name_birth"
			}
		}
	}
	// Duplicates within the sheet.
	dups := func(f Field, key func(i int) string, msg func(v, lines string) i18n.Text) {
		rows := map[string][]int{}
		for i := range s.Entries {
			if k := key(i); k != "" {
				rows[k] = append(rows[k], i)
			}
		}
		keys := make([]string, 0, len(rows))
		for k := range rows {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			is := rows[k]
			if len(is) < 2 {
				continue
			}
			var lines []string
			for _, i := range is {
				lines = append(lines, strconv.Itoa(s.Entries[i].Line))
			}
			for _, i := range is {
				s.Entries[i].problem(s, f, msg(k, strings.Join(lines, "、")), i18n.T("每个儿童只占一行；删除重复的行或改正它", "keep one row per child; delete the repeated row or correct it"))
				skip[i] = true
			}
		}
	}
	dups(FieldID, func(i int) string { return ids[i] }, func(v, lines string) i18n.Text {
		return i18n.Tf("学号 %s 在表中出现了多次（第 %s 行）", "id %s appears more than once in the sheet (rows %s)", v, lines)
	})
	dups(FieldIDNumber, func(i int) string { return s.Entries[i].IDNumber }, func(_, lines string) i18n.Text {
		return i18n.Tf("同一个身份证号出现在多行（第 %s 行）", "the same id number is on several rows (rows %s)", lines)
	})
	// Ids for rows without one.
	next, width := nextID(existing, ids, opt.Today)
	for i, e := range s.Entries {
		if ids[i] == "" && !e.bad[FieldID] {
			ids[i], assigned[i] = padID(next.String(), width), true
			next.Add(next, big.NewInt(1))
		}
	}

	type planned struct {
		file  *record.File
		entry *Entry
		doc   *yaml.Node
	}
	var plannedFiles []planned
	missingCol := map[Field][]string{}
	total := len(s.Entries)
	for i, e := range s.Entries {
		if opt.Progress != nil {
			opt.Progress(i, total)
		}
		id := ids[i]
		if id == "" || skip[i] {
			continue
		}
		f, exists := existing[id]
		var doc *yaml.Node
		var old []byte
		var filePath string
		if exists {
			if !opt.Update {
				msg := i18n.Tf("儿童 %s 已有档案 %s", "child %s already has a file, %s", id, f.Path)
				switch matched[i] {
				case "id_number":
					msg = i18n.Tf("这一行没有学号，但身份证号与已有档案 %s（儿童 %s）相同", "the row has no id, but its id number is that of %s (child %s)", f.Path, id)
				case "name_birth":
					msg = i18n.Tf("这一行没有学号，但姓名和出生日期与已有档案 %s（儿童 %s）相同", "the row has no id, but its name and birth date are those of %s (child %s)", f.Path, id)
				}
				p.Problems = append(p.Problems, Problem{Line: e.Line, Column: s.Header(FieldID), Conflict: true, Msg: msg,
					Hint: i18n.T("加 --update 用表中的内容更新已有档案；或改正这一行的学号", "add --update to update the existing file from the sheet, or correct the row's id")})
				continue
			}
			data, err := opt.Read(f.Path)
			if err == nil {
				var d yaml.Node
				if err = yaml.Unmarshal(data, &d); err == nil && (d.Kind != yaml.DocumentNode || len(d.Content) != 1 || d.Content[0].Kind != yaml.MappingNode) {
					err = fmt.Errorf("not a mapping")
				}
				doc = &d
			}
			if err != nil {
				p.Problems = append(p.Problems, Problem{Line: e.Line, Column: s.Header(FieldID),
					Msg:  i18n.Tf("无法读取已有档案 %s：%v", "cannot read the existing file %s: %v", f.Path, err),
					Hint: i18n.T("先用 care validate 找出并改正这个文件的问题", "find and fix the file's problems with care validate first")})
				continue
			}
			old, filePath = data, f.Path
		} else {
			filePath = newPath(id, e.Class, byClass)
			if paths[filePath] {
				p.Problems = append(p.Problems, Problem{Line: e.Line, Column: s.Header(FieldID),
					Msg:  i18n.Tf("文件 %s 已经存在，但读不出儿童 %s 的档案", "%s exists but cannot be read as child %s's file", filePath, id),
					Hint: i18n.T("先用 care validate 找出并改正这个文件的问题", "find and fix the file's problems with care validate first")})
				continue
			}
			doc = &yaml.Node{Kind: yaml.DocumentNode, Content: []*yaml.Node{mapNode()}}
			required(s, e, missingCol)
		}
		ed := &editor{}
		top := doc.Content[0]
		apply(ed, top, e, s, id, !exists)
		enrolment(ed, top, e, s, !exists, opt.Today, filePath)
		data, err := encode(doc)
		if err != nil {
			e.problem(s, -1, i18n.Tf("无法生成档案：%v", "cannot write the file: %v", err), i18n.Text{})
			continue
		}
		file, diags := record.Parse(filePath, record.KindChild, data)
		if file.Doc != nil {
			diags = append(diags, validate.CheckFile(file, validate.Options{Today: opt.Today})...)
		}
		rowDiags(s, e, top, diags)
		c := Change{Line: e.Line, ID: id, Name: e.Name, Path: filePath, Assigned: assigned[i], MatchedBy: matched[i]}
		switch {
		case !exists:
			c.Action, c.Data = Create, data
		case ed.changed:
			c.Action, c.Data, c.Old = Update, data, old
		default:
			c.Action = Unchanged
		}
		if c.Name == "" && file.Doc != nil {
			c.Name = record.Str(record.Get(file.Doc, "name"))
		}
		if file.Doc != nil {
			c.Incomplete = indicator.Complete(record.DecodeChild(file))
			plannedFiles = append(plannedFiles, planned{file, e, top})
		}
		p.Changes = append(p.Changes, c)
	}
	if opt.Progress != nil {
		opt.Progress(total, total)
	}
	for _, f := range []Field{FieldName, FieldGender, FieldBirthDate, FieldSince} {
		if lines := missingCol[f]; len(lines) > 0 {
			p.Problems = append(p.Problems, Problem{Column: f.Label(),
				Msg: i18n.Tf("表中没有“%s”列，新建档案必须有它（第 %s 行）", "the sheet has no %s column, which a new child's file needs (rows %s)",
					f.Label(), shortList(lines)),
				Hint: i18n.Tf("在表中添加“%s”列", "add a %s column to the sheet", f.Label())})
		}
	}

	// Checks across records: the planned files with the rest of the repository.
	byPath := map[string]planned{}
	var files []*record.File
	for _, pf := range plannedFiles {
		byPath[pf.file.Path] = pf
	}
	for _, f := range opt.Files {
		if _, replaced := byPath[f.Path]; !replaced {
			files = append(files, f)
		}
	}
	for _, pf := range plannedFiles {
		files = append(files, pf.file)
	}
	ds := store.Decode(files)
	var setDiags []diag.Diagnostic
	for _, d := range validate.CheckSet(files, ds, validate.Options{Today: opt.Today}) {
		if _, ok := byPath[d.File]; ok {
			setDiags = append(setDiags, d)
		}
	}
	for _, d := range setDiags {
		pf := byPath[d.File]
		rowDiags(s, pf.entry, pf.doc, []diag.Diagnostic{d})
	}

	for _, e := range s.Entries {
		p.Problems = append(p.Problems, e.Problems...)
	}
	sort.SliceStable(p.Problems, func(i, j int) bool { return p.Problems[i].Line < p.Problems[j].Line })
	return p
}

func padID(s string, width int) string {
	if len(s) < width {
		return strings.Repeat("0", width-len(s)) + s
	}
	return s
}

func shortList(lines []string) string {
	if len(lines) > 10 {
		return strings.Join(lines[:10], "、") + "…"
	}
	return strings.Join(lines, "、")
}

// required checks that a row that makes a new file has what a valid child
// record needs: a name, a gender, a birth date (either may come from the id
// number) and the day the child was identified as left-behind.
func required(s *Sheet, e *Entry, missingCol map[Field][]string) {
	need := func(f Field, blank bool, msg, hint i18n.Text, alt ...Field) {
		if !blank || e.bad[f] {
			return
		}
		has := s.Has(f)
		for _, a := range alt {
			has = has || s.Has(a)
		}
		if !has {
			missingCol[f] = append(missingCol[f], strconv.Itoa(e.Line))
			if e.bad == nil {
				e.bad = map[Field]bool{}
			}
			e.bad[f] = true
			return
		}
		e.problem(s, f, msg, hint)
	}
	need(FieldName, strings.TrimSpace(e.Name) == "", i18n.T("姓名为空", "the name is blank"), i18n.T("填写儿童姓名", "fill in the child's name"))
	need(FieldGender, e.Gender == "", i18n.T("性别为空，也没有可以推算性别的身份证号", "the gender is blank and there is no id number to tell it"),
		i18n.T("填写 男 或 女", "write 男 (male) or 女 (female)"), FieldIDNumber)
	need(FieldBirthDate, e.BirthDate == 0, i18n.T("出生日期为空，也没有可以推算出生日期的身份证号", "the birth date is blank and there is no id number to tell it"),
		i18n.T("填写出生日期，如 2016-05-12", "fill in the birth date, e.g. 2016-05-12"), FieldIDNumber)
	need(FieldSince, e.Since == 0, i18n.T("留守起始日期为空：新建档案必须写明何时认定为留守儿童", "left behind since is blank: a new child's file must say when the child was identified as left-behind"),
		i18n.T("填写认定为留守儿童的日期，如 2022-03-01", "fill in the day the child was identified as left-behind, e.g. 2022-03-01"))
}

// apply writes the row's non-blank values into the child's mapping. Blank
// cells leave the file's values as they are.
func apply(ed *editor, top *yaml.Node, e *Entry, s *Sheet, id string, isNew bool) {
	set := func(key string, ok bool, val func() *yaml.Node) {
		if ok {
			ed.set(top, key, val(), childKeys, key == "id" || key == "class")
		}
	}
	set("id", isNew, func() *yaml.Node { return codeNode(id) })
	set("name", e.Name != "", func() *yaml.Node { return strNode(e.Name) })
	// A gender or birth date read from the id number fills a new file
	// only: an existing file keeps its own.
	set("gender", e.Gender != "" && (isNew || !e.derived[FieldGender]), func() *yaml.Node { return strNode(e.Gender) })
	set("birth_date", e.BirthDate != 0 && (isNew || !e.derived[FieldBirthDate]), func() *yaml.Node { return dateNode(e.BirthDate) })
	set("id_number", e.IDNumber != "", func() *yaml.Node { return codeNode(e.IDNumber) })
	set("class", e.Class != "", func() *yaml.Node { return codeNode(e.Class) })
	set("boarding", e.Boarding != nil, func() *yaml.Node { return boolNode(*e.Boarding) })
	set("address", e.Address != "", func() *yaml.Node { return strNode(e.Address) })
	set("health", e.Health != "", func() *yaml.Node { return strNode(e.Health) })
	if isNew || e.Since != 0 || e.LBType != "" {
		lb := ed.child(top, "left_behind", yaml.MappingNode, childKeys)
		if e.Since != 0 {
			ed.set(lb, "since", dateNode(e.Since), lbKeys, false)
		}
		if e.LBType != "" {
			ed.set(lb, "type", strNode(e.LBType), lbKeys, false)
		}
	}
	for _, par := range []struct {
		rel string
		p   Parent
	}{{"father", e.Father}, {"mother", e.Mother}} {
		if par.p.blank() {
			continue
		}
		seq := ed.child(top, "parents", yaml.SequenceNode, childKeys)
		var item *yaml.Node
		for _, it := range seq.Content {
			if it = record.Resolve(it); it.Kind == yaml.MappingNode && record.Str(record.Get(it, "relation")) == par.rel {
				item = it
				break
			}
		}
		if item == nil {
			item = mapNode()
			seq.Content = append(seq.Content, item)
			ed.set(item, "relation", strNode(par.rel), parentKeys, false)
		}
		setIn(ed, item, parentKeys, "name", strNode, par.p.Name)
		setIn(ed, item, parentKeys, "phone", codeNode, par.p.Phone)
		setIn(ed, item, parentKeys, "work_address", strNode, par.p.WorkAddress)
		setIn(ed, item, parentKeys, "employer", strNode, par.p.Employer)
	}
	g := e.Guardian
	if !g.blank() {
		gm := ed.child(top, "guardian", yaml.MappingNode, childKeys)
		setIn(ed, gm, guardianKeys, "name", strNode, g.Name)
		setIn(ed, gm, guardianKeys, "relation", strNode, g.Relation)
		if g.Age != nil {
			ed.set(gm, "age", intNode(*g.Age), guardianKeys, false)
		}
		setIn(ed, gm, guardianKeys, "occupation", strNode, g.Occupation)
		setIn(ed, gm, guardianKeys, "phone", codeNode, g.Phone)
		setIn(ed, gm, guardianKeys, "address", strNode, g.Address)
		setIn(ed, gm, guardianKeys, "health", strNode, g.Health)
		// The roster has no column for the guardian's address: the guardian
		// at home lives with the child, so a new file takes the family
		// address, unless the sheet has a 监护人住址 column or says the
		// file was not complete (care's own roster: the address was blank).
		if isNew && g.Address == "" && !s.Has(FieldGuardianAddress) && e.Address != "" && (e.Complete == nil || *e.Complete) {
			ed.set(gm, "address", strNode(e.Address), guardianKeys, false)
		}
	}
}

func setIn(ed *editor, m *yaml.Node, order []string, key string, mk func(string) *yaml.Node, v string) {
	if v != "" {
		ed.set(m, key, mk(v), order, false)
	}
}

type event struct {
	date   record.Date
	status string
}

// enrolment turns 入学日期 and 在校状态 into enrolment events. A new file gets
// an enrolled event on 入学日期 and, for a status such as 辍学（2026-10-15起）,
// that status on its day. An existing file only ever gains events at the end
// of its list: care never rewrites a child's enrolment history, and a row
// that disagrees with it is a problem to settle by hand.
func enrolment(ed *editor, top *yaml.Node, e *Entry, s *Sheet, isNew bool, today record.Date, filePath string) {
	status := e.Status
	if status == "" && e.EnrolDate != 0 {
		status = record.Enrolled
	}
	if isNew {
		seq := ed.child(top, "enrolment", yaml.SequenceNode, childKeys)
		defer func() {
			if len(seq.Content) == 0 {
				seq.Style = yaml.FlowStyle
			}
		}()
	}
	if status == "" {
		return
	}
	if status == "none" && e.EnrolDate != 0 {
		e.problem(s, FieldStatus, i18n.T("在校状态是“未入学”，却写了入学日期", "the status is not enrolled, yet an enrolment date is given"),
			i18n.T("改正在校状态或删去入学日期", "correct the status or remove the enrolment date"))
		return
	}
	if status == record.Enrolled && e.EnrolDate == 0 && isNew {
		e.problem(s, FieldEnrolDate, i18n.T("在读的儿童要写入学日期", "an enrolled child needs an enrolment date"),
			i18n.T("填写入学（或转入）日期，如 2022-09-01", "fill in the day the child entered (or transferred into) the school, e.g. 2022-09-01"))
		return
	}
	var want []event
	if e.EnrolDate != 0 {
		want = append(want, event{e.EnrolDate, record.Enrolled})
	}
	if status != record.Enrolled && status != "none" {
		if e.StatusDate == 0 {
			return // already reported
		}
		want = append(want, event{e.StatusDate, status})
	}
	seq := ed.child(top, "enrolment", yaml.SequenceNode, childKeys)
	var have []event
	for _, it := range seq.Content {
		it = record.Resolve(it)
		d, _ := record.ParseDate(strings.TrimSpace(record.Str(record.Get(it, "date"))))
		have = append(have, event{d, record.Str(record.Get(it, "status"))})
	}
	statusField := func(ev event) Field {
		if ev.status == record.Enrolled {
			return FieldEnrolDate
		}
		return FieldStatus
	}
	for _, w := range want {
		found := false
		for _, h := range have {
			found = found || h == w
		}
		if found {
			continue
		}
		if n := len(have); isNew && n > 0 && w.date < have[n-1].date {
			e.problem(s, FieldStatus, i18n.Text{
				Zh: fmt.Sprintf("%s的开始日期（%s）早于入学日期（%s）", showLabel(statuses, w.status, i18n.Zh), w.date, have[n-1].date),
				En: fmt.Sprintf("the %s status begins (%s) before the enrolment date (%s)", showLabel(statuses, w.status, i18n.En), w.date, have[n-1].date)},
				i18n.T("检查这两个日期", "check both dates"))
			return
		}
		if n := len(have); n > 0 && (w.date < have[n-1].date || w.status == have[n-1].status) {
			last := have[n-1]
			e.problem(s, statusField(w), i18n.Text{
				Zh: fmt.Sprintf("表中为%s（%s），与档案的学籍记录不一致（最后一条：%s，%s）", showLabel(statuses, w.status, i18n.Zh), w.date, showLabel(statuses, last.status, i18n.Zh), last.date),
				En: fmt.Sprintf("the sheet says %s on %s, which disagrees with the file's enrolment history (last event: %s on %s)", showLabel(statuses, w.status, i18n.En), w.date, showLabel(statuses, last.status, i18n.En), last.date)},
				i18n.Tf("care 不会改写学籍历史；请直接修改 %s", "care does not rewrite enrolment history; edit %s by hand", filePath))
			return
		}
		item := mapNode()
		item.Content = append(item.Content, strNode("date"), dateNode(w.date), strNode("status"), strNode(w.status))
		seq.Content = append(seq.Content, item)
		seq.Style = 0
		have = append(have, w)
		ed.changed = true
	}
	if isNew {
		return
	}
	got := ""
	for _, h := range have {
		if h.date != 0 && h.date <= today {
			got = h.status
		}
	}
	if want := strings.TrimPrefix(status, "none"); got != want {
		shown := got
		if shown == "" {
			shown = "none"
		}
		e.problem(s, FieldStatus, i18n.Text{
			Zh: fmt.Sprintf("表中的在校状态（%s）与档案中今天的状态（%s）不一致", showLabel(statuses, status, i18n.Zh), showLabel(statuses, shown, i18n.Zh)),
			En: fmt.Sprintf("the sheet's status (%s) disagrees with the file's status today (%s)", showLabel(statuses, status, i18n.En), showLabel(statuses, shown, i18n.En))},
			i18n.Tf("care 不会改写学籍历史；请直接修改 %s", "care does not rewrite enrolment history; edit %s by hand", filePath))
	}
}

// rowDiags turns validation diagnostics of a row's file into problems of
// the row, under the column the value came from. A field whose cell could
// not be read already has its problem.
func rowDiags(s *Sheet, e *Entry, top *yaml.Node, diags []diag.Diagnostic) {
	for _, d := range diags {
		if d.Severity == diag.Warning {
			continue
		}
		f := fieldOf(d.Path, top)
		if f >= 0 && e.bad[f] {
			continue
		}
		if f >= 0 && e.derived[f] && d.Check == validate.CheckIDNumber {
			f = FieldIDNumber
		}
		pr := Problem{Line: e.Line, Msg: d.Message, Hint: d.Hint}
		if d.Check == validate.CheckTransfer {
			pr.Hint = i18n.T("花名册没有“转入学校”一列：从表中删去这个孩子（学校已不再负责转出的儿童），或先按转出前的状态导入，再在档案中添加写明 school 的转出记录",
				"the roster has no column for the receiving school: leave the child out of the sheet (the school is no longer responsible for a child who transferred out), or import the status before the transfer and then add the transfer, with its school, to the file")
		}
		if f >= 0 {
			pr.Column = s.Header(f)
		} else {
			pr.Msg = i18n.Text{Zh: d.File + "：" + d.Message.Zh, En: d.File + ": " + d.Message.En}
		}
		e.Problems = append(e.Problems, pr)
	}
}

// fieldOf returns the roster column a JSON pointer into a child's file comes
// from, or -1.
func fieldOf(ptr string, top *yaml.Node) Field {
	segs := record.SplitPointer(ptr)
	if len(segs) == 0 {
		return -1
	}
	sub := func(i int) string {
		if len(segs) > i {
			return segs[i]
		}
		return ""
	}
	item := func() *yaml.Node {
		n, err := strconv.Atoi(sub(1))
		seq := record.Get(top, segs[0])
		if err != nil || seq == nil || seq.Kind != yaml.SequenceNode || n < 0 || n >= len(seq.Content) {
			return nil
		}
		return record.Resolve(seq.Content[n])
	}
	switch segs[0] {
	case "id":
		return FieldID
	case "name":
		return FieldName
	case "gender":
		return FieldGender
	case "birth_date":
		return FieldBirthDate
	case "id_number":
		return FieldIDNumber
	case "class":
		return FieldClass
	case "boarding":
		return FieldBoarding
	case "address":
		return FieldAddress
	case "health":
		return FieldHealth
	case "left_behind":
		switch sub(1) {
		case "type":
			return FieldLBType
		case "until":
			return -1
		}
		return FieldSince
	case "parents":
		it := item()
		if it == nil {
			return -1
		}
		fields := map[string][4]Field{
			"father": {FieldFatherName, FieldFatherPhone, FieldFatherWork, FieldFatherEmployer},
			"mother": {FieldMotherName, FieldMotherPhone, FieldMotherWork, FieldMotherEmployer},
		}
		fs, ok := fields[record.Str(record.Get(it, "relation"))]
		if !ok {
			return -1
		}
		switch sub(2) {
		case "phone":
			return fs[1]
		case "work_address":
			return fs[2]
		case "employer":
			return fs[3]
		}
		return fs[0]
	case "guardian":
		return map[string]Field{"": FieldGuardianName, "name": FieldGuardianName, "relation": FieldGuardianRelation, "age": FieldGuardianAge,
			"occupation": FieldGuardianOccupation, "phone": FieldGuardianPhone, "address": FieldGuardianAddress, "health": FieldGuardianHealth}[sub(1)]
	case "enrolment":
		if it := item(); it != nil && record.Str(record.Get(it, "status")) == record.Enrolled {
			return FieldEnrolDate
		}
		return FieldStatus
	}
	return -1
}

// nextID returns the first id care assigns and its width: the next number
// after the largest all-digit id among the repository's children and the
// sheet's rows, as wide as that id (leading zeros kept); with no all-digit
// id at all, <this year>001.
func nextID(existing map[string]*record.File, sheet []string, today record.Date) (*big.Int, int) {
	var max *big.Int
	width := 0
	consider := func(id string) {
		if !isDigits(id) {
			return
		}
		v, _ := new(big.Int).SetString(id, 10)
		if max == nil || v.Cmp(max) > 0 {
			max, width = v, len(id)
		}
	}
	for id := range existing {
		consider(id)
	}
	for _, id := range sheet {
		consider(id)
	}
	if max == nil {
		return big.NewInt(int64(today.Year())*1000 + 1), 7
	}
	return max.Add(max, big.NewInt(1)), width
}

// classLayout reports whether the repository keeps children in one folder per
// class (children/<class>/<id>.yaml), so that new files follow suit.
func classLayout(files []*record.File) bool {
	n := 0
	for _, f := range files {
		if f.Kind != record.KindChild || f.Doc == nil {
			continue
		}
		class := record.Str(record.Get(f.Doc, "class"))
		if class == "" {
			continue
		}
		if path.Dir(f.Path) != "children/"+class {
			return false
		}
		n++
	}
	return n > 0
}

func newPath(id, class string, byClass bool) string {
	if byClass && class != "" && idRE.MatchString(class) && !strings.Contains(class, "..") {
		return "children/" + class + "/" + id + ".yaml"
	}
	return "children/" + id + ".yaml"
}
