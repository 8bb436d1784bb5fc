package aws_test

import (
	"fmt"

	"github.com/samlab/samlab/aws"
	"github.com/samlab/samlab/claims"
)

// A rule set is checked before any user logs in: a constant tag value
// with a comma fails for everyone.
func ExampleLintPolicy() {
	p := claims.Policy{
		NameID: claims.NameIDRule{Format: "persistent", Source: "user.objectid"},
		Claims: []claims.Rule{
			{Name: "Role", Namespace: aws.Namespace, Source: "user.assignedroles"},
			{Name: "RoleSessionName", Namespace: aws.Namespace, Source: "user.mailnickname"},
			{Name: "PrincipalTag:Team", Namespace: aws.Namespace, Value: "eng,core"},
		},
	}
	profile, _ := aws.ProfileByName(aws.ProfileSTS)
	for _, f := range aws.LintPolicy(p, profile) {
		fmt.Println(f.Rule, f.Severity, f.Message)
	}
	// Output:
	// AWS-TAG-004 error claim rule PrincipalTag:Team: the value "eng,core" contains ','; values allow letters, digits, spaces and _ . : / = + - @: remove or replace them (a list joined with commas can use ":" instead)
}

// Evaluated claims give the AWS view of the session.
func ExampleSessionFromClaims() {
	s := aws.SessionFromClaims(
		claims.NameID{Format: aws.NameIDPersistent, Value: "u-42"},
		[]claims.Attribute{
			{Name: aws.AttrRole, Values: []string{"arn:aws:iam::111122223333:role/Dev,arn:aws:iam::111122223333:saml-provider/samlab"}},
			{Name: aws.AttrRoleSessionName, Values: []string{"alice"}},
			{Name: aws.PrefixPrincipalTag + "Department", Values: []string{"Engineering"}},
		})
	for _, t := range s.Tags {
		fmt.Printf("aws:PrincipalTag/%s = %s\n", t.Key, t.Value)
	}
	fmt.Println(s.Roles[0].Account, s.SessionDuration, s.DefaultDuration)
	// Output:
	// aws:PrincipalTag/Department = Engineering
	// 111122223333 3600 true
}

// A SCIM payload Entra ID would send with two phone numbers.
func ExampleLintSCIM() {
	body := []byte(`{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"alice@contoso.com",
	  "displayName":"Alice","name":{"givenName":"Alice","familyName":"Smith"},
	  "phoneNumbers":[{"value":"1","type":"work"},{"value":"2","type":"mobile"}]}`)
	for _, f := range aws.LintSCIM(body, "") {
		fmt.Println(f.Rule, f.Attribute)
		fmt.Println(f.AWSError)
	}
	// Output:
	// AWS-SCIM-004 phoneNumbers
	// 400 {"schema":["urn:ietf:params:scim:api:messages:2.0:Error"],"schemas":["urn:ietf:params:scim:api:messages:2.0:Error"],"detail":"Request is unparsable, syntactically incorrect, or violates schema.","status":"400"}; CloudTrail ValidationException "Currently list attributes only allow single item"
}
