package azurepolicy

import "strings"

// Claim types and formats the converter treats specially.
const (
	claimNameIdentifier = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/nameidentifier"
	xmlsoapClaims       = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims"
)

// basicClaimSet is what IncludeBasicClaimSet adds to a SAML token, taken to
// be the claims of a new Entra application's default "Attributes & Claims"
// (reference §7.1): each is added unless the policy's ClaimsSchema emits
// the same claim type itself.
var basicClaimSet = []struct{ name, source string }{
	{"emailaddress", "user.mail"},
	{"givenname", "user.givenname"},
	{"name", "user.userprincipalname"},
	{"surname", "user.surname"},
}

// nameFormats maps SAMLNameForm URNs to samlab's short names.
var nameFormats = map[string]string{
	"urn:oasis:names:tc:saml:2.0:attrname-format:unspecified": "unspecified",
	"urn:oasis:names:tc:saml:2.0:attrname-format:uri":         "uri",
	"urn:oasis:names:tc:saml:2.0:attrname-format:basic":       "basic",
}

// nameIDFormats maps samlNameIdFormat URNs to samlab's short names.
var nameIDFormats = map[string]string{
	"urn:oasis:names:tc:saml:1.1:nameid-format:emailaddress":               "email",
	"urn:oasis:names:tc:saml:2.0:nameid-format:persistent":                 "persistent",
	"urn:oasis:names:tc:saml:1.1:nameid-format:unspecified":                "unspecified",
	"urn:oasis:names:tc:saml:2.0:nameid-format:transient":                  "transient",
	"urn:oasis:names:tc:saml:1.1:nameid-format:windowsdomainqualifiedname": "windows_domain_qualified_name",
}

// userSource is the samlab source of policy Source "user" + ID. Entra ids
// are lower case; directory extension names keep their case because Entra
// reads them case-sensitively.
func userSource(id string) string {
	id = strings.TrimSpace(id)
	if strings.HasPrefix(strings.ToLower(id), "extension_") {
		return "user." + id
	}
	return "user." + strings.ToLower(id)
}

// splitClaimType splits a SAML claim type at its last "/" into namespace
// and name, as the portal shows it. A type with no "/" (a URN, a bare
// name), ending in "/" or with no path ("https://host") is all name.
func splitClaimType(t string) (namespace, name string) {
	i := strings.LastIndex(t, "/")
	if i <= 0 || i == len(t)-1 || t[i-1] == '/' {
		return "", t
	}
	return t[:i], t[i+1:]
}

// extensionName returns the name of a directory extension attribute id:
// <name> for extension_<app id>_<name>, the whole id when the app id part
// is not 32 hex digits.
func extensionName(id string) (string, bool) {
	if !strings.HasPrefix(strings.ToLower(id), "extension_") {
		return "", false
	}
	rest := id[len("extension_"):]
	if i := strings.IndexByte(rest, '_'); i == 32 && i+1 < len(rest) {
		return rest[i+1:], true
	}
	return id, true
}
