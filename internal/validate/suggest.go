package validate

import (
	"sort"
	"strings"
)

// Near returns the candidates that look like a typo of s (the same
// edit-distance limit as the "did you mean" hints of validation), nearest
// first and at most max of them. Commands use it to name near matches when
// they refuse an unknown id.
func Near(s string, candidates []string, max int) []string {
	type cand struct {
		s string
		d int
	}
	limit := 2
	if len([]rune(s)) > 8 {
		limit = 3
	}
	var cs []cand
	seen := map[string]bool{}
	for _, c := range candidates {
		if seen[c] {
			continue
		}
		seen[c] = true
		d := editDistance(strings.ToLower(s), strings.ToLower(c))
		if d <= limit && d < len([]rune(s)) {
			cs = append(cs, cand{c, d})
		}
	}
	sort.SliceStable(cs, func(i, j int) bool {
		if cs[i].d != cs[j].d {
			return cs[i].d < cs[j].d
		}
		return cs[i].s < cs[j].s
	})
	out := make([]string, 0, len(cs))
	for i := 0; i < len(cs) && (max <= 0 || i < max); i++ {
		out = append(out, cs[i].s)
	}
	return out
}
