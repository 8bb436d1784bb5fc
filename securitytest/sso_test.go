package securitytest

import (
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	crewsaml "github.com/crewjam/saml"

	"github.com/samlab/samlab/config"
	"github.com/samlab/samlab/saml"
	"github.com/samlab/samlab/web"
)

var bindings = []string{"redirect", "post"}

// sso sends an unsigned AuthnRequest with the given binding.
func (b *browser) sso(binding, xml, relayState string) *result {
	b.env.t.Helper()
	if binding == "redirect" {
		return b.get("/sso?" + redirectQuery(xml, relayState))
	}
	return b.post("/sso", postForm(xml, relayState))
}

// signedInBrowser is a browser with alice signed in: an attack must fail
// even when a response could be issued at once.
func (e *env) signedInBrowser() *browser {
	b := e.browser()
	b.login("alice", "alice-demo")
	return b
}

func TestSEC01_ACSNotRegistered(t *testing.T) {
	e := newEnv(t)
	for _, binding := range bindings {
		t.Run(binding, func(t *testing.T) {
			for _, signedIn := range []bool{false, true} {
				b := e.browser()
				if signedIn {
					b.login("alice", "alice-demo")
				}
				r := b.sso(binding, e.authnXML(authn{Issuer: e.testSPEntity(), ACS: "https://evil.example/acs"}), "rs")
				e.refused(t, r, http.StatusBadRequest, "ACS not registered")
				if !signedIn && b.signedIn() {
					t.Error("a session was created")
				}
			}
		})
	}
	// The refusal is logged with the SP and the URL, quoted.
	if !e.logsContain(`\"https://evil.example/acs\" for SP \"` + e.testSPEntity() + `\"`) {
		t.Errorf("log lacks the quoted ACS and SP:\n%s", e.logs.String())
	}
	// Control: the registered ACS is answered, and only there.
	r := e.signedInBrowser().sso("redirect", e.authnXML(authn{Issuer: e.testSPEntity(), ACS: e.testSPACS()}), "")
	if x, action, _ := posted(t, r); x == "" || action != e.testSPACS() {
		t.Fatalf("registered ACS: status %d, action %q", r.StatusCode, action)
	}
}

func TestSEC02_ACSExactMatch(t *testing.T) {
	e := newEnv(t)
	b := e.signedInBrowser()
	lookalikes := []string{
		"https://signin.aws.amazon.com.evil.com/saml",
		"https://signin.aws.amazon.com@evil.com/saml",
		"https://signin.aws.amazon.com/saml/../x",
		"https://signin.aws.amazon.com/saml/..",
		"https://SIGNIN.aws.amazon.com/saml",
		"HTTPS://signin.aws.amazon.com/saml",
		"https://signin.aws.amazon.com/SAML",
		"https://signin.aws.amazon.com/saml/",
		"https://signin.aws.amazon.com/saml?x=1",
		"https://signin.aws.amazon.com/saml#x",
		"https://signin.aws.amazon.com:443/saml",
		"https://signin.aws.amazon.com/sam%6C",
		"https://signin.aws.amazon.com./saml",
		"http://signin.aws.amazon.com/saml",
		"//signin.aws.amazon.com/saml",
		" https://signin.aws.amazon.com/saml",
		"https://signin.aws.amazon.com/saml ",
		"https://signin.aws.amazon.com/samlx",
	}
	for _, acs := range lookalikes {
		t.Run(acs, func(t *testing.T) {
			r := b.sso("redirect", e.authnXML(authn{Issuer: awsEntity, ACS: acs}), "")
			e.refused(t, r, http.StatusBadRequest, "ACS not registered")
		})
	}
	app, _ := e.tenant.App("aws")
	for _, acs := range lookalikes {
		if app.ACSAllowed(acs) {
			t.Errorf("App.ACSAllowed(%q) = true", acs)
		}
	}
	// Control: the exact registered URL is answered.
	r := b.sso("redirect", e.authnXML(authn{Issuer: awsEntity, ACS: awsACS}), "")
	if x, action, _ := posted(t, r); x == "" || action != awsACS {
		t.Fatalf("exact ACS: status %d action %q\n%s", r.StatusCode, action, trim(r.body))
	}
}

func TestSEC03_ACSSchemeAtLoad(t *testing.T) {
	app := func(acs string) string {
		return `
[idp]
base_url = "http://127.0.0.1:8080"
[[apps]]
name = "x"
entity_id = "https://sp.example.com"
acs_urls = ["` + acs + `"]
`
	}
	for _, acs := range []string{
		"javascript:alert(1)",
		"JavaScript:alert(document.domain)//https://sp.example.com/acs",
		"data:text/html,<script>alert(1)</script>",
		"vbscript:msgbox(1)",
		"file:///etc/passwd",
		"http://sp.example.com/acs",
		"http://10.0.0.1/acs",
		"https://user:pass@sp.example.com/acs",
		"https://sp.example.com/acs#frag",
		"//sp.example.com/acs",
		"/acs",
		"sp.example.com/acs",
		"https:///acs",
	} {
		if err := config.CheckACSURL(acs); err == nil {
			t.Errorf("CheckACSURL(%q) = nil", acs)
		}
		if _, err := config.Parse("x.toml", []byte(app(acs))); err == nil {
			t.Errorf("config with acs_urls = [%q] loaded", acs)
		} else if !strings.Contains(err.Error(), "acs_urls") {
			t.Errorf("error for %q does not name acs_urls: %v", acs, err)
		}
	}
	for _, acs := range []string{"https://sp.example.com/acs", "http://localhost:9000/acs", "http://127.0.0.1/acs", "http://[::1]:8443/acs"} {
		if err := config.CheckACSURL(acs); err != nil {
			t.Errorf("CheckACSURL(%q) = %v", acs, err)
		}
		if _, err := config.Parse("x.toml", []byte(app(acs))); err != nil {
			t.Errorf("config with acs_urls = [%q]: %v", acs, err)
		}
	}
	// SP metadata import refuses the same Locations: the configuration
	// naming the metadata file does not load.
	dir := t.TempDir()
	for i, loc := range []string{"javascript:alert(1)", "http://sp.example.com/acs", "data:,x"} {
		md := `<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="https://sp.example.com"><md:SPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol"><md:AssertionConsumerService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="` + loc + `" index="0"/></md:SPSSODescriptor></md:EntityDescriptor>`
		path := filepath.Join(dir, fmt.Sprintf("md%d.xml", i))
		if err := os.WriteFile(path, []byte(md), 0o600); err != nil {
			t.Fatal(err)
		}
		cfg := "[[apps]]\nname = \"x\"\nmetadata = \"" + path + "\"\n"
		if _, err := config.Parse(filepath.Join(dir, "x.toml"), []byte(cfg)); err == nil {
			t.Errorf("SP metadata with ACS %q loaded", loc)
		} else if !strings.Contains(err.Error(), "AssertionConsumerService") && !strings.Contains(err.Error(), "invalid url scheme") {
			t.Errorf("metadata with ACS %q: error does not name the ACS: %v", loc, err)
		}
	}
}

func TestSEC04_ACSSelection(t *testing.T) {
	e := newEnv(t)
	b := e.signedInBrowser()
	tests := []struct {
		name, acs, attrs, want string
	}{
		{"URL and index", multiSPACS0, ` AssertionConsumerServiceIndex="0"`, "ACS not registered"},
		{"unknown index", "", ` AssertionConsumerServiceIndex="7"`, "ACS not registered"},
		{"negative index", "", ` AssertionConsumerServiceIndex="-1"`, "ACS not registered"},
		{"index not a number", "", ` AssertionConsumerServiceIndex="0x1"`, "ACS not registered"},
		{"HTTP-Redirect binding", "", ` ProtocolBinding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect"`, "unsupported ProtocolBinding"},
		{"Artifact binding", "", ` ProtocolBinding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Artifact"`, "unsupported ProtocolBinding"},
		{"PAOS binding", "", ` ProtocolBinding="urn:oasis:names:tc:SAML:2.0:bindings:PAOS"`, "unsupported ProtocolBinding"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, binding := range bindings {
				r := b.sso(binding, e.authnXML(authn{Issuer: multiSPEntity, ACS: tt.acs, Attrs: tt.attrs}), "")
				e.refused(t, r, http.StatusBadRequest, tt.want)
			}
		})
	}
	// Controls: index 1 selects the second ACS, no choice the first.
	for attrs, want := range map[string]string{` AssertionConsumerServiceIndex="1"`: multiSPACS1, "": multiSPACS0,
		` ProtocolBinding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST"`: multiSPACS0} {
		r := b.sso("redirect", e.authnXML(authn{Issuer: multiSPEntity, Attrs: attrs}), "")
		if x, action, _ := posted(t, r); x == "" || action != want {
			t.Errorf("%q: status %d action %q, want %q", attrs, r.StatusCode, action, want)
		}
	}
}

func TestSEC05_UnknownIssuer(t *testing.T) {
	e := newEnv(t)
	b := e.signedInBrowser()
	tests := []struct{ name, issuerXML string }{
		{"absent", "-"},
		{"empty", "<saml:Issuer></saml:Issuer>"},
		{"blank", "<saml:Issuer>  </saml:Issuer>"},
		{"self-closing", "<saml:Issuer/>"},
		{"unknown", "<saml:Issuer>https://evil.example/sp</saml:Issuer>"},
		{"script", "<saml:Issuer>&lt;script&gt;alert(1)&lt;/script&gt;</saml:Issuer>"},
		{"CDATA script", "<saml:Issuer><![CDATA[<script>alert(1)</script>]]></saml:Issuer>"},
		{"newline log forging", "<saml:Issuer>x\nlevel=ERROR msg=forged</saml:Issuer>"},
		{"other namespace", `<Issuer xmlns="urn:example">` + "https://x" + `</Issuer>`},
		{"case of a known SP", "<saml:Issuer>URN:AMAZON:WEBSERVICES</saml:Issuer>"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, binding := range bindings {
				r := b.sso(binding, e.authnXML(authn{IssuerXML: tt.issuerXML}), "")
				e.refused(t, r, http.StatusBadRequest, "Unknown service provider")
				if strings.Contains(r.body, "<script>") {
					t.Error("the Issuer is echoed unescaped")
				}
			}
		})
	}
	if strings.Contains(e.logs.String(), "\nlevel=ERROR msg=forged") {
		t.Error("a newline in the Issuer forged a log line")
	}
	// LogoutRequest from an unknown SP.
	lo := `<samlp:LogoutRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_lo1" Version="2.0" IssueInstant="` +
		e.now().Format(time.RFC3339) + `"><saml:Issuer>https://evil.example/sp</saml:Issuer><saml:NameID>alice</saml:NameID></samlp:LogoutRequest>`
	e.refused(t, b.get("/slo?"+redirectQuery(lo, "")), http.StatusBadRequest, "unknown SP")
	if !b.signedIn() {
		t.Error("a LogoutRequest from an unknown SP ended the session")
	}
}

func TestSEC06_OversizedInput(t *testing.T) {
	e := newEnv(t)
	b := e.signedInBrowser()
	t.Run("deflate bomb, redirect binding", func(t *testing.T) {
		// 40 MiB of XML-ish text compresses to ~40 KB: just under the
		// 64 KiB header limit of web.NewHTTPServer, so the handler runs.
		inner := strings.Repeat("a", 40<<20)
		xml := e.authnXML(authn{Issuer: e.testSPEntity(), Extra: "<x>" + inner + "</x>"})
		comp := deflate([]byte(xml))
		inner, xml = "", ""
		q := "SAMLRequest=" + url.QueryEscape(base64.StdEncoding.EncodeToString(comp))
		if len(q) > 60<<10 {
			t.Fatalf("bomb query is %d bytes; it would not reach the handler", len(q))
		}
		var r *result
		grew := heapGrowth(func() { r = b.get("/sso?" + q) })
		e.refused(t, r, http.StatusBadRequest, "too large")
		// Inflating it would allocate > 40 MiB; the limited reader stops at 256 KiB.
		if grew > 16<<20 {
			t.Errorf("the bomb allocated %d MiB; want a bounded inflate", grew>>20)
		}
	})
	t.Run("1.5 MB URL", func(t *testing.T) {
		r := b.get("/sso?SAMLRequest=" + strings.Repeat("A", 1500<<10))
		if r.StatusCode != http.StatusRequestHeaderFieldsTooLarge {
			t.Errorf("status = %d, want 431", r.StatusCode)
		}
		noResponse(t, r)
		e.alive(t)
	})
	t.Run("10 MB POST body", func(t *testing.T) {
		body := "SAMLRequest=" + strings.Repeat("A", 10<<20)
		var r *result
		grew := heapGrowth(func() { r = b.postRaw("/sso", body, nil) })
		e.refused(t, r, http.StatusRequestEntityTooLarge, "too large")
		if grew > 48<<20 {
			t.Errorf("a 10 MB body allocated %d MiB in the server", grew>>20)
		}
	})
	t.Run("POST message over 256 KiB", func(t *testing.T) {
		xml := e.authnXML(authn{Issuer: e.testSPEntity(), Extra: "<x>" + strings.Repeat("a", 300<<10) + "</x>"})
		e.refused(t, b.post("/sso", postForm(xml, "")), http.StatusBadRequest, "too large")
	})
	t.Run("decoder bomb (CLI path)", func(t *testing.T) {
		// 256 MiB of zeros in ~250 KB: what inspect/verify/lint decode.
		comp := deflateZeros(t, 256<<20)
		in := []byte(base64.StdEncoding.EncodeToString(comp))
		var err error
		grew := heapGrowth(func() { _, err = saml.Decode(in) })
		if !errors.Is(err, saml.ErrMalformed) || !strings.Contains(err.Error(), "inflates to more than") {
			t.Fatalf("Decode = %v, want the inflate limit", err)
		}
		if grew > 16<<20 {
			t.Errorf("Decode allocated %d MiB on a 256 MiB bomb", grew>>20)
		}
	})
	t.Run("deflate bomb at the test SP's ACS", func(t *testing.T) {
		// 512 MiB of zeros in ~500 KB of DEFLATE, inside the 1 MiB body cap.
		body := url.Values{"SAMLResponse": {base64.StdEncoding.EncodeToString(deflateZeros(t, 512<<20))}}.Encode()
		var r *result
		grew := heapGrowth(func() { r = e.browser().postRaw("/test-sp/acs", body, nil) })
		e.refused(t, r, http.StatusBadRequest, "inflates to more than")
		if grew > 32<<20 {
			t.Errorf("the bomb allocated %d MiB in the server", grew>>20)
		}
	})
	t.Run("huge user names are not kept", func(t *testing.T) {
		e := newEnv(t, withoutLogs(), withOptions(web.Options{MaxLoginFailures: 1000}))
		b := e.browser()
		csrf := field(reCSRF, b.get("/login").body)
		kept := heapRetained(func() {
			for i := 0; i < 40; i++ {
				r := b.post("/login", url.Values{"csrf": {csrf}, "username": {fmt.Sprint(i) + strings.Repeat("u", 900<<10)}, "password": {"x"}})
				if r.StatusCode != http.StatusUnauthorized && r.StatusCode != http.StatusTooManyRequests {
					t.Fatalf("status %d", r.StatusCode)
				}
			}
		})
		if kept > 8<<20 {
			t.Errorf("40 failed logins with 900 KB user names keep %d MiB", kept>>20)
		}
		e.alive(t)
	})
	t.Run("forged responses with huge InResponseTo are not kept by the test SP", func(t *testing.T) {
		e := newEnv(t, withoutLogs())
		kept := heapRetained(func() {
			for i := 0; i < 40; i++ {
				b := e.browser()
				b.get("/test-sp/login")
				x := strings.Replace(sampleResponse, `ID="_r1"`, `ID="_r1" InResponseTo="_`+fmt.Sprint(i)+strings.Repeat("i", 700<<10)+`"`, 1)
				if r := b.post("/test-sp/acs", url.Values{"SAMLResponse": {base64.StdEncoding.EncodeToString([]byte(x))}}); r.StatusCode != http.StatusBadRequest {
					t.Fatalf("forged response: %d", r.StatusCode)
				}
			}
		})
		if kept > 8<<20 {
			t.Errorf("40 forged responses with 700 KB InResponseTo keep %d MiB", kept>>20)
		}
	})
	t.Run("header read timeout", func(t *testing.T) {
		srv := e.srv.Config
		if srv.ReadHeaderTimeout <= 0 || srv.ReadHeaderTimeout > 30*time.Second || srv.MaxHeaderBytes > 1<<20 {
			t.Errorf("ReadHeaderTimeout %v, MaxHeaderBytes %d", srv.ReadHeaderTimeout, srv.MaxHeaderBytes)
		}
	})
}

func TestSEC07_DTDRefused(t *testing.T) {
	e := newEnv(t)
	b := e.signedInBrowser()
	req := e.authnXML(authn{Issuer: e.testSPEntity()})
	laughs := `<!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]>`
	tests := map[string]string{
		"external entity, referenced": `<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>` + strings.Replace(req, "</samlp:AuthnRequest>", "<x>&x;</x></samlp:AuthnRequest>", 1),
		"external entity, unused":     `<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>` + req,
		"billion laughs":              laughs + strings.Replace(req, "</samlp:AuthnRequest>", "<x>&d;</x></samlp:AuthnRequest>", 1),
		"plain DOCTYPE":               `<!DOCTYPE samlp:AuthnRequest>` + req,
		"parameter entity":            `<!DOCTYPE r [<!ENTITY % p SYSTEM "http://evil.example/x.dtd"> %p;]>` + req,
		"after XML declaration":       `<?xml version="1.0"?><!DOCTYPE r SYSTEM "http://evil.example/x.dtd">` + req,
	}
	for name, xml := range tests {
		t.Run(name, func(t *testing.T) {
			for _, binding := range bindings {
				e.refused(t, b.sso(binding, xml, ""), http.StatusBadRequest, "DOCTYPE")
			}
			if _, err := saml.Read(&saml.Message{XML: []byte(strings.Replace(xml, req, sampleResponse, 1))}, saml.ReadOptions{}); !errors.Is(err, saml.ErrUnsafeXML) {
				t.Errorf("reader: %v, want ErrUnsafeXML", err)
			}
		})
	}
}

// sampleResponse is a minimal unsigned Response for reader tests.
const sampleResponse = `<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_r1" Version="2.0" IssueInstant="2026-01-01T00:00:00Z"><saml:Issuer>https://idp.example.com</saml:Issuer><samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status></samlp:Response>`

func TestSEC08_RoundTripMutations(t *testing.T) {
	e := newEnv(t)
	b := e.signedInBrowser()
	req := e.authnXML(authn{Issuer: e.testSPEntity()})
	withChild := func(child string) string {
		return strings.Replace(req, "</samlp:AuthnRequest>", child+"</samlp:AuthnRequest>", 1)
	}
	// The encoding/xml round-trip mutations (CVE-2020-29509/29510/29511):
	// names with several colons, colon-leading names, xmlns prefixes bound
	// to "", and the xmlns prefix declared.
	tests := map[string]string{
		"element name with two colons":   withChild(`<a:b:c xmlns:a="urn:x"/>`),
		"attribute name with two colons": withChild(`<saml:x a:b:c="1" xmlns:a="urn:x"/>`),
		"colon-leading attribute":        withChild(`<saml:x :ID="1"/>`),
		"empty prefix binding":           withChild(`<saml:x xmlns:saml=""/>`),
		"xmlns:xmlns":                    withChild(`<saml:x xmlns:xmlns="urn:x"/>`),
		"undeclared prefix":              withChild(`<evil:x/>`),
		"xml prefix rebound":             withChild(`<saml:x xmlns:xml="urn:x"/>`),
		"directive in body":              withChild(`<!ELEMENT x ANY>`),
		"processing instruction":         withChild(`<?evil x?>`),
		"prefix twice for one namespace": strings.Replace(req, `<saml:Issuer>`, `<saml:Issuer xmlns:a="urn:x" xmlns:b="urn:x" a:Format="1" b:Format="2">`, 1),
	}
	for name, xml := range tests {
		t.Run(name, func(t *testing.T) {
			for _, binding := range bindings {
				e.refused(t, b.sso(binding, xml, ""), http.StatusBadRequest, "unsafe XML")
			}
		})
	}
}

func TestSEC09_DepthAndCount(t *testing.T) {
	e := newEnv(t)
	b := e.signedInBrowser()
	nest := func(n int) string {
		return strings.Repeat("<saml:x>", n) + strings.Repeat("</saml:x>", n)
	}
	var many strings.Builder
	for i := 0; i < 2500; i++ {
		many.WriteString("<saml:x/>")
	}
	var attrs strings.Builder
	for i := 0; i < 200; i++ {
		attrs.WriteString(` xmlns:p` + string(rune('a'+i%26)) + strings.Repeat("x", i/26) + `="urn:n"`)
	}
	tests := []struct{ name, extra, want string }{
		{"100k deep", nest(100000), "too large"},
		{"40 deep", nest(40), "nested deeper than"},
		{"2500 elements", many.String(), "more than 2000 elements"},
		{"200 namespace declarations", "<saml:x" + attrs.String() + "/>", "attributes; the limit is"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := b.sso("redirect", e.authnXML(authn{Issuer: e.testSPEntity(), Extra: tt.extra}), "")
			e.refused(t, r, http.StatusBadRequest, tt.want)
		})
	}
	// The reader: a 100,000-deep document (600 KB) fails at depth 65
	// without a stack overflow.
	deep := strings.Replace(sampleResponse, "</samlp:Response>", strings.Repeat("<a>", 100000)+strings.Repeat("</a>", 100000)+"</samlp:Response>", 1)
	if _, err := saml.Read(&saml.Message{XML: []byte(deep)}, saml.ReadOptions{}); !errors.Is(err, saml.ErrUnsafeXML) || !strings.Contains(err.Error(), "deeper than") {
		t.Errorf("reader on a 100k-deep document: %v", err)
	}
}

func TestSEC10_MalformedSignature(t *testing.T) {
	e := newEnv(t)
	b := e.signedInBrowser()
	keys := testSPKeys(t)
	good := signXML(t, e.authnXML(authn{Issuer: signedSPEntity}), keys[0])
	mangle := func(old, new string) string {
		if !strings.Contains(good, old) {
			t.Fatalf("signed request lacks %q", old)
		}
		return strings.Replace(good, old, new, 1)
	}
	sigStart := strings.Index(good, "<ds:Signature")
	sigEnd := strings.Index(good, "</ds:Signature>") + len("</ds:Signature>")
	if sigStart < 0 || sigEnd < sigStart {
		t.Fatalf("no ds:Signature in\n%s", good)
	}
	withSig := func(sig string) string { return good[:sigStart] + sig + good[sigEnd:] }
	refStart := strings.Index(good, "<ds:Reference")
	refEnd := strings.Index(good, "</ds:Reference>") + len("</ds:Reference>")
	tests := map[string]string{
		"empty Signature":        withSig(`<ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"/>`),
		"no SignedInfo":          withSig(`<ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:SignatureValue>AAAA</ds:SignatureValue></ds:Signature>`),
		"empty SignedInfo":       withSig(`<ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:SignedInfo/><ds:SignatureValue/></ds:Signature>`),
		"no Reference":           good[:refStart] + good[refEnd:],
		"SignatureValue garbage": mangle("<ds:SignatureValue>", "<ds:SignatureValue>!!!not base64!!!"),
		"no SignatureValue":      regexpReplace(good, `<ds:SignatureValue>[^<]*</ds:SignatureValue>`, ""),
		"DigestValue garbage":    regexpReplace(good, `<ds:DigestValue>[^<]*</ds:DigestValue>`, "<ds:DigestValue>%%%</ds:DigestValue>"),
		"unknown transform":      mangle(`Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature"`, `Algorithm="urn:evil"`),
		"unknown c14n":           mangle(`<ds:CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"`, `<ds:CanonicalizationMethod Algorithm="urn:evil"`),
	}
	for name, xml := range tests {
		t.Run(name, func(t *testing.T) {
			e.refused(t, b.post("/sso", postForm(xml, "")), http.StatusBadRequest, "Request signature not accepted")
			// The same shapes on a response reach the reader without a panic.
			resp := strings.Replace(xml, "samlp:AuthnRequest", "samlp:Response", -1)
			if _, err := saml.Read(&saml.Message{XML: []byte(resp)}, e.readOpts()); err == nil {
				t.Error("reader accepted a response with a broken signature")
			}
		})
	}
	// Control.
	if x, _, _ := posted(t, b.post("/sso", postForm(good, ""))); x == "" {
		t.Fatal("the well-signed request was not answered")
	}
}

func TestSEC11_SignatureRequired(t *testing.T) {
	e := newEnv(t)
	b := e.signedInBrowser()
	keys := testSPKeys(t)
	req := func() string { return e.authnXML(authn{Issuer: signedSPEntity}) }
	tests := []struct {
		name  string
		query string
		form  url.Values
	}{
		{name: "unsigned redirect", query: redirectQuery(req(), "")},
		{name: "unsigned post", form: postForm(req(), "")},
		{name: "redirect signed by another key", query: signedRedirect(t, req(), "", keys[1].key)},
		{name: "post signed by another key", form: postForm(signXML(t, req(), keys[1]), "")},
		{name: "redirect signature flipped", query: flipSignature(signedRedirect(t, req(), "", keys[0].key))},
		{name: "post content changed after signing", form: postForm(strings.Replace(signXML(t, req(), keys[0]), `Version="2.0"`, `Version="2.0" ForceAuthn="false"`, 1), "")},
		{name: "XML signature in a redirect message", query: redirectQuery(signXML(t, req(), keys[0]), "")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var r *result
			if tt.form != nil {
				r = b.post("/sso", tt.form)
			} else {
				r = b.get("/sso?" + tt.query)
			}
			e.refused(t, r, http.StatusBadRequest, "Request signature not accepted")
		})
	}
	// An SP that does not require signatures and has no certificate: a
	// signature present is never ignored.
	tsp := func() string { return e.authnXML(authn{Issuer: e.testSPEntity()}) }
	e.refused(t, b.get("/sso?"+signedRedirect(t, tsp(), "", keys[0].key)), http.StatusBadRequest, "Request signature not accepted")
	e.refused(t, b.post("/sso", postForm(signXML(t, tsp(), keys[0]), "")), http.StatusBadRequest, "Request signature not accepted")
	// Controls: the registered key, both bindings.
	if x, action, _ := posted(t, b.get("/sso?"+signedRedirect(t, req(), "rs", keys[0].key))); x == "" || action != signedSPACS {
		t.Error("signed redirect request refused")
	}
	if x, _, _ := posted(t, b.post("/sso", postForm(signXML(t, req(), keys[0]), ""))); x == "" {
		t.Error("signed post request refused")
	}
}

// flipSignature changes one character of the Signature parameter.
func flipSignature(q string) string {
	i := strings.Index(q, "&Signature=") + len("&Signature=")
	c := byte('A')
	if q[i] == 'A' {
		c = 'B'
	}
	return q[:i] + string(c) + q[i+1:]
}

func TestSEC12_RedirectSignatureTricks(t *testing.T) {
	e := newEnv(t)
	b := e.signedInBrowser()
	key := testSPKeys(t)[0].key
	xml := func() string { return e.authnXML(authn{Issuer: signedSPEntity}) }
	b64 := func(x string) string { return base64.StdEncoding.EncodeToString(deflate([]byte(x))) }
	sigOver := func(signed, sigAlg string) string {
		return url.QueryEscape(base64.StdEncoding.EncodeToString(rawSign(t, key, sigAlg, []byte(signed))))
	}
	tests := map[string]func() string{
		// The SP signed lower-case percent escapes; the query we get uses
		// upper case. Same values after decoding, different bytes.
		"re-encoded SAMLRequest": func() string {
			m := b64(xml())
			signed := "SAMLRequest=" + strings.ToLower(url.QueryEscape(m)) + "&SigAlg=" + url.QueryEscape(saml.SigAlgRSASHA256)
			return "SAMLRequest=" + url.QueryEscape(m) + "&SigAlg=" + url.QueryEscape(saml.SigAlgRSASHA256) + "&Signature=" + sigOver(signed, saml.SigAlgRSASHA256)
		},
		"missing SigAlg": func() string {
			q := signedRedirect(t, xml(), "", key)
			return regexpReplace(q, `&SigAlg=[^&]*`, "")
		},
		"SigAlg without Signature": func() string {
			q := signedRedirect(t, xml(), "", key)
			return regexpReplace(q, `&Signature=[^&]*`, "")
		},
		"rsa-sha1": func() string { return signQuery(t, redirectQuery(xml(), ""), saml.SigAlgRSASHA1, key) },
		"unknown SigAlg": func() string {
			return signQuery(t, redirectQuery(xml(), ""), "http://www.w3.org/2001/04/xmldsig-more#hmac-sha256", key)
		},
		"SigAlg swapped after signing": func() string {
			q := signedRedirect(t, xml(), "", key)
			return strings.Replace(q, url.QueryEscape(saml.SigAlgRSASHA256), url.QueryEscape(saml.SigAlgRSASHA512), 1)
		},
		"duplicate SAMLRequest": func() string {
			q := signedRedirect(t, xml(), "", key)
			return q + "&SAMLRequest=" + url.QueryEscape(b64(xml()))
		},
		"duplicate RelayState": func() string {
			return signedRedirect(t, xml(), "a", key) + "&RelayState=b"
		},
		"RelayState changed after signing": func() string {
			return strings.Replace(signedRedirect(t, xml(), "original", key), "RelayState=original", "RelayState=changed", 1)
		},
		"RelayState added after signing": func() string {
			q := signedRedirect(t, xml(), "", key)
			return strings.Replace(q, "&SigAlg=", "&RelayState=added&SigAlg=", 1)
		},
		"RelayState removed after signing": func() string {
			return strings.Replace(signedRedirect(t, xml(), "gone", key), "&RelayState=gone", "", 1)
		},
		"percent-encoded parameter name": func() string {
			q := signedRedirect(t, xml(), "", key)
			return q + "&%53AMLRequest=" + url.QueryEscape(b64(xml()))
		},
	}
	for name, q := range tests {
		t.Run(name, func(t *testing.T) {
			r := b.get("/sso?" + q())
			e.refused(t, r, http.StatusBadRequest, "")
			if !strings.Contains(r.body, "Request signature not accepted") && !strings.Contains(r.body, "duplicate") {
				t.Errorf("page names neither the signature nor a duplicate:\n%s", trim(r.body))
			}
		})
	}
	// Controls: rsa-sha256 and rsa-sha512, with RelayState, verify.
	for _, alg := range []string{saml.SigAlgRSASHA256, saml.SigAlgRSASHA512} {
		q := signQuery(t, redirectQuery(xml(), "rs &x=1"), alg, key)
		if x, _, rs := posted(t, b.get("/sso?"+q)); x == "" || rs != "rs &x=1" {
			t.Errorf("%s: signed request refused or RelayState %q", alg, rs)
		}
	}
}

func TestSEC13_XSWOnSignedPost(t *testing.T) {
	e := newEnv(t)
	b := e.signedInBrowser()
	keys := testSPKeys(t)
	signed := signXML(t, e.authnXML(authn{ID: "_inner", Issuer: signedSPEntity}), keys[0])
	inner := signed[strings.Index(signed, "<samlp:AuthnRequest"):]
	forged := func(id, acs string, child string) string {
		return e.authnXML(authn{ID: id, Issuer: signedSPEntity, ACS: acs, Extra: child})
	}
	twoRefs := strings.Replace(signed, "</ds:Reference>", "</ds:Reference>"+signed[strings.Index(signed, "<ds:Reference"):strings.Index(signed, "</ds:Reference>")+len("</ds:Reference>")], 1)
	tests := map[string]string{
		"signed request in Extensions":           forged("_outer", "https://evil.example/acs", "<samlp:Extensions>"+inner+"</samlp:Extensions>"),
		"signed request in Extensions, same ACS": forged("_outer2", signedSPACS, "<samlp:Extensions>"+inner+"</samlp:Extensions>"),
		"two References":                         twoRefs,
		"Reference to another ID":                strings.Replace(signed, `URI="#_inner"`, `URI="#_other"`, 1),
		"empty Reference URI":                    strings.Replace(signed, `URI="#_inner"`, `URI=""`, 1),
		"ID changed after signing":               strings.Replace(strings.Replace(signed, `ID="_inner"`, `ID="_moved"`, 1), `URI="#_inner"`, `URI="#_moved"`, 1),
		"ACS added after signing":                strings.Replace(signed, `Version="2.0"`, `Version="2.0" AssertionConsumerServiceURL="`+signedSPACS+`"`, 1),
		"duplicate ID in a child":                strings.Replace(signed, "</samlp:AuthnRequest>", `<samlp:Extensions><x ID="_inner"/></samlp:Extensions></samlp:AuthnRequest>`, 1),
	}
	for name, xml := range tests {
		t.Run(name, func(t *testing.T) {
			e.refused(t, b.post("/sso", postForm(xml, "")), http.StatusBadRequest, "")
		})
	}
	if x, _, _ := posted(t, b.post("/sso", postForm(signed, ""))); x == "" || !strings.Contains(x, `InResponseTo="_inner"`) {
		t.Fatal("control: the signed request was not answered")
	}
}

func TestSEC14_StaleAndReplayed(t *testing.T) {
	e := newEnv(t)
	b := e.signedInBrowser()
	key := testSPKeys(t)[0].key
	now := e.now()
	tests := []struct {
		name    string
		instant time.Time
		want    string
	}{
		{"an hour old", now.Add(-time.Hour), "Request out of date"},
		{"an hour ahead", now.Add(time.Hour), "Request out of date"},
		{"just past lifetime and skew", now.Add(-8*time.Minute - time.Second), "Request out of date"},
		{"just past the skew ahead", now.Add(3*time.Minute + time.Second), "Request out of date"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, binding := range bindings {
				e.refused(t, b.sso(binding, e.authnXML(authn{Issuer: e.testSPEntity(), IssueInstant: tt.instant}), ""), http.StatusBadRequest, tt.want)
			}
			e.refused(t, b.get("/sso?"+signedRedirect(t, e.authnXML(authn{Issuer: signedSPEntity, IssueInstant: tt.instant}), "", key)), http.StatusBadRequest, tt.want)
		})
	}
	t.Run("no IssueInstant", func(t *testing.T) {
		xml := regexpReplace(e.authnXML(authn{Issuer: e.testSPEntity()}), ` IssueInstant="[^"]*"`, "")
		e.refused(t, b.sso("redirect", xml, ""), http.StatusBadRequest, "")
	})
	t.Run("signed ID replayed", func(t *testing.T) {
		q := signedRedirect(t, e.authnXML(authn{ID: "_once", Issuer: signedSPEntity}), "", key)
		if x, _, _ := posted(t, b.get("/sso?"+q)); x == "" {
			t.Fatal("first use refused")
		}
		e.refused(t, b.get("/sso?"+q), http.StatusBadRequest, "Request already used")
		// From another browser, and re-signed over the POST binding.
		e.refused(t, e.signedInBrowser().get("/sso?"+q), http.StatusBadRequest, "Request already used")
		post := signXML(t, e.authnXML(authn{ID: "_once", Issuer: signedSPEntity}), testSPKeys(t)[0])
		e.refused(t, b.post("/sso", postForm(post, "")), http.StatusBadRequest, "Request already used")
	})
	// Controls: within the window either way.
	for _, d := range []time.Duration{-7 * time.Minute, 2 * time.Minute} {
		if x, _, _ := posted(t, b.sso("redirect", e.authnXML(authn{Issuer: e.testSPEntity(), IssueInstant: now.Add(d)}), "")); x == "" {
			t.Errorf("IssueInstant now%+v refused", d)
		}
	}
}

func TestSEC15_Destination(t *testing.T) {
	e := newEnv(t)
	b := e.signedInBrowser()
	keys := testSPKeys(t)
	for _, dest := range []string{"https://other-idp.example/sso", e.ssoURL() + "/", strings.ToUpper(e.ssoURL()), e.base + "/slo"} {
		t.Run(dest, func(t *testing.T) {
			for _, binding := range bindings {
				e.refused(t, b.sso(binding, e.authnXML(authn{Issuer: e.testSPEntity(), Destination: dest}), ""), http.StatusBadRequest, "wrong Destination")
			}
			e.refused(t, b.post("/sso", postForm(signXML(t, e.authnXML(authn{Issuer: signedSPEntity, Destination: dest}), keys[0]), "")), http.StatusBadRequest, "wrong Destination")
		})
	}
	t.Run("signed without Destination", func(t *testing.T) {
		xml := signXML(t, e.authnXML(authn{Issuer: signedSPEntity, NoDestination: true}), keys[0])
		e.refused(t, b.post("/sso", postForm(xml, "")), http.StatusBadRequest, "signed request without Destination")
		q := signedRedirect(t, e.authnXML(authn{Issuer: signedSPEntity, NoDestination: true}), "", keys[0].key)
		e.refused(t, b.get("/sso?"+q), http.StatusBadRequest, "signed request without Destination")
	})
	// Control: an unsigned request may omit Destination.
	if x, _, _ := posted(t, b.sso("redirect", e.authnXML(authn{Issuer: e.testSPEntity(), NoDestination: true}), "")); x == "" {
		t.Error("unsigned request without Destination refused")
	}
}

func TestSEC16_RequestedSubject(t *testing.T) {
	e := newEnv(t)
	subject := func(nameID string) string {
		return "<saml:Subject><saml:NameID>" + nameID + "</saml:NameID></saml:Subject>"
	}
	check := func(t *testing.T, r *result, id string) {
		t.Helper()
		x, action, _ := posted(t, r)
		if x == "" || action != e.testSPACS() {
			t.Fatalf("want an error Response posted to the ACS; status %d\n%s", r.StatusCode, trim(r.body))
		}
		v, err := saml.Read(&saml.Message{XML: []byte(x)}, e.readOpts())
		if err != nil {
			t.Fatalf("error response does not verify: %v", err)
		}
		if v.StatusSubCode != crewsaml.StatusRequestDenied || v.AssertionCount != 0 || v.Assertion != nil || v.InResponseTo != id {
			t.Errorf("status %q/%q, %d assertions, InResponseTo %q; want RequestDenied, none, %q", v.StatusCode, v.StatusSubCode, v.AssertionCount, v.InResponseTo, id)
		}
	}
	for _, victim := range []string{"admin@contoso.com", "bob", "bob@contoso.com", "ALICE"} {
		t.Run("signed in as alice, asks for "+victim, func(t *testing.T) {
			b := e.signedInBrowser()
			check(t, b.sso("redirect", e.authnXML(authn{ID: "_subj", Issuer: e.testSPEntity(), Extra: subject(victim)}), ""), "_subj")
		})
	}
	t.Run("asks for bob, alice signs in", func(t *testing.T) {
		b := e.browser()
		page := b.sso("post", e.authnXML(authn{ID: "_subj2", Issuer: e.testSPEntity(), Extra: subject("bob")}), "")
		noResponse(t, page)
		check(t, b.loginForm(page, "alice", "alice-demo"), "_subj2")
	})
	// Control: the signed-in user's own NameID is fine.
	b := e.signedInBrowser()
	x, _, _ := posted(t, b.sso("redirect", e.authnXML(authn{Issuer: e.testSPEntity(), Extra: subject("alice@contoso.com")}), ""))
	if v, err := saml.Read(&saml.Message{XML: []byte(x)}, e.readOpts()); err != nil || v.Assertion == nil || v.Assertion.NameID != "alice@contoso.com" {
		t.Errorf("own subject: %v", err)
	}
}

func TestSEC17_ForceAuthnAndIsPassive(t *testing.T) {
	e := newEnv(t)
	t.Run("ForceAuthn with a live session shows the login form", func(t *testing.T) {
		b := e.signedInBrowser()
		for _, binding := range bindings {
			page := b.sso(binding, e.authnXML(authn{ID: "_force", Issuer: e.testSPEntity(), Attrs: ` ForceAuthn="true"`}), "")
			if page.StatusCode != http.StatusOK || !strings.Contains(page.body, `name="password"`) {
				t.Fatalf("%s: status %d, want the login form", binding, page.StatusCode)
			}
			noResponse(t, page)
			// A wrong password does not fall back to the old session.
			r := b.loginForm(page, "alice", "wrong")
			if r.StatusCode != http.StatusUnauthorized {
				t.Errorf("wrong password: %d, want 401", r.StatusCode)
			}
			noResponse(t, r)
			if x, _, _ := posted(t, b.loginForm(r, "alice", "alice-demo")); !strings.Contains(x, `InResponseTo="_force"`) {
				t.Error("no response after signing in again")
			}
		}
	})
	passive := func(t *testing.T, b *browser, attrs string) {
		t.Helper()
		r := b.sso("redirect", e.authnXML(authn{ID: "_passive", Issuer: e.testSPEntity(), Attrs: attrs}), "rs")
		if strings.Contains(r.body, `name="password"`) {
			t.Error("IsPassive showed the login form")
		}
		x, action, rs := posted(t, r)
		v, err := saml.Read(&saml.Message{XML: []byte(x)}, e.readOpts())
		if err != nil || action != e.testSPACS() || rs != "rs" {
			t.Fatalf("want a signed status Response to the ACS: %v, action %q, RelayState %q", err, action, rs)
		}
		if v.StatusCode != crewsaml.StatusResponder || v.StatusSubCode != crewsaml.StatusNoPassive || v.AssertionCount != 0 {
			t.Errorf("status %q/%q with %d assertions; want Responder/NoPassive, none", v.StatusCode, v.StatusSubCode, v.AssertionCount)
		}
	}
	t.Run("IsPassive without a session", func(t *testing.T) {
		b := e.browser()
		passive(t, b, ` IsPassive="true"`)
		if b.signedIn() {
			t.Error("session created")
		}
	})
	t.Run("IsPassive and ForceAuthn with a session", func(t *testing.T) {
		passive(t, e.signedInBrowser(), ` IsPassive="true" ForceAuthn="true"`)
	})
	t.Run("control: IsPassive with a session", func(t *testing.T) {
		r := e.signedInBrowser().sso("redirect", e.authnXML(authn{Issuer: e.testSPEntity(), Attrs: ` IsPassive="true"`}), "")
		if x, _, _ := posted(t, r); !strings.Contains(x, "Assertion") {
			t.Errorf("no assertion for a passive request with a session: %d", r.StatusCode)
		}
	})
}
