package azurepolicy_test

import (
	"fmt"
	"os"

	"github.com/samlab/samlab/azurepolicy"
)

// A policy as Microsoft Graph returns it: the definition is a JSON string
// inside an array.
func Example() {
	graph := []byte(`{
	  "displayName": "AWS session name",
	  "definition": ["{\"ClaimsMappingPolicy\":{\"Version\":1,\"IncludeBasicClaimSet\":\"false\",\"ClaimsSchema\":[{\"Source\":\"user\",\"ID\":\"mail\"},{\"Source\":\"transformation\",\"ID\":\"prefix\",\"TransformationId\":\"t1\",\"SamlClaimType\":\"https://aws.amazon.com/SAML/Attributes/RoleSessionName\"},{\"Source\":\"application\",\"ID\":\"displayname\",\"SamlClaimType\":\"https://example.com/app\"}],\"ClaimsTransformations\":[{\"ID\":\"t1\",\"TransformationMethod\":\"ExtractMailPrefix\",\"InputClaims\":[{\"ClaimTypeReferenceId\":\"mail\",\"TransformationClaimType\":\"mail\"}],\"OutputClaims\":[{\"ClaimTypeReferenceId\":\"prefix\",\"TransformationClaimType\":\"outputClaim\"}]}]}}"]
	}`)
	res, err := azurepolicy.Convert(graph)
	if err != nil {
		fmt.Println(err)
		return
	}
	if err := azurepolicy.EncodeTOML(os.Stdout, res, "aws"); err != nil {
		fmt.Println(err)
	}
	// Output:
	// # Claim rules imported by samlab from an Entra ID Claims Mapping Policy (AWS session name).
	// # Paste into a samlab configuration file and fill in entity_id and acs_urls.
	// # warning: ClaimsSchema[2] (SamlClaimType "https://example.com/app"): not carried over: source "application" (ID "displayname") is not available in samlab, which has no service principal or tenant object to read it from
	// [[apps]]
	// name = "aws"
	// # entity_id = ""   # the service provider's entity id (Azure "Identifier")
	// # acs_urls = [""]  # its Assertion Consumer Service URLs (Azure "Reply URLs")
	// default_claims = true
	//
	// [[apps.claims]]
	// name = "RoleSessionName"
	// namespace = "https://aws.amazon.com/SAML/Attributes"
	// transformations = [
	//   { function = "ExtractMailPrefix", input = "user.mail" },
	// ]
}

// Input that is not JSON fails with its position.
func ExampleConvert_syntaxError() {
	_, err := azurepolicy.Convert([]byte("{\"ClaimsMappingPolicy\": {\n  \"Version\": 1\n  \"ClaimsSchema\": []\n}}"))
	fmt.Println(err)
	// Output:
	// azurepolicy: invalid JSON at line 3, column 3 (offset 43): invalid character '"' after object key:value pair
}
