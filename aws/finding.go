package aws

import (
	"fmt"
	"slices"
	"strings"
)

// Severity says how sure a finding is that AWS will refuse the message.
type Severity int

// Severities, most serious first.
const (
	// Error: AWS rejects the response (or the sign-in fails).
	Error Severity = iota
	// Warning: risky; it works in some setups and fails in others.
	Warning
	// Info: worth knowing; nothing needs to change.
	Info
)

// String returns "error", "warning" or "info".
func (s Severity) String() string {
	switch s {
	case Error:
		return "error"
	case Warning:
		return "warning"
	case Info:
		return "info"
	}
	return fmt.Sprintf("severity(%d)", int(s))
}

// MarshalText renders the severity as its name, so JSON output reads
// "severity":"error".
func (s Severity) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText parses "error", "warning" or "info".
func (s *Severity) UnmarshalText(b []byte) error {
	switch string(b) {
	case "error":
		*s = Error
	case "warning":
		*s = Warning
	case "info":
		*s = Info
	default:
		return fmt.Errorf("aws: unknown severity %q (want error, warning or info)", b)
	}
	return nil
}

// Finding is one problem found by a check.
type Finding struct {
	// Rule is the reference rule ID, e.g. "AWS-STS-012". Several checks
	// may share one rule ID; Check tells them apart.
	Rule     string   `json:"rule"`
	Severity Severity `json:"severity"`
	// Attribute is the attribute name or the element the finding concerns
	// ("Subject/NameID", "Signature"), "" if none.
	Attribute string `json:"attribute"`
	// Message says what is wrong and what to change.
	Message string `json:"message"`
	// AWSError is the literal error AWS returns for this problem, when
	// known.
	AWSError string `json:"aws_error,omitempty"`
	// Check is the name of the check in the registry (see [Checks]).
	Check string `json:"check"`
}

// String renders the finding on one line: severity, rule, attribute and
// message.
func (f Finding) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%-7s %s", f.Severity, f.Rule)
	if f.Attribute != "" {
		fmt.Fprintf(&b, " [%s]", f.Attribute)
	}
	b.WriteString(" ")
	b.WriteString(f.Message)
	return b.String()
}

// HasErrors reports whether any finding has severity Error.
func HasErrors(fs []Finding) bool {
	return slices.ContainsFunc(fs, func(f Finding) bool { return f.Severity == Error })
}

// Sort orders findings errors first, then warnings, then infos; within a
// severity by rule ID, attribute and message, so output is stable.
func Sort(fs []Finding) {
	slices.SortStableFunc(fs, func(a, b Finding) int {
		if a.Severity != b.Severity {
			return int(a.Severity) - int(b.Severity)
		}
		if c := strings.Compare(a.Rule, b.Rule); c != 0 {
			return c
		}
		if c := strings.Compare(a.Attribute, b.Attribute); c != 0 {
			return c
		}
		return strings.Compare(a.Message, b.Message)
	})
}
