package config

import (
	"os"
	"testing"
)

// FuzzParse feeds random text to Parse: it must return a config or an
// error, never panic or hang, and a config it returns must encode.
func FuzzParse(f *testing.F) {
	// Small seeds: the fuzzer minimises every new input, which is slow
	// for a file the size of the demo tenant.
	for _, name := range []string{"../examples/minimal.toml"} {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte(base + "[[apps]]\nname = \"a\"\nentity_id = \"e\"\nacs_urls = [\"https://sp/acs\"]\n[[apps.claims]]\nname = \"c\"\ntransformations = [{ function = \"Trim\", x = 1 }]\n"))
	f.Add([]byte("a = \"\"\"\n[[x]]\n\"\"\"\nb = [{c = [{d = 1}]}]\n'e'.\"f\" = 2\n[[g.h]]\n[g.i]\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		// Parse reads metadata files named in the text; the fuzzer's
		// random names do not exist, which is fine.
		c, err := Parse("fuzz.toml", data)
		if err != nil {
			return
		}
		var sink discard
		if err := c.Encode(&sink); err != nil {
			t.Fatalf("Encode: %v", err)
		}
	})
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }
