package gitrepo

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"strconv"
	"strings"
	"sync"
)

// BlobReader reads blobs through one long-running "git cat-file --batch"
// process, which is much faster than one process per blob.
//
// A BlobReader is meant to be used from one goroutine. Calls from several
// goroutines are serialised by a mutex, so they are safe but do not run in
// parallel; open one reader per goroutine for that. Close it when done.
type BlobReader struct {
	mu     sync.Mutex
	ctx    context.Context
	cmd    *exec.Cmd
	stdin  io.WriteCloser
	out    *bufio.Reader
	stderr *bytes.Buffer
	err    error // set once the process is unusable; returned by every later call
	waited bool  // cmd.Wait has been called
}

// errClosed is returned by Read after Close.
var errClosed = errors.New("read blob: reader is closed")

// NewBlobReader starts a "git cat-file --batch" process. It is killed when
// ctx is done; Close must be called in any case.
func (r *Repo) NewBlobReader(ctx context.Context) (*BlobReader, error) {
	return r.newBlobReader(ctx, false)
}

// newBlobReader starts cat-file; with buffer, git flushes its output only
// when its buffer fills or its input ends, which suits readMany alone.
func (r *Repo) newBlobReader(ctx context.Context, buffer bool) (*BlobReader, error) {
	args := []string{"cat-file", "--batch"}
	if buffer {
		args = append(args, "--buffer")
	}
	cmd, stderr := gitCommand(ctx, r.git, r.top, args)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, fmt.Errorf("git cat-file: %w", err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, fmt.Errorf("git cat-file: %w", err)
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("git cat-file: %w", err)
	}
	return &BlobReader{
		ctx:    ctx,
		cmd:    cmd,
		stdin:  stdin,
		out:    bufio.NewReaderSize(stdout, 64<<10),
		stderr: stderr,
	}, nil
}

// Read returns the content of the blob with the full id blobID. An id that
// the repository lacks gives an error matching ErrMissingObject, and the
// reader stays usable; so does an id that names a tree or commit. After an
// I/O failure (git died, ctx was cancelled) every call returns that error.
func (b *BlobReader) Read(blobID string) ([]byte, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.err != nil {
		return nil, b.err
	}
	if err := checkID("blob", blobID); err != nil {
		return nil, fmt.Errorf("read blob: %w", err)
	}
	if _, err := io.WriteString(b.stdin, blobID+"\n"); err != nil {
		return nil, b.fail(err)
	}
	return b.readObject(blobID)
}

// readMany reads the blobs with the given full ids, writing the requests
// from another goroutine while reading the answers, so that git never waits
// for a round trip. The ids must be valid and distinct. It closes git's
// input, so it is the last use of the reader. It returns the first
// per-blob error (missing blob) after reading every answer.
func (b *BlobReader) readMany(ids []string) (map[string][]byte, error) {
	blobs := make(map[string][]byte, len(ids))
	err := b.readEach(ids, func(id string, data []byte) { blobs[id] = data })
	if err != nil {
		return nil, err
	}
	return blobs, nil
}

// readEach is readMany calling fn with each blob as it arrives, in the
// order of ids.
func (b *BlobReader) readEach(ids []string, fn func(id string, data []byte)) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.err != nil {
		return b.err
	}
	written := make(chan error, 1)
	go func() {
		w := bufio.NewWriterSize(b.stdin, 32<<10)
		for _, id := range ids {
			if _, err := w.WriteString(id + "\n"); err != nil {
				written <- err
				return
			}
		}
		if err := w.Flush(); err != nil {
			written <- err
			return
		}
		written <- b.stdin.Close()
	}()
	var first error
	for _, id := range ids {
		data, err := b.readObject(id)
		if b.err != nil {
			<-written // fail killed git, so the writer has stopped
			return b.err
		}
		if err != nil {
			if first == nil {
				first = err
			}
			continue
		}
		fn(id, data)
	}
	if err := <-written; err != nil {
		return b.fail(err)
	}
	return first
}

// readObject reads git's answer for id. Per-object problems are returned
// as errors; I/O and protocol failures also make the reader unusable.
func (b *BlobReader) readObject(id string) ([]byte, error) {
	line, err := b.out.ReadString('\n')
	if err != nil {
		return nil, b.fail(err)
	}
	f := strings.Fields(line)
	switch {
	case len(f) == 2 && f[0] == id && f[1] == "missing":
		return nil, fmt.Errorf("blob %s: %w", id, ErrMissingObject)
	case len(f) != 3 || f[0] != id:
		return nil, b.fail(fmt.Errorf("unexpected answer %q for %s", truncate(line, 120), id))
	}
	size, err := strconv.ParseInt(f[2], 10, 64)
	if err != nil || size < 0 {
		return nil, b.fail(fmt.Errorf("unexpected answer %q for %s", truncate(line, 120), id))
	}
	data := make([]byte, size+1) // the content and a newline
	if _, err := io.ReadFull(b.out, data); err != nil {
		return nil, b.fail(err)
	}
	if data[size] != '\n' {
		return nil, b.fail(fmt.Errorf("no newline after %s", id))
	}
	if f[1] != "blob" {
		return nil, fmt.Errorf("object %s is a %s, not a blob", id, f[1])
	}
	return data[:size], nil
}

// fail stops git after an I/O or protocol failure and records an error that
// says what went wrong, preferring git's own message and the context's error.
func (b *BlobReader) fail(err error) error {
	_ = b.stdin.Close()
	if b.cmd.Process != nil {
		_ = b.cmd.Process.Kill()
	}
	if !b.waited {
		b.waited = true
		_ = b.cmd.Wait()
	}
	ge := newGitError(b.ctx, []string{"cat-file", "--batch"}, b.stderr.String(), err)
	b.err = ge
	return ge
}

// Close stops git. It returns git's error if git failed, and nil when the
// reader already failed (that error was returned by Read).
func (b *BlobReader) Close() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	failed := b.err != nil
	b.err = errClosed
	if failed {
		return nil
	}
	_ = b.stdin.Close()
	b.waited = true
	if err := b.cmd.Wait(); err != nil {
		return newGitError(b.ctx, []string{"cat-file", "--batch"}, b.stderr.String(), err)
	}
	return nil
}

// ReadBlobsFunc is ReadBlobs calling fn with each blob as git sends it,
// so that the caller can work on the first blobs while git reads the rest.
// fn runs on the calling goroutine, in the order of the distinct ids.
func (r *Repo) ReadBlobsFunc(ctx context.Context, ids []string, fn func(id string, data []byte)) error {
	seen := make(map[string]bool, len(ids))
	uniq := make([]string, 0, len(ids))
	for _, id := range ids {
		if err := checkID("blob", id); err != nil {
			return fmt.Errorf("read blobs: %w", err)
		}
		if !seen[id] {
			seen[id] = true
			uniq = append(uniq, id)
		}
	}
	if len(uniq) == 0 {
		return nil
	}
	br, err := r.newBlobReader(ctx, true)
	if err != nil {
		return err
	}
	err = br.readEach(uniq, fn)
	if cerr := br.Close(); err == nil && cerr != nil {
		err = cerr
	}
	return err
}

// ReadBlobs reads the blobs with the given full ids through one BlobReader,
// pipelining the requests. Duplicate ids are read once. Any missing blob
// makes the whole call fail with an error matching ErrMissingObject.
func (r *Repo) ReadBlobs(ctx context.Context, ids []string) (map[string][]byte, error) {
	seen := make(map[string]bool, len(ids))
	uniq := make([]string, 0, len(ids))
	for _, id := range ids {
		if err := checkID("blob", id); err != nil {
			return nil, fmt.Errorf("read blobs: %w", err)
		}
		if !seen[id] {
			seen[id] = true
			uniq = append(uniq, id)
		}
	}
	if len(uniq) == 0 {
		return map[string][]byte{}, nil
	}
	br, err := r.newBlobReader(ctx, true)
	if err != nil {
		return nil, err
	}
	blobs, err := br.readMany(uniq)
	if cerr := br.Close(); err == nil && cerr != nil {
		err = cerr
	}
	if err != nil {
		return nil, err
	}
	return blobs, nil
}
