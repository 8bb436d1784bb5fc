package config

import (
	"fmt"
	"reflect"
	"sort"
	"strings"

	"github.com/BurntSushi/toml"

	"github.com/samlab/samlab/claims"
)

// The TOML decoder stops at the first value of the wrong type and says it
// in Go terms ("incompatible types: TOML value has type string; destination
// has type slice"). typedDecoder instead decodes key by key, so that one
// wrong value does not hide the rest of the file, and words each wrong
// value as what to write: `groups must be an array of strings, e.g.
// groups = ["grp-eng"]`.

// typeProblem is one value of the wrong type, at its indexed path
// ("users[0].groups").
type typeProblem struct {
	path, key string
	msg       string
}

type typedDecoder struct {
	md   toml.MetaData
	bad  []typeProblem
	seen map[string]bool
}

var unmarshalerType = reflect.TypeOf((*toml.Unmarshaler)(nil)).Elem()

// isTable says whether values of t are written as TOML tables whose keys
// map to fields.
func isTable(t reflect.Type) bool {
	return t.Kind() == reflect.Struct && !reflect.PointerTo(t).Implements(unmarshalerType)
}

// value decodes p into v (settable) at path; key is the last key of path,
// as written in the file.
func (d *typedDecoder) value(p toml.Primitive, v reflect.Value, path, key string) {
	t := v.Type()
	switch {
	case isTable(t):
		var m map[string]toml.Primitive
		if err := d.md.PrimitiveDecode(p, &m); err != nil {
			d.fail(path, key, t)
			return
		}
		for _, k := range sortedKeys(m) {
			f, ok := fieldByKey(v, k)
			if !ok {
				continue // reported by unknownKeys, at its line
			}
			d.value(m[k], f, joinPath(path, k), k)
		}
	case t.Kind() == reflect.Pointer && isTable(t.Elem()):
		nv := reflect.New(t.Elem())
		d.value(p, nv.Elem(), path, key)
		v.Set(nv)
	case t.Kind() == reflect.Slice && isTable(t.Elem()):
		var arr []toml.Primitive
		if err := d.md.PrimitiveDecode(p, &arr); err != nil {
			d.fail(path, key, t)
			return
		}
		s := reflect.MakeSlice(t, len(arr), len(arr))
		for i := range arr {
			d.value(arr[i], s.Index(i), fmt.Sprintf("%s[%d]", path, i), fmt.Sprintf("%s[%d]", key, i))
		}
		v.Set(s)
	case t.Kind() == reflect.Map && t.Key().Kind() == reflect.String:
		var m map[string]toml.Primitive
		if err := d.md.PrimitiveDecode(p, &m); err != nil {
			d.fail(path, key, t)
			return
		}
		out := reflect.MakeMapWithSize(t, len(m))
		for _, k := range sortedKeys(m) {
			e := reflect.New(t.Elem()).Elem()
			if d.value(m[k], e, joinPath(path, k), k); !d.seen[joinPath(path, k)] {
				out.SetMapIndex(reflect.ValueOf(k).Convert(t.Key()), e)
			}
		}
		v.Set(out)
	default:
		if err := d.md.PrimitiveDecode(p, v.Addr().Interface()); err != nil {
			d.fail(path, key, t)
		}
	}
}

func joinPath(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func (d *typedDecoder) fail(path, key string, t reflect.Type) {
	if d.seen == nil {
		d.seen = map[string]bool{}
	}
	d.seen[path] = true
	d.bad = append(d.bad, typeProblem{path: path, key: key, msg: key + " must be " + wantText(key, t)})
}

// fieldByKey finds the field of struct v whose TOML key is k, looking into
// embedded structs.
func fieldByKey(v reflect.Value, k string) (reflect.Value, bool) {
	t := v.Type()
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		tag := strings.Split(f.Tag.Get("toml"), ",")[0]
		if tag == "-" {
			continue
		}
		if f.Anonymous && tag == "" && f.Type.Kind() == reflect.Struct {
			if g, ok := fieldByKey(v.Field(i), k); ok {
				return g, true
			}
			continue
		}
		if tag == k {
			return v.Field(i), true
		}
	}
	return reflect.Value{}, false
}

var (
	durationType = reflect.TypeOf(Duration(""))
	valuesType   = reflect.TypeOf(claims.Values(nil))
)

// examples are sample values for keys whose generic example would say
// little.
var examples = map[string]string{
	"groups":            `["grp-eng"]`,
	"member_of":         `["grp-all-staff"]`,
	"assigned_to":       `["aws"]`,
	"directory_roles":   `["62e90394-69f5-4237-9190-012177145e10"]`,
	"acs_urls":          `["https://sp.example.com/saml/acs"]`,
	"verified_domains":  `["contoso.com"]`,
	"additional_inputs": `["user.country"]`,
	"base_url":          `"http://127.0.0.1:8080"`,
	"entity_id":         `"https://sp.example.com/saml"`,
	"tenant_id":         `"6f2c1a5e-3b9d-4c7a-9e41-0d5b8a7f2c13"`,
	"source":            `"user.userprincipalname"`,
	"function":          `"ToLowercase"`,
	"input":             `"user.mail"`,
	"profile":           `"aws-sts"`,
	"which":             `"security"`,
	"format":            `"object_id"`,
	"user_type":         `"members"`,
}

// wantText says what a value of Go type t is written as in TOML, with an
// example for key.
func wantText(key string, t reflect.Type) string {
	ex := func(generic string) string {
		if e, ok := examples[key]; ok {
			return key + " = " + e
		}
		return key + " = " + generic
	}
	if t.Kind() == reflect.Pointer && t.Elem().Kind() != reflect.Struct {
		t = t.Elem()
	}
	switch {
	case t == durationType:
		return "a duration in quotes, e.g. " + key + ` = "1h30m"`
	case t == valuesType:
		return "a string or an array of strings, e.g. " + key + ` = "Engineering" or ` + key + ` = ["a", "b"]`
	case isTable(t), t.Kind() == reflect.Pointer && isTable(t.Elem()):
		return "a table: a [" + key + "] section, or " + key + " = { ... }"
	case t.Kind() == reflect.Slice && isTable(t.Elem()):
		if key == "transformations" {
			return `an array of inline tables, e.g. transformations = [{ function = "ToLowercase", input = "user.mail" }]`
		}
		return "an array of tables: a [[" + key + "]] section for each entry"
	case t.Kind() == reflect.Map:
		return "a table of name = value pairs, e.g. [" + key + "] followed by lines such as " + mapExample(t)
	case t.Kind() == reflect.Slice && t.Elem().Kind() == reflect.String:
		return "an array of strings, e.g. " + ex(`["..."]`)
	}
	switch t.Kind() {
	case reflect.Bool:
		return "true or false (no quotes), e.g. " + key + " = true"
	case reflect.String:
		return "a string in quotes, e.g. " + ex(`"..."`)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "a whole number (no quotes), e.g. " + key + " = 10"
	}
	return "a " + t.String()
}

func mapExample(t reflect.Type) string {
	if t.Elem().Kind() == reflect.Slice && t.Elem() != valuesType {
		return `aws = ["..."]`
	}
	return `department = "Engineering"`
}

// typeProblems turns the decoder's findings into Problems, at their lines.
func (c *Config) typeProblems(bad []typeProblem) []error {
	out := make([]error, 0, len(bad))
	for _, b := range bad {
		parent := ""
		if i := strings.LastIndexByte(b.path, '.'); i >= 0 {
			parent = b.path[:i]
		}
		out = append(out, &Problem{File: c.Source, Line: c.loc.line(b.path), Where: c.readable(parent), Msg: b.msg})
	}
	return out
}

// SortByLine orders configuration problems by file and line, keeping the
// order of those on the same line; errors that are not *Problem, and
// problems without a line, come last in their order.
func SortByLine(errs []error) {
	line := func(e error) (string, int) {
		if p, ok := e.(*Problem); ok && p.Line > 0 {
			return p.File, p.Line
		}
		return "\xff", 0
	}
	sort.SliceStable(errs, func(i, j int) bool {
		fi, li := line(errs[i])
		fj, lj := line(errs[j])
		if fi != fj {
			return fi < fj
		}
		return li < lj
	})
}

// flattenErrors undoes errors.Join, recursively.
func flattenErrors(err error) []error {
	if err == nil {
		return nil
	}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		var out []error
		for _, e := range j.Unwrap() {
			out = append(out, flattenErrors(e)...)
		}
		return out
	}
	return []error{err}
}
