package config

import (
	"bufio"
	"fmt"
	"io"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/samlab/samlab/claims"
)

// Redacted replaces passwords and password hashes in Encode's output.
const Redacted = "(set)"

// Encode writes the effective configuration as TOML, for `samlab config
// check`: defaults filled in, relative paths resolved, SP metadata applied,
// empty keys left out, and passwords and hashes replaced by "(set)". Keys
// the profile decides (signing, lifetime, NameID format...) stay out when
// the file left them unset, and are named in a comment.
func (c *Config) Encode(w io.Writer) error {
	bw := bufio.NewWriter(w)
	e := &encoder{w: bw}
	fmt.Fprintf(bw, "# Effective configuration of %s, with defaults filled in.\n", c.Source)
	fmt.Fprintf(bw, "# Passwords and hashes are shown as %q.\n\n", Redacted)
	e.table("idp", reflect.ValueOf(c.IdP), false)
	for _, u := range c.Users {
		if u.Password != "" {
			u.Password = Redacted
		}
		if u.PasswordHash != "" {
			u.PasswordHash = Redacted
		}
		e.table("users", reflect.ValueOf(u), true)
	}
	for _, g := range c.Groups {
		e.table("groups", reflect.ValueOf(g), true)
	}
	for _, a := range c.Apps {
		e.table("apps", reflect.ValueOf(a), true)
	}
	e.scim(c.SCIM)
	return bw.Flush()
}

type encoder struct {
	w *bufio.Writer
}

// field is one TOML key of a struct, embedded structs flattened.
type field struct {
	key string
	v   reflect.Value
}

func fields(v reflect.Value) []field {
	var out []field
	t := v.Type()
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		tag := strings.Split(f.Tag.Get("toml"), ",")[0]
		switch {
		case !f.IsExported() || tag == "-":
		case f.Anonymous && tag == "" && f.Type.Kind() == reflect.Struct:
			out = append(out, fields(v.Field(i))...)
		case tag != "":
			out = append(out, field{tag, v.Field(i)})
		}
	}
	return out
}

var transformationType = reflect.TypeOf(claims.Transformation{})

// kindOf sorts a value into how it is written.
func kindOf(v reflect.Value) string {
	t := v.Type()
	switch {
	case t.Kind() == reflect.Pointer && t.Elem().Kind() == reflect.Struct, t.Kind() == reflect.Struct:
		return "table"
	case t.Kind() == reflect.Map:
		return "table"
	case t.Kind() == reflect.Slice && t.Elem().Kind() == reflect.Struct && t.Elem() != transformationType:
		return "array-of-tables"
	}
	return "inline"
}

// table writes one table with its inline keys first, then its sub-tables
// and arrays of tables, as TOML requires.
func (e *encoder) table(path string, v reflect.Value, array bool) {
	if v.Kind() == reflect.Pointer {
		v = v.Elem()
	}
	if array {
		fmt.Fprintf(e.w, "[[%s]]\n", path)
	} else {
		fmt.Fprintf(e.w, "[%s]\n", path)
	}
	if v.Kind() == reflect.Map {
		keys := v.MapKeys()
		slices.SortFunc(keys, func(a, b reflect.Value) int { return strings.Compare(a.String(), b.String()) })
		for _, k := range keys {
			fmt.Fprintf(e.w, "%s = %s\n", tomlKey(k.String()), inline(v.MapIndex(k)))
		}
		fmt.Fprintln(e.w)
		return
	}
	fs := fields(v)
	for _, f := range fs {
		if kindOf(f.v) == "inline" && !f.v.IsZero() {
			fmt.Fprintf(e.w, "%s = %s\n", tomlKey(f.key), inline(f.v))
		}
	}
	if a, ok := v.Interface().(App); ok {
		if unset := profileKeys(a); len(unset) > 0 {
			fmt.Fprintf(e.w, "# from profile %s: %s\n", a.Profile, strings.Join(unset, ", "))
		}
	}
	fmt.Fprintln(e.w)
	for _, f := range fs {
		if kindOf(f.v) == "table" && !isEmpty(f.v) {
			e.table(path+"."+tomlKey(f.key), f.v, false)
		}
	}
	for _, f := range fs {
		if kindOf(f.v) == "array-of-tables" {
			for i := 0; i < f.v.Len(); i++ {
				e.table(path+"."+tomlKey(f.key), f.v.Index(i), true)
			}
		}
	}
}

// profileKeys lists the keys of an app that the file left to its profile.
func profileKeys(a App) []string {
	var out []string
	for _, k := range []struct {
		key   string
		unset bool
	}{
		{"signing", a.Signing == ""},
		{"signature_algorithm", a.SignatureAlgorithm == ""},
		{"lifetime", a.Lifetime == ""},
		{"nameid.format", a.NameID.Format == ""},
	} {
		if k.unset {
			out = append(out, k.key)
		}
	}
	return out
}

// isEmpty reports whether a table would have nothing in it.
func isEmpty(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.Pointer:
		return v.IsNil()
	case reflect.Map:
		return v.Len() == 0
	}
	return v.IsZero()
}

// inline writes a value on one line.
func inline(v reflect.Value) string {
	switch v.Kind() {
	case reflect.String:
		return QuoteString(v.String())
	case reflect.Bool:
		return strconv.FormatBool(v.Bool())
	case reflect.Int, reflect.Int64, reflect.Int32:
		return strconv.FormatInt(v.Int(), 10)
	case reflect.Slice:
		if v.Type() == reflect.TypeOf(claims.Values{}) && v.Len() == 1 {
			return QuoteString(v.Index(0).String())
		}
		parts := make([]string, v.Len())
		for i := range parts {
			parts[i] = inline(v.Index(i))
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case reflect.Map:
		keys := v.MapKeys()
		slices.SortFunc(keys, func(a, b reflect.Value) int { return strings.Compare(a.String(), b.String()) })
		parts := make([]string, len(keys))
		for i, k := range keys {
			parts[i] = tomlKey(k.String()) + " = " + inline(v.MapIndex(k))
		}
		return "{ " + strings.Join(parts, ", ") + " }"
	case reflect.Struct:
		var parts []string
		for _, f := range fields(v) {
			if !f.v.IsZero() {
				parts = append(parts, tomlKey(f.key)+" = "+inline(f.v))
			}
		}
		return "{ " + strings.Join(parts, ", ") + " }"
	case reflect.Pointer:
		if v.IsNil() {
			return "{}"
		}
		return inline(v.Elem())
	}
	return QuoteString(fmt.Sprint(v.Interface()))
}

var bareKeyRE = regexp.MustCompile(`^[A-Za-z0-9_-]+$`)

func tomlKey(k string) string {
	if bareKeyRE.MatchString(k) {
		return k
	}
	return QuoteString(k)
}

// QuoteString writes s as a TOML string: a literal string ('...') when that
// needs no escapes, which keeps regular expressions readable, else a
// basic string with TOML's escapes.
func QuoteString(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	if strings.ContainsRune(s, '\\') && literalOK(s) {
		return "'" + s + "'"
	}
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch r {
		case '"':
			b.WriteString(`\"`)
		case '\\':
			b.WriteString(`\\`)
		case '\b':
			b.WriteString(`\b`)
		case '\t':
			b.WriteString(`\t`)
		case '\n':
			b.WriteString(`\n`)
		case '\f':
			b.WriteString(`\f`)
		case '\r':
			b.WriteString(`\r`)
		default:
			if r < 0x20 || r == 0x7f {
				fmt.Fprintf(&b, `\u%04X`, r)
				continue
			}
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// literalOK says whether s can be a TOML literal string: no single quote
// and no control character other than tab.
func literalOK(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if r == '\'' || (r < 0x20 && r != '\t') || r == 0x7f {
			return false
		}
	}
	return true
}

// scim writes the [scim] table with every key, tokens counted, not shown.
func (e *encoder) scim(s SCIM) {
	fmt.Fprintln(e.w, "[scim]")
	fmt.Fprintf(e.w, "enabled = %t\n", s.IsEnabled())
	db := "# (embedded SQLite in the state directory)"
	if s.Database != "" {
		db = QuoteString(s.RedactedDatabase())
		fmt.Fprintf(e.w, "database = %s\n", db)
	} else {
		fmt.Fprintf(e.w, "database = \"\" %s\n", db)
	}
	if len(s.Tokens) > 0 {
		parts := make([]string, len(s.Tokens))
		for i := range parts {
			parts[i] = QuoteString(Redacted)
		}
		fmt.Fprintf(e.w, "tokens = [%s]\n", strings.Join(parts, ", "))
	}
	fmt.Fprintf(e.w, "max_body_bytes = %d\n", s.MaxBodyBytes)
	fmt.Fprintf(e.w, "error_details = %s\n", QuoteString(s.ErrorDetails))
	fmt.Fprintln(e.w, "# also accepted: the bearer token in $SAMLAB_SCIM_TOKEN")
	fmt.Fprintln(e.w)
}
