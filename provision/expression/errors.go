package expression

import (
	"fmt"
	"strings"
)

// SyntaxError is what Parse returns for an expression Entra would refuse to
// save: it says where (byte Offset, 1-based Line and Col in characters) and
// what to change. Function names the function concerned, if any; Suggestion
// holds a close function name for a misspelt one.
type SyntaxError struct {
	Offset, Line, Col int
	Msg               string
	Function          string
	Suggestion        string
}

func (e *SyntaxError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "expression: line %d col %d: %s", e.Line, e.Col, e.Msg)
	if e.Suggestion != "" {
		fmt.Fprintf(&b, " (did you mean %q?)", e.Suggestion)
	}
	return b.String()
}

// EvalError is what Eval returns when an expression cannot produce a value
// for one object, as Entra's provisioning service fails that object's
// attribute flow. Function is the function that failed; Err, when set, is the
// underlying cause (a regex timeout, a non-unique candidate check, …).
type EvalError struct {
	Function string
	Msg      string
	Err      error
}

func (e *EvalError) Error() string {
	var b strings.Builder
	b.WriteString("expression: ")
	if e.Function != "" {
		b.WriteString(e.Function)
		b.WriteString(": ")
	}
	b.WriteString(e.Msg)
	if e.Err != nil {
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

func (e *EvalError) Unwrap() error { return e.Err }

// suggest returns the known name closest to s (case-insensitive edit
// distance), or "" when none is a plausible typo. Entra's function names are
// case-sensitive, so "join" suggests "Join".
func suggest(s string, candidates []string) string {
	ls := strings.ToLower(s)
	best, bestD := "", 1<<30
	for _, c := range candidates {
		d := editDistance(ls, strings.ToLower(c))
		if d < bestD || (d == bestD && c < best) {
			best, bestD = c, d
		}
	}
	limit := len(s) / 3
	if limit < 2 {
		limit = 2
	}
	if bestD > limit {
		return ""
	}
	return best
}

func editDistance(a, b string) int {
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
