package saml

import (
	"bytes"
	"crypto"
	"crypto/rsa"
	"encoding/xml"
	"errors"
	"fmt"
	"sort"

	"github.com/beevik/etree"
	"github.com/crewjam/saml/xmlenc"
)

// ErrDecrypt is wrapped by Read's error when an EncryptedAssertion cannot be
// decrypted: a wrong key, a corrupt ciphertext or bad padding, an
// unsupported algorithm, or plaintext that is not one safe Assertion.
var ErrDecrypt = errors.New("saml: cannot decrypt the assertion")

const readNSXMLEnc = "http://www.w3.org/2001/04/xmlenc#"

// readDecrypt decrypts an EncryptedAssertion with key (crewjam's xmlenc) and
// returns the Assertion it holds, parsed with ParseSafe. It never panics: a
// panic inside the decryption code is turned into an error.
func readDecrypt(encEl *etree.Element, key crypto.PrivateKey, limits Limits) (assertion *etree.Element, err error) {
	defer func() {
		if r := recover(); r != nil {
			assertion, err = nil, fmt.Errorf("%w: %v", ErrDecrypt, r)
		}
	}()
	rsaKey, ok := key.(*rsa.PrivateKey)
	if !ok || rsaKey == nil {
		return nil, fmt.Errorf("%w: the decryption key must be an RSA private key, not %T", ErrDecrypt, key)
	}
	data := readChild(encEl, readNSXMLEnc, "EncryptedData")
	if data == nil {
		return nil, fmt.Errorf("%w: the EncryptedAssertion has no xenc:EncryptedData", ErrDecrypt)
	}
	// The content key may be wrapped for several recipients, in the
	// EncryptedData's KeyInfo or beside it: try each EncryptedKey.
	var candidates []*etree.Element
	if ki := readChild(data, readNSDSig, "KeyInfo"); ki != nil {
		candidates = append(candidates, readChildren(ki, readNSXMLEnc, "EncryptedKey")...)
	}
	candidates = append(candidates, readChildren(encEl, readNSXMLEnc, "EncryptedKey")...)
	if len(candidates) == 0 {
		return nil, fmt.Errorf("%w: no xenc:EncryptedKey holds the content key", ErrDecrypt)
	}
	var contentKey []byte
	var unwrapErrs []error
	for _, ek := range candidates {
		k, err := xmlenc.Decrypt(rsaKey, ek)
		if err != nil {
			unwrapErrs = append(unwrapErrs, err)
			continue
		}
		contentKey = k
		break
	}
	if contentKey == nil {
		return nil, fmt.Errorf("%w: cannot unwrap the content key with this key (wrong key?): %v", ErrDecrypt, errors.Join(unwrapErrs...))
	}
	// The block ciphers would unwrap a KeyInfo/EncryptedKey themselves:
	// hand them the EncryptedData without one, now that the key is known.
	data = data.Copy()
	if ki := readChild(data, readNSDSig, "KeyInfo"); ki != nil {
		for _, ek := range readChildren(ki, readNSXMLEnc, "EncryptedKey") {
			ki.RemoveChild(ek)
		}
	}
	plaintext, err := xmlenc.Decrypt(contentKey, data)
	if err != nil {
		return nil, fmt.Errorf("%w: corrupt ciphertext: %v", ErrDecrypt, err)
	}
	return decryptParse(plaintext, encEl, limits)
}

// decryptParse parses decrypted plaintext. The plaintext may use prefixes
// declared outside the EncryptedAssertion, so it is parsed inside a wrapper
// element that declares the namespaces in scope there.
func decryptParse(plaintext []byte, encEl *etree.Element, limits Limits) (*etree.Element, error) {
	plaintext = bytes.TrimSpace(plaintext)
	if bytes.HasPrefix(plaintext, []byte("<?xml")) {
		if end := bytes.Index(plaintext, []byte("?>")); end > 0 {
			plaintext = bytes.TrimSpace(plaintext[end+2:])
		}
	}
	var buf bytes.Buffer
	buf.WriteString("<decryptWrapper")
	scope := decryptScope(encEl)
	prefixes := make([]string, 0, len(scope))
	for p := range scope {
		prefixes = append(prefixes, p)
	}
	sort.Strings(prefixes)
	for _, p := range prefixes {
		if p == "" {
			buf.WriteString(" xmlns=\"")
		} else {
			buf.WriteString(" xmlns:" + p + "=\"")
		}
		_ = xml.EscapeText(&buf, []byte(scope[p]))
		buf.WriteString("\"")
	}
	buf.WriteString(">")
	buf.Write(plaintext)
	buf.WriteString("</decryptWrapper>")

	l := limits
	l.Roots = nil
	l.MaxDepth = l.withDefaults().MaxDepth + 1
	doc, err := ParseSafe(buf.Bytes(), l)
	if err != nil {
		return nil, fmt.Errorf("%w: the plaintext is not one safe XML element: %v", ErrDecrypt, err)
	}
	children := doc.Root().ChildElements()
	if len(children) != 1 || children[0].Tag != "Assertion" || children[0].NamespaceURI() != readNSAssertion {
		return nil, fmt.Errorf("%w: the plaintext is not exactly one saml:Assertion", ErrDecrypt)
	}
	for _, t := range doc.Root().Child {
		if cd, ok := t.(*etree.CharData); ok && !cd.IsWhitespace() {
			return nil, fmt.Errorf("%w: text beside the decrypted Assertion", ErrDecrypt)
		}
	}
	// Detach, keeping the namespaces of the wrapper, so the decrypted
	// assertion stands alone like a document root.
	return readDetach(children[0]), nil
}

// decryptScope returns the namespace declarations in scope at el.
func decryptScope(el *etree.Element) map[string]string {
	scope := map[string]string{}
	for e := el; e != nil; e = e.Parent() {
		for _, a := range e.Attr {
			prefix := ""
			switch {
			case a.Space == "xmlns":
				prefix = a.Key
			case a.Space == "" && a.Key == "xmlns":
			default:
				continue
			}
			if _, ok := scope[prefix]; !ok {
				scope[prefix] = a.Value
			}
		}
	}
	return scope
}
