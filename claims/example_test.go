package claims_test

import (
	"fmt"
	"strings"

	"github.com/samlab/samlab/claims"
)

const awsNS = "https://aws.amazon.com/SAML/Attributes"

func exampleDirectory() *claims.Directory {
	dir, err := claims.NewDirectory(
		claims.Tenant{ID: "00000000-0000-0000-0000-000000000000", VerifiedDomains: []string{"contoso.com"}},
		[]claims.User{{
			ID:     "alice",
			Groups: []string{"grp-eng"},
			AppRoles: map[string][]string{"aws": {
				"arn:aws:iam::111122223333:role/Dev,arn:aws:iam::111122223333:saml-provider/samlab",
				"", // msiam_access: a role without a value is never emitted
			}},
			Attributes: map[string]claims.Values{
				"userprincipalname": {"alice@contoso.com"},
				"department":        {"Engineering"},
				"costcenter":        {"CC-1001"},
			},
		}, {
			ID:   "bob",
			Type: claims.AADGuest,
			Attributes: map[string]claims.Values{
				"userprincipalname": {"bob_fabrikam.com#EXT#@contoso.onmicrosoft.com"},
				"mail":              {"bob@fabrikam.com"},
			},
		}},
		[]claims.Group{{ID: "grp-eng", DisplayName: "Engineering", SAMAccountName: "eng"}},
	)
	if err != nil {
		panic(err)
	}
	return dir
}

// awsPolicy is the AWS STS app: roles, a session name, a duration and
// session tags for attribute-based access control.
func awsPolicy() claims.Policy {
	return claims.Policy{
		NameID: claims.NameIDRule{Format: "persistent", Source: "user.userprincipalname"},
		Claims: []claims.Rule{
			{Name: "Role", Namespace: awsNS, Source: "user.assignedroles"},
			{Name: "RoleSessionName", Namespace: awsNS,
				Transformations: []claims.Transformation{{Function: "ExtractMailPrefix", Input: "user.userprincipalname"}},
				// Guests' UPNs are x_domain#EXT#@tenant: use their mail instead.
				Conditions: []claims.Condition{{UserType: "all_guests",
					Transformations: []claims.Transformation{{Function: "ExtractMailPrefix", Input: "user.mail"}}}}},
			{Name: "SessionDuration", Namespace: awsNS, Value: "3600"},
			{Name: "PrincipalTag:Department", Namespace: awsNS, Source: "user.department"},
			{Name: "PrincipalTag:CostCenter", Namespace: awsNS, Source: "user.costcenter"},
			{Name: "TransitiveTagKeys", Namespace: awsNS, Value: "Department"},
		},
	}
}

// Example shows a whole round: a directory, the AWS STS rule set, and the
// claims one user gets.
func Example() {
	dir := exampleDirectory()
	engine, err := claims.Compile(claims.App{Name: "aws", ID: "6a1b1b8e-aws"}, awsPolicy(),
		claims.CompileOptions{Extensions: []string{"costcenter"}})
	if err != nil {
		panic(err)
	}
	alice, _ := dir.User("alice")
	res, err := engine.Evaluate(dir, alice, claims.EvalOptions{})
	if err != nil {
		panic(err)
	}
	fmt.Println("NameID:", res.NameID.Value)
	for _, a := range res.Attributes {
		fmt.Printf("%s = %s\n", strings.TrimPrefix(a.Name, awsNS+"/"), strings.Join(a.Values, " | "))
	}
	// Output:
	// NameID: alice@contoso.com
	// Role = arn:aws:iam::111122223333:role/Dev,arn:aws:iam::111122223333:saml-provider/samlab
	// RoleSessionName = alice
	// SessionDuration = 3600
	// PrincipalTag:Department = Engineering
	// PrincipalTag:CostCenter = CC-1001
	// TransitiveTagKeys = Department
}

// ExampleEngine_Evaluate_explain shows the trace of a claim for a guest:
// the base source, then the condition row that replaced it, and why claims
// were left out.
func ExampleEngine_Evaluate_explain() {
	dir := exampleDirectory()
	engine, err := claims.Compile(claims.App{Name: "aws"}, awsPolicy(),
		claims.CompileOptions{Extensions: []string{"costcenter"}})
	if err != nil {
		panic(err)
	}
	bob, _ := dir.User("bob")
	res, err := engine.Evaluate(dir, bob, claims.EvalOptions{Explain: true})
	if err != nil {
		panic(err)
	}
	for _, a := range res.Attributes {
		if !strings.HasSuffix(a.Name, "/RoleSessionName") {
			continue
		}
		fmt.Println(a.Name, "=", a.Values)
		for _, s := range a.Trace.Steps {
			if s.Kind == "transformation" {
				fmt.Printf("  row %d: %s(%s) -> %s\n", s.Row, s.Function, s.Input, s.Output)
			} else {
				fmt.Printf("  row %d: %s\n", s.Row, s.Note)
			}
		}
	}
	for _, o := range res.Omitted {
		fmt.Printf("omitted %s: %s\n", strings.TrimPrefix(o.Name, awsNS+"/"), o.Reason)
	}
	// Output:
	// https://aws.amazon.com/SAML/Attributes/RoleSessionName = [bob]
	//   row 0: ExtractMailPrefix([bob_fabrikam.com#EXT#@contoso.onmicrosoft.com]) -> [bob_fabrikam.com#EXT#]
	//   row 0: matched; value from transformation ExtractMailPrefix(user.userprincipalname)
	//   row 1: ExtractMailPrefix([bob@fabrikam.com]) -> [bob]
	//   row 1: matched; value from transformation ExtractMailPrefix(user.mail)
	// omitted Role: no value: user.assignedroles is empty
	// omitted PrincipalTag:Department: no value: user.department is empty
	// omitted PrincipalTag:CostCenter: no value: user.costcenter is empty
}

// ExampleCompile_errors shows that every problem is reported at once, each
// naming the rule and what to change.
func ExampleCompile_errors() {
	_, err := claims.Compile(claims.App{Name: "aws"}, claims.Policy{Claims: []claims.Rule{
		{Name: "RoleSessionName", Namespace: awsNS, Transformations: []claims.Transformation{
			{Function: "ExtractMailPrefix", Input: "user.userprincipalname"}, {Function: "Trimm"}}},
		{Name: "PrincipalTag:Department", Namespace: awsNS, Source: "user.departmnet"},
		{Name: "role", Namespace: "http://schemas.microsoft.com/ws/2008/06/identity/claims", Source: "user.assignedroles"},
	}}, claims.CompileOptions{})
	fmt.Println(err)
	// Output:
	// claims: rule "RoleSessionName": transformation 2: unknown function "Trimm" (did you mean "Trim"?)
	// claims: rule "PrincipalTag:Department": source: unknown attribute "user.departmnet" (did you mean "user.department"?)
	// claims: rule "role": name: restricted claim name "http://schemas.microsoft.com/ws/2008/06/identity/claims/role": Entra ID reserves it; choose another name or namespace
}

// ExamplePairwiseID shows the persistent NameID a service provider gets
// when it asks for the persistent format.
func ExamplePairwiseID() {
	fmt.Println(claims.PairwiseID([]byte("secret"), "00000000-0000-0000-0000-000000000000", "aws", "aaaaaaaa-0000-0000-0000-000000000001"))
	// Output:
	// c2RkvNHv61eRj3BHRz4_RAMW5MsFXE-FjfF6xvqvFok
}
