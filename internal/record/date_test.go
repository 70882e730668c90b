package record

import "testing"

func TestParseDate(t *testing.T) {
	good := map[string]string{"2026-02-28": "2026-02-28", "2024-02-29": "2024-02-29", "2026-12-31": "2026-12-31"}
	for in, want := range good {
		d, err := ParseDate(in)
		if err != nil || d.String() != want {
			t.Errorf("ParseDate(%q) = %v, %v", in, d, err)
		}
	}
	for _, in := range []string{"2026-02-29", "2026-02-30", "2026-13-01", "2026-00-10", "2026-1-1", "20260101", "", "2026-+1-01", "2026-04-31"} {
		if _, err := ParseDate(in); err == nil {
			t.Errorf("ParseDate(%q) accepted", in)
		}
	}
}

func TestMonths(t *testing.T) {
	m, _ := ParseMonth("2026-12")
	if m.Next().String() != "2027-01" || m.Prev().String() != "2026-11" || m.Last().String() != "2026-12-31" {
		t.Fatal(m.Next(), m.Prev(), m.Last())
	}
	if MustDate("2024-02-01").AddDays(28).String() != "2024-02-29" {
		t.Fatal("AddDays")
	}
	if MonthOf(MustDate("2026-02-28")).Last() != MustDate("2026-02-28") {
		t.Fatal("Last of Feb")
	}
}
