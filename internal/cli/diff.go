package cli

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/spf13/cobra"

	"github.com/care-tool/care/internal/cache"
	"github.com/care-tool/care/internal/diag"
	"github.com/care-tool/care/internal/diff"
	"github.com/care-tool/care/internal/gitrepo"
	"github.com/care-tool/care/internal/i18n"
	"github.com/care-tool/care/internal/record"
	"github.com/care-tool/care/internal/render"
	"github.com/care-tool/care/internal/store"
)

type diffOptions struct {
	month    string
	format   string
	exitCode bool
	showPII  bool
}

// diffFormats lists the formats care diff writes.
var diffFormats = []string{"text", "markdown", "json"}

func (app *App) newDiffCmd() *cobra.Command {
	opts := &diffOptions{}
	cmd := &cobra.Command{
		Use:   "diff [FROM [TO]]",
		Short: "Compare the records at two points of their git history: who was added, what changed, how the rates moved",
		Long: `Compare the records at two points in time, record by record rather than line
by line: children added, removed or moved to another folder (the same id in
a new file is a move), each changed field of a child with its old and new
value (guardian.phone, parents[relation=mother].work_address,
enrolment[2026-10-15].status), with enrolment status changes (dropouts,
transfers) and left-behind changes called out first; pairings started,
ended or removed; talk logs added and removed, counted by class and by
teacher; changes to care.yaml; and how each indicator moved between the two
points.

FROM and TO are git revisions (a branch, tag, commit id, HEAD~1, …) or
months written YYYY-MM. The state of a month is the last commit on the
current branch (following first parents) dated on or before the month's
last day. Records are read straight from git objects; nothing is checked
out.

  care diff                    the working tree against HEAD (uncommitted changes)
  care diff FROM               FROM against the working tree
  care diff FROM TO            FROM against TO; also written FROM..TO
  care diff --month 2026-11    the end of October against the end of November

With --month, when the previous month has no commit yet (the first month of
the history) everything counts as added. Which commits were chosen is
printed to standard error (text), in the document (markdown) or as the
fields "from" and "to" (json). A month-like name always means a month: to
name a branch called 2026-10, write refs/heads/2026-10.

Indicators are computed at each point: at a month's end as of its last day,
at a revision as of its commit date, for the working tree as of today —
each in the term containing that day (in the holidays, the term just ended)
and never past the term's end or today.

Phone numbers, id numbers and addresses are masked (138****8000,
4290**********001X, addresses cut after the village) unless --show-pii.

Exit status:
  0  no differences (or differences without --exit-code)
  1  differences, with --exit-code
  2  usage or runtime error (not a git repository, unknown revision, a month
     with no commit, a shallow clone missing the month)`,
		Example: `  care diff
  care diff --month 2026-11
  care diff 2026-10 2026-11
  care diff 2026-10..2026-11 --format markdown > changes.md
  care diff HEAD~3 HEAD --format json
  care diff --exit-code main   # in CI: exit 1 when the records differ from main`,
		Args: cobra.MaximumNArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			return app.runDiff(cmd.Context(), opts, args)
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.month, "month", "", "compare the end of the month before `YYYY-MM` with the end of YYYY-MM")
	f.StringVar(&opts.format, "format", "text", "output format: "+strings.Join(diffFormats, ", "))
	f.BoolVar(&opts.exitCode, "exit-code", false, "exit 1 when there are differences")
	f.BoolVar(&opts.showPII, "show-pii", false, "show phone and id numbers and addresses in full")
	completeFixed(cmd, "format", diffFormats...)
	return cmd
}

// historyRepo is the records repository opened for reading its history.
type historyRepo struct {
	root string        // the folder holding care.yaml
	repo *gitrepo.Repo // the git work tree holding it
	cfg  *record.Config
	lang i18n.Lang
}

// openHistory finds the records folder and the git repository around it.
func (app *App) openHistory(ctx context.Context) (*historyRepo, error) {
	root, err := app.root()
	if err != nil {
		return nil, err
	}
	cfg := readRootConfig(root)
	lang := app.lang(cfg)
	repo, err := gitrepo.Open(ctx, root)
	if err != nil {
		return nil, gitError(lang, err)
	}
	return &historyRepo{root: root, repo: repo, cfg: cfg, lang: lang}, nil
}

// readRootConfig reads care.yaml in root for its locale and names, or returns
// nil when it cannot be read.
func readRootConfig(root string) *record.Config {
	data, err := store.ReadFile(root, store.ConfigName)
	if err != nil {
		return nil
	}
	f, _ := record.Parse(store.ConfigName, record.KindConfig, data)
	if f.Doc == nil {
		return nil
	}
	return record.DecodeConfig(f)
}

// historyError is an error about git history in the user's language; it
// wraps gitrepo's error so that errors.Is still works.
type historyError struct {
	msg, hint string
	err       error
}

func (e *historyError) Error() string { return e.msg }
func (e *historyError) Hint() string  { return e.hint }
func (e *historyError) Unwrap() error { return e.err }

// gitError says what went wrong with git in the user's language, with a
// hint how to fix it.
func gitError(l i18n.Lang, err error) error {
	var (
		nr *gitrepo.NotRepoError
		re *gitrepo.RevisionError
		nc *gitrepo.NoCommitInMonthError
		sh *gitrepo.ShallowError
	)
	switch {
	case errors.As(err, &nr) && nr.GitMissing:
		return &historyError{l.Pick("没有找到 git 命令：care diff 和 care log 需要用 git 读取历史", "git is not installed or not on PATH: care diff and care log read the history with git"),
			l.Pick("安装 git（https://git-scm.com），并确认 git 命令在 PATH 中", "install git (https://git-scm.com) and make sure the git command is on PATH"), err}
	case errors.As(err, &nr):
		msg := l.Pick(fmt.Sprintf("%s 不在 git 仓库中：care diff 和 care log 需要 git 历史（care validate 和 care report 不需要）", nr.Dir),
			fmt.Sprintf("%s is not in a git repository: care diff and care log need the git history (care validate and care report do not)", nr.Dir))
		if nr.Detail != "" {
			msg += l.Pick("：", ": ") + nr.Detail
		}
		return &historyError{msg, l.Pick("在记录文件夹中运行 git init 并提交记录，或在 git 仓库里的文件夹中运行 care",
			"run git init in the records folder and commit the records, or run care in a folder inside a git repository"), err}
	case errors.As(err, &re) && errors.Is(err, gitrepo.ErrInvalidRevision):
		msg := l.Pick(fmt.Sprintf("版本 %q 不可用：%s", re.Rev, re.Reason), err.Error())
		hint := ""
		if strings.HasPrefix(re.Rev, "-") {
			msg = l.Pick(fmt.Sprintf("版本 %q 不能以“-”开头", re.Rev), err.Error())
			hint = l.Pick(fmt.Sprintf("如果确有以“-”开头的分支或标签，请写全名，例如 refs/heads/%s", re.Rev), re.Hint())
		}
		return &historyError{msg, hint, &usageError{err}}
	case errors.As(err, &re) && re.Type != "":
		what := map[string][2]string{"tree": {"一个目录树（tree）", "a tree (a folder)"}, "blob": {"一个文件（blob）", "a blob (a file's content)"}}[re.Type]
		return &historyError{l.Pick(fmt.Sprintf("版本 %q 指向%s，不是提交", re.Rev, what[0]), fmt.Sprintf("revision %q names %s, not a commit", re.Rev, what[1])),
			l.Pick("请写提交：分支名、标签、提交编号、HEAD~1，或 YYYY-MM 格式的月份；git log --oneline 列出提交",
				"name a commit: a branch, tag, commit id, a form such as HEAD~1, or a month YYYY-MM; git log --oneline lists commits"), err}
	case errors.As(err, &re):
		return &historyError{l.Pick(fmt.Sprintf("未知的版本 %q：没有这个分支、标签或提交", re.Rev), fmt.Sprintf("unknown revision %q: no branch, tag or commit has that name", re.Rev)),
			l.Pick("可以写分支名、标签、提交编号、HEAD~1，或 YYYY-MM 格式的月份；git log --oneline 列出提交",
				"name a branch, tag, commit id, a form such as HEAD~1, or a month YYYY-MM; git log --oneline lists commits"), err}
	case errors.As(err, &sh):
		return &historyError{l.Pick(fmt.Sprintf("这是浅克隆，缺少 %s 月末之前的历史：已获取的最早提交在 %s", sh.Month, sh.Oldest.Format(time.DateOnly)),
			fmt.Sprintf("this shallow clone lacks the history before the end of %s: the oldest commit fetched is on %s", sh.Month, sh.Oldest.Format(time.DateOnly))),
			l.Pick(fmt.Sprintf("用 git fetch --shallow-since=%s 获取更早的历史，或用 git fetch --unshallow 获取全部历史", sh.Start.Format(time.DateOnly)),
				fmt.Sprintf("fetch older history with git fetch --shallow-since=%s, or all of it with git fetch --unshallow", sh.Start.Format(time.DateOnly))), err}
	case errors.As(err, &nc):
		end := nc.End.Format(time.DateOnly)
		if nc.First.IsZero() {
			return &historyError{l.Pick(fmt.Sprintf("%s 月末（%s）之前没有提交：仓库里还没有任何提交", nc.Month, end),
				fmt.Sprintf("no commit on or before the end of %s (%s): the repository has no commits yet", nc.Month, end)),
				l.Pick("先提交记录：git add -A && git commit", "commit the records first: git add -A && git commit"), err}
		}
		first := nc.First.Format(time.DateOnly)
		return &historyError{l.Pick(fmt.Sprintf("%s 月末（%s）之前还没有提交：第一个提交在 %s", nc.Month, end, first),
			fmt.Sprintf("no commit yet at the end of %s (%s): the first commit is on %s", nc.Month, end, first)),
			l.Pick("选择 "+first[:7]+" 或更晚的月份", "choose "+first[:7]+" or a later month"), err}
	}
	return err
}

// monthArgRE matches a month argument; anything else is a revision.
var monthArgRE = regexp.MustCompile(`^\d{4}-\d{2}$`)

// diffPoint is one resolved side of a diff.
type diffPoint struct {
	view   render.DiffPoint
	commit string      // full commit id; "" for the working tree and the empty state
	day    record.Date // the day on which to compute indicators; 0 for none
}

// resolvePoint turns a month or a revision into a commit.
func (app *App) resolvePoint(ctx context.Context, h *historyRepo, spec string, today record.Date) (diffPoint, error) {
	l := h.lang
	if monthArgRE.MatchString(spec) {
		m, err := record.ParseMonth(spec)
		if err != nil {
			return diffPoint{}, usagef("%s", l.Pick(fmt.Sprintf("月份 %q 无效：应写成 YYYY-MM，月份在 01 到 12 之间", spec),
				fmt.Sprintf("invalid month %q: write YYYY-MM with a month from 01 to 12", spec)))
		}
		if m.First() > today {
			return diffPoint{}, usagef("%s", l.Pick(fmt.Sprintf("%s 还没有开始（今天是 %s）", spec, today),
				fmt.Sprintf("%s has not begun yet (today is %s)", spec, today)))
		}
		c, err := h.repo.MonthEnd(ctx, spec)
		if err != nil {
			return diffPoint{}, gitError(l, err)
		}
		return diffPoint{view: commitView(spec, render.DiffMonth, c), commit: c.ID, day: min(m.Last(), today)}, nil
	}
	c, err := h.repo.Resolve(ctx, spec)
	if err != nil {
		return diffPoint{}, gitError(l, err)
	}
	return diffPoint{view: commitView(spec, render.DiffRevision, c), commit: c.ID, day: min(record.FromTime(c.Time), today)}, nil
}

func commitView(spec, kind string, c gitrepo.Commit) render.DiffPoint {
	p := render.DiffPoint{Spec: spec, Kind: kind, Commit: c.ID, Short: c.Short, Date: c.Time.Format(time.DateOnly), Author: c.Author, Subject: c.Subject}
	if kind == render.DiffMonth {
		p.Month = spec
	}
	return p
}

// diffSpecs reads the arguments and --month into the specs of the two
// points; "" stands for the working tree.
func diffSpecs(l i18n.Lang, month string, args []string) (from, to string, err error) {
	if month != "" {
		if len(args) > 0 {
			return "", "", usagef("%s", l.Pick("--month 不能与 FROM、TO 同时使用", "--month takes no FROM or TO"))
		}
		m, err := record.ParseMonth(month)
		if err != nil || !monthArgRE.MatchString(month) {
			return "", "", usagef("%s", l.Pick(fmt.Sprintf("--month %q 无效：应写成 YYYY-MM，例如 2026-11", month),
				fmt.Sprintf("--month %q is not a month written YYYY-MM, such as 2026-11", month)))
		}
		return m.Prev().String(), month, nil
	}
	switch len(args) {
	case 0:
		return "HEAD", "", nil
	case 1:
		a := args[0]
		if strings.Contains(a, "...") {
			return "", "", usagef("%s", l.Pick(fmt.Sprintf("%q：care diff 比较两个时间点，请写 FROM..TO 或 FROM TO", a),
				fmt.Sprintf("%q: care diff compares two points; write FROM..TO or FROM TO", a)))
		}
		if f, t, ok := strings.Cut(a, ".."); ok {
			if f == "" {
				f = "HEAD"
			}
			if t == "" {
				t = "HEAD"
			}
			return f, t, nil
		}
		return a, "", nil
	}
	return args[0], args[1], nil
}

func (app *App) runDiff(ctx context.Context, opts *diffOptions, args []string) error {
	if !contains(diffFormats, opts.format) {
		return usagef("--format must be one of %s, not %q", strings.Join(diffFormats, ", "), opts.format)
	}
	today, err := app.today()
	if err != nil {
		return err
	}
	h, err := app.openHistory(ctx)
	if err != nil {
		return err
	}
	l := h.lang
	fromSpec, toSpec, err := diffSpecs(l, opts.month, args)
	if err != nil {
		return err
	}

	var from, to diffPoint
	if fromSpec == "HEAD" && toSpec == "" {
		if _, ok, err := h.repo.Head(ctx); err != nil {
			return gitError(l, err)
		} else if !ok {
			return withHint(errors.New(l.Pick("仓库里还没有提交，无法与 HEAD 比较", "the repository has no commits yet: nothing to compare the working tree with")),
				l.Pick("先提交记录：git add -A && git commit", "commit the records first: git add -A && git commit"))
		}
	}
	from, err = app.resolvePoint(ctx, h, fromSpec, today)
	if err != nil {
		// With --month, a first month of history is compared with nothing.
		if opts.month == "" || !errors.Is(err, gitrepo.ErrNoCommitInMonth) {
			return err
		}
		from = diffPoint{view: render.DiffPoint{Spec: fromSpec, Kind: render.DiffEmpty, Month: fromSpec}}
	}
	if toSpec != "" {
		if to, err = app.resolvePoint(ctx, h, toSpec, today); err != nil {
			return err
		}
	} else {
		to = diffPoint{view: render.DiffPoint{Kind: render.DiffWorkTree}, day: today}
	}
	// Whether the working tree has changes: git status looks at every file,
	// so ask it while the points are listed and loaded.
	var dirty bool
	var dirtyErr error
	dirtyDone := make(chan struct{})
	go func() {
		defer close(dirtyDone)
		if to.view.Kind == render.DiffWorkTree {
			dirty, dirtyErr = h.repo.Dirty(ctx)
		}
	}()

	loader := store.NewGitLoader(h.repo)
	defer loader.Close()
	trace := isTrue(app.Getenv("CARE_CACHE_TRACE"))
	start := time.Now()
	// List both points and read care's cache at once: each is a git
	// process or a file read of its own.
	var fromIn, toIn *store.Inputs
	var fromErr, toErr error
	var snap *cache.Snapshot
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { defer wg.Done(); toIn, toErr = app.pointInputs(ctx, loader, to) }()
	go func() {
		defer wg.Done()
		if app.cacheOn() {
			snap = cache.Load(cache.Dir(h.root), cache.Key(Version))
		}
	}()
	fromIn, fromErr = app.pointInputs(ctx, loader, from)
	wg.Wait()
	if fromErr != nil {
		return fromErr
	}
	if toErr != nil {
		return toErr
	}
	listed := time.Since(start)
	// Files that are the same at both points (most of them, between two
	// months) need no parsing when care's cache of parsed records has them:
	// only the files that differ are read and parsed, all in one batch.
	if snap != nil {
		loader.UseDecoded(snap.Entries, fromIn, toIn)
	}
	if err := loader.Prefetch(ctx, fromIn, toIn); err != nil {
		return err
	}
	parsed := time.Since(start)
	fromDS, err := app.loadPoint(ctx, loader, from, fromIn)
	if err != nil {
		return err
	}
	toDS, err := app.loadPoint(ctx, loader, to, toIn)
	if err != nil {
		return err
	}
	if trace {
		fmt.Fprintf(app.IO.ErrOut, "care: cache: diff: cache read %v, %d files parsed; list %v, parse %v, load %v\n",
			snap != nil, loader.Parsed, listed.Round(time.Millisecond), (parsed - listed).Round(time.Millisecond), (time.Since(start) - parsed).Round(time.Millisecond))
	}
	<-dirtyDone
	if dirtyErr != nil {
		return gitError(l, dirtyErr)
	}
	to.view.Dirty = dirty
	if toDS.Config != nil {
		l = app.lang(toDS.Config)
	}

	compareStart := time.Now()
	d := diff.Compare(fromDS, toDS, diff.Options{FromDay: from.day, ToDay: to.day})
	if trace {
		fmt.Fprintf(app.IO.ErrOut, "care: cache: diff: compare %v\n", time.Since(compareStart).Round(time.Millisecond))
	}
	school := ""
	if toDS.Config != nil {
		school = toDS.Config.School.Name
	}
	v := &render.DiffView{School: school, From: from.view, To: to.view, Diff: d, Lang: l, ShowPII: opts.showPII, Color: app.IO.ColorEnabled()}
	switch opts.format {
	case "json":
		err = v.JSON(app.IO.Out)
	case "markdown":
		err = v.Markdown(app.IO.Out)
	default:
		fmt.Fprintln(app.IO.ErrOut, "care: "+l.Pick("起点：", "from: ")+from.view.Describe(l))
		fmt.Fprintln(app.IO.ErrOut, "care: "+l.Pick("终点：", "to: ")+to.view.Describe(l))
		err = v.Text(app.IO.Out)
	}
	if err != nil {
		return err
	}
	if opts.exitCode && !d.Empty() {
		return &exitError{ExitFindings}
	}
	return nil
}

// loadPoint loads the records at a point, warning on stderr about files
// that could not be read as YAML (they are left out of the comparison).
func (app *App) loadPoint(ctx context.Context, g *store.GitLoader, p diffPoint, in *store.Inputs) (*record.Dataset, error) {
	if in == nil {
		return &record.Dataset{}, nil
	}
	l, err := g.Load(ctx, in)
	if err != nil {
		return nil, err
	}
	var bad, flawed []string
	unreadable := map[string]bool{}
	for _, f := range l.Files {
		if f.Doc == nil && f.Pos == nil { // a file taken decoded from the cache has only its position table
			bad = append(bad, f.Path)
			unreadable[f.Path] = true
		}
	}
	// Files that can be read but break a rule of the format while being
	// read (a key written twice, whose second value is dropped) are
	// compared as read: say so, or a change could go unseen in silence.
	seen := map[string]bool{}
	for _, d := range l.Diags {
		if d.Severity == diag.Error && d.File != "" && !unreadable[d.File] && !seen[d.File] {
			seen[d.File] = true
			flawed = append(flawed, d.File)
		}
	}
	sort.Strings(flawed)
	lang := app.lang(l.Dataset.Config)
	where := p.view.Spec
	if p.view.Kind == render.DiffWorkTree {
		where = lang.Pick("工作区", "the working tree")
	}
	if len(bad) > 0 {
		fmt.Fprintln(app.IO.ErrOut, "care: "+lang.Pick(
			fmt.Sprintf("警告：%s 中有 %d 个文件无法读取，未计入比较：%s", where, len(bad), strings.Join(bad, "、")),
			fmt.Sprintf("warning: %d %s in %s could not be read and %s left out: %s", len(bad), diffPlural(len(bad), "file"), where,
				map[bool]string{true: "is", false: "are"}[len(bad) == 1], strings.Join(bad, ", "))))
	}
	if len(flawed) > 0 {
		fmt.Fprintln(app.IO.ErrOut, "care: "+lang.Pick(
			fmt.Sprintf("警告：%s 中有 %d 个文件有错误（如重复的字段），按读到的内容比较，可能漏掉变化：%s；用 care validate 查看", where, len(flawed), strings.Join(flawed, "、")),
			fmt.Sprintf("warning: %d %s in %s %s errors (such as a repeated key) and %s compared as read, which may hide a change: %s; care validate shows them", len(flawed), diffPlural(len(flawed), "file"), where,
				map[bool]string{true: "has", false: "have"}[len(flawed) == 1], map[bool]string{true: "is", false: "are"}[len(flawed) == 1], strings.Join(flawed, ", "))))
	}
	return l.Dataset, nil
}

// pointInputs lists the record files at a point; nil for nothing.
func (app *App) pointInputs(ctx context.Context, g *store.GitLoader, p diffPoint) (*store.Inputs, error) {
	switch p.view.Kind {
	case render.DiffEmpty:
		return nil, nil
	case render.DiffWorkTree:
		return g.WorkTreeInputs(ctx)
	default:
		return g.CommitInputs(ctx, p.commit)
	}
}

// diffPlural returns s, or s with an s when n is not 1.
func diffPlural(n int, s string) string {
	if n == 1 {
		return s
	}
	return s + "s"
}
