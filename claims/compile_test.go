package claims

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

const awsNS = "https://aws.amazon.com/SAML/Attributes"

func TestCompileErrors(t *testing.T) {
	tr := func(ts ...Transformation) []Transformation { return ts }
	cases := []struct {
		name  string
		p     Policy
		opts  CompileOptions
		wants []string
		is    error
	}{
		{"unknown function", Policy{Claims: []Rule{{Name: "RoleSessionName", Transformations: tr(
			Transformation{Function: "ExtractMailPrefix", Input: "user.mail"}, Transformation{Function: "Trimm"})}}}, CompileOptions{},
			[]string{`claims: rule "RoleSessionName": transformation 2: unknown function "Trimm" (did you mean "Trim"?)`}, ErrUnknownFunction},
		{"unknown attribute", Policy{Claims: []Rule{{Name: "d", Source: "user.departmnet"}}}, CompileOptions{},
			[]string{`rule "d": source: unknown attribute "user.departmnet" (did you mean "user.department"?)`}, ErrUnknownAttribute},
		{"undeclared free-form", Policy{Claims: []Rule{{Name: "c", Source: "user.costcenter"}}}, CompileOptions{},
			[]string{`unknown attribute "user.costcenter"`, "declare free-form attributes"}, ErrUnknownAttribute},
		{"extension case", Policy{Claims: []Rule{{Name: "c", Source: "user.extension_0123456789abcdef0123456789abcdef_CostCenter"}}}, CompileOptions{Extensions: []string{"costcenter"}},
			[]string{`case-sensitive`, `user.extension_0123456789abcdef0123456789abcdef_costcenter`}, ErrUnknownAttribute},
		{"extension bad app id", Policy{Claims: []Rule{{Name: "c", Source: "user.extension_abc_costcenter"}}}, CompileOptions{Extensions: []string{"costcenter"}},
			[]string{`32 hex digits`}, ErrUnknownAttribute},
		{"user.groups", Policy{Claims: []Rule{{Name: "g", Source: "user.groups"}}}, CompileOptions{}, []string{"configure group_claim"}, ErrUnknownAttribute},
		{"restricted", Policy{Claims: []Rule{{Name: "role", Namespace: "http://schemas.microsoft.com/ws/2008/06/identity/claims/", Source: "user.mail"}}}, CompileOptions{},
			[]string{`restricted claim name "http://schemas.microsoft.com/ws/2008/06/identity/claims/role"`}, ErrRestrictedName},
		{"restricted case-insensitive", Policy{Claims: []Rule{{Name: "TenantID", Namespace: "http://schemas.microsoft.com/identity/claims", Value: "x"}}}, CompileOptions{},
			[]string{`restricted claim name`}, ErrRestrictedName},
		{"duplicate", Policy{Claims: []Rule{{Name: "Role", Namespace: awsNS, Source: "user.assignedroles"}, {Name: "Role", Namespace: awsNS + "/", Value: "x"}}}, CompileOptions{},
			[]string{`rule "Role": name: duplicate claim name "https://aws.amazon.com/SAML/Attributes/Role": also emitted by rule "Role"`}, ErrDuplicateClaim},
		{"duplicate with defaults", Policy{DefaultClaims: true, Claims: []Rule{{Name: "displayname", Namespace: "http://schemas.microsoft.com/identity/claims", Source: "user.displayname"}}}, CompileOptions{},
			[]string{`also emitted by the default claims`}, ErrDuplicateClaim},
		{"too many transformations", Policy{Claims: []Rule{{Name: "x", Transformations: tr(
			Transformation{Function: "ToLowercase", Input: "user.mail"}, Transformation{Function: "Trim"}, Transformation{Function: "Trim"})}}}, CompileOptions{},
			[]string{`rule "x": 3 transformations; Entra ID chains at most 2 (remove 1)`}, nil},
		{"no source", Policy{Claims: []Rule{{Name: "x"}}}, CompileOptions{}, []string{`rule "x": source: no source`}, nil},
		{"unnamed", Policy{Claims: []Rule{{Value: "x"}}}, CompileOptions{}, []string{`rule "#1": name: name is empty`}, nil},
		{"constant as source", Policy{Claims: []Rule{{Name: "x", Source: "3600"}}}, CompileOptions{}, []string{`"3600" is not an attribute`, `value = "3600"`}, nil},
		{"source and value", Policy{Claims: []Rule{{Name: "x", Source: "user.mail", Value: "v"}}}, CompileOptions{}, []string{`both source "user.mail" and value "v"`}, nil},
		{"constant with CR", Policy{Claims: []Rule{{Name: "x", Value: "a\rb"}}}, CompileOptions{}, []string{`rule "x": value: constant "a\rb"`, "control character U+000D"}, ErrInvalidValue},
		{"constant with NUL param", Policy{Claims: []Rule{{Name: "x", Transformations: tr(Transformation{Function: "Contains", Input: "user.mail", Value: "a", Output: "b\x00"})}}}, CompileOptions{}, []string{`output: constant`}, ErrInvalidValue},
		{"invalid utf8 constant", Policy{Claims: []Rule{{Name: "x", Value: "a\xffb"}}}, CompileOptions{}, []string{`invalid UTF-8`}, ErrInvalidValue},
		{"name with newline", Policy{Claims: []Rule{{Name: "a\nb", Value: "x"}}}, CompileOptions{}, []string{`name:`}, ErrInvalidValue},
		{"bad mode", Policy{Claims: []Rule{{Name: "x", Transformations: tr(Transformation{Function: "Extract", Mode: "aftr", Input: "user.mail", Value: "@"})}}}, CompileOptions{},
			[]string{`Extract: unknown mode "aftr" (one of after, before, between) (did you mean "after"?)`}, nil},
		{"missing mode", Policy{Claims: []Rule{{Name: "x", Transformations: tr(Transformation{Function: "ExtractAlpha", Input: "user.mail"})}}}, CompileOptions{}, []string{`mode is required`}, nil},
		{"missing value", Policy{Claims: []Rule{{Name: "x", Transformations: tr(Transformation{Function: "Contains", Input: "user.mail", Output: "o"})}}}, CompileOptions{}, []string{`Contains: value is required`}, nil},
		{"missing output", Policy{Claims: []Rule{{Name: "x", Transformations: tr(Transformation{Function: "IfNotEmpty", Input: "user.mail"})}}}, CompileOptions{}, []string{`IfNotEmpty: output is required`}, nil},
		{"missing input", Policy{Claims: []Rule{{Name: "x", Transformations: tr(Transformation{Function: "ToLowercase"})}}}, CompileOptions{}, []string{`input is required`}, nil},
		{"missing input2", Policy{Claims: []Rule{{Name: "x", Transformations: tr(Transformation{Function: "Join", Input: "user.mail"})}}}, CompileOptions{}, []string{`Join: input2 is required`}, nil},
		{"stray parameter", Policy{Claims: []Rule{{Name: "x", Transformations: tr(Transformation{Function: "ToLowercase", Input: "user.mail", Value: "v"})}}}, CompileOptions{}, []string{`ToLowercase: parameter "value" does not apply; remove it`}, nil},
		{"value2 without between", Policy{Claims: []Rule{{Name: "x", Transformations: tr(Transformation{Function: "Extract", Mode: "after", Input: "user.mail", Value: "a", Value2: "b"})}}}, CompileOptions{}, []string{`value2 applies only to mode between`}, nil},
		{"substring length", Policy{Claims: []Rule{{Name: "x", Transformations: tr(Transformation{Function: "Substring", Mode: "fixed", Input: "user.mail", StartIndex: -1})}}}, CompileOptions{}, []string{`start_index -1 is negative`, `mode fixed needs length > 0`}, nil},
		{"multi constant", Policy{Claims: []Rule{{Name: "x", Transformations: tr(Transformation{Function: "ToLowercase", Input: "ABC", MultiValued: true})}}}, CompileOptions{}, []string{`multi_valued needs an attribute input`}, nil},
		{"regex syntax", Policy{Claims: []Rule{{Name: "x", Transformations: tr(Transformation{Function: "RegexReplace", Input: "user.mail", Regex: `(?<a>`, Replacement: "{a}"})}}}, CompileOptions{}, []string{`does not compile`}, ErrRegex},
		{"regex too long", Policy{Claims: []Rule{{Name: "x", Transformations: tr(Transformation{Function: "RegexReplace", Input: "user.mail", Regex: strings.Repeat("a", 1025), Replacement: "b"})}}}, CompileOptions{}, []string{`over the 1024-byte limit`}, ErrRegex},
		{"regex unknown group", Policy{Claims: []Rule{{Name: "x", Transformations: tr(Transformation{Function: "RegexReplace", Input: "user.mail", Regex: `(?<domain>.*)`, Replacement: "{domian}"})}}}, CompileOptions{},
			[]string{`{domian} is neither a group of the regex nor an additional input (did you mean "domain"?)`}, nil},
		{"regex extra unused", Policy{Claims: []Rule{{Name: "x", Transformations: tr(Transformation{Function: "RegexReplace", Input: "user.mail", Regex: `(?<d>.*)`, Replacement: "{d}", AdditionalInputs: []string{"user.country"}})}}}, CompileOptions{},
			[]string{`additional input "user.country" is not used in the replacement; add {country} or remove it`}, nil},
		{"regex extra duplicate", Policy{Claims: []Rule{{Name: "x", Transformations: tr(Transformation{Function: "RegexReplace", Input: "user.mail", Regex: `(?<d>.*)`, Replacement: "{d}{country}", AdditionalInputs: []string{"user.country", "user.Country"}})}}}, CompileOptions{},
			[]string{`additional input "user.Country" is listed twice`}, nil},
		{"regex extra constant", Policy{Claims: []Rule{{Name: "x", Transformations: tr(Transformation{Function: "RegexReplace", Input: "user.mail", Regex: `(?<d>.*)`, Replacement: "{d}", AdditionalInputs: []string{"US"}})}}}, CompileOptions{},
			[]string{`additional input "US" must be an attribute`}, nil},
		{"regex too many extras", Policy{Claims: []Rule{{Name: "x", Transformations: tr(Transformation{Function: "RegexReplace", Input: "user.mail", Regex: `.`, Replacement: "{city}{country}{state}{department}{jobtitle}{mail}",
			AdditionalInputs: []string{"user.city", "user.country", "user.state", "user.department", "user.jobtitle", "user.mail"}})}}}, CompileOptions{},
			[]string{`6 additional inputs; at most 5`}, nil},
		{"bad user type", Policy{Claims: []Rule{{Name: "x", Value: "v", Conditions: []Condition{{UserType: "member", Value: "w"}}}}}, CompileOptions{},
			[]string{`rule "x": condition 1: unknown user_type "member" (one of any, members, all_guests, aad_guests, external_guests) (did you mean "members"?)`}, nil},
		{"empty condition", Policy{Claims: []Rule{{Name: "x", Value: "v", Conditions: []Condition{{UserType: "members"}}}}}, CompileOptions{}, []string{`condition 1: no source`}, nil},
		{"condition transformation error", Policy{Claims: []Rule{{Name: "x", Value: "v", Conditions: []Condition{{Transformations: tr(Transformation{Function: "Foo", Input: "user.mail"})}}}}}, CompileOptions{},
			[]string{`rule "x": condition 1: transformation 1: unknown function "Foo"`}, nil},
		{"name format", Policy{Claims: []Rule{{Name: "x", Value: "v", NameFormat: "uir"}}}, CompileOptions{}, []string{`unknown name format "uir"`}, nil},
		{"nameid format", Policy{NameID: NameIDRule{Format: "persistant"}}, CompileOptions{}, []string{`rule "nameid": format: unknown NameID format "persistant"`, `did you mean "persistent"`}, nil},
		{"nameid transformation", Policy{NameID: NameIDRule{Transformations: tr(Transformation{Function: "Trim", Input: "user.mail"})}}, CompileOptions{}, []string{`Trim: not allowed in a NameID`}, nil},
		{"group claim which", Policy{GroupClaim: &GroupClaim{Which: "securty"}}, CompileOptions{}, []string{`rule "group_claim": which: unknown "securty"`, `did you mean "security"`}, nil},
		{"group claim format", Policy{GroupClaim: &GroupClaim{Format: "cloud_display_name"}}, CompileOptions{}, []string{`only available with which = "application"`}, nil},
		{"group claim role clash", Policy{GroupClaim: &GroupClaim{EmitAsRoles: true, Name: "x"}}, CompileOptions{}, []string{`set either name or emit_as_roles`}, nil},
		{"group claim dup with rule", Policy{GroupClaim: &GroupClaim{Name: "Role", Namespace: awsNS}, Claims: []Rule{{Name: "Role", Namespace: awsNS, Source: "user.assignedroles"}}}, CompileOptions{}, []string{`rule "group_claim": name: duplicate claim name`}, ErrDuplicateClaim},
		{"group regex", Policy{GroupClaim: &GroupClaim{Regex: "(?<x>a", Replacement: "{x}"}}, CompileOptions{}, []string{`rule "group_claim": regex:`}, ErrRegex},
		{"group filter", Policy{GroupClaim: &GroupClaim{Filter: &GroupFilter{MatchOn: "name", Type: "prefix"}}}, CompileOptions{}, []string{`unknown match_on "name"`, `value is empty`}, nil},
		{"too many scoped groups", Policy{Claims: []Rule{{Name: "x", Value: "v", Conditions: manyGroupConditions(51)}}}, CompileOptions{}, []string{`51 unique scoped groups`}, nil},
		{"unknown scoped group", Policy{Claims: []Rule{{Name: "x", Value: "v", Conditions: []Condition{{Groups: []string{"engg"}, Value: "w"}}}}}, CompileOptions{Directory: testDir(t)},
			[]string{`scoped group "engg" is not in the directory (did you mean "eng"?)`}, nil},
		{"nameid join unverified", Policy{NameID: NameIDRule{Transformations: tr(Transformation{Function: "Join", Input: "user.mail", Separator: "@", Input2: "evil.com"})}}, CompileOptions{Directory: testDir(t)},
			[]string{`"evil.com" is not a verified domain`}, nil},
		{"bad extension decl", Policy{}, CompileOptions{Extensions: []string{"a b"}}, []string{`extensions: "a b" is not a valid attribute name`}, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Compile(App{Name: "aws", ID: "app"}, c.p, c.opts)
			errHas(t, err, c.wants...)
			var re *RuleError
			if !errors.As(err, &re) {
				t.Errorf("error is not a *RuleError: %T", err)
			}
			if c.is != nil && !errors.Is(err, c.is) {
				t.Errorf("errors.Is(err, %v) = false", c.is)
			}
		})
	}
}

func manyGroupConditions(n int) []Condition {
	var out []Condition
	for i := 0; i < n; i++ {
		out = append(out, Condition{Groups: []string{fmt.Sprintf("g%d", i)}, Value: "v"})
	}
	return out
}

// TestCompileAllProblemsAtOnce checks that every problem is reported, not
// just the first.
func TestCompileAllProblemsAtOnce(t *testing.T) {
	p := Policy{Claims: []Rule{
		{Name: "a", Source: "user.nope"},
		{Name: "b", Transformations: []Transformation{{Function: "Nope", Input: "user.mail"}}},
		{Name: "c", Value: "ok", Conditions: []Condition{{UserType: "x", Value: "y"}}},
	}, NameID: NameIDRule{Format: "bad"}}
	_, err := Compile(App{Name: "x"}, p, CompileOptions{})
	errs := unjoin(err)
	if len(errs) != 4 {
		t.Fatalf("got %d errors, want 4:\n%v", len(errs), err)
	}
	for i, want := range []string{`rule "a"`, `rule "b"`, `rule "c"`, `rule "nameid"`} {
		if !strings.Contains(errs[i].Error(), want) {
			t.Errorf("error %d = %q, want it to name %s", i, errs[i], want)
		}
	}
}

func TestCompileCustomSigningKeyAllowsRole(t *testing.T) {
	p := Policy{Claims: []Rule{{Name: "role", Namespace: "http://schemas.microsoft.com/ws/2008/06/identity/claims", Source: "user.assignedroles"}}}
	if _, err := Compile(App{Name: "aws"}, p, CompileOptions{CustomSigningKey: true}); err != nil {
		t.Fatalf("with a custom signing key role is allowed: %v", err)
	}
	if _, err := Compile(App{Name: "aws"}, p, CompileOptions{}); !errors.Is(err, ErrRestrictedName) {
		t.Fatalf("without: got %v, want ErrRestrictedName", err)
	}
}

// The restricted set is Microsoft's published SAML restricted claim set:
// names from each of its lists are refused, the Windows identity claims and
// upn/role are allowed with a custom signing key, and names Microsoft does
// not list are free.
func TestCompileRestrictedClaimSet(t *testing.T) {
	const ms, ms08, xs = "http://schemas.microsoft.com/identity/claims/", "http://schemas.microsoft.com/ws/2008/06/identity/claims/", "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/"
	for _, c := range []struct {
		name                string
		restricted, withKey bool // refused without / with a custom signing key
	}{
		{ms + "agegroup", true, true},
		{ms08 + "samlissuername", true, true},
		{ms08 + "windowsfqbnversion", true, true},
		{xs + "spn", true, true},
		{"http://schemas.xmlsoap.org/ws/2009/09/identity/claims/actor", true, true},
		{xs + "nameidentifier", true, true},
		{ms08 + "primarygroupsid", true, false},
		{xs + "x500distinguishedname", true, false},
		{ms08 + "windowsaccountname", true, false},
		{xs + "upn", true, false},
		{ms08 + "role", true, false},
		{xs + "emailaddress", false, false},
		{ms + "displayname", false, false},
		{ms08 + "denyonlysid", false, false}, // Microsoft lists the xmlsoap one only
	} {
		p := Policy{Claims: []Rule{{Name: c.name, Value: "v"}}}
		for _, key := range []bool{false, true} {
			want := c.restricted
			if key {
				want = c.withKey
			}
			_, err := Compile(App{Name: "app"}, p, CompileOptions{CustomSigningKey: key})
			if got := errors.Is(err, ErrRestrictedName); got != want {
				t.Errorf("%s (custom signing key %v): restricted = %v, want %v (%v)", c.name, key, got, want, err)
			}
		}
	}
}

func TestClaimName(t *testing.T) {
	for _, c := range []struct{ ns, name, want string }{
		{awsNS, "Role", awsNS + "/Role"},
		{awsNS + "/", "Role", awsNS + "/Role"},
		{awsNS + "//", "Role", awsNS + "//Role"},
		{"", "email", "email"},
	} {
		if got := ClaimName(c.ns, c.name); got != c.want {
			t.Errorf("ClaimName(%q, %q) = %q, want %q", c.ns, c.name, got, c.want)
		}
	}
}

func TestIsUserAttribute(t *testing.T) {
	for id, want := range map[string]bool{
		"department": true, "UserPrincipalName": true, "extensionattribute15": true, "tags": true,
		"extensionattribute16": false, "costcenter": false, "": false, "user.department": false,
	} {
		if got := IsUserAttribute(id); got != want {
			t.Errorf("IsUserAttribute(%q) = %v, want %v", id, got, want)
		}
	}
}
