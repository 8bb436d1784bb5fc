package saml

import (
	"bytes"
	"crypto/rsa"
	"crypto/x509"
	"errors"
	"fmt"

	"github.com/beevik/etree"
	"github.com/crewjam/saml/xmlenc"
)

// Content-encryption methods for [EncryptOptions.Method].
const (
	EncryptAES256GCM = "aes256-gcm" // default; authenticated
	EncryptAES128CBC = "aes128-cbc" // for SPs that only know XML Encryption 1.0
)

// Key-transport algorithms for [EncryptOptions.KeyTransport].
const (
	// KeyTransportOAEPMGF1P is XML Encryption 1.0 rsa-oaep-mgf1p with a
	// SHA-1 OAEP digest and MGF1-SHA-1: what every SAML SP decrypts
	// (xmlsec1, for one, accepts no other digest with it). Default.
	KeyTransportOAEPMGF1P = "rsa-oaep-mgf1p"
	// KeyTransportOAEPSHA256 is XML Encryption 1.1 rsa-oaep with SHA-256
	// for both the OAEP digest and MGF1.
	KeyTransportOAEPSHA256 = "rsa-oaep-sha256"
)

// EncryptOptions turn on assertion encryption for one app. The assertion
// is signed first (when assertion signing is on), then encrypted; the
// Response, if it is to be signed, is signed last, over the
// EncryptedAssertion.
type EncryptOptions struct {
	// Certificate is the SP's encryption certificate; its key must be RSA.
	Certificate *x509.Certificate
	// Method is EncryptAES256GCM (default) or EncryptAES128CBC.
	Method string
	// KeyTransport is how the content key is encrypted to the certificate:
	// KeyTransportOAEPMGF1P (default) or KeyTransportOAEPSHA256.
	KeyTransport string
}

func (o *EncryptOptions) buildCheck() error {
	if o.Certificate == nil {
		return fmt.Errorf("saml: encryption: no SP certificate")
	}
	if _, ok := o.Certificate.PublicKey.(*rsa.PublicKey); !ok {
		return fmt.Errorf("saml: encryption: the SP certificate's key is %T, want RSA", o.Certificate.PublicKey)
	}
	var errs []error
	switch o.Method {
	case "", EncryptAES256GCM, EncryptAES128CBC:
	default:
		errs = append(errs, fmt.Errorf("saml: encryption method %q: want aes256-gcm or aes128-cbc", o.Method))
	}
	switch o.KeyTransport {
	case "", KeyTransportOAEPMGF1P, KeyTransportOAEPSHA256:
	default:
		errs = append(errs, fmt.Errorf("saml: encryption key transport %q: want rsa-oaep-mgf1p or rsa-oaep-sha256", o.KeyTransport))
	}
	return errors.Join(errs...)
}

// buildEncryptAssertion serialises the (already signed) assertion, which
// declares every namespace it uses, and wraps its encryption in an
// EncryptedAssertion.
func buildEncryptAssertion(ar *buildArena, assertion *etree.Element, azure bool, o *EncryptOptions) (*etree.Element, error) {
	var plain bytes.Buffer
	doc := etree.NewDocument()
	doc.WriteSettings = buildOutputSettings
	doc.SetRoot(assertion)
	if _, err := doc.WriteTo(&plain); err != nil {
		return nil, fmt.Errorf("saml: encryption: serialising the assertion: %w", err)
	}

	enc := xmlenc.OAEP()
	enc.DigestMethod = xmlenc.SHA1
	if o.KeyTransport == KeyTransportOAEPSHA256 {
		enc = xmlenc.OAEP_SHA256()
	}
	enc.BlockCipher = xmlenc.AES256GCM
	if o.Method == EncryptAES128CBC {
		enc.BlockCipher = xmlenc.AES128CBC
	}
	data, err := enc.Encrypt(o.Certificate, plain.Bytes(), nil)
	if err != nil {
		return nil, fmt.Errorf("saml: encrypting the assertion: %w", err)
	}
	data.CreateAttr("Type", "http://www.w3.org/2001/04/xmlenc#Element")

	ns := buildNSFor(azure)
	ea := ar.el(nil, ns.prefix, "EncryptedAssertion", 1, ns.decl)
	ea.AddChild(data)
	return ea, nil
}
