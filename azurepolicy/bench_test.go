package azurepolicy

import (
	"os"
	"path/filepath"
	"testing"
)

func BenchmarkConvert(b *testing.B) {
	data, err := os.ReadFile(filepath.Join("testdata", "graph-object.json"))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Convert(data); err != nil {
			b.Fatal(err)
		}
	}
}
