package store_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/care-tool/care/internal/cache"
	"github.com/care-tool/care/internal/diff"
	"github.com/care-tool/care/internal/gitrepo"
	"github.com/care-tool/care/internal/store"
)

// gitRepo is a scratch git repository for a test.
type gitRepo struct {
	t   *testing.T
	dir string
}

func newGitRepo(t *testing.T) *gitRepo {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git not installed")
	}
	r := &gitRepo{t: t, dir: t.TempDir()}
	r.git("", "init", "-q", "-b", "main")
	return r
}

func (r *gitRepo) git(date string, args ...string) string {
	r.t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = r.dir
	cmd.Env = append(os.Environ(),
		"GIT_CONFIG_NOSYSTEM=1", "HOME="+r.dir,
		"GIT_AUTHOR_NAME=测试", "GIT_AUTHOR_EMAIL=t@example.com",
		"GIT_COMMITTER_NAME=测试", "GIT_COMMITTER_EMAIL=t@example.com")
	if date != "" {
		cmd.Env = append(cmd.Env, "GIT_AUTHOR_DATE="+date, "GIT_COMMITTER_DATE="+date)
	}
	out, err := cmd.CombinedOutput()
	if err != nil {
		r.t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return strings.TrimSpace(string(out))
}

func (r *gitRepo) write(rel, content string) {
	r.t.Helper()
	p := filepath.Join(r.dir, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		r.t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		r.t.Fatal(err)
	}
}

func (r *gitRepo) commit(date, msg string) string {
	r.t.Helper()
	r.git(date, "add", "-A")
	r.git(date, "commit", "-q", "-m", msg)
	return r.git("", "rev-parse", "HEAD")
}

const testConfig = `version: 1
school:
  name: 测试小学
terms:
  - id: 2026-autumn
    start: 2026-09-01
    end: 2027-01-22
staff:
  - id: T01
    name: 王芳
classes:
  - id: "3-2"
    grade: 3
    head_teacher: T01
`

func childFile(id, phone string) string {
	return fmt.Sprintf(`id: "%s"
name: 学生%s
gender: male
birth_date: 2016-05-12
class: "3-2"
left_behind:
  since: 2022-03-01
  type: both_parents
guardian:
  name: 李德福
  relation: grandfather
  phone: "%s"
enrolment:
  - date: 2022-09-01
    status: enrolled
`, id, id, phone)
}

func talkFile(id string, day int) string {
	return fmt.Sprintf("child: \"%s\"\ndate: 2026-10-%02d\nby: T01\nkind: talk\ntopic: 学习\n", id, day)
}

// TestDiffOfLargeRepoParsesOnlyTheChangedFile builds a repository of a few
// thousand records, changes one, and checks through the Parsed hook (not
// timing) that loading the second commit, and then the working tree with
// one file edited, parses only that file.
func TestDiffOfLargeRepoParsesOnlyTheChangedFile(t *testing.T) {
	r := newGitRepo(t)
	const children = 1500
	r.write("care.yaml", testConfig)
	for i := 0; i < children; i++ {
		id := fmt.Sprintf("2024%04d", i)
		r.write("children/3-2/"+id+".yaml", childFile(id, "13712345678"))
		r.write("talks/2026-10/"+id+".yaml", talkFile(id, 1+i%28))
	}
	first := r.commit("2026-10-30T10:00:00+08:00", "records")
	r.write("children/3-2/20240007.yaml", childFile("20240007", "13987654321"))
	second := r.commit("2026-11-20T10:00:00+08:00", "guardian phone")

	ctx := context.Background()
	repo, err := gitrepo.Open(ctx, r.dir)
	if err != nil {
		t.Fatal(err)
	}
	g := store.NewGitLoader(repo)
	defer g.Close()

	a, err := g.LoadCommit(ctx, first)
	if err != nil {
		t.Fatal(err)
	}
	if want := 2*children + 1; a.Parsed != want || len(a.Files) != want {
		t.Fatalf("first commit: parsed %d of %d files, want %d", a.Parsed, len(a.Files), want)
	}
	b, err := g.LoadCommit(ctx, second)
	if err != nil {
		t.Fatal(err)
	}
	if b.Parsed != 1 || len(b.Files) != 2*children+1 {
		t.Fatalf("second commit: parsed %d of %d files, want 1", b.Parsed, len(b.Files))
	}
	d := diff.Compare(a.Dataset, b.Dataset, diff.Options{})
	if d.Changes() != 1 || len(d.Changed) != 1 || d.Changed[0].Fields[0].Path != "guardian.phone" {
		t.Fatalf("diff: %d changes %+v", d.Changes(), d.Changed)
	}

	// The working tree: one tracked file edited, one untracked file added;
	// the rest reuse the parses of HEAD's blobs.
	r.write("children/3-2/20240009.yaml", childFile("20240009", "13600000000"))
	r.write("children/3-2/29990001.yaml", childFile("29990001", "13600000000"))
	w, err := g.LoadWorkTree(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if w.Parsed != 2 || len(w.Files) != 2*children+2 {
		t.Fatalf("work tree: parsed %d of %d files, want 2", w.Parsed, len(w.Files))
	}
	d = diff.Compare(b.Dataset, w.Dataset, diff.Options{})
	if len(d.Added) != 1 || len(d.Changed) != 1 || d.Changes() != 2 {
		t.Fatalf("work tree diff: %+v", d)
	}
	if g.Parsed != 2*children+1+1+2 {
		t.Errorf("loader parsed %d in all", g.Parsed)
	}
}

func TestLoadCommitMovesAndSubfolder(t *testing.T) {
	r := newGitRepo(t)
	r.write("school/care.yaml", testConfig)
	r.write("school/children/3-2/2024031.yaml", childFile("2024031", "13712345678"))
	r.write("school/.hidden/children/x.yaml", "id: x\n")
	r.write("school/notes.txt", "not a record")
	r.write("other/children/2099.yaml", childFile("2099", "13712345678"))
	first := r.commit("2026-10-30T10:00:00+08:00", "records")
	r.git("", "mv", "school/children/3-2/2024031.yaml", "school/children/2024031.yaml")
	second := r.commit("2026-11-20T10:00:00+08:00", "move")

	ctx := context.Background()
	repo, err := gitrepo.Open(ctx, filepath.Join(r.dir, "school"))
	if err != nil {
		t.Fatal(err)
	}
	g := store.NewGitLoader(repo)
	defer g.Close()
	a, err := g.LoadCommit(ctx, first)
	if err != nil {
		t.Fatal(err)
	}
	var paths []string
	for _, f := range a.Files {
		paths = append(paths, f.Path)
	}
	if strings.Join(paths, " ") != "care.yaml children/3-2/2024031.yaml" {
		t.Fatalf("files %q", paths)
	}
	b, err := g.LoadCommit(ctx, second)
	if err != nil {
		t.Fatal(err)
	}
	// The same blob at a new path is not parsed again, but has its new path.
	if b.Parsed != 0 || b.Dataset.Children[0].File.Path != "children/2024031.yaml" {
		t.Fatalf("parsed %d, path %s", b.Parsed, b.Dataset.Children[0].File.Path)
	}
	if a.Dataset.Children[0].File.Path != "children/3-2/2024031.yaml" {
		t.Fatalf("the first load changed: %s", a.Dataset.Children[0].File.Path)
	}
	d := diff.Compare(a.Dataset, b.Dataset, diff.Options{})
	if len(d.Moved) != 1 || d.Changes() != 1 {
		t.Fatalf("diff %+v", d)
	}
}

func TestLoadCommitSymlink(t *testing.T) {
	r := newGitRepo(t)
	r.write("care.yaml", testConfig)
	r.write("children/3-2/2024031.yaml", childFile("2024031", "13712345678"))
	if err := os.Symlink("3-2/2024031.yaml", filepath.Join(r.dir, "children", "link.yaml")); err != nil {
		t.Skip("no symbolic links:", err)
	}
	if err := os.Symlink("/etc/passwd", filepath.Join(r.dir, "children", "out.yaml")); err != nil {
		t.Fatal(err)
	}
	c := r.commit("2026-10-30T10:00:00+08:00", "links")
	ctx := context.Background()
	repo, err := gitrepo.Open(ctx, r.dir)
	if err != nil {
		t.Fatal(err)
	}
	g := store.NewGitLoader(repo)
	defer g.Close()
	l, err := g.LoadCommit(ctx, c)
	if err != nil {
		t.Fatal(err)
	}
	var paths []string
	for _, f := range l.Files {
		paths = append(paths, f.Path)
	}
	if strings.Join(paths, " ") != "care.yaml children/3-2/2024031.yaml children/link.yaml" || l.Parsed != 2 {
		t.Fatalf("files %q, parsed %d", paths, l.Parsed)
	}
}

func pairingFile(child, mentor string, end string) string {
	s := fmt.Sprintf("child: \"%s\"\nrole: teacher\nmentor: %s\nstart: 2026-09-05\n", child, mentor)
	if end != "" {
		s += "end: " + end + "\n"
	}
	return s
}

// TestDiffWithCacheParsesOnlyDifferingFiles compares two commits with the
// decoded records of care's cache (UseDecoded, Prefetch) and without, after
// every kind of change a month brings: the results must be the same, and
// with the cache only the files that differ are parsed (counted through the
// Parsed hook).
func TestDiffWithCacheParsesOnlyDifferingFiles(t *testing.T) {
	r := newGitRepo(t)
	r.write("care.yaml", testConfig)
	for i := 0; i < 40; i++ {
		id := fmt.Sprintf("2024%04d", i)
		r.write("children/3-2/"+id+".yaml", childFile(id, "13712345678"))
		r.write("talks/2026-10/"+id+".yaml", talkFile(id, 1+i%28))
		r.write("pairings/"+id+"-teacher.yaml", pairingFile(id, "T01", ""))
	}
	first := r.commit("2026-10-30T10:00:00+08:00", "October")
	r.write("care.yaml", strings.Replace(testConfig, "测试小学", "测试中心小学", 1))                                        // care.yaml changed: parsed
	r.write("children/3-2/20240001.yaml", childFile("20240001", "13987654321"))                                   // changed: both sides parsed
	os.Rename(filepath.Join(r.dir, "children/3-2/20240002.yaml"), filepath.Join(r.dir, "children/20240002.yaml")) // moved: both sides parsed
	os.Remove(filepath.Join(r.dir, "children/3-2/20240003.yaml"))                                                 // removed child: parsed
	r.write("children/3-2/20249999.yaml", childFile("20249999", "13712345678"))                                   // added child: parsed
	r.write("pairings/20240004-teacher.yaml", pairingFile("20240004", "T01", "2026-11-10"))                       // ended: both sides parsed
	os.MkdirAll(filepath.Join(r.dir, "pairings/old"), 0o755)
	os.Rename(filepath.Join(r.dir, "pairings/20240005-teacher.yaml"), filepath.Join(r.dir, "pairings/old/20240005-teacher.yaml")) // moved pairing: both sides parsed
	os.Remove(filepath.Join(r.dir, "talks/2026-10/20240006.yaml"))                                                                // removed talk: from the cache? not there: parsed
	os.MkdirAll(filepath.Join(r.dir, "talks/2026-10/3-2"), 0o755)
	os.Rename(filepath.Join(r.dir, "talks/2026-10/20240007.yaml"), filepath.Join(r.dir, "talks/2026-10/3-2/20240007.yaml")) // moved talk: the old side parsed, the new from the cache
	r.write("talks/2026-10/20240008.yaml", talkFile("20240008", 20))                                                        // changed talk: both sides parsed
	for i := 0; i < 10; i++ {
		id := fmt.Sprintf("2024%04d", i)
		r.write("talks/2026-11/"+id+".yaml", strings.Replace(talkFile(id, 3+i), "2026-10", "2026-11", 1)) // added talks: from the cache
	}
	second := r.commit("2026-11-28T10:00:00+08:00", "November")

	ctx := context.Background()
	// care's cache of the working tree, which is the second commit.
	dir := filepath.Join(t.TempDir(), "cache")
	if _, err := store.LoadDirCached(ctx, r.dir, store.CacheOptions{Dir: dir, Key: "test", Today: 20261201}); err != nil {
		t.Fatal(err)
	}
	snap := cache.Load(dir, "test")
	if snap == nil {
		t.Fatal("no cache written")
	}
	repo, err := gitrepo.Open(ctx, r.dir)
	if err != nil {
		t.Fatal(err)
	}
	compare := func(withCache bool) ([]byte, int, *diff.Diff) {
		g := store.NewGitLoader(repo)
		defer g.Close()
		a, err := g.CommitInputs(ctx, first)
		if err != nil {
			t.Fatal(err)
		}
		b, err := g.CommitInputs(ctx, second)
		if err != nil {
			t.Fatal(err)
		}
		if withCache {
			g.UseDecoded(snap.Entries, a, b)
		}
		if err := g.Prefetch(ctx, a, b); err != nil {
			t.Fatal(err)
		}
		la, err := g.Load(ctx, a)
		if err != nil {
			t.Fatal(err)
		}
		lb, err := g.Load(ctx, b)
		if err != nil {
			t.Fatal(err)
		}
		d := diff.Compare(la.Dataset, lb.Dataset, diff.Options{FromDay: 20261031, ToDay: 20261130})
		out, err := json.MarshalIndent(d, "", " ")
		if err != nil {
			t.Fatal(err)
		}
		return out, g.Parsed, d
	}
	plain, all, _ := compare(false)
	cached, parsed, d := compare(true)
	if string(plain) != string(cached) {
		t.Errorf("the diff with the cache differs from the one without:\nwithout:\n%s\nwith:\n%s", plain, cached)
	}
	if all < 120 {
		t.Errorf("without the cache only %d files parsed; the comparison shows nothing", all)
	}
	// care.yaml twice, child 1 twice, child 2 once (moved with the same
	// content: one blob), child 3, child 9999, pairing 4 twice, pairing 5
	// once, talk 6 (gone, so not in the cache), talk 8 twice; talk 7 moved
	// with the same content, which the cache has at its new path.
	if want := 2 + 2 + 1 + 1 + 1 + 2 + 1 + 1 + 2; parsed != want {
		t.Errorf("with the cache: %d files parsed, want %d", parsed, want)
	}
	if len(d.Changed) == 0 || len(d.Moved) != 1 || len(d.Added) != 1 || len(d.Removed) != 1 || len(d.PairingsEnded) != 1 || len(d.Talks.Added) != 10 || len(d.Talks.Removed) != 1 || len(d.Talks.Changed) != 1 || len(d.Config) != 1 {
		t.Errorf("diff: %s", cached)
	}
}
