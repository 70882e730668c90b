// Package diag defines the one diagnostic model that loading and validation
// produce and that every output format renders.
package diag

import (
	"sort"

	"github.com/care-tool/care/internal/i18n"
)

// Severity says whether a diagnostic makes the repository invalid.
type Severity int

// Severities.
const (
	Error Severity = iota
	Warning
)

// String returns "error" or "warning".
func (s Severity) String() string {
	if s == Warning {
		return "warning"
	}
	return "error"
}

// Diagnostic is one problem found in one file.
type Diagnostic struct {
	File     string    // slash path relative to the repository root
	Line     int       // 1-based; 0 when the problem concerns the whole file
	Column   int       // 1-based; 0 when unknown
	Severity Severity  // error or warning
	Check    string    // stable check name, e.g. "schema", "ref", "phone"
	Path     string    // JSON pointer into the record, e.g. "/guardian/phone"; "" for the whole file
	Message  i18n.Text // what is wrong
	Hint     i18n.Text // how to fix it; may be empty
}

// Sort orders diagnostics by file, line, column, then check and message, so
// that output is stable whatever order the checks ran in.
func Sort(ds []Diagnostic) {
	sort.SliceStable(ds, func(i, j int) bool {
		a, b := ds[i], ds[j]
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		if a.Column != b.Column {
			return a.Column < b.Column
		}
		if a.Check != b.Check {
			return a.Check < b.Check
		}
		return a.Message.En < b.Message.En
	})
}

// Count returns the number of errors and warnings in ds.
func Count(ds []Diagnostic) (errors, warnings int) {
	for _, d := range ds {
		if d.Severity == Warning {
			warnings++
		} else {
			errors++
		}
	}
	return
}
