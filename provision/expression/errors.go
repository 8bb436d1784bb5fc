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
