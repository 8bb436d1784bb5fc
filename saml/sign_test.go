package saml

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/asn1"
	"encoding/base64"
	"fmt"
	"math/big"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/beevik/etree"
	crewjam "github.com/crewjam/saml"

	dsig "github.com/russellhaering/goxmldsig"
	"github.com/samlab/samlab/claims"
)

// buildNeedTool skips the test when an external tool is missing, unless
// SAMLAB_REQUIRE_TOOLS=1 makes that a failure.
func buildNeedTool(t *testing.T, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		if os.Getenv("SAMLAB_REQUIRE_TOOLS") == "1" {
			t.Fatalf("%s is required (SAMLAB_REQUIRE_TOOLS=1) but not installed", name)
		}
		t.Skipf("%s not installed", name)
	}
	return p
}

// buildXmlsec runs xmlsec1 --verify on xml, starting at the signature
// found by xpath ("" = the first one), and returns its combined output and
// whether it succeeded.
func buildXmlsec(t *testing.T, xml []byte, certPath, xpath string) (string, bool) {
	t.Helper()
	tool := buildNeedTool(t, "xmlsec1")
	f := filepath.Join(t.TempDir(), "resp.xml")
	if err := os.WriteFile(f, xml, 0o600); err != nil {
		t.Fatal(err)
	}
	args := []string{"--verify", "--pubkey-cert-pem", certPath,
		"--id-attr:ID", "urn:oasis:names:tc:SAML:2.0:assertion:Assertion",
		"--id-attr:ID", "urn:oasis:names:tc:SAML:2.0:protocol:Response"}
	if xpath != "" {
		args = append(args, "--node-xpath", xpath)
	}
	out, err := exec.Command(tool, append(args, f)...).CombinedOutput()
	return string(out), err == nil
}

const (
	buildXPathResponseSig  = "/*[local-name()='Response']/*[local-name()='Signature']"
	buildXPathAssertionSig = "/*[local-name()='Response']/*[local-name()='Assertion']/*[local-name()='Signature']"
)

// buildXmlsecVerify checks with xmlsec1 every signature the signing option
// puts in the response.
func buildXmlsecVerify(t *testing.T, xml []byte, certPath, signing string) {
	t.Helper()
	var paths []string
	switch signing {
	case "", SigningAssertion:
		paths = []string{buildXPathAssertionSig}
	case SigningResponse:
		paths = []string{buildXPathResponseSig}
	case SigningBoth:
		paths = []string{buildXPathResponseSig, buildXPathAssertionSig}
	}
	for _, p := range paths {
		if out, ok := buildXmlsec(t, xml, certPath, p); !ok {
			t.Errorf("xmlsec1 rejects the signature at %s:\n%s", p, out)
		}
	}
}

func TestSignVerifiedByXmlsec1(t *testing.T) {
	rsaCert, _ := filepath.Abs("testdata/keys-for-tests/rsa2048-test-fixture.crt")
	ecCert, _ := filepath.Abs("testdata/keys-for-tests/ecdsa-p256-test-fixture.crt")
	for _, signing := range []string{SigningAssertion, SigningResponse, SigningBoth} {
		for _, alg := range []string{AlgRSASHA256, AlgRSASHA512, AlgRSASHA1, AlgECDSASHA256} {
			for _, azure := range []bool{false, true} {
				name := signing + "_" + alg
				if azure {
					name += "_azure"
				}
				t.Run(name, func(t *testing.T) {
					t.Parallel()
					iss, cert := buildTestIssuer(t), rsaCert
					if alg == AlgECDSASHA256 {
						iss, cert = buildTestECDSAIssuer(t), ecCert
					}
					req := buildTestRequest()
					req.InResponseTo = "_req-42"
					resp, err := iss.Build(req, ResponseOptions{Signing: signing, Algorithm: alg, AzureShape: azure})
					if err != nil {
						t.Fatal(err)
					}
					buildXmlsecVerify(t, resp.XML, cert, signing)
				})
			}
		}
	}
}

// TestSignTamperedFailsXmlsec1 changes one signed byte in each signed
// element and expects xmlsec1 to reject the signature.
func TestSignTamperedFailsXmlsec1(t *testing.T) {
	cert, _ := filepath.Abs("testdata/keys-for-tests/rsa2048-test-fixture.crt")
	tests := []struct {
		signing, xpath, from, to string
	}{
		{SigningAssertion, buildXPathAssertionSig, "PrincipalTag:Department\"><saml:AttributeValue>Engineering", "PrincipalTag:Department\"><saml:AttributeValue>Engineerinh"},
		{SigningAssertion, buildXPathAssertionSig, "role/Dev,", "role/Adm,"},
		{SigningResponse, buildXPathResponseSig, "status:Success", "status:Requester"},
		{SigningResponse, buildXPathResponseSig, "<saml:AttributeValue>alice</saml:AttributeValue>", "<saml:AttributeValue>mallory</saml:AttributeValue>"},
		{SigningBoth, buildXPathAssertionSig, "<saml:NameID Format=\"urn:oasis:names:tc:SAML:2.0:nameid-format:persistent\">alice", "<saml:NameID Format=\"urn:oasis:names:tc:SAML:2.0:nameid-format:persistent\">alicf"},
	}
	for _, tt := range tests {
		t.Run(tt.signing+"_"+tt.to, func(t *testing.T) {
			resp, err := buildTestIssuer(t).Build(buildTestRequest(), ResponseOptions{Signing: tt.signing})
			if err != nil {
				t.Fatal(err)
			}
			if out, ok := buildXmlsec(t, resp.XML, cert, tt.xpath); !ok {
				t.Fatalf("untampered response rejected:\n%s", out)
			}
			tampered := bytes.Replace(resp.XML, []byte(tt.from), []byte(tt.to), 1)
			if bytes.Equal(tampered, resp.XML) {
				t.Fatalf("test bug: %q not found in\n%s", tt.from, resp.XML)
			}
			if out, ok := buildXmlsec(t, tampered, cert, tt.xpath); ok {
				t.Errorf("xmlsec1 accepted a tampered response:\n%s", out)
			}
		})
	}
}

// buildCrewjamSP is a crewjam/saml service provider that trusts cert.
func buildCrewjamSP(t *testing.T, cert *x509.Certificate, issuer string) *crewjam.ServiceProvider {
	acs, _ := url.Parse(buildTestACS)
	return &crewjam.ServiceProvider{
		EntityID:          buildTestAudience,
		AcsURL:            *acs,
		AllowIDPInitiated: true,
		Clock:             dsig.NewFakeClockAt(buildTestNow.Add(time.Second)),
		IDPMetadata: &crewjam.EntityDescriptor{
			EntityID: issuer,
			IDPSSODescriptors: []crewjam.IDPSSODescriptor{{
				SSODescriptor: crewjam.SSODescriptor{RoleDescriptor: crewjam.RoleDescriptor{
					ProtocolSupportEnumeration: "urn:oasis:names:tc:SAML:2.0:protocol",
					KeyDescriptors: []crewjam.KeyDescriptor{{
						Use: "signing",
						KeyInfo: crewjam.KeyInfo{X509Data: crewjam.X509Data{
							X509Certificates: []crewjam.X509Certificate{{Data: base64.StdEncoding.EncodeToString(cert.Raw)}},
						}},
					}},
				}},
			}},
		},
	}
}

// buildCheckCrewjamAssertion compares what crewjam parsed with the request.
func buildCheckCrewjamAssertion(t *testing.T, a *crewjam.Assertion, req ResponseRequest) {
	t.Helper()
	if a.Subject == nil || a.Subject.NameID == nil || a.Subject.NameID.Value != req.NameID.Value {
		t.Errorf("crewjam NameID = %+v, want %q", a.Subject, req.NameID.Value)
	}
	var got []string
	for _, st := range a.AttributeStatements {
		for _, at := range st.Attributes {
			vals := make([]string, 0, len(at.Values))
			for _, v := range at.Values {
				vals = append(vals, v.Value)
			}
			got = append(got, at.Name+"="+strings.Join(vals, "|"))
		}
	}
	var want []string
	for _, at := range req.Attributes {
		want = append(want, at.Name+"="+strings.Join(at.Values, "|"))
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("crewjam attributes:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestSignAcceptedByCrewjam(t *testing.T) {
	for _, signing := range []string{SigningAssertion, SigningResponse, SigningBoth} {
		for _, alg := range []string{AlgRSASHA256, AlgRSASHA512, AlgRSASHA1} {
			for _, spInit := range []bool{false, true} {
				name := signing + "_" + alg
				if spInit {
					name += "_sp-initiated"
				}
				t.Run(name, func(t *testing.T) {
					iss := buildTestIssuer(t)
					req := buildTestRequest()
					var ids []string
					if spInit {
						req.InResponseTo = "_req-42"
						ids = []string{"_req-42"}
					}
					resp, err := iss.Build(req, ResponseOptions{Signing: signing, Algorithm: alg})
					if err != nil {
						t.Fatal(err)
					}
					sp := buildCrewjamSP(t, iss.Certificate, iss.EntityID)
					a, err := sp.ParseXMLResponse(resp.XML, ids, sp.AcsURL)
					if err != nil {
						t.Fatalf("crewjam rejects the response: %v", buildCrewjamCause(err))
					}
					buildCheckCrewjamAssertion(t, a, req)
				})
			}
		}
	}
}

// TestSignCrewjamRejectsUnsignedAndForeign shows the crewjam check above
// has teeth: it refuses an unsigned response and one signed by a key its
// metadata does not name.
func TestSignCrewjamRejectsUnsignedAndForeign(t *testing.T) {
	iss := buildTestIssuer(t)
	sp := buildCrewjamSP(t, iss.Certificate, iss.EntityID)
	unsigned, err := iss.Build(buildTestRequest(), ResponseOptions{Signing: SigningNone})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := sp.ParseXMLResponse(unsigned.XML, nil, sp.AcsURL); err == nil {
		t.Error("crewjam accepted an unsigned response")
	}
	other := buildCrewjamSP(t, buildLoadCert(t, "sp-rsa2048-test-fixture.crt"), iss.EntityID)
	signed, err := iss.Build(buildTestRequest(), ResponseOptions{Signing: SigningBoth})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := other.ParseXMLResponse(signed.XML, nil, other.AcsURL); err == nil {
		t.Error("crewjam accepted a response signed by a key it does not trust")
	}
}

// buildCrewjamCause digs out crewjam's private error detail.
func buildCrewjamCause(err error) error {
	if ie, ok := err.(*crewjam.InvalidResponseError); ok {
		return ie.PrivateErr
	}
	return err
}

// TestSignECDSAValueIsRawRS checks the ECDSA signature value is the r||s
// octet string XML Signature requires, by turning it into ASN.1 and
// verifying SignedInfo with the Go standard library. (goxmldsig, and so
// crewjam, expect ASN.1 in SignatureValue, goxmldsig issue #163, so they
// cannot check standard ECDSA XML signatures; xmlsec1 checks them in
// TestSignVerifiedByXmlsec1.)
func TestSignECDSAValueIsRawRS(t *testing.T) {
	iss := buildTestECDSAIssuer(t)
	resp, err := iss.Build(buildTestRequest(), ResponseOptions{})
	if err != nil {
		t.Fatal(err)
	}
	root := buildParse(t, resp.XML)
	sig := root.FindElement("./Assertion/Signature")
	raw, err := base64.StdEncoding.DecodeString(sig.FindElement("./SignatureValue").Text())
	if err != nil || len(raw) != 64 {
		t.Fatalf("SignatureValue is %d bytes (err %v), want 64 (r||s for P-256)", len(raw), err)
	}
	si := sig.FindElement("./SignedInfo").Copy()
	si.CreateAttr("xmlns:ds", buildDSigNS)
	canon, err := dsig.MakeC14N10ExclusiveCanonicalizerWithPrefixList("").Canonicalize(si)
	if err != nil {
		t.Fatal(err)
	}
	h := sha256.Sum256(canon)
	r, s := new(big.Int).SetBytes(raw[:32]), new(big.Int).SetBytes(raw[32:])
	if !ecdsa.Verify(iss.Certificate.PublicKey.(*ecdsa.PublicKey), h[:], r, s) {
		t.Error("r||s does not verify over the canonical SignedInfo")
	}
	if _, err := asn1.Marshal(struct{ R, S *big.Int }{r, s}); err != nil {
		t.Fatal(err)
	}
}

// TestSignDigestMatchesGoxmldsig recomputes the assertion digest with
// goxmldsig's own Canonicalize on a parsed copy of the output, so the
// in-place canonicalisation used for speed is shown to agree with it.
func TestSignDigestMatchesGoxmldsig(t *testing.T) {
	req := buildTestRequest()
	// Every tricky value (markup, entities, quotes, tabs, newlines,
	// non-ASCII, long strings) in the tree whose canonical form is hashed
	// without goxmldsig's transform.
	for i, v := range buildTrickyValues {
		req.Attributes = append(req.Attributes, claims.Attribute{Name: fmt.Sprintf("https://example.com/tricky/%d", i), Values: []string{v, "x"}})
	}
	for _, azure := range []bool{false, true} {
		for _, signing := range []string{SigningAssertion, SigningResponse, SigningBoth} {
			resp, err := buildTestIssuer(t).Build(req, ResponseOptions{Signing: signing, AzureShape: azure})
			if err != nil {
				t.Fatal(err)
			}
			root := buildParse(t, resp.XML)
			for _, el := range []*etree.Element{root.FindElement("./Assertion"), root} {
				c := el.Copy()
				sig := c.FindElement("./Signature")
				if sig == nil {
					continue
				}
				want := sig.FindElement("./SignedInfo/Reference/DigestValue").Text()
				c.RemoveChild(sig)
				if el != root && azure {
					// The copy of the root has the namespace declarations it needs.
					c.CreateAttr("xmlns", buildAssertionNS)
				}
				canon, err := dsig.MakeC14N10ExclusiveCanonicalizerWithPrefixList("").Canonicalize(c)
				if err != nil {
					t.Fatal(err)
				}
				sum := sha256.Sum256(canon)
				if got := base64.StdEncoding.EncodeToString(sum[:]); got != want {
					t.Errorf("azure=%v signing=%s %s: goxmldsig digest %s, signed digest %s", azure, signing, el.Tag, got, want)
				}
			}
		}
	}
}

// Benchmarks. Compare BenchmarkBuildRSA2048 with BenchmarkSignRSA2048Bare
// from the same run; see docs/responses.md.

func BenchmarkSignRSA2048Bare(b *testing.B) {
	key := buildLoadKey(b, "rsa2048-test-fixture.key").(*rsa.PrivateKey)
	digest := sha256.Sum256([]byte("samlab"))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := rsa.SignPKCS1v15(rand.Reader, key, crypto.SHA256, digest[:]); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkBuildRSA2048(b *testing.B) {
	iss := buildTestIssuer(b)
	iss.IDs = RandomIDs{}
	req := buildTestRequest()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := iss.Build(req, ResponseOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkBuildECDSAP256(b *testing.B) {
	iss := buildTestECDSAIssuer(b)
	iss.IDs = RandomIDs{}
	req := buildTestRequest()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := iss.Build(req, ResponseOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkBuildUnsigned(b *testing.B) {
	iss := buildTestIssuer(b)
	iss.IDs = RandomIDs{}
	req := buildTestRequest()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := iss.Build(req, ResponseOptions{Signing: SigningNone}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSignECDSAP256Bare(b *testing.B) {
	key := buildLoadKey(b, "ecdsa-p256-test-fixture.key").(*ecdsa.PrivateKey)
	digest := sha256.Sum256([]byte("samlab"))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ecdsa.SignASN1(rand.Reader, key, digest[:]); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkBuildRSA2048VsBare alternates one bare RSA-2048 signature and
// one whole response per iteration and reports the ratio of their times,
// so load from other processes affects both sides alike.
func BenchmarkBuildRSA2048VsBare(b *testing.B) {
	iss := buildTestIssuer(b)
	iss.IDs = RandomIDs{}
	key := iss.Key.(*rsa.PrivateKey)
	req := buildTestRequest()
	digest := sha256.Sum256([]byte("samlab"))
	var bare, build time.Duration
	for b.Loop() {
		t0 := time.Now()
		if _, err := rsa.SignPKCS1v15(rand.Reader, key, crypto.SHA256, digest[:]); err != nil {
			b.Fatal(err)
		}
		t1 := time.Now()
		if _, err := iss.Build(req, ResponseOptions{}); err != nil {
			b.Fatal(err)
		}
		bare += t1.Sub(t0)
		build += time.Since(t1)
	}
	b.ReportMetric(float64(build)/float64(bare), "build/bare")
	b.ReportMetric(float64(build-bare)/float64(b.N)/1e3, "overhead-µs/op")
}

// TestSignGoldenFilesVerify checks the committed golden responses with
// xmlsec1, so they can serve as signed fixtures elsewhere.
func TestSignGoldenFilesVerify(t *testing.T) {
	cert, _ := filepath.Abs("testdata/keys-for-tests/rsa2048-test-fixture.crt")
	for _, c := range buildGoldenCases {
		if c.opts.Signing == SigningNone {
			continue
		}
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			xml, err := os.ReadFile(filepath.Join("testdata", "golden", "TestBuildGolden_"+c.name+".xml"))
			if err != nil {
				t.Fatal(err)
			}
			buildXmlsecVerify(t, xml, cert, c.opts.Signing)
		})
	}
}

// ECDSA SignatureValues are r||s, as XML Signature requires; goxmldsig, and
// so crewjam's service provider, reads only ASN.1 DER. The default output
// is refused there (and accepted by xmlsec1, see above); with
// ECDSASignatureASN1 crewjam accepts it.
func TestSignECDSAForGoxmldsigSPs(t *testing.T) {
	iss := buildTestECDSAIssuer(t)
	req := buildTestRequest()
	sp := buildCrewjamSP(t, iss.Certificate, iss.EntityID)

	std, err := iss.Build(req, ResponseOptions{Algorithm: AlgECDSASHA256})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := sp.ParseXMLResponse(std.XML, nil, sp.AcsURL); err == nil {
		t.Fatal("crewjam accepted an r||s ECDSA signature; goxmldsig may have been fixed, revisit ECDSASignatureASN1")
	}

	der, err := iss.Build(req, ResponseOptions{Algorithm: AlgECDSASHA256, ECDSASignatureASN1: true})
	if err != nil {
		t.Fatal(err)
	}
	a, err := sp.ParseXMLResponse(der.XML, nil, sp.AcsURL)
	if err != nil {
		t.Fatalf("crewjam refuses the ASN.1 form: %v", buildCrewjamCause(err))
	}
	buildCheckCrewjamAssertion(t, a, req)
}
