package gitrepo

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Commit describes one commit.
type Commit struct {
	ID      string    // full commit id
	Short   string    // abbreviated id, as git abbreviates it in this repository
	Time    time.Time // committer date, in the committer's own time zone
	Author  string    // author name
	Subject string    // first paragraph of the message, on one line
}

// Resolve checks a revision typed by a user (a branch, tag, id, HEAD~1,
// main@{2026-10-31} and so on) and resolves it to a commit. A revision
// starting with "-" is refused before git sees it (ErrInvalidRevision); one
// that names no commit gives ErrUnknownRevision.
func (r *Repo) Resolve(ctx context.Context, rev string) (Commit, error) {
	id, err := r.resolveID(ctx, rev)
	if err != nil {
		return Commit{}, err
	}
	return r.commit(ctx, id)
}

// checkRevision refuses revisions that git could read as an option, or
// that cannot be passed as one argument.
func checkRevision(rev string) error {
	switch {
	case rev == "":
		return &RevisionError{Rev: rev, Reason: "is empty", Err: ErrInvalidRevision}
	case strings.HasPrefix(rev, "-"):
		return &RevisionError{Rev: rev, Reason: `must not start with "-"`, Err: ErrInvalidRevision}
	case strings.ContainsAny(rev, "\x00\n\r"):
		return &RevisionError{Rev: rev, Reason: "must not contain control characters", Err: ErrInvalidRevision}
	}
	return nil
}

// resolveID returns the full id of the commit that rev names.
func (r *Repo) resolveID(ctx context.Context, rev string) (string, error) {
	if err := checkRevision(rev); err != nil {
		return "", err
	}
	out, err := r.run(ctx, "rev-parse", "--verify", "--quiet", "--end-of-options", rev+"^{commit}")
	if err != nil {
		var ge *GitError
		if !errors.As(err, &ge) || ge.ExitCode != 1 {
			return "", fmt.Errorf("resolve %q: %w", rev, err)
		}
		// Perhaps rev names an object that is not a commit (a tree, a
		// blob), or is a form that takes no suffix, such as ":/message".
		id, typ := r.objectType(ctx, rev)
		switch typ {
		case "commit":
			return id, nil
		case "tag":
			if id, typ = r.objectType(ctx, id+"^{}"); typ == "commit" {
				return id, nil
			}
		}
		if typ == "tree" || typ == "blob" {
			return "", &RevisionError{Rev: rev, Reason: "names a " + typ + ", not a commit", Type: typ, Err: ErrUnknownRevision}
		}
		return "", &RevisionError{Rev: rev, Reason: ge.reason(), Err: ErrUnknownRevision}
	}
	id := strings.TrimSpace(string(out))
	if !isFullID(id) {
		return "", fmt.Errorf("resolve %q: unexpected output from git rev-parse: %q", rev, id)
	}
	return id, nil
}

// objectType returns the full id and the type of the object rev (already
// checked by checkRevision) names, or "" for both when it names none.
func (r *Repo) objectType(ctx context.Context, rev string) (id, typ string) {
	out, err := r.run(ctx, "rev-parse", "--verify", "--quiet", "--end-of-options", rev)
	if err != nil {
		return "", ""
	}
	id = strings.TrimSpace(string(out))
	if !isFullID(id) {
		return "", ""
	}
	out, err = r.run(ctx, "cat-file", "-t", id)
	if err != nil {
		return "", ""
	}
	return id, strings.TrimSpace(string(out))
}

// reason returns git's message for a failed rev-parse --verify --quiet,
// which is usually empty.
func (e *GitError) reason() string {
	if strings.TrimSpace(e.Stderr) == "" {
		return ""
	}
	return e.message()
}

// Head returns the commit HEAD points to; ok is false when the current
// branch has no commits yet.
func (r *Repo) Head(ctx context.Context) (c Commit, ok bool, err error) {
	id, ok, err := r.headID(ctx)
	if err != nil || !ok {
		return Commit{}, ok, err
	}
	c, err = r.commit(ctx, id)
	return c, err == nil, err
}

// headID returns the full id of HEAD; ok is false on an unborn branch.
func (r *Repo) headID(ctx context.Context) (id string, ok bool, err error) {
	id, err = r.resolveID(ctx, "HEAD")
	if errors.Is(err, ErrUnknownRevision) {
		return "", false, nil
	}
	if err != nil {
		return "", false, err
	}
	return id, true, nil
}

// IsShallow reports whether the repository is a shallow clone.
func (r *Repo) IsShallow(ctx context.Context) (bool, error) {
	out, err := r.run(ctx, "rev-parse", "--is-shallow-repository")
	if err != nil {
		return false, err
	}
	return strings.TrimSpace(string(out)) == "true", nil
}

var monthRE = regexp.MustCompile(`^(\d{4})-(\d{2})$`)

// MonthBounds returns the first and the last second of a month written
// "2026-10", in loc.
func MonthBounds(month string, loc *time.Location) (start, end time.Time, err error) {
	m := monthRE.FindStringSubmatch(month)
	if m == nil {
		return time.Time{}, time.Time{}, fmt.Errorf("invalid month %q: want YYYY-MM, such as 2026-10", month)
	}
	y, _ := strconv.Atoi(m[1])
	mo, _ := strconv.Atoi(m[2])
	if mo < 1 || mo > 12 {
		return time.Time{}, time.Time{}, fmt.Errorf("invalid month %q: the month must be 01 to 12", month)
	}
	start = time.Date(y, time.Month(mo), 1, 0, 0, 0, 0, loc)
	end = time.Date(y, time.Month(mo)+1, 1, 0, 0, 0, 0, loc).Add(-time.Second)
	return start, end, nil
}

// gitDate writes t in git's internal date format, which every git parses
// the same way whatever the locale.
func gitDate(t time.Time) string {
	return fmt.Sprintf("@%d +0000", t.Unix())
}

// ownDate returns the calendar day of t in its own time zone as yyyymmdd.
func ownDate(t time.Time) int {
	y, m, d := t.Date()
	return y*10000 + int(m)*100 + d
}

// zoneSlack bounds how far ahead of UTC a commit's time zone may be (UTC+14
// is the farthest; git accepts up to ±99:59, hence the margin).
const zoneSlack = 100 * time.Hour

// monthEndBatch is how many candidate commits MonthEnd reads at first.
const monthEndBatch = 64

// MonthEnd returns the state of the records at the end of a month ("2026-10"):
// the last commit on HEAD's first-parent chain whose committer date is on or
// before the month's last day. The date is the commit's own: the calendar
// day in the time zone the commit was made in, which git log shows, so that
// the answer does not depend on the time zone of the machine running care (a
// commit made at 00:30 on 1 November in China belongs to November, on a CI
// runner in UTC too). Following first parents keeps the commits of merged
// side branches, which may be dated earlier than the merge, from standing
// for the state of the main line.
//
// When there is no such commit the error is a *ShallowError (ErrShallow) if
// the clone is shallow and its oldest commit is after the month, with a
// hint how to fetch more; otherwise a *NoCommitInMonthError
// (ErrNoCommitInMonth).
func (r *Repo) MonthEnd(ctx context.Context, month string) (Commit, error) {
	start, end, err := MonthBounds(month, time.UTC)
	if err != nil {
		return Commit{}, err
	}
	head, ok, err := r.headID(ctx)
	if err != nil {
		return Commit{}, err
	}
	if !ok {
		return Commit{}, &NoCommitInMonthError{Month: month, End: end}
	}
	last := ownDate(end)
	// Every commit dated on or before the last day, in any time zone, is
	// older than the bound; among those, the first whose own date is on or
	// before it is the answer.
	args := []string{"log", "-z", "--first-parent", "--encoding=UTF-8", "--format=" + commitFormat, "--before=" + gitDate(end.Add(zoneSlack))}
	for _, max := range []int{monthEndBatch, 0} {
		a := args
		if max > 0 {
			a = append(a, "--max-count="+strconv.Itoa(max))
		}
		out, err := r.run(ctx, append(a, head, "--")...)
		if err != nil {
			return Commit{}, fmt.Errorf("end of %s: %w", month, err)
		}
		entries, err := parseLog(out)
		if err != nil {
			return Commit{}, fmt.Errorf("end of %s: git log: %w", month, err)
		}
		for _, e := range entries {
			if ownDate(e.Commit.Time) <= last {
				return e.Commit, nil
			}
		}
		if max > 0 && len(entries) < max {
			break
		}
	}

	// No commit: say when history starts, and whether it starts there only
	// because the clone is shallow (its boundary commits look parentless).
	out, err := r.run(ctx, "rev-list", "--first-parent", "--max-parents=0", head)
	if err != nil {
		return Commit{}, fmt.Errorf("end of %s: %w", month, err)
	}
	rootID, _, _ := strings.Cut(strings.TrimSpace(string(out)), "\n")
	if !isFullID(rootID) {
		return Commit{}, fmt.Errorf("end of %s: unexpected output from git rev-list: %q", month, out)
	}
	root, err := r.commit(ctx, rootID)
	if err != nil {
		return Commit{}, err
	}
	shallow, err := r.IsShallow(ctx)
	if err != nil {
		return Commit{}, err
	}
	if shallow && ownDate(root.Time) > last {
		return Commit{}, &ShallowError{Month: month, Start: start, End: end, Oldest: root.Time}
	}
	return Commit{}, &NoCommitInMonthError{Month: month, End: end, First: root.Time}
}

// FirstParentCommits returns the commits on HEAD's first-parent chain whose
// committer date lies between since and until (both inclusive; a zero time
// means no bound), newest first. It returns nothing on an unborn branch.
func (r *Repo) FirstParentCommits(ctx context.Context, since, until time.Time) ([]Commit, error) {
	head, ok, err := r.headID(ctx)
	if err != nil || !ok {
		return nil, err
	}
	args := []string{"log", "-z", "--first-parent", "--encoding=UTF-8", "--format=" + commitFormat}
	if !since.IsZero() {
		args = append(args, "--since="+gitDate(since))
	}
	if !until.IsZero() {
		args = append(args, "--until="+gitDate(until))
	}
	args = append(args, head, "--")
	out, err := r.run(ctx, args...)
	if err != nil {
		return nil, err
	}
	entries, err := parseLog(out)
	if err != nil {
		return nil, fmt.Errorf("git log: %w", err)
	}
	commits := make([]Commit, len(entries))
	for i, e := range entries {
		commits[i] = e.Commit
	}
	return commits, nil
}

// commit reads the details of the commit with the full id.
func (r *Repo) commit(ctx context.Context, id string) (Commit, error) {
	if err := checkID("commit", id); err != nil {
		return Commit{}, err
	}
	out, err := r.run(ctx, "log", "-1", "-z", "--encoding=UTF-8", "--format="+commitFormat, id, "--")
	if err != nil {
		return Commit{}, err
	}
	entries, err := parseLog(out)
	if err != nil {
		return Commit{}, fmt.Errorf("git log: %w", err)
	}
	if len(entries) != 1 {
		return Commit{}, fmt.Errorf("git log: expected one commit for %s, got %d", id, len(entries))
	}
	return entries[0].Commit, nil
}

// ShallowBoundary returns the ids of the commits at the edge of a shallow
// clone: those whose parents were not fetched, so that git shows them as
// adding every file. It returns nothing for a complete repository.
func (r *Repo) ShallowBoundary(ctx context.Context) (map[string]bool, error) {
	out, err := r.run(ctx, "rev-parse", "--git-path", "shallow")
	if err != nil {
		return nil, err
	}
	p := strings.TrimSpace(string(out))
	if !filepath.IsAbs(p) {
		p = filepath.Join(r.top, p)
	}
	data, err := os.ReadFile(p)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	ids := map[string]bool{}
	for _, line := range strings.Fields(string(data)) {
		if isFullID(line) {
			ids[line] = true
		}
	}
	return ids, nil
}
