package saml

import (
	"crypto/x509"
	"encoding/pem"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/beevik/etree"
	crewsaml "github.com/crewjam/saml"
	dsig "github.com/russellhaering/goxmldsig"
)

func sloTRequest(nameID, extraAttrs string) string {
	x := `<samlp:LogoutRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_lo1" Version="2.0" IssueInstant="` +
		reqTNow.Add(-5*time.Second).Format(time.RFC3339) + `" Destination="` + reqTSLO + `"` + extraAttrs + `><saml:Issuer>` + reqTSP + `</saml:Issuer>`
	if nameID != "" {
		x += `<saml:NameID Format="urn:oasis:names:tc:SAML:2.0:nameid-format:persistent">` + nameID + `</saml:NameID>`
	}
	return x + `<samlp:SessionIndex>_s1</samlp:SessionIndex><samlp:SessionIndex>_s2</samlp:SessionIndex></samlp:LogoutRequest>`
}

func TestParseLogoutRequest(t *testing.T) {
	k := reqTKeyPair(t, "rsa")
	sp := &RequestSP{EntityID: reqTSP, ACSURLs: []string{reqTACS}, Certificates: []*x509.Certificate{k.cert}}
	p := reqTPolicy(t, sp)
	got, err := p.ParseLogoutRequestRedirect(reqTRedirectQuery(t, sloTRequest("alice@contoso.com", ""), "back", SigAlgRSASHA256, k))
	if err != nil {
		t.Fatal(err)
	}
	if got.NameID != "alice@contoso.com" || got.ID != "_lo1" || !got.Signed || got.RelayState != "back" ||
		strings.Join(got.SessionIndexes, ",") != "_s1,_s2" {
		t.Errorf("got %+v", *got)
	}
	p = reqTPolicy(t, sp) // a fresh replay cache: same ID as above
	got, err = p.ParseLogoutRequestPost(reqTPostForm(reqTSignPost(t, sloTRequest("bob", ""), k), ""))
	if err != nil || got.NameID != "bob" || !got.Signed {
		t.Fatalf("post: got %+v, %v", got, err)
	}
}

func TestParseLogoutRequestRejects(t *testing.T) {
	tests := []struct {
		name string
		xml  string
		want error
	}{
		{"no NameID", sloTRequest("", ""), ErrRequestMalformed},
		{"expired NotOnOrAfter", sloTRequest("alice", ` NotOnOrAfter="`+reqTNow.Add(-time.Second).Format(time.RFC3339)+`"`), ErrRequestExpired},
		{"AuthnRequest at SLO", reqTAuthn(reqTFields{}), ErrRequestMalformed},
		{"SSO Destination", strings.Replace(sloTRequest("alice", ""), reqTSLO, reqTSSO, 1), ErrRequestDestination},
	}
	for _, tt := range tests {
		p := reqTPolicy(t, nil)
		if _, err := p.ParseLogoutRequestPost(reqTPostForm(tt.xml, "")); !errors.Is(err, tt.want) {
			t.Errorf("%s: err = %v, want %v", tt.name, err, tt.want)
		}
	}
}

func TestBuildLogoutResponseSigned(t *testing.T) {
	for _, name := range []string{"rsa", "ecdsa"} {
		k := reqTKeyPair(t, name)
		b, err := BuildLogoutResponse(StatusMessage{
			ID: "_resp1", IssueInstant: reqTNow, Issuer: "https://idp.example.com/metadata",
			Destination: "https://sp.example.com/slo", InResponseTo: "_lo1", Key: k.key, Certificate: k.cert,
		})
		if err != nil {
			t.Fatal(err)
		}
		doc := etree.NewDocument()
		if err := doc.ReadFromBytes(b); err != nil {
			t.Fatal(err)
		}
		vc := dsig.NewDefaultValidationContext(&dsig.MemoryX509CertificateStore{Roots: []*x509.Certificate{k.cert}})
		vc.Clock = dsig.NewFakeClockAt(reqTNow)
		if _, err := vc.Validate(doc.Root()); err != nil {
			t.Fatalf("%s: signature does not verify: %v\n%s", name, err, b)
		}
		var resp crewsaml.LogoutResponse
		if err := unmarshalElement(doc.Root(), &resp); err != nil {
			t.Fatal(err)
		}
		if resp.InResponseTo != "_lo1" || resp.Status.StatusCode.Value != crewsaml.StatusSuccess || resp.Destination != "https://sp.example.com/slo" {
			t.Errorf("%s: got %+v", name, resp)
		}
		// Schema order: Issuer, Signature, Status.
		var order []string
		for _, c := range doc.Root().ChildElements() {
			order = append(order, c.Tag)
		}
		if got := strings.Join(order, ","); got != "Issuer,Signature,Status" {
			t.Errorf("%s: children = %s, want Issuer,Signature,Status", name, got)
		}
	}
}

func TestBuildErrorResponse(t *testing.T) {
	b, err := BuildErrorResponse(StatusMessage{
		ID: "_e1", IssueInstant: reqTNow, Issuer: "idp", Destination: reqTACS, InResponseTo: "_req1",
		Status: crewsaml.StatusResponder, SubStatus: crewsaml.StatusNoPassive, Message: "no session <yet>",
	})
	if err != nil {
		t.Fatal(err)
	}
	want := `<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_e1" Version="2.0" IssueInstant="2026-11-26T12:00:00.000Z" Destination="https://sp.example.com/acs" InResponseTo="_req1"><saml:Issuer>idp</saml:Issuer><samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Responder"><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:NoPassive"/></samlp:StatusCode><samlp:StatusMessage>no session &lt;yet&gt;</samlp:StatusMessage></samlp:Status></samlp:Response>`
	if string(b) != want {
		t.Errorf("got\n%s\nwant\n%s", b, want)
	}
	if _, err := BuildErrorResponse(StatusMessage{Issuer: "idp"}); err == nil {
		t.Error("error response without status accepted")
	}
	if _, err := BuildLogoutResponse(StatusMessage{Issuer: "idp\r"}); !errors.Is(err, ErrInvalidText) {
		t.Errorf("CR in Issuer: err = %v, want %v", err, ErrInvalidText)
	}
}

// TestStatusMessagesVerifyWithXmlsec1 checks the signatures of
// LogoutResponse and error Response with an independent verifier.
func TestStatusMessagesVerifyWithXmlsec1(t *testing.T) {
	bin, err := exec.LookPath("xmlsec1")
	if err != nil {
		if os.Getenv("SAMLAB_REQUIRE_TOOLS") == "1" {
			t.Fatal("xmlsec1 not found and SAMLAB_REQUIRE_TOOLS=1")
		}
		t.Skip("xmlsec1 not found")
	}
	k := reqTKeyPair(t, "rsa")
	dir := t.TempDir()
	certFile := filepath.Join(dir, "idp.crt")
	os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: k.cert.Raw}), 0o644)
	base := StatusMessage{IssueInstant: time.Now(), Issuer: "https://idp.example.com/metadata", Destination: reqTACS,
		InResponseTo: "_r1", Key: k.key, Certificate: k.cert}
	failed := base
	failed.Status, failed.SubStatus = crewsaml.StatusResponder, crewsaml.StatusNoPassive
	tests := []struct {
		tag   string
		build func(StatusMessage) ([]byte, error)
		msg   StatusMessage
	}{
		{"LogoutResponse", BuildLogoutResponse, base},
		{"Response", BuildErrorResponse, failed},
	}
	for _, tt := range tests {
		tag := tt.tag
		b, err := tt.build(tt.msg)
		if err != nil {
			t.Fatal(err)
		}
		f := filepath.Join(dir, tag+".xml")
		os.WriteFile(f, b, 0o644)
		out, err := exec.Command(bin, "--verify", "--id-attr:ID", "urn:oasis:names:tc:SAML:2.0:protocol:"+tag,
			"--pubkey-cert-pem", certFile, f).CombinedOutput()
		if err != nil {
			t.Errorf("%s: xmlsec1 refuses the signature: %v\n%s", tag, err, out)
		}
	}
}
