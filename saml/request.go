package saml

// This file reads inbound SAML requests (AuthnRequest here, LogoutRequest in
// logout.go) from the HTTP-Redirect and HTTP-POST bindings. crewjam/saml's
// schema types hold the parsed request; the checks are our own, because
// crewjam's IdP code panics on a missing Issuer, never checks a future
// IssueInstant and puts no limit on RelayState (reference/security.md).

import (
	"bytes"
	"compress/flate"
	"crypto"
	"crypto/ecdsa"
	"crypto/rsa"
	"crypto/sha1" //nolint:gosec // only with InboundPolicy.AllowSHA1
	"crypto/sha256"
	"crypto/sha512"
	"crypto/x509"
	"encoding/base64"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/beevik/etree"
	crewsaml "github.com/crewjam/saml"
	dsig "github.com/russellhaering/goxmldsig"
)

// Limits on inbound requests.
const (
	// MaxInboundRequestBytes caps a decoded (and, for HTTP-Redirect,
	// inflated) request. AuthnRequests are under 10 KB; a deflate bomb
	// stops here.
	MaxInboundRequestBytes = 256 << 10
	// MaxRequestIDBytes caps the ID of an inbound request: it is echoed as
	// InResponseTo and kept in the replay cache. Real IDs are under 50
	// bytes.
	MaxRequestIDBytes = 256
	// MaxRelayStateBytes caps RelayState (bindings §3.4.3 asks SPs for 80).
	MaxRelayStateBytes = 4 << 10
	// maxRequestDepth and maxRequestElements cap the XML tree.
	maxRequestDepth    = 32
	maxRequestElements = 2000
)

// Signature algorithm URIs accepted on inbound requests.
const (
	SigAlgRSASHA256   = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"
	SigAlgRSASHA512   = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha512"
	SigAlgECDSASHA256 = "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256"
	SigAlgRSASHA1     = "http://www.w3.org/2000/09/xmldsig#rsa-sha1"
)

// Sentinel errors of inbound request handling, for errors.Is. Every error
// returned by the Parse functions is a *RequestError wrapping one of them.
var (
	ErrRequestMalformed    = errors.New("malformed request")
	ErrRequestTooLarge     = errors.New("request too large")
	ErrRequestUnknownSP    = errors.New("unknown SP")
	ErrRequestSignature    = errors.New("bad or missing signature")
	ErrRequestExpired      = errors.New("request expired")
	ErrRequestFuture       = errors.New("request issued in the future")
	ErrRequestReplay       = errors.New("request replayed")
	ErrRequestDestination  = errors.New("wrong Destination")
	ErrRequestACS          = errors.New("ACS not registered")
	ErrRequestBinding      = errors.New("unsupported ProtocolBinding")
	ErrRequestRelayState   = errors.New("RelayState too long")
	ErrRequestNameIDPolicy = errors.New("unsupported NameIDPolicy Format")
)

// RequestErrorKind says how the server answers a bad request.
type RequestErrorKind int

const (
	// RequestRejected: answer with an error page (400) and send nothing to
	// the SP, because the SP or its ACS cannot be trusted.
	RequestRejected RequestErrorKind = iota
	// RequestStatus: the SP and ACS are known good; answer the SP with a
	// SAML error Response carrying Status / SubStatus.
	RequestStatus
)

// RequestError is the error type of inbound request handling.
type RequestError struct {
	Kind RequestErrorKind
	// Status and SubStatus are SAML status code URNs (RequestStatus only).
	Status, SubStatus string
	// Request is the request as far as it was validated; for RequestStatus
	// it carries the trusted ACS, ID and RelayState to answer to.
	Request *AuthnRequestInfo
	Err     error // the sentinel
	Detail  string
}

// Error implements error.
func (e *RequestError) Error() string {
	if e.Detail == "" {
		return "saml: " + e.Err.Error()
	}
	return "saml: " + e.Err.Error() + ": " + e.Detail
}

// Unwrap returns the sentinel.
func (e *RequestError) Unwrap() error { return e.Err }

func rejectf(sentinel error, format string, args ...any) *RequestError {
	return &RequestError{Kind: RequestRejected, Err: sentinel, Detail: fmt.Sprintf(format, args...)}
}

// RequestSP is what request validation needs to know about a service
// provider.
type RequestSP struct {
	EntityID string
	// ACSURLs are the registered AssertionConsumerService URLs (HTTP-POST),
	// matched by exact string equality. AssertionConsumerServiceIndex n
	// selects ACSURLs[n]; a request naming neither gets ACSURLs[0].
	ACSURLs []string
	// RequireSigned refuses unsigned requests from this SP.
	RequireSigned bool
	// Certificates verify signed requests. A signed request from an SP
	// with none is refused: a signature is never ignored.
	Certificates []*x509.Certificate
}

// ReplayCache remembers the IDs of signed requests until they expire.
type ReplayCache interface {
	// Seen records id until expires and reports whether it was already
	// recorded and not yet expired at now.
	Seen(id string, expires, now time.Time) bool
}

// MemoryReplayCache is a bounded in-memory ReplayCache. Replicas each keep
// their own; a replay against another replica is caught by the
// IssueInstant window only.
type MemoryReplayCache struct {
	mu        sync.Mutex
	max       int
	entries   map[string]time.Time
	lastSweep time.Time
}

// replaySweepInterval is how often expired entries are dropped before the
// cache is full, so that memory follows the live entries (arrival rate ×
// lifetime) rather than growing to max under steady traffic.
const replaySweepInterval = time.Minute

// NewMemoryReplayCache returns a cache holding at most max IDs. Expired
// entries are dropped at most once a minute, so under steady traffic it
// holds about the live entries; when it is full, expired entries are
// dropped, then the tenth of the entries that expire soonest, so a flood
// costs amortised O(log n) per insert.
func NewMemoryReplayCache(max int) *MemoryReplayCache {
	if max <= 0 {
		max = 10000
	}
	return &MemoryReplayCache{max: max, entries: make(map[string]time.Time)}
}

// Seen implements ReplayCache.
func (c *MemoryReplayCache) Seen(id string, expires, now time.Time) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if exp, ok := c.entries[id]; ok && now.Before(exp) {
		return true
	}
	switch {
	case len(c.entries) >= c.max:
		c.evict(now)
		c.lastSweep = now
	case now.Sub(c.lastSweep) >= replaySweepInterval:
		for k, exp := range c.entries {
			if !now.Before(exp) {
				delete(c.entries, k)
			}
		}
		c.lastSweep = now
	}
	// The cache outlives the request: own the key, so that an id cut from
	// a larger string (a decoded token, a parsed form) does not keep all of
	// it alive until the entry expires.
	c.entries[strings.Clone(id)] = expires
	return false
}

// Len returns how many IDs the cache holds.
func (c *MemoryReplayCache) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.entries)
}

func (c *MemoryReplayCache) evict(now time.Time) {
	type entry struct {
		id  string
		exp time.Time
	}
	live := make([]entry, 0, len(c.entries))
	for k, exp := range c.entries {
		if !now.Before(exp) {
			delete(c.entries, k)
			continue
		}
		live = append(live, entry{k, exp})
	}
	keep := c.max - c.max/10 - 1
	if len(live) <= keep {
		return
	}
	sort.Slice(live, func(i, j int) bool { return live[i].exp.Before(live[j].exp) })
	for _, e := range live[:len(live)-keep] {
		delete(c.entries, e.id)
	}
}

// InboundPolicy validates requests arriving at the IdP. The zero value of
// every optional field is a safe default.
type InboundPolicy struct {
	// SSOURL is our SingleSignOnService URL (both bindings); a request's
	// Destination, when present, must equal it.
	SSOURL string
	// SLOURL is our SingleLogoutService URL, for LogoutRequests.
	SLOURL string
	// LookupSP finds a service provider by entity ID.
	LookupSP func(entityID string) (*RequestSP, bool)
	// Clock tells the current time; nil means the system clock.
	Clock Clock
	// Lifetime is how long a request stays acceptable after its
	// IssueInstant (default 5 minutes); Skew the clock skew allowed either
	// way (default 3 minutes).
	Lifetime, Skew time.Duration
	// Replay refuses a signed request ID seen before; nil disables the check.
	Replay ReplayCache
	// AllowSHA1 accepts rsa-sha1 signatures (refused by default).
	AllowSHA1 bool
	// NameIDFormats are the NameIDPolicy Formats we can honour; nil means
	// SupportedNameIDFormats.
	NameIDFormats []string
}

// SupportedNameIDFormats are the NameID formats the IdP can issue.
var SupportedNameIDFormats = []string{
	"urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified",
	"urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress",
	"urn:oasis:names:tc:SAML:2.0:nameid-format:persistent",
	"urn:oasis:names:tc:SAML:2.0:nameid-format:transient",
}

func (p *InboundPolicy) now() time.Time {
	if p.Clock != nil {
		return p.Clock.Now()
	}
	return time.Now()
}

func (p *InboundPolicy) lifetime() time.Duration {
	if p.Lifetime > 0 {
		return p.Lifetime
	}
	return 5 * time.Minute
}

func (p *InboundPolicy) skew() time.Duration {
	if p.Skew > 0 {
		return p.Skew
	}
	return 3 * time.Minute
}

// AuthnRequestInfo is a validated AuthnRequest.
type AuthnRequestInfo struct {
	// Request is the parsed request (from the signed element when signed).
	Request *crewsaml.AuthnRequest
	ID      string
	Issuer  string
	SP      *RequestSP
	// Binding is crewsaml.HTTPRedirectBinding or crewsaml.HTTPPostBinding.
	Binding string
	// ACS is the validated AssertionConsumerService URL to answer to.
	ACS string
	// RelayState is echoed byte-exact.
	RelayState string
	Signed     bool
	// SigAlg is the signature algorithm URI when Signed.
	SigAlg       string
	IssueInstant time.Time
	ForceAuthn   bool
	IsPassive    bool
	// NameIDFormat is the NameIDPolicy Format (unspecified included), ""
	// when absent.
	NameIDFormat    string
	SPNameQualifier string
	// Subject is the NameID the SP asked about ("" when none). The server
	// must never issue for another user than the authenticated one.
	Subject string
}

// inbound is a decoded message before protocol-specific checks.
type inbound struct {
	root       *etree.Element // the verified element when signed
	issuer     string
	sp         *RequestSP
	binding    string
	relayState string
	signed     bool
	sigAlg     string
}

// ParseAuthnRequestRedirect reads an AuthnRequest sent with the HTTP-Redirect
// binding. rawQuery is the URL's raw query string: the signature is checked
// over the raw bytes the SP signed, never over re-encoded values.
func (p *InboundPolicy) ParseAuthnRequestRedirect(rawQuery string) (*AuthnRequestInfo, error) {
	in, err := p.decodeRedirect(rawQuery, "SAMLRequest")
	if err != nil {
		return nil, err
	}
	return p.checkAuthnRequest(in)
}

// ParseAuthnRequestPost reads an AuthnRequest sent with the HTTP-POST
// binding; form is the parsed POST body (r.PostForm).
func (p *InboundPolicy) ParseAuthnRequestPost(form url.Values) (*AuthnRequestInfo, error) {
	in, err := p.decodePost(form, "SAMLRequest")
	if err != nil {
		return nil, err
	}
	return p.checkAuthnRequest(in)
}

// decodeRedirect splits the raw query, checks duplicates, inflates the
// message, finds the SP and verifies the query signature.
func (p *InboundPolicy) decodeRedirect(rawQuery, msgParam string) (*inbound, error) {
	raw := map[string]string{}
	for _, part := range strings.Split(rawQuery, "&") {
		if part == "" {
			continue
		}
		k, v, _ := strings.Cut(part, "=")
		name, err := url.QueryUnescape(k)
		if err != nil {
			return nil, rejectf(ErrRequestMalformed, "query parameter name: %v", err)
		}
		switch name {
		case msgParam, "RelayState", "SigAlg", "Signature":
			if _, dup := raw[name]; dup {
				return nil, rejectf(ErrRequestMalformed, "duplicate %s parameter", name)
			}
			raw[name] = v
		}
	}
	rawMsg, ok := raw[msgParam]
	if !ok || rawMsg == "" {
		return nil, rejectf(ErrRequestMalformed, "no %s parameter", msgParam)
	}
	values := map[string]string{}
	for k, v := range raw {
		u, err := url.QueryUnescape(v)
		if err != nil {
			return nil, rejectf(ErrRequestMalformed, "%s: %v", k, err)
		}
		values[k] = u
	}
	if len(values["RelayState"]) > MaxRelayStateBytes {
		return nil, rejectf(ErrRequestRelayState, "%d bytes, at most %d", len(values["RelayState"]), MaxRelayStateBytes)
	}
	compressed, err := decodeBase64Limited(values[msgParam])
	if err != nil {
		return nil, err
	}
	xmlBytes, err := inflateLimited(compressed)
	if err != nil {
		return nil, err
	}
	doc, err := parseRequestXML(xmlBytes)
	if err != nil {
		return nil, err
	}
	root := doc.Root()
	if findChildNS(root, dsig.Namespace, "Signature") != nil {
		// The Redirect binding removes the XML signature (bindings
		// §3.4.4.1); one that cannot be verified is never ignored.
		return nil, rejectf(ErrRequestSignature, "XML signature in an HTTP-Redirect message")
	}
	issuer, sp, err := p.findSP(root)
	if err != nil {
		return nil, err
	}
	in := &inbound{root: root, issuer: issuer, sp: sp, binding: crewsaml.HTTPRedirectBinding, relayState: values["RelayState"]}
	if _, has := raw["Signature"]; has {
		sigAlg, ok := values["SigAlg"]
		if !ok || sigAlg == "" {
			return nil, rejectf(ErrRequestSignature, "Signature without SigAlg")
		}
		signed := msgParam + "=" + rawMsg
		if rs, ok := raw["RelayState"]; ok {
			signed += "&RelayState=" + rs
		}
		signed += "&SigAlg=" + raw["SigAlg"]
		sig, err := base64.StdEncoding.DecodeString(values["Signature"])
		if err != nil {
			return nil, rejectf(ErrRequestSignature, "Signature is not base64")
		}
		if err := p.verifyDetached(sp, sigAlg, []byte(signed), sig); err != nil {
			return nil, err
		}
		in.signed, in.sigAlg = true, sigAlg
	} else if _, has := raw["SigAlg"]; has {
		return nil, rejectf(ErrRequestSignature, "SigAlg without Signature")
	}
	if sp.RequireSigned && !in.signed {
		return nil, rejectf(ErrRequestSignature, "SP %q requires signed requests", sp.EntityID)
	}
	return in, nil
}

// decodePost decodes the POST form, finds the SP and verifies the
// enveloped signature.
func (p *InboundPolicy) decodePost(form url.Values, msgParam string) (*inbound, error) {
	for _, name := range []string{msgParam, "RelayState"} {
		if len(form[name]) > 1 {
			return nil, rejectf(ErrRequestMalformed, "duplicate %s parameter", name)
		}
	}
	msg := form.Get(msgParam)
	if msg == "" {
		return nil, rejectf(ErrRequestMalformed, "no %s parameter", msgParam)
	}
	relayState := form.Get("RelayState")
	if len(relayState) > MaxRelayStateBytes {
		return nil, rejectf(ErrRequestRelayState, "%d bytes, at most %d", len(relayState), MaxRelayStateBytes)
	}
	xmlBytes, err := decodeBase64Limited(msg)
	if err != nil {
		return nil, err
	}
	doc, err := parseRequestXML(xmlBytes)
	if err != nil {
		return nil, err
	}
	root := doc.Root()
	issuer, sp, err := p.findSP(root)
	if err != nil {
		return nil, err
	}
	in := &inbound{root: root, issuer: issuer, sp: sp, binding: crewsaml.HTTPPostBinding, relayState: relayState}
	if sigEl := findChildNS(root, dsig.Namespace, "Signature"); sigEl != nil {
		verified, alg, err := p.verifyEnveloped(sp, root, sigEl)
		if err != nil {
			return nil, err
		}
		in.root, in.signed, in.sigAlg = verified, true, alg
	}
	if sp.RequireSigned && !in.signed {
		return nil, rejectf(ErrRequestSignature, "SP %q requires signed requests", sp.EntityID)
	}
	return in, nil
}

func (p *InboundPolicy) findSP(root *etree.Element) (string, *RequestSP, error) {
	issEl := findChildNS(root, "urn:oasis:names:tc:SAML:2.0:assertion", "Issuer")
	if issEl == nil {
		return "", nil, rejectf(ErrRequestUnknownSP, "no Issuer")
	}
	issuer := strings.TrimSpace(issEl.Text())
	if issuer == "" {
		return "", nil, rejectf(ErrRequestUnknownSP, "empty Issuer")
	}
	if p.LookupSP == nil {
		return "", nil, rejectf(ErrRequestUnknownSP, "%q", issuer)
	}
	sp, ok := p.LookupSP(issuer)
	if !ok || sp == nil {
		return "", nil, rejectf(ErrRequestUnknownSP, "%q", issuer)
	}
	return issuer, sp, nil
}

// verifyDetached checks an HTTP-Redirect query signature with any of the
// SP's certificates.
func (p *InboundPolicy) verifyDetached(sp *RequestSP, sigAlg string, signed, sig []byte) error {
	var h crypto.Hash
	switch sigAlg {
	case SigAlgRSASHA256, SigAlgECDSASHA256:
		h = crypto.SHA256
	case SigAlgRSASHA512:
		h = crypto.SHA512
	case SigAlgRSASHA1:
		if !p.AllowSHA1 {
			return rejectf(ErrRequestSignature, "SigAlg rsa-sha1 is refused")
		}
		h = crypto.SHA1
	default:
		return rejectf(ErrRequestSignature, "unsupported SigAlg %q", sigAlg)
	}
	var digest []byte
	switch h {
	case crypto.SHA1:
		d := sha1.Sum(signed) //nolint:gosec // allowed explicitly
		digest = d[:]
	case crypto.SHA256:
		d := sha256.Sum256(signed)
		digest = d[:]
	case crypto.SHA512:
		d := sha512.Sum512(signed)
		digest = d[:]
	}
	if len(sp.Certificates) == 0 {
		return rejectf(ErrRequestSignature, "SP %q has no certificate to verify its signature", sp.EntityID)
	}
	now := p.now()
	for _, cert := range sp.Certificates {
		if now.Before(cert.NotBefore) || now.After(cert.NotAfter) {
			continue
		}
		switch pub := cert.PublicKey.(type) {
		case *rsa.PublicKey:
			if sigAlg == SigAlgECDSASHA256 {
				continue
			}
			if rsa.VerifyPKCS1v15(pub, h, digest, sig) == nil {
				return nil
			}
		case *ecdsa.PublicKey:
			if sigAlg != SigAlgECDSASHA256 {
				continue
			}
			if ecdsa.VerifyASN1(pub, digest, sig) {
				return nil
			}
		}
	}
	return rejectf(ErrRequestSignature, "signature does not verify with the certificates of SP %q", sp.EntityID)
}

// verifyEnveloped checks an enveloped XML signature on root and returns the
// element the signature covers: the only element read afterwards.
func (p *InboundPolicy) verifyEnveloped(sp *RequestSP, root, sigEl *etree.Element) (*etree.Element, string, error) {
	if len(sp.Certificates) == 0 {
		return nil, "", rejectf(ErrRequestSignature, "SP %q has no certificate to verify its signature", sp.EntityID)
	}
	signedInfo := findChildNS(sigEl, dsig.Namespace, "SignedInfo")
	if signedInfo == nil {
		return nil, "", rejectf(ErrRequestSignature, "Signature without SignedInfo")
	}
	var refs []*etree.Element
	for _, c := range signedInfo.ChildElements() {
		if c.Tag == "Reference" {
			refs = append(refs, c)
		}
	}
	if len(refs) != 1 {
		return nil, "", rejectf(ErrRequestSignature, "want exactly one Reference, found %d", len(refs))
	}
	id := root.SelectAttrValue("ID", "")
	if id == "" || refs[0].SelectAttrValue("URI", "") != "#"+id {
		return nil, "", rejectf(ErrRequestSignature, "Reference does not point to the request's ID")
	}
	alg := ""
	if m := findChildNS(signedInfo, dsig.Namespace, "SignatureMethod"); m != nil {
		alg = m.SelectAttrValue("Algorithm", "")
	}
	switch alg {
	case SigAlgRSASHA256, SigAlgRSASHA512, SigAlgECDSASHA256:
	case SigAlgRSASHA1:
		if !p.AllowSHA1 {
			return nil, "", rejectf(ErrRequestSignature, "SignatureMethod rsa-sha1 is refused")
		}
	default:
		return nil, "", rejectf(ErrRequestSignature, "unsupported SignatureMethod %q", alg)
	}
	vc := dsig.NewDefaultValidationContext(&dsig.MemoryX509CertificateStore{Roots: sp.Certificates})
	vc.Clock = dsig.NewFakeClockAt(p.now())
	verified, err := func() (el *etree.Element, err error) {
		defer func() {
			if r := recover(); r != nil {
				err = fmt.Errorf("signature validation panicked: %v", r)
			}
		}()
		return vc.Validate(root)
	}()
	if err != nil {
		return nil, "", rejectf(ErrRequestSignature, "%v", err)
	}
	if verified.SelectAttrValue("ID", "") != id {
		return nil, "", rejectf(ErrRequestSignature, "signed element is not the request")
	}
	return verified, alg, nil
}

func (p *InboundPolicy) checkAuthnRequest(in *inbound) (*AuthnRequestInfo, error) {
	if in.root.Tag != "AuthnRequest" || in.root.NamespaceURI() != "urn:oasis:names:tc:SAML:2.0:protocol" {
		return nil, rejectf(ErrRequestMalformed, "root element is %q, want samlp:AuthnRequest", in.root.Tag)
	}
	var req crewsaml.AuthnRequest
	if err := unmarshalElement(in.root, &req); err != nil {
		return nil, err
	}
	info := &AuthnRequestInfo{
		Request: &req, ID: req.ID, Issuer: in.issuer, SP: in.sp, Binding: in.binding,
		RelayState: in.relayState, Signed: in.signed, SigAlg: in.sigAlg, IssueInstant: req.IssueInstant,
	}
	if err := p.checkCommon(in, req.Version, req.ID, req.Destination, p.SSOURL, req.IssueInstant); err != nil {
		return nil, err
	}
	// ACS selection (core §3.4.1): URL and index are mutually exclusive.
	switch {
	case req.AssertionConsumerServiceURL != "" && req.AssertionConsumerServiceIndex != "":
		return nil, rejectf(ErrRequestACS, "both AssertionConsumerServiceURL and AssertionConsumerServiceIndex")
	case req.AssertionConsumerServiceURL != "":
		for _, u := range in.sp.ACSURLs {
			if u == req.AssertionConsumerServiceURL {
				info.ACS = u
			}
		}
		if info.ACS == "" {
			return nil, rejectf(ErrRequestACS, "%q for SP %q", req.AssertionConsumerServiceURL, in.sp.EntityID)
		}
	case req.AssertionConsumerServiceIndex != "":
		i, err := strconv.Atoi(req.AssertionConsumerServiceIndex)
		if err != nil || i < 0 || i >= len(in.sp.ACSURLs) {
			return nil, rejectf(ErrRequestACS, "unknown AssertionConsumerServiceIndex %q", req.AssertionConsumerServiceIndex)
		}
		info.ACS = in.sp.ACSURLs[i]
	default:
		if len(in.sp.ACSURLs) == 0 {
			return nil, rejectf(ErrRequestACS, "SP %q has no ACS", in.sp.EntityID)
		}
		info.ACS = in.sp.ACSURLs[0]
	}
	if req.ProtocolBinding != "" && req.ProtocolBinding != crewsaml.HTTPPostBinding {
		return nil, rejectf(ErrRequestBinding, "%q; only HTTP-POST responses are sent", req.ProtocolBinding)
	}
	// Replay: signed IDs only (an unsigned request can be forged anyway).
	if in.signed && p.Replay != nil {
		now := p.now()
		if p.Replay.Seen(in.issuer+"\x00"+req.ID, req.IssueInstant.Add(p.lifetime()+2*p.skew()), now) {
			return nil, rejectf(ErrRequestReplay, "ID %q from SP %q", req.ID, in.issuer)
		}
	}
	if req.ForceAuthn != nil {
		info.ForceAuthn = *req.ForceAuthn
	}
	if req.IsPassive != nil {
		info.IsPassive = *req.IsPassive
	}
	if req.Subject != nil && req.Subject.NameID != nil {
		info.Subject = strings.TrimSpace(req.Subject.NameID.Value)
	}
	if req.NameIDPolicy != nil {
		if req.NameIDPolicy.SPNameQualifier != nil {
			info.SPNameQualifier = *req.NameIDPolicy.SPNameQualifier
		}
		// unspecified is passed on as asked: what it gets (the pairwise id
		// in Entra ID, or "no preference") is the claims engine's decision.
		if req.NameIDPolicy.Format != nil && *req.NameIDPolicy.Format != "" {
			f := *req.NameIDPolicy.Format
			formats := p.NameIDFormats
			if formats == nil {
				formats = SupportedNameIDFormats
			}
			ok := false
			for _, s := range formats {
				ok = ok || s == f
			}
			if !ok {
				return nil, &RequestError{
					Kind: RequestStatus, Status: crewsaml.StatusRequester, SubStatus: crewsaml.StatusInvalidNameIDPolicy,
					Request: info, Err: ErrRequestNameIDPolicy, Detail: fmt.Sprintf("%q", f),
				}
			}
			info.NameIDFormat = f
		}
	}
	return info, nil
}

// checkCommon runs the checks shared by AuthnRequest and LogoutRequest.
func (p *InboundPolicy) checkCommon(in *inbound, version, id, destination, ourURL string, issueInstant time.Time) error {
	if version != "2.0" {
		return rejectf(ErrRequestMalformed, "Version %q, want 2.0", version)
	}
	if id == "" {
		return rejectf(ErrRequestMalformed, "no ID")
	}
	if len(id) > MaxRequestIDBytes {
		return rejectf(ErrRequestMalformed, "the ID is %d bytes; at most %d are accepted", len(id), MaxRequestIDBytes)
	}
	if !IsNCName(id) {
		return rejectf(ErrRequestMalformed, "ID %q is not an xs:ID: it must be an NCName (a letter or \"_\" first, then letters, digits, \".\", \"-\" or \"_\"; no spaces, colons, quotes or angle brackets)", id)
	}
	if destination != "" && destination != ourURL {
		return rejectf(ErrRequestDestination, "%q, want %q", destination, ourURL)
	}
	if destination == "" && in.signed {
		// bindings §3.4.5.2 and §3.5.5.2: a signed message must carry Destination.
		return rejectf(ErrRequestDestination, "signed request without Destination")
	}
	if issueInstant.IsZero() {
		return rejectf(ErrRequestMalformed, "no IssueInstant")
	}
	now := p.now()
	if issueInstant.Before(now.Add(-(p.lifetime() + p.skew()))) {
		return rejectf(ErrRequestExpired, "IssueInstant %s is older than %s", issueInstant.UTC().Format(time.RFC3339), p.lifetime()+p.skew())
	}
	if issueInstant.After(now.Add(p.skew())) {
		return rejectf(ErrRequestFuture, "IssueInstant %s is ahead of our clock by more than %s", issueInstant.UTC().Format(time.RFC3339), p.skew())
	}
	return nil
}

func unmarshalElement(el *etree.Element, v any) error {
	doc := etree.NewDocument()
	doc.SetRoot(el.Copy())
	b, err := doc.WriteToBytes()
	if err != nil {
		return rejectf(ErrRequestMalformed, "%v", err)
	}
	if err := xml.Unmarshal(b, v); err != nil {
		return rejectf(ErrRequestMalformed, "%v", err)
	}
	return nil
}

func decodeBase64Limited(s string) ([]byte, error) {
	// Some SPs wrap base64 lines; whitespace is not part of the data.
	s = strings.Map(func(r rune) rune {
		if r == ' ' || r == '\n' || r == '\r' || r == '\t' {
			return -1
		}
		return r
	}, s)
	if base64.StdEncoding.DecodedLen(len(s)) > MaxInboundRequestBytes {
		return nil, rejectf(ErrRequestTooLarge, "more than %d bytes", MaxInboundRequestBytes)
	}
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		return nil, rejectf(ErrRequestMalformed, "not base64: %v", err)
	}
	return b, nil
}

// inflateLimited inflates a Redirect-binding message through a limited
// reader. Bytes after the final DEFLATE block are refused like any other
// malformed encoding: the signature covers the encoded value, so data the
// inflater skips would be signed but never read.
func inflateLimited(compressed []byte) ([]byte, error) {
	src := bytes.NewReader(compressed) // an io.ByteReader: flate reads no further than it needs
	r := flate.NewReader(src)
	defer r.Close()
	b, err := io.ReadAll(io.LimitReader(r, MaxInboundRequestBytes+1))
	if err != nil {
		return nil, rejectf(ErrRequestMalformed, "inflate: %v", err)
	}
	if len(b) > MaxInboundRequestBytes {
		return nil, rejectf(ErrRequestTooLarge, "inflates to more than %d bytes", MaxInboundRequestBytes)
	}
	if n := src.Len(); n > 0 {
		return nil, rejectf(ErrRequestMalformed, "%d trailing bytes after the end of the DEFLATE data", n)
	}
	return b, nil
}

// parseRequestXML parses untrusted XML with the reader's ParseSafe
// (no DOCTYPE, one root, bounded depth and size, no duplicate or namespaced
// ID attributes: reference/security.md SEC-07..09, SEC-32), with tighter
// limits than for responses: requests are small.
func parseRequestXML(b []byte) (*etree.Document, error) {
	if len(b) > MaxInboundRequestBytes {
		return nil, rejectf(ErrRequestTooLarge, "more than %d bytes", MaxInboundRequestBytes)
	}
	limits := RequestLimits()
	limits.MaxBytes = MaxInboundRequestBytes
	limits.MaxDepth = maxRequestDepth
	limits.MaxElements = maxRequestElements
	doc, err := ParseSafe(b, limits)
	if err != nil {
		return nil, rejectf(ErrRequestMalformed, "%v", err)
	}
	return doc, nil
}

// findChildNS returns the first child element of el with the namespace URI
// and local name, or nil.
func findChildNS(el *etree.Element, ns, local string) *etree.Element {
	for _, c := range el.ChildElements() {
		if c.Tag == local && c.NamespaceURI() == ns {
			return c
		}
	}
	return nil
}
