// Package fsutil writes files safely: through a temporary file in the same
// folder and a rename, so that an interrupted write never leaves a partial
// file, and without ever overwriting a file that exists unless asked to.
package fsutil

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// ErrExists is returned by CreateNew when the target exists.
var ErrExists = errors.New("file exists")

// WriteAtomic writes data to path through a temporary file in the same
// folder and a rename, replacing path if it exists. The folder is created
// if needed. The file mode of an existing file is kept.
func WriteAtomic(path string, data []byte, perm os.FileMode) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	if st, err := os.Stat(path); err == nil {
		perm = st.Mode().Perm()
	}
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	name := tmp.Name()
	ok := false
	defer func() {
		if !ok {
			tmp.Close()
			os.Remove(name)
		}
	}()
	if _, err := tmp.Write(data); err != nil {
		return err
	}
	if err := tmp.Sync(); err != nil {
		return err
	}
	if err := tmp.Chmod(perm); err != nil {
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Rename(name, path); err != nil {
		return err
	}
	ok = true
	return nil
}

// CreateNew writes data to path only if path does not exist yet, atomically:
// the content is written to a temporary file which is then hard-linked to
// path (link fails if path exists), so that a reader never sees a partial
// file and two writers never overwrite each other. It returns an error
// wrapping ErrExists when path exists.
func CreateNew(path string, data []byte, perm os.FileMode) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	if _, err := os.Lstat(path); err == nil {
		return fmt.Errorf("%s: %w", path, ErrExists)
	}
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	name := tmp.Name()
	defer os.Remove(name)
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Chmod(perm); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Link(name, path); err != nil {
		if errors.Is(err, os.ErrExist) {
			return fmt.Errorf("%s: %w", path, ErrExists)
		}
		// Some file systems cannot hard-link; fall back to an exclusive create.
		f, ferr := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, perm)
		if ferr != nil {
			if errors.Is(ferr, os.ErrExist) {
				return fmt.Errorf("%s: %w", path, ErrExists)
			}
			return ferr
		}
		if _, werr := f.Write(data); werr != nil {
			f.Close()
			os.Remove(path)
			return werr
		}
		return f.Close()
	}
	return nil
}
