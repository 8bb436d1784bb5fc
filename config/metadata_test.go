package config

import (
	"crypto/x509"
	"encoding/base64"
	"reflect"
	"strings"
	"testing"
)

func TestMetadataApp(t *testing.T) {
	text := `[[apps]]
name = "sp"
metadata = "sp-metadata.xml"
encrypt = {}
`
	c, err := Parse("testdata/x.toml", []byte(text))
	if err != nil {
		t.Fatal(err)
	}
	a := c.Apps[0]
	if a.EntityID != "https://sp.example.com/saml/metadata" {
		t.Errorf("entity id %q", a.EntityID)
	}
	// The default first, then by index; the artifact binding is skipped.
	want := []string{"https://sp.example.com/saml/acs", "https://sp.example.com/saml/acs-1", "https://sp.example.com/saml/acs-2"}
	if !reflect.DeepEqual(a.ACSURLs, want) {
		t.Errorf("acs %q, want %q", a.ACSURLs, want)
	}
	if !a.RequireSignedRequests {
		t.Error("AuthnRequestsSigned in metadata did not require signed requests")
	}
	// The HTTP-POST SingleLogoutService; samlab answers with that binding.
	if a.SLOURL != "https://sp.example.com/saml/slo" {
		t.Errorf("slo_url %q, want the HTTP-POST SingleLogoutService", a.SLOURL)
	}
	if len(a.SPCerts) != 1 {
		t.Fatalf("%d signing certs, want 1", len(a.SPCerts))
	}
	der, err := base64.StdEncoding.DecodeString(a.SPCerts[0])
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	if cert.Subject.CommonName != "sp.example.com" {
		t.Errorf("cert subject %q", cert.Subject)
	}
	if a.Encrypt.CertData != a.SPCerts[0] {
		t.Error("encryption certificate not taken from metadata")
	}
}

func TestMetadataProblems(t *testing.T) {
	tests := []struct {
		name, text, want string
	}{
		{"javascript ACS", "[[apps]]\nname = \"sp\"\nmetadata = \"sp-metadata-javascript.xml\" #<\n",
			`testdata/x.toml:LINE: apps[sp]: metadata: testdata/sp-metadata-javascript.xml: not SAML metadata (want an md:EntityDescriptor): invalid url scheme "javascript"`},
		{"http ACS", "[[apps]]\nname = \"sp\"\nmetadata = \"sp-metadata-http.xml\" #<\n",
			`testdata/x.toml:LINE: apps[sp]: metadata: testdata/sp-metadata-http.xml: AssertionConsumerService "http://sp.evil.example/acs" uses http; use https`},
		{"DOCTYPE", "[[apps]]\nname = \"sp\"\nmetadata = \"sp-metadata-doctype.xml\" #<\n",
			`testdata/x.toml:LINE: apps[sp]: metadata: testdata/sp-metadata-doctype.xml: metadata contains a DOCTYPE`},
		{"entity id differs", "[[apps]]\nname = \"sp\"\nentity_id = \"https://other\" #<\nmetadata = \"sp-metadata.xml\"\n",
			`testdata/x.toml:LINE: apps[sp]: entity_id: "https://other" differs from the metadata's entityID "https://sp.example.com/saml/metadata"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("testdata/x.toml", []byte(tt.text))
			want := withLine(t, tt.text, tt.want)
			if err == nil || !strings.Contains(err.Error(), want) {
				t.Fatalf("got error:\n%v\nwant it to contain:\n%s", err, want)
			}
		})
	}
}

func TestParseSPMetadataErrors(t *testing.T) {
	tests := []struct{ name, xml, want string }{
		{"not XML", "<md:EntityDescriptor", "not well-formed XML"},
		{"IdP metadata", `<EntityDescriptor xmlns="urn:oasis:names:tc:SAML:2.0:metadata" entityID="x"><IDPSSODescriptor/></EntityDescriptor>`, "no SPSSODescriptor"},
		{"no entity id", `<EntityDescriptor xmlns="urn:oasis:names:tc:SAML:2.0:metadata"><SPSSODescriptor/></EntityDescriptor>`, "no entityID"},
		{"other root", `<foo/>`, "not SAML metadata"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseSPMetadata([]byte(tt.xml))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got %v, want error containing %q", err, tt.want)
			}
		})
	}
}

func TestCheckACSURL(t *testing.T) {
	tests := []struct {
		url     string
		wantErr string // "" = accepted
	}{
		{"https://signin.aws.amazon.com/saml", ""},
		{"https://sp.example.com:8443/acs?x=1", ""},
		{"http://localhost:8080/acs", ""},
		{"http://LOCALHOST/acs", ""},
		{"http://127.0.0.1/acs", ""},
		{"http://127.8.9.10/acs", ""},
		{"http://[::1]:9000/acs", ""},
		{"HTTPS://sp.example.com/acs", ""},
		{"http://sp.example.com/acs", "uses http"},
		{"http://128.0.0.1/acs", "uses http"},
		{"http://localhost.evil.example/acs", "uses http"},
		{"http://[::2]/acs", "uses http"},
		{"javascript:alert(1)", `scheme "javascript" is not allowed`},
		{"JavaScript:alert(1)", `scheme "javascript" is not allowed`},
		{"data:text/html,<script>", `scheme "data" is not allowed`},
		{"ftp://sp.example.com/acs", `scheme "ftp" is not allowed`},
		{"/acs", "is not an absolute URL"},
		{"https:///acs", "has no host"},
		{"https://user@sp.example.com/acs", "has user info"},
		{"https://sp.example.com/acs#x", "has a fragment"},
		{"https://sp.example.com/a cs", "white space"},
		{"https://sp.example.com/\r", "carriage return"},
	}
	for _, tt := range tests {
		t.Run(tt.url, func(t *testing.T) {
			err := CheckACSURL(tt.url)
			switch {
			case tt.wantErr == "" && err != nil:
				t.Fatalf("refused: %v", err)
			case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
				t.Fatalf("got %v, want error containing %q", err, tt.wantErr)
			}
		})
	}
}
