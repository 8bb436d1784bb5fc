package claims

import (
	"errors"
	"fmt"
)

// Sentinel errors. Errors returned by this package wrap one of these where a
// caller may want to tell the cases apart with [errors.Is].
var (
	// ErrInvalidValue marks a value (attribute, constant or claim output)
	// that signed XML cannot carry faithfully: CR, NUL and other characters
	// outside the XML Char production, or invalid UTF-8.
	ErrInvalidValue = errors.New("value cannot be carried in XML")
	// ErrRestrictedName marks a claim name Entra ID reserves for itself.
	ErrRestrictedName = errors.New("restricted claim name")
	// ErrUnknownAttribute marks a user.* source that is neither an Entra
	// attribute nor a declared extension.
	ErrUnknownAttribute = errors.New("unknown attribute")
	// ErrUnknownFunction marks a transformation function that does not exist.
	ErrUnknownFunction = errors.New("unknown function")
	// ErrDuplicateClaim marks two claims with the same emitted name.
	ErrDuplicateClaim = errors.New("duplicate claim name")
	// ErrUnsupportedNameIDFormat is returned by Evaluate when a service
	// provider requests a NameID format Entra ID does not issue.
	ErrUnsupportedNameIDFormat = errors.New("unsupported NameID format")
	// ErrUnknownUser is returned by Evaluate for a user the directory does
	// not hold.
	ErrUnknownUser = errors.New("unknown user")
	// ErrNoIDSource is returned by Evaluate when a transient NameID is
	// needed and EvalOptions.IDSource is nil.
	ErrNoIDSource = errors.New("transient NameID needs an ID source")
	// ErrRegex marks a regular expression that failed to compile, is too
	// long, timed out, or got an input over the length limit.
	ErrRegex = errors.New("regex")
	// ErrRegexTimeout marks a regex match that ran past its deadline
	// (CompileOptions.RegexTimeout). Evaluate errors wrapping it also wrap
	// ErrRegex; the claim is named by the enclosing RuleError.
	ErrRegexTimeout = errors.New("match timed out")
)

// RuleError is a problem with one rule of a policy (or, with Rule empty,
// with the policy as a whole). Rule is the claim's configured name (or
// "#n" for an unnamed rule, "nameid" for the NameID, "group_claim" for the
// groups claim); Field locates the problem inside the rule ("source",
// "condition 2: transformation 1").
type RuleError struct {
	Rule  string
	Field string
	Err   error
}

// Error renders `claims: rule "Rule": field: cause`.
func (e *RuleError) Error() string {
	s := "claims: "
	if e.Rule != "" {
		s += fmt.Sprintf("rule %q: ", e.Rule)
	}
	if e.Field != "" {
		s += e.Field + ": "
	}
	return s + e.Err.Error()
}

// Unwrap returns the cause.
func (e *RuleError) Unwrap() error { return e.Err }

// errorList gathers problems for errors.Join.
type errorList struct {
	rule string
	errs []error
}

func (l *errorList) add(field string, err error) {
	l.errs = append(l.errs, &RuleError{Rule: l.rule, Field: field, Err: err})
}

func (l *errorList) addf(field, format string, args ...any) {
	l.add(field, fmt.Errorf(format, args...))
}

func joinField(parts ...string) string {
	out := ""
	for _, p := range parts {
		if p == "" {
			continue
		}
		if out != "" {
			out += ": "
		}
		out += p
	}
	return out
}
