package azurepolicy

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// MaxInputSize is the largest policy document, in bytes, that [Convert]
// accepts. Real policies are a few kilobytes; Entra ID itself caps a policy
// definition far below this.
const MaxInputSize = 1 << 20

// Sentinel errors, for callers that test with errors.Is.
var (
	// ErrTooLarge is returned for input larger than MaxInputSize.
	ErrTooLarge = errors.New("azurepolicy: input is larger than 1 MiB")
	// ErrInvalidJSON is matched by every [*SyntaxError].
	ErrInvalidJSON = errors.New("azurepolicy: invalid JSON")
	// ErrNotPolicy is returned when the JSON holds no Claims Mapping Policy.
	ErrNotPolicy = errors.New("azurepolicy: no ClaimsMappingPolicy found")
)

// SyntaxError reports JSON that cannot be parsed, with where.
type SyntaxError struct {
	// Where is "" for the input itself, or the path of the embedded JSON
	// text that failed, such as `definition[0]`.
	Where string
	// Offset is the byte offset of the problem in that text; Line and
	// Column (1-based, columns in bytes) locate the same place.
	Offset       int64
	Line, Column int
	// Err is the parser's own error.
	Err error
}

func (e *SyntaxError) Error() string {
	where := "invalid JSON"
	if e.Where != "" {
		where = "invalid JSON in " + e.Where
	}
	return fmt.Sprintf("azurepolicy: %s at line %d, column %d (offset %d): %v", where, e.Line, e.Column, e.Offset, e.Err)
}

// Unwrap returns the parser's error.
func (e *SyntaxError) Unwrap() error { return e.Err }

// Is makes errors.Is(err, ErrInvalidJSON) true.
func (e *SyntaxError) Is(target error) bool { return target == ErrInvalidJSON }

// ConvertReader reads at most MaxInputSize bytes from r and converts them
// like [Convert]. Longer input fails with [ErrTooLarge] without being read
// to the end.
func ConvertReader(r io.Reader) (*Result, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxInputSize+1))
	if err != nil {
		return nil, fmt.Errorf("azurepolicy: reading policy: %w", err)
	}
	return Convert(data)
}

// normalizeText strips a byte order mark and turns UTF-16 text (what
// Windows PowerShell's Out-File writes) into UTF-8.
func normalizeText(data []byte) ([]byte, error) {
	switch {
	case bytes.HasPrefix(data, []byte{0xEF, 0xBB, 0xBF}):
		return data[3:], nil
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}), bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
		little := data[0] == 0xFF
		body := data[2:]
		if len(body)%2 != 0 {
			return nil, fmt.Errorf("azurepolicy: UTF-16 input has an odd number of bytes")
		}
		units := make([]uint16, len(body)/2)
		for i := range units {
			if little {
				units[i] = uint16(body[2*i]) | uint16(body[2*i+1])<<8
			} else {
				units[i] = uint16(body[2*i])<<8 | uint16(body[2*i+1])
			}
		}
		return []byte(string(utf16.Decode(units))), nil
	}
	return data, nil
}

// syntaxError turns a parser error on text into a *SyntaxError with line
// and column, or returns err unchanged when it carries no offset.
func syntaxError(text []byte, where string, err error) error {
	var off int64 = -1
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		// Offset counts the bytes read, the offending one included.
		off = se.Offset
		if off > 0 && !strings.Contains(se.Error(), "unexpected end") {
			off--
		}
	case errors.As(err, &te):
		off = te.Offset
	}
	if off < 0 {
		if where == "" {
			return fmt.Errorf("azurepolicy: invalid JSON: %w", err)
		}
		return fmt.Errorf("azurepolicy: invalid JSON in %s: %w", where, err)
	}
	if off > int64(len(text)) {
		off = int64(len(text))
	}
	line, col := 1, 1
	for _, b := range text[:off] {
		if b == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
	}
	return &SyntaxError{Where: where, Offset: off, Line: line, Column: col, Err: err}
}

// parseJSON checks that text is one well-formed JSON value and returns it.
func parseJSON(text []byte, where string) (json.RawMessage, error) {
	if !utf8.Valid(text) {
		return nil, fmt.Errorf("azurepolicy: %s is not valid UTF-8 (or UTF-16 with a byte order mark)", orInput(where))
	}
	var raw json.RawMessage
	if err := json.Unmarshal(text, &raw); err != nil {
		return nil, syntaxError(text, where, err)
	}
	return raw, nil
}

func orInput(where string) string {
	if where == "" {
		return "the input"
	}
	return where
}

// object is a JSON object whose keys are looked up without regard to case,
// as Entra ID does (public samples write both ClaimsSchema and
// claimsSchema). It remembers which keys were read, so the rest can be
// reported as not carried over.
type object struct {
	where  string
	fields map[string]json.RawMessage // lower-case key -> value
	names  map[string]string          // lower-case key -> key as written
	used   map[string]bool
}

func newObject(raw json.RawMessage, where string) (*object, error) {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil || m == nil {
		return nil, fmt.Errorf("%s: want a JSON object, got %s", where, kind(raw))
	}
	o := &object{where: where, fields: map[string]json.RawMessage{}, names: map[string]string{}, used: map[string]bool{}}
	for k, v := range m {
		lk := strings.ToLower(k)
		o.fields[lk] = v
		o.names[lk] = k
	}
	return o, nil
}

// get returns the value of the first of keys present (and not null).
func (o *object) get(keys ...string) (json.RawMessage, string, bool) {
	for _, k := range keys {
		lk := strings.ToLower(k)
		if v, ok := o.fields[lk]; ok {
			o.used[lk] = true
			if isNull(v) {
				continue
			}
			return v, o.names[lk], true
		}
	}
	return nil, "", false
}

// has reports whether any of keys is present.
func (o *object) has(keys ...string) bool {
	for _, k := range keys {
		if _, ok := o.fields[strings.ToLower(k)]; ok {
			return true
		}
	}
	return false
}

// ignore marks keys as read without using them.
func (o *object) ignore(keys ...string) {
	for _, k := range keys {
		o.used[strings.ToLower(k)] = true
	}
}

// unused lists the keys never read, as written, sorted.
func (o *object) unused() []string {
	var out []string
	for lk, name := range o.names {
		if !o.used[lk] {
			out = append(out, name)
		}
	}
	sort.Strings(out)
	return out
}

// str reads a string. Numbers and booleans are accepted as their text,
// because exports written by hand or by PowerShell sometimes carry
// "Value": 900 or "TreatAsMultiValue": "true".
func (o *object) str(errs *[]error, keys ...string) (string, bool) {
	v, name, ok := o.get(keys...)
	if !ok {
		return "", false
	}
	s, err := scalar(v)
	if err != nil {
		*errs = append(*errs, fmt.Errorf("%s.%s: %w", o.where, name, err))
		return "", false
	}
	return s, true
}

// boolean reads true/false, or the strings "true"/"false" in any case.
func (o *object) boolean(errs *[]error, keys ...string) (value, present bool) {
	v, name, ok := o.get(keys...)
	if !ok {
		return false, false
	}
	s, err := scalar(v)
	if err == nil {
		switch strings.ToLower(strings.TrimSpace(s)) {
		case "true":
			return true, true
		case "false":
			return false, true
		}
		err = fmt.Errorf("want true or false, got %s", v)
	}
	*errs = append(*errs, fmt.Errorf("%s.%s: %w", o.where, name, err))
	return false, false
}

// array reads an array; absent or null is an empty array.
func (o *object) array(errs *[]error, keys ...string) ([]json.RawMessage, string) {
	v, name, ok := o.get(keys...)
	if !ok {
		return nil, keys[0]
	}
	var out []json.RawMessage
	if err := json.Unmarshal(v, &out); err != nil {
		*errs = append(*errs, fmt.Errorf("%s.%s: want an array, got %s", o.where, name, kind(v)))
		return nil, name
	}
	return out, name
}

func scalar(v json.RawMessage) (string, error) {
	v = bytes.TrimSpace(v)
	if len(v) == 0 {
		return "", fmt.Errorf("want a string, got nothing")
	}
	switch v[0] {
	case '"':
		var s string
		if err := json.Unmarshal(v, &s); err != nil {
			return "", fmt.Errorf("bad string: %w", err)
		}
		return s, nil
	case 't', 'f':
		return string(v), nil
	case '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9':
		return string(v), nil
	}
	return "", fmt.Errorf("want a string, got %s", kind(v))
}

func isNull(v json.RawMessage) bool { return string(bytes.TrimSpace(v)) == "null" }

// kind names the JSON type of v for error messages.
func kind(v json.RawMessage) string {
	v = bytes.TrimSpace(v)
	if len(v) == 0 {
		return "nothing"
	}
	switch v[0] {
	case '{':
		return "an object"
	case '[':
		return "an array"
	case '"':
		return "a string"
	case 't', 'f':
		return "a boolean"
	case 'n':
		return "null"
	}
	return "a number"
}

// intText parses a decimal integer written as a number or a string.
func intText(s string) (int, error) {
	s = strings.TrimSpace(s)
	if f, err := strconv.ParseFloat(s, 64); err == nil && f == float64(int(f)) && f >= -1e9 && f <= 1e9 {
		return int(f), nil
	}
	return 0, fmt.Errorf("want a whole number, got %q", s)
}
