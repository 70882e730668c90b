package cli

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/care-tool/care/internal/fsutil"
	"github.com/care-tool/care/internal/i18n"
	"github.com/care-tool/care/internal/roster"
	"github.com/care-tool/care/internal/store"
)

// rosterMaxInput bounds the size of a spreadsheet to import; a roster of a
// few thousand children is a few megabytes.
const rosterMaxInput = 64 << 20

type importOptions struct {
	file   string
	sheet  string
	dryRun bool
	update bool
}

func (app *App) newImportCmd() *cobra.Command {
	opts := &importOptions{}
	cmd := &cobra.Command{
		Use:   "import FILE",
		Short: "Create (or update) children's files from a roster spreadsheet (.xlsx or .csv)",
		Long: `Read a roster spreadsheet (花名册) and create one child file per row under
children/. The sheet may be .xlsx or .csv; a csv file may be UTF-8, UTF-8
with a byte-order mark, GBK/GB18030 or UTF-16 (detected and converted).

The header row (a title row above it is allowed) may use the columns of care
export roster in any order, their English names, or common variants: 联系电话
or 手机号 for the guardian's phone, 出生年月, 身份证号码, 班级名称, 学籍号 … A
sheet may also have 监护人住址, 父亲务工单位 and 母亲务工单位. Other columns are
ignored (care says which). Values are mapped to the record's: 男/女, 是/否,
双亲外出/单亲外出, 父亲/母亲, 祖父 (爷爷, 外公, 姥爷 …) → grandfather, 祖母 (奶奶,
外婆, 姥姥 …) → grandmother, 叔叔/姑姑/舅舅 … → relative; dates written
2016-05-12, 2016/5/12, 2016.5.12, 2016年5月12日, 20160512 or stored as Excel
dates; classes written 3-2, 三年级二班 or 3(2)班. A blank birth date or gender
is taken from the id number.

在校状态 and 入学日期 become enrolment events: 在读 with 入学日期 gives one
enrolled event; 辍学（2026-10-15起） adds a dropped_out event on that day;
未入学 gives none. 留守起始日期 is left_behind.since.

Everything is checked first, exactly as care validate would check the new
files with the rest of the repository, and nothing is written if any row is
invalid: care lists each bad row with its row number, column and reason.
care never overwrites a child's file: a row for a child who already has one
is a conflict, unless --update is given; then the file is edited in place,
keeping its comments, its key order and every field the sheet does not have
(a blank cell never erases anything). Enrolment history is only ever added
to. Each file is written atomically (an interrupted import leaves no partial
file), and if a write fails the files already written are put back.

A row with no 学号 gets one: the next number after the largest all-digit id
among the repository's children and the sheet's rows, as wide as that id
(2024031 → 2024032); with no all-digit id at all, <this year>001. A row
without 学号 whose id number belongs to an existing child is that child. The
summary lists every assigned id with its row, to copy back into the sheet.

Of a workbook, the first visible worksheet with a roster header is read, or
the one --sheet names; care says which other worksheets have a roster
header (one sheet per class, say), to import each with --sheet.

A progress bar is shown on standard error when it is a terminal.

Exit status:
  0  imported (or, with --dry-run, would import) every row
  1  invalid rows or conflicts: nothing was written
  2  usage or runtime error (unreadable file, no header row found, …)`,
		Example: `  care import 花名册.xlsx --dry-run
  care import 花名册.xlsx
  care import roster.csv --update`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.file = args[0]
			return app.runImport(opts)
		},
	}
	cmd.Flags().BoolVar(&opts.dryRun, "dry-run", false, "check everything and say what would change, but write nothing")
	cmd.Flags().StringVar(&opts.sheet, "sheet", "", "the worksheet to read, by name (default: the first visible one with a roster header)")
	cmd.Flags().BoolVar(&opts.update, "update", false, "update the files of children who already have one (otherwise such rows are conflicts)")
	return cmd
}

// rosterError turns a roster.Error into an error in the user's language.
func rosterError(l i18n.Lang, name string, err error) error {
	var re *roster.Error
	if errors.As(err, &re) {
		e := fmt.Errorf("%s: %s", name, re.Msg.In(l))
		if h := re.Hint.In(l); h != "" {
			return withHint(e, h)
		}
		return e
	}
	return fmt.Errorf("%s: %w", name, err)
}

func (app *App) runImport(opts *importOptions) error {
	l := app.lang(nil)
	name := opts.file
	full := name
	if !filepath.IsAbs(full) {
		wd, err := app.workDir()
		if err != nil {
			return err
		}
		full = filepath.Join(wd, full)
	}
	st, err := os.Stat(full)
	if err != nil {
		return fmt.Errorf("%s: %w", name, unwrapPath(err))
	}
	if st.IsDir() {
		return usagef("%s: %s", name, l.Pick("是文件夹，不是表格文件", "is a folder, not a spreadsheet"))
	}
	if st.Size() > rosterMaxInput {
		return fmt.Errorf("%s: %s", name, l.Pick("文件太大，不像一份花名册", "the file is too large to be a roster"))
	}
	data, err := os.ReadFile(full)
	if err != nil {
		return fmt.Errorf("%s: %w", name, unwrapPath(err))
	}
	root, err := app.root()
	if err != nil {
		return err
	}
	loaded, err := store.LoadDir(root)
	if err != nil {
		return err
	}
	cfg := loaded.Dataset.Config
	l = app.lang(cfg)
	if cfg == nil {
		return withHint(errors.New(l.Pick("读不出 care.yaml", "care.yaml cannot be read")), l.Pick("先运行 care validate 改正 care.yaml", "run care validate and fix care.yaml first"))
	}
	today, err := app.today()
	if err != nil {
		return err
	}
	tables, err := roster.ReadTables(name, data)
	if err != nil {
		return rosterError(l, name, err)
	}
	if opts.sheet != "" {
		var names []string
		var picked []*roster.Table
		for _, t := range tables {
			names = append(names, t.Sheet)
			if t.Sheet == opts.sheet {
				picked = append(picked, t)
			}
		}
		if len(picked) == 0 {
			return withHint(usagef("--sheet %s: %s", opts.sheet, l.Pick("工作簿中没有这个工作表", "the workbook has no such worksheet")),
				l.Pick("工作表：", "worksheets: ")+strings.Join(names, l.Pick("、", ", ")))
		}
		tables = picked
	}
	sheet, err := roster.FindSheet(tables, cfg)
	if err != nil {
		return rosterError(l, name, err)
	}
	errOut := app.IO.ErrOut
	if len(sheet.Ignored) > 0 {
		fmt.Fprintln(errOut, i18n.Tf("care: 这些列不认识，没有读取：%s", "care: these columns are not known and were not read: %s",
			strings.Join(sheet.Ignored, l.Pick("、", ", "))).In(l))
	}
	if len(sheet.Others) > 0 {
		fmt.Fprintln(errOut, i18n.Tf("care: 注意：工作簿中还有别的花名册工作表（%s），这次只读取了“%s”；用 --sheet 工作表名 逐个导入",
			"care: note: the workbook has other roster worksheets (%s); only %q was read: import each with --sheet NAME",
			strings.Join(sheet.Others, l.Pick("、", ", ")), sheet.Table.Sheet).In(l))
	}
	if len(sheet.Unnamed) > 0 {
		fmt.Fprintln(errOut, i18n.Tf("care: 这些列有内容但没有表头，没有读取：第 %s 列", "care: these columns hold data but have no header and were not read: column %s",
			strings.Join(sheet.Unnamed, l.Pick("、", ", "))).In(l))
	}
	if len(sheet.Entries) == 0 {
		return withHint(fmt.Errorf("%s: %s", name, l.Pick("表头下面没有数据行", "there are no rows below the header")),
			l.Pick("检查是否选对了文件", "check that this is the right file"))
	}
	var bar *rosterProgress
	if app.IO.IsStderrTTY() {
		bar = &rosterProgress{w: errOut, label: l.Pick("检查", "checking"), last: -1}
	}
	plan := roster.Build(sheet, roster.Options{
		Config: cfg, Files: loaded.Files, Today: today, Update: opts.update,
		Read: func(p string) ([]byte, error) { return store.ReadFile(root, p) },
		Progress: func(done, total int) {
			if bar != nil {
				bar.update(done, total)
			}
		},
	})
	bar.clear()
	out := app.IO.Out
	if len(plan.Problems) > 0 {
		bad, conflicts := map[int]bool{}, 0
		for _, p := range plan.Problems {
			writeRosterProblem(out, l, p)
			if p.Conflict {
				conflicts++
			} else if p.Line > 0 {
				bad[p.Line] = true
			}
		}
		var msg string
		switch {
		case len(bad) > 0 && conflicts > 0:
			msg = i18n.Tf("%d 行有问题，%d 行与已有档案冲突；没有写入任何文件", "%d rows are invalid and %d conflict with existing files; nothing was written", len(bad), conflicts).In(l)
		case conflicts > 0:
			msg = i18n.Tf("%d 行与已有档案冲突；没有写入任何文件", "%d rows conflict with existing files; nothing was written", conflicts).In(l)
		case len(bad) > 0:
			msg = i18n.Tf("%d 行有问题；没有写入任何文件", "%d rows are invalid; nothing was written", len(bad)).In(l)
		default:
			msg = l.Pick("表格有问题；没有写入任何文件", "the sheet has problems; nothing was written")
		}
		fmt.Fprintf(errOut, "care: %s%s\n", l.Pick("错误：", "error: "), msg)
		if conflicts > 0 && !opts.update {
			fmt.Fprintf(errOut, "care: %s%s\n", l.Pick("提示：", "hint: "), l.Pick("要用表格更新已有档案，加上 --update", "to update existing files from the sheet, add --update"))
		}
		return &exitError{ExitFindings}
	}
	if !opts.dryRun {
		if err := app.writeRosterPlan(root, plan, bar != nil, l); err != nil {
			return err
		}
	}
	writeRosterSummary(out, l, plan, opts.dryRun)
	return nil
}

// writeRosterPlan writes the planned files: new ones with CreateNew (which
// never replaces a file), updated ones with WriteAtomic. If a write fails,
// the files written so far are removed or put back as they were.
func (app *App) writeRosterPlan(root string, plan *roster.Plan, progress bool, l i18n.Lang) error {
	var bar *rosterProgress
	if progress {
		bar = &rosterProgress{w: app.IO.ErrOut, label: l.Pick("写入", "writing"), last: -1}
	}
	var created []string
	var updated []roster.Change
	undo := func() {
		for _, p := range created {
			os.Remove(p)
		}
		for _, c := range updated {
			fsutil.WriteAtomic(filepath.Join(root, filepath.FromSlash(c.Path)), c.Old, 0o644)
		}
	}
	for i, c := range plan.Changes {
		bar.update(i, len(plan.Changes))
		full := filepath.Join(root, filepath.FromSlash(c.Path))
		var err error
		switch c.Action {
		case roster.Create:
			if err = fsutil.CreateNew(full, c.Data, 0o644); err == nil {
				created = append(created, full)
			}
		case roster.Update:
			if err = fsutil.WriteAtomic(full, c.Data, 0o644); err == nil {
				updated = append(updated, c)
			}
		}
		if err != nil {
			bar.clear()
			undo()
			if errors.Is(err, fsutil.ErrExists) {
				return withHint(fmt.Errorf("%s: %s", c.Path, l.Pick("文件在导入过程中被别人创建了；已撤销本次导入", "the file appeared while importing; the import was undone")),
					l.Pick("重新运行 care import", "run care import again"))
			}
			return fmt.Errorf("%s: %w (%s)", c.Path, unwrapPath(err), l.Pick("已撤销本次导入", "the import was undone"))
		}
	}
	bar.update(len(plan.Changes), len(plan.Changes))
	bar.clear()
	return nil
}

func writeRosterProblem(w io.Writer, l i18n.Lang, p roster.Problem) {
	var where string
	switch {
	case p.Line == 0 && l == i18n.En:
		where = "sheet"
	case p.Line == 0:
		where = "表格"
	case l == i18n.En:
		where = fmt.Sprintf("row %d", p.Line)
	default:
		where = fmt.Sprintf("第 %d 行", p.Line)
	}
	if p.Column != "" && p.Line > 0 {
		where += l.Pick("，“"+p.Column+"”", ", "+p.Column)
	}
	fmt.Fprintf(w, "%s%s%s\n", where, l.Pick("：", ": "), p.Msg.In(l))
	if h := p.Hint.In(l); h != "" {
		fmt.Fprintf(w, "    %s%s\n", l.Pick("提示：", "hint: "), h)
	}
}

func writeRosterSummary(w io.Writer, l i18n.Lang, plan *roster.Plan, dryRun bool) {
	verbs := map[roster.Action][2]string{
		roster.Create: {"新建", "create"},
		roster.Update: {"更新", "update"},
	}
	if !dryRun {
		verbs = map[roster.Action][2]string{roster.Create: {"新建", "created"}, roster.Update: {"更新", "updated"}}
	}
	var assigned []roster.Change
	incomplete := 0
	for _, c := range plan.Changes {
		if v, ok := verbs[c.Action]; ok {
			fmt.Fprintf(w, "%s %s%s\n", l.Pick(v[0], v[1]), c.Path, i18n.Tf("（第 %d 行，%s）", " (row %d, %s)", c.Line, c.Name).In(l))
			if len(c.Incomplete) > 0 {
				incomplete++
			}
		}
		if c.Assigned || c.MatchedBy != "" {
			assigned = append(assigned, c)
		}
	}
	if len(assigned) > 0 {
		fmt.Fprintln(w, l.Pick("没有学号的行（请把学号填回表格）：", "rows without an id (copy the ids back into the sheet):"))
		for _, c := range assigned {
			how := l.Pick("care 分配", "assigned by care")
			switch c.MatchedBy {
			case "id_number":
				how = l.Pick("按身份证号找到的已有儿童", "an existing child, found by id number")
			case "name_birth":
				how = l.Pick("按姓名和出生日期找到的已有儿童", "an existing child, found by name and birth date")
			}
			fmt.Fprintf(w, "  %s\t%s\t%s\t%s\n", i18n.Tf("第 %d 行", "row %d", c.Line).In(l), c.Name, c.ID, how)
		}
	}
	counts := i18n.Tf("新建 %d 份，更新 %d 份，不变 %d 份档案", "%d created, %d updated, %d unchanged",
		plan.Count(roster.Create), plan.Count(roster.Update), plan.Count(roster.Unchanged)).In(l)
	if dryRun {
		counts = i18n.Tf("试运行：将新建 %d 份，更新 %d 份，不变 %d 份档案；没有写入任何文件", "dry run: %d to create, %d to update, %d unchanged; nothing was written",
			plan.Count(roster.Create), plan.Count(roster.Update), plan.Count(roster.Unchanged)).In(l)
	}
	fmt.Fprintln(w, counts)
	if incomplete > 0 {
		fmt.Fprintln(w, i18n.Tf("其中 %d 份档案还不完整（影响建档率）；care report 会列出缺少的项目", "files not complete yet (they count against the filing rate): %d; care report lists what is missing", incomplete).In(l))
	}
}

// rosterProgress is a one-line progress bar on standard error. It is a few
// lines, not a dependency: all an import needs is "done of total".
type rosterProgress struct {
	w     io.Writer
	label string
	last  int
}

func (p *rosterProgress) update(done, total int) {
	if p == nil || total <= 0 {
		return
	}
	pct := done * 100 / total
	if pct == p.last {
		return
	}
	p.last = pct
	const width = 30
	n := done * width / total
	fmt.Fprintf(p.w, "\r%s [%s%s] %d/%d", p.label, strings.Repeat("#", n), strings.Repeat(".", width-n), done, total)
}

func (p *rosterProgress) clear() {
	if p == nil || p.last < 0 {
		return
	}
	fmt.Fprint(p.w, "\r\x1b[K")
}
