package azurepolicy_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/samlab/samlab/claims"
	"github.com/samlab/samlab/config"
)

// TestFragmentsLoad pastes each golden fragment into a configuration file,
// as a user would, and loads it with samlab's strict configuration reader
// and the claims engine.
func TestFragmentsLoad(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "*.toml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no golden fragments: %v", err)
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			frag, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			text := strings.NewReplacer(
				`# entity_id = ""`, `entity_id = "https://sp.example.com"`,
				`# acs_urls = [""]`, `acs_urls = ["https://sp.example.com/acs"]`,
			).Replace(string(frag))
			cfg, err := config.Parse(f, []byte(text))
			if err != nil {
				t.Fatalf("config.Parse: %v\n%s", err, text)
			}
			app := cfg.App("imported")
			if app == nil {
				t.Fatal("no app \"imported\"")
			}
			exts := []string{"costCenter"}
			if _, err := claims.Compile(claims.App{Name: app.Name}, app.Policy, claims.CompileOptions{Extensions: exts}); err != nil {
				t.Errorf("claims.Compile: %v", err)
			}
		})
	}
}
