package claims

import "testing"

// Built-in attribute ids stay built-in even when a caller also declares
// them as extensions (as samlab's config did with every attribute name a
// user has): a multi-valued built-in used directly gives its first value,
// and a constant parameter equal to such a name stays a constant. Built-in
// keys in a user's attributes are matched case-insensitively.
func TestBuiltinNamesDeclaredAsExtensions(t *testing.T) {
	users := []User{{ID: "u", Attributes: map[string]Values{
		"proxyaddresses": {"SMTP:u@contoso.com", "smtp:u@fabrikam.com"},
		"OtherMail":      {"u@gmail.example", "u@outlook.example"},
		"Tags":           {"t1", "t2"},
		"department":     {"Sales"},
		"costcenter":     {"cc1", "cc2"},
	}}}
	d, err := NewDirectory(Tenant{ID: testTenant}, users, nil)
	if err != nil {
		t.Fatal(err)
	}
	p := Policy{Claims: []Rule{
		{Name: "proxy", Source: "user.proxyaddresses"},
		{Name: "othermail", Source: "user.othermail"},
		{Name: "tags", Source: "user.TAGS"},
		{Name: "costcenter", Source: "user.costcenter"},
		{Name: "bare", Source: "costcenter"},
		{Name: "constant", Transformations: []Transformation{{Function: "IfEmpty", Input: "user.employeeid", Output: "department"}}},
		{Name: "constant2", Transformations: []Transformation{{Function: "Join", Input: "user.department", Input2: "tags", Separator: "-"}}},
		// A bare free-form name in a parameter is a constant too: only
		// "user." makes a parameter an attribute.
		{Name: "constant3", Transformations: []Transformation{{Function: "IfEmpty", Input: "user.employeeid", Output: "costcenter"}}},
	}}
	e, err := Compile(App{Name: "a"}, p, CompileOptions{Extensions: []string{"proxyaddresses", "OtherMail", "Tags", "department", "costcenter"}})
	if err != nil {
		t.Fatal(err)
	}
	res := mustEval(t, e, d, "u", EvalOptions{})
	for _, tc := range []struct {
		claim string
		want  []string
	}{
		{"proxy", []string{"SMTP:u@contoso.com"}},
		{"othermail", []string{"u@gmail.example"}},
		{"tags", []string{"t1"}},
		{"costcenter", []string{"cc1", "cc2"}},
		{"bare", []string{"cc1", "cc2"}},
		{"constant", []string{"department"}},
		{"constant2", []string{"Sales-tags"}},
		{"constant3", []string{"costcenter"}},
	} {
		if got := res.values(tc.claim); !eq(got, tc.want) {
			t.Errorf("%s: got %q, want %q", tc.claim, got, tc.want)
		}
	}
}

// The same built-in id twice in one user's attributes, in different
// cases, is an error: which one would the engine read?
func TestNewDirectoryBuiltinCaseClash(t *testing.T) {
	_, err := NewDirectory(Tenant{ID: testTenant}, []User{{ID: "u", Attributes: map[string]Values{
		"mail": {"a@x"}, "Mail": {"b@x"}, "cc": {"1"}, "CC": {"2"},
	}}}, nil)
	errHas(t, err, `user "u": attributes "Mail" and "mail" are both the Entra attribute "mail" (attribute ids are case-insensitive); keep one`)
	if n := len(unjoin(err)); n != 1 {
		t.Errorf("got %d problems, want 1 (free-form names are case-sensitive):\n%v", n, err)
	}
}

// A bare attribute name as a multi-valued input is a constant; the error
// says how to name the attribute.
func TestBareNameMultiValuedHint(t *testing.T) {
	_, err := Compile(App{Name: "a"}, Policy{Claims: []Rule{{Name: "p", Transformations: []Transformation{
		{Function: "ToUppercase", Input: "projects", MultiValued: true}}}}}, CompileOptions{Extensions: []string{"projects"}})
	errHas(t, err, `multi_valued needs an attribute input, not a constant (for the attribute write "user.projects")`)
}
