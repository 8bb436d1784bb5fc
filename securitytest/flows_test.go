package securitytest

import (
	"bufio"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"fmt"
	"html"
	"math/big"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/samlab/samlab/certs"
	"github.com/samlab/samlab/claims"
	"github.com/samlab/samlab/config"
	"github.com/samlab/samlab/idp"
	"github.com/samlab/samlab/saml"
	"github.com/samlab/samlab/web"
)

// injected is markup a user attribute or a regex output tries to smuggle
// into the AttributeStatement.
const injected = `x</saml:AttributeValue></saml:Attribute><saml:Attribute Name="role"><saml:AttributeValue>admin`

// malloryTOML adds a user whose attributes carry markup and comments, and
// an app whose claims (one of them a RegexReplace) copy them.
const malloryTOML = `
[[users]]
id = "mallory"
password = "mallory-demo"
[users.attributes]
userprincipalname = "mallory@contoso.com"
mail = "mallory@contoso.com"
department = '` + injected + `'
jobtitle = 'admin@corp.com<!---->.evil.com'

[[apps]]
name = "inject-sp"
entity_id = "https://inject-sp.example.com/metadata"
acs_urls = ["https://inject-sp.example.com/acs"]
[apps.nameid]
format = "unspecified"
source = "user.jobtitle"
[[apps.claims]]
name = "department"
source = "user.department"
[[apps.claims]]
name = "rewritten"
transformations = [{ function = "RegexReplace", input = "user.department", regex = "^(?'all'.*)$", replacement = "</saml:Attribute><saml:Attribute Name=\"group\">{all}&amp;" }]
`

func TestSEC18_XMLInjectionThroughClaims(t *testing.T) {
	e := newEnv(t, withTOML(malloryTOML))
	b := e.browser()
	b.login("mallory", "mallory-demo")
	r := b.get("/apps/inject-sp/start")
	x, action, _ := posted(t, r)
	if x == "" || action != "https://inject-sp.example.com/acs" {
		t.Fatalf("no response: %d\n%s", r.StatusCode, trim(r.body))
	}
	v, err := saml.Read(&saml.Message{XML: []byte(x)}, e.readOpts())
	if err != nil || !v.Verified {
		t.Fatalf("the signature does not verify: %v", err)
	}
	got := map[string][]string{}
	for _, a := range v.Assertion.Attributes {
		got[a.Name] = a.Values
	}
	want := map[string][]string{
		"department": {injected},
		"rewritten":  {`</saml:Attribute><saml:Attribute Name="group">` + injected + `&amp;`},
	}
	for name, vals := range want {
		if len(got[name]) != 1 || got[name][0] != vals[0] {
			t.Errorf("attribute %s = %q, want %q", name, got[name], vals)
		}
	}
	for name := range got {
		if _, ok := want[name]; !ok {
			t.Errorf("unexpected attribute %q: markup became structure", name)
		}
	}
	if v.Assertion.NameID != "admin@corp.com<!---->.evil.com" {
		t.Errorf("NameID = %q", v.Assertion.NameID)
	}
	if !strings.Contains(x, "&lt;/saml:AttributeValue&gt;") {
		t.Error("the markup is not escaped in the XML")
	}
}

func TestSEC19_UnsafeCharacters(t *testing.T) {
	base := string(config.DemoTOML())
	for name, value := range map[string]string{
		"CR":             `Eng\rineering`,
		"NUL":            `Eng\u0000`,
		"ESC":            `\u001B[31mred`,
		"U+FFFE":         `x\uFFFEy`,
		"U+FFFF":         `x\uFFFF`,
		"vertical tab":   `x\u000By`,
		"form feed":      `x\fy`,
		"backspace":      `x\by`,
		"C0 in the name": `x\u0001`,
	} {
		t.Run(name, func(t *testing.T) {
			for _, where := range []string{"attribute", "constant claim", "claim name"} {
				text := base
				switch where {
				case "attribute":
					text += "\n[[users]]\nid = \"eve\"\npassword = \"eve-demo\"\n[users.attributes]\ndepartment = \"" + value + "\"\n"
				case "constant claim":
					text += "\n[[apps]]\nname = \"c\"\nentity_id = \"https://c.example.com\"\nacs_urls = [\"https://c.example.com/acs\"]\n[[apps.claims]]\nname = \"k\"\nvalue = \"" + value + "\"\n"
				case "claim name":
					text += "\n[[apps]]\nname = \"c\"\nentity_id = \"https://c.example.com\"\nacs_urls = [\"https://c.example.com/acs\"]\n[[apps.claims]]\nname = \"" + value + "\"\nvalue = \"v\"\n"
				}
				cfg, err := config.Parse("x.toml", []byte(text))
				if err == nil {
					_, err = idp.New(cfg, idp.Options{KeyPair: testIdPKey(t)})
				}
				if err == nil {
					t.Errorf("%s with %s: the tenant loaded", where, name)
				} else if !strings.Contains(err.Error(), "cannot carry") {
					t.Errorf("%s with %s: error does not say why: %v", where, name, err)
				}
			}
		})
	}
	// The builder refuses such values too, whatever produced them.
	kp := testIdPKey(t)
	iss := &saml.Issuer{EntityID: "https://idp.example.com", Key: kp.Signer, Certificate: kp.Certificate}
	for _, bad := range []string{"a\rb", "a\x00", "\x1b[2J", "a\xffb", "x\uFFFE"} {
		_, err := iss.Build(saml.ResponseRequest{
			Audience: "https://sp.example.com", Recipient: "https://sp.example.com/acs",
			NameID:     claims.NameID{Format: claims.NameIDPersistent, Value: "alice"},
			Attributes: []claims.Attribute{{Name: "a", Values: []string{bad}}},
		}, saml.ResponseOptions{})
		if !errors.Is(err, saml.ErrInvalidText) {
			t.Errorf("Build with value %q: %v, want ErrInvalidText", bad, err)
		}
	}
	// Line feed and tab are carried; the output never holds a raw CR.
	res, err := iss.Build(saml.ResponseRequest{
		Audience: "https://sp.example.com", Recipient: "https://sp.example.com/acs",
		NameID:     claims.NameID{Format: claims.NameIDPersistent, Value: "alice"},
		Attributes: []claims.Attribute{{Name: "a", Values: []string{"line1\nline2\tend"}}},
	}, saml.ResponseOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if strings.ContainsRune(string(res.XML), '\r') {
		t.Error("raw CR in the response")
	}
	v, err := saml.Read(&saml.Message{XML: res.XML}, saml.ReadOptions{Certificates: []*x509.Certificate{kp.Certificate}})
	if err != nil || v.Assertion.Attributes[0].Values[0] != "line1\nline2\tend" {
		t.Errorf("value with LF and TAB: %v %+v", err, v.Assertion.Attributes)
	}
}

func TestSEC20_CommentTruncation(t *testing.T) {
	e := newEnv(t, withTOML(malloryTOML))
	// The IdP never emits comments, even for a value that looks like one.
	issued, err := e.tenant.Issue(idp.IssueRequest{User: "mallory", App: "inject-sp"})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(issued.Response.XML), "<!--") {
		t.Errorf("the response carries a comment:\n%s", issued.Response.XML)
	}
	// The reader reads the whole NameID around a comment and flags it,
	// even when a trusted signature covers it (exclusive c14n drops
	// comments, so the signature still verifies).
	kp := testIdPKey(t)
	now := time.Now().UTC()
	assertion := fmt.Sprintf(`<saml:Assertion xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_a1" Version="2.0" IssueInstant=%q><saml:Issuer>https://idp.example.com</saml:Issuer><saml:Subject><saml:NameID>admin@corp.com.evil.com</saml:NameID></saml:Subject></saml:Assertion>`, now.Format(time.RFC3339))
	doc := mustDoc(t, assertion)
	signed := signElement(t, doc.Root(), kp.Signer, kp.Certificate)
	doc.SetRoot(signed)
	signedXML, _ := doc.WriteToString()
	// The comment goes in after signing, as an attacker would add it.
	xml := []byte(strings.Replace(signedXML, "admin@corp.com.evil.com", "admin@corp.com<!---->.evil.com", 1))
	v, err := saml.Read(&saml.Message{XML: xml}, saml.ReadOptions{Certificates: []*x509.Certificate{kp.Certificate}})
	if err != nil || !v.Verified {
		t.Fatalf("signed assertion: %v", err)
	}
	if v.Assertion.NameID != "admin@corp.com.evil.com" || !v.HasComments {
		t.Errorf("NameID %q, HasComments %v; want the full text and the flag", v.Assertion.NameID, v.HasComments)
	}
}

func TestSEC21_XSS(t *testing.T) {
	e := newEnv(t)
	const evil = `"><script>alert(1)</script><a href='javascript:alert(2)'>`
	b := e.signedInBrowser()
	check := func(t *testing.T, r *result, acs string) {
		t.Helper()
		x, action, rs := posted(t, r)
		if x == "" || action != acs || rs != evil {
			t.Fatalf("status %d, action %q, RelayState %q; want a post to %s echoing RelayState", r.StatusCode, action, rs, acs)
		}
		if strings.Contains(r.body, "<script>alert") || strings.Contains(r.body, "'javascript:") {
			t.Error("RelayState written unescaped")
		}
		csp := r.Header.Get("Content-Security-Policy")
		if !strings.Contains(csp, "form-action "+acs+";") || !strings.Contains(csp, "script-src "+saml.PostFormScriptHash+";") ||
			!strings.Contains(csp, "frame-ancestors 'none'") || strings.Contains(csp, "unsafe-inline") {
			t.Errorf("CSP = %q", csp)
		}
		if r.Header.Get("Cache-Control") != "no-store" || r.Header.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("Cache-Control %q, nosniff %q", r.Header.Get("Cache-Control"), r.Header.Get("X-Content-Type-Options"))
		}
	}
	t.Run("SP-initiated RelayState", func(t *testing.T) {
		for _, binding := range bindings {
			check(t, b.sso(binding, e.authnXML(authn{Issuer: multiSPEntity}), evil), multiSPACS0)
		}
	})
	t.Run("IdP-initiated RelayState", func(t *testing.T) {
		check(t, b.get("/apps/multi-sp/start?RelayState="+url.QueryEscape(evil)), multiSPACS0)
	})
	t.Run("debug view", func(t *testing.T) {
		r := b.get("/apps/test-sp/start?RelayState=" + url.QueryEscape(evil))
		if r.StatusCode != http.StatusOK || strings.Contains(r.body, "<script>alert") {
			t.Errorf("debug view: %d, raw script present: %v", r.StatusCode, strings.Contains(r.body, "<script>alert"))
		}
	})
	t.Run("error pages", func(t *testing.T) {
		for _, r := range []*result{
			b.sso("redirect", e.authnXML(authn{Issuer: e.testSPEntity(), ACS: "https://x.example/" + evil}), ""),
			b.sso("post", e.authnXML(authn{IssuerXML: "<saml:Issuer><![CDATA[" + evil + "]]></saml:Issuer>"}), ""),
			b.get("/login?next=" + url.QueryEscape(evil)),
			b.get("/apps/" + url.PathEscape(evil) + "/start"),
			e.browser().get("/nope/" + url.PathEscape(evil)),
		} {
			if strings.Contains(r.body, "<script>alert") || strings.Contains(r.body, "'javascript:") {
				t.Errorf("status %d: markup echoed unescaped:\n%s", r.StatusCode, trim(r.body))
			}
			noResponse(t, r)
			if r.Header.Get("X-Content-Type-Options") != "nosniff" || !strings.HasPrefix(r.Header.Get("Content-Security-Policy"), "default-src 'none'") {
				t.Errorf("status %d: headers %v", r.StatusCode, r.Header)
			}
		}
	})
	t.Run("test SP result page", func(t *testing.T) {
		// A forged (unsigned) response posted to the test SP's ACS is shown
		// with every value escaped.
		x := strings.Replace(sampleResponse, `<samlp:Status>`, `<samlp:Status><samlp:StatusCode Value="`+html.EscapeString(evil)+`"/>`, 1)
		x = strings.Replace(x, "</samlp:Response>", `<saml:Assertion ID="_a" Version="2.0" IssueInstant="2026-01-01T00:00:00Z"><saml:Issuer>`+html.EscapeString(evil)+
			`</saml:Issuer><saml:Subject><saml:NameID>`+html.EscapeString(evil)+`</saml:NameID></saml:Subject><saml:AttributeStatement><saml:Attribute Name="`+html.EscapeString(evil)+
			`"><saml:AttributeValue>`+html.EscapeString(evil)+`</saml:AttributeValue></saml:Attribute></saml:AttributeStatement></saml:Assertion></samlp:Response>`, 1)
		r := e.browser().post("/test-sp/acs", url.Values{"SAMLResponse": {base64.StdEncoding.EncodeToString([]byte(x))}, "RelayState": {evil}})
		if r.StatusCode != http.StatusBadRequest || !strings.Contains(r.body, "alert(1)") {
			t.Fatalf("status %d; want the result page (400, not verified) showing the values", r.StatusCode)
		}
		if strings.Contains(r.body, "<script>alert") || strings.Contains(r.body, "'javascript:") {
			t.Errorf("the test SP page echoes markup unescaped:\n%s", trim(r.body))
		}
	})
	t.Run("post form refuses a script URL", func(t *testing.T) {
		var sb strings.Builder
		err := saml.WritePostForm(&sb, "javascript:alert(1)", saml.PostFields{SAMLResponse: "eA=="})
		if err == nil && !strings.Contains(sb.String(), "#ZgotmplZ") {
			t.Errorf("javascript: action written: %s", sb.String())
		}
	})
}

func TestSEC22_RelayState(t *testing.T) {
	e := newEnv(t)
	b := e.signedInBrowser()
	req := func() string { return e.authnXML(authn{Issuer: multiSPEntity}) }
	t.Run("100 KB in the URL", func(t *testing.T) {
		r := b.get("/sso?" + redirectQuery(req(), strings.Repeat("r", 100<<10)))
		if r.StatusCode != http.StatusRequestHeaderFieldsTooLarge {
			t.Errorf("status %d, want 431", r.StatusCode)
		}
		noResponse(t, r)
	})
	long := strings.Repeat("r", saml.MaxRelayStateBytes+1)
	for _, binding := range bindings {
		e.refused(t, b.sso(binding, req(), long), http.StatusBadRequest, "RelayState too long")
	}
	e.refused(t, b.get("/apps/multi-sp/start?RelayState="+long), http.StatusBadRequest, "RelayState too long")
	// At the limit, any bytes are echoed exactly, and never followed.
	exact := "https://evil.example/?a=1&b=%20 \"<>'\n\t" + "é"
	exact += strings.Repeat("z", saml.MaxRelayStateBytes-len(exact))
	for _, binding := range bindings {
		r := b.sso(binding, req(), exact)
		x, action, rs := posted(t, r)
		if x == "" || rs != exact || action != multiSPACS0 {
			t.Errorf("%s: RelayState not echoed byte-exact (%d bytes back, action %q)", binding, len(rs), action)
		}
		if r.StatusCode != http.StatusOK || r.Header.Get("Location") != "" {
			t.Errorf("%s: status %d Location %q: the IdP must not redirect to RelayState", binding, r.StatusCode, r.Header.Get("Location"))
		}
	}
}

// rawGet sends a request line exactly as given (no client-side cleaning)
// and returns the status and Location.
func (e *env) rawGet(t *testing.T, target string) (int, string) {
	t.Helper()
	conn, err := net.Dial("tcp", e.srv.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "GET %s HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n", target, e.srv.Listener.Addr())
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("GET %s: %v", target, err)
	}
	resp.Body.Close()
	return resp.StatusCode, resp.Header.Get("Location")
}

// openRedirect reports whether a Location leaves the site.
func openRedirect(loc string) bool {
	l := strings.ToLower(strings.TrimSpace(loc))
	return strings.HasPrefix(l, "//") || strings.HasPrefix(l, "/\\") || strings.HasPrefix(l, "\\") ||
		regexp.MustCompile(`^[a-z][a-z0-9+.-]*:`).MatchString(l)
}

func TestSEC23_OpenRedirect(t *testing.T) {
	e := newEnv(t)
	nexts := []string{
		"//evil.com", "//evil.com/apps", "///evil.com", "/\\evil.com", "\\\\evil.com", "https://evil.com",
		"http:evil.com", "javascript:alert(1)", "/apps/..//evil.com", "/%2F%2Fevil.com", "/apps/../..//evil.com",
		"/\t/evil.com", " //evil.com", "/apps\r\nLocation: //evil.com", "https:/evil.com", "/.//evil.com",
	}
	for _, next := range nexts {
		t.Run("next="+next, func(t *testing.T) {
			b := e.browser()
			page := b.get("/login?next=" + url.QueryEscape(next))
			form := url.Values{"csrf": {field(reCSRF, page.body)}, "username": {"alice"}, "password": {"alice-demo"}, "next": {next}}
			r := b.post("/login", form)
			loc := r.Header.Get("Location")
			if r.StatusCode != http.StatusSeeOther || openRedirect(loc) || loc != "/apps" {
				t.Errorf("login with next=%q: %d Location %q, want 303 /apps", next, r.StatusCode, loc)
			}
			// Already signed in: GET /login?next= redirects at once.
			r = b.get("/login?next=" + url.QueryEscape(next))
			if loc := r.Header.Get("Location"); openRedirect(loc) || loc != "/apps" {
				t.Errorf("signed in, next=%q: Location %q", next, loc)
			}
		})
	}
	// Router path cleaning never answers with a protocol-relative Location.
	for _, path := range []string{"//evil.com/..", "//evil.com/%2e%2e", "/..//evil.com", "//evil.com/", "/apps/..//evil.com/",
		"/static/..//evil.com", "/sso/..//evil.com", "///evil.com/../", "/.//evil.com", "//evil.com/apps"} {
		status, loc := e.rawGet(t, path)
		if openRedirect(loc) {
			t.Errorf("GET %s: %d Location %q", path, status, loc)
		}
	}
	e.alive(t)
}

func TestSEC24_LoginCSRF(t *testing.T) {
	e := newEnv(t)
	t.Run("cross-site POST to the login form", func(t *testing.T) {
		b := e.browser()
		page := b.get("/login")
		form := url.Values{"csrf": {field(reCSRF, page.body)}, "username": {"alice"}, "password": {"alice-demo"}}
		for _, h := range []http.Header{
			{"Sec-Fetch-Site": {"cross-site"}},
			{"Origin": {"https://evil.example"}},
		} {
			e.refused(t, b.postRaw("/login", form.Encode(), h), http.StatusForbidden, "")
			if b.signedIn() {
				t.Fatalf("signed in by a cross-site post (%v)", h)
			}
		}
	})
	t.Run("token missing, wrong, or from another browser", func(t *testing.T) {
		a, other := e.browser(), e.browser()
		a.get("/login")
		otherToken := field(reCSRF, other.get("/login").body)
		for _, token := range []string{"", "x", otherToken} {
			r := a.post("/login", url.Values{"csrf": {token}, "username": {"alice"}, "password": {"alice-demo"}})
			e.refused(t, r, http.StatusForbidden, "Sign-in form expired")
			if a.signedIn() {
				t.Fatalf("signed in with token %q", token)
			}
		}
	})
	t.Run("fresh session id at login", func(t *testing.T) {
		b := e.browser()
		page := b.get("/login")
		u, _ := url.Parse(e.base)
		planted := sessionCookie(b, u)
		if planted == "" {
			t.Fatal("the login page set no session cookie")
		}
		b.loginForm(page, "alice", "alice-demo")
		after := sessionCookie(b, u)
		if after == "" || after == planted {
			t.Fatal("the session cookie was not replaced at login")
		}
		// The planted (pre-login) cookie does not carry the sign-in.
		victim := e.browser()
		victim.c.Jar.SetCookies(u, []*http.Cookie{{Name: "samlab_session", Value: planted}})
		if victim.signedIn() {
			t.Error("the pre-login cookie is signed in: session fixation")
		}
	})
	t.Run("pending request of another browser", func(t *testing.T) {
		victim, attacker := e.browser(), e.browser()
		vpage := victim.sso("redirect", e.authnXML(authn{Issuer: multiSPEntity}), "")
		apage := attacker.get("/login")
		form := url.Values{"csrf": {field(reCSRF, apage.body)}, "pending": {field(rePending, vpage.body)}, "username": {"alice"}, "password": {"alice-demo"}}
		e.refused(t, attacker.post("/login", form), http.StatusBadRequest, "Sign-in request expired")
		if attacker.signedIn() {
			t.Error("signed in with a foreign pending request")
		}
	})
	t.Run("pending request used twice", func(t *testing.T) {
		b := e.browser()
		page := b.sso("redirect", e.authnXML(authn{Issuer: multiSPEntity}), "")
		if x, _, _ := posted(t, b.loginForm(page, "alice", "alice-demo")); x == "" {
			t.Fatal("first use refused")
		}
		// The same pending token again, with the signed-in session's valid
		// CSRF token (from the launcher's sign-out form).
		form := url.Values{"csrf": {field(reCSRF, b.get("/apps").body)}, "pending": {field(rePending, page.body)}, "username": {"alice"}, "password": {"alice-demo"}}
		if form.Get("csrf") == "" {
			t.Fatal("no CSRF token on /apps")
		}
		e.refused(t, b.post("/login", form), http.StatusBadRequest, "Sign-in request expired")
	})
	t.Run("POST /sso stays open to cross-site posts", func(t *testing.T) {
		r := e.browser().postRaw("/sso", postForm(e.authnXML(authn{Issuer: multiSPEntity}), "").Encode(),
			http.Header{"Sec-Fetch-Site": {"cross-site"}, "Origin": {"https://multi-sp.example.com"}})
		if r.StatusCode != http.StatusOK || !strings.Contains(r.body, `name="password"`) {
			t.Errorf("cross-site SAML POST: %d, want the login page", r.StatusCode)
		}
	})
	t.Run("pending request expires after 10 minutes", func(t *testing.T) {
		e2 := newEnv(t)
		b := e2.browser()
		page := b.sso("redirect", e2.authnXML(authn{Issuer: multiSPEntity}), "")
		e2.advance(10*time.Minute + time.Second)
		e2.refused(t, b.loginForm(page, "alice", "alice-demo"), http.StatusBadRequest, "Sign-in request expired")
	})
}

// sessionCookie returns the browser's samlab_session cookie value.
func sessionCookie(b *browser, u *url.URL) string {
	for _, c := range b.c.Jar.Cookies(u) {
		if c.Name == "samlab_session" {
			return c.Value
		}
	}
	return ""
}

func TestSEC25_Credentials(t *testing.T) {
	hash, err := bcrypt.GenerateFromPassword([]byte("correct horse"), bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	e := newEnv(t, withTOML("\n[[users]]\nid = \"hashed\"\npassword_hash = \""+string(hash)+"\"\n[users.attributes]\nmail = \"hashed@contoso.com\"\nuserprincipalname = \"hashed@contoso.com\"\n"))
	t.Run("unknown user and wrong password look the same", func(t *testing.T) {
		_, errUnknown := e.tenant.Authenticate("nobody", "x")
		_, errWrong := e.tenant.Authenticate("alice", "x")
		_, errHashed := e.tenant.Authenticate("hashed", "x")
		for _, err := range []error{errUnknown, errWrong, errHashed} {
			if !errors.Is(err, idp.ErrBadCredentials) || err.Error() != errUnknown.Error() {
				t.Errorf("error %v; want the same ErrBadCredentials for every case", err)
			}
		}
		var bodies []string
		for _, user := range []string{"nobody", "alice", "hashed"} {
			b := e.browser()
			r := b.loginForm(b.get("/login"), user, "wrong")
			if r.StatusCode != http.StatusUnauthorized || b.signedIn() {
				t.Errorf("%s: %d", user, r.StatusCode)
			}
			bodies = append(bodies, strings.ReplaceAll(field(regexp.MustCompile(`(?s)<p class="alert">(.*?)<`), r.body), user, ""))
		}
		if bodies[0] != bodies[1] || bodies[1] != bodies[2] || bodies[0] == "" {
			t.Errorf("error messages differ: %q", bodies)
		}
	})
	t.Run("bcrypt hash", func(t *testing.T) {
		if _, err := e.tenant.Authenticate("hashed", "correct horse"); err != nil {
			t.Errorf("bcrypt user: %v", err)
		}
	})
	t.Run("back-off after repeated failures", func(t *testing.T) {
		e := newEnv(t)
		b := e.browser()
		for i := 0; i < 5; i++ {
			if r := b.loginForm(b.get("/login"), "bob", fmt.Sprint("guess", i)); r.StatusCode != http.StatusUnauthorized {
				t.Fatalf("failure %d: %d", i+1, r.StatusCode)
			}
		}
		// Even the right password is refused while backing off.
		r := b.loginForm(b.get("/login"), "bob", "bob-demo")
		e.refused(t, r, http.StatusTooManyRequests, "Too many attempts")
		if r.Header.Get("Retry-After") == "" || b.signedIn() {
			t.Errorf("Retry-After %q, signed in %v", r.Header.Get("Retry-After"), b.signedIn())
		}
		// Another user is not locked out by bob's failures.
		other := e.browser()
		if r := other.loginForm(other.get("/login"), "alice", "alice-demo"); r.StatusCode != http.StatusSeeOther {
			t.Errorf("alice: %d", r.StatusCode)
		}
		e.advance(2 * time.Second)
		if r := b.loginForm(b.get("/login"), "bob", "bob-demo"); r.StatusCode != http.StatusSeeOther {
			t.Errorf("after the back-off: %d", r.StatusCode)
		}
	})
	t.Run("one address cycling through user names", func(t *testing.T) {
		e := newEnv(t)
		b := e.browser()
		for i := 0; i < 20; i++ {
			if r := b.loginForm(b.get("/login"), fmt.Sprint("spray", i), "guess"); r.StatusCode != http.StatusUnauthorized {
				t.Fatalf("failure %d: %d", i+1, r.StatusCode)
			}
		}
		r := b.loginForm(b.get("/login"), "spray-next", "guess")
		e.refused(t, r, http.StatusTooManyRequests, "Too many attempts")
	})
	t.Run("plain password outside demo mode warns", func(t *testing.T) {
		cfg, err := config.Parse("x.toml", []byte("[idp]\nbase_url = \"https://idp.example.com\"\ndemo = false\n[[users]]\nid = \"u\"\npassword = \"p\"\n"))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(strings.Join(cfg.Warnings, "\n"), "plain password") {
			t.Errorf("warnings %q", cfg.Warnings)
		}
	})
}

func TestSEC26_TokensAndAlgorithms(t *testing.T) {
	e := newEnv(t)
	seen := map[string]bool{}
	reID := regexp.MustCompile(`^_[0-9a-f]{32}$`)
	for i := 0; i < 50; i++ {
		issued, err := e.tenant.Issue(idp.IssueRequest{User: "alice", App: "multi-sp"})
		if err != nil {
			t.Fatal(err)
		}
		r := issued.Response
		for _, id := range []string{r.ID, r.AssertionID} {
			if !reID.MatchString(id) || seen[id] {
				t.Fatalf("ID %q: want _ and 128 random bits, never repeated", id)
			}
			seen[id] = true
		}
		if i == 0 {
			x := string(r.XML)
			if !strings.Contains(x, `Algorithm="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"`) ||
				!strings.Contains(x, `Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"`) || strings.Contains(x, "sha1") {
				t.Errorf("signature algorithms:\n%s", x)
			}
		}
	}
	t.Run("RSA below 2048 bits", func(t *testing.T) {
		key, err := rsa.GenerateKey(rand.Reader, 1024)
		if err != nil {
			t.Fatal(err)
		}
		keyPath, certPath := writeKeyPair(t, key, 0o600)
		if _, err := certs.LoadWith(keyPath, certPath, certs.LoadOptions{}); err == nil || !strings.Contains(err.Error(), "2048") {
			t.Errorf("1024-bit key: %v", err)
		}
	})
	t.Run("rsa-sha1 is a warning", func(t *testing.T) {
		cfg, err := config.Parse("x.toml", []byte("[[apps]]\nname = \"x\"\nentity_id = \"https://x.example.com\"\nacs_urls = [\"https://x.example.com/acs\"]\nsignature_algorithm = \"rsa-sha1\"\n"))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(strings.Join(cfg.Warnings, "\n"), "rsa-sha1 is weak") {
			t.Errorf("warnings %q", cfg.Warnings)
		}
	})
	t.Run("InResponseTo is escaped", func(t *testing.T) {
		b := e.signedInBrowser()
		r := b.sso("redirect", e.authnXML(authn{ID: `_a&quot;b&lt;c&amp;`, Issuer: multiSPEntity}), "")
		x, _, _ := posted(t, r)
		if x == "" {
			e.refused(t, r, http.StatusBadRequest, "")
			return
		}
		v, err := saml.Read(&saml.Message{XML: []byte(x)}, e.readOpts())
		if err != nil || v.InResponseTo != `_a"b<c&` {
			t.Errorf("InResponseTo %q, %v", v.InResponseTo, err)
		}
	})
}

// writeKeyPair writes key and a self-signed certificate for it as PEM
// files, the key with mode perm.
func writeKeyPair(t *testing.T, key *rsa.PrivateKey, perm os.FileMode) (keyPath, certPath string) {
	t.Helper()
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "k"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, key.Public(), key)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	keyPath, certPath = filepath.Join(dir, "idp.key"), filepath.Join(dir, "idp.crt")
	if err := os.WriteFile(keyPath, pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(key)}), perm); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(keyPath, perm); err != nil { // umask
		t.Fatal(err)
	}
	if err := os.WriteFile(certPath, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o644); err != nil {
		t.Fatal(err)
	}
	return keyPath, certPath
}

func TestSEC27_AssertionValidity(t *testing.T) {
	e := newEnv(t)
	b := e.signedInBrowser()
	now := e.now()
	for _, tc := range []struct{ entity, acs string }{{multiSPEntity, multiSPACS0}, {awsEntity, awsACS}} {
		t.Run(tc.entity, func(t *testing.T) {
			x, _, _ := posted(t, b.sso("post", e.authnXML(authn{ID: "_v1", Issuer: tc.entity}), ""))
			v, err := saml.Read(&saml.Message{XML: []byte(x)}, e.readOpts())
			if err != nil {
				t.Fatal(err)
			}
			a := v.Assertion
			if errs := v.Check(saml.Expect{Audience: tc.entity, Recipient: tc.acs, Destination: tc.acs, InResponseTo: "_v1", Issuer: e.tenant.EntityID, Now: now}); len(errs) > 0 {
				t.Errorf("the SP's checks fail: %v", errs)
			}
			if !v.IssueInstant.Equal(now) || a.NotBefore.Before(now.Add(-5*time.Minute)) || a.NotBefore.After(now) {
				t.Errorf("IssueInstant %v NotBefore %v, want now %v and NotBefore in [now-5m, now]", v.IssueInstant, a.NotBefore, now)
			}
			if len(a.SubjectConfirmations) != 1 || a.SubjectConfirmations[0].NotOnOrAfter.After(now.Add(5*time.Minute)) ||
				a.SubjectConfirmations[0].Recipient != tc.acs || a.NotOnOrAfter.After(now.Add(5*time.Minute)) {
				t.Errorf("confirmation %+v, NotOnOrAfter %v: want at most now+5m, Recipient %s", a.SubjectConfirmations, a.NotOnOrAfter, tc.acs)
			}
			if len(a.Audiences) != 1 || a.Audiences[0] != tc.entity || v.Destination != tc.acs {
				t.Errorf("Audiences %q Destination %q", a.Audiences, v.Destination)
			}
		})
	}
}

func TestSEC28_RegexMisuse(t *testing.T) {
	app := func(regex, replacement string) string {
		return "\n[[apps]]\nname = \"rx\"\nentity_id = \"https://rx.example.com\"\nacs_urls = [\"https://rx.example.com/acs\"]\n" +
			"[[apps.claims]]\nname = \"r\"\ntransformations = [{ function = \"RegexReplace\", input = \"user.department\", regex = '" + regex + "', replacement = '" + replacement + "' }]\n"
	}
	load := func(extra string) (*idp.Tenant, error) {
		cfg, err := config.Parse("x.toml", append(config.DemoTOML(), extra...))
		if err != nil {
			return nil, err
		}
		return idp.New(cfg, idp.Options{KeyPair: testIdPKey(t)})
	}
	for name, regex := range map[string]string{
		"1 MB pattern":      strings.Repeat("a", 1<<20),
		"2 KB pattern":      strings.Repeat("(a)", 700),
		"does not compile":  "(?<x>a",
		"nested quantifier": "^(a+)+$",
	} {
		if _, err := load(app(regex, "x")); err == nil {
			t.Errorf("%s: the tenant loaded", name)
		} else if !strings.Contains(err.Error(), "regex") {
			t.Errorf("%s: error does not name the regex: %v", name, err)
		}
	}
	// Catastrophic backtracking the load check cannot see is cut by the
	// match deadline: issuance fails (or omits the claim) instead of
	// hanging, and the server stays up.
	slowUser := "\n[[users]]\nid = \"slow\"\npassword = \"p\"\n[users.attributes]\ndepartment = \"" + strings.Repeat("a", 4000) + "!\"\n"
	tn, err := load(app("^(a|aa)+$", "x") + slowUser)
	if err != nil {
		t.Fatalf("(a|aa)+$ should compile at load: %v", err)
	}
	done := make(chan error, 1)
	go func() {
		issued, err := tn.Issue(idp.IssueRequest{User: "slow", App: "rx"})
		if err == nil && issued.Response != nil {
			for _, a := range issued.Result.Attributes {
				if a.Name == "r" {
					err = fmt.Errorf("claim r = %q from a backtracking regex", a.Values)
				}
			}
		} else {
			err = nil
		}
		done <- err
	}()
	select {
	case err := <-done:
		if err != nil {
			t.Error(err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("the regex match did not stop at its deadline")
	}
	// Through the server: a clear 4xx page, never a 500, and a log line
	// naming the app and the claim.
	t.Run("timeout at issuance", func(t *testing.T) {
		e := newEnv(t, withTOML(app("^(a|aa)+$", "x")+slowUser))
		b := e.browser()
		b.login("slow", "p")
		r := b.get("/apps/rx/start")
		if r.StatusCode < 400 || r.StatusCode >= 500 {
			t.Errorf("status = %d, want a 4xx page\n%s", r.StatusCode, trim(r.body))
		}
		noResponse(t, r)
		if !strings.Contains(r.body, "took too long") || !strings.Contains(r.body, "r") {
			t.Errorf("the page does not say which claim timed out:\n%s", trim(r.body))
		}
		if !e.logsContain("app=rx") || !e.logsContain("claim=r") || !e.logsContain("regex") {
			t.Errorf("no log line naming app and claim:\n%s", e.logs.String())
		}
		if e.logsContain(strings.Repeat("a", 100)) {
			t.Error("the log carries the user's attribute value")
		}
		e.alive(t)
	})
	// Over-long input is refused before matching.
	eng, err := claims.Compile(claims.App{Name: "a"}, claims.Policy{Claims: []claims.Rule{{Name: "r",
		Transformations: []claims.Transformation{{Function: "RegexReplace", Input: "user.department", Regex: "a", Replacement: "b"}}}}}, claims.CompileOptions{})
	if err != nil {
		t.Fatal(err)
	}
	dir, err := claims.NewDirectory(claims.Tenant{ID: "t"}, []claims.User{{ID: "u", Attributes: map[string]claims.Values{"department": {strings.Repeat("a", claims.MaxRegexInput+1)}}}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	u, _ := dir.User("u")
	res, err := eng.Evaluate(dir, u, claims.EvalOptions{})
	if err == nil && len(res.Attributes) > 0 {
		t.Errorf("a %d-byte input went through the regex: %q", claims.MaxRegexInput+1, res.Attributes[0].Values[0][:20])
	}
}

func TestSEC29_KeysAndLogs(t *testing.T) {
	t.Run("key readable by others", func(t *testing.T) {
		key, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			t.Fatal(err)
		}
		for _, perm := range []os.FileMode{0o644, 0o640, 0o604, 0o660} {
			keyPath, certPath := writeKeyPair(t, key, perm)
			if _, err := certs.LoadWith(keyPath, certPath, certs.LoadOptions{}); !errors.Is(err, certs.ErrUnprotectedKey) {
				t.Errorf("mode %o: %v, want ErrUnprotectedKey", perm, err)
			}
			cfg, err := config.Parse("x.toml", []byte(fmt.Sprintf("[idp]\nkey = %q\ncert = %q\n", keyPath, certPath)))
			if err == nil {
				_, err = idp.New(cfg, idp.Options{StateDir: t.TempDir()})
			}
			if !errors.Is(err, certs.ErrUnprotectedKey) && (err == nil || !strings.Contains(err.Error(), "UNPROTECTED")) {
				t.Errorf("mode %o: the tenant loaded (%v)", perm, err)
			}
		}
		keyPath, certPath := writeKeyPair(t, key, 0o600)
		if _, err := certs.LoadWith(keyPath, certPath, certs.LoadOptions{}); err != nil {
			t.Errorf("mode 600: %v", err)
		}
	})
	t.Run("session key readable by others", func(t *testing.T) {
		for _, perm := range []os.FileMode{0o644, 0o600} {
			dir := t.TempDir()
			p := filepath.Join(dir, "session.key")
			if err := os.WriteFile(p, []byte(strings.Repeat("k", 40)), perm); err != nil {
				t.Fatal(err)
			}
			if err := os.Chmod(p, perm); err != nil {
				t.Fatal(err)
			}
			text := strings.Replace(string(config.DemoTOML()), "[idp]\n", "[idp]\nsession_key = \""+p+"\"\n", 1)
			cfg, err := config.Parse(filepath.Join(dir, "x.toml"), []byte(text))
			if err != nil {
				t.Fatal(err)
			}
			tn, err := idp.New(cfg, idp.Options{KeyPair: testIdPKey(t)})
			if err != nil {
				t.Fatal(err)
			}
			_, err = web.New(tn, web.Options{})
			if perm == 0o644 && err == nil {
				t.Error("a session key readable by others was accepted")
			}
			if perm == 0o600 && err != nil {
				t.Errorf("mode 600: %v", err)
			}
		}
	})
	for _, format := range []string{"text", "json"} {
		t.Run("logs, "+format, func(t *testing.T) {
			opts := []envOption{withDebugLogs()}
			if format == "json" {
				opts = append(opts, withJSONLogs())
			}
			e := newEnv(t, opts...)
			b := e.browser()
			b.loginForm(b.get("/login"), "alice", "Sup3r-Secret-Guess")
			forged := "x\nlevel=ERROR msg=forged\n{\"level\":\"ERROR\",\"msg\":\"forged\"}"
			b.loginForm(b.get("/login"), forged, "Sup3r-Secret-Guess")
			page := b.sso("redirect", e.authnXML(authn{Issuer: multiSPEntity}), "relay-secret")
			r := b.loginForm(page, "alice", "alice-demo")
			x, _, _ := posted(t, r)
			if x == "" {
				t.Fatal("no response")
			}
			u, _ := url.Parse(e.base)
			logs := e.logs.String()
			for _, secret := range []string{"Sup3r-Secret-Guess", "alice-demo", "relay-secret", sessionCookie(b, u), "SAMLRequest=", "PHNhbWxwOlJlc3BvbnNl", x[:40]} {
				if secret != "" && strings.Contains(logs, secret) {
					t.Errorf("the logs carry %q", secret)
				}
			}
			for _, line := range strings.Split(logs, "\n") {
				if strings.HasPrefix(line, "level=ERROR msg=forged") || strings.HasPrefix(line, `{"level":"ERROR","msg":"forged"}`) {
					t.Errorf("a user name forged a log line: %q", line)
				}
			}
		})
	}
}
