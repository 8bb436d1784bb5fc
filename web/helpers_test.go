package web

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
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/beevik/etree"
	dsig "github.com/russellhaering/goxmldsig"

	"github.com/samlab/samlab/config"
	"github.com/samlab/samlab/idp"
	"github.com/samlab/samlab/saml"
	"github.com/samlab/samlab/scim"
)

// testStateDir keeps the generated IdP key for the whole test binary, so
// it is generated once.
var testStateDir string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "samlab-web-test")
	if err != nil {
		panic(err)
	}
	testStateDir = dir
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// spKey is a service provider's key pair, for signed AuthnRequests.
type spKey struct {
	key     crypto.Signer
	cert    *x509.Certificate
	pemPath string
}

var (
	spKeysOnce sync.Once
	spKeys     [2]spKey
)

// testSPKeys returns two SP key pairs; the first is registered for the
// "signed-sp" app, the second is not.
func testSPKeys(t testing.TB) [2]spKey {
	spKeysOnce.Do(func() {
		for i := range spKeys {
			key, err := rsa.GenerateKey(rand.Reader, 2048)
			if err != nil {
				panic(err)
			}
			tmpl := &x509.Certificate{
				SerialNumber: big.NewInt(int64(i + 10)), Subject: pkix.Name{CommonName: fmt.Sprintf("sp %d", i)},
				NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
			}
			der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, key.Public(), key)
			if err != nil {
				panic(err)
			}
			cert, _ := x509.ParseCertificate(der)
			p := filepath.Join(testStateDir, fmt.Sprintf("sp%d.crt", i))
			if err := os.WriteFile(p, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o644); err != nil {
				panic(err)
			}
			spKeys[i] = spKey{key: key, cert: cert, pemPath: p}
		}
	})
	return spKeys
}

const (
	signedSPEntity = "https://signed-sp.example.com/metadata"
	signedSPACS    = "https://signed-sp.example.com/acs"
)

// testConfigTOML is the demo tenant at baseURL plus a "signed-sp" app that
// requires signed AuthnRequests, and extra TOML.
func testConfigTOML(t testing.TB, baseURL, extra string) string {
	demo := string(config.DemoTOML())
	demo = strings.Replace(demo, `base_url = "http://127.0.0.1:8080"`, `base_url = "`+baseURL+`"`, 1)
	if !strings.Contains(demo, baseURL) {
		t.Fatal("demo configuration has no base_url line to replace")
	}
	keys := testSPKeys(t)
	return demo + fmt.Sprintf(`
[[apps]]
name = "signed-sp"
display_name = "Signed SP"
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
`, signedSPEntity, signedSPACS, keys[0].pemPath) + extra
}

// testEnv is a running IdP on a loopback httptest server.
type testEnv struct {
	t      testing.TB
	srv    *httptest.Server
	tenant *idp.Tenant
	base   string
	logs   *syncBuffer
	now    time.Time
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

type envOption func(*envConfig)

type envConfig struct {
	extraTOML string
	replace   [][2]string
	opts      Options
	realClock bool
	logLevel  slog.Level
}

// withReplace edits the demo TOML before loading it.
func withReplace(old, new string) envOption {
	return func(c *envConfig) { c.replace = append(c.replace, [2]string{old, new}) }
}

// withRealClock uses the system clock (browser flows against SPs that
// check times with it).
func withRealClock() envOption { return func(c *envConfig) { c.realClock = true } }

// withLogLevel sets the level of the captured log (default Info).
func withLogLevel(l slog.Level) envOption { return func(c *envConfig) { c.logLevel = l } }

func withTOML(s string) envOption { return func(c *envConfig) { c.extraTOML += s } }

// withSCIMStore gives the server a SCIM store (Options.SCIMStore).
func withSCIMStore(st scim.Store) envOption { return func(c *envConfig) { c.opts.SCIMStore = st } }

func newTestEnv(t testing.TB, options ...envOption) *testEnv {
	t.Helper()
	var ec envConfig
	for _, o := range options {
		o(&ec)
	}
	srv := httptest.NewUnstartedServer(nil)
	base := "http://" + srv.Listener.Addr().String()
	path := filepath.Join(t.TempDir(), "samlab.toml")
	text := testConfigTOML(t, base, ec.extraTOML)
	for _, r := range ec.replace {
		if !strings.Contains(text, r[0]) {
			t.Fatalf("configuration has no %q", r[0])
		}
		text = strings.Replace(text, r[0], r[1], 1)
	}
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Load(path)
	if err != nil {
		t.Fatalf("config: %v", err)
	}
	now := time.Now().UTC().Truncate(time.Second)
	clock := func() time.Time { return now }
	if ec.realClock {
		clock = time.Now
	}
	logs := &syncBuffer{}
	logger := slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: ec.logLevel}))
	tenant, err := idp.New(cfg, idp.Options{Clock: clock, StateDir: testStateDir, Logger: logger})
	if err != nil {
		t.Fatalf("idp: %v", err)
	}
	opts := ec.opts
	opts.Logger, opts.Clock = logger, clock
	h, err := New(tenant, opts)
	if err != nil {
		t.Fatalf("web.New: %v", err)
	}
	srv.Config.Handler = h
	srv.Start()
	t.Cleanup(srv.Close)
	return &testEnv{t: t, srv: srv, tenant: tenant, base: base, logs: logs, now: now}
}

// browser is a cookie-keeping client that does not follow redirects.
type browser struct {
	env *testEnv
	c   *http.Client
}

func (e *testEnv) browser() *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{env: e, c: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}}
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
		b.env.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return &result{Response: resp, body: string(body)}
}

func (b *browser) get(path string) *result {
	b.env.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, b.env.base+path, nil)
	return b.do(req)
}

func (b *browser) post(path string, form url.Values) *result {
	b.env.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, b.env.base+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return b.do(req)
}

var (
	reCSRF    = regexp.MustCompile(`name="csrf" value="([^"]*)"`)
	rePending = regexp.MustCompile(`name="pending" value="([^"]*)"`)
	reField   = func(name string) *regexp.Regexp {
		return regexp.MustCompile(`name="` + name + `" value="([^"]*)"`)
	}
	reAction = regexp.MustCompile(`<form method="post" action="([^"]*)"[^>]*>\s*<input type="hidden" name="SAMLResponse"`)
)

func field(re *regexp.Regexp, body string) string {
	m := re.FindStringSubmatch(body)
	if m == nil {
		return ""
	}
	return html.UnescapeString(m[1])
}

// loginForm submits the login form found in page (a login page) as user.
func (b *browser) loginForm(page *result, user, password string) *result {
	b.env.t.Helper()
	form := url.Values{"csrf": {field(reCSRF, page.body)}, "username": {user}, "password": {password}}
	if p := field(rePending, page.body); p != "" {
		form.Set("pending", p)
	}
	if n := field(reField("next"), page.body); n != "" {
		form.Set("next", n)
	}
	return b.post("/login", form)
}

// login signs in with a fresh login page.
func (b *browser) login(user, password string) {
	b.env.t.Helper()
	page := b.get("/login")
	if page.StatusCode != http.StatusOK {
		b.env.t.Fatalf("GET /login = %d", page.StatusCode)
	}
	res := b.loginForm(page, user, password)
	if res.StatusCode != http.StatusSeeOther {
		b.env.t.Fatalf("login as %s = %d, want 303\n%s", user, res.StatusCode, res.body)
	}
}

// postedResponse returns the SAMLResponse XML of an auto-post page, with
// the form action and RelayState; xml is "" when the page carries none.
func postedResponse(t testing.TB, r *result) (xml, action, relayState string) {
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

// assertNoResponse fails when the page carries a SAMLResponse.
func assertNoResponse(t testing.TB, r *result) {
	t.Helper()
	if strings.Contains(r.body, "SAMLResponse") {
		t.Errorf("a SAMLResponse was issued:\n%s", r.body)
	}
}

// verifyXML checks the IdP signature on the response or its assertion.
func (e *testEnv) verifyXML(t testing.TB, xml string) *saml.View {
	t.Helper()
	v, err := saml.Read(&saml.Message{XML: []byte(xml)}, saml.ReadOptions{
		Certificates: []*x509.Certificate{e.tenant.KeyPair.Certificate}, Now: func() time.Time { return e.now },
	})
	if err != nil {
		t.Fatalf("response does not verify: %v\n%s", err, xml)
	}
	return v
}

// authnRequest is an AuthnRequest from entity to our SSO URL.
type authnRequest struct {
	ID, Issuer, ACS, Destination string
	IssueInstant                 time.Time
	Attrs, Extra                 string
}

func (e *testEnv) authnXML(a authnRequest) string {
	if a.ID == "" {
		a.ID = "_" + fmt.Sprint(time.Now().UnixNano())
	}
	if a.IssueInstant.IsZero() {
		a.IssueInstant = e.now.Add(-5 * time.Second)
	}
	if a.Destination == "" {
		a.Destination = e.base + "/sso"
	}
	acs := ""
	if a.ACS != "" {
		acs = fmt.Sprintf(` AssertionConsumerServiceURL=%q`, a.ACS)
	}
	return fmt.Sprintf(`<samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID=%q Version="2.0" IssueInstant=%q Destination=%q%s%s><saml:Issuer>%s</saml:Issuer>%s</samlp:AuthnRequest>`,
		a.ID, a.IssueInstant.Format(time.RFC3339), a.Destination, acs, a.Attrs, a.Issuer, a.Extra)
}

// redirectQuery encodes xml for the HTTP-Redirect binding, signed with key
// when key is not nil.
func redirectQuery(t testing.TB, xml, relayState string, key crypto.Signer) string {
	var buf bytes.Buffer
	w, _ := flate.NewWriter(&buf, flate.DefaultCompression)
	w.Write([]byte(xml))
	w.Close()
	q := "SAMLRequest=" + url.QueryEscape(base64.StdEncoding.EncodeToString(buf.Bytes()))
	if relayState != "" {
		q += "&RelayState=" + url.QueryEscape(relayState)
	}
	if key == nil {
		return q
	}
	q += "&SigAlg=" + url.QueryEscape(saml.SigAlgRSASHA256)
	h := crypto.SHA256.New()
	h.Write([]byte(q))
	sig, err := key.Sign(rand.Reader, h.Sum(nil), crypto.SHA256)
	if err != nil {
		t.Fatal(err)
	}
	return q + "&Signature=" + url.QueryEscape(base64.StdEncoding.EncodeToString(sig))
}

// signXML adds an enveloped signature after the Issuer.
func signXML(t testing.TB, xml string, k spKey) string {
	doc := etree.NewDocument()
	if err := doc.ReadFromString(xml); err != nil {
		t.Fatal(err)
	}
	ctx, err := dsig.NewSigningContext(k.key, [][]byte{k.cert.Raw})
	if err != nil {
		t.Fatal(err)
	}
	ctx.Canonicalizer = dsig.MakeC14N10ExclusiveCanonicalizerWithPrefixList("")
	sig, err := ctx.ConstructSignature(doc.Root(), true)
	if err != nil {
		t.Fatal(err)
	}
	doc.Root().InsertChildAt(1, sig)
	s, _ := doc.WriteToString()
	return s
}

func discardLogger() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }
