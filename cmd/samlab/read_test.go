package main

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/pem"
	"math/big"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/samlab/samlab/certs"
	"github.com/samlab/samlab/claims"
	"github.com/samlab/samlab/saml"
)

// cliIssued is when the responses of these tests are issued; commands run
// a minute later.
var cliIssued = time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)

func cliAt() string { return cliIssued.Add(time.Minute).Format(time.RFC3339) }

// stsRequest is a valid AWS STS response's content.
func stsRequest() saml.ResponseRequest {
	return saml.ResponseRequest{
		Audience:  "urn:amazon:webservices",
		Recipient: "https://signin.aws.amazon.com/saml",
		NameID:    claims.NameID{Format: "urn:oasis:names:tc:SAML:2.0:nameid-format:persistent", Value: "6f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f"},
		Attributes: []claims.Attribute{
			{Name: "https://aws.amazon.com/SAML/Attributes/Role", Values: []string{"arn:aws:iam::111122223333:role/Dev,arn:aws:iam::111122223333:saml-provider/samlab"}},
			{Name: "https://aws.amazon.com/SAML/Attributes/RoleSessionName", Values: []string{"alice"}},
		},
	}
}

// issueWith signs a response with the committed test fixture key (issuer
// https://idp.example/) and returns it in base64.
func issueWith(t *testing.T, req saml.ResponseRequest, opts saml.ResponseOptions) string {
	t.Helper()
	if err := os.Chmod(entraFixtureKey, 0o600); err != nil {
		t.Fatal(err)
	}
	kp, err := certs.Load(entraFixtureKey, entraFixtureCert)
	if err != nil {
		t.Fatal(err)
	}
	iss := &saml.Issuer{EntityID: "https://idp.example/", Key: kp.Signer, Certificate: kp.Certificate, Clock: saml.FixedClock(cliIssued)}
	resp, err := iss.Build(req, opts)
	if err != nil {
		t.Fatal(err)
	}
	return resp.Base64()
}

// spKeyPair writes an RSA key (PEM, mode 0600) and returns its path and
// certificate.
func spKeyPair(t *testing.T, name string) (string, *x509.Certificate) {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(7), Subject: pkix.Name{CommonName: name},
		NotBefore: cliIssued.Add(-time.Hour), NotAfter: cliIssued.Add(24 * time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, key.Public(), key)
	if err != nil {
		t.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(der)
	p8, _ := x509.MarshalPKCS8PrivateKey(key)
	path := writeFile(t, name+".key", string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: p8})))
	return path, cert
}

// inspect and verify with a --key that cannot decrypt the assertion exit
// 1 and name the decryption failure; they never say "give --key" when a
// key was given (issue 13 item 11).
func TestReadKeyCannotDecrypt(t *testing.T) {
	rightKey, cert := spKeyPair(t, "sp")
	wrongKey, _ := spKeyPair(t, "other")
	req := stsRequest()
	req.Recipient = "https://us-east-1.signin.aws.amazon.com/saml/acs/SAMLSP4SHN3UIS2D558H46"
	b64 := issueWith(t, req, saml.ResponseOptions{Signing: saml.SigningBoth, Encrypt: &saml.EncryptOptions{Certificate: cert}})

	for _, cmd := range [][]string{
		{"inspect", "--key", wrongKey, "--now", cliAt()},
		{"inspect", "--key", wrongKey, "--now", cliAt(), "--format", "json"},
		{"verify", "--cert", entraFixtureCert, "--key", wrongKey, "--now", cliAt()},
	} {
		r := samlab(t, b64, cmd...)
		if r.code != exitFindings {
			t.Errorf("%s: exit %d, want %d\n%s%s", strings.Join(cmd, " "), r.code, exitFindings, r.stdout, r.stderr)
		}
		if !strings.Contains(r.stdout, "cannot decrypt") || !strings.Contains(r.stdout, "wrong key") {
			t.Errorf("%s: output does not name the decryption failure:\n%s", strings.Join(cmd, " "), r.stdout)
		}
		if strings.Contains(r.stdout, "give --key") {
			t.Errorf("%s: says \"give --key\" although a key was given:\n%s", strings.Join(cmd, " "), r.stdout)
		}
	}
	// Controls: the right key decrypts; no key says to give one, exit 0.
	if r := samlab(t, b64, "inspect", "--key", rightKey, "--now", cliAt()); r.code != exitOK || !strings.Contains(r.stdout, "yes (decrypted)") || !strings.Contains(r.stdout, "RoleSessionName") {
		t.Errorf("inspect --key right: exit %d\n%s", r.code, r.stdout)
	}
	if r := samlab(t, b64, "verify", "--cert", entraFixtureCert, "--key", rightKey, "--now", cliAt()); r.code != exitOK {
		t.Errorf("verify --key right: exit %d\n%s", r.code, r.stdout)
	}
	if r := samlab(t, b64, "inspect", "--now", cliAt()); r.code != exitOK || !strings.Contains(r.stdout, "give --key") {
		t.Errorf("inspect without key: exit %d\n%s", r.code, r.stdout)
	}
}

// lint of a foreign response warns when only the assertion is signed (the
// Response's Destination, InResponseTo and Status are then outside every
// signature) and when the NameID or an attribute value carries an XML
// comment (issue 13 item 6).
func TestLintForeignResponseWarnings(t *testing.T) {
	assertionOnly := issueWith(t, stsRequest(), saml.ResponseOptions{Signing: saml.SigningAssertion})
	r := samlab(t, assertionOnly, "lint", "--now", cliAt())
	if !strings.Contains(r.stdout, "warning AWS-STS-017 [Signature]") || !strings.Contains(r.stdout, "InResponseTo") {
		t.Errorf("assertion-only signature: no warning about the unsigned Response fields:\n%s", r.stdout)
	}
	both := issueWith(t, stsRequest(), saml.ResponseOptions{Signing: saml.SigningBoth})
	if r := samlab(t, both, "lint", "--now", cliAt()); r.code != exitOK || !strings.Contains(r.stdout, "0 errors, 0 warnings") {
		t.Errorf("both signed: exit %d\n%s", r.code, r.stdout)
	}

	xml, err := base64.StdEncoding.DecodeString(both)
	if err != nil {
		t.Fatal(err)
	}
	commented := strings.Replace(string(xml), "6f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f<", "6f1c2d3e<!---->-4a5b-4c6d-8e7f-9a0b1c2d3e4f<", 1)
	commented = strings.Replace(commented, ">alice<", ">ali<!-- x -->ce<", 1)
	if commented == string(xml) {
		t.Fatal("no NameID to put a comment in")
	}
	r = samlab(t, commented, "lint", "--now", cliAt())
	for _, want := range []string{"warning AWS-STS-007 [Subject/NameID]", "warning AWS-STS-008 [https://aws.amazon.com/SAML/Attributes/RoleSessionName]", "comment"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("commented NameID and value: lint lacks %q:\n%s", want, r.stdout)
		}
	}
}

// lint takes the SP's context as flags; each flag makes its check run
// (issue 13 item 4).
func TestLintContextFlags(t *testing.T) {
	req := stsRequest()
	req.InResponseTo = "_req1"
	plain := issueWith(t, req, saml.ResponseOptions{Signing: saml.SigningBoth})
	tests := []struct {
		name  string
		flags []string
		want  string // "" = no error finding
	}{
		{"issuer", []string{"--issuer", "https://other-idp.example/"}, "AWS-STS-006"},
		{"issuer ok", []string{"--issuer", "https://idp.example/"}, ""},
		{"audience", []string{"--audience", "urn:amazon:webservices:cn-north-1"}, "AWS-STS-005"},
		{"audience ok", []string{"--audience", "urn:amazon:webservices"}, ""},
		{"recipient", []string{"--recipient", "https://eu-west-1.signin.aws.amazon.com/saml"}, "AWS-STS-003"},
		{"recipient ok", []string{"--recipient", "https://signin.aws.amazon.com/saml"}, ""},
		{"in-response-to", []string{"--in-response-to", "_req2"}, "AWS-IDC-009"},
		{"in-response-to ok", []string{"--in-response-to", "_req1"}, ""},
		{"require-encryption", []string{"--require-encryption"}, "AWS-STS-019"},
		{"role", []string{"--role", "arn:aws:iam::111122223333:role/Admin"}, "AWS-STS-011"},
		{"role ok", []string{"--role", "arn:aws:iam::111122223333:role/Dev"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := append([]string{"lint", "--now", cliAt(), "--format", "json"}, tt.flags...)
			r := samlab(t, plain, args...)
			if tt.want == "" {
				if r.code != exitOK {
					t.Errorf("exit %d, want 0\n%s%s", r.code, r.stdout, r.stderr)
				}
				return
			}
			if r.code != exitFindings || !strings.Contains(r.stdout, `"rule": "`+tt.want+`"`) {
				t.Errorf("exit %d, want 1 with %s\n%s%s", r.code, tt.want, r.stdout, r.stderr)
			}
		})
	}

	t.Run("idc-attribute-keys", func(t *testing.T) {
		idc := saml.ResponseRequest{
			Audience:  "https://us-east-1.signin.aws.amazon.com/platform/saml/d-1234567890",
			Recipient: "https://us-east-1.signin.aws.amazon.com/platform/saml/acs/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b",
			NameID:    claims.NameID{Format: "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress", Value: "alice@contoso.com"},
			Attributes: []claims.Attribute{
				{Name: "https://aws.amazon.com/SAML/Attributes/AccessControl:CostCenter", Values: []string{"CC-1"}},
			},
		}
		b64 := issueWith(t, idc, saml.ResponseOptions{Signing: saml.SigningBoth})
		r := samlab(t, b64, "lint", "--now", cliAt(), "--idc-attribute-keys", "Department, costcenter")
		if !strings.Contains(r.stdout, "warning AWS-ABAC-007 [https://aws.amazon.com/SAML/Attributes/AccessControl:CostCenter]") {
			t.Errorf("no AWS-ABAC-007 warning:\n%s", r.stdout)
		}
		if r := samlab(t, b64, "lint", "--now", cliAt(), "--idc-attribute-keys", "Department"); strings.Contains(r.stdout, "AWS-ABAC-007") {
			t.Errorf("AWS-ABAC-007 for a key not configured:\n%s", r.stdout)
		}
	})

	t.Run("key", func(t *testing.T) {
		rightKey, cert := spKeyPair(t, "sp")
		wrongKey, _ := spKeyPair(t, "other")
		enc := stsRequest()
		enc.Recipient = "https://us-east-1.signin.aws.amazon.com/saml/acs/SAMLSP4SHN3UIS2D558H46"
		// A bad RoleSessionName inside the ciphertext: only a decrypting
		// lint can see it.
		enc.Attributes[1].Values = []string{"alice smith"}
		b64 := issueWith(t, enc, saml.ResponseOptions{Signing: saml.SigningBoth, Encrypt: &saml.EncryptOptions{Certificate: cert}})
		r := samlab(t, b64, "lint", "--now", cliAt(), "--key", rightKey, "--require-encryption")
		if r.code != exitFindings || !strings.Contains(r.stdout, "AWS-STS-012") || strings.Contains(r.stdout, "AWS-STS-019") {
			t.Errorf("--key right: exit %d, want the RoleSessionName error from inside the ciphertext and nothing about encryption\n%s", r.code, r.stdout)
		}
		r = samlab(t, b64, "lint", "--now", cliAt(), "--key", wrongKey)
		if r.code != exitFindings || !strings.Contains(r.stdout, "error   AWS-STS-019 [EncryptedAssertion] the assertion could not be decrypted") {
			t.Errorf("--key wrong: exit %d\n%s", r.code, r.stdout)
		}
		if r := samlab(t, b64, "lint", "--now", cliAt()); r.code != exitOK || !strings.Contains(r.stdout, "info    AWS-STS-019") {
			t.Errorf("no key: exit %d, want the info note\n%s", r.code, r.stdout)
		}
	})
}
