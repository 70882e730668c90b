// Package cli is care's command tree: one file per command, each with an
// options struct and a run function that does not touch cobra. It is the only
// package that imports cobra and the only one that knows about exit codes.
package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/care-tool/care/internal/i18n"
	"github.com/care-tool/care/internal/iostreams"
	"github.com/care-tool/care/internal/record"
	"github.com/care-tool/care/internal/store"
)

// Version is care's version, set at build time with -ldflags "-X ...".
var Version = "0.1.0-dev"

// Exit codes, like diff(1).
const (
	ExitOK       = 0 // all fine
	ExitFindings = 1 // invalid records, unmet targets with --check, differences with --exit-code
	ExitError    = 2 // usage or runtime error
)

// App is the state shared by all commands of one invocation.
type App struct {
	IO     *iostreams.IOStreams
	Getenv func(string) string
	Now    func() time.Time

	dir      string // -C
	langFlag string // --lang
	color    string // --color
	locale   string // care.yaml's locale, once a repository has been loaded
	noCache  bool   // --no-cache
}

// exitError carries an exit code without a message (the command has already
// printed what it found).
type exitError struct{ code int }

func (e *exitError) Error() string { return fmt.Sprintf("exit status %d", e.code) }

// usageError is a mistake in how care was called: exit status 2.
type usageError struct{ err error }

func (e *usageError) Error() string { return e.err.Error() }
func (e *usageError) Unwrap() error { return e.err }

func usagef(format string, args ...any) error { return &usageError{fmt.Errorf(format, args...)} }

// hintError is an error with a suggested fix.
type hintError struct {
	err  error
	hint string
}

func (e *hintError) Error() string { return e.err.Error() }
func (e *hintError) Unwrap() error { return e.err }

func withHint(err error, hint string) error { return &hintError{err, hint} }

// Main runs care with the given arguments and returns the exit status.
func Main(args []string) int {
	app := &App{IO: iostreams.System(), Getenv: os.Getenv, Now: time.Now}
	return app.Run(context.Background(), args)
}

// Run runs care with the given arguments on app's streams.
func (app *App) Run(ctx context.Context, args []string) int {
	root := app.newRootCmd()
	root.SetArgs(args)
	root.SetIn(app.IO.In)
	root.SetOut(app.IO.Out)
	root.SetErr(app.IO.ErrOut)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return ExitOK
	}
	var ee *exitError
	if errors.As(err, &ee) {
		return ee.code
	}
	lang := app.lang(nil)
	msg := err.Error()
	if lang == i18n.Zh {
		msg = zhCobraError(msg)
	}
	fmt.Fprintf(app.IO.ErrOut, "care: %s%s\n", lang.Pick("错误：", "error: "), msg)
	var he *hintError
	var hinter interface{ Hint() string }
	if errors.As(err, &he) && he.hint != "" {
		fmt.Fprintf(app.IO.ErrOut, "care: %s%s\n", lang.Pick("提示：", "hint: "), zhCobraHint(lang, he.hint))
	} else if errors.As(err, &hinter) && hinter.Hint() != "" {
		fmt.Fprintf(app.IO.ErrOut, "care: %s%s\n", lang.Pick("提示：", "hint: "), hinter.Hint())
	}
	return ExitError
}

func (app *App) newRootCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "care",
		Short: "Records, checks and reports for a left-behind children care programme (留守儿童关爱工程)",
		Long: `care keeps a school's left-behind children programme (留守儿童关爱工程) as plain
YAML records in a git repository — one file per child, pairing and talk log —
checks them against JSON Schemas and the programme's rules, computes the
programme's targets (建档率, 入学率, 巩固率, 谈心覆盖率, …) and prints the
term-end report.

care looks for care.yaml in the current folder and its parents; -C DIR runs
it as if started in DIR.

Exit status: 0 fine, 1 findings (invalid records, unmet targets with --check,
differences with --exit-code), 2 usage or runtime error.`,
		Example: `  care validate
  care -C examples/demo-school report
  care report --format json --as-of 2026-11-30`,
		SilenceUsage:  true,
		SilenceErrors: true,
		Version:       Version,
	}
	cmd.PersistentFlags().StringVarP(&app.dir, "dir", "C", "", "run as if care was started in `DIR`")
	cmd.PersistentFlags().StringVar(&app.langFlag, "lang", "", "language of messages and reports: zh or en (default: care.yaml locale, else zh)")
	cmd.PersistentFlags().StringVar(&app.color, "color", "auto", "colour output: auto, always or never")
	cmd.PersistentFlags().BoolVar(&app.noCache, "no-cache", false, "neither read nor write the cache of parsed records in .care/cache (also CARE_NO_CACHE=1)")
	cmd.PersistentPreRunE = func(cmd *cobra.Command, args []string) error {
		switch app.color {
		case "auto", "always", "never":
		default:
			return usagef("--color must be auto, always or never, not %q", app.color)
		}
		app.IO.SetColorMode(app.color)
		if app.langFlag != "" {
			if _, ok := i18n.Parse(app.langFlag); !ok {
				return usagef("--lang must be zh or en, not %q", app.langFlag)
			}
		}
		return nil
	}
	cmd.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return &usageError{withHint(err, "see "+c.CommandPath()+" --help")}
	})
	for _, sub := range app.commands() {
		cmd.AddCommand(sub)
	}
	cmd.SetHelpCommand(newHelpCmd(cmd))
	requireSubcommand(cmd)
	return cmd
}

// requireSubcommand makes every command that only groups subcommands (care
// export, care docs, …) refuse an unknown subcommand with exit status 2
// instead of printing its help and succeeding; without arguments it shows
// its help.
func requireSubcommand(cmd *cobra.Command) {
	for _, c := range cmd.Commands() {
		requireSubcommand(c)
	}
	if cmd.HasParent() && cmd.HasSubCommands() && cmd.Run == nil && cmd.RunE == nil {
		cmd.Args = cobra.ArbitraryArgs
		cmd.RunE = func(c *cobra.Command, args []string) error {
			var names []string
			for _, sub := range c.Commands() {
				if sub.IsAvailableCommand() {
					names = append(names, sub.Name())
				}
			}
			if len(args) > 0 {
				return withHint(usagef("unknown command %q for %q", args[0], c.CommandPath()),
					"available: "+strings.Join(names, ", "))
			}
			return c.Help()
		}
	}
}

// lang returns the language: --lang, else care.yaml's locale, else zh.
func (app *App) lang(cfg *record.Config) i18n.Lang {
	if l, ok := i18n.Parse(app.langFlag); ok {
		return l
	}
	if cfg != nil {
		app.locale = cfg.Locale // errors printed later speak the repository's language too
		if l, ok := i18n.Parse(cfg.Locale); ok {
			return l
		}
	}
	if l, ok := i18n.Parse(app.locale); ok {
		return l
	}
	return i18n.Zh
}

// workDir returns the folder care runs in (-C or the current folder).
func (app *App) workDir() (string, error) {
	if app.dir != "" {
		st, err := os.Stat(app.dir)
		if err != nil {
			return "", usagef("-C %s: %w", app.dir, unwrapPath(err))
		}
		if !st.IsDir() {
			return "", usagef("-C %s: not a folder", app.dir)
		}
		return filepath.Abs(app.dir)
	}
	return os.Getwd()
}

func unwrapPath(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// root finds the repository root (the folder holding care.yaml).
func (app *App) root() (string, error) {
	wd, err := app.workDir()
	if err != nil {
		return "", err
	}
	root, err := store.Find(wd)
	if err != nil {
		if errors.Is(err, store.ErrNoRepo) {
			l := app.lang(nil)
			return "", withHint(err, l.Pick("在记录仓库里运行 care，用 -C 指定它的位置，或用 care init 新建一个",
				"run care inside a records repository, point at one with -C, or create one with care init"))
		}
		return "", err
	}
	return root, nil
}

// today returns today's date; CARE_TODAY=YYYY-MM-DD overrides it so that
// tests and examples are reproducible.
func (app *App) today() (record.Date, error) {
	if v := strings.TrimSpace(app.Getenv("CARE_TODAY")); v != "" {
		d, err := record.ParseDate(v)
		if err != nil {
			return 0, usagef("CARE_TODAY: %w", err)
		}
		return d, nil
	}
	return record.FromTime(app.Now()), nil
}

// cobraMessages translates the messages of cobra and pflag (flags and
// arguments), which are in English, for Chinese output.
var cobraMessages = []struct {
	re *regexp.Regexp
	zh string
}{
	{regexp.MustCompile(`^unknown flag: (\S+)$`), "未知的选项 $1"},
	{regexp.MustCompile(`^unknown shorthand flag: '(.)' in -(.)$`), "未知的选项 -$1"},
	{regexp.MustCompile(`^unknown shorthand flag: '(.)' in (\S+)$`), "未知的选项 -$1（在 $2 中）"},
	{regexp.MustCompile(`^invalid argument "(.*)" for "(.*)" flag: strconv\.ParseBool: .*$`), "选项 $2 的值 \"$1\" 无效：应为 true 或 false"},
	{regexp.MustCompile(`^flag needs an argument: '?(\S+?)'?(?: in (\S+))?$`), "选项 $1 需要一个值"},
	{regexp.MustCompile(`^invalid argument "(.*)" for "(.*)" flag: (.*)$`), "选项 $2 的值 \"$1\" 无效：$3"},
	{regexp.MustCompile(`^accepts at most (\d+) arg\(s\), received (\d+)$`), "最多接受 $1 个参数，实际给了 $2 个"},
	{regexp.MustCompile(`^accepts (\d+) arg\(s\), received (\d+)$`), "需要 $1 个参数，实际给了 $2 个"},
	{regexp.MustCompile(`^requires at least (\d+) arg\(s\), only received (\d+)$`), "至少需要 $1 个参数，实际给了 $2 个"},
	{regexp.MustCompile(`^accepts between (\d+) and (\d+) arg\(s\), received (\d+)$`), "接受 $1 到 $2 个参数，实际给了 $3 个"},
	{regexp.MustCompile(`^unknown command "(.*)" for "(.*)"$`), "“$2”没有子命令 “$1”"},
	{regexp.MustCompile(`^invalid argument "(.*)" for "(.*)"$`), "“$2”不接受参数 “$1”"},
	{regexp.MustCompile(`^no care\.yaml in (.*) or any parent folder$`), "在 $1 及其上级文件夹中都没有找到 care.yaml"},
	// care's own usage errors, written once in English where they are made
	{regexp.MustCompile(`^(--[a-z-]+) must be one of (.*), not "(.*)"$`), "$1 只能是 $2 之一，不能是 \"$3\""},
	{regexp.MustCompile(`^(--[a-z-]+) must be (.*) or (\S+), not "(.*)"$`), "$1 只能是 $2 或 $3，不能是 \"$4\""},
	{regexp.MustCompile(`^(--[a-z-]+|CARE_TODAY): "(.*)" is not a real calendar date$`), "$1：\"$2\" 不是真实存在的日期"},
	{regexp.MustCompile(`^(--[a-z-]+|CARE_TODAY): "(.*)" is not a date written YYYY-MM-DD$`), "$1：\"$2\" 不是 YYYY-MM-DD 格式的日期"},
	{regexp.MustCompile(`^(--[a-z-]+): "(.*)" is not a month written YYYY-MM$`), "$1：\"$2\" 不是 YYYY-MM 格式的月份"},
	{regexp.MustCompile(`^(.*): no such file or directory$`), "$1：文件或文件夹不存在"},
	{regexp.MustCompile(`^(.*): permission denied$`), "$1：没有权限"},
	{regexp.MustCompile(`^(.*): is a directory$`), "$1：这是一个文件夹"},
	{regexp.MustCompile(`^(.*): not a directory$`), "$1：路径中有一部分不是文件夹"},
}

// zhCobraError returns msg in Chinese when it is one of cobraMessages.
func zhCobraError(msg string) string {
	for _, m := range cobraMessages {
		if m.re.MatchString(msg) {
			return m.re.ReplaceAllString(msg, m.zh)
		}
	}
	return msg
}

var seeHelp = regexp.MustCompile(`^see (.+) --help$`)

// zhCobraHint translates the hint given with flag errors.
func zhCobraHint(lang i18n.Lang, hint string) string {
	if lang == i18n.Zh {
		if m := seeHelp.FindStringSubmatch(hint); m != nil {
			return "用法见 " + m[1] + " --help"
		}
		if strings.HasPrefix(hint, "available: ") {
			return "可用的子命令：" + strings.TrimPrefix(hint, "available: ")
		}
	}
	return hint
}

// newHelpCmd replaces cobra's help command, which prints "Unknown help
// topic" and succeeds: care help names a command or fails with exit 2.
func newHelpCmd(root *cobra.Command) *cobra.Command {
	return &cobra.Command{
		Use:   "help [command]",
		Short: "Show the help of a command",
		Long: `Show the help of care or of one of its commands: the same text as
care COMMAND --help.

Exit status:
  0  the help was shown
  2  there is no such command`,
		Example: `  care help
  care help report
  care help export roster`,
		RunE: func(c *cobra.Command, args []string) error {
			target, rest, err := root.Find(args)
			if err != nil || len(rest) > 0 || target == nil {
				return withHint(usagef("unknown command %q for %q", strings.Join(args, " "), "care help"),
					"see care --help")
			}
			return target.Help()
		},
		ValidArgsFunction: func(c *cobra.Command, args []string, toComplete string) ([]string, cobra.ShellCompDirective) {
			target, _, err := root.Find(args)
			if err != nil || target == nil {
				return nil, cobra.ShellCompDirectiveNoFileComp
			}
			var names []string
			for _, sub := range target.Commands() {
				if sub.IsAvailableCommand() && strings.HasPrefix(sub.Name(), toComplete) {
					names = append(names, sub.Name()+"\t"+sub.Short)
				}
			}
			return names, cobra.ShellCompDirectiveNoFileComp
		},
	}
}
