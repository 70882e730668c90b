package cli

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/care-tool/care/internal/diag"
	"github.com/care-tool/care/internal/fsutil"
	"github.com/care-tool/care/internal/i18n"
	"github.com/care-tool/care/internal/record"
	"github.com/care-tool/care/internal/render"
	"github.com/care-tool/care/internal/roster"
)

func (app *App) newExportCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "export",
		Short: "Write the records out for other programs (the roster spreadsheet)",
		Long: `Write the records out in a form other programs read. For now there is one
thing to export: the roster spreadsheet (花名册) that schools and education
bureaus exchange, with care export roster.

Exit status:
  0  exported
  1  the repository has invalid records (nothing is exported)
  2  usage or runtime error`,
		Example: `  care export roster -o 花名册.xlsx
  care export roster --format csv -o roster.csv`,
		Args: cobra.NoArgs,
	}
	cmd.AddCommand(app.newExportRosterCmd())
	return cmd
}

type exportRosterOptions struct {
	term   string
	asOf   string
	format string
	output string
}

func (app *App) newExportRosterCmd() *cobra.Command {
	opts := &exportRosterOptions{}
	cmd := &cobra.Command{
		Use:   "roster",
		Short: "Write the roster spreadsheet (花名册) of the left-behind children",
		Long: `Write the roster (花名册) of the left-behind children the school is responsible
for on a day: left-behind on that day and not transferred out, graduated or
deceased (dropped-out, suspended and not yet enrolled children stay on it).
The day is --as-of (default: today); with --term it is at most the term's end.

One row per child, sorted by class (in care.yaml order) and id, with these
columns (English headers with --lang en):

  序号 学号 姓名 性别 出生日期 身份证号 班级 是否寄宿 家庭住址 健康状况 留守类型
  父亲姓名 父亲电话 父亲务工地址 母亲姓名 母亲电话 母亲务工地址
  监护人姓名 与儿童关系 监护人年龄 监护人职业 监护人电话 监护人健康状况
  留守起始日期 入学日期 在校状态 建档是否完整

入学日期 is the latest enrolled event; 在校状态 is 在读, 未入学, or another
status with the day it began, e.g. 辍学（2026-10-15起）. The sheet holds
everything a valid child record needs, so care import can read it back into
a repository.

xlsx (the default): a bold header row that stays in view, column widths
that fit, ids, phone and id numbers stored as text (never 4.29E+17), dates as
real dates. csv: UTF-8 with a byte-order mark, which Excel opens correctly;
Excel turns long numbers in a csv file into 4.29E+17 when it saves it again,
so prefer xlsx for a sheet people will edit.

The roster holds children's phone and id numbers in full: care says so on
standard error, writes -o files readable by their owner only, and refuses to
print the roster to a terminal. The repository must be valid: care prints
the problems (as care validate does) and exports nothing otherwise.

Exit status:
  0  the roster was written
  1  the repository has invalid records (nothing is written)
  2  usage or runtime error (unknown term, standard output is a terminal, …)`,
		Example: `  care export roster -o 花名册.xlsx
  care export roster --term 2026-autumn --format csv -o roster.csv
  care export roster --as-of 2026-11-30 --lang en > roster.xlsx`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return app.runExportRoster(opts)
		},
	}
	cmd.Flags().StringVar(&opts.term, "term", "", "the term (an id in care.yaml); the roster day is at most its end")
	cmd.Flags().StringVar(&opts.asOf, "as-of", "", "the roster's day, YYYY-MM-DD (default: today)")
	cmd.Flags().StringVar(&opts.format, "format", "", "xlsx or csv (default: from the -o file name, else xlsx)")
	cmd.Flags().StringVarP(&opts.output, "output", "o", "", "write to `FILE` instead of standard output")
	return cmd
}

func (app *App) runExportRoster(opts *exportRosterOptions) error {
	format := opts.format
	if format == "" {
		format = "xlsx"
		if strings.EqualFold(filepath.Ext(opts.output), ".csv") {
			format = "csv"
		}
	}
	if format != "xlsx" && format != "csv" {
		return usagef("--format must be xlsx or csv, not %q", opts.format)
	}
	l0 := app.lang(nil)
	if opts.output == "" && app.IO.IsStdoutTTY() {
		return withHint(errors.New(l0.Pick("花名册含有儿童的身份证号和电话号码，care 不会把它显示在终端上",
			"the roster holds children's id and phone numbers; care will not print it to a terminal")),
			l0.Pick("用 -o 花名册.xlsx 写入文件，或重定向：> 花名册.xlsx", "write it to a file with -o roster.xlsx, or redirect: > roster.xlsx"))
	}
	today, err := app.today()
	if err != nil {
		return err
	}
	day := today
	if opts.asOf != "" {
		if day, err = record.ParseDate(opts.asOf); err != nil {
			return usagef("--as-of: %w", err)
		}
	}
	root, err := app.root()
	if err != nil {
		return err
	}
	loaded, ds, err := app.check(root, false)
	if err != nil {
		return err
	}
	cfg := loaded.Dataset.Config
	lang := app.lang(cfg)
	if day > today {
		// Who is on the school's books depends on records of that day,
		// which cannot exist yet: refuse, as care report does.
		return usagef("%s", lang.Pick(fmt.Sprintf("--as-of %s 在今天（%s）之后", day, today), fmt.Sprintf("--as-of %s is in the future (today is %s)", day, today)))
	}
	out, err := app.rosterOutput(opts.output, format, lang)
	if err != nil {
		return err
	}
	if errs, _ := diag.Count(ds); errs > 0 {
		ro := render.DiagOptions{Lang: lang, Files: len(loaded.Files)}
		if err := render.DiagText(app.IO.ErrOut, ds, ro); err != nil {
			return err
		}
		fmt.Fprintf(app.IO.ErrOut, "care: %s%s\ncare: %s%s\n", lang.Pick("错误：", "error: "),
			lang.Pick(fmt.Sprintf("仓库中有 %d 个错误，没有导出花名册", errs), fmt.Sprintf("the repository has %d errors; the roster was not exported", errs)),
			lang.Pick("提示：", "hint: "), lang.Pick("改正上面的问题（care validate）后再导出", "fix the problems above (care validate), then export again"))
		return &exitError{ExitFindings}
	}
	if opts.term != "" {
		t, ok := cfg.Term(opts.term)
		if !ok {
			var ids []string
			for _, t := range cfg.Terms {
				ids = append(ids, t.ID)
			}
			return withHint(usagef("--term %s: %s", opts.term, lang.Pick("care.yaml 中没有这个学期", "no such term in care.yaml")),
				lang.Pick("已有学期：", "known terms: ")+strings.Join(ids, ", "))
		}
		if day < t.Start {
			return usagef("--as-of %s: %s %s (%s)", day, lang.Pick("早于学期开始日期", "is before the start of term"), t.ID, t.Start)
		}
		if t.End != 0 && day > t.End {
			day = t.End
		}
	}
	lines := roster.Export(loaded.Dataset, day, lang)
	var buf bytes.Buffer
	if format == "csv" {
		err = roster.WriteCSV(&buf, lang, lines)
	} else {
		err = roster.WriteXLSX(&buf, lang, lines)
	}
	if err != nil {
		return err
	}
	fmt.Fprintln(app.IO.ErrOut, lang.Pick(
		fmt.Sprintf("care: 注意：花名册含有 %d 名儿童的身份证号、电话号码等个人信息，请妥善保管，不要在群聊或公开网络中传送", len(lines)),
		fmt.Sprintf("care: note: the roster holds personal data of %d children (id and phone numbers in full); keep it safe and do not share it in group chats or in public", len(lines))))
	if opts.output == "" {
		_, err = app.IO.Out.Write(buf.Bytes())
		return err
	}
	if err := fsutil.WriteAtomic(out, buf.Bytes(), 0o600); err != nil {
		return fmt.Errorf("%s: %w", opts.output, unwrapPath(err))
	}
	fmt.Fprintln(app.IO.ErrOut, i18n.Tf("care: 已把 %d 名儿童（%s）的花名册写入 %s", "care: wrote the roster of %d children (%s) to %s",
		len(lines), day, opts.output).In(lang))
	return nil
}

// outputPath returns the file that -o NAME writes: a relative name is taken
// from the folder care runs in (-C), and a symbolic link is followed so
// that the file it leads to is replaced, not the link.
func (app *App) outputPath(name string) (string, error) {
	full := name
	if !filepath.IsAbs(full) {
		wd, err := app.workDir()
		if err != nil {
			return "", err
		}
		full = filepath.Join(wd, full)
	}
	if target, err := filepath.EvalSymlinks(full); err == nil {
		full = target
	}
	return full, nil
}

// rosterOutput checks the -o name and returns the file to write: an
// existing spreadsheet is replaced, as cp would, through a symbolic link
// too; a folder, an existing file that is not a spreadsheet (a record of the
// repository, say) and a name whose extension contradicts the format are
// refused. A missing folder is created.
func (app *App) rosterOutput(name, format string, l i18n.Lang) (string, error) {
	if name == "" {
		return "", nil
	}
	ext := strings.ToLower(filepath.Ext(name))
	if want := map[string]string{".csv": "csv", ".xlsx": "xlsx", ".xlsm": "xlsx"}[ext]; want != "" && want != format {
		return "", withHint(usagef("-o %s: %s", name, i18n.Tf("文件名以 %s 结尾，但 --format 是 %s", "the name ends in %s but --format is %s", ext, format).In(l)),
			i18n.Tf("去掉 --format，或把文件名改为以 .%s 结尾", "leave out --format, or give the file a name ending in .%s", format).In(l))
	}
	full, err := app.outputPath(name)
	if err != nil {
		return "", err
	}
	st, err := os.Stat(full)
	switch {
	case err != nil:
		return full, nil
	case st.IsDir():
		return "", withHint(usagef("-o %s: %s", name, l.Pick("是文件夹", "is a folder")),
			l.Pick("给出文件名，如 -o ", "give a file name, e.g. -o ")+filepath.ToSlash(filepath.Join(name, l.Pick("花名册", "roster")+"."+format)))
	case !st.Mode().IsRegular():
		return "", usagef("-o %s: %s", name, l.Pick("不是普通文件", "is not a regular file"))
	}
	switch ext {
	case ".xlsx", ".xlsm", ".csv", ".tsv", ".txt":
		return full, nil
	}
	return "", withHint(usagef("-o %s: %s", name, l.Pick("已经存在，而且不是表格文件；care 不会覆盖它", "exists and is not a spreadsheet; care does not overwrite it")),
		l.Pick("换一个以 .xlsx 或 .csv 结尾的文件名", "choose a name ending in .xlsx or .csv"))
}
