package claims

// Trace explains how one claim (or the NameID) got its value: which rule,
// which condition rows matched or were skipped and why, and each
// transformation's input and output. The debug page, `samlab claims
// --explain` and library users all read the same trace.
type Trace struct {
	Rule  string // the rule's emitted name, or "nameid"
	Steps []Step
}

// Step is one line of a trace.
type Step struct {
	// Kind is "source", "condition", "transformation", "group" or "note".
	Kind string
	// Row is the 1-based condition row, 0 for the claim's base source.
	Row     int
	Matched bool
	// Function is the transformation, for Kind "transformation".
	Function string
	Input    []string
	Output   []string
	// Note says in words what happened ("skipped: value empty").
	Note string
}
