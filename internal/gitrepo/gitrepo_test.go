package gitrepo

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestMain keeps the user's git configuration out of the tests.
func TestMain(m *testing.M) {
	home, err := os.MkdirTemp("", "gitrepo-home")
	if err != nil {
		panic(err)
	}
	os.Setenv("HOME", home)
	os.Setenv("XDG_CONFIG_HOME", filepath.Join(home, ".config"))
	os.Setenv("GIT_CONFIG_NOSYSTEM", "1")
	os.Setenv("GIT_CONFIG_GLOBAL", filepath.Join(home, "gitconfig"))
	code := m.Run()
	os.RemoveAll(home)
	os.Exit(code)
}

func needGit(t testing.TB) {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
}

// testRepo is a scratch git work tree.
type testRepo struct {
	t   *testing.T
	dir string
}

func newTestRepo(t *testing.T) *testRepo {
	t.Helper()
	needGit(t)
	tr := &testRepo{t: t, dir: t.TempDir()}
	tr.git("init", "-q")
	return tr
}

// gitAt runs git in dir with fixed identity, and the commit dates given in
// date (committer and author), if any.
func gitAt(t *testing.T, dir, date string, args ...string) string {
	t.Helper()
	full := append([]string{"-c", "init.defaultBranch=main", "-c", "commit.gpgsign=false", "-c", "tag.gpgsign=false",
		"-c", "user.name=Test Teacher", "-c", "user.email=teacher@example.org"}, args...)
	cmd := exec.Command("git", full...)
	cmd.Dir = dir
	cmd.Env = append(gitEnv(), "GIT_AUTHOR_NAME=Test Teacher", "GIT_AUTHOR_EMAIL=teacher@example.org",
		"GIT_COMMITTER_NAME=Test Teacher", "GIT_COMMITTER_EMAIL=teacher@example.org")
	if date != "" {
		cmd.Env = append(cmd.Env, "GIT_AUTHOR_DATE="+date, "GIT_COMMITTER_DATE="+date)
	}
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return strings.TrimSpace(string(out))
}

func (tr *testRepo) git(args ...string) string {
	tr.t.Helper()
	return gitAt(tr.t, tr.dir, "", args...)
}

func (tr *testRepo) write(rel, content string) {
	tr.t.Helper()
	p := filepath.Join(tr.dir, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		tr.t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		tr.t.Fatal(err)
	}
}

// commit stages everything and commits it at date (RFC 3339); it returns
// the new commit id.
func (tr *testRepo) commit(date, msg string) string {
	tr.t.Helper()
	tr.git("add", "-A")
	gitAt(tr.t, tr.dir, date, "commit", "-q", "--allow-empty", "-m", msg)
	return tr.git("rev-parse", "HEAD")
}

func (tr *testRepo) open(sub string) *Repo {
	tr.t.Helper()
	r, err := Open(context.Background(), filepath.Join(tr.dir, filepath.FromSlash(sub)))
	if err != nil {
		tr.t.Fatalf("Open: %v", err)
	}
	return r
}

func TestOpenNotRepo(t *testing.T) {
	needGit(t)
	dir := t.TempDir()
	t.Setenv("GIT_CEILING_DIRECTORIES", filepath.Dir(dir))
	_, err := Open(context.Background(), dir)
	if !errors.Is(err, ErrNotRepo) {
		t.Fatalf("Open: got %v, want ErrNotRepo", err)
	}
	var nre *NotRepoError
	if !errors.As(err, &nre) || nre.GitMissing {
		t.Fatalf("Open: got %#v, want a NotRepoError without GitMissing", err)
	}
	if want := "is not in a git repository"; !strings.Contains(err.Error(), want) {
		t.Errorf("message %q does not contain %q", err, want)
	}
}

func TestOpenInsideGitDir(t *testing.T) {
	tr := newTestRepo(t)
	_, err := Open(context.Background(), filepath.Join(tr.dir, ".git"))
	if !errors.Is(err, ErrNotRepo) || !strings.Contains(err.Error(), "work tree") {
		t.Fatalf("Open(.git): got %v, want ErrNotRepo saying why", err)
	}
}

func TestOpenGitMissing(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	_, err := Open(context.Background(), t.TempDir())
	if !errors.Is(err, ErrNotRepo) || !errors.Is(err, exec.ErrNotFound) {
		t.Fatalf("Open: got %v, want ErrNotRepo and exec.ErrNotFound", err)
	}
	if want := "git is not installed"; !strings.Contains(err.Error(), want) {
		t.Errorf("message %q does not contain %q", err, want)
	}
}

func TestOpenPrefix(t *testing.T) {
	tr := newTestRepo(t)
	tr.write("records/2026/care.yaml", "x: 1\n")
	top, err := filepath.EvalSymlinks(tr.dir)
	if err != nil {
		t.Fatal(err)
	}
	for sub, want := range map[string]string{"": "", "records": "records", "records/2026": "records/2026"} {
		r := tr.open(sub)
		if r.Prefix() != want {
			t.Errorf("Open(%q).Prefix() = %q, want %q", sub, r.Prefix(), want)
		}
		if got, _ := filepath.EvalSymlinks(r.Top()); got != top {
			t.Errorf("Open(%q).Top() = %q, want %q", sub, r.Top(), top)
		}
		if filepath.Base(r.GitDir()) != ".git" {
			t.Errorf("Open(%q).GitDir() = %q", sub, r.GitDir())
		}
	}
}

func TestResolve(t *testing.T) {
	tr := newTestRepo(t)
	tr.write("a.yaml", "a: 1\n")
	c1 := tr.commit("2026-09-01T10:00:00+08:00", "first 第一")
	tr.git("tag", "-a", "-m", "annotated", "v1")
	tr.git("branch", "side")
	tr.write("a.yaml", "a: 2\n")
	c2 := tr.commit("2026-09-02T11:30:00+08:00", "second")
	r := tr.open("")
	ctx := context.Background()

	for rev, want := range map[string]string{
		"main": c2, "HEAD": c2, "v1": c1, "side": c1, "HEAD~1": c1, c1: c1, c1[:10]: c1, "refs/heads/main": c2,
	} {
		c, err := r.Resolve(ctx, rev)
		if err != nil {
			t.Errorf("Resolve(%q): %v", rev, err)
			continue
		}
		if c.ID != want {
			t.Errorf("Resolve(%q) = %s, want %s", rev, c.ID, want)
		}
		if !strings.HasPrefix(c.ID, c.Short) || len(c.Short) < 4 {
			t.Errorf("Resolve(%q).Short = %q", rev, c.Short)
		}
	}
	c, err := r.Resolve(ctx, "v1")
	if err != nil {
		t.Fatal(err)
	}
	wantTime := time.Date(2026, 9, 1, 2, 0, 0, 0, time.UTC)
	if !c.Time.Equal(wantTime) || c.Subject != "first 第一" || c.Author != "Test Teacher" {
		t.Errorf("Resolve(v1) = %+v", c)
	}
	if _, off := c.Time.Zone(); off != 8*3600 {
		t.Errorf("Resolve(v1).Time keeps offset %d, want +08:00", off)
	}
	head, ok, err := r.Head(ctx)
	if err != nil || !ok || head.ID != c2 {
		t.Errorf("Head() = %v, %v, %v; want %s", head.ID, ok, err, c2)
	}
}

func TestResolveRefusesOptions(t *testing.T) {
	tr := newTestRepo(t)
	tr.commit("2026-09-01T10:00:00Z", "first")
	r := tr.open("")
	target := filepath.Join(t.TempDir(), "x")
	for _, rev := range []string{"--output=" + target, "-n", "--all", "-"} {
		_, err := r.Resolve(context.Background(), rev)
		if !errors.Is(err, ErrInvalidRevision) {
			t.Errorf("Resolve(%q): got %v, want ErrInvalidRevision", rev, err)
			continue
		}
		want := `revision "` + rev + `" must not start with "-"`
		if err.Error() != want {
			t.Errorf("Resolve(%q) error = %q, want %q", rev, err, want)
		}
	}
	if _, err := os.Stat(target); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("%s exists (or stat failed: %v): the revision reached git as an option", target, err)
	}
	if _, err := r.Resolve(context.Background(), ""); !errors.Is(err, ErrInvalidRevision) {
		t.Errorf(`Resolve(""): got %v, want ErrInvalidRevision`, err)
	}
}

func TestResolveUnknown(t *testing.T) {
	tr := newTestRepo(t)
	tr.write("a.yaml", "a: 1\n")
	tr.commit("2026-09-01T10:00:00Z", "first")
	r := tr.open("")
	for _, rev := range []string{"nope", "main~5", "HEAD:a.yaml", strings.Repeat("ab", 20)} {
		_, err := r.Resolve(context.Background(), rev)
		if !errors.Is(err, ErrUnknownRevision) {
			t.Errorf("Resolve(%q): got %v, want ErrUnknownRevision", rev, err)
			continue
		}
		var re *RevisionError
		if !errors.As(err, &re) || re.Rev != rev || !strings.HasPrefix(err.Error(), `unknown revision "`+rev+`"`) {
			t.Errorf("Resolve(%q): error %q", rev, err)
		}
	}
}

func TestEmptyRepo(t *testing.T) {
	tr := newTestRepo(t)
	r := tr.open("")
	ctx := context.Background()
	if _, ok, err := r.Head(ctx); ok || err != nil {
		t.Errorf("Head() = %v, %v; want false, nil", ok, err)
	}
	_, err := r.MonthEnd(ctx, "2026-10")
	if !errors.Is(err, ErrNoCommitInMonth) || !strings.Contains(err.Error(), "no commits yet") {
		t.Errorf("MonthEnd: got %v", err)
	}
	if log, err := r.Log(ctx, nil, LogOptions{}); err != nil || len(log) != 0 {
		t.Errorf("Log() = %v, %v", log, err)
	}
	if dirty, err := r.Dirty(ctx); err != nil || dirty {
		t.Errorf("Dirty() = %v, %v", dirty, err)
	}
}

func TestMonthEnd(t *testing.T) {
	tr := newTestRepo(t)
	aug := tr.commit("2026-08-15T10:00:00+08:00", "aug")
	tr.git("branch", "side")
	sepLast := tr.commit("2026-09-30T23:00:00+08:00", "last day of september, 23:00")
	// 00:30 on 1 October in China, still 30 September in UTC: October's.
	tr.commit("2026-10-01T00:30:00+08:00", "first of october, 00:30")
	oct := tr.commit("2026-10-20T12:00:00+08:00", "oct")
	// A side branch dated late October, merged in November: the main line
	// did not contain it at the end of October.
	tr.git("checkout", "-q", "side")
	tr.write("side.yaml", "s: 1\n")
	side := tr.commit("2026-10-25T12:00:00+08:00", "side")
	tr.git("checkout", "-q", "main")
	gitAt(t, tr.dir, "2026-11-10T09:00:00+08:00", "merge", "-q", "--no-ff", "-m", "merge side", "side")
	nov := tr.git("rev-parse", "HEAD")

	r := tr.open("")
	ctx := context.Background()
	for month, want := range map[string]string{
		"2026-08": aug, "2026-09": sepLast, "2026-10": oct, "2026-11": nov, "2027-03": nov,
	} {
		c, err := r.MonthEnd(ctx, month)
		if err != nil {
			t.Errorf("MonthEnd(%s): %v", month, err)
			continue
		}
		if c.ID != want {
			t.Errorf("MonthEnd(%s) = %s %q, want %s", month, c.Short, c.Subject, want)
		}
	}
	if side == oct {
		t.Fatal("side and oct are the same commit")
	}

	_, err := r.MonthEnd(ctx, "2026-07")
	if !errors.Is(err, ErrNoCommitInMonth) || errors.Is(err, ErrShallow) {
		t.Fatalf("MonthEnd(2026-07): got %v, want ErrNoCommitInMonth", err)
	}
	if want := "no commit on or before 2026-07-31; the first commit is on 2026-08-15"; err.Error() != want {
		t.Errorf("MonthEnd(2026-07) error = %q, want %q", err, want)
	}

	for _, bad := range []string{"2026-13", "2026-00", "2026/10", "26-10", "2026-1", "-2026-10"} {
		if _, err := r.MonthEnd(ctx, bad); err == nil || !strings.Contains(err.Error(), "invalid month") {
			t.Errorf("MonthEnd(%q): got %v, want an invalid month error", bad, err)
		}
	}
}

func TestMonthEndShallow(t *testing.T) {
	src := newTestRepo(t)
	src.write("a.yaml", "a: 1\n")
	src.commit("2026-08-15T10:00:00Z", "aug")
	src.write("a.yaml", "a: 2\n")
	src.commit("2026-09-15T10:00:00Z", "sep")
	src.write("a.yaml", "a: 3\n")
	last := src.commit("2026-11-03T10:00:00Z", "nov")

	dst := filepath.Join(t.TempDir(), "clone")
	gitAt(t, src.dir, "", "clone", "-q", "--depth", "1", "file://"+filepath.ToSlash(src.dir), dst)
	r, err := Open(context.Background(), dst)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if shallow, err := r.IsShallow(ctx); err != nil || !shallow {
		t.Fatalf("IsShallow() = %v, %v; want true", shallow, err)
	}
	if c, err := r.MonthEnd(ctx, "2026-11"); err != nil || c.ID != last {
		t.Errorf("MonthEnd(2026-11) = %s, %v; want %s", c.ID, err, last)
	}
	_, err = r.MonthEnd(ctx, "2026-09")
	if !errors.Is(err, ErrShallow) {
		t.Fatalf("MonthEnd(2026-09): got %v, want ErrShallow", err)
	}
	var h interface{ Hint() string }
	if !errors.As(err, &h) {
		t.Fatalf("error %v has no hint", err)
	}
	for _, want := range []string{"git fetch --shallow-since=2026-09-01", "git fetch --unshallow"} {
		if !strings.Contains(h.Hint(), want) {
			t.Errorf("hint %q does not contain %q", h.Hint(), want)
		}
	}
	if want := "2026-11-03"; !strings.Contains(err.Error(), want) {
		t.Errorf("error %q does not name the oldest commit's date %s", err, want)
	}

	if shallow, err := src.open("").IsShallow(ctx); err != nil || shallow {
		t.Errorf("IsShallow() of the full repository = %v, %v", shallow, err)
	}
}

func TestListTreeSubfolder(t *testing.T) {
	tr := newTestRepo(t)
	tr.write("README.md", "# school\n")
	tr.write("records/care.yaml", "school: 一小\n")
	tr.write("records/children/a.yaml", "name: A\n")
	tr.write("records/children/b c.yaml", "name: B\n")
	tr.write("recordsx/other.yaml", "no: 1\n")
	symlinks := runtime.GOOS != "windows"
	if symlinks {
		if err := os.Symlink("children/a.yaml", filepath.Join(tr.dir, "records", "link.yaml")); err != nil {
			t.Fatal(err)
		}
	}
	tr.git("add", "-A")
	// A submodule entry without the submodule: ListTree must skip it.
	tr.git("update-index", "--add", "--cacheinfo", "160000,"+strings.Repeat("1", 40)+",records/sub")
	head := tr.commit("2026-09-01T10:00:00Z", "records")

	r := tr.open("records")
	entries, err := r.ListTree(context.Background(), head)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]Entry{}
	for _, e := range entries {
		got[e.Path] = e
	}
	want := []string{"care.yaml", "children/a.yaml", "children/b c.yaml"}
	if symlinks {
		want = append(want, "link.yaml")
	}
	var paths []string
	for p := range got {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	if !reflect.DeepEqual(paths, want) {
		t.Fatalf("ListTree paths = %q, want %q", paths, want)
	}
	for _, p := range want {
		if blob := tr.git("rev-parse", "HEAD:records/"+p); got[p].Blob != blob {
			t.Errorf("%s: blob %s, want %s", p, got[p].Blob, blob)
		}
	}
	if got["care.yaml"].Mode != ModeFile || got["care.yaml"].IsSymlink() {
		t.Errorf("care.yaml mode %o", got["care.yaml"].Mode)
	}
	if symlinks && !got["link.yaml"].IsSymlink() {
		t.Errorf("link.yaml mode %o, want a symlink", got["link.yaml"].Mode)
	}

	all, err := tr.open("").ListTree(context.Background(), head)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(want) + 2; len(all) != n {
		t.Errorf("ListTree at the top lists %d files, want %d: %+v", len(all), n, all)
	}
	if _, err := r.ListTree(context.Background(), "HEAD"); err == nil {
		t.Error("ListTree(HEAD) accepted a revision that is not a full id")
	}
}

func TestBlobReader(t *testing.T) {
	tr := newTestRepo(t)
	ctx := context.Background()
	contents := []string{
		"name: 王小明\nguardian: 王芳\n",
		"no trailing newline",
		"",
		"binary\x00\x01\x02\n\n",
		strings.Repeat("long line of text\n", 20000),
	}
	var ids []string
	for _, c := range contents {
		cmd := exec.Command("git", "hash-object", "-w", "--stdin")
		cmd.Dir = tr.dir
		cmd.Stdin = strings.NewReader(c)
		out, err := cmd.Output()
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, strings.TrimSpace(string(out)))
	}
	r := tr.open("")
	br, err := r.NewBlobReader(ctx)
	if err != nil {
		t.Fatal(err)
	}
	missing := strings.Repeat("0123456789", 4)
	for round := 0; round < 2; round++ {
		for i, id := range ids {
			data, err := br.Read(id)
			if err != nil {
				t.Fatalf("Read(%s): %v", id, err)
			}
			if string(data) != contents[i] {
				t.Errorf("Read(%s) = %q, want %q", id, truncate(string(data), 40), truncate(contents[i], 40))
			}
		}
		if _, err := br.Read(missing); !errors.Is(err, ErrMissingObject) {
			t.Errorf("Read(missing): got %v, want ErrMissingObject", err)
		}
		if _, err := br.Read("HEAD"); err == nil {
			t.Error("Read(HEAD) accepted a revision")
		}
	}
	if err := br.Close(); err != nil {
		t.Errorf("Close: %v", err)
	}
	if _, err := br.Read(ids[0]); err == nil {
		t.Error("Read after Close succeeded")
	}

	blobs, err := r.ReadBlobs(ctx, append(ids, ids[0]))
	if err != nil {
		t.Fatal(err)
	}
	if len(blobs) != len(ids) {
		t.Errorf("ReadBlobs returned %d blobs, want %d", len(blobs), len(ids))
	}
	for i, id := range ids {
		if string(blobs[id]) != contents[i] {
			t.Errorf("ReadBlobs[%s] = %q", id, truncate(string(blobs[id]), 40))
		}
	}
	if _, err := r.ReadBlobs(ctx, []string{ids[0], missing, ids[1]}); !errors.Is(err, ErrMissingObject) {
		t.Errorf("ReadBlobs with a missing blob: got %v, want ErrMissingObject", err)
	}

	cctx, cancel := context.WithCancel(ctx)
	br, err = r.NewBlobReader(cctx)
	if err != nil {
		t.Fatal(err)
	}
	cancel()
	if _, err := br.Read(ids[0]); !errors.Is(err, context.Canceled) {
		// git may answer before it is killed; then the next read fails.
		if _, err := br.Read(ids[0]); !errors.Is(err, context.Canceled) {
			t.Errorf("Read after cancel: got %v, want context.Canceled", err)
		}
	}
	br.Close()
}

func TestWorkTreeBlobIDs(t *testing.T) {
	tr := newTestRepo(t)
	for _, f := range []string{"a", "b", "c", "e"} {
		tr.write("records/"+f+".yaml", f+": 1\n")
	}
	tr.write("top.yaml", "top: 1\n")
	tr.commit("2026-09-01T10:00:00Z", "records")

	tr.write("records/b.yaml", "b: 2\n") // modified, not staged
	if err := os.Remove(filepath.Join(tr.dir, "records", "c.yaml")); err != nil {
		t.Fatal(err)
	}
	later := time.Now().Add(time.Hour)
	if err := os.Chtimes(filepath.Join(tr.dir, "records", "a.yaml"), later, later); err != nil {
		t.Fatal(err) // touched, content unchanged
	}
	tr.write("records/d.yaml", "d: 1\n") // new and staged
	tr.git("add", "records/d.yaml")
	tr.write("records/e.yaml", "e: 2\n") // staged, then modified again
	tr.git("add", "records/e.yaml")
	tr.write("records/e.yaml", "e: 3\n")
	tr.write("records/f.yaml", "f: 1\n") // untracked

	got, err := tr.open("records").WorkTreeBlobIDs(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"a.yaml": tr.git("rev-parse", ":records/a.yaml"),
		"d.yaml": tr.git("rev-parse", ":records/d.yaml"),
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("WorkTreeBlobIDs() = %v, want %v", got, want)
	}
}

func TestLogFollow(t *testing.T) {
	tr := newTestRepo(t)
	tr.write("records/children/a.yaml", "name: 王小明\nage: 8\n")
	tr.write("records/care.yaml", "school: x\n")
	c1 := tr.commit("2026-09-01T10:00:00Z", "添加儿童记录 a")
	tr.git("mv", "records/children/a.yaml", "records/children/wang.yaml")
	c2 := tr.commit("2026-09-02T10:00:00Z", "rename a to wang")
	tr.write("records/care.yaml", "school: y\n")
	tr.commit("2026-09-03T10:00:00Z", "other file")
	tr.write("records/children/wang.yaml", "name: 王小明\nage: 9\n")
	msg := ":100644 \x1e tricky 中文 subject\n\nbody line 1\n:000000 100644 fake raw line\n\x1e\n"
	c3 := tr.commit("2026-09-04T10:00:00Z", msg)

	r := tr.open("records")
	ctx := context.Background()
	log, err := r.Log(ctx, []string{"children/wang.yaml"}, LogOptions{Follow: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(log) != 3 {
		t.Fatalf("Log follow: %d entries, want 3: %+v", len(log), log)
	}
	blob := func(rev string) string { return tr.git("rev-parse", rev) }
	wantIDs := []string{c3, c2, c1}
	wantChanges := []Change{
		{Status: 'M', Path: "children/wang.yaml", OldBlob: blob(c2 + ":records/children/wang.yaml"), NewBlob: blob(c3 + ":records/children/wang.yaml"), OldMode: ModeFile, NewMode: ModeFile},
		{Status: 'R', OldPath: "children/a.yaml", Path: "children/wang.yaml", OldBlob: blob(c1 + ":records/children/a.yaml"), NewBlob: blob(c2 + ":records/children/wang.yaml"), OldMode: ModeFile, NewMode: ModeFile},
		{Status: 'A', Path: "children/a.yaml", NewBlob: blob(c1 + ":records/children/a.yaml"), NewMode: ModeFile},
	}
	for i, e := range log {
		if e.Commit.ID != wantIDs[i] {
			t.Errorf("entry %d: commit %s, want %s", i, e.Commit.ID, wantIDs[i])
		}
		if len(e.Changes) != 1 || !reflect.DeepEqual(e.Changes[0], wantChanges[i]) {
			t.Errorf("entry %d: changes %+v, want %+v", i, e.Changes, wantChanges[i])
		}
	}
	if want := ":100644 \x1e tricky 中文 subject"; log[0].Commit.Subject != want {
		t.Errorf("subject %q, want %q", log[0].Commit.Subject, want)
	}
	if log[2].Commit.Subject != "添加儿童记录 a" {
		t.Errorf("subject %q", log[2].Commit.Subject)
	}

	// Without Follow the history stops at the rename, which looks like an add.
	log, err = r.Log(ctx, []string{"children/wang.yaml"}, LogOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(log) != 2 || log[1].Changes[0].Status != 'A' {
		t.Errorf("Log without follow: %+v", log)
	}

	// The whole folder, limited to two commits.
	log, err = r.Log(ctx, nil, LogOptions{Max: 2})
	if err != nil {
		t.Fatal(err)
	}
	if len(log) != 2 || log[1].Changes[0].Path != "care.yaml" {
		t.Errorf("Log of the folder: %+v", log)
	}
	// All commits, starting from c2.
	log, err = r.Log(ctx, nil, LogOptions{From: c2})
	if err != nil {
		t.Fatal(err)
	}
	if len(log) != 2 || log[0].Commit.ID != c2 || len(log[1].Changes) != 2 {
		t.Errorf("Log from c2: %+v", log)
	}

	if _, err := r.Log(ctx, []string{"a", "b"}, LogOptions{Follow: true}); err == nil {
		t.Error("Log followed two paths")
	}
	if _, err := r.Log(ctx, nil, LogOptions{From: "--all"}); err == nil {
		t.Error("Log accepted From that is not a full id")
	}
	if _, err := r.Log(ctx, []string{"../../x"}, LogOptions{}); err == nil {
		t.Error("Log accepted a path outside the work tree")
	}
}

func TestLogMergeFirstParent(t *testing.T) {
	tr := newTestRepo(t)
	tr.write("a.yaml", "a: 1\n")
	tr.commit("2026-09-01T10:00:00Z", "a")
	tr.git("checkout", "-q", "-b", "side")
	tr.write("b.yaml", "b: 1\n")
	tr.commit("2026-09-02T10:00:00Z", "b on side")
	tr.git("checkout", "-q", "main")
	tr.write("a.yaml", "a: 2\n")
	tr.commit("2026-09-03T10:00:00Z", "a again")
	gitAt(t, tr.dir, "2026-09-04T10:00:00Z", "merge", "-q", "--no-ff", "-m", "merge side", "side")

	log, err := tr.open("").Log(context.Background(), nil, LogOptions{FirstParent: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(log) != 3 || log[0].Commit.Subject != "merge side" || len(log[0].Changes) != 1 ||
		log[0].Changes[0].Path != "b.yaml" || log[0].Changes[0].Status != 'A' {
		t.Errorf("Log first parent: %+v", log)
	}
	commits, err := tr.open("").FirstParentCommits(context.Background(),
		time.Date(2026, 9, 2, 0, 0, 0, 0, time.UTC), time.Date(2026, 9, 3, 23, 0, 0, 0, time.UTC))
	if err != nil || len(commits) != 1 || commits[0].Subject != "a again" {
		t.Errorf("FirstParentCommits = %+v, %v", commits, err)
	}
}

func TestDirty(t *testing.T) {
	tr := newTestRepo(t)
	tr.write("records/children/a.yaml", "a: 1\n")
	tr.write("notes.txt", "n\n")
	tr.commit("2026-09-01T10:00:00Z", "first")
	r := tr.open("records")
	ctx := context.Background()
	check := func(what string, want bool) {
		t.Helper()
		got, err := r.Dirty(ctx)
		if err != nil || got != want {
			t.Errorf("%s: Dirty() = %v, %v; want %v", what, got, err, want)
		}
	}
	check("clean", false)
	tr.write("notes.txt", "changed outside the records\n")
	check("change outside the folder", false)
	tr.write("records/children/a.yaml", "a: 2\n")
	check("modified", true)
	tr.git("checkout", "--", "records/children/a.yaml")
	check("restored", false)
	tr.write("records/report.html", "<html>\n")
	tr.write("records/notes/x.yaml", "a: 1\n")
	check("files outside the record folders", false)
	tr.write("records/talks/2026-11/b.yaml", "b: 1\n")
	check("untracked", true)
	tr.git("add", "records/talks")
	check("staged", true)
	tr.git("commit", "-q", "-m", "talk")
	check("committed", false)
	tr.write("records/care.yaml", "version: 1\n")
	check("care.yaml untracked", true)
}

func TestCancelledContext(t *testing.T) {
	tr := newTestRepo(t)
	tr.commit("2026-09-01T10:00:00Z", "first")
	r := tr.open("")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := r.Resolve(ctx, "HEAD"); !errors.Is(err, context.Canceled) {
		t.Errorf("Resolve with a cancelled context: got %v", err)
	}
}

func TestParseLogRejectsGarbage(t *testing.T) {
	for _, in := range []string{
		"garbage\x00",
		":100644 100644 x y M\x00a\x00",
		"\x1e\x00" + strings.Repeat("a", 40) + "\x00",
	} {
		if _, err := parseLog([]byte(in)); err == nil {
			t.Errorf("parseLog(%q) succeeded", in)
		}
	}
}

// BenchmarkReadBlobs reads 2,000 small records through one cat-file process.
func BenchmarkReadBlobs(b *testing.B) {
	needGit(b)
	dir := b.TempDir()
	cmd := exec.Command("git", "init", "-q", dir)
	cmd.Env = gitEnv()
	if out, err := cmd.CombinedOutput(); err != nil {
		b.Fatalf("git init: %v\n%s", err, out)
	}
	var in strings.Builder
	for i := 0; i < 2000; i++ {
		p := filepath.Join(dir, "r"+strconv.Itoa(i)+".yaml")
		if err := os.WriteFile(p, []byte("id: "+strconv.Itoa(i)+"\nname: 王小明\n"), 0o644); err != nil {
			b.Fatal(err)
		}
		in.WriteString(p + "\n")
	}
	cmd = exec.Command("git", "hash-object", "-w", "--stdin-paths")
	cmd.Dir = dir
	cmd.Env = gitEnv()
	cmd.Stdin = strings.NewReader(in.String())
	out, err := cmd.Output()
	if err != nil {
		b.Fatal(err)
	}
	ids := strings.Fields(string(out))
	r, err := Open(context.Background(), dir)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("ReadBlobs", func(b *testing.B) {
		for range b.N {
			blobs, err := r.ReadBlobs(context.Background(), ids)
			if err != nil || len(blobs) != len(ids) {
				b.Fatalf("ReadBlobs: %d blobs, %v", len(blobs), err)
			}
		}
	})
	b.Run("Read", func(b *testing.B) {
		for range b.N {
			br, err := r.NewBlobReader(context.Background())
			if err != nil {
				b.Fatal(err)
			}
			for _, id := range ids {
				if _, err := br.Read(id); err != nil {
					b.Fatal(err)
				}
			}
			br.Close()
		}
	})
}

// TestMonthEndUsesTheCommitsOwnDate: a commit belongs to the month of the
// date it carries, in the time zone it was made in (the date git log and
// care show), whatever the time zone of the machine running care: a laptop
// in China and a CI runner in UTC choose the same commits.
func TestMonthEndUsesTheCommitsOwnDate(t *testing.T) {
	tr := newTestRepo(t)
	first := tr.commit("2026-09-01T00:30:00+08:00", "first, 00:30 on 1 September in China (31 August in UTC)")
	tr.commit("2026-10-20T10:00:00+08:00", "oct")
	tr.commit("2026-10-31T23:30:00+08:00", "31 October, 23:30 in China")
	late := tr.commit("2026-10-31T20:00:00-10:00", "31 October, 20:00 in Hawaii (1 November in UTC)")
	tr.commit("2026-11-01T00:30:00+08:00", "1 November, 00:30 in China (31 October in UTC)")

	saved := time.Local
	defer func() { time.Local = saved }()
	ctx := context.Background()
	for _, zone := range []*time.Location{time.UTC, time.FixedZone("CST", 8*3600), time.FixedZone("HST", -10*3600), time.FixedZone("LINT", 14*3600)} {
		time.Local = zone
		r := tr.open("")
		if c, err := r.MonthEnd(ctx, "2026-10"); err != nil || c.ID != late {
			t.Errorf("TZ %s: MonthEnd(2026-10) = %s %q, %v; want %s", zone, c.Short, c.Subject, err, late)
		}
		if c, err := r.MonthEnd(ctx, "2026-09"); err != nil || c.ID != first {
			t.Errorf("TZ %s: MonthEnd(2026-09) = %s %q, %v; want %s", zone, c.Short, c.Subject, err, first)
		}
		_, err := r.MonthEnd(ctx, "2026-08")
		if want := "no commit on or before 2026-08-31; the first commit is on 2026-09-01"; err == nil || err.Error() != want {
			t.Errorf("TZ %s: MonthEnd(2026-08): got %v, want %q", zone, err, want)
		}
	}
}

// TestResolveNotACommit: a tree or a blob id is not "unknown": the error
// says what it names. A message search (":/text") finds its commit.
func TestResolveNotACommit(t *testing.T) {
	tr := newTestRepo(t)
	tr.write("a.yaml", "a: 1\n")
	first := tr.commit("2026-09-01T10:00:00Z", "first 九月")
	tr.write("a.yaml", "a: 2\n")
	tr.commit("2026-10-01T10:00:00Z", "second")
	r := tr.open("")
	ctx := context.Background()
	for rev, typ := range map[string]string{
		"HEAD^{tree}":                      "tree",
		tr.git("rev-parse", "HEAD^{tree}"): "tree",
		"HEAD:a.yaml":                      "blob",
		tr.git("rev-parse", "HEAD:a.yaml"): "blob",
	} {
		_, err := r.Resolve(ctx, rev)
		var re *RevisionError
		if !errors.As(err, &re) || !errors.Is(err, ErrUnknownRevision) || re.Type != typ {
			t.Errorf("Resolve(%q): got %v (%+v), want a RevisionError of type %s", rev, err, re, typ)
			continue
		}
		if !strings.Contains(err.Error(), "names a "+typ) {
			t.Errorf("Resolve(%q): error %q does not say it names a %s", rev, err, typ)
		}
	}
	if c, err := r.Resolve(ctx, ":/九月"); err != nil || c.ID != first {
		t.Errorf("Resolve(:/九月) = %s, %v; want %s", c.ID, err, first)
	}
}
