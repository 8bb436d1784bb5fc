package idc

import (
	"strconv"
	"testing"

	"github.com/samlab/samlab/saml"
)

// BenchmarkResolve: a sign-in with 50 configured keys and 50 sent, half of
// them colliding — the most Identity Center takes.
func BenchmarkResolve(b *testing.B) {
	var ms []Mapping
	var attrs []saml.AttributeView
	for i := 0; i < MaxMappings; i++ {
		k := "key" + strconv.Itoa(i)
		ms = append(ms, Mapping{Key: k, Source: "${path:enterprise.costCenter}"})
		sent := k
		if i%2 == 1 {
			sent = "other" + strconv.Itoa(i)
		}
		attrs = append(attrs, ac(sent, "v"))
	}
	u := alice()
	b.ReportAllocs()
	for b.Loop() {
		if res := Resolve(u, ms, attrs, ""); len(res.Attributes) != 75 {
			b.Fatalf("%d attributes", len(res.Attributes))
		}
	}
}
