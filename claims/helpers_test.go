package claims

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
)

const testTenant = "11111111-2222-3333-4444-555555555555"

// testGroups builds: eng (synced, security) nested in all-staff (cloud),
// sales (cloud, distribution), admins (synced, assigned to app "aws").
func testGroups() []Group {
	return []Group{
		{ID: "eng", ObjectID: "oid-eng", DisplayName: "Engineering", SAMAccountName: "eng", NetBIOSDomain: "CONTOSO", DNSDomain: "contoso.com", SID: "S-1-5-21-1", MemberOf: []string{"all-staff"}},
		{ID: "all-staff", DisplayName: "All Staff"},
		{ID: "sales", DisplayName: "Sales", Kind: Distribution},
		{ID: "admins", DisplayName: "AWS Admins", SAMAccountName: "awsadmins", AssignedTo: []string{"aws"}},
	}
}

func testUsers() []User {
	return []User{
		{ID: "alice", Groups: []string{"eng", "admins"}, DirectoryRoles: []string{"role-global-reader"},
			AppRoles: map[string][]string{"aws": {"arn:aws:iam::111122223333:role/Dev,arn:aws:iam::111122223333:saml-provider/samlab", "", "arn:aws:iam::111122223333:role/Ops,arn:aws:iam::111122223333:saml-provider/samlab"}},
			Attributes: map[string]Values{
				"userprincipalname": {"alice@contoso.com"}, "mail": {"Alice.Smith@contoso.com"},
				"department": {"Engineering"}, "costcenter": {"CC-1001"}, "displayname": {"Alice Smith"},
				"objectid": {"aaaaaaaa-0000-0000-0000-000000000001"}, "country": {"US"},
				"othermail": {"a1@x.com", "a2@x.com"}, "projects": {"apollo", "", "gemini"},
			}},
		{ID: "bob", Type: AADGuest, Groups: []string{"sales"}, Attributes: map[string]Values{
			"userprincipalname": {"bob_fabrikam.com#EXT#@contoso.onmicrosoft.com"}, "mail": {"bob@fabrikam.com"}}},
		{ID: "carol", Type: ExternalGuest, Attributes: map[string]Values{
			"userprincipalname": {"carol_gmail.com#EXT#@contoso.onmicrosoft.com"}, "mail": {"carol@gmail.com"}}},
	}
}

func testDir(t testing.TB) *Directory {
	t.Helper()
	d, err := NewDirectory(Tenant{ID: testTenant, VerifiedDomains: []string{"contoso.com", "fabrikam.com"}, PairwiseSecret: []byte("s3cret")}, testUsers(), testGroups())
	if err != nil {
		t.Fatal(err)
	}
	return d
}

var testExtensions = []string{"costcenter", "projects", "identityprovider"}

func mustCompile(t testing.TB, p Policy) *Engine {
	t.Helper()
	e, err := Compile(App{Name: "aws", ID: "app-aws"}, p, CompileOptions{Extensions: testExtensions})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func mustEval(t testing.TB, e *Engine, d *Directory, user string, opts EvalOptions) *Result {
	t.Helper()
	u, ok := d.User(user)
	if !ok {
		t.Fatalf("no user %q", user)
	}
	r, err := e.Evaluate(d, u, opts)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// values returns the values of the named attribute, nil when absent.
func (r *Result) values(name string) []string {
	for _, a := range r.Attributes {
		if a.Name == name {
			return a.Values
		}
	}
	return nil
}

func (r *Result) names() []string {
	var out []string
	for _, a := range r.Attributes {
		out = append(out, a.Name)
	}
	return out
}

func eq(a, b []string) bool { return slices.Equal(a, b) }

func errHas(t *testing.T, err error, wants ...string) {
	t.Helper()
	if err == nil {
		t.Fatalf("want error containing %q, got nil", wants)
	}
	for _, w := range wants {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("error %q\n  does not contain %q", err, w)
		}
	}
}

var _ = errors.Is
var _ = fmt.Sprint
