// Package gitrepo owns every call to the git command: it finds the
// repository that holds a folder of records, resolves revisions and month
// ends to commits, lists and reads blobs, and reads the history of records.
//
// It runs the user's git binary rather than a Go git library, so that the
// answers match what the user sees with git itself (configuration, shallow
// clones, alternates, partial clones). Every call goes through gitCommand,
// which fixes the locale and the options that change git's output.
//
// Paths given to and returned by this package are slash separated and
// relative to the folder passed to Open (the records folder), which may be a
// sub-folder of the work tree; the translation to and from paths relative to
// the top of the work tree happens here and nowhere else.
//
// Revisions typed by a user are checked and resolved to full commit ids by
// Resolve before anything else sees them; every other method takes full ids
// only, so no argument can ever be read by git as an option.
//
// Errors that come with a suggested fix implement
//
//	interface{ Hint() string }
//
// so that the command line can print the hint on its own line.
package gitrepo

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// minMajor and minMinor are the oldest git this package supports: 2.31 is the
// first release with both "rev-parse --end-of-options" and
// "--diff-merges=first-parent".
const (
	minMajor = 2
	minMinor = 31
)

// Repo is a git work tree seen from a folder inside it. A Repo is immutable
// and safe for concurrent use; each method runs one or a few git processes.
type Repo struct {
	git    string // absolute path of the git binary
	dir    string // absolute path of the folder given to Open
	top    string // absolute path of the top of the work tree
	gitDir string // absolute path of the git directory
	prefix string // dir relative to top, slash separated, "" at the top
}

// Open finds the git work tree that contains dir. The error matches
// ErrNotRepo (and is a *NotRepoError) when dir is not inside a git work tree
// or when git is not installed; the message says which.
func Open(ctx context.Context, dir string) (*Repo, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("open repository %q: %w", dir, err)
	}
	gitPath, err := exec.LookPath("git")
	if err != nil {
		return nil, &NotRepoError{Dir: dir, GitMissing: true, Err: err}
	}
	fi, err := os.Stat(abs)
	if err != nil {
		return nil, fmt.Errorf("open repository: %w", err)
	}
	if !fi.IsDir() {
		return nil, fmt.Errorf("open repository: %q is not a folder", dir)
	}
	if err := checkVersion(ctx, gitPath, abs); err != nil {
		return nil, err
	}
	out, err := run(ctx, gitPath, abs, "rev-parse", "--show-toplevel", "--absolute-git-dir", "--show-prefix")
	if err != nil {
		var ge *GitError
		if ctx.Err() != nil || !errors.As(err, &ge) {
			return nil, fmt.Errorf("open repository %q: %w", dir, err)
		}
		e := &NotRepoError{Dir: dir, Err: err}
		if !strings.Contains(ge.Stderr, "not a git repository") {
			e.Detail = ge.message()
		}
		return nil, e
	}
	lines := strings.Split(strings.TrimSuffix(string(out), "\n"), "\n")
	if len(lines) != 3 {
		return nil, fmt.Errorf("open repository %q: unexpected output from git rev-parse: %q", dir, out)
	}
	return &Repo{
		git:    gitPath,
		dir:    abs,
		top:    filepath.FromSlash(lines[0]),
		gitDir: filepath.FromSlash(lines[1]),
		prefix: strings.TrimSuffix(lines[2], "/"),
	}, nil
}

var versionRE = regexp.MustCompile(`^git version (\d+)\.(\d+)`)

// checkVersion refuses a git older than minMajor.minMinor, whose failures on
// newer options would otherwise surface as puzzling messages.
func checkVersion(ctx context.Context, gitPath, dir string) error {
	out, err := run(ctx, gitPath, dir, "version")
	if err != nil {
		return err
	}
	m := versionRE.FindStringSubmatch(string(out))
	if m == nil {
		return nil // an unusual build; let it try
	}
	major, _ := strconv.Atoi(m[1])
	minor, _ := strconv.Atoi(m[2])
	if major < minMajor || (major == minMajor && minor < minMinor) {
		return fmt.Errorf("git %d.%d is too old: care needs git %d.%d or later", major, minor, minMajor, minMinor)
	}
	return nil
}

// Dir returns the absolute path of the folder given to Open.
func (r *Repo) Dir() string { return r.dir }

// Top returns the absolute path of the top of the work tree.
func (r *Repo) Top() string { return r.top }

// GitDir returns the absolute path of the git directory (usually Top/.git).
func (r *Repo) GitDir() string { return r.gitDir }

// Prefix returns the folder given to Open relative to the top of the work
// tree, slash separated, without a trailing slash; it is "" when the folder
// is the top itself.
func (r *Repo) Prefix() string { return r.prefix }

// run runs git in the top of the work tree and returns its standard output.
func (r *Repo) run(ctx context.Context, args ...string) ([]byte, error) {
	return run(ctx, r.git, r.top, args...)
}

// toTop turns a path relative to the records folder into a path relative to
// the top of the work tree. It refuses paths that leave the work tree.
func (r *Repo) toTop(p string) (string, error) {
	p = filepath.ToSlash(p)
	if path.IsAbs(p) || filepath.IsAbs(p) {
		return "", fmt.Errorf("path %q must be relative to the records folder", p)
	}
	full := path.Join(r.prefix, p)
	if full == ".." || strings.HasPrefix(full, "../") {
		return "", fmt.Errorf("path %q is outside the git work tree", p)
	}
	return full, nil
}

// fromTop turns a path relative to the top of the work tree into a path
// relative to the records folder; a path outside that folder gets as many
// "../" as needed.
func (r *Repo) fromTop(p string) string {
	if r.prefix == "" {
		return p
	}
	if p == r.prefix {
		return "."
	}
	if rest, ok := strings.CutPrefix(p, r.prefix+"/"); ok {
		return rest
	}
	up := strings.Count(r.prefix, "/") + 1
	return strings.Repeat("../", up) + p
}

// prefixSpec returns the pathspec arguments that limit a command to the
// records folder: none at the top of the work tree.
func (r *Repo) prefixSpec() []string {
	if r.prefix == "" {
		return nil
	}
	return []string{r.prefix}
}

// strippedEnv lists variables that would make git look at another
// repository, index or pathspec syntax than the one care located from its
// folder. A git hook, for instance, runs with GIT_DIR set.
var strippedEnv = map[string]bool{
	"GIT_DIR":                          true,
	"GIT_WORK_TREE":                    true,
	"GIT_INDEX_FILE":                   true,
	"GIT_OBJECT_DIRECTORY":             true,
	"GIT_ALTERNATE_OBJECT_DIRECTORIES": true,
	"GIT_COMMON_DIR":                   true,
	"GIT_PREFIX":                       true,
	"GIT_NAMESPACE":                    true,
	"GIT_GLOB_PATHSPECS":               true,
	"GIT_NOGLOB_PATHSPECS":             true,
	"GIT_ICASE_PATHSPECS":              true,
	"GIT_LITERAL_PATHSPECS":            true,
	"GIT_TERMINAL_PROMPT":              true,
	"GIT_OPTIONAL_LOCKS":               true,
	"GIT_PAGER":                        true,
	"PAGER":                            true,
	"LC_ALL":                           true,
}

// gitEnv returns the environment of every git process: the user's, minus
// strippedEnv, plus a fixed locale (messages are parsed), no prompts (care
// may run unattended), no optional lock on the index (care only reads, and
// must not disturb a git command the user runs meanwhile), no pager, and
// literal pathspecs (a file name such as "*.yaml" or ":x" means itself).
func gitEnv() []string {
	env := os.Environ()
	out := make([]string, 0, len(env)+6)
	for _, kv := range env {
		k, _, _ := strings.Cut(kv, "=")
		if !strippedEnv[k] {
			out = append(out, kv)
		}
	}
	return append(out,
		"LC_ALL=C",
		"GIT_TERMINAL_PROMPT=0",
		"GIT_OPTIONAL_LOCKS=0",
		"GIT_PAGER=cat",
		"PAGER=cat",
		"GIT_LITERAL_PATHSPECS=1",
	)
}

// globalArgs come before the subcommand of every git call. The log settings
// would otherwise change what "git log" prints: signatures, no changes for
// the root commit, or following renames when not asked.
var globalArgs = []string{
	"--no-pager",
	"-c", "core.quotepath=off",
	"-c", "log.showSignature=false",
	"-c", "log.showRoot=true",
	"-c", "log.follow=false",
}

// gitCommand builds every git process this package starts: args are the
// subcommand and its arguments, dir is the working directory. The returned
// buffer receives standard error, for error messages; read it only after
// the command has finished. The process is killed when ctx is done.
func gitCommand(ctx context.Context, gitPath, dir string, args []string) (*exec.Cmd, *bytes.Buffer) {
	full := make([]string, 0, len(globalArgs)+len(args))
	full = append(full, globalArgs...)
	full = append(full, args...)
	cmd := exec.CommandContext(ctx, gitPath, full...)
	cmd.Dir = dir
	cmd.Env = gitEnv()
	cmd.WaitDelay = 5 * time.Second
	stderr := new(bytes.Buffer)
	cmd.Stderr = stderr
	return cmd, stderr
}

// run runs one git command to completion and returns its standard output;
// a failure is a *GitError carrying git's message.
func run(ctx context.Context, gitPath, dir string, args ...string) ([]byte, error) {
	cmd, stderr := gitCommand(ctx, gitPath, dir, args)
	var stdout bytes.Buffer
	cmd.Stdout = &stdout
	if err := cmd.Run(); err != nil {
		return nil, newGitError(ctx, args, stderr.String(), err)
	}
	return stdout.Bytes(), nil
}

// newGitError describes a failed git command; when ctx is done, the context
// error replaces the "signal: killed" that exec reports.
func newGitError(ctx context.Context, args []string, stderr string, err error) *GitError {
	code := -1
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		code = ee.ExitCode()
	}
	if ctx.Err() != nil {
		err = ctx.Err()
		code = -1
		stderr = ""
	}
	return &GitError{Args: append([]string(nil), args...), ExitCode: code, Stderr: stderr, Err: err}
}

// isFullID reports whether s is a full object id: 40 (SHA-1) or 64 (SHA-256)
// lower-case hexadecimal digits, as git prints them.
func isFullID(s string) bool {
	if len(s) != 40 && len(s) != 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}

// isZeroID reports whether s is the all-zero id git uses for "no object".
func isZeroID(s string) bool {
	return strings.Trim(s, "0") == ""
}

// checkID returns an error unless id is a full object id.
func checkID(kind, id string) error {
	if !isFullID(id) {
		return fmt.Errorf("%s id %q is not a full object id (40 or 64 hexadecimal digits)", kind, id)
	}
	return nil
}
