package store

import (
	"fmt"
	"syscall"

	"github.com/care-tool/care/internal/cache"
	"github.com/care-tool/care/internal/record"
)

// readFull reads the file full with bare system calls: os.Open on Linux
// also tries to register every file with the network poller (four fcntl
// and an epoll_ctl that fails for regular files), which at tens of
// thousands of small files costs as much as reading them. It returns
// the content like ReadFile (a too-large prefix for files past
// MaxFileSize) and the status of the file it read. The content is the
// first Size bytes: a file that grows while it is read is read as it
// was, and its new size makes the next run read it again.
func readFull(full, p string) ([]byte, cache.Stat, error) {
	var fd int
	var err error
	for {
		fd, err = syscall.Open(full, syscall.O_RDONLY|syscall.O_CLOEXEC, 0)
		if err != syscall.EINTR {
			break
		}
	}
	if err != nil {
		return nil, cache.Stat{}, fmt.Errorf("%s: %w", p, err)
	}
	defer syscall.Close(fd)
	var st syscall.Stat_t
	if err := syscall.Fstat(fd, &st); err != nil {
		return nil, cache.Stat{}, fmt.Errorf("%s: %w", p, err)
	}
	s := cache.Stat{Size: st.Size, ModNs: st.Mtim.Nano(), Ino: st.Ino, ChangeNs: st.Ctim.Nano()}
	if st.Mode&syscall.S_IFMT == syscall.S_IFDIR {
		return nil, cache.Stat{}, fmt.Errorf("%s: %w", p, syscall.EISDIR)
	}
	if st.Size > record.MaxFileSize {
		return make([]byte, record.MaxFileSize+1), s, nil
	}
	data := make([]byte, st.Size)
	n := 0
	for n < len(data) {
		m, err := syscall.Read(fd, data[n:])
		if err == syscall.EINTR {
			continue
		}
		if err != nil || m <= 0 {
			break
		}
		n += m
	}
	return data[:n], s, nil
}

// statPath returns the status of the file at full, following symbolic
// links as reading it does.
func statPath(full string) (cache.Stat, bool) {
	var st syscall.Stat_t
	if err := syscall.Stat(full, &st); err != nil {
		return cache.Stat{}, false
	}
	return cache.Stat{Size: st.Size, ModNs: st.Mtim.Nano(), Ino: st.Ino, ChangeNs: st.Ctim.Nano()}, true
}
