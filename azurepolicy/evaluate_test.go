package azurepolicy

import (
	"reflect"
	"strings"
	"testing"

	"github.com/samlab/samlab/claims"
)

// The tests here run converted policies through the claims engine, to
// check that the rules mean what the Azure policy meant.

const tenantID = "11111111-2222-3333-4444-555555555555"

var (
	alice = claims.User{
		ID:     "alice",
		Groups: []string{"grp-aws-dev", "grp-eng"},
		AppRoles: map[string][]string{"aws": {
			"arn:aws:iam::111122223333:role/Dev,arn:aws:iam::111122223333:saml-provider/Entra",
		}},
		Attributes: map[string]claims.Values{
			"userprincipalname":   {"Alice@contoso.com"},
			"mail":                {"alice@contoso.com"},
			"displayname":         {"Alice Smith"},
			"givenname":           {"Alice"},
			"surname":             {"Smith"},
			"department":          {"Engineering"},
			"country":             {"US"},
			"jobtitle":            {"Engineering Manager"},
			"employeeid":          {"ABC00123"},
			"extensionattribute1": {"PleaseExtractThisNow"},
			"extensionattribute2": {"00-4711-00"},
			"mailnickname":        {"alice@ad.contoso.com"},
			"costCenter":          {"CC-1001"},
		},
	}
	bob = claims.User{
		ID:   "bob",
		Type: claims.AADGuest,
		Attributes: map[string]claims.Values{
			"userprincipalname":        {"bob_partner.example#EXT#@contoso.onmicrosoft.com"},
			"mail":                     {"bob@partner.example"},
			"onpremisessamaccountname": {"bob"},
		},
	}
	groups = []claims.Group{
		{ID: "grp-aws-dev", DisplayName: "AWS-Developers"},
		{ID: "grp-eng", DisplayName: "Engineering"},
	}
)

// evaluate converts a testdata policy, compiles it for the app "aws" and
// returns each user's claims by attribute name.
func evaluate(t *testing.T, file string, users ...claims.User) map[string]*claims.Result {
	t.Helper()
	r := convertFile(t, file)
	eng, err := claims.Compile(claims.App{Name: "aws"}, r.Policy, claims.CompileOptions{Extensions: r.Extensions})
	if err != nil {
		t.Fatalf("Compile(%s): %v", file, err)
	}
	dir, err := claims.NewDirectory(claims.Tenant{ID: tenantID}, users, groups)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]*claims.Result{}
	for _, u := range users {
		du, ok := dir.User(u.ID)
		if !ok {
			t.Fatalf("user %s not in directory", u.ID)
		}
		res, err := eng.Evaluate(dir, du, claims.EvalOptions{})
		if err != nil {
			t.Fatalf("Evaluate(%s, %s): %v", file, u.ID, err)
		}
		out[u.ID] = res
	}
	return out
}

// attrs maps attribute names to values.
func attrs(res *claims.Result) map[string][]string {
	m := map[string][]string{}
	for _, a := range res.Attributes {
		m[a.Name] = a.Values
	}
	return m
}

// checkClaims compares the named claims; a nil want means omitted.
func checkClaims(t *testing.T, user string, res *claims.Result, want map[string][]string) {
	t.Helper()
	got := attrs(res)
	for name, w := range want {
		g, present := got[name]
		switch {
		case w == nil && present:
			t.Errorf("%s: %s = %q, want it omitted", user, name, g)
		case w != nil && !reflect.DeepEqual(g, w):
			t.Errorf("%s: %s = %q, want %q", user, name, g, w)
		}
	}
}

func TestEvaluateAWSBasic(t *testing.T) {
	res := evaluate(t, "aws-basic.json", alice)["alice"]
	if res.NameID.Format != claims.NameIDPersistent || res.NameID.Value != "Alice@contoso.com" {
		t.Errorf("NameID = %+v, want persistent Alice@contoso.com", res.NameID)
	}
	checkClaims(t, "alice", res, map[string][]string{
		awsNS + "/Role":                    {"arn:aws:iam::111122223333:role/Dev,arn:aws:iam::111122223333:saml-provider/Entra"},
		awsNS + "/RoleSessionName":         {"alice"}, // ExtractMailPrefix of mail
		awsNS + "/SessionDuration":         {"3600"},
		awsNS + "/PrincipalTag:Department": {"Engineering"},
		awsNS + "/PrincipalTag:CostCenter": {"CC-1001"},
		xmlsoapClaims + "/emailaddress":    {"alice@contoso.com"},
		xmlsoapClaims + "/givenname":       {"Alice"},
		xmlsoapClaims + "/surname":         {"Smith"},
		xmlsoapClaims + "/name":            {"Alice"}, // the policy's own "name" replaces the basic one
		claims.ClaimTenantID:               {tenantID},
	})
	var names []string
	for _, a := range res.Attributes {
		names = append(names, a.Name)
		if a.Name == awsNS+"/PrincipalTag:Department" && a.NameFormat != claims.AttrNameFormatURI {
			t.Errorf("Department NameFormat = %q, want the uri format", a.NameFormat)
		}
	}
	// Core claims first, then the basic set, then the policy's claims.
	if len(names) < 6 || names[0] != claims.ClaimTenantID || names[5] != xmlsoapClaims+"/emailaddress" {
		t.Errorf("claim order = %q", names)
	}
}

func TestEvaluateGraphObject(t *testing.T) {
	res := evaluate(t, "graph-object.json", alice)["alice"]
	checkClaims(t, "alice", res, map[string][]string{
		contosoNS + "/sandboxmail":         {"alice@contoso.com.sandbox"}, // Join
		contosoNS + "/alias":               {"alice"},                     // ExtractMailPrefix, then ToLowercase
		awsNS + "/PrincipalTag:Department": {"ENGINEERING"},               // ToUppercase
		contosoNS + "/partnermail":         {"US.alice@xyz.com"},          // RegexReplace with an extra input
		claims.ClaimGroups:                 {"grp-aws-dev"},               // GroupFilter prefix "AWS-"
	})
}

func TestEvaluatePortalMethods(t *testing.T) {
	res := evaluate(t, "powershell-export.json", alice, bob)
	checkClaims(t, "alice", res["alice"], map[string][]string{
		contosoNS + "/manager":      {"yes"},     // Contains "Manager"
		contosoNS + "/admin":        nil,         // StartWith "adm-": no match, no else
		contosoNS + "/partner":      nil,         // EndWith "@partner.example": no match
		contosoNS + "/maildomain":   {"contoso"}, // Extract between "@" and ".com"
		contosoNS + "/badgeletters": {"ABC"},     // ExtractAlpha prefix
		contosoNS + "/badgenumber":  {"00123"},   // ExtractNumeric suffix
		contosoNS + "/title":        {"Engineering Manager"},
		contosoNS + "/hasbadge":     {"true"},        // IfNotEmpty
		contosoNS + "/site":         {"ExtractThis"}, // Substring 6, 11
		contosoNS + "/code":         {"-4711-"},      // Trim "0" both ends
	})
	checkClaims(t, "bob", res["bob"], map[string][]string{
		contosoNS + "/manager":  {"no"},         // Contains: else
		contosoNS + "/partner":  {"Contractor"}, // EndWith: output from a constant schema entry
		contosoNS + "/title":    {"Staff"},      // IfEmpty
		contosoNS + "/hasbadge": nil,            // IfNotEmpty of an empty value
	})
}

func TestEvaluateOverrideDefault(t *testing.T) {
	// The support-wiki pattern: a constant default for a claim type, then a
	// RegexReplace for the same type that emits the UPN when
	// onpremisessamaccountname is empty.
	res := evaluate(t, "unsupported.json", alice, bob)
	login := contosoNS + "/login"
	checkClaims(t, "alice", res["alice"], map[string][]string{
		login: {"Alice@contoso.com"},
		"urn:mace:terena.org:attribute-def:schacHomeOrganization": {"ad.contoso.com"},
	})
	checkClaims(t, "bob", res["bob"], map[string][]string{
		login: {"DefaultValueIfNoMatch"},
		"urn:mace:terena.org:attribute-def:schacHomeOrganization": nil,
	})
	for _, a := range res["alice"].Attributes {
		if strings.Contains(a.Name, "schemas.contoso.com/claims/app") || strings.Contains(a.Name, "encoded") {
			t.Errorf("claim %s should have been dropped", a.Name)
		}
	}
}

func TestEvaluateRejected(t *testing.T) {
	// What survives of a policy full of problems still works: a .NET
	// ${group} replacement rewritten as {group}.
	res := evaluate(t, "rejected.json", alice)["alice"]
	checkClaims(t, "alice", res, map[string][]string{contosoNS + "/uat": {"alice@contoso.com.uat"}})
	if got := len(res.Attributes); got != 6 { // the five core claims, and uat
		t.Errorf("got %d attributes, want 6: %+v", got, res.Attributes)
	}
}

func TestEvaluateTreatAsMultiValue(t *testing.T) {
	in := `{"ClaimsMappingPolicy":{"Version":1,"ClaimsSchema":[
		{"Source":"user","ID":"proxyaddresses"},
		{"Source":"transformation","ID":"lower","TransformationId":"t","SamlClaimType":"http://schemas.contoso.com/claims/proxies"}],
	  "ClaimsTransformations":[{"ID":"t","TransformationMethod":"ToLowercase",
		"InputClaims":[{"ClaimTypeReferenceId":"proxyaddresses","TransformationClaimType":"sourceClaim","TreatAsMultiValue":true}]}]}}`
	r, err := Convert([]byte(in))
	if err != nil {
		t.Fatal(err)
	}
	eng, err := claims.Compile(claims.App{Name: "aws"}, r.Policy, claims.CompileOptions{})
	if err != nil {
		t.Fatal(err)
	}
	u := claims.User{ID: "carol", Attributes: map[string]claims.Values{"proxyaddresses": {"SMTP:Carol@Contoso.com", "smtp:c@Fabrikam.com"}}}
	dir, err := claims.NewDirectory(claims.Tenant{ID: tenantID}, []claims.User{u}, nil)
	if err != nil {
		t.Fatal(err)
	}
	du, _ := dir.User("carol")
	res, err := eng.Evaluate(dir, du, claims.EvalOptions{})
	if err != nil {
		t.Fatal(err)
	}
	checkClaims(t, "carol", res, map[string][]string{contosoNS + "/proxies": {"smtp:carol@contoso.com", "smtp:c@fabrikam.com"}})
}
