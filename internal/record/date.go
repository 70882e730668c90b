package record

import (
	"fmt"
	"strconv"
	"time"
)

// Date is a calendar date stored as the number yyyymmdd, so that dates
// compare with < and ==. The zero Date means "no date".
type Date int32

// ParseDate parses a date written YYYY-MM-DD and checks that it is a real
// calendar date (no 2026-02-30).
func ParseDate(s string) (Date, error) {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return 0, fmt.Errorf("%q is not a date written YYYY-MM-DD", s)
	}
	y, err1 := strconv.Atoi(s[0:4])
	m, err2 := strconv.Atoi(s[5:7])
	d, err3 := strconv.Atoi(s[8:10])
	if err1 != nil || err2 != nil || err3 != nil || s[5] == '+' || s[8] == '+' || s[5] == '-' || s[8] == '-' {
		return 0, fmt.Errorf("%q is not a date written YYYY-MM-DD", s)
	}
	if y < 1 || m < 1 || m > 12 || d < 1 || d > DaysIn(y, time.Month(m)) {
		return 0, fmt.Errorf("%q is not a real calendar date", s)
	}
	return NewDate(y, time.Month(m), d), nil
}

// MustDate parses s and panics if it is not a date; for tests and constants.
func MustDate(s string) Date {
	d, err := ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

// NewDate returns the date y-m-d. It does not normalise out-of-range values.
func NewDate(y int, m time.Month, d int) Date {
	return Date(y*10000 + int(m)*100 + d)
}

// FromTime returns the calendar date of t in t's location.
func FromTime(t time.Time) Date {
	return NewDate(t.Year(), t.Month(), t.Day())
}

// DaysIn returns the number of days in month m of year y.
func DaysIn(y int, m time.Month) int {
	return time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// Year returns the year of d.
func (d Date) Year() int { return int(d) / 10000 }

// Month returns the month of d.
func (d Date) Month() time.Month { return time.Month(int(d) / 100 % 100) }

// Day returns the day of the month of d.
func (d Date) Day() int { return int(d) % 100 }

// IsZero reports whether d is unset.
func (d Date) IsZero() bool { return d == 0 }

// Time returns d at midnight UTC.
func (d Date) Time() time.Time {
	return time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, time.UTC)
}

// AddDays returns d moved by n days.
func (d Date) AddDays(n int) Date { return FromTime(d.Time().AddDate(0, 0, n)) }

// String returns d as YYYY-MM-DD, or "" for the zero Date.
func (d Date) String() string {
	if d == 0 {
		return ""
	}
	return fmt.Sprintf("%04d-%02d-%02d", d.Year(), int(d.Month()), d.Day())
}

// MarshalText writes d as YYYY-MM-DD.
func (d Date) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// Month is a calendar month stored as yyyymm.
type Month int32

// MonthOf returns the month that d falls in.
func MonthOf(d Date) Month { return Month(int(d) / 100) }

// ParseMonth parses YYYY-MM.
func ParseMonth(s string) (Month, error) {
	if len(s) != 7 || s[4] != '-' {
		return 0, fmt.Errorf("%q is not a month written YYYY-MM", s)
	}
	y, err1 := strconv.Atoi(s[0:4])
	m, err2 := strconv.Atoi(s[5:7])
	if err1 != nil || err2 != nil || y < 1 || m < 1 || m > 12 || s[5] == '+' || s[5] == '-' {
		return 0, fmt.Errorf("%q is not a month written YYYY-MM", s)
	}
	return Month(y*100 + m), nil
}

// Year returns the year of m.
func (m Month) Year() int { return int(m) / 100 }

// Month returns the month of the year of m.
func (m Month) Month() time.Month { return time.Month(int(m) % 100) }

// First returns the first day of m.
func (m Month) First() Date { return NewDate(m.Year(), m.Month(), 1) }

// Last returns the last day of m.
func (m Month) Last() Date { return NewDate(m.Year(), m.Month(), DaysIn(m.Year(), m.Month())) }

// Next returns the month after m.
func (m Month) Next() Month {
	if m.Month() == 12 {
		return Month((m.Year()+1)*100 + 1)
	}
	return m + 1
}

// Prev returns the month before m.
func (m Month) Prev() Month {
	if m.Month() == 1 {
		return Month((m.Year()-1)*100 + 12)
	}
	return m - 1
}

// String returns m as YYYY-MM.
func (m Month) String() string {
	if m == 0 {
		return ""
	}
	return fmt.Sprintf("%04d-%02d", m.Year(), int(m.Month()))
}
