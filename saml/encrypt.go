package saml

import (
	"bytes"
	"crypto/rsa"
	"crypto/x509"
	"fmt"

	"github.com/beevik/etree"
	"github.com/crewjam/saml/xmlenc"
)

// Content-encryption methods for [EncryptOptions.Method].
const (
	EncryptAES256GCM = "aes256-gcm" // default; authenticated
	EncryptAES128CBC = "aes128-cbc" // for SPs that only know XML Encryption 1.0
)

// EncryptOptions turn on assertion encryption for one app. The assertion
// is signed first (when assertion signing is on), then encrypted; the
// Response, if it is to be signed, is signed last, over the
// EncryptedAssertion.
type EncryptOptions struct {
	// Certificate is the SP's encryption certificate; its key must be RSA.
	Certificate *x509.Certificate
	// Method is EncryptAES256GCM (default) or EncryptAES128CBC. The
	// content key is sent with RSA-OAEP (rsa-oaep-mgf1p, SHA-256 digest).
	Method string
}

func (o *EncryptOptions) buildCheck() error {
	if o.Certificate == nil {
		return fmt.Errorf("saml: encryption: no SP certificate")
	}
	if _, ok := o.Certificate.PublicKey.(*rsa.PublicKey); !ok {
		return fmt.Errorf("saml: encryption: the SP certificate's key is %T, want RSA", o.Certificate.PublicKey)
	}
	switch o.Method {
	case "", EncryptAES256GCM, EncryptAES128CBC:
		return nil
	}
	return fmt.Errorf("saml: encryption method %q: want aes256-gcm or aes128-cbc", o.Method)
}

// buildEncryptAssertion serialises the (already signed) assertion, which
// declares every namespace it uses, and wraps its encryption in an
// EncryptedAssertion.
func buildEncryptAssertion(assertion *etree.Element, azure bool, o *EncryptOptions) (*etree.Element, error) {
	var plain bytes.Buffer
	doc := etree.NewDocument()
	doc.WriteSettings = buildOutputSettings
	doc.SetRoot(assertion)
	if _, err := doc.WriteTo(&plain); err != nil {
		return nil, fmt.Errorf("saml: encryption: serialising the assertion: %w", err)
	}

	enc := xmlenc.OAEP()
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
	ea := buildEl(nil, ns.prefix, "EncryptedAssertion", ns.decl)
	ea.AddChild(data)
	return ea, nil
}
