package web

import (
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/samlab/samlab/certs"
)

func TestMetadataRoute(t *testing.T) {
	e := newTestEnv(t)
	r := e.browser().get("/metadata")
	if r.StatusCode != http.StatusOK || r.Header.Get("Content-Type") != "application/samlmetadata+xml" {
		t.Fatalf("GET /metadata = %d %q", r.StatusCode, r.Header.Get("Content-Type"))
	}
	for _, want := range []string{`entityID="` + e.tenant.EntityID + `"`, e.base + "/sso", e.base + "/slo", "X509Certificate"} {
		if !strings.Contains(r.body, want) {
			t.Errorf("metadata lacks %q", want)
		}
	}
}

func TestHealthz(t *testing.T) {
	e := newTestEnv(t)
	r := e.browser().get("/healthz")
	if r.StatusCode != http.StatusOK || strings.TrimSpace(r.body) != "ok" {
		t.Fatalf("GET /healthz = %d %q", r.StatusCode, r.body)
	}
}

func TestSecurityHeadersOnEveryPage(t *testing.T) {
	e := newTestEnv(t)
	b := e.browser()
	for _, path := range []string{"/login", "/metadata", "/healthz", "/test-sp", "/nope", "/sso"} {
		r := b.get(path)
		h := r.Header
		if csp := h.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'none'") || !strings.Contains(csp, "frame-ancestors 'none'") {
			t.Errorf("%s: CSP = %q", path, csp)
		}
		if h.Get("X-Content-Type-Options") != "nosniff" || h.Get("Referrer-Policy") != "no-referrer" {
			t.Errorf("%s: nosniff=%q referrer=%q", path, h.Get("X-Content-Type-Options"), h.Get("Referrer-Policy"))
		}
	}
}

func TestStatusPages(t *testing.T) {
	e := newTestEnv(t)
	b := e.browser()
	tests := []struct {
		method, path string
		want         int
	}{
		{"GET", "/nope", http.StatusNotFound},
		{"GET", "/logout", http.StatusMethodNotAllowed},
		{"DELETE", "/sso", http.StatusMethodNotAllowed},
		{"GET", "/apps/no-such-app/start", http.StatusNotFound},
		{"GET", "/sso", http.StatusBadRequest},
		{"GET", "/slo", http.StatusBadRequest},
	}
	for _, tt := range tests {
		req, _ := http.NewRequest(tt.method, e.base+tt.path, nil)
		r := b.do(req)
		if r.StatusCode != tt.want {
			t.Errorf("%s %s = %d, want %d", tt.method, tt.path, r.StatusCode, tt.want)
		}
		if !strings.Contains(r.Header.Get("Content-Type"), "text/html") || !strings.Contains(r.body, "<h1>") {
			t.Errorf("%s %s: not an HTML error page: %q", tt.method, tt.path, r.body)
		}
	}
}

func TestRecoverHidesPanics(t *testing.T) {
	e := newTestEnv(t)
	sv, err := newServer(e.tenant, Options{Logger: discardLogger()})
	if err != nil {
		t.Fatal(err)
	}
	h := sv.recoverer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { panic("secret detail") }))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/x", nil))
	if rec.Code != http.StatusInternalServerError {
		t.Errorf("status = %d, want 500", rec.Code)
	}
	if body := rec.Body.String(); strings.Contains(body, "secret detail") || strings.Contains(body, "goroutine") {
		t.Errorf("panic leaked into the page: %s", body)
	}
}

func TestLoginAndLauncher(t *testing.T) {
	e := newTestEnv(t)
	b := e.browser()
	r := b.get("/apps")
	if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/login?next=%2Fapps" {
		t.Fatalf("GET /apps unauthenticated = %d %q", r.StatusCode, r.Header.Get("Location"))
	}
	page := b.get("/login?next=%2Fapps")
	for _, want := range []string{"Demo tenant", "alice-demo", `id="pick-alice"`} {
		if !strings.Contains(page.body, want) {
			t.Errorf("demo login page lacks %q", want)
		}
	}
	if page.Header.Get("Cache-Control") != "no-store" {
		t.Errorf("login page Cache-Control = %q", page.Header.Get("Cache-Control"))
	}
	r = b.loginForm(page, "alice", "alice-demo")
	if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/apps" {
		t.Fatalf("login = %d %q", r.StatusCode, r.Header.Get("Location"))
	}
	var sc *http.Cookie
	for _, c := range r.Cookies() {
		if c.Name == sessionCookie {
			sc = c
		}
	}
	if sc == nil || !sc.HttpOnly || sc.SameSite != http.SameSiteLaxMode || sc.Secure {
		t.Fatalf("session cookie = %+v, want HttpOnly, SameSite=Lax, not Secure over http", sc)
	}
	r = b.get("/apps")
	if r.StatusCode != http.StatusOK {
		t.Fatalf("GET /apps = %d", r.StatusCode)
	}
	for _, a := range e.tenant.Apps() {
		if !strings.Contains(r.body, `href="/apps/`+a.Name+`/start"`) {
			t.Errorf("launcher lacks app %s", a.Name)
		}
	}
	if !strings.Contains(e.logs.String(), `msg=login user=alice`) {
		t.Errorf("no login log line:\n%s", e.logs)
	}
}

func TestLoginNewSessionID(t *testing.T) {
	e := newTestEnv(t)
	b := e.browser()
	page := b.get("/login")
	before := cookieValue(b, e, sessionCookie)
	b.loginForm(page, "alice", "alice-demo")
	after := cookieValue(b, e, sessionCookie)
	if before == "" || after == "" || before == after {
		t.Fatal("session cookie not replaced at login")
	}
}

func cookieValue(b *browser, e *testEnv, name string) string {
	u, _ := url.Parse(e.base)
	for _, c := range b.c.Jar.Cookies(u) {
		if c.Name == name {
			return c.Value
		}
	}
	return ""
}

func TestLoginWrongPasswordAndBackoff(t *testing.T) {
	e := newTestEnv(t)
	b := e.browser()
	for i := 0; i < 5; i++ {
		r := b.loginForm(b.get("/login"), "alice", "wrong")
		if r.StatusCode != http.StatusUnauthorized || !strings.Contains(r.body, "Wrong user name or password") {
			t.Fatalf("attempt %d = %d", i+1, r.StatusCode)
		}
	}
	r := b.loginForm(b.get("/login"), "alice", "alice-demo")
	if r.StatusCode != http.StatusTooManyRequests || r.Header.Get("Retry-After") == "" {
		t.Fatalf("6th attempt = %d Retry-After %q, want 429", r.StatusCode, r.Header.Get("Retry-After"))
	}
	// Another user from the same address is not held back.
	if r := b.loginForm(b.get("/login"), "bob", "bob-demo"); r.StatusCode != http.StatusSeeOther {
		t.Errorf("bob = %d, want 303", r.StatusCode)
	}
	if strings.Contains(e.logs.String(), "wrong") || strings.Contains(e.logs.String(), "alice-demo") {
		t.Errorf("a password reached the log:\n%s", e.logs)
	}
}

func TestLoginUnknownUser(t *testing.T) {
	e := newTestEnv(t)
	b := e.browser()
	r := b.loginForm(b.get("/login"), "mallory", "x")
	if r.StatusCode != http.StatusUnauthorized || !strings.Contains(r.body, "Wrong user name or password") {
		t.Fatalf("unknown user = %d", r.StatusCode)
	}
}

func TestLoginCSRF(t *testing.T) {
	e := newTestEnv(t)
	tests := []struct {
		name  string
		setup func(b *browser) url.Values
		hdr   map[string]string
	}{
		{"no token", func(b *browser) url.Values {
			b.get("/login")
			return url.Values{"username": {"alice"}, "password": {"alice-demo"}}
		}, nil},
		{"token of another browser", func(b *browser) url.Values {
			b.get("/login")
			other := e.browser().get("/login")
			return url.Values{"csrf": {field(reCSRF, other.body)}, "username": {"alice"}, "password": {"alice-demo"}}
		}, nil},
		{"no session cookie", func(b *browser) url.Values {
			page := e.browser().get("/login")
			return url.Values{"csrf": {field(reCSRF, page.body)}, "username": {"alice"}, "password": {"alice-demo"}}
		}, nil},
		{"cross-site post", func(b *browser) url.Values {
			page := b.get("/login")
			return url.Values{"csrf": {field(reCSRF, page.body)}, "username": {"alice"}, "password": {"alice-demo"}}
		}, map[string]string{"Sec-Fetch-Site": "cross-site", "Origin": "https://evil.example"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := e.browser()
			form := tt.setup(b)
			req, _ := http.NewRequest("POST", e.base+"/login", strings.NewReader(form.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			for k, v := range tt.hdr {
				req.Header.Set(k, v)
			}
			r := b.do(req)
			if r.StatusCode != http.StatusForbidden {
				t.Fatalf("status = %d, want 403", r.StatusCode)
			}
			if b.get("/apps").StatusCode != http.StatusSeeOther {
				t.Error("signed in despite the CSRF failure")
			}
		})
	}
}

func TestLogout(t *testing.T) {
	e := newTestEnv(t)
	b := e.browser()
	b.login("alice", "alice-demo")
	if r := b.post("/logout", url.Values{}); r.StatusCode != http.StatusForbidden {
		t.Errorf("logout without token = %d, want 403", r.StatusCode)
	}
	apps := b.get("/apps")
	r := b.post("/logout", url.Values{"csrf": {field(reCSRF, apps.body)}})
	if r.StatusCode != http.StatusOK || !strings.Contains(r.body, "Signed out") {
		t.Fatalf("logout = %d", r.StatusCode)
	}
	if b.get("/apps").StatusCode != http.StatusSeeOther {
		t.Error("still signed in after logout")
	}
}

func TestOpenRedirect(t *testing.T) {
	e := newTestEnv(t)
	for _, next := range []string{"//evil.com", "https://evil.com/", "/\\evil.com", "/apps/../..//evil.com", "javascript:alert(1)", "/%2F%2Fevil.com"} {
		b := e.browser()
		page := b.get("/login?next=" + url.QueryEscape(next))
		r := b.loginForm(page, "alice", "alice-demo")
		if loc := r.Header.Get("Location"); loc != "/apps" {
			t.Errorf("next=%q: Location = %q, want /apps", next, loc)
		}
	}
	// Router path cleaning must not answer with a protocol-relative redirect.
	b := e.browser()
	for _, p := range []string{"//evil.com/..", "//evil.com/%2e%2e", "/apps/..//evil.com"} {
		req, _ := http.NewRequest("GET", e.base+"/", nil)
		req.URL.Opaque = p
		r := b.do(req)
		if loc := r.Header.Get("Location"); strings.HasPrefix(loc, "//") || strings.Contains(loc, "evil.com") {
			t.Errorf("GET %s: Location = %q", p, loc)
		}
	}
}

func TestSafeNext(t *testing.T) {
	tests := []struct{ in, want string }{
		{"/apps", "/apps"},
		{"/apps/aws/start?RelayState=x", "/apps/aws/start?RelayState=x"},
		{"/test-sp", "/test-sp"},
		{"/scim", "/scim"},
		{"/scim/v2/Users", ""},
		{"", ""},
		{"//evil.com", ""},
		{"/\\evil.com", ""},
		{"https://evil.com", ""},
		{"/login", ""},
		{"/apps/../metadata", ""},
		{"/apps\n", ""},
		{"apps", ""},
	}
	for _, tt := range tests {
		if got := safeNext(tt.in); got != tt.want {
			t.Errorf("safeNext(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestIdPInitiated(t *testing.T) {
	e := newTestEnv(t)
	b := e.browser()
	b.login("alice", "alice-demo")
	r := b.get("/apps/aws/start?RelayState=" + url.QueryEscape("https://console.aws.amazon.com/s3/?a=1&b=<2>"))
	if r.StatusCode != http.StatusOK {
		t.Fatalf("start = %d\n%s", r.StatusCode, r.body)
	}
	xml, action, rs := postedResponse(t, r)
	if action != "https://signin.aws.amazon.com/saml" || rs != "https://console.aws.amazon.com/s3/?a=1&b=<2>" {
		t.Errorf("action %q RelayState %q", action, rs)
	}
	v := e.verifyXML(t, xml)
	if v.InResponseTo != "" || v.Assertion == nil || v.Assertion.NameID == "" {
		t.Fatalf("view = %+v", v)
	}
	dept := ""
	for _, a := range v.Assertion.Attributes {
		if a.Name == "https://aws.amazon.com/SAML/Attributes/PrincipalTag:Department" && len(a.Values) == 1 {
			dept = a.Values[0]
		}
	}
	if dept != "Engineering" {
		t.Errorf("PrincipalTag:Department = %q, want Engineering", dept)
	}
	if got := r.Header.Get("Cache-Control"); got != "no-store" {
		t.Errorf("Cache-Control = %q", got)
	}
	csp := r.Header.Get("Content-Security-Policy")
	if !strings.Contains(csp, "form-action https://signin.aws.amazon.com/saml") || !strings.Contains(csp, "script-src 'sha256-") {
		t.Errorf("CSP = %q", csp)
	}
	logs := e.logs.String()
	if !strings.Contains(logs, `msg="response issued" app=aws user=alice`) || !strings.Contains(logs, "PrincipalTag:Department") {
		t.Errorf("no response log line with attribute names:\n%s", logs)
	}
	if strings.Contains(logs, "Engineering") || strings.Contains(logs, "SAMLResponse") || strings.Contains(logs, "samlab_session") {
		t.Errorf("log carries attribute values, responses or cookies:\n%s", logs)
	}
}

func TestIdPInitiatedLoginFirst(t *testing.T) {
	e := newTestEnv(t)
	b := e.browser()
	page := b.get("/apps/aws/start")
	if page.StatusCode != http.StatusOK || field(rePending, page.body) == "" {
		t.Fatalf("start without session = %d, want the login page with a pending request", page.StatusCode)
	}
	assertNoResponse(t, page)
	r := b.loginForm(page, "alice", "alice-demo")
	xml, action, _ := postedResponse(t, r)
	if xml == "" || action != "https://signin.aws.amazon.com/saml" {
		t.Fatalf("after login: %d, action %q", r.StatusCode, action)
	}
	// The pending request is single-use (a fresh CSRF token, the old pending).
	fresh := b.get("/apps") // its sign-out form carries the session's token
	r = b.post("/login", url.Values{"csrf": {field(reCSRF, fresh.body)}, "pending": {field(rePending, page.body)}, "username": {"alice"}, "password": {"alice-demo"}})
	if r.StatusCode != http.StatusBadRequest {
		t.Errorf("pending reused: %d, want 400", r.StatusCode)
	}
	assertNoResponse(t, r)
}

func TestPendingBoundToBrowser(t *testing.T) {
	e := newTestEnv(t)
	page := e.browser().get("/apps/aws/start")
	other := e.browser()
	op := other.get("/login")
	form := url.Values{"csrf": {field(reCSRF, op.body)}, "pending": {field(rePending, page.body)}, "username": {"alice"}, "password": {"alice-demo"}}
	r := other.post("/login", form)
	if r.StatusCode != http.StatusBadRequest {
		t.Fatalf("pending from another browser = %d, want 400", r.StatusCode)
	}
	assertNoResponse(t, r)
}

func TestStartRelayStateTooLong(t *testing.T) {
	e := newTestEnv(t)
	b := e.browser()
	b.login("alice", "alice-demo")
	r := b.get("/apps/aws/start?RelayState=" + strings.Repeat("a", 4097))
	if r.StatusCode != http.StatusBadRequest {
		t.Fatalf("status = %d, want 400", r.StatusCode)
	}
	assertNoResponse(t, r)
}

func TestDebugView(t *testing.T) {
	e := newTestEnv(t)
	b := e.browser()
	b.login("alice", "alice-demo")
	r := b.get("/apps/aws/start?debug=1")
	if r.StatusCode != http.StatusOK {
		t.Fatalf("debug = %d", r.StatusCode)
	}
	for _, want := range []string{"Debug view", `id="post-response"`, "PrincipalTag:Department", "Engineering", "&lt;samlp:Response", "aws:PrincipalTag/Department"} {
		if !strings.Contains(r.body, want) {
			t.Errorf("debug page lacks %q", want)
		}
	}
	if strings.Contains(r.body, "<script") {
		t.Error("debug page has a script; it must work with the button alone")
	}
	if csp := r.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "form-action https://signin.aws.amazon.com/saml") {
		t.Errorf("CSP = %q", csp)
	}
	xml, action, _ := postedResponse(t, r)
	if action != "https://signin.aws.amazon.com/saml" {
		t.Errorf("form action = %q", action)
	}
	e.verifyXML(t, xml)
}

func TestBodyTooLarge(t *testing.T) {
	e := newTestEnv(t)
	r := e.browser().post("/sso", url.Values{"SAMLRequest": {strings.Repeat("A", 2<<20)}})
	if r.StatusCode != http.StatusRequestEntityTooLarge {
		t.Fatalf("status = %d, want 413", r.StatusCode)
	}
	assertNoResponse(t, r)
}

func TestSessionCookieTampered(t *testing.T) {
	e := newTestEnv(t)
	b := e.browser()
	b.login("alice", "alice-demo")
	u, _ := url.Parse(e.base)
	v := cookieValue(b, e, sessionCookie)
	forged := strings.Replace(v, v[:10], "AAAAAAAAAA", 1)
	b.c.Jar.SetCookies(u, []*http.Cookie{{Name: sessionCookie, Value: forged, Path: "/"}})
	if r := b.get("/apps"); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("tampered cookie accepted: %d", r.StatusCode)
	}
}

func TestSessionsShareAcrossReplicas(t *testing.T) {
	// Two servers with the same IdP key accept each other's cookies.
	e := newTestEnv(t)
	b := e.browser()
	b.login("alice", "alice-demo")
	h2, err := New(e.tenant, Options{Logger: discardLogger(), Clock: func() time.Time { return e.now }})
	if err != nil {
		t.Fatal(err)
	}
	req := httptest.NewRequest("GET", e.base+"/apps", nil)
	u, _ := url.Parse(e.base)
	for _, c := range b.c.Jar.Cookies(u) {
		req.AddCookie(c)
	}
	rec := httptest.NewRecorder()
	h2.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK {
		t.Fatalf("replica: GET /apps = %d, want 200", rec.Code)
	}
}

func TestLogEscapesControlCharacters(t *testing.T) {
	e := newTestEnv(t)
	b := e.browser()
	b.loginForm(b.get("/login"), "eve\nlevel=ERROR msg=forged", "x")
	logs := e.logs.String()
	if strings.Contains(logs, "\nlevel=ERROR msg=forged") {
		t.Fatalf("a user name forged a log line:\n%s", logs)
	}
	if !strings.Contains(logs, `user="eve\nlevel=ERROR msg=forged"`) {
		t.Errorf("user name not quoted:\n%s", logs)
	}
}

func TestHTTPServerLimits(t *testing.T) {
	e := newTestEnv(t)
	srv := httptest.NewUnstartedServer(nil)
	srv.Config = NewHTTPServer("", e.srv.Config.Handler, discardLogger())
	srv.Start()
	defer srv.Close()
	resp, err := http.Get(srv.URL + "/sso?SAMLRequest=" + strings.Repeat("A", 100<<10))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusRequestHeaderFieldsTooLarge {
		t.Fatalf("100 KiB URL = %d, want 431", resp.StatusCode)
	}
	if srv.Config.ReadHeaderTimeout == 0 {
		t.Error("no ReadHeaderTimeout")
	}
}

func TestLoginLongUserName(t *testing.T) {
	e := newTestEnv(t)
	b := e.browser()
	long := strings.Repeat("x", 100<<10)
	r := b.loginForm(b.get("/login"), long, "x")
	if r.StatusCode != http.StatusUnauthorized {
		t.Fatalf("status = %d, want 401", r.StatusCode)
	}
	if logs := e.logs.String(); strings.Contains(logs, strings.Repeat("x", maxUserNameBytes+1)) {
		t.Error("the whole user name reached the log")
	}
	if strings.Contains(r.body, strings.Repeat("x", maxUserNameBytes+1)) {
		t.Error("the whole user name was echoed in the form")
	}
}

func TestSessionKeyFileMustBePrivate(t *testing.T) {
	dir := t.TempDir()
	for _, tt := range []struct {
		mode os.FileMode
		ok   bool
	}{{0o600, true}, {0o644, false}, {0o640, false}} {
		path := filepath.Join(dir, fmt.Sprintf("session-%o.key", tt.mode))
		os.WriteFile(path, []byte(strings.Repeat("k", 40)), 0o600)
		os.Chmod(path, tt.mode)
		_, err := readSecretFile(path)
		if tt.ok && err != nil {
			t.Errorf("mode %o: %v", tt.mode, err)
		}
		if !tt.ok && !errors.Is(err, certs.ErrUnprotectedKey) {
			t.Errorf("mode %o: err = %v, want %v", tt.mode, err, certs.ErrUnprotectedKey)
		}
	}
}
