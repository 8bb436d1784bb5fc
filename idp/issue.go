package idp

import (
	"crypto/x509"
	"encoding/base64"
	"fmt"
	"time"

	"github.com/samlab/samlab/aws"
	"github.com/samlab/samlab/claims"
	"github.com/samlab/samlab/saml"
)

// IssueRequest asks for one response.
type IssueRequest struct {
	User, App string
	// ACS is where the response goes; "" means the app's default. It must
	// be registered for the app.
	ACS string
	// InResponseTo is the AuthnRequest ID for SP-initiated sign-in.
	InResponseTo string
	// NameIDFormat is the AuthnRequest's NameIDPolicy Format; it wins over
	// the configured format.
	NameIDFormat    string
	SPNameQualifier string
	// AuthnInstant is when the user signed in; zero means now.
	AuthnInstant time.Time
	// SessionNotOnOrAfter, when set, ends the SP session.
	SessionNotOnOrAfter time.Time
	// Explain fills the claims trace (debug view, --explain).
	Explain bool
	// IDs overrides the tenant's ID source for transient NameIDs.
	IDs claims.IDSource
	// Force issues even when the lint finds errors, as the app's
	// allow_invalid would (the CLI's assert --force).
	Force bool
}

// Issued is the outcome of Issue.
type Issued struct {
	App  *App
	User *claims.User
	ACS  string
	// Result holds the claims, with traces when Explain was set.
	Result *claims.Result
	// Findings is the lint of what was (or would have been) sent.
	Findings []aws.Finding
	// Response is the signed response; nil when Blocked.
	Response *saml.Response
	// Blocked is true when error-level findings stopped issuance.
	Blocked bool
}

// Issue evaluates the user's claims for the app, lints them under the
// app's profile and builds the signed response. When the lint finds errors
// and the app does not allow invalid responses, Issue returns the Issued
// value with Blocked set and Response nil, together with an error wrapping
// ErrBlocked, so callers can show the findings.
func (t *Tenant) Issue(req IssueRequest) (*Issued, error) {
	a, ok := t.byName[req.App]
	if !ok {
		return nil, fmt.Errorf("%w %q", ErrUnknownApp, req.App)
	}
	u, ok := t.Directory.User(req.User)
	if !ok {
		return nil, fmt.Errorf("%w %q", ErrUnknownUser, req.User)
	}
	if !a.assigned(t.Directory, u) {
		return nil, fmt.Errorf("%w: user %q, app %q (assign an app role in users.app_roles or a group with assigned_to)", ErrNotAssigned, req.User, req.App)
	}
	acs := req.ACS
	if acs == "" {
		acs = a.ACSURLs[0]
	} else if !a.ACSAllowed(acs) {
		return nil, fmt.Errorf("%w: %q for app %q", ErrACSNotRegistered, acs, a.Name)
	}
	ids := req.IDs
	if ids == nil {
		ids = claims.RandomIDs{}
	}
	res, err := a.engine.Evaluate(t.Directory, u, claims.EvalOptions{
		Explain:               req.Explain,
		RequestedNameIDFormat: req.NameIDFormat,
		SPNameQualifier:       req.SPNameQualifier,
		IDSource:              ids,
	})
	if err != nil {
		return nil, fmt.Errorf("idp: app %q, user %q: %w", a.Name, u.ID, err)
	}
	out := &Issued{App: a, User: u, ACS: acs, Result: res}
	resp, err := t.issuer.Build(saml.ResponseRequest{
		Audience:            a.EntityID,
		Recipient:           acs,
		InResponseTo:        req.InResponseTo,
		SPNameQualifier:     req.SPNameQualifier,
		NameID:              res.NameID,
		Attributes:          res.Attributes,
		AuthnInstant:        req.AuthnInstant,
		SessionNotOnOrAfter: req.SessionNotOnOrAfter,
	}, a.Options)
	if err != nil {
		return nil, fmt.Errorf("idp: app %q, user %q: %w", a.Name, u.ID, err)
	}
	out.Findings = aws.LintView(t.issuedView(a, acs, req.InResponseTo, res, resp), a.Profile, aws.Options{
		// The true time: an app's clock_offset can make what it sends
		// expired or early, and the lint says so.
		Now:             resp.IssueInstant.Add(-a.Options.ClockOffset),
		ExpectAudience:  a.EntityID,
		ExpectRecipient: acs,
		ExpectIssuer:    t.issuer.EntityID,
	})
	if aws.HasErrors(out.Findings) && !a.AllowInvalid && !req.Force {
		out.Blocked = true
		return out, fmt.Errorf("%w: app %q, user %q: %s", ErrBlocked, a.Name, u.ID, firstError(out.Findings))
	}
	out.Response = resp
	return out, nil
}

func firstError(fs []aws.Finding) string {
	for _, f := range fs {
		if f.Severity == aws.Error {
			return f.String()
		}
	}
	return ""
}

// issuedView describes a response samlab just built, from what it was
// built with, so that the lint runs on every response without parsing the
// XML again. It says only what the builder guarantees to write.
func (t *Tenant) issuedView(a *App, acs, inResponseTo string, res *claims.Result, resp *saml.Response) *saml.View {
	issuer := t.issuer.EntityID
	if a.Options.AzureShape && a.Options.AzureTenantID != "" {
		issuer = "https://sts.windows.net/" + a.Options.AzureTenantID + "/"
	}
	attrs := make([]saml.AttributeView, len(res.Attributes))
	for i, at := range res.Attributes {
		attrs[i] = saml.AttributeView{Name: at.Name, NameFormat: at.NameFormat, Values: at.Values}
	}
	v := &saml.View{
		Root:           "Response",
		ID:             resp.ID,
		InResponseTo:   inResponseTo,
		Destination:    acs,
		IssueInstant:   resp.IssueInstant,
		Issuer:         issuer,
		StatusCode:     "urn:oasis:names:tc:SAML:2.0:status:Success",
		AssertionCount: 1,
		Encrypted:      a.Options.Encrypt != nil,
		Verified:       a.Options.Signing != saml.SigningNone,
		Base64Len:      base64.StdEncoding.EncodedLen(len(resp.XML)),
		Assertion: &saml.AssertionView{
			ID:           resp.AssertionID,
			Issuer:       issuer,
			IssueInstant: resp.IssueInstant,
			NameID:       res.NameID.Value,
			NameIDFormat: res.NameID.Format,
			SubjectConfirmations: []saml.SubjectConfirmation{{
				Method:       "urn:oasis:names:tc:SAML:2.0:cm:bearer",
				Recipient:    acs,
				InResponseTo: inResponseTo,
				NotOnOrAfter: resp.NotOnOrAfter,
			}},
			NotBefore:    resp.NotBefore,
			NotOnOrAfter: resp.NotOnOrAfter,
			Audiences:    []string{a.EntityID},
			SessionIndex: resp.SessionIndex,
			Attributes:   attrs,
		},
	}
	alg := signatureURI(a.Options.Algorithm, t.KeyPair.Certificate)
	switch a.Options.Signing {
	case saml.SigningAssertion, "":
		v.Signatures = []saml.SignatureInfo{{Element: "Assertion", ReferenceID: resp.AssertionID, Algorithm: alg, Verified: true}}
	case saml.SigningResponse:
		v.Signatures = []saml.SignatureInfo{{Element: "Response", ReferenceID: resp.ID, Algorithm: alg, Verified: true}}
	case saml.SigningBoth:
		v.Signatures = []saml.SignatureInfo{
			{Element: "Response", ReferenceID: resp.ID, Algorithm: alg, Verified: true},
			{Element: "Assertion", ReferenceID: resp.AssertionID, Algorithm: alg, Verified: true},
		}
	}
	return v
}

// signatureURI is the SignatureMethod the builder writes for alg ("" picks
// the key's default).
func signatureURI(alg string, cert *x509.Certificate) string {
	if alg == "" {
		alg = saml.AlgRSASHA256
		if cert.PublicKeyAlgorithm == x509.ECDSA {
			alg = saml.AlgECDSASHA256
		}
	}
	switch alg {
	case saml.AlgRSASHA512:
		return saml.SigAlgRSASHA512
	case saml.AlgRSASHA1:
		return saml.SigAlgRSASHA1
	case saml.AlgECDSASHA256:
		return saml.SigAlgECDSASHA256
	default:
		return saml.SigAlgRSASHA256
	}
}
