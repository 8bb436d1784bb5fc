package saml

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/base64"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/beevik/etree"
	"github.com/crewjam/saml/xmlenc"
)

// rtEncrypt encrypts assertion for k's certificate and returns the
// EncryptedAssertion element as XML.
func rtEncrypt(t testing.TB, k rtKey, assertion string, block xmlenc.BlockCipher, keyBeside bool) string {
	t.Helper()
	enc := xmlenc.OAEP()
	enc.BlockCipher = block
	data, err := enc.Encrypt(k.cert, []byte(assertion), nil)
	if err != nil {
		t.Fatalf("encrypt: %v", err)
	}
	ea := etree.NewElement("saml:EncryptedAssertion")
	ea.CreateAttr("xmlns:saml", "urn:oasis:names:tc:SAML:2.0:assertion")
	ea.AddChild(data)
	if keyBeside {
		ki := data.FindElement("./KeyInfo")
		ek := ki.FindElement("./EncryptedKey")
		ki.RemoveChild(ek)
		// The moved EncryptedKey uses the ds prefix declared on KeyInfo.
		ek.CreateAttr("xmlns:ds", "http://www.w3.org/2000/09/xmldsig#")
		data.RemoveChild(ki)
		ea.AddChild(ek)
	}
	return rtString(t, ea)
}

func TestReadEncrypted(t *testing.T) {
	trusted := rtKeyPair(t, 0)
	other := rtKeyPair(t, 1)
	signedAssertion := rtString(t, rtSignedAssertion(t, trusted, "_a1", "alice@example.com"))
	encrypted := rtEncrypt(t, trusted, signedAssertion, xmlenc.AES256CBC, false)
	ecKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	corrupt := func(s string, last bool) string {
		el := rtElement(t, s)
		cv := el.FindElement("./EncryptedData/CipherData/CipherValue")
		raw, err := base64.StdEncoding.DecodeString(cv.Text())
		if err != nil {
			t.Fatal(err)
		}
		if last {
			raw[len(raw)-1] ^= 0x5a // the padding byte of CBC
		} else {
			raw[20] ^= 0xff
		}
		cv.SetText(base64.StdEncoding.EncodeToString(raw))
		return rtString(t, el)
	}
	// Another recipient's EncryptedKey first, then ours.
	twoRecipients := func() string {
		el := rtElement(t, encrypted)
		ki := el.FindElement("./EncryptedData/KeyInfo")
		ours := ki.FindElement("./EncryptedKey")
		theirs := ours.Copy()
		theirs.FindElement("./KeyInfo/X509Data/X509Certificate").SetText(base64.StdEncoding.EncodeToString(other.cert.Raw))
		ki.InsertChildAt(ours.Index(), theirs)
		return rtString(t, el)
	}()
	signedResponse := rtString(t, rtSign(t, trusted, rtElement(t, rtResponseXML("_r1",
		rtEncrypt(t, trusted, rtAssertionXML("_a1", "bob@example.com"), xmlenc.AES128GCM, false)))))

	tests := []struct {
		name         string
		xml          string
		key          crypto.PrivateKey
		certs        bool
		want         []error
		wantDecrypt  bool
		wantNameID   string
		wantVerified string
	}{
		{"signed assertion, RSA-OAEP + AES-256-CBC", rtResponseXML("_r1", encrypted), trusted.key, true, nil, true, "alice@example.com", "Assertion"},
		{"AES-128-GCM", rtResponseXML("_r1", rtEncrypt(t, trusted, signedAssertion, xmlenc.AES128GCM, false)), trusted.key, true, nil, true, "alice@example.com", "Assertion"},
		{"EncryptedKey beside EncryptedData", rtResponseXML("_r1", rtEncrypt(t, trusted, signedAssertion, xmlenc.AES256CBC, true)), trusted.key, true, nil, true, "alice@example.com", "Assertion"},
		{"two recipients, ours second", rtResponseXML("_r1", twoRecipients), trusted.key, true, nil, true, "alice@example.com", "Assertion"},
		{"response signed over the encrypted assertion", signedResponse, trusted.key, true, nil, true, "bob@example.com", "Response"},
		{"no key: reported, not read", rtResponseXML("_r1", encrypted), nil, false, nil, false, "", ""},
		{"no key, certificates given", rtResponseXML("_r1", encrypted), nil, true, []error{ErrNotVerified}, false, "", ""},
		{"wrong key", rtResponseXML("_r1", encrypted), other.key, true, []error{ErrDecrypt, ErrNotVerified}, false, "", ""},
		{"not an RSA key", rtResponseXML("_r1", encrypted), ecKey, false, []error{ErrDecrypt}, false, "", ""},
		{"corrupt ciphertext", rtResponseXML("_r1", corrupt(encrypted, false)), trusted.key, false, []error{ErrDecrypt}, false, "", ""},
		{"bad CBC padding", rtResponseXML("_r1", corrupt(encrypted, true)), trusted.key, false, []error{ErrDecrypt}, false, "", ""},
		{"plaintext is not an assertion", rtResponseXML("_r1", rtEncrypt(t, trusted, `<x/>`, xmlenc.AES256CBC, false)), trusted.key, false, []error{ErrDecrypt}, false, "", ""},
		{"plaintext with a DOCTYPE", rtResponseXML("_r1", rtEncrypt(t, trusted, `<!DOCTYPE x>`+signedAssertion, xmlenc.AES256CBC, false)), trusted.key, false, []error{ErrDecrypt}, false, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts := ReadOptions{DecryptionKey: tt.key, Now: func() time.Time { return rtTestTime }}
			if tt.certs {
				opts.Certificates = []*x509.Certificate{trusted.cert}
			}
			v, err := Read(&Message{XML: []byte(tt.xml)}, opts)
			if v == nil {
				t.Fatalf("no view: %v", err)
			}
			for _, want := range tt.want {
				if !errors.Is(err, want) {
					t.Errorf("err = %v; want it to wrap %v", err, want)
				}
			}
			if len(tt.want) == 0 && err != nil {
				t.Errorf("err = %v", err)
			}
			if !v.Encrypted || v.Decrypted != tt.wantDecrypt {
				t.Errorf("Encrypted=%v Decrypted=%v; want true, %v", v.Encrypted, v.Decrypted, tt.wantDecrypt)
			}
			if tt.wantNameID == "" {
				if v.Assertion != nil {
					t.Errorf("Assertion = %+v, want nil", v.Assertion)
				}
			} else if v.Assertion == nil || v.Assertion.NameID != tt.wantNameID {
				t.Errorf("Assertion = %+v, want NameID %q", v.Assertion, tt.wantNameID)
			}
			if v.VerifiedElement != tt.wantVerified {
				t.Errorf("VerifiedElement = %q, want %q", v.VerifiedElement, tt.wantVerified)
			}
		})
	}
}

// A wrong key and bad padding must not be told apart by the error text of
// the data decryption (a padding oracle); both say the decryption failed.
func TestReadDecryptErrorText(t *testing.T) {
	trusted := rtKeyPair(t, 0)
	encrypted := rtEncrypt(t, trusted, rtAssertionXML("_a1", "x@example.com"), xmlenc.AES256CBC, false)
	_, err := Read(&Message{XML: []byte(rtResponseXML("_r1", encrypted))}, ReadOptions{DecryptionKey: rtKeyPair(t, 1).key})
	if err == nil || !strings.Contains(err.Error(), "cannot decrypt") {
		t.Errorf("err = %v", err)
	}
}
