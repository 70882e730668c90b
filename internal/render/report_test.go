package render

import (
	"bytes"
	"encoding/json"
	"math/big"
	"strings"
	"testing"

	"github.com/care-tool/care/internal/i18n"
	"github.com/care-tool/care/internal/indicator"
	"github.com/care-tool/care/internal/record"
	"github.com/care-tool/care/internal/store"
)

func demoReport(t *testing.T, lang i18n.Lang) *Report {
	t.Helper()
	l, err := store.LoadDir("../../examples/demo-school")
	if err != nil {
		t.Fatal(err)
	}
	cfg := l.Dataset.Config
	term, _ := cfg.Term("2026-autumn")
	res, err := indicator.Compute(l.Dataset, indicator.Options{Term: term, AsOf: record.MustDate("2026-11-28")})
	if err != nil {
		t.Fatal(err)
	}
	return &Report{School: cfg.School, Revision: "0123456789abcdef0123456789abcdef01234567", Result: res, Lang: lang}
}

func TestReportGolden(t *testing.T) {
	for _, lang := range []i18n.Lang{i18n.Zh, i18n.En} {
		r := demoReport(t, lang)
		for _, f := range []struct {
			ext   string
			write func(*bytes.Buffer) error
		}{
			{"txt", func(b *bytes.Buffer) error { return r.Table(b) }},
			{"md", func(b *bytes.Buffer) error { return r.Markdown(b) }},
			{"csv", func(b *bytes.Buffer) error { return r.CSV(b) }},
			{"json", func(b *bytes.Buffer) error { return r.JSON(b) }},
		} {
			var b bytes.Buffer
			if err := f.write(&b); err != nil {
				t.Fatal(err)
			}
			golden(t, "report-"+string(lang)+"."+f.ext, b.Bytes())
		}
	}
}

func TestReportJSONContract(t *testing.T) {
	var b bytes.Buffer
	if err := demoReport(t, i18n.Zh).JSON(&b); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		School     map[string]string `json:"school"`
		Term       map[string]string `json:"term"`
		AsOf       string            `json:"as_of"`
		Revision   *string           `json:"revision"`
		Dirty      *bool             `json:"dirty"`
		Indicators []struct {
			ID          string   `json:"id"`
			Name        string   `json:"name"`
			Numerator   int      `json:"numerator"`
			Denominator int      `json:"denominator"`
			Rate        *float64 `json:"rate"`
			Target      float64  `json:"target"`
			Met         bool     `json:"met"`
			Shortfall   []map[string]string
		} `json:"indicators"`
	}
	if err := json.Unmarshal(b.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.AsOf != "2026-11-28" || doc.Term["id"] != "2026-autumn" || doc.Term["start"] != "2026-09-01" || doc.Revision == nil || doc.Dirty == nil {
		t.Fatalf("header: %+v", doc)
	}
	var ids []string
	for _, in := range doc.Indicators {
		ids = append(ids, in.ID)
		if in.Met || len(in.Shortfall) == 0 {
			t.Errorf("%s: the demo's gaps should leave it unmet with a shortfall", in.ID)
		}
		for _, s := range in.Shortfall {
			if s["child"] == "" || s["reason"] == "" {
				t.Errorf("%s: shortfall %v lacks child or reason", in.ID, s)
			}
			if (in.ID == "talks" || in.ID == "parent_contact") != (s["month"] != "") {
				t.Errorf("%s: month %q", in.ID, s["month"])
			}
		}
	}
	if strings.Join(ids, ",") != "filing,enrolment,retention,talks,parent_contact,mentoring,peer_help" {
		t.Errorf("ids %v", ids)
	}
}

func TestFormatRateNeverRoundsUpToMet(t *testing.T) {
	one := big.NewRat(1, 1)
	tests := []struct {
		num, den int
		target   *big.Rat
		met      bool
		want     string
	}{
		{299, 300, one, false, "99.7%"},
		{2999, 3000, one, false, "99.9%"},
		{300, 300, one, true, "100.0%"},
		{1, 3, one, false, "33.3%"},
		{2, 3, one, false, "66.7%"},
		{0, 0, one, true, "—"},
		{1899, 2000, big.NewRat(95, 100), false, "94.9%"}, // 94.95% must not show as 95.0%
		{285, 300, big.NewRat(95, 100), true, "95.0%"},
	}
	for _, tt := range tests {
		if got := FormatRate(tt.num, tt.den, tt.target, tt.met); got != tt.want {
			t.Errorf("FormatRate(%d, %d) = %s, want %s", tt.num, tt.den, got, tt.want)
		}
	}
}
