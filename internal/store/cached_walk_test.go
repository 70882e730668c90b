//go:build unix

package store

import (
	"os"
	"path/filepath"
	"reflect"
	"syscall"
	"testing"

	"github.com/care-tool/care/internal/diag"
	"github.com/care-tool/care/internal/i18n"
)

// TestListDirFast checks that listDir gives what ListDir gives, on trees
// it lists itself and on trees where it hands over to ListDir.
func TestListDirFast(t *testing.T) {
	mk := func(t *testing.T, files map[string]string) string {
		root := t.TempDir()
		for p, content := range files {
			full := filepath.Join(root, filepath.FromSlash(p))
			os.MkdirAll(filepath.Dir(full), 0o755)
			if err := os.WriteFile(full, []byte(content), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		return root
	}
	plain := map[string]string{
		"care.yaml": "x", "children/3-2/1.yaml": "x", "children/1.yml": "x", "pairings/a.yaml": "x",
		"talks/2026-11/a.yaml": "x", "talks/2026-11/b.yaml": "x", "talks/2026-11-extra/c.yaml": "x", "talks/2026-11.yaml": "x",
		"README.md": "x", "talks/notes.txt": "x", ".git/config": "x", ".care/cache/x.yaml": "x",
		"children/.hidden.yaml": "x", "node_modules/a/b.yaml": "x", "children/node_modules/c.yaml": "x",
	}
	tests := []struct {
		name  string
		files map[string]string
		setup func(root string)
		fast  bool
	}{
		{"plain", plain, nil, true},
		{"demo", nil, nil, true},
		{"stray yaml", map[string]string{"care.yaml": "x", "other/x.yaml": "x", "x.yaml": "x"}, nil, false},
		{"care.yml", map[string]string{"care.yaml": "x", "care.yml": "x"}, nil, false},
		{"symbolic links", plain, func(root string) {
			os.Symlink(filepath.Join(root, "care.yaml"), filepath.Join(root, "talks/in.yaml"))
			os.Symlink("/etc/hostname", filepath.Join(root, "talks/out.yaml"))
			os.Symlink(filepath.Join(root, "nothing"), filepath.Join(root, "talks/dangling.yaml"))
			os.Symlink(filepath.Join(root, "talks/2026-11"), filepath.Join(root, "talks/2026-12"))
		}, false},
		{"a fifo", plain, func(root string) { syscall.Mkfifo(filepath.Join(root, "talks/fifo.yaml"), 0o644) }, false},
		{"a link to a fifo", plain, func(root string) {
			syscall.Mkfifo(filepath.Join(root, "fifo"), 0o644)
			os.Symlink("../fifo", filepath.Join(root, "children/f.yaml"))
		}, false},
		{"capital extensions", map[string]string{"care.yaml": "x", "children/2024031.YAML": "x", "talks/2026-11/a.Yml": "x", "notes.TXT": "x"}, nil, false},
	}
	for _, tt := range tests {
		root := "../../examples/demo-school"
		if tt.files != nil {
			root = mk(t, tt.files)
		}
		if tt.setup != nil {
			tt.setup(root)
		}
		paths, diags, err := ListDir(root)
		if err != nil {
			t.Fatal(err)
		}
		switch tt.name {
		case "a fifo", "a link to a fifo":
			if len(diags) != 1 || diags[0].Check != "file" || diags[0].Severity != diag.Error {
				t.Errorf("%s: diagnostics %+v, want one file error", tt.name, diags)
			}
		case "capital extensions":
			if len(diags) != 2 || diags[0].Check != "stray-file" || diags[0].Hint.In(i18n.En) != "rename it to 2024031.yaml" {
				t.Errorf("%s: diagnostics %+v, want two stray-file warnings", tt.name, diags)
			}
		}
		for _, withStat := range []bool{false, true} {
			l, err := listDir(root, withStat)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(l.paths, paths) || !reflect.DeepEqual(l.diags, diags) {
				t.Errorf("%s: listDir gives\n%q %+v\nListDir gives\n%q %+v", tt.name, l.paths, l.diags, paths, diags)
			}
			if _, ok := listFast(root, withStat); ok != tt.fast {
				t.Errorf("%s: listed fast %v, want %v", tt.name, ok, tt.fast)
			}
			for i := range l.paths {
				st, ok := l.stat(i, root)
				fi, err := os.Stat(filepath.Join(root, l.paths[i]))
				if !ok || err != nil || st.Size != fi.Size() || st.ModNs != fi.ModTime().UnixNano() {
					t.Errorf("%s: %s: status %+v, %v", tt.name, l.paths[i], st, ok)
				}
			}
		}
	}
	// A root that is itself a symbolic link: ListDir lists nothing, and
	// so must listDir.
	dir := mk(t, plain)
	link := filepath.Join(t.TempDir(), "link")
	os.Symlink(dir, link)
	paths, _, _ := ListDir(link)
	l, _ := listDir(link, true)
	if !reflect.DeepEqual(l.paths, paths) {
		t.Errorf("root link: %q, ListDir %q", l.paths, paths)
	}
}
