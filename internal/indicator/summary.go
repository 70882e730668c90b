package indicator

import (
	"sort"
	"strconv"

	"github.com/care-tool/care/internal/record"
)

// Count is the number of children with one value of a field.
type Count struct {
	Key   string
	Count int
}

// Summary is the roster of the children in R(END). Each list holds only keys
// with a count above zero, known values first in a fixed order, then any
// other values in alphabetical order, then "" (unknown) last.
type Summary struct {
	Total            int
	ByGrade          []Count // grade of the child's class ("3"), ascending; "" when the class is unknown
	ByClass          []Count // class id in care.yaml order; "" for no or an unknown class
	Boarding         []Count // "yes", "no", "unknown"
	LeftBehindType   []Count // both_parents, one_parent; "" when blank
	GuardianRelation []Count // grandfather, grandmother, father, mother, relative, other; "" when blank or no guardian
	Status           []Count // enrolment status on END: enrolled, suspended, dropped_out; "" = not enrolled yet
}

// tally counts keys and orders them: the keys of order first (in that
// order), then the others alphabetically, then "".
type tally map[string]int

func (t tally) list(order []string) []Count {
	var out []Count
	done := map[string]bool{}
	for _, k := range order {
		if n := t[k]; n > 0 && !done[k] && k != "" {
			out = append(out, Count{k, n})
		}
		done[k] = true
	}
	var rest []string
	for k := range t {
		if !done[k] && k != "" && t[k] > 0 {
			rest = append(rest, k)
		}
	}
	sort.Strings(rest)
	for _, k := range rest {
		out = append(out, Count{k, t[k]})
	}
	if n := t[""]; n > 0 {
		out = append(out, Count{"", n})
	}
	return out
}

func (x *computer) summary(children []*record.Child) Summary {
	var s Summary
	grade, class, board, lbt, rel, status := tally{}, tally{}, tally{}, tally{}, tally{}, tally{}
	for _, c := range children {
		if !Responsible(c, x.end) {
			continue
		}
		s.Total++
		if cl, ok := x.class(c.Class); ok && c.Class != "" {
			class[c.Class]++
			g := ""
			if cl.Grade > 0 {
				g = strconv.Itoa(cl.Grade)
			}
			grade[g]++
		} else {
			class[""]++
			grade[""]++
		}
		switch {
		case c.Boarding == nil:
			board["unknown"]++
		case *c.Boarding:
			board["yes"]++
		default:
			board["no"]++
		}
		lbt[c.LeftBehind.Type]++
		if c.Guardian == nil || blank(c.Guardian.Relation) {
			rel[""]++
		} else {
			rel[c.Guardian.Relation]++
		}
		status[c.StatusOn(x.end)]++
	}
	var classOrder []string
	for _, cl := range x.cfg.Classes {
		classOrder = append(classOrder, cl.ID)
	}
	var grades []int
	for k := range grade {
		if n, err := strconv.Atoi(k); err == nil {
			grades = append(grades, n)
		}
	}
	sort.Ints(grades)
	var gradeOrder []string
	for _, g := range grades {
		gradeOrder = append(gradeOrder, strconv.Itoa(g))
	}
	s.ByGrade = grade.list(gradeOrder)
	s.ByClass = class.list(classOrder)
	s.Boarding = board.list([]string{"yes", "no", "unknown"})
	s.LeftBehindType = lbt.list([]string{"both_parents", "one_parent"})
	s.GuardianRelation = rel.list([]string{"grandfather", "grandmother", "father", "mother", "relative", "other"})
	s.Status = status.list([]string{record.Enrolled, record.Suspended, record.DroppedOut,
		record.TransferredOut, record.Graduated, record.Deceased})
	return s
}
