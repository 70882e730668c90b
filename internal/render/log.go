package render

import (
	"fmt"
	"io"

	"github.com/care-tool/care/internal/diff"
	"github.com/care-tool/care/internal/i18n"
)

// LogEntry is one commit of a child's history and what it changed in the
// child's records.
type LogEntry struct {
	Commit  string // full commit id
	Short   string // abbreviated commit id
	Date    string // commit date, YYYY-MM-DD
	Author  string
	Subject string
	Paths   []string   // the child's files the commit touched (new paths)
	Diff    *diff.Diff // the semantic change to those files
}

// LogView is the history of one child, newest commit first.
type LogView struct {
	ChildID   string
	ChildName string
	Entries   []LogEntry
	Lang      i18n.Lang
	ShowPII   bool
	Color     bool
}

func (v *LogView) title() string {
	l := v.Lang
	who := v.ChildID
	if v.ChildName != "" {
		who += " " + v.ChildName
	}
	n := len(v.Entries)
	return l.Pick(fmt.Sprintf("%s：%d 个提交（最新的在前）", who, n),
		fmt.Sprintf("%s: %d %s, newest first", who, n, plural(n, "commit")))
}

// Text writes each commit as a line of date, commit, author and subject,
// followed by the semantic change in the sections of a diff, each talk log
// listed.
func (v *LogView) Text(w io.Writer) error {
	l := v.Lang
	m := &piiMasker{show: v.ShowPII}
	tw := &diffTextWriter{color: v.Color}
	tw.title("", v.title())
	for _, e := range v.Entries {
		short := e.Short
		if v.Color {
			short = yellow + short + reset
		}
		fmt.Fprintf(&tw.b, "\n%s  %s  %s  %s\n", e.Date, short, e.Author, e.Subject)
		ss := diffSections(e.Diff, l, m, true)
		if len(ss) == 0 {
			tw.b.WriteString("  " + l.Pick("（记录内容没有变化）", "(no change to the records' content)") + "\n")
		}
		tw.writeSections("  ", ss, false)
	}
	if m.masked {
		tw.b.WriteString("\n" + piiMaskNote(l) + "\n")
	}
	_, err := io.WriteString(w, cleanOutput(tw.b.String(), v.Color))
	return err
}

// JSON writes the history as one object: the child and the commits, newest
// first, each with the changes in the shape of care diff's JSON.
func (v *LogView) JSON(w io.Writer) error {
	m := &piiMasker{show: v.ShowPII}
	type jsonEntry struct {
		Commit  string   `json:"commit"`
		Short   string   `json:"short"`
		Date    string   `json:"date"`
		Author  string   `json:"author"`
		Subject string   `json:"subject"`
		Paths   []string `json:"paths"`
		diffJSON
	}
	out := struct {
		Child struct {
			ID   string `json:"id"`
			Name string `json:"name"`
		} `json:"child"`
		Commits   []jsonEntry `json:"commits"`
		PIIMasked bool        `json:"pii_masked"`
	}{Commits: []jsonEntry{}, PIIMasked: !v.ShowPII}
	out.Child.ID, out.Child.Name = v.ChildID, v.ChildName
	for _, e := range v.Entries {
		paths := e.Paths
		if paths == nil {
			paths = []string{}
		}
		out.Commits = append(out.Commits, jsonEntry{Commit: e.Commit, Short: e.Short, Date: e.Date, Author: e.Author,
			Subject: e.Subject, Paths: paths, diffJSON: newDiffJSON(e.Diff, m)})
	}
	return writeDiffJSON(w, out)
}
