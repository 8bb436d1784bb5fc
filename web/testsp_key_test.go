package web

import (
	"encoding/base64"
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/samlab/samlab/idp"
)

// A response signed by another samlab (assert with another state
// directory, hence another generated key) is refused, and the test SP says
// why: both fingerprints and the --state hint.
func TestTestSPNamesAKeyMismatch(t *testing.T) {
	e := newTestEnv(t)
	other, err := idp.New(e.tenant.Config, idp.Options{StateDir: t.TempDir(), Clock: func() time.Time { return e.now }})
	if err != nil {
		t.Fatal(err)
	}
	is, err := other.Issue(idp.IssueRequest{User: "alice", App: "test-sp"})
	if err != nil {
		t.Fatal(err)
	}
	got := e.browser().post("/test-sp/acs", url.Values{"SAMLResponse": {base64.StdEncoding.EncodeToString(is.Response.XML)}})
	body := html.UnescapeString(got.body)
	if got.StatusCode != http.StatusBadRequest {
		t.Fatalf("ACS = %d", got.StatusCode)
	}
	for _, want := range []string{
		"signed with another key than the one this test SP trusts",
		"the certificate in the response has SHA-256 fingerprint " + other.KeyPair.Fingerprint(),
		"the IdP metadata here has " + e.tenant.KeyPair.Fingerprint(),
		"the same --state DIR",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("test SP page lacks %q:\n%s", want, body)
		}
	}

	// The right key with a changed value: no key hint, the signature
	// simply fails.
	own, err := e.tenant.Issue(idp.IssueRequest{User: "alice", App: "test-sp"})
	if err != nil {
		t.Fatal(err)
	}
	bad := strings.Replace(string(own.Response.XML), "alice@contoso.com", "admin@contoso.com", 1)
	got = e.browser().post("/test-sp/acs", url.Values{"SAMLResponse": {base64.StdEncoding.EncodeToString([]byte(bad))}})
	if got.StatusCode != http.StatusBadRequest || strings.Contains(got.body, "another key") {
		t.Errorf("tampered response with the trusted key: %d, key hint shown: %v", got.StatusCode, strings.Contains(got.body, "another key"))
	}
}
