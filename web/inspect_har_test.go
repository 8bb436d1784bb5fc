package web

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/samlab/samlab/saml"
)

// webHAR is a HAR file as a browser saves it, of a sign-in that posts the
// real Entra response to AWS, padded with filler page content to at least
// size bytes.
func webHAR(t *testing.T, size int) string {
	t.Helper()
	posted := strings.TrimSpace(readFixture(t, entraFixture))
	entry := func(method, u string, text string, content string) map[string]any {
		req := map[string]any{"method": method, "url": u, "headers": []any{}, "queryString": []any{}}
		if text != "" {
			req["postData"] = map[string]any{"mimeType": "application/x-www-form-urlencoded", "text": text}
		}
		return map[string]any{"request": req, "response": map[string]any{"status": 200, "content": map[string]any{"text": content}}}
	}
	filler := ""
	if size > 0 {
		// JSON-heavy filler: a browser percent-encodes most of it, so
		// the posted form is far larger than the HAR.
		filler = strings.Repeat(`{"a":[1,2]}`, size/13+1) // 13 bytes each in JSON
	}
	har, err := json.Marshal(map[string]any{"log": map[string]any{"version": "1.2", "entries": []any{
		entry("GET", "https://myapps.microsoft.com/", "", filler),
		entry("POST", "https://signin.aws.amazon.com/saml", "SAMLResponse="+url.QueryEscape(posted)+"&RelayState=%2Fconsole", ""),
	}}})
	if err != nil {
		t.Fatal(err)
	}
	return string(har)
}

// A HAR file pasted in the /inspect box is read like the posted value,
// up to the page's bound; above it, the 413 page.
func TestInspectPageHAR(t *testing.T) {
	e := newTestEnv(t)
	b := e.browser()
	r := b.inspectPost(url.Values{"message": {webHAR(t, 0)}, "profile": {"auto"}})
	if r.StatusCode != http.StatusOK {
		t.Fatalf("status %d\n%.1000s", r.StatusCode, r.body)
	}
	for _, want := range []string{
		"Response (HAR entry 2 of 2: POST https://signin.aws.amazon.com/saml, 6296 base64 characters)",
		"https://sts.windows.net/603e9946-79fd-42bc-bae2-2abda19cb695/",
		"spn:95210223-1471-47de-8f76-c0f420c1738f",
		"/console",
		"AWS lint",
	} {
		if !strings.Contains(r.body, want) {
			t.Errorf("page lacks %q", want)
		}
	}

	near := webHAR(t, saml.MaxInputBytes-16<<10)
	if len(near) > saml.MaxInputBytes {
		t.Fatalf("test HAR is %d bytes, over the bound", len(near))
	}
	r = b.inspectPost(url.Values{"message": {near}})
	if r.StatusCode != http.StatusOK || !strings.Contains(r.body, "HAR entry 2 of 2") {
		t.Errorf("HAR of %d bytes: %d\n%.500s", len(near), r.StatusCode, r.body)
	}

	over := webHAR(t, saml.MaxInputBytes+1)
	r = b.inspectPost(url.Values{"message": {over}})
	if r.StatusCode != http.StatusRequestEntityTooLarge || !strings.Contains(r.body, "Message too large") {
		t.Errorf("HAR of %d bytes: %d\n%.500s", len(over), r.StatusCode, r.body)
	}

	r = b.inspectPost(url.Values{"message": {`{"log":{"entries":[{"request":{"method":"GET","url":"https://example.com/"}},{"request":{"method":"GET","url":"https://example.com/b"}}]}}`}})
	if r.StatusCode != http.StatusBadRequest || !strings.Contains(r.body, "the HAR file holds 2 requests and none carries SAMLRequest or SAMLResponse") {
		t.Errorf("HAR without SAML: %d\n%.1500s", r.StatusCode, r.body)
	}
}
