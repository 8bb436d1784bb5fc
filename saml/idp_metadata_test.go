package saml

import (
	"encoding/base64"
	"encoding/xml"
	"testing"

	crewsaml "github.com/crewjam/saml"
)

func TestIdPMetadata(t *testing.T) {
	k := reqTKeyPair(t, "rsa")
	b, err := IdPMetadata(IdPMetadataConfig{
		EntityID: "https://idp.example.com/metadata", SSOURL: reqTSSO, SLOURL: reqTSLO, Certificate: k.cert,
	})
	if err != nil {
		t.Fatal(err)
	}
	var ed crewsaml.EntityDescriptor
	if err := xml.Unmarshal(b, &ed); err != nil {
		t.Fatalf("%v\n%s", err, b)
	}
	if ed.EntityID != "https://idp.example.com/metadata" || len(ed.IDPSSODescriptors) != 1 {
		t.Fatalf("got %+v", ed)
	}
	d := ed.IDPSSODescriptors[0]
	if d.WantAuthnRequestsSigned != nil && *d.WantAuthnRequestsSigned {
		t.Error("WantAuthnRequestsSigned set")
	}
	type ep struct{ b, l string }
	var sso, slo []ep
	for _, e := range d.SingleSignOnServices {
		sso = append(sso, ep{e.Binding, e.Location})
	}
	for _, e := range d.SingleLogoutServices {
		slo = append(slo, ep{e.Binding, e.Location})
	}
	wantSSO := []ep{{crewsaml.HTTPRedirectBinding, reqTSSO}, {crewsaml.HTTPPostBinding, reqTSSO}}
	wantSLO := []ep{{crewsaml.HTTPRedirectBinding, reqTSLO}, {crewsaml.HTTPPostBinding, reqTSLO}}
	if len(sso) != 2 || sso[0] != wantSSO[0] || sso[1] != wantSSO[1] {
		t.Errorf("SSO = %v, want %v", sso, wantSSO)
	}
	if len(slo) != 2 || slo[0] != wantSLO[0] || slo[1] != wantSLO[1] {
		t.Errorf("SLO = %v, want %v", slo, wantSLO)
	}
	if len(d.KeyDescriptors) != 1 || d.KeyDescriptors[0].Use != "signing" ||
		d.KeyDescriptors[0].KeyInfo.X509Data.X509Certificates[0].Data != base64.StdEncoding.EncodeToString(k.cert.Raw) {
		t.Errorf("KeyDescriptors = %+v", d.KeyDescriptors)
	}
	if len(d.NameIDFormats) != len(SupportedNameIDFormats) {
		t.Errorf("NameIDFormats = %v", d.NameIDFormats)
	}

	b, err = IdPMetadata(IdPMetadataConfig{EntityID: "e", SSOURL: reqTSSO, Certificate: k.cert, WantAuthnRequestsSigned: true})
	if err != nil {
		t.Fatal(err)
	}
	ed = crewsaml.EntityDescriptor{}
	if err := xml.Unmarshal(b, &ed); err != nil {
		t.Fatal(err)
	}
	if w := ed.IDPSSODescriptors[0].WantAuthnRequestsSigned; w == nil || !*w {
		t.Error("WantAuthnRequestsSigned not set")
	}
	if n := len(ed.IDPSSODescriptors[0].SingleLogoutServices); n != 0 {
		t.Errorf("%d SLO endpoints without an SLO URL", n)
	}
	if _, err := IdPMetadata(IdPMetadataConfig{}); err == nil {
		t.Error("empty config accepted")
	}
}
