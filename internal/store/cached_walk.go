package store

import (
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"

	"github.com/care-tool/care/internal/cache"
	"github.com/care-tool/care/internal/diag"
	"github.com/care-tool/care/internal/record"
)

// listing is what listDir found: the record files (sorted), the loader's
// diagnostics, and, when asked for, the status of each file (taken while
// the folders are read, in parallel).
type listing struct {
	paths  []string
	diags  []diag.Diagnostic
	stats  []cache.Stat // nil when not asked for or not known
	statOK []bool
}

// stat returns the status of the i-th file, from the listing or asked now.
func (l *listing) stat(i int, root string) (cache.Stat, bool) {
	if l.stats != nil {
		return l.stats[i], l.statOK[i]
	}
	return statPath(filepath.Join(root, filepath.FromSlash(l.paths[i])))
}

// listDir lists the record files below root as ListDir does, but reads the
// folders in parallel and, with withStat, takes the status of each record
// file on the way.
// It handles the usual tree only: real folders, regular files, hidden
// files, node_modules and files that are not YAML. At the first thing that
// ListDir would report or treat specially (a symbolic link, a YAML file
// outside the record folders, anything that is neither file nor folder, a
// folder it cannot read), it gives up and returns what ListDir returns, so
// that the two never differ.
func listDir(root string, withStat bool) (*listing, error) {
	if l, ok := listFast(root, withStat); ok {
		return l, nil
	}
	paths, diags, err := ListDir(root)
	if err != nil {
		return nil, err
	}
	return &listing{paths: paths, diags: diags}, nil
}

// listed is one record file found by listFast: its path and, with
// withStat, the index of its status in the folder's block of statuses.
type listed struct {
	path  string
	block int32
	index int32
}

type statBlock struct {
	stats []cache.Stat
	ok    []bool
}

func listFast(root string, withStat bool) (*listing, bool) {
	if fi, err := os.Lstat(root); err != nil || !fi.IsDir() {
		return nil, false
	}
	var (
		mu     sync.Mutex
		files  []listed
		blocks []statBlock
		bad    bool
		wg     sync.WaitGroup
		sem    = make(chan struct{}, runtime.GOMAXPROCS(0)*2)
	)
	fail := func() {
		mu.Lock()
		bad = true
		mu.Unlock()
	}
	var walk func(full, rel string)
	walk = func(full, rel string) {
		defer wg.Done()
		sem <- struct{}{}
		defer func() { <-sem }()
		f, err := os.Open(full)
		if err != nil {
			fail()
			return
		}
		defer f.Close()
		entries, err := f.ReadDir(-1)
		if err != nil {
			fail()
			return
		}
		mine := make([]listed, 0, len(entries))
		var block statBlock
		for _, d := range entries {
			name := d.Name()
			if strings.HasPrefix(name, ".") || d.IsDir() && name == "node_modules" {
				continue
			}
			p := name
			if rel != "" {
				p = rel + "/" + name
			}
			t := d.Type()
			switch {
			case t.IsDir():
				wg.Add(1)
				go walk(full+string(filepath.Separator)+name, p)
				continue
			case !t.IsRegular():
				fail() // a symbolic link or a device: ListDir's business
				return
			}
			kind, isYAML := KindOf(p)
			if !isYAML {
				if oddExt(p) {
					fail() // ListDir warns about it
					return
				}
				continue
			}
			if kind == record.KindNone {
				fail() // ListDir warns about it
				return
			}
			x := listed{path: p}
			if withStat {
				st, ok := statPath(full + string(filepath.Separator) + name)
				x.index = int32(len(block.stats))
				block.stats, block.ok = append(block.stats, st), append(block.ok, ok)
			}
			mine = append(mine, x)
		}
		mu.Lock()
		for i := range mine {
			mine[i].block = int32(len(blocks))
		}
		blocks = append(blocks, block)
		files = append(files, mine...)
		mu.Unlock()
	}
	wg.Add(1)
	walk(root, "")
	wg.Wait()
	if bad {
		return nil, false
	}
	slices.SortFunc(files, func(a, b listed) int { return strings.Compare(a.path, b.path) })
	l := &listing{paths: make([]string, len(files))}
	if withStat {
		l.stats, l.statOK = make([]cache.Stat, len(files)), make([]bool, len(files))
	}
	for i, x := range files {
		l.paths[i] = x.path
		if withStat {
			b := &blocks[x.block]
			l.stats[i], l.statOK[i] = b.stats[x.index], b.ok[x.index]
		}
	}
	return l, true
}
