package render

import (
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/olekukonko/tablewriter/pkg/twwidth"
)

// writeTable writes headers and rows as an ASCII box table, the way
// newTable's tablewriter table does, byte for byte. tablewriter spends most
// of a town's report (18,000 shortfall rows) on per-cell bookkeeping: a
// plain loop over the cells, with the same width function, takes a tenth of
// the time. Cells that tablewriter treats specially (line breaks, tabs,
// escape sequences, surrounding white space) go to tablewriter itself, so
// the two can never differ; a test compares them on many tables.
func writeTable(b *strings.Builder, headers []string, rows [][]string) error {
	if !plainCells(headers) {
		return tablewriterTable(b, headers, rows)
	}
	for _, r := range rows {
		if len(r) != len(headers) || !plainCells(r) {
			return tablewriterTable(b, headers, rows)
		}
	}
	widths := make([]int, len(headers))
	cellWidths := make([][]int, len(rows)+1)
	measure := func(i int, cells []string) {
		ws := make([]int, len(cells))
		for j, c := range cells {
			ws[j] = twwidth.Width(c)
			if ws[j] > widths[j] {
				widths[j] = ws[j]
			}
		}
		cellWidths[i] = ws
	}
	measure(0, headers)
	for i, r := range rows {
		measure(i+1, r)
	}
	var rule strings.Builder
	rule.WriteByte('+')
	for _, w := range widths {
		rule.WriteString(strings.Repeat("-", w+2))
		rule.WriteByte('+')
	}
	rule.WriteByte('\n')
	line := func(i int, cells []string) {
		b.WriteByte('|')
		for j, c := range cells {
			b.WriteByte(' ')
			b.WriteString(c)
			b.WriteString(strings.Repeat(" ", widths[j]-cellWidths[i][j]+1))
			b.WriteByte('|')
		}
		b.WriteByte('\n')
	}
	b.WriteString(rule.String())
	line(0, headers)
	b.WriteString(rule.String())
	for i, r := range rows {
		line(i+1, r)
	}
	if len(rows) > 0 {
		b.WriteString(rule.String())
	}
	return nil
}

// plainCells says whether every cell is one line of printable text with no
// surrounding white space and is not empty.
func plainCells(cells []string) bool {
	for _, c := range cells {
		if c == "" || strings.TrimSpace(c) != c {
			return false
		}
		for _, r := range c {
			if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) || r == '\u2028' || r == '\u2029' {
				return false
			}
		}
	}
	return true
}

// tablewriterTable renders the table with tablewriter.
func tablewriterTable(b *strings.Builder, headers []string, rows [][]string) error {
	hs := make([]any, len(headers))
	for i, h := range headers {
		hs[i] = h
	}
	t := newTable(b, hs...)
	for _, row := range rows {
		if err := t.Append(row); err != nil {
			return err
		}
	}
	return t.Render()
}

// unsafeRune says whether r must not reach a terminal or a document as it
// is: C0 and C1 control characters and DEL (an escape sequence in a child's
// name could clear the screen, recolour or, with a carriage return,
// overwrite what the table printed before it), the Unicode line and
// paragraph separators, and the bidirectional embedding, override and
// isolate characters (which reorder the text around them).
func unsafeRune(r rune) bool {
	return r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) || r == '\u2028' || r == '\u2029' ||
		(r >= '\u202a' && r <= '\u202e') || (r >= '\u2066' && r <= '\u2069')
}

// cleanText makes text from the records safe to print in a table cell or a
// heading: line breaks and tabs become one space each (a cell stays on one
// line, so every row is one child), and the other characters unsafeRune
// refuses become U+FFFD, visibly. Text without any is returned as it is.
func cleanText(s string) string {
	i := strings.IndexFunc(s, unsafeRune)
	if i < 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	b.WriteString(s[:i])
	prevCR := false
	for _, r := range s[i:] {
		cr := prevCR
		prevCR = r == '\r'
		switch {
		case r == '\n' && cr:
			// \r\n is one line break, written already
		case r == '\r' || r == '\n' || r == '\t' || r == '\v' || r == '\f' || r == 0x85 || r == '\u2028' || r == '\u2029':
			b.WriteByte(' ')
		case unsafeRune(r):
			b.WriteRune(utf8.RuneError)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// cleanCells applies cleanText to every cell, copying the slice only when
// a cell changes.
func cleanCells(cells []string) []string {
	out := cells
	copied := false
	for i, c := range cells {
		if t := cleanText(c); t != c {
			if !copied {
				out, copied = append([]string(nil), cells...), true
			}
			out[i] = t
		}
	}
	return out
}

// cleanRows applies cleanText to every cell of every row.
func cleanRows(rows [][]string) [][]string {
	out := make([][]string, len(rows))
	for i, r := range rows {
		out[i] = cleanCells(r)
	}
	return out
}

// sgrRE matches the colour sequences care writes itself (SGR: ESC [ … m).
var sgrRE = regexp.MustCompile("\x1b\\[[0-9;]*m")

// cleanOutput makes a whole text page (a diff, a log) safe for a terminal:
// its line breaks stay, the colour sequences care adds stay when color is
// set, and every other character unsafeRune refuses, coming from record
// text (a name or a note with an escape sequence or a carriage return),
// becomes U+FFFD or, for a carriage return or tab, a space.
func cleanOutput(s string, color bool) string {
	if strings.IndexFunc(s, func(r rune) bool { return r != '\n' && unsafeRune(r) }) < 0 {
		return s
	}
	var keep [][]int
	if color {
		keep = sgrRE.FindAllStringIndex(s, -1)
	}
	var b strings.Builder
	b.Grow(len(s))
	k := 0
	for i := 0; i < len(s); {
		if k < len(keep) && i == keep[k][0] {
			b.WriteString(s[keep[k][0]:keep[k][1]])
			i = keep[k][1]
			k++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == '\n':
			b.WriteByte('\n')
		case r == '\r' || r == '\t':
			b.WriteByte(' ')
		case unsafeRune(r):
			b.WriteRune(utf8.RuneError)
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}
