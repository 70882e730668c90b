//go:build !linux

package store

import (
	"os"

	"github.com/care-tool/care/internal/cache"
)

// readFull reads the file full like ReadFile and returns the status of the
// file it read.
func readFull(full, p string) ([]byte, cache.Stat, error) {
	return readStat(full, p)
}

// statPath returns the status of the file at full, following symbolic
// links as reading it does.
func statPath(full string) (cache.Stat, bool) {
	fi, err := os.Stat(full)
	if err != nil {
		return cache.Stat{}, false
	}
	return cache.StatOf(fi), true
}
