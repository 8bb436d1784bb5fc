package expression

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/dlclark/regexp2"
)

// Replace's parameters, by position.
const (
	rSource = iota
	rOldValue
	rRegexPattern
	rRegexGroupName
	rReplacementValue
	rReplacementAttributeName
	rTemplate
)

// replaceForm is which of Microsoft's documented Replace behaviours the
// written (not left-out) parameters select.
type replaceForm int

const (
	replaceOldValue      replaceForm = iota + 1 // oldValue, replacementValue
	replaceTemplate                             // oldValue, template
	replaceRegex                                // regexPattern, replacementValue
	replaceRegexGroup                           // regexPattern, regexGroupName, replacementValue
	replaceRegexFromAttr                        // regexPattern, regexGroupName, replacementAttributeName
)

type compiledRegex struct {
	re *regexp2.Regexp
}

// compileRegex compiles a pattern with .NET semantics (named groups
// (?<name>…), ${name} substitutions), bounded by RegexMatchTimeout.
func compileRegex(pattern string) (*compiledRegex, error) {
	re, err := regexp2.Compile(pattern, regexp2.None)
	if err != nil {
		return nil, err
	}
	re.MatchTimeout = RegexMatchTimeout
	return &compiledRegex{re: re}, nil
}

func hasGroup(re *regexp2.Regexp, name string) bool {
	for _, g := range re.GetGroupNames() {
		if g == name {
			return true
		}
	}
	return false
}

const replaceForms = "give oldValue with replacementValue or with template, or regexPattern with replacementValue, or regexPattern and regexGroupName with replacementValue or with replacementAttributeName; leave the other parameters empty, e.g. Replace([mail], \"@contoso.com\", , , \"\", , )"

func checkReplace(c *callNode, _ int) string {
	g := func(i int) bool { return given(c, i) }
	switch {
	case g(rOldValue) && g(rRegexPattern):
		return "Replace takes oldValue or regexPattern, not both: " + replaceForms
	case g(rOldValue) && g(rRegexGroupName):
		return "regexGroupName needs regexPattern, not oldValue: " + replaceForms
	case g(rOldValue) && g(rReplacementValue) && g(rTemplate):
		return "Replace with oldValue takes replacementValue or template, not both: " + replaceForms
	case g(rOldValue) && g(rReplacementValue):
		c.form = replaceOldValue
	case g(rOldValue) && g(rTemplate):
		c.form = replaceTemplate
	case g(rRegexPattern) && g(rTemplate):
		return "template goes with oldValue, not regexPattern: " + replaceForms
	case g(rRegexPattern) && g(rReplacementValue) && g(rReplacementAttributeName):
		return "Replace with regexPattern takes replacementValue or replacementAttributeName, not both: " + replaceForms
	case g(rRegexPattern) && g(rRegexGroupName) && g(rReplacementAttributeName):
		c.form = replaceRegexFromAttr
	case g(rRegexPattern) && g(rRegexGroupName) && g(rReplacementValue):
		c.form = replaceRegexGroup
	case g(rRegexPattern) && g(rReplacementValue):
		c.form = replaceRegex
	default:
		return "Replace has no replacement: " + replaceForms
	}
	if lit, ok := c.args[rRegexPattern].(*strNode); ok && c.form >= replaceRegex {
		re, err := compileRegex(lit.val)
		if err != nil {
			return fmt.Sprintf("regexPattern %s does not compile: %v", quote(lit.val), err)
		}
		if grp, ok := c.args[rRegexGroupName].(*strNode); ok && c.form != replaceRegex && !hasGroup(re.re, grp.val) {
			return fmt.Sprintf("regexGroupName %q is not a group of regexPattern %s (its groups: %s)", grp.val, quote(lit.val), strings.Join(re.re.GetGroupNames(), ", "))
		}
		c.re = re
	}
	return ""
}

// Replace(source, oldValue, regexPattern, regexGroupName, replacementValue,
// replacementAttributeName, template), in the five forms of Microsoft's
// reference; see replaceForm. Case-sensitive. A null source gives null,
// except in the replacementAttributeName form, which exists for it.
func evalReplace(ev *evaluator, c *callNode) (Value, error) {
	src, err := ev.arg(c, rSource)
	if err != nil {
		return Value{}, err
	}
	if c.form == replaceRegexFromAttr {
		if !src.isNullOrEmpty() {
			return src, nil
		}
		from, ok, err := ev.str(c, rReplacementAttributeName)
		if err != nil || !ok {
			return Value{}, err
		}
		re, err := ev.regex(c)
		if err != nil {
			return Value{}, err
		}
		group, _, err := ev.str(c, rRegexGroupName)
		if err != nil {
			return Value{}, err
		}
		var m *regexp2.Match
		err = ev.timed(func() (e error) { m, e = re.re.FindStringMatch(from); return })
		if err != nil {
			return Value{}, ev.regexErr(c, err)
		}
		if m == nil {
			return Value{}, nil
		}
		g := m.GroupByName(group)
		if g == nil || len(g.Captures) == 0 {
			return Value{}, nil
		}
		return StringValue(g.String()), nil
	}
	if src.IsNull() {
		return Value{}, nil
	}
	repl, _, err := ev.str(c, rReplacementValue)
	if err != nil {
		return Value{}, err
	}
	switch c.form {
	case replaceOldValue, replaceTemplate:
		old, _, err := ev.str(c, rOldValue)
		if err != nil {
			return Value{}, err
		}
		if c.form == replaceOldValue {
			if old == "" {
				return src, nil
			}
			return src.mapStrings(func(s string) string { return strings.ReplaceAll(s, old, repl) }), nil
		}
		tmpl, _, err := ev.str(c, rTemplate)
		if err != nil {
			return Value{}, err
		}
		if old == "" {
			return StringValue(tmpl), nil
		}
		return src.mapStrings(func(s string) string { return strings.ReplaceAll(tmpl, old, s) }), nil
	}
	re, err := ev.regex(c)
	if err != nil {
		return Value{}, err
	}
	group := ""
	if c.form == replaceRegexGroup {
		if group, _, err = ev.str(c, rRegexGroupName); err != nil {
			return Value{}, err
		}
	}
	out := make([]string, len(src.vals))
	for i, s := range src.vals {
		var r string
		err := ev.timed(func() (e error) {
			if c.form == replaceRegex {
				r, e = re.re.Replace(s, repl, -1, -1)
			} else {
				r, e = replaceGroup(re.re, s, group, repl)
			}
			return
		})
		if err != nil {
			return Value{}, ev.regexErr(c, err)
		}
		out[i] = r
	}
	return Value{vals: out, set: true}, nil
}

// replaceGroup replaces the text each match captured in group with repl.
func replaceGroup(re *regexp2.Regexp, s, group, repl string) (string, error) {
	rs := []rune(s)
	var b strings.Builder
	last := 0
	m, err := re.FindStringMatch(s)
	for ; m != nil && err == nil; m, err = re.FindNextMatch(m) {
		g := m.GroupByName(group)
		if g == nil || len(g.Captures) == 0 || g.Index < last {
			continue
		}
		b.WriteString(string(rs[last:g.Index]))
		b.WriteString(repl)
		last = g.Index + g.Length
		if b.Len() > MaxValueBytes {
			return "", errors.New("result over the size limit")
		}
	}
	if err != nil {
		return "", err
	}
	b.WriteString(string(rs[last:]))
	return b.String(), nil
}

// regex returns Replace's compiled pattern: the one compiled at parse time,
// or, for a pattern computed at evaluation, a fresh one.
func (ev *evaluator) regex(c *callNode) (*compiledRegex, error) {
	if c.re != nil {
		return c.re, nil
	}
	pattern, _, err := ev.str(c, rRegexPattern)
	if err != nil {
		return nil, err
	}
	re, err := compileRegex(pattern)
	if err != nil {
		return nil, &EvalError{Function: c.fn.name, Msg: fmt.Sprintf("regexPattern %q does not compile", pattern), Err: err}
	}
	if c.form != replaceRegex {
		group, _, err := ev.str(c, rRegexGroupName)
		if err != nil {
			return nil, err
		}
		if !hasGroup(re.re, group) {
			return nil, c.errf("regexGroupName %q is not a group of regexPattern %q", group, pattern)
		}
	}
	return re, nil
}

// ErrRegexBudget is the cause of an EvalError when the regexes of one
// evaluation together ran longer than RegexEvalBudget.
var ErrRegexBudget = errors.New("regexes of this evaluation ran over their time budget")

// timed runs f, a regex operation, and charges its duration to the
// evaluation's budget. The clock here bounds work; it decides no result.
func (ev *evaluator) timed(f func() error) error {
	if ev.regexSpent > RegexEvalBudget {
		return ErrRegexBudget
	}
	start := time.Now()
	err := f()
	ev.regexSpent += time.Since(start)
	return err
}

func (ev *evaluator) regexErr(c *callNode, err error) error {
	return &EvalError{Function: c.fn.name, Msg: "regex evaluation failed (patterns are bounded by a match timeout)", Err: err}
}
