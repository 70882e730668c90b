// Package cache keeps, between runs of care, what parsing and checking each
// record file found: the decoded record, the positions the cross-record
// checks point at, and the file's own diagnostics. A warm run then reads one
// file instead of tens of thousands and parses only what changed.
//
// The cache is an optimisation that must never change a result, so nothing
// in it is trusted blindly:
//
//   - The whole cache is keyed by care's build (version, VCS revision and the
//     executable itself), the hash of the embedded schemas and the cache
//     format: any change discards it.
//   - Each entry is keyed by its path and content: the caller reuses an entry
//     only when the file's git blob id, or its file status (size, time of
//     last change, inode), or failing those the SHA-256 of the content that
//     it read again, is the one recorded.
//   - Entries record the day the checks ran with and the latest date in the
//     file (see Reusable), and whether phone and id numbers were shown.
//   - The file starts with a magic string and a format version, and ends
//     the header with the length and CRC-32C of the body: a truncated,
//     corrupt or half-written file is detected and ignored, and the next run
//     writes a new one. Writes go to a temporary file renamed into place, so
//     two care processes running at once each see a whole file; the last
//     writer wins.
//
// Reading and writing fail silently (Load returns nothing, Save an error
// the caller may ignore): without a cache care is slower, never wrong.
package cache

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"hash/crc32"
	"os"
	"path/filepath"
	"runtime/debug"
	"time"
	"unsafe"

	"github.com/care-tool/care/internal/diag"
	"github.com/care-tool/care/internal/record"
	"github.com/care-tool/care/schema"
)

// formatVersion is the version of the file format. Bump it whenever the
// encoding of an entry changes.
const formatVersion = 1

// magic starts every cache file.
const magic = "CARECACH"

// FileName is the name of the cache file in its folder.
const FileName = "records.bin"

// Stat is what the file system says about a file: enough to tell, without
// reading it, that it has not changed since it was read.
type Stat struct {
	Size     int64
	ModNs    int64  // modification time, nanoseconds since 1970
	Ino      uint64 // inode number (0 where unknown)
	ChangeNs int64  // status change time (0 where unknown)
}

// Entry is what the cache keeps of one record file.
type Entry struct {
	Path string      // slash path relative to the repository root
	Kind record.Kind // kind of the record, from the path
	Hash string      // hex SHA-256 of the content (record.File.Hash)
	Blob string      // git blob id of the content, "" when not known

	Stat        Stat // file status when the content was read
	StatTrusted bool // Stat was taken well before the run started, so an equal Stat means equal content

	Today   record.Date // the day the checks ran with (0: no future-date check)
	MaxDate record.Date // the latest date anywhere in the file (0: none)
	PII     bool        // the checks quoted phone and id numbers in full

	Pos        *record.PosTable  // positions for the cross-record checks (nil when the file did not parse)
	LoadDiags  []diag.Diagnostic // problems found while parsing
	CheckDiags []diag.Diagnostic // problems found by the per-file checks

	// The decoded record, one of them or none (a file that did not parse).
	// Their File field is nil in the cache; the loader sets it.
	Child   *record.Child
	Pairing *record.Pairing
	Talk    *record.Talk
}

// Reusable reports whether the checks recorded in e give the same result
// with today and pii as they gave when they ran. The per-file checks depend
// on today only through the dates after it (future-date errors, whose
// message names today), so the result carries over to another day when no
// date of the file is after either day. Phone and id numbers only change
// the text of diagnostics, so a file without diagnostics carries over
// whether they are shown or not.
func (e *Entry) Reusable(today record.Date, pii bool) bool {
	if e.PII != pii && len(e.CheckDiags) > 0 {
		return false
	}
	if e.Today == today {
		return true
	}
	return e.MaxDate <= effective(e.Today) && e.MaxDate <= effective(today)
}

// effective treats day 0 (no future-date check) as the end of time.
func effective(d record.Date) record.Date {
	if d == 0 {
		return record.Date(1<<31 - 1)
	}
	return d
}

// Snapshot is the content of a cache file.
type Snapshot struct {
	Key     string    // what the entries depend on besides their content (see Key)
	Taken   time.Time // when the run that wrote it started
	Entries []*Entry  // sorted by path
}

// Key returns the key of the cache for care version v: the version, the
// build of the running executable and the hash of the embedded schemas.
func Key(version string) string {
	return fmt.Sprintf("care %s; build %s; schemas %s; format %d", version, buildID(), schemaHash(), formatVersion)
}

// buildID identifies the running executable: the VCS revision it was built
// from, if known, and its size and modification time, so that a rebuilt
// care (a development build keeps its version) does not trust the results
// of the old one.
func buildID() string {
	id := ""
	if bi, ok := debug.ReadBuildInfo(); ok {
		id = bi.GoVersion + " " + bi.Main.Version
		for _, s := range bi.Settings {
			if s.Key == "vcs.revision" || s.Key == "vcs.modified" {
				id += " " + s.Value
			}
		}
	}
	if exe, err := os.Executable(); err == nil {
		if st, err := os.Stat(exe); err == nil {
			id += fmt.Sprintf(" %d %d", st.Size(), st.ModTime().UnixNano())
		}
	}
	sum := sha256.Sum256([]byte(id))
	return hex.EncodeToString(sum[:8])
}

// schemaHash is the SHA-256 of the embedded schemas.
func schemaHash() string {
	h := sha256.New()
	for _, n := range schema.Names() {
		data, _ := schema.Read(n)
		fmt.Fprintf(h, "%s %d\n", n, len(data))
		h.Write(data)
	}
	return hex.EncodeToString(h.Sum(nil)[:8])
}

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// headerSize is the size of the fixed header: magic, format version, body
// length and body checksum.
const headerSize = len(magic) + 4 + 8 + 4

// Encode returns the cache file holding s.
func Encode(s *Snapshot) []byte {
	e := &encoder{b: make([]byte, headerSize, headerSize+len(s.Entries)*400)}
	e.str(s.Key)
	e.int(s.Taken.UnixNano())
	e.uint(uint64(len(s.Entries)))
	for _, x := range s.Entries {
		e.entry(x)
	}
	seal(e.b)
	return e.b
}

// seal writes the header of the cache file b: magic, format version, and
// the length and checksum of the body that follows the header.
func seal(b []byte) {
	body := b[headerSize:]
	copy(b, magic)
	binary.LittleEndian.PutUint32(b[len(magic):], formatVersion)
	binary.LittleEndian.PutUint64(b[len(magic)+4:], uint64(len(body)))
	binary.LittleEndian.PutUint32(b[len(magic)+12:], crc32.Checksum(body, castagnoli))
}

// ErrStale is returned by Decode for a whole cache file written by another
// build of care or for other schemas.
var ErrStale = errors.New("cache written by another build of care")

// Decode reads a cache file whose key must be key. The strings of the
// result share data's memory: data must not change afterwards.
func Decode(data []byte, key string) (s *Snapshot, err error) {
	defer func() {
		// The decoder checks every length against the input, so a
		// panic would be a bug; it must still not stop care.
		if r := recover(); r != nil {
			s, err = nil, fmt.Errorf("%w: %v", errCorrupt, r)
		}
	}()
	if len(data) < headerSize || string(data[:len(magic)]) != magic {
		return nil, errCorrupt
	}
	if v := binary.LittleEndian.Uint32(data[len(magic):]); v != formatVersion {
		return nil, ErrStale
	}
	body := data[headerSize:]
	if binary.LittleEndian.Uint64(data[len(magic)+4:]) != uint64(len(body)) {
		return nil, errCorrupt
	}
	if binary.LittleEndian.Uint32(data[len(magic)+12:]) != crc32.Checksum(body, castagnoli) {
		return nil, errCorrupt
	}
	d := &decoder{s: unsafe.String(unsafe.SliceData(body), len(body))}
	if len(body) == 0 {
		return nil, errCorrupt
	}
	if d.str() != key {
		return nil, ErrStale
	}
	s = &Snapshot{Key: key, Taken: time.Unix(0, d.int())}
	n := d.count()
	if d.err {
		return nil, errCorrupt
	}
	s.Entries = make([]*Entry, 0, n)
	for i := 0; i < n; i++ {
		x := d.entry()
		if x == nil {
			return nil, errCorrupt
		}
		s.Entries = append(s.Entries, x)
	}
	if d.i != len(d.s) {
		return nil, errCorrupt
	}
	return s, nil
}

// Load reads the cache file in dir. It returns nil when there is none or
// when it cannot be used (corrupt, or written by another build); never an
// error, because a missing cache only makes care slower.
func Load(dir, key string) *Snapshot {
	if dir == "" {
		return nil
	}
	data, err := os.ReadFile(filepath.Join(dir, FileName))
	if err != nil {
		return nil
	}
	s, err := Decode(data, key)
	if err != nil {
		return nil
	}
	return s
}

// Save writes s to the cache file in dir, atomically: to a temporary file
// in dir first, then renamed over the old one. Creating dir, it also writes
// a .gitignore that keeps the folder out of git.
func Save(dir string, s *Snapshot) error {
	if dir == "" {
		return errors.New("no cache folder")
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	ignore := filepath.Join(dir, ".gitignore")
	if _, err := os.Stat(ignore); errors.Is(err, os.ErrNotExist) {
		// Not atomic, and need not be: any content ignoring the folder will do.
		_ = os.WriteFile(ignore, []byte("# care's cache of parsed records: safe to delete, never commit\n*\n"), 0o644)
	}
	tmp, err := os.CreateTemp(dir, FileName+".*.tmp")
	if err != nil {
		return err
	}
	data := Encode(s)
	_, err = tmp.Write(data)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), filepath.Join(dir, FileName))
	}
	if err != nil {
		os.Remove(tmp.Name())
	}
	return err
}

// Dir returns the cache folder for the repository at root: .care/cache below
// root when it exists or can be made and is writable, otherwise a folder
// named after a hash of root in the user's cache folder
// (os.UserCacheDir()/care). It returns "" when neither is usable.
func Dir(root string) string {
	local := filepath.Join(root, ".care", "cache")
	if os.MkdirAll(local, 0o755) == nil && writable(local) {
		return local
	}
	base, err := os.UserCacheDir()
	if err != nil {
		return ""
	}
	sum := sha256.Sum256([]byte(root))
	dir := filepath.Join(base, "care", hex.EncodeToString(sum[:8]))
	if os.MkdirAll(dir, 0o700) == nil && writable(dir) {
		return dir
	}
	return ""
}
