package saml

import (
	"crypto/x509"
	"encoding/asn1"
	"encoding/base64"
	"errors"
	"fmt"
	"math/big"
	"strings"
	"time"

	"github.com/beevik/etree"
	dsig "github.com/russellhaering/goxmldsig"
)

// Sentinel errors of Read. Test them with errors.Is.
var (
	// ErrNotVerified: trust anchors were given, but no signature by one of
	// them covers the Response or the Assertion. The View is returned for
	// display only.
	ErrNotVerified = errors.New("saml: not verified")
	// ErrSignature: a signature is present but does not check out (bad
	// digest or value, a certificate that is not trusted or not valid at
	// the time given, an unknown algorithm).
	ErrSignature = errors.New("saml: bad signature")
	// ErrStructure: the message has a shape used for signature wrapping:
	// more than one assertion, an assertion or a signature out of place, a
	// signature whose Reference is not exactly the ID of its parent.
	ErrStructure = errors.New("saml: suspicious message structure")
)

// readSig is one ds:Signature found in the document, with its placement.
type readSig struct {
	el     *etree.Element
	parent *etree.Element
	info   SignatureInfo
	// shapeErr says why the signature is out of place or malformed; such a
	// signature is never checked.
	shapeErr error
	// hasKeyCert is true when KeyInfo carries an X509Certificate.
	hasKeyCert bool
}

// readSignatures finds every ds:Signature under root in document order and
// checks where it sits: it must be a direct child of root (when root is a
// Response or an Assertion) or of assertion, carry exactly one Reference
// whose URI is "#" + its parent's ID, and be the only signature of its
// parent.
func readSignatures(root, assertion *etree.Element) []*readSig {
	var sigs []*readSig
	perParent := map[*etree.Element]int{}
	var walk func(el *etree.Element)
	walk = func(el *etree.Element) {
		for _, child := range el.ChildElements() {
			if child.Tag == "Signature" && child.NamespaceURI() == readNSDSig {
				sigs = append(sigs, readSignature(child, el, root, assertion, perParent))
				continue
			}
			walk(child)
		}
	}
	walk(root)
	return sigs
}

func readSignature(sigEl, parent, root, assertion *etree.Element, perParent map[*etree.Element]int) *readSig {
	s := &readSig{el: sigEl, parent: parent}
	s.info.Element = parent.Tag
	signedInfo := readChild(sigEl, readNSDSig, "SignedInfo")
	var refs []*etree.Element
	if signedInfo != nil {
		if c := readChild(signedInfo, readNSDSig, "CanonicalizationMethod"); c != nil {
			s.info.Canonicalization = readAttr(c, "Algorithm")
		}
		if m := readChild(signedInfo, readNSDSig, "SignatureMethod"); m != nil {
			s.info.Algorithm = readAttr(m, "Algorithm")
		}
		for _, c := range signedInfo.ChildElements() {
			if c.Tag == "Reference" {
				refs = append(refs, c)
			}
		}
		if len(refs) > 0 {
			if d := readChild(refs[0], readNSDSig, "DigestMethod"); d != nil {
				s.info.DigestAlgorithm = readAttr(d, "Algorithm")
			}
			uri := readAttr(refs[0], "URI")
			if len(uri) > 0 && uri[0] == '#' {
				s.info.ReferenceID = uri[1:]
			} else {
				s.info.ReferenceID = uri
			}
		}
	}
	if ki := readChild(sigEl, readNSDSig, "KeyInfo"); ki != nil {
		if xd := readChild(ki, readNSDSig, "X509Data"); xd != nil {
			s.hasKeyCert = readChild(xd, readNSDSig, "X509Certificate") != nil
		}
	}

	parentID := readAttr(parent, "ID")
	perParent[parent]++
	placed := parent == root && (parent.Tag == "Response" || parent.Tag == "Assertion") || (assertion != nil && parent == assertion)
	switch {
	case !placed:
		s.shapeErr = fmt.Errorf("signature at %s is out of place: a signature must be a direct child of the Response or of its one Assertion", readPath(sigEl))
	case perParent[parent] > 1:
		s.shapeErr = fmt.Errorf("<%s> carries more than one signature", parent.Tag)
	case signedInfo == nil:
		s.shapeErr = errors.New("signature has no SignedInfo")
	case len(refs) != 1:
		s.shapeErr = fmt.Errorf("signature has %d References; want exactly 1", len(refs))
	case parentID == "":
		s.shapeErr = fmt.Errorf("signed <%s> has no ID", parent.Tag)
	case readAttr(refs[0], "URI") != "#"+parentID:
		s.shapeErr = fmt.Errorf("signature Reference URI %q is not the ID of its parent <%s> (%q)", readAttr(refs[0], "URI"), parent.Tag, parentID)
	}
	if s.shapeErr != nil {
		s.info.Error = s.shapeErr.Error()
	}
	return s
}

// readVerify checks the enveloped signature of el against certs with
// goxmldsig and returns the element goxmldsig rebuilt from the bytes the
// signature covers. The certificate validity is checked at now.
func readVerify(el *etree.Element, sig *readSig, certs []*x509.Certificate, now time.Time) (verified *etree.Element, err error) {
	defer func() {
		// Backstop: a panic in signature code must not take the caller down.
		if r := recover(); r != nil {
			verified, err = nil, fmt.Errorf("signature check failed: %v", r)
		}
	}()
	detached := readDetach(el)
	readECDSAToDER(detached)
	if !sig.hasKeyCert {
		// goxmldsig refuses a KeyInfo without an X509Certificate (a
		// KeyName or KeyValue, as some IdPs send). KeyInfo is not signed
		// and only trusted certificates are tried, so drop it.
		if s := readChild(detached, readNSDSig, "Signature"); s != nil {
			if ki := readChild(s, readNSDSig, "KeyInfo"); ki != nil {
				s.RemoveChild(ki)
			}
		}
	}
	try := func(roots []*x509.Certificate) (*etree.Element, error) {
		ctx := dsig.NewDefaultValidationContext(&dsig.MemoryX509CertificateStore{Roots: roots})
		ctx.IdAttribute = "ID"
		ctx.Clock = dsig.NewFakeClockAt(now)
		return ctx.Validate(detached)
	}
	if sig.hasKeyCert || len(certs) == 1 {
		verified, err = try(certs)
		return verified, readSigError(err)
	}
	// Without a certificate in KeyInfo goxmldsig needs exactly one root, so
	// try each trusted certificate in turn.
	for _, c := range certs {
		if verified, err = try([]*x509.Certificate{c}); err == nil {
			return verified, nil
		}
	}
	return nil, readSigError(err)
}

// readSigError rewords goxmldsig's terse messages where they mislead.
func readSigError(err error) error {
	if err == nil {
		return nil
	}
	switch err.Error() {
	case "Could not verify certificate against trusted certs":
		return errors.New("signed with a certificate that is not among the trusted ones")
	case "Cert is not valid at this time":
		return errors.New("the trusted certificate is not valid at the time given (check the clock)")
	case "Signature could not be verified":
		return errors.New("digest mismatch: the signed content was changed after signing")
	}
	return err
}

// readDetach copies el and declares on the copy the namespaces it inherits
// from its ancestors, so that it canonicalizes as it did in place.
func readDetach(el *etree.Element) *etree.Element {
	c := el.Copy()
	declared := map[string]bool{}
	for _, a := range c.Attr {
		if a.Space == "xmlns" {
			declared[a.Key] = true
		} else if a.Space == "" && a.Key == "xmlns" {
			declared[""] = true
		}
	}
	for p := el.Parent(); p != nil; p = p.Parent() {
		for _, a := range p.Attr {
			prefix := ""
			switch {
			case a.Space == "xmlns":
				prefix = a.Key
			case a.Space == "" && a.Key == "xmlns":
			default:
				continue
			}
			if declared[prefix] {
				continue
			}
			declared[prefix] = true
			if prefix == "" {
				c.CreateAttr("xmlns", a.Value)
			} else {
				c.CreateAttr("xmlns:"+prefix, a.Value)
			}
		}
	}
	return c
}

// readECDSAToDER rewrites, in el (a detached copy), the SignatureValue of
// its enveloped ECDSA signature from the r||s octet string that XML
// Signature 1.1 (RFC 4050, xmlsec1, samlab's builder) writes into the ASN.1
// form goxmldsig v1.6.1 passes to crypto/x509. The lengths tell the forms
// apart: r||s is 64, 96 or 132 bytes for P-256, P-384 and P-521, which an
// ASN.1 signature on those curves never is. SignatureValue is not covered
// by any digest, so this changes nothing that is verified.
func readECDSAToDER(el *etree.Element) {
	sig := readChild(el, readNSDSig, "Signature")
	if sig == nil {
		return
	}
	si := readChild(sig, readNSDSig, "SignedInfo")
	sv := readChild(sig, readNSDSig, "SignatureValue")
	if si == nil || sv == nil {
		return
	}
	m := readChild(si, readNSDSig, "SignatureMethod")
	if m == nil || !strings.Contains(readAttr(m, "Algorithm"), "ecdsa-") {
		return
	}
	raw, err := base64.StdEncoding.DecodeString(strings.Join(strings.Fields(readText(sv)), ""))
	if err != nil {
		return
	}
	switch len(raw) {
	case 64, 96, 132:
	default:
		return
	}
	half := len(raw) / 2
	der, err := asn1.Marshal(struct{ R, S *big.Int }{
		new(big.Int).SetBytes(raw[:half]),
		new(big.Int).SetBytes(raw[half:]),
	})
	if err != nil {
		return
	}
	sv.SetText(base64.StdEncoding.EncodeToString(der))
}
