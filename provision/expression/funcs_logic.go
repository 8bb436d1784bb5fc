package expression

import (
	"fmt"
	"strconv"
	"strings"
)

// CBool(expression): True for a non-zero number or "True", False for zero,
// "False" or null. Anything else is an error.
func evalCBool(ev *evaluator, c *callNode) (Value, error) {
	s, ok, err := ev.str(c, 0)
	if err != nil {
		return Value{}, err
	}
	if !ok {
		return BoolValue(false), nil
	}
	if b, err := parseBool(s); err == nil {
		return BoolValue(b), nil
	}
	if n, err := strconv.ParseFloat(strings.TrimSpace(s), 64); err == nil {
		return BoolValue(n != 0), nil
	}
	return Value{}, c.errf("%q is neither a number nor True/False", s)
}

// Coalesce(source1, …, defaultValue): the first argument that is not null
// (an empty string is not null); null when all are.
func evalCoalesce(ev *evaluator, c *callNode) (Value, error) {
	for i := range c.args {
		v, err := ev.arg(c, i)
		if err != nil {
			return Value{}, err
		}
		if !v.IsNull() {
			return v, nil
		}
	}
	return Value{}, nil
}

func checkIIF(c *callNode, _ int) string {
	c.condAttrs = sortedUnique(collectAttrs(c.args[0], nil))
	return ""
}

// IIF(condition, valueIfTrue, valueIfFalse). Only the branch chosen is
// evaluated. A condition that reads a null or empty attribute fails, as
// Microsoft documents, unless Options.LenientIIF.
func evalIIF(ev *evaluator, c *callNode) (Value, error) {
	if !ev.opt.LenientIIF {
		for _, a := range c.condAttrs {
			if ev.attr(a).isNullOrEmpty() {
				return Value{}, c.errf("the condition reads [%s], which is null or empty, and Entra's IIF fails then; test for it with Switch instead, e.g. Switch([%s], [%s], \"\", \"Other\")", a, a, a)
			}
		}
	}
	cond, err := ev.arg(c, 0)
	if err != nil {
		return Value{}, err
	}
	b, err := cond.Bool()
	if err != nil {
		return Value{}, &EvalError{Function: c.fn.name, Msg: "the condition is not True or False", Err: err}
	}
	if b {
		return ev.arg(c, 1)
	}
	return ev.arg(c, 2)
}

// IsNull(expression): True when the value is null (the attribute is absent).
func evalIsNull(ev *evaluator, c *callNode) (Value, error) {
	v, err := ev.arg(c, 0)
	return BoolValue(v.IsNull()), err
}

// IsNullOrEmpty(expression): True when null or an empty string.
func evalIsNullOrEmpty(ev *evaluator, c *callNode) (Value, error) {
	v, err := ev.arg(c, 0)
	return BoolValue(v.isNullOrEmpty()), err
}

// IsPresent(expression): the inverse of IsNullOrEmpty.
func evalIsPresent(ev *evaluator, c *callNode) (Value, error) {
	v, err := ev.arg(c, 0)
	return BoolValue(!v.isNullOrEmpty()), err
}

// IsString(expression): True when the value can be a string, that is, when
// it is not null. Every non-null value of this language is a string.
func evalIsString(ev *evaluator, c *callNode) (Value, error) {
	v, err := ev.arg(c, 0)
	return BoolValue(!v.IsNull()), err
}

// Not(source): "False" when source is True (any letter case), else "True",
// null included, as Microsoft's reference says ("Otherwise, returns True").
func evalNot(ev *evaluator, c *callNode) (Value, error) {
	s, ok, err := ev.str(c, 0)
	if err != nil {
		return Value{}, err
	}
	b, perr := parseBool(s)
	return BoolValue(!(ok && perr == nil && b)), nil
}

// Switch(source, defaultValue, key1, value1, …): the value of the first key
// equal (case-sensitively) to source, else defaultValue (null when left
// out). A null source matches the key "", as Microsoft recommends testing
// for an empty attribute with Switch([attr], "Default", "", "0").
func evalSwitch(ev *evaluator, c *callNode) (Value, error) {
	src, _, err := ev.str(c, 0)
	if err != nil {
		return Value{}, err
	}
	for i := 2; i+1 < len(c.args); i += 2 {
		key, _, err := ev.str(c, i)
		if err != nil {
			return Value{}, err
		}
		if key == src {
			return ev.arg(c, i+1)
		}
	}
	return ev.arg(c, 1)
}

func checkSelectUniqueValue(c *callNode, depth int) string {
	if depth > 0 {
		return "SelectUniqueValue must be the whole expression; Microsoft's reference says it can't be nested"
	}
	return ""
}

// SelectUniqueValue(rule1, rule2, …): the first rule whose value is unique
// in the target (Uniqueness on the Input); null and empty candidates are
// skipped. Without Uniqueness, the first non-null candidate. When every
// candidate exists, Entra escrows the object: an error here.
func evalSelectUniqueValue(ev *evaluator, c *callNode) (Value, error) {
	var tried []string
	for i := range c.args {
		v, err := ev.arg(c, i)
		if err != nil {
			return Value{}, err
		}
		s, ok, multi := v.single()
		if !ok || s == "" {
			continue
		}
		if multi {
			return Value{}, c.errf("%s has %d values; a candidate is one value", c.fn.param(i), len(v.vals))
		}
		if ev.uniq == nil {
			return v, nil
		}
		unique, err := ev.uniq.Unique(s)
		if err != nil {
			return Value{}, &EvalError{Function: c.fn.name, Msg: fmt.Sprintf("checking %q for uniqueness", s), Err: err}
		}
		if unique {
			return v, nil
		}
		tried = append(tried, strconv.Quote(s))
	}
	if len(tried) > 0 {
		return Value{}, c.errf("every candidate already exists in the target (%s); Entra escrows the object", strings.Join(tried, ", "))
	}
	return Value{}, nil
}

// SingleAppRoleAssignment([appRoleAssignments]): the one role assigned to the
// user for the application; null when none. Microsoft does not support users
// with several assignments; samlab fails them, naming the roles, so the
// configuration is fixed instead of one role being picked at random.
func evalSingleAppRoleAssignment(ev *evaluator, c *callNode) (Value, error) {
	v, err := ev.arg(c, 0)
	if err != nil || v.IsNull() {
		return Value{}, err
	}
	roles := uniqueStrings(v.vals)
	if len(roles) > 1 {
		q := make([]string, len(roles))
		for i, r := range roles {
			q[i] = strconv.Quote(r)
		}
		return Value{}, c.errf("the user has %d app role assignments (%s); SingleAppRoleAssignment supports one — assign one role, or map AppRoleAssignmentsComplex([appRoleAssignments]) to roles", len(roles), strings.Join(q, ", "))
	}
	return StringValue(roles[0]), nil
}

// AppRoleAssignmentsComplex([appRoleAssignments]): every role assigned to
// the user, multi-valued, duplicates removed.
func evalAppRoleAssignmentsComplex(ev *evaluator, c *callNode) (Value, error) {
	v, err := ev.arg(c, 0)
	if err != nil || v.IsNull() {
		return Value{}, err
	}
	return MultiValue(uniqueStrings(v.vals)), nil
}

// uniqueStrings keeps the first occurrence of each string, in order.
func uniqueStrings(ss []string) []string {
	seen := make(map[string]bool, len(ss))
	var out []string
	for _, s := range ss {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}
