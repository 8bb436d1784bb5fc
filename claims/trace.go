package claims

// Trace explains how one claim (or the NameID) got its value: which rule,
// which condition rows matched or were skipped and why, and each
// transformation's input and output. The debug page, `samlab claims
// --explain` and library users all read the same trace.
//
// Traces marshal to JSON with lower-case keys; `samlab claims --format json
// --explain` prints them so.
type Trace struct {
	Rule  string `json:"rule"` // the rule's emitted name, or "nameid"
	Steps []Step `json:"steps"`
}

// Step is one line of a trace.
type Step struct {
	// Kind is "source", "condition", "transformation", "group" or "note".
	Kind string `json:"kind"`
	// Row is the 1-based condition row, 0 for the claim's base source.
	Row     int  `json:"row"`
	Matched bool `json:"matched"`
	// Function is the transformation, for Kind "transformation".
	Function string   `json:"function,omitempty"`
	Input    []string `json:"input,omitempty"`
	Output   []string `json:"output,omitempty"`
	// Note says in words what happened ("skipped: value empty").
	Note string `json:"note,omitempty"`
}
