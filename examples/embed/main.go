// Command embed shows the claims engine used as a library: the program the
// README quotes. Run it with: go run ./examples/embed
package main

import (
	"fmt"

	"github.com/samlab/samlab/claims"
)

func main() {
	dir, err := claims.NewDirectory(claims.Tenant{ID: "00000000-0000-0000-0000-000000000001"},
		[]claims.User{{
			ID:         "alice",
			Attributes: map[string]claims.Values{"userprincipalname": {"alice@contoso.com"}, "department": {"Engineering"}},
			AppRoles:   map[string][]string{"aws": {"arn:aws:iam::111122223333:role/Dev,arn:aws:iam::111122223333:saml-provider/samlab"}},
		}}, nil)
	if err != nil {
		panic(err)
	}
	ns := "https://aws.amazon.com/SAML/Attributes"
	eng, err := claims.Compile(claims.App{Name: "aws"}, claims.Policy{
		NameID: claims.NameIDRule{Format: "persistent", Source: "user.objectid"},
		Claims: []claims.Rule{
			{Name: "Role", Namespace: ns, Source: "user.assignedroles"},
			{Name: "RoleSessionName", Namespace: ns, Transformations: []claims.Transformation{
				{Function: "ExtractMailPrefix", Input: "user.userprincipalname"}}},
			{Name: "PrincipalTag:Department", Namespace: ns, Source: "user.department"},
		},
	}, claims.CompileOptions{})
	if err != nil {
		panic(err) // every problem at once, each naming the rule and what to change
	}
	u, _ := dir.User("alice")
	res, err := eng.Evaluate(dir, u, claims.EvalOptions{Explain: true})
	if err != nil {
		panic(err)
	}
	for _, a := range res.Attributes {
		fmt.Println(a.Name, a.Values)
	}
}
