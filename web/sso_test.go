package web

import (
	"crypto/x509"
	"encoding/base64"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/beevik/etree"
	crewsaml "github.com/crewjam/saml"
	dsig "github.com/russellhaering/goxmldsig"
)

func (e *testEnv) testSPEntity() string { return e.base + "/test-sp" }

func TestSSOSPInitiatedBothBindings(t *testing.T) {
	e := newTestEnv(t)
	for _, binding := range []string{"redirect", "post"} {
		t.Run(binding, func(t *testing.T) {
			b := e.browser()
			xml := e.authnXML(authnRequest{ID: "_sp-" + binding, Issuer: e.testSPEntity(), ACS: e.base + "/test-sp/acs"})
			var page *result
			if binding == "redirect" {
				page = b.get("/sso?" + redirectQuery(t, xml, "state-1", nil))
			} else {
				page = b.post("/sso", url.Values{"SAMLRequest": {base64.StdEncoding.EncodeToString([]byte(xml))}, "RelayState": {"state-1"}})
			}
			if page.StatusCode != http.StatusOK || field(rePending, page.body) == "" {
				t.Fatalf("no session: %d, want the login page\n%s", page.StatusCode, page.body)
			}
			assertNoResponse(t, page)
			r := b.loginForm(page, "alice", "alice-demo")
			x, action, rs := postedResponse(t, r)
			if action != e.base+"/test-sp/acs" || rs != "state-1" {
				t.Fatalf("action %q RelayState %q", action, rs)
			}
			v := e.verifyXML(t, x)
			if v.InResponseTo != "_sp-"+binding {
				t.Errorf("InResponseTo = %q", v.InResponseTo)
			}
			// With a session, the next request is answered at once.
			xml2 := e.authnXML(authnRequest{ID: "_sp2-" + binding, Issuer: e.testSPEntity()})
			r = b.get("/sso?" + redirectQuery(t, xml2, "", nil))
			if x, _, _ := postedResponse(t, r); !strings.Contains(x, `InResponseTo="_sp2-`+binding+`"`) {
				t.Errorf("second request not answered from the session: %d", r.StatusCode)
			}
		})
	}
}

func TestSSOSignedRequests(t *testing.T) {
	e := newTestEnv(t)
	keys := testSPKeys(t)
	b := e.browser()
	b.login("alice", "alice-demo")
	xml := e.authnXML(authnRequest{ID: "_signed1", Issuer: signedSPEntity, ACS: signedSPACS})
	// Redirect binding, signed with the registered key.
	r := b.get("/sso?" + redirectQuery(t, xml, "rs", keys[0].key))
	if x, action, _ := postedResponse(t, r); x == "" || action != signedSPACS {
		t.Fatalf("signed redirect request: %d action %q\n%s", r.StatusCode, action, r.body)
	}
	// POST binding with an enveloped signature.
	xml = e.authnXML(authnRequest{ID: "_signed2", Issuer: signedSPEntity})
	r = b.post("/sso", url.Values{"SAMLRequest": {base64.StdEncoding.EncodeToString([]byte(signXML(t, xml, keys[0])))}})
	if x, _, _ := postedResponse(t, r); x == "" {
		t.Fatalf("signed post request: %d\n%s", r.StatusCode, r.body)
	}
}

// TestSSORejected covers requests that must get a 400 page and no response.
func TestSSORejected(t *testing.T) {
	e := newTestEnv(t)
	keys := testSPKeys(t)
	tsp := e.testSPEntity()
	replayed := redirectQuery(t, e.authnXML(authnRequest{ID: "_replay", Issuer: signedSPEntity}), "", keys[0].key)
	tests := []struct {
		name  string
		query string // Redirect binding
		form  url.Values
		first bool // send once before (replay)
		title string
	}{
		{name: "unknown SP", query: redirectQuery(t, e.authnXML(authnRequest{Issuer: "https://evil.example/sp"}), "", nil), title: "Unknown service provider"},
		{name: "no Issuer", query: redirectQuery(t, strings.Replace(e.authnXML(authnRequest{Issuer: "x"}), "<saml:Issuer>x</saml:Issuer>", "", 1), "", nil), title: "Unknown service provider"},
		{name: "ACS not registered", query: redirectQuery(t, e.authnXML(authnRequest{Issuer: tsp, ACS: "https://evil.example/acs"}), "", nil), title: "ACS not registered"},
		{name: "ACS lookalike", query: redirectQuery(t, e.authnXML(authnRequest{Issuer: tsp, ACS: e.base + "/test-sp/acs/"}), "", nil), title: "ACS not registered"},
		{name: "unsigned, signature required", query: redirectQuery(t, e.authnXML(authnRequest{Issuer: signedSPEntity}), "", nil), title: "Request signature not accepted"},
		{name: "signed with another key", query: redirectQuery(t, e.authnXML(authnRequest{Issuer: signedSPEntity}), "", keys[1].key), title: "Request signature not accepted"},
		{name: "POST signed with another key", form: url.Values{"SAMLRequest": {base64.StdEncoding.EncodeToString([]byte(signXML(t, e.authnXML(authnRequest{Issuer: signedSPEntity}), keys[1])))}}, title: "Request signature not accepted"},
		{name: "expired", query: redirectQuery(t, e.authnXML(authnRequest{Issuer: tsp, IssueInstant: e.now.Add(-time.Hour)}), "", nil), title: "Request out of date"},
		{name: "future IssueInstant", query: redirectQuery(t, e.authnXML(authnRequest{Issuer: tsp, IssueInstant: e.now.Add(time.Hour)}), "", nil), title: "Request out of date"},
		{name: "replay", query: replayed, first: true, title: "Request already used"},
		{name: "wrong Destination", query: redirectQuery(t, e.authnXML(authnRequest{Issuer: tsp, Destination: "https://other-idp.example/sso"}), "", nil), title: "Bad SAML request"},
		{name: "RelayState too long", query: redirectQuery(t, e.authnXML(authnRequest{Issuer: tsp}), strings.Repeat("r", 4097), nil), title: "Bad SAML request"},
		{name: "DOCTYPE", query: redirectQuery(t, `<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>`+e.authnXML(authnRequest{Issuer: tsp}), "", nil), title: "Bad SAML request"},
		{name: "script in Issuer", query: redirectQuery(t, e.authnXML(authnRequest{Issuer: "&lt;script&gt;alert(1)&lt;/script&gt;"}), "", nil), title: "Unknown service provider"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := e.browser()
			b.login("alice", "alice-demo") // a session must not change the outcome
			send := func() *result {
				if tt.form != nil {
					return b.post("/sso", tt.form)
				}
				return b.get("/sso?" + tt.query)
			}
			if tt.first {
				if x, _, _ := postedResponse(t, send()); x == "" {
					t.Fatal("first request not answered")
				}
			}
			r := send()
			if r.StatusCode != http.StatusBadRequest {
				t.Fatalf("status = %d, want 400\n%s", r.StatusCode, r.body)
			}
			if !strings.Contains(r.body, tt.title) {
				t.Errorf("page lacks %q:\n%s", tt.title, r.body)
			}
			if strings.Contains(r.body, "<script>") {
				t.Error("unescaped script in the error page")
			}
			assertNoResponse(t, r)
		})
	}
}

func TestSSOIsPassiveWithoutSession(t *testing.T) {
	e := newTestEnv(t)
	b := e.browser()
	xml := e.authnXML(authnRequest{ID: "_passive", Issuer: e.testSPEntity(), Attrs: ` IsPassive="true"`})
	r := b.get("/sso?" + redirectQuery(t, xml, "rs", nil))
	x, action, rs := postedResponse(t, r)
	if action != e.base+"/test-sp/acs" || rs != "rs" {
		t.Fatalf("action %q RelayState %q (status %d)", action, rs, r.StatusCode)
	}
	if !strings.Contains(x, crewsaml.StatusNoPassive) || strings.Contains(x, "Assertion") || !strings.Contains(x, `InResponseTo="_passive"`) {
		t.Errorf("want a NoPassive status and no assertion:\n%s", x)
	}
	if strings.Contains(r.body, `name="password"`) {
		t.Error("IsPassive showed the login form")
	}
	e.verifyStatusSigned(t, x)
}

func TestSSOForceAuthnShowsLogin(t *testing.T) {
	e := newTestEnv(t)
	b := e.browser()
	b.login("alice", "alice-demo")
	xml := e.authnXML(authnRequest{ID: "_force", Issuer: e.testSPEntity(), Attrs: ` ForceAuthn="true"`})
	page := b.get("/sso?" + redirectQuery(t, xml, "", nil))
	if page.StatusCode != http.StatusOK || !strings.Contains(page.body, `name="password"`) || !strings.Contains(page.body, "enter your password again") {
		t.Fatalf("ForceAuthn with a session: %d, want the login form", page.StatusCode)
	}
	assertNoResponse(t, page)
	r := b.loginForm(page, "alice", "alice-demo")
	if x, _, _ := postedResponse(t, r); !strings.Contains(x, `InResponseTo="_force"`) {
		t.Fatalf("after login: %d", r.StatusCode)
	}
}

func TestSSORequestedSubjectOfAnotherUser(t *testing.T) {
	e := newTestEnv(t)
	b := e.browser()
	b.login("alice", "alice-demo")
	xml := e.authnXML(authnRequest{ID: "_subj", Issuer: e.testSPEntity(),
		Extra: `<saml:Subject><saml:NameID>admin@contoso.com</saml:NameID></saml:Subject>`})
	r := b.get("/sso?" + redirectQuery(t, xml, "", nil))
	x, _, _ := postedResponse(t, r)
	if !strings.Contains(x, crewsaml.StatusRequestDenied) || strings.Contains(x, "Assertion") {
		t.Fatalf("want RequestDenied and no assertion, got %d:\n%s", r.StatusCode, x)
	}
	// Asking for the signed-in user is fine.
	xml = e.authnXML(authnRequest{ID: "_subj2", Issuer: e.testSPEntity(),
		Extra: `<saml:Subject><saml:NameID>alice</saml:NameID></saml:Subject>`})
	r = b.get("/sso?" + redirectQuery(t, xml, "", nil))
	if x, _, _ := postedResponse(t, r); !strings.Contains(x, "Assertion") {
		t.Fatalf("own subject refused: %d\n%s", r.StatusCode, x)
	}
}

func TestSSOUnsupportedNameIDPolicy(t *testing.T) {
	e := newTestEnv(t)
	b := e.browser()
	b.login("alice", "alice-demo")
	xml := e.authnXML(authnRequest{ID: "_nip", Issuer: e.testSPEntity(),
		Extra: `<samlp:NameIDPolicy Format="urn:oasis:names:tc:SAML:2.0:nameid-format:kerberos"/>`})
	r := b.get("/sso?" + redirectQuery(t, xml, "", nil))
	x, _, _ := postedResponse(t, r)
	if !strings.Contains(x, crewsaml.StatusInvalidNameIDPolicy) || strings.Contains(x, "Assertion") {
		t.Fatalf("want InvalidNameIDPolicy and no assertion, got %d:\n%s", r.StatusCode, x)
	}
}

// An AuthnRequest asking for the unspecified NameID format gets the
// pairwise id (Format persistent), as Microsoft's SAML protocol page says
// Entra ID issues it, not the app's configured email NameID.
func TestSSONameIDPolicyUnspecified(t *testing.T) {
	e := newTestEnv(t)
	b := e.browser()
	b.login("alice", "alice-demo")
	xml := e.authnXML(authnRequest{ID: "_unspec", Issuer: e.testSPEntity(),
		Extra: `<samlp:NameIDPolicy Format="urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified"/>`})
	x, _, _ := postedResponse(t, b.get("/sso?"+redirectQuery(t, xml, "", nil)))
	v := e.verifyXML(t, x)
	if v.Assertion == nil {
		t.Fatalf("no assertion:\n%s", x)
	}
	if a := v.Assertion; a.NameIDFormat != "urn:oasis:names:tc:SAML:2.0:nameid-format:persistent" || len(a.NameID) != 43 || strings.Contains(a.NameID, "@") {
		t.Errorf("NameID %q format %q, want a 43-character pairwise id, persistent", a.NameID, a.NameIDFormat)
	}
}

func TestTestSPFlow(t *testing.T) {
	e := newTestEnv(t)
	b := e.browser()
	r := b.get("/test-sp/login")
	loc := r.Header.Get("Location")
	if r.StatusCode != http.StatusFound || !strings.HasPrefix(loc, "/sso?SAMLRequest=") {
		t.Fatalf("test SP login = %d %q", r.StatusCode, loc)
	}
	page := b.get(loc)
	r = b.loginForm(page, "alice", "alice-demo")
	x, action, rs := postedResponse(t, r)
	if action != e.base+"/test-sp/acs" || rs != "test-sp" {
		t.Fatalf("action %q RelayState %q", action, rs)
	}
	form := url.Values{"SAMLResponse": {base64.StdEncoding.EncodeToString([]byte(x))}, "RelayState": {rs}}
	got := b.post("/test-sp/acs", form)
	if got.StatusCode != http.StatusOK || !strings.Contains(got.body, "Verified") || !strings.Contains(got.body, "alice@contoso.com") {
		t.Fatalf("ACS = %d\n%s", got.StatusCode, got.body)
	}
	// A demo response lints clean, and the page says so.
	if !strings.Contains(got.body, `<p class="ok">No findings.</p>`) {
		t.Errorf("test SP result lacks the lint verdict")
	}
	// The same response again is refused.
	again := b.post("/test-sp/acs", form)
	if again.StatusCode != http.StatusBadRequest || !strings.Contains(again.body, "Not accepted") {
		t.Fatalf("replayed response = %d", again.StatusCode)
	}
	// An IdP-initiated response is accepted once too.
	start := b.get("/apps/test-sp/start")
	x2 := field(reField("SAMLResponse"), start.body)
	form2 := url.Values{"SAMLResponse": {x2}}
	if got := b.post("/test-sp/acs", form2); got.StatusCode != http.StatusOK {
		t.Fatalf("IdP-initiated response = %d", got.StatusCode)
	}
	if got := b.post("/test-sp/acs", form2); got.StatusCode != http.StatusBadRequest || !strings.Contains(got.body, "replay") {
		t.Fatalf("replayed IdP-initiated response = %d", got.StatusCode)
	}
	// A response with a broken signature is refused.
	bad := strings.Replace(x, "alice@contoso.com", "admin@contoso.com", 1)
	got = e.browser().post("/test-sp/acs", url.Values{"SAMLResponse": {base64.StdEncoding.EncodeToString([]byte(bad))}})
	if got.StatusCode != http.StatusBadRequest || !strings.Contains(got.body, "Not accepted") {
		t.Fatalf("tampered response = %d", got.StatusCode)
	}
}

// An app with clock_offset gets responses from a skewed clock: the test
// SP, which checks times like a real SP, refuses one from ten minutes ago
// as expired. allow_invalid lets it out past the lint, which judges by the
// true clock.
func TestClockOffsetReachesSP(t *testing.T) {
	e := newTestEnv(t, withReplace("builtin = \"test-sp\"\nprofile = \"generic\"\n",
		"builtin = \"test-sp\"\nprofile = \"generic\"\nclock_offset = \"-10m\"\nallow_invalid = true\n"))
	b := e.browser()
	b.login("alice", "alice-demo")
	start := b.get("/apps/test-sp/start")
	x := field(reField("SAMLResponse"), start.body)
	if x == "" {
		t.Fatalf("IdP-initiated start = %d with no SAMLResponse\n%s", start.StatusCode, start.body)
	}
	got := b.post("/test-sp/acs", url.Values{"SAMLResponse": {x}})
	if got.StatusCode != http.StatusBadRequest || !strings.Contains(got.body, "Not accepted") || !strings.Contains(got.body, "expired by 5m0s") {
		t.Fatalf("ACS of a response from 10 minutes ago = %d\n%s", got.StatusCode, got.body)
	}
}

func TestSLO(t *testing.T) {
	e := newTestEnv(t)
	b := e.browser()
	b.login("alice", "alice-demo")
	xml := `<samlp:LogoutRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_lo" Version="2.0" IssueInstant="` +
		e.now.Add(-time.Second).Format(time.RFC3339) + `" Destination="` + e.base + `/slo"><saml:Issuer>` + e.testSPEntity() +
		`</saml:Issuer><saml:NameID>alice@contoso.com</saml:NameID></samlp:LogoutRequest>`
	r := b.get("/slo?" + redirectQuery(t, xml, "", nil))
	if r.StatusCode != http.StatusOK || !strings.Contains(r.body, "Signed out") {
		t.Fatalf("SLO = %d\n%s", r.StatusCode, r.body)
	}
	if b.get("/apps").StatusCode != http.StatusSeeOther {
		t.Error("still signed in after SLO")
	}
	bad := strings.Replace(xml, e.testSPEntity(), "https://evil.example", 1)
	if r := b.get("/slo?" + redirectQuery(t, bad, "", nil)); r.StatusCode != http.StatusBadRequest {
		t.Errorf("SLO from unknown SP = %d, want 400", r.StatusCode)
	}
}

// verifyStatusSigned checks the IdP's enveloped signature on a status-only
// message (error Response, LogoutResponse).
func (e *testEnv) verifyStatusSigned(t *testing.T, x string) {
	t.Helper()
	doc := etree.NewDocument()
	if err := doc.ReadFromString(x); err != nil {
		t.Fatal(err)
	}
	vc := dsig.NewDefaultValidationContext(&dsig.MemoryX509CertificateStore{Roots: []*x509.Certificate{e.tenant.KeyPair.Certificate}})
	vc.Clock = dsig.NewFakeClockAt(e.now)
	if _, err := vc.Validate(doc.Root()); err != nil {
		t.Errorf("signature: %v\n%s", err, x)
	}
}

func TestNotAssigned(t *testing.T) {
	e := newTestEnv(t)
	b := e.browser()
	b.login("bob", "bob-demo")
	if apps := b.get("/apps"); strings.Contains(apps.body, "/apps/aws-identity-center/start") {
		t.Error("the launcher lists an app bob is not assigned to")
	}
	r := b.get("/apps/aws-identity-center/start")
	if r.StatusCode != http.StatusForbidden || !strings.Contains(r.body, "AADSTS50105") {
		t.Fatalf("unassigned app = %d", r.StatusCode)
	}
	assertNoResponse(t, r)
}

func TestSSOIsPassiveWithSession(t *testing.T) {
	e := newTestEnv(t)
	b := e.browser()
	b.login("alice", "alice-demo")
	xml := e.authnXML(authnRequest{ID: "_passive2", Issuer: e.testSPEntity(), Attrs: ` IsPassive="true"`})
	r := b.get("/sso?" + redirectQuery(t, xml, "", nil))
	x, _, _ := postedResponse(t, r)
	if v := e.verifyXML(t, x); v.InResponseTo != "_passive2" || v.Assertion == nil {
		t.Fatalf("IsPassive with a session: want an assertion, got %+v", v)
	}
}

func TestSLOPostsSignedLogoutResponse(t *testing.T) {
	e := newTestEnv(t)
	app, _ := e.tenant.App("test-sp")
	app.SLOURL = e.base + "/test-sp/slo" // as read from SP metadata
	b := e.browser()
	b.login("alice", "alice-demo")
	xml := `<samlp:LogoutRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_lo2" Version="2.0" IssueInstant="` +
		e.now.Add(-time.Second).Format(time.RFC3339) + `" Destination="` + e.base + `/slo"><saml:Issuer>` + e.testSPEntity() +
		`</saml:Issuer><saml:NameID>alice@contoso.com</saml:NameID></samlp:LogoutRequest>`
	r := b.post("/slo", url.Values{"SAMLRequest": {base64.StdEncoding.EncodeToString([]byte(xml))}, "RelayState": {"bye"}})
	if r.StatusCode != http.StatusOK {
		t.Fatalf("SLO = %d\n%s", r.StatusCode, r.body)
	}
	raw := field(reField("SAMLResponse"), r.body)
	lr, err := base64.StdEncoding.DecodeString(raw)
	if err != nil || !strings.Contains(string(lr), "<samlp:LogoutResponse") || !strings.Contains(string(lr), `InResponseTo="_lo2"`) {
		t.Fatalf("LogoutResponse = %s (%v)", lr, err)
	}
	if !strings.Contains(r.body, `action="`+app.SLOURL+`"`) || field(reField("RelayState"), r.body) != "bye" {
		t.Errorf("not posted to the SP's SLO URL with RelayState:\n%s", r.body)
	}
	e.verifyStatusSigned(t, string(lr))
	if b.get("/apps").StatusCode != http.StatusSeeOther {
		t.Error("still signed in after SLO")
	}
}

func TestCrossSiteSAMLPostsAllowed(t *testing.T) {
	// SPs post AuthnRequests from their own sites: only the login and
	// logout forms are CSRF-protected.
	e := newTestEnv(t)
	b := e.browser()
	xml := e.authnXML(authnRequest{ID: "_xs", Issuer: e.testSPEntity()})
	form := url.Values{"SAMLRequest": {base64.StdEncoding.EncodeToString([]byte(xml))}}
	req, _ := http.NewRequest("POST", e.base+"/sso", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	req.Header.Set("Origin", "https://sp.example.com")
	if r := b.do(req); r.StatusCode != http.StatusOK || field(rePending, r.body) == "" {
		t.Fatalf("cross-site POST /sso = %d, want the login page", r.StatusCode)
	}
}
