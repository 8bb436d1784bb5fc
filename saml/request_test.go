package saml

import (
	"bytes"
	"compress/flate"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"errors"
	"fmt"
	"math/big"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/beevik/etree"
	crewsaml "github.com/crewjam/saml"
	dsig "github.com/russellhaering/goxmldsig"
)

var reqTNow = time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)

const (
	reqTSSO = "https://idp.example.com/sso"
	reqTSLO = "https://idp.example.com/slo"
	reqTSP  = "https://sp.example.com/metadata"
	reqTACS = "https://sp.example.com/acs"
)

type reqTKey struct {
	key  crypto.Signer
	cert *x509.Certificate
}

var (
	reqTKeysOnce sync.Once
	reqTKeys     map[string]reqTKey
)

// reqTKeyPair returns a cached test key: "rsa", "rsa-other" or "ecdsa".
func reqTKeyPair(t testing.TB, name string) reqTKey {
	t.Helper()
	reqTKeysOnce.Do(func() {
		reqTKeys = map[string]reqTKey{}
		for i, n := range []string{"rsa", "rsa-other", "ecdsa"} {
			var key crypto.Signer
			var err error
			if n == "ecdsa" {
				key, err = ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
			} else {
				key, err = rsa.GenerateKey(rand.Reader, 2048)
			}
			if err != nil {
				panic(err)
			}
			tmpl := &x509.Certificate{
				SerialNumber: big.NewInt(int64(i + 1)),
				Subject:      pkix.Name{CommonName: "test SP " + n},
				NotBefore:    reqTNow.Add(-24 * time.Hour),
				NotAfter:     reqTNow.Add(365 * 24 * time.Hour),
			}
			der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, key.Public(), key)
			if err != nil {
				panic(err)
			}
			cert, _ := x509.ParseCertificate(der)
			reqTKeys[n] = reqTKey{key: key, cert: cert}
		}
	})
	return reqTKeys[name]
}

func reqTPolicy(t testing.TB, sp *RequestSP) *InboundPolicy {
	if sp == nil {
		sp = &RequestSP{EntityID: reqTSP, ACSURLs: []string{reqTACS, "https://sp.example.com/acs2"}}
	}
	return &InboundPolicy{
		SSOURL: reqTSSO, SLOURL: reqTSLO,
		LookupSP: func(id string) (*RequestSP, bool) {
			if id == sp.EntityID {
				return sp, true
			}
			return nil, false
		},
		Clock:  FixedClock(reqTNow),
		Replay: NewMemoryReplayCache(100),
	}
}

// reqTAuthn builds an AuthnRequest; edit changes the attribute map.
type reqTFields struct {
	ID, Issuer, Destination, ACS, ACSIndex, Binding string
	IssueInstant                                    time.Time
	Extra                                           string // inner XML after Issuer
	Attrs                                           string // extra attributes
}

func reqTAuthn(f reqTFields) string {
	if f.ID == "" {
		f.ID = "_req1"
	}
	if f.IssueInstant.IsZero() {
		f.IssueInstant = reqTNow.Add(-10 * time.Second)
	}
	var b strings.Builder
	fmt.Fprintf(&b, `<samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="%s" Version="2.0" IssueInstant="%s"`,
		f.ID, f.IssueInstant.Format(time.RFC3339))
	if f.Destination != "" {
		fmt.Fprintf(&b, ` Destination="%s"`, f.Destination)
	}
	if f.ACS != "" {
		fmt.Fprintf(&b, ` AssertionConsumerServiceURL="%s"`, f.ACS)
	}
	if f.ACSIndex != "" {
		fmt.Fprintf(&b, ` AssertionConsumerServiceIndex="%s"`, f.ACSIndex)
	}
	if f.Binding != "" {
		fmt.Fprintf(&b, ` ProtocolBinding="%s"`, f.Binding)
	}
	b.WriteString(f.Attrs + ">")
	if f.Issuer != "-" {
		iss := f.Issuer
		if iss == "" {
			iss = reqTSP
		}
		fmt.Fprintf(&b, `<saml:Issuer>%s</saml:Issuer>`, iss)
	}
	b.WriteString(f.Extra + `</samlp:AuthnRequest>`)
	return b.String()
}

func reqTDeflate(s string) string {
	var buf bytes.Buffer
	w, _ := flate.NewWriter(&buf, flate.BestCompression)
	w.Write([]byte(s))
	w.Close()
	return base64.StdEncoding.EncodeToString(buf.Bytes())
}

// reqTRedirectQuery builds a Redirect-binding query, signed with k when
// sigAlg is not "".
func reqTRedirectQuery(t testing.TB, xml, relayState, sigAlg string, k reqTKey) string {
	t.Helper()
	q := "SAMLRequest=" + url.QueryEscape(reqTDeflate(xml))
	if relayState != "" {
		q += "&RelayState=" + url.QueryEscape(relayState)
	}
	if sigAlg == "" {
		return q
	}
	q += "&SigAlg=" + url.QueryEscape(sigAlg)
	var h crypto.Hash = crypto.SHA256
	if sigAlg == SigAlgRSASHA1 {
		h = crypto.SHA1
	}
	hh := h.New()
	hh.Write([]byte(q))
	sig, err := k.key.Sign(rand.Reader, hh.Sum(nil), h)
	if err != nil {
		t.Fatal(err)
	}
	return q + "&Signature=" + url.QueryEscape(base64.StdEncoding.EncodeToString(sig))
}

// reqTSignPost signs the XML with an enveloped signature (goxmldsig).
func reqTSignPost(t testing.TB, xmlText string, k reqTKey) string {
	t.Helper()
	doc := etree.NewDocument()
	if err := doc.ReadFromString(xmlText); err != nil {
		t.Fatal(err)
	}
	ctx, err := dsig.NewSigningContext(k.key, [][]byte{k.cert.Raw})
	if err != nil {
		t.Fatal(err)
	}
	ctx.Canonicalizer = dsig.MakeC14N10ExclusiveCanonicalizerWithPrefixList("")
	if _, ok := k.key.(*ecdsa.PrivateKey); ok {
		ctx.SetSignatureMethod(dsig.ECDSASHA256SignatureMethod)
	}
	sig, err := ctx.ConstructSignature(doc.Root(), true)
	if err != nil {
		t.Fatal(err)
	}
	doc.Root().InsertChildAt(1, sig)
	s, err := doc.WriteToString()
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func reqTPostForm(xmlText, relayState string) url.Values {
	v := url.Values{"SAMLRequest": {base64.StdEncoding.EncodeToString([]byte(xmlText))}}
	if relayState != "" {
		v.Set("RelayState", relayState)
	}
	return v
}

func TestParseAuthnRequestRedirectValid(t *testing.T) {
	p := reqTPolicy(t, nil)
	q := reqTRedirectQuery(t, reqTAuthn(reqTFields{
		Destination: reqTSSO, Attrs: ` ForceAuthn="true"`,
		Extra: `<samlp:NameIDPolicy Format="urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress" AllowCreate="true"/>`,
	}), "state &<\"x\"> é", "", reqTKey{})
	got, err := p.ParseAuthnRequestRedirect(q)
	if err != nil {
		t.Fatal(err)
	}
	want := AuthnRequestInfo{ID: "_req1", Issuer: reqTSP, ACS: reqTACS, RelayState: "state &<\"x\"> é",
		Binding: crewsaml.HTTPRedirectBinding, ForceAuthn: true, NameIDFormat: "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress"}
	if got.ID != want.ID || got.Issuer != want.Issuer || got.ACS != want.ACS || got.RelayState != want.RelayState ||
		got.Binding != want.Binding || got.ForceAuthn != want.ForceAuthn || got.IsPassive || got.NameIDFormat != want.NameIDFormat || got.Signed {
		t.Errorf("got %+v\nwant %+v", *got, want)
	}
}

// A NameIDPolicy asking for unspecified reaches the caller as asked (the
// claims engine decides what it means, see requested_unspecified); no
// NameIDPolicy, or one without a Format, gives "".
func TestParseAuthnRequestNameIDPolicyUnspecified(t *testing.T) {
	p := reqTPolicy(t, nil)
	for _, tc := range []struct{ extra, want string }{
		{`<samlp:NameIDPolicy Format="urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified"/>`, "urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified"},
		{`<samlp:NameIDPolicy AllowCreate="true"/>`, ""},
		{``, ""},
	} {
		q := reqTRedirectQuery(t, reqTAuthn(reqTFields{Destination: reqTSSO, Extra: tc.extra}), "", "", reqTKey{})
		got, err := p.ParseAuthnRequestRedirect(q)
		if err != nil {
			t.Fatal(err)
		}
		if got.NameIDFormat != tc.want {
			t.Errorf("%s: NameIDFormat = %q, want %q", tc.extra, got.NameIDFormat, tc.want)
		}
	}
}

func TestParseAuthnRequestRedirectSigned(t *testing.T) {
	rsaK, ecK, other := reqTKeyPair(t, "rsa"), reqTKeyPair(t, "ecdsa"), reqTKeyPair(t, "rsa-other")
	sp := &RequestSP{EntityID: reqTSP, ACSURLs: []string{reqTACS}, RequireSigned: true, Certificates: []*x509.Certificate{rsaK.cert, ecK.cert}}
	base := reqTAuthn(reqTFields{Destination: reqTSSO})
	valid := reqTRedirectQuery(t, base, "rs", SigAlgRSASHA256, rsaK)
	tests := []struct {
		name  string
		query string
		want  error // nil = accepted
	}{
		{"rsa-sha256", valid, nil},
		{"ecdsa-sha256", reqTRedirectQuery(t, base, "rs", SigAlgECDSASHA256, ecK), nil},
		{"no RelayState", reqTRedirectQuery(t, base, "", SigAlgRSASHA256, rsaK), nil},
		{"params in another order", reorderQuery(valid), nil},
		{"unsigned but required", reqTRedirectQuery(t, base, "rs", "", reqTKey{}), ErrRequestSignature},
		{"other key", reqTRedirectQuery(t, base, "rs", SigAlgRSASHA256, other), ErrRequestSignature},
		{"sha1 refused", reqTRedirectQuery(t, base, "rs", SigAlgRSASHA1, rsaK), ErrRequestSignature},
		{"RelayState changed", strings.Replace(valid, "RelayState=rs", "RelayState=rt", 1), ErrRequestSignature},
		{"RelayState re-encoded", strings.Replace(valid, "RelayState=rs", "RelayState=%72s", 1), ErrRequestSignature},
		{"SigAlg missing", removeParam(valid, "SigAlg"), ErrRequestSignature},
		{"SigAlg switched", strings.Replace(valid, url.QueryEscape(SigAlgRSASHA256), url.QueryEscape(SigAlgRSASHA512), 1), ErrRequestSignature},
		{"duplicate RelayState", valid + "&RelayState=evil", ErrRequestMalformed},
		{"signed without Destination", reqTRedirectQuery(t, reqTAuthn(reqTFields{}), "rs", SigAlgRSASHA256, rsaK), ErrRequestDestination},
		{"duplicate SAMLRequest", valid + "&SAMLRequest=" + url.QueryEscape(reqTDeflate(base)), ErrRequestMalformed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := reqTPolicy(t, sp)
			got, err := p.ParseAuthnRequestRedirect(tt.query)
			if tt.want == nil {
				if err != nil {
					t.Fatalf("err = %v, want accepted", err)
				}
				if !got.Signed {
					t.Error("Signed = false")
				}
				return
			}
			if !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
			var re *RequestError
			if !errors.As(err, &re) || re.Kind != RequestRejected {
				t.Errorf("err = %#v, want a RequestRejected *RequestError", err)
			}
		})
	}
}

func reorderQuery(q string) string {
	parts := strings.Split(q, "&")
	for i, j := 0, len(parts)-1; i < j; i, j = i+1, j-1 {
		parts[i], parts[j] = parts[j], parts[i]
	}
	return strings.Join(parts, "&")
}

func removeParam(q, name string) string {
	var keep []string
	for _, p := range strings.Split(q, "&") {
		if !strings.HasPrefix(p, name+"=") {
			keep = append(keep, p)
		}
	}
	return strings.Join(keep, "&")
}

func TestParseAuthnRequestChecks(t *testing.T) {
	rsaK := reqTKeyPair(t, "rsa")
	tests := []struct {
		name   string
		fields reqTFields
		relay  string
		want   error
		status string // for RequestStatus errors: the sub-status
	}{
		{"no Issuer", reqTFields{Issuer: "-"}, "", ErrRequestUnknownSP, ""},
		{"unknown Issuer", reqTFields{Issuer: "https://evil.example.com"}, "", ErrRequestUnknownSP, ""},
		{"empty Issuer", reqTFields{Issuer: " "}, "", ErrRequestUnknownSP, ""},
		{"ACS not registered", reqTFields{ACS: "https://evil.example/acs"}, "", ErrRequestACS, ""},
		{"ACS suffix host", reqTFields{ACS: "https://sp.example.com.evil.com/acs"}, "", ErrRequestACS, ""},
		{"ACS userinfo", reqTFields{ACS: "https://sp.example.com@evil.com/acs"}, "", ErrRequestACS, ""},
		{"ACS dot segments", reqTFields{ACS: "https://sp.example.com/acs/../x"}, "", ErrRequestACS, ""},
		{"ACS trailing slash", reqTFields{ACS: reqTACS + "/"}, "", ErrRequestACS, ""},
		{"ACS case", reqTFields{ACS: strings.ToUpper(reqTACS)}, "", ErrRequestACS, ""},
		{"ACS extra query", reqTFields{ACS: reqTACS + "?x=1"}, "", ErrRequestACS, ""},
		{"ACS URL and index", reqTFields{ACS: reqTACS, ACSIndex: "0"}, "", ErrRequestACS, ""},
		{"ACS index unknown", reqTFields{ACSIndex: "7"}, "", ErrRequestACS, ""},
		{"artifact binding", reqTFields{Binding: "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Artifact"}, "", ErrRequestBinding, ""},
		{"wrong Destination", reqTFields{Destination: "https://other-idp/sso"}, "", ErrRequestDestination, ""},
		{"expired", reqTFields{IssueInstant: reqTNow.Add(-time.Hour)}, "", ErrRequestExpired, ""},
		{"future", reqTFields{IssueInstant: reqTNow.Add(time.Hour)}, "", ErrRequestFuture, ""},
		{"RelayState too long", reqTFields{}, strings.Repeat("a", MaxRelayStateBytes+1), ErrRequestRelayState, ""},
		{"DOCTYPE", reqTFields{ID: "x"}, "", ErrRequestMalformed, ""},
		{"NameIDPolicy unsupported", reqTFields{Extra: `<samlp:NameIDPolicy Format="urn:oasis:names:tc:SAML:2.0:nameid-format:kerberos"/>`}, "", ErrRequestNameIDPolicy, crewsaml.StatusInvalidNameIDPolicy},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			x := reqTAuthn(tt.fields)
			if tt.name == "DOCTYPE" {
				x = `<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>` + x
			}
			for _, binding := range []string{"redirect", "post"} {
				p := reqTPolicy(t, nil)
				var err error
				if binding == "redirect" {
					_, err = p.ParseAuthnRequestRedirect(reqTRedirectQuery(t, x, tt.relay, "", rsaK))
				} else {
					_, err = p.ParseAuthnRequestPost(reqTPostForm(x, tt.relay))
				}
				if !errors.Is(err, tt.want) {
					t.Fatalf("%s: err = %v, want %v", binding, err, tt.want)
				}
				var re *RequestError
				if !errors.As(err, &re) {
					t.Fatalf("%s: err is %T, want *RequestError", binding, err)
				}
				if tt.status != "" {
					if re.Kind != RequestStatus || re.SubStatus != tt.status || re.Request == nil || re.Request.ACS != reqTACS {
						t.Errorf("%s: got kind %v sub %q request %+v, want RequestStatus %q to %s", binding, re.Kind, re.SubStatus, re.Request, tt.status, reqTACS)
					}
				} else if re.Kind != RequestRejected {
					t.Errorf("%s: kind = %v, want RequestRejected", binding, re.Kind)
				}
			}
		})
	}
}

func TestParseAuthnRequestACSSelection(t *testing.T) {
	tests := []struct {
		fields reqTFields
		want   string
	}{
		{reqTFields{}, reqTACS},
		{reqTFields{ACS: "https://sp.example.com/acs2"}, "https://sp.example.com/acs2"},
		{reqTFields{ACSIndex: "1"}, "https://sp.example.com/acs2"},
		{reqTFields{ACS: reqTACS, Binding: crewsaml.HTTPPostBinding}, reqTACS},
	}
	for _, tt := range tests {
		p := reqTPolicy(t, nil)
		got, err := p.ParseAuthnRequestPost(reqTPostForm(reqTAuthn(tt.fields), ""))
		if err != nil {
			t.Fatalf("%+v: %v", tt.fields, err)
		}
		if got.ACS != tt.want {
			t.Errorf("%+v: ACS = %q, want %q", tt.fields, got.ACS, tt.want)
		}
	}
}

func TestParseAuthnRequestFlags(t *testing.T) {
	p := reqTPolicy(t, nil)
	x := reqTAuthn(reqTFields{Attrs: ` IsPassive="true"`,
		Extra: `<saml:Subject><saml:NameID>admin@contoso.com</saml:NameID></saml:Subject>`})
	got, err := p.ParseAuthnRequestPost(reqTPostForm(x, ""))
	if err != nil {
		t.Fatal(err)
	}
	if !got.IsPassive || got.ForceAuthn || got.Subject != "admin@contoso.com" {
		t.Errorf("IsPassive=%v ForceAuthn=%v Subject=%q, want true false admin@contoso.com", got.IsPassive, got.ForceAuthn, got.Subject)
	}
}

func TestParseAuthnRequestPostSigned(t *testing.T) {
	rsaK, ecK, other := reqTKeyPair(t, "rsa"), reqTKeyPair(t, "ecdsa"), reqTKeyPair(t, "rsa-other")
	sp := &RequestSP{EntityID: reqTSP, ACSURLs: []string{reqTACS}, RequireSigned: true, Certificates: []*x509.Certificate{rsaK.cert, ecK.cert}}
	base := reqTAuthn(reqTFields{Destination: reqTSSO})
	signed := reqTSignPost(t, base, rsaK)
	// XSW: the signed request hidden in Extensions, a forged outer one.
	inner := strings.TrimPrefix(signed, `<?xml version="1.0" encoding="UTF-8"?>`)
	forged := reqTAuthn(reqTFields{ID: "_forged", Destination: reqTSSO, ACS: reqTACS,
		Extra: `<samlp:Extensions>` + inner + `</samlp:Extensions>`})
	// A signature moved onto a forged request with another ID.
	moved := strings.Replace(signed, `ID="_req1"`, `ID="_req2"`, 1)
	tampered := strings.Replace(signed, `Version="2.0"`, `Version="2.0" ForceAuthn="false"`, 1)
	tests := []struct {
		name string
		xml  string
		want error
	}{
		{"rsa", signed, nil},
		{"ecdsa", reqTSignPost(t, base, ecK), nil},
		{"unsigned", base, ErrRequestSignature},
		{"other key", reqTSignPost(t, base, other), ErrRequestSignature},
		{"tampered", tampered, ErrRequestSignature},
		{"moved signature", moved, ErrRequestSignature},
		{"wrapped", forged, ErrRequestSignature},
		{"no Destination when signed", reqTSignPost(t, reqTAuthn(reqTFields{}), rsaK), ErrRequestDestination},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := reqTPolicy(t, sp)
			got, err := p.ParseAuthnRequestPost(reqTPostForm(tt.xml, ""))
			if tt.want == nil {
				if err != nil || !got.Signed || got.ID != "_req1" {
					t.Fatalf("got %+v, %v; want signed _req1", got, err)
				}
				return
			}
			if !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
		})
	}
}

func TestParseAuthnRequestSignatureWithoutCerts(t *testing.T) {
	// A signature is never ignored, even from an SP that need not sign.
	p := reqTPolicy(t, nil)
	x := reqTSignPost(t, reqTAuthn(reqTFields{Destination: reqTSSO}), reqTKeyPair(t, "rsa"))
	if _, err := p.ParseAuthnRequestPost(reqTPostForm(x, "")); !errors.Is(err, ErrRequestSignature) {
		t.Fatalf("err = %v, want %v", err, ErrRequestSignature)
	}
}

func TestParseAuthnRequestReplay(t *testing.T) {
	k := reqTKeyPair(t, "rsa")
	sp := &RequestSP{EntityID: reqTSP, ACSURLs: []string{reqTACS}, Certificates: []*x509.Certificate{k.cert}}
	p := reqTPolicy(t, sp)
	q := reqTRedirectQuery(t, reqTAuthn(reqTFields{Destination: reqTSSO}), "", SigAlgRSASHA256, k)
	if _, err := p.ParseAuthnRequestRedirect(q); err != nil {
		t.Fatalf("first: %v", err)
	}
	if _, err := p.ParseAuthnRequestRedirect(q); !errors.Is(err, ErrRequestReplay) {
		t.Fatalf("second: err = %v, want %v", err, ErrRequestReplay)
	}
}

func TestParseAuthnRequestInflateBomb(t *testing.T) {
	p := reqTPolicy(t, nil)
	var buf bytes.Buffer
	w, _ := flate.NewWriter(&buf, flate.BestCompression)
	w.Write([]byte(`<samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol">`))
	w.Write(bytes.Repeat([]byte(" "), 8<<20))
	w.Close()
	q := "SAMLRequest=" + url.QueryEscape(base64.StdEncoding.EncodeToString(buf.Bytes()))
	if _, err := p.ParseAuthnRequestRedirect(q); !errors.Is(err, ErrRequestTooLarge) {
		t.Fatalf("err = %v, want %v", err, ErrRequestTooLarge)
	}
}

func TestMemoryReplayCacheEvicts(t *testing.T) {
	c := NewMemoryReplayCache(20)
	for i := 0; i < 20; i++ {
		if c.Seen(fmt.Sprint(i), reqTNow.Add(time.Duration(i+1)*time.Minute), reqTNow) {
			t.Fatalf("fresh ID %d reported as seen", i)
		}
	}
	if !c.Seen("5", reqTNow.Add(time.Hour), reqTNow) {
		t.Error("ID 5 not reported as seen")
	}
	// Full: a new ID evicts the entries that expire soonest (0, 1, 2).
	c.Seen("new", reqTNow.Add(time.Hour), reqTNow)
	if got, want := len(c.entries), 18; got != want {
		t.Errorf("len = %d, want %d", got, want)
	}
	if _, ok := c.entries["0"]; ok {
		t.Error("the soonest-expiring entry was kept")
	}
	if !c.Seen("19", reqTNow.Add(time.Hour), reqTNow) {
		t.Error("a late-expiring entry was evicted")
	}
	// Expired entries do not count as seen.
	if c.Seen("5", reqTNow.Add(time.Hour), reqTNow.Add(7*time.Minute)) {
		t.Error("expired ID 5 reported as seen")
	}
}

func FuzzParseAuthnRequestPost(f *testing.F) {
	f.Add(reqTAuthn(reqTFields{}), "rs")
	f.Add(reqTAuthn(reqTFields{ACS: reqTACS, Extra: `<samlp:NameIDPolicy Format="x"/>`}), "")
	f.Fuzz(func(t *testing.T, x, relay string) {
		p := reqTPolicy(t, nil)
		info, err := p.ParseAuthnRequestPost(reqTPostForm(x, relay))
		if err == nil && info.ACS != reqTACS && info.ACS != "https://sp.example.com/acs2" {
			t.Fatalf("accepted unregistered ACS %q", info.ACS)
		}
		if err != nil {
			var re *RequestError
			if !errors.As(err, &re) {
				t.Fatalf("error %v is %T, not *RequestError", err, err)
			}
		}
	})
}

func FuzzParseAuthnRequestRedirect(f *testing.F) {
	f.Add("SAMLRequest=" + url.QueryEscape(reqTDeflate(reqTAuthn(reqTFields{}))) + "&RelayState=x")
	f.Add("SAMLRequest=%zz&Signature=1")
	f.Fuzz(func(t *testing.T, q string) {
		p := reqTPolicy(t, nil)
		info, err := p.ParseAuthnRequestRedirect(q)
		if err == nil && info.ACS != reqTACS && info.ACS != "https://sp.example.com/acs2" {
			t.Fatalf("accepted unregistered ACS %q", info.ACS)
		}
	})
}
