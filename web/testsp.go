package web

import (
	"bytes"
	"compress/flate"
	"crypto/x509"
	"encoding/base64"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/beevik/etree"
	crewsaml "github.com/crewjam/saml"

	"github.com/samlab/samlab/aws"
	"github.com/samlab/samlab/certs"
	"github.com/samlab/samlab/idp"
	"github.com/samlab/samlab/saml"
)

// The built-in test SP is a service provider in its own right: entity ID
// <base>/test-sp, ACS <base>/test-sp/acs. It trusts the IdP certificate from
// the metadata, as a real SP would, and shows what arrived.

func (sv *server) testSPEntityID() string { return sv.tenant.BaseURL + "/test-sp" }
func (sv *server) testSPACS() string      { return sv.tenant.BaseURL + "/test-sp/acs" }

func (sv *server) testSPApp() (*idp.App, bool) {
	for _, a := range sv.tenant.Apps() {
		if a.Builtin == "test-sp" {
			return a, true
		}
	}
	return nil, false
}

type testSPPage struct {
	EntityID, ACS, StartURL string
	Registered              bool
}

func (sv *server) handleTestSP(w http.ResponseWriter, r *http.Request) {
	d := testSPPage{EntityID: sv.testSPEntityID(), ACS: sv.testSPACS()}
	if a, ok := sv.testSPApp(); ok {
		d.Registered = true
		d.StartURL = "/apps/" + url.PathEscape(a.Name) + "/start"
	}
	sv.render(w, r, http.StatusOK, "testsp", page{Title: "Test SP", Data: d})
}

// handleTestSPLogin starts an SP-initiated flow to the test SP.
func (sv *server) handleTestSPLogin(w http.ResponseWriter, r *http.Request) {
	if _, ok := sv.testSPApp(); !ok {
		sv.fail(w, r, http.StatusNotFound, "Test SP not configured", `Add an app with builtin = "test-sp" to use the test SP.`)
		return
	}
	sv.startSPLogin(w, r, builtinSP{entityID: sv.testSPEntityID(), acs: sv.testSPACS(), cookie: testSPCookie, relayState: "test-sp"})
}

// builtinSP is one of samlab's own service providers, as the code they
// share sees it: the AuthnRequest they send and the checks on what their
// ACS receives.
type builtinSP struct {
	entityID, acs string
	app           *idp.App // nil when the tenant has no such app
	// cookie keeps the ID of the pending AuthnRequest.
	cookie     string
	relayState string
}

// startSPLogin starts an SP-initiated flow: a real AuthnRequest with the
// HTTP-Redirect binding, its ID remembered in a signed cookie for the
// InResponseTo check.
func (sv *server) startSPLogin(w http.ResponseWriter, r *http.Request, sp builtinSP) {
	now := sv.now()
	id := "_" + newID()
	post := crewsaml.HTTPPostBinding
	req := crewsaml.AuthnRequest{
		ID: id, Version: "2.0", IssueInstant: now.UTC(), Destination: sv.policy.SSOURL,
		AssertionConsumerServiceURL: sp.acs, ProtocolBinding: post,
		Issuer: &crewsaml.Issuer{Format: "urn:oasis:names:tc:SAML:2.0:nameid-format:entity", Value: sp.entityID},
	}
	doc := etree.NewDocument()
	doc.SetRoot(req.Element())
	raw, err := doc.WriteToBytes()
	if err != nil {
		sv.fail(w, r, http.StatusInternalServerError, "Request not built", "The SP could not build its request.")
		return
	}
	var buf bytes.Buffer
	fw, _ := flate.NewWriter(&buf, flate.DefaultCompression)
	fw.Write(raw)
	fw.Close()
	exp := now.Add(pendingTTL)
	sv.setCookie(w, sp.cookie, sv.signer.sign(sp.cookie, url.Values{"i": {id}, "e": {strconv.FormatInt(exp.Unix(), 10)}}), exp)
	q := "SAMLRequest=" + url.QueryEscape(base64.StdEncoding.EncodeToString(buf.Bytes())) + "&RelayState=" + url.QueryEscape(sp.relayState)
	if r.URL.Query().Get("debug") == "1" {
		q += "&debug=1"
	}
	http.Redirect(w, r, "/sso?"+q, http.StatusFound)
}

type testSPResult struct {
	OK                                bool
	Problems                          []string
	NameID, NameIDFormat, Issuer      string
	InResponseTo, RelayState, Profile string
	Signatures                        []string
	Attributes                        []saml.AttributeView
	AWS                               []string
	Findings                          []aws.Finding
	// InspectMessage and CSRF fill the "Inspect this response" form,
	// which posts the response as received to /inspect.
	InspectMessage, CSRF string
	// expectInResponseTo is the ID of the request this browser sent, ""
	// when none (IdP-initiated).
	expectInResponseTo string
}

// handleTestSPACS is the test SP's AssertionConsumerService.
func (sv *server) handleTestSPACS(w http.ResponseWriter, r *http.Request) {
	app, _ := sv.testSPApp()
	sp := builtinSP{entityID: sv.testSPEntityID(), acs: sv.testSPACS(), app: app, cookie: testSPCookie}
	res, view, ok := sv.receive(w, r, sp)
	if !ok {
		return
	}
	now := sv.now()
	res.Profile = aws.DetectProfile(view)
	if prof, err := aws.ProfileByName(res.Profile); err == nil {
		lo := sv.lintOptions(sp, res, now)
		if app != nil && app.Config != nil && app.Config.TestSP != nil {
			ts := app.Config.TestSP
			lo.RequireEncryption, lo.AssumeRole, lo.IdCAccessControlKeys = ts.RequireEncryption, ts.AssumeRole, ts.IdCAttributeKeys
		}
		res.Findings = aws.LintView(view, prof, lo)
	}
	if s := aws.SessionView(view); s != nil && (res.Profile == "aws-sts" || res.Profile == "aws-identity-center" || len(s.Tags) > 0) {
		res.AWS = s.Lines()
	}
	res.OK = len(res.Problems) == 0
	status := http.StatusOK
	if !res.OK {
		status = http.StatusBadRequest
	}
	sv.log.Info("test SP received a response", "ok", res.OK, "problems", len(res.Problems), "in_response_to", view.InResponseTo)
	w.Header().Set("Cache-Control", "no-store")
	sv.render(w, r, status, "testsp_result", page{Title: "Test SP", Data: res})
}

// lintOptions is the lint context a built-in SP knows: its own entity ID
// and ACS, the request it sent and the IdP it trusts.
func (sv *server) lintOptions(sp builtinSP, res *testSPResult, now time.Time) aws.Options {
	lo := aws.Options{Now: now, Skew: testSPSkew, ExpectAudience: sp.entityID, ExpectRecipient: sp.acs,
		ExpectInResponseTo: res.expectInResponseTo}
	if sp.app != nil && !sp.app.Options.AzureShape {
		lo.ExpectIssuer = sv.tenant.EntityID // the Azure shape issues as https://sts.windows.net/<tenant>/
	}
	return lo
}

// receive reads a response posted to a built-in SP's ACS and checks it as
// a real SP does: signature by the IdP certificate from the metadata,
// audience, recipient, destination, time limits, the pending request it
// answers and single use. Problems are listed in the result. ok is false
// when there is no readable response; an error page has then been written.
func (sv *server) receive(w http.ResponseWriter, r *http.Request, sp builtinSP) (res *testSPResult, view *saml.View, ok bool) {
	if err := r.ParseForm(); err != nil {
		sv.formError(w, r, err)
		return nil, nil, false
	}
	if len(r.PostForm["SAMLResponse"]) != 1 {
		sv.fail(w, r, http.StatusBadRequest, "No SAML response", "This ACS expects one SAMLResponse form field.")
		return nil, nil, false
	}
	now := sv.now()
	io := saml.InspectOptions{Certificates: sv.idpCerts, Now: sv.clock}
	if sp.app != nil && sp.app.TestSPKey != nil {
		io.DecryptionKey = sp.app.TestSPKey
	}
	rep, rerr := saml.Inspect([]byte(r.PostForm.Get("SAMLResponse")), io)
	if rep == nil {
		sv.fail(w, r, http.StatusBadRequest, "Unreadable SAML response", rerr.Error())
		return nil, nil, false
	}
	if !rep.Kind.IsResponse() {
		sv.fail(w, r, http.StatusBadRequest, "Not a SAML response", "This ACS takes a Response; this is "+rep.Kind.Noun()+".")
		return nil, nil, false
	}
	view = rep.View
	res = &testSPResult{Issuer: view.Issuer, InResponseTo: view.InResponseTo, RelayState: r.PostForm.Get("RelayState"),
		InspectMessage: r.PostForm.Get("SAMLResponse"), CSRF: sv.csrfToken(sv.ensureSession(w, r))}
	if rerr != nil {
		res.Problems = append(res.Problems, splitErrors(rerr)...)
	}
	if !view.Verified {
		res.Problems = append(res.Problems, "no signature by the IdP certificate covers the response or the assertion")
		if m := keyMismatch(rep.Message.XML, sv.idpCerts); m != "" {
			res.Problems = append(res.Problems, m)
		}
	}
	expect := saml.Expect{Audience: sp.entityID, Recipient: sp.acs, Destination: sp.acs, Now: now, Skew: testSPSkew}
	if view.InResponseTo != "" {
		// SP-initiated: the response must answer the request this browser
		// sent, once. Only a verified answer to our own request is recorded,
		// so forged responses cannot fill the cache.
		c, err := r.Cookie(sp.cookie)
		var v url.Values
		if err == nil {
			v, err = sv.signer.open(sp.cookie, c.Value, now)
		}
		switch {
		case err != nil:
			res.Problems = append(res.Problems, fmt.Sprintf("InResponseTo %q: this browser has no pending request from this SP", view.InResponseTo))
		default:
			expect.InResponseTo = v.Get("i") // Check reports a mismatch
			if view.Verified && view.InResponseTo == v.Get("i") && sv.usedTestSP.Seen(v.Get("i"), now.Add(pendingTTL), now) {
				res.Problems = append(res.Problems, fmt.Sprintf("InResponseTo %q: response already received", view.InResponseTo))
			}
		}
		sv.clearCookie(w, sp.cookie)
	}
	res.expectInResponseTo = expect.InResponseTo
	if a := view.Assertion; a != nil && a.ID != "" && view.Verified {
		// Like a real SP, accept each assertion once (IdP-initiated ones
		// too), and remember it as long as Check would accept it: until its
		// last NotOnOrAfter plus the skew allowed.
		if sv.usedTestSP.Seen("assertion\x00"+a.ID, testSPMarkerExpiry(a, now), now) {
			res.Problems = append(res.Problems, fmt.Sprintf("assertion %q was received before (replay)", a.ID))
		}
	}
	for _, e := range view.Check(expect) {
		res.Problems = append(res.Problems, e.Error())
	}
	if a := view.Assertion; a != nil {
		res.NameID, res.NameIDFormat, res.Attributes = a.NameID, a.NameIDFormat, a.Attributes
	}
	for _, s := range view.Signatures {
		state := "not verified"
		if s.Verified {
			state = "verified"
		}
		res.Signatures = append(res.Signatures, fmt.Sprintf("%s signature, %s", s.Element, state))
	}
	return res, view, true
}

// testSPSkew is the clock skew the test SP allows in its time checks.
const testSPSkew = time.Minute

// testSPMarkerExpiry is how long the test SP keeps the single-use marker of
// an accepted assertion: the latest NotOnOrAfter it carries (Conditions or
// SubjectConfirmationData) plus testSPSkew, since until then Check still
// accepts it. Without any NotOnOrAfter, pendingTTL from now.
func testSPMarkerExpiry(a *saml.AssertionView, now time.Time) time.Time {
	last := a.NotOnOrAfter
	for _, sc := range a.SubjectConfirmations {
		if sc.NotOnOrAfter.After(last) {
			last = sc.NotOnOrAfter
		}
	}
	if last.IsZero() {
		return now.Add(pendingTTL)
	}
	return last.Add(testSPSkew)
}

// splitErrors lists the messages of an errors.Join tree.
func splitErrors(err error) []string {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		var out []string
		for _, e := range j.Unwrap() {
			out = append(out, splitErrors(e)...)
		}
		return out
	}
	if err == nil {
		return nil
	}
	return []string{err.Error()}
}

// keyMismatch explains an unverified response signed with another key than
// the one the test SP trusts, as when `samlab assert` and `samlab serve`
// ran with different state directories and so generated different keys:
// it names both certificates by SHA-256 fingerprint (of the certificate the
// response's KeyInfo carries, and of the one the IdP metadata publishes).
// "" when the response carries no certificate or carries a trusted one (its
// signature failed for another reason, such as a changed value).
func keyMismatch(xml []byte, trusted []*x509.Certificate) string {
	doc, err := saml.ParseSafe(xml, saml.ResponseLimits())
	if err != nil || len(trusted) == 0 {
		return ""
	}
	var carried *x509.Certificate
	for _, el := range doc.FindElements("//X509Certificate") {
		if el.NamespaceURI() != "http://www.w3.org/2000/09/xmldsig#" {
			continue
		}
		der, err := base64.StdEncoding.DecodeString(strings.Join(strings.Fields(el.Text()), ""))
		if err != nil {
			continue
		}
		c, err := x509.ParseCertificate(der)
		if err != nil {
			continue
		}
		for _, t := range trusted {
			if bytes.Equal(t.Raw, c.Raw) {
				return ""
			}
		}
		if carried == nil {
			carried = c
		}
	}
	if carried == nil {
		return ""
	}
	var want []string
	for _, t := range trusted {
		want = append(want, fingerprint(t))
	}
	return fmt.Sprintf("the response is signed with another key than the one this test SP trusts: the certificate in the response has SHA-256 fingerprint %s, "+
		"the IdP metadata here has %s. Was it made by `samlab assert` with another state directory (so another generated key) than this `samlab serve`? "+
		"Run both with the same --state DIR (or $SAMLAB_STATE_DIR), or configure idp.key and idp.cert",
		fingerprint(carried), strings.Join(want, " or "))
}

// fingerprint is a certificate's SHA-256 fingerprint as `openssl x509
// -fingerprint -sha256` prints it.
func fingerprint(c *x509.Certificate) string {
	return (&certs.KeyPair{Certificate: c}).Fingerprint()
}
