package saml

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/x509"
	"encoding/base64"
	"errors"
	"fmt"
	"time"
	"unicode/utf8"

	"github.com/beevik/etree"
	"github.com/samlab/samlab/claims"
)

// Signing choices for [ResponseOptions.Signing], as Entra ID names them.
const (
	SigningAssertion = "assertion" // sign the Assertion (default; Entra's default)
	SigningResponse  = "response"  // sign the Response only
	SigningBoth      = "both"      // sign the Assertion, then the Response
	SigningNone      = "none"      // no signature (for testing SPs)
)

// AuthnContextClassRef values the builder uses by default.
const (
	AuthnContextPasswordProtectedTransport = "urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport"
	AuthnContextPassword                   = "urn:oasis:names:tc:SAML:2.0:ac:classes:Password"
)

// Defaults of [ResponseOptions].
const (
	// DefaultLifetime keeps a response inside AWS STS's five-minute
	// redemption window (AWS-STS-016, SEC-27).
	DefaultLifetime = 5 * time.Minute
	// AzureLifetime and AzureNotBeforeSkew are what Entra ID uses.
	AzureLifetime      = time.Hour
	AzureNotBeforeSkew = 5 * time.Minute
)

const (
	buildProtocolNS  = "urn:oasis:names:tc:SAML:2.0:protocol"
	buildAssertionNS = "urn:oasis:names:tc:SAML:2.0:assertion"
	buildSuccess     = "urn:oasis:names:tc:SAML:2.0:status:Success"
	buildBearer      = "urn:oasis:names:tc:SAML:2.0:cm:bearer"
	buildTimeLayout  = "2006-01-02T15:04:05.000Z"
)

// Issuer is an identity provider that builds signed SAML responses. Its
// fields are only read, so one Issuer may build responses concurrently.
type Issuer struct {
	// EntityID is the Issuer of every response (unless the Azure shape
	// sets a tenant issuer).
	EntityID string
	// Key signs responses: an RSA (2048 bits or more) or ECDSA key.
	Key crypto.Signer
	// Certificate is the public half of Key, sent in KeyInfo.
	Certificate *x509.Certificate
	// Clock gives the issue instant; nil means the system clock.
	Clock Clock
	// IDs makes response and assertion IDs; nil means [RandomIDs].
	IDs IDSource
}

// ResponseOptions are the per-app choices of how a response is shaped,
// signed and encrypted. The zero value is samlab's default: assertion
// signed with RSA-SHA256, five-minute lifetime, no back-dating, no
// encryption.
type ResponseOptions struct {
	// Signing is SigningAssertion (default), SigningResponse, SigningBoth
	// or SigningNone.
	Signing string
	// Algorithm is AlgRSASHA256 (default for RSA keys), AlgRSASHA512,
	// AlgRSASHA1 (legacy, only when asked) or AlgECDSASHA256 (default for
	// ECDSA keys).
	Algorithm string
	// Lifetime is how long the assertion is valid after the issue instant
	// (Conditions and SubjectConfirmationData NotOnOrAfter). Zero means
	// DefaultLifetime, or AzureLifetime in the Azure shape.
	Lifetime time.Duration
	// NotBeforeSkew back-dates Conditions NotBefore. Zero means none (0 s),
	// or AzureNotBeforeSkew in the Azure shape; a negative value dates
	// NotBefore in the future, to test how SPs handle early assertions.
	NotBeforeSkew time.Duration
	// ClockOffset shifts every time the response carries (IssueInstant,
	// NotBefore, NotOnOrAfter, AuthnInstant, SessionNotOnOrAfter) as if
	// the IdP's clock were off by that much: negative sends assertions
	// from the past (expired once beyond the lifetime), positive from the
	// future. For testing how an SP handles clock skew; zero is the truth.
	ClockOffset time.Duration
	// AzureShape makes the response look like one from Entra ID: default
	// XML namespace on Issuer and Assertion, issuer
	// https://sts.windows.net/<AzureTenantID>/, Password
	// AuthnContextClassRef, one-hour lifetime, NotBefore five minutes back.
	AzureShape bool
	// AzureTenantID, with AzureShape, makes the issuer
	// https://sts.windows.net/<AzureTenantID>/. Empty keeps Issuer.EntityID.
	AzureTenantID string
	// Encrypt, when set, sends the assertion as an EncryptedAssertion for
	// the SP's certificate. Never inferred from metadata: opt in per app.
	Encrypt *EncryptOptions
	// ECDSASignatureASN1 writes ECDSA SignatureValues as ASN.1 DER rather
	// than the r||s octet string XML Signature requires. Only for service
	// providers built on goxmldsig (crewjam/saml among them), which read
	// nothing else; xmlsec1, Shibboleth and AWS expect r||s.
	ECDSASignatureASN1 bool
}

// ResponseRequest is what one response says: to whom, about whom, and in
// answer to which AuthnRequest.
type ResponseRequest struct {
	// Audience is the SP's entity ID (Conditions/AudienceRestriction).
	Audience string
	// Recipient is the ACS URL (SubjectConfirmationData Recipient).
	Recipient string
	// Destination is the Response Destination; empty means Recipient.
	Destination string
	// InResponseTo is the AuthnRequest ID; empty for IdP-initiated SSO.
	InResponseTo string
	// SPNameQualifier, when set, is written on the NameID.
	SPNameQualifier string
	// NameID and Attributes come from the claims engine.
	NameID     claims.NameID
	Attributes []claims.Attribute
	// AuthnInstant is when the user signed in; zero means the issue instant.
	AuthnInstant time.Time
	// AuthnContextClassRef; empty means PasswordProtectedTransport
	// (Password in the Azure shape).
	AuthnContextClassRef string
	// SessionIndex; empty means the assertion ID, as Entra ID does.
	SessionIndex string
	// SessionNotOnOrAfter, when not zero, ends the IdP session.
	SessionNotOnOrAfter time.Time
}

// Response is a built SAML response.
type Response struct {
	// XML is the serialised samlp:Response, without an XML declaration.
	XML []byte
	// ID and AssertionID are the Response and Assertion IDs.
	ID          string
	AssertionID string
	// SessionIndex is the AuthnStatement SessionIndex.
	SessionIndex string
	// IssueInstant, NotBefore and NotOnOrAfter are the times written in
	// the response (millisecond precision, UTC).
	IssueInstant time.Time
	NotBefore    time.Time
	NotOnOrAfter time.Time
}

// Base64 returns the response as the SAMLResponse form value of the
// HTTP-POST binding (standard base64 of the XML).
func (r *Response) Base64() string {
	return base64.StdEncoding.EncodeToString(r.XML)
}

// ErrInvalidText is wrapped by errors for values that signed XML cannot
// carry faithfully: invalid UTF-8, NUL, CR and other characters outside
// XML's character range (SEC-19). They are refused, never changed.
var ErrInvalidText = errors.New("value cannot be carried in signed XML")

// buildPlan is a validated request with every default resolved.
type buildPlan struct {
	issuer       string
	signer       *buildSigner // nil when nothing is signed
	signAssert   bool
	signResp     bool
	azure        bool
	issueInstant time.Time
	notBefore    time.Time
	notOnOrAfter time.Time
	authnInstant time.Time
	// sessionNotOnOrAfter is zero when the request sets none.
	sessionNotOnOrAfter time.Time
	classRef            string
	responseID          string
	assertionID         string
	sessionIndex        string
}

// Build makes one SAML response for req, shaped, signed and encrypted as
// opts say. Every problem with the inputs is reported at once; nothing is
// silently changed.
func (iss *Issuer) Build(req ResponseRequest, opts ResponseOptions) (*Response, error) {
	p, err := iss.buildPlan(&req, &opts)
	if err != nil {
		return nil, err
	}

	ar := newBuildArena(&req)
	assertion := buildAssertionEl(ar, p, &req)
	if p.signAssert {
		if err := p.signer.signEnveloped(ar, assertion, p.assertionID, true); err != nil {
			return nil, err
		}
	}
	sent := assertion // what goes into the Response
	if opts.Encrypt != nil {
		sent, err = buildEncryptAssertion(ar, assertion, p.azure, opts.Encrypt)
		if err != nil {
			return nil, err
		}
	}

	resp := buildResponseEl(ar, p, &req)
	resp.AddChild(sent)
	if p.signResp {
		// An EncryptedAssertion comes from xmlenc, not in canonical form.
		if err := p.signer.signEnveloped(ar, resp, p.responseID, opts.Encrypt == nil); err != nil {
			return nil, err
		}
	}

	var buf bytes.Buffer // implements etree.Writer: no buffering layer needed
	buf.Grow(buildSizeHint(&req, opts.Encrypt != nil))
	resp.WriteTo(&buf, &buildOutputSettings)

	return &Response{
		XML:          buf.Bytes(),
		ID:           p.responseID,
		AssertionID:  p.assertionID,
		SessionIndex: p.sessionIndex,
		IssueInstant: p.issueInstant,
		NotBefore:    p.notBefore,
		NotOnOrAfter: p.notOnOrAfter,
	}, nil
}

// buildSizeHint estimates the output size, so the buffer is allocated once.
func buildSizeHint(req *ResponseRequest, encrypted bool) int {
	n := 7000 + len(req.NameID.Value)
	for _, a := range req.Attributes {
		n += 80 + len(a.Name) + len(a.NameFormat)
		for _, v := range a.Values {
			n += 40 + len(v)
		}
	}
	if encrypted {
		n = n*4/3 + 2000
	}
	return n
}

// buildOutputSettings escape attribute values as c14n does (tab, newline
// and CR as character references), so a parser's attribute-value
// normalisation cannot change what was signed. Empty elements stay
// self-closing, as Entra ID writes them.
var buildOutputSettings = etree.WriteSettings{
	CanonicalAttrVal: true,
	CanonicalText:    true,
}

func (iss *Issuer) buildPlan(req *ResponseRequest, opts *ResponseOptions) (*buildPlan, error) {
	var errs []error
	bad := func(format string, a ...any) { errs = append(errs, fmt.Errorf("saml: "+format, a...)) }
	p := &buildPlan{azure: opts.AzureShape}

	switch opts.Signing {
	case "", SigningAssertion:
		p.signAssert = true
	case SigningResponse:
		p.signResp = true
	case SigningBoth:
		p.signAssert, p.signResp = true, true
	case SigningNone:
	default:
		bad("signing %q: want assertion, response, both or none", opts.Signing)
	}
	if p.signAssert || p.signResp {
		p.signer = iss.buildSignerFor(opts.Algorithm, opts.AzureShape, opts.ECDSASignatureASN1, bad)
	}

	p.issuer = iss.EntityID
	if opts.AzureShape && opts.AzureTenantID != "" {
		p.issuer = "https://sts.windows.net/" + opts.AzureTenantID + "/"
	}
	if p.issuer == "" {
		bad("issuer entity ID is empty")
	}
	if req.Audience == "" {
		bad("audience is empty (want the SP entity ID)")
	}
	if req.Recipient == "" {
		bad("recipient is empty (want the SP's ACS URL)")
	}
	if req.NameID.Value == "" {
		bad("NameID value is empty")
	}
	if opts.Lifetime < 0 {
		bad("lifetime %v is negative", opts.Lifetime)
	}
	if opts.Encrypt != nil {
		if err := opts.Encrypt.buildCheck(); err != nil {
			errs = append(errs, err)
		}
	}

	texts := []struct{ what, v string }{
		{"issuer", p.issuer},
		{"audience", req.Audience},
		{"recipient", req.Recipient},
		{"destination", req.Destination},
		{"InResponseTo", req.InResponseTo},
		{"SPNameQualifier", req.SPNameQualifier},
		{"NameID format", req.NameID.Format},
		{"NameID", req.NameID.Value},
		{"AuthnContextClassRef", req.AuthnContextClassRef},
		{"SessionIndex", req.SessionIndex},
	}
	for _, t := range texts {
		if err := buildCheckText(t.v); err != nil {
			bad("%s: %w", t.what, err)
		}
	}
	for i, a := range req.Attributes {
		if a.Name == "" {
			bad("attribute %d: name is empty", i+1)
		}
		if err := buildCheckText(a.Name); err != nil {
			bad("attribute %d name: %w", i+1, err)
		}
		if err := buildCheckText(a.NameFormat); err != nil {
			bad("attribute %q NameFormat: %w", a.Name, err)
		}
		for j, v := range a.Values {
			if err := buildCheckText(v); err != nil {
				bad("attribute %q value %d: %w", a.Name, j+1, err)
			}
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}

	clock := iss.Clock
	if clock == nil {
		clock = buildSystemClock{}
	}
	ids := iss.IDs
	if ids == nil {
		ids = RandomIDs{}
	}
	now := clock.Now().Add(opts.ClockOffset).UTC().Truncate(time.Millisecond)
	lifetime, skew := opts.Lifetime, opts.NotBeforeSkew
	if lifetime == 0 {
		lifetime = DefaultLifetime
		if opts.AzureShape {
			lifetime = AzureLifetime
		}
	}
	if skew == 0 && opts.AzureShape {
		skew = AzureNotBeforeSkew
	}
	p.issueInstant = now
	p.notBefore = now.Add(-skew)
	p.notOnOrAfter = now.Add(lifetime)
	p.authnInstant = now
	if !req.AuthnInstant.IsZero() {
		p.authnInstant = req.AuthnInstant.Add(opts.ClockOffset).UTC().Truncate(time.Millisecond)
	}
	if !req.SessionNotOnOrAfter.IsZero() {
		p.sessionNotOnOrAfter = req.SessionNotOnOrAfter.Add(opts.ClockOffset).UTC()
	}
	p.classRef = req.AuthnContextClassRef
	if p.classRef == "" {
		p.classRef = AuthnContextPasswordProtectedTransport
		if opts.AzureShape {
			p.classRef = AuthnContextPassword
		}
	}
	p.responseID = ids.NewID()
	p.assertionID = ids.NewID()
	if !buildIsNCName(p.responseID) || !buildIsNCName(p.assertionID) || p.responseID == p.assertionID {
		return nil, fmt.Errorf("saml: ID source returned %q and %q: want two distinct NCNames", p.responseID, p.assertionID)
	}
	p.sessionIndex = req.SessionIndex
	if p.sessionIndex == "" {
		p.sessionIndex = p.assertionID
	}
	return p, nil
}

// buildSignerFor resolves the algorithm against the issuer's key.
func (iss *Issuer) buildSignerFor(algName string, azure, asn1 bool, bad func(string, ...any)) *buildSigner {
	if iss.Key == nil || iss.Certificate == nil {
		bad("signing needs the issuer's key and certificate")
		return nil
	}
	if pub, ok := iss.Key.Public().(interface{ Equal(crypto.PublicKey) bool }); !ok || !pub.Equal(iss.Certificate.PublicKey) {
		bad("the issuer's certificate does not hold the public half of its key")
		return nil
	}
	if algName == "" {
		algName = AlgRSASHA256
		if _, isEC := iss.Key.Public().(*ecdsa.PublicKey); isEC {
			algName = AlgECDSASHA256
		}
	}
	alg, ok := buildSigAlgs[algName]
	if !ok {
		bad("algorithm %q: want rsa-sha256, rsa-sha512, rsa-sha1 or ecdsa-sha256", algName)
		return nil
	}
	if err := buildCheckKey(iss.Key, algName, alg); err != nil {
		bad("%w", err)
		return nil
	}
	s := &buildSigner{
		key:      iss.Key,
		alg:      alg,
		certB64:  base64.StdEncoding.EncodeToString(iss.Certificate.Raw),
		dsPrefix: "ds",
		asn1:     asn1,
	}
	if azure {
		s.dsPrefix = ""
	}
	return s
}

// buildCheckText refuses what signed XML cannot carry faithfully (SEC-19):
// invalid UTF-8, CR (a parser turns it into LF, so the value would change
// after signing) and any character outside XML 1.0's Char production (NUL,
// other C0 controls but tab and LF, U+FFFE, U+FFFF).
func buildCheckText(s string) error {
	for i := 0; i < len(s); {
		if c := s[i]; c >= 0x20 && c < utf8.RuneSelf {
			i++ // printable ASCII: the common case
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			return fmt.Errorf("invalid UTF-8 at byte %d: %w", i, ErrInvalidText)
		case r == '\r':
			return fmt.Errorf("carriage return (CR) at byte %d: %w", i, ErrInvalidText)
		case r == '\t' || r == '\n':
		case r < 0x20 || (r >= 0xD800 && r <= 0xDFFF) || r == 0xFFFE || r == 0xFFFF:
			return fmt.Errorf("character %U at byte %d is not allowed in XML: %w", r, i, ErrInvalidText)
		}
		i += size
	}
	return nil
}

// buildIsNCName reports whether id can be an xs:ID: a letter or "_", then
// letters, digits, ".", "-" and "_" (the ASCII subset of NCName is enough
// for IDs we make).
func buildIsNCName(id string) bool {
	if id == "" {
		return false
	}
	for i, r := range id {
		switch {
		case r == '_' || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z'):
		case i > 0 && (r == '.' || r == '-' || (r >= '0' && r <= '9')):
		default:
			return false
		}
	}
	return true
}

// buildNS names the assertion namespace in the two shapes: prefix "saml"
// (declared where first used), or Entra's default namespace.
type buildNS struct {
	prefix string
	decl   etree.Attr
}

func buildNSFor(azure bool) buildNS {
	if azure {
		return buildNS{decl: etree.Attr{Key: "xmlns", Value: buildAssertionNS}}
	}
	return buildNS{prefix: "saml", decl: etree.Attr{Space: "xmlns", Key: "saml", Value: buildAssertionNS}}
}

// buildArena hands out elements, child lists, text nodes and attribute
// lists from a few large blocks, so a response costs a handful of
// allocations instead of several hundred. Blocks are never grown in place
// (a full block is replaced by a new one), so pointers stay valid.
type buildArena struct {
	els   []etree.Element
	toks  []etree.Token
	texts []etree.CharData
	attrs []etree.Attr
}

func newBuildArena(req *ResponseRequest) *buildArena {
	n := 40 // elements of the response and its signatures
	for _, at := range req.Attributes {
		n += 1 + len(at.Values)
	}
	return &buildArena{
		els:   make([]etree.Element, 0, n),
		toks:  make([]etree.Token, 0, n+8),
		texts: make([]etree.CharData, 0, n),
		attrs: make([]etree.Attr, 0, n),
	}
}

// el makes an element under parent (nil for a root). Attributes must be
// given in exclusive-c14n order (namespace declarations first, then by
// name) so that canonicalisation leaves the tree as it is. kids is the
// number of child tokens it will get (text counts as one).
func (a *buildArena) el(parent *etree.Element, space, tag string, kids int, attrs ...etree.Attr) *etree.Element {
	if len(a.els) == cap(a.els) {
		a.els = make([]etree.Element, 0, 32)
	}
	a.els = a.els[:len(a.els)+1]
	e := &a.els[len(a.els)-1]
	e.Space, e.Tag = space, tag
	if len(attrs) > 0 {
		if cap(a.attrs)-len(a.attrs) < len(attrs) {
			a.attrs = make([]etree.Attr, 0, 32+len(attrs))
		}
		start := len(a.attrs)
		a.attrs = append(a.attrs, attrs...)
		e.Attr = a.attrs[start:len(a.attrs):len(a.attrs)]
	}
	if kids > 0 {
		if cap(a.toks)-len(a.toks) < kids {
			a.toks = make([]etree.Token, 0, 32+kids)
		}
		start := len(a.toks)
		a.toks = a.toks[:start+kids]
		e.Child = a.toks[start : start : start+kids]
	}
	if parent != nil {
		parent.AddChild(e)
	}
	return e
}

// text makes an element whose content is the text s (written escaped).
func (a *buildArena) text(parent *etree.Element, space, tag, s string, attrs ...etree.Attr) *etree.Element {
	e := a.el(parent, space, tag, 1, attrs...)
	if s != "" {
		if len(a.texts) == cap(a.texts) {
			a.texts = make([]etree.CharData, 0, 16)
		}
		a.texts = append(a.texts, etree.CharData{Data: s})
		e.AddChild(&a.texts[len(a.texts)-1])
	}
	return e
}

func buildAttr(key, value string) etree.Attr { return etree.Attr{Key: key, Value: value} }

func buildTime(t time.Time) string { return t.Format(buildTimeLayout) }

// buildAssertionEl builds the unsigned saml:Assertion.
func buildAssertionEl(ar *buildArena, p *buildPlan, req *ResponseRequest) *etree.Element {
	ns := buildNSFor(p.azure)
	sp := ns.prefix
	a := ar.el(nil, sp, "Assertion", 7, ns.decl,
		buildAttr("ID", p.assertionID),
		buildAttr("IssueInstant", buildTime(p.issueInstant)),
		buildAttr("Version", "2.0"))
	ar.text(a, sp, "Issuer", p.issuer)

	subject := ar.el(a, sp, "Subject", 2)
	var nameAttrs []etree.Attr
	if req.NameID.Format != "" {
		nameAttrs = append(nameAttrs, buildAttr("Format", req.NameID.Format))
	}
	if req.SPNameQualifier != "" {
		nameAttrs = append(nameAttrs, buildAttr("SPNameQualifier", req.SPNameQualifier))
	}
	ar.text(subject, sp, "NameID", req.NameID.Value, nameAttrs...)
	sc := ar.el(subject, sp, "SubjectConfirmation", 1, buildAttr("Method", buildBearer))
	var scd []etree.Attr
	if req.InResponseTo != "" {
		scd = append(scd, buildAttr("InResponseTo", req.InResponseTo))
	}
	scd = append(scd,
		buildAttr("NotOnOrAfter", buildTime(p.notOnOrAfter)),
		buildAttr("Recipient", req.Recipient))
	ar.el(sc, sp, "SubjectConfirmationData", 0, scd...)

	cond := ar.el(a, sp, "Conditions", 1,
		buildAttr("NotBefore", buildTime(p.notBefore)),
		buildAttr("NotOnOrAfter", buildTime(p.notOnOrAfter)))
	ar.text(ar.el(cond, sp, "AudienceRestriction", 1), sp, "Audience", req.Audience)

	if len(req.Attributes) > 0 {
		st := ar.el(a, sp, "AttributeStatement", len(req.Attributes))
		for _, at := range req.Attributes {
			attrs := []etree.Attr{buildAttr("Name", at.Name)}
			if at.NameFormat != "" {
				attrs = append(attrs, buildAttr("NameFormat", at.NameFormat))
			}
			ae := ar.el(st, sp, "Attribute", len(at.Values), attrs...)
			for _, v := range at.Values {
				ar.text(ae, sp, "AttributeValue", v)
			}
		}
	}

	authn := []etree.Attr{
		buildAttr("AuthnInstant", buildTime(p.authnInstant)),
		buildAttr("SessionIndex", p.sessionIndex),
	}
	if !p.sessionNotOnOrAfter.IsZero() {
		authn = append(authn, buildAttr("SessionNotOnOrAfter", buildTime(p.sessionNotOnOrAfter)))
	}
	as := ar.el(a, sp, "AuthnStatement", 1, authn...)
	ar.text(ar.el(as, sp, "AuthnContext", 1), sp, "AuthnContextClassRef", p.classRef)
	return a
}

// buildResponseEl builds the samlp:Response with its Issuer and Status,
// ready for the assertion to be appended.
func buildResponseEl(ar *buildArena, p *buildPlan, req *ResponseRequest) *etree.Element {
	dest := req.Destination
	if dest == "" {
		dest = req.Recipient
	}
	attrs := []etree.Attr{
		{Space: "xmlns", Key: "samlp", Value: buildProtocolNS},
		buildAttr("Destination", dest),
		buildAttr("ID", p.responseID),
	}
	if req.InResponseTo != "" {
		attrs = append(attrs, buildAttr("InResponseTo", req.InResponseTo))
	}
	attrs = append(attrs,
		buildAttr("IssueInstant", buildTime(p.issueInstant)),
		buildAttr("Version", "2.0"))
	r := ar.el(nil, "samlp", "Response", 4, attrs...)
	ns := buildNSFor(p.azure)
	ar.text(r, ns.prefix, "Issuer", p.issuer, ns.decl)
	status := ar.el(r, "samlp", "Status", 1)
	ar.el(status, "samlp", "StatusCode", 0, buildAttr("Value", buildSuccess))
	return r
}
