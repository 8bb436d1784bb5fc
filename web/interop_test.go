package web

import (
	"encoding/base64"
	"net/url"
	"strings"
	"testing"

	crewsaml "github.com/crewjam/saml"
	"github.com/crewjam/saml/samlsp"
	dsig "github.com/russellhaering/goxmldsig"
)

// TestCrewjamSPInterop: crewjam/saml's ServiceProvider, an independent
// implementation, signs AuthnRequests with both bindings for the "signed-sp"
// app (which requires signed requests), and verifies samlab's responses.
func TestCrewjamSPInterop(t *testing.T) {
	e := newTestEnv(t, withRealClock())
	md, err := e.tenant.Metadata()
	if err != nil {
		t.Fatal(err)
	}
	idpMD, err := samlsp.ParseMetadata(md)
	if err != nil {
		t.Fatal(err)
	}
	k := testSPKeys(t)[0]
	acs, _ := url.Parse(signedSPACS)
	sp := &crewsaml.ServiceProvider{
		EntityID: signedSPEntity, Key: k.key, Certificate: k.cert, AcsURL: *acs,
		IDPMetadata: idpMD, SignatureMethod: dsig.RSASHA256SignatureMethod,
	}
	b := e.browser()
	b.login("alice", "alice-demo")

	check := func(binding string, r *result, requestID string) {
		t.Helper()
		x, action, rs := postedResponse(t, r)
		if x == "" || action != signedSPACS || rs != "state-"+binding {
			t.Fatalf("%s: status %d, action %q, RelayState %q\n%s", binding, r.StatusCode, action, rs, r.body)
		}
		assertion, err := sp.ParseXMLResponse([]byte(x), []string{requestID}, *acs)
		if err != nil {
			t.Fatalf("%s: crewjam refuses the response: %v", binding, err)
		}
		if assertion.Subject == nil || assertion.Subject.NameID == nil || assertion.Subject.NameID.Value == "" {
			t.Errorf("%s: no NameID in %+v", binding, assertion)
		}
	}

	// HTTP-Redirect, query signed by crewjam.
	req, err := sp.MakeAuthenticationRequest(e.base+"/sso", crewsaml.HTTPRedirectBinding, crewsaml.HTTPPostBinding)
	if err != nil {
		t.Fatal(err)
	}
	u, err := req.Redirect("state-redirect", sp)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(u.RawQuery, "Signature=") {
		t.Fatalf("crewjam did not sign the query: %s", u.RawQuery)
	}
	check("redirect", b.get("/sso?"+u.RawQuery), req.ID)

	// HTTP-POST, enveloped signature by crewjam (MakeAuthenticationRequest
	// signs POST requests when SignatureMethod is set).
	req, err = sp.MakeAuthenticationRequest(e.base+"/sso", crewsaml.HTTPPostBinding, crewsaml.HTTPPostBinding)
	if err != nil {
		t.Fatal(err)
	}
	if req.Signature == nil {
		t.Fatal("crewjam did not sign the POST request")
	}
	form := string(req.Post("state-post"))
	samlRequest := field(reField("SAMLRequest"), form)
	if _, err := base64.StdEncoding.DecodeString(samlRequest); err != nil || samlRequest == "" {
		t.Fatalf("no SAMLRequest in crewjam's form:\n%s", form)
	}
	check("post", b.post("/sso", url.Values{"SAMLRequest": {samlRequest}, "RelayState": {"state-post"}}), req.ID)
}
