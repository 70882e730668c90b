// Package render writes care's results (diagnostics, reports, diffs) in each
// output format. It never decides what is true, only how it looks.
package render

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"path"
	"sort"
	"strings"

	"github.com/care-tool/care/internal/diag"
	"github.com/care-tool/care/internal/i18n"
)

// DiagOptions say how to write diagnostics.
type DiagOptions struct {
	Lang   i18n.Lang
	Color  bool
	Prefix string // prepended to file paths (github annotations need paths from the workspace root)
	Files  int    // number of files checked
}

const (
	red    = "\x1b[31m"
	yellow = "\x1b[33m"
	bold   = "\x1b[1m"
	dim    = "\x1b[2m"
	reset  = "\x1b[0m"
)

func location(d diag.Diagnostic, prefix string) string {
	loc := path.Join(prefix, d.File)
	if prefix == "" {
		loc = d.File
	}
	if d.Line > 0 {
		loc += fmt.Sprintf(":%d", d.Line)
		if d.Column > 0 {
			loc += fmt.Sprintf(":%d", d.Column)
		}
	}
	return loc
}

// DiagText writes one line per diagnostic, file:line:col: severity: message
// [check], followed by an indented hint line when there is a fix to suggest.
func DiagText(w io.Writer, ds []diag.Diagnostic, o DiagOptions) error {
	var b strings.Builder
	for _, d := range ds {
		sev := d.Severity.String()
		if o.Color {
			c := red
			if d.Severity == diag.Warning {
				c = yellow
			}
			fmt.Fprintf(&b, "%s%s:%s %s%s:%s %s %s[%s]%s\n", bold, location(d, o.Prefix), reset, c, sev, reset, d.Message.In(o.Lang), dim, d.Check, reset)
		} else {
			fmt.Fprintf(&b, "%s: %s: %s [%s]\n", location(d, o.Prefix), sev, d.Message.In(o.Lang), d.Check)
		}
		if !d.Hint.IsZero() {
			fmt.Fprintf(&b, "    %s %s\n", o.Lang.Pick("提示:", "hint:"), d.Hint.In(o.Lang))
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// DiagSummary returns the one-line summary printed after text output.
func DiagSummary(ds []diag.Diagnostic, o DiagOptions) string {
	e, w := diag.Count(ds)
	if e == 0 && w == 0 {
		return o.Lang.Pick(fmt.Sprintf("检查了 %d 个文件，没有发现问题", o.Files), fmt.Sprintf("checked %d %s: all valid", o.Files, plural(o.Files, "file")))
	}
	return o.Lang.Pick(fmt.Sprintf("检查了 %d 个文件：%d 个错误，%d 个警告", o.Files, e, w),
		fmt.Sprintf("checked %d %s: %d %s, %d %s", o.Files, plural(o.Files, "file"), e, plural(e, "error"), w, plural(w, "warning")))
}

func plural(n int, s string) string {
	if n == 1 {
		return s
	}
	return s + "s"
}

type jsonDiag struct {
	File    string `json:"file"`
	Line    int    `json:"line"`
	Column  int    `json:"column"`
	Check   string `json:"check"`
	Path    string `json:"path"`
	Message string `json:"message"`
	Hint    string `json:"hint,omitempty"`
}

// DiagJSON writes {"valid", "files", "errors", "warnings"}.
func DiagJSON(w io.Writer, ds []diag.Diagnostic, o DiagOptions) error {
	out := struct {
		Valid    bool       `json:"valid"`
		Files    int        `json:"files"`
		Errors   []jsonDiag `json:"errors"`
		Warnings []jsonDiag `json:"warnings"`
	}{Valid: true, Files: o.Files, Errors: []jsonDiag{}, Warnings: []jsonDiag{}}
	for _, d := range ds {
		j := jsonDiag{File: d.File, Line: d.Line, Column: d.Column, Check: d.Check, Path: d.Path, Message: d.Message.In(o.Lang), Hint: d.Hint.In(o.Lang)}
		if d.Severity == diag.Warning {
			out.Warnings = append(out.Warnings, j)
		} else {
			out.Errors = append(out.Errors, j)
			out.Valid = false
		}
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

var ghData = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A")
var ghProp = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C")

// DiagGitHub writes GitHub Actions workflow commands (also understood by
// Gitea and Forgejo Actions), one annotation per diagnostic.
func DiagGitHub(w io.Writer, ds []diag.Diagnostic, o DiagOptions) error {
	var b strings.Builder
	for _, d := range ds {
		cmd := "error"
		if d.Severity == diag.Warning {
			cmd = "warning"
		}
		props := []string{"file=" + ghProp.Replace(path.Join(o.Prefix, d.File))}
		if d.Line > 0 {
			props = append(props, fmt.Sprintf("line=%d", d.Line))
			if d.Column > 0 {
				props = append(props, fmt.Sprintf("col=%d", d.Column))
			}
		}
		props = append(props, "title="+ghProp.Replace("care ["+d.Check+"]"))
		msg := d.Message.In(o.Lang)
		if !d.Hint.IsZero() {
			msg += "\n" + o.Lang.Pick("提示：", "hint: ") + d.Hint.In(o.Lang)
		}
		fmt.Fprintf(&b, "::%s %s::%s\n", cmd, strings.Join(props, ","), ghData.Replace(msg))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name     string      `xml:"name,attr"`
	Tests    int         `xml:"tests,attr"`
	Failures int         `xml:"failures,attr"`
	Cases    []junitCase `xml:"testcase"`
}

type junitCase struct {
	Name      string         `xml:"name,attr"`
	Classname string         `xml:"classname,attr"`
	Failures  []junitFailure `xml:"failure,omitempty"`
	SystemOut string         `xml:"system-out,omitempty"`
}

type junitFailure struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",chardata"`
}

// DiagJUnit writes a JUnit XML report with one test case per file that has
// diagnostics plus one for the whole repository, so that CI systems (GitLab,
// Jenkins) list each broken file. Warnings go to system-out.
func DiagJUnit(w io.Writer, ds []diag.Diagnostic, o DiagOptions) error {
	byFile := map[string][]diag.Diagnostic{}
	var files []string
	for _, d := range ds {
		if _, ok := byFile[d.File]; !ok {
			files = append(files, d.File)
		}
		byFile[d.File] = append(byFile[d.File], d)
	}
	sort.Strings(files)
	suite := junitSuite{Name: "care validate"}
	for _, f := range files {
		c := junitCase{Name: path.Join(o.Prefix, f), Classname: "care.validate"}
		var out strings.Builder
		for _, d := range byFile[f] {
			text := location(d, o.Prefix) + ": " + d.Message.In(o.Lang)
			if !d.Hint.IsZero() {
				text += "\n" + o.Lang.Pick("提示：", "hint: ") + d.Hint.In(o.Lang)
			}
			if d.Severity == diag.Warning {
				out.WriteString("warning: " + text + "\n")
				continue
			}
			c.Failures = append(c.Failures, junitFailure{Message: d.Message.In(o.Lang), Type: d.Check, Text: text})
		}
		c.SystemOut = out.String()
		if len(c.Failures) > 0 {
			suite.Failures++
		}
		suite.Cases = append(suite.Cases, c)
	}
	e, _ := diag.Count(ds)
	all := junitCase{Name: o.Lang.Pick(fmt.Sprintf("全部 %d 个文件", o.Files), fmt.Sprintf("all %d files", o.Files)), Classname: "care.validate"}
	if e > 0 {
		all.Failures = []junitFailure{{Message: DiagSummary(ds, o), Type: "summary", Text: DiagSummary(ds, o)}}
		suite.Failures++
	}
	suite.Cases = append(suite.Cases, all)
	suite.Tests = len(suite.Cases)
	doc := junitSuites{Name: "care", Tests: suite.Tests, Failures: suite.Failures, Suites: []junitSuite{suite}}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}
