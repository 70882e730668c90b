package gitrepo

import (
	"context"
	"fmt"
	"strconv"
	"strings"
)

// File modes as git records them.
const (
	ModeFile       uint32 = 0o100644 // regular file
	ModeExecutable uint32 = 0o100755 // executable file
	ModeSymlink    uint32 = 0o120000 // symbolic link; the blob holds the target
	ModeGitlink    uint32 = 0o160000 // submodule; not a blob
)

// Entry is one file of a commit's tree.
type Entry struct {
	Path string // relative to the records folder, slash separated
	Blob string // full blob id
	Mode uint32 // ModeFile, ModeExecutable or ModeSymlink
}

// IsSymlink reports whether the entry is a symbolic link, whose blob holds
// the link's target rather than a file's content.
func (e Entry) IsSymlink() bool { return e.Mode == ModeSymlink }

// ListTree lists the files under the records folder in the commit with the
// full id commitID, recursively, in git's order. Submodules are left out;
// symbolic links are included and marked by ModeSymlink.
func (r *Repo) ListTree(ctx context.Context, commitID string) ([]Entry, error) {
	if err := checkID("commit", commitID); err != nil {
		return nil, fmt.Errorf("list tree: %w", err)
	}
	// --full-tree makes both the pathspec and the output relative to the
	// top, whatever the working directory; the prefix limits the listing to
	// the records folder (ls-tree matches whole path components, so "a/b"
	// does not match "a/bc").
	args := append([]string{"ls-tree", "-r", "-z", "--full-tree", commitID, "--"}, r.prefixSpec()...)
	out, err := r.run(ctx, args...)
	if err != nil {
		return nil, fmt.Errorf("list tree of %s: %w", commitID, err)
	}
	var entries []Entry
	for _, rec := range strings.Split(string(out), "\x00") {
		if rec == "" {
			continue
		}
		// <mode> SP <type> SP <object> TAB <path>
		meta, p, ok := strings.Cut(rec, "\t")
		f := strings.Fields(meta)
		if !ok || len(f) != 3 {
			return nil, fmt.Errorf("list tree of %s: unexpected line %q", commitID, truncate(rec, 120))
		}
		if f[1] != "blob" {
			continue
		}
		mode, err := strconv.ParseUint(f[0], 8, 32)
		if err != nil || !isFullID(f[2]) {
			return nil, fmt.Errorf("list tree of %s: unexpected line %q", commitID, truncate(rec, 120))
		}
		if r.prefix != "" && !strings.HasPrefix(p, r.prefix+"/") {
			continue // "--" or a pathspec quirk let in something outside
		}
		entries = append(entries, Entry{Path: r.fromTop(p), Blob: f[2], Mode: uint32(mode)})
	}
	return entries, nil
}

// Dirty reports whether the records of the records folder (care.yaml and
// the children, pairings and talks folders) have changes not yet
// committed: staged or unstaged changes to tracked files, or untracked files
// that are not ignored. Other files (a report written with -o, notes, a
// spreadsheet) do not count: the question is whether the data differs from
// the commit.
func (r *Repo) Dirty(ctx context.Context) (bool, error) {
	args := []string{"status", "--porcelain=v1", "-z", "--untracked-files=all", "--"}
	for _, p := range []string{"care.yaml", "children", "pairings", "talks"} {
		if r.prefix != "" {
			p = r.prefix + "/" + p
		}
		args = append(args, p)
	}
	out, err := r.run(ctx, args...)
	if err != nil {
		return false, err
	}
	return len(out) > 0, nil
}

// WorkTreeBlobIDs maps the path (relative to the records folder) of each
// tracked regular file whose work-tree content equals the index to its blob
// id in the index, so that a caller can reuse what it knows about that blob
// instead of reading the file. Files modified or deleted in the work tree,
// unmerged ones, symbolic links, submodules, and entries marked
// skip-worktree or assume-unchanged are left out.
//
// The blob holds the content after git's clean filters (line-ending
// conversion, for instance), which may differ byte for byte from the file.
// The answer is a snapshot: a file written after the call is not seen.
func (r *Repo) WorkTreeBlobIDs(ctx context.Context) (map[string]string, error) {
	// -v tags each entry: "H" cached, "S" skip-worktree, "M" unmerged, and
	// lower case when assume-unchanged (git would not notice a change).
	args := append([]string{"ls-files", "-s", "-v", "-z", "--"}, r.prefixSpec()...)
	out, err := r.run(ctx, args...)
	if err != nil {
		return nil, err
	}
	ids := make(map[string]string)
	for _, rec := range strings.Split(string(out), "\x00") {
		if rec == "" {
			continue
		}
		// <tag> SP <mode> SP <object> SP <stage> TAB <path>
		meta, p, ok := strings.Cut(rec, "\t")
		f := strings.Fields(meta)
		if !ok || len(f) != 4 {
			return nil, fmt.Errorf("git ls-files: unexpected line %q", truncate(rec, 120))
		}
		if f[0] != "H" || f[3] != "0" || !isFullID(f[2]) {
			continue
		}
		if f[1] != "100644" && f[1] != "100755" {
			continue
		}
		ids[p] = f[2]
	}

	// "git status" compares content where the stat data differs, so a file
	// merely touched still counts as unchanged. Y, the second letter, is the
	// work tree against the index.
	args = append([]string{"status", "--porcelain=v1", "-z", "--untracked-files=no", "--"}, r.prefixSpec()...)
	out, err = r.run(ctx, args...)
	if err != nil {
		return nil, err
	}
	toks := strings.Split(string(out), "\x00")
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		if t == "" {
			continue
		}
		if len(t) < 4 || t[2] != ' ' {
			return nil, fmt.Errorf("git status: unexpected entry %q", truncate(t, 120))
		}
		x, y, p := t[0], t[1], t[3:]
		if x == 'R' || x == 'C' {
			i++ // the next token is the path before the rename
		}
		if y != ' ' || x == 'U' || y == 'U' {
			delete(ids, p)
		}
	}

	result := make(map[string]string, len(ids))
	for p, id := range ids {
		result[r.fromTop(p)] = id
	}
	return result, nil
}
