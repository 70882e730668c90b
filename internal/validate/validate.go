// Package validate checks a loaded repository: each file against its JSON
// Schema, then the domain rules of records.md (dates, id numbers, phones,
// folders) and the rules that span records (unique ids, references). It
// returns every problem at once as diagnostics; it never stops at the first.
package validate

import (
	"fmt"
	"path"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"gopkg.in/yaml.v3"

	"github.com/care-tool/care/internal/diag"
	"github.com/care-tool/care/internal/i18n"
	"github.com/care-tool/care/internal/pii"
	"github.com/care-tool/care/internal/record"
)

// Options tune validation.
type Options struct {
	Today   record.Date // dates after Today are errors
	ShowPII bool        // quote phone and id numbers in full in messages
}

// Run validates every file and the set as a whole, and returns all
// diagnostics (the loader's included), sorted.
func Run(files []*record.File, ds *record.Dataset, loadDiags []diag.Diagnostic, opt Options) []diag.Diagnostic {
	out := append([]diag.Diagnostic(nil), loadDiags...)
	for _, f := range files {
		out = append(out, CheckFile(f, opt)...)
	}
	out = append(out, CheckSet(files, ds, opt)...)
	diag.Sort(out)
	return out
}

// CheckFile runs the checks that need only the file itself: the schema and
// the per-record rules. Its result depends only on the file's content, its
// path, and opt.
func CheckFile(f *record.File, opt Options) []diag.Diagnostic {
	if f.Doc == nil {
		return nil
	}
	out := checkSchema(f, opt)
	c := &checker{f: f, opt: opt}
	c.dates()
	c.controlChars(f.Doc, "")
	switch f.Kind {
	case record.KindChild:
		c.child(record.DecodeChild(f))
	case record.KindPairing:
		c.pairing(record.DecodePairing(f))
	case record.KindTalk:
		c.talk(record.DecodeTalk(f))
	case record.KindConfig:
		c.config(record.DecodeConfig(f))
	}
	return append(out, c.out...)
}

// invisibleRune says whether r is a character no record text needs and
// that would garble a terminal or a report: C0 and C1 control characters
// other than the line break and tab of a block of text, DEL, the line and
// paragraph separators, and the bidirectional embedding, override and
// isolate characters (which reorder the text around them).
func invisibleRune(r rune) bool {
	return (r < 0x20 && r != '\n' && r != '\t') || r == 0x7f || (r >= 0x80 && r < 0xa0) || r == '\u2028' || r == '\u2029' ||
		(r >= '\u202a' && r <= '\u202e') || (r >= '\u2066' && r <= '\u2069')
}

// controlChars warns about text holding invisible control characters
// (written as escapes such as "\e" or "\u202e" in double quotes): they
// are almost always pasted by mistake, and care prints them as U+FFFD.
func (c *checker) controlChars(n *yaml.Node, ptr string) {
	if n == nil {
		return
	}
	switch n.Kind {
	case yaml.ScalarNode:
		if i := strings.IndexFunc(n.Value, invisibleRune); i >= 0 {
			r, _ := utf8.DecodeRuneInString(n.Value[i:])
			c.out = append(c.out, diag.Diagnostic{File: c.f.Path, Line: n.Line, Column: n.Column, Severity: diag.Warning, Check: "text", Path: ptr,
				Message: i18n.Tf("%s 含有不可见的控制字符 U+%04X", "%s holds an invisible control character, U+%04X", FieldName(ptr), r),
				Hint:    i18n.T("删除它（通常是复制粘贴带进来的）；care 在输出中把它显示为 �", "remove it (it usually comes with copy and paste); care shows it as � in its output")})
		}
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			c.controlChars(n.Content[i+1], ptr+record.Pointer(n.Content[i].Value))
		}
	case yaml.SequenceNode:
		for i, item := range n.Content {
			c.controlChars(item, ptr+"/"+strconv.Itoa(i))
		}
	}
}

type checker struct {
	f   *record.File
	opt Options
	out []diag.Diagnostic
}

func (c *checker) add(check, ptr string, msg, hint i18n.Text) {
	line, col := c.f.Position(ptr)
	c.out = append(c.out, diag.Diagnostic{File: c.f.Path, Line: line, Column: col, Check: check, Path: ptr, Message: msg, Hint: hint})
}

// datePaths lists the JSON pointers of the date fields of each kind; "*"
// stands for every item of a list.
var datePaths = map[record.Kind][]string{
	record.KindConfig:  {"/terms/*/start", "/terms/*/end"},
	record.KindChild:   {"/birth_date", "/left_behind/since", "/left_behind/until", "/enrolment/*/date"},
	record.KindPairing: {"/start", "/end", "/reviews/*/date"},
	record.KindTalk:    {"/date"},
}

// optionalDate lists the date fields that may be left blank.
var optionalDate = map[string]bool{"/left_behind/until": true, "/end": true}

// expand returns the concrete pointers and scalar nodes matching pattern.
func expand(doc *yaml.Node, pattern string) (ptrs []string, nodes []*yaml.Node) {
	var walk func(n *yaml.Node, segs []string, prefix string)
	walk = func(n *yaml.Node, segs []string, prefix string) {
		n = record.Resolve(n)
		if n == nil {
			return
		}
		if len(segs) == 0 {
			ptrs, nodes = append(ptrs, prefix), append(nodes, n)
			return
		}
		if segs[0] == "*" {
			if n.Kind == yaml.SequenceNode {
				for i, item := range n.Content {
					walk(item, segs[1:], fmt.Sprintf("%s/%d", prefix, i))
				}
			}
			return
		}
		walk(record.Get(n, segs[0]), segs[1:], prefix+"/"+segs[0])
	}
	walk(doc, record.SplitPointer(pattern), "")
	return
}

// dates checks that every date field holds a real calendar date and, for
// records, that it is not in the future.
func (c *checker) dates() {
	for _, pat := range datePaths[c.f.Kind] {
		ptrs, nodes := expand(c.f.Doc, pat)
		for i, n := range nodes {
			if n.Kind != yaml.ScalarNode || n.Tag == "!!null" || n.Tag == "!!int" || n.Tag == "!!float" || n.Tag == "!!bool" {
				continue // the schema reports wrong types
			}
			v := strings.TrimSpace(n.Value)
			name := FieldName(ptrs[i])
			if v == "" {
				if !optionalDate[pat] {
					c.add(CheckDate, ptrs[i], i18n.Tf("%s 不能为空", "%s must not be blank", name),
						i18n.T("日期写成 YYYY-MM-DD，例如 2026-09-01", "write dates as YYYY-MM-DD, e.g. 2026-09-01"))
				}
				continue
			}
			d, err := record.ParseDate(v)
			if err != nil {
				hint := i18n.T("日期写成 YYYY-MM-DD，例如 2026-09-01", "write dates as YYYY-MM-DD, e.g. 2026-09-01")
				if len(v) == 10 && v[4] == '-' && v[7] == '-' {
					hint := i18n.T("检查月份和日期（例如 2 月没有 30 日）", "check the month and day (February has no 30th, for example)")
					if m := v[5:7]; m > "12" || m == "00" {
						hint = i18n.T("月份是 01 到 12", "months go from 01 to 12")
					}
					c.add(CheckDate, ptrs[i], i18n.Tf("%s 的日期 %s 不存在", "%s: %s is not a real calendar date", name, v), hint)
				} else {
					if len(v) > 10 && (v[10] == 'T' || v[10] == 't' || v[10] == ' ') {
						if d, err := record.ParseDate(v[:10]); err == nil {
							hint = i18n.Tf("只写日期，不写时间：%s", "write the date only, without the time: %s", d)
						}
					}
					c.add(CheckDate, ptrs[i], i18n.Tf("%s 的值 %q 不是 YYYY-MM-DD 格式的日期", "%s: %q is not a date written YYYY-MM-DD", name, v), hint)
				}
				continue
			}
			if c.f.Kind != record.KindConfig && c.opt.Today != 0 && d > c.opt.Today {
				c.add(CheckFuture, ptrs[i], i18n.Tf("%s 的日期 %s 在今天（%s）之后", "%s: %s is in the future (today is %s)", name, d, c.opt.Today),
					i18n.T("记录只能写已经发生的事；检查年份和月份", "records describe what has happened; check the year and month"))
			}
		}
	}
}

func (c *checker) phone(ptr, value string) {
	if n, _, ok := record.Locate(c.f.Doc, record.SplitPointer(ptr)); !ok || n.Tag != "!!str" {
		return // missing, null or not text: a gap or the schema's to report
	}
	// spaces around the number (pasted from a spreadsheet) are no mistake
	if value = strings.TrimSpace(value); value == "" || ValidPhone(value) {
		return
	}
	shown := pii.Masker{Show: c.opt.ShowPII}.Phone(value)
	zh, en := phoneHint(value)
	c.add(CheckPhone, ptr, i18n.Tf("%s %q 不是有效的电话号码", "%s %q is not a valid phone number", FieldName(ptr), shown), i18n.T(zh, en))
}

func (c *checker) child(ch *record.Child) {
	f := c.f
	base := strings.TrimSuffix(path.Base(f.Path), path.Ext(f.Path))
	if ch.ID != "" && ch.ID != base {
		c.add(CheckID, "/id", i18n.Tf("id %q 与文件名 %s 不一致", "id %q does not match the file name %s", ch.ID, path.Base(f.Path)),
			i18n.Tf("把文件改名为 %s.yaml，或把 id 改为 %q", "rename the file to %s.yaml or change the id to %q", ch.ID, base))
	}
	// id number
	if n, _, ok := record.Locate(c.f.Doc, []string{"id_number"}); ok && n.Tag == "!!str" {
		if v := strings.TrimSpace(ch.IDNumber); v != "" {
			c.idNumber(ch, v)
		}
	}
	for i, p := range ch.Parents {
		c.phone(fmt.Sprintf("/parents/%d/phone", i), p.Phone)
	}
	if ch.Guardian != nil {
		c.phone("/guardian/phone", ch.Guardian.Phone)
	}
	// date order
	if ch.BirthDate != 0 && ch.LeftBehind.Since != 0 && ch.LeftBehind.Since <= ch.BirthDate {
		c.add(CheckDateOrder, "/left_behind/since", i18n.Tf("left_behind.since（%s）不在出生日期（%s）之后", "left_behind.since (%s) is not after birth_date (%s)", ch.LeftBehind.Since, ch.BirthDate),
			i18n.T("检查这两个日期的年份", "check the years of both dates"))
	}
	if ch.LeftBehind.Since != 0 && ch.LeftBehind.Until != 0 && ch.LeftBehind.Until < ch.LeftBehind.Since {
		c.add(CheckDateOrder, "/left_behind/until", i18n.Tf("left_behind.until（%s）早于 since（%s）", "left_behind.until (%s) is before since (%s)", ch.LeftBehind.Until, ch.LeftBehind.Since), i18n.Text{})
	}
	var prev record.Date
	for i, e := range ch.Enrolment {
		ptr := fmt.Sprintf("/enrolment/%d", i)
		if e.Date != 0 {
			if ch.BirthDate != 0 && e.Date <= ch.BirthDate {
				c.add(CheckDateOrder, ptr+"/date", i18n.Tf("入学记录日期 %s 不在出生日期（%s）之后", "enrolment date %s is not after birth_date (%s)", e.Date, ch.BirthDate),
					i18n.T("检查这两个日期的年份", "check the years of both dates"))
			}
			if prev != 0 && e.Date < prev {
				c.add(CheckDateOrder, ptr+"/date", i18n.Tf("入学记录没有按日期排列：%s 在 %s 之后", "enrolment events are not in date order: %s comes after %s", e.Date, prev),
					i18n.T("按日期从早到晚排列 enrolment 的各项", "list the enrolment events from earliest to latest"))
			}
			prev = e.Date
		}
		if e.Status == record.TransferredOut && strings.TrimSpace(e.School) == "" {
			c.add(CheckTransfer, ptr, i18n.T("转出（transferred_out）记录没有写转入学校（school）", "a transferred_out event must name the receiving school"),
				i18n.T("添加一行 school: 转入学校的名称", "add a line school: <the receiving school>"))
		}
	}
}

func (c *checker) idNumber(ch *record.Child, v string) {
	const ptr = "/id_number"
	m := pii.Masker{Show: c.opt.ShowPII}
	shown := m.IDNumber(v)
	prob, encoded := IDNumberProblem(v, ch.BirthDate, ch.Gender)
	switch prob {
	case IDLength:
		c.add(CheckIDNumber, ptr, i18n.Tf("身份证号 %q 不是 18 位（有 %d 位）", "id_number %q does not have 18 characters (it has %d)", shown, len([]rune(v))),
			i18n.T("填写 18 位的居民身份证号码；15 位的旧号码要换成 18 位", "write the 18-character resident id number; old 15-digit numbers must be converted"))
	case IDChars:
		hint := i18n.T("去掉空格和其他符号", "remove spaces and other marks")
		if hasFullWidth(v) {
			hint = i18n.T("把全角数字和 Ｘ 改成半角（输入法切换到半角）", "use half-width digits and X (switch the input method to half-width)")
		}
		c.add(CheckIDNumber, ptr, i18n.Tf("身份证号 %q 应为 17 位数字加一位数字或 X", "id_number %q must be 17 digits followed by a digit or X", shown), hint)
	case IDLowerX:
		c.add(CheckIDNumber, ptr, i18n.Tf("身份证号 %q 的校验位应写大写 X", "id_number %q must end in a capital X", shown), i18n.T("把末尾的 x 改成 X", "change the final x to X"))
	case IDCheck:
		c.add(CheckIDNumber, ptr, i18n.Tf("身份证号 %q 的校验位不对（GB 11643）", "id_number %q has a wrong check character (GB 11643)", shown),
			i18n.T("对照户口簿或身份证逐位核对，很可能有一位抄错了", "compare it digit by digit with the household register; one digit is probably mistyped"))
	case IDBadDate:
		c.add(CheckIDNumber, ptr, i18n.Tf("身份证号 %q 中的出生日期不存在", "id_number %q holds a birth date that does not exist", shown), i18n.T("核对第 7–14 位", "check characters 7–14"))
	case IDDateMismatch:
		c.add(CheckIDNumber, ptr, i18n.Tf("身份证号中的出生日期（%s）与 birth_date（%s）不一致", "the birth date in id_number (%s) disagrees with birth_date (%s)", encoded, ch.BirthDate),
			i18n.T("核对身份证号和出生日期，改正错的一个", "check both against the household register and correct the wrong one"))
	case IDGenderMismatch:
		g := map[string][2]string{"male": {"男", "male"}, "female": {"女", "female"}}[ch.Gender]
		c.add(CheckIDNumber, ptr, i18n.Text{Zh: fmt.Sprintf("身份证号第 17 位表示的性别与 gender（%s）不一致", g[0]), En: fmt.Sprintf("the 17th digit of id_number disagrees with gender (%s)", g[1])},
			i18n.T("第 17 位奇数为男、偶数为女；核对身份证号和性别", "an odd 17th digit means male, even means female; check both"))
	}
}

func (c *checker) pairing(p *record.Pairing) {
	if p.Start != 0 && p.End != 0 && p.End < p.Start {
		c.add(CheckDateOrder, "/end", i18n.Tf("结对结束日期 %s 早于开始日期 %s", "pairing end %s is before its start %s", p.End, p.Start),
			i18n.T("检查两个日期；结对尚未结束时写 end: null", "check both dates; write end: null while the pairing goes on"))
	}
	var prev record.Date
	for i, r := range p.Reviews {
		if r.Date != 0 && p.Start != 0 && r.Date < p.Start {
			c.add(CheckDateOrder, fmt.Sprintf("/reviews/%d/date", i), i18n.Tf("阶段记录日期 %s 早于结对开始日期 %s", "review date %s is before the pairing start %s", r.Date, p.Start), i18n.Text{})
		}
		if r.Date != 0 && prev != 0 && r.Date < prev {
			c.add(CheckDateOrder, fmt.Sprintf("/reviews/%d/date", i), i18n.Tf("阶段记录没有按日期排列：%s 在 %s 之后", "reviews are not in date order: %s comes after %s", r.Date, prev), i18n.Text{})
		}
		if r.Date != 0 {
			prev = r.Date
		}
	}
}

var cutoffShape = regexp.MustCompile(`^(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$`)

var monthDirRE = regexp.MustCompile(`^[0-9]{4}-[0-9]{2}$`)

func (c *checker) talk(t *record.Talk) {
	if t.Date == 0 {
		return
	}
	want := record.MonthOf(t.Date).String()
	dirs := strings.Split(path.Dir(c.f.Path), "/")
	folder := ""
	for _, d := range dirs[1:] {
		if monthDirRE.MatchString(d) {
			folder = d
		}
	}
	fixed := "talks/" + want + "/" + path.Base(c.f.Path)
	switch {
	case folder == "":
		c.add(CheckTalkMonth, "/date", i18n.Tf("谈心记录应放在它所在月份的文件夹 talks/%s/ 中", "a talk log must sit in the folder of its month, talks/%s/", want),
			i18n.Tf("移到 %s", "move it to %s", fixed))
	case folder != want:
		c.add(CheckTalkMonth, "/date", i18n.Tf("记录日期 %s 与所在文件夹 %s 的月份不一致", "date %s does not fall in the month of its folder %s", t.Date, folder),
			i18n.Tf("移到 talks/%s/，或改正日期", "move it to talks/%s/ or correct the date", want))
	}
}

func (c *checker) config(cfg *record.Config) {
	for i, t := range cfg.Terms {
		if t.Start != 0 && t.End != 0 && t.End <= t.Start {
			c.add(CheckTerm, fmt.Sprintf("/terms/%d/end", i), i18n.Tf("学期 %s 的结束日期 %s 不在开始日期 %s 之后", "term %s ends on %s, not after its start %s", t.ID, t.End, t.Start), i18n.Text{})
		}
	}
	idx := make([]int, 0, len(cfg.Terms))
	for i, t := range cfg.Terms {
		if t.Start != 0 && t.End != 0 && t.End > t.Start {
			idx = append(idx, i)
		}
	}
	sort.SliceStable(idx, func(a, b int) bool { return cfg.Terms[idx[a]].Start < cfg.Terms[idx[b]].Start })
	for k := 1; k < len(idx); k++ {
		a, b := cfg.Terms[idx[k-1]], cfg.Terms[idx[k]]
		if b.Start <= a.End {
			c.add(CheckTerm, fmt.Sprintf("/terms/%d/start", idx[k]), i18n.Tf("学期 %s 与学期 %s 的日期重叠", "term %s overlaps term %s", b.ID, a.ID),
				i18n.Tf("让 %s 在 %s 之后开始", "make %s start after %s", b.ID, a.End))
		}
	}
	if v := record.Str(record.Get(record.Get(c.f.Doc, "school_age"), "cutoff")); cutoffShape.MatchString(v) {
		// the schema reports any other shape; here: 02-30 and the like
		if _, _, ok := record.ParseCutoff(v); !ok {
			c.add(CheckDate, "/school_age/cutoff", i18n.Tf("school_age.cutoff %q 不是真实的“月-日”", "school_age.cutoff %q is not a real month-day", v),
				i18n.T("写成带引号的“月-日”，如 \"08-31\"", "write month-day in quotes, e.g. \"08-31\""))
		}
	}
	if cfg.SchoolAge.Min > cfg.SchoolAge.Max {
		c.add(CheckSchema, "/school_age/min", i18n.T("school_age.min 大于 max", "school_age.min is greater than max"), i18n.Text{})
	}
	uniq := func(list string, ids []string) {
		first := map[string]int{}
		for i, id := range ids {
			if id == "" {
				continue
			}
			if j, ok := first[id]; ok {
				c.add(CheckUnique, fmt.Sprintf("/%s/%d/id", list, i), i18n.Tf("%s 中的 id %q 重复（与第 %d 项相同）", "%s: id %q is repeated (same as item %d)", list, id, j+1),
					i18n.T("每个 id 只能出现一次", "each id may appear once"))
				continue
			}
			first[id] = i
		}
	}
	var ids []string
	for _, t := range cfg.Terms {
		ids = append(ids, t.ID)
	}
	uniq("terms", ids)
	ids = nil
	for _, s := range cfg.Staff {
		ids = append(ids, s.ID)
	}
	uniq("staff", ids)
	ids = nil
	for _, k := range cfg.Classes {
		ids = append(ids, k.ID)
	}
	uniq("classes", ids)
	staff := map[string]bool{}
	for _, s := range cfg.Staff {
		staff[s.ID] = true
	}
	for i, k := range cfg.Classes {
		if k.HeadTeacher != "" && !staff[k.HeadTeacher] {
			c.add(CheckRef, fmt.Sprintf("/classes/%d/head_teacher", i), i18n.Tf("班主任 %q 不在 staff 名单中", "head_teacher %q is not in the staff list", k.HeadTeacher),
				suggest(k.HeadTeacher, staffIDs(cfg)))
		}
	}
}

func staffIDs(cfg *record.Config) []string {
	var out []string
	for _, s := range cfg.Staff {
		if s.ID != "" {
			out = append(out, s.ID)
		}
	}
	return out
}

// suggest names the nearest existing ids as a hint.
func suggest(v string, ids []string) i18n.Text {
	if s := nearest(v, ids); s != "" {
		return i18n.Tf("是不是 %s？", "did you mean %s?", s)
	}
	if len(ids) == 0 {
		return i18n.Text{}
	}
	shown := ids
	if len(shown) > 8 {
		shown = shown[:8]
	}
	more := ""
	if len(ids) > len(shown) {
		more = ", …"
	}
	list := strings.Join(shown, ", ") + more
	return i18n.Tf("已有：%s", "known: %s", list)
}
