package record

import (
	"bytes"
	"regexp"
	"strings"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

// yaml.v3 reports the line of a syntax error as libyaml's 0-based mark for
// parser errors (one line too early: "did not find expected key" for line 2
// says line 1), as the line of the enclosing structure when it has one, and
// the end of the file for a quote that is never closed unless it began on
// line 1 or later (in which case it gives where the quote began). The
// functions below find the line, and where possible the column, from the text.

// maxPrefixSearch bounds the size of files whose error line is found by
// parsing prefixes (a few parses per line): records are a few kilobytes.
const maxPrefixSearch = 64 << 10

// errorLine returns the 1-based line of the first line at which the file
// fails with msg: the smallest k such that the first k, k+1, ... n lines all
// fail to parse with the same message. It returns 0 when it cannot tell.
func errorLine(data []byte, msg string) int {
	if len(data) > maxPrefixSearch {
		return 0
	}
	ends := lineEnds(data)
	n := len(ends)
	if n == 0 || n > 2000 {
		return 0
	}
	fails := func(k int) bool {
		var doc yaml.Node
		dec := yaml.NewDecoder(bytes.NewReader(data[:ends[k-1]]))
		err := dec.Decode(&doc)
		for err == nil {
			var next yaml.Node
			err = dec.Decode(&next)
		}
		return err != nil && stripLine(err.Error()) == msg
	}
	if !fails(n) {
		return 0
	}
	// Walk back from the end while the prefixes fail the same way: line by
	// line near the end, then in growing steps, and finally halve the gap
	// between the last prefix that failed and the first that did not. A
	// record is short enough for the line-by-line walk.
	k, step := n, 1
	for k > 1 {
		prev := max(k-step, 1)
		if !fails(prev) {
			lo, hi := prev, k // prefix lo passes, prefix hi fails
			for hi-lo > 1 {
				if mid := (lo + hi) / 2; fails(mid) {
					hi = mid
				} else {
					lo = mid
				}
			}
			return hi
		}
		k = prev
		if n-k >= 16 {
			step *= 2
		}
	}
	return k
}

// lineEnds returns the offset just after each line (its newline included).
func lineEnds(data []byte) []int {
	var ends []int
	for i, b := range data {
		if b == '\n' {
			ends = append(ends, i+1)
		}
	}
	if len(data) > 0 && data[len(data)-1] != '\n' {
		ends = append(ends, len(data))
	}
	return ends
}

func stripLine(msg string) string {
	if m := lineRE.FindStringSubmatch(msg); m != nil {
		return m[2]
	}
	return strings.TrimPrefix(msg, "yaml: ")
}

// unclosedQuote returns the 1-based column of a quote on line l that opens a
// quoted value not closed on the same line, or 0. A quote counts as opening
// a value only where a value can begin (after a space, "[", "{" or ",", or at
// the start of the line), so the quotes inside 李"小"明 do not.
func unclosedQuote(l []byte) int {
	var quote rune
	start, col := 0, 0
	prev := ' '
	escaped := false
	rs := []rune(string(l))
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		col++
		if quote != 0 {
			switch {
			case escaped:
				escaped = false
			case quote == '"' && r == '\\':
				escaped = true
			case r == quote && quote == '\'' && i+1 < len(rs) && rs[i+1] == '\'':
				i++ // '' inside single quotes
				col++
			case r == quote:
				quote = 0
			}
			prev = r
			continue
		}
		if r == '#' && (prev == ' ' || prev == '\t') {
			return 0 // a comment
		}
		if (r == '"' || r == '\'') && strings.ContainsRune(" \t[{,", prev) {
			quote, start = r, col
		}
		prev = r
	}
	if quote != 0 {
		return start
	}
	return 0
}

// unclosedFlow returns the 1-based column of the last "[" or "{" on line l
// that is not closed on the same line (outside quotes), or 0.
func unclosedFlow(l []byte, open byte) int {
	close := byte(']')
	if open == '{' {
		close = '}'
	}
	var stack []int
	var quote byte
	col := 0
	for i := 0; i < len(l); i++ {
		b := l[i]
		if b < 0x80 || b >= 0xc0 {
			col++
		}
		switch {
		case quote != 0:
			if b == '\\' && quote == '"' {
				i++
			} else if b == quote {
				quote = 0
			}
		case b == '"' || b == '\'':
			quote = b
		case b == '#' && i > 0 && (l[i-1] == ' ' || l[i-1] == '\t'):
			i = len(l)
		case b == open:
			stack = append(stack, col)
		case b == close && len(stack) > 0:
			stack = stack[:len(stack)-1]
		}
	}
	if len(stack) > 0 {
		return stack[len(stack)-1]
	}
	return 0
}

// firstNonSpace returns the 1-based column of the first character of l that
// is not a space, or 1.
func firstNonSpace(l []byte) int {
	for i, b := range l {
		if b != ' ' {
			return utf8.RuneCount(l[:i]) + 1
		}
	}
	return 1
}

// controlChar returns the offset of the first character YAML does not allow
// in a file (C0 controls other than tab and line breaks, DEL, C1 controls,
// U+FFFE and U+FFFF), or -1.
func controlChar(data []byte) int {
	for i := 0; i < len(data); {
		r, size := utf8.DecodeRune(data[i:])
		switch {
		case r == '\t' || r == '\n' || r == '\r':
		case r < 0x20 || r == 0x7f || r >= 0x80 && r <= 0x9f && r != 0x85 || r == 0xfffe || r == 0xffff:
			return i
		}
		i += size
	}
	return -1
}

var unknownAnchorRE = regexp.MustCompile(`^unknown anchor '(.*)' referenced$`)

// badEscape returns the offset of the first backslash on line l that starts
// an escape YAML does not know inside double quotes, or -1.
func badEscape(l []byte) int {
	in := false
	for i := 0; i < len(l); i++ {
		switch {
		case !in && l[i] == '"':
			in = true
		case in && l[i] == '"':
			in = false
		case in && l[i] == '\\' && i+1 < len(l):
			if !strings.ContainsRune("0abt\tnvfre \"/\\N_LPxuU", rune(l[i+1])) {
				return i
			}
			i++
		}
	}
	return -1
}

// secondColon returns the offset of a ": " on line l after the one that ends
// its key (outside quotes), or -1: "name: a: b".
func secondColon(l []byte) int {
	var quote byte
	seen := false
	for i := 0; i < len(l); i++ {
		b := l[i]
		switch {
		case quote != 0:
			if b == quote {
				quote = 0
			}
		case b == '"' || b == '\'':
			quote = b
		case b == ':' && (i+1 == len(l) || l[i+1] == ' '):
			if seen {
				return i
			}
			seen = true
		}
	}
	return -1
}
