package render

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"image"
	"image/png"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/care-tool/care/internal/i18n"
	"github.com/care-tool/care/internal/indicator"
	"github.com/care-tool/care/internal/record"
	"github.com/care-tool/care/internal/store"
)

func renderHTML(t *testing.T, r *Report) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := r.HTML(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestHTMLGolden(t *testing.T) {
	golden(t, "report.html", renderHTML(t, demoReport(t, i18n.Zh)))
	golden(t, "report-en.html", renderHTML(t, demoReport(t, i18n.En)))
}

func TestHTMLLanguage(t *testing.T) {
	zh := string(renderHTML(t, demoReport(t, i18n.Zh)))
	en := string(renderHTML(t, demoReport(t, i18n.En)))
	for _, want := range []string{`<html lang="zh-CN">`, "各班情况", "未达标名单", "建档率", "✗ 未达标", "花名册概况"} {
		if !strings.Contains(zh, want) {
			t.Errorf("Chinese page lacks %q", want)
		}
	}
	for _, want := range []string{`<html lang="en">`, "By class", "Children below a target, by class", "Filing", "✗ not met", "Roster"} {
		if !strings.Contains(en, want) {
			t.Errorf("English page lacks %q", want)
		}
	}
	for _, label := range []string{"各班情况", "未达标名单", "目标", "指标"} {
		if strings.Contains(en, label) {
			t.Errorf("English page still says %q", label)
		}
	}
}

// hostileReport is the demo with a child, a class, a teacher and the school
// named so as to break out of HTML (and SVG) if anything were not escaped.
func hostileReport(t *testing.T, lang i18n.Lang) (*Report, *record.Dataset) {
	t.Helper()
	l, err := store.LoadDir("../../examples/demo-school")
	if err != nil {
		t.Fatal(err)
	}
	ds := l.Dataset
	cfg := ds.Config
	cfg.School.Name = `"&<>`
	found := false
	for _, c := range ds.Children {
		if c.ID == "2026015" { // in the filing shortfall of class 1-1
			c.Name = `<script>alert(1)</script>`
			c.Notes = `<script>alert("note")</script>`
			found = true
		}
	}
	if !found {
		t.Fatal("the demo has no child 2026015 any more: pick another child in a shortfall list")
	}
	for i := range cfg.Classes {
		switch cfg.Classes[i].ID {
		case "1-1":
			cfg.Classes[i].Name = `<a&"'>` // short enough to label the bars
		case "2-1":
			cfg.Classes[i].Name = `</text><svg onload="alert(2)">`
		}
	}
	for i := range cfg.Staff {
		if cfg.Staff[i].ID == "T01" {
			cfg.Staff[i].Name = `</title><img src=x onerror=alert(3)>`
		}
	}
	term, _ := cfg.Term("2026-autumn")
	term.Name = `<!-- ]]> '`
	res, err := indicator.Compute(ds, indicator.Options{Term: term, AsOf: record.MustDate("2026-11-28")})
	if err != nil {
		t.Fatal(err)
	}
	return &Report{School: cfg.School, Revision: "0123456789abcdef0123456789abcdef01234567", Result: res, Lang: lang}, ds
}

// eventAttrRE finds an on...= attribute inside a tag.
var eventAttrRE = regexp.MustCompile(`<[a-z][^<>]*\son[a-z]+\s*=`)

func TestHTMLEscapesHostileNames(t *testing.T) {
	for _, lang := range []i18n.Lang{i18n.Zh, i18n.En} {
		r, _ := hostileReport(t, lang)
		page := string(renderHTML(t, r))
		lower := strings.ToLower(page)
		for _, bad := range []string{"<script", "<img", `<svg onload`, `"&<>`, "<!-- ]]>", "</text><svg", "</title><img"} {
			if strings.Contains(lower, bad) {
				t.Errorf("%s: the page contains %q unescaped", lang, bad)
			}
		}
		if m := eventAttrRE.FindString(lower); m != "" {
			t.Errorf("%s: the page has an event handler in a tag: %s", lang, m)
		}
		for _, want := range []string{
			"&lt;script&gt;alert(1)&lt;/script&gt;",              // the child, as text
			"&#34;&amp;&lt;&gt;",                                 // the school
			"&lt;/text&gt;&lt;svg onload=&#34;alert(2)&#34;&gt;", // the class, in the charts and tables
			"&lt;/title&gt;&lt;img src=x onerror=alert(3)&gt;",   // the head teacher
		} {
			if !strings.Contains(page, want) {
				t.Errorf("%s: the page lacks the escaped text %q", lang, want)
			}
		}
		inSVG := false
		for _, svg := range svgRE.FindAllString(page, -1) {
			if strings.Contains(svg, "&lt;a&amp;&#34;&#39;&gt;") {
				inSVG = true
			}
		}
		if !inSVG {
			t.Errorf("%s: no chart labels a bar with the escaped class name", lang)
		}
		if strings.Contains(page, `alert(&#34;note&#34;)`) {
			t.Errorf("%s: a child's notes appear in the report", lang)
		}
	}
}

func TestHTMLHasNoPersonalData(t *testing.T) {
	r, ds := hostileReport(t, i18n.Zh)
	page := string(renderHTML(t, r))
	check := func(what, s string) {
		s = strings.TrimSpace(s)
		if len(s) >= 5 && strings.Contains(page, s) {
			t.Errorf("the page shows %s %q", what, s)
		}
	}
	for _, c := range ds.Children {
		check("an id number", c.IDNumber)
		check("an address", c.Address)
		for _, p := range c.Parents {
			check("a phone number", p.Phone)
			check("a work address", p.WorkAddress)
		}
		if g := c.Guardian; g != nil {
			check("a phone number", g.Phone)
			check("an address", g.Address)
		}
	}
}

func TestHTMLIsSelfContained(t *testing.T) {
	page := strings.ToLower(string(renderHTML(t, demoReport(t, i18n.Zh))))
	// The SVG namespace is a name, not an address that is fetched.
	page = strings.ReplaceAll(page, `xmlns="http://www.w3.org/2000/svg"`, "")
	for _, bad := range []string{"<script", "<link", "<img", "<iframe", "@import", "http:", "https:", "src=", "href=", "@font-face"} {
		if strings.Contains(page, bad) {
			t.Errorf("the page contains %q: it must work offline on its own", bad)
		}
	}
	for _, want := range []string{"noto sans cjk sc", "pingfang sc", "microsoft yahei", "simsun", "size: a4", "break-before: page", "display: table-header-group", "break-inside: avoid"} {
		if !strings.Contains(page, want) {
			t.Errorf("the stylesheet lacks %q", want)
		}
	}
}

var svgRE = regexp.MustCompile(`(?s)<svg\b.*?</svg>`)

// checkSVG parses every inline SVG of page as XML.
func checkSVG(t *testing.T, name string, page []byte) int {
	t.Helper()
	svgs := svgRE.FindAll(page, -1)
	for i, s := range svgs {
		d := xml.NewDecoder(bytes.NewReader(s))
		d.Strict = true
		depth, root := 0, ""
		for {
			tok, err := d.Token()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				t.Errorf("%s: svg %d is not well-formed XML: %v\n%s", name, i, err, s)
				break
			}
			switch tok := tok.(type) {
			case xml.StartElement:
				if depth == 0 {
					root = tok.Name.Local
				}
				depth++
			case xml.EndElement:
				depth--
			}
		}
		if root != "svg" || depth != 0 {
			t.Errorf("%s: svg %d: root %q, depth %d at the end", name, i, root, depth)
		}
	}
	return len(svgs)
}

func TestHTMLSVGIsWellFormedXML(t *testing.T) {
	page := renderHTML(t, demoReport(t, i18n.Zh))
	// 7 card meters, 7 class charts, the monthly chart, legend swatches.
	if n := checkSVG(t, "demo", page); n < 15 {
		t.Errorf("found %d svg elements, want at least 15", n)
	}
	checkSVG(t, "demo en", renderHTML(t, demoReport(t, i18n.En)))
	for _, lang := range []i18n.Lang{i18n.Zh, i18n.En} {
		r, _ := hostileReport(t, lang)
		checkSVG(t, "hostile "+string(lang), renderHTML(t, r))
	}
}

// TestHTMLEdgeCases renders windows with no finished month, one class only,
// and a class with no child to count, which draw no bar.
func TestHTMLEdgeCases(t *testing.T) {
	l, err := store.LoadDir("../../examples/demo-school")
	if err != nil {
		t.Fatal(err)
	}
	term, _ := l.Dataset.Config.Term("2026-autumn")
	for _, tt := range []struct {
		name, asOf, class string
		want              string
	}{
		{"first week", "2026-09-07", "", "本学期还没有已结束的月份"},
		{"one class", "2026-11-28", "3-2", "三年级二班"},
	} {
		res, err := indicator.Compute(l.Dataset, indicator.Options{Term: term, AsOf: record.MustDate(tt.asOf), Class: tt.class})
		if err != nil {
			t.Fatal(err)
		}
		r := &Report{School: l.Dataset.Config.School, NoGit: true, Class: tt.class, Result: res, Lang: i18n.Zh}
		page := renderHTML(t, r)
		if !bytes.Contains(page, []byte(tt.want)) {
			t.Errorf("%s: the page lacks %q", tt.name, tt.want)
		}
		if !bytes.Contains(page, []byte("不在 git 仓库中")) {
			t.Errorf("%s: the header does not say the data is not in git", tt.name)
		}
		checkSVG(t, tt.name, page)
	}
	// A class with nobody to count: its bar is left out and its rate is "—".
	res, err := indicator.Compute(l.Dataset, indicator.Options{Term: term, AsOf: record.MustDate("2026-11-28")})
	if err != nil {
		t.Fatal(err)
	}
	for i := range res.ByClass[0].Indicators {
		in := &res.ByClass[0].Indicators[i]
		in.Numerator, in.Denominator, in.Rate, in.Met = 0, 0, nil, true
	}
	page := renderHTML(t, &Report{School: l.Dataset.Config.School, Result: res, Lang: i18n.En})
	if !bytes.Contains(page, []byte(">—</text>")) {
		t.Error("a class with a zero denominator should show — in the charts")
	}
	checkSVG(t, "zero denominator", page)
}

// chromium returns the path of a Chromium binary, or "".
func chromium() string {
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// TestHTMLInBrowser renders the demo page in headless Chromium and checks
// that the screenshot shows something: a page that fails to render (a
// template or CSS mistake that blanks it) comes out white. It needs
// Chromium (apt-get install chromium) and is skipped without it.
func TestHTMLInBrowser(t *testing.T) {
	bin := chromium()
	if bin == "" {
		t.Skip("chromium is not installed (apt-get install chromium): skipping the browser test")
	}
	if testing.Short() {
		t.Skip("-short: skipping the browser test")
	}
	dir := t.TempDir()
	htmlPath := filepath.Join(dir, "report.html")
	if err := os.WriteFile(htmlPath, renderHTML(t, demoReport(t, i18n.Zh)), 0o644); err != nil {
		t.Fatal(err)
	}
	shot := filepath.Join(dir, "report.png")
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "--headless", "--no-sandbox", "--disable-gpu",
		"--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
		"--user-data-dir="+filepath.Join(dir, "profile"), "--screenshot="+shot, "--window-size=1240,1754",
		"file://"+htmlPath)
	cmd.Env = append(os.Environ(), "HOME="+dir)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s: %v\n%s", bin, err, out)
	}
	f, err := os.Open(shot)
	if err != nil {
		t.Fatalf("no screenshot: %v\n%s", err, out)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("the screenshot is not a PNG: %v", err)
	}
	colours, dark, total := imageStats(img)
	if b := img.Bounds(); b.Dx() < 1000 || b.Dy() < 1000 {
		t.Errorf("screenshot is %dx%d, want 1240x1754", b.Dx(), b.Dy())
	}
	// Text, charts and borders give thousands of colours (anti-aliasing)
	// and a few percent of dark ink; a blank page has one or two colours
	// and no ink.
	if colours < 100 {
		t.Errorf("the screenshot has only %d distinct colours: is the page blank?", colours)
	}
	if frac := float64(dark) / float64(total); frac < 0.01 {
		t.Errorf("only %.2f%% of the screenshot is dark ink: is the page blank?", frac*100)
	}
}

// imageStats counts the distinct colours and the dark pixels (text, bars,
// rules: darker than mid-grey).
func imageStats(img image.Image) (colours, dark, total int) {
	seen := map[[3]uint32]bool{}
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			seen[[3]uint32{r >> 8, g >> 8, bl >> 8}] = true
			if (299*(r>>8)+587*(g>>8)+114*(bl>>8))/1000 < 128 {
				dark++
			}
			total++
		}
	}
	return len(seen), dark, total
}
