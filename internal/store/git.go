package store

import (
	"context"
	"errors"
	"fmt"
	"path"
	"runtime"
	"sort"
	"strings"
	"sync"

	"github.com/care-tool/care/internal/cache"
	"github.com/care-tool/care/internal/diag"
	"github.com/care-tool/care/internal/gitrepo"
	"github.com/care-tool/care/internal/record"
)

// GitLoader loads the records of git commits straight from git objects,
// without checking anything out, and the records of the working tree with
// the help of the index. It keeps every parsed file keyed by its blob id, so
// that loading a second commit parses only the blobs the first one did not
// have: between two revisions, only the files that differ are parsed.
//
// All git access goes through package gitrepo. A GitLoader is meant for one
// goroutine; Close it when done.
type GitLoader struct {
	repo *gitrepo.Repo

	// cache maps a blob and the kind it was parsed as to the parse.
	cache map[blobKey]*parsed
	// br is the one long-running "git cat-file --batch" of the loader,
	// started on first use.
	br *gitrepo.BlobReader

	// decoded holds decoded records by blob (from care's cache, see
	// UseDecoded), and shared the files that may be taken from it.
	decoded map[blobKey]*cache.Entry
	shared  map[gitInput]bool

	// Parsed counts every file parsed by this loader since it was made,
	// across all loads; each Loaded also counts its own. It is a test hook:
	// a diff between two commits that differ in one file parses one file.
	Parsed int
}

// blobKey identifies a parse: the same content parsed as another kind of
// record (after a move between top folders) is another parse.
type blobKey struct {
	blob string
	kind record.Kind
}

// parsed is one cached parse. The File's Path is that of the first path the
// blob was seen at; reuse at another path copies the File.
type parsed struct {
	file  *record.File
	diags []diag.Diagnostic
}

// bulkRead is the number of missing blobs from which a load reads them with
// one pipelined cat-file (Repo.ReadBlobs) instead of a round trip per blob
// on the loader's own reader.
const bulkRead = 64

// NewGitLoader returns a loader reading from repo. The records folder is the
// folder repo was opened at; paths are relative to it.
func NewGitLoader(repo *gitrepo.Repo) *GitLoader {
	return &GitLoader{repo: repo, cache: map[blobKey]*parsed{}}
}

// Repo returns the repository the loader reads.
func (g *GitLoader) Repo() *gitrepo.Repo { return g.repo }

// Close stops the loader's git process, if it started one.
func (g *GitLoader) Close() error {
	if g.br == nil {
		return nil
	}
	err := g.br.Close()
	g.br = nil
	return err
}

// gitInput is one record file of a tree: its path and blob id.
type gitInput struct {
	Path string
	Blob string
}

// LoadCommit loads the records of the commit with the full id commitID. The
// Loaded's Root is "" and its Parsed counts only the files this call parsed.
func (g *GitLoader) LoadCommit(ctx context.Context, commitID string) (*Loaded, error) {
	in, err := g.CommitInputs(ctx, commitID)
	if err != nil {
		return nil, err
	}
	return g.Load(ctx, in)
}

// Inputs lists the record files of one point in history without reading
// them: the blobs of a commit's tree, or those of the working tree (blobs
// for files equal to the index, files to read from disk for the others).
type Inputs struct {
	blobs    []gitInput
	fromDisk []string
	root     string // the records folder, for files from disk
	diags    []diag.Diagnostic
}

// CommitInputs lists the record files of the commit with the full id
// commitID. It and WorkTreeInputs may run on several goroutines at once.
func (g *GitLoader) CommitInputs(ctx context.Context, commitID string) (*Inputs, error) {
	entries, err := g.repo.ListTree(ctx, commitID)
	if err != nil {
		return nil, err
	}
	blobs, err := g.treeInputs(ctx, entries)
	if err != nil {
		return nil, err
	}
	return &Inputs{blobs: blobs}, nil
}

// WorkTreeInputs lists the record files of the working tree of the records
// folder: tracked files whose content equals the index by blob id, the
// others (modified and untracked files) to be read from disk.
func (g *GitLoader) WorkTreeInputs(ctx context.Context) (*Inputs, error) {
	root := g.repo.Dir()
	// The folder listing (the parallel one, which gives what ListDir gives)
	// and git's view of the index, at once.
	var ls *listing
	var lsErr error
	done := make(chan struct{})
	go func() {
		defer close(done)
		ls, lsErr = listDir(root, false)
	}()
	ids, err := g.repo.WorkTreeBlobIDs(ctx)
	<-done
	if lsErr != nil {
		return nil, lsErr
	}
	if err != nil {
		return nil, err
	}
	in := &Inputs{root: root, diags: ls.diags}
	for _, p := range ls.paths {
		if id, ok := ids[p]; ok {
			in.blobs = append(in.blobs, gitInput{Path: p, Blob: id})
		} else {
			in.fromDisk = append(in.fromDisk, p)
		}
	}
	return in, nil
}

// Load loads the records of in. Files given by blob reuse the parse of
// their blob when the loader has seen it, or the decoded record that
// UseDecoded allowed; the rest are read and parsed.
func (g *GitLoader) Load(ctx context.Context, in *Inputs) (*Loaded, error) {
	l, err := g.load(ctx, in.blobs, in.fromDisk, in.root)
	if err != nil {
		return nil, err
	}
	l.Diags = append(l.Diags, in.diags...)
	return l, nil
}

// paths maps each path of in given by blob to its blob; nil for nil.
func paths(in *Inputs) map[string]string {
	if in == nil {
		return nil
	}
	m := make(map[string]string, len(in.blobs)+len(in.fromDisk))
	for _, b := range in.blobs {
		m[b.Path] = b.Blob
	}
	for _, p := range in.fromDisk {
		m[p] = "" // never equal to a blob id
	}
	return m
}

// Prefetch reads and parses, in one batch, every file of the given inputs
// that a Load of them would parse, so that loading two points of history
// parses the files of both at once on every core. The parses are kept like
// those of Load.
func (g *GitLoader) Prefetch(ctx context.Context, ins ...*Inputs) error {
	var missing []gitInput
	seen := map[blobKey]bool{}
	for _, in := range ins {
		if in == nil {
			continue
		}
		for _, b := range in.blobs {
			kind, _ := KindOf(b.Path)
			if kind == record.KindNone {
				continue
			}
			key := blobKey{b.Blob, kind}
			if _, ok := g.decoded[key]; ok && g.shared[b] {
				continue
			}
			if _, ok := g.cache[key]; ok || seen[key] {
				continue
			}
			seen[key] = true
			missing = append(missing, b)
		}
	}
	if len(missing) == 0 {
		return nil
	}
	// The same blob may be wanted as two kinds (a file moved between top
	// folders): each blob is read once and parsed for each of its keys.
	byBlob := map[string][]int{}
	var ids []string
	for i, m := range missing {
		if _, ok := byBlob[m.Blob]; !ok {
			ids = append(ids, m.Blob)
		}
		byBlob[m.Blob] = append(byBlob[m.Blob], i)
	}
	// Parse each blob as git sends it, on every core but the one git needs.
	results := make([]parsed, len(missing))
	type job struct {
		i    int
		data []byte
	}
	jobs := make(chan job, 256)
	var wg sync.WaitGroup
	for w := 0; w < max(1, runtime.GOMAXPROCS(0)); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				m := missing[j.i]
				kind, _ := KindOf(m.Path)
				f, ds := record.Parse(m.Path, kind, j.data)
				results[j.i] = parsed{f, ds}
			}
		}()
	}
	err := g.repo.ReadBlobsFunc(ctx, ids, func(id string, data []byte) {
		for _, i := range byBlob[id] {
			jobs <- job{i, data}
		}
	})
	close(jobs)
	wg.Wait()
	if err != nil {
		return err
	}
	for i, m := range missing {
		kind, _ := KindOf(m.Path)
		g.cache[blobKey{m.Blob, kind}] = &results[i]
	}
	g.Parsed += len(missing)
	return nil
}

// UseDecoded lets the loader take the decoded records of files that have
// the same path and the same blob in a and b, and of talk logs at a path
// of one side only, from entries (care's cache of parsed records, whose
// entries record the blob id of their content), instead of reading and
// parsing them. A comparison of a and b never needs the yaml tree of such a
// file (package diff compares field by field only files that are at both
// points with different contents): the File it gets has no Doc (its
// position table answers Position), and only the files that differ are
// parsed. Entries without a blob id or without a
// decoded record (a file that did not parse) are not used. care.yaml is
// always parsed.
func (g *GitLoader) UseDecoded(entries []*cache.Entry, a, b *Inputs) {
	if len(entries) == 0 || a == nil || b == nil {
		return
	}
	g.shared = make(map[gitInput]bool, len(b.blobs))
	pathsA := paths(a)
	pathsB := paths(b)
	for _, in := range b.blobs {
		if blob, ok := pathsA[in.Path]; ok && blob == in.Blob {
			g.shared[in] = true
		}
	}
	// A talk log at a path of one side only is an added or removed log (or
	// one moved with its content unchanged), which a comparison counts
	// without looking into it.
	for _, side := range []struct {
		in    *Inputs
		other map[string]string
	}{{a, pathsB}, {b, pathsA}} {
		for _, in := range side.in.blobs {
			if _, ok := side.other[in.Path]; !ok {
				if k, _ := KindOf(in.Path); k == record.KindTalk {
					g.shared[in] = true
				}
			}
		}
	}
	g.decoded = make(map[blobKey]*cache.Entry, len(entries))
	for _, e := range entries {
		if e.Blob == "" || e.Kind == record.KindConfig || e.Pos == nil || (e.Child == nil && e.Pairing == nil && e.Talk == nil) {
			continue
		}
		g.decoded[blobKey{e.Blob, e.Kind}] = e
	}
}

// treeInputs picks the record files out of a tree listing, the way ListDir
// picks them out of a folder: YAML files under children/, pairings/ and
// talks/ and care.yaml, leaving out hidden files and folders. A symbolic
// link stands for the file it leads to when that file is in the same tree
// (inside the records folder); other links are left out, as ListDir leaves
// out links that lead outside the folder.
func (g *GitLoader) treeInputs(ctx context.Context, entries []gitrepo.Entry) ([]gitInput, error) {
	byPath := make(map[string]gitrepo.Entry, len(entries))
	var links []string
	for _, e := range entries {
		byPath[e.Path] = e
		if e.IsSymlink() && IsRecordPath(e.Path) {
			links = append(links, e.Blob)
		}
	}
	// A git process of its own rather than the loader's reader, so that
	// two points can be listed at once.
	var targets map[string][]byte
	if len(links) > 0 {
		var err error
		if targets, err = g.repo.ReadBlobs(ctx, uniq(links)); err != nil {
			return nil, err
		}
	}
	var out []gitInput
	for _, e := range entries {
		if !IsRecordPath(e.Path) {
			continue
		}
		blob := e.Blob
		if e.IsSymlink() {
			t, ok := followLink(e, byPath, targets)
			if !ok {
				continue
			}
			blob = t
		}
		out = append(out, gitInput{Path: e.Path, Blob: blob})
	}
	return out, nil
}

// followLink returns the blob that the symbolic link e leads to, when its
// target (read from the link's blob, in targets) is a regular file of the
// same tree. A link to a link is not followed further.
func followLink(e gitrepo.Entry, byPath map[string]gitrepo.Entry, targets map[string][]byte) (string, bool) {
	target := string(targets[e.Blob])
	if target == "" || path.IsAbs(target) {
		return "", false
	}
	p := path.Join(path.Dir(e.Path), target)
	t, ok := byPath[p]
	if !ok || t.IsSymlink() {
		return "", false
	}
	return t.Blob, true
}

// hiddenPath reports whether any element of the slash path p starts with
// "." or is a node_modules folder, as ListDir skips them.
func hiddenPath(p string) bool {
	for _, el := range strings.Split(p, "/") {
		if strings.HasPrefix(el, ".") || el == "node_modules" {
			return true
		}
	}
	return false
}

// LoadWorkTree loads the records of the working tree of the records folder.
// Tracked files whose content equals the index reuse the parse of their
// blob when the loader has seen it (typically by loading HEAD first); only
// modified and untracked files are read from disk and parsed.
func (g *GitLoader) LoadWorkTree(ctx context.Context) (*Loaded, error) {
	in, err := g.WorkTreeInputs(ctx)
	if err != nil {
		return nil, err
	}
	return g.Load(ctx, in)
}

// ParseBlobData returns the parse of the blob with the full id blob, whose
// content the caller has already read (with ReadBlobs), as a record file at
// path p. The parse is taken from the cache or made and cached; it counts
// in Parsed. It returns nil when p is not a record file.
func (g *GitLoader) ParseBlobData(p, blob string, data []byte) *record.File {
	kind, _ := KindOf(p)
	if kind == record.KindNone {
		return nil
	}
	key := blobKey{blob, kind}
	c, ok := g.cache[key]
	if !ok {
		f, ds := record.Parse(p, kind, data)
		c = &parsed{f, ds}
		g.cache[key] = c
		g.Parsed++
	}
	f, _ := c.at(p)
	return f
}

// ReadBlobs reads the contents of blobs without parsing them, through one
// pipelined "git cat-file --batch". Blobs already parsed are read again.
func (g *GitLoader) ReadBlobs(ctx context.Context, ids []string) (map[string][]byte, error) {
	return g.repo.ReadBlobs(ctx, ids)
}

// load builds a Loaded from record files given by blob id (parsed through
// the cache) and, with root set, files read from disk below root (always
// parsed, never cached: their content is not a blob).
func (g *GitLoader) load(ctx context.Context, inputs []gitInput, fromDisk []string, root string) (*Loaded, error) {
	type job struct {
		path string
		kind record.Kind
		blob string // "" for a file from disk
		data []byte
	}
	var jobs []job
	// files[i] is filled in order of inputs then fromDisk; a cache hit is
	// filled at once.
	files := make([]*record.File, len(inputs)+len(fromDisk))
	diags := make([][]diag.Diagnostic, len(files))
	known := map[*record.File]*cache.Entry{} // files decoded from care's cache
	slot := map[blobKey][]int{}              // misses: which slots wait for a blob
	var missing []string
	for i, in := range inputs {
		kind, _ := KindOf(in.Path)
		if kind == record.KindNone {
			continue
		}
		key := blobKey{in.Blob, kind}
		if e, ok := g.decoded[key]; ok && g.shared[in] {
			f := &record.File{Path: in.Path, Kind: kind, Hash: e.Hash, Pos: e.Pos}
			files[i], diags[i] = f, withFile(e.LoadDiags, in.Path)
			known[f] = e
			continue
		}
		if c, ok := g.cache[key]; ok {
			files[i], diags[i] = c.at(in.Path)
			continue
		}
		if _, waiting := slot[key]; !waiting {
			missing = append(missing, in.Blob)
		}
		slot[key] = append(slot[key], i)
	}

	blobs, err := g.readBlobs(ctx, uniq(missing))
	if err != nil {
		return nil, err
	}
	// One parse per missing key, at the path of its first slot.
	keys := make([]blobKey, 0, len(slot))
	for k := range slot {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return slot[keys[i]][0] < slot[keys[j]][0] })
	for _, k := range keys {
		jobs = append(jobs, job{path: inputs[slot[k][0]].Path, kind: k.kind, blob: k.blob, data: blobs[k.blob]})
	}
	for _, p := range fromDisk {
		kind, _ := KindOf(p)
		if kind == record.KindNone {
			continue
		}
		data, err := ReadFile(root, p)
		if err != nil {
			return nil, err
		}
		jobs = append(jobs, job{path: p, kind: kind, data: data})
	}

	results := make([]parsed, len(jobs))
	parallel(len(jobs), func(i int) {
		f, ds := record.Parse(jobs[i].path, jobs[i].kind, jobs[i].data)
		results[i] = parsed{f, ds}
	})

	diskSlot := len(inputs)
	for i, j := range jobs {
		r := &results[i]
		if j.blob == "" {
			files[diskSlot], diags[diskSlot] = r.file, r.diags
			diskSlot++
			continue
		}
		key := blobKey{j.blob, j.kind}
		g.cache[key] = r
		for _, s := range slot[key] {
			files[s], diags[s] = r.at(inputs[s].Path)
		}
	}

	l := &Loaded{Root: root, Parsed: len(jobs)}
	g.Parsed += len(jobs)
	for i, f := range files {
		if f == nil {
			continue
		}
		l.Files = append(l.Files, f)
		l.Diags = append(l.Diags, diags[i]...)
	}
	sort.Slice(l.Files, func(i, j int) bool { return l.Files[i].Path < l.Files[j].Path })
	if len(known) == 0 {
		l.Dataset = Decode(l.Files)
		return l, nil
	}
	l.Dataset = decodeKnown(l.Files, known)
	return l, nil
}

// decodeKnown is Decode for files of which some come decoded: the records
// of known files are copies of their entry's, pointing at the file (the
// entry itself is shared by both sides of a comparison).
func decodeKnown(files []*record.File, known map[*record.File]*cache.Entry) *record.Dataset {
	ds := &record.Dataset{}
	for _, f := range files {
		e, ok := known[f]
		if !ok {
			decodeInto(ds, f)
			continue
		}
		switch {
		case e.Child != nil:
			c := *e.Child
			c.File = f
			ds.Children = append(ds.Children, &c)
		case e.Pairing != nil:
			p := *e.Pairing
			p.File = f
			ds.Pairings = append(ds.Pairings, &p)
		case e.Talk != nil:
			t := *e.Talk
			t.File = f
			ds.Talks = append(ds.Talks, &t)
		}
	}
	sortChildren(ds.Children)
	return ds
}

// withFile returns ds with every diagnostic's File set to p.
func withFile(ds []diag.Diagnostic, p string) []diag.Diagnostic {
	if len(ds) == 0 {
		return nil
	}
	out := make([]diag.Diagnostic, len(ds))
	for i, d := range ds {
		d.File = p
		out[i] = d
	}
	return out
}

// at returns the cached parse as seen at path p: the same parse, or a copy
// with the path changed (the yaml.Node tree is shared, and never modified).
func (c *parsed) at(p string) (*record.File, []diag.Diagnostic) {
	if c.file.Path == p {
		return c.file, c.diags
	}
	f := *c.file
	f.Path = p
	ds := make([]diag.Diagnostic, len(c.diags))
	for i, d := range c.diags {
		d.File = p
		ds[i] = d
	}
	return &f, ds
}

// readBlobs reads the given distinct blobs: many at once with one pipelined
// cat-file, a few on the loader's long-running reader.
func (g *GitLoader) readBlobs(ctx context.Context, ids []string) (map[string][]byte, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	if len(ids) >= bulkRead {
		return g.repo.ReadBlobs(ctx, ids)
	}
	if g.br == nil {
		br, err := g.repo.NewBlobReader(ctx)
		if err != nil {
			return nil, err
		}
		g.br = br
	}
	out := make(map[string][]byte, len(ids))
	for _, id := range ids {
		data, err := g.br.Read(id)
		if err != nil {
			if !errors.Is(err, gitrepo.ErrMissingObject) {
				// the reader is unusable now; start a new one next time
				_ = g.br.Close()
				g.br = nil
			}
			return nil, fmt.Errorf("read %s: %w", id, err)
		}
		out[id] = data
	}
	return out, nil
}

// uniq returns ids without repetitions, in their first order.
func uniq(ids []string) []string {
	seen := make(map[string]bool, len(ids))
	out := ids[:0:0]
	for _, id := range ids {
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}

// parallel calls f(0) … f(n-1) on GOMAXPROCS goroutines.
func parallel(n int, f func(i int)) {
	workers := min(runtime.GOMAXPROCS(0), n)
	if workers <= 1 {
		for i := 0; i < n; i++ {
			f(i)
		}
		return
	}
	work := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range work {
				f(i)
			}
		}()
	}
	for i := 0; i < n; i++ {
		work <- i
	}
	close(work)
	wg.Wait()
}

// IsRecordPath reports whether the slash path p (relative to the records
// folder) would be loaded as a record: a YAML file of a known kind outside
// hidden folders.
func IsRecordPath(p string) bool {
	if hiddenPath(p) || path.IsAbs(p) || strings.HasPrefix(p, "../") {
		return false
	}
	k, _ := KindOf(p)
	return k != record.KindNone
}
