package main

import (
	"encoding/base64"
	"encoding/json"
	"os"
	"strings"
	"testing"
)

// inspect --xml prints the message indented with the signed lines marked,
// from the same report the /inspect page shows.
func TestInspectXMLMarksSignedLines(t *testing.T) {
	data, err := os.ReadFile("../../saml/testdata/entra/entra-response.b64")
	if err != nil {
		t.Fatal(err)
	}
	r := samlab(t, string(data), "inspect", "--xml", "--now", "2024-03-21T13:00:00Z", "--cert", "../../saml/testdata/reader/entra-signing.pem")
	if r.code != exitOK {
		t.Fatalf("exit %d %s", r.code, r.stderr)
	}
	_, xml, ok := strings.Cut(r.stdout, "\nXML (")
	if !ok {
		t.Fatalf("no XML section:\n%s", r.stdout)
	}
	for _, want := range []string{
		"\n  <samlp:Response ",                      // outside every signature
		"\n|   <Assertion ID=\"_c2756b4a-25ce-45f4", // inside the verified one
		"\n|       <NameID Format=",
	} {
		if !strings.Contains(xml, want) {
			t.Errorf("XML lacks %q:\n%s", want, xml)
		}
	}
	if !strings.Contains(r.stdout, "Assertion (_c2756b4a-25ce-45f4-bd28-9c6b46a82000), rsa-sha256, digest sha256: VALID") {
		t.Errorf("signature line:\n%s", r.stdout)
	}
	// Without a certificate the same lines are marked "not checked".
	r = samlab(t, string(data), "inspect", "--xml")
	if !strings.Contains(r.stdout, "\n?   <Assertion ID=") {
		t.Errorf("unchecked margin:\n%s", r.stdout)
	}
}

// A request in JSON: kind and request view.
func TestInspectRequestJSON(t *testing.T) {
	req := `<samlp:LogoutRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_l1" Version="2.0" IssueInstant="2026-01-01T00:00:00Z"><saml:Issuer>https://sp.example</saml:Issuer><saml:NameID>alice</saml:NameID></samlp:LogoutRequest>`
	r := samlab(t, "SAMLRequest="+base64.StdEncoding.EncodeToString([]byte(req)), "inspect", "--format", "json")
	if r.code != exitOK {
		t.Fatalf("exit %d %s", r.code, r.stderr)
	}
	var out struct {
		Kind    string `json:"kind"`
		Request struct{ ID, Issuer, NameID string }
	}
	if err := json.Unmarshal([]byte(r.stdout), &out); err != nil || out.Kind != "LogoutRequest" || out.Request.ID != "_l1" || out.Request.NameID != "alice" {
		t.Errorf("%v %+v\n%s", err, out, r.stdout)
	}
	// verify and lint name what it is.
	for _, cmd := range [][]string{{"lint"}, {"verify", "--cert", "../../saml/testdata/reader/entra-signing.pem"}} {
		r := samlab(t, req, cmd...)
		if r.code != exitUsage || !strings.Contains(r.stderr, "this is a LogoutRequest") {
			t.Errorf("%s: exit %d %s", cmd[0], r.code, r.stderr)
		}
	}
}
