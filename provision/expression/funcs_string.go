package expression

import (
	"strings"
	"unicode"
)

// Append(source, suffix): null source stays null (nothing to flow); a null
// suffix appends nothing. A multi-valued source gets the suffix on each value.
func evalAppend(ev *evaluator, c *callNode) (Value, error) {
	src, err := ev.arg(c, 0)
	if err != nil || src.IsNull() {
		return Value{}, err
	}
	suffix, _, err := ev.str(c, 1)
	if err != nil {
		return Value{}, err
	}
	return src.mapStrings(func(s string) string { return s + suffix }), nil
}

// Join(separator, source1, …): every value of every source, in order, with
// null and empty values skipped (Microsoft's example Join(", ", "", [surname],
// [givenName]) gives "Doe, John"). Null when every source is null.
func evalJoin(ev *evaluator, c *callNode) (Value, error) {
	sep, _, err := ev.str(c, 0)
	if err != nil {
		return Value{}, err
	}
	var parts []string
	anySet := false
	for i := 1; i < len(c.args); i++ {
		v, err := ev.arg(c, i)
		if err != nil {
			return Value{}, err
		}
		anySet = anySet || !v.IsNull()
		for _, s := range v.vals {
			if s != "" {
				parts = append(parts, s)
			}
		}
	}
	if !anySet {
		return Value{}, nil
	}
	return StringValue(strings.Join(parts, sep)), nil
}

// Left(String, NumChars), as documented: NumChars 0 gives "", a negative
// NumChars gives the input, a null String gives "", a short String is
// returned whole. Characters are Unicode code points.
func evalLeft(ev *evaluator, c *callNode) (Value, error) {
	src, err := ev.arg(c, 0)
	if err != nil {
		return Value{}, err
	}
	n, err := ev.int(c, 1)
	if err != nil {
		return Value{}, err
	}
	if src.IsNull() {
		return StringValue(""), nil
	}
	return src.mapStrings(func(s string) string {
		if n < 0 {
			return s
		}
		r := []rune(s)
		if n < len(r) {
			return string(r[:n])
		}
		return s
	}), nil
}

// Mid(source, start, length): start is 1-based; a length past the end stops
// at the end; a start past the end gives "". A null source stays null.
func evalMid(ev *evaluator, c *callNode) (Value, error) {
	src, err := ev.arg(c, 0)
	if err != nil {
		return Value{}, err
	}
	start, err := ev.int(c, 1)
	if err != nil {
		return Value{}, err
	}
	length, err := ev.int(c, 2)
	if err != nil {
		return Value{}, err
	}
	if start < 1 {
		return Value{}, c.errf("start is %d; the first character is 1", start)
	}
	if length < 0 {
		return Value{}, c.errf("length is %d; it must be 0 or more", length)
	}
	return src.mapStrings(func(s string) string {
		r := []rune(s)
		if start > len(r) {
			return ""
		}
		end := min(len(r), start-1+length)
		return string(r[start-1 : end])
	}), nil
}

// StripSpaces(source) removes every " " (only the space character).
func evalStripSpaces(ev *evaluator, c *callNode) (Value, error) {
	src, err := ev.arg(c, 0)
	if err != nil {
		return Value{}, err
	}
	return src.mapStrings(func(s string) string { return strings.ReplaceAll(s, " ", "") }), nil
}

// Split(source, delimiter) gives a multi-valued result. Items are trimmed of
// surrounding white space, as Microsoft's example shows ("PermissionSetOne,
// PermissionSetTwo" → ["PermissionSetOne", "PermissionSetTwo"]), and empty
// items are dropped. A multi-valued source splits each value.
func evalSplit(ev *evaluator, c *callNode) (Value, error) {
	src, err := ev.arg(c, 0)
	if err != nil || src.IsNull() {
		return Value{}, err
	}
	delim, ok, err := ev.str(c, 1)
	if err != nil {
		return Value{}, err
	}
	if !ok || delim == "" {
		return Value{}, c.errf("delimiter is empty; give the character to split on, e.g. \",\"")
	}
	var out []string
	for _, s := range src.vals {
		for _, item := range strings.Split(s, delim) {
			if item = strings.TrimSpace(item); item != "" {
				out = append(out, item)
			}
		}
	}
	if len(out) == 0 {
		return StringValue(""), nil
	}
	return Value{vals: out, set: true}, nil
}

// ToLower(source, culture) and ToUpper(source, culture): invariant culture
// unless culture is Turkish or Azerbaijani (tr, tr-TR, az, az-Latn-AZ, …),
// whose dotted and dotless i differ. Other cultures case like the invariant one.
func evalToLower(ev *evaluator, c *callNode) (Value, error) { return evalCase(ev, c, false) }

func evalToUpper(ev *evaluator, c *callNode) (Value, error) { return evalCase(ev, c, true) }

func evalCase(ev *evaluator, c *callNode, upper bool) (Value, error) {
	src, err := ev.arg(c, 0)
	if err != nil {
		return Value{}, err
	}
	culture, _, err := ev.str(c, 1)
	if err != nil {
		return Value{}, err
	}
	lang := strings.ToLower(culture)
	if i := strings.IndexAny(lang, "-_"); i >= 0 {
		lang = lang[:i]
	}
	turkic := lang == "tr" || lang == "az"
	return src.mapStrings(func(s string) string {
		switch {
		case turkic && upper:
			return strings.ToUpperSpecial(unicode.TurkishCase, s)
		case turkic:
			return strings.ToLowerSpecial(unicode.TurkishCase, s)
		case upper:
			return strings.ToUpper(s)
		}
		return strings.ToLower(s)
	}), nil
}

// Word(String, WordNumber, Delimiters): the WordNumber-th word, words being
// the runs of characters between any of the Delimiters characters. A
// WordNumber below 1, a null String or too few words give "".
func evalWord(ev *evaluator, c *callNode) (Value, error) {
	src, err := ev.arg(c, 0)
	if err != nil {
		return Value{}, err
	}
	n, err := ev.int(c, 1)
	if err != nil {
		return Value{}, err
	}
	delims, _, err := ev.str(c, 2)
	if err != nil {
		return Value{}, err
	}
	s, ok, _ := src.single()
	if !ok || n < 1 {
		return StringValue(""), nil
	}
	words := strings.FieldsFunc(s, func(r rune) bool { return strings.ContainsRune(delims, r) })
	if n > len(words) {
		return StringValue(""), nil
	}
	return StringValue(words[n-1]), nil
}
