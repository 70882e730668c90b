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
			if sub.Name() == "help" || strings.HasPrefix(sub.Name(), "__") {
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
