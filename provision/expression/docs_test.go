package expression

import (
	"os"
	"strings"
	"testing"
)

// TestDocsListEveryFunction keeps docs/expressions.md in step with the
// function table: each function has a row that starts with its signature.
func TestDocsListEveryFunction(t *testing.T) {
	b, err := os.ReadFile("../../docs/expressions.md")
	if err != nil {
		t.Fatal(err)
	}
	doc := string(b)
	for _, name := range Functions() {
		if !strings.Contains(doc, "\n| "+Signature(name)+" |") {
			t.Errorf("docs/expressions.md has no row starting with %q", "| "+Signature(name)+" |")
		}
	}
}
