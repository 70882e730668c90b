package cli

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/care-tool/care/internal/iostreams"
)

// careTestEnv is the environment of the in-process runs: only CARE_TODAY.
func careTestEnv(k string) string {
	if k == "CARE_TODAY" {
		return "2026-11-28"
	}
	return ""
}

// careRun runs care in process with args and returns the exit status,
// stdout and stderr.
func careRun(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	ios, _, out, errOut := iostreams.Test()
	app := &App{IO: ios, Getenv: careTestEnv, Now: time.Now}
	code := app.Run(context.Background(), args)
	return code, out.String(), errOut.String()
}

// tree returns every command of care's tree, as cobra would have it when
// running (with whichever completion command is in place), except cobra's
// own help command.
func tree() []*cobra.Command {
	ios, _, _, _ := iostreams.Test()
	app := &App{IO: ios, Getenv: careTestEnv, Now: time.Now}
	root := app.newRootCmd()
	root.InitDefaultCompletionCmd()
	var all []*cobra.Command
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		all = append(all, c)
		for _, sub := range c.Commands() {
			if strings.HasPrefix(sub.Name(), "__") {
				continue
			}
			walk(sub)
		}
	}
	walk(root)
	return all
}

// cmdArgs returns the arguments that select c, without the root's name.
func cmdArgs(c *cobra.Command) []string {
	return strings.Fields(c.CommandPath())[1:]
}

// Every command, including the ones added after this test was written, is
// documented: a short and a long description with the exit status, and
// examples; every flag has a usage string.
func TestCommandsAreDocumented(t *testing.T) {
	cmds := tree()
	if len(cmds) < 8 {
		t.Fatalf("only %d commands in the tree", len(cmds))
	}
	for _, c := range cmds {
		name := c.CommandPath()
		if strings.TrimSpace(c.Short) == "" {
			t.Errorf("%s: no Short", name)
		}
		if strings.HasSuffix(strings.TrimSpace(c.Short), ".") {
			t.Errorf("%s: Short ends with a period", name)
		}
		if !strings.Contains(c.Long, "Exit status") {
			t.Errorf("%s: Long has no \"Exit status\" block", name)
		}
		if strings.TrimSpace(c.Example) == "" {
			t.Errorf("%s: no Example", name)
		}
		for _, line := range strings.Split(c.Example, "\n") {
			if line != "" && !strings.HasPrefix(strings.TrimSpace(line), "care") && !strings.HasPrefix(strings.TrimSpace(line), "#") &&
				!strings.Contains(line, "care ") {
				t.Errorf("%s: example line %q does not run care", name, line)
			}
		}
		check := func(f *pflag.Flag) {
			if strings.TrimSpace(f.Usage) == "" {
				t.Errorf("%s: flag --%s has no usage string", name, f.Name)
			}
		}
		c.LocalFlags().VisitAll(check)
		c.InheritedFlags().VisitAll(check)
	}
	if t.Failed() {
		t.Log("every command needs Short, Long ending in an \"Exit status:\" block, and Example; every flag a usage string")
	}
}

// Every command's help can be shown, and every flag parses, through the
// real entry point.
func TestCommandsParse(t *testing.T) {
	for _, c := range tree() {
		args := append(cmdArgs(c), "--help")
		code, out, errOut := careRun(t, args...)
		if code != 0 {
			t.Errorf("care %s: exit %d\n%s", strings.Join(args, " "), code, errOut)
			continue
		}
		if !strings.Contains(out, c.Short) && !strings.Contains(out, strings.TrimSpace(c.Long)[:20]) {
			t.Errorf("care %s: help does not show the description:\n%s", strings.Join(args, " "), out)
		}
		c.Flags().VisitAll(func(f *pflag.Flag) {
			if f.Name == "help" {
				return
			}
			v := f.DefValue
			switch f.Value.Type() {
			case "stringSlice", "stringArray":
				v = "x"
			case "bool":
				v = "true"
			}
			args := append(cmdArgs(c), "--"+f.Name+"="+v, "--help")
			if code, _, errOut := careRun(t, args...); code != 0 {
				t.Errorf("care %s: exit %d\n%s", strings.Join(args, " "), code, errOut)
			}
		})
	}
	if code, _, errOut := careRun(t, "--lang", "en", "validate", "--no-such-flag"); code != ExitError || !strings.Contains(errOut, "unknown flag") {
		t.Errorf("an unknown flag: exit %d, %q", code, errOut)
	}
}

// cobra's default completion command is replaced by care's documented one.
func TestCompletion(t *testing.T) {
	for shell, want := range map[string]string{
		"bash":       "__start_care",
		"zsh":        "#compdef care",
		"fish":       "complete -c care",
		"powershell": "Register-ArgumentCompleter",
	} {
		code, out, errOut := careRun(t, "completion", shell)
		if code != 0 || !strings.Contains(out, want) {
			t.Errorf("care completion %s: exit %d, stderr %q, output lacks %q", shell, code, errOut, want)
		}
		if code, _, _ := careRun(t, "completion", shell, "--no-descriptions"); code != 0 {
			t.Errorf("care completion %s --no-descriptions: exit %d", shell, code)
		}
	}
	if code, _, errOut := careRun(t, "completion", "tcsh", "--lang", "en"); code != ExitError || !strings.Contains(errOut, "unknown shell tcsh") {
		t.Errorf("care completion tcsh: exit %d, %q", code, errOut)
	}
	if code, _, _ := careRun(t, "completion"); code != ExitError {
		t.Errorf("care completion: exit %d, want %d", code, ExitError)
	}
	// The shell asks care for candidates through cobra's hidden command.
	code, out, _ := careRun(t, "__complete", "new", "t")
	if code != 0 || !strings.Contains(out, "talk") {
		t.Errorf("__complete new t: exit %d, %q", code, out)
	}
}

func TestDocsMan(t *testing.T) {
	dir := t.TempDir()
	code, out, errOut := careRun(t, "docs", "man", filepath.Join(dir, "man"))
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, c := range tree() {
		if c.Hidden {
			continue
		}
		name := strings.ReplaceAll(c.CommandPath(), " ", "-") + ".1"
		b, err := os.ReadFile(filepath.Join(dir, "man", name))
		if err != nil {
			t.Errorf("no man page for %s: %v", c.CommandPath(), err)
			continue
		}
		if !strings.Contains(string(b), ".TH \"") || !strings.Contains(string(b), "Nov 2026") {
			t.Errorf("%s: not a man page dated CARE_TODAY:\n%.300s", name, b)
		}
		if !strings.Contains(out, name) {
			t.Errorf("%s not listed in the output:\n%s", name, out)
		}
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "man", "care-new-talk.1")); !strings.Contains(string(b), "Exit status") {
		t.Errorf("care-new-talk.1 lacks the exit status:\n%s", b)
	}
	if code, _, _ := careRun(t, "docs", "man"); code != ExitError {
		t.Errorf("care docs man without DIR: exit %d", code)
	}
}

func TestSplitWords(t *testing.T) {
	tests := map[string][]string{
		"vi":                            {"vi"},
		"code --wait":                   {"code", "--wait"},
		"  nano  ":                      {"nano"},
		`'/opt/My Editor/ed' -w`:        {"/opt/My Editor/ed", "-w"},
		`"/opt/My Editor/ed" -w`:        {"/opt/My Editor/ed", "-w"},
		`/opt/My\ Editor/ed`:            {"/opt/My Editor/ed"},
		`emacsclient -a "" -c`:          {"emacsclient", "-a", "", "-c"},
		`sh -c 'exec vim "$@"' vim`:     {"sh", "-c", `exec vim "$@"`, "vim"},
		`subl -n -w --command "a \" b"`: {"subl", "-n", "-w", "--command", `a " b`},
	}
	for in, want := range tests {
		got, err := splitWords(in)
		if err != nil || strings.Join(got, "|") != strings.Join(want, "|") || len(got) != len(want) {
			t.Errorf("splitWords(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	if _, err := splitWords(`vim "x`); err == nil {
		t.Error("an unterminated quote: want an error")
	}
}

// Without git, init writes the repository and says that it skipped git init.
func TestInitWithoutGit(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	dir := filepath.Join(t.TempDir(), "school")
	code, out, errOut := careRun(t, "init", dir, "--lang", "en")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if !strings.Contains(errOut, "git is not installed: skipped git init") {
		t.Errorf("no note about git:\n%s", errOut)
	}
	if !strings.Contains(out, "care.yaml") {
		t.Errorf("care.yaml not listed:\n%s", out)
	}
	if _, err := os.Stat(filepath.Join(dir, ".git")); err == nil {
		t.Error("a .git folder was made without git")
	}
	if code, _, errOut := careRun(t, "-C", dir, "validate"); code != 0 {
		t.Errorf("care validate after init: exit %d\n%s", code, errOut)
	}
}

// TestZhMessages: the English messages of cobra, pflag and care's own
// usage errors are said in Chinese by default, and kept in English with
// --lang en.
func TestZhMessages(t *testing.T) {
	for _, tc := range []struct{ en, zh string }{
		{`unknown flag: --nope`, `未知的选项 --nope`},
		{`unknown shorthand flag: 'x' in -x`, `未知的选项 -x`},
		{`flag needs an argument: --term`, `选项 --term 需要一个值`},
		{`accepts 1 arg(s), received 0`, `需要 1 个参数，实际给了 0 个`},
		{`accepts at most 2 arg(s), received 3`, `最多接受 2 个参数，实际给了 3 个`},
		{`unknown command "a" for "care report"`, `“care report”没有子命令 “a”`},
		{`--format must be one of table, markdown, csv, json, html, not "xml"`, `--format 只能是 table, markdown, csv, json, html 之一，不能是 "xml"`},
		{`--format must be text or json, not "x"`, `--format 只能是 text 或 json，不能是 "x"`},
		{`--as-of: "2026-13-01" is not a real calendar date`, `--as-of："2026-13-01" 不是真实存在的日期`},
		{`--month: "x" is not a month written YYYY-MM`, `--month："x" 不是 YYYY-MM 格式的月份`},
		{`/nope.xlsx: no such file or directory`, `/nope.xlsx：文件或文件夹不存在`},
		{`something care says itself`, `something care says itself`},
	} {
		if got := zhCobraError(tc.en); got != tc.zh {
			t.Errorf("%q: got %q, want %q", tc.en, got, tc.zh)
		}
	}
	if code, _, errOut := careRun(t, "report", "--format", "xml"); code != ExitError || !strings.Contains(errOut, "只能是") {
		t.Errorf("report --format xml: exit %d, %q", code, errOut)
	}
	if code, _, errOut := careRun(t, "--lang", "en", "report", "--format", "xml"); code != ExitError || !strings.Contains(errOut, "must be one of") {
		t.Errorf("--lang en report --format xml: exit %d, %q", code, errOut)
	}
}

// care help names a command, or fails with exit status 2 like any unknown
// command (cobra's own help command printed "Unknown help topic" and
// succeeded).
func TestHelpCommand(t *testing.T) {
	if code, out, _ := careRun(t, "help", "report"); code != 0 || !strings.Contains(out, "care report") {
		t.Errorf("care help report: exit %d\n%s", code, out)
	}
	if code, out, _ := careRun(t, "help", "export", "roster"); code != 0 || !strings.Contains(out, "花名册") {
		t.Errorf("care help export roster: exit %d\n%s", code, out)
	}
	if code, _, errOut := careRun(t, "help", "nope"); code != ExitError || !strings.Contains(errOut, "nope") {
		t.Errorf("care help nope: exit %d, %q", code, errOut)
	}
}
