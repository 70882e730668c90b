package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/care-tool/care/internal/iostreams"
)

// The worked example of docs/indicators.md ("## 算例 / Worked example") is
// the repository examples/worked-example. These tests keep the two in step:
// the numbers computed by hand on the page are the ones care computes, and
// the output the page shows in "Step 4" (and the JSON sample further down)
// is care's real output.

const (
	workedExampleDir = "../../examples/worked-example"
	indicatorsDoc    = "../../docs/indicators.md"
)

// runCareEnv runs care in process with exactly the environment env (every
// other variable is unset) and returns stdout, stderr and the exit status.
func runCareEnv(t *testing.T, env map[string]string, args ...string) (string, string, int) {
	t.Helper()
	ios, _, out, errOut := iostreams.Test()
	app := &App{IO: ios, Now: time.Now, Getenv: func(k string) string { return env[k] }}
	code := app.Run(context.Background(), args)
	return out.String(), errOut.String(), code
}

// workedExampleReport runs report with args on the worked example, not
// touching the cache, and fails the test unless care succeeds quietly.
func workedExampleReport(t *testing.T, env map[string]string, args ...string) string {
	t.Helper()
	all := append([]string{"-C", workedExampleDir, "--no-cache"}, args...)
	out, errOut, code := runCareEnv(t, env, all...)
	if code != 0 || errOut != "" {
		t.Fatalf("care %s: exit %d\nstderr:\n%s", strings.Join(all, " "), code, errOut)
	}
	return out
}

func TestWorkedExampleIsValid(t *testing.T) {
	out, errOut, code := runCareEnv(t, map[string]string{"CARE_TODAY": "2026-11-28"},
		"-C", workedExampleDir, "--no-cache", "validate", "--strict", "--format", "json")
	if code != 0 {
		t.Fatalf("exit %d\n%s\n%s", code, out, errOut)
	}
	var res struct {
		Valid    bool              `json:"valid"`
		Files    int               `json:"files"`
		Errors   []json.RawMessage `json:"errors"`
		Warnings []json.RawMessage `json:"warnings"`
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	// care.yaml, 6 children, 3 pairings, 12 talk logs
	if !res.Valid || res.Files != 22 || len(res.Errors) != 0 || len(res.Warnings) != 0 {
		t.Fatalf("validate: %s", out)
	}
}

// TestWorkedExampleNumbers checks every indicator against the hand
// computation of Step 3.
func TestWorkedExampleNumbers(t *testing.T) {
	out := workedExampleReport(t, map[string]string{"CARE_TODAY": "2026-11-28"},
		"report", "--as-of", "2026-11-20", "--format", "json")
	var rep struct {
		AsOf       string `json:"as_of"`
		Term       struct{ ID string }
		Indicators []struct {
			ID          string `json:"id"`
			Numerator   int    `json:"numerator"`
			Denominator int    `json:"denominator"`
			Met         bool   `json:"met"`
			Shortfall   []struct {
				Child string `json:"child"`
				Month string `json:"month"`
			} `json:"shortfall"`
		} `json:"indicators"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if rep.AsOf != "2026-11-20" || rep.Term.ID != "2026-autumn" {
		t.Errorf("as_of %q, term %q", rep.AsOf, rep.Term.ID)
	}
	type want struct {
		id        string
		num, den  int
		met       bool
		shortfall []string // child, or child@month
	}
	wants := []want{
		{"filing", 2, 4, false, []string{"2026101", "2024032"}},                         // 黄小雨 no class, 王小红 guardian phone
		{"enrolment", 2, 3, false, []string{"2024032"}},                                 // 王小红 dropped out
		{"retention", 2, 3, false, []string{"2024032"}},                                 // 王小红 dropped out
		{"talks", 5, 6, false, []string{"2023015@2026-09"}},                             // 张强, talk by T03 only
		{"parent_contact", 4, 6, false, []string{"2024040@2026-09", "2023020@2026-10"}}, // 陈浩, 刘洋 (home visit only)
		{"mentoring", 2, 2, true, nil},
		{"peer_help", 1, 2, true, nil}, // exactly the 50% target
	}
	if len(rep.Indicators) != len(wants) {
		t.Fatalf("%d indicators, want %d", len(rep.Indicators), len(wants))
	}
	for i, w := range wants {
		got := rep.Indicators[i]
		if got.ID != w.id {
			t.Errorf("indicator %d is %s, want %s", i, got.ID, w.id)
			continue
		}
		if got.Numerator != w.num || got.Denominator != w.den || got.Met != w.met {
			t.Errorf("%s: %d/%d met=%v, want %d/%d met=%v", w.id, got.Numerator, got.Denominator, got.Met, w.num, w.den, w.met)
		}
		var sf []string
		for _, s := range got.Shortfall {
			k := s.Child
			if s.Month != "" {
				k += "@" + s.Month
			}
			sf = append(sf, k)
		}
		if strings.Join(sf, " ") != strings.Join(w.shortfall, " ") {
			t.Errorf("%s: shortfall %v, want %v", w.id, sf, w.shortfall)
		}
	}
}

// fence is one fenced code block of a Markdown page.
type fence struct {
	info  string // the text after the opening ```
	lines []string
	line  int // line number of the first line inside the block
}

// workedExampleFences returns the fenced blocks of docs/indicators.md that
// come after the heading of Step 4 of the worked example.
func workedExampleFences(t *testing.T) []fence {
	t.Helper()
	b, err := os.ReadFile(indicatorsDoc)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.ReplaceAll(string(b), "\r\n", "\n"), "\n")
	var fences []fence
	var cur *fence
	seen := false
	for i, l := range lines {
		switch {
		case cur != nil && strings.HasPrefix(l, "```"):
			fences = append(fences, *cur)
			cur = nil
		case cur != nil:
			cur.lines = append(cur.lines, l)
		case !seen && strings.HasPrefix(l, "### ") && strings.Contains(l, "Step 4"):
			seen = true
		case seen && strings.HasPrefix(l, "```"):
			cur = &fence{info: strings.TrimSpace(strings.TrimPrefix(l, "```")), line: i + 2}
		}
	}
	if !seen {
		t.Fatalf("%s: no \"### … Step 4\" heading", indicatorsDoc)
	}
	if cur != nil {
		t.Fatalf("%s:%d: code block not closed", indicatorsDoc, cur.line-1)
	}
	return fences
}

// parseShellLine splits "$ NAME=VALUE … care ARGS…" into its environment
// and care's arguments. Quotes are not needed on the page and not handled.
func parseShellLine(t *testing.T, line string) (map[string]string, []string) {
	t.Helper()
	f := strings.Fields(strings.TrimPrefix(line, "$ "))
	env := map[string]string{}
	for len(f) > 0 && strings.Contains(f[0], "=") {
		k, v, _ := strings.Cut(f[0], "=")
		env[k] = v
		f = f[1:]
	}
	if len(f) == 0 || f[0] != "care" {
		t.Fatalf("command %q does not run care", line)
	}
	for _, a := range f[1:] {
		if a == "-C" || strings.HasPrefix(a, "--dir") || strings.ContainsAny(a, `"'|<>;`) {
			t.Fatalf("command %q: argument %q is not supported by this test", line, a)
		}
	}
	return env, f[1:]
}

// revisionLine matches the header line naming the data's git revision. The
// examples live in care's own repository, so in a checkout it names the
// commit checked out, which changes with every commit: the line is compared
// only up to its label.
var revisionLine = regexp.MustCompile(`(?m)^(数据版本：|Revision: ).*$`)

func normaliseRevision(s string) string {
	return revisionLine.ReplaceAllString(s, "${1}<revision>")
}

// TestWorkedExampleDocTable compares the "$ … care report …" block of Step
// 4 with the real output, byte for byte (bar the revision line).
func TestWorkedExampleDocTable(t *testing.T) {
	var block *fence
	for _, f := range workedExampleFences(t) {
		if len(f.lines) > 0 && strings.HasPrefix(f.lines[0], "$ ") && strings.Contains(f.lines[0], "care report") {
			block = &f
			break
		}
	}
	if block == nil {
		t.Fatalf("%s: Step 4 has no \"$ … care report\" block", indicatorsDoc)
	}
	env, args := parseShellLine(t, block.lines[0])
	if env["CARE_TODAY"] == "" {
		t.Fatalf("%s:%d: the command does not set CARE_TODAY, so its output depends on the day", indicatorsDoc, block.line)
	}
	page := strings.Join(block.lines[1:], "\n") + "\n"
	if !revisionLine.MatchString(page) {
		t.Errorf("%s:%d: the block shows no 数据版本 line", indicatorsDoc, block.line)
	}
	got := normaliseRevision(workedExampleReport(t, env, args...))
	page = normaliseRevision(page)
	if got != page {
		t.Errorf("%s:%d: the block is not care's output for %q\n%s", indicatorsDoc, block.line, block.lines[0], lineDiff(page, got))
	}
}

// lineDiff describes where want (the page) and got (care) first differ.
func lineDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < len(w) || i < len(g); i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl || i >= len(w) || i >= len(g) {
			return fmt.Sprintf("first difference at output line %d:\n page: %q\n care: %q\ncare's whole output:\n%s", i+1, wl, gl, got)
		}
	}
	return ""
}

// elision matches what a shortened JSON sample may use for left-out items:
// a line holding only "…" (or "..."), or ", …" after an item.
var (
	elisionLine   = regexp.MustCompile(`(?m)^[ \t]*(…|\.\.\.),?[ \t]*\n`)
	elisionInline = regexp.MustCompile(`,[ \t]*(…|\.\.\.)`)
	trailingComma = regexp.MustCompile(`,(\s*[\]}])`)
)

func parseJSONSample(text string) (any, error) {
	text = elisionLine.ReplaceAllString(text, "")
	text = elisionInline.ReplaceAllString(text, "")
	text = trailingComma.ReplaceAllString(text, "$1")
	var v any
	err := json.Unmarshal([]byte(text), &v)
	return v, err
}

// shortenedLists are the lists the JSON sample may show only some items of,
// with the field that tells the items apart.
var shortenedLists = map[string]string{"indicators": "id", "by_class": "class"}

// jsonShows reports at path what the page's value shows that the real value
// does not: every field the page shows must be in care's output with the
// same value; the lists of shortenedLists may show some items only (in
// care's order); every other list must be whole.
func jsonShows(path, key string, page, real any, errs *[]string) {
	fail := func(format string, a ...any) { *errs = append(*errs, path+": "+fmt.Sprintf(format, a...)) }
	switch p := page.(type) {
	case map[string]any:
		r, ok := real.(map[string]any)
		if !ok {
			fail("the page shows an object, care writes %s", jsonText(real))
			return
		}
		for k, pv := range p {
			rv, ok := r[k]
			if !ok {
				fail("the page shows field %q, care writes none", k)
				continue
			}
			jsonShows(path+"."+k, k, pv, rv, errs)
		}
	case []any:
		r, ok := real.([]any)
		if !ok {
			fail("the page shows a list, care writes %s", jsonText(real))
			return
		}
		idKey, shortened := shortenedLists[key]
		if !shortened {
			if len(p) != len(r) {
				fail("the page shows %d items, care writes %d: %s", len(p), len(r), jsonText(real))
				return
			}
			for i := range p {
				jsonShows(fmt.Sprintf("%s[%d]", path, i), "", p[i], r[i], errs)
			}
			return
		}
		next := 0
		for i, pv := range p {
			id := jsonField(pv, idKey)
			found := -1
			for j := next; j < len(r); j++ {
				if jsonField(r[j], idKey) == id {
					found = j
					break
				}
			}
			if found < 0 {
				fail("item %d (%s %s) is not in care's output after the items before it", i, idKey, id)
				continue
			}
			jsonShows(fmt.Sprintf("%s[%s=%s]", path, idKey, id), "", pv, r[found], errs)
			next = found + 1
		}
	default:
		if !reflect.DeepEqual(page, real) {
			fail("the page shows %s, care writes %s", jsonText(page), jsonText(real))
		}
	}
}

func jsonField(v any, k string) string {
	if m, ok := v.(map[string]any); ok {
		return jsonText(m[k])
	}
	return jsonText(v)
}

func jsonText(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// TestWorkedExampleDocJSON compares the JSON sample of docs/indicators.md
// ("from the worked example above with --lang en") with care's JSON for the
// command of Step 4 with --format json --lang en.
func TestWorkedExampleDocJSON(t *testing.T) {
	fences := workedExampleFences(t)
	var cmd, sample *fence
	for i := range fences {
		f := &fences[i]
		if cmd == nil && len(f.lines) > 0 && strings.HasPrefix(f.lines[0], "$ ") && strings.Contains(f.lines[0], "care report") {
			cmd = f
		}
		if sample == nil && f.info == "json" {
			sample = f
		}
	}
	if cmd == nil || sample == nil {
		t.Fatalf("%s: after Step 4, want a \"$ … care report\" block and a json block", indicatorsDoc)
	}
	env, args := parseShellLine(t, cmd.lines[0])
	args = append(args, "--format", "json", "--lang", "en")
	var real any
	out := workedExampleReport(t, env, args...)
	if err := json.Unmarshal([]byte(out), &real); err != nil {
		t.Fatalf("care's JSON: %v\n%s", err, out)
	}
	page, err := parseJSONSample(strings.Join(sample.lines, "\n"))
	if err != nil {
		t.Fatalf("%s:%d: the JSON sample does not parse: %v", indicatorsDoc, sample.line, err)
	}
	pm, ok := page.(map[string]any)
	if !ok {
		t.Fatalf("%s:%d: the JSON sample is not an object", indicatorsDoc, sample.line)
	}
	// revision and dirty depend on the git checkout the example is in
	// (see revisionLine): the page shows them as for records outside git,
	// care here as for care's own checkout. Check their form only.
	rm := real.(map[string]any)
	for _, m := range []map[string]any{pm, rm} {
		if rev, ok := m["revision"]; !ok || (rev != nil && !regexp.MustCompile(`^[0-9a-f]{40}$`).MatchString(fmt.Sprint(rev))) {
			t.Errorf("revision %s: want null or a full commit id", jsonText(rev))
		}
		if _, ok := m["dirty"].(bool); !ok {
			t.Errorf("dirty %s: want true or false", jsonText(m["dirty"]))
		}
		delete(m, "revision")
		delete(m, "dirty")
	}
	var errs []string
	jsonShows("$", "", pm, rm, &errs)
	for _, e := range errs {
		t.Errorf("%s:%d: JSON sample: %s", indicatorsDoc, sample.line, e)
	}
	if len(errs) > 0 {
		t.Logf("care's output:\n%s", out)
	}
}
