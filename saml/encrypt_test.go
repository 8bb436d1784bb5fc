package saml

import (
	"crypto/rsa"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func TestEncryptDecryptedByCrewjam(t *testing.T) {
	spKey := buildLoadKey(t, "sp-rsa2048-test-fixture.key").(*rsa.PrivateKey)
	spCert := buildLoadCert(t, "sp-rsa2048-test-fixture.crt")
	for _, method := range []string{"", EncryptAES256GCM, EncryptAES128CBC, "oaep-sha256"} {
		for _, signing := range []string{SigningAssertion, SigningResponse, SigningBoth} {
			for _, azure := range []bool{false, true} {
				name := buildOr(method, "default") + "_" + signing
				transport := ""
				if method == "oaep-sha256" {
					method, transport = EncryptAES256GCM, KeyTransportOAEPSHA256
				}
				if azure {
					name += "_azure"
				}
				t.Run(name, func(t *testing.T) {
					iss := buildTestIssuer(t)
					req := buildTestRequest()
					req.Attributes[0].Values[0] = `</saml:AttributeValue><saml:Attribute Name="role">&"]]>`
					resp, err := iss.Build(req, ResponseOptions{
						Signing:    signing,
						AzureShape: azure,
						Encrypt:    &EncryptOptions{Certificate: spCert, Method: method, KeyTransport: transport},
					})
					if err != nil {
						t.Fatal(err)
					}
					root := buildParse(t, resp.XML)
					if root.FindElement("./Assertion") != nil || root.FindElement("./EncryptedAssertion/EncryptedData") == nil {
						t.Fatalf("want one EncryptedAssertion and no plain Assertion:\n%s", resp.XML)
					}
					wantAlg := "http://www.w3.org/2009/xmlenc11#aes256-gcm"
					if method == EncryptAES128CBC {
						wantAlg = "http://www.w3.org/2001/04/xmlenc#aes128-cbc"
					}
					if got := root.FindElement("./EncryptedAssertion/EncryptedData/EncryptionMethod").SelectAttrValue("Algorithm", ""); got != wantAlg {
						t.Errorf("EncryptionMethod = %s, want %s", got, wantAlg)
					}
					if strings.Contains(string(resp.XML), "alice@contoso.com") {
						t.Error("plain text of the assertion is visible")
					}
					sp := buildCrewjamSP(t, iss.Certificate, iss.EntityID)
					sp.Key = spKey
					sp.Certificate = spCert
					a, err := sp.ParseXMLResponse(resp.XML, nil, sp.AcsURL)
					if err != nil {
						t.Fatalf("crewjam rejects the response: %v", buildCrewjamCause(err))
					}
					buildCheckCrewjamAssertion(t, a, req)
					if signing != SigningAssertion {
						cert, _ := filepath.Abs("testdata/keys-for-tests/rsa2048-test-fixture.crt")
						buildXmlsecVerify(t, resp.XML, cert, SigningResponse)
					}
				})
			}
		}
	}
}

// TestEncryptDecryptedByXmlsec1 decrypts with an independent
// implementation and checks the signed assertion inside still verifies.
func TestEncryptDecryptedByXmlsec1(t *testing.T) {
	tool := buildNeedTool(t, "xmlsec1")
	spCert := buildLoadCert(t, "sp-rsa2048-test-fixture.crt")
	for _, c := range []EncryptOptions{
		{Method: EncryptAES256GCM},
		{Method: EncryptAES128CBC},
		// xmlenc11#rsa-oaep (KeyTransportOAEPSHA256) needs xmlsec1 1.3;
		// crewjam checks it in TestEncryptDecryptedByCrewjam.
	} {
		c.Certificate = spCert
		t.Run(c.Method+"_"+buildOr(c.KeyTransport, "default"), func(t *testing.T) {
			resp, err := buildTestIssuer(t).Build(buildTestRequest(), ResponseOptions{Encrypt: &c})
			if err != nil {
				t.Fatal(err)
			}
			dir := t.TempDir()
			in := filepath.Join(dir, "enc.xml")
			if err := os.WriteFile(in, resp.XML, 0o600); err != nil {
				t.Fatal(err)
			}
			key, _ := filepath.Abs("testdata/keys-for-tests/sp-rsa2048-test-fixture.key")
			var stderr strings.Builder
			cmd := exec.Command(tool, "--decrypt", "--privkey-pem", key, in)
			cmd.Stderr = &stderr
			out, err := cmd.Output()
			if err != nil {
				t.Fatalf("xmlsec1 cannot decrypt: %v\n%s", err, stderr.String())
			}
			if !strings.Contains(string(out), "<saml:Attribute Name=\"https://aws.amazon.com/SAML/Attributes/RoleSessionName\"><saml:AttributeValue>alice</saml:AttributeValue>") {
				t.Fatalf("decrypted document lacks the attributes:\n%s", out)
			}
			cert, _ := filepath.Abs("testdata/keys-for-tests/rsa2048-test-fixture.crt")
			if vout, ok := buildXmlsec(t, out, cert, "//*[local-name()='Assertion']/*[local-name()='Signature']"); !ok {
				t.Errorf("decrypted assertion's signature does not verify:\n%s", vout)
			}
		})
	}
}
