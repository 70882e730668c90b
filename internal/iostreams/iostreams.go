// Package iostreams holds the standard streams care writes to, with terminal
// and colour detection, so that commands never touch os.Stdout directly and
// tests can capture everything.
package iostreams

import (
	"bytes"
	"io"
	"os"

	"golang.org/x/term"
)

// IOStreams are the streams of one care invocation.
type IOStreams struct {
	In     io.Reader
	Out    io.Writer
	ErrOut io.Writer

	outTTY, errTTY bool
	colorMode      string // auto | always | never
}

// System returns the process's own streams.
func System() *IOStreams {
	return &IOStreams{
		In: os.Stdin, Out: os.Stdout, ErrOut: os.Stderr,
		outTTY: isTerminal(os.Stdout), errTTY: isTerminal(os.Stderr), colorMode: "auto",
	}
}

// Test returns streams backed by buffers, none of them a terminal.
func Test() (*IOStreams, *bytes.Buffer, *bytes.Buffer, *bytes.Buffer) {
	in, out, errOut := &bytes.Buffer{}, &bytes.Buffer{}, &bytes.Buffer{}
	return &IOStreams{In: in, Out: out, ErrOut: errOut, colorMode: "auto"}, in, out, errOut
}

func isTerminal(f *os.File) bool { return term.IsTerminal(int(f.Fd())) }

// IsStdoutTTY reports whether standard output is a terminal.
func (s *IOStreams) IsStdoutTTY() bool { return s.outTTY }

// IsStderrTTY reports whether standard error is a terminal.
func (s *IOStreams) IsStderrTTY() bool { return s.errTTY }

// SetTTY overrides terminal detection (for tests).
func (s *IOStreams) SetTTY(out, err bool) { s.outTTY, s.errTTY = out, err }

// SetColorMode sets auto, always or never.
func (s *IOStreams) SetColorMode(mode string) { s.colorMode = mode }

// ColorEnabled reports whether output to stdout should be coloured: always
// when asked, never when asked or when NO_COLOR is set to a non-empty value,
// otherwise only on a terminal.
func (s *IOStreams) ColorEnabled() bool {
	switch s.colorMode {
	case "always":
		return true
	case "never":
		return false
	}
	if os.Getenv("NO_COLOR") != "" { // https://no-color.org: set and not empty
		return false
	}
	return s.outTTY && os.Getenv("TERM") != "dumb"
}
