package main

import (
	"encoding/json"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// cliHAR writes a HAR file, as a browser's "Save all as HAR" does, of a
// sign-in that ends in the real Entra ID response posted to AWS.
func cliHAR(t *testing.T) string {
	t.Helper()
	data, err := os.ReadFile("../../saml/testdata/entra/entra-response.b64")
	if err != nil {
		t.Fatal(err)
	}
	body := "SAMLResponse=" + url.QueryEscape(strings.TrimSpace(string(data))) + "&RelayState="
	entry := func(method, u string, post map[string]any) map[string]any {
		req := map[string]any{"method": method, "url": u, "httpVersion": "HTTP/2", "headers": []any{}, "queryString": []any{}, "cookies": []any{}, "headersSize": -1, "bodySize": 0}
		if post != nil {
			req["postData"] = post
		}
		return map[string]any{"startedDateTime": "2024-03-21T12:57:28.500Z", "time": 10, "request": req,
			"response": map[string]any{"status": 200, "content": map[string]any{"size": 0, "mimeType": "text/html", "text": ""}}}
	}
	har, err := json.Marshal(map[string]any{"log": map[string]any{"version": "1.2", "creator": map[string]string{"name": "Firefox", "version": "120"}, "entries": []any{
		entry("GET", "https://myapps.microsoft.com/", nil),
		entry("POST", "https://signin.aws.amazon.com/saml", map[string]any{"mimeType": "application/x-www-form-urlencoded", "text": body, "params": []any{}}),
		entry("GET", "https://signin.aws.amazon.com/static/app.js", nil),
	}}})
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "signin.har")
	if err := os.WriteFile(p, har, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// samlab inspect, verify and lint read a HAR file: the Entra response in
// it, and the entry it came from.
func TestInspectHARFile(t *testing.T) {
	har := cliHAR(t)
	r := samlab(t, "", "inspect", "--now", "2024-03-21T13:00:00Z", har)
	if r.code != exitOK {
		t.Fatalf("exit %d %s", r.code, r.stderr)
	}
	for _, want := range []string{"Response (HAR entry 2 of 3: POST https://signin.aws.amazon.com/saml, 6296 base64 characters)", "https://sts.windows.net/", "spn:95210223-1471-47de-8f76-c0f420c1738f", "http://localhost:8080/saml/SSO", "http://schemas.microsoft.com/identity/claims/tenantid", "rsa-sha256"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("inspect lacks %q:\n%s", want, r.stdout)
		}
	}
	v := samlab(t, "", "verify", "--cert", "../../saml/testdata/reader/entra-signing.pem", "--now", "2024-03-21T13:00:00Z", har)
	if v.code != exitOK || !strings.HasPrefix(v.stdout, "VALID\n") || !strings.Contains(v.stdout, "signature over the Assertion (_c2756b4a-25ce-45f4-bd28-9c6b46a82000) by the trusted key") {
		t.Errorf("verify: exit %d\n%s%s", v.code, v.stdout, v.stderr)
	}
	l := samlab(t, "", "lint", "--now", "2024-03-21T13:00:00Z", har)
	if l.code != exitOK || !strings.Contains(l.stdout, "AWS-STS-017") {
		t.Errorf("lint: exit %d\n%s%s", l.code, l.stdout, l.stderr)
	}
	n := samlab(t, `{"log":{"entries":[{"request":{"method":"GET","url":"https://example.com/"}}]}}`, "inspect")
	if n.code != exitUsage || !strings.Contains(n.stderr, "the HAR file holds 1 request and it does not carry SAMLRequest or SAMLResponse") {
		t.Errorf("HAR without SAML: exit %d\n%s%s", n.code, n.stdout, n.stderr)
	}
}
