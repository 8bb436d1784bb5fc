package web

import (
	"bytes"
	"encoding/json"
	"net/url"
	"strings"
	"testing"
	"time"
)

// FuzzSignerOpen: cookie and form tokens come from the browser.
func FuzzSignerOpen(f *testing.F) {
	s := signer{key: []byte("0123456789abcdef0123456789abcdef")}
	now := time.Unix(1_800_000_000, 0)
	good := s.sign(sessionCookie, url.Values{"s": {"x"}, "e": {"1800000060"}})
	f.Add(good)
	f.Add("a.b")
	f.Add("")
	f.Fuzz(func(t *testing.T, tok string) {
		v, err := s.open(sessionCookie, tok, now)
		if err == nil && tok != good {
			// Only a token we signed may open; a different string that
			// opens must carry exactly what we signed.
			if v.Get("s") != "x" {
				t.Fatalf("forged token %q opened to %v", tok, v)
			}
		}
	})
}

// FuzzSafeNext: ?next= comes from anywhere.
func FuzzSafeNext(f *testing.F) {
	for _, s := range []string{"/apps", "//evil.com", "/\\evil", "/apps/../x", "https://e"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := safeNext(s)
		if got == "" {
			return
		}
		u, err := url.Parse(got)
		if err != nil || u.Host != "" || u.Scheme != "" || strings.HasPrefix(got, "//") || strings.Contains(got, "\\") {
			t.Fatalf("safeNext(%q) = %q is not a local path", s, got)
		}
		if !strings.HasPrefix(u.Path, "/apps") && !strings.HasPrefix(u.Path, "/test-sp") && u.Path != "/scim" {
			t.Fatalf("safeNext(%q) = %q leaves our pages", s, got)
		}
	})
}

// FuzzHighlightJSON: logged SCIM payloads are outside input; marking them
// never panics and never changes the text.
func FuzzHighlightJSON(f *testing.F) {
	f.Add(bobCreate, "phoneNumbers")
	f.Add(`{"a":"\"}","b":[1,{"c":2}]}`, "b")
	f.Add(`{`, "a")
	f.Fuzz(func(t *testing.T, body, key string) {
		segs := highlightJSON(body, map[string]bool{key: true})
		var all strings.Builder
		for _, s := range segs {
			all.WriteString(s.Text)
		}
		var want bytes.Buffer
		if json.Indent(&want, []byte(body), "", "  ") != nil {
			want.Reset()
			want.WriteString(body)
		}
		if all.String() != want.String() {
			t.Fatalf("segments do not add up to the indented body")
		}
	})
}
