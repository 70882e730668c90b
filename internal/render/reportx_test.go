package render

import (
	"math/big"
	"strings"
	"testing"

	"github.com/care-tool/care/internal/indicator"
)

// The CSV rate is computed on the integers: the float 0.29 × 10000 is
// 2899.9999999999995, which cut to 0.2899 a rate of exactly 29%.
func TestCSVRate(t *testing.T) {
	for _, c := range []struct {
		num, den int
		met      bool
		want     string
	}{
		{29, 100, false, "0.2900"},
		{57, 100, false, "0.5700"},
		{41, 44, false, "0.9318"},
		{43, 44, false, "0.9772"}, // unmet: cut, not rounded up
		{299, 300, false, "0.9966"},
		{19999, 20000, false, "0.9999"},
		{19999, 20000, true, "0.9999"}, // met with a lower target: still not 1.0000
		{2, 3, true, "0.6667"},
		{0, 9, false, "0.0000"},
		{9, 9, true, "1.0000"},
	} {
		if got := csvRate(c.num, c.den, c.met); got != c.want {
			t.Errorf("csvRate(%d, %d, %v) = %s, want %s", c.num, c.den, c.met, got, c.want)
		}
	}
	// never at or above an unmet target
	for _, ts := range []string{"1", "0.95", "0.9", "0.333", "0.29"} {
		tr, _ := new(big.Rat).SetString(ts)
		for den := 1; den <= 400; den++ {
			for num := 0; num <= den; num++ {
				met := indicator.Met(num, den, tr)
				v, _ := new(big.Rat).SetString(csvRate(num, den, met))
				if !met && v.Cmp(tr) >= 0 {
					t.Fatalf("target %s: %d/%d shows %s", ts, num, den, csvRate(num, den, met))
				}
				if num < den && v.Cmp(big.NewRat(1, 1)) >= 0 {
					t.Fatalf("%d/%d shows %s", num, den, csvRate(num, den, met))
				}
			}
		}
	}
}

func TestCleanText(t *testing.T) {
	for in, want := range map[string]string{
		"李小明":               "李小明",
		"a\nb":              "a b",
		"a\r\nb":            "a b",
		"a\rb":              "a b",
		"a\tb":              "a b",
		"\x1b[2Jx":          "\ufffd[2Jx",
		"a\u202eb":          "a\ufffdb",
		"a\x00b\x7f\u0085c": "a\ufffdb\ufffd c",
		"a\u2028b":          "a b",
	} {
		if got := cleanText(in); got != want {
			t.Errorf("cleanText(%q) = %q, want %q", in, got, want)
		}
	}
	for in, want := range map[string]string{"=1+1": "'=1+1", "+1": "'+1", "-1": "'-1", "@x": "'@x", "李=": "李=", "a\nb": "a b"} {
		if got := csvText(in); got != want {
			t.Errorf("csvText(%q) = %q, want %q", in, got, want)
		}
	}
	var b strings.Builder
	mdTable(&b, []string{"h"}, [][]string{{"a\\|b\x1b"}})
	if got := b.String(); !strings.Contains(got, "| a\\\\\\|b\ufffd |") {
		t.Errorf("mdTable: %q", got)
	}
}
