package claims

import (
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// MaxTransformations is how many transformations Entra ID chains.
const MaxTransformations = 2

// fnKind identifies a transformation function.
type fnKind uint8

const (
	fnJoin fnKind = iota + 1
	fnExtractMailPrefix
	fnToLowercase
	fnToUppercase
	fnContains
	fnStartWith
	fnEndWith
	fnExtract
	fnExtractAlpha
	fnExtractNumeric
	fnIfEmpty
	fnIfNotEmpty
	fnSubstring
	fnRegexReplace
	fnTrim
)

// functions maps every accepted spelling (lower case) to its function and
// canonical name. The Graph and NameID spellings are accepted as aliases.
var functions = map[string]struct {
	kind fnKind
	name string
}{
	"join":              {fnJoin, "Join"},
	"extractmailprefix": {fnExtractMailPrefix, "ExtractMailPrefix"},
	"tolowercase":       {fnToLowercase, "ToLowercase"},
	"tolower":           {fnToLowercase, "ToLowercase"},
	"touppercase":       {fnToUppercase, "ToUppercase"},
	"toupper":           {fnToUppercase, "ToUppercase"},
	"contains":          {fnContains, "Contains"},
	"startwith":         {fnStartWith, "StartWith"},
	"startswith":        {fnStartWith, "StartWith"},
	"endwith":           {fnEndWith, "EndWith"},
	"endswith":          {fnEndWith, "EndWith"},
	"extract":           {fnExtract, "Extract"},
	"extractalpha":      {fnExtractAlpha, "ExtractAlpha"},
	"extractnumeric":    {fnExtractNumeric, "ExtractNumeric"},
	"extractnumber":     {fnExtractNumeric, "ExtractNumeric"},
	"ifempty":           {fnIfEmpty, "IfEmpty"},
	"ifnotempty":        {fnIfNotEmpty, "IfNotEmpty"},
	"substring":         {fnSubstring, "Substring"},
	"regexreplace":      {fnRegexReplace, "RegexReplace"},
	"trim":              {fnTrim, "Trim"},
}

// functionNames are the canonical names, for suggestions.
var functionNames = []string{"Contains", "EndWith", "Extract", "ExtractAlpha", "ExtractMailPrefix",
	"ExtractNumeric", "IfEmpty", "IfNotEmpty", "Join", "RegexReplace", "StartWith", "Substring",
	"ToLowercase", "ToUppercase", "Trim"}

// Parameter fields a function may use besides Function, Input and
// MultiValued; any other field set is an error.
const (
	pInput2 = 1 << iota
	pSeparator
	pValue
	pValue2
	pOutput
	pElse
	pRegex
	pReplacement
	pAdditional
	pStart
	pLength
	pMode
)

var fieldNames = []struct {
	bit  int
	name string
}{
	{pInput2, "input2"}, {pSeparator, "separator"}, {pValue, "value"}, {pValue2, "value2"},
	{pOutput, "output"}, {pElse, "else"}, {pRegex, "regex"}, {pReplacement, "replacement"},
	{pAdditional, "additional_inputs"}, {pStart, "start_index"}, {pLength, "length"}, {pMode, "mode"},
}

var allowedFields = map[fnKind]int{
	fnJoin:              pInput2 | pSeparator,
	fnExtractMailPrefix: 0,
	fnToLowercase:       0,
	fnToUppercase:       0,
	fnContains:          pValue | pOutput | pElse,
	fnStartWith:         pValue | pOutput | pElse,
	fnEndWith:           pValue | pOutput | pElse,
	fnExtract:           pMode | pValue | pValue2,
	fnExtractAlpha:      pMode,
	fnExtractNumeric:    pMode,
	fnIfEmpty:           pOutput | pElse,
	fnIfNotEmpty:        pOutput,
	fnSubstring:         pMode | pStart | pLength,
	fnRegexReplace:      pRegex | pReplacement | pAdditional | pElse,
	fnTrim:              pMode | pValue,
}

func setFields(t *Transformation) int {
	f := 0
	set := func(cond bool, bit int) {
		if cond {
			f |= bit
		}
	}
	set(t.Input2 != "", pInput2)
	set(t.Separator != "", pSeparator)
	set(t.Value != "", pValue)
	set(t.Value2 != "", pValue2)
	set(t.Output != "", pOutput)
	set(t.Else != "", pElse)
	set(t.Regex != "", pRegex)
	set(t.Replacement != "", pReplacement)
	set(len(t.AdditionalInputs) > 0, pAdditional)
	set(t.StartIndex != 0, pStart)
	set(t.Length != 0, pLength)
	set(t.Mode != "", pMode)
	return f
}

// mode values.
const (
	modeAfter uint8 = iota + 1
	modeBefore
	modeBetween
	modePrefix
	modeSuffix
	modeFixed
	modeEnd
	modeLeading
	modeTrailing
	modeBoth
)

var modesByFn = map[fnKind]map[string]uint8{
	fnExtract:        {"after": modeAfter, "before": modeBefore, "between": modeBetween},
	fnExtractAlpha:   {"prefix": modePrefix, "suffix": modeSuffix},
	fnExtractNumeric: {"prefix": modePrefix, "suffix": modeSuffix},
	fnSubstring:      {"fixed": modeFixed, "end": modeEnd},
	fnTrim:           {"leading": modeLeading, "trailing": modeTrailing, "both": modeBoth},
}

// step is a compiled transformation.
type step struct {
	kind  fnKind
	name  string // canonical function name
	input operand
	// multi runs the step once per input value.
	multi                bool
	input2, output, els  operand
	value, value2, sep   string
	mode                 uint8
	start, length        int
	ignoreCase, firstOcc bool
	// nameIDJoin: Join in a NameID strips the input's domain and may only
	// append a verified domain.
	nameIDJoin bool
	rx         *compiledRegex
}

// compileContext carries what step compilation needs.
type compileContext struct {
	schema   *schema
	policy   *Policy
	nameID   bool
	verified map[string]bool // nil when no directory was given
	// regexTimeout bounds each regex match.
	regexTimeout time.Duration
}

// compileChain compiles up to two chained transformations.
func (cc *compileContext) compileChain(ts []Transformation, multi bool, errs *errorList, field string) []step {
	if len(ts) > MaxTransformations {
		errs.addf(field, "%d transformations; Entra ID chains at most %d (remove %d)", len(ts), MaxTransformations, len(ts)-MaxTransformations)
	}
	out := make([]step, 0, len(ts))
	for i := range ts {
		f := joinField(field, fmt.Sprintf("transformation %d", i+1))
		s, ok := cc.compileStep(&ts[i], i, multi, errs, f)
		if ok {
			out = append(out, s)
		}
	}
	return out
}

func (cc *compileContext) compileStep(t *Transformation, index int, ruleMulti bool, errs *errorList, field string) (step, bool) {
	fn, ok := functions[strings.ToLower(t.Function)]
	if !ok {
		if t.Function == "" {
			errs.addf(field, "function is empty (one of %s)", strings.Join(functionNames, ", "))
		} else {
			errs.add(field, fmt.Errorf("%w %q%s", ErrUnknownFunction, t.Function, didYouMean(t.Function, functionNames)))
		}
		return step{}, false
	}
	s := step{kind: fn.kind, name: fn.name, multi: t.MultiValued || (index == 0 && ruleMulti),
		ignoreCase: cc.policy.MatchIgnoreCase, firstOcc: cc.policy.ExtractFirstOccurrence}
	n := len(errs.errs)
	bad := func(format string, args ...any) { errs.addf(field, fn.name+": "+format, args...) }

	if cc.nameID {
		switch fn.kind {
		case fnExtractMailPrefix, fnJoin, fnToLowercase, fnToUppercase:
		default:
			bad("not allowed in a NameID (use ExtractMailPrefix, Join, ToLowercase or ToUppercase)")
		}
		s.nameIDJoin = fn.kind == fnJoin
	}
	if extra := setFields(t) &^ allowedFields[fn.kind]; extra != 0 {
		for _, f := range fieldNames {
			if extra&f.bit != 0 {
				bad("parameter %q does not apply; remove it", f.name)
			}
		}
	}

	var err error
	switch {
	case t.Input != "":
		if s.input, err = cc.schema.parameter(t.Input); err != nil {
			bad("input: %w", err)
		}
	case index > 0:
		s.input = operand{kind: opPrev, src: "(output of transformation 1)"}
	default:
		bad("input is required (an attribute such as user.mail, or a constant)")
	}
	if s.input.kind == opConst && s.multi {
		hint := ""
		if cc.schema.extensions[t.Input] || IsUserAttribute(t.Input) {
			hint = fmt.Sprintf(" (for the attribute write %q)", "user."+t.Input)
		}
		bad("multi_valued needs an attribute input, not a constant%s", hint)
	}
	param := func(name, v string, required bool) operand {
		if v == "" {
			if required {
				bad("%s is required", name)
			}
			return operand{}
		}
		o, err := cc.schema.parameter(v)
		if err != nil {
			bad("%s: %w", name, err)
		}
		return o
	}
	constParam := func(name, v string, required bool) string {
		if v == "" && required {
			bad("%s is required", name)
		}
		if err := checkXMLText(v); err != nil {
			bad("%s: %w", name, err)
		}
		return v
	}
	if modes := modesByFn[fn.kind]; modes != nil {
		m, ok := modes[strings.ToLower(t.Mode)]
		switch {
		case ok:
			s.mode = m
		case t.Mode == "" && fn.kind == fnTrim:
			s.mode = modeBoth
		case t.Mode == "":
			bad("mode is required (one of %s)", strings.Join(sortedKeys(modes), ", "))
		default:
			bad("unknown mode %q (one of %s)%s", t.Mode, strings.Join(sortedKeys(modes), ", "), didYouMean(t.Mode, sortedKeys(modes)))
		}
	}

	switch fn.kind {
	case fnJoin:
		s.input2 = param("input2", t.Input2, true)
		s.sep = constParam("separator", t.Separator, false)
		if s.nameIDJoin && s.input2.kind == opConst && cc.verified != nil && !cc.verified[strings.ToLower(s.input2.key)] {
			bad("input2 %q is not a verified domain of the tenant; a NameID Join may only append one", s.input2.key)
		}
	case fnContains, fnStartWith, fnEndWith:
		s.value = constParam("value", t.Value, true)
		s.output = param("output", t.Output, true)
		s.els = param("else", t.Else, false)
	case fnExtract:
		s.value = constParam("value", t.Value, true)
		if s.mode == modeBetween {
			s.value2 = constParam("value2", t.Value2, true)
		} else if t.Value2 != "" {
			bad("value2 applies only to mode between; remove it")
		}
	case fnIfEmpty:
		s.output = param("output", t.Output, true)
		s.els = param("else", t.Else, false)
	case fnIfNotEmpty:
		s.output = param("output", t.Output, true)
	case fnSubstring:
		s.start, s.length = t.StartIndex, t.Length
		if t.StartIndex < 0 {
			bad("start_index %d is negative", t.StartIndex)
		}
		switch {
		case s.mode == modeFixed && t.Length <= 0:
			bad("mode fixed needs length > 0 (the maximum number of characters)")
		case s.mode == modeEnd && t.Length != 0:
			bad("length does not apply to mode end; remove it")
		}
	case fnRegexReplace:
		s.els = param("else", t.Else, false)
		rx, err := compileRegexReplace(cc.schema, t.Regex, t.Replacement, t.AdditionalInputs, cc.regexTimeout)
		if err != nil {
			for _, e := range unjoin(err) {
				bad("%w", e)
			}
		}
		s.rx = rx
	case fnTrim:
		s.value = constParam("value", t.Value, false)
	}
	return s, len(errs.errs) == n
}

// unjoin splits an errors.Join result.
func unjoin(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	return []error{err}
}

// errIllegalNameID marks a NameID transformation result Entra ID would not
// accept (a Join to an unverified domain); the NameID then falls back to
// the pairwise id.
var errIllegalNameID = errors.New("illegal NameID transformation result")

// apply runs the step on one input value. ok=false means "no output".
func (s *step) apply(c *evalCtx, in string) (out string, ok bool, err error) {
	switch s.kind {
	case fnJoin:
		p2 := s.input2.first(c)
		if s.nameIDJoin {
			if i := strings.IndexByte(in, '@'); i >= 0 {
				in = in[:i]
			}
			if !c.verifiedDomain(p2) {
				return "", false, fmt.Errorf("%w: %q is not a verified domain", errIllegalNameID, p2)
			}
		}
		if in == "" && p2 == "" {
			return "", false, nil
		}
		return in + s.sep + p2, true, nil
	case fnExtractMailPrefix:
		if i := strings.IndexByte(in, '@'); i >= 0 {
			return in[:i], i > 0, nil
		}
		return in, in != "", nil
	case fnToLowercase:
		return strings.ToLower(in), in != "", nil
	case fnToUppercase:
		return strings.ToUpper(in), in != "", nil
	case fnContains, fnStartWith, fnEndWith:
		if s.test(in) {
			return s.output.first(c), true, nil
		}
		if s.els.kind != opNone {
			return s.els.first(c), true, nil
		}
		return "", false, nil
	case fnExtract:
		return s.extract(in)
	case fnExtractAlpha:
		return extractRun(in, s.mode == modePrefix, unicode.IsLetter)
	case fnExtractNumeric:
		return extractRun(in, s.mode == modePrefix, unicode.IsDigit)
	case fnIfEmpty:
		if in == "" {
			return s.output.first(c), true, nil
		}
		if s.els.kind != opNone {
			return s.els.first(c), true, nil
		}
		return "", false, nil
	case fnIfNotEmpty:
		if in != "" {
			return s.output.first(c), true, nil
		}
		return "", false, nil
	case fnSubstring:
		return substring(in, s.start, s.length, s.mode == modeFixed)
	case fnRegexReplace:
		out, matched, err := s.rx.replace(c, in)
		if err != nil {
			return "", false, err
		}
		if matched {
			return out, out != "", nil
		}
		if s.els.kind != opNone {
			return s.els.first(c), true, nil
		}
		return "", false, nil
	case fnTrim:
		return trim(in, s.value, s.mode), true, nil
	}
	return "", false, nil
}

// test is the Contains/StartWith/EndWith comparison.
func (s *step) test(in string) bool {
	v := s.value
	if s.ignoreCase {
		switch s.kind {
		case fnStartWith:
			return len(in) >= len(v) && strings.EqualFold(in[:len(v)], v)
		case fnEndWith:
			return len(in) >= len(v) && strings.EqualFold(in[len(in)-len(v):], v)
		}
		in, v = strings.ToLower(in), strings.ToLower(v)
	}
	switch s.kind {
	case fnStartWith:
		return strings.HasPrefix(in, v)
	case fnEndWith:
		return strings.HasSuffix(in, v)
	}
	return strings.Contains(in, v)
}

func (s *step) index(in, v string) int {
	if s.firstOcc {
		return strings.Index(in, v)
	}
	return strings.LastIndex(in, v)
}

// extract returns the text after, before or between the markers. With the
// default last-occurrence rule, between uses the last start marker and the
// last end marker after it (the greedy regex ^.*V1(.*)V2.*$).
func (s *step) extract(in string) (string, bool, error) {
	i := s.index(in, s.value)
	if i < 0 {
		return "", false, nil
	}
	var out string
	switch s.mode {
	case modeAfter:
		out = in[i+len(s.value):]
	case modeBefore:
		out = in[:i]
	case modeBetween:
		rest := in[i+len(s.value):]
		j := s.index(rest, s.value2)
		if j < 0 {
			return "", false, nil
		}
		out = rest[:j]
	}
	return out, out != "", nil
}

// extractRun returns the leading (prefix) or trailing (suffix) run of
// characters for which class holds.
func extractRun(in string, prefix bool, class func(rune) bool) (string, bool, error) {
	if prefix {
		end := 0
		for i, r := range in {
			if !class(r) {
				break
			}
			end = i + utf8.RuneLen(r)
		}
		return in[:end], end > 0, nil
	}
	start := len(in)
	for start > 0 {
		r, size := utf8.DecodeLastRuneInString(in[:start])
		if !class(r) {
			break
		}
		start -= size
	}
	return in[start:], start < len(in), nil
}

// substring counts characters (runes), not bytes, so a value is never cut
// inside a character. A start past the end gives no output; a length
// running past the end is clamped (Graph calls it a maximum).
func substring(in string, start, length int, fixed bool) (string, bool, error) {
	i, n := 0, 0
	for n < start && i < len(in) {
		_, size := utf8.DecodeRuneInString(in[i:])
		i += size
		n++
	}
	if n < start || i >= len(in) {
		return "", false, nil
	}
	if !fixed {
		return in[i:], true, nil
	}
	j := i
	for k := 0; k < length && j < len(in); k++ {
		_, size := utf8.DecodeRuneInString(in[j:])
		j += size
	}
	return in[i:j], true, nil
}

// trim removes leading and/or trailing characters: Unicode white space when
// value is empty, else any character of value (like .NET String.Trim(char[])).
func trim(in, cutset string, mode uint8) string {
	if cutset == "" {
		switch mode {
		case modeLeading:
			return strings.TrimLeftFunc(in, unicode.IsSpace)
		case modeTrailing:
			return strings.TrimRightFunc(in, unicode.IsSpace)
		}
		return strings.TrimSpace(in)
	}
	switch mode {
	case modeLeading:
		return strings.TrimLeft(in, cutset)
	case modeTrailing:
		return strings.TrimRight(in, cutset)
	}
	return strings.Trim(in, cutset)
}
