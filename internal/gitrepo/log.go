package gitrepo

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// recordMark starts each commit in the output of commitFormat. Fields and
// raw changes are NUL-terminated and read by position, so no subject or
// file name can be mistaken for a mark.
const recordMark = "\x1e"

// commitFormat prints the mark and the fields of a Commit, each followed by
// NUL. %s (the subject) never holds a newline or a NUL; %cI keeps the
// committer's time zone.
const commitFormat = "%x1e%x00%H%x00%h%x00%cI%x00%an%x00%s%x00"

// commitFields is the number of fields after the mark.
const commitFields = 5

// LogOptions tunes Log.
type LogOptions struct {
	// From is the full id of the commit to start from (from Resolve or
	// Head); "" means HEAD.
	From string
	// Follow follows a single file across renames ("git log --follow");
	// Log then needs exactly one path.
	Follow bool
	// FirstParent walks the first-parent chain only, and lists the changes a
	// merge brought to it; without it, merge commits carry no Changes (the
	// commits on the merged branch do).
	FirstParent bool
	// Max limits the number of commits; 0 means no limit.
	Max int
}

// LogEntry is one commit and the changes it made to the paths asked for.
type LogEntry struct {
	Commit  Commit
	Changes []Change
}

// Change is one file changed by a commit, compared with its (first) parent.
type Change struct {
	// Status is git's letter: 'A' added, 'M' modified, 'D' deleted,
	// 'R' renamed, 'C' copied, 'T' type changed (for instance file to symlink).
	Status byte
	// OldPath is the path before a rename or copy; "" otherwise.
	OldPath string
	// Path is the path after the change; for 'D', the deleted path.
	Path string
	// OldBlob and NewBlob are the full blob ids before and after; "" when
	// there is none (OldBlob for 'A', NewBlob for 'D').
	OldBlob, NewBlob string
	// OldMode and NewMode are the file modes before and after, 0 when there
	// is no file; see ModeFile and the other Mode constants.
	OldMode, NewMode uint32
}

// Log returns the commits that touched any of paths (relative to the records
// folder; none means the whole folder), newest first, each with its changes
// to those paths. Renames are detected (-M); paths are slash separated and
// relative to the records folder, with "../" for a file renamed from outside
// it. An unborn branch has no log.
func (r *Repo) Log(ctx context.Context, paths []string, opts LogOptions) ([]LogEntry, error) {
	if opts.Follow && len(paths) != 1 {
		return nil, fmt.Errorf("log: following renames needs exactly one path, got %d", len(paths))
	}
	from := opts.From
	if from == "" {
		id, ok, err := r.headID(ctx)
		if err != nil || !ok {
			return nil, err
		}
		from = id
	} else if err := checkID("commit", from); err != nil {
		return nil, fmt.Errorf("log: %w", err)
	}
	specs := r.prefixSpec()
	if len(paths) > 0 {
		specs = make([]string, 0, len(paths))
		for _, p := range paths {
			tp, err := r.toTop(p)
			if err != nil {
				return nil, fmt.Errorf("log: %w", err)
			}
			specs = append(specs, tp)
		}
	}
	args := []string{"log", "-z", "--raw", "--no-abbrev", "-M", "--encoding=UTF-8", "--format=" + commitFormat}
	if opts.FirstParent {
		args = append(args, "--first-parent", "--diff-merges=first-parent")
	}
	if opts.Follow {
		args = append(args, "--follow")
	}
	if opts.Max > 0 {
		args = append(args, "--max-count="+strconv.Itoa(opts.Max))
	}
	args = append(args, from, "--")
	args = append(args, specs...)
	out, err := r.run(ctx, args...)
	if err != nil {
		return nil, err
	}
	entries, err := parseLog(out)
	if err != nil {
		return nil, fmt.Errorf("git log: %w", err)
	}
	for i := range entries {
		for j := range entries[i].Changes {
			c := &entries[i].Changes[j]
			c.Path = r.fromTop(c.Path)
			if c.OldPath != "" {
				c.OldPath = r.fromTop(c.OldPath)
			}
		}
	}
	return entries, nil
}

// parseLog reads the output of "git log -z [--raw] --format=commitFormat".
// Paths are left relative to the top of the work tree.
//
// The output is a sequence of NUL-terminated tokens: the mark, the commit
// fields, then for each change a raw header (":old new oldid newid S",
// preceded by a newline after the fields) and one path, or two for renames
// and copies. Empty tokens separate commits.
func parseLog(out []byte) ([]LogEntry, error) {
	toks := strings.Split(string(out), "\x00")
	var entries []LogEntry
	for i := 0; i < len(toks); {
		t := strings.TrimLeft(toks[i], "\n")
		switch {
		case t == "":
			i++
		case t == recordMark:
			if i+commitFields >= len(toks) {
				return nil, fmt.Errorf("truncated commit record")
			}
			c, err := parseCommit(toks[i+1 : i+1+commitFields])
			if err != nil {
				return nil, err
			}
			entries = append(entries, LogEntry{Commit: c})
			i += 1 + commitFields
		case t[0] == ':':
			if len(entries) == 0 {
				return nil, fmt.Errorf("change before the first commit")
			}
			ch, n, err := parseRaw(t, toks[i+1:])
			if err != nil {
				return nil, fmt.Errorf("commit %s: %w", entries[len(entries)-1].Commit.ID, err)
			}
			last := &entries[len(entries)-1]
			last.Changes = append(last.Changes, ch)
			i += 1 + n
		default:
			return nil, fmt.Errorf("unexpected %q", truncate(t, 40))
		}
	}
	return entries, nil
}

// parseCommit reads the fields printed by commitFormat.
func parseCommit(f []string) (Commit, error) {
	if !isFullID(f[0]) {
		return Commit{}, fmt.Errorf("bad commit id %q", truncate(f[0], 70))
	}
	t, err := time.Parse(time.RFC3339, f[2])
	if err != nil {
		return Commit{}, fmt.Errorf("commit %s: bad date: %w", f[0], err)
	}
	return Commit{ID: f[0], Short: f[1], Time: t, Author: f[3], Subject: f[4]}, nil
}

// parseRaw reads one raw change: the header h (":100644 100644 old new M")
// and its paths from rest. It returns how many tokens of rest it used.
func parseRaw(h string, rest []string) (Change, int, error) {
	f := strings.Fields(h[1:])
	if len(f) != 5 || f[4] == "" {
		return Change{}, 0, fmt.Errorf("bad raw change %q", truncate(h, 120))
	}
	oldMode, err1 := strconv.ParseUint(f[0], 8, 32)
	newMode, err2 := strconv.ParseUint(f[1], 8, 32)
	if err1 != nil || err2 != nil || !isFullID(f[2]) || !isFullID(f[3]) {
		return Change{}, 0, fmt.Errorf("bad raw change %q", truncate(h, 120))
	}
	c := Change{Status: f[4][0], OldMode: uint32(oldMode), NewMode: uint32(newMode)}
	if !isZeroID(f[2]) {
		c.OldBlob = f[2]
	}
	if !isZeroID(f[3]) {
		c.NewBlob = f[3]
	}
	n := 1
	if c.Status == 'R' || c.Status == 'C' {
		n = 2
	}
	if len(rest) < n {
		return Change{}, 0, fmt.Errorf("truncated raw change %q", truncate(h, 120))
	}
	if n == 2 {
		c.OldPath, c.Path = rest[0], rest[1]
	} else {
		c.Path = rest[0]
	}
	if c.Path == "" {
		return Change{}, 0, fmt.Errorf("raw change %q without a path", truncate(h, 120))
	}
	return c, n, nil
}

// truncate shortens s for an error message.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
