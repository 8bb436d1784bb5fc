package expression

import (
	"fmt"
	"strconv"
	"strings"
)

// Value is the result of an expression: null (Entra's absent attribute), a
// single string, or several strings (a multi-valued attribute, Split's
// result). Booleans are the strings "True" and "False", as in Entra.
type Value struct {
	vals     []string
	set      bool
	redacted bool
}

// Null is the null value: the target attribute gets no value from it.
func Null() Value { return Value{} }

// StringValue is a single-valued Value.
func StringValue(s string) Value { return Value{vals: []string{s}, set: true} }

// MultiValue is a multi-valued Value; no strings is null.
func MultiValue(ss []string) Value {
	if len(ss) == 0 {
		return Value{}
	}
	return Value{vals: append([]string(nil), ss...), set: true}
}

// BoolValue is "True" or "False".
func BoolValue(b bool) Value { return StringValue(boolString(b)) }

// IsNull reports whether the value is null.
func (v Value) IsNull() bool { return !v.set }

// IsMulti reports whether the value holds more than one string.
func (v Value) IsMulti() bool { return len(v.vals) > 1 }

// Redacted reports whether Redact() marked the value as one the provisioning
// log must show as "[Redact]".
func (v Value) Redacted() bool { return v.redacted }

// Strings returns every value, nil for null.
func (v Value) Strings() []string { return append([]string(nil), v.vals...) }

// String returns "" for null and the value itself when single-valued. A
// multi-valued Value prints as a quoted list (["a", "b"]) so that it is never
// mistaken for a single string; use Strings for the values.
func (v Value) String() string {
	switch len(v.vals) {
	case 0:
		return ""
	case 1:
		return v.vals[0]
	}
	q := make([]string, len(v.vals))
	for i, s := range v.vals {
		q[i] = strconv.Quote(s)
	}
	return "[" + strings.Join(q, ", ") + "]"
}

// Bool returns the value as a boolean: "True" or "False" in any letter case,
// as Entra's target attributes such as SCIM active take them. Anything else,
// null included, is an error.
func (v Value) Bool() (bool, error) {
	if len(v.vals) != 1 {
		if v.IsNull() {
			return false, fmt.Errorf("expression: null is not a boolean")
		}
		return false, fmt.Errorf("expression: %d values are not a boolean", len(v.vals))
	}
	return parseBool(v.vals[0])
}

func parseBool(s string) (bool, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "true":
		return true, nil
	case "false":
		return false, nil
	}
	return false, fmt.Errorf("expression: %q is not a boolean (want \"True\" or \"False\")", s)
}

// size is the number of bytes the value holds, for the evaluation bound.
func (v Value) size() int {
	n := 0
	for _, s := range v.vals {
		n += len(s)
	}
	return n
}

// single returns the value as one string; ok is false for null. A
// multi-valued value gives its first string and multi=true, so callers that
// need exactly one can refuse.
func (v Value) single() (s string, ok, multi bool) {
	if len(v.vals) == 0 {
		return "", false, false
	}
	return v.vals[0], true, len(v.vals) > 1
}

// isNullOrEmpty is IsNullOrEmpty: null, or every value "".
func (v Value) isNullOrEmpty() bool {
	for _, s := range v.vals {
		if s != "" {
			return false
		}
	}
	return true
}

// mapStrings applies f to each value; null stays null.
func (v Value) mapStrings(f func(string) string) Value {
	if v.IsNull() {
		return v
	}
	out := make([]string, len(v.vals))
	for i, s := range v.vals {
		out[i] = f(s)
	}
	return Value{vals: out, set: true, redacted: v.redacted}
}
