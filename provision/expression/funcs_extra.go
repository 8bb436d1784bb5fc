package expression

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf16"
)

// BitAnd(value1, value2): the bitwise AND of two whole numbers
// (Microsoft's example BitAnd(&HF, &HF7) is 7).
func evalBitAnd(ev *evaluator, c *callNode) (Value, error) {
	a, err := ev.int(c, 0)
	if err != nil {
		return Value{}, err
	}
	b, err := ev.int(c, 1)
	if err != nil {
		return Value{}, err
	}
	return StringValue(strconv.Itoa(a & b)), nil
}

// ConvertToBase64(source): base64 of the string's UTF-16LE bytes (.NET's
// "Unicode" encoding), as Microsoft's example shows.
func evalConvertToBase64(ev *evaluator, c *callNode) (Value, error) {
	src, err := ev.arg(c, 0)
	if err != nil {
		return Value{}, err
	}
	return src.mapStrings(func(s string) string {
		u := utf16.Encode([]rune(s))
		b := make([]byte, 2*len(u))
		for i, x := range u {
			binary.LittleEndian.PutUint16(b[2*i:], x)
		}
		return base64.StdEncoding.EncodeToString(b)
	}), nil
}

// ConvertToUTF8Hex(source): the UTF-8 bytes in upper-case hexadecimal.
func evalConvertToUTF8Hex(ev *evaluator, c *callNode) (Value, error) {
	src, err := ev.arg(c, 0)
	if err != nil {
		return Value{}, err
	}
	return src.mapStrings(func(s string) string { return strings.ToUpper(hex.EncodeToString([]byte(s))) }), nil
}

// Count(attribute): the number of values; 0 for null.
func evalCount(ev *evaluator, c *callNode) (Value, error) {
	v, err := ev.arg(c, 0)
	return StringValue(strconv.Itoa(len(v.vals))), err
}

// CStr(value): the value as a string; every value already is one.
func evalCStr(ev *evaluator, c *callNode) (Value, error) { return ev.arg(c, 0) }

// Guid(): a new random (version 4) GUID in lower case, from Options.Rand.
func evalGuid(ev *evaluator, c *callNode) (Value, error) {
	var b [16]byte
	if _, err := io.ReadFull(ev.random(), b[:]); err != nil {
		return Value{}, &EvalError{Function: c.fn.name, Msg: "reading randomness", Err: err}
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b[:])
	return StringValue(h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]), nil
}

func (ev *evaluator) random() io.Reader {
	if ev.opt.Rand != nil {
		return ev.opt.Rand
	}
	return rand.Reader
}

// IgnoreFlowIfNullOrEmpty(expression): null (the attribute is dropped from
// the flow) when the value is null or empty, else the value.
func evalIgnoreFlowIfNullOrEmpty(ev *evaluator, c *callNode) (Value, error) {
	v, err := ev.arg(c, 0)
	if err != nil || v.isNullOrEmpty() {
		return Value{}, err
	}
	return v, nil
}

// InStr(value1, value2, start, compareType): the 1-based position of the
// first value2 in value1 at or after start (default 1), 0 when absent;
// vbTextCompare ignores case. Null when value1 is null.
func evalInStr(ev *evaluator, c *callNode) (Value, error) {
	s, ok, err := ev.str(c, 0)
	if err != nil || !ok {
		return Value{}, err
	}
	sub, _, err := ev.str(c, 1)
	if err != nil {
		return Value{}, err
	}
	start := 1
	if given(c, 2) {
		if start, err = ev.int(c, 2); err != nil {
			return Value{}, err
		}
		if start < 1 {
			return Value{}, c.errf("start is %d; the first character is 1", start)
		}
	}
	cmp, _, err := ev.str(c, 3)
	if err != nil {
		return Value{}, err
	}
	switch cmp {
	case "", "vbBinaryCompare", "0":
	case "vbTextCompare", "1":
		s, sub = strings.ToLower(s), strings.ToLower(sub)
	default:
		return Value{}, c.errf("compareType is %q; use vbBinaryCompare or vbTextCompare", cmp)
	}
	rs := []rune(s)
	if start > len(rs)+1 {
		return StringValue("0"), nil
	}
	i := strings.Index(string(rs[start-1:]), sub)
	if i < 0 {
		return StringValue("0"), nil
	}
	return StringValue(strconv.Itoa(start + len([]rune(string(rs[start-1:])[:i])))), nil
}

// Item(attribute, index): the index-th value, counting from 1 (Microsoft:
// "Index 0 shouldn't be used"); null past the last value.
func evalItem(ev *evaluator, c *callNode) (Value, error) {
	v, err := ev.arg(c, 0)
	if err != nil {
		return Value{}, err
	}
	i, err := ev.int(c, 1)
	if err != nil {
		return Value{}, err
	}
	if i < 1 {
		return Value{}, c.errf("index is %d; the first item is 1", i)
	}
	if i > len(v.vals) {
		return Value{}, nil
	}
	return StringValue(v.vals[i-1]), nil
}

// Redact(value): the value, marked so the provisioning log shows "[Redact]".
func evalRedact(ev *evaluator, c *callNode) (Value, error) {
	v, err := ev.arg(c, 0)
	if err != nil || v.IsNull() {
		return v, err
	}
	v.redacted = true
	return v, nil
}

// RemoveDuplicates(attribute): the values with later duplicates removed
// (case-sensitive), in order.
func evalRemoveDuplicates(ev *evaluator, c *callNode) (Value, error) {
	v, err := ev.arg(c, 0)
	if err != nil || v.IsNull() {
		return v, err
	}
	return Value{vals: uniqueStrings(v.vals), set: true, redacted: v.redacted}, nil
}

// PCase(source, wordSeparators): lower case with the first letter of each
// word upper case. Without wordSeparators this follows .NET's ToTitleCase
// (applied to the lower-cased source, since Microsoft's example turns
// "PABLO" into "Pablo"): a word starts at a letter and runs through letters,
// digits, marks and apostrophes ("o'hara" → "O'hara") up to a separator —
// space, control, punctuation or symbol. With wordSeparators, a word starts
// after any of those characters ("PINTO-DE'SILVA" with " '-" → "Pinto-De'Silva").
func evalPCase(ev *evaluator, c *callNode) (Value, error) {
	src, err := ev.arg(c, 0)
	if err != nil {
		return Value{}, err
	}
	seps, hasSeps, err := ev.str(c, 1)
	if err != nil {
		return Value{}, err
	}
	if hasSeps {
		return src.mapStrings(func(s string) string { return pcaseSeparators(s, seps) }), nil
	}
	return src.mapStrings(titleCase), nil
}

func pcaseSeparators(s, seps string) string {
	var b strings.Builder
	start := true
	for _, r := range s {
		switch {
		case strings.ContainsRune(seps, r):
			b.WriteRune(r)
			start = true
		case start:
			b.WriteRune(unicode.ToTitle(r))
			start = false
		default:
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}

// titleCase is .NET's TextInfo.ToTitleCase on the lower-cased string.
func titleCase(s string) string {
	var b strings.Builder
	inWord := false
	for _, r := range s {
		switch {
		case unicode.IsLetter(r) && !inWord:
			b.WriteRune(unicode.ToTitle(r))
			inWord = true
		case inWord && (unicode.IsLetter(r) || r == '\'' || !isTitleSeparator(r)):
			b.WriteRune(unicode.ToLower(r))
		default:
			b.WriteRune(unicode.ToLower(r))
			inWord = false
		}
	}
	return b.String()
}

// isTitleSeparator reports whether .NET's ToTitleCase ends a word at r:
// separators, controls, format characters, punctuation and symbols.
func isTitleSeparator(r rune) bool {
	return unicode.In(r, unicode.Z, unicode.Cc, unicode.Cf, unicode.P, unicode.S)
}

// The character classes of RandomString, as Windows' password-complexity
// reference lists them.
const (
	randDigits  = "0123456789"
	randUpper   = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	randLower   = "abcdefghijklmnopqrstuvwxyz"
	randSpecial = "~!@#$%^&*_-+=`|\\(){}[]:;\"'<>,.?/"
	maxRandom   = 256
)

// RandomString(Length, MinimumNumbers, MinimumSpecialCharacters,
// MinimumCapital, MinimumLowerCase, CharactersToAvoid): a random string of
// Length (at most 256) characters with at least the given counts of each
// class and none of CharactersToAvoid, from Options.Rand.
func evalRandomString(ev *evaluator, c *callNode) (Value, error) {
	var n [5]int
	for i := range n {
		v, err := ev.int(c, i)
		if err != nil {
			return Value{}, err
		}
		if v < 0 {
			return Value{}, c.errf("%s is %d; it must be 0 or more", c.fn.param(i), v)
		}
		n[i] = v
	}
	avoid, _, err := ev.str(c, 5)
	if err != nil {
		return Value{}, err
	}
	length := n[0]
	for i, v := range n {
		if v > maxRandom {
			return Value{}, c.errf("%s is %d; the maximum is %d", c.fn.param(i), v, maxRandom)
		}
	}
	if sum := n[1] + n[2] + n[3] + n[4]; sum > length {
		return Value{}, c.errf("the minimum counts add up to %d, more than Length %d", sum, length)
	}
	keep := func(set string) string {
		return strings.Map(func(r rune) rune {
			if strings.ContainsRune(avoid, r) {
				return -1
			}
			return r
		}, set)
	}
	classes := []string{keep(randDigits), keep(randSpecial), keep(randUpper), keep(randLower)}
	all := strings.Join(classes, "")
	if all == "" && length > 0 {
		return Value{}, c.errf("CharactersToAvoid excludes every character")
	}
	rnd := ev.random()
	pick := func(set string) (byte, error) {
		i, err := randIntn(rnd, len(set))
		return set[i], err
	}
	out := make([]byte, 0, length)
	for ci, set := range classes {
		if n[ci+1] > 0 && set == "" {
			return Value{}, c.errf("%s asks for characters that CharactersToAvoid excludes", c.fn.param(ci+1))
		}
		for range n[ci+1] {
			ch, err := pick(set)
			if err != nil {
				return Value{}, &EvalError{Function: c.fn.name, Msg: "reading randomness", Err: err}
			}
			out = append(out, ch)
		}
	}
	for len(out) < length {
		ch, err := pick(all)
		if err != nil {
			return Value{}, &EvalError{Function: c.fn.name, Msg: "reading randomness", Err: err}
		}
		out = append(out, ch)
	}
	for i := len(out) - 1; i > 0; i-- { // Fisher–Yates, so required classes are not in front
		j, err := randIntn(rnd, i+1)
		if err != nil {
			return Value{}, &EvalError{Function: c.fn.name, Msg: "reading randomness", Err: err}
		}
		out[i], out[j] = out[j], out[i]
	}
	return StringValue(string(out)), nil
}

// randIntn returns a uniform integer in [0, n) read from r, without modulo bias.
func randIntn(r io.Reader, n int) (int, error) {
	if n <= 0 {
		return 0, fmt.Errorf("randIntn(%d)", n)
	}
	limit := uint32(1<<32 - (1<<32)%uint64(n))
	var b [4]byte
	for {
		if _, err := io.ReadFull(r, b[:]); err != nil {
			return 0, err
		}
		if v := binary.BigEndian.Uint32(b[:]); limit == 0 || v < limit {
			return int(v % uint32(n)), nil
		}
	}
}
