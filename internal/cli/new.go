package cli

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"runtime"
	"strings"
	"time"
	"unicode"

	"github.com/spf13/cobra"

	"github.com/care-tool/care/internal/diag"
	"github.com/care-tool/care/internal/fsutil"
	"github.com/care-tool/care/internal/i18n"
	"github.com/care-tool/care/internal/record"
	"github.com/care-tool/care/internal/render"
	"github.com/care-tool/care/internal/scaffold"
	"github.com/care-tool/care/internal/store"
	"github.com/care-tool/care/internal/validate"
)

const newExitStatus = `Exit status:
  0  the record was created (with --edit: and is valid after editing)
  1  with --edit: the edited record is invalid; it is kept and its errors are shown
  2  usage or runtime error (unknown child, staff or class, a date in the
     future, a child id that is taken); nothing is written, except that with
     --edit an editor that fails or cannot be started leaves the new file`

func (app *App) newNewCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "new",
		Short: "Create a child's file, a pairing or a talk log from flags",
		Long: `Create a new record from flags: care fills in what it knows, leaves the
other fields blank with a note in Chinese and English on what goes there,
picks the file name and folder by the conventions, and never overwrites a
file (a second talk log on the same day gets -2, then -3, ...).

References are checked before anything is written: an unknown child, staff
member or class is refused with the near matches. Dates default to today and
may not be in the future. The new file is written atomically; its path is
printed on standard output.

--edit opens the new file in $EDITOR (then $VISUAL, else vi; notepad on
Windows). When the editor closes, care validates the repository and shows
the errors of that file, if any; the file is kept either way.

` + newExitStatus,
		Example: `  care new child --id 2024031 --name 李小明 --class 3-2 --gender male --birth-date 2016-05-12
  care new pairing --child 2024031 --role teacher --mentor T01
  care new talk --child 2024031 --by T01 --date 2026-11-03 --kind home_visit
  care new talk --child 2024031 --by T01 --edit`,
		Args: cobra.ArbitraryArgs,
		// Flags meant for a subcommand must not hide the mistyped subcommand.
		FParseErrWhitelist: cobra.FParseErrWhitelist{UnknownFlags: true},
		RunE:               func(cmd *cobra.Command, args []string) error { return app.unknownSubcommand(cmd, args) },
	}
	cmd.AddCommand(app.newNewChildCmd(), app.newNewPairingCmd(), app.newNewTalkCmd())
	return cmd
}

// unknownSubcommand is the run function of a command that only groups
// subcommands: without arguments it shows the help, otherwise it refuses the
// unknown subcommand, suggesting the nearest one.
func (app *App) unknownSubcommand(cmd *cobra.Command, args []string) error {
	if len(args) == 0 {
		return cmd.Help()
	}
	var names []string
	for _, c := range cmd.Commands() {
		if c.IsAvailableCommand() {
			names = append(names, c.Name())
		}
	}
	l := app.lang(nil)
	list := cmd.CommandPath() + " " + strings.Join(names, "|")
	hint := l.Pick("可用："+list, "available: "+list)
	if near := validate.Near(args[0], names, 1); len(near) > 0 {
		hint = l.Pick("是不是 "+cmd.CommandPath()+" "+near[0]+"？", "did you mean "+cmd.CommandPath()+" "+near[0]+"?")
	}
	return withHint(usagef("%s", l.Pick(fmt.Sprintf("%s 没有子命令 %q", cmd.CommandPath(), args[0]),
		fmt.Sprintf("%s has no subcommand %q", cmd.CommandPath(), args[0]))), hint)
}

// roleTeacher is the pairing role whose mentor is a staff id.
const roleTeacher = "teacher"

type newChildOptions struct {
	id, name, class, gender, birthDate, idNumber, since, leftType, enrolled string
	edit                                                                    bool
}

func (app *App) newNewChildCmd() *cobra.Command {
	opts := &newChildOptions{}
	cmd := &cobra.Command{
		Use:   "child --id ID --name NAME [--class CLASS] [--gender male|female --birth-date DATE | --id-number NUMBER]",
		Short: "Create a child's file (档案) with its contact card",
		Long: `Create children/<class>/<id>.yaml (children/<id>.yaml without --class) for
a new child. The file has every field of the child's file and contact card:
what the flags give is filled in, the rest is left blank with a note.

A child's gender and birth date are required: give --gender and --birth-date,
or --id-number (the 18-character resident id number, whose check character
is verified and from which the birth date and gender are taken), or --edit
to fill them in in the editor. Without them the file is written as a draft
whose blanks care validate reports until they are filled in. --since (the day the child was identified as
left-behind) defaults to today. --enrolled DATE adds an "enrolled" event;
without it the enrolment list is left empty, to be filled in.

Child ids must be unique; an id that is taken is refused with the file that
has it. --class must be a class of care.yaml.

` + newExitStatus,
		Example: `  care new child --id 2024031 --name 李小明 --class 3-2 --gender male --birth-date 2016-05-12
  care new child --id 2024031 --name 李小明 --class 3-2 --id-number 429004201605120017 --enrolled 2022-09-01
  care new child --id 2024032 --name 王小红 --edit`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error { return app.runNewChild(opts) },
	}
	f := cmd.Flags()
	f.StringVar(&opts.id, "id", "", "the child's `ID` (学籍号 or school number); also the file name")
	f.StringVar(&opts.name, "name", "", "the child's `NAME`")
	f.StringVar(&opts.class, "class", "", "`CLASS` id from care.yaml; the file goes to children/CLASS/")
	f.StringVar(&opts.gender, "gender", "", "male or female (男 or 女)")
	f.StringVar(&opts.birthDate, "birth-date", "", "birth date `YYYY-MM-DD`")
	f.StringVar(&opts.idNumber, "id-number", "", "18-character resident id `NUMBER`; gives the birth date and gender")
	f.StringVar(&opts.since, "since", "", "date `YYYY-MM-DD` the child was identified as left-behind (default: today)")
	f.StringVar(&opts.leftType, "type", "", "both_parents or one_parent (parents working away)")
	f.StringVar(&opts.enrolled, "enrolled", "", "add an enrolled event on `YYYY-MM-DD`")
	f.BoolVar(&opts.edit, "edit", false, "open the new file in $EDITOR, then validate it")
	app.completeFlag(cmd, "class", app.classIDs)
	completeFixed(cmd, "gender", "male\t男", "female\t女")
	completeFixed(cmd, "type", "both_parents\t父母都外出", "one_parent\t一方外出")
	return cmd
}

type newPairingOptions struct {
	child, role, mentor, start string
	focus                      []string
	edit                       bool
}

func (app *App) newNewPairingCmd() *cobra.Command {
	opts := &newPairingOptions{}
	cmd := &cobra.Command{
		Use:   "pairing --child ID --mentor MENTOR [--role ROLE] [--start DATE]",
		Short: "Create a mentoring pairing (结对帮扶)",
		Long: `Create pairings/<child>-<role>.yaml (with -2, -3, ... when taken) for a new
mentoring pairing of a child with a mentor.

--role is teacher (帮扶教师, the default), proxy_parent (代理家长), peer
(学习帮手) or volunteer (爱心爸爸妈妈). A teacher mentor is a staff id of
care.yaml; other mentors are written by name. --start defaults to today.
--focus takes study, life and mind (comma-separated or repeated).

` + newExitStatus,
		Example: `  care new pairing --child 2024031 --role teacher --mentor T01
  care new pairing --child 2024031 --role peer --mentor 王小虎 --focus study
  care new pairing --child 2024031 --mentor T02 --start 2026-09-05 --edit`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error { return app.runNewPairing(opts) },
	}
	f := cmd.Flags()
	f.StringVar(&opts.child, "child", "", "the child's `ID`")
	f.StringVar(&opts.role, "role", roleTeacher, "teacher, proxy_parent, peer or volunteer")
	f.StringVar(&opts.mentor, "mentor", "", "staff id for a teacher, otherwise the mentor's `NAME`")
	f.StringVar(&opts.start, "start", "", "start date `YYYY-MM-DD` (default: today)")
	f.StringSliceVar(&opts.focus, "focus", nil, "study, life and/or mind")
	f.BoolVar(&opts.edit, "edit", false, "open the new file in $EDITOR, then validate it")
	app.completeFlag(cmd, "child", app.childIDs)
	app.completeFlag(cmd, "mentor", app.staffIDs)
	completeFixed(cmd, "role", "teacher\t帮扶教师", "proxy_parent\t代理家长", "peer\t学习帮手", "volunteer\t爱心爸爸妈妈")
	completeFixed(cmd, "focus", "study\t学习", "life\t生活", "mind\t心理")
	return cmd
}

type newTalkOptions struct {
	child, by, date, kind string
	edit                  bool
}

func (app *App) newNewTalkCmd() *cobra.Command {
	opts := &newTalkOptions{}
	cmd := &cobra.Command{
		Use:   "talk --child ID --by STAFF [--date DATE] [--kind KIND]",
		Short: "Create a talk log (谈心记录), home visit or parent contact",
		Long: `Create talks/<yyyy-mm>/<yyyy-mm-dd>-<child>.yaml for a talk with a child,
a home visit or a contact with the parents working away. A second record of
the same child on the same day gets -2, then -3, ...

--by is the staff id of who talked; --date defaults to today and may not be
in the future; --kind is talk (谈心, the default), home_visit (家访) or
parent_contact (与在外父母联系反馈).

` + newExitStatus,
		Example: `  care new talk --child 2024031 --by T01
  care new talk --child 2024031 --by T01 --date 2026-11-03 --kind home_visit
  care new talk --child 2024031 --by T01 --kind parent_contact --edit`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error { return app.runNewTalk(opts) },
	}
	f := cmd.Flags()
	f.StringVar(&opts.child, "child", "", "the child's `ID`")
	f.StringVar(&opts.by, "by", "", "staff `ID` of who talked, visited or called")
	f.StringVar(&opts.date, "date", "", "date `YYYY-MM-DD` (default: today)")
	f.StringVar(&opts.kind, "kind", record.TalkTalk, "talk, home_visit or parent_contact")
	f.BoolVar(&opts.edit, "edit", false, "open the new file in $EDITOR, then validate it")
	app.completeFlag(cmd, "child", app.childIDs)
	app.completeFlag(cmd, "by", app.staffIDs)
	completeFixed(cmd, "kind", "talk\t谈心", "home_visit\t家访", "parent_contact\t与在外父母联系反馈")
	return cmd
}

// completeFixed completes flag with fixed values ("value\tdescription").
func completeFixed(cmd *cobra.Command, flag string, values ...string) {
	_ = cmd.RegisterFlagCompletionFunc(flag, cobra.FixedCompletions(values, cobra.ShellCompDirectiveNoFileComp))
}

// completeFlag completes flag with the ids list returns for the records
// repository care runs in ("id\tname"); nothing outside a repository.
func (app *App) completeFlag(cmd *cobra.Command, flag string, list func(*store.Loaded) []string) {
	_ = cmd.RegisterFlagCompletionFunc(flag, func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		root, err := app.root()
		if err != nil {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		l, err := store.LoadDir(root)
		if err != nil {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		return list(l), cobra.ShellCompDirectiveNoFileComp
	})
}

func withName(id, name string) string {
	if name == "" {
		return id
	}
	return id + "\t" + name
}

func (app *App) childIDs(l *store.Loaded) []string {
	var out []string
	for _, c := range l.Dataset.Children {
		out = append(out, withName(c.ID, c.Name))
	}
	return out
}

func (app *App) staffIDs(l *store.Loaded) []string {
	var out []string
	if cfg := l.Dataset.Config; cfg != nil {
		for _, s := range cfg.Staff {
			out = append(out, withName(s.ID, s.Name))
		}
	}
	return out
}

func (app *App) classIDs(l *store.Loaded) []string {
	var out []string
	if cfg := l.Dataset.Config; cfg != nil {
		for _, c := range cfg.Classes {
			out = append(out, withName(c.ID, c.Name))
		}
	}
	return out
}

// newContext is what every care new command needs: the repository, its
// records (for references) and today.
type newContext struct {
	root   string
	loaded *store.Loaded
	cfg    *record.Config
	lang   i18n.Lang
	today  record.Date
	// draft lists the required fields the flags did not give; the record is
	// then written as a draft for the user to complete (care validate
	// reports it until then).
	draft []string
}

func (app *App) loadForNew() (*newContext, error) {
	root, err := app.root()
	if err != nil {
		return nil, err
	}
	today, err := app.today()
	if err != nil {
		return nil, err
	}
	l, err := store.LoadDir(root)
	if err != nil {
		return nil, err
	}
	cfg := l.Dataset.Config
	lang := app.lang(cfg)
	if cfg == nil {
		return nil, withHint(errors.New(lang.Pick("无法读取 care.yaml", "care.yaml cannot be read")),
			lang.Pick("运行 care validate 查看问题", "run care validate to see what is wrong"))
	}
	return &newContext{root: root, loaded: l, cfg: cfg, lang: lang, today: today}, nil
}

// pick returns zh or en in the context's language.
func (nc *newContext) pick(zh, en string) string { return nc.lang.Pick(zh, en) }

// date parses a date flag; empty means today. Dates in the future are refused.
func (nc *newContext) date(flag, v string) (record.Date, error) {
	if strings.TrimSpace(v) == "" {
		return nc.today, nil
	}
	v = strings.TrimSpace(v)
	d, err := record.ParseDate(v)
	if err != nil {
		return 0, nc.badDate(flag, v)
	}
	if d > nc.today {
		return 0, withHint(usagef("%s", nc.pick(
			fmt.Sprintf("--%s %s 在今天（%s）之后", flag, d, nc.today),
			fmt.Sprintf("--%s %s is in the future (today is %s)", flag, d, nc.today))),
			nc.pick("记录只能写已经发生的事；检查年份和月份", "records describe what has happened; check the year and month"))
	}
	return d, nil
}

// badDate explains why v, given to --flag, is not a date, suggesting the
// date written YYYY-MM-DD when v is one written otherwise (2026/11/3,
// 2026.11.03, 2016-5-1).
func (nc *newContext) badDate(flag, v string) error {
	fields := strings.FieldsFunc(v, func(r rune) bool { return strings.ContainsRune("-/.年月日 ", r) })
	var hint string
	if len(fields) == 3 && len(fields[0]) == 4 && len(fields[1]) <= 2 && len(fields[2]) <= 2 {
		y, m, d := atoi(fields[0]), atoi(fields[1]), atoi(fields[2])
		if y > 0 && m >= 1 && m <= 12 && d >= 1 && d <= record.DaysIn(y, time.Month(m)) {
			if s := record.NewDate(y, time.Month(m), d).String(); s != v {
				hint = nc.pick("是不是 "+s+"？", "did you mean "+s+"?")
			}
		}
	}
	var err error
	if len(v) == 10 && v[4] == '-' && v[7] == '-' && atoi(v[0:4]) >= 0 && atoi(v[5:7]) >= 0 && atoi(v[8:10]) >= 0 {
		err = usagef("%s", nc.pick(fmt.Sprintf("--%s 的值 %q 不是真实的日期", flag, v),
			fmt.Sprintf("--%s %q is not a real calendar date", flag, v)))
		if hint == "" {
			hint = nc.pick("检查月份（1–12）和这个月的天数", "check the month (1-12) and the days of that month")
		}
	} else {
		err = usagef("%s", nc.pick(fmt.Sprintf("--%s 的值 %q 不是 YYYY-MM-DD 格式的日期", flag, v),
			fmt.Sprintf("--%s %q is not a date written YYYY-MM-DD", flag, v)))
		if hint == "" {
			hint = nc.pick("日期写成 YYYY-MM-DD，如 2026-11-03", "write dates YYYY-MM-DD, e.g. 2026-11-03")
		}
	}
	return withHint(err, hint)
}

// atoi returns the number that s, made only of ASCII digits, is, or -1.
func atoi(s string) int {
	if s == "" || len(s) > 9 {
		return -1
	}
	n := 0
	for _, r := range s {
		if r < '0' || r > '9' {
			return -1
		}
		n = n*10 + int(r-'0')
	}
	return n
}

// choice checks an enum flag value, accepting Chinese aliases.
func (nc *newContext) choice(flag, v string, allowed []string, aliases map[string]string) (string, error) {
	v = strings.TrimSpace(v)
	if a, ok := aliases[v]; ok {
		return a, nil
	}
	for _, a := range allowed {
		if v == a {
			return v, nil
		}
	}
	list := strings.Join(allowed, ", ")
	hint := nc.pick("可选值："+list, "allowed values: "+list)
	if near := validate.Near(v, allowed, 1); len(near) > 0 {
		hint = nc.pick(fmt.Sprintf("是不是 %s？可选值：%s", near[0], list), fmt.Sprintf("did you mean %s? allowed values: %s", near[0], list))
	}
	return "", withHint(usagef("%s", nc.pick(fmt.Sprintf("--%s 的值 %q 不在允许的范围内", flag, v),
		fmt.Sprintf("--%s %q is not allowed", flag, v))), hint)
}

// required reports the flags that are missing.
func (nc *newContext) required(cmd string, flags ...[2]string) error {
	var missing []string
	for _, f := range flags {
		if strings.TrimSpace(f[1]) == "" {
			missing = append(missing, "--"+f[0])
		}
	}
	if len(missing) == 0 {
		return nil
	}
	return withHint(usagef("%s", nc.pick("缺少 "+strings.Join(missing, "、"), "missing "+strings.Join(missing, ", "))),
		nc.pick("用法见 care new "+cmd+" --help", "see care new "+cmd+" --help"))
}

// entity is a known id with its name, for near-match hints.
type entity struct{ id, name string }

// unknown builds the error for a reference that does not resolve, naming the
// near matches: ids that look like a typo of v and entities whose name is v.
func (nc *newContext) unknown(msg string, v string, known []entity, none string) error {
	var ids []string
	byID := map[string]string{}
	for _, e := range known {
		ids = append(ids, e.id)
		byID[e.id] = e.name
	}
	near := validate.Near(v, ids, 5)
	for _, e := range known {
		if e.name != "" && (e.name == v || strings.Contains(e.name, v) && len([]rune(v)) >= 2) && !hasString(near, e.id) {
			near = append(near, e.id)
		}
	}
	show := func(id string) string {
		if n := byID[id]; n != "" {
			return nc.pick(id+"（"+n+"）", id+" ("+n+")")
		}
		return id
	}
	var hint string
	switch {
	case len(near) > 0:
		parts := make([]string, len(near))
		for i, id := range near {
			parts[i] = show(id)
		}
		hint = nc.pick("相近的有："+strings.Join(parts, "、"), "near matches: "+strings.Join(parts, ", "))
	case len(known) == 0:
		hint = none
	default:
		parts := []string{}
		for i, e := range known {
			if i == 8 {
				parts = append(parts, "…")
				break
			}
			parts = append(parts, show(e.id))
		}
		hint = nc.pick("已有："+strings.Join(parts, "、"), "known: "+strings.Join(parts, ", "))
	}
	return withHint(usagef("%s", msg), hint)
}

func hasString(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

func (nc *newContext) child(id string) (*record.Child, error) {
	id = strings.TrimSpace(id)
	if c := nc.loaded.Dataset.Child(id); c != nil {
		return c, nil
	}
	var known []entity
	for _, c := range nc.loaded.Dataset.Children {
		known = append(known, entity{c.ID, c.Name})
	}
	return nil, nc.unknown(nc.pick(fmt.Sprintf("找不到儿童 %q 的档案", id), fmt.Sprintf("no child with id %q", id)), id, known,
		nc.pick("还没有儿童档案；先用 care new child 建立", "there are no children yet; create one with care new child"))
}

func (nc *newContext) staff(flag, id string) error {
	id = strings.TrimSpace(id)
	var known []entity
	for _, s := range nc.cfg.Staff {
		if s.ID == id {
			return nil
		}
		known = append(known, entity{s.ID, s.Name})
	}
	return nc.unknown(nc.pick(fmt.Sprintf("--%s %q 不在 care.yaml 的 staff 名单中", flag, id), fmt.Sprintf("--%s %q is not in the staff list of care.yaml", flag, id)), id, known,
		nc.pick("先在 care.yaml 的 staff 中添加教职工", "add the staff member to staff in care.yaml first"))
}

func (nc *newContext) class(id string) error {
	var known []entity
	for _, c := range nc.cfg.Classes {
		if c.ID == id {
			return nil
		}
		known = append(known, entity{c.ID, c.Name})
	}
	return nc.unknown(nc.pick(fmt.Sprintf("班级 %q 不在 care.yaml 的 classes 中", id), fmt.Sprintf("class %q is not among the classes in care.yaml", id)), id, known,
		nc.pick("先在 care.yaml 的 classes 中添加班级", "add the class to classes in care.yaml first"))
}

// recordBase returns the file name of the slash path p without its .yaml or
// .yml extension.
func recordBase(p string) string {
	b := path.Base(p)
	if strings.HasSuffix(b, ".yaml") {
		return strings.TrimSuffix(b, ".yaml")
	}
	return strings.TrimSuffix(b, ".yml")
}

// fileSegment reports whether s can be used as one file or folder name on
// every system staff use: not hidden, no characters Windows refuses, not a
// name Windows reserves (CON, NUL, COM1, ...), not ending in a dot or with
// .yaml (which would give children/x.yaml.yaml).
func fileSegment(s string) bool {
	if s == "" || s == "." || s == ".." || strings.HasPrefix(s, ".") || strings.HasPrefix(s, "-") || strings.HasSuffix(s, ".") {
		return false
	}
	lower := strings.ToLower(s)
	if strings.HasSuffix(lower, ".yaml") || strings.HasSuffix(lower, ".yml") {
		return false
	}
	stem, _, _ := strings.Cut(lower, ".")
	switch stem {
	case "con", "prn", "aux", "nul", "conin$", "conout$":
		return false
	}
	if len(stem) == 4 && (strings.HasPrefix(stem, "com") || strings.HasPrefix(stem, "lpt")) && stem[3] >= '0' && stem[3] <= '9' {
		return false
	}
	for _, r := range s {
		if unicode.IsSpace(r) || unicode.IsControl(r) || strings.ContainsRune(`/\:*?"<>|`, r) {
			return false
		}
	}
	return true
}

var genderAliases = map[string]string{"男": "male", "女": "female", "m": "male", "f": "female", "M": "male", "F": "female"}

func (app *App) runNewChild(opts *newChildOptions) error {
	nc, err := app.loadForNew()
	if err != nil {
		return err
	}
	if err := nc.required("child", [2]string{"id", opts.id}, [2]string{"name", opts.name}); err != nil {
		return err
	}
	c := scaffold.Child{ID: strings.TrimSpace(opts.id), Name: strings.TrimSpace(opts.name), Created: nc.today}
	if !fileSegment(c.ID) {
		return withHint(usagef("%s", nc.pick(fmt.Sprintf("--id %q 不能用作文件名", c.ID), fmt.Sprintf("--id %q cannot be a file name", c.ID))),
			nc.pick("编号只用字母、数字和 -，如 2024031", "use letters, digits and - only, e.g. 2024031"))
	}
	taken := ""
	if old := nc.loaded.Dataset.Child(c.ID); old != nil {
		taken = old.File.Path
	} else {
		// A child's file that cannot be read (a syntax error) still holds the
		// id of its name: a second file would be a duplicate once it is fixed.
		for _, f := range nc.loaded.Files {
			if f.Kind == record.KindChild && recordBase(f.Path) == c.ID {
				taken = f.Path
				break
			}
		}
	}
	if taken != "" {
		return withHint(usagef("%s", nc.pick(fmt.Sprintf("儿童编号 %s 已有档案：%s", c.ID, taken), fmt.Sprintf("child id %s is taken: %s", c.ID, taken))),
			nc.pick("每个孩子只建一份档案；要修改就直接编辑那个文件", "keep one file per child; edit that file to change it"))
	}
	if c.Class = strings.TrimSpace(opts.class); c.Class != "" {
		if err := nc.class(c.Class); err != nil {
			return err
		}
	}
	if opts.gender != "" {
		if c.Gender, err = nc.choice("gender", opts.gender, []string{"male", "female"}, genderAliases); err != nil {
			return err
		}
	}
	if opts.birthDate != "" {
		if c.BirthDate, err = nc.date("birth-date", opts.birthDate); err != nil {
			return err
		}
	}
	if v := strings.ToUpper(strings.TrimSpace(opts.idNumber)); v != "" {
		problem, birth := validate.IDNumberProblem(v, c.BirthDate, c.Gender)
		switch problem {
		case validate.IDOK:
		case validate.IDDateMismatch:
			return usagef("%s", nc.pick(fmt.Sprintf("身份证号中的出生日期是 %s，与 --birth-date %s 不一致", birth, c.BirthDate),
				fmt.Sprintf("the id number gives birth date %s, not --birth-date %s", birth, c.BirthDate)))
		case validate.IDGenderMismatch:
			return usagef("%s", nc.pick("身份证号的第 17 位与 --gender 不一致（奇数为男，偶数为女）",
				"digit 17 of the id number disagrees with --gender (odd is male, even is female)"))
		default:
			return withHint(usagef("%s", nc.pick("--id-number 不是有效的 18 位身份证号（GB 11643）", "--id-number is not a valid 18-character resident id number (GB 11643)")),
				nc.pick("核对每一位数字和最后的校验位", "check every digit and the final check character"))
		}
		c.IDNumber, c.BirthDate = v, birth
		if c.Gender == "" {
			c.Gender = "female"
			if (v[16]-'0')%2 == 1 {
				c.Gender = "male"
			}
		}
	}
	if !opts.edit {
		if c.Gender == "" {
			nc.draft = append(nc.draft, "gender")
		}
		if c.BirthDate == 0 {
			nc.draft = append(nc.draft, "birth_date")
		}
	}
	if c.Since, err = nc.date("since", opts.since); err != nil {
		return err
	}
	if opts.leftType != "" {
		if c.Type, err = nc.choice("type", opts.leftType, []string{"both_parents", "one_parent"},
			map[string]string{"父母都外出": "both_parents", "双亲": "both_parents", "一方外出": "one_parent", "单亲": "one_parent"}); err != nil {
			return err
		}
	}
	if opts.enrolled != "" {
		if c.Enrolled, err = nc.date("enrolled", opts.enrolled); err != nil {
			return err
		}
	}
	data, err := scaffold.ChildYAML(c)
	if err != nil {
		return err
	}
	dir := "children"
	if c.Class != "" && fileSegment(c.Class) {
		dir += "/" + c.Class
	}
	return app.writeRecord(nc, record.KindChild, dir+"/"+c.ID, false, data, opts.edit)
}

func (app *App) runNewPairing(opts *newPairingOptions) error {
	nc, err := app.loadForNew()
	if err != nil {
		return err
	}
	if err := nc.required("pairing", [2]string{"child", opts.child}, [2]string{"mentor", opts.mentor}); err != nil {
		return err
	}
	child, err := nc.child(opts.child)
	if err != nil {
		return err
	}
	p := scaffold.Pairing{Child: child.ID, Mentor: strings.TrimSpace(opts.mentor), Created: nc.today}
	if p.Role, err = nc.choice("role", opts.role, []string{roleTeacher, "proxy_parent", "peer", "volunteer"},
		map[string]string{"帮扶教师": roleTeacher, "教师": roleTeacher, "代理家长": "proxy_parent", "学习帮手": "peer", "爱心爸爸妈妈": "volunteer", "志愿者": "volunteer"}); err != nil {
		return err
	}
	if p.Role == roleTeacher {
		if err := nc.staff("mentor", p.Mentor); err != nil {
			return err
		}
	}
	if p.Start, err = nc.date("start", opts.start); err != nil {
		return err
	}
	for _, f := range opts.focus {
		v, err := nc.choice("focus", f, []string{"study", "life", "mind"}, map[string]string{"学习": "study", "生活": "life", "心理": "mind"})
		if err != nil {
			return err
		}
		if !hasString(p.Focus, v) {
			p.Focus = append(p.Focus, v)
		}
	}
	data, err := scaffold.PairingYAML(p)
	if err != nil {
		return err
	}
	return app.writeRecord(nc, record.KindPairing, "pairings/"+p.Child+"-"+p.Role, true, data, opts.edit)
}

func (app *App) runNewTalk(opts *newTalkOptions) error {
	nc, err := app.loadForNew()
	if err != nil {
		return err
	}
	if err := nc.required("talk", [2]string{"child", opts.child}, [2]string{"by", opts.by}); err != nil {
		return err
	}
	child, err := nc.child(opts.child)
	if err != nil {
		return err
	}
	t := scaffold.Talk{Child: child.ID, By: strings.TrimSpace(opts.by), Created: nc.today}
	if err := nc.staff("by", t.By); err != nil {
		return err
	}
	if t.Kind, err = nc.choice("kind", opts.kind, []string{record.TalkTalk, record.TalkHomeVisit, record.TalkParentContact},
		map[string]string{"谈心": record.TalkTalk, "家访": record.TalkHomeVisit, "联系": record.TalkParentContact, "家长联系": record.TalkParentContact, "联系反馈": record.TalkParentContact, "与在外父母联系反馈": record.TalkParentContact}); err != nil {
		return err
	}
	if t.Date, err = nc.date("date", opts.date); err != nil {
		return err
	}
	// Under talk_by: head_teacher only the class head teacher's talks count;
	// say so now rather than at the end of the term.
	if t.Kind == record.TalkTalk && nc.cfg.Rules.TalkBy != "any_staff" {
		if cl, ok := nc.cfg.Class(child.Class); ok && child.Class != "" && cl.HeadTeacher != "" && cl.HeadTeacher != t.By {
			fmt.Fprintf(app.IO.ErrOut, "care: %s\n", nc.pick(
				fmt.Sprintf("注意：%s 的班主任是 %s；按 care.yaml 的 rules.talk_by: head_teacher，这次谈心不计入谈心覆盖率", child.ID, cl.HeadTeacher),
				fmt.Sprintf("note: the head teacher of %s is %s; under rules.talk_by: head_teacher in care.yaml this talk does not count for talks coverage", child.ID, cl.HeadTeacher)))
		}
	}
	data, err := scaffold.TalkYAML(t)
	if err != nil {
		return err
	}
	month := record.MonthOf(t.Date).String()
	return app.writeRecord(nc, record.KindTalk, "talks/"+month+"/"+t.Date.String()+"-"+t.Child, true, data, opts.edit)
}

// writeRecord writes data to base.yaml below the root (base-2.yaml, ... when
// numbered and taken), never overwriting a file. Unless edit is set, the
// record is validated with the rest of the repository first and nothing is
// written if it is invalid; with edit, the editor is opened and the record is
// validated after it closes.
func (app *App) writeRecord(nc *newContext, kind record.Kind, base string, numbered bool, data []byte, edit bool) error {
	var rel string
	for n := 1; ; n++ {
		rel = base + ".yaml"
		if n > 1 {
			if !numbered {
				return withHint(usagef("%s", nc.pick(base+".yaml 已经存在", base+".yaml exists")),
					nc.pick("care new 从不覆盖已有的文件", "care new never overwrites a file"))
			}
			rel = fmt.Sprintf("%s-%d.yaml", base, n)
		}
		if recordExists(nc.root, rel) || recordExists(nc.root, strings.TrimSuffix(rel, ".yaml")+".yml") {
			continue
		}
		if !edit && len(nc.draft) == 0 {
			if ds := nc.errorsOf(rel, kind, data); len(ds) > 0 {
				// A bug in care or a clash with the records: say what is wrong, write nothing.
				if err := render.DiagText(app.IO.ErrOut, ds, render.DiagOptions{Lang: nc.lang}); err != nil {
					return err
				}
				return errors.New(nc.pick("新记录无效，没有写入", "the new record would be invalid; nothing was written"))
			}
		}
		full := filepath.Join(nc.root, filepath.FromSlash(rel))
		err := fsutil.CreateNew(full, data, 0o644)
		if errors.Is(err, fsutil.ErrExists) {
			continue // created by someone else meanwhile
		}
		if err != nil {
			return pathError(nc.lang, filepath.ToSlash(displayPath(full)), full, err)
		}
		break
	}
	full := filepath.Join(nc.root, filepath.FromSlash(rel))
	shown := displayPath(full)
	fmt.Fprintln(app.IO.Out, shown)
	if !edit && len(nc.draft) > 0 {
		list := strings.Join(nc.draft, ", ")
		fmt.Fprintf(app.IO.ErrOut, "care: %s\n", nc.pick("已创建草稿；必填字段 "+list+" 还空着，补填之前 care validate 会报错",
			"created a draft: the required fields "+list+" are still blank, and care validate reports them until they are filled in"))
		return nil
	}
	if !edit {
		fmt.Fprintf(app.IO.ErrOut, "care: %s\n", nc.pick("已创建；空着的字段请补填，然后运行 care validate",
			"created; fill in the empty fields, then run care validate"))
		return nil
	}
	if err := app.runEditor(full, nc.lang); err != nil {
		kept := nc.pick("文件已保留："+shown, "the file is kept: "+shown)
		var he *hintError
		if errors.As(err, &he) {
			return withHint(he.err, he.hint+nc.pick("；", "; ")+kept)
		}
		return withHint(err, kept)
	}
	if _, err := os.Stat(full); err != nil {
		fmt.Fprintf(app.IO.ErrOut, "care: %s\n", nc.pick("文件已在编辑器中删除", "the file was deleted in the editor"))
		return nil
	}
	_, all, err := app.check(nc.root, false)
	if err != nil {
		return err
	}
	var mine []diag.Diagnostic
	for _, d := range all {
		if d.File == rel {
			mine = append(mine, d)
		}
	}
	if err := render.DiagText(app.IO.Out, mine, render.DiagOptions{Lang: nc.lang, Color: app.IO.ColorEnabled()}); err != nil {
		return err
	}
	if errs, _ := diag.Count(mine); errs > 0 {
		fmt.Fprintf(app.IO.ErrOut, "care: %s\n", nc.pick(
			fmt.Sprintf("%s 有 %d 个错误；文件已保留，改正后运行 care validate", shown, errs),
			fmt.Sprintf("%s has %d %s; the file is kept: correct it, then run care validate", shown, errs, map[bool]string{true: "error", false: "errors"}[errs == 1])))
		return &exitError{ExitFindings}
	}
	fmt.Fprintf(app.IO.ErrOut, "care: %s\n", nc.pick(shown+" 没有发现问题", shown+" is valid"))
	return nil
}

// errorsOf validates the record data at slash path rel together with the
// records already loaded, and returns the errors in that record.
func (nc *newContext) errorsOf(rel string, kind record.Kind, data []byte) []diag.Diagnostic {
	f, ds := record.Parse(rel, kind, data)
	files := append(append([]*record.File(nil), nc.loaded.Files...), f)
	set := store.Decode(files)
	opt := validate.Options{Today: nc.today}
	ds = append(ds, validate.CheckFile(f, opt)...)
	ds = append(ds, validate.CheckSet(files, set, opt)...)
	var out []diag.Diagnostic
	for _, d := range ds {
		if d.File == rel && d.Severity == diag.Error {
			out = append(out, d)
		}
	}
	diag.Sort(out)
	return out
}

func recordExists(root, rel string) bool {
	_, err := os.Lstat(filepath.Join(root, filepath.FromSlash(rel)))
	return err == nil
}

// displayPath returns full relative to the current folder when it is below
// it, so that the printed path can be passed to other commands as it is.
func displayPath(full string) string {
	wd, err := os.Getwd()
	if err != nil {
		return full
	}
	rel, err := filepath.Rel(wd, full)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return full
	}
	return rel
}

// editorCommand returns the user's editor, split into words like a shell
// would for the simple cases ("code --wait", "'/opt/My Editor/ed' -w").
func (app *App) editorCommand() ([]string, error) {
	for _, name := range []string{"EDITOR", "VISUAL"} {
		if v := strings.TrimSpace(app.Getenv(name)); v != "" {
			words, err := splitWords(v)
			if err != nil {
				return nil, fmt.Errorf("$%s: %w", name, err)
			}
			if len(words) > 0 {
				return words, nil
			}
		}
	}
	if runtime.GOOS == "windows" {
		return []string{"notepad"}, nil
	}
	return []string{"vi"}, nil
}

// splitWords splits s into words at unquoted white space, removing single
// and double quotes; a backslash escapes the next character outside single
// quotes (except on Windows, where it is a path separator).
func splitWords(s string) ([]string, error) {
	var words []string
	var cur strings.Builder
	inWord := false
	var quote rune
	escape := runtime.GOOS != "windows"
	rs := []rune(s)
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		switch {
		case quote == '\'':
			if r == '\'' {
				quote = 0
			} else {
				cur.WriteRune(r)
			}
		case quote == '"':
			if r == '"' {
				quote = 0
			} else if r == '\\' && escape && i+1 < len(rs) && strings.ContainsRune(`"\$`+"`", rs[i+1]) {
				i++
				cur.WriteRune(rs[i])
			} else {
				cur.WriteRune(r)
			}
		case r == '\'' || r == '"':
			quote = r
			inWord = true
		case r == '\\' && escape && i+1 < len(rs):
			i++
			cur.WriteRune(rs[i])
			inWord = true
		case unicode.IsSpace(r):
			if inWord {
				words = append(words, cur.String())
				cur.Reset()
				inWord = false
			}
		default:
			cur.WriteRune(r)
			inWord = true
		}
	}
	if quote != 0 {
		return nil, fmt.Errorf("unterminated %c quote", quote)
	}
	if inWord {
		words = append(words, cur.String())
	}
	return words, nil
}

func editorHint(l i18n.Lang) string {
	return l.Pick("把环境变量 EDITOR 设为已安装的编辑器，如 export EDITOR=nano 或 EDITOR=\"code --wait\"",
		"set EDITOR to an installed editor, e.g. export EDITOR=nano or EDITOR=\"code --wait\"")
}

// runEditor opens file in the user's editor and waits for it to close.
func (app *App) runEditor(file string, l i18n.Lang) error {
	words, err := app.editorCommand()
	if err != nil {
		return withHint(err, editorHint(l))
	}
	cmd := exec.Command(words[0], append(words[1:], file)...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = app.IO.In, app.IO.Out, app.IO.ErrOut
	if err := cmd.Run(); err != nil {
		name := path.Base(filepath.ToSlash(words[0]))
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			if code := ee.ExitCode(); code >= 0 {
				return errors.New(l.Pick(fmt.Sprintf("编辑器 %s 退出，状态为 %d", name, code), fmt.Sprintf("the editor %s exited with status %d", name, code)))
			}
			return errors.New(l.Pick(fmt.Sprintf("编辑器 %s 异常结束（%s）", name, ee), fmt.Sprintf("the editor %s ended abnormally (%s)", name, ee)))
		}
		why := unwrapPath(err).Error()
		if errors.Is(err, exec.ErrNotFound) {
			why = l.Pick("找不到这个程序", "no such program")
		}
		return withHint(errors.New(l.Pick(fmt.Sprintf("无法启动编辑器 %q：%s", words[0], why), fmt.Sprintf("cannot start the editor %q: %s", words[0], why))), editorHint(l))
	}
	return nil
}
