package validate

import (
	"strings"
	"testing"

	"github.com/care-tool/care/internal/diag"
	"github.com/care-tool/care/internal/record"
)

// Cases found by trying to break care validate: wrong or misleading
// messages, and values that were judged wrongly.

const childHead = "id: \"2024031\"\nname: 李小明\ngender: male\nbirth_date: 2016-05-12\nleft_behind:\n  since: 2022-03-01\nenrolment: []\n"

func checkChild(t *testing.T, src string) []diag.Diagnostic {
	t.Helper()
	f, ds := record.Parse("children/3-2/2024031.yaml", record.KindChild, []byte(src))
	if f.Doc == nil {
		t.Fatalf("not parsed: %+v", ds)
	}
	return append(ds, CheckFile(f, Options{Today: record.MustDate("2026-11-28")})...)
}

func oneDiag(t *testing.T, src, check string, line, col int) diag.Diagnostic {
	t.Helper()
	ds := checkChild(t, src)
	if len(ds) != 1 || ds[0].Check != check || ds[0].Line != line || ds[0].Column != col {
		t.Fatalf("%q: got %+v, want one %s diagnostic at %d:%d", src, ds, check, line, col)
	}
	return ds[0]
}

func TestHostileIDNumbers(t *testing.T) {
	// full-width digits: 18 characters, but not 18 digits
	d := oneDiag(t, childHead+"id_number: \"4290042016051200１7\"\n", CheckIDNumber, 8, 12)
	if strings.Contains(d.Message.En, "does not have 18 characters") {
		t.Errorf("full-width digit: %s", d.Message.En)
	}
	if !strings.Contains(d.Hint.En, "half-width") {
		t.Errorf("full-width digit hint: %s", d.Hint.En)
	}
	// spaces inside: the digits are all there
	d = oneDiag(t, childHead+"id_number: \"429004 20160512 0017\"\n", CheckIDNumber, 8, 12)
	if !strings.Contains(d.Hint.En, "spaces") {
		t.Errorf("spaces: %s / %s", d.Message.En, d.Hint.En)
	}
	// neither message nor hint shows the number
	for _, s := range []string{d.Message.En, d.Message.Zh, d.Hint.En, d.Hint.Zh} {
		if strings.Contains(s, "20160512") {
			t.Errorf("id number shown: %s", s)
		}
	}
}

func TestHostilePhones(t *testing.T) {
	for _, tt := range []struct{ phone, hint string }{
		{"138-0013-8000", "remove the spaces"},
		{"138 0013 8000", "remove the spaces"},
		{"12800138000", "13–19"},
		{"０７２８-1234567", "half-width"},
		{"(0728)1234567", "remove the spaces"},
	} {
		d := oneDiag(t, childHead+"guardian:\n  phone: \""+tt.phone+"\"\n", CheckPhone, 9, 10)
		if !strings.Contains(d.Hint.En, tt.hint) {
			t.Errorf("%s: hint %q does not contain %q", tt.phone, d.Hint.En, tt.hint)
		}
		if strings.Contains(d.Hint.En, "(this has 11)") {
			t.Errorf("%s: hint %q", tt.phone, d.Hint.En)
		}
	}
	// spaces around a number (pasted from a spreadsheet) are not a mistake
	if ds := checkChild(t, childHead+"guardian:\n  phone: \" 13800138000 \"\nparents:\n  - phone: \"0728-1234567 \"\n"); len(ds) != 0 {
		t.Errorf("padded phones: %+v", ds)
	}
}

func TestHostileSchemaMessages(t *testing.T) {
	// a numeric key is a field name, not a list index
	d := oneDiag(t, childHead+"1: x\n", CheckUnknownField, 8, 1)
	if d.Message.En != "unknown field 1" {
		t.Errorf("numeric key: %s", d.Message.En)
	}
	d = oneDiag(t, childHead+"guardian:\n  2: x\n", CheckUnknownField, 9, 3)
	if d.Message.En != "unknown field guardian.2" {
		t.Errorf("numeric key: %s", d.Message.En)
	}
	// a number in a list of text: the hint quotes the value itself
	d = oneDiag(t, childHead+"support:\n  aid: [两免一补, 500]\n", CheckSchema, 9, 15)
	if strings.Contains(d.Hint.En, "0:") || strings.Contains(d.Hint.En, "2024031") || !strings.Contains(d.Hint.En, `"500"`) {
		t.Errorf("aid hint: %s", d.Hint.En)
	}
	// a required id left empty: not "write a number"
	f, _ := record.Parse("pairings/x.yaml", record.KindPairing, []byte("child:\nrole: teacher\nmentor: true\nstart: 2026-09-05\n"))
	for _, d := range CheckFile(f, Options{}) {
		if strings.Contains(d.Hint.En, "number") || strings.Contains(d.Message.En, "number") {
			t.Errorf("%s: %s / %s", d.Path, d.Message.En, d.Hint.En)
		}
	}
	// enrolment left empty: say how to write an empty list
	d = oneDiag(t, strings.Replace(childHead, "enrolment: []", "enrolment:", 1), CheckSchema, 7, 11)
	if !strings.Contains(d.Hint.En, "enrolment: []") {
		t.Errorf("enrolment hint: %s", d.Hint.En)
	}
	ds := checkChild(t, strings.Replace(childHead, "enrolment: []\n", "", 1))
	if len(ds) != 1 || !strings.Contains(ds[0].Hint.En, "enrolment: []") {
		t.Errorf("missing enrolment: %+v", ds)
	}
}

func TestHostileDates(t *testing.T) {
	d := oneDiag(t, strings.Replace(childHead, "birth_date: 2016-05-12", "birth_date: 2016-05-12T10:00:00", 1), CheckDate, 4, 13)
	if !strings.Contains(d.Hint.En, "without the time") {
		t.Errorf("time hint: %s", d.Hint.En)
	}
	d = oneDiag(t, strings.Replace(childHead, "birth_date: 2016-05-12", "birth_date: 2016-13-01", 1), CheckDate, 4, 13)
	if strings.Contains(d.Hint.En, "February") {
		t.Errorf("month 13 hint: %s", d.Hint.En)
	}
}

// A key that is a list or a mapping is not a field name.
func TestComplexKey(t *testing.T) {
	ds := checkChild(t, childHead+"? [a, b]\n: 1\n")
	if len(ds) == 0 || ds[0].Line != 8 || ds[0].Column != 3 || strings.Contains(ds[0].Message.En, "(top level)") {
		t.Fatalf("got %+v", ds)
	}
}

// A line indented with a full-width space (U+3000) or a no-break space is
// read as a key that starts with it: say so.
func TestFullWidthIndent(t *testing.T) {
	for _, sp := range []string{"\u3000", "\u00a0 "} {
		ds := checkChild(t, strings.Replace(childHead, "  since:", sp+"since:", 1))
		found := false
		for _, d := range ds {
			if d.Check == CheckUnknownField && d.Line == 6 && strings.Contains(d.Hint.En, "full-width or no-break space") {
				found = true
			}
		}
		if !found {
			t.Errorf("%q: %+v", sp, ds)
		}
	}
}

// A required choice left blank says so, with the values to choose from.
func TestBlankEnum(t *testing.T) {
	d := oneDiag(t, strings.Replace(childHead, "gender: male", "gender: \"\"", 1), CheckSchema, 3, 9)
	if d.Message.En != "gender must not be blank" || !strings.Contains(d.Hint.En, "male, female") {
		t.Errorf("got %s / %s", d.Message.En, d.Hint.En)
	}
}
