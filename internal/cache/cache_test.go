package cache

import (
	"bytes"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/care-tool/care/internal/diag"
	"github.com/care-tool/care/internal/i18n"
	"github.com/care-tool/care/internal/record"
)

// fill sets every field of the value v points to, recursively, to a
// value that is not the zero value, so that a field the codec forgets
// shows up as a difference after a round trip. Fields named File (the
// back pointer to record.File) are left alone: the cache does not keep it.
func fill(r *rand.Rand, v reflect.Value) {
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() {
			v.Set(reflect.New(v.Type().Elem()))
		}
		fill(r, v.Elem())
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			if v.Type().Field(i).Name == "File" {
				continue
			}
			fill(r, v.Field(i))
		}
	case reflect.Array:
		for i := 0; i < v.Len(); i++ {
			fill(r, v.Index(i))
		}
	case reflect.Slice:
		n := 1 + r.IntN(3)
		s := reflect.MakeSlice(v.Type(), n, n)
		for i := 0; i < n; i++ {
			fill(r, s.Index(i))
		}
		v.Set(s)
	case reflect.String:
		v.SetString([]string{"李小明", "x", "T01", "2024031", "a\nb", "\x00"}[r.IntN(6)] + string(rune('a'+r.IntN(26))))
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Int, reflect.Int32, reflect.Int64:
		v.SetInt(1 + r.Int64N(1<<30))
		if r.IntN(3) == 0 {
			v.SetInt(-v.Int())
		}
	case reflect.Uint64:
		v.SetUint(1 + r.Uint64())
	default:
		panic("fill: unexpected kind " + v.Kind().String())
	}
}

func fullEntry(r *rand.Rand, which int) *Entry {
	e := &Entry{}
	fill(r, reflect.ValueOf(e))
	e.Kind = record.Kind(1 + which)
	e.Path = "talks/2026-11/" + e.Path
	switch which {
	case 0:
		e.Pairing, e.Talk = nil, nil
	case 1:
		e.Child, e.Talk = nil, nil
	case 2:
		e.Child, e.Pairing = nil, nil
	default:
		e.Child, e.Pairing, e.Talk = nil, nil, nil
	}
	for i := range e.LoadDiags {
		e.LoadDiags[i].Severity = diag.Severity(r.IntN(2))
	}
	return e
}

// TestRecordFieldsCovered round-trips entries with every field set: it
// fails when a record type gains a field that the codec does not write,
// which would make cached runs differ from uncached ones. Add the field to
// codec.go and bump formatVersion.
func TestRecordFieldsCovered(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	var entries []*Entry
	for i := 0; i < 200; i++ {
		entries = append(entries, fullEntry(r, i%4))
	}
	s := &Snapshot{Key: "k", Taken: time.Unix(0, 1234567890123), Entries: entries}
	got, err := Decode(Encode(s), "k")
	if err != nil {
		t.Fatal(err)
	}
	if !got.Taken.Equal(s.Taken) || len(got.Entries) != len(entries) {
		t.Fatalf("got %v with %d entries", got.Taken, len(got.Entries))
	}
	for i := range entries {
		if !reflect.DeepEqual(got.Entries[i], entries[i]) {
			t.Fatalf("entry %d differs after a round trip:\n got %+v\nwant %+v", i, got.Entries[i], entries[i])
		}
	}
}

// TestEmptyValuesRoundTrip checks that nil pointers and empty lists come
// back as the decoder makes them (nil), not as empty values.
func TestEmptyValuesRoundTrip(t *testing.T) {
	f := false
	entries := []*Entry{
		{Path: "children/1.yaml", Kind: record.KindChild, Child: &record.Child{ID: "1", Boarding: &f}},
		{Path: "pairings/1.yaml", Kind: record.KindPairing, Pairing: &record.Pairing{Child: "1"}},
		{Path: "talks/x.yaml", Kind: record.KindTalk, Talk: &record.Talk{}},
		{Path: "talks/y.yaml", Kind: record.KindTalk, LoadDiags: []diag.Diagnostic{{File: "talks/y.yaml", Check: "yaml", Message: i18n.T("坏", "bad")}}},
	}
	got, err := Decode(Encode(&Snapshot{Key: "k", Entries: entries}), "k")
	if err != nil {
		t.Fatal(err)
	}
	for i := range entries {
		if !reflect.DeepEqual(got.Entries[i], entries[i]) {
			t.Errorf("entry %d: got %+v, want %+v", i, got.Entries[i], entries[i])
		}
	}
}

func sample(t *testing.T) []byte {
	r := rand.New(rand.NewPCG(3, 4))
	var entries []*Entry
	for i := 0; i < 50; i++ {
		entries = append(entries, fullEntry(r, i%4))
	}
	return Encode(&Snapshot{Key: "key", Taken: time.Now(), Entries: entries})
}

// TestCorruptIsRejected checks that a cache cut short, with a byte changed,
// or replaced by garbage is refused without a panic.
func TestCorruptIsRejected(t *testing.T) {
	good := sample(t)
	if _, err := Decode(good, "key"); err != nil {
		t.Fatal(err)
	}
	if _, err := Decode(good, "other key"); err != ErrStale {
		t.Errorf("another key: %v, want ErrStale", err)
	}
	for n := 0; n < len(good); n += 1 + n/7 {
		if s, err := Decode(good[:n], "key"); err == nil || s != nil {
			t.Fatalf("truncated to %d bytes: accepted", n)
		}
	}
	r := rand.New(rand.NewPCG(5, 6))
	for i := 0; i < 2000; i++ {
		bad := bytes.Clone(good)
		bad[r.IntN(len(bad))] ^= byte(1 + r.IntN(255))
		if _, err := Decode(bad, "key"); err == nil {
			t.Fatalf("a flipped byte was not noticed")
		}
	}
	for i := 0; i < 200; i++ {
		garbage := make([]byte, r.IntN(4096))
		for j := range garbage {
			garbage[j] = byte(r.Uint32())
		}
		if i%2 == 0 && len(garbage) > headerSize {
			copy(garbage, good[:len(magic)+4]) // a right magic and version
		}
		if _, err := Decode(garbage, "key"); err == nil {
			t.Fatalf("garbage accepted")
		}
	}
}

// FuzzDecode checks that no input makes Decode panic, including inputs
// with a valid header and checksum around a corrupt body.
func FuzzDecode(f *testing.F) {
	f.Add(sample(&testing.T{}), false)
	f.Add([]byte("CARECACH"), true)
	f.Fuzz(func(t *testing.T, data []byte, reseal bool) {
		if reseal && len(data) >= headerSize {
			seal(data) // the decoder itself meets the corruption
		}
		Decode(data, "key")
	})
}

// TestDecodeCorruptBodyWithValidChecksum feeds the decoder bodies that pass
// the checksum but are cut or changed, as a buggy writer could produce.
func TestDecodeCorruptBodyWithValidChecksum(t *testing.T) {
	good := sample(t)
	r := rand.New(rand.NewPCG(7, 8))
	for i := 0; i < 3000; i++ {
		data := bytes.Clone(good)
		switch i % 3 {
		case 0:
			data = data[:headerSize+r.IntN(len(data)-headerSize)]
		case 1:
			data[headerSize+r.IntN(len(data)-headerSize)] = byte(r.Uint32())
		case 2:
			data[headerSize+r.IntN(len(data)-headerSize)] = 0xff
		}
		seal(data)
		Decode(data, "key") // must not panic; may or may not succeed
	}
}

func TestReusable(t *testing.T) {
	d := record.MustDate
	tests := []struct {
		name      string
		e         Entry
		today     record.Date
		pii, want bool
	}{
		{"same day", Entry{Today: d("2026-11-28"), MaxDate: d("2026-12-01")}, d("2026-11-28"), false, true},
		{"later day, no date after either", Entry{Today: d("2026-11-28"), MaxDate: d("2026-11-20")}, d("2026-12-05"), false, true},
		{"earlier day, no date after either", Entry{Today: d("2026-11-28"), MaxDate: d("2026-11-20")}, d("2026-11-21"), false, true},
		{"a date after the new day", Entry{Today: d("2026-11-28"), MaxDate: d("2026-11-25")}, d("2026-11-24"), false, false},
		{"a date was in the future", Entry{Today: d("2026-11-28"), MaxDate: d("2026-12-01")}, d("2026-12-05"), false, false},
		{"no date", Entry{Today: d("2026-11-28")}, d("2020-01-01"), false, true},
		{"no check of the future before", Entry{Today: 0, MaxDate: d("2030-01-01")}, d("2026-11-28"), false, false},
		{"no check of the future now", Entry{Today: d("2026-11-28"), MaxDate: d("2026-11-01")}, 0, false, true},
		{"pii, no diagnostics", Entry{Today: d("2026-11-28"), PII: true}, d("2026-11-28"), false, true},
		{"pii, diagnostics", Entry{Today: d("2026-11-28"), PII: true, CheckDiags: []diag.Diagnostic{{}}}, d("2026-11-28"), false, false},
		{"pii both, diagnostics", Entry{Today: d("2026-11-28"), PII: true, CheckDiags: []diag.Diagnostic{{}}}, d("2026-11-28"), true, true},
	}
	for _, tt := range tests {
		if got := tt.e.Reusable(tt.today, tt.pii); got != tt.want {
			t.Errorf("%s: Reusable = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestSaveLoad(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "cache")
	s := &Snapshot{Key: "k", Taken: time.Unix(100, 0), Entries: []*Entry{{Path: "talks/a.yaml", Kind: record.KindTalk, Talk: &record.Talk{Child: "1"}}}}
	if Load(dir, "k") != nil {
		t.Fatal("loaded a cache that does not exist")
	}
	if err := Save(dir, s); err != nil {
		t.Fatal(err)
	}
	got := Load(dir, "k")
	if got == nil || len(got.Entries) != 1 || got.Entries[0].Talk.Child != "1" {
		t.Fatalf("loaded %+v", got)
	}
	if Load(dir, "other") != nil {
		t.Error("loaded with another key")
	}
	ignore, err := os.ReadFile(filepath.Join(dir, ".gitignore"))
	if err != nil || !strings.Contains(string(ignore), "*") {
		t.Errorf(".gitignore: %q, %v", ignore, err)
	}
	left, _ := filepath.Glob(filepath.Join(dir, "*.tmp"))
	if len(left) > 0 {
		t.Errorf("temporary files left: %v", left)
	}
}

// TestConcurrentSaves checks that readers racing with writers see a whole
// cache or none, never a broken one.
func TestConcurrentSaves(t *testing.T) {
	dir := t.TempDir()
	r := rand.New(rand.NewPCG(9, 10))
	var snaps []*Snapshot
	for i := 0; i < 4; i++ {
		var entries []*Entry
		for j := 0; j < 200*(i+1); j++ {
			entries = append(entries, fullEntry(r, j%4))
		}
		snaps = append(snaps, &Snapshot{Key: "k", Entries: entries})
	}
	var wg sync.WaitGroup
	for w := 0; w < 4; w++ {
		wg.Add(2)
		go func() {
			defer wg.Done()
			for i := 0; i < 20; i++ {
				if err := Save(dir, snaps[(w+i)%len(snaps)]); err != nil {
					t.Error(err)
				}
			}
		}()
		go func() {
			defer wg.Done()
			for i := 0; i < 50; i++ {
				if s := Load(dir, "k"); s != nil && len(s.Entries)%200 != 0 {
					t.Errorf("read a cache of %d entries", len(s.Entries))
				}
			}
		}()
	}
	wg.Wait()
	if Load(dir, "k") == nil {
		t.Error("no cache after the writers")
	}
}

// TestDirFallsBack checks that a repository where .care/cache cannot be
// made gets a folder in the user's cache folder, one per repository.
func TestDirFallsBack(t *testing.T) {
	blocked := func() string {
		// A file named .care stops the folder from being made, even for
		// root, who can write into read-only folders.
		root := t.TempDir()
		if err := os.WriteFile(filepath.Join(root, ".care"), nil, 0o644); err != nil {
			t.Fatal(err)
		}
		return root
	}
	home := t.TempDir()
	t.Setenv("XDG_CACHE_HOME", home)
	t.Setenv("HOME", home)
	d := Dir(blocked())
	if !strings.HasPrefix(d, home) {
		t.Fatalf("Dir = %q, want a folder in %s", d, home)
	}
	if d2 := Dir(blocked()); d2 == d || !strings.HasPrefix(d2, home) {
		t.Errorf("another repository: %q (first %q)", d2, d)
	}
	if err := Save(d, &Snapshot{Key: "k"}); err != nil {
		t.Errorf("save in the fallback folder: %v", err)
	}
}

func TestDirLocal(t *testing.T) {
	root := t.TempDir()
	if d := Dir(root); d != filepath.Join(root, ".care", "cache") {
		t.Errorf("Dir = %q", d)
	}
}

func TestKeyChangesWithVersion(t *testing.T) {
	if Key("1.0.0") == Key("1.0.1") {
		t.Error("the key does not depend on the version")
	}
	if Key("1.0.0") != Key("1.0.0") {
		t.Error("the key is not stable")
	}
}
