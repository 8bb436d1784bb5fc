package claims

import (
	"slices"
	"sort"
	"strings"

	"github.com/samlab/samlab/internal/suggest"
)

// Claim names (SAML attribute names) Entra ID emits itself.
const (
	ClaimGroups           = "http://schemas.microsoft.com/ws/2008/06/identity/claims/groups"
	ClaimRole             = "http://schemas.microsoft.com/ws/2008/06/identity/claims/role"
	ClaimWids             = "http://schemas.microsoft.com/ws/2008/06/identity/claims/wids"
	ClaimGroupsLink       = "http://schemas.microsoft.com/claims/groups.link"
	ClaimTenantID         = "http://schemas.microsoft.com/identity/claims/tenantid"
	ClaimObjectID         = "http://schemas.microsoft.com/identity/claims/objectidentifier"
	ClaimDisplayName      = "http://schemas.microsoft.com/identity/claims/displayname"
	ClaimIdentityProvider = "http://schemas.microsoft.com/identity/claims/identityprovider"
	ClaimAuthnMethods     = "http://schemas.microsoft.com/claims/authnmethodsreferences"
	// AuthnMethodPassword is the authnmethodsreferences value of a password sign-in.
	AuthnMethodPassword = "http://schemas.microsoft.com/ws/2008/06/identity/authenticationmethod/password"
)

// SAML attribute NameFormat URNs (Rule.NameFormat short names unspecified,
// uri and basic map to them).
const (
	AttrNameFormatUnspecified = "urn:oasis:names:tc:SAML:2.0:attrname-format:unspecified"
	AttrNameFormatURI         = "urn:oasis:names:tc:SAML:2.0:attrname-format:uri"
	AttrNameFormatBasic       = "urn:oasis:names:tc:SAML:2.0:attrname-format:basic"
)

// NameID format URNs Entra ID issues.
const (
	NameIDEmail       = "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress"
	NameIDPersistent  = "urn:oasis:names:tc:SAML:2.0:nameid-format:persistent"
	NameIDUnspecified = "urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified"
	NameIDTransient   = "urn:oasis:names:tc:SAML:2.0:nameid-format:transient"
	NameIDWindows     = "urn:oasis:names:tc:SAML:1.1:nameid-format:WindowsDomainQualifiedName"
)

// restrictedClaims and signingKeyClaims are the SAML claim types Entra ID
// refuses as custom claim names ("This claim type is restricted"):
// Microsoft's "SAML restricted claim set" (Claims mapping policy type
// reference), plus nameidentifier, which samlab reserves because it is the
// NameID's claim type (configure the NameID instead). restrictedClaims are
// always refused; compared case-insensitively against the emitted name.
var restrictedClaims = []string{
	"http://schemas.microsoft.com/2012/01/devicecontext/claims/ismanaged",
	"http://schemas.microsoft.com/2014/02/devicecontext/claims/isknown",
	"http://schemas.microsoft.com/2014/03/psso",
	"http://schemas.microsoft.com/2014/09/devicecontext/claims/iscompliant",
	ClaimAuthnMethods,
	ClaimGroupsLink,
	"http://schemas.microsoft.com/identity/claims/accesstoken",
	"http://schemas.microsoft.com/identity/claims/acct",
	"http://schemas.microsoft.com/identity/claims/agegroup",
	"http://schemas.microsoft.com/identity/claims/aio",
	ClaimIdentityProvider,
	ClaimObjectID,
	"http://schemas.microsoft.com/identity/claims/openid2_id",
	"http://schemas.microsoft.com/identity/claims/puid",
	"http://schemas.microsoft.com/identity/claims/scope",
	ClaimTenantID,
	"http://schemas.microsoft.com/identity/claims/xms_et",
	"http://schemas.microsoft.com/ws/2008/06/identity/claims/authenticationinstant",
	"http://schemas.microsoft.com/ws/2008/06/identity/claims/authenticationmethod",
	"http://schemas.microsoft.com/ws/2008/06/identity/claims/confirmationkey",
	"http://schemas.microsoft.com/ws/2008/06/identity/claims/denyonlyprimarygroupsid",
	"http://schemas.microsoft.com/ws/2008/06/identity/claims/denyonlyprimarysid",
	"http://schemas.microsoft.com/ws/2008/06/identity/claims/denyonlywindowsdevicegroup",
	"http://schemas.microsoft.com/ws/2008/06/identity/claims/expiration",
	"http://schemas.microsoft.com/ws/2008/06/identity/claims/expired",
	ClaimGroups,
	"http://schemas.microsoft.com/ws/2008/06/identity/claims/groupsid",
	"http://schemas.microsoft.com/ws/2008/06/identity/claims/ispersistent",
	"http://schemas.microsoft.com/ws/2008/06/identity/claims/samlissuername",
	ClaimWids,
	"http://schemas.microsoft.com/ws/2008/06/identity/claims/windowsdeviceclaim",
	"http://schemas.microsoft.com/ws/2008/06/identity/claims/windowsdevicegroup",
	"http://schemas.microsoft.com/ws/2008/06/identity/claims/windowsfqbnversion",
	"http://schemas.microsoft.com/ws/2008/06/identity/claims/windowssubauthority",
	"http://schemas.microsoft.com/ws/2008/06/identity/claims/windowsuserclaim",
	"http://schemas.xmlsoap.org/ws/2005/05/identity/claims/authentication",
	"http://schemas.xmlsoap.org/ws/2005/05/identity/claims/authorizationdecision",
	"http://schemas.xmlsoap.org/ws/2005/05/identity/claims/denyonlysid",
	"http://schemas.xmlsoap.org/ws/2005/05/identity/claims/privatepersonalidentifier",
	"http://schemas.xmlsoap.org/ws/2005/05/identity/claims/spn",
	"http://schemas.xmlsoap.org/ws/2009/09/identity/claims/actor",
	// samlab's own: the NameID's claim type.
	"http://schemas.xmlsoap.org/ws/2005/05/identity/claims/nameidentifier",
}

// signingKeyClaims are restricted unless the app has a custom signing key
// (CompileOptions.CustomSigningKey): Microsoft lists upn and role, and the
// five Windows identity claims, as restricted only by default.
var signingKeyClaims = []string{
	"http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn",
	ClaimRole,
	"http://schemas.microsoft.com/ws/2008/06/identity/claims/windowsaccountname",
	"http://schemas.microsoft.com/ws/2008/06/identity/claims/primarysid",
	"http://schemas.microsoft.com/ws/2008/06/identity/claims/primarygroupsid",
	"http://schemas.xmlsoap.org/ws/2005/05/identity/claims/sid",
	"http://schemas.xmlsoap.org/ws/2005/05/identity/claims/x500distinguishedname",
}

func isRestricted(name string, customKey bool) bool {
	in := func(list []string) bool {
		return slices.ContainsFunc(list, func(r string) bool { return strings.EqualFold(name, r) })
	}
	return in(restrictedClaims) || !customKey && in(signingKeyClaims)
}

// userAttributes is the catalogue of Entra user.* attribute ids (lower
// case) that sources may name.
var userAttributes = map[string]bool{}

// IsUserAttribute reports whether id (any case) is one of Entra ID's user.*
// attribute ids, such as "department" or "extensionattribute3": the
// attributes a source may name without declaring them as extensions.
func IsUserAttribute(id string) bool {
	return userAttributes[strings.ToLower(id)]
}

// builtinMultiValued are Entra's multi-valued user attributes that emit
// only their first stored value when used directly as a claim source.
var builtinMultiValued = map[string]bool{"othermail": true, "proxyaddresses": true, "tags": true}

func init() {
	for _, a := range strings.Fields(`surname givenname displayname objectid mail userprincipalname
		department onpremisessamaccountname netbiosname dnsdomainname onpremisesecurityidentifier
		companyname streetaddress postalcode preferredlanguage onpremisesuserprincipalname
		mailnickname othermail country city state jobtitle employeeid facsimiletelephonenumber
		assignedroles accountenabled consentprovidedforminor createddatetime creationtype
		lastpasswordchangedatetime mobilephone officelocation onpremisesdomainname
		onpremisesimmutableid onpremisessyncenabled preferreddatalocation proxyaddresses usertype
		telephonenumber tags`) {
		userAttributes[a] = true
	}
	for i := 1; i <= 15; i++ {
		userAttributes["extensionattribute"+itoa(i)] = true
	}
}

func itoa(i int) string {
	if i < 10 {
		return string(rune('0' + i))
	}
	return itoa(i/10) + string(rune('0'+i%10))
}

// attrNameFormats maps the short names accepted in NameFormat.
var attrNameFormats = map[string]string{
	"unspecified": AttrNameFormatUnspecified,
	"uri":         AttrNameFormatURI,
	"basic":       AttrNameFormatBasic,
}

// resolveNameFormat turns a configured NameFormat into its URN.
func resolveNameFormat(s string) (string, bool) {
	if s == "" {
		return "", true
	}
	if u, ok := attrNameFormats[strings.ToLower(s)]; ok {
		return u, true
	}
	if strings.HasPrefix(s, "urn:") && checkXMLName(s) == nil {
		return s, true
	}
	return "", false
}

// nameIDFormats maps the configured short names to URNs; "default" maps to
// "" (decided from the source at compile time).
var nameIDFormats = map[string]string{
	"":                              "",
	"default":                       "",
	"email":                         NameIDEmail,
	"emailaddress":                  NameIDEmail,
	"persistent":                    NameIDPersistent,
	"unspecified":                   NameIDUnspecified,
	"transient":                     NameIDTransient,
	"windows_domain_qualified_name": NameIDWindows,
	"windowsdomainqualifiedname":    NameIDWindows,
}

// knownNameIDURNs are the formats Entra ID issues; a requested format must
// be one of them.
var knownNameIDURNs = []string{NameIDEmail, NameIDPersistent, NameIDUnspecified, NameIDTransient, NameIDWindows}

func isKnownNameIDURN(s string) bool {
	for _, k := range knownNameIDURNs {
		if s == k {
			return true
		}
	}
	return false
}

func didYouMean(s string, candidates []string) string {
	if c := suggest.Closest(s, candidates); c != "" {
		return " (did you mean \"" + c + "\"?)"
	}
	return ""
}

func sortedKeys[M ~map[string]V, V any](m M) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
