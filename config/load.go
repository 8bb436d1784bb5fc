package config

import (
	_ "embed"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strconv"
	"strings"

	"github.com/BurntSushi/toml"

	"github.com/samlab/samlab/internal/suggest"
)

//go:embed demo.toml
var demoTOML []byte

// DemoSource is the Source of the embedded demo tenant.
const DemoSource = "demo"

// EnvConfig is the environment variable that names the configuration file
// when no --config flag is given.
const EnvConfig = "SAMLAB_CONFIG"

// Demo returns a fresh copy of the embedded demo tenant. It panics only if
// the embedded file is broken, which the package tests rule out.
func Demo() *Config {
	c, err := Parse(DemoSource, demoTOML)
	if err != nil {
		panic("config: embedded demo tenant: " + err.Error())
	}
	return c
}

// DemoTOML returns the text of the embedded demo tenant.
func DemoTOML() []byte { return append([]byte(nil), demoTOML...) }

// Resolve picks the configuration file: the --config flag when set, else
// the SAMLAB_CONFIG environment variable, else "" for the demo tenant.
// getenv is os.Getenv in production. A named file must exist.
func Resolve(flagPath string, getenv func(string) string) (string, error) {
	path, from := flagPath, "--config"
	if path == "" && getenv != nil {
		path, from = getenv(EnvConfig), EnvConfig
	}
	if path == "" {
		return "", nil
	}
	st, err := os.Stat(path)
	if err != nil {
		return "", fmt.Errorf("config: %s names %q: %w", from, path, err)
	}
	if st.IsDir() {
		return "", fmt.Errorf("config: %s names %q, which is a directory; name a .toml file", from, path)
	}
	return path, nil
}

// Load reads and validates the configuration file at path, or returns the
// demo tenant when path is "".
func Load(path string) (*Config, error) {
	if path == "" {
		return Demo(), nil
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	return Parse(path, data)
}

// LoadPartial is Load with ParsePartial: on problems it also returns the
// configuration as far as it could be read (nil after a read or syntax
// error).
func LoadPartial(path string) (*Config, error) {
	if path == "" {
		return Demo(), nil
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	return ParsePartial(path, data)
}

// Parse decodes and validates a configuration. name is the file name used
// in messages; relative paths in the file (keys, certificates, SP
// metadata) are resolved against its directory, and SP metadata files are
// read. The error, when not nil, joins one *Problem per problem found —
// wrong types, unknown keys and invalid values together, sorted by line.
// Warnings are returned in Config.Warnings.
func Parse(name string, data []byte) (*Config, error) {
	c, err := ParsePartial(name, data)
	if err != nil {
		return nil, err
	}
	return c, nil
}

// ParsePartial is Parse, but when there are problems it also returns the
// configuration as far as it could be read (values of the wrong type left
// unset), so that a checker can look further: `samlab config check`
// compiles its claim rules too. The configuration is nil only after a TOML
// syntax error, which stops decoding. Never run a tenant from a partial
// configuration.
func ParsePartial(name string, data []byte) (*Config, error) {
	c := &Config{Source: name}
	var raw map[string]toml.Primitive
	md, err := toml.Decode(string(data), &raw)
	if err != nil {
		return nil, c.decodeError(err, "")
	}
	c.loc = locate(string(data))

	// Decode key by key, so that a wrong type in one entry does not hide
	// the problems of the others, and so that each is tied to its line.
	d := &typedDecoder{md: md}
	root := reflect.ValueOf(c).Elem()
	for _, k := range sortedKeys(raw) {
		if f, ok := fieldByKey(root, k); ok {
			d.value(raw[k], f, k, k)
		}
	}
	c.recordLines()
	problems := c.typeProblems(d.bad)
	unknown, meant := c.unknownKeys()
	problems = append(problems, unknown...)
	if len(problems) == 0 {
		// The scanner should have found every key; if it missed one, the
		// decoder's own list still catches it.
		for _, k := range md.Undecoded() {
			problems = append(problems, &Problem{File: name, Line: c.loc.line(k.String()),
				Msg: fmt.Sprintf("unknown key %q", k.String())})
		}
	}
	// A value of the wrong type is left unset; validation does not report
	// it (or what is inside it) a second time as missing or invalid.
	c.badPaths = d.seen
	if c.badPaths == nil {
		c.badPaths = map[string]bool{}
	}
	for p := range meant {
		c.badPaths[p] = true
	}
	problems = append(problems, flattenErrors(c.validate(filepath.Dir(name)))...)
	c.badPaths = nil
	if len(problems) > 0 {
		SortByLine(problems)
		return c, errors.Join(problems...)
	}
	return c, nil
}

// recordLines copies line numbers into the entries.
func (c *Config) recordLines() {
	for i := range c.Users {
		c.Users[i].Line = c.loc.line(fmt.Sprintf("users[%d]", i))
	}
	for i := range c.Apps {
		a := &c.Apps[i]
		a.Line = c.loc.line(fmt.Sprintf("apps[%d]", i))
		a.ClaimLines = make([]int, len(a.Claims))
		for j := range a.Claims {
			a.ClaimLines[j] = c.loc.line(fmt.Sprintf("apps[%d].claims[%d]", i, j))
		}
	}
}

// lastKeyRE reads the key out of the decoder's type errors, which are not
// ParseErrors: `toml: line 7 (last key "apps.lifetime"): incompatible ...`.
var lastKeyRE = regexp.MustCompile(`^toml: (?:line \d+ )?\(last key ("(?:[^"\\]|\\.)*")\): (.*)$`)

// decodeError turns a decoder error into a Problem with the best line
// known. entry is the indexed path of the entry being decoded ("apps[2]"),
// used to find the right occurrence of a key in an array of tables.
func (c *Config) decodeError(err error, entry string) *Problem {
	p := &Problem{File: c.Source, Msg: err.Error()}
	var key string
	var pe toml.ParseError
	if errors.As(err, &pe) {
		// Nothing else can be checked until the file parses.
		p.Line, key = pe.Position.Line, pe.LastKey
		p.Msg = "TOML syntax error: " + pe.Message + " (fix this first: the rest of the file is checked once it parses)"
	} else if m := lastKeyRE.FindStringSubmatch(err.Error()); m != nil {
		if k, uerr := strconv.Unquote(m[1]); uerr == nil {
			key = k
		}
		p.Msg = m[2]
	}
	p.Msg = strings.TrimPrefix(p.Msg, "toml: ")
	if key != "" {
		p.Msg = fmt.Sprintf("%s: %s", key, p.Msg)
		// toml keeps one position per dotted key, the last occurrence;
		// prefer the occurrence inside this entry.
		for _, e := range c.loc.linesOf(strings.Split(key, ".")) {
			if entry == "" || strings.HasPrefix(e.path, entry+".") || e.path == entry {
				p.Line = e.line
				break
			}
		}
	}
	return p
}

func sscan(s, format string, v *int) bool {
	n, err := fmt.Sscanf(s, format, v)
	return err == nil && n == 1
}

// unknownKeys checks every key the scanner found against the Go types, so
// each unknown key is reported at its own line, in its own entry. meant
// holds the indexed paths of the keys suggested for typos ("did you mean
// "source"?"): validation does not report those as missing too.
func (c *Config) unknownKeys() (problems []error, meant map[string]bool) {
	meant = map[string]bool{}
	reported := map[string]bool{}
	root := reflect.TypeOf(Config{})
	for _, e := range c.loc.events {
		if e.elem {
			continue
		}
		bad, known := unknownAt(root, e.plain)
		if bad < 0 {
			continue
		}
		// Name the first unknown segment once, at its first line.
		prefix := indexedPrefix(e.path, bad+1)
		if reported[prefix] {
			continue
		}
		reported[prefix] = true
		// Where names the entry; the message names the key as written
		// there, not the whole dotted path again.
		key := e.plain[bad]
		msg := fmt.Sprintf("unknown key %q", key)
		if s := suggestKey(e.plain[bad], known); s != "" {
			msg += fmt.Sprintf(" (did you mean %q?)", s)
			meant[joinPath(parentPath(prefix), s)] = true
		} else if len(known) > 0 {
			msg += "; allowed here: " + strings.Join(known, ", ")
		}
		problems = append(problems, &Problem{File: c.Source, Line: e.line, Where: c.readable(parentPath(prefix)), Msg: msg})
	}
	return problems, meant
}

// parentPath cuts the last key off an indexed path ("apps[0].claims[1].sorce"
// -> "apps[0].claims[1]"; "colour" -> "").
func parentPath(path string) string {
	if i := strings.LastIndexByte(path, '.'); i >= 0 {
		return path[:i]
	}
	return ""
}

// indexedPrefix returns the indexed path cut after its n-th key segment.
func indexedPrefix(path string, n int) string {
	seen := 0
	for i := 0; i < len(path); i++ {
		if path[i] == '.' {
			seen++
			if seen == n {
				return path[:i]
			}
		}
	}
	return path
}

// unknownAt walks keys through type t and returns the index of the first
// key that has no field, with the keys allowed there; -1 when all are known.
func unknownAt(t reflect.Type, keys []string) (int, []string) {
	for i, k := range keys {
		for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice {
			t = t.Elem()
		}
		switch t.Kind() {
		case reflect.Map:
			t = t.Elem()
			continue
		case reflect.Struct:
			f, ok := fieldByTag(t, k)
			if !ok {
				return i, tagNames(t)
			}
			t = f.Type
		default:
			// A scalar (or claims.Values) cannot hold keys; the decoder
			// reports the type error.
			return -1, nil
		}
	}
	return -1, nil
}

// fieldByTag finds the field with TOML key k, looking into embedded structs.
func fieldByTag(t reflect.Type, k string) (reflect.StructField, bool) {
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
			if g, ok := fieldByTag(f.Type, k); ok {
				return g, true
			}
			continue
		}
		if tag == k {
			return f, true
		}
	}
	return reflect.StructField{}, false
}

func tagNames(t reflect.Type) []string {
	var out []string
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		tag := strings.Split(f.Tag.Get("toml"), ",")[0]
		switch {
		case !f.IsExported() || tag == "-":
		case f.Anonymous && tag == "" && f.Type.Kind() == reflect.Struct:
			out = append(out, tagNames(f.Type)...)
		case tag != "":
			out = append(out, tag)
		}
	}
	return out
}

// suggestKey returns the known key closest to k when it is a likely typo:
// the same key in another spelling (dashes, case), else one at most two
// edits away.
func suggestKey(k string, known []string) string {
	best, bestD := "", 3
	lk := strings.ToLower(k)
	for _, c := range known {
		if strings.ReplaceAll(c, "_", "") == strings.ReplaceAll(lk, "-", "") {
			return c
		}
		if d := suggest.Distance(lk, c); d < bestD {
			best, bestD = c, d
		}
	}
	return best
}
