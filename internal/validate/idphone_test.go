package validate

import (
	"testing"

	"github.com/care-tool/care/internal/record"
)

func TestIDNumber(t *testing.T) {
	tests := []struct {
		id     string
		birth  string
		gender string
		want   IDProblem
	}{
		{"429004201605120017", "2016-05-12", "male", IDOK},
		{"429004201605120025", "2016-05-12", "female", IDOK},
		{"11010519491231002X", "1949-12-31", "female", IDOK}, // the standard's own example
		{"11010519491231002x", "1949-12-31", "female", IDLowerX},
		{"110105194912310021", "1949-12-31", "female", IDCheck},
		{"429004201605120018", "2016-05-12", "male", IDCheck},
		{"429004201605120017", "2016-05-13", "male", IDDateMismatch},
		{"429004201605120017", "2016-05-12", "female", IDGenderMismatch},
		{"42900420160512001", "", "", IDLength},
		{"4290042016051200171", "", "", IDLength},
		{"42900420160512A017", "", "", IDChars},
		{"429004201602300012", "", "", IDBadDate},
		{"429004201605120017", "", "", IDOK},
	}
	for _, tt := range tests {
		var b record.Date
		if tt.birth != "" {
			b = record.MustDate(tt.birth)
		}
		// the generator of valid examples must agree with the checker
		if tt.want == IDOK {
			c, _ := IDCheckChar(tt.id[:17])
			if c != tt.id[17] {
				t.Errorf("IDCheckChar(%s) = %c", tt.id[:17], c)
			}
		}
		if got, _ := IDNumberProblem(tt.id, b, tt.gender); got != tt.want {
			t.Errorf("IDNumberProblem(%s, %s, %s) = %v, want %v", tt.id, tt.birth, tt.gender, got, tt.want)
		}
	}
}

func TestValidPhone(t *testing.T) {
	good := []string{"13800138000", "19912345678", "0728-1234567", "07281234567", "010-12345678", "02012345678", "0728-12345678"}
	bad := []string{"1380013800", "138001380001", "12800138000", "23800138000", "+8613800138000", "138 0013 8000", "0728-123456", "728-1234567", "0728-0234567", "", "phone"}
	for _, p := range good {
		if !ValidPhone(p) {
			t.Errorf("ValidPhone(%q) = false", p)
		}
	}
	for _, p := range bad {
		if ValidPhone(p) {
			t.Errorf("ValidPhone(%q) = true", p)
		}
	}
}

func TestPhoneHints(t *testing.T) {
	for in, want := range map[string]string{
		"+8613800138000": "country code",
		"138 0013 8000":  "remove the spaces",
		"1380013800":     "this has 10",
		"0728":           "area code",
	} {
		_, en := phoneHint(in)
		if !contains([]string{en}, en) || !containsStr(en, want) {
			t.Errorf("phoneHint(%q) = %q, want it to mention %q", in, en, want)
		}
	}
}

func containsStr(s, sub string) bool {
	return len(sub) == 0 || len(s) >= len(sub) && (s == sub || indexOf(s, sub) >= 0)
}

func indexOf(s, sub string) int {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return i
		}
	}
	return -1
}

func TestNearest(t *testing.T) {
	if got := nearest("gaurdian", []string{"guardian", "gender", "id"}); got != "guardian" {
		t.Errorf("nearest = %q", got)
	}
	if got := nearest("zzz", []string{"guardian", "id"}); got != "" {
		t.Errorf("nearest = %q", got)
	}
}
