package main

import (
	"os"
	"regexp"
	"strings"
	"testing"
)

// The Dockerfile builds and runs the binary the way
// TestStaticBinaryInEmptyEnvironment tests it: a static -trimpath build,
// a non-root user, state in the volume through SAMLAB_STATE_DIR, serve on
// every interface. No container engine here, so this pins what the image
// says against what the test checks.
func TestDockerfileMatchesTheStaticBinaryTest(t *testing.T) {
	b, err := os.ReadFile("../../Dockerfile")
	if err != nil {
		t.Fatal(err)
	}
	df := string(b)
	// Join continuation lines so a RUN reads as one instruction.
	df = regexp.MustCompile(`\\\n\s*`).ReplaceAllString(df, " ")
	stages := regexp.MustCompile(`(?m)^FROM `).FindAllStringIndex(df, -1)
	if len(stages) < 2 {
		t.Fatalf("Dockerfile has %d stages, want a builder and a final stage", len(stages))
	}
	final := df[stages[len(stages)-1][0]:]
	for _, c := range []struct{ where, text, re string }{
		{"builder", df, `CGO_ENABLED=0`},
		{"builder", df, `go build -trimpath [^\n]*-o /out/samlab \./cmd/samlab`},
		{"final", final, `(?m)^FROM (gcr\.io/distroless/static\S*|scratch)`},
		{"final", final, `(?m)^USER (65532|nonroot)`},
		{"final", final, `(?m)^ENV SAMLAB_STATE_DIR=/var/lib/samlab$`},
		{"final", final, `(?m)^VOLUME \["/var/lib/samlab"\]$`},
		{"final", final, `--chown=65532:65532 /out/lib/ /var/lib/`},
		{"builder", df, `mkdir -p /out/lib/samlab`},
		{"final", final, `(?m)^EXPOSE 8080$`},
		{"final", final, `(?m)^CMD \["serve", "--addr", "0\.0\.0\.0:8080"\]$`},
	} {
		if !regexp.MustCompile(c.re).MatchString(c.text) {
			t.Errorf("Dockerfile (%s stage) lacks %s", c.where, c.re)
		}
	}
	if strings.Contains(final, "USER root") || strings.Contains(final, "USER 0") {
		t.Error("the final stage runs as root")
	}
	ignore, err := os.ReadFile("../../.dockerignore")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{".git", "dist"} {
		if !regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(want) + `$`).Match(ignore) {
			t.Errorf(".dockerignore does not leave out %s", want)
		}
	}
}
