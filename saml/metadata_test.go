package saml

import (
	"crypto/x509"
	"encoding/base64"
	"errors"
	"strings"
	"testing"
	"time"
)

// rtKeyDescriptor is a KeyDescriptor for c; use may be "".
func rtKeyDescriptor(use string, c *x509.Certificate) string {
	attr := ""
	if use != "" {
		attr = ` use="` + use + `"`
	}
	// Wrapped base64 with white space, as metadata files often have.
	b64 := rtWrap(base64.StdEncoding.EncodeToString(c.Raw), 64)
	return `<md:KeyDescriptor` + attr + `><ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:X509Data><ds:X509Certificate>
` + b64 + `
</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>`
}

func rtIdPEntity(entityID, keys string) string {
	return `<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="` + entityID + `">` +
		`<md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">` + keys +
		`<md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://idp.example.com/sso"/>` +
		`</md:IDPSSODescriptor></md:EntityDescriptor>`
}

func TestCertificatesFromMetadata(t *testing.T) {
	a, b := rtKeyPair(t, 0).cert, rtKeyPair(t, 1).cert
	spEntity := `<md:EntityDescriptor entityID="urn:sp"><md:SPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">` +
		rtKeyDescriptor("signing", b) + `<md:AssertionConsumerService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="https://sp/acs" index="0"/></md:SPSSODescriptor></md:EntityDescriptor>`
	tests := []struct {
		name     string
		xml      string
		entityID string
		certs    []*x509.Certificate
	}{
		{"signing and encryption keys", rtIdPEntity("https://idp.example.com/", rtKeyDescriptor("signing", a)+rtKeyDescriptor("encryption", b)), "https://idp.example.com/", []*x509.Certificate{a}},
		{"unlabelled key, duplicate dropped", rtIdPEntity("urn:idp", rtKeyDescriptor("", a)+rtKeyDescriptor("signing", a)), "urn:idp", []*x509.Certificate{a}},
		{"two signing keys (rollover)", rtIdPEntity("urn:idp", rtKeyDescriptor("signing", a)+rtKeyDescriptor("signing", b)), "urn:idp", []*x509.Certificate{a, b}},
		{"EntitiesDescriptor with an IdP and an SP", `<md:EntitiesDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata">` +
			strings.Replace(rtIdPEntity("urn:idp", rtKeyDescriptor("signing", a)), ` xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata"`, "", 1) + spEntity + `</md:EntitiesDescriptor>`, "urn:idp", []*x509.Certificate{a}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			id, certs, err := CertificatesFromMetadata([]byte(tt.xml))
			if err != nil {
				t.Fatal(err)
			}
			if id != tt.entityID {
				t.Errorf("entityID = %q, want %q", id, tt.entityID)
			}
			if len(certs) != len(tt.certs) {
				t.Fatalf("got %d certificates, want %d", len(certs), len(tt.certs))
			}
			for i := range certs {
				if !certs[i].Equal(tt.certs[i]) {
					t.Errorf("certificate %d differs", i)
				}
			}
		})
	}
}

func TestCertificatesFromMetadataErrors(t *testing.T) {
	a := rtKeyPair(t, 0).cert
	tests := []struct {
		name string
		xml  string
		want error
		text string
	}{
		{"no IdP", `<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="urn:sp"><md:SPSSODescriptor protocolSupportEnumeration="x"/></md:EntityDescriptor>`, ErrMalformed, "no IDPSSODescriptor"},
		{"two IdPs", `<md:EntitiesDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata">` + strings.Repeat(strings.Replace(rtIdPEntity("urn:idp", rtKeyDescriptor("signing", a)), ` xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata"`, "", 1), 2) + `</md:EntitiesDescriptor>`, ErrMalformed, `2 identity providers ("urn:idp", "urn:idp")`},
		{"encryption key only", rtIdPEntity("urn:idp", rtKeyDescriptor("encryption", a)), ErrMalformed, "no signing certificate"},
		{"bad certificate", strings.Replace(rtIdPEntity("urn:idp", rtKeyDescriptor("signing", a)), "MII", "XXX", 1), ErrMalformed, "KeyDescriptor 1 certificate 1"},
		{"DOCTYPE", `<!DOCTYPE x>` + rtIdPEntity("urn:idp", rtKeyDescriptor("signing", a)), ErrUnsafeXML, "DOCTYPE"},
		{"not metadata", rtResp + `</samlp:Response>`, ErrMalformed, "root element is"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := CertificatesFromMetadata([]byte(tt.xml))
			if !errors.Is(err, tt.want) || !strings.Contains(err.Error(), tt.text) {
				t.Errorf("err = %v; want %v containing %q", err, tt.want, tt.text)
			}
		})
	}
}

// Certificates from metadata verify a response signed with the key.
func TestMetadataCertificatesVerify(t *testing.T) {
	k := rtKeyPair(t, 0)
	_, certs, err := CertificatesFromMetadata([]byte(rtIdPEntity("urn:idp", rtKeyDescriptor("signing", k.cert))))
	if err != nil {
		t.Fatal(err)
	}
	xml := rtResponseXML("_r1", rtString(t, rtSignedAssertion(t, k, "_a1", "alice@example.com")))
	v, err := Read(&Message{XML: []byte(xml)}, ReadOptions{Certificates: certs, Now: func() time.Time { return rtTestTime }})
	if err != nil || !v.Verified {
		t.Fatalf("Read: %v (Verified %v)", err, v.Verified)
	}
}
