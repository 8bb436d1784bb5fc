package claims

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

func TestConditionOrder(t *testing.T) {
	d := testDir(t)
	// Rows are written transformation-first to show that attribute rows
	// still run before transformation rows, and that the last match wins.
	rule := Rule{Name: "who", Source: "user.userprincipalname", Conditions: []Condition{
		{UserType: "all_guests", Transformations: []Transformation{{Function: "ExtractMailPrefix", Input: "user.mail"}}}, // row 1: transformation row, runs last
		{UserType: "all_guests", Source: "user.mail"},                                                                    // row 2
		{UserType: "external_guests", Value: "external"},                                                                 // row 3
		{UserType: "members", Groups: []string{"all-staff"}, Value: "staff"},                                             // row 4: nested membership
		{UserType: "members", Groups: []string{"sales"}, Value: "sales"},                                                 // row 5: alice not in sales
		{UserType: "any", Source: "user.employeeid"},                                                                     // row 6: empty for all: skipped
	}}
	e := mustCompile(t, Policy{Claims: []Rule{rule}})
	for _, c := range []struct {
		user string
		want []string
	}{
		{"alice", []string{"staff"}},
		{"bob", []string{"bob"}},     // row 2 then row 1 (transformation) wins
		{"carol", []string{"carol"}}, // rows 2, 3, then row 1 wins
	} {
		r := mustEval(t, e, d, c.user, EvalOptions{})
		if got := r.values("who"); !eq(got, c.want) {
			t.Errorf("%s: got %q, want %q", c.user, got, c.want)
		}
	}

	// Without the transformation row, carol gets row 3 (the later
	// attribute row), bob row 2.
	rule.Conditions = rule.Conditions[1:]
	e = mustCompile(t, Policy{Claims: []Rule{rule}})
	for user, want := range map[string]string{"alice": "staff", "bob": "bob@fabrikam.com", "carol": "external"} {
		if got := mustEval(t, e, d, user, EvalOptions{}).values("who"); !eq(got, []string{want}) {
			t.Errorf("%s: got %q, want %q", user, got, want)
		}
	}
}

func TestConditionOnlyClaim(t *testing.T) {
	d := testDir(t)
	e := mustCompile(t, Policy{Claims: []Rule{{Name: "guestmail", Conditions: []Condition{{UserType: "aad_guests", Source: "user.mail"}}}}})
	if got := mustEval(t, e, d, "bob", EvalOptions{}).values("guestmail"); !eq(got, []string{"bob@fabrikam.com"}) {
		t.Errorf("bob: got %q", got)
	}
	r := mustEval(t, e, d, "alice", EvalOptions{Explain: true})
	if len(r.Attributes) != 0 || len(r.Omitted) != 1 || r.Omitted[0].Reason != "no condition matched the user" {
		t.Fatalf("alice: got %+v / %+v", r.Attributes, r.Omitted)
	}
	tr := r.Omitted[0].Trace
	if tr == nil || len(tr.Steps) != 1 || tr.Steps[0].Row != 1 || tr.Steps[0].Matched || !strings.Contains(tr.Steps[0].Note, "user type member is not aad_guests") {
		t.Errorf("trace = %+v", tr)
	}
}

func TestSourceAndTransformationFallback(t *testing.T) {
	// Graph semantics: transformation output wins; when it yields nothing
	// the attribute is used.
	d := testDir(t)
	e := mustCompile(t, Policy{Claims: []Rule{{Name: "x", Source: "user.mail",
		Transformations: []Transformation{{Function: "Extract", Mode: "after", Input: "user.department", Value: "Eng"}}}}})
	if got := mustEval(t, e, d, "alice", EvalOptions{}).values("x"); !eq(got, []string{"ineering"}) {
		t.Errorf("alice: got %q", got)
	}
	if got := mustEval(t, e, d, "bob", EvalOptions{}).values("x"); !eq(got, []string{"bob@fabrikam.com"}) {
		t.Errorf("bob: got %q", got)
	}
}

func TestDirectSources(t *testing.T) {
	d := testDir(t)
	e := mustCompile(t, Policy{AttributeNameFormat: "uri", Claims: []Rule{
		{Name: "other", Source: "user.othermail"},   // built-in multi-valued: first value only
		{Name: "projects", Source: "user.projects"}, // free-form: all non-empty values
		{Name: "projects2", Source: "user.extension_0123456789abcdef0123456789abcdef_projects"},
		{Name: "roles", Source: "user.assignedroles"}, // app roles minus empty values
		{Name: "const", Value: "3600", NameFormat: "basic"},
		{Name: "Dept", Source: "user.Department"},              // built-in ids are case-insensitive
		{Name: "fax", Source: "user.facsimiletelephonenumber"}, // absent: omitted
	}})
	r := mustEval(t, e, d, "alice", EvalOptions{})
	want := map[string][]string{
		"other":     {"a1@x.com"},
		"projects":  {"apollo", "gemini"},
		"projects2": {"apollo", "gemini"},
		"roles":     {"arn:aws:iam::111122223333:role/Dev,arn:aws:iam::111122223333:saml-provider/samlab", "arn:aws:iam::111122223333:role/Ops,arn:aws:iam::111122223333:saml-provider/samlab"},
		"const":     {"3600"},
		"Dept":      {"Engineering"},
	}
	for name, w := range want {
		if got := r.values(name); !eq(got, w) {
			t.Errorf("%s: got %q, want %q", name, got, w)
		}
	}
	if len(r.Omitted) != 1 || r.Omitted[0].Name != "fax" || r.Omitted[0].Reason != "no value: user.facsimiletelephonenumber is empty" {
		t.Errorf("omitted = %+v", r.Omitted)
	}
	for _, a := range r.Attributes {
		want := AttrNameFormatURI
		if a.Name == "const" {
			want = AttrNameFormatBasic
		}
		if a.NameFormat != want {
			t.Errorf("%s: NameFormat %q, want %q", a.Name, a.NameFormat, want)
		}
	}
	// Result values are copies: changing them does not change the directory.
	r.Attributes[1].Values[0] = "changed"
	u, _ := d.User("alice")
	if u.Attributes["projects"][0] != "apollo" {
		t.Error("result aliases directory values")
	}
}

func TestDefaultClaims(t *testing.T) {
	d := testDir(t)
	e := mustCompile(t, Policy{DefaultClaims: true, Claims: []Rule{{Name: "x", Value: "y"}}})
	r := mustEval(t, e, d, "alice", EvalOptions{})
	wantNames := []string{ClaimTenantID, ClaimObjectID, ClaimDisplayName, ClaimIdentityProvider, ClaimAuthnMethods, "x"}
	if !eq(r.names(), wantNames) {
		t.Fatalf("names = %q, want %q", r.names(), wantNames)
	}
	checks := map[string]string{ClaimTenantID: testTenant, ClaimObjectID: "aaaaaaaa-0000-0000-0000-000000000001",
		ClaimDisplayName: "Alice Smith", ClaimIdentityProvider: "https://sts.windows.net/" + testTenant + "/", ClaimAuthnMethods: AuthnMethodPassword}
	for n, w := range checks {
		if got := r.values(n); !eq(got, []string{w}) {
			t.Errorf("%s = %q, want %q", n, got, w)
		}
	}
	// bob has no display name: omitted; carol's IdP is live.com.
	r = mustEval(t, e, d, "bob", EvalOptions{AuthnMethods: []string{AuthnMethodPassword, "http://schemas.microsoft.com/claims/multipleauthn"}})
	if r.values(ClaimDisplayName) != nil || len(r.Omitted) != 1 || r.Omitted[0].Name != ClaimDisplayName {
		t.Errorf("bob: displayname %q, omitted %+v", r.values(ClaimDisplayName), r.Omitted)
	}
	if got := r.values(ClaimAuthnMethods); len(got) != 2 {
		t.Errorf("bob: amr %q", got)
	}
	if got := mustEval(t, e, d, "carol", EvalOptions{}).values(ClaimIdentityProvider); !eq(got, []string{"live.com"}) {
		t.Errorf("carol: idp %q", got)
	}
}

func TestRoleClaim(t *testing.T) {
	d := testDir(t)
	e := mustCompile(t, Policy{RoleClaim: true})
	if got := mustEval(t, e, d, "alice", EvalOptions{}).values(ClaimRole); len(got) != 2 {
		t.Errorf("role claim = %q", got)
	}
	// Groups emitted as roles take the role claim: app roles are not emitted.
	e = mustCompile(t, Policy{RoleClaim: true, GroupClaim: &GroupClaim{EmitAsRoles: true, Which: "application"}})
	r := mustEval(t, e, d, "alice", EvalOptions{})
	if got := r.values(ClaimRole); !eq(got, []string{"admins"}) {
		t.Errorf("role claim = %q, want the app group only", got)
	}
	if len(r.Attributes) != 1 {
		t.Errorf("attributes = %q", r.names())
	}
}

func TestEvaluateRefusesNonXMLOutput(t *testing.T) {
	// NewDirectory refuses such values, so pass a modified copy of a
	// directory user (same id) to reach the output check.
	d := testDir(t)
	e := mustCompile(t, Policy{Claims: []Rule{{Name: "Dept", Source: "user.department"}}})
	u, _ := d.User("alice")
	bad := *u
	bad.Attributes = map[string]Values{"department": {"a\x00b"}}
	_, err := e.Evaluate(d, &bad, EvalOptions{})
	errHas(t, err, `claims: rule "Dept": value: value 1: value cannot be carried in XML: control character U+0000`)
	if !errors.Is(err, ErrInvalidValue) {
		t.Error("want ErrInvalidValue")
	}
	bad.Attributes = map[string]Values{"department": {"ok"}, "userprincipalname": {"x\ry"}}
	_, err = e.Evaluate(d, &bad, EvalOptions{})
	errHas(t, err, `rule "nameid": value:`, "U+000D")
}

func TestEvaluateUnknownUser(t *testing.T) {
	d := testDir(t)
	e := mustCompile(t, Policy{})
	_, err := e.Evaluate(d, &User{ID: "mallory"}, EvalOptions{})
	if !errors.Is(err, ErrUnknownUser) {
		t.Fatalf("got %v", err)
	}
}

func TestRegexRuntimeLimits(t *testing.T) {
	long := strings.Repeat("a", MaxRegexInput+1)
	d, err := NewDirectory(Tenant{ID: "t"}, []User{{ID: "u", Attributes: map[string]Values{"department": {long}}}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	e := mustCompile(t, Policy{Claims: []Rule{{Name: "x", Transformations: []Transformation{{Function: "RegexReplace", Input: "user.department", Regex: "a", Replacement: "b"}}}}})
	_, err = e.Evaluate(d, mustUser(t, d, "u"), EvalOptions{})
	errHas(t, err, `claims: rule "x": transformation 1 (RegexReplace): regex: input of 4097 bytes exceeds the 4096-byte limit`)

	// Catastrophic backtracking the shape check cannot see ((a+)+ is
	// refused at compile time) is stopped by the match timeout; the error
	// names the rule.
	evil := strings.Repeat("a", 3000) + "!"
	d, _ = NewDirectory(Tenant{ID: "t"}, []User{{ID: "u", Attributes: map[string]Values{"department": {evil}}}}, nil)
	e = mustCompile(t, Policy{Claims: []Rule{{Name: "x", Transformations: []Transformation{{Function: "RegexReplace", Input: "user.department", Regex: "^(a|aa)+$", Replacement: "b"}}}}})
	_, err = e.Evaluate(d, mustUser(t, d, "u"), EvalOptions{})
	var re *RuleError
	if !errors.Is(err, ErrRegexTimeout) || !errors.As(err, &re) || re.Rule != "x" {
		t.Fatalf("got %v, want a regex timeout of rule x", err)
	}
}

func mustUser(t testing.TB, d *Directory, id string) *User {
	u, ok := d.User(id)
	if !ok {
		t.Fatalf("no user %q", id)
	}
	return u
}

func TestExplainTrace(t *testing.T) {
	d := testDir(t)
	e := mustCompile(t, Policy{Claims: []Rule{{Name: "RoleSessionName", Namespace: awsNS,
		Transformations: []Transformation{{Function: "ExtractMailPrefix", Input: "user.userprincipalname"}, {Function: "ToUppercase"}},
		Conditions:      []Condition{{UserType: "all_guests", Source: "user.mail"}}}}})
	r := mustEval(t, e, d, "alice", EvalOptions{Explain: true})
	a := r.Attributes[0]
	if a.Trace == nil || a.Trace.Rule != awsNS+"/RoleSessionName" {
		t.Fatalf("trace = %+v", a.Trace)
	}
	got := []string{}
	for _, s := range a.Trace.Steps {
		got = append(got, fmt.Sprintf("%s/%d/%v/%s/%q->%q", s.Kind, s.Row, s.Matched, s.Function, s.Input, s.Output))
	}
	want := []string{
		`transformation/0/true/ExtractMailPrefix/["alice@contoso.com"]->["alice"]`,
		`transformation/0/true/ToUppercase/["alice"]->["ALICE"]`,
		`source/0/true//[]->["ALICE"]`,
		`condition/1/false//[]->[]`,
	}
	if !eq(got, want) {
		t.Errorf("steps:\n got %q\nwant %q", got, want)
	}
	if r.NameID.Trace == nil {
		t.Error("NameID trace missing with Explain")
	}
	// Without Explain no traces.
	r = mustEval(t, e, d, "alice", EvalOptions{})
	if r.Attributes[0].Trace != nil || r.NameID.Trace != nil {
		t.Error("trace without Explain")
	}
}
