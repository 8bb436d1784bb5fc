// Package suggest finds the likely intended word for a typo, for the
// "did you mean" hints of samlab's error messages (claim rules, mapping
// expressions, configuration keys).
package suggest

import "strings"

// Closest returns the candidate closest to s by case-insensitive edit
// distance, or "" when none is close enough to be a plausible typo (more
// than a third of s, and at least 2, edits away). Ties go to the candidate
// that sorts first, so the hint is stable.
func Closest(s string, candidates []string) string {
	ls := strings.ToLower(s)
	best, bestD := "", 1<<30
	for _, c := range candidates {
		d := Distance(ls, strings.ToLower(c))
		if d < bestD || (d == bestD && c < best) {
			best, bestD = c, d
		}
	}
	if bestD > max(len(s)/3, 2) {
		return ""
	}
	return best
}

// Distance is the Levenshtein distance between a and b, counted in runes.
func Distance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}
