package web

import (
	"context"
	"encoding/base64"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/samlab/samlab/scim"
	"github.com/samlab/samlab/scim/memstore"
)

// provisioned returns a store holding alice (active, with a cost center
// and a title) and dave (disabled), as Entra's default IdC mappings leave
// them.
func provisioned(t testing.TB) *memstore.Store {
	t.Helper()
	st := memstore.New()
	ctx := context.Background()
	for _, u := range []scim.User{
		{UserName: "alice@contoso.com", ExternalID: "0f8fad5b-d9cb-469f-a165-70867728950e", DisplayName: "Alice Anderson",
			Name: scim.Name{GivenName: "Alice", FamilyName: "Anderson"}, Title: "Software Engineer", Active: true,
			Emails:     []scim.MultiValue{{Value: "alice@contoso.com", Type: "work", Primary: true}},
			Enterprise: &scim.Enterprise{CostCenter: "CC-7777", Department: "Engineering"}},
		{UserName: "dave@contoso.com", DisplayName: "Dave Davis", Name: scim.Name{GivenName: "Dave", FamilyName: "Davis"}, Active: false},
	} {
		if err := st.CreateUser(ctx, &u); err != nil {
			t.Fatal(err)
		}
	}
	return st
}

// idcSignIn signs in as user through the IdP-initiated start of the
// identity-center app and posts the response to its ACS.
func idcSignIn(t *testing.T, e *testEnv, user string) *result {
	t.Helper()
	b := e.browser()
	b.login(user, user+"-demo")
	r := b.get("/apps/identity-center/start")
	x, action, rs := postedResponse(t, r)
	if x == "" || action != e.base+"/identity-center/acs" {
		t.Fatalf("start: %d, action %q\n%s", r.StatusCode, action, r.body)
	}
	return b.post("/identity-center/acs", url.Values{"SAMLResponse": {base64.StdEncoding.EncodeToString([]byte(x))}, "RelayState": {rs}})
}

var reTags = regexp.MustCompile(`<[^>]+>`)

// rowText is the text of the table row with id, tags removed.
func rowText(body, id string) string {
	i := strings.Index(body, `id="`+id+`"`)
	if i < 0 {
		return ""
	}
	i += strings.Index(body[i:], ">") + 1
	j := strings.Index(body[i:], "</tr>")
	if j < 0 {
		return ""
	}
	return strings.Join(strings.Fields(html.UnescapeString(reTags.ReplaceAllString(body[i:i+j], " "))), " ")
}

func TestIdCSignInProvisioned(t *testing.T) {
	e := newTestEnv(t, withSCIMStore(provisioned(t)))
	got := idcSignIn(t, e, "alice")
	if got.StatusCode != http.StatusOK || !strings.Contains(got.body, `id="signed-in-user">alice@contoso.com<`) {
		t.Fatalf("ACS = %d\n%s", got.StatusCode, got.body)
	}
	for id, want := range map[string][]string{
		// Configured ${path:...}: the store's value replaces the SAML one.
		"abac-costCenter": {"CC-7777", "identity store", "${path:enterprise.costCenter}", "replaces the value sent in SAML", "CC-1001"},
		// Configured without a source: the SAML value.
		"abac-Department": {"Engineering", "SAML", "AccessControl:Department", "configured without a source"},
		"abac-title":      {"Software Engineer", "identity store", "SAML sends no value"},
	} {
		row := rowText(got.body, id)
		for _, w := range want {
			if !strings.Contains(row, w) {
				t.Errorf("row %s lacks %q: %q", id, w, row)
			}
		}
	}
}

func TestIdCSignInPrecedenceSAML(t *testing.T) {
	e := newTestEnv(t, withSCIMStore(provisioned(t)), withReplace(`precedence = "identity-store"`, `precedence = "saml"`))
	got := idcSignIn(t, e, "alice")
	row := rowText(got.body, "abac-costCenter")
	if got.StatusCode != http.StatusOK || !strings.HasPrefix(row, "costCenter CC-1001 SAML") || !strings.Contains(row, "CC-7777") {
		t.Fatalf("ACS = %d, costCenter row %q", got.StatusCode, row)
	}
}

func TestIdCSignInRefused(t *testing.T) {
	for _, tc := range []struct {
		name, user string
		want       []string
	}{
		// bob was never provisioned: no JIT (AWS-IDC-005).
		{"never provisioned", "bob", []string{`id="idc-error">Invalid MFA credentials<`, "AWS-IDC-005",
			"no provisioned user has userName &#34;bob@fabrikam.com&#34;", "samlab provision"}},
		{"disabled", "dave", []string{`id="idc-error">An unexpected error has occurred<`, "AWS-SCIM-014", "active is false"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newTestEnv(t, withSCIMStore(provisioned(t)))
			got := idcSignIn(t, e, tc.user)
			if got.StatusCode != http.StatusForbidden {
				t.Fatalf("ACS = %d, want 403\n%s", got.StatusCode, got.body)
			}
			for _, w := range tc.want {
				if !strings.Contains(got.body, w) {
					t.Errorf("page lacks %q", w)
				}
			}
			if strings.Contains(got.body, `id="signed-in-user"`) {
				t.Error("refused sign-in shows a signed-in user")
			}
		})
	}
}

func TestIdCWrongNameIDFormat(t *testing.T) {
	e := newTestEnv(t, withSCIMStore(provisioned(t)), withReplace("[apps.nameid]\nformat = \"email\"\nsource = \"user.mail\"\n\n[[apps.nameid.conditions]]\nuser_type = \"members\"\nsource = \"user.userprincipalname\"\n\n[[apps.claims]]\nname = \"AccessControl:CostCenter\"",
		"[apps.nameid]\nformat = \"persistent\"\nsource = \"user.userprincipalname\"\n\n[[apps.claims]]\nname = \"AccessControl:CostCenter\""))
	got := idcSignIn(t, e, "alice")
	if got.StatusCode != http.StatusForbidden || !strings.Contains(got.body, "An unexpected error has occurred") ||
		!strings.Contains(got.body, "AWS-IDC-003") || !strings.Contains(got.body, "Response contains invalid name id policy format") {
		t.Fatalf("ACS = %d\n%s", got.StatusCode, got.body)
	}
}

func TestIdCReplayRefused(t *testing.T) {
	e := newTestEnv(t, withSCIMStore(provisioned(t)))
	b := e.browser()
	b.login("alice", "alice-demo")
	x, _, _ := postedResponse(t, b.get("/apps/identity-center/start"))
	form := url.Values{"SAMLResponse": {base64.StdEncoding.EncodeToString([]byte(x))}}
	if r := b.post("/identity-center/acs", form); r.StatusCode != http.StatusOK {
		t.Fatalf("first post = %d", r.StatusCode)
	}
	r := b.post("/identity-center/acs", form)
	if r.StatusCode != http.StatusForbidden || !strings.Contains(r.body, "replay") || !strings.Contains(r.body, "An unexpected error has occurred") {
		t.Fatalf("replay = %d\n%s", r.StatusCode, r.body)
	}
}

func TestIdCSPInitiated(t *testing.T) {
	e := newTestEnv(t, withSCIMStore(provisioned(t)))
	b := e.browser()
	r := b.get("/identity-center/login")
	loc := r.Header.Get("Location")
	if r.StatusCode != http.StatusFound || !strings.HasPrefix(loc, "/sso?SAMLRequest=") {
		t.Fatalf("login = %d %q", r.StatusCode, loc)
	}
	r = b.loginForm(b.get(loc), "alice", "alice-demo")
	x, action, rs := postedResponse(t, r)
	if action != e.base+"/identity-center/acs" || rs != "identity-center" {
		t.Fatalf("action %q RelayState %q", action, rs)
	}
	got := b.post("/identity-center/acs", url.Values{"SAMLResponse": {base64.StdEncoding.EncodeToString([]byte(x))}, "RelayState": {rs}})
	if got.StatusCode != http.StatusOK || !strings.Contains(got.body, "signed-in-user") {
		t.Fatalf("ACS = %d\n%s", got.StatusCode, got.body)
	}
}

func TestIdCWithoutStore(t *testing.T) {
	e := newTestEnv(t)
	got := idcSignIn(t, e, "alice")
	if got.StatusCode != http.StatusServiceUnavailable || !strings.Contains(got.body, "[scim]") {
		t.Fatalf("ACS = %d\n%s", got.StatusCode, got.body)
	}
	page := e.browser().get("/identity-center")
	if !strings.Contains(page.body, "SCIM is off") {
		t.Errorf("landing page does not say SCIM is off:\n%s", page.body)
	}
}

func TestIdCLandingPage(t *testing.T) {
	e := newTestEnv(t, withSCIMStore(provisioned(t)))
	page := e.browser().get("/identity-center")
	for _, w := range []string{`id="store-users">2<`, e.base + "/identity-center/acs", "${path:enterprise.costCenter}", "from SAML <code>AccessControl:Department</code>"} {
		if !strings.Contains(page.body, w) {
			t.Errorf("landing page lacks %q", w)
		}
	}
}

func TestIdCForgedResponseRefused(t *testing.T) {
	e := newTestEnv(t, withSCIMStore(provisioned(t)))
	b := e.browser()
	b.login("alice", "alice-demo")
	x, _, _ := postedResponse(t, b.get("/apps/identity-center/start"))
	// Another user's name in a signed response breaks the signature.
	forged := strings.ReplaceAll(x, "alice@contoso.com", "dave@contoso.com")
	r := b.post("/identity-center/acs", url.Values{"SAMLResponse": {base64.StdEncoding.EncodeToString([]byte(forged))}})
	if r.StatusCode != http.StatusForbidden || !strings.Contains(r.body, "An unexpected error has occurred") || strings.Contains(r.body, `id="signed-in-user"`) {
		t.Fatalf("forged = %d\n%s", r.StatusCode, r.body)
	}
}

func TestIdCEncryptedAssertionRefused(t *testing.T) {
	cert := testSPKeys(t)[1].pemPath
	e := newTestEnv(t, withSCIMStore(provisioned(t)), withReplace(`builtin = "identity-center"`, `builtin = "identity-center"`+"\nencrypt = { cert = \""+cert+"\" }"))
	got := idcSignIn(t, e, "alice")
	if got.StatusCode != http.StatusForbidden || !strings.Contains(got.body, "AWS-IDC-006") || !strings.Contains(got.body, "An unexpected error has occurred") {
		t.Fatalf("ACS = %d\n%s", got.StatusCode, got.body)
	}
}

// Provisioning sent another userName than the NameID the IdP sends, with
// the NameID as the email: the page says which userName to send.
func TestIdCNameIDIsAnEmail(t *testing.T) {
	st := memstore.New()
	if err := st.CreateUser(context.Background(), &scim.User{UserName: "alice.a@contoso.onmicrosoft.com", DisplayName: "Alice", Active: true,
		Name: scim.Name{GivenName: "Alice", FamilyName: "Anderson"}, Emails: []scim.MultiValue{{Value: "alice@contoso.com", Primary: true}}}); err != nil {
		t.Fatal(err)
	}
	got := idcSignIn(t, newTestEnv(t, withSCIMStore(st)), "alice")
	for _, w := range []string{"Invalid MFA credentials", "AWS-IDC-004", "send &#34;alice.a@contoso.onmicrosoft.com&#34; as the NameID"} {
		if !strings.Contains(got.body, w) {
			t.Errorf("page lacks %q", w)
		}
	}
}
