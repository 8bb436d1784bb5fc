package idp_test

import (
	"crypto/rand"
	"crypto/x509"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/samlab/samlab/aws"
	"github.com/samlab/samlab/certs"
	"github.com/samlab/samlab/config"
	"github.com/samlab/samlab/idp"
	"github.com/samlab/samlab/saml"
)

var (
	keyOnce sync.Once
	testKey *certs.KeyPair
)

func key(t testing.TB) *certs.KeyPair {
	keyOnce.Do(func() {
		kp, err := certs.Generate(certs.RSA2048, "idp test", 0, rand.Reader, time.Now())
		if err != nil {
			panic(err)
		}
		testKey = kp
	})
	return testKey
}

func demo(t testing.TB) *idp.Tenant {
	t.Helper()
	tn, err := idp.New(config.Demo(), idp.Options{KeyPair: key(t)})
	if err != nil {
		t.Fatalf("demo tenant: %v", err)
	}
	return tn
}

// readBack parses an issued response with the independent reader, pinned to
// the tenant's certificate, as a service provider would.
func readBack(t *testing.T, tn *idp.Tenant, is *idp.Issued) *saml.View {
	t.Helper()
	msg, err := saml.Decode([]byte(is.Response.Base64()))
	if err != nil {
		t.Fatalf("decode: %v", err)
	}
	v, err := saml.Read(msg, saml.ReadOptions{Certificates: []*x509.Certificate{tn.KeyPair.Certificate}})
	if err != nil {
		t.Fatalf("read: %v", err)
	}
	if !v.Verified {
		t.Fatal("issued response does not verify against the IdP certificate")
	}
	return v
}

// TestDemoAppsLintClean issues a response for every demo user and app the
// user is assigned to, reads it back and lints it under the app's profile:
// what samlab sends must pass its own AWS checks.
func TestDemoAppsLintClean(t *testing.T) {
	tn := demo(t)
	issued := 0
	for _, a := range tn.Apps() {
		for _, u := range tn.Users() {
			uu, _ := tn.User(u.ID)
			if !a.Assigned(tn.Directory, uu) {
				continue
			}
			t.Run(a.Name+"/"+u.ID, func(t *testing.T) {
				is, err := tn.Issue(idp.IssueRequest{User: u.ID, App: a.Name})
				if err != nil {
					t.Fatalf("issue: %v", err)
				}
				v := readBack(t, tn, is)
				fs := aws.LintView(v, a.Profile, aws.Options{
					Now:             v.IssueInstant,
					ExpectAudience:  a.EntityID,
					ExpectRecipient: a.ACSURLs[0],
					ExpectIssuer:    tn.EntityID,
				})
				for _, f := range fs {
					if f.Severity != aws.Info {
						t.Errorf("finding on a demo response: %s", f)
					}
				}
				issued++
			})
		}
	}
	if issued < 8 {
		t.Fatalf("only %d demo responses issued; expected every user for every app", issued)
	}
}

func TestIssueAWSClaims(t *testing.T) {
	tn := demo(t)
	is, err := tn.Issue(idp.IssueRequest{User: "alice", App: "aws"})
	if err != nil {
		t.Fatal(err)
	}
	v := readBack(t, tn, is)
	got := map[string][]string{}
	for _, a := range v.Assertion.Attributes {
		got[a.Name] = a.Values
	}
	ns := "https://aws.amazon.com/SAML/Attributes/"
	if want := "alice"; len(got[ns+"RoleSessionName"]) != 1 || got[ns+"RoleSessionName"][0] != want {
		t.Errorf("RoleSessionName = %q, want %q", got[ns+"RoleSessionName"], want)
	}
	if len(got[ns+"Role"]) != 2 {
		t.Errorf("Role = %q, want alice's two roles", got[ns+"Role"])
	}
	if d := got[ns+"PrincipalTag:Department"]; len(d) != 1 || d[0] != "Engineering" {
		t.Errorf("PrincipalTag:Department = %q", d)
	}
	if v.Assertion.NameIDFormat != "urn:oasis:names:tc:SAML:2.0:nameid-format:persistent" {
		t.Errorf("NameID format %q, want persistent (aws-sts profile default)", v.Assertion.NameIDFormat)
	}
	if v.Assertion.Audiences[0] != "urn:amazon:webservices" || v.Destination != "https://signin.aws.amazon.com/saml" {
		t.Errorf("audience %q destination %q", v.Assertion.Audiences, v.Destination)
	}
	// The guest's session name comes from the condition row on mail.
	bob, err := tn.Issue(idp.IssueRequest{User: "bob", App: "aws"})
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range bob.Result.Attributes {
		if a.Name == ns+"RoleSessionName" && (len(a.Values) != 1 || a.Values[0] != "bob") {
			t.Errorf("bob RoleSessionName = %q, want bob", a.Values)
		}
	}
}

func TestIssueErrors(t *testing.T) {
	tn := demo(t)
	cases := []struct {
		name string
		req  idp.IssueRequest
		want error
	}{
		{"unknown app", idp.IssueRequest{User: "alice", App: "nope"}, idp.ErrUnknownApp},
		{"unknown user", idp.IssueRequest{User: "mallory", App: "aws"}, idp.ErrUnknownUser},
		{"ACS not registered", idp.IssueRequest{User: "alice", App: "aws", ACS: "https://signin.aws.amazon.com/saml/"}, idp.ErrACSNotRegistered},
		{"ACS other host", idp.IssueRequest{User: "alice", App: "aws", ACS: "https://evil.example/saml"}, idp.ErrACSNotRegistered},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			is, err := tn.Issue(c.req)
			if !errors.Is(err, c.want) {
				t.Fatalf("err = %v, want %v", err, c.want)
			}
			if is != nil && is.Response != nil {
				t.Fatal("a response was issued")
			}
		})
	}
}

const badTagConfig = `
[idp]
base_url = "http://127.0.0.1:8080"
[[users]]
id = "u1"
password = "x"
[users.attributes]
userprincipalname = "u1@contoso.com"
department = "R&D, Lab"
[users.app_roles]
aws = ["arn:aws:iam::111122223333:role/Dev,arn:aws:iam::111122223333:saml-provider/samlab"]
[[apps]]
name = "aws"
entity_id = "urn:amazon:webservices"
acs_urls = ["https://signin.aws.amazon.com/saml"]
profile = "aws-sts"
%s
[[apps.claims]]
name = "Role"
namespace = "https://aws.amazon.com/SAML/Attributes"
source = "user.assignedroles"
[[apps.claims]]
name = "RoleSessionName"
namespace = "https://aws.amazon.com/SAML/Attributes"
transformations = [{ function = "ExtractMailPrefix", input = "user.userprincipalname" }]
[[apps.claims]]
name = "PrincipalTag:Department"
namespace = "https://aws.amazon.com/SAML/Attributes"
source = "user.department"
`

// A user whose data breaks an AWS rule gets no response, unless the app
// opts in to sending invalid responses on purpose.
func TestIssueBlockedByLint(t *testing.T) {
	for _, allow := range []bool{false, true} {
		extra := ""
		if allow {
			extra = "allow_invalid = true"
		}
		cfg, err := config.Parse("bad.toml", []byte(strings.Replace(badTagConfig, "%s", extra, 1)))
		if err != nil {
			t.Fatal(err)
		}
		tn, err := idp.New(cfg, idp.Options{KeyPair: key(t)})
		if err != nil {
			t.Fatalf("allow_invalid=%v: %v", allow, err)
		}
		if !containsAny(tn.Warnings, "AWS-TAG-004") {
			t.Errorf("load-time lint did not warn about u1's tag value: %q", tn.Warnings)
		}
		is, err := tn.Issue(idp.IssueRequest{User: "u1", App: "aws"})
		if allow {
			if err != nil || is.Response == nil {
				t.Fatalf("allow_invalid: err=%v, want a response", err)
			}
			continue
		}
		if !errors.Is(err, idp.ErrBlocked) || is == nil || !is.Blocked || is.Response != nil {
			t.Fatalf("err=%v issued=%+v, want blocked with no response", err, is)
		}
		if !hasRule(is.Findings, "AWS-TAG-004") {
			t.Errorf("findings %v lack AWS-TAG-004", is.Findings)
		}
	}
}

// A constant that breaks an AWS rule fails for every user, so the tenant
// refuses to load at all.
func TestNewRefusesBadConstant(t *testing.T) {
	cfg, err := config.Parse("bad.toml", []byte(strings.Replace(badTagConfig, "%s", "", 1)+`
[[apps.claims]]
name = "PrincipalTag:Team"
namespace = "https://aws.amazon.com/SAML/Attributes"
value = "a,b"
`))
	if err != nil {
		t.Fatal(err)
	}
	_, err = idp.New(cfg, idp.Options{KeyPair: key(t)})
	if err == nil || !strings.Contains(err.Error(), "AWS-TAG-004") || !strings.Contains(err.Error(), "PrincipalTag:Team") {
		t.Fatalf("err = %v, want an AWS-TAG-004 error naming PrincipalTag:Team", err)
	}
}

func TestAuthenticate(t *testing.T) {
	tn := demo(t)
	u := tn.Config.User("alice")
	if _, err := tn.Authenticate("alice", u.Password); err != nil {
		t.Fatalf("right password: %v", err)
	}
	for _, c := range [][2]string{{"alice", "wrong"}, {"nobody", "x"}, {"alice", ""}} {
		if _, err := tn.Authenticate(c[0], c[1]); !errors.Is(err, idp.ErrBadCredentials) {
			t.Errorf("Authenticate(%q, %q) = %v, want ErrBadCredentials", c[0], c[1], err)
		}
	}
}

func TestMetadata(t *testing.T) {
	tn := demo(t)
	md, err := tn.Metadata()
	if err != nil {
		t.Fatal(err)
	}
	entity, certs, err := saml.CertificatesFromMetadata(md)
	if err != nil {
		t.Fatal(err)
	}
	if entity != tn.EntityID || len(certs) != 1 || !certs[0].Equal(tn.KeyPair.Certificate) {
		t.Fatalf("metadata entity %q certs %d", entity, len(certs))
	}
	for _, want := range []string{tn.SSOURL(), tn.SLOURL(), "HTTP-Redirect", "HTTP-POST"} {
		if !strings.Contains(string(md), want) {
			t.Errorf("metadata lacks %q", want)
		}
	}
}

func containsAny(ss []string, sub string) bool {
	for _, s := range ss {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}

func hasRule(fs []aws.Finding, rule string) bool {
	for _, f := range fs {
		if f.Rule == rule {
			return true
		}
	}
	return false
}

// An app's slo_url reaches the App, where Single Logout answers to it.
func TestAppSLOURL(t *testing.T) {
	cfg, err := config.Parse("slo.toml", []byte(`
[[users]]
id = "u"
password = "p"
[[apps]]
name = "sp"
entity_id = "https://sp.example.com"
acs_urls = ["https://sp.example.com/acs"]
slo_url = "https://sp.example.com/slo"
`))
	if err != nil {
		t.Fatal(err)
	}
	tn, err := idp.New(cfg, idp.Options{KeyPair: key(t)})
	if err != nil {
		t.Fatal(err)
	}
	a, _ := tn.App("sp")
	if a.SLOURL != "https://sp.example.com/slo" {
		t.Fatalf("SLOURL %q", a.SLOURL)
	}
}

// custom_signing_key lifts the restriction on role, as Entra ID does for an
// app with its own signing key, and the claim is issued; without it the
// tenant does not load.
func TestCustomSigningKeyAllowsRoleClaim(t *testing.T) {
	const rule = `
[[apps.claims]]
name = "role"
namespace = "http://schemas.microsoft.com/ws/2008/06/identity/claims"
source = "user.assignedroles"
`
	conf := func(option string) string {
		return strings.Replace(badTagConfig, "%s", option, 1) + rule
	}
	cfg, err := config.Parse("t.toml", []byte(conf("")))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := idp.New(cfg, idp.Options{KeyPair: key(t)}); err == nil || !strings.Contains(err.Error(), "restricted claim name") {
		t.Fatalf("without custom_signing_key: err = %v, want a restricted claim name error", err)
	}
	// allow_invalid: the shared config also carries a tag value AWS refuses.
	cfg, err = config.Parse("t.toml", []byte(conf("custom_signing_key = true\nallow_invalid = true")))
	if err != nil {
		t.Fatal(err)
	}
	tn, err := idp.New(cfg, idp.Options{KeyPair: key(t)})
	if err != nil {
		t.Fatalf("with custom_signing_key: %v", err)
	}
	is, err := tn.Issue(idp.IssueRequest{User: "u1", App: "aws"})
	if err != nil {
		t.Fatal(err)
	}
	v := readBack(t, tn, is)
	const want = "arn:aws:iam::111122223333:role/Dev,arn:aws:iam::111122223333:saml-provider/samlab"
	for _, a := range v.Assertion.Attributes {
		if a.Name == "http://schemas.microsoft.com/ws/2008/06/identity/claims/role" {
			if len(a.Values) != 1 || a.Values[0] != want {
				t.Fatalf("role claim = %q, want [%q]", a.Values, want)
			}
			return
		}
	}
	t.Fatalf("no role claim in %+v", v.Assertion.Attributes)
}

// clock_offset shifts what the app is sent; the lint judges it by the true
// clock, so an assertion from ten minutes ago is blocked as expired unless
// the app allows invalid responses, and one ten minutes ahead as early.
func TestClockOffset(t *testing.T) {
	for _, c := range []struct {
		offset string
		check  string // the lint finding that blocks it
	}{{"-10m", "sts-expired"}, {"10m", "sts-not-yet-valid"}} {
		for _, allow := range []bool{false, true} {
			cfg := config.Demo()
			for i := range cfg.Apps {
				if cfg.Apps[i].Name == "aws" {
					cfg.Apps[i].ClockOffset = config.Duration(c.offset)
					cfg.Apps[i].AllowInvalid = allow
				}
			}
			tn, err := idp.New(cfg, idp.Options{KeyPair: key(t)})
			if err != nil {
				t.Fatal(err)
			}
			before := time.Now()
			is, err := tn.Issue(idp.IssueRequest{User: "alice", App: "aws"})
			if !allow {
				if !errors.Is(err, idp.ErrBlocked) || !hasCheck(is.Findings, c.check) {
					t.Fatalf("offset %s: err = %v, findings %v; want blocked by %s", c.offset, err, is.Findings, c.check)
				}
				continue
			}
			if err != nil {
				t.Fatalf("offset %s, allow_invalid: %v", c.offset, err)
			}
			v := readBack(t, tn, is)
			want := before.Add(config.Duration(c.offset).Value())
			if d := v.IssueInstant.Sub(want); d < -time.Second || d > 5*time.Second {
				t.Errorf("offset %s: IssueInstant %s, want about %s", c.offset, v.IssueInstant, want.UTC())
			}
			if d := v.Assertion.NotOnOrAfter.Sub(v.IssueInstant); d != 5*time.Minute {
				t.Errorf("offset %s: lifetime %s, want the profile's 5m", c.offset, d)
			}
		}
	}
}

func hasCheck(fs []aws.Finding, name string) bool {
	for _, f := range fs {
		if f.Check == name {
			return true
		}
	}
	return false
}
