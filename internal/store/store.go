// Package store finds a care repository and loads its records, from the
// working tree or from any other source of (path, content) pairs such as a git
// revision. Loading parses each file once, in parallel, into a yaml.Node tree
// and decodes it; it never judges the records (that is package validate).
package store

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"

	"github.com/care-tool/care/internal/diag"
	"github.com/care-tool/care/internal/i18n"
	"github.com/care-tool/care/internal/record"
)

// ConfigName is the name of the settings file at the repository root.
const ConfigName = "care.yaml"

// ErrNoRepo is returned when no care.yaml is found.
var ErrNoRepo = errors.New("no care.yaml found")

// NotFoundError says where care looked for care.yaml.
type NotFoundError struct{ Dir string }

func (e *NotFoundError) Error() string {
	return fmt.Sprintf("no care.yaml in %s or any parent folder", e.Dir)
}

// Unwrap makes errors.Is(err, ErrNoRepo) true.
func (e *NotFoundError) Unwrap() error { return ErrNoRepo }

// Find returns the nearest folder at or above dir that holds care.yaml.
func Find(dir string) (string, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	if st, err := os.Stat(abs); err != nil {
		return "", fmt.Errorf("%s: %w", dir, err)
	} else if !st.IsDir() {
		return "", fmt.Errorf("%s: not a folder", dir)
	}
	for d := abs; ; {
		if st, err := os.Stat(filepath.Join(d, ConfigName)); err == nil && st.Mode().IsRegular() {
			return d, nil
		}
		parent := filepath.Dir(d)
		if parent == d {
			return "", &NotFoundError{Dir: abs}
		}
		d = parent
	}
}

// KindOf returns the kind of the record at slash path p (relative to the
// root) and whether p is a YAML file at all.
func KindOf(p string) (kind record.Kind, isYAML bool) {
	ext := path.Ext(p)
	if ext != ".yaml" && ext != ".yml" {
		return record.KindNone, false
	}
	if p == ConfigName {
		return record.KindConfig, true
	}
	top, _, ok := strings.Cut(p, "/")
	if !ok {
		return record.KindNone, true
	}
	switch top {
	case "children":
		return record.KindChild, true
	case "pairings":
		return record.KindPairing, true
	case "talks":
		return record.KindTalk, true
	}
	return record.KindNone, true
}

// oddExt reports whether the slash path p ends in .yaml or .yml written
// with capital letters (.YAML, .Yml), which care does not read but warns
// about: such a file is almost certainly a record with a mistyped name.
func oddExt(p string) bool {
	ext := path.Ext(p)
	l := strings.ToLower(ext)
	return (l == ".yaml" || l == ".yml") && ext != l
}

// notRegular is the problem of a record path that is not a regular file
// (a named pipe or a device, or a link to one), which care never opens.
func notRegular(p string) diag.Diagnostic {
	return diag.Diagnostic{File: p, Check: "file",
		Message: i18n.T("这不是普通文件（是管道、设备或指向它们的链接），care 不会读取它", "this is not a regular file (a pipe, a device or a link to one); care does not read it"),
		Hint:    i18n.T("删除它，把记录文件本身放在这里", "remove it and put the record file itself here")}
}

// Input is one file to load.
type Input struct {
	Path string // slash path relative to the root
	Data []byte
}

// Loaded is the outcome of loading a repository.
type Loaded struct {
	Root    string         // absolute root folder ("" for a git revision)
	Files   []*record.File // every record file, parsed or not, sorted by path
	Dataset *record.Dataset
	Diags   []diag.Diagnostic // problems found while loading
	Parsed  int               // how many files were parsed (a test hook for caching and diffs)
}

// Build parses and decodes inputs in parallel. Inputs whose kind is none are
// skipped. It is the common end of every loader.
func Build(inputs []Input) *Loaded {
	l := &Loaded{Dataset: &record.Dataset{}}
	type result struct {
		file  *record.File
		diags []diag.Diagnostic
	}
	results := make([]result, len(inputs))
	work := make(chan int)
	var wg sync.WaitGroup
	n := runtime.GOMAXPROCS(0)
	if n > len(inputs) {
		n = len(inputs)
	}
	for w := 0; w < n; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range work {
				in := inputs[i]
				kind, _ := KindOf(in.Path)
				f, ds := record.Parse(in.Path, kind, in.Data)
				results[i] = result{f, ds}
			}
		}()
	}
	for i := range inputs {
		if k, _ := KindOf(inputs[i].Path); k != record.KindNone {
			work <- i
		}
	}
	close(work)
	wg.Wait()
	for _, r := range results {
		if r.file == nil {
			continue
		}
		l.Parsed++
		l.Files = append(l.Files, r.file)
		l.Diags = append(l.Diags, r.diags...)
	}
	sort.Slice(l.Files, func(i, j int) bool { return l.Files[i].Path < l.Files[j].Path })
	l.Dataset = Decode(l.Files)
	return l
}

// Decode decodes the parsed files into a Dataset. Files that could not be
// parsed are left out.
func Decode(files []*record.File) *record.Dataset {
	ds := &record.Dataset{}
	for _, f := range files {
		decodeInto(ds, f)
	}
	sortChildren(ds.Children)
	return ds
}

// decodeInto decodes the parsed file f into ds; a file that did not parse
// (no Doc) adds nothing.
func decodeInto(ds *record.Dataset, f *record.File) {
	if f.Doc == nil {
		return
	}
	switch f.Kind {
	case record.KindConfig:
		ds.Config = record.DecodeConfig(f)
	case record.KindChild:
		ds.Children = append(ds.Children, record.DecodeChild(f))
	case record.KindPairing:
		ds.Pairings = append(ds.Pairings, record.DecodePairing(f))
	case record.KindTalk:
		ds.Talks = append(ds.Talks, record.DecodeTalk(f))
	}
}

// LoadDir loads every record below root. It returns an error only for
// problems that stop care from reading the repository at all (an unreadable
// folder or file); problems with individual records are diagnostics.
func LoadDir(root string) (*Loaded, error) {
	paths, diags, err := ListDir(root)
	if err != nil {
		return nil, err
	}
	inputs := make([]Input, len(paths))
	errs := make([]error, len(paths))
	var wg sync.WaitGroup
	sem := make(chan struct{}, runtime.GOMAXPROCS(0)*2)
	for i, p := range paths {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			data, err := ReadFile(root, p)
			inputs[i] = Input{Path: p, Data: data}
			errs[i] = err
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	l := Build(inputs)
	l.Root = root
	l.Diags = append(l.Diags, diags...)
	return l, nil
}

// ReadFile reads the record at slash path p below root, refusing files that
// are too large to be records without reading them whole.
func ReadFile(root, p string) ([]byte, error) {
	full := filepath.Join(root, filepath.FromSlash(p))
	f, err := os.Open(full)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", p, unwrapPathError(err))
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", p, unwrapPathError(err))
	}
	if st.Size() > record.MaxFileSize {
		// Return a prefix that Parse recognises as too large.
		return make([]byte, record.MaxFileSize+1), nil
	}
	data := make([]byte, 0, st.Size()+1)
	buf := make([]byte, 32*1024)
	for {
		n, err := f.Read(buf)
		data = append(data, buf[:n]...)
		if err != nil {
			break
		}
		if len(data) > record.MaxFileSize {
			break
		}
	}
	return data, nil
}

func unwrapPathError(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// ListDir lists the record files below root (slash paths, sorted). Hidden
// files and folders (a name starting with ".") are not records and are
// skipped. It returns diagnostics for YAML files outside the record folders
// and for symbolic links that lead outside root (which are never followed).
func ListDir(root string) ([]string, []diag.Diagnostic, error) {
	realRoot, err := filepath.EvalSymlinks(root)
	if err != nil {
		return nil, nil, err
	}
	var paths []string
	var diags []diag.Diagnostic
	err = filepath.WalkDir(root, func(full string, d fs.DirEntry, err error) error {
		rel, rerr := filepath.Rel(root, full)
		if rerr != nil {
			return rerr
		}
		p := filepath.ToSlash(rel)
		if err != nil {
			return fmt.Errorf("%s: cannot read: %w", p, unwrapPathError(err))
		}
		if p == "." {
			return nil
		}
		name := d.Name()
		if strings.HasPrefix(name, ".") || d.IsDir() && name == "node_modules" {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			return nil
		}
		kind, isYAML := KindOf(p)
		if d.Type()&fs.ModeSymlink != 0 {
			target, err := filepath.EvalSymlinks(full)
			inside := err == nil && (target == realRoot || strings.HasPrefix(target, realRoot+string(filepath.Separator)))
			switch {
			case err != nil:
				if isYAML {
					diags = append(diags, diag.Diagnostic{File: p, Check: "symlink",
						Message: i18n.T("符号链接指向不存在的文件", "symbolic link leads to a file that does not exist"),
						Hint:    i18n.T("删除这个链接，或把记录文件本身放在这里", "remove the link or put the record file itself here")})
				}
				return nil
			case !inside:
				if isYAML || kind != record.KindNone {
					diags = append(diags, diag.Diagnostic{File: p, Check: "symlink",
						Message: i18n.T("符号链接指向仓库之外，care 不会读取它", "symbolic link leads outside the repository; care does not follow it"),
						Hint:    i18n.T("把记录文件本身复制到仓库里，再删除这个链接", "copy the record itself into the repository and remove the link")})
				}
				return nil
			}
			st, err := os.Stat(full)
			if err != nil {
				return nil
			}
			if st.IsDir() {
				diags = append(diags, diag.Diagnostic{File: p, Severity: diag.Warning, Check: "symlink",
					Message: i18n.T("指向文件夹的符号链接不会被读取", "a symbolic link to a folder is not followed"),
					Hint:    i18n.T("把记录放在真实的文件夹里", "keep records in real folders")})
				return nil
			}
			if !st.Mode().IsRegular() {
				// A pipe or a device would block or never end: never open it.
				if isYAML {
					diags = append(diags, notRegular(p))
				}
				return nil
			}
		} else if !d.Type().IsRegular() {
			if isYAML {
				diags = append(diags, notRegular(p))
			}
			return nil
		}
		if oddExt(p) {
			diags = append(diags, diag.Diagnostic{File: p, Severity: diag.Warning, Check: "stray-file",
				Message: i18n.T("文件扩展名要用小写的 .yaml 或 .yml，这个文件不会被读取", "the file name must end in lower-case .yaml or .yml; this file is not read"),
				Hint:    i18n.Tf("把它改名为 %s", "rename it to %s", path.Base(strings.TrimSuffix(p, path.Ext(p)))+strings.ToLower(path.Ext(p)))})
			return nil
		}
		if !isYAML {
			return nil
		}
		if kind == record.KindNone {
			if p == "care.yml" {
				diags = append(diags, diag.Diagnostic{File: p, Severity: diag.Warning, Check: "stray-file",
					Message: i18n.T("设置文件应命名为 care.yaml，care.yml 不会被读取", "the settings file must be named care.yaml; care.yml is not read"),
					Hint:    i18n.T("把它改名为 care.yaml", "rename it to care.yaml")})
				return nil
			}
			diags = append(diags, diag.Diagnostic{File: p, Severity: diag.Warning, Check: "stray-file",
				Message: i18n.T("这个 YAML 文件不在 children/、pairings/ 或 talks/ 中，不会被读取", "this YAML file is not in children/, pairings/ or talks/ and is not read"),
				Hint:    i18n.T("把记录移到对应的文件夹中", "move the record into the folder of its kind")})
			return nil
		}
		paths = append(paths, p)
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	sort.Strings(paths)
	return paths, diags, nil
}
