package securitytest

import (
	"bytes"
	"compress/flate"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/pem"
	"fmt"
	"html"
	"io"
	"log/slog"
	"math/big"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/beevik/etree"
	dsig "github.com/russellhaering/goxmldsig"

	"github.com/samlab/samlab/certs"
	"github.com/samlab/samlab/config"
	"github.com/samlab/samlab/idp"
	"github.com/samlab/samlab/saml"
	"github.com/samlab/samlab/web"
)

// keyDir holds the SP certificates the test configurations name.
var keyDir string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "samlab-securitytest")
	if err != nil {
		panic(err)
	}
	keyDir = dir
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

var (
	idpKeyOnce sync.Once
	idpKey     *certs.KeyPair
)

// testIdPKey is the IdP key pair of every test tenant (generated once).
func testIdPKey(t testing.TB) *certs.KeyPair {
	t.Helper()
	idpKeyOnce.Do(func() {
		kp, err := certs.Generate(certs.RSA2048, "samlab securitytest IdP", 0, nil, time.Now())
		if err != nil {
			panic(err)
		}
		idpKey = kp
	})
	return idpKey
}

// spKey is a service provider's (or an attacker's) key pair.
type spKey struct {
	key     crypto.Signer
	cert    *x509.Certificate
	pemPath string
}

var (
	spKeysOnce sync.Once
	spKeys     [2]spKey
)

// testSPKeys returns two key pairs: [0] is registered for the "signed-sp"
// app, [1] is the attacker's.
func testSPKeys(t testing.TB) [2]spKey {
	t.Helper()
	spKeysOnce.Do(func() {
		for i := range spKeys {
			key, err := rsa.GenerateKey(rand.Reader, 2048)
			if err != nil {
				panic(err)
			}
			tmpl := &x509.Certificate{
				SerialNumber: big.NewInt(int64(i + 100)), Subject: pkix.Name{CommonName: fmt.Sprintf("securitytest key %d", i)},
				NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(48 * time.Hour),
			}
			der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, key.Public(), key)
			if err != nil {
				panic(err)
			}
			cert, err := x509.ParseCertificate(der)
			if err != nil {
				panic(err)
			}
			p := filepath.Join(keyDir, fmt.Sprintf("sp%d.crt", i))
			if err := os.WriteFile(p, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o644); err != nil {
				panic(err)
			}
			spKeys[i] = spKey{key: key, cert: cert, pemPath: p}
		}
	})
	return spKeys
}

// Apps added to the demo tenant by every test environment.
const (
	signedSPEntity = "https://signed-sp.example.com/metadata"
	signedSPACS    = "https://signed-sp.example.com/acs"
	multiSPEntity  = "https://multi-sp.example.com/metadata"
	multiSPACS0    = "https://multi-sp.example.com/acs"
	multiSPACS1    = "https://multi-sp.example.com/acs2"
	awsEntity      = "urn:amazon:webservices"
	awsACS         = "https://signin.aws.amazon.com/saml"
)

// tenantTOML is the demo tenant at baseURL plus a "signed-sp" app that
// requires signed AuthnRequests and a "multi-sp" app with two ACS URLs,
// then extra.
func tenantTOML(t testing.TB, baseURL, extra string) string {
	t.Helper()
	demo := string(config.DemoTOML())
	const line = `base_url = "http://127.0.0.1:8080"`
	if !strings.Contains(demo, line) {
		t.Fatal("demo configuration has no base_url line to replace")
	}
	demo = strings.Replace(demo, line, `base_url = "`+baseURL+`"`, 1)
	keys := testSPKeys(t)
	return demo + fmt.Sprintf(`
[[apps]]
name = "signed-sp"
entity_id = %q
acs_urls = [%q]
require_signed_requests = true
sp_cert = %q
[apps.nameid]
format = "persistent"
source = "user.userprincipalname"
[[apps.claims]]
name = "mail"
namespace = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims"
source = "user.mail"

[[apps]]
name = "multi-sp"
entity_id = %q
acs_urls = [%q, %q]
[apps.nameid]
format = "persistent"
source = "user.userprincipalname"
[[apps.claims]]
name = "mail"
namespace = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims"
source = "user.mail"
`, signedSPEntity, signedSPACS, keys[0].pemPath, multiSPEntity, multiSPACS0, multiSPACS1) + extra
}

// clock is the adjustable clock of a test environment.
type clock struct{ ns atomic.Int64 }

func (c *clock) now() time.Time          { return time.Unix(0, c.ns.Load()).UTC() }
func (c *clock) advance(d time.Duration) { c.ns.Add(int64(d)) }

// env is a running IdP: web.New behind the http.Server of web.NewHTTPServer
// (so the real header limits apply) on a loopback listener.
type env struct {
	t      testing.TB
	srv    *httptest.Server
	tenant *idp.Tenant
	base   string
	clock  *clock
	start  time.Time
	logs   *syncBuffer
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

type envConfig struct {
	extra      string
	opts       web.Options
	jsonLogs   bool
	debugLevel bool
	noLogs     bool
}

type envOption func(*envConfig)

func withTOML(s string) envOption         { return func(c *envConfig) { c.extra += s } }
func withOptions(o web.Options) envOption { return func(c *envConfig) { c.opts = o } }
func withJSONLogs() envOption             { return func(c *envConfig) { c.jsonLogs = true } }
func withDebugLogs() envOption            { return func(c *envConfig) { c.debugLevel = true } }
func (e *env) now() time.Time             { return e.clock.now() }
func (e *env) testSPEntity() string       { return e.base + "/test-sp" }
func (e *env) testSPACS() string          { return e.base + "/test-sp/acs" }
func (e *env) ssoURL() string             { return e.base + "/sso" }
func (e *env) advance(d time.Duration)    { e.clock.advance(d) }
func (e *env) logsContain(s string) bool  { return strings.Contains(e.logs.String(), s) }
func (e *env) cert() []*x509.Certificate  { return []*x509.Certificate{e.tenant.KeyPair.Certificate} }
func (e *env) readOpts() saml.ReadOptions {
	return saml.ReadOptions{Certificates: e.cert(), Now: e.now}
}
func (e *env) get(path string) *result             { return e.browser().get(path) }
func (e *env) post(p string, f url.Values) *result { return e.browser().post(p, f) }

func newEnv(t testing.TB, options ...envOption) *env {
	t.Helper()
	var ec envConfig
	for _, o := range options {
		o(&ec)
	}
	srv := httptest.NewUnstartedServer(nil)
	base := "http://" + srv.Listener.Addr().String()
	text := tenantTOML(t, base, ec.extra)
	cfg, err := config.Parse(filepath.Join(t.TempDir(), "samlab.toml"), []byte(text))
	if err != nil {
		t.Fatalf("config: %v", err)
	}
	c := &clock{}
	c.ns.Store(time.Now().UTC().Truncate(time.Second).UnixNano())
	logs := &syncBuffer{}
	level := slog.LevelInfo
	if ec.debugLevel {
		level = slog.LevelDebug
	}
	var handler slog.Handler = slog.NewTextHandler(logs, &slog.HandlerOptions{Level: level})
	if ec.jsonLogs {
		handler = slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: level})
	}
	if ec.noLogs {
		handler = slog.DiscardHandler
	}
	logger := slog.New(handler)
	tenant, err := idp.New(cfg, idp.Options{Clock: c.now, KeyPair: testIdPKey(t), Logger: logger})
	if err != nil {
		t.Fatalf("idp: %v", err)
	}
	opts := ec.opts
	opts.Logger, opts.Clock = logger, c.now
	h, err := web.New(tenant, opts)
	if err != nil {
		t.Fatalf("web.New: %v", err)
	}
	srv.Config = web.NewHTTPServer("", h, logger)
	srv.Start()
	t.Cleanup(srv.Close)
	return &env{t: t, srv: srv, tenant: tenant, base: base, clock: c, start: c.now(), logs: logs}
}

// browser is a cookie-keeping client that does not follow redirects.
type browser struct {
	env *env
	c   *http.Client
}

func (e *env) browser() *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{env: e, c: &http.Client{Jar: jar, Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// result is a response with its body read.
type result struct {
	*http.Response
	body string
}

func (b *browser) do(req *http.Request) *result {
	b.env.t.Helper()
	resp, err := b.c.Do(req)
	if err != nil {
		b.env.t.Fatalf("%s %s: %v", req.Method, req.URL.Path, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return &result{Response: resp, body: string(body)}
}

func (b *browser) get(path string) *result {
	b.env.t.Helper()
	req, err := http.NewRequest(http.MethodGet, b.env.base+path, nil)
	if err != nil {
		b.env.t.Fatal(err)
	}
	return b.do(req)
}

func (b *browser) post(path string, form url.Values) *result {
	b.env.t.Helper()
	return b.postRaw(path, form.Encode(), nil)
}

func (b *browser) postRaw(path, body string, header http.Header) *result {
	b.env.t.Helper()
	req, err := http.NewRequest(http.MethodPost, b.env.base+path, strings.NewReader(body))
	if err != nil {
		b.env.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for k, v := range header {
		req.Header[k] = v
	}
	return b.do(req)
}

var (
	reCSRF    = regexp.MustCompile(`name="csrf" value="([^"]*)"`)
	rePending = regexp.MustCompile(`name="pending" value="([^"]*)"`)
	reAction  = regexp.MustCompile(`<form method="post" action="([^"]*)"[^>]*>\s*<input type="hidden" name="SAMLResponse"`)
)

func reField(name string) *regexp.Regexp {
	return regexp.MustCompile(`name="` + name + `" value="([^"]*)"`)
}

func field(re *regexp.Regexp, body string) string {
	m := re.FindStringSubmatch(body)
	if m == nil {
		return ""
	}
	return html.UnescapeString(m[1])
}

// loginForm submits the login form in page as user.
func (b *browser) loginForm(page *result, user, password string) *result {
	b.env.t.Helper()
	form := url.Values{"csrf": {field(reCSRF, page.body)}, "username": {user}, "password": {password}}
	if p := field(rePending, page.body); p != "" {
		form.Set("pending", p)
	}
	return b.post("/login", form)
}

// login signs the browser in.
func (b *browser) login(user, password string) {
	b.env.t.Helper()
	page := b.get("/login")
	if page.StatusCode != http.StatusOK {
		b.env.t.Fatalf("GET /login = %d", page.StatusCode)
	}
	if r := b.loginForm(page, user, password); r.StatusCode != http.StatusSeeOther {
		b.env.t.Fatalf("login as %s = %d, want 303\n%s", user, r.StatusCode, r.body)
	}
}

// signedIn reports whether the browser holds a signed-in session: /apps
// shows the launcher instead of redirecting to the login page.
func (b *browser) signedIn() bool {
	b.env.t.Helper()
	return b.get("/apps").StatusCode == http.StatusOK
}

// posted returns the SAMLResponse XML a page carries (auto-post form or
// debug view), with the form action and RelayState; xml is "" when none.
func posted(t testing.TB, r *result) (xml, action, relayState string) {
	t.Helper()
	v := field(reField("SAMLResponse"), r.body)
	if v == "" {
		return "", "", ""
	}
	b, err := base64.StdEncoding.DecodeString(v)
	if err != nil {
		t.Fatalf("SAMLResponse is not base64: %v", err)
	}
	return string(b), field(reAction, r.body), field(reField("RelayState"), r.body)
}

// refused asserts the outcome of a refused attack: the status, a body
// containing want, no SAMLResponse, the error page's security headers, and
// the server still serving.
func (e *env) refused(t testing.TB, r *result, status int, want string) {
	t.Helper()
	if r.StatusCode != status {
		t.Errorf("status = %d, want %d\n%s", r.StatusCode, status, trim(r.body))
	}
	if want != "" && !strings.Contains(r.body, want) {
		t.Errorf("body lacks %q:\n%s", want, trim(r.body))
	}
	noResponse(t, r)
	if r.StatusCode >= 400 && r.StatusCode != http.StatusRequestHeaderFieldsTooLarge {
		if r.Header.Get("X-Content-Type-Options") != "nosniff" || !strings.Contains(r.Header.Get("Content-Security-Policy"), "default-src 'none'") {
			t.Errorf("error page headers: nosniff=%q CSP=%q", r.Header.Get("X-Content-Type-Options"), r.Header.Get("Content-Security-Policy"))
		}
	}
	e.alive(t)
}

// noResponse fails when the page carries a SAMLResponse form field.
func noResponse(t testing.TB, r *result) {
	t.Helper()
	if strings.Contains(r.body, `name="SAMLResponse"`) {
		t.Errorf("a SAMLResponse was issued:\n%s", trim(r.body))
	}
}

// alive asserts the server still answers /healthz.
func (e *env) alive(t testing.TB) {
	t.Helper()
	if r := e.get("/healthz"); r.StatusCode != http.StatusOK || strings.TrimSpace(r.body) != "ok" {
		t.Fatalf("server no longer healthy: /healthz = %d %q", r.StatusCode, r.body)
	}
}

func trim(s string) string {
	if len(s) > 1500 {
		return s[:1500] + "..."
	}
	return s
}

// authn describes an AuthnRequest.
type authn struct {
	ID, Issuer, ACS, Destination string
	IssueInstant                 time.Time
	NoDestination                bool
	// Attrs are raw attributes appended to the root; Extra raw children
	// after the Issuer.
	Attrs, Extra string
	// IssuerXML replaces the whole Issuer element ("-" drops it).
	IssuerXML string
}

var idCounter atomic.Int64

func (e *env) authnXML(a authn) string {
	if a.ID == "" {
		a.ID = fmt.Sprintf("_sec%d", idCounter.Add(1))
	}
	if a.IssueInstant.IsZero() {
		a.IssueInstant = e.now().Add(-5 * time.Second)
	}
	if a.Destination == "" && !a.NoDestination {
		a.Destination = e.ssoURL()
	}
	attrs := ""
	if a.Destination != "" {
		attrs += fmt.Sprintf(` Destination=%q`, a.Destination)
	}
	if a.ACS != "" {
		attrs += fmt.Sprintf(` AssertionConsumerServiceURL="%s"`, html.EscapeString(a.ACS))
	}
	issuer := "<saml:Issuer>" + a.Issuer + "</saml:Issuer>"
	switch a.IssuerXML {
	case "":
	case "-":
		issuer = ""
	default:
		issuer = a.IssuerXML
	}
	return fmt.Sprintf(`<samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID=%q Version="2.0" IssueInstant=%q%s%s>%s%s</samlp:AuthnRequest>`,
		a.ID, a.IssueInstant.Format(time.RFC3339), attrs, a.Attrs, issuer, a.Extra)
}

func deflate(b []byte) []byte {
	var buf bytes.Buffer
	w, _ := flate.NewWriter(&buf, flate.BestCompression)
	w.Write(b)
	w.Close()
	return buf.Bytes()
}

// redirectQuery encodes xml for the HTTP-Redirect binding (unsigned).
func redirectQuery(xml, relayState string) string {
	q := "SAMLRequest=" + url.QueryEscape(base64.StdEncoding.EncodeToString(deflate([]byte(xml))))
	if relayState != "" {
		q += "&RelayState=" + url.QueryEscape(relayState)
	}
	return q
}

// signQuery appends SigAlg and Signature over q (raw bytes, as sent).
func signQuery(t testing.TB, q, sigAlg string, key crypto.Signer) string {
	t.Helper()
	q += "&SigAlg=" + url.QueryEscape(sigAlg)
	return q + "&Signature=" + url.QueryEscape(base64.StdEncoding.EncodeToString(rawSign(t, key, sigAlg, []byte(q))))
}

func rawSign(t testing.TB, key crypto.Signer, sigAlg string, data []byte) []byte {
	t.Helper()
	h := crypto.SHA256
	switch sigAlg {
	case saml.SigAlgRSASHA1:
		h = crypto.SHA1
	case saml.SigAlgRSASHA512:
		h = crypto.SHA512
	}
	d := h.New()
	d.Write(data)
	sig, err := key.Sign(rand.Reader, d.Sum(nil), h)
	if err != nil {
		t.Fatal(err)
	}
	return sig
}

// signedRedirect is redirectQuery signed with key (rsa-sha256).
func signedRedirect(t testing.TB, xml, relayState string, key crypto.Signer) string {
	t.Helper()
	return signQuery(t, redirectQuery(xml, relayState), saml.SigAlgRSASHA256, key)
}

// postForm is the HTTP-POST binding form of xml.
func postForm(xml, relayState string) url.Values {
	f := url.Values{"SAMLRequest": {base64.StdEncoding.EncodeToString([]byte(xml))}}
	if relayState != "" {
		f.Set("RelayState", relayState)
	}
	return f
}

// signXML adds an enveloped signature by k over the document element,
// placed after the Issuer.
func signXML(t testing.TB, xml string, k spKey) string {
	t.Helper()
	doc := etree.NewDocument()
	if err := doc.ReadFromString(xml); err != nil {
		t.Fatal(err)
	}
	signed := signElement(t, doc.Root(), k.key, k.cert)
	doc.SetRoot(signed)
	s, err := doc.WriteToString()
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// signElement returns el with an enveloped signature inserted after its
// first child (the Issuer).
func signElement(t testing.TB, el *etree.Element, key crypto.Signer, cert *x509.Certificate) *etree.Element {
	t.Helper()
	ctx, err := dsig.NewSigningContext(key, [][]byte{cert.Raw})
	if err != nil {
		t.Fatal(err)
	}
	ctx.Canonicalizer = dsig.MakeC14N10ExclusiveCanonicalizerWithPrefixList("")
	sig, err := ctx.ConstructSignature(el, true)
	if err != nil {
		t.Fatal(err)
	}
	out := el.Copy()
	out.InsertChildAt(1, sig)
	return out
}

// withoutLogs discards the server's logs (memory tests measure what the
// server keeps, not the test's log buffer).
func withoutLogs() envOption { return func(c *envConfig) { c.noLogs = true } }

// heapRetained runs f and returns how much the live heap grew (after GC):
// what the server keeps.
func heapRetained(f func()) int64 {
	heap := func() int64 {
		runtime.GC()
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		return int64(m.HeapAlloc)
	}
	before := heap()
	f()
	return heap() - before
}

// heapGrowth runs f and returns how many bytes it allocated in total
// (runtime TotalAlloc, all goroutines: the server runs in this process).
// Tests that use it must not run in parallel.
func heapGrowth(f func()) uint64 {
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// regexpReplace replaces every match of pattern in s.
func regexpReplace(s, pattern, repl string) string {
	return regexp.MustCompile(pattern).ReplaceAllLiteralString(s, repl)
}

// deflateZeros returns n zero bytes, DEFLATE-compressed.
func deflateZeros(t testing.TB, n int64) []byte {
	t.Helper()
	var buf bytes.Buffer
	w, err := flate.NewWriter(&buf, flate.BestSpeed)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.CopyN(w, zeroReader{}, n); err != nil {
		t.Fatal(err)
	}
	w.Close()
	return buf.Bytes()
}

type zeroReader struct{}

func (zeroReader) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

// mustDoc parses trusted test XML.
func mustDoc(t testing.TB, xml string) *etree.Document {
	t.Helper()
	doc := etree.NewDocument()
	if err := doc.ReadFromString(xml); err != nil {
		t.Fatal(err)
	}
	return doc
}
