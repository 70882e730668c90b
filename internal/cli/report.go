package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/care-tool/care/internal/diag"
	"github.com/care-tool/care/internal/fsutil"
	"github.com/care-tool/care/internal/gitrepo"
	"github.com/care-tool/care/internal/i18n"
	"github.com/care-tool/care/internal/indicator"
	"github.com/care-tool/care/internal/record"
	"github.com/care-tool/care/internal/render"
	"github.com/care-tool/care/internal/store"
)

type reportOptions struct {
	term   string
	asOf   string
	class  string
	format string
	output string
	check  bool
	// formatSet says whether --format was given; when it was not, the -o
	// file name's extension picks the format.
	formatSet bool
}

// reportFormats lists the formats care report writes.
var reportFormats = []string{"table", "markdown", "csv", "json", "html"}

func (app *App) newReportCmd() *cobra.Command {
	opts := &reportOptions{}
	cmd := &cobra.Command{
		Use:   "report",
		Short: "Print the term-end report: every indicator, by class, and who keeps each target below 100%",
		Long: `Compute the programme's seven indicators for one term as of one day —
建档率 filing, 入学率 enrolment, 巩固率 retention, 谈心覆盖率 monthly talks,
家长联系反馈率 parent contact, 重点帮扶结对率 priority mentoring and
学习帮手覆盖率 peer study helpers — each as numerator/denominator against its
target, then each class side by side, a roster summary, and for every unmet
target the children (and months) that keep it below, with the reason.

The term defaults to the one containing today (in the holidays, the latest
term that has started); the day defaults to today. The definitions are in
docs/indicators.md. The report runs on valid data only: when validation finds
errors they are printed and no report is made. Phone numbers, id numbers and
addresses never appear in a report.

Formats: table (default, for a terminal), markdown, csv (UTF-8 with a BOM, for
Excel), json (the shape documented in docs/indicators.md) and html (one
self-contained page with charts, for printing). -o FILE writes a file
instead, the format following its extension (.txt, .md, .csv, .json, .html)
unless --format is given; a folder, care.yaml, a record or any other file
that is not a report is never overwritten. Names are printed as text in
every format: control characters are replaced, and a CSV cell starting with
= + - or @ gets a leading ' so that a spreadsheet does not run it.

Exit status:
  0  the report was written (with --check: and every target is met)
  1  the records are invalid, or --check and a target is not met
  2  usage or runtime error (unknown term, --as-of in the future or before the term)`,
		Example: `  care report
  care report --as-of 2026-11-30 --format markdown
  care report --term 2026-autumn --class 3-2
  care report --format json > report.json
  care report --format html -o report.html
  care report --check   # in CI: fail when a target is not met`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.formatSet = cmd.Flags().Changed("format")
			return app.runReport(cmd.Context(), opts)
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.term, "term", "", "term `ID` from care.yaml (default: the term containing today)")
	f.StringVar(&opts.asOf, "as-of", "", "report as of `YYYY-MM-DD` (default: today)")
	f.StringVar(&opts.class, "class", "", "only the children of class `ID`")
	f.StringVar(&opts.format, "format", "table", "output format: "+strings.Join(reportFormats, ", "))
	f.StringVarP(&opts.output, "output", "o", "", "write to `FILE` instead of standard output (.txt, .md, .csv, .json or .html picks the format)")
	f.BoolVar(&opts.check, "check", false, "exit 1 when any target is not met")
	return cmd
}

// loadValid loads the repository at root, validates it, and prints the
// diagnostics and returns an exit error when it is invalid; warnings are
// printed to stderr and do not stop anything.
func (app *App) loadValid(root string) (*store.Loaded, error) {
	l, ds, err := app.check(root, false)
	if err != nil {
		return nil, err
	}
	errs, _ := diag.Count(ds)
	lang := app.lang(l.Dataset.Config)
	ro := render.DiagOptions{Lang: lang, Files: len(l.Files)}
	if errs > 0 {
		_ = render.DiagText(app.IO.ErrOut, ds, ro)
		fmt.Fprintln(app.IO.ErrOut, render.DiagSummary(ds, ro))
		fmt.Fprintln(app.IO.ErrOut, lang.Pick("care: 记录有错误，先改正再生成报告（care validate 可以单独检查）",
			"care: the records have errors; fix them first (care validate checks them on their own)"))
		return nil, &exitError{ExitFindings}
	}
	return l, nil
}

// reportWindow picks the term and the as-of day from the flags.
func (app *App) reportWindow(cfg *record.Config, termID, asOf string) (record.Term, record.Date, error) {
	lang := app.lang(cfg)
	today, err := app.today()
	if err != nil {
		return record.Term{}, 0, err
	}
	var term record.Term
	if termID != "" {
		t, ok := cfg.Term(termID)
		if !ok {
			var ids []string
			for _, t := range cfg.Terms {
				ids = append(ids, t.ID)
			}
			return record.Term{}, 0, withHint(usagef("%s", lang.Pick(fmt.Sprintf("care.yaml 中没有学期 %q", termID), fmt.Sprintf("no term %q in care.yaml", termID))),
				lang.Pick("已有的学期：", "terms: ")+strings.Join(ids, ", "))
		}
		term = t
	}
	day := today
	if asOf != "" {
		d, err := record.ParseDate(asOf)
		if err != nil {
			return record.Term{}, 0, usagef("--as-of: %w", err)
		}
		if d > today {
			return record.Term{}, 0, usagef("%s", lang.Pick(fmt.Sprintf("--as-of %s 在今天（%s）之后", d, today), fmt.Sprintf("--as-of %s is in the future (today is %s)", d, today)))
		}
		day = d
	}
	if termID == "" {
		t, ok := indicator.DefaultTerm(cfg, day)
		if !ok {
			return record.Term{}, 0, withHint(usagef("%s", lang.Pick(fmt.Sprintf("%s 时还没有任何学期开始", day), fmt.Sprintf("no term has started by %s", day))),
				lang.Pick("检查 care.yaml 的 terms，或用 --term 选择学期", "check terms in care.yaml or choose one with --term"))
		}
		term = t
	}
	if day < term.Start {
		return record.Term{}, 0, usagef("%s", lang.Pick(fmt.Sprintf("--as-of %s 早于学期 %s 的开始日期 %s", day, term.ID, term.Start),
			fmt.Sprintf("--as-of %s is before the start of term %s (%s)", day, term.ID, term.Start)))
	}
	return term, day, nil
}

// revision says which commit the data came from.
func revision(ctx context.Context, root string) (rev string, dirty, noGit bool) {
	repo, err := gitrepo.Open(ctx, root)
	if err != nil {
		return "", false, true
	}
	head, ok, err := repo.Head(ctx)
	if err != nil {
		return "", false, true
	}
	d, err := repo.Dirty(ctx)
	if err != nil {
		d = false
	}
	if !ok {
		return "", d, false
	}
	return head.ID, d, false
}

// reportExts maps the extension of a report file to its format.
var reportExts = map[string]string{
	".txt": "table", ".text": "table",
	".md": "markdown", ".markdown": "markdown",
	".csv":  "csv",
	".json": "json",
	".html": "html", ".htm": "html",
}

// reportOutput checks the -o name and returns the file to write (relative
// names are taken from the folder of -C, as for export) and the format: the
// extension picks it when --format is not given and must agree with it
// when it is. A folder, a YAML file (care.yaml, a record) and an existing
// file that is not a report are refused, so that a slip of the keyboard
// cannot overwrite the records; an existing report is replaced, as cp
// would. A missing folder is created when the file is written.
func (app *App) reportOutput(name, format string, formatSet bool, l i18n.Lang) (string, string, error) {
	if name == "" || name == "-" {
		return "", format, nil
	}
	ext := strings.ToLower(filepath.Ext(name))
	if want, ok := reportExts[ext]; ok {
		if !formatSet {
			format = want
		} else if want != format {
			return "", "", withHint(usagef("-o %s: %s", name, i18n.Tf("文件名以 %s 结尾，但 --format 是 %s", "the name ends in %s but --format is %s", ext, format).In(l)),
				l.Pick("去掉 --format，或换一个与格式相符的文件名", "leave out --format, or give the file a name that matches the format"))
		}
	}
	if ext == ".yaml" || ext == ".yml" {
		return "", "", withHint(usagef("-o %s: %s", name, l.Pick("报告不能写成 YAML 文件（那是记录文件的格式）", "a report is not written to a YAML file (that is what the records are)")),
			l.Pick("换一个以 .txt、.md、.csv、.json 或 .html 结尾的文件名", "choose a name ending in .txt, .md, .csv, .json or .html"))
	}
	full, err := app.outputPath(name)
	if err != nil {
		return "", "", err
	}
	st, err := os.Stat(full)
	switch {
	case err != nil:
		return full, format, nil
	case st.IsDir():
		return "", "", withHint(usagef("-o %s: %s", name, l.Pick("是文件夹", "is a folder")),
			l.Pick("给出文件名，如 -o ", "give a file name, e.g. -o ")+filepath.ToSlash(filepath.Join(name, l.Pick("报告", "report")+reportExt(format))))
	case st.Mode()&(os.ModeDevice|os.ModeNamedPipe) != 0:
		// /dev/null (care report --check -o /dev/null), /dev/stdout, a fifo
		return full, format, nil
	case !st.Mode().IsRegular():
		return "", "", usagef("-o %s: %s", name, l.Pick("不是普通文件", "is not a regular file"))
	}
	if _, ok := reportExts[ext]; ok {
		return full, format, nil
	}
	return "", "", withHint(usagef("-o %s: %s", name, l.Pick("已经存在，而且不是报告文件；care 不会覆盖它", "exists and is not a report; care does not overwrite it")),
		l.Pick("换一个以 .txt、.md、.csv、.json 或 .html 结尾的文件名", "choose a name ending in .txt, .md, .csv, .json or .html"))
}

// reportExt is the usual extension of a format's file.
func reportExt(format string) string {
	switch format {
	case "markdown":
		return ".md"
	case "csv", "json", "html":
		return "." + format
	}
	return ".txt"
}

// output returns where to write: standard output or, with -o, a file
// written atomically when done (a device such as /dev/null is written
// directly).
func (app *App) output(path string) (io.Writer, func() error) {
	if path == "" {
		return app.IO.Out, func() error { return nil }
	}
	var b strings.Builder
	return &b, func() error {
		if st, err := os.Stat(path); err == nil && st.Mode()&(os.ModeDevice|os.ModeNamedPipe) != 0 {
			f, err := os.OpenFile(path, os.O_WRONLY, 0)
			if err != nil {
				return fmt.Errorf("%s: %w", path, unwrapPath(err))
			}
			_, err = io.WriteString(f, b.String())
			if cerr := f.Close(); err == nil {
				err = cerr
			}
			if err != nil {
				return fmt.Errorf("%s: %w", path, unwrapPath(err))
			}
			return nil
		}
		if err := fsutil.WriteAtomic(path, []byte(b.String()), 0o644); err != nil {
			return fmt.Errorf("%s: %w", path, unwrapPath(err))
		}
		return nil
	}
}

func (app *App) runReport(ctx context.Context, opts *reportOptions) error {
	if !contains(reportFormats, opts.format) {
		return usagef("%s", i18n.Tf("--format 只能是 %s 之一，不能是 %q", "--format must be one of %s, not %q",
			strings.Join(reportFormats, ", "), opts.format).In(app.lang(nil)))
	}
	root, err := app.root()
	if err != nil {
		return err
	}
	// Asking git which commit the data came from, and whether the work
	// tree has changes, takes as long as loading a town's records from the
	// cache (git status looks at every file): do both at once.
	type rev struct {
		id           string
		dirty, noGit bool
	}
	revc := make(chan rev, 1)
	go func() {
		var r rev
		r.id, r.dirty, r.noGit = revision(ctx, root)
		revc <- r
	}()
	l, err := app.loadValid(root)
	if err != nil {
		return err
	}
	cfg := l.Dataset.Config
	lang := app.lang(cfg)
	outPath, format, err := app.reportOutput(opts.output, opts.format, opts.formatSet, lang)
	if err != nil {
		return err
	}
	term, day, err := app.reportWindow(cfg, opts.term, opts.asOf)
	if err != nil {
		return err
	}
	if opts.class != "" {
		if _, ok := cfg.Class(opts.class); !ok {
			var ids []string
			for _, c := range cfg.Classes {
				ids = append(ids, c.ID)
			}
			return withHint(usagef("%s", lang.Pick(fmt.Sprintf("care.yaml 中没有班级 %q", opts.class), fmt.Sprintf("no class %q in care.yaml", opts.class))),
				lang.Pick("已有的班级：", "classes: ")+strings.Join(ids, ", "))
		}
	}
	res, err := indicator.Compute(l.Dataset, indicator.Options{Term: term, AsOf: day, Class: opts.class})
	if err != nil {
		var ie *indicator.Error
		if errors.As(err, &ie) {
			return usagef("%s", ie.Msg.In(lang))
		}
		return err
	}
	r := <-revc
	rep := &render.Report{School: cfg.School, Revision: r.id, Dirty: r.dirty, NoGit: r.noGit, Class: opts.class, Result: res, Lang: lang}
	w, done := app.output(outPath)
	switch format {
	case "markdown":
		err = rep.Markdown(w)
	case "csv":
		err = rep.CSV(w)
	case "json":
		err = rep.JSON(w)
	case "html":
		err = rep.HTML(w)
	default:
		err = rep.Table(w)
	}
	if err != nil {
		return err
	}
	if err := done(); err != nil {
		return fmt.Errorf("-o %s: %w", opts.output, errors.Unwrap(err))
	}
	if opts.check {
		for _, in := range res.Indicators {
			if !in.Met {
				fmt.Fprintln(app.IO.ErrOut, lang.Pick("care: 有指标未达标（--check）", "care: a target is not met (--check)"))
				return &exitError{ExitFindings}
			}
		}
	}
	return nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
