package azurepolicy

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/BurntSushi/toml"

	"github.com/samlab/samlab/claims"
)

var update = flag.Bool("update", false, "rewrite the golden .toml files under testdata")

// tomlApp is the part of a samlab configuration an imported fragment
// fills: the app's name and its embedded claim policy, as config.App
// embeds claims.Policy.
type tomlApp struct {
	Name string `toml:"name"`
	claims.Policy
}

// decodeFragment parses an EncodeTOML output and fails on keys the policy
// types do not have.
func decodeFragment(t *testing.T, text []byte) tomlApp {
	t.Helper()
	var doc struct {
		Apps []tomlApp `toml:"apps"`
	}
	md, err := toml.Decode(string(text), &doc)
	if err != nil {
		t.Fatalf("output does not parse as TOML: %v\n%s", err, text)
	}
	if und := md.Undecoded(); len(und) > 0 {
		t.Errorf("output has keys the policy types lack: %v", und)
	}
	if len(doc.Apps) != 1 {
		t.Fatalf("got %d [[apps]], want 1", len(doc.Apps))
	}
	return doc.Apps[0]
}

// normalize makes nil and empty slices compare equal, as TOML cannot tell
// them apart.
func normalize(p claims.Policy) claims.Policy {
	var walk func(v reflect.Value)
	walk = func(v reflect.Value) {
		switch v.Kind() {
		case reflect.Pointer:
			if !v.IsNil() {
				walk(v.Elem())
			}
		case reflect.Struct:
			for i := 0; i < v.NumField(); i++ {
				if v.Type().Field(i).IsExported() {
					walk(v.Field(i))
				}
			}
		case reflect.Slice:
			if v.Len() == 0 && v.CanSet() {
				v.Set(reflect.Zero(v.Type()))
			}
			for i := 0; i < v.Len(); i++ {
				walk(v.Index(i))
			}
		}
	}
	walk(reflect.ValueOf(&p).Elem())
	return p
}

func TestEncodeTOMLGolden(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no testdata: %v", err)
	}
	for _, f := range files {
		name := filepath.Base(f)
		t.Run(name, func(t *testing.T) {
			r := convertFile(t, name)
			var buf bytes.Buffer
			if err := EncodeTOML(&buf, r, "imported"); err != nil {
				t.Fatal(err)
			}
			golden := strings.TrimSuffix(f, ".json") + ".toml"
			if *update {
				if err := os.WriteFile(golden, buf.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if !bytes.Equal(buf.Bytes(), want) {
				t.Errorf("output differs from %s (go test -update rewrites it):\n%s", golden, buf.Bytes())
			}

			app := decodeFragment(t, buf.Bytes())
			if app.Name != "imported" {
				t.Errorf("name = %q", app.Name)
			}
			if got, want := normalize(app.Policy), normalize(r.Policy); !reflect.DeepEqual(got, want) {
				t.Errorf("round trip:\n got %+v\nwant %+v", got, want)
			}
			for _, w := range r.Warnings {
				if !bytes.Contains(buf.Bytes(), []byte("# warning: "+w+"\n")) {
					t.Errorf("warning %q is not a comment in the output", w)
				}
			}
		})
	}
}

func TestEncodeTOMLEscaping(t *testing.T) {
	// Every string field with characters TOML must escape or that could
	// end a string early.
	nasty := []string{
		`plain`, `quote " inside`, `back\slash`, `both ' and \`, "tab\there", "new\nline",
		"cr\rand\x00nul\x7fdel", "unicode é ✓ 𝄞", `'''`, `"""`, `\u0041 is not A`, "trailing \\",
	}
	var rules []claims.Rule
	for i, s := range nasty {
		rules = append(rules, claims.Rule{
			Name: "c" + string(rune('a'+i)), Namespace: "https://x.example/" + s, Value: s,
			Transformations: []claims.Transformation{{Function: "RegexReplace", Input: "user.mail", Regex: s, Replacement: s, AdditionalInputs: []string{s, "user.country"}}},
		})
	}
	r := &Result{
		Policy:   claims.Policy{Claims: rules, NameID: claims.NameIDRule{Format: "email", Source: "user.mail"}},
		Warnings: []string{"line one\nline two", "bell \a and \x1b escape"},
	}
	var buf bytes.Buffer
	if err := EncodeTOML(&buf, r, `app "quoted" \ name`); err != nil {
		t.Fatal(err)
	}
	app := decodeFragment(t, buf.Bytes())
	if app.Name != `app "quoted" \ name` {
		t.Errorf("name = %q", app.Name)
	}
	if got, want := normalize(app.Policy), normalize(r.Policy); !reflect.DeepEqual(got, want) {
		t.Errorf("round trip:\n got %+v\nwant %+v", got, want)
	}
	for _, want := range []string{"# warning: line one\n# warning: line two\n", `# warning: bell \u0007 and \u001B escape` + "\n"} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, buf.String())
		}
	}
	// A regular expression with backslashes and no quote is written as a
	// literal string, as a person would.
	if !strings.Contains(buf.String(), `regex = 'back\slash'`) {
		t.Errorf("backslash regex not written as a literal string:\n%s", buf.String())
	}
}

func TestEncodeTOMLErrors(t *testing.T) {
	var buf bytes.Buffer
	if err := EncodeTOML(&buf, nil, "x"); err == nil || !strings.HasPrefix(err.Error(), "azurepolicy: ") {
		t.Errorf("nil result: err = %v", err)
	}
	if err := EncodeTOML(&buf, &Result{}, " "); err == nil || !strings.Contains(err.Error(), "app name is empty") {
		t.Errorf("empty name: err = %v", err)
	}
}
