package securitytest

import (
	"crypto/x509"
	"errors"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/samlab/samlab/certs"
	"github.com/samlab/samlab/config"
	"github.com/samlab/samlab/idp"
	"github.com/samlab/samlab/saml"
)

// Fuzz targets for parsers of outside input that have none in their own
// package: LogoutRequest (both bindings), SP metadata import, and rule
// loading end to end (TOML → config.Parse → claims.Compile in idp.New →
// Issue → Read). scripts/fuzz.sh runs them with the other packages'.

const (
	fzSP   = "https://sp.example.com/metadata"
	fzSSO  = "https://idp.example.com/sso"
	fzSLO  = "https://idp.example.com/slo"
	fzTime = "2026-01-01T00:00:00Z"
)

var fzNow = time.Date(2026, 1, 1, 0, 0, 10, 0, time.UTC)

func fzPolicy(cert *x509.Certificate) *saml.InboundPolicy {
	sp := &saml.RequestSP{EntityID: fzSP, ACSURLs: []string{"https://sp.example.com/acs"}}
	if cert != nil {
		sp.Certificates = []*x509.Certificate{cert}
	}
	return &saml.InboundPolicy{
		SSOURL: fzSSO, SLOURL: fzSLO,
		LookupSP: func(id string) (*saml.RequestSP, bool) { return sp, id == fzSP },
		Clock:    saml.FixedClock(fzNow),
		Replay:   saml.NewMemoryReplayCache(1000),
	}
}

func fzLogout(nameID string) string {
	return `<samlp:LogoutRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_lo1" Version="2.0" IssueInstant="` +
		fzTime + `" Destination="` + fzSLO + `"><saml:Issuer>` + fzSP + `</saml:Issuer><saml:NameID>` + nameID +
		`</saml:NameID><samlp:SessionIndex>_s1</samlp:SessionIndex></samlp:LogoutRequest>`
}

// checkLogout holds for every parse: an error is a *saml.RequestError,
// and an accepted request names the known SP and a subject.
func checkLogout(t *testing.T, info *saml.LogoutRequestInfo, err error) {
	t.Helper()
	if err != nil {
		var re *saml.RequestError
		if !errors.As(err, &re) || info != nil {
			t.Fatalf("error %T %v (info %v): want a *saml.RequestError alone", err, err, info)
		}
		return
	}
	if info.Issuer != fzSP || strings.TrimSpace(info.NameID) == "" || info.ID == "" {
		t.Fatalf("accepted %+v", info)
	}
}

// FuzzParseLogoutRequest feeds the same bytes to the HTTP-Redirect parser
// (as a raw query) and, as XML, to the HTTP-POST parser.
func FuzzParseLogoutRequest(f *testing.F) {
	sp := testSPKeys(f)[0]
	f.Add("SAMLRequest="+url.QueryEscape(b64Deflate(fzLogout("alice")))+"&RelayState=r", fzLogout("alice"), "r")
	f.Add(signQuery(f, "SAMLRequest="+url.QueryEscape(b64Deflate(fzLogout("bob"))), saml.SigAlgRSASHA256, sp.key), signXML(f, fzLogout("bob"), sp), "")
	f.Add("SAMLRequest=%zz&SAMLRequest=&SigAlg=x", strings.Replace(fzLogout(""), "<saml:NameID></saml:NameID>", "", 1), strings.Repeat("r", 5000))
	f.Add("RelayState=&Signature=AAAA", `<!DOCTYPE x><x/>`, "")
	f.Fuzz(func(t *testing.T, query, xml, relayState string) {
		info, err := fzPolicy(sp.cert).ParseLogoutRequestRedirect(query)
		checkLogout(t, info, err)
		info, err = fzPolicy(sp.cert).ParseLogoutRequestPost(postForm(xml, relayState))
		checkLogout(t, info, err)
		if err == nil && info.RelayState != relayState {
			t.Fatalf("RelayState %q came back as %q", relayState, info.RelayState)
		}
	})
}

func b64Deflate(xml string) string {
	q := redirectQuery(xml, "")
	v, _ := url.ParseQuery(q)
	return v.Get("SAMLRequest")
}

// FuzzParseSPMetadata reads SP metadata as the configuration loader does.
func FuzzParseSPMetadata(f *testing.F) {
	f.Add([]byte(`<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="https://sp.example.com"><md:SPSSODescriptor AuthnRequestsSigned="true" protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol"><md:KeyDescriptor use="signing"><ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:X509Data><ds:X509Certificate>MIIB</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor><md:AssertionConsumerService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="https://sp.example.com/acs" index="1" isDefault="true"/></md:SPSSODescriptor></md:EntityDescriptor>`))
	f.Add([]byte(`<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="&e;"/>`))
	f.Add([]byte(`<md:EntitiesDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata"><md:EntityDescriptor entityID="x"/></md:EntitiesDescriptor>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		md, err := config.ParseSPMetadata(data)
		if err != nil {
			if md != nil {
				t.Fatal("metadata and error both returned")
			}
			return
		}
		if md.EntityID == "" {
			t.Fatal("accepted metadata without an entityID")
		}
		for _, acs := range md.ACSURLs {
			if acs == "" {
				t.Fatal("empty ACS URL accepted")
			}
		}
	})
}

var (
	fzKeyOnce sync.Once
	fzKey     *certs.KeyPair
)

// fzTenantHead is a small tenant whose single app's claim rules the
// fuzzer writes (the text after "[[apps.claims]]").
const fzTenantHead = `[idp]
base_url = "https://idp.example.com"
demo = true
[[users]]
id = "alice"
password = "p"
type = "member"
groups = ["g1"]
[users.attributes]
userprincipalname = "alice@contoso.com"
mail = "alice@contoso.com"
department = "Engineering"
country = "US"
[[groups]]
id = "g1"
display_name = "Group One"
[[apps]]
name = "app"
entity_id = "https://sp.example.com/metadata"
acs_urls = ["https://sp.example.com/acs"]
[apps.nameid]
format = "persistent"
source = "user.userprincipalname"
[[apps.claims]]
`

// FuzzTenantRules loads fuzzed claim rules as the server does: it must
// never panic, and whatever the tenant issues must be a response that
// verifies with the tenant's certificate and round-trips the claims.
func FuzzTenantRules(f *testing.F) {
	f.Add("name = \"dept\"\nsource = \"user.department\"\n")
	f.Add("name = \"r\"\ntransformations = [{ function = \"RegexReplace\", input = \"user.mail\", regex = \"^(?'p'[^@]*)@.*$\", replacement = \"{p}\" }]\n")
	f.Add("name = \"j\"\ntransformations = [{ function = \"Join\", input = \"user.department\", input2 = \"user.country\", separator = \"\\u0000\" }]\n")
	f.Add("name = \"c\"\nvalue = \"x</saml:AttributeValue>\"\n[[apps.claims.conditions]]\nuser_type = \"members\"\ngroups = [\"g1\"]\nvalue = \"y\"\n")
	f.Add("name = \"g\"\nsource = \"user.groups\"\n[apps.group_claim]\nwhich = \"all\"\nregex = \"(a+)+$\"\nreplacement = \"x\"\n")
	f.Fuzz(func(t *testing.T, rules string) {
		fzKeyOnce.Do(func() {
			kp, err := certs.Generate(certs.ECDSAP256, "fuzz", 0, nil, fzNow)
			if err != nil {
				panic(err)
			}
			fzKey = kp
		})
		cfg, err := config.Parse("fuzz.toml", []byte(fzTenantHead+rules))
		if err != nil {
			return
		}
		tn, err := idp.New(cfg, idp.Options{KeyPair: fzKey, Clock: func() time.Time { return fzNow }})
		if err != nil {
			return
		}
		issued, err := tn.Issue(idp.IssueRequest{User: "alice", App: "app"})
		if err != nil {
			return
		}
		v, err := saml.Read(&saml.Message{XML: issued.Response.XML}, saml.ReadOptions{
			Certificates: []*x509.Certificate{fzKey.Certificate}, Now: func() time.Time { return fzNow }})
		if err != nil || !v.Verified || v.Assertion == nil {
			t.Fatalf("issued response does not read back: %v\n%s", err, issued.Response.XML)
		}
		got := map[string][]string{}
		for _, a := range v.Assertion.Attributes {
			got[a.Name] = a.Values
		}
		for _, a := range issued.Result.Attributes {
			if strings.Join(got[a.Name], "\x00") != strings.Join(a.Values, "\x00") {
				t.Fatalf("claim %q: issued %q, read back %q", a.Name, a.Values, got[a.Name])
			}
		}
		if v.Assertion.NameID != issued.Result.NameID.Value {
			t.Fatalf("NameID issued %q, read back %q", issued.Result.NameID.Value, v.Assertion.NameID)
		}
	})
}
