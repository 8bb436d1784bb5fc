package azurepolicy

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/BurntSushi/toml"
)

// FuzzConvert checks that Convert never panics and that whatever it
// accepts encodes to TOML that decodes back to the same policy.
func FuzzConvert(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "*.json"))
	for _, name := range files {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte(`{"definition":["{\"ClaimsMappingPolicy\":{\"Version\":1,\"IncludeBasicClaimSet\":true}}"]}`))
	f.Add([]byte(`{"ClaimsMappingPolicy":{"ClaimsSchema":[{"Source":"transformation","TransformationId":"a","SamlClaimType":"x"}],"ClaimsTransformations":[{"ID":"a","TransformationMethod":"ToLower","InputClaims":[{"ClaimTypeReferenceId":"b","TransformationClaimType":"sourceClaim"}]},{"ID":"b","TransformationMethod":"Join"}]}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := Convert(data)
		if err != nil {
			if r != nil {
				t.Fatalf("result and error both returned")
			}
			return
		}
		var buf bytes.Buffer
		if err := EncodeTOML(&buf, r, "fuzz"); err != nil {
			t.Fatalf("EncodeTOML: %v", err)
		}
		var doc struct {
			Apps []tomlApp `toml:"apps"`
		}
		if _, err := toml.Decode(buf.String(), &doc); err != nil {
			t.Fatalf("output does not parse: %v\n%s", err, buf.String())
		}
		if len(doc.Apps) != 1 {
			t.Fatalf("got %d apps", len(doc.Apps))
		}
		if got, want := normalize(doc.Apps[0].Policy), normalize(r.Policy); !reflect.DeepEqual(got, want) {
			t.Fatalf("round trip:\n got %+v\nwant %+v", got, want)
		}
	})
}
