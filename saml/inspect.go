package saml

import (
	"bytes"
	"crypto"
	"crypto/x509"
	"encoding/pem"
	"encoding/xml"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/beevik/etree"
)

// Kind names a SAML message by its document element.
type Kind string

// The kinds Inspect reads.
const (
	KindResponse       Kind = "Response"
	KindAssertion      Kind = "Assertion" // a bare Assertion, as some tools print it
	KindAuthnRequest   Kind = "AuthnRequest"
	KindLogoutRequest  Kind = "LogoutRequest"
	KindLogoutResponse Kind = "LogoutResponse"
)

// IsResponse is true for a Response or a bare Assertion: what View, the AWS
// lint and View.Check read. The other kinds are summarised in a
// RequestView.
func (k Kind) IsResponse() bool { return k == KindResponse || k == KindAssertion }

// Noun is the kind with its indefinite article, for messages: "a
// Response", "an AuthnRequest".
func (k Kind) Noun() string {
	if k != "" && strings.ContainsRune("AEIOU", rune(k[0])) {
		return "an " + string(k)
	}
	return "a " + string(k)
}

// MaxInputBytes is the largest input Inspect (and Decode) accepts.
const MaxInputBytes = readMaxInput

// MaxHARBytes is the largest HAR file Inspect (and Decode) accepts: larger
// than MaxInputBytes, since a HAR carries the pages' content too.
const MaxHARBytes = harMaxInput

// MaxTrustBytes is the largest trust material (InspectOptions.Trust)
// Inspect accepts: a metadata document with a few certificates is far
// smaller.
const MaxTrustBytes = 4 << 20

// ErrTrust is wrapped by the error Inspect returns when
// InspectOptions.Trust is neither PEM certificates nor IdP metadata.
var ErrTrust = errors.New("saml: unusable trust material")

// InspectOptions say what Inspect trusts. The zero value reads and shows
// a message without verifying anything.
type InspectOptions struct {
	// Certificates are trust anchors, as in ReadOptions: a signature
	// counts only when made with the key of one of these.
	Certificates []*x509.Certificate
	// Trust is trust material as a person pastes it: one or more PEM
	// certificates, or IdP metadata XML (its signing certificates are
	// trusted and its entityID is Report.TrustEntityID). Added to
	// Certificates. At most MaxTrustBytes.
	Trust []byte
	// DecryptionKey decrypts an EncryptedAssertion (an *rsa.PrivateKey).
	DecryptionKey crypto.PrivateKey
	// Now is the time the trusted certificates must be valid at; nil
	// means time.Now.
	Now func() time.Time
	// Limits bound the XML; zero fields take the defaults of ParseSafe.
	// Roots is ignored: Inspect accepts the five kinds.
	Limits Limits
}

// Report is what Inspect found in a message.
type Report struct {
	// Message is the message as taken out of its carrier: the form it
	// came in, the form parameter, RelayState, whether it was deflated.
	Message *Message
	// Kind is the message's kind, from its document element.
	Kind Kind
	// View is the Response or Assertion read (nil for the other kinds).
	View *View
	// Request summarises an AuthnRequest, LogoutRequest or LogoutResponse
	// (nil for a Response or Assertion).
	Request *RequestView
	// Trusted is true when trust anchors were given, so signatures were
	// checked.
	Trusted bool
	// TrustEntityID is the entityID of the metadata given as Trust.
	TrustEntityID string
	// DecryptionKeyGiven is true when a decryption key was given.
	DecryptionKeyGiven bool
	// XML is the message as received, indented for reading, one line per
	// entry, each line marked with the signature that covers it. The
	// signed bytes are never re-serialised for verification: this is
	// display only.
	XML []XMLLine
}

// Signatures lists the message's signatures, whatever its kind.
func (r *Report) Signatures() []SignatureInfo {
	if r.View != nil {
		return r.View.Signatures
	}
	if r.Request != nil {
		return r.Request.Signatures
	}
	return nil
}

// Verified is true when a trusted signature covers the message (a
// Response, its Assertion, or a request).
func (r *Report) Verified() bool {
	if r.View != nil {
		return r.View.Verified
	}
	return r.Request != nil && r.Request.Verified
}

// RequestView summarises an AuthnRequest, LogoutRequest or LogoutResponse.
// Empty strings are absent attributes or elements.
type RequestView struct {
	Root         string
	ID           string
	IssueInstant time.Time
	Issuer       string
	Destination  string
	// InResponseTo, StatusCode, StatusMessage: a LogoutResponse.
	InResponseTo  string
	StatusCode    string
	StatusMessage string
	// AuthnRequest fields.
	ACSURL          string
	ACSIndex        string
	ProtocolBinding string
	ForceAuthn      string
	IsPassive       string
	// NameIDPolicy is the Format asked for; HasNameIDPolicy tells an
	// absent element from one without a Format.
	NameIDPolicy    string
	HasNameIDPolicy bool
	// LogoutRequest fields.
	NameID       string
	NameIDFormat string
	SessionIndex string
	// Signatures lists the enveloped signatures; Verified is true when one
	// made by a trusted certificate covers the request.
	Signatures []SignatureInfo
	Verified   bool
	// Problems lists what the reader noticed but could read past.
	Problems []string
}

// SignedState says how a line of Report.XML is covered by a signature.
type SignedState string

// The states of SignedState.
const (
	// NotSigned: no signature covers the line.
	NotSigned SignedState = ""
	// SignedVerified: covered by a signature that verified against a
	// trusted certificate.
	SignedVerified SignedState = "verified"
	// SignedInvalid: covered by a signature that was checked and failed.
	SignedInvalid SignedState = "invalid"
	// SignedUnchecked: covered by a signature that was not checked (no
	// trust anchor given, or the structure was refused).
	SignedUnchecked SignedState = "unchecked"
)

// XMLLine is one line of the indented XML.
type XMLLine struct {
	Depth int
	// Text is the line without its indentation.
	Text string
	// Signed says whether the innermost signature covering the line
	// verified; SignedBy names the signed element ("Assertion", "Response").
	Signed   SignedState
	SignedBy string
}

// Inspect is the front door of the reading side: it takes a SAML message
// from outside in any form a browser, a HAR file or a log gives it (see
// Decode: raw XML, base64, URL-encoded, DEFLATE-compressed from a Redirect
// URL, a whole SAMLResponse=...&RelayState=... body or a URL), parses it
// with ParseSafe's limits, tells its kind from the document element
// (Response, Assertion, AuthnRequest, LogoutRequest, LogoutResponse),
// verifies its signatures against the certificates and the trust material
// in opts, decrypts an EncryptedAssertion with opts.DecryptionKey, and
// returns a Report.
//
// The contract, like Read's:
//   - (nil, err) when the message cannot be read at all: err wraps
//     ErrMalformed (not a SAML message in an accepted form, or another
//     document element), ErrUnsafeXML (refused XML: DOCTYPE, entities,
//     excessive size or nesting ...) or ErrTrust (opts.Trust unusable).
//   - Otherwise the Report is always returned, for display, and err
//     reports every problem at once (errors.Join), wrapping ErrStructure,
//     ErrSignature, ErrNotVerified or ErrDecrypt as Read describes.
//
// err == nil with trust anchors given means: the structure is sound,
// every signature present verified, and one covers the message. Time
// limits, audience and recipient are checked by View.Check; the AWS rules
// by aws.LintView(report.View, ...).
func Inspect(input []byte, opts InspectOptions) (*Report, error) {
	msg, err := Decode(input)
	if err != nil {
		return nil, err
	}
	certs := append([]*x509.Certificate(nil), opts.Certificates...)
	rep := &Report{Message: msg, DecryptionKeyGiven: opts.DecryptionKey != nil}
	if len(opts.Trust) > 0 {
		more, entityID, err := ParseTrust(opts.Trust)
		if err != nil {
			return nil, err
		}
		certs = append(certs, more...)
		rep.TrustEntityID = entityID
	}
	rep.Trusted = len(certs) > 0
	limits := opts.Limits
	limits.Roots = inspectRoots
	doc, err := ParseSafe(msg.XML, limits)
	if err != nil {
		return nil, err
	}
	rep.Kind = Kind(doc.Root().Tag)
	lines := inspectLines(doc.Root())
	now := time.Now
	if opts.Now != nil {
		now = opts.Now
	}
	var readErr error
	if rep.Kind.IsResponse() {
		ro := ReadOptions{Certificates: certs, DecryptionKey: opts.DecryptionKey, Now: now, Limits: opts.Limits}
		r := &reader{opts: ro, now: now(), limits: limits}
		rep.View, readErr = r.read(doc, msg)
		inspectMark(lines, rep.View.Signatures)
		if msg.Param == "SAMLRequest" {
			readErr = errors.Join(readErr, fmt.Errorf("%w: %s arrived as SAMLRequest; a response is posted as SAMLResponse", ErrMalformed, rep.Kind.Noun()))
		}
	} else {
		rep.Request, readErr = inspectRequest(doc.Root(), msg, certs, now())
		if msg.SignedQuery != "" && lines[0].SignedBy == "" {
			// The query signature covers the whole message.
			for i := range lines {
				lines[i].SignedBy = "#" + rep.Request.ID
			}
		}
		inspectMark(lines, rep.Request.Signatures)
	}
	rep.XML = lines
	return rep, readErr
}

// inspectRoots are the document elements Inspect accepts.
var inspectRoots = []xml.Name{
	{Space: readNSProtocol, Local: "Response"},
	{Space: readNSAssertion, Local: "Assertion"},
	{Space: readNSProtocol, Local: "AuthnRequest"},
	{Space: readNSProtocol, Local: "LogoutRequest"},
	{Space: readNSProtocol, Local: "LogoutResponse"},
}

// ParseTrust reads trust material as a person pastes it: PEM certificates
// (one or more CERTIFICATE blocks), a bare base64 DER certificate (as in
// metadata's X509Certificate or Entra's "Certificate (Base64)" without its
// PEM lines), or IdP metadata XML, in which case entityID is the
// metadata's. Errors wrap ErrTrust.
func ParseTrust(data []byte) (certs []*x509.Certificate, entityID string, err error) {
	if len(data) > MaxTrustBytes {
		return nil, "", fmt.Errorf("%w: %d bytes; the limit is %d", ErrTrust, len(data), MaxTrustBytes)
	}
	s := bytes.TrimSpace(bytes.TrimPrefix(data, []byte("\ufeff")))
	if len(s) == 0 {
		return nil, "", fmt.Errorf("%w: it is empty", ErrTrust)
	}
	if s[0] == '<' {
		entityID, certs, err := CertificatesFromMetadata(s)
		if err != nil {
			return nil, "", fmt.Errorf("%w: not usable IdP metadata: %v", ErrTrust, err)
		}
		if len(certs) == 0 {
			return nil, "", fmt.Errorf("%w: the metadata of %q carries no signing certificate", ErrTrust, entityID)
		}
		return certs, entityID, nil
	}
	if bytes.HasPrefix(s, []byte("-----BEGIN")) {
		rest := s
		for {
			var block *pem.Block
			block, rest = pem.Decode(rest)
			if block == nil {
				break
			}
			if block.Type != "CERTIFICATE" {
				return nil, "", fmt.Errorf("%w: a PEM %s block; paste the IdP's certificate (BEGIN CERTIFICATE), never a private key", ErrTrust, block.Type)
			}
			c, err := x509.ParseCertificate(block.Bytes)
			if err != nil {
				return nil, "", fmt.Errorf("%w: PEM certificate %d: %v", ErrTrust, len(certs)+1, err)
			}
			certs = append(certs, c)
		}
		if len(certs) == 0 {
			return nil, "", fmt.Errorf("%w: no complete PEM block (is the END CERTIFICATE line missing?)", ErrTrust)
		}
		return certs, "", nil
	}
	der, err := decodeBase64(decodeNormalizeBase64(string(s)))
	if err == nil {
		if c, cerr := x509.ParseCertificate(der); cerr == nil {
			return []*x509.Certificate{c}, "", nil
		}
	}
	return nil, "", fmt.Errorf("%w: want PEM certificates (-----BEGIN CERTIFICATE-----), a base64 DER certificate, or IdP metadata XML", ErrTrust)
}

// inspectRequest reads an AuthnRequest, LogoutRequest or LogoutResponse and
// checks its enveloped signature against certs.
func inspectRequest(root *etree.Element, msg *Message, certs []*x509.Certificate, now time.Time) (*RequestView, error) {
	rv := &RequestView{
		Root:            root.Tag,
		ID:              readAttr(root, "ID"),
		Destination:     readAttr(root, "Destination"),
		InResponseTo:    readAttr(root, "InResponseTo"),
		ACSURL:          readAttr(root, "AssertionConsumerServiceURL"),
		ACSIndex:        readAttr(root, "AssertionConsumerServiceIndex"),
		ProtocolBinding: readAttr(root, "ProtocolBinding"),
		ForceAuthn:      readAttr(root, "ForceAuthn"),
		IsPassive:       readAttr(root, "IsPassive"),
	}
	rv.IssueInstant = readTime(readAttr(root, "IssueInstant"), root.Tag+" IssueInstant", &rv.Problems)
	if iss := readChild(root, readNSAssertion, "Issuer"); iss != nil {
		rv.Issuer = strings.TrimSpace(readText(iss))
	}
	if p := readChild(root, readNSProtocol, "NameIDPolicy"); p != nil {
		rv.HasNameIDPolicy = true
		rv.NameIDPolicy = readAttr(p, "Format")
	}
	if n := readChild(root, readNSAssertion, "NameID"); n != nil {
		rv.NameID = readText(n)
		rv.NameIDFormat = readAttr(n, "Format")
	}
	if si := readChild(root, readNSProtocol, "SessionIndex"); si != nil {
		rv.SessionIndex = strings.TrimSpace(readText(si))
	}
	if st := readChild(root, readNSProtocol, "Status"); st != nil {
		if code := readChild(st, readNSProtocol, "StatusCode"); code != nil {
			rv.StatusCode = readAttr(code, "Value")
		}
		if m := readChild(st, readNSProtocol, "StatusMessage"); m != nil {
			rv.StatusMessage = readText(m)
		}
	}
	var errs []error
	if msg.Param == "SAMLResponse" && root.Tag != "LogoutResponse" {
		errs = append(errs, fmt.Errorf("%w: %s arrived as SAMLResponse; a request is sent as SAMLRequest", ErrMalformed, Kind(root.Tag).Noun()))
	}
	// A request has no assertion: its signature belongs on the root.
	sigs := readSignatures(root, root)
	trusted := len(certs) > 0
	for _, s := range sigs {
		switch {
		case s.shapeErr != nil:
			errs = append(errs, fmt.Errorf("%w: %v", ErrStructure, s.shapeErr))
		case !trusted:
			s.info.Error = "not checked: no trusted certificate given"
		default:
			if _, err := readVerify(root, s, certs, now); err != nil {
				s.info.Error = err.Error()
				errs = append(errs, fmt.Errorf("%w: %s signature: %v", ErrSignature, root.Tag, err))
			} else {
				s.info.Verified = true
				rv.Verified = true
			}
		}
		rv.Signatures = append(rv.Signatures, s.info)
	}
	if msg.SignedQuery != "" {
		// The HTTP-Redirect binding's signature over the query text.
		info := SignatureInfo{Element: root.Tag + " (URL query)", ReferenceID: rv.ID, Algorithm: msg.SigAlg}
		switch {
		case len(rv.Signatures) > 0:
			errs = append(errs, fmt.Errorf("%w: an XML signature and a URL query signature on one message (the Redirect binding removes the XML signature)", ErrStructure))
			info.Error = "not checked: the message structure is refused"
		case !trusted:
			info.Error = "not checked: no trusted certificate given"
		default:
			p := &InboundPolicy{Clock: FixedClock(now)}
			if err := p.verifyDetached(&RequestSP{EntityID: rv.Issuer, Certificates: certs}, msg.SigAlg, []byte(msg.SignedQuery), msg.Signature); err != nil {
				info.Error = strings.TrimPrefix(err.Error(), "saml: ")
				errs = append(errs, fmt.Errorf("%w: URL query signature: %v", ErrSignature, info.Error))
			} else {
				info.Verified = true
				rv.Verified = true
			}
		}
		rv.Signatures = append(rv.Signatures, info)
	}
	if trusted && !rv.Verified {
		reason := "the " + root.Tag + " carries no enveloped signature"
		if msg.Deflated {
			reason += " and its URL query no Signature parameter (give the whole Redirect URL to check a query signature)"
		}
		if len(sigs) > 0 {
			reason = "no signature by a trusted certificate covers the " + root.Tag
		}
		errs = append(errs, fmt.Errorf("%w: %s", ErrNotVerified, reason))
	}
	return rv, errors.Join(errs...)
}

// inspectLines renders el indented, one element per line (an element with
// text only on one line), each line carrying the ID of the innermost
// ancestor-or-self that has a signature child (filled into SignedBy
// temporarily as "#ID"; inspectMark resolves it).
func inspectLines(root *etree.Element) []XMLLine {
	var lines []XMLLine
	var walk func(el *etree.Element, depth int, signedID string)
	walk = func(el *etree.Element, depth int, signedID string) {
		if id := readAttr(el, "ID"); id != "" && readChild(el, readNSDSig, "Signature") != nil {
			signedID = "#" + id
		}
		add := func(d int, text string) {
			lines = append(lines, XMLLine{Depth: d, Text: text, SignedBy: signedID})
		}
		start := inspectStartTag(el)
		hasChildEl := false
		for _, t := range el.Child {
			if _, ok := t.(*etree.Element); ok {
				hasChildEl = true
				break
			}
			if _, ok := t.(*etree.Comment); ok {
				hasChildEl = true
				break
			}
		}
		if !hasChildEl {
			text := readText(el)
			switch {
			case text == "":
				add(depth, strings.TrimSuffix(start, ">")+"/>")
			case strings.ContainsAny(strings.TrimSpace(text), "\r\n"):
				// Wrapped text (a certificate, a signature value): one
				// line each, so every line keeps its margin.
				add(depth, start)
				for _, l := range strings.FieldsFunc(text, func(r rune) bool { return r == '\n' || r == '\r' }) {
					if l = strings.TrimSpace(l); l != "" {
						add(depth+1, inspectEscape(l))
					}
				}
				add(depth, "</"+el.FullTag()+">")
			default:
				add(depth, start+inspectEscape(text)+"</"+el.FullTag()+">")
			}
			return
		}
		add(depth, start)
		for _, t := range el.Child {
			switch x := t.(type) {
			case *etree.Element:
				walk(x, depth+1, signedID)
			case *etree.Comment:
				add(depth+1, "<!--"+x.Data+"-->")
			case *etree.CharData:
				if s := strings.TrimSpace(x.Data); s != "" {
					add(depth+1, inspectEscape(s))
				}
			}
		}
		add(depth, "</"+el.FullTag()+">")
	}
	walk(root, 0, "")
	return lines
}

func inspectStartTag(el *etree.Element) string {
	var b strings.Builder
	b.WriteString("<" + el.FullTag())
	for _, a := range el.Attr {
		b.WriteString(" " + a.FullKey() + `="`)
		xml.EscapeText(&b, []byte(a.Value))
		b.WriteString(`"`)
	}
	b.WriteString(">")
	return b.String()
}

func inspectEscape(s string) string {
	var b strings.Builder
	xml.EscapeText(&b, []byte(s))
	return b.String()
}

// inspectMark turns the "#ID" placeholders of inspectLines into the state
// of the signature whose Reference is that ID.
func inspectMark(lines []XMLLine, sigs []SignatureInfo) {
	byID := map[string]SignatureInfo{}
	for _, s := range sigs {
		if _, dup := byID[s.ReferenceID]; !dup {
			byID[s.ReferenceID] = s
		}
	}
	for i := range lines {
		ref := strings.TrimPrefix(lines[i].SignedBy, "#")
		lines[i].SignedBy = ""
		if ref == "" {
			continue
		}
		s, ok := byID[ref]
		if !ok {
			continue // a signature whose Reference is elsewhere covers nothing here
		}
		lines[i].SignedBy = s.Element
		switch {
		case s.Verified:
			lines[i].Signed = SignedVerified
		case strings.HasPrefix(s.Error, "not checked"), s.Error == "":
			lines[i].Signed = SignedUnchecked
		default:
			lines[i].Signed = SignedInvalid
		}
	}
}

// PrettyXML returns Report.XML as indented text, with a two-character
// margin marking the signed lines: "| " verified, "? " signed but not
// checked, "! " signed and the signature failed.
func (r *Report) PrettyXML() string {
	var b strings.Builder
	for _, l := range r.XML {
		switch l.Signed {
		case SignedVerified:
			b.WriteString("| ")
		case SignedUnchecked:
			b.WriteString("? ")
		case SignedInvalid:
			b.WriteString("! ")
		default:
			b.WriteString("  ")
		}
		b.WriteString(strings.Repeat("  ", l.Depth))
		b.WriteString(l.Text)
		b.WriteByte('\n')
	}
	return b.String()
}

// State says in words what became of a signature: "VALID", "INVALID: ..."
// or "not checked (...)".
func (s SignatureInfo) State(trusted bool) string {
	switch {
	case s.Verified:
		return "VALID"
	case !trusted:
		return "not checked (no trusted certificate given)"
	case strings.HasPrefix(s.Error, "not checked"):
		return s.Error
	}
	return "INVALID: " + s.Error
}
