package store

import (
	"context"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/care-tool/care/internal/cache"
	"github.com/care-tool/care/internal/diag"
	"github.com/care-tool/care/internal/gitrepo"
	"github.com/care-tool/care/internal/record"
)

// CacheOptions configure LoadDirCached.
type CacheOptions struct {
	// Dir is the cache folder (see cache.Dir); "" loads without a cache:
	// every file is read and parsed, and nothing is written.
	Dir string
	// Key is what every result depends on besides a file's content and
	// path, Today and PII: care's build and its schemas (see cache.Key).
	Key string
	// Today and PII are the options the per-file checks run with.
	Today record.Date
	PII   bool
	// Check runs the per-file checks on a parsed file. Its result must
	// depend only on the file's content and path, on Today only through the
	// dates after Today, and on PII only in the text of its diagnostics
	// (see cache.Entry.Reusable). Nil runs no check.
	Check func(f *record.File) []diag.Diagnostic
	// NoGit stops LoadDirCached from asking git which files are unchanged;
	// it then relies on file status and content hashes alone.
	NoGit bool
}

// CachedLoad is the outcome of LoadDirCached: the repository as LoadDir
// loads it, except that no File keeps its Doc, and the diagnostics of the
// per-file checks.
type CachedLoad struct {
	*Loaded
	// CheckDiags holds what Check found, file by file in the order of
	// Files (unsorted, like the loader's Diags).
	CheckDiags []diag.Diagnostic
	Stats      CacheStats
}

// CacheStats say how a load used the cache; for tests, benchmarks and
// CARE_CACHE_TRACE.
type CacheStats struct {
	Files  int  // record files
	ByBlob int  // reused because git vouched for the content
	ByStat int  // reused because the file status had not changed
	ByHash int  // reused after reading the file again: same content
	Parsed int  // parsed and checked
	Loaded bool // a usable cache was found
	Git    bool // git answered which files are unchanged
	Saved  bool // the cache was written
	Dirty  int  // entries made again, or of files gone, since the cache was written

	// How long each step took: listing the folder, reading the cache and
	// asking git (the three at once), loading the files, saving the cache.
	List, Read, Ask, Load, Save time.Duration
}

// String sums s up on one line.
func (s CacheStats) String() string {
	ms := func(d time.Duration) string { return fmt.Sprintf("%.0fms", d.Seconds()*1000) }
	return fmt.Sprintf("%d files: %d reused (git %d, status %d, content %d), %d parsed; cache read %t, git %t, %d entries new, written %t; list %s, read %s, git %s, load %s, save %s",
		s.Files, s.ByBlob+s.ByStat+s.ByHash, s.ByBlob, s.ByStat, s.ByHash, s.Parsed, s.Loaded, s.Git, s.Dirty, s.Saved,
		ms(s.List), ms(s.Read), ms(s.Ask), ms(s.Load), ms(s.Save))
}

// statSlack is how much older than the start of a run a file must be for
// its status alone to vouch for its content in later runs: a file changed
// again within the resolution of the file system's clock could otherwise
// keep its size and time (git calls such entries "racily clean").
const statSlack = 2 * time.Second

// saveEvery sets when a run writes the cache: when at least one entry in
// saveEvery had to be made again (a file changed, touched, added or
// removed). Writing the whole cache costs about as much as parsing one file
// in two hundred (150 ms at 90,000 files), so a run after a few edits does
// not write it: the next runs check those few files again instead, which
// costs less, until enough have changed to make writing worth it.
const saveEvery = 256

// askGitFrom is the number of files whose status changed from which
// LoadDirCached asks git for the blob ids of unchanged files rather than
// reading each file again to hash it: asking git costs about as much as
// reading a few thousand files (docs/performance.md).
const askGitFrom = 1000

// LoadDirCached loads every record below root like LoadDir and runs
// opt.Check on each file, reusing what the cache in opt.Dir kept of the
// files that have not changed since an earlier run, then saves the cache
// for the next run when anything changed. The result is the same as loading
// and checking every file: a file is reused only when cache.Entry.Reusable
// allows it and
//
//   - its file status (size, modification and change times, inode) equals
//     the one recorded when it was read, and that was well after its last
//     change (see statSlack); or
//   - git says that it is unchanged since the index and its blob id is the
//     one recorded (git is asked only when the status of many files
//     changed, as after a checkout or in CI, where a cache restored into a
//     fresh clone meets files that all have new times); or
//   - reading it again gives the recorded SHA-256.
//
// To save memory, Files come back without their Doc: their position table
// answers Position for the cross-record checks.
func LoadDirCached(ctx context.Context, root string, opt CacheOptions) (*CachedLoad, error) {
	start := time.Now()
	var stats CacheStats
	var snap *cache.Snapshot
	var wg sync.WaitGroup
	if opt.Dir != "" {
		wg.Add(1)
		go func() {
			defer wg.Done()
			snap = cache.Load(opt.Dir, opt.Key)
			stats.Read = time.Since(start)
		}()
	}
	// The status of each file is taken while listing when there is a
	// cache to compare it with.
	_, err := os.Stat(filepath.Join(opt.Dir, cache.FileName))
	withStat := opt.Dir != "" && err == nil
	l, err := listDir(root, withStat)
	stats.List = time.Since(start)
	wg.Wait()
	if err != nil {
		return nil, err
	}
	paths := l.paths
	loadStart := time.Now()
	olds := alignEntries(paths, snap)

	// Without a usable cache every file is read and parsed; git, asked
	// meanwhile, gives the blob ids to record for the next run.
	var blobs map[string]string
	var gitDone chan struct{}
	if opt.Dir != "" && !opt.NoGit && snap == nil {
		gitDone = make(chan struct{})
		go func() {
			defer close(gitDone)
			blobs = gitBlobs(ctx, root)
			stats.Ask = time.Since(start)
		}()
	}

	res := make([]fileResult, len(paths))
	errs := make([]error, len(paths))
	var how [4]atomic.Int64 // by howBlob, howStat, howHash, howParse
	// Reuse what the file status vouches for; the rest is pending.
	pending := make([]bool, len(paths))
	cur := make([]cache.Stat, len(paths)) // the status of pending files with an entry, when known
	var npending atomic.Int64
	parallelChunks(len(paths), func(i int) {
		if e := olds[i]; e != nil {
			st, ok := l.stat(i, root)
			if ok {
				cur[i] = st
			}
			kind, _ := KindOf(paths[i])
			if ok && st == e.Stat && e.StatTrusted && e.Kind == kind && kind != record.KindConfig && e.Reusable(opt.Today, opt.PII) {
				res[i] = reuse(e, paths[i])
				how[howStat].Add(1)
				return
			}
		}
		pending[i] = true
		npending.Add(1)
	})
	if gitDone == nil && opt.Dir != "" && !opt.NoGit && npending.Load() >= askGitFrom {
		blobs = gitBlobs(ctx, root)
		stats.Ask = time.Since(start)
	}
	if gitDone != nil {
		<-gitDone
	}
	parallelChunks(len(paths), func(i int) {
		if !pending[i] {
			return
		}
		r, h, err := loadOne(root, paths[i], olds[i], blobs[paths[i]], cur[i], &opt, start)
		res[i], errs[i] = r, err
		how[h].Add(1)
	})
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	stats.Files, stats.Loaded, stats.Git = len(paths), snap != nil, blobs != nil
	stats.ByBlob, stats.ByStat = int(how[howBlob].Load()), int(how[howStat].Load())
	stats.ByHash, stats.Parsed = int(how[howHash].Load()), int(how[howParse].Load())
	out := &CachedLoad{Loaded: &Loaded{Root: root, Dataset: &record.Dataset{}}, Stats: stats}
	ld, ds := out.Loaded, out.Loaded.Dataset
	entries := make([]*cache.Entry, 0, len(res))
	ld.Files = make([]*record.File, 0, len(res))
	for _, r := range res {
		ld.Files = append(ld.Files, r.file)
		ld.Diags = append(ld.Diags, r.loadDiags...)
		out.CheckDiags = append(out.CheckDiags, r.checkDiags...)
		switch {
		case r.config != nil:
			ds.Config = r.config
		case r.entry == nil:
		case r.entry.Child != nil:
			ds.Children = append(ds.Children, r.entry.Child)
		case r.entry.Pairing != nil:
			ds.Pairings = append(ds.Pairings, r.entry.Pairing)
		case r.entry.Talk != nil:
			ds.Talks = append(ds.Talks, r.entry.Talk)
		}
		if r.entry != nil {
			entries = append(entries, r.entry)
		}
	}
	ld.Parsed = stats.Parsed
	ld.Diags = append(ld.Diags, l.diags...)
	sortChildren(ds.Children)
	out.Stats.Load = time.Since(loadStart)
	// Entries made or changed by this run, and entries of files gone.
	dirty, matched := 0, 0
	for i, r := range res {
		if olds[i] != nil {
			matched++
		}
		if r.entry != nil && r.entry != olds[i] {
			dirty++
		}
	}
	if snap != nil {
		dirty += len(snap.Entries) - matched
	}
	out.Stats.Dirty = dirty
	if opt.Dir != "" && (snap == nil || dirty > 0 && dirty*saveEvery >= len(entries)) {
		saveStart := time.Now()
		out.Stats.Saved = cache.Save(opt.Dir, &cache.Snapshot{Key: opt.Key, Taken: start, Entries: entries}) == nil
		out.Stats.Save = time.Since(saveStart)
	}
	return out, nil
}

// alignEntries returns the cache entry of each path (nil for none), merging
// the two sorted lists.
func alignEntries(paths []string, snap *cache.Snapshot) []*cache.Entry {
	olds := make([]*cache.Entry, len(paths))
	if snap == nil {
		return olds
	}
	es := snap.Entries
	if !sort.SliceIsSorted(es, func(i, j int) bool { return es[i].Path < es[j].Path }) {
		return olds // never written so; use nothing rather than guess
	}
	j := 0
	for i, p := range paths {
		for j < len(es) && es[j].Path < p {
			j++
		}
		if j < len(es) && es[j].Path == p {
			olds[i] = es[j]
		}
	}
	return olds
}

// parallelChunks calls f(i) for i in [0, n) on GOMAXPROCS+1 goroutines (one more
// than the cores, to keep them busy while one waits for the disk).
func parallelChunks(n int, f func(i int)) {
	workers := min(runtime.GOMAXPROCS(0)+1, n)
	const chunk = 64
	var next atomic.Int64
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				lo := int(next.Add(chunk)) - chunk
				if lo >= n {
					return
				}
				for i := lo; i < min(lo+chunk, n); i++ {
					f(i)
				}
			}
		}()
	}
	wg.Wait()
}

// sortChildren orders children as Decode does: by id, then path.
func sortChildren(cs []*record.Child) {
	sort.SliceStable(cs, func(i, j int) bool {
		if cs[i].ID != cs[j].ID {
			return cs[i].ID < cs[j].ID
		}
		return cs[i].File.Path < cs[j].File.Path
	})
}

// gitBlobs asks git which files below root are unchanged since the index,
// and their blob ids; nil when root is not in a git work tree or git fails.
func gitBlobs(ctx context.Context, root string) map[string]string {
	repo, err := gitrepo.Open(ctx, root)
	if err != nil {
		return nil
	}
	ids, err := repo.WorkTreeBlobIDs(ctx)
	if err != nil {
		return nil
	}
	return ids
}

// fileResult is what loading one file gives.
type fileResult struct {
	file       *record.File
	entry      *cache.Entry // nil for care.yaml, which is never cached
	config     *record.Config
	loadDiags  []diag.Diagnostic
	checkDiags []diag.Diagnostic
}

// How a file was loaded.
const (
	howBlob = iota
	howStat
	howHash
	howParse
)

// loadOne loads the file at p whose file status did not vouch for old:
// reusing old when git vouches for it (blob is the index's blob id of p, ""
// when git was not asked or p changed since the index) or when its content
// hashes the same, and otherwise parsing and checking it. st is the status
// of p taken before git was asked (zero when unknown): recorded with a
// reused entry, it lets the next run trust the status again.
func loadOne(root, p string, old *cache.Entry, blob string, st cache.Stat, opt *CacheOptions, start time.Time) (fileResult, int, error) {
	kind, _ := KindOf(p)
	usable := old != nil && old.Kind == kind && kind != record.KindConfig && old.Reusable(opt.Today, opt.PII)
	if usable && blob != "" && old.Blob == blob {
		e := old
		if st != (cache.Stat{}) && st != old.Stat {
			// Any change after st was taken changes the change time, so
			// st still vouches for this content in later runs.
			c := *old
			c.Stat, c.StatTrusted = st, st.ModNs < start.Add(-statSlack).UnixNano()
			e = &c
		}
		return reuse(e, p), howBlob, nil
	}
	data, st, err := readFull(filepath.Join(root, filepath.FromSlash(p)), p)
	if err != nil {
		return fileResult{}, 0, err
	}
	trusted := st.ModNs < start.Add(-statSlack).UnixNano()
	if usable {
		sum := sha256.Sum256(data)
		if hex.EncodeToString(sum[:]) == old.Hash {
			newBlob := old.Blob
			if blob != "" && gitBlobID(data, len(blob)) == blob {
				newBlob = blob
			}
			if st == old.Stat && trusted == old.StatTrusted && newBlob == old.Blob {
				return reuse(old, p), howHash, nil // nothing new to record
			}
			e := *old
			e.Stat, e.StatTrusted, e.Blob = st, trusted, newBlob
			return reuse(&e, p), howHash, nil
		}
	}
	f, loadDiags := record.Parse(p, kind, data)
	r := fileResult{file: f, loadDiags: loadDiags}
	var e *cache.Entry
	if kind != record.KindConfig {
		e = &cache.Entry{Path: p, Kind: kind, Hash: f.Hash, Stat: st, StatTrusted: trusted,
			Today: opt.Today, PII: opt.PII, LoadDiags: loadDiags, Pos: f.Pos}
		if blob != "" && gitBlobID(data, len(blob)) == blob {
			e.Blob = blob
		}
	}
	if f.Doc != nil {
		if opt.Check != nil {
			r.checkDiags = opt.Check(f)
		}
		switch kind {
		case record.KindConfig:
			r.config = record.DecodeConfig(f)
		case record.KindChild:
			e.Child = record.DecodeChild(f)
		case record.KindPairing:
			e.Pairing = record.DecodePairing(f)
		case record.KindTalk:
			e.Talk = record.DecodeTalk(f)
		}
		if e != nil {
			e.MaxDate = maxDate(f.Doc)
			e.CheckDiags = r.checkDiags
		}
		f.Doc = nil
	}
	r.entry = e
	return r, howParse, nil
}

// reuse makes the result of a file from its cache entry, which it adopts:
// an entry reused as it was stays the same pointer, so that comparing the
// new entries with the old ones to decide whether to save costs nothing.
func reuse(e *cache.Entry, p string) fileResult {
	f := &record.File{Path: p, Kind: e.Kind, Hash: e.Hash, Pos: e.Pos}
	switch {
	case e.Child != nil:
		e.Child.File = f
	case e.Pairing != nil:
		e.Pairing.File = f
	case e.Talk != nil:
		e.Talk.File = f
	}
	return fileResult{file: f, entry: e, loadDiags: e.LoadDiags, checkDiags: e.CheckDiags}
}

// maxDate returns the latest date written anywhere in n (0 when none): an
// upper bound of the dates the checks compare with today. Aliases are not
// followed: the node they stand for is in the tree too.
func maxDate(n *yaml.Node) record.Date {
	var best record.Date
	var walk func(n *yaml.Node)
	walk = func(n *yaml.Node) {
		if n == nil || n.Kind == yaml.AliasNode {
			return
		}
		if n.Kind == yaml.ScalarNode {
			v := strings.TrimSpace(n.Value)
			if len(v) == 10 && v[4] == '-' && v[7] == '-' {
				if d, err := record.ParseDate(v); err == nil && d > best {
					best = d
				}
			}
			return
		}
		for _, c := range n.Content {
			walk(c)
		}
	}
	walk(n)
	return best
}

// gitBlobID returns the git object id of a blob holding data, SHA-1 or,
// for a repository using SHA-256 (ids of 64 characters), SHA-256.
func gitBlobID(data []byte, idLen int) string {
	header := fmt.Sprintf("blob %d\x00", len(data))
	if idLen == 64 {
		h := sha256.New()
		io.WriteString(h, header)
		h.Write(data)
		return hex.EncodeToString(h.Sum(nil))
	}
	h := sha1.New()
	io.WriteString(h, header)
	h.Write(data)
	return hex.EncodeToString(h.Sum(nil))
}

// readStat reads the record at full (slash path p) like ReadFile, and
// returns the status of the file it read as well.
func readStat(full, p string) ([]byte, cache.Stat, error) {
	f, err := os.Open(full)
	if err != nil {
		return nil, cache.Stat{}, fmt.Errorf("%s: %w", p, unwrapPathError(err))
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, cache.Stat{}, fmt.Errorf("%s: %w", p, unwrapPathError(err))
	}
	st := cache.StatOf(fi)
	if fi.Size() > record.MaxFileSize {
		// A prefix that Parse recognises as too large, as ReadFile returns.
		return make([]byte, record.MaxFileSize+1), st, nil
	}
	// Read into one buffer sized from the status (plus room to see the
	// end), growing it if the file grew meanwhile; like ReadFile, stop
	// past MaxFileSize and keep what was read when reading fails.
	data := make([]byte, 0, fi.Size()+512)
	for {
		if len(data) == cap(data) {
			data = append(data, 0)[:len(data)]
		}
		n, err := f.Read(data[len(data):cap(data)])
		data = data[:len(data)+n]
		if err != nil || len(data) > record.MaxFileSize {
			break
		}
	}
	return data, st, nil
}
