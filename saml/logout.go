package saml

// This file reads Single Logout requests from service providers and builds
// the status-only messages the IdP sends back: LogoutResponse, and the
// error Response for an AuthnRequest that cannot be honoured (NoPassive,
// InvalidNameIDPolicy, RequestDenied).

import (
	"crypto"
	"crypto/x509"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/beevik/etree"
	crewsaml "github.com/crewjam/saml"
	dsig "github.com/russellhaering/goxmldsig"
)

// LogoutRequestInfo is a validated LogoutRequest.
type LogoutRequestInfo struct {
	Request *crewsaml.LogoutRequest
	ID      string
	Issuer  string
	SP      *RequestSP
	Binding string
	// NameID is the subject the SP logs out; SessionIndexes the sessions.
	NameID         string
	SessionIndexes []string
	RelayState     string
	Signed         bool
}

// ParseLogoutRequestRedirect reads a LogoutRequest sent with the
// HTTP-Redirect binding (see ParseAuthnRequestRedirect).
func (p *InboundPolicy) ParseLogoutRequestRedirect(rawQuery string) (*LogoutRequestInfo, error) {
	in, err := p.decodeRedirect(rawQuery, "SAMLRequest")
	if err != nil {
		return nil, err
	}
	return p.checkLogoutRequest(in)
}

// ParseLogoutRequestPost reads a LogoutRequest sent with the HTTP-POST
// binding.
func (p *InboundPolicy) ParseLogoutRequestPost(form url.Values) (*LogoutRequestInfo, error) {
	in, err := p.decodePost(form, "SAMLRequest")
	if err != nil {
		return nil, err
	}
	return p.checkLogoutRequest(in)
}

func (p *InboundPolicy) checkLogoutRequest(in *inbound) (*LogoutRequestInfo, error) {
	if in.root.Tag != "LogoutRequest" || in.root.NamespaceURI() != "urn:oasis:names:tc:SAML:2.0:protocol" {
		return nil, rejectf(ErrRequestMalformed, "root element is %q, want samlp:LogoutRequest", in.root.Tag)
	}
	var req crewsaml.LogoutRequest
	if err := unmarshalElement(in.root, &req); err != nil {
		return nil, err
	}
	if err := p.checkCommon(in, req.Version, req.ID, req.Destination, p.SLOURL, req.IssueInstant); err != nil {
		return nil, err
	}
	if req.NotOnOrAfter != nil && !p.now().Before(*req.NotOnOrAfter) {
		return nil, rejectf(ErrRequestExpired, "NotOnOrAfter %s has passed", req.NotOnOrAfter.UTC().Format(time.RFC3339))
	}
	if req.NameID == nil || strings.TrimSpace(req.NameID.Value) == "" {
		return nil, rejectf(ErrRequestMalformed, "LogoutRequest without NameID")
	}
	if in.signed && p.Replay != nil {
		if p.Replay.Seen(in.issuer+"\x00"+req.ID, req.IssueInstant.Add(p.lifetime()+2*p.skew()), p.now()) {
			return nil, rejectf(ErrRequestReplay, "ID %q from SP %q", req.ID, in.issuer)
		}
	}
	info := &LogoutRequestInfo{
		Request: &req, ID: req.ID, Issuer: in.issuer, SP: in.sp, Binding: in.binding,
		NameID: strings.TrimSpace(req.NameID.Value), RelayState: in.relayState, Signed: in.signed,
	}
	for _, si := range req.AllSessionIndexes() {
		info.SessionIndexes = append(info.SessionIndexes, si.Value)
	}
	return info, nil
}

// StatusMessage describes a status-only protocol message from the IdP: a
// LogoutResponse, or a Response carrying an error status and no assertion.
type StatusMessage struct {
	ID           string // "_" + 128-bit random when empty
	IssueInstant time.Time
	Issuer       string // the IdP entity ID
	Destination  string // the SP endpoint it is posted to
	InResponseTo string
	// Status is the top-level status code URN (Success when empty);
	// SubStatus an optional second-level code; Message optional text.
	Status, SubStatus, Message string
	// Key and Certificate sign the message (enveloped RSA-SHA256 or
	// ECDSA-SHA256, SHA-256 digest); a nil Key leaves it unsigned.
	Key         crypto.Signer
	Certificate *x509.Certificate
}

// BuildLogoutResponse returns a samlp:LogoutResponse as XML.
func BuildLogoutResponse(m StatusMessage) ([]byte, error) {
	return buildStatusMessage("LogoutResponse", m)
}

// BuildErrorResponse returns a samlp:Response with a non-success status and
// no assertion, as XML. Status must be set.
func BuildErrorResponse(m StatusMessage) ([]byte, error) {
	if m.Status == "" || m.Status == crewsaml.StatusSuccess {
		return nil, errors.New("saml: error response needs a non-success status")
	}
	return buildStatusMessage("Response", m)
}

func buildStatusMessage(tag string, m StatusMessage) ([]byte, error) {
	if m.ID == "" {
		m.ID = RandomIDs{}.NewID()
	}
	if m.Status == "" {
		m.Status = crewsaml.StatusSuccess
	}
	for _, s := range []string{m.Issuer, m.Destination, m.InResponseTo, m.Message} {
		if !statusTextOK(s) {
			return nil, fmt.Errorf("saml: %s: %q: %w", tag, s, ErrInvalidText)
		}
	}
	root := etree.NewElement("samlp:" + tag)
	root.CreateAttr("xmlns:samlp", "urn:oasis:names:tc:SAML:2.0:protocol")
	root.CreateAttr("xmlns:saml", "urn:oasis:names:tc:SAML:2.0:assertion")
	root.CreateAttr("ID", m.ID)
	root.CreateAttr("Version", "2.0")
	root.CreateAttr("IssueInstant", m.IssueInstant.UTC().Format("2006-01-02T15:04:05.000Z"))
	if m.Destination != "" {
		root.CreateAttr("Destination", m.Destination)
	}
	if m.InResponseTo != "" {
		root.CreateAttr("InResponseTo", m.InResponseTo)
	}
	root.CreateElement("saml:Issuer").SetText(m.Issuer)
	status := root.CreateElement("samlp:Status")
	code := status.CreateElement("samlp:StatusCode")
	code.CreateAttr("Value", m.Status)
	if m.SubStatus != "" {
		code.CreateElement("samlp:StatusCode").CreateAttr("Value", m.SubStatus)
	}
	if m.Message != "" {
		status.CreateElement("samlp:StatusMessage").SetText(m.Message)
	}
	if m.Key != nil {
		if m.Certificate == nil {
			return nil, errors.New("saml: signing key without certificate")
		}
		ctx, err := dsig.NewSigningContext(m.Key, [][]byte{m.Certificate.Raw})
		if err != nil {
			return nil, fmt.Errorf("saml: %s: %w", tag, err)
		}
		ctx.Canonicalizer = dsig.MakeC14N10ExclusiveCanonicalizerWithPrefixList("")
		method := dsig.RSASHA256SignatureMethod
		if m.Certificate.PublicKeyAlgorithm == x509.ECDSA {
			method = dsig.ECDSASHA256SignatureMethod
		}
		if err := ctx.SetSignatureMethod(method); err != nil {
			return nil, fmt.Errorf("saml: %s: %w", tag, err)
		}
		sig, err := ctx.ConstructSignature(root, true)
		if err != nil {
			return nil, fmt.Errorf("saml: %s: signing: %w", tag, err)
		}
		// Schema order: Issuer, Signature, Status.
		root.InsertChildAt(1, sig)
	}
	doc := etree.NewDocument()
	doc.SetRoot(root)
	return doc.WriteToBytes()
}

// statusTextOK reports whether s is valid UTF-8 made of XML characters
// other than CR, which would not survive a re-parse (SEC-19).
func statusTextOK(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		switch {
		case r == '\t' || r == '\n':
		case r < 0x20, r == 0xFFFE, r == 0xFFFF, r >= 0xD800 && r <= 0xDFFF:
			return false
		}
	}
	return true
}
