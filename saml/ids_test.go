package saml

import (
	"regexp"
	"sync"
	"testing"
	"time"
)

func TestRandomIDs(t *testing.T) {
	re := regexp.MustCompile(`^_[0-9a-f]{32}$`)
	seen := map[string]bool{}
	for range 1000 {
		id := RandomIDs{}.NewID()
		if !re.MatchString(id) || !buildIsNCName(id) {
			t.Fatalf("ID %q is not _ + 32 hex digits", id)
		}
		if seen[id] {
			t.Fatalf("ID %q repeated", id)
		}
		seen[id] = true
	}
}

func TestSequentialIDs(t *testing.T) {
	s := &SequentialIDs{Prefix: "t-"}
	if got := []string{s.NewID(), s.NewID()}; got[0] != "_t-0001" || got[1] != "_t-0002" {
		t.Errorf("IDs = %q, want _t-0001, _t-0002", got)
	}
	// Concurrent use hands out distinct IDs.
	var mu sync.Mutex
	seen := map[string]bool{}
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 100 {
				id := s.NewID()
				mu.Lock()
				if seen[id] {
					t.Errorf("ID %q repeated", id)
				}
				seen[id] = true
				mu.Unlock()
			}
		})
	}
	wg.Wait()
}

func TestBuildRefusesBadIDSource(t *testing.T) {
	iss := buildTestIssuer(t)
	iss.IDs = buildConstIDs("1-not-an-ncname")
	if _, err := iss.Build(buildTestRequest(), ResponseOptions{}); err == nil {
		t.Error("built a response with IDs that are not NCNames")
	}
	iss.IDs = buildConstIDs("_same")
	if _, err := iss.Build(buildTestRequest(), ResponseOptions{}); err == nil {
		t.Error("built a response whose Response and Assertion share an ID")
	}
}

type buildConstIDs string

func (c buildConstIDs) NewID() string { return string(c) }

func TestFixedClock(t *testing.T) {
	at := time.Date(2030, 5, 6, 7, 8, 9, 0, time.UTC)
	if got := FixedClock(at).Now(); !got.Equal(at) {
		t.Errorf("Now() = %v, want %v", got, at)
	}
}

func TestIsNCName(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"_abc", true}, {"a-1.2_x", true}, {"\u00e9t\u00e9", true}, {"id\u00b7x", true},
		{"", false}, {"1abc", false}, {"-a", false}, {".a", false}, {"a b", false}, {"a:b", false},
		{`a"b`, false}, {"a<b", false}, {"a>b", false}, {"a'b", false}, {"a&b", false},
		{"a\x00", false}, {"a\xff", false}, {"\u00b7a", false},
	}
	for _, tt := range tests {
		if got := IsNCName(tt.in); got != tt.want {
			t.Errorf("IsNCName(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}
