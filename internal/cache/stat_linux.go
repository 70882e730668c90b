package cache

import (
	"io/fs"
	"syscall"
)

// StatOf returns the status of the file fi describes.
func StatOf(fi fs.FileInfo) Stat {
	s := Stat{Size: fi.Size(), ModNs: fi.ModTime().UnixNano()}
	if st, ok := fi.Sys().(*syscall.Stat_t); ok {
		s.Ino = st.Ino
		s.ChangeNs = st.Ctim.Nano()
	}
	return s
}

// writable reports whether the process may create files in dir.
func writable(dir string) bool {
	return syscall.Access(dir, 2 /* W_OK */) == nil
}
