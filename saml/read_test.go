package saml

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"flag"
	"fmt"
	"log"
	"math/big"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/beevik/etree"
	"github.com/crewjam/saml/xmlenc"
	dsig "github.com/russellhaering/goxmldsig"
	"github.com/samlab/samlab/claims"
)

func init() {
	if flag.Lookup("update") == nil {
		flag.Bool("update", false, "rewrite golden files under testdata")
	}
}

// rtUpdate reports whether -update was given.
func rtUpdate() bool {
	f := flag.Lookup("update")
	return f != nil && f.Value.String() == "true"
}

// rtEntraTime is inside the Entra fixture's validity window.
var rtEntraTime = time.Date(2024, 3, 21, 13, 0, 0, 0, time.UTC)

// rtEntraMessage decodes the Entra fixture.
func rtEntraMessage(t testing.TB) *Message {
	t.Helper()
	msg, err := Decode(rtEntraB64(t))
	if err != nil {
		t.Fatalf("Decode(entra fixture): %v", err)
	}
	return msg
}

func rtEntraB64(t testing.TB) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "reader", "entra-response.b64"))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// rtEntraCert is the tenant certificate of the Entra fixture, kept as a PEM
// file and pinned explicitly as the trust anchor. TestEntraCertMatchesKeyInfo
// checks it is the one the fixture carries.
func rtEntraCert(t testing.TB) *x509.Certificate {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "reader", "entra-signing.pem"))
	if err != nil {
		t.Fatal(err)
	}
	block, _ := pem.Decode(b)
	if block == nil {
		t.Fatal("entra-signing.pem: no PEM block")
	}
	cert, err := x509.ParseCertificate(block.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	return cert
}

func TestEntraCertMatchesKeyInfo(t *testing.T) {
	doc := etree.NewDocument()
	if err := doc.ReadFromBytes(rtEntraMessage(t).XML); err != nil {
		t.Fatal(err)
	}
	der, err := base64.StdEncoding.DecodeString(doc.FindElement("//X509Certificate").Text())
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	if !cert.Equal(rtEntraCert(t)) {
		t.Error("entra-signing.pem is not the certificate in the fixture's KeyInfo")
	}
}

// rtKey is a test key pair with a self-signed certificate.
type rtKey struct {
	key  *rsa.PrivateKey
	cert *x509.Certificate
}

var rtKeys = sync.OnceValues(func() ([2]rtKey, error) {
	var keys [2]rtKey
	for i := range keys {
		k, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			return keys, err
		}
		tmpl := &x509.Certificate{
			SerialNumber: big.NewInt(int64(i + 1)),
			Subject:      pkix.Name{CommonName: "samlab reader test " + string(rune('A'+i))},
			NotBefore:    time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC),
			NotAfter:     time.Date(2040, 1, 1, 0, 0, 0, 0, time.UTC),
		}
		der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &k.PublicKey, k)
		if err != nil {
			return keys, err
		}
		cert, err := x509.ParseCertificate(der)
		if err != nil {
			return keys, err
		}
		keys[i] = rtKey{key: k, cert: cert}
	}
	return keys, nil
})

// rtKeyPair returns test key 0 (the "trusted" one) or 1 (the attacker's).
func rtKeyPair(t testing.TB, i int) rtKey {
	t.Helper()
	keys, err := rtKeys()
	if err != nil {
		t.Fatal(err)
	}
	return keys[i]
}

// rtTestTime is when the test messages are read.
var rtTestTime = time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)

// rtAssertionXML is an assertion shaped like Entra's, with its namespace
// declared on itself so it can be signed alone.
func rtAssertionXML(id, nameID string) string {
	return `<Assertion xmlns="urn:oasis:names:tc:SAML:2.0:assertion" ID="` + id + `" IssueInstant="2026-06-01T11:59:00Z" Version="2.0">` +
		`<Issuer>https://idp.example.com/</Issuer>` +
		`<Subject><NameID Format="urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress">` + nameID + `</NameID>` +
		`<SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer"><SubjectConfirmationData InResponseTo="_req1" NotOnOrAfter="2026-06-01T12:05:00Z" Recipient="https://signin.aws.amazon.com/saml"/></SubjectConfirmation></Subject>` +
		`<Conditions NotBefore="2026-06-01T11:54:00Z" NotOnOrAfter="2026-06-01T12:59:00Z"><AudienceRestriction><Audience>urn:amazon:webservices</Audience></AudienceRestriction></Conditions>` +
		`<AttributeStatement><Attribute Name="https://aws.amazon.com/SAML/Attributes/PrincipalTag:Department"><AttributeValue>Engineering</AttributeValue></Attribute>` +
		`<Attribute Name="https://aws.amazon.com/SAML/Attributes/Role"><AttributeValue>arn:aws:iam::111122223333:role/Dev,arn:aws:iam::111122223333:saml-provider/samlab</AttributeValue><AttributeValue>arn:aws:iam::111122223333:role/Ops,arn:aws:iam::111122223333:saml-provider/samlab</AttributeValue></Attribute></AttributeStatement>` +
		`<AuthnStatement AuthnInstant="2026-06-01T11:58:00Z" SessionIndex="` + id + `"><AuthnContext><AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:Password</AuthnContextClassRef></AuthnContext></AuthnStatement>` +
		`</Assertion>`
}

// rtResponseXML wraps inner (assertions, extensions) in a Response.
func rtResponseXML(id, inner string) string {
	return `<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="` + id + `" Version="2.0" IssueInstant="2026-06-01T11:59:00Z" Destination="https://signin.aws.amazon.com/saml" InResponseTo="_req1">` +
		`<Issuer xmlns="urn:oasis:names:tc:SAML:2.0:assertion">https://idp.example.com/</Issuer>` +
		`<samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status>` +
		inner + `</samlp:Response>`
}

// rtElement parses s into a detached element.
func rtElement(t testing.TB, s string) *etree.Element {
	t.Helper()
	doc := etree.NewDocument()
	if err := doc.ReadFromString(s); err != nil {
		t.Fatalf("parse test XML: %v", err)
	}
	return doc.Root()
}

// rtSign signs el (enveloped, exclusive c14n, RSA-SHA256) with k and
// returns the signed copy, the Signature placed right after Issuer as
// SAML's schema wants.
func rtSign(t testing.TB, k rtKey, el *etree.Element) *etree.Element {
	t.Helper()
	ks := dsig.TLSCertKeyStore(tls.Certificate{Certificate: [][]byte{k.cert.Raw}, PrivateKey: k.key})
	ctx := dsig.NewDefaultSigningContext(ks)
	ctx.Canonicalizer = dsig.MakeC14N10ExclusiveCanonicalizerWithPrefixList("")
	signed, err := ctx.SignEnveloped(el.Copy())
	if err != nil {
		t.Fatalf("sign: %v", err)
	}
	sig := signed.Child[len(signed.Child)-1]
	signed.RemoveChildAt(len(signed.Child) - 1)
	signed.InsertChildAt(1, sig)
	return signed
}

// rtSignedAssertion is a signed assertion element.
func rtSignedAssertion(t testing.TB, k rtKey, id, nameID string) *etree.Element {
	return rtSign(t, k, rtElement(t, rtAssertionXML(id, nameID)))
}

// rtString serializes el.
func rtString(t testing.TB, el *etree.Element) string {
	t.Helper()
	doc := etree.NewDocument()
	doc.SetRoot(el.Copy())
	s, err := doc.WriteToString()
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// rtRead reads xml with the trusted test key pinned.
func rtRead(t testing.TB, xml string) (*View, error) {
	t.Helper()
	return Read(&Message{XML: []byte(xml)}, ReadOptions{
		Certificates: []*x509.Certificate{rtKeyPair(t, 0).cert},
		Now:          func() time.Time { return rtTestTime },
	})
}

func TestReadEntraFixture(t *testing.T) {
	cert := rtEntraCert(t)
	v, err := Read(rtEntraMessage(t), ReadOptions{
		Certificates: []*x509.Certificate{cert},
		Now:          func() time.Time { return rtEntraTime },
	})
	if err != nil {
		t.Fatalf("Read: %v", err)
	}
	if !v.Verified || v.VerifiedElement != "Assertion" {
		t.Errorf("Verified = %v, VerifiedElement = %q; want true, Assertion", v.Verified, v.VerifiedElement)
	}
	const issuer = "https://sts.windows.net/603e9946-79fd-42bc-bae2-2abda19cb695/"
	if v.Issuer != issuer {
		t.Errorf("Issuer = %q, want %q", v.Issuer, issuer)
	}
	a := v.Assertion
	if a == nil {
		t.Fatal("no assertion")
	}
	if a.Issuer != issuer {
		t.Errorf("Assertion.Issuer = %q", a.Issuer)
	}
	if got, want := a.Audiences, []string{"spn:95210223-1471-47de-8f76-c0f420c1738f"}; !reflect.DeepEqual(got, want) {
		t.Errorf("Audiences = %q, want %q", got, want)
	}
	if len(a.SubjectConfirmations) != 1 || a.SubjectConfirmations[0].Recipient != "http://localhost:8080/saml/SSO" {
		t.Errorf("SubjectConfirmations = %+v", a.SubjectConfirmations)
	}
	var names []string
	for _, at := range a.Attributes {
		names = append(names, at.Name)
	}
	wantNames := []string{
		"http://schemas.microsoft.com/identity/claims/tenantid",
		"http://schemas.microsoft.com/identity/claims/objectidentifier",
		"http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name",
		"http://schemas.microsoft.com/identity/claims/displayname",
		"http://schemas.microsoft.com/identity/claims/identityprovider",
		"http://schemas.microsoft.com/claims/authnmethodsreferences",
	}
	if !reflect.DeepEqual(names, wantNames) {
		t.Errorf("attribute order:\n got %q\nwant %q", names, wantNames)
	}
	if len(v.Signatures) != 1 {
		t.Fatalf("Signatures = %+v, want 1", v.Signatures)
	}
	sig := v.Signatures[0]
	want := SignatureInfo{
		Element:          "Assertion",
		ReferenceID:      "_c2756b4a-25ce-45f4-bd28-9c6b46a82000",
		Algorithm:        "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256",
		DigestAlgorithm:  "http://www.w3.org/2001/04/xmlenc#sha256",
		Canonicalization: "http://www.w3.org/2001/10/xml-exc-c14n#",
		Verified:         true,
	}
	if sig != want {
		t.Errorf("signature:\n got %+v\nwant %+v", sig, want)
	}
	rtGolden(t, "entra-view.json", v)
}

// rtGolden compares v, as indented JSON, with testdata/reader/name.
func rtGolden(t *testing.T, name string, v any) {
	t.Helper()
	got, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	got = append(got, '\n')
	path := filepath.Join("testdata", "reader", name)
	if rtUpdate() {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if string(got) != string(want) {
		t.Errorf("%s differs from golden file (rerun with -update if intended):\n%s", name, got)
	}
}

func TestReadEntraNotTrusted(t *testing.T) {
	tests := []struct {
		name      string
		opts      ReadOptions
		wantErrs  []error
		wantSigOK bool
		sigErr    string
	}{
		{
			name:   "no certificates: shown, never valid",
			opts:   ReadOptions{Now: func() time.Time { return rtEntraTime }},
			sigErr: "not checked: no trusted certificate given",
		},
		{
			name:     "another certificate pinned",
			opts:     ReadOptions{Certificates: []*x509.Certificate{rtKeyPair(t, 0).cert}, Now: func() time.Time { return rtEntraTime }},
			wantErrs: []error{ErrNotVerified, ErrSignature},
			sigErr:   "not among the trusted",
		},
		{
			name:     "clock after the certificate expired",
			opts:     ReadOptions{Certificates: []*x509.Certificate{rtEntraCert(t)}, Now: func() time.Time { return time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC) }},
			wantErrs: []error{ErrNotVerified, ErrSignature},
			sigErr:   "not valid at the time given",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, err := Read(rtEntraMessage(t), tt.opts)
			if v == nil {
				t.Fatalf("no view (err %v)", err)
			}
			if v.Verified {
				t.Error("Verified = true")
			}
			for _, want := range tt.wantErrs {
				if !errors.Is(err, want) {
					t.Errorf("err = %v; want it to wrap %v", err, want)
				}
			}
			if len(tt.wantErrs) == 0 && err != nil {
				t.Errorf("err = %v, want nil", err)
			}
			if len(v.Signatures) != 1 || !strings.Contains(v.Signatures[0].Error, tt.sigErr) {
				t.Errorf("signature = %+v; want error containing %q", v.Signatures, tt.sigErr)
			}
			if v.Assertion == nil || len(v.Assertion.Attributes) != 6 {
				t.Errorf("the view should still show the assertion for display")
			}
		})
	}
}

func TestReadTamperedEntraAttribute(t *testing.T) {
	msg := rtEntraMessage(t)
	tampered := strings.Replace(string(msg.XML), "<AttributeValue>test</AttributeValue>", "<AttributeValue>admin</AttributeValue>", 1)
	if tampered == string(msg.XML) {
		t.Fatal("fixture changed: displayname value not found")
	}
	v, err := Read(&Message{XML: []byte(tampered)}, ReadOptions{
		Certificates: []*x509.Certificate{rtEntraCert(t)},
		Now:          func() time.Time { return rtEntraTime },
	})
	if !errors.Is(err, ErrNotVerified) || !errors.Is(err, ErrSignature) {
		t.Fatalf("err = %v; want ErrNotVerified and ErrSignature", err)
	}
	if v.Verified || v.Signatures[0].Verified {
		t.Error("a tampered assertion verified")
	}
	if !strings.Contains(v.Signatures[0].Error, "digest mismatch") {
		t.Errorf("signature error = %q, want digest mismatch", v.Signatures[0].Error)
	}
}

func TestReadSigned(t *testing.T) {
	trusted := rtKeyPair(t, 0)
	other := rtKeyPair(t, 1)
	assertion := rtString(t, rtSignedAssertion(t, trusted, "_a1", "alice@example.com"))
	unsignedAssertion := rtAssertionXML("_a1", "alice@example.com")
	signedResponse := func(inner string) string {
		return rtString(t, rtSign(t, trusted, rtElement(t, rtResponseXML("_r1", inner))))
	}
	tests := []struct {
		name         string
		xml          string
		wantElement  string
		wantSigs     int
		wantNameID   string
		wantVerified []bool
	}{
		{"assertion signed", rtResponseXML("_r1", assertion), "Assertion", 1, "alice@example.com", []bool{true}},
		{"response signed", signedResponse(unsignedAssertion), "Response", 1, "alice@example.com", []bool{true}},
		{"both signed", signedResponse(assertion), "Response", 2, "alice@example.com", []bool{true, true}},
		{"bare assertion", assertion, "Assertion", 1, "alice@example.com", []bool{true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, err := rtRead(t, tt.xml)
			if err != nil {
				t.Fatalf("Read: %v", err)
			}
			if !v.Verified || v.VerifiedElement != tt.wantElement {
				t.Errorf("Verified=%v VerifiedElement=%q; want %q", v.Verified, v.VerifiedElement, tt.wantElement)
			}
			var got []bool
			for _, s := range v.Signatures {
				got = append(got, s.Verified)
			}
			if !reflect.DeepEqual(got, tt.wantVerified) {
				t.Errorf("signature verified = %v, want %v (%+v)", got, tt.wantVerified, v.Signatures)
			}
			if v.Assertion == nil || v.Assertion.NameID != tt.wantNameID {
				t.Fatalf("assertion = %+v", v.Assertion)
			}
			if got := v.Assertion.Attributes[1].Values; len(got) != 2 {
				t.Errorf("Role values = %q, want 2", got)
			}
		})
	}
	t.Run("signature by another key", func(t *testing.T) {
		forged := rtString(t, rtSignedAssertion(t, other, "_a1", "admin@example.com"))
		v, err := rtRead(t, rtResponseXML("_r1", forged))
		if !errors.Is(err, ErrNotVerified) || !errors.Is(err, ErrSignature) {
			t.Fatalf("err = %v", err)
		}
		if v.Verified {
			t.Error("verified with an untrusted key")
		}
	})
	t.Run("unsigned with certificates", func(t *testing.T) {
		v, err := rtRead(t, rtResponseXML("_r1", unsignedAssertion))
		if !errors.Is(err, ErrNotVerified) || errors.Is(err, ErrSignature) {
			t.Fatalf("err = %v; want ErrNotVerified only", err)
		}
		if v.Verified || v.Assertion == nil {
			t.Errorf("Verified=%v Assertion=%v", v.Verified, v.Assertion)
		}
	})
	t.Run("ECDSA with an ASN.1 SignatureValue (goxmldsig's form)", func(t *testing.T) {
		ecKey, ecCert := rtECDSA(t)
		ctx, err := dsig.NewSigningContext(ecKey, [][]byte{ecCert.Raw})
		if err != nil {
			t.Fatal(err)
		}
		ctx.Canonicalizer = dsig.MakeC14N10ExclusiveCanonicalizerWithPrefixList("")
		signed, err := ctx.SignEnveloped(rtElement(t, unsignedAssertion))
		if err != nil {
			t.Fatal(err)
		}
		v, err := Read(&Message{XML: []byte(rtString(t, signed))}, ReadOptions{
			Certificates: []*x509.Certificate{ecCert},
			Now:          func() time.Time { return rtTestTime },
		})
		if err != nil || !v.Verified || v.Signatures[0].Algorithm != "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256" {
			t.Fatalf("err = %v, signatures %+v", err, v.Signatures)
		}
	})
	t.Run("two trusted certificates, no KeyInfo", func(t *testing.T) {
		el := rtSignedAssertion(t, trusted, "_a1", "alice@example.com")
		sig := el.FindElement("./Signature")
		sig.RemoveChild(sig.FindElement("./KeyInfo"))
		v, err := Read(&Message{XML: []byte(rtString(t, el))}, ReadOptions{
			Certificates: []*x509.Certificate{other.cert, trusted.cert},
			Now:          func() time.Time { return rtTestTime },
		})
		if err != nil || !v.Verified {
			t.Fatalf("err = %v, Verified = %v", err, v.Verified)
		}
	})
}

// TestReadRejects covers signature wrapping and friends: each case must end
// unverified with the expected sentinel.
func TestReadRejects(t *testing.T) {
	trusted := rtKeyPair(t, 0)
	signed := rtSignedAssertion(t, trusted, "_a1", "alice@example.com")
	signedXML := rtString(t, signed)
	forged := rtAssertionXML("_forged", "admin@example.com")

	// The signature of the signed assertion, moved into the forged one.
	stolenSig := func() string {
		f := rtElement(t, forged)
		f.InsertChildAt(1, signed.FindElement("./Signature").Copy())
		return rtString(t, f)
	}()
	// The forged assertion, with the signed one in its Advice.
	inAdvice := func() string {
		f := rtElement(t, forged)
		advice := etree.NewElement("Advice")
		advice.AddChild(signed.Copy())
		f.InsertChildAt(f.FindElement("./Conditions").Index()+1, advice)
		return rtString(t, f)
	}()
	// A signed Response whose assertion was swapped after signing.
	swapped := func() string {
		resp := rtSign(t, trusted, rtElement(t, rtResponseXML("_r1", rtAssertionXML("_a1", "alice@example.com"))))
		old := resp.FindElement("./Assertion")
		resp.InsertChildAt(old.Index(), rtElement(t, rtAssertionXML("_a1", "admin@example.com")))
		resp.RemoveChild(old)
		return rtString(t, resp)
	}()
	// The assertion's signature moved under Subject.
	nested := func() string {
		el := signed.Copy()
		sig := el.FindElement("./Signature")
		el.RemoveChild(sig)
		el.FindElement("./Subject").AddChild(sig)
		return rtString(t, el)
	}()
	emptyURI := func() string {
		el := signed.Copy()
		el.FindElement("./Signature/SignedInfo/Reference").SelectAttr("URI").Value = ""
		return rtString(t, el)
	}()
	twoRefs := func() string {
		el := signed.Copy()
		ref := el.FindElement("./Signature/SignedInfo/Reference")
		ref.Parent().AddChild(ref.Copy())
		return rtString(t, el)
	}()

	tests := []struct {
		name    string
		xml     string
		want    []error
		errText string
		nameID  string // what the view shows, for display, when not ""
	}{
		{"second unsigned assertion next to the signed one", rtResponseXML("_r1", signedXML+forged), []error{ErrStructure, ErrNotVerified}, "2 assertions", ""},
		{"forged assertion first, signed one after", rtResponseXML("_r1", forged+signedXML), []error{ErrStructure, ErrNotVerified}, "2 assertions", ""},
		{"signed assertion moved under Extensions, forged in its place", rtResponseXML("_r1", `<samlp:Extensions>`+signedXML+`</samlp:Extensions>`+forged), []error{ErrStructure, ErrNotVerified}, "Response/Extensions/Assertion", ""},
		{"signed assertion moved into the forged one's Advice", rtResponseXML("_r1", inAdvice), []error{ErrStructure, ErrNotVerified}, "Response/Assertion/Advice/Assertion", ""},
		{"only assertion hidden in Extensions", rtResponseXML("_r1", `<samlp:Extensions>`+signedXML+`</samlp:Extensions>`), []error{ErrStructure, ErrNotVerified}, "not a direct child", ""},
		{"signature referencing a different element", rtResponseXML("_r1", stolenSig), []error{ErrStructure, ErrNotVerified}, "is not the ID of its parent", "admin@example.com"},
		{"response signature over a swapped assertion", swapped, []error{ErrSignature, ErrNotVerified}, "digest mismatch", "admin@example.com"},
		{"signature not a direct child", nested, []error{ErrStructure, ErrNotVerified}, "Assertion/Subject/Signature is out of place", ""},
		{"empty Reference URI", emptyURI, []error{ErrStructure, ErrNotVerified}, "Reference URI \"\"", ""},
		{"two References", twoRefs, []error{ErrStructure, ErrNotVerified}, "2 References", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, err := rtRead(t, tt.xml)
			if v == nil {
				t.Fatalf("no view: %v", err)
			}
			for _, want := range tt.want {
				if !errors.Is(err, want) {
					t.Errorf("err = %v; want it to wrap %v", err, want)
				}
			}
			if err != nil && !strings.Contains(err.Error(), tt.errText) {
				t.Errorf("err = %v; want it to mention %q", err, tt.errText)
			}
			if v.Verified {
				t.Error("Verified = true")
			}
			for _, s := range v.Signatures {
				if s.Verified {
					t.Errorf("signature %+v verified", s)
				}
			}
			if tt.nameID != "" && (v.Assertion == nil || v.Assertion.NameID != tt.nameID) {
				t.Errorf("assertion = %+v, want NameID %q shown", v.Assertion, tt.nameID)
			}
		})
	}
}

func TestReadCommentInNameID(t *testing.T) {
	t.Run("unsigned", func(t *testing.T) {
		xml := rtResponseXML("_r1", rtAssertionXML("_a1", "admin@corp.com<!---->.evil.com"))
		v, err := Read(&Message{XML: []byte(xml)}, ReadOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if got := v.Assertion.NameID; got != "admin@corp.com.evil.com" {
			t.Errorf("NameID = %q, want the full text", got)
		}
		if !v.HasComments {
			t.Error("HasComments = false")
		}
	})
	t.Run("comment inserted after signing", func(t *testing.T) {
		// Exclusive c14n drops comments, so the signature still holds: the
		// reader must read the whole text, not stop at the comment.
		el := rtSignedAssertion(t, rtKeyPair(t, 0), "_a1", "admin@corp.com.evil.com")
		xml := strings.Replace(rtString(t, el), "admin@corp.com.evil.com", "admin@corp.com<!---->.evil.com", 1)
		v, err := rtRead(t, xml)
		if err != nil {
			t.Fatal(err)
		}
		if !v.Verified || v.Assertion.NameID != "admin@corp.com.evil.com" || !v.HasComments {
			t.Errorf("Verified=%v NameID=%q HasComments=%v", v.Verified, v.Assertion.NameID, v.HasComments)
		}
	})
}

func TestReadUnsafeInput(t *testing.T) {
	tests := []struct {
		name string
		xml  string
		want error
	}{
		{"not XML", "hello", ErrUnsafeXML},
		{"wrong root", `<AuthnRequest xmlns="urn:oasis:names:tc:SAML:2.0:protocol" ID="x"/>`, ErrMalformed},
		{"DOCTYPE", `<!DOCTYPE r><Response xmlns="urn:oasis:names:tc:SAML:2.0:protocol"/>`, ErrUnsafeXML},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, err := Read(&Message{XML: []byte(tt.xml)}, ReadOptions{})
			if v != nil || !errors.Is(err, tt.want) {
				t.Errorf("Read = %v, %v; want nil, %v", v, err, tt.want)
			}
		})
	}
	if _, err := Read(nil, ReadOptions{}); !errors.Is(err, ErrMalformed) {
		t.Errorf("Read(nil) err = %v", err)
	}
}

func TestReadStatusAndProblems(t *testing.T) {
	xml := `<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_r" Version="2.0" IssueInstant="yesterday">` +
		`<samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Responder"><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:NoPassive"/></samlp:StatusCode>` +
		`<samlp:StatusMessage>no session</samlp:StatusMessage></samlp:Status></samlp:Response>`
	v, err := Read(&Message{XML: []byte(xml)}, ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if v.StatusCode != "urn:oasis:names:tc:SAML:2.0:status:Responder" || v.StatusSubCode != "urn:oasis:names:tc:SAML:2.0:status:NoPassive" || v.StatusMessage != "no session" {
		t.Errorf("status = %q %q %q", v.StatusCode, v.StatusSubCode, v.StatusMessage)
	}
	if len(v.Problems) != 1 || !strings.Contains(v.Problems[0], `"yesterday"`) {
		t.Errorf("Problems = %q", v.Problems)
	}
	if v.AssertionCount != 0 || v.Assertion != nil {
		t.Errorf("assertion = %d %v", v.AssertionCount, v.Assertion)
	}
}

// FuzzRead reads arbitrary XML with a trust anchor and a decryption key:
// it must never panic, and never report a message verified while also
// reporting a wrapping shape or a bad signature.
func FuzzRead(f *testing.F) {
	f.Add(rtEntraMessage(f).XML)
	k := rtKeyPair(f, 0)
	signed := rtString(f, rtSignedAssertion(f, k, "_a1", "alice@example.com"))
	f.Add([]byte(rtResponseXML("_r1", signed)))
	f.Add([]byte(rtResponseXML("_r1", signed+rtAssertionXML("_f", "x"))))
	f.Add([]byte(rtString(f, rtSign(f, k, rtElement(f, rtResponseXML("_r1", rtAssertionXML("_a1", "bob")))))))
	f.Add([]byte(rtResponseXML("_r1", rtEncrypt(f, k, signed, xmlenc.AES256CBC, false))))
	f.Add([]byte(`<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol"><!-- c --></samlp:Response>`))
	corpus, _ := filepath.Glob(filepath.Join("testdata", "reader", "crewjam", "Test*_response"))
	for _, name := range corpus {
		if b, err := os.ReadFile(name); err == nil {
			if msg, err := Decode(b); err == nil {
				f.Add(msg.XML)
			}
		}
	}
	certs := []*x509.Certificate{rtEntraCert(f), k.cert}
	f.Fuzz(func(t *testing.T, data []byte) {
		v, err := Read(&Message{XML: data}, ReadOptions{
			Certificates:  certs,
			DecryptionKey: k.key,
			Now:           func() time.Time { return rtEntraTime },
		})
		if v == nil {
			if err == nil {
				t.Fatal("nil view and nil error")
			}
			return
		}
		if err == nil && !v.Verified {
			t.Fatal("no error, yet not verified")
		}
		if v.Verified && (errors.Is(err, ErrStructure) || errors.Is(err, ErrNotVerified)) {
			t.Fatalf("verified, yet %v", err)
		}
	})
}

// TestReadBuilderInterop reads what the package's own builder issues: the
// reader (goxmldsig) is independent of the builder's signer, so this checks
// both, for every signing mode, algorithm and encryption.
func TestReadBuilderInterop(t *testing.T) {
	k := rtKeyPair(t, 0)
	ecKey, ecCert := rtECDSA(t)
	req := ResponseRequest{
		Audience:     "urn:amazon:webservices",
		Recipient:    "https://signin.aws.amazon.com/saml",
		InResponseTo: "_req1",
		NameID:       claims.NameID{Format: "urn:oasis:names:tc:SAML:2.0:nameid-format:persistent", Value: "alice@contoso.com"},
		Attributes: []claims.Attribute{
			{Name: "https://aws.amazon.com/SAML/Attributes/PrincipalTag:Department", Values: []string{"R&D <east>"}},
			{Name: "https://aws.amazon.com/SAML/Attributes/Role", Values: []string{"a", "b"}},
		},
	}
	tests := []struct {
		name    string
		ec      bool
		opts    ResponseOptions
		element string
		sigs    int
	}{
		{"assertion signed", false, ResponseOptions{}, "Assertion", 1},
		{"response signed", false, ResponseOptions{Signing: SigningResponse}, "Response", 1},
		{"both, Azure shape", false, ResponseOptions{Signing: SigningBoth, AzureShape: true, AzureTenantID: "603e9946-79fd-42bc-bae2-2abda19cb695"}, "Response", 2},
		{"RSA-SHA512", false, ResponseOptions{Algorithm: AlgRSASHA512}, "Assertion", 1},
		{"ECDSA", true, ResponseOptions{}, "Assertion", 1},
		{"encrypted, both signed", false, ResponseOptions{Signing: SigningBoth, Encrypt: &EncryptOptions{Certificate: k.cert}}, "Response", 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			iss := &Issuer{EntityID: "https://idp.samlab.test/metadata", Key: k.key, Certificate: k.cert,
				Clock: FixedClock(rtTestTime), IDs: &SequentialIDs{Prefix: "id-"}}
			if tt.ec {
				iss.Key, iss.Certificate = ecKey, ecCert
			}
			resp, err := iss.Build(req, tt.opts)
			if err != nil {
				t.Fatalf("Build: %v", err)
			}
			msg, err := Decode([]byte(resp.Base64()))
			if err != nil {
				t.Fatal(err)
			}
			v, err := Read(msg, ReadOptions{Certificates: []*x509.Certificate{iss.Certificate}, DecryptionKey: k.key, Now: func() time.Time { return rtTestTime }})
			if err != nil {
				t.Fatalf("Read: %v", err)
			}
			if v.VerifiedElement != tt.element || len(v.Signatures) != tt.sigs {
				t.Errorf("VerifiedElement = %q with %d signatures, want %q and %d", v.VerifiedElement, len(v.Signatures), tt.element, tt.sigs)
			}
			if v.Assertion == nil || v.Assertion.NameID != "alice@contoso.com" || v.Assertion.Attributes[0].Values[0] != "R&D <east>" {
				t.Fatalf("assertion = %+v", v.Assertion)
			}
			if errs := v.Check(Expect{Audience: req.Audience, Recipient: req.Recipient, Destination: req.Recipient, InResponseTo: "_req1", Now: rtTestTime}); len(errs) > 0 {
				t.Errorf("Check: %v", errs)
			}
		})
	}
}

// rtECDSA makes a P-256 key and a self-signed certificate for it.
func rtECDSA(t testing.TB) (*ecdsa.PrivateKey, *x509.Certificate) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(9), Subject: pkix.Name{CommonName: "samlab reader test EC"},
		NotBefore: time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC), NotAfter: time.Date(2040, 1, 1, 0, 0, 0, 0, time.UTC)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return key, cert
}

// ExampleRead decodes a response captured from Entra ID, verifies it
// against the tenant's signing certificate (pinned from a file, never taken
// from the message) and checks it as the service provider would.
func ExampleRead() {
	posted, err := os.ReadFile("testdata/reader/entra-response.b64")
	if err != nil {
		log.Fatal(err)
	}
	msg, err := Decode(posted)
	if err != nil {
		log.Fatal(err)
	}
	pemBytes, err := os.ReadFile("testdata/reader/entra-signing.pem")
	if err != nil {
		log.Fatal(err)
	}
	block, _ := pem.Decode(pemBytes)
	cert, err := x509.ParseCertificate(block.Bytes)
	if err != nil {
		log.Fatal(err)
	}
	issued := time.Date(2024, 3, 21, 13, 0, 0, 0, time.UTC)
	view, err := Read(msg, ReadOptions{
		Certificates: []*x509.Certificate{cert},
		Now:          func() time.Time { return issued },
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("verified:", view.Verified, "by the", view.VerifiedElement, "signature")
	fmt.Println("issuer:", view.Assertion.Issuer)
	fmt.Println("first attribute:", view.Assertion.Attributes[0].Name)
	for _, problem := range view.Check(Expect{
		Audience:  "spn:95210223-1471-47de-8f76-c0f420c1738f",
		Recipient: "http://localhost:8080/saml/SSO",
		Now:       issued.Add(time.Hour),
	}) {
		fmt.Println(problem)
	}
	// Output:
	// verified: true by the Assertion signature
	// issuer: https://sts.windows.net/603e9946-79fd-42bc-bae2-2abda19cb695/
	// first attribute: http://schemas.microsoft.com/identity/claims/tenantid
	// saml: assertion Conditions expired by 2m32s: NotOnOrAfter 2024-03-21T13:57:27Z, now 2024-03-21T14:00:00Z
	// saml: SubjectConfirmationData expired by 2m32s: NotOnOrAfter 2024-03-21T13:57:27Z, now 2024-03-21T14:00:00Z
}

// BenchmarkReadEntra measures decoding, safe parsing and verifying the
// Entra fixture.
func BenchmarkReadEntra(b *testing.B) {
	posted := rtEntraB64(b)
	certs := []*x509.Certificate{rtEntraCert(b)}
	now := func() time.Time { return rtEntraTime }
	for b.Loop() {
		msg, err := Decode(posted)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := Read(msg, ReadOptions{Certificates: certs, Now: now}); err != nil {
			b.Fatal(err)
		}
	}
}

// rtNeedTool finds a command-line tool, skipping the test when it is
// missing unless SAMLAB_REQUIRE_TOOLS=1.
func rtNeedTool(t *testing.T, name string) string {
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

// TestReadXmlsecSigned reads assertions signed by an independent signer,
// xmlsec1, with RSA and with ECDSA (whose SignatureValue xmlsec1 writes as
// r||s, as XML Signature 1.1 says).
func TestReadXmlsecSigned(t *testing.T) {
	tool := rtNeedTool(t, "xmlsec1")
	rsaKey := rtKeyPair(t, 0)
	ecKey, ecCert := rtECDSA(t)
	tests := []struct {
		name   string
		method string
		key    any
		cert   *x509.Certificate
	}{
		{"RSA-SHA256", "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256", rsaKey.key, rsaKey.cert},
		{"ECDSA-SHA256", "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256", ecKey, ecCert},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			der, err := x509.MarshalPKCS8PrivateKey(tt.key)
			if err != nil {
				t.Fatal(err)
			}
			keyPath, certPath, tmplPath := filepath.Join(dir, "key.pem"), filepath.Join(dir, "cert.pem"), filepath.Join(dir, "tmpl.xml")
			if err := os.WriteFile(keyPath, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}), 0o600); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(certPath, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: tt.cert.Raw}), 0o600); err != nil {
				t.Fatal(err)
			}
			sigTmpl := `<ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:SignedInfo>` +
				`<ds:CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/>` +
				`<ds:SignatureMethod Algorithm="` + tt.method + `"/>` +
				`<ds:Reference URI="#_x1"><ds:Transforms><ds:Transform Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature"/>` +
				`<ds:Transform Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/></ds:Transforms>` +
				`<ds:DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/><ds:DigestValue/></ds:Reference></ds:SignedInfo>` +
				`<ds:SignatureValue/><ds:KeyInfo><ds:X509Data/></ds:KeyInfo></ds:Signature>`
			assertion := strings.Replace(rtAssertionXML("_x1", "carol@example.com"), "</Issuer>", "</Issuer>"+sigTmpl, 1)
			if err := os.WriteFile(tmplPath, []byte(rtResponseXML("_r1", assertion)), 0o600); err != nil {
				t.Fatal(err)
			}
			out, err := exec.Command(tool, "--sign", "--privkey-pem", keyPath+","+certPath,
				"--id-attr:ID", "urn:oasis:names:tc:SAML:2.0:assertion:Assertion", tmplPath).Output()
			if err != nil {
				t.Fatalf("xmlsec1 --sign: %v", err)
			}
			v, err := Read(&Message{XML: out}, ReadOptions{Certificates: []*x509.Certificate{tt.cert}, Now: func() time.Time { return rtTestTime }})
			if err != nil {
				t.Fatalf("Read: %v", err)
			}
			if !v.Verified || v.Assertion.NameID != "carol@example.com" || v.Signatures[0].Algorithm != tt.method {
				t.Errorf("Verified=%v NameID=%q signatures %+v", v.Verified, v.Assertion.NameID, v.Signatures)
			}
		})
	}
}

// TestReadThirdPartyCorpus reads real and third-party responses with their
// IdP's metadata: every legitimate one verifies, every signature-wrapping
// permutation is refused (see testdata/reader/crewjam/README.md).
func TestReadThirdPartyCorpus(t *testing.T) {
	dir := filepath.Join("testdata", "reader", "crewjam")
	read := func(name string) []byte {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	keyBlock, _ := pem.Decode(read("sp-key-test-fixture.pem"))
	spKey, err := x509.ParsePKCS1PrivateKey(keyBlock.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	issueInstant := regexp.MustCompile(`IssueInstant="([^"]+)"`)
	const onelogin = "TestSPCanHandleOneloginResponse_IDPMetadata"
	tests := []struct {
		metadata, response string
		element            string  // VerifiedElement wanted; "" = refused
		want               []error // with element "", the sentinels wanted
		nameID             string
	}{
		{onelogin, "TestSPCanHandleOneloginResponse_response", "Response", nil, "ross@kndr.org"},
		{"TestSPCanHandlePlaintextResponse_IDPMetadata", "TestSPCanHandlePlaintextResponse_response", "Response", nil, "ross@octolabs.io"},
		{"TestSPRealWorldAssertionSignedNotResponse_idp_metadata", "TestSPRealWorldAssertionSignedNotResponse_response", "Assertion", nil, ""},
		{"TestSPRealWorldKeyInfoHasRSAPublicKeyNotX509Cert_idp_metadata", "TestSPRealWorldKeyInfoHasRSAPublicKeyNotX509Cert_response", "Response", nil, ""},
		{"TestSPCanHandleEntraIDResponse_IDPMetadata", "TestSPCanHandleEntraIDResponse_assertion_signed", "Assertion", nil, ""},
		{"TestSPCanHandleEntraIDResponse_IDPMetadata", "TestSPCanHandleEntraIDResponse_response_signed", "Response", nil, ""},
		{"TestSPCanHandleEntraIDResponse_IDPMetadata", "TestSPCanHandleEntraIDResponse_response_and_assertion_signed", "Response", nil, ""},
		{"TestSPCanHandleEntraIDResponse_IDPMetadata", "TestSPCanHandleEntraIDResponse_encrypted_assertion_signed", "Assertion", nil, ""},
		{"TestSPCanHandleOktaSignedResponseEncryptedAssertion_IDPMetadata", "TestSPCanHandleOktaSignedResponseEncryptedAssertion_response", "Response", nil, ""},
		{onelogin, "TestSPMultipleAssertions", "", []error{ErrUnsafeXML}, ""},
		{onelogin, "TestXswPermutationOneIsRejected_response", "", []error{ErrUnsafeXML}, ""},
		{onelogin, "TestXswPermutationTwoIsRejected_response", "", []error{ErrUnsafeXML}, ""},
		{onelogin, "TestXswPermutationThreeIsRejected_response", "", []error{ErrStructure, ErrNotVerified}, ""},
		{onelogin, "TestXswPermutationFourIsRejected_response", "", []error{ErrStructure, ErrNotVerified}, ""},
		{onelogin, "TestXswPermutationFiveIsRejected_response", "", []error{ErrStructure, ErrNotVerified}, ""},
		{onelogin, "TestXswPermutationSixIsRejected_response", "", []error{ErrStructure, ErrNotVerified}, ""},
		{onelogin, "TestXswPermutationSevenIsRejected_response", "", []error{ErrUnsafeXML}, ""},
		{onelogin, "TestXswPermutationEightIsRejected_response", "", []error{ErrUnsafeXML}, ""},
		{onelogin, "TestXswPermutationNineIsRejected_response", "", []error{ErrStructure, ErrNotVerified}, ""},
	}
	for _, tt := range tests {
		t.Run(strings.TrimPrefix(tt.response, "Test"), func(t *testing.T) {
			_, certs, err := CertificatesFromMetadata(read(tt.metadata))
			if err != nil {
				t.Fatalf("metadata: %v", err)
			}
			msg, err := Decode(read(tt.response))
			if err != nil {
				t.Fatalf("Decode: %v", err)
			}
			// Verify at the time the response was issued.
			var now time.Time
			if m := issueInstant.FindSubmatch(msg.XML); m != nil {
				now, _ = time.Parse(time.RFC3339Nano, string(m[1]))
			}
			v, err := Read(msg, ReadOptions{Certificates: certs, DecryptionKey: spKey, Now: func() time.Time { return now }})
			for _, want := range tt.want {
				if !errors.Is(err, want) {
					t.Errorf("err = %v; want it to wrap %v", err, want)
				}
			}
			if len(tt.want) == 0 && err != nil {
				t.Errorf("Read: %v", err)
			}
			if tt.element == "" {
				if v != nil && v.Verified {
					t.Error("a wrapped response verified")
				}
				return
			}
			if v == nil || v.VerifiedElement != tt.element {
				t.Fatalf("view %+v; want verified by the %s signature", v, tt.element)
			}
			if tt.nameID != "" && (v.Assertion == nil || v.Assertion.NameID != tt.nameID) {
				t.Errorf("assertion = %+v, want NameID %q", v.Assertion, tt.nameID)
			}
			if v.Assertion == nil || v.Encrypted != v.Decrypted {
				t.Errorf("Assertion=%v Encrypted=%v Decrypted=%v", v.Assertion != nil, v.Encrypted, v.Decrypted)
			}
		})
	}
}
