// Package pii masks children's personal data (phone numbers, id numbers,
// addresses) for every output that has not been asked to show it in full.
package pii

import (
	"strings"
	"unicode/utf8"
)

// Phone masks a phone number, keeping the first three and last four
// characters: 13800138000 -> 138****8000, 0728-1234567 -> 072*****4567.
func Phone(s string) string {
	r := []rune(s)
	if len(r) <= 7 {
		return strings.Repeat("*", len(r))
	}
	return string(r[:3]) + strings.Repeat("*", len(r)-7) + string(r[len(r)-4:])
}

// IDNumber masks an id number, keeping the first four and last four
// characters: 42900420160512005X -> 4290**********005X.
func IDNumber(s string) string {
	r := []rune(s)
	if len(r) <= 8 {
		return strings.Repeat("*", len(r))
	}
	return string(r[:4]) + strings.Repeat("*", len(r)-8) + string(r[len(r)-4:])
}

// Address cuts an address after its village (村) or, failing that, its
// town (镇/乡/街道), and replaces the rest with "…":
// 湖北省仙桃市某镇某村3组 -> 湖北省仙桃市某镇某村…. An address with neither
// keeps its first six characters.
func Address(s string) string {
	if s == "" {
		return s
	}
	for _, mark := range []string{"村", "社区", "街道", "镇", "乡"} {
		if i := strings.Index(s, mark); i >= 0 {
			end := i + len(mark)
			if end >= len(s) {
				return s
			}
			return s[:end] + "…"
		}
	}
	if utf8.RuneCountInString(s) <= 6 {
		return s
	}
	r := []rune(s)
	return string(r[:6]) + "…"
}

// Masker applies the masks unless Show is set.
type Masker struct{ Show bool }

// Phone masks a phone number unless m.Show.
func (m Masker) Phone(s string) string {
	if m.Show {
		return s
	}
	return Phone(s)
}

// IDNumber masks an id number unless m.Show.
func (m Masker) IDNumber(s string) string {
	if m.Show {
		return s
	}
	return IDNumber(s)
}

// Address masks an address unless m.Show.
func (m Masker) Address(s string) string {
	if m.Show {
		return s
	}
	return Address(s)
}
