package web

import (
	"encoding/base64"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/samlab/samlab/aws"
	"github.com/samlab/samlab/saml"
)

const (
	entraFixture     = "../saml/testdata/entra/entra-response.b64"
	entraFixtureCert = "../saml/testdata/reader/entra-signing.pem"
)

func readFixture(t testing.TB, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// inspectPost opens /inspect (for the CSRF token of this browser) and
// posts form to it.
func (b *browser) inspectPost(form url.Values) *result {
	b.env.t.Helper()
	page := b.get("/inspect")
	if page.StatusCode != http.StatusOK {
		b.env.t.Fatalf("GET /inspect = %d", page.StatusCode)
	}
	form.Set("csrf", field(reCSRF, page.body))
	return b.post("/inspect", form)
}

func TestInspectPageEntra(t *testing.T) {
	e := newTestEnv(t)
	b := e.browser()
	entra := readFixture(t, entraFixture)
	r := b.inspectPost(url.Values{"message": {entra}, "profile": {"auto"}})
	if r.StatusCode != http.StatusOK {
		t.Fatalf("status %d\n%s", r.StatusCode, r.body)
	}
	for _, want := range []string{
		"Not verified: no certificate given",
		"https://sts.windows.net/603e9946-79fd-42bc-bae2-2abda19cb695/",
		"spn:95210223-1471-47de-8f76-c0f420c1738f",
		"http://schemas.microsoft.com/identity/claims/tenantid",
		"not checked (no trusted certificate given)",
		`class="line sig-unchecked" title="signed: Assertion"`,
		"AWS lint",
	} {
		if !strings.Contains(r.body, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	if r.Header.Get("Cache-Control") != "no-store" {
		t.Errorf("Cache-Control %q", r.Header.Get("Cache-Control"))
	}
	// The same findings as samlab lint's path (saml.Inspect, aws.LintView).
	rep, _ := saml.Inspect([]byte(entra), saml.InspectOptions{})
	prof, _ := aws.ProfileByName(aws.DetectProfile(rep.View))
	for _, f := range aws.LintView(rep.View, prof, aws.Options{Foreign: true}) {
		link := `href="` + ruleURL(f.Rule) + `"`
		if !strings.Contains(r.body, link) {
			t.Errorf("finding %s has no link %s", f.Rule, link)
		}
	}

	// With the tenant certificate: verified.
	r = b.inspectPost(url.Values{"message": {entra}, "trust": {readFixture(t, entraFixtureCert)}, "profile": {"generic"}, "now": {"2024-03-21T13:00:00Z"}})
	if r.StatusCode != http.StatusOK || !strings.Contains(r.body, "Verified: the Assertion signature was made by a trusted certificate") || !strings.Contains(r.body, `class="line sig-verified"`) {
		t.Errorf("with the certificate: %d\n%s", r.StatusCode, r.body)
	}
	if !strings.Contains(r.body, "time limits checked at 2024-03-21T13:00:00Z") {
		t.Error("the time the lint checked at is not shown")
	}
	// With samlab's own key only: the Entra response is not verified.
	r = b.inspectPost(url.Values{"message": {entra}, "own_key": {"1"}, "profile": {"auto"}})
	if !strings.Contains(r.body, "NOT verified") || !strings.Contains(r.body, "not among the trusted ones") {
		t.Errorf("own key against Entra:\n%s", r.body)
	}
}

// A response samlab issued verifies with "samlab's own key".
func TestInspectPageOwnKey(t *testing.T) {
	e := newTestEnv(t)
	b := e.browser()
	b.login("alice", "alice-demo")
	start := b.get("/apps/test-sp/start")
	posted := field(reField("SAMLResponse"), start.body)
	if posted == "" {
		t.Fatalf("no SAMLResponse issued:\n%s", start.body)
	}
	r := b.inspectPost(url.Values{"message": {"SAMLResponse=" + url.QueryEscape(posted) + "&RelayState=test"}, "own_key": {"1"}})
	if r.StatusCode != http.StatusOK || !strings.Contains(r.body, "Verified: the") || !strings.Contains(r.body, "alice@contoso.com") {
		t.Fatalf("%d\n%s", r.StatusCode, r.body)
	}
	// A request is summarised, not linted.
	req := `<samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_r1" Version="2.0" IssueInstant="2026-01-01T00:00:00Z" AssertionConsumerServiceURL="https://sp.example/acs"><saml:Issuer>https://sp.example</saml:Issuer></samlp:AuthnRequest>`
	r = b.inspectPost(url.Values{"message": {"SAMLRequest=" + url.QueryEscape(base64.StdEncoding.EncodeToString([]byte(req)))}})
	if r.StatusCode != http.StatusOK || !strings.Contains(r.body, "AuthnRequest (HTTP-POST binding)") || !strings.Contains(r.body, "https://sp.example/acs") || !strings.Contains(r.body, "are for responses") {
		t.Errorf("request: %d\n%s", r.StatusCode, r.body)
	}
}

func TestInspectPageRefusesHostile(t *testing.T) {
	e := newTestEnv(t)
	b := e.browser()
	tests := []struct {
		name, message, want string
		status              int
	}{
		{"doctype entity", `<!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol">&xxe;</samlp:Response>`, "Refused: unsafe or broken XML", http.StatusBadRequest},
		{"signature wrapping", wrappedResponse(), "Refused: the message has a signature-wrapping shape.", http.StatusOK},
		{"not saml", "<html><script>alert(1)</script></html>", "Not a SAML message samlab can read", http.StatusBadRequest},
		{"empty", "  ", "Nothing to inspect", http.StatusBadRequest},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := b.inspectPost(url.Values{"message": {tt.message}})
			if r.StatusCode != tt.status || !strings.Contains(r.body, tt.want) {
				t.Errorf("status %d, want %d with %q:\n%s", r.StatusCode, tt.status, tt.want, r.body)
			}
			if strings.Contains(r.body, "<script>") {
				t.Error("a pasted <script> reached the page unescaped")
			}
		})
	}
	// A script in a value is shown as text.
	r := b.inspectPost(url.Values{"message": {xssResponse()}})
	if r.StatusCode != http.StatusOK || strings.Contains(r.body, "<script>") || !strings.Contains(r.body, "&lt;script&gt;") {
		t.Errorf("script in a value: %d\n%s", r.StatusCode, r.body)
	}
	// Bad trust material says what to paste.
	r = b.inspectPost(url.Values{"message": {readFixture(t, entraFixture)}, "trust": {"-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n"}})
	if r.StatusCode != http.StatusBadRequest || !strings.Contains(r.body, "never a private key") {
		t.Errorf("private key as trust: %d\n%s", r.StatusCode, r.body)
	}
}

// wrappedResponse has a second assertion hidden in Extensions: the
// signature-wrapping shape.
func wrappedResponse() string {
	a := func(id, who string) string {
		return `<saml:Assertion xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="` + id + `" Version="2.0" IssueInstant="2026-01-01T00:00:00Z"><saml:Issuer>https://idp.example</saml:Issuer><saml:Subject><saml:NameID>` + who + `</saml:NameID></saml:Subject></saml:Assertion>`
	}
	return `<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_r" Version="2.0" IssueInstant="2026-01-01T00:00:00Z">` + a("_a1", "alice") +
		`<samlp:Extensions>` + a("_a2", "admin") + `</samlp:Extensions></samlp:Response>`
}

// xssResponse carries a script in its NameID and an attribute value.
func xssResponse() string {
	return `<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_r" Version="2.0" IssueInstant="2026-01-01T00:00:00Z"><saml:Assertion xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_a" Version="2.0" IssueInstant="2026-01-01T00:00:00Z"><saml:Issuer>https://idp.example</saml:Issuer><saml:Subject><saml:NameID>&lt;script&gt;document.title="pwned"&lt;/script&gt;</saml:NameID></saml:Subject><saml:AttributeStatement><saml:Attribute Name="x"><saml:AttributeValue>&lt;img src=x onerror="document.title='pwned'"&gt;&lt;script&gt;document.title="pwned"&lt;/script&gt;</saml:AttributeValue></saml:Attribute></saml:AttributeStatement></saml:Assertion></samlp:Response>`
}

func TestInspectPageCSRF(t *testing.T) {
	e := newTestEnv(t)
	b := e.browser()
	entra := readFixture(t, entraFixture)
	b.get("/inspect") // a session cookie, but no token in the form
	for name, form := range map[string]url.Values{
		"no token":    {"message": {entra}},
		"wrong token": {"message": {entra}, "csrf": {"AAAAAAAAAAAAAAAAAAAAAAAA"}},
	} {
		r := b.post("/inspect", form)
		if r.StatusCode != http.StatusForbidden || !strings.Contains(r.body, "Inspect form expired") || strings.Contains(r.body, "sts.windows.net") {
			t.Errorf("%s: %d\n%s", name, r.StatusCode, r.body)
		}
	}
	// Another browser's token does not work either.
	other := e.browser().get("/inspect")
	r := b.post("/inspect", url.Values{"message": {entra}, "csrf": {field(reCSRF, other.body)}})
	if r.StatusCode != http.StatusForbidden {
		t.Errorf("another browser's token: %d", r.StatusCode)
	}
	// A cross-site POST is refused before the handler.
	req, _ := http.NewRequest(http.MethodPost, e.base+"/inspect", strings.NewReader(url.Values{"message": {entra}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	if r := b.do(req); r.StatusCode != http.StatusForbidden {
		t.Errorf("cross-site POST: %d", r.StatusCode)
	}
}

// Nothing pasted reaches the log, at any level.
func TestInspectPageLogsNothingPasted(t *testing.T) {
	e := newTestEnv(t, withLogLevel(slog.LevelDebug))
	b := e.browser()
	secret := "inspect-secret-nameid-7d1f0c"
	msg := strings.Replace(xssResponse(), `&lt;script&gt;document.title="pwned"&lt;/script&gt;</saml:NameID>`, secret+`</saml:NameID>`, 1)
	encoded := base64.StdEncoding.EncodeToString([]byte(msg))
	trust := "-----BEGIN CERTIFICATE-----\ninspect-secret-trust\n-----END CERTIFICATE-----\n"
	for _, form := range []url.Values{
		{"message": {encoded}},
		{"message": {encoded}, "trust": {trust}},
		{"message": {"<!DOCTYPE " + secret + ">"}},
		{"message": {secret}},
	} {
		b.inspectPost(form)
	}
	logs := e.logs.String()
	if !strings.Contains(logs, "path=/inspect") {
		t.Fatalf("the debug log did not record the requests at all:\n%s", logs)
	}
	for _, leaked := range []string{secret, "inspect-secret-trust", encoded[:40], "DOCTYPE"} {
		if strings.Contains(logs, leaked) {
			t.Errorf("the log holds pasted content %q:\n%s", leaked, logs)
		}
	}
}

// Over samlab inspect's limit: 413 pages, for the field and for the body.
func TestInspectPageLimits(t *testing.T) {
	e := newTestEnv(t)
	b := e.browser()
	big := strings.Repeat("A", saml.MaxInputBytes+1)
	r := b.inspectPost(url.Values{"message": {big}})
	if r.StatusCode != http.StatusRequestEntityTooLarge || !strings.Contains(r.body, "Message too large") {
		t.Errorf("over-limit message: %d\n%.500s", r.StatusCode, r.body)
	}
	r = b.inspectPost(url.Values{"message": {"x"}, "trust": {strings.Repeat("A", inspectMaxTrust+1)}})
	if r.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("over-limit trust: %d", r.StatusCode)
	}
	r = b.inspectPost(url.Values{"message": {strings.Repeat("<", inspectMaxBody/3+1)}})
	if r.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("over-limit body: %d", r.StatusCode)
	}
	// Just under the limit is read (and refused as what it is, not as too large).
	r = b.inspectPost(url.Values{"message": {strings.Repeat("A", saml.MaxInputBytes-8)}})
	if r.StatusCode != http.StatusBadRequest || !strings.Contains(r.body, "Not a SAML message") {
		t.Errorf("at the limit: %d\n%.300s", r.StatusCode, r.body)
	}
}

// The launcher and the test SP link to /inspect.
func TestInspectLinked(t *testing.T) {
	e := newTestEnv(t)
	b := e.browser()
	if r := b.get("/test-sp"); !strings.Contains(r.body, `href="/inspect" id="inspect-link"`) {
		t.Error("the test SP does not link to /inspect")
	}
	b.login("alice", "alice-demo")
	if r := b.get("/apps"); !strings.Contains(r.body, `href="/inspect" id="inspect-link"`) {
		t.Error("the launcher does not link to /inspect")
	}
}

// Every rule ID a finding can carry has its anchor in docs/lint.md, so the
// page's links land on the rule.
func TestLintDocsAnchors(t *testing.T) {
	docs := readFixture(t, "../docs/lint.md")
	ids := map[string]bool{}
	for _, m := range regexp.MustCompile(`<a id="([a-z0-9-]+)"></a>`).FindAllStringSubmatch(docs, -1) {
		if ids[m[1]] {
			t.Errorf("anchor %q twice in docs/lint.md", m[1])
		}
		ids[m[1]] = true
	}
	for _, c := range aws.Checks() {
		if !ids[ruleAnchor(c.Rule)] {
			t.Errorf("rule %s (%s) has no anchor %q in docs/lint.md (go test ./aws -update-docs)", c.Rule, c.Name, ruleAnchor(c.Rule))
		}
	}
	if !strings.HasSuffix(lintDocsURL, "/docs/lint.md") {
		t.Errorf("lintDocsURL %q is not docs/lint.md", lintDocsURL)
	}
}
