package saml

import (
	"bufio"
	"crypto"
	"crypto/ecdsa"
	"crypto/rand"
	"crypto/rsa"
	"encoding/asn1"
	"encoding/base64"
	"errors"
	"fmt"
	"hash"
	"math/big"
	"sync"

	"github.com/beevik/etree"
	"github.com/russellhaering/goxmldsig/etreeutils"
)

// Signature algorithms accepted in [ResponseOptions.Algorithm].
const (
	AlgRSASHA256   = "rsa-sha256"   // default for RSA keys
	AlgRSASHA512   = "rsa-sha512"   // RSA PKCS#1 v1.5 with SHA-512, SHA-512 digest
	AlgRSASHA1     = "rsa-sha1"     // legacy; only when asked for
	AlgECDSASHA256 = "ecdsa-sha256" // default for ECDSA keys
)

// XML Signature identifiers the signer writes.
const (
	buildDSigNS       = "http://www.w3.org/2000/09/xmldsig#"
	buildExcC14N      = "http://www.w3.org/2001/10/xml-exc-c14n#"
	buildEnvelopedSig = "http://www.w3.org/2000/09/xmldsig#enveloped-signature"
)

// buildSigAlg describes one signature algorithm: its URIs and hash.
type buildSigAlg struct {
	method string      // SignatureMethod Algorithm
	digest string      // DigestMethod Algorithm
	hash   crypto.Hash // used for both the reference digest and the signature
	ecdsa  bool        // key must be ECDSA (otherwise RSA)
}

// buildSigAlgs is read-only after package initialisation.
var buildSigAlgs = map[string]buildSigAlg{
	AlgRSASHA256: {
		method: "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256",
		digest: "http://www.w3.org/2001/04/xmlenc#sha256",
		hash:   crypto.SHA256,
	},
	AlgRSASHA512: {
		method: "http://www.w3.org/2001/04/xmldsig-more#rsa-sha512",
		digest: "http://www.w3.org/2001/04/xmlenc#sha512",
		hash:   crypto.SHA512,
	},
	AlgRSASHA1: {
		method: "http://www.w3.org/2000/09/xmldsig#rsa-sha1",
		digest: "http://www.w3.org/2000/09/xmldsig#sha1",
		hash:   crypto.SHA1,
	},
	AlgECDSASHA256: {
		method: "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256",
		digest: "http://www.w3.org/2001/04/xmlenc#sha256",
		hash:   crypto.SHA256,
		ecdsa:  true,
	},
}

// buildCanonicalSettings writes an element the way exclusive c14n
// serialises it (goxmldsig uses the same settings after its transform).
var buildCanonicalSettings = etree.WriteSettings{
	CanonicalAttrVal: true,
	CanonicalEndTags: true,
	CanonicalText:    true,
}

// buildBufPool recycles the buffered writers that feed canonical XML into
// hashes, so signing allocates no large buffers per response.
var buildBufPool = sync.Pool{New: func() any { return bufio.NewWriterSize(nil, 8192) }}

// buildSigner signs elements with one key and algorithm.
type buildSigner struct {
	key      crypto.Signer
	alg      buildSigAlg
	certB64  string // base64 DER of the signing certificate, for KeyInfo
	dsPrefix string // "" puts the signature in the default namespace (Azure)
	asn1     bool   // ECDSA values as ASN.1 DER (goxmldsig-based SPs)
}

// buildDigest hashes the exclusive canonical form (without comments, empty
// InclusiveNamespaces) of el.
//
// The builder creates every element already in exclusive canonical form
// (namespace declarations where they are first used, attributes in
// canonical order), so for its own trees etree's writer produces the
// canonical bytes directly; other trees first go through goxmldsig's
// exclusive c14n transform, in place. Writing straight into the hash avoids
// the copy and the byte slice that goxmldsig's Canonicalize would make.
func buildDigest(el *etree.Element, h crypto.Hash, canonical bool) ([]byte, error) {
	// Trees this package builds are made in canonical form, so on them the
	// transform is a no-op that costs about a third of a response's build
	// time (namespace maps copied per element). It still runs on trees with
	// parts made elsewhere (an EncryptedAssertion from xmlenc). Tests and
	// FuzzBuildRoundTrip check the signed digest against goxmldsig's own
	// canonicaliser, and xmlsec1 verifies every signing option.
	if !canonical {
		if err := etreeutils.TransformExcC14n(el, "", false); err != nil {
			return nil, fmt.Errorf("saml: canonicalising <%s>: %w", el.Tag, err)
		}
	}
	hh := h.New()
	buildWriteCanonical(hh, el)
	return hh.Sum(nil), nil
}

func buildWriteCanonical(hh hash.Hash, el *etree.Element) {
	bw := buildBufPool.Get().(*bufio.Writer)
	bw.Reset(hh)
	el.WriteTo(bw, &buildCanonicalSettings)
	bw.Flush() // hash writers never fail
	bw.Reset(nil)
	buildBufPool.Put(bw)
}

// signEnveloped adds an enveloped ds:Signature over el (whose ID attribute
// is id) as the child right after el's first child, the Issuer, which is
// where the SAML schema puts it.
//
// canonical says el was built here in canonical form (see buildDigest).
func (s *buildSigner) signEnveloped(ar *buildArena, el *etree.Element, id string, canonical bool) error {
	digest, err := buildDigest(el, s.alg.hash, canonical)
	if err != nil {
		return err
	}

	p := s.dsPrefix
	xmlnsAttr := etree.Attr{Key: "xmlns", Value: buildDSigNS}
	if p != "" {
		xmlnsAttr = etree.Attr{Space: "xmlns", Key: p, Value: buildDSigNS}
	}
	withAlg := func(parent *etree.Element, tag, uri string) {
		ar.el(parent, p, tag, 0, etree.Attr{Key: "Algorithm", Value: uri})
	}

	// SignedInfo carries its own namespace declaration while it is
	// canonicalised on its own: that is its canonical form wherever it sits.
	si := ar.el(nil, p, "SignedInfo", 3, xmlnsAttr)
	withAlg(si, "CanonicalizationMethod", buildExcC14N)
	withAlg(si, "SignatureMethod", s.alg.method)
	ref := ar.el(si, p, "Reference", 3, etree.Attr{Key: "URI", Value: "#" + id})
	tr := ar.el(ref, p, "Transforms", 2)
	withAlg(tr, "Transform", buildEnvelopedSig)
	withAlg(tr, "Transform", buildExcC14N)
	withAlg(ref, "DigestMethod", s.alg.digest)
	ar.text(ref, p, "DigestValue", base64.StdEncoding.EncodeToString(digest))

	siDigest, err := buildDigest(si, s.alg.hash, true)
	if err != nil {
		return err
	}
	sigValue, err := s.sign(siDigest)
	if err != nil {
		return err
	}
	si.RemoveAttr(xmlnsAttr.FullKey()) // declared on Signature instead

	sig := ar.el(nil, p, "Signature", 3, xmlnsAttr)
	sig.AddChild(si)
	ar.text(sig, p, "SignatureValue", base64.StdEncoding.EncodeToString(sigValue))
	x509Data := ar.el(ar.el(sig, p, "KeyInfo", 1), p, "X509Data", 1)
	ar.text(x509Data, p, "X509Certificate", s.certB64)

	el.InsertChildAt(buildIssuerIndex(el)+1, sig)
	return nil
}

// buildIssuerIndex is the token index of el's Issuer child (its first
// element child).
func buildIssuerIndex(el *etree.Element) int {
	for i, t := range el.Child {
		if _, ok := t.(*etree.Element); ok {
			return i
		}
	}
	return -1
}

// sign signs a digest. RSA uses PKCS#1 v1.5, which is deterministic. ECDSA
// signatures are converted from Go's ASN.1 form to the r||s octet string
// that XML Signature 1.1 (RFC 4051 §3.4.1) requires.
func (s *buildSigner) sign(digest []byte) ([]byte, error) {
	sig, err := s.key.Sign(rand.Reader, digest, s.alg.hash)
	if err != nil {
		return nil, fmt.Errorf("saml: signing: %w", err)
	}
	if !s.alg.ecdsa || s.asn1 {
		return sig, nil
	}
	pub, ok := s.key.Public().(*ecdsa.PublicKey)
	if !ok {
		return nil, errors.New("saml: signing: ecdsa algorithm needs an ECDSA key")
	}
	var rs struct{ R, S *big.Int }
	if rest, err := asn1.Unmarshal(sig, &rs); err != nil || len(rest) > 0 {
		return nil, fmt.Errorf("saml: signing: signer returned a malformed ECDSA signature: %v", err)
	}
	size := (pub.Curve.Params().BitSize + 7) / 8
	out := make([]byte, 2*size)
	rs.R.FillBytes(out[:size])
	rs.S.FillBytes(out[size:])
	return out, nil
}

// buildCheckKey reports whether key can sign with alg.
func buildCheckKey(key crypto.Signer, algName string, alg buildSigAlg) error {
	switch key.Public().(type) {
	case *rsa.PublicKey:
		if alg.ecdsa {
			return fmt.Errorf("algorithm %q needs an ECDSA key, the issuer key is RSA", algName)
		}
	case *ecdsa.PublicKey:
		if !alg.ecdsa {
			return fmt.Errorf("algorithm %q needs an RSA key, the issuer key is ECDSA", algName)
		}
	default:
		return fmt.Errorf("unsupported signing key type %T (want RSA or ECDSA)", key.Public())
	}
	return nil
}
