package idp_test

import (
	"reflect"
	"testing"

	"github.com/samlab/samlab/claims"
	"github.com/samlab/samlab/config"
	"github.com/samlab/samlab/idp"
)

// Built-in Entra attributes declared in a tenant file keep their built-in
// meaning on the config path (TOML -> tenant -> engine), as in the engine
// alone: a multi-valued built-in used directly as a source gives its first
// value only, its id is case-insensitive, and a constant parameter that
// happens to equal an attribute's name stays a constant. A free-form
// attribute still gives all its values.
func TestConfigBuiltinAttributes(t *testing.T) {
	cfg, err := config.Load("testdata/builtin-attributes.toml")
	if err != nil {
		t.Fatal(err)
	}
	tn, err := idp.New(cfg, idp.Options{KeyPair: key(t)})
	if err != nil {
		t.Fatal(err)
	}
	a, _ := tn.App("a")
	u, _ := tn.User("u")
	res, err := a.Engine().Evaluate(tn.Directory, u, claims.EvalOptions{})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string][]string{}
	for _, at := range res.Attributes {
		got[at.Name] = at.Values
	}
	want := map[string][]string{
		"proxy":      {"SMTP:u@contoso.com"},
		"othermail":  {"u@gmail.example"},
		"tags":       {"t1"},
		"costcenter": {"cc1", "cc2"},
		"constant":   {"department"},
		// A constant equal to a free-form attribute's name stays a
		// constant too.
		"constant-freeform": {"costcenter"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("attributes:\ngot  %v\nwant %v", got, want)
	}
}
