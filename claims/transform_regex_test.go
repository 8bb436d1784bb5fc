package claims

import (
	"errors"
	"strings"
	"testing"
	"time"
)

// Patterns whose shape backtracks exponentially are refused at compile
// time; the others compile (issue 13 item 10).
func TestRegexCatastrophicShapes(t *testing.T) {
	tests := []struct {
		pattern string
		refused bool
	}{
		{`^(a+)+$`, true},
		{`(a*)*b`, true},
		{`^(\w+\s?)*$`, true},
		{`(x+x+)+y`, true},
		{`((ab)*)+c`, true},
		{`(?:[a-z]+){2,}`, true},
		{`(?<p>\d+)*`, true},
		{`^([a-z]+\.)+com$`, false}, // a mandatory "." separates the repetitions
		{`(ab)+`, false},
		{`a+b+`, false},
		{`(a+)?b`, false},
		{`(a+){2}`, false},
		{`[(a+)+]`, false}, // a character class, not a group
		{`\(a+\)+`, false}, // escaped parentheses
		{`^(?<user>[^@]+)@(?<domain>.+)$`, false},
	}
	for _, tt := range tests {
		_, err := compileRegexReplace(nil, tt.pattern, "x", nil, 0)
		if got := err != nil; got != tt.refused {
			t.Errorf("compile %q: err = %v, want refused = %v", tt.pattern, err, tt.refused)
			continue
		}
		if tt.refused && (!errors.Is(err, ErrRegex) || !strings.Contains(err.Error(), "backtrack")) {
			t.Errorf("compile %q: err = %v, want ErrRegex naming the backtracking", tt.pattern, err)
		}
	}
}

// A pattern the shape check cannot see still stops at the match deadline,
// with ErrRegexTimeout and without the (user-supplied) input in the error.
func TestRegexTimeoutError(t *testing.T) {
	rx, err := compileRegexReplace(nil, `^(a|aa)+$`, "x", nil, 20*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	in := strings.Repeat("a", 4000) + "!"
	_, _, err = rx.replace(&evalCtx{}, in)
	if !errors.Is(err, ErrRegexTimeout) || !errors.Is(err, ErrRegex) {
		t.Fatalf("replace = %v, want ErrRegexTimeout (and ErrRegex)", err)
	}
	if strings.Contains(err.Error(), "aaaa") {
		t.Errorf("the error carries the input: %.80s", err.Error())
	}
}

// The regex time of one evaluation is bounded as a whole, not only per
// match.
func TestRegexEvalBudget(t *testing.T) {
	rx, err := compileRegexReplace(nil, `a`, "b", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	c := &evalCtx{}
	if out, _, err := rx.replace(c, "a"); err != nil || out != "b" {
		t.Fatalf("replace = %q, %v", out, err)
	}
	c.regexSpent = RegexEvalBudget
	if _, _, err := rx.replace(c, "a"); !errors.Is(err, ErrRegexTimeout) {
		t.Fatalf("replace past the budget = %v, want ErrRegexTimeout", err)
	}
}
