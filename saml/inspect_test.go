package saml

import (
	"bytes"
	"compress/flate"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

const itAuthnRequest = `<samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_req1" Version="2.0" IssueInstant="2026-06-01T11:59:00Z" Destination="https://idp.example.com/sso" AssertionConsumerServiceURL="https://sp.example.com/acs"><saml:Issuer>https://sp.example.com</saml:Issuer><samlp:NameIDPolicy Format="urn:oasis:names:tc:SAML:2.0:nameid-format:persistent"/></samlp:AuthnRequest>`

const itLogoutRequest = `<samlp:LogoutRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_lr1" Version="2.0" IssueInstant="2026-06-01T11:59:00Z" Destination="https://idp.example.com/slo"><saml:Issuer>https://sp.example.com</saml:Issuer><saml:NameID Format="urn:oasis:names:tc:SAML:2.0:nameid-format:persistent">alice</saml:NameID><samlp:SessionIndex>_s1</samlp:SessionIndex></samlp:LogoutRequest>`

const itLogoutResponse = `<samlp:LogoutResponse xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_lp1" Version="2.0" IssueInstant="2026-06-01T11:59:00Z" InResponseTo="_lr1"><saml:Issuer>https://idp.example.com</saml:Issuer><samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status></samlp:LogoutResponse>`

func itDeflate(t *testing.T, s string) string {
	t.Helper()
	var buf bytes.Buffer
	w, _ := flate.NewWriter(&buf, flate.BestCompression)
	w.Write([]byte(s))
	w.Close()
	return base64.StdEncoding.EncodeToString(buf.Bytes())
}

// TestInspectFormsAndKinds: every carrier a browser or HAR gives, for
// every kind, lands on the same message.
func TestInspectFormsAndKinds(t *testing.T) {
	entra := string(rtEntraB64(t))
	b64 := func(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }
	tests := []struct {
		name, input string
		kind        Kind
		form        string
		deflated    bool
		relay       string
	}{
		{"entra base64", entra, KindResponse, "base64", false, ""},
		{"entra form body", "SAMLResponse=" + url.QueryEscape(strings.TrimSpace(entra)) + "&RelayState=%2Fconsole", KindResponse, "form", false, "/console"},
		{"entra url-encoded value", url.QueryEscape(strings.TrimSpace(entra)), KindResponse, "url-encoded", false, ""},
		{"raw assertion", rtAssertionXML("_a1", "alice@example.com"), KindAssertion, "xml", false, ""},
		{"authn request raw xml", itAuthnRequest, KindAuthnRequest, "xml", false, ""},
		{"authn request redirect url", "https://idp.example.com/sso?SAMLRequest=" + url.QueryEscape(itDeflate(t, itAuthnRequest)) + "&RelayState=xyz", KindAuthnRequest, "url", true, "xyz"},
		{"authn request post form", "SAMLRequest=" + url.QueryEscape(b64(itAuthnRequest)), KindAuthnRequest, "form", false, ""},
		{"logout request deflated value", itDeflate(t, itLogoutRequest), KindLogoutRequest, "base64", true, ""},
		{"logout response base64", b64(itLogoutResponse), KindLogoutResponse, "base64", false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep, err := Inspect([]byte(tt.input), InspectOptions{Now: func() time.Time { return rtEntraTime }})
			if rep == nil {
				t.Fatalf("no report: %v", err)
			}
			if err != nil {
				t.Errorf("unexpected problems: %v", err)
			}
			if rep.Kind != tt.kind || rep.Message.Form != tt.form || rep.Message.Deflated != tt.deflated || rep.Message.RelayState != tt.relay {
				t.Errorf("kind %s form %s deflated %v relay %q; want %s %s %v %q", rep.Kind, rep.Message.Form, rep.Message.Deflated, rep.Message.RelayState, tt.kind, tt.form, tt.deflated, tt.relay)
			}
			if tt.kind.IsResponse() != (rep.View != nil) || tt.kind.IsResponse() == (rep.Request != nil) {
				t.Errorf("View %v Request %v for a %s", rep.View != nil, rep.Request != nil, rep.Kind)
			}
			if len(rep.Summary(rtEntraTime)) == 0 || len(rep.XML) == 0 {
				t.Error("empty summary or XML")
			}
		})
	}
}

func TestInspectRequestSummary(t *testing.T) {
	rep, err := Inspect([]byte("https://idp.example.com/sso?SAMLRequest="+url.QueryEscape(itDeflate(t, itAuthnRequest))), InspectOptions{})
	if err != nil {
		t.Fatal(err)
	}
	rv := rep.Request
	if rv.ID != "_req1" || rv.Issuer != "https://sp.example.com" || rv.ACSURL != "https://sp.example.com/acs" || rv.NameIDPolicy != "urn:oasis:names:tc:SAML:2.0:nameid-format:persistent" {
		t.Errorf("request view %+v", rv)
	}
	got := map[string]string{}
	for _, r := range rep.Summary(rtTestTime) {
		got[r.Name] = r.Value
	}
	if got["Message"] != "AuthnRequest (HTTP-Redirect binding)" || got["IssueInstant"] != "2026-06-01T11:59:00Z (1m0s ago)" || !strings.HasPrefix(got["Signed"], "not in the XML") {
		t.Errorf("summary %v", got)
	}
	// With trust given, an unsigned request is not verified, and says why.
	k := rtKeyPair(t, 0)
	_, err = Inspect([]byte(itAuthnRequest), InspectOptions{Certificates: []*x509.Certificate{k.cert}})
	if !errors.Is(err, ErrNotVerified) || !strings.Contains(err.Error(), "no enveloped signature") {
		t.Errorf("unsigned request with trust: %v", err)
	}
	// A signed request verifies.
	signed := rtSign(t, k, rtElement(t, itLogoutRequest))
	xml := rtString(t, signed)
	rep, err = Inspect([]byte(xml), InspectOptions{Certificates: []*x509.Certificate{k.cert}, Now: func() time.Time { return rtTestTime }})
	if err != nil || !rep.Verified() || rep.XML[0].Signed != SignedVerified {
		t.Fatalf("signed LogoutRequest: %v verified %v first line %+v", err, rep != nil && rep.Verified(), rep.XML[0])
	}
	// By another key it does not.
	rep, err = Inspect([]byte(xml), InspectOptions{Certificates: []*x509.Certificate{rtKeyPair(t, 1).cert}, Now: func() time.Time { return rtTestTime }})
	if !errors.Is(err, ErrSignature) || rep.Verified() || rep.XML[0].Signed != SignedInvalid {
		t.Errorf("request signed by another key: %v", err)
	}
}

func TestInspectVerifiesEntraAndMarksSignedLines(t *testing.T) {
	pemBytes, err := os.ReadFile(filepath.Join("testdata", "reader", "entra-signing.pem"))
	if err != nil {
		t.Fatal(err)
	}
	now := func() time.Time { return rtEntraTime }
	for _, trust := range []InspectOptions{
		{Trust: pemBytes, Now: now},
		{Trust: []byte(rtIdPEntity("https://sts.windows.net/x/", rtKeyDescriptor("signing", rtEntraCert(t)))), Now: now},
		{Trust: []byte(base64.StdEncoding.EncodeToString(rtEntraCert(t).Raw)), Now: now},
	} {
		rep, err := Inspect(rtEntraB64(t), trust)
		if err != nil || !rep.Verified() || rep.View.VerifiedElement != "Assertion" {
			t.Fatalf("trust %.30q: %v", trust.Trust, err)
		}
		var signed, unsigned int
		for _, l := range rep.XML {
			switch {
			case l.Signed == SignedVerified && l.SignedBy == "Assertion":
				signed++
			case l.Signed == NotSigned:
				unsigned++
			default:
				t.Errorf("line %+v", l)
			}
		}
		// The Response, its Issuer and Status are outside the signature.
		if signed < 40 || unsigned != 6 || rep.XML[0].Signed != NotSigned {
			t.Errorf("%d signed, %d unsigned lines:\n%s", signed, unsigned, rep.PrettyXML())
		}
		if !strings.Contains(rep.PrettyXML(), "| ") {
			t.Error("PrettyXML has no verified margin")
		}
	}
	// Without trust, the same lines are marked unchecked.
	rep, err := Inspect(rtEntraB64(t), InspectOptions{})
	if err != nil || rep.Trusted || rep.XML[5].Signed != SignedUnchecked {
		t.Errorf("untrusted: %v %+v", err, rep.XML[5])
	}
}

func TestInspectRefuses(t *testing.T) {
	wrapped := rtResponseXML("_r", rtAssertionXML("_a1", "alice@example.com")+`<Extensions xmlns="urn:oasis:names:tc:SAML:2.0:protocol">`+rtAssertionXML("_a2", "admin@example.com")+`</Extensions>`)
	tests := []struct {
		name   string
		input  string
		opts   InspectOptions
		report bool // a report comes back for display
		want   error
		text   string
	}{
		{"doctype with entity", `<!DOCTYPE r [<!ENTITY x "y">]>` + itAuthnRequest, InspectOptions{}, false, ErrUnsafeXML, "DOCTYPE"},
		{"not saml", `<html><body>hi</body></html>`, InspectOptions{}, false, ErrMalformed, "root element"},
		{"garbage", "!!!", InspectOptions{}, false, ErrMalformed, "base64"},
		{"signature wrapping", wrapped, InspectOptions{}, true, ErrStructure, "2 assertions"},
		{"private key as trust", itAuthnRequest, InspectOptions{Trust: pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: []byte{1}})}, false, ErrTrust, "never a private key"},
		{"junk trust", itAuthnRequest, InspectOptions{Trust: []byte("hello")}, false, ErrTrust, "want PEM"},
		{"response as SAMLRequest", "SAMLRequest=" + url.QueryEscape(base64.StdEncoding.EncodeToString([]byte(rtAssertionXML("_a", "x")))), InspectOptions{}, true, ErrMalformed, "arrived as SAMLRequest"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep, err := Inspect([]byte(tt.input), tt.opts)
			if (rep != nil) != tt.report || !errors.Is(err, tt.want) || !strings.Contains(err.Error(), tt.text) {
				t.Errorf("report %v, err %v; want report %v, %v containing %q", rep != nil, err, tt.report, tt.want, tt.text)
			}
		})
	}
}

// FuzzInspectInput: whatever is pasted, Inspect never panics, returns a
// report or an error with a sentinel, and a report is self-consistent.
func FuzzInspectInput(f *testing.F) {
	f.Add([]byte(itAuthnRequest))
	f.Add([]byte("SAMLResponse=PHNhbWw%2B&RelayState=x"))
	f.Add([]byte("https://idp/sso?SAMLRequest=fZBBa8MwDIX%2F&SigAlg=x"))
	f.Add([]byte(base64.StdEncoding.EncodeToString([]byte(itLogoutResponse))))
	f.Add([]byte(`<!DOCTYPE x><x/>`))
	f.Add([]byte(rtAssertionXML("_a", "n")))
	f.Add(harBuild(f, harReq{Method: "POST", URL: "https://sp/acs", Params: [][2]string{{"SAMLRequest", base64.StdEncoding.EncodeToString([]byte(itAuthnRequest))}, {"RelayState", "r"}}}))
	f.Fuzz(func(t *testing.T, in []byte) {
		rep, err := Inspect(in, InspectOptions{Now: func() time.Time { return rtTestTime }})
		if rep == nil {
			if err == nil || !(errors.Is(err, ErrMalformed) || errors.Is(err, ErrUnsafeXML)) {
				t.Fatalf("no report and error %v", err)
			}
			return
		}
		if rep.Message == nil || (rep.View == nil) == (rep.Request == nil) || rep.Kind.IsResponse() != (rep.View != nil) {
			t.Fatalf("inconsistent report for a %s", rep.Kind)
		}
		if rep.Verified() {
			t.Fatal("verified with no trust anchor")
		}
		_ = rep.Summary(rtTestTime)
		_ = rep.PrettyXML()
	})
}

func TestSummaryRelative(t *testing.T) {
	now := time.Date(2026, 12, 7, 0, 0, 0, 0, time.UTC)
	for _, tt := range []struct {
		t    time.Time
		want string
	}{
		{now, "now"},
		{now.Add(-192 * time.Second), "3m12s ago"},
		{now.Add(4 * time.Minute), "in 4m0s"},
		{now.Add(-47 * time.Hour), "47h0m0s ago"},
		{now.Add(-990*24*time.Hour - time.Hour), "990 days ago"},
		{now.Add(3 * 24 * time.Hour), "in 3 days"},
	} {
		if got := summaryRelative(tt.t, now); got != tt.want {
			t.Errorf("summaryRelative(%s) = %q, want %q", tt.t.Sub(now), got, tt.want)
		}
	}
}

// A Redirect-binding URL with Signature and SigAlg: the query signature
// is checked against the trust given, over the query text as received.
func TestInspectRedirectQuerySignature(t *testing.T) {
	k := rtKeyPair(t, 0)
	q := "SAMLRequest=" + url.QueryEscape(itDeflate(t, itAuthnRequest)) + "&RelayState=" + url.QueryEscape("a b/c") + "&SigAlg=" + url.QueryEscape(SigAlgRSASHA256)
	h := crypto.SHA256.New()
	h.Write([]byte(q))
	sig, err := rsa.SignPKCS1v15(rand.Reader, k.key, crypto.SHA256, h.Sum(nil))
	if err != nil {
		t.Fatal(err)
	}
	signedURL := "https://idp.example.com/sso?" + q + "&Signature=" + url.QueryEscape(base64.StdEncoding.EncodeToString(sig))
	at := func() time.Time { return rtTestTime }

	rep, err := Inspect([]byte(signedURL), InspectOptions{Certificates: []*x509.Certificate{k.cert}, Now: at})
	if err != nil || !rep.Verified() || rep.Message.RelayState != "a b/c" || rep.XML[0].Signed != SignedVerified {
		t.Fatalf("signed Redirect URL: %v, verified %v", err, rep != nil && rep.Verified())
	}
	if s := rep.Request.Signatures; len(s) != 1 || s[0].Element != "AuthnRequest (URL query)" || s[0].Algorithm != SigAlgRSASHA256 {
		t.Errorf("signatures %+v", s)
	}
	// Another key, or a changed RelayState: not verified.
	if rep, err := Inspect([]byte(signedURL), InspectOptions{Certificates: []*x509.Certificate{rtKeyPair(t, 1).cert}, Now: at}); !errors.Is(err, ErrSignature) || rep.Verified() {
		t.Errorf("other key: %v", err)
	}
	tampered := strings.Replace(signedURL, "RelayState=a+b", "RelayState=a+c", 1)
	if rep, err := Inspect([]byte(tampered), InspectOptions{Certificates: []*x509.Certificate{k.cert}, Now: at}); !errors.Is(err, ErrSignature) || rep.Verified() {
		t.Errorf("tampered RelayState: %v", err)
	}
	// Without trust: listed, not checked.
	rep, err = Inspect([]byte(signedURL), InspectOptions{Now: at})
	if err != nil || rep.Verified() || rep.Request.Signatures[0].State(false) != "not checked (no trusted certificate given)" || rep.XML[0].Signed != SignedUnchecked {
		t.Errorf("untrusted: %v %+v", err, rep.Request.Signatures)
	}
}

// BenchmarkInspectEntra is BenchmarkReadEntra through the front door:
// decode, one safe parse, kind, verify, and the marked XML lines.
func BenchmarkInspectEntra(b *testing.B) {
	posted := rtEntraB64(b)
	opts := InspectOptions{Certificates: []*x509.Certificate{rtEntraCert(b)}, Now: func() time.Time { return rtEntraTime }}
	for b.Loop() {
		if _, err := Inspect(posted, opts); err != nil {
			b.Fatal(err)
		}
	}
}

func TestKindNoun(t *testing.T) {
	for k, want := range map[Kind]string{KindResponse: "a Response", KindAssertion: "an Assertion", KindAuthnRequest: "an AuthnRequest", KindLogoutRequest: "a LogoutRequest"} {
		if got := k.Noun(); got != want {
			t.Errorf("%s.Noun() = %q, want %q", k, got, want)
		}
	}
}

func TestDecodeRefusesRepeatedQuerySignature(t *testing.T) {
	q := "SAMLRequest=" + url.QueryEscape(itDeflate(t, itAuthnRequest)) + "&SigAlg=a&Signature=AAAA&Signature=BBBB"
	if _, err := Decode([]byte(q)); !errors.Is(err, ErrMalformed) || !strings.Contains(err.Error(), "Signature twice") {
		t.Errorf("repeated Signature: %v", err)
	}
}
