package suggest

import "testing"

func TestClosest(t *testing.T) {
	names := []string{"Join", "Left", "Mid", "RegexReplace", "Trim"}
	for _, tc := range []struct{ in, want string }{
		{"Joinn", "Join"},
		{"join", "Join"},  // case-insensitive
		{"Trimm", "Trim"}, // one edit
		{"RegexReplce", "RegexReplace"},
		{"Xyzzy", ""}, // nothing plausible
		{"Lef", "Left"},
		{"", ""}, // an empty word: 3+ edits from every name
	} {
		if got := Closest(tc.in, names); got != tc.want {
			t.Errorf("Closest(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	// Ties go to the candidate that sorts first.
	if got := Closest("ab", []string{"ac", "aa"}); got != "aa" {
		t.Errorf("tie: %q, want aa", got)
	}
}

func TestDistance(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want int
	}{{"", "", 0}, {"kitten", "sitting", 3}, {"é", "e", 1}, {"abc", "", 3}} {
		if got := Distance(tc.a, tc.b); got != tc.want {
			t.Errorf("Distance(%q, %q) = %d, want %d", tc.a, tc.b, got, tc.want)
		}
	}
}
