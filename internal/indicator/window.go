package indicator

import (
	"time"

	"github.com/care-tool/care/internal/record"
)

// DefaultTerm returns the term a report covers by default on day today: the
// term containing today; otherwise (in the holidays) the latest term that has
// already started (start <= today). It reports false when no term has started.
func DefaultTerm(cfg *record.Config, today record.Date) (record.Term, bool) {
	if cfg == nil {
		return record.Term{}, false
	}
	var best record.Term
	found, inside := false, false
	for _, t := range cfg.Terms {
		if t.Start == 0 || t.Start > today {
			continue
		}
		in := t.End != 0 && today <= t.End
		switch {
		case !found,
			in && !inside,
			in == inside && t.Start > best.Start:
			best, found, inside = t, true, in
		}
	}
	return best, found
}

// RefDay returns the day on which ages are counted for a term starting on
// start: the latest school_age cutoff (MM-DD) on or before start. A cutoff of
// 02-29 falls on 02-28 in a year that is not a leap year. A missing cutoff
// means 08-31.
func RefDay(sa record.SchoolAge, start record.Date) record.Date {
	m, d := sa.CutoffMonth, sa.CutoffDay
	if m < 1 || m > 12 || d < 1 {
		m, d = 8, 31
	}
	at := func(y int) record.Date {
		dd := d
		if n := record.DaysIn(y, time.Month(m)); dd > n {
			dd = n
		}
		return record.NewDate(y, time.Month(m), dd)
	}
	if r := at(start.Year()); r <= start {
		return r
	}
	return at(start.Year() - 1)
}

// AgeOn returns the age in full years on day on of someone born on birth: a
// birthday falling on on counts as a completed year, the day before does not.
// Someone born on 02-29 completes a year on 03-01 in years that are not leap
// years. It returns -1 when birth is unset or after on.
func AgeOn(birth, on record.Date) int {
	if birth == 0 || birth > on {
		return -1
	}
	age := on.Year() - birth.Year()
	if on.Month() < birth.Month() || on.Month() == birth.Month() && on.Day() < birth.Day() {
		age--
	}
	return age
}

// SchoolAged reports whether c is of compulsory-education age for a term
// starting on start: min <= age on RefDay <= max. A child without a birth
// date is not school-aged.
func SchoolAged(c *record.Child, sa record.SchoolAge, start record.Date) bool {
	age := AgeOn(c.BirthDate, RefDay(sa, start))
	return age >= 0 && sa.Min <= age && age <= sa.Max
}

// TermMonth is one calendar month overlapping a term.
type TermMonth struct {
	Month record.Month
	Ref   record.Date // min(last day of the month, term end)
	First record.Date // max(first day of the month, term start)
}

// CountedMonths returns the months of term t that count as of day asOf: every
// calendar month overlapping [start, end] whose ref(M) = min(last day of M,
// end) is on or before asOf, in calendar order.
func CountedMonths(t record.Term, asOf record.Date) []TermMonth {
	var out []TermMonth
	if t.Start == 0 || t.End == 0 || t.End < t.Start {
		return nil
	}
	for m := record.MonthOf(t.Start); m <= record.MonthOf(t.End); m = m.Next() {
		tm := TermMonth{Month: m, Ref: min(m.Last(), t.End), First: max(m.First(), t.Start)}
		if tm.Ref > asOf {
			break
		}
		out = append(out, tm)
	}
	return out
}

// daysBetween returns the number of days from a to b (negative if b < a).
func daysBetween(a, b record.Date) int {
	return int(b.Time().Sub(a.Time()).Hours() / 24)
}
