package main

import (
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/samlab/samlab/certs"
	"github.com/samlab/samlab/claims"
	"github.com/samlab/samlab/saml"
)

var stateDir string

func TestMain(m *testing.M) {
	d, err := os.MkdirTemp("", "samlab-cli-test")
	if err != nil {
		panic(err)
	}
	stateDir = d
	code := m.Run()
	os.RemoveAll(d)
	os.Exit(code)
}

// fixedNow is the clock of every command in these tests. It is the real
// time (to the second) because the development key in the state directory
// is generated now and its certificate is not valid before.
var fixedNow = time.Now().UTC().Truncate(time.Second)

type result struct {
	stdout, stderr string
	code           int
}

// samlab runs the command line in-process with its own environment.
func samlab(t *testing.T, stdin string, args ...string) result {
	t.Helper()
	var out, errb bytes.Buffer
	e := &env{
		stdin:  strings.NewReader(stdin),
		stdout: &out,
		stderr: &errb,
		getenv: func(k string) string {
			if k == "SAMLAB_STATE_DIR" {
				return stateDir
			}
			return ""
		},
		now: func() time.Time { return fixedNow },
	}
	code := run(e, args)
	return result{out.String(), errb.String(), code}
}

func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestHelpEveryCommand(t *testing.T) {
	for _, c := range commands {
		r := samlab(t, "", c.name, "--help")
		if r.code != exitOK {
			t.Errorf("%s --help: exit %d", c.name, r.code)
		}
		if !strings.Contains(r.stdout, "Usage: samlab "+c.name) || !strings.Contains(r.stdout, "Example:") {
			t.Errorf("%s --help lacks usage or example:\n%s", c.name, r.stdout)
		}
	}
	if r := samlab(t, ""); r.code != exitUsage || !strings.Contains(r.stderr, "Commands:") {
		t.Errorf("no arguments: exit %d, stderr %q", r.code, r.stderr)
	}
	if r := samlab(t, "", "frobnicate"); r.code != exitUsage || !strings.Contains(r.stderr, `unknown command "frobnicate"`) {
		t.Errorf("unknown command: exit %d, stderr %q", r.code, r.stderr)
	}
}

// The round trip of the issue: assert | verify --metadata <(metadata)
// succeeds, and lint is clean for every demo app.
func TestAssertVerifyLintRoundTrip(t *testing.T) {
	md := samlab(t, "", "metadata")
	if md.code != 0 || !strings.Contains(md.stdout, "EntityDescriptor") {
		t.Fatalf("metadata: exit %d %s", md.code, md.stderr)
	}
	mdFile := writeFile(t, "idp.xml", md.stdout)
	for _, c := range []struct{ user, app string }{{"alice", "aws"}, {"alice", "aws-identity-center"}, {"bob", "test-sp"}, {"dave", "aws"}} {
		t.Run(c.app+"/"+c.user, func(t *testing.T) {
			as := samlab(t, "", "assert", "--user", c.user, "--app", c.app, "--format", "base64")
			if as.code != 0 {
				t.Fatalf("assert: exit %d: %s", as.code, as.stderr)
			}
			v := samlab(t, as.stdout, "verify", "--metadata", mdFile)
			if v.code != exitOK || !strings.HasPrefix(v.stdout, "VALID") {
				t.Fatalf("verify: exit %d\n%s%s", v.code, v.stdout, v.stderr)
			}
			// lint reads its input as a foreign response: the demo's
			// assertion-only apps (Entra's default) get exactly the warning
			// that the Response fields are outside the signature.
			l := samlab(t, as.stdout, "lint", "--now", fixedNow.Format(time.RFC3339))
			want := "0 errors, 0 warnings"
			if c.app != "aws-identity-center" {
				want = "0 errors, 1 warnings"
				if !strings.Contains(l.stdout, "warning AWS-STS-017 [Signature] only the Assertion is signed") {
					t.Errorf("lint lacks the unsigned-Response-fields warning:\n%s", l.stdout)
				}
			}
			if l.code != exitOK || !strings.Contains(l.stdout, want) {
				t.Fatalf("lint: exit %d, want %q\n%s%s", l.code, want, l.stdout, l.stderr)
			}
		})
	}
}

func TestAssertFormats(t *testing.T) {
	x := samlab(t, "", "assert", "--user", "alice", "--app", "aws")
	if x.code != 0 || !strings.HasPrefix(x.stdout, "<samlp:Response") {
		t.Fatalf("xml: exit %d %q", x.code, x.stdout[:min(80, len(x.stdout))])
	}
	h := samlab(t, "", "assert", "--user", "alice", "--app", "aws", "--format", "html")
	if h.code != 0 || !strings.Contains(h.stdout, `action="https://signin.aws.amazon.com/saml"`) || !strings.Contains(h.stdout, `name="SAMLResponse"`) {
		t.Fatalf("html: exit %d\n%s", h.code, h.stdout)
	}
	p := samlab(t, "", "assert", "--user", "alice", "--app", "aws", "--format", "pretty")
	if p.code != 0 || !strings.Contains(p.stdout, "\n  <saml:Assertion") && !strings.Contains(p.stdout, "\n  <Assertion") {
		t.Fatalf("pretty: exit %d\n%s", p.code, p.stdout)
	}
	if r := samlab(t, "", "assert", "--user", "alice", "--app", "aws", "--format", "yaml"); r.code != exitUsage {
		t.Errorf("bad format: exit %d", r.code)
	}
	if r := samlab(t, "", "assert", "--app", "aws"); r.code != exitUsage || !strings.Contains(r.stderr, "--user and --app are required") {
		t.Errorf("missing --user: exit %d %q", r.code, r.stderr)
	}
	if r := samlab(t, "", "assert", "--user", "alice", "--app", "aws", "--acs", "https://evil.example/acs"); r.code != exitUsage || !strings.Contains(r.stderr, "not registered") {
		t.Errorf("unregistered ACS: exit %d %q", r.code, r.stderr)
	}
	if r := samlab(t, "", "assert", "--user", "alice", "--app", "aws", "--now", "yesterday"); r.code != exitUsage || !strings.Contains(r.stderr, "RFC 3339") {
		t.Errorf("bad --now: exit %d %q", r.code, r.stderr)
	}
}

func TestAssertDeterministic(t *testing.T) {
	args := []string{"assert", "--user", "alice", "--app", "aws", "--deterministic", "--in-response-to", "_req1"}
	a, b := samlab(t, "", args...), samlab(t, "", args...)
	if a.code != 0 || a.stdout != b.stdout {
		t.Fatalf("deterministic output differs or failed (exit %d)", a.code)
	}
	for _, want := range []string{`IssueInstant="2026-01-01T00:00:00.000Z"`, `InResponseTo="_req1"`, `ID="_0001"`} {
		if !strings.Contains(a.stdout, want) {
			t.Errorf("deterministic response lacks %s", want)
		}
	}
}

func TestVerifyRejects(t *testing.T) {
	as := samlab(t, "", "assert", "--user", "alice", "--app", "aws", "--format", "base64")
	other, err := certs.Generate(certs.RSA2048, "other", 0, rand.Reader, fixedNow)
	if err != nil {
		t.Fatal(err)
	}
	otherCert := writeFile(t, "other.crt", string(other.CertificatePEM()))
	r := samlab(t, as.stdout, "verify", "--cert", otherCert)
	if r.code != exitFindings || !strings.HasPrefix(r.stdout, "NOT VALID") {
		t.Errorf("signed by another key: exit %d\n%s", r.code, r.stdout)
	}

	md := writeFile(t, "idp.xml", samlab(t, "", "metadata").stdout)
	xml, _ := base64.StdEncoding.DecodeString(strings.TrimSpace(as.stdout))
	tampered := strings.Replace(string(xml), ">Engineering<", ">Finance<", 1)
	if tampered == string(xml) {
		t.Fatal("test response has no Engineering value to tamper with")
	}
	if r := samlab(t, tampered, "verify", "--metadata", md); r.code != exitFindings || !strings.HasPrefix(r.stdout, "NOT VALID") {
		t.Errorf("tampered value: exit %d\n%s", r.code, r.stdout)
	}
	if r := samlab(t, as.stdout, "verify", "--metadata", md, "--audience", "https://other.example"); r.code != exitFindings {
		t.Errorf("wrong audience: exit %d\n%s", r.code, r.stdout)
	}
	if r := samlab(t, as.stdout, "verify", "--metadata", md, "--now", fixedNow.Add(time.Hour).Format(time.RFC3339)); r.code != exitFindings || !strings.Contains(r.stdout, "expired") {
		t.Errorf("expired: exit %d\n%s", r.code, r.stdout)
	}
	// Unsigned: assert for an app configured to sign nothing is not
	// possible from the demo, so strip the signature.
	unsigned := stripSignature(t, string(xml))
	if r := samlab(t, unsigned, "verify", "--metadata", md); r.code != exitFindings || !strings.HasPrefix(r.stdout, "NOT VALID") {
		t.Errorf("unsigned: exit %d\n%s", r.code, r.stdout)
	}
	if r := samlab(t, as.stdout, "verify"); r.code != exitUsage || !strings.Contains(r.stderr, "--cert") {
		t.Errorf("no trust anchor: exit %d %q", r.code, r.stderr)
	}
}

func stripSignature(t *testing.T, xml string) string {
	i := strings.Index(xml, "<ds:Signature")
	j := strings.Index(xml, "</ds:Signature>")
	if i < 0 || j < 0 {
		t.Fatal("no signature to strip")
	}
	return xml[:i] + xml[j+len("</ds:Signature>"):]
}

func TestBadInput(t *testing.T) {
	md := writeFile(t, "idp.xml", samlab(t, "", "metadata").stdout)
	as := samlab(t, "", "assert", "--user", "alice", "--app", "aws", "--format", "base64")
	truncated := as.stdout[:len(as.stdout)/2] + "%"
	cases := []struct {
		name  string
		stdin string
		args  []string
	}{
		{"unreadable file", "", []string{"inspect", filepath.Join(t.TempDir(), "missing.b64")}},
		{"garbage on stdin", "\x00\x01 this is not SAML at all", []string{"inspect"}},
		{"empty stdin", "", []string{"lint"}},
		{"truncated base64", truncated, []string{"verify", "--metadata", md}},
		{"not SAML XML", "<html><body>hi</body></html>", []string{"lint"}},
		{"doctype", `<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x "y">]><samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol"/>`, []string{"inspect"}},
		{"two inputs", "", []string{"lint", "a", "b"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := samlab(t, c.stdin, c.args...)
			if r.code != exitUsage {
				t.Fatalf("exit %d, want 2\nstdout %s\nstderr %s", r.code, r.stdout, r.stderr)
			}
			if !strings.HasPrefix(r.stderr, "samlab "+c.args[0]+": ") || r.stdout != "" {
				t.Errorf("want one clear error on stderr and nothing on stdout; got stdout %q stderr %q", r.stdout, r.stderr)
			}
		})
	}
}

func TestClaimsCommand(t *testing.T) {
	r := samlab(t, "", "claims", "--user", "alice", "--app", "aws")
	if r.code != 0 {
		t.Fatalf("exit %d %s", r.code, r.stderr)
	}
	for _, want := range []string{`(?m)^  https://aws.amazon.com/SAML/Attributes/RoleSessionName +alice$`, `aws:PrincipalTag/Department = Engineering`, `AWS view \(aws-sts\)`} {
		if !regexp.MustCompile(want).MatchString(r.stdout) {
			t.Errorf("table lacks %s:\n%s", want, r.stdout)
		}
	}
	ex := samlab(t, "", "claims", "--user", "bob", "--app", "aws", "--explain")
	if ex.code != 0 || !strings.Contains(ex.stdout, "ExtractMailPrefix") || !strings.Contains(ex.stdout, "row 1") {
		t.Errorf("--explain lacks the guest condition row and transformation:\n%s", ex.stdout)
	}
	j := samlab(t, "", "claims", "--user", "alice", "--app", "aws", "--format", "json", "--explain")
	var got struct {
		NameID struct {
			Format, Value string
		} `json:"nameid"`
		Attributes []struct {
			Name   string   `json:"name"`
			Values []string `json:"values"`
			Trace  []any    `json:"trace"`
		} `json:"attributes"`
	}
	if err := json.Unmarshal([]byte(j.stdout), &got); err != nil {
		t.Fatalf("json: %v\n%s", err, j.stdout)
	}
	if got.NameID.Format == "" || len(got.Attributes) < 5 || len(got.Attributes[0].Trace) == 0 {
		t.Errorf("json output incomplete: %+v", got)
	}
	if r := samlab(t, "", "claims", "--user", "alice", "--app", "nope"); r.code != exitUsage || !strings.Contains(r.stderr, "apps: aws") {
		t.Errorf("unknown app: exit %d %q", r.code, r.stderr)
	}
}

var updateFixture = flag.Bool("update-fixture", false, "regenerate testdata/entra-shaped-response.b64 with the test key")

const (
	entraFixture     = "testdata/entra-shaped-response.b64"
	entraFixtureKey  = "testdata/entra-shaped-test-fixture.key"
	entraFixtureCert = "testdata/entra-shaped-test-fixture.crt"
	entraTenant      = "f0e1d2c3-0000-4000-8000-000000000001"
)

// entraFixtureIssued is when the fixture was issued; checks run a minute later.
var entraFixtureIssued = time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)

// writeEntraFixture makes a response shaped as Entra ID sends it to IAM
// Identity Center (assertion-only signature, https://sts.windows.net/<tenant>/
// issuer, the claims Entra always adds, first and in its order) with the
// mistake the seed document is about: a multi-valued AccessControl claim.
func writeEntraFixture(t *testing.T) {
	// git does not keep file modes; samlab refuses a key others can read.
	if err := os.Chmod(entraFixtureKey, 0o600); err != nil {
		t.Fatal(err)
	}
	kp, err := certs.Load(entraFixtureKey, entraFixtureCert)
	if err != nil {
		t.Fatalf("%v (to start over: samlab certs generate --out testdata, then rename to %s)", err, entraFixtureKey)
	}
	iss := &saml.Issuer{EntityID: "https://sts.windows.net/" + entraTenant + "/", Key: kp.Signer, Certificate: kp.Certificate, Clock: saml.FixedClock(entraFixtureIssued)}
	ms := "http://schemas.microsoft.com/identity/claims/"
	resp, err := iss.Build(saml.ResponseRequest{
		Audience:  "https://us-east-1.signin.aws.amazon.com/platform/saml/d-1234567890",
		Recipient: "https://us-east-1.signin.aws.amazon.com/platform/saml/acs/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b",
		NameID:    claims.NameID{Format: "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress", Value: "alice@contoso.com"},
		Attributes: []claims.Attribute{
			{Name: ms + "tenantid", Values: []string{entraTenant}},
			{Name: ms + "objectidentifier", Values: []string{"8a7b6c5d-0000-4000-8000-000000000002"}},
			{Name: ms + "displayname", Values: []string{"Alice Anderson"}},
			{Name: ms + "identityprovider", Values: []string{"https://sts.windows.net/" + entraTenant + "/"}},
			{Name: "http://schemas.microsoft.com/claims/authnmethodsreferences", Values: []string{"http://schemas.microsoft.com/ws/2008/06/identity/authenticationmethod/password"}},
			{Name: "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name", Values: []string{"alice@contoso.com"}},
			{Name: "https://aws.amazon.com/SAML/Attributes/AccessControl:Department", Values: []string{"Engineering"}},
			{Name: "https://aws.amazon.com/SAML/Attributes/AccessControl:Team", Values: []string{"platform", "security"}},
		},
	}, saml.ResponseOptions{AzureShape: true, AzureTenantID: entraTenant})
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(entraFixture, []byte(resp.Base64()+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
}

// The committed Entra-shaped fixture verifies with its certificate, and the
// lint flags its multi-valued AccessControl attribute with AWS-ABAC-004.
func TestEntraShapedResponseLint(t *testing.T) {
	if *updateFixture {
		writeEntraFixture(t)
	}
	data, err := os.ReadFile(entraFixture)
	if err != nil {
		t.Fatalf("%v (go test ./cmd/samlab -run EntraShaped -update-fixture writes it)", err)
	}
	at := entraFixtureIssued.Add(time.Minute).Format(time.RFC3339)
	if r := samlab(t, string(data), "verify", "--cert", entraFixtureCert, "--now", at); r.code != exitOK {
		t.Fatalf("verify: exit %d\n%s", r.code, r.stdout)
	}
	ins := samlab(t, string(data), "inspect", "--now", at)
	for _, want := range []string{"https://sts.windows.net/" + entraTenant + "/", "Assertion (", "AccessControl:Team"} {
		if !strings.Contains(ins.stdout, want) {
			t.Errorf("inspect lacks %q", want)
		}
	}
	// Azure's claim order: the claims it always adds come first.
	if i, j := strings.Index(ins.stdout, "identity/claims/tenantid"), strings.Index(ins.stdout, "AccessControl:Department"); i < 0 || j < i {
		t.Error("tenantid does not come before the configured claims")
	}
	l := samlab(t, string(data), "lint", "--format", "json", "--now", at)
	if l.code != exitFindings {
		t.Fatalf("lint exit %d, want 1\n%s", l.code, l.stdout)
	}
	var out struct {
		Profile  string `json:"profile"`
		Findings []struct {
			Rule, Severity, Attribute string
		} `json:"findings"`
	}
	if err := json.Unmarshal([]byte(l.stdout), &out); err != nil {
		t.Fatal(err)
	}
	found := false
	for _, f := range out.Findings {
		if f.Rule == "AWS-ABAC-004" && f.Severity == "error" && strings.HasSuffix(f.Attribute, "AccessControl:Team") {
			found = true
		}
		if strings.HasSuffix(f.Attribute, "AccessControl:Department") && f.Severity == "error" {
			t.Errorf("single-valued AccessControl:Department flagged: %+v", f)
		}
	}
	if out.Profile != "aws-identity-center" || !found {
		t.Fatalf("profile %q findings %+v: want AWS-ABAC-004 error on AccessControl:Team", out.Profile, out.Findings)
	}
}

func TestInspectEntraFixture(t *testing.T) {
	// A real Entra ID response, kept in the repository (saml/testdata/entra).
	data, err := os.ReadFile("../../saml/testdata/entra/entra-response.b64")
	if err != nil {
		t.Fatal(err)
	}
	r := samlab(t, string(data), "inspect", "--now", "2024-03-21T13:00:00Z")
	if r.code != 0 {
		t.Fatalf("exit %d %s", r.code, r.stderr)
	}
	for _, want := range []string{"https://sts.windows.net/", "spn:95210223-1471-47de-8f76-c0f420c1738f", "http://localhost:8080/saml/SSO", "http://schemas.microsoft.com/identity/claims/tenantid", "Assertion (", "rsa-sha256", "not checked"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("inspect lacks %q:\n%s", want, r.stdout)
		}
	}
	j := samlab(t, string(data), "inspect", "--format", "json")
	var v struct {
		Message saml.View `json:"message"`
	}
	if err := json.Unmarshal([]byte(j.stdout), &v); err != nil || v.Message.Assertion == nil || len(v.Message.Assertion.Attributes) != 6 {
		t.Fatalf("json: %v %+v", err, v.Message.Assertion)
	}
}

func TestInspectRequest(t *testing.T) {
	req := `<samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_r1" Version="2.0" IssueInstant="` + fixedNow.Add(-time.Minute).Format(time.RFC3339) + `" AssertionConsumerServiceURL="https://sp.example/acs"><saml:Issuer>https://sp.example</saml:Issuer><samlp:NameIDPolicy Format="urn:oasis:names:tc:SAML:2.0:nameid-format:persistent"/></samlp:AuthnRequest>`
	body := "SAMLRequest=" + base64.StdEncoding.EncodeToString([]byte(req)) + "&RelayState=xyz"
	r := samlab(t, body, "inspect")
	if r.code != 0 {
		t.Fatalf("exit %d %s", r.code, r.stderr)
	}
	for _, want := range []string{"AuthnRequest", "https://sp.example/acs", "1m0s ago", "nameid-format:persistent", "xyz"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("lacks %q:\n%s", want, r.stdout)
		}
	}
}

// Control characters in a foreign response cannot reach the terminal.
func TestOutputEscapesControlCharacters(t *testing.T) {
	resp := `<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_x" Version="2.0" IssueInstant="2026-03-01T12:00:00Z"><saml:Issuer>evil` + "\u009b" + `2J</saml:Issuer><saml:Assertion ID="_a" Version="2.0" IssueInstant="2026-03-01T12:00:00Z"><saml:Issuer>i</saml:Issuer><saml:Subject><saml:NameID>n</saml:NameID></saml:Subject><saml:AttributeStatement><saml:Attribute Name="x"><saml:AttributeValue>a` + "\u0085" + `b</saml:AttributeValue></saml:Attribute></saml:AttributeStatement></saml:Assertion></samlp:Response>`
	r := samlab(t, resp, "inspect")
	if r.code != 0 {
		t.Fatalf("exit %d %s", r.code, r.stderr)
	}
	if strings.ContainsAny(r.stdout, "\u009b\u0085") {
		t.Fatal("a C1 control character reached the output")
	}
	if !strings.Contains(r.stdout, `evil\x9b2J`) || !strings.Contains(r.stdout, `a\x85b`) {
		t.Errorf("escaped forms missing:\n%s", r.stdout)
	}
}

func TestLintSCIM(t *testing.T) {
	r := samlab(t, `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"alice@contoso.com","name":{"givenName":"A","familyName":"B"},"displayName":"A B","phoneNumbers":[{"value":"1","type":"work"},{"value":"2","type":"mobile"}]}`, "lint", "--scim")
	if r.code != exitFindings || !strings.Contains(r.stdout, "AWS-SCIM-004") || !strings.Contains(r.stdout, "Currently list attributes only allow single item") {
		t.Fatalf("exit %d\n%s", r.code, r.stdout)
	}
}

func TestConfigCheck(t *testing.T) {
	r := samlab(t, "", "config", "check")
	if r.code != 0 || !strings.Contains(r.stdout, "[[apps]]") || !strings.Contains(r.stderr, "demo tenant: valid") {
		t.Fatalf("demo: exit %d\n%s", r.code, r.stderr)
	}
	if strings.Contains(r.stdout, "alice-demo") {
		t.Error("config check printed a password")
	}
	bad := writeFile(t, "bad.toml", "[idp]\nbase_url = \"http://127.0.0.1:8080\"\n\n[[apps]]\nname = \"x\"\nentity_id = \"https://sp\"\nacs_urls = [\"javascript:alert(1)\"]\nsigning = \"everything\"\n")
	r = samlab(t, "", "config", "check", bad)
	if r.code != exitUsage || !strings.Contains(r.stderr, "bad.toml:7") || !strings.Contains(r.stderr, "signing") {
		t.Fatalf("bad file: exit %d\n%s", r.code, r.stderr)
	}
}

func TestCertsGenerate(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "keys")
	r := samlab(t, "", "certs", "generate", "--out", dir, "--key", "ecdsa-p256")
	if r.code != 0 {
		t.Fatalf("exit %d %s", r.code, r.stderr)
	}
	st, err := os.Stat(filepath.Join(dir, "idp.key"))
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("key file: %v mode %v", err, st)
	}
	if _, err := certs.Load(filepath.Join(dir, "idp.key"), filepath.Join(dir, "idp.crt")); err != nil {
		t.Fatalf("generated pair does not load: %v", err)
	}
	if r := samlab(t, "", "certs", "generate", "--out", dir); r.code != exitUsage {
		t.Errorf("overwrite without --force: exit %d", r.code)
	}
	if r := samlab(t, "", "certs", "generate", "--key", "dsa-1024"); r.code != exitUsage || !strings.Contains(r.stderr, "rsa-2048") {
		t.Errorf("bad key type: exit %d %q", r.code, r.stderr)
	}
}

func TestImportAzurePolicy(t *testing.T) {
	policy := writeFile(t, "p.json", `{"ClaimsMappingPolicy":{"Version":1,"IncludeBasicClaimSet":"false","ClaimsSchema":[{"Source":"user","ID":"mail"},{"Source":"transformation","ID":"alias","TransformationId":"t1","SamlClaimType":"https://ex.com/alias"}],"ClaimsTransformations":[{"ID":"t1","TransformationMethod":"ExtractMailPrefix","InputClaims":[{"ClaimTypeReferenceId":"mail","TransformationClaimType":"mail"}],"OutputClaims":[{"ClaimTypeReferenceId":"alias","TransformationClaimType":"outputClaim"}]}]}}`)
	r := samlab(t, "", "import", "azure-policy", policy, "--app", "ex")
	if r.code != 0 || !strings.Contains(r.stdout, "[[apps]]") || !strings.Contains(r.stdout, "ExtractMailPrefix") || !strings.Contains(r.stdout, `name = "alias"`) {
		t.Fatalf("exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	if r := samlab(t, `{"ClaimsMappingPolicy":`, "import", "azure-policy", "-"); r.code != exitUsage {
		t.Errorf("truncated JSON: exit %d", r.code)
	}
}

// Configuration warnings are printed once with "warning: ", then
// "file:line: where: what" (issue 14 §3: they used to read
// "warning: warning: ...").
func TestConfigCheckWarningPrefix(t *testing.T) {
	cfg := writeFile(t, "warn.toml", "[[users]]\nid = \"u\"\npassword = \"secret\"\n")
	r := samlab(t, "", "config", "check", "--quiet", cfg)
	if r.code != exitOK {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	want := "warning: " + cfg + ":3: users[u]: password: plain password outside demo mode"
	if !strings.Contains(r.stderr, want) {
		t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
	}
	if strings.Contains(r.stderr, "warning: warning:") {
		t.Errorf("prefix repeated:\n%s", r.stderr)
	}
}

// samlab claims on a tenant file that declares built-in attributes gives
// what the engine alone gives: the first value of a multi-valued built-in,
// all values of a free-form attribute, and a constant parameter equal to an
// attribute name as the constant (issue 13 item 1).
func TestClaimsBuiltinAttributes(t *testing.T) {
	r := samlab(t, "", "claims", "--config", "../../idp/testdata/builtin-attributes.toml", "--user", "u", "--app", "a", "--format", "json")
	if r.code != exitOK {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	var out struct {
		Attributes []struct {
			Name   string   `json:"name"`
			Values []string `json:"values"`
		} `json:"attributes"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &out); err != nil {
		t.Fatalf("%v\n%s", err, r.stdout)
	}
	got := map[string][]string{}
	for _, a := range out.Attributes {
		got[a.Name] = a.Values
	}
	want := map[string][]string{
		"proxy":      {"SMTP:u@contoso.com"},
		"othermail":  {"u@gmail.example"},
		"tags":       {"t1"},
		"costcenter": {"cc1", "cc2"},
		"constant":   {"department"},
		// A constant equal to a free-form attribute's name stays a
		// constant too.
		"constant-freeform": {"costcenter"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("attributes:\ngot  %v\nwant %v", got, want)
	}
}

var updateGolden = flag.Bool("update", false, "rewrite the golden files under testdata/config-check")

// samlab config check reports every problem of a file in one pass —
// decode (wrong types), validation, unknown keys and claim rule errors —
// sorted by line, in plain words and without repeated prefixes (issue 13
// item 13). The golden files hold the whole standard error.
func TestConfigCheckGolden(t *testing.T) {
	for _, name := range []string{"mixed", "syntax", "rules-only"} {
		t.Run(name, func(t *testing.T) {
			r := samlab(t, "", "config", "check", "--quiet", "testdata/config-check/"+name+".toml")
			if r.code != exitUsage {
				t.Errorf("exit %d, want %d", r.code, exitUsage)
			}
			golden := "testdata/config-check/" + name + ".golden"
			if *updateGolden {
				if err := os.WriteFile(golden, []byte(r.stderr), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (go test ./cmd/samlab -run ConfigCheckGolden -update writes it)", err)
			}
			if r.stderr != string(want) {
				t.Errorf("stderr:\n%s\nwant (%s):\n%s", r.stderr, golden, want)
			}
		})
	}
}
