package idp_test

import (
	"os"
	"testing"

	"github.com/samlab/samlab/config"
	"github.com/samlab/samlab/idp"
)

// FuzzCheckRules feeds random files through the one-pass check samlab
// config check runs: ParsePartial, then CheckRules on whatever could be
// read. Neither may panic or hang, whatever is half decoded.
func FuzzCheckRules(f *testing.F) {
	for _, name := range []string{"testdata/builtin-attributes.toml", "../cmd/samlab/testdata/config-check/mixed.toml", "../cmd/samlab/testdata/config-check/rules-only.toml"} {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte("[[apps]]\nname = 1\n[[apps.claims]]\nname = \"x\"\nconditions = 3\n[apps.group_claim]\nregex = \"(\"\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		cfg, err := config.ParsePartial("fuzz.toml", data)
		if cfg == nil {
			return
		}
		_ = idp.CheckRules(cfg, err)
	})
}
