package provision

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// ScopingFilter is an attribute-based scoping filter ("Source object
// scope"): a user is in scope when every clause is true. Several filters
// are OR-ed: a user passing any of them is in scope
// (define-conditional-rules-for-provisioning-user-accounts.md). Filters
// apply to users, on top of the assignment scope.
type ScopingFilter struct {
	Title   string   `toml:"title" json:"title,omitempty"`
	Clauses []Clause `toml:"clauses" json:"clauses"`
}

// Clause is one condition on one source attribute.
type Clause struct {
	// Attribute is the source attribute (department, userPrincipalName ...).
	Attribute string `toml:"attribute" json:"attribute"`
	// Operator is one of Operators.
	Operator string `toml:"operator" json:"operator"`
	// Value is compared with the attribute (not used by IS TRUE, IS FALSE,
	// IS NULL, IS NOT NULL).
	Value string `toml:"value" json:"value,omitempty"`

	re *regexp.Regexp
}

// Operators are the scoping clause operators Entra offers.
var Operators = []string{"&", "!&", "ENDS_WITH", "EQUALS", "Greater_Than", "Greater_Than_OR_EQUALS", "Includes",
	"IS FALSE", "IS NOT NULL", "IS NULL", "IS TRUE", "NOT EQUALS", "NOT REGEX MATCH", "REGEX MATCH"}

// CanonicalOperator returns op as Entra spells it ("is not null" ->
// "IS NOT NULL", "greater than" -> "Greater_Than").
func CanonicalOperator(op string) (string, bool) {
	norm := func(s string) string { return strings.ToUpper(strings.ReplaceAll(s, "_", " ")) }
	for _, o := range Operators {
		if norm(o) == norm(strings.TrimSpace(op)) {
			return o, true
		}
	}
	return "", false
}

// compileScoping checks the filters: known operators, a value where one is
// needed, integers for Greater_Than, regular expressions that compile (Go's
// RE2 syntax: no backreferences or lookaround, unlike .NET's).
func compileScoping(fs []ScopingFilter, where func(i, j int) string) ([]ScopingFilter, error) {
	var errs []error
	out := make([]ScopingFilter, len(fs))
	for i, f := range fs {
		out[i] = ScopingFilter{Title: f.Title}
		if len(f.Clauses) == 0 {
			errs = append(errs, fmt.Errorf("%s: a scoping filter needs at least one clause ([[...scoping_filters.clauses]])", where(i, -1)))
		}
		for j, c := range f.Clauses {
			fail := func(format string, a ...any) {
				errs = append(errs, fmt.Errorf("%s: %s", where(i, j), fmt.Sprintf(format, a...)))
			}
			op, ok := CanonicalOperator(c.Operator)
			if !ok {
				fail("operator %q: use one of %s", c.Operator, strings.Join(Operators, ", "))
			}
			c.Operator = op
			if c.Attribute == "" {
				fail("a clause needs attribute, a source attribute such as \"department\"")
			}
			switch op {
			case "IS TRUE", "IS FALSE", "IS NULL", "IS NOT NULL", "":
			case "Greater_Than", "Greater_Than_OR_EQUALS":
				if _, err := strconv.ParseInt(c.Value, 10, 64); err != nil {
					fail("%s takes a whole number, got value = %q", op, c.Value)
				}
			case "REGEX MATCH", "NOT REGEX MATCH":
				re, err := regexp.Compile(c.Value)
				if err != nil {
					fail("value %q is not a regular expression samlab can run (RE2 syntax): %v", c.Value, err)
				}
				c.re = re
			default:
				if c.Value == "" {
					fail("%s needs a value", op)
				}
			}
			out[i].Clauses = append(out[i].Clauses, c)
		}
	}
	return out, errors.Join(errs...)
}

// CheckScopingFilters reports every problem in fs; where(i, j) names
// filter i's clause j (j < 0: the filter).
func CheckScopingFilters(fs []ScopingFilter, where func(i, j int) string) error {
	_, err := compileScoping(fs, where)
	return err
}

// passes says whether src passes any of the filters (no filters: yes).
func passes(fs []ScopingFilter, src *Source) bool {
	if len(fs) == 0 {
		return true
	}
	for _, f := range fs {
		ok := true
		for _, c := range f.Clauses {
			if !c.eval(src) {
				ok = false
				break
			}
		}
		if ok {
			return true
		}
	}
	return false
}

// eval is one clause. A null or empty attribute makes every clause false
// except IS NULL; a multi-valued attribute cannot be filtered on (false).
func (c Clause) eval(src *Source) bool {
	vals, _ := src.Attribute(c.Attribute)
	if len(vals) > 1 {
		return false
	}
	v := ""
	if len(vals) == 1 {
		v = vals[0]
	}
	if c.Operator == "IS NULL" {
		return v == ""
	}
	if v == "" {
		return false
	}
	switch c.Operator {
	case "IS NOT NULL":
		return true
	case "IS TRUE":
		return strings.EqualFold(v, "true")
	case "IS FALSE":
		return strings.EqualFold(v, "false")
	case "EQUALS":
		return v == c.Value
	case "NOT EQUALS":
		return v != c.Value
	case "ENDS_WITH":
		return strings.HasSuffix(v, c.Value)
	case "Includes":
		return strings.Contains(v, c.Value)
	case "&":
		return strings.Contains(c.Value, v)
	case "!&":
		return !strings.Contains(c.Value, v)
	case "Greater_Than", "Greater_Than_OR_EQUALS":
		n, err := strconv.ParseInt(v, 10, 64)
		limit, _ := strconv.ParseInt(c.Value, 10, 64)
		if err != nil {
			return false
		}
		return n > limit || (c.Operator == "Greater_Than_OR_EQUALS" && n == limit)
	case "REGEX MATCH":
		return c.re != nil && c.re.MatchString(v)
	case "NOT REGEX MATCH":
		return c.re != nil && !c.re.MatchString(v)
	}
	return false
}
