package cli

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"path"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/care-tool/care/internal/diff"
	"github.com/care-tool/care/internal/gitrepo"
	"github.com/care-tool/care/internal/record"
	"github.com/care-tool/care/internal/render"
	"github.com/care-tool/care/internal/store"
)

type logOptions struct {
	format  string
	showPII bool
}

func (app *App) newLogCmd() *cobra.Command {
	opts := &logOptions{}
	cmd := &cobra.Command{
		Use:   "log CHILD",
		Short: "Show a child's history: every commit that changed their file, pairings or talk logs",
		Long: `List every commit that touched a child's records — their file under
children/ (followed across moves and renames), their pairings and their talk
logs — newest first, with the date, the author, the commit subject and what
changed, field by field (guardian.phone, enrolment[2026-11-20].status, …),
as care diff shows it. For reviews and audits.

CHILD is the child's id (the file name under children/ without .yaml). A
record belongs to the child when its content says so (id for the child's
file, child for pairings and talk logs), whatever the file is called.
Commits on merged branches are listed themselves; merge commits are not. In
a shallow clone the history stops at the oldest commit fetched.

Phone numbers, id numbers and addresses are masked unless --show-pii.

Exit status:
  0  the history was written
  1  not used
  2  usage or runtime error (not a git repository, a child id that never existed)`,
		Example: `  care log 2024031
  care log 2024031 --format json
  care log 2024031 --show-pii --lang en`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return app.runLog(cmd.Context(), opts, args[0])
		},
		ValidArgsFunction: func(_ *cobra.Command, args []string, _ string) ([]string, cobra.ShellCompDirective) {
			if len(args) > 0 {
				return nil, cobra.ShellCompDirectiveNoFileComp
			}
			root, err := app.root()
			if err != nil {
				return nil, cobra.ShellCompDirectiveNoFileComp
			}
			l, err := store.LoadDir(root)
			if err != nil {
				return nil, cobra.ShellCompDirectiveNoFileComp
			}
			return app.childIDs(l), cobra.ShellCompDirectiveNoFileComp
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.format, "format", "text", "output format: text or json")
	f.BoolVar(&opts.showPII, "show-pii", false, "show phone and id numbers and addresses in full")
	completeFixed(cmd, "format", "text", "json")
	return cmd
}

func (app *App) runLog(ctx context.Context, opts *logOptions, id string) error {
	if opts.format != "text" && opts.format != "json" {
		return usagef("--format must be text or json, not %q", opts.format)
	}
	h, err := app.openHistory(ctx)
	if err != nil {
		return err
	}
	l := h.lang
	if strings.TrimSpace(id) == "" || strings.ContainsAny(id, "/\\\n") {
		return usagef("%s", l.Pick(fmt.Sprintf("儿童编号 %q 无效", id), fmt.Sprintf("invalid child id %q", id)))
	}

	current := currentChild(h.root, id)
	entries, err := h.repo.Log(ctx, nil, gitrepo.LogOptions{})
	if err != nil {
		return gitError(l, err)
	}
	loader := store.NewGitLoader(h.repo)
	defer loader.Close()
	hist, err := childHistory(ctx, loader, entries, id)
	if err != nil {
		return err
	}

	name := ""
	if current != nil {
		name = current.Name
	} else if hist.latest != nil {
		name = hist.latest.Name
	}
	if len(hist.entries) == 0 && current == nil {
		return withHint(errors.New(l.Pick(fmt.Sprintf("没有编号为 %q 的儿童：当前记录和 git 历史中都没有", id),
			fmt.Sprintf("no child with id %q: not in the records now nor in the git history", id))),
			l.Pick("儿童编号是 children/ 下的文件名（不含 .yaml），例如 care log 2024031", "a child id is the file name under children/ without .yaml, e.g. care log 2024031"))
	}

	// Name things by the current care.yaml, and the child by their latest file.
	ref := current
	if ref == nil {
		ref = hist.latest
	}
	// In a shallow clone the oldest commits fetched look as if they added
	// every file: what they changed cannot be known, so they are left out.
	boundary, _ := h.repo.ShallowBoundary(ctx)
	var cut []string
	var out []render.LogEntry
	for _, e := range hist.entries {
		if boundary[e.commit.ID] {
			cut = append(cut, shortID(e.commit))
			continue
		}
		before, after := store.Decode(e.before), store.Decode(e.after)
		before.Config, after.Config = h.cfg, h.cfg
		if ref != nil && !e.childTouched {
			// Pairings and talk logs name the child and their class.
			before.Children = []*record.Child{ref}
			after.Children = []*record.Child{ref}
		}
		out = append(out, render.LogEntry{
			Commit: e.commit.ID, Short: shortID(e.commit), Date: e.commit.Time.Format(time.DateOnly),
			Author: e.commit.Author, Subject: e.commit.Subject, Paths: e.paths,
			Diff: diff.Compare(before, after, diff.Options{}),
		})
	}
	v := &render.LogView{ChildID: id, ChildName: name, Entries: out, Lang: l, ShowPII: opts.showPII, Color: app.IO.ColorEnabled()}
	if len(out) == 0 && len(cut) == 0 {
		fmt.Fprintln(app.IO.ErrOut, "care: "+l.Pick(fmt.Sprintf("还没有提交涉及 %s 的记录（只在工作区中）", id),
			fmt.Sprintf("no commit touches the records of %s yet (they are only in the working tree)", id)))
	}
	if len(cut) > 0 {
		fmt.Fprintln(app.IO.ErrOut, "care: "+l.Pick(fmt.Sprintf("注意：这是浅克隆，更早的历史没有获取；最早获取的提交 %s 的父提交不在本地，无法列出它的变化（git fetch --unshallow 获取全部历史）", strings.Join(cut, "、")),
			fmt.Sprintf("note: this is a shallow clone; older history is not fetched, and the oldest commit fetched, %s, is left out: its parent is not here to compare with (git fetch --unshallow fetches all of it)", strings.Join(cut, ", "))))
	} else if shallow, err := h.repo.IsShallow(ctx); err == nil && shallow {
		fmt.Fprintln(app.IO.ErrOut, "care: "+l.Pick("注意：这是浅克隆，更早的历史没有获取（git fetch --unshallow 获取全部历史）",
			"note: this is a shallow clone; older history is not fetched (git fetch --unshallow fetches all of it)"))
	}
	if opts.format == "json" {
		return v.JSON(app.IO.Out)
	}
	return v.Text(app.IO.Out)
}

// currentChild returns the child's file in the working tree, found by its
// name (a child's file is named after its id), or nil.
func currentChild(root, id string) *record.Child {
	paths, _, err := store.ListDir(root)
	if err != nil {
		return nil
	}
	for _, p := range paths {
		if k, _ := store.KindOf(p); k != record.KindChild {
			continue
		}
		base := path.Base(p)
		if base != id+".yaml" && base != id+".yml" {
			continue
		}
		data, err := store.ReadFile(root, p)
		if err != nil {
			continue
		}
		f, _ := record.Parse(p, record.KindChild, data)
		if f.Doc == nil {
			continue
		}
		if c := record.DecodeChild(f); c.ID == id {
			return c
		}
	}
	return nil
}

// childHistEntry is one commit that touched a child's records: the versions
// of those records before and after it.
type childHistEntry struct {
	commit        gitrepo.Commit
	before, after []*record.File
	paths         []string
	childTouched  bool // the child's own file is among them
}

type childHist struct {
	entries []childHistEntry
	latest  *record.Child // the newest version of the child's file in history
}

// regularBlob reports whether a mode is that of a regular file (not a link or
// a submodule), whose blob is a record's content.
func regularBlob(mode uint32) bool {
	return mode == gitrepo.ModeFile || mode == gitrepo.ModeExecutable
}

// childHistory picks from the log of the records folder the commits that
// touched the child's records. Every blob the log mentions is read at once
// (one pipelined cat-file); only those whose content holds the child's id
// are parsed, once per blob, and then kept when the record belongs to the
// child: its id (a child's file) or its child field (pairings, talks).
func childHistory(ctx context.Context, g *store.GitLoader, entries []gitrepo.LogEntry, id string) (*childHist, error) {
	var ids []string
	for _, e := range entries {
		for _, c := range e.Changes {
			if c.OldBlob != "" && regularBlob(c.OldMode) && store.IsRecordPath(changeOldPath(c)) {
				ids = append(ids, c.OldBlob)
			}
			if c.NewBlob != "" && regularBlob(c.NewMode) && store.IsRecordPath(c.Path) {
				ids = append(ids, c.NewBlob)
			}
		}
	}
	blobs, err := g.ReadBlobs(ctx, ids)
	if err != nil {
		return nil, err
	}
	needle := []byte(id)
	type key struct{ path, blob string }
	memo := map[key]*record.File{}
	// belongs returns the parse of the blob at p when the record is the
	// child's, else nil.
	belongs := func(p, blob string, mode uint32) *record.File {
		if blob == "" || !regularBlob(mode) || !store.IsRecordPath(p) {
			return nil
		}
		k := key{p, blob}
		if f, ok := memo[k]; ok {
			return f
		}
		memo[k] = nil
		data := blobs[blob]
		if !bytes.Contains(data, needle) {
			return nil
		}
		f := g.ParseBlobData(p, blob, data)
		if f == nil || f.Doc == nil {
			return nil
		}
		var owner string
		switch f.Kind {
		case record.KindChild:
			owner = record.DecodeChild(f).ID
		case record.KindPairing:
			owner = record.DecodePairing(f).Child
		case record.KindTalk:
			owner = record.DecodeTalk(f).Child
		}
		if owner != id {
			return nil
		}
		memo[k] = f
		return f
	}

	h := &childHist{}
	for _, e := range entries {
		he := childHistEntry{commit: e.Commit}
		for _, c := range e.Changes {
			of := belongs(changeOldPath(c), c.OldBlob, c.OldMode)
			nf := belongs(c.Path, c.NewBlob, c.NewMode)
			if of == nil && nf == nil {
				continue
			}
			if of != nil {
				he.before = append(he.before, of)
				he.childTouched = he.childTouched || of.Kind == record.KindChild
			}
			if nf != nil {
				he.after = append(he.after, nf)
				he.childTouched = he.childTouched || nf.Kind == record.KindChild
				if nf.Kind == record.KindChild && h.latest == nil {
					h.latest = record.DecodeChild(nf)
				}
			}
			he.paths = append(he.paths, c.Path)
		}
		if len(he.paths) > 0 {
			h.entries = append(h.entries, he)
		}
	}
	return h, nil
}

// changeOldPath returns the path of a change's old side.
func changeOldPath(c gitrepo.Change) string {
	if c.OldPath != "" {
		return c.OldPath
	}
	return c.Path
}

// shortID returns the abbreviated id of a commit: git's own abbreviation,
// or the first seven digits when git printed the full id (as "git log
// --no-abbrev" does).
func shortID(c gitrepo.Commit) string {
	if c.Short != "" && len(c.Short) < len(c.ID) {
		return c.Short
	}
	if len(c.ID) > 7 {
		return c.ID[:7]
	}
	return c.ID
}
