package provision

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/samlab/samlab/claims"
)

func TestParsePath(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want Path
	}{
		{"userName", Path{Attr: "userName"}},
		{"name.givenName", Path{Attr: "name", Sub: "givenName"}},
		{`emails[type eq "work"].value`, Path{Attr: "emails", FilterAttr: "type", FilterValue: "work", Sub: "value"}},
		{`phoneNumbers[type eq "mobile"].value`, Path{Attr: "phoneNumbers", FilterAttr: "type", FilterValue: "mobile", Sub: "value"}},
		{EnterpriseURN + ":department", Path{URN: EnterpriseURN, Attr: "department"}},
		{EnterpriseURN + ":manager", Path{URN: EnterpriseURN, Attr: "manager"}},
		{`roles[primary eq "True"].value`, Path{Attr: "roles", FilterAttr: "primary", FilterValue: "True", Sub: "value"}},
	} {
		got, err := ParsePath(tc.in)
		if err != nil || got != tc.want {
			t.Errorf("ParsePath(%q) = %+v, %v; want %+v", tc.in, got, err, tc.want)
			continue
		}
		if got.String() != tc.in {
			t.Errorf("String() = %q, want %q", got.String(), tc.in)
		}
	}
	for _, bad := range []string{"", "name.", `emails[type eq work].value`, `emails[type ne "x"].value`, "emails[type", "a b", "urn:x:", `emails[type eq "w"]x`, "1abc"} {
		if _, err := ParsePath(bad); err == nil {
			t.Errorf("ParsePath(%q) accepted", bad)
		}
	}
}

func TestCheckMappings(t *testing.T) {
	ms := []Mapping{
		{Type: "direct", Source: "userPrincipalName", Target: "userName", Matching: true, Line: 10},
		{Type: "expression", Expression: `Join(" ", [givenName]`, Target: "displayName", Line: 14},
		{Type: "expression", Expression: `Jion(" ", [givenName], [surname])`, Target: "name.formatted", Line: 18},
		{Type: "direct", Source: "mail", Target: `emails[type eq work].value`, Line: 22},
		{Type: "constant", Target: "userType", Line: 26},
		{Type: "direct", Source: "jobTitle", Target: "userName", Line: 30},
		{Type: "direct", Source: "x", Target: "title", Apply: "sometimes", Line: 34},
	}
	err := CheckMappings(ms, func(i int) string { return "demo.toml:" + itoa(ms[i].Line) })
	if err == nil {
		t.Fatal("no error")
	}
	for _, want := range []string{
		"demo.toml:14: expression: line 1 col",
		`demo.toml:18: expression: line 1 col 1`, `"Join"`,
		"demo.toml:22: target:",
		"demo.toml:26: a constant mapping needs constant",
		"demo.toml:30: target \"userName\" is already mapped by mapping 1",
		"demo.toml:34: apply = \"sometimes\"",
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q:\n%v", want, err)
		}
	}
}

func itoa(i int) string { b, _ := json.Marshal(i); return string(b) }

// The gallery defaults, with their expressions, build the body Entra sends.
func TestDefaultMappingsBody(t *testing.T) {
	f := newFixture(t, Settings{Mappings: []Mapping{}})
	job, err := NewJob(Settings{App: "idc"})
	if err != nil {
		t.Fatal(err)
	}
	f.job = job
	tn := testTenant()
	tn.Users = tn.Users[:1]
	r := f.run(tn, RunOptions{})
	ev := event(t, r, "alice")
	body := string(ev.Requests[len(ev.Requests)-1].Body)
	for _, want := range []string{`"active":true`, `"formatted":"Alice Anderson"`, `"userName":"alice@contoso.com"`,
		`"emails":[{"primary":true,"type":"work","value":"alice@contoso.com"}]`,
		`"schemas":["urn:ietf:params:scim:schemas:core:2.0:User","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"]`} {
		if !strings.Contains(body, want) {
			t.Errorf("POST body lacks %s:\n%s", want, body)
		}
	}
}

func TestGuestUserNameIsTheOriginalAddress(t *testing.T) {
	u := tuser("bob", "bob_fabrikam.com#EXT#@contoso.onmicrosoft.com", "Bob", "Brown")
	s := UserSource(&u)
	if v, _ := s.Attribute("userPrincipalName"); len(v) != 1 || v[0] != "bob@fabrikam.com" {
		t.Fatalf("userPrincipalName = %v", v)
	}
	if v, _ := s.Attribute("originalUserPrincipalName"); v[0] != "bob_fabrikam.com#EXT#@contoso.onmicrosoft.com" {
		t.Fatalf("originalUserPrincipalName = %v", v)
	}
}

func FuzzParsePath(f *testing.F) {
	for _, s := range []string{"userName", "name.givenName", `emails[type eq "work"].value`, EnterpriseURN + ":manager", `a[b eq ""]`, "urn:a:b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := ParsePath(s)
		if err != nil {
			return
		}
		// What parses prints back to a path that parses to the same.
		q, err := ParsePath(p.String())
		if err != nil || q != p {
			t.Fatalf("%q -> %+v -> %q -> %+v, %v", s, p, p.String(), q, err)
		}
	})
}

func FuzzReadState(f *testing.F) {
	f.Add(`{"version":1,"target":"x","cycles":2,"users":{"a":{"targetId":"1","attrs":{"userName":["a"]}}},"groups":{}}`)
	f.Add(`{"version":1,"quarantine":{"reason":"TooManyDeletes","seriesBegan":"2026-01-01T00:00:00Z","currentBegan":"2026-01-01T00:00:00Z","nextAttempt":"2026-01-01T06:00:00Z"}}`)
	f.Add(`{}`)
	f.Fuzz(func(t *testing.T, s string) {
		st, err := ReadState(strings.NewReader(s))
		if err != nil {
			return
		}
		if st.Users == nil || st.Groups == nil {
			t.Fatal("nil maps")
		}
		for _, o := range st.Users {
			if o == nil {
				t.Fatal("nil user")
			}
		}
	})
}

func TestScopingClauses(t *testing.T) {
	u := tuser("alice", "alice@contoso.com", "Alice", "Anderson", "department", "Engineering", "employeeid", "1500000", "accountenabled", "true")
	u.Attributes["othermails"] = claims.Values{"a@x", "b@x"}
	src := UserSource(&u)
	for _, tc := range []struct {
		attr, op, value string
		want            bool
	}{
		{"department", "EQUALS", "Engineering", true},
		{"department", "EQUALS", "engineering", false}, // case-sensitive
		{"department", "NOT EQUALS", "Sales", true},
		{"userPrincipalName", "REGEX MATCH", `.*\@contoso.com`, true},
		{"userPrincipalName", "NOT REGEX MATCH", `.*\@contoso.com`, false},
		{"userPrincipalName", "ENDS_WITH", "@contoso.com", true},
		{"department", "Includes", "gineer", true},
		{"department", "&", "Sales,Engineering", true},
		{"department", "!&", "Sales,Engineering", false},
		{"employeeId", "Greater_Than", "1000000", true},
		{"employeeId", "Greater_Than_OR_EQUALS", "1500000", true},
		{"employeeId", "Greater_Than", "1500000", false},
		{"accountEnabled", "IS TRUE", "", true},
		{"accountEnabled", "IS FALSE", "", false},
		{"jobTitle", "IS NULL", "", true},
		{"jobTitle", "IS NOT NULL", "", false},
		{"jobTitle", "NOT EQUALS", "x", false},       // null is false
		{"jobTitle", "NOT REGEX MATCH", "x", false},  // null is false
		{"otherMails", "Includes", "a@x", false},     // multi-valued: not supported
		{"department", "is not null", "", true},      // operators case-insensitive
		{"department", "greater than", "one", false}, // not a number
	} {
		fs, err := compileScoping([]ScopingFilter{{Clauses: []Clause{{Attribute: tc.attr, Operator: tc.op, Value: tc.value}}}}, func(i, j int) string { return "f" })
		if tc.op == "greater than" {
			if err == nil {
				t.Errorf("Greater_Than with a non-number value accepted")
			}
			continue
		}
		if err != nil {
			t.Fatalf("%v: %v", tc, err)
		}
		if got := passes(fs, src); got != tc.want {
			t.Errorf("%s %s %q = %v, want %v", tc.attr, tc.op, tc.value, got, tc.want)
		}
	}
	// Clauses AND-ed, filters OR-ed.
	fs, _ := compileScoping([]ScopingFilter{
		{Clauses: []Clause{{Attribute: "department", Operator: "EQUALS", Value: "Engineering"}, {Attribute: "jobTitle", Operator: "IS NOT NULL"}}},
		{Clauses: []Clause{{Attribute: "employeeId", Operator: "Greater_Than", Value: "1000000"}}},
	}, func(i, j int) string { return "f" })
	if !passes(fs, src) {
		t.Error("the second filter passes, so the user is in scope")
	}
	if err := CheckScopingFilters([]ScopingFilter{{Clauses: []Clause{{Attribute: "a", Operator: "LIKE", Value: "x"}, {Attribute: "b", Operator: "REGEX MATCH", Value: "(?<=x)"}}}, {}},
		func(i, j int) string { return fmt.Sprintf("f%d.c%d", i, j) }); err == nil ||
		!strings.Contains(err.Error(), `f0.c0: operator "LIKE"`) || !strings.Contains(err.Error(), "f0.c1: value") || !strings.Contains(err.Error(), "f1.c-1: a scoping filter needs at least one clause") {
		t.Fatalf("%v", err)
	}
}
