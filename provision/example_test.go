package provision_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"strings"

	"github.com/samlab/samlab/claims"
	"github.com/samlab/samlab/provision"
	"github.com/samlab/samlab/scim"
	"github.com/samlab/samlab/scim/memstore"
)

// One cycle of the IdC gallery app's default mappings against samlab's
// own SCIM server: bob, with a work phone and a mobile, is refused as IAM
// Identity Center refuses him.
func Example() {
	srv := httptest.NewServer(scim.NewServer(memstore.New(), scim.Options{Tokens: &scim.StoreTokens{Static: []string{"example-token"}}}))
	defer srv.Close()

	user := func(id, given, sur string, phones ...string) claims.User {
		u := claims.User{ID: id, Attributes: map[string]claims.Values{
			"userprincipalname": {id + "@contoso.com"}, "mail": {id + "@contoso.com"},
			"givenname": {given}, "surname": {sur}, "displayname": {given + " " + sur},
		}}
		if len(phones) == 2 {
			u.Attributes["telephonenumber"], u.Attributes["mobile"] = claims.Values{phones[0]}, claims.Values{phones[1]}
		}
		return u
	}
	tenant := &provision.Tenant{Users: []claims.User{
		user("alice", "Alice", "Anderson"),
		user("bob", "Bob", "Brown", "+1 425 555 0100", "+1 425 555 0199"),
	}}
	job, err := provision.NewJob(provision.Settings{App: "aws-identity-center", Scope: provision.ScopeAll})
	if err != nil {
		panic(err)
	}
	client := &provision.Client{BaseURL: srv.URL, Token: "example-token"}
	res, err := job.Run(context.Background(), client, tenant, provision.NewState(srv.URL), provision.RunOptions{})
	if err != nil {
		panic(err)
	}
	for _, ev := range res.Events {
		fmt.Println(strings.TrimSpace(fmt.Sprint(ev.Status, " ", ev.Action, " ", ev.ID, " ", ev.Reason)))
	}
	fmt.Printf("created %d, failed %d\n", res.Counts.Created, res.Counts.Failed)
	// Output:
	// Success Create alice
	// Failure Create bob 400 Currently list attributes only allow single item
	// created 1, failed 1
}
