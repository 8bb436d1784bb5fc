package scim_test

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/samlab/samlab/scim"
	"github.com/samlab/samlab/scim/memstore"
)

var update = flag.Bool("update", false, "rewrite golden files")

const testToken = "test-token-0123456789"

var t0 = time.Date(2026, 12, 7, 1, 2, 3, 456e6, time.UTC)

type harness struct {
	t     testing.TB
	store *memstore.Store
	h     http.Handler
	ids   atomic.Int64
}

func newHarness(t testing.TB) *harness {
	t.Helper()
	hs := &harness{t: t, store: memstore.New()}
	hs.h = scim.NewServer(hs.store, scim.Options{
		Tokens:       &scim.StoreTokens{Store: hs.store, Static: []string{testToken}},
		Clock:        func() time.Time { return t0 },
		RequestID:    func() string { return fmt.Sprintf("00000000-0000-4000-8000-%012d", hs.ids.Add(1)) },
		MaxBodyBytes: 64 << 10,
		SyncLog:      true,
	})
	return hs
}

type resp struct {
	status int
	header http.Header
	body   []byte
}

func (r resp) json(t testing.TB) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(r.body, &m); err != nil {
		t.Fatalf("response is not a JSON object: %v\n%s", err, r.body)
	}
	return m
}

func (hs *harness) do(method, path, body string) resp {
	return hs.doAuth(method, path, body, "Bearer "+testToken)
}

func (hs *harness) doAuth(method, path, body, auth string) resp {
	hs.t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req := httptest.NewRequest(method, path, rd)
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	req.Header.Set("Content-Type", "application/scim+json")
	rec := httptest.NewRecorder()
	hs.h.ServeHTTP(rec, req)
	return resp{rec.Code, rec.Header(), rec.Body.Bytes()}
}

func userBody(userName, email string, extra string) string {
	b := fmt.Sprintf(`{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":%q,
		"name":{"givenName":"Given","familyName":"Family"},"displayName":"Display Name","active":true`, userName)
	if email != "" {
		b += fmt.Sprintf(`,"emails":[{"value":%q,"type":"work","primary":true}]`, email)
	}
	if extra != "" {
		b += "," + extra
	}
	return b + "}"
}

func (hs *harness) createUser(userName string) string {
	hs.t.Helper()
	r := hs.do("POST", "/Users", userBody(userName, userName, ""))
	if r.status != 201 {
		hs.t.Fatalf("create %s: %d %s", userName, r.status, r.body)
	}
	return r.json(hs.t)["id"].(string)
}

func (hs *harness) createGroup(name string) string {
	hs.t.Helper()
	r := hs.do("POST", "/Groups", fmt.Sprintf(`{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":%q}`, name))
	if r.status != 201 {
		hs.t.Fatalf("create group %s: %d %s", name, r.status, r.body)
	}
	return r.json(hs.t)["id"].(string)
}

// golden compares got with testdata/golden/name, rewriting it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	var buf bytes.Buffer
	if err := json.Indent(&buf, got, "", "  "); err != nil {
		buf.Reset()
		buf.Write(got)
	}
	buf.WriteByte('\n')
	path := filepath.Join("testdata", "golden", name)
	if *update {
		os.MkdirAll(filepath.Dir(path), 0o755)
		if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./scim -run %s -update)", err, t.Name())
	}
	if !bytes.Equal(buf.Bytes(), want) {
		t.Errorf("%s differs from the golden file:\n got: %s\nwant: %s", name, buf.Bytes(), want)
	}
}

// wantError checks IdC's error shape (AWS-SCIM-013) and the status.
func wantError(t *testing.T, r resp, status int, detailHas string) {
	t.Helper()
	if r.status != status {
		t.Fatalf("status %d, want %d; body %s", r.status, status, r.body)
	}
	m := r.json(t)
	for _, k := range []string{"schema", "schemas", "detail", "status", "exceptionRequestId", "timeStamp"} {
		if _, ok := m[k]; !ok {
			t.Errorf("error body has no %q: %s", k, r.body)
		}
	}
	if s, _ := m["status"].(string); s != fmt.Sprint(status) {
		t.Errorf("status member = %#v, want the string %q", m["status"], fmt.Sprint(status))
	}
	if d, _ := m["detail"].(string); !strings.Contains(d, detailHas) {
		t.Errorf("detail %q does not contain %q", d, detailHas)
	}
	if _, ok := m["scimType"]; ok {
		t.Errorf("IdC sends no scimType: %s", r.body)
	}
	if r.header.Get("x-amzn-RequestId") != m["exceptionRequestId"] {
		t.Errorf("x-amzn-RequestId %q differs from exceptionRequestId %v", r.header.Get("x-amzn-RequestId"), m["exceptionRequestId"])
	}
}

func TestErrorBodiesGolden(t *testing.T) {
	hs := newHarness(t)
	id := hs.createUser("alice@example.com")
	for _, tc := range []struct {
		name, method, path, body, auth string
	}{
		{"401_missing_token.json", "GET", "/Users", "", ""},
		{"400_unparsable.json", "POST", "/Users", `{"userName":`, "Bearer " + testToken},
		{"400_single_item.json", "POST", "/Users", userBody("bob@example.com", "", `"phoneNumbers":[{"value":"1","type":"work"},{"value":"2","type":"mobile"}]`), "Bearer " + testToken},
		{"404_user.json", "GET", "/Users/nope", "", "Bearer " + testToken},
		{"409_duplicate.json", "POST", "/Users", userBody("ALICE@example.com", "", ""), "Bearer " + testToken},
		{"400_me.json", "GET", "/Me", "", "Bearer " + testToken},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := hs.doAuth(tc.method, tc.path, tc.body, tc.auth)
			golden(t, tc.name, r.body)
		})
	}
	r := hs.do("GET", "/Users/"+id, "")
	golden(t, "200_user.json", bytes.ReplaceAll(r.body, []byte(id), []byte("USER-ID")))
}

func TestAuth(t *testing.T) {
	hs := newHarness(t)
	for _, tc := range []struct{ name, auth string }{
		{"missing", ""},
		{"wrong token", "Bearer wrong"},
		{"basic", "Basic dGVzdDp0ZXN0"},
		{"empty bearer", "Bearer "},
	} {
		t.Run("AWS-SCIM-001 "+tc.name, func(t *testing.T) {
			r := hs.doAuth("GET", "/ServiceProviderConfig", "", tc.auth)
			wantError(t, r, 401, scim.DetailAuth)
		})
	}
	if r := hs.doAuth("GET", "/ServiceProviderConfig", "", "bearer "+testToken); r.status != 200 {
		t.Errorf("lower-case bearer scheme: %d", r.status)
	}
}

func TestStoreTokens(t *testing.T) {
	ctx := context.Background()
	st := memstore.New()
	now := t0
	clock := func() time.Time { return now }
	plain, tok, err := scim.CreateToken(ctx, st, now)
	if err != nil {
		t.Fatal(err)
	}
	if !tok.Expires.Equal(now.Add(scim.TokenLifetime)) || bytes.Contains(tok.Hash, []byte(plain)) {
		t.Errorf("token kept as %+v", tok)
	}
	v := &scim.StoreTokens{Store: st, Clock: clock}
	if id, err := v.Verify(ctx, plain); err != nil || id != tok.ID {
		t.Fatalf("Verify = %q, %v", id, err)
	}
	if _, _, err := scim.CreateToken(ctx, st, now); err != nil {
		t.Fatal(err)
	}
	if _, _, err := scim.CreateToken(ctx, st, now); err != scim.ErrTooManyTokens {
		t.Errorf("third live token: %v, want ErrTooManyTokens (AWS-SCIM-001)", err)
	}
	// A year later the token has expired: refused, and it no longer counts.
	now = now.Add(scim.TokenLifetime + time.Second)
	if _, err := v.Verify(ctx, plain); err != scim.ErrUnauthorized {
		t.Errorf("expired token: %v", err)
	}
	if _, _, err := scim.CreateToken(ctx, st, now); err != nil {
		t.Errorf("create after expiry: %v", err)
	}
	// A deleted token stops working once the cache is older than its TTL.
	st.DeleteToken(ctx, tok.ID)
	now = now.Add(6 * time.Second)
	if _, err := v.Verify(ctx, plain); err != scim.ErrUnauthorized {
		t.Errorf("deleted token: %v", err)
	}
}

func TestCreateUserRules(t *testing.T) {
	hs := newHarness(t)
	hs.createUser("taken@example.com")
	long := strings.Repeat("a", 129)
	for _, tc := range []struct {
		rule, name, body string
		status           int
		detail           string
	}{
		{"AWS-SCIM-003", "no userName", `{"name":{"givenName":"a","familyName":"b"},"displayName":"d"}`, 400, "userName is required"},
		{"AWS-SCIM-003", "no givenName", `{"userName":"x","name":{"familyName":"b"},"displayName":"d"}`, 400, "name.givenName is required"},
		{"AWS-SCIM-003", "no familyName", `{"userName":"x","name":{"givenName":"b"},"displayName":"d"}`, 400, "name.familyName is required"},
		{"AWS-SCIM-003", "no displayName", `{"userName":"x","name":{"givenName":"a","familyName":"b"}}`, 400, "displayName is required"},
		{"AWS-SCIM-003", "empty displayName", `{"userName":"x","name":{"givenName":"a","familyName":"b"},"displayName":""}`, 400, "displayName is required"},
		{"AWS-SCIM-004", "two emails", userBody("x", "", `"emails":[{"value":"a@x","primary":true},{"value":"b@x"}]`), 400, scim.DetailSingle},
		{"AWS-SCIM-004", "two phone numbers", userBody("x", "", `"phoneNumbers":[{"value":"1","type":"work"},{"value":"2","type":"mobile"}]`), 400, scim.DetailSingle},
		{"AWS-SCIM-004", "two addresses", userBody("x", "", `"addresses":[{"country":"US"},{"country":"FR"}]`), 400, scim.DetailSingle},
		{"AWS-SCIM-004", "two roles", userBody("x", "", `"roles":[{"value":"a"},{"value":"b"}]`), 400, scim.DetailSingle},
		{"AWS-SCIM-005", "email not primary", userBody("x", "", `"emails":[{"value":"a@x","type":"work"}]`), 400, "primary"},
		{"AWS-SCIM-005", "primary email taken", userBody("y@example.com", "taken@example.com", ""), 409, scim.DetailDuplicate},
		{"AWS-SCIM-006", "password", userBody("x", "", `"password":"s3cret"`), 400, "password is not supported"},
		{"AWS-SCIM-006", "empty photos", userBody("x", "", `"photos":[]`), 400, "photos is not supported"},
		{"AWS-SCIM-006", "ims", userBody("x", "", `"ims":[{"value":"x"}]`), 400, "ims"},
		{"AWS-SCIM-006", "entitlements", userBody("x", "", `"entitlements":[]`), 400, "entitlements"},
		{"AWS-SCIM-006", "x509Certificates", userBody("x", "", `"x509Certificates":[]`), 400, "x509Certificates"},
		{"AWS-SCIM-006", "groups in create", userBody("x", "", `"groups":[{"value":"g"}]`), 400, "groups cannot be given"},
		{"AWS-SCIM-006", "email display", userBody("x", "", `"emails":[{"value":"a@x","primary":true,"display":"A"}]`), 400, "display sub-attribute of emails"},
		{"AWS-SCIM-006", "role display", userBody("x", "", `"roles":[{"value":"a","display":"A"}]`), 400, "display sub-attribute of roles"},
		{"AWS-SCIM-006", "manager displayName", userBody("x", "", `"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"manager":{"value":"m","displayName":"M"}}`), 400, "manager.displayName"},
		{"AWS-SCIM-006", "meta.version", userBody("x", "", `"meta":{"version":"W/\"1\""}`), 400, "meta.version"},
		{"AWS-SCIM-007", "unknown attribute", userBody("x", "", `"favouriteColour":"blue"`), 400, "favouriteColour"},
		{"AWS-SCIM-007", "unknown name part", `{"userName":"x","name":{"givenName":"a","familyName":"b","nick":"n"},"displayName":"d"}`, 400, "name.nick"},
		{"AWS-SCIM-007", "unknown enterprise attribute", userBody("x", "", `"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"badge":"1"}`), 400, "badge"},
		{"AWS-SCIM-007", "unknown schema", `{"schemas":["urn:example:custom"],"userName":"x","name":{"givenName":"a","familyName":"b"},"displayName":"d"}`, 400, "urn:example:custom"},
		{"AWS-SCIM-008", "userName too long", userBody(long, "", ""), 400, "at most 128"},
		{"AWS-SCIM-008", "userName with space", userBody("a b", "", ""), 400, "no whitespace"},
		{"AWS-SCIM-008", "userName with NBSP", userBody("a\u00a0b", "", ""), 400, "no whitespace"},
		{"AWS-SCIM-008", "userName with tab", userBody("a\tb", "", ""), 400, "no whitespace"},
		{"AWS-SCIM-008", "userName taken, other case", userBody("TAKEN@example.com", "", ""), 409, scim.DetailDuplicate},
		{"AWS-SCIM-008", "displayName too long", `{"userName":"x","name":{"givenName":"a","familyName":"b"},"displayName":"` + strings.Repeat("d", 1025) + `"}`, 400, "at most 1024"},
		{"AWS-SCIM-008", "externalId too long", userBody("x", "", `"externalId":"`+strings.Repeat("e", 257)+`"`), 400, "at most 256"},
		{"AWS-SCIM-008", "control character", userBody("x", "", `"title":"a\u0007b"`), 400, "control character"},
		{"AWS-SCIM-013", "not JSON", `{"userName":"x"`, 400, scim.DetailInvalid},
		{"AWS-SCIM-013", "array body", `[]`, 400, scim.DetailInvalid},
		{"AWS-SCIM-013", "trailing data", userBody("x", "", "") + `{}`, 400, scim.DetailInvalid},
		{"AWS-SCIM-013", "active as string", userBody("x", "", "")[:len(userBody("x", "", ""))-len(`,"active":true}`)] + `,"active":"True"}`, 400, "active must be true or false"},
		{"AWS-SCIM-013", "userName a number", `{"userName":5,"name":{"givenName":"a","familyName":"b"},"displayName":"d"}`, 400, "userName must be a string"},
		{"AWS-SCIM-013", "same key twice in two cases", `{"userName":"x","UserName":"y","name":{"givenName":"a","familyName":"b"},"displayName":"d"}`, 400, "given twice"},
	} {
		t.Run(tc.rule+" "+tc.name, func(t *testing.T) {
			wantError(t, hs.do("POST", "/Users", tc.body), tc.status, tc.detail)
		})
	}
	if n, _ := hs.store.CountUsers(context.Background()); n != 1 {
		t.Errorf("refused creates left %d users, want 1", n)
	}
}

func TestCreateUserFull(t *testing.T) {
	hs := newHarness(t)
	body := `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
	"externalId":"701984","userName":"bjensen@example.com",
	"name":{"formatted":"Ms. Barbara J Jensen, III","familyName":"Jensen","givenName":"Barbara","middleName":"Jane","honorificPrefix":"Ms.","honorificSuffix":"III"},
	"displayName":"Babs Jensen","nickName":"Babs","profileUrl":"https://login.example.com/bjensen","title":"Tour Guide","userType":"Employee",
	"preferredLanguage":"en-US","locale":"en-US","timezone":"America/Los_Angeles","active":true,
	"emails":[{"value":"bjensen@example.com","type":"work","primary":true}],
	"addresses":[{"streetAddress":"100 Universal City Plaza","locality":"Hollywood","region":"CA","postalCode":"91608","country":"USA","formatted":"100 Universal City Plaza Hollywood, CA 91608 USA","type":"work","primary":true}],
	"phoneNumbers":[{"value":"555-555-5555","type":"work"}],
	"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"employeeNumber":"701984","costCenter":"4130","organization":"Universal Studios","division":"Theme Park","department":"Tour Operations","manager":{"value":"9067729b3d-ee533c18-538a-4cd3-a572-63fb863ed734"}}}`
	r := hs.do("POST", "/Users", body)
	if r.status != 201 {
		t.Fatalf("%d %s", r.status, r.body)
	}
	id := r.json(t)["id"].(string)
	golden(t, "201_user_full.json", bytes.ReplaceAll(r.body, []byte(id), []byte("USER-ID")))
	g := hs.do("GET", "/Users/"+id, "")
	if !bytes.Equal(g.body, r.body) {
		t.Errorf("GET differs from the create answer:\n%s\n%s", g.body, r.body)
	}
}

func TestPutUser(t *testing.T) {
	hs := newHarness(t)
	id := hs.createUser("alice@example.com")
	hs.createUser("bob@example.com")
	r := hs.do("PUT", "/Users/"+id, userBody("alice@example.com", "alice@example.com", `"title":"Boss"`))
	if r.status != 200 || r.json(t)["title"] != "Boss" {
		t.Fatalf("PUT: %d %s", r.status, r.body)
	}
	t.Run("AWS-SCIM-003 put needs the required attributes", func(t *testing.T) {
		wantError(t, hs.do("PUT", "/Users/"+id, `{"userName":"alice@example.com"}`), 400, "required")
	})
	t.Run("AWS-SCIM-005 put to a taken userName", func(t *testing.T) {
		wantError(t, hs.do("PUT", "/Users/"+id, userBody("bob@example.com", "", "")), 409, scim.DetailDuplicate)
	})
	wantError(t, hs.do("PUT", "/Users/missing", userBody("z", "", "")), 404, "Resource missing not found.")
}

func TestRefusedEndpoints(t *testing.T) {
	hs := newHarness(t)
	gid := hs.createGroup("eng")
	for _, tc := range []struct{ method, path, detail string }{
		{"GET", "/Me", "/Me is not supported"},
		{"POST", "/Bulk", "/Bulk is not supported"},
		{"POST", "/.search", ".search"},
		{"POST", "/Users/.search", ".search"},
		{"POST", "/Groups/.search", ".search"},
		{"PUT", "/Groups/" + gid, "no PutGroup"},
		{"DELETE", "/Users", "DELETE /Users"},
		{"POST", "/ServiceProviderConfig", "POST /ServiceProviderConfig"},
		{"GET", "/Elsewhere", "not supported"},
		{"GET", "/Users/a/b", "not supported"},
	} {
		t.Run("AWS-SCIM-002 "+tc.method+" "+tc.path, func(t *testing.T) {
			wantError(t, hs.do(tc.method, tc.path, `{}`), 400, tc.detail)
		})
	}
}

func TestDiscovery(t *testing.T) {
	hs := newHarness(t)
	for _, p := range []string{"/ServiceProviderConfig", "/Schemas", "/ResourceTypes", "/ResourceTypes/User",
		"/Schemas/urn:ietf:params:scim:schemas:core:2.0:User", "/Schemas/urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"} {
		r := hs.do("GET", p, "")
		if r.status != 200 {
			t.Errorf("GET %s: %d %s", p, r.status, r.body)
		}
	}
	spc := hs.do("GET", "/ServiceProviderConfig", "").json(t)
	if spc["bulk"].(map[string]any)["supported"] != false || spc["patch"].(map[string]any)["supported"] != true {
		t.Errorf("ServiceProviderConfig = %v", spc)
	}
	if rt := hs.do("GET", "/ResourceTypes", "").json(t); rt["totalResults"] != 2.0 {
		t.Errorf("ResourceTypes = %v", rt)
	}
	wantError(t, hs.do("GET", "/Schemas/urn:nope", ""), 404, "not found")
}

func TestBodyLimit(t *testing.T) {
	hs := newHarness(t)
	big := userBody("x", "", `"title":"`+strings.Repeat("a", 70<<10)+`"`)
	r := hs.do("POST", "/Users", big)
	wantError(t, r, 413, "larger than 65536 bytes")
	if r.header.Get("Connection") != "close" {
		t.Errorf("413 without Connection: close")
	}
	// Without Content-Length (chunked): the limit holds while reading, and
	// no more than the limit plus one byte is read.
	cr := &countingReader{r: strings.NewReader(big + strings.Repeat(" ", 1<<20))}
	req := httptest.NewRequest("POST", "/Users", cr)
	req.ContentLength = -1
	req.Header.Set("Authorization", "Bearer "+testToken)
	rec := httptest.NewRecorder()
	hs.h.ServeHTTP(rec, req)
	if rec.Code != 413 {
		t.Errorf("chunked big body: %d", rec.Code)
	}
	if cr.n > 64<<10+1+32<<10 {
		t.Errorf("read %d bytes of a refused body", cr.n)
	}
}

type countingReader struct {
	r io.Reader
	n int
}

func (c *countingReader) Read(p []byte) (int, error) {
	if len(p) > 512 {
		p = p[:512]
	}
	n, err := c.r.Read(p)
	c.n += n
	return n, err
}

func TestLogEntries(t *testing.T) {
	hs := newHarness(t)
	hs.createUser("alice@example.com")
	hs.doAuth("GET", "/Users", "", "Bearer wrong-secret-token")
	hs.do("POST", "/Users", userBody("alice@example.com", "", ""))
	log, err := hs.store.Log(context.Background(), 10, 0)
	if err != nil || len(log) != 3 {
		t.Fatalf("log = %d entries, %v", len(log), err)
	}
	dup, unauth, created := log[0], log[1], log[2]
	if created.Status != 201 || created.Method != "POST" || created.Path != "/Users" || !strings.Contains(created.Request, "alice@example.com") ||
		!strings.HasSuffix(created.Client, " config-1") || created.RequestID == "" {
		t.Errorf("create entry = %+v", created)
	}
	if unauth.Status != 401 || strings.Contains(unauth.Client, "config") || !strings.Contains(unauth.Error, "AWS-SCIM-001") {
		t.Errorf("401 entry = %+v", unauth)
	}
	if dup.Status != 409 || !strings.Contains(dup.Error, scim.DetailDuplicate) || !strings.Contains(dup.Response, dup.RequestID) {
		t.Errorf("409 entry = %+v", dup)
	}
	for _, e := range log {
		b, _ := json.Marshal(e)
		if bytes.Contains(b, []byte(testToken)) || bytes.Contains(b, []byte("wrong-secret-token")) {
			t.Errorf("a token reached the log: %s", b)
		}
	}
}

func TestLogBodiesBounded(t *testing.T) {
	st := memstore.New()
	h := scim.NewServer(st, scim.Options{Tokens: &scim.StoreTokens{Static: []string{testToken}}, LogBodyBytes: 100, SyncLog: true})
	req := httptest.NewRequest("POST", "/Users", strings.NewReader(userBody("x", "", `"title":"`+strings.Repeat("t", 500)+`"`)))
	req.Header.Set("Authorization", "Bearer "+testToken)
	h.ServeHTTP(httptest.NewRecorder(), req)
	log, _ := st.Log(context.Background(), 1, 0)
	if len(log) != 1 || len(log[0].Request) > 120 || len(log[0].Response) > 120 {
		t.Errorf("log bodies not bounded: %d, %d bytes", len(log[0].Request), len(log[0].Response))
	}
}

// The default background log writer keeps every entry, in request order,
// and Close writes what is still queued.
func TestAsyncLog(t *testing.T) {
	st := memstore.New()
	h := scim.NewServer(st, scim.Options{Tokens: &scim.StoreTokens{Static: []string{testToken}}, LogQueue: 8})
	const n = 300
	for i := range n {
		req := httptest.NewRequest("GET", fmt.Sprintf("/Users/u%d", i), nil)
		req.Header.Set("Authorization", "Bearer "+testToken)
		h.ServeHTTP(httptest.NewRecorder(), req)
	}
	h.(*scim.Server).Close()
	log, _ := st.Log(context.Background(), 0, 0)
	if len(log) != n {
		t.Fatalf("log has %d entries, want %d", len(log), n)
	}
	for i, e := range log {
		if want := fmt.Sprintf("/Users/u%d", n-1-i); e.Path != want || e.Status != 404 {
			t.Fatalf("entry %d = %s %d, want %s 404", i, e.Path, e.Status, want)
		}
	}
}

// IdCDetails: every 400 carries IdC's generic detail; the log keeps the
// explanation with its rule.
func TestIdCDetails(t *testing.T) {
	st := memstore.New()
	h := scim.NewServer(st, scim.Options{Tokens: &scim.StoreTokens{Static: []string{testToken}}, IdCDetails: true, SyncLog: true})
	req := httptest.NewRequest("POST", "/Users", strings.NewReader(userBody("x", "", `"phoneNumbers":[{"value":"1"},{"value":"2"}]`)))
	req.Header.Set("Authorization", "Bearer "+testToken)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	wantError(t, resp{rec.Code, rec.Header(), rec.Body.Bytes()}, 400, scim.DetailInvalid)
	// The body is IdC's; samlab's explanation rides in a header.
	if got := rec.Header().Get(scim.ExplanationHeader); got != "AWS-SCIM-004: "+scim.DetailSingle {
		t.Errorf("%s = %q", scim.ExplanationHeader, got)
	}
	log, _ := st.Log(context.Background(), 1, 0)
	if len(log) != 1 || log[0].Error != "AWS-SCIM-004: "+scim.DetailSingle {
		t.Errorf("log = %+v", log)
	}
	// 404 and 409 keep their own details.
	req = httptest.NewRequest("GET", "/Users/nope", nil)
	req.Header.Set("Authorization", "Bearer "+testToken)
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	wantError(t, resp{rec.Code, rec.Header(), rec.Body.Bytes()}, 404, "Resource nope not found.")
	if got := rec.Header().Get(scim.ExplanationHeader); got != "" {
		t.Errorf("404 carries %s %q", scim.ExplanationHeader, got)
	}
}

// A password a client sends (refused, AWS-SCIM-006) never reaches the log,
// in a create body or a PATCH.
func TestLogRedactsPasswords(t *testing.T) {
	hs := newHarness(t)
	id := hs.createUser("alice@example.com")
	hs.do("POST", "/Users", userBody("bob@example.com", "", `"password":"Hunter2-secret"`))
	hs.do("PATCH", "/Users/"+id, patchBody(`{"op":"replace","path":"password","value":"Hunter2-secret"}`))
	hs.do("PATCH", "/Users/"+id, patchBody(`{"op":"replace","value":{"Password":"Hunter2-secret"}}`))
	hs.do("POST", "/Users", `["password","Hunter2-secret"]`)
	log, _ := hs.store.Log(context.Background(), 10, 0)
	if len(log) != 5 {
		t.Fatalf("%d entries", len(log))
	}
	for _, e := range log {
		if strings.Contains(e.Request, "Hunter2") {
			t.Errorf("password logged: %s", e.Request)
		}
	}
	if !strings.Contains(log[3].Request, `"password":"(redacted)"`) {
		t.Errorf("create body = %s", log[3].Request)
	}
}
