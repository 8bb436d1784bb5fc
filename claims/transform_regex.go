package claims

import (
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/dlclark/regexp2"
)

// Regex limits. Patterns come from administrators and inputs from the
// directory; regexp2 backtracks like .NET, so both are bounded and every
// match has a deadline.
const (
	MaxRegexLength    = 1024                   // bytes of pattern
	MaxRegexInput     = 4096                   // bytes of input per match
	RegexMatchTimeout = 100 * time.Millisecond // per match; CompileOptions.RegexTimeout
	// RegexEvalBudget bounds the regex time of one Evaluate (every
	// RegexReplace value and group claim regex together): past it, the
	// evaluation fails with ErrRegexTimeout even when each match stayed
	// under its own deadline (150 groups at 99 ms each).
	RegexEvalBudget     = time.Second
	MaxAdditionalInputs = 5 // RegexReplace extra attributes
)

// compiledRegex is a RegexReplace (or group claim regex) compiled once.
type compiledRegex struct {
	re     *regexp2.Regexp
	parts  []tmplPart
	extras []operand
}

// tmplPart is a piece of a replacement template: literal text, a regex
// group (by number) or an additional input (by index).
type tmplPart struct {
	lit   string
	group int // -1 when not a group
	extra int // -1 when not an extra input
}

// compileRegexReplace compiles a .NET-flavoured pattern and a replacement
// template in which {name} is a named (or numbered) group of the pattern or
// an additional input named by its attribute id ({country} for
// user.country). Other text, including "$", is literal. Every problem is
// returned, joined.
func compileRegexReplace(sc *schema, pattern, replacement string, additional []string, timeout time.Duration) (*compiledRegex, error) {
	var errs []error
	if pattern == "" {
		return nil, errors.New("regex is required")
	}
	if len(pattern) > MaxRegexLength {
		return nil, fmt.Errorf("%w: pattern is %d bytes, over the %d-byte limit", ErrRegex, len(pattern), MaxRegexLength)
	}
	re, err := regexp2.Compile(pattern, regexp2.None)
	if err != nil {
		return nil, fmt.Errorf("%w: %q does not compile: %v", ErrRegex, pattern, err)
	}
	if g := backtrackingShape(pattern); g != "" {
		return nil, fmt.Errorf("%w: %q can backtrack exponentially: %s repeats a group whose content can itself repeat or be empty (like (a+)+), so one input splits in exponentially many ways; rewrite it without the nested repetition (e.g. (a+)+ as a+)", ErrRegex, pattern, g)
	}
	if timeout <= 0 {
		timeout = RegexMatchTimeout
	}
	re.MatchTimeout = timeout
	if err := checkXMLText(replacement); err != nil {
		errs = append(errs, fmt.Errorf("replacement: %w", err))
	}
	rx := &compiledRegex{re: re}

	if len(additional) > MaxAdditionalInputs {
		errs = append(errs, fmt.Errorf("%d additional inputs; at most %d", len(additional), MaxAdditionalInputs))
	}
	extraNames := map[string]int{}
	var names [][]string // accepted template names per extra input
	for _, a := range additional {
		if sc == nil || !sc.isAttrRef(a) {
			errs = append(errs, fmt.Errorf("additional input %q must be an attribute (user.<id>)", a))
			continue
		}
		o, err := sc.attribute(a)
		if err != nil {
			errs = append(errs, fmt.Errorf("additional input: %w", err))
			continue
		}
		ns := []string{o.key}
		if o.alt != "" {
			ns = append(ns, o.alt)
		}
		dup := false
		for _, n := range ns {
			if _, seen := extraNames[strings.ToLower(n)]; seen {
				dup = true
			}
		}
		if dup {
			errs = append(errs, fmt.Errorf("additional input %q is listed twice; remove one", a))
			continue
		}
		for _, n := range ns {
			extraNames[strings.ToLower(n)] = len(rx.extras)
		}
		rx.extras = append(rx.extras, o)
		names = append(names, ns)
	}

	used := make([]bool, len(rx.extras))
	lit := strings.Builder{}
	flush := func() {
		if lit.Len() > 0 {
			rx.parts = append(rx.parts, tmplPart{lit: lit.String(), group: -1, extra: -1})
			lit.Reset()
		}
	}
	for i := 0; i < len(replacement); {
		if replacement[i] != '{' {
			lit.WriteByte(replacement[i])
			i++
			continue
		}
		j := strings.IndexByte(replacement[i:], '}')
		if j < 0 {
			errs = append(errs, fmt.Errorf("replacement %q: unclosed \"{\" at byte %d", replacement, i))
			lit.WriteString(replacement[i:])
			break
		}
		name := replacement[i+1 : i+j]
		i += j + 1
		if n := re.GroupNumberFromName(name); n >= 0 && name != "" {
			flush()
			rx.parts = append(rx.parts, tmplPart{group: n, extra: -1})
			continue
		}
		if k, ok := extraNames[strings.ToLower(name)]; ok {
			flush()
			rx.parts = append(rx.parts, tmplPart{group: -1, extra: k})
			used[k] = true
			continue
		}
		cands := re.GetGroupNames()
		for _, ns := range names {
			cands = append(cands, ns...)
		}
		errs = append(errs, fmt.Errorf("replacement: {%s} is neither a group of the regex nor an additional input%s", name, didYouMean(name, cands)))
	}
	flush()
	for k, u := range used {
		if !u {
			errs = append(errs, fmt.Errorf("additional input %q is not used in the replacement; add {%s} or remove it", rx.extras[k].src, names[k][len(names[k])-1]))
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return rx, nil
}

// replace applies the regex to in with Regex.Replace semantics: every match
// is replaced by the expanded template, unmatched text is kept. matched is
// false when the regex does not match at all; out may be empty when it
// does.
func (rx *compiledRegex) replace(c *evalCtx, in string) (out string, matched bool, err error) {
	if len(in) > MaxRegexInput {
		return "", false, fmt.Errorf("%w: input of %d bytes exceeds the %d-byte limit", ErrRegex, len(in), MaxRegexInput)
	}
	if !utf8.ValidString(in) {
		return "", false, fmt.Errorf("%w: input is not valid UTF-8", ErrRegex)
	}
	var extras []string
	if len(rx.extras) > 0 {
		extras = make([]string, len(rx.extras))
		for i := range rx.extras {
			extras[i] = rx.extras[i].first(c)
		}
	}
	// A hand-written loop rather than regexp2's ReplaceFunc: that one
	// drops a timeout hit after the first match and returns "" without an
	// error.
	runes := []rune(in)
	start := time.Now()
	defer func() {
		c.regexSpent += time.Since(start)
		if err == nil && c.regexSpent > RegexEvalBudget {
			out, matched = "", false
			err = fmt.Errorf("%w: %w: regexes of this evaluation ran %s, over the %s budget", ErrRegex, ErrRegexTimeout, c.regexSpent.Round(time.Millisecond), RegexEvalBudget)
		}
	}()
	m, err := rx.re.FindRunesMatch(runes)
	if err != nil {
		return "", false, rx.matchError(err, len(runes))
	}
	if m == nil {
		return "", false, nil
	}
	var b strings.Builder
	prev := 0
	for m != nil {
		b.WriteString(string(runes[prev:m.Index]))
		for _, p := range rx.parts {
			switch {
			case p.group >= 0:
				if g := m.GroupByNumber(p.group); g != nil {
					b.WriteString(g.String())
				}
			case p.extra >= 0:
				b.WriteString(extras[p.extra])
			default:
				b.WriteString(p.lit)
			}
		}
		prev = m.Index + m.Length
		if m, err = rx.re.FindNextMatch(m); err != nil {
			return "", false, rx.matchError(err, len(runes))
		}
	}
	b.WriteString(string(runes[prev:]))
	return b.String(), true, nil
}

// matchError wraps a regexp2 match error. A deadline hit becomes
// ErrRegexTimeout; regexp2's own message, which quotes the whole input (a
// directory value), is not kept.
func (rx *compiledRegex) matchError(err error, n int) error {
	if strings.HasPrefix(err.Error(), "match timeout") {
		return fmt.Errorf("%w: %w after %s on an input of %d characters", ErrRegex, ErrRegexTimeout, rx.re.MatchTimeout, n)
	}
	return fmt.Errorf("%w: %v", ErrRegex, err)
}
