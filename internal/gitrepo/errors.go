package gitrepo

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// Sentinel errors, for errors.Is. The typed errors below carry the details
// and match one of these.
var (
	// ErrNotRepo means the folder is not inside a git work tree, or git is
	// not installed (see NotRepoError).
	ErrNotRepo = errors.New("not a git repository")
	// ErrUnknownRevision means a revision names no commit (see RevisionError).
	ErrUnknownRevision = errors.New("unknown revision")
	// ErrInvalidRevision means a revision was refused before git saw it, for
	// instance because it starts with "-" (see RevisionError).
	ErrInvalidRevision = errors.New("invalid revision")
	// ErrNoCommitInMonth means no commit is dated on or before the end of a
	// month (see NoCommitInMonthError).
	ErrNoCommitInMonth = errors.New("no commit in month")
	// ErrShallow means the answer lies in history that a shallow clone has
	// not fetched (see ShallowError).
	ErrShallow = errors.New("shallow clone lacks the history needed")
	// ErrMissingObject means the object database has no object with an id.
	ErrMissingObject = errors.New("not found in the repository")
)

// GitError is a git command that failed.
type GitError struct {
	Args     []string // the subcommand and its arguments, without the global options
	ExitCode int      // git's exit status; -1 when it did not exit normally
	Stderr   string   // what git wrote to standard error
	Err      error    // the error from os/exec, or the context's error
}

// Error returns "git <subcommand>: " followed by git's message.
func (e *GitError) Error() string {
	name := "git"
	if len(e.Args) > 0 {
		name += " " + e.Args[0]
	}
	return name + ": " + e.message()
}

// message returns git's own message without "fatal: " or "error: "
// prefixes, on one line, or the exec error when git said nothing.
func (e *GitError) message() string {
	var parts []string
	for _, line := range strings.Split(strings.TrimSpace(e.Stderr), "\n") {
		line = strings.TrimSpace(line)
		line = strings.TrimPrefix(line, "fatal: ")
		line = strings.TrimPrefix(line, "error: ")
		if line != "" {
			parts = append(parts, line)
		}
	}
	if len(parts) == 0 {
		return e.Err.Error()
	}
	return strings.Join(parts, "; ")
}

// Unwrap returns the underlying error, so that errors.Is(err,
// context.Canceled) works.
func (e *GitError) Unwrap() error { return e.Err }

// NotRepoError says why a folder cannot be opened as a git work tree.
type NotRepoError struct {
	Dir        string // the folder as given to Open
	GitMissing bool   // git is not installed or not on PATH
	Detail     string // git's message when it is not the usual "not a git repository"
	Err        error  // the underlying error
}

// Error distinguishes a missing git from a folder outside any repository.
func (e *NotRepoError) Error() string {
	switch {
	case e.GitMissing:
		return fmt.Sprintf("cannot read the history of %q: git is not installed or not on PATH", e.Dir)
	case e.Detail != "":
		return fmt.Sprintf("%q is not in a git work tree: %s", e.Dir, e.Detail)
	default:
		return fmt.Sprintf("%q is not in a git repository", e.Dir)
	}
}

// Hint suggests a fix.
func (e *NotRepoError) Hint() string {
	switch {
	case e.GitMissing:
		return "install git (https://git-scm.com) and make sure the git command is on PATH"
	case e.Detail != "":
		return ""
	default:
		return `run "git init" in the records folder, or point care at a folder inside a git repository`
	}
}

// Is makes errors.Is(err, ErrNotRepo) true.
func (e *NotRepoError) Is(target error) bool { return target == ErrNotRepo }

// Unwrap returns the underlying error; when git is missing it matches
// exec.ErrNotFound.
func (e *NotRepoError) Unwrap() error { return e.Err }

// RevisionError is a revision that was refused or names no commit.
type RevisionError struct {
	Rev    string // the revision as given
	Reason string // why it was refused, or git's message for an unknown one
	Type   string // for a revision that names an object but no commit: "tree" or "blob"
	Err    error  // ErrInvalidRevision or ErrUnknownRevision
}

// Error returns for instance `revision "-x" must not start with "-"` or
// `unknown revision "nope"`.
func (e *RevisionError) Error() string {
	if e.Err == ErrUnknownRevision {
		if e.Reason != "" {
			return fmt.Sprintf("unknown revision %q: %s", e.Rev, e.Reason)
		}
		return fmt.Sprintf("unknown revision %q", e.Rev)
	}
	return fmt.Sprintf("revision %q %s", e.Rev, e.Reason)
}

// Hint suggests a fix.
func (e *RevisionError) Hint() string {
	if e.Err == ErrUnknownRevision {
		return `name a commit by branch, tag, id or a form such as HEAD~1; "git log --oneline" lists commits`
	}
	if strings.HasPrefix(e.Rev, "-") {
		return fmt.Sprintf("to name a branch or tag that starts with \"-\", use its full name, such as refs/heads/%s", e.Rev)
	}
	return ""
}

// Unwrap returns ErrInvalidRevision or ErrUnknownRevision.
func (e *RevisionError) Unwrap() error { return e.Err }

// NoCommitInMonthError says that no commit is dated on or before the end of
// a month.
type NoCommitInMonthError struct {
	Month string    // as given, e.g. "2026-10"
	End   time.Time // the last second of the month (in UTC; only its date counts)
	First time.Time // committer date of the first commit, in its own time zone; zero when there are no commits
}

// Error returns for instance "no commit on or before 2026-10-31; the first
// commit is on 2026-11-03".
func (e *NoCommitInMonthError) Error() string {
	if e.First.IsZero() {
		return fmt.Sprintf("no commit on or before %s; the repository has no commits yet", e.End.Format(time.DateOnly))
	}
	return fmt.Sprintf("no commit on or before %s; the first commit is on %s",
		e.End.Format(time.DateOnly), e.First.Format(time.DateOnly))
}

// Is makes errors.Is(err, ErrNoCommitInMonth) true.
func (e *NoCommitInMonthError) Is(target error) bool { return target == ErrNoCommitInMonth }

// ShallowError says that a shallow clone lacks the commits needed to find
// the state at the end of a month.
type ShallowError struct {
	Month  string    // as given, e.g. "2026-10"
	Start  time.Time // the first second of the month
	End    time.Time // the last second of the month
	Oldest time.Time // committer date of the oldest commit available, in its own time zone
}

// Error returns for instance "no commit on or before 2026-10-31 in this
// shallow clone: the oldest commit fetched is on 2026-11-03".
func (e *ShallowError) Error() string {
	return fmt.Sprintf("no commit on or before %s in this shallow clone: the oldest commit fetched is on %s",
		e.End.Format(time.DateOnly), e.Oldest.Format(time.DateOnly))
}

// Hint says how to fetch the missing history.
func (e *ShallowError) Hint() string {
	return fmt.Sprintf(`fetch older history with "git fetch --shallow-since=%s", or all of it with "git fetch --unshallow"`,
		e.Start.Format(time.DateOnly))
}

// Is makes errors.Is(err, ErrShallow) true.
func (e *ShallowError) Is(target error) bool { return target == ErrShallow }
