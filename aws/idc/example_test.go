package idc_test

import (
	"fmt"

	"github.com/samlab/samlab/aws"
	"github.com/samlab/samlab/aws/idc"
	"github.com/samlab/samlab/saml"
	"github.com/samlab/samlab/scim"
)

// A key configured on the Attributes for access control page replaces the
// same key sent in SAML; a key sent only in SAML is used as it comes.
func ExampleResolve() {
	user := &scim.User{UserName: "alice@contoso.com", Active: true,
		Enterprise: &scim.Enterprise{CostCenter: "CC-1001"}}
	mappings := []idc.Mapping{{Key: "costCenter", Source: "${path:enterprise.costCenter}"}}
	sent := []saml.AttributeView{
		{Name: aws.PrefixAccessControl + "CostCenter", Values: []string{"CC-9999"}},
		{Name: aws.PrefixAccessControl + "Department", Values: []string{"Engineering"}},
	}
	res := idc.Resolve(user, mappings, sent, idc.IdentityStoreWins)
	for _, a := range res.Attributes {
		fmt.Printf("%s = %s (from %s)\n", a.Key, a.Value, a.Origin)
		if a.Lost != nil {
			fmt.Printf("  replaces %s from %s\n", a.Lost.Value, a.Lost.Origin)
		}
	}
	// Output:
	// costCenter = CC-1001 (from identity store)
	//   replaces CC-9999 from SAML
	// Department = Engineering (from SAML)
}
