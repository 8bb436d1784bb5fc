package idc

import (
	"strings"
	"testing"

	"github.com/samlab/samlab/aws"
	"github.com/samlab/samlab/saml"
)

// FuzzResolve: attribute names and values come from the response, keys
// and sources from the configuration. Resolve never panics, every
// effective attribute says where it came from and why, and no key is
// effective twice (keys compare ignoring case).
func FuzzResolve(f *testing.F) {
	f.Add("CostCenter", "CC-1", "costCenter", "${path:enterprise.costCenter}", false)
	f.Add("team", "a", "Team", "", true)
	f.Add("", "", "k", "${path:", false)
	f.Fuzz(func(t *testing.T, samlKey, samlValue, key, source string, saml1st bool) {
		_ = CheckMapping(Mapping{Key: key, Source: source})
		attrs := []saml.AttributeView{{Name: aws.PrefixAccessControl + samlKey, Values: []string{samlValue}}}
		p := IdentityStoreWins
		if saml1st {
			p = SAMLWins
		}
		res := Resolve(alice(), []Mapping{{Key: key, Source: source}}, attrs, p)
		seen := map[string]bool{}
		for _, a := range res.Attributes {
			if a.Why == "" || a.From == "" || (a.Origin != FromSAML && a.Origin != FromIdentityStore) {
				t.Fatalf("no provenance: %+v", a)
			}
			l := strings.ToLower(a.Key)
			if seen[l] {
				t.Fatalf("key %q effective twice: %+v", a.Key, res.Attributes)
			}
			seen[l] = true
		}
	})
}
