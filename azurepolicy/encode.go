package azurepolicy

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strconv"
	"strings"

	"github.com/samlab/samlab/config"
)

// EncodeTOML writes r as an [[apps]] fragment of a samlab configuration
// file: name = appName, then the policy's keys (default_claims, nameid,
// claims with their transformations as inline tables and their conditions,
// group_claim). Every warning comes first as a "# warning:" comment. The
// app's entity_id and acs_urls are left as comments to fill in.
//
// The encoder is written by hand rather than with BurntSushi/toml, whose
// encoder writes every zero-valued key and turns each transformation into
// its own [[apps.claims.transformations]] table; keys left at their zero
// value are omitted here, and strings are quoted as TOML requires. The
// output decodes back, with BurntSushi/toml, into the same policy.
func EncodeTOML(w io.Writer, r *Result, appName string) error {
	if r == nil {
		return errors.New("azurepolicy: EncodeTOML: nil result")
	}
	if strings.TrimSpace(appName) == "" {
		return errors.New("azurepolicy: EncodeTOML: app name is empty")
	}
	bw := bufio.NewWriter(w)
	title := "an Entra ID Claims Mapping Policy"
	if r.DisplayName != "" {
		title += " (" + r.DisplayName + ")"
	}
	comment(bw, "", "Claim rules imported by samlab from "+title+".")
	comment(bw, "", "Paste into a samlab configuration file and fill in entity_id and acs_urls.")
	for _, wn := range r.Warnings {
		comment(bw, "warning: ", wn)
	}
	bw.WriteString("[[apps]]\n")
	bw.WriteString("name = " + config.QuoteString(appName) + "\n")
	bw.WriteString("# entity_id = \"\"   # the service provider's entity id (Azure \"Identifier\")\n")
	bw.WriteString("# acs_urls = [\"\"]  # its Assertion Consumer Service URLs (Azure \"Reply URLs\")\n")
	e := &encoder{w: bw}
	e.table(reflect.ValueOf(r.Policy), "apps")
	if e.err != nil {
		return e.err
	}
	return bw.Flush()
}

// comment writes text as comment lines, one per line of text, with
// control characters made visible.
func comment(w *bufio.Writer, prefix, text string) {
	for _, line := range strings.Split(text, "\n") {
		w.WriteString("# " + prefix + visible(line) + "\n")
	}
}

// visible replaces control characters (which a comment may not hold) by
// their escapes.
func visible(s string) string {
	var b strings.Builder
	for _, r := range strings.ToValidUTF8(s, "\uFFFD") {
		if r < 0x20 || r == 0x7f {
			fmt.Fprintf(&b, "\\u%04X", r)
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// encoder writes struct values as TOML tables.
type encoder struct {
	w   *bufio.Writer
	err error
}

// field is one non-zero struct field with its TOML key.
type field struct {
	key string
	v   reflect.Value
}

// fields returns v's tagged, non-zero fields in declaration order.
func fields(v reflect.Value) []field {
	var out []field
	t := v.Type()
	for i := 0; i < t.NumField(); i++ {
		sf := t.Field(i)
		key, _, _ := strings.Cut(sf.Tag.Get("toml"), ",")
		if !sf.IsExported() || key == "" || key == "-" {
			continue
		}
		fv := v.Field(i)
		if fv.IsZero() || (fv.Kind() == reflect.Slice && fv.Len() == 0) {
			continue
		}
		out = append(out, field{key, fv})
	}
	return out
}

// isTable says whether a field is written as a table or an array of
// tables rather than as a key = value line.
func isTable(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.Pointer:
		return v.Elem().Kind() == reflect.Struct
	case reflect.Struct:
		return true
	case reflect.Slice:
		return v.Type().Elem().Kind() == reflect.Struct && !flat(v.Type().Elem())
	}
	return false
}

// flat says whether struct type t holds only scalars and string lists, so
// that a list of it reads well as an array of inline tables (the
// transformations of a rule).
func flat(t reflect.Type) bool {
	for i := 0; i < t.NumField(); i++ {
		switch t.Field(i).Type.Kind() {
		case reflect.String, reflect.Bool, reflect.Int, reflect.Int64:
		case reflect.Slice:
			if t.Field(i).Type.Elem().Kind() != reflect.String {
				return false
			}
		default:
			return false
		}
	}
	return true
}

// table writes the keys of struct v (already under the header for path),
// then its sub-tables.
func (e *encoder) table(v reflect.Value, path string) {
	fs := fields(v)
	for _, f := range fs {
		if !isTable(f.v) {
			e.w.WriteString(f.key + " = " + e.value(f.v) + "\n")
		}
	}
	for _, f := range fs {
		if !isTable(f.v) {
			continue
		}
		sub := path + "." + f.key
		switch f.v.Kind() {
		case reflect.Pointer:
			e.w.WriteString("\n[" + sub + "]\n")
			e.table(f.v.Elem(), sub)
		case reflect.Struct:
			e.w.WriteString("\n[" + sub + "]\n")
			e.table(f.v, sub)
		case reflect.Slice:
			for i := 0; i < f.v.Len(); i++ {
				e.w.WriteString("\n[[" + sub + "]]\n")
				e.table(f.v.Index(i), sub)
			}
		}
	}
}

// value renders a key's value.
func (e *encoder) value(v reflect.Value) string {
	switch v.Kind() {
	case reflect.String:
		return config.QuoteString(v.String())
	case reflect.Bool:
		return strconv.FormatBool(v.Bool())
	case reflect.Int, reflect.Int64:
		return strconv.FormatInt(v.Int(), 10)
	case reflect.Slice:
		if v.Type().Elem().Kind() == reflect.Struct {
			// An array of inline tables, one per line.
			var b strings.Builder
			b.WriteString("[\n")
			for i := 0; i < v.Len(); i++ {
				b.WriteString("  " + e.inline(v.Index(i)) + ",\n")
			}
			b.WriteString("]")
			return b.String()
		}
		parts := make([]string, v.Len())
		for i := range parts {
			parts[i] = e.value(v.Index(i))
		}
		return "[" + strings.Join(parts, ", ") + "]"
	}
	if e.err == nil {
		e.err = fmt.Errorf("azurepolicy: EncodeTOML: cannot encode a %s", v.Type())
	}
	return `""`
}

// inline renders a flat struct as an inline table.
func (e *encoder) inline(v reflect.Value) string {
	fs := fields(v)
	parts := make([]string, len(fs))
	for i, f := range fs {
		parts[i] = f.key + " = " + e.value(f.v)
	}
	return "{ " + strings.Join(parts, ", ") + " }"
}
