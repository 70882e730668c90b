package synth

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/care-tool/care/internal/record"
)

func (g *Repo) config() []byte {
	var b strings.Builder
	b.WriteString("# 关爱工程设置文件（由 bench/gen 生成的合成数据，人物均为虚构）\nversion: 1\n\nschool:\n")
	fmt.Fprintf(&b, "  name: 仙桃市合成镇中心学校\n  code: %q\n\nlocale: zh\n\nterms:\n", "4290049999")
	for _, t := range g.terms {
		fmt.Fprintf(&b, "  - id: %s\n    name: %s\n    start: %s\n    end: %s\n", t.ID, t.Name, t.Start, t.End)
	}
	b.WriteString("\nschool_age:\n  min: 6\n  max: 15\n  cutoff: \"08-31\"\n\nstaff:\n")
	for _, s := range g.staff {
		fmt.Fprintf(&b, "  - id: %s\n    name: %s\n", s.id, s.name)
	}
	b.WriteString("\nclasses:\n")
	for _, k := range g.classes {
		fmt.Fprintf(&b, "  - id: %q\n    name: %s\n    grade: %d\n    head_teacher: %s\n", k.id, k.name, k.grade, k.head)
	}
	b.WriteString("\ntargets:\n  filing: 1.0\n  enrolment: 1.0\n  retention: 1.0\n  talks: 1.0\n  parent_contact: 1.0\n  mentoring: 1.0\n  peer_help: 0.9\n")
	b.WriteString("\nrules:\n  talks_per_month: 1\n  talk_by: head_teacher\n")
	return []byte(b.String())
}

func (c *child) path() string {
	if c.class == "" {
		return "children/preschool/" + c.id + ".yaml"
	}
	return "children/" + c.class + "/" + c.id + ".yaml"
}

// render writes c's file as it stood on day asOf: later enrolment events
// and a later end of being left-behind are not known yet.
func (c *child) render(asOf record.Date) []byte {
	var b strings.Builder
	fmt.Fprintf(&b, "id: %q\nname: %s\ngender: %s\nbirth_date: %s\n", c.id, c.name, c.gender, c.birth)
	if c.idNumber != "" {
		fmt.Fprintf(&b, "id_number: %q\n", c.idNumber)
	}
	if c.class != "" {
		fmt.Fprintf(&b, "class: %q\n", c.class)
	} else {
		b.WriteString("class: null\n")
	}
	switch c.boarding {
	case 1:
		b.WriteString("boarding: false\n")
	case 2:
		b.WriteString("boarding: true\n")
	}
	fmt.Fprintf(&b, "address: %s\n", plain(c.address))
	if !c.noHealth {
		fmt.Fprintf(&b, "health: %s\n", plain(c.health))
	}
	fmt.Fprintf(&b, "left_behind:\n  since: %s\n", c.since)
	if c.until != 0 && c.until <= asOf {
		fmt.Fprintf(&b, "  until: %s\n", c.until)
	} else {
		b.WriteString("  until: null\n")
	}
	fmt.Fprintf(&b, "  type: %s\n", c.lbType)
	if len(c.parents) == 0 {
		b.WriteString("parents: []\n")
	} else {
		b.WriteString("parents:\n")
	}
	for _, p := range c.parents {
		fmt.Fprintf(&b, "  - name: %s\n    relation: %s\n    phone: %q\n", p.name, p.relation, p.phone)
		if p.workSet {
			fmt.Fprintf(&b, "    work_address: %s\n", plain(p.work))
		} else {
			b.WriteString("    work_address: \"\"\n")
		}
		if p.employer != "" {
			fmt.Fprintf(&b, "    employer: %s\n", plain(p.employer))
		}
	}
	if gd := c.guardian; gd != nil {
		fmt.Fprintf(&b, "guardian:\n  name: %s\n  relation: %s\n  delegated: %s\n  age: %d\n  occupation: %s\n",
			gd.name, gd.relation, boolStr(gd.delegated), gd.age, plain(gd.occupation))
		if !gd.noPhone {
			fmt.Fprintf(&b, "  phone: %q\n", gd.phone)
		}
		fmt.Fprintf(&b, "  address: %s\n  health: %s\n", plain(gd.address), plain(gd.health))
	} else {
		b.WriteString("guardian: null\n")
	}
	n := 0
	for _, e := range c.events {
		if e.date <= asOf {
			n++
		}
	}
	if n == 0 {
		b.WriteString("enrolment: []\n")
	} else {
		b.WriteString("enrolment:\n")
	}
	for _, e := range c.events {
		if e.date > asOf {
			continue
		}
		fmt.Fprintf(&b, "  - date: %s\n    status: %s\n", e.date, e.status)
		if e.from != "" {
			fmt.Fprintf(&b, "    from: %s\n", plain(e.from))
		}
		if e.school != "" {
			fmt.Fprintf(&b, "    school: %s\n", plain(e.school))
		}
	}
	if c.hasSupport {
		fmt.Fprintf(&b, "support:\n  priority: %s\n  poor: %s\n  struggling: %s\n", boolStr(c.priority), boolStr(c.poor), boolStr(c.struggling))
		if len(c.aid) > 0 {
			fmt.Fprintf(&b, "  aid: [%s]\n", strings.Join(c.aid, ", "))
		}
	}
	if c.notes != "" {
		if strings.Contains(c.notes, "\n") {
			b.WriteString("notes: |\n")
			for _, l := range strings.Split(c.notes, "\n") {
				b.WriteString("  " + l + "\n")
			}
		} else {
			fmt.Fprintf(&b, "notes: %s\n", plain(c.notes))
		}
	}
	return []byte(b.String())
}

// render writes p's file as it stood on day asOf.
func (p *pairing) render(asOf record.Date) []byte {
	var b strings.Builder
	fmt.Fprintf(&b, "child: %q\nrole: %s\nmentor: %s\nstart: %s\n", p.child, p.role, plain(p.mentor), p.start)
	if p.end != 0 && p.end <= asOf {
		fmt.Fprintf(&b, "end: %s\n", p.end)
	} else {
		b.WriteString("end: null\n")
	}
	fmt.Fprintf(&b, "focus: [%s]\nplan: %s\n", strings.Join(p.focus, ", "), plain(p.plan))
	n := 0
	for _, r := range p.reviews {
		if r.date <= asOf {
			if n == 0 {
				b.WriteString("reviews:\n")
			}
			n++
			fmt.Fprintf(&b, "  - date: %s\n    note: %s\n", r.date, plain(r.note))
		}
	}
	if n == 0 {
		b.WriteString("reviews: []\n")
	}
	return []byte(b.String())
}

func (t *talk) render() []byte {
	var b strings.Builder
	fmt.Fprintf(&b, "child: %q\ndate: %s\nby: %s\nkind: %s\ntopic: %s\nsummary: |\n", t.child, t.date, t.by, t.kind, plain(t.topic))
	for _, l := range t.summary {
		b.WriteString("  " + l + "\n")
	}
	if t.followUp != "" {
		fmt.Fprintf(&b, "follow_up: %s\n", plain(t.followUp))
	} else {
		b.WriteString("follow_up: \"\"\n")
	}
	return []byte(b.String())
}

// Files returns every file of the repository as it stands on day asOf,
// sorted by path.
func (g *Repo) Files(asOf record.Date) []File {
	files := []File{{Path: "care.yaml", Data: g.config()}}
	for _, c := range g.children {
		if c.created <= asOf {
			files = append(files, File{Path: c.path(), Data: c.render(asOf)})
		}
	}
	for _, p := range g.pairings {
		if p.start <= asOf {
			files = append(files, File{Path: p.path, Data: p.render(asOf)})
		}
	}
	for _, t := range g.talks {
		if t.date <= asOf {
			files = append(files, File{Path: t.path, Data: t.render()})
		}
	}
	sort.Slice(files, func(i, j int) bool { return files[i].Path < files[j].Path })
	return files
}

// Write writes the repository as it stands on Options.Today into dir, which
// must not hold a care repository already.
func (g *Repo) Write(dir string) error {
	if _, err := os.Stat(filepath.Join(dir, "care.yaml")); err == nil {
		return fmt.Errorf("%s already holds a care repository", dir)
	}
	return writeFiles(dir, g.Files(g.opt.Today))
}

func writeFiles(dir string, files []File) error {
	dirs := map[string]bool{}
	for _, f := range files {
		d := filepath.Dir(filepath.Join(dir, filepath.FromSlash(f.Path)))
		if !dirs[d] {
			dirs[d] = true
			if err := os.MkdirAll(d, 0o755); err != nil {
				return err
			}
		}
	}
	work := make(chan File)
	errs := make(chan error, 1)
	var wg sync.WaitGroup
	for w := 0; w < runtime.GOMAXPROCS(0)*2; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for f := range work {
				if err := os.WriteFile(filepath.Join(dir, filepath.FromSlash(f.Path)), f.Data, 0o644); err != nil {
					select {
					case errs <- err:
					default:
					}
				}
			}
		}()
	}
	for _, f := range files {
		work <- f
	}
	close(work)
	wg.Wait()
	select {
	case err := <-errs:
		return err
	default:
		return nil
	}
}

// Commit is one commit of a generated history.
type Commit struct {
	When    time.Time
	Message string
	Changed []File // files added or changed, sorted by path
}

// Commits returns the weekly history of the repository: a first commit the
// day before the first month, holding what existed then, one commit at the
// end of every week after it with what that week added or changed, and a
// last one on Options.Today, whose tree equals what Write writes. Commits
// are made at 17:30 China Standard Time.
func (g *Repo) Commits() []Commit {
	cst := time.FixedZone("CST", 8*3600)
	var days []record.Date
	for d := g.start.AddDays(-1); d < g.opt.Today; d = d.AddDays(7) {
		days = append(days, d)
	}
	days = append(days, g.opt.Today)
	prev := map[string]string{}
	var out []Commit
	var last record.Date
	for i, d := range days {
		var changed []File
		children, pairings := 0, 0
		note := func(p string, data []byte, n *int) {
			if old, ok := prev[p]; ok && old == string(data) {
				return
			}
			prev[p] = string(data)
			changed = append(changed, File{Path: p, Data: data})
			*n++
		}
		if i == 0 {
			changed = append(changed, File{Path: "care.yaml", Data: g.config()})
		}
		for _, c := range g.children {
			if c.created <= d {
				note(c.path(), c.render(d), &children)
			}
		}
		for _, p := range g.pairings {
			if p.start <= d {
				note(p.path, p.render(d), &pairings)
			}
		}
		talks := 0
		for _, t := range g.talks {
			if t.date <= d && (i == 0 || t.date > last) {
				changed = append(changed, File{Path: t.path, Data: t.render()})
				talks++
			}
		}
		last = d
		sort.Slice(changed, func(i, j int) bool { return changed[i].Path < changed[j].Path })
		msg := fmt.Sprintf("%s 周记录：谈心 %d 份，档案 %d 份，结对 %d 份", d, talks, children, pairings)
		if i == 0 {
			msg = fmt.Sprintf("建立关爱工程记录（截至 %s）", d)
		}
		t := time.Date(d.Year(), d.Month(), d.Day(), 17, 30, 0, 0, cst)
		out = append(out, Commit{When: t, Message: msg, Changed: changed})
	}
	return out
}

// History writes the weekly history of Commits as a git fast-import stream
// on branch: pipe it into "git fast-import" in an empty repository, then
// check the branch out. Author and committer are the same invented person,
// dated at each commit's time.
func (g *Repo) History(w io.Writer, branch string) error {
	bw := bufio.NewWriterSize(w, 1<<20)
	for _, c := range g.Commits() {
		sig := fmt.Sprintf("care-bench <bench@care.invalid> %d +0800", c.When.Unix())
		fmt.Fprintf(bw, "commit refs/heads/%s\nauthor %s\ncommitter %s\ndata %d\n%s\n", branch, sig, sig, len(c.Message), c.Message)
		for _, f := range c.Changed {
			fmt.Fprintf(bw, "M 100644 inline %s\ndata %d\n", f.Path, len(f.Data))
			bw.Write(f.Data)
			bw.WriteByte('\n')
		}
		bw.WriteByte('\n')
	}
	return bw.Flush()
}
