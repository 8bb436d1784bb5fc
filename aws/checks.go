package aws

import "sync"

// Check describes one check in the registry: what it looks at, how serious
// a failure is and which AWS error it prevents. Several checks may share a
// reference rule ID (a reference row can cover several sub-checks); Name
// is unique.
type Check struct {
	// Name identifies the check; findings carry it in Finding.Check.
	Name string
	// Rule is the reference rule ID (AWS-STS-*, AWS-TAG-*, AWS-IDC-*,
	// AWS-ABAC-*, AWS-SCIM-*).
	Rule     string
	Severity Severity
	// Summary says in one sentence what the check requires.
	Summary string
	// Prevents is the literal AWS error (or symptom) the check prevents,
	// "" when AWS gives none we know of.
	Prevents string
	// Profiles lists the profiles the check runs under (nil for SCIM
	// checks, which take a payload rather than a response).
	Profiles []string
	// Inputs lists what the check can run on: "policy" (a claim rule set,
	// before anyone logs in), "claims" (one user's evaluated claims),
	// "response" (a parsed SAML response) and "scim" (a SCIM payload).
	Inputs []string
}

// The literal AWS errors, kept verbatim so lint output can be matched
// against what a user sees.
const (
	errUnexpected   = `"An unexpected error has occurred" on sign-in`
	errTagsInvalid  = `"Unable to validate tags (Service: AWSSecurityTokenV20111201; Status Code: 400; Error Code: ValidationError)"`
	errNotAuthAssum = `403 AccessDenied "Not authorized to perform sts:AssumeRoleWithSAML"`
	// SCIMError400 is the body IAM Identity Center's SCIM endpoint
	// returns for a payload it refuses.
	SCIMError400 = `{"schema":["urn:ietf:params:scim:api:messages:2.0:Error"],"schemas":["urn:ietf:params:scim:api:messages:2.0:Error"],"detail":"Request is unparsable, syntactically incorrect, or violates schema.","status":"400"}`
	// SCIMListError is the CloudTrail errorMessage logged when a list
	// attribute carries more than one item.
	SCIMListError = `ValidationException "Currently list attributes only allow single item"`
)

// registry is the list of every check, in reference order. It is built by
// a function, not held in a package variable, so callers cannot change it.
func registry() []Check {
	// Fresh slices on every call: callers may not change the registry.
	onlySTS := []string{ProfileSTS}
	onlyIdC := []string{ProfileIdentityCenter}
	stsIdC := []string{ProfileSTS, ProfileIdentityCenter}
	stsGeneric := []string{ProfileSTS, ProfileGeneric}
	idcGeneric := []string{ProfileIdentityCenter, ProfileGeneric}
	allProfile := []string{ProfileSTS, ProfileIdentityCenter, ProfileGeneric}

	inResponse := []string{"response"}
	inClaims := []string{"claims", "response"}
	inAll := []string{"policy", "claims", "response"}
	inSCIM := []string{"scim"}
	return []Check{
		// §1 IAM federation / AssumeRoleWithSAML.
		{Name: "sts-recipient", Rule: "AWS-STS-001", Severity: Error, Profiles: onlySTS, Inputs: inResponse,
			Summary: "Recipient and Destination are an AWS sign-in SAML endpoint (https://signin.aws.amazon.com/saml, its regional, China or GovCloud form) and agree with each other."},
		{Name: "sts-encrypted-acs", Rule: "AWS-STS-002", Severity: Error, Profiles: onlySTS, Inputs: inResponse,
			Summary: "An encrypted assertion is posted to the provider-specific ACS https://<region>.signin.aws.amazon.com/saml/acs/<IdP-ID>."},
		{Name: "sts-subject-confirmation", Rule: "AWS-STS-003", Severity: Error, Profiles: stsIdC, Inputs: inResponse,
			Summary: "The Subject has exactly one bearer SubjectConfirmation whose data carries NotOnOrAfter and Recipient, and Recipient is the endpoint expected."},
		{Name: "sts-regional-recipient", Rule: "AWS-STS-004", Severity: Warning, Profiles: onlySTS, Inputs: inResponse,
			Summary:  "A regional Recipient becomes saml:aud; the role trust policy must list it (the console-made policy pins https://signin.aws.amazon.com/saml).",
			Prevents: errNotAuthAssum},
		{Name: "sts-audience", Rule: "AWS-STS-005", Severity: Error, Profiles: onlySTS, Inputs: inResponse,
			Summary:  "The AudienceRestriction names AWS: urn:amazon:webservices (or its China/GovCloud form) or https://signin.aws.amazon.com/saml, or the audience expected.",
			Prevents: `"Response does not contain the required audience."`},
		{Name: "sts-audience-regional", Rule: "AWS-STS-005", Severity: Warning, Profiles: onlySTS, Inputs: inResponse,
			Summary: "A regional sign-in URL as Audience is not confirmed to work; prefer urn:amazon:webservices."},
		{Name: "sts-issuer", Rule: "AWS-STS-006", Severity: Error, Profiles: stsIdC, Inputs: inResponse,
			Summary:  "The Assertion has an Issuer, the Response Issuer (if any) equals it, and it equals the entityID AWS knows the IdP by.",
			Prevents: `InvalidIdentityToken "Failed to assume role: Issuer not present in specified provider"`},
		{Name: "sts-nameid", Rule: "AWS-STS-007", Severity: Error, Profiles: stsIdC, Inputs: inClaims,
			Summary:  "The Subject has a non-empty NameID.",
			Prevents: "403 AccessDenied"},
		{Name: "sts-nameid-format", Rule: "AWS-STS-007", Severity: Error, Profiles: onlySTS, Inputs: inAll,
			Summary: "The NameID Format is one AWS accepts: persistent, transient, kerberos, entity, emailAddress, unspecified, X509SubjectName or WindowsDomainQualifiedName."},
		{Name: "sts-nameid-pii", Rule: "AWS-STS-007", Severity: Warning, Profiles: onlySTS, Inputs: inClaims,
			Summary: "The NameID is recorded in CloudTrail; an email address there is personal data (prefer a persistent opaque id)."},
		{Name: "sts-nameid-comment", Rule: "AWS-STS-007", Severity: Warning, Profiles: allProfile, Inputs: inResponse,
			Summary: "The NameID contains no XML comment: a parser that stops at a comment reads a different identity (admin@corp.com<!---->.evil.com, CVE-2017-11427)."},
		{Name: "sts-attribute-comment", Rule: "AWS-STS-008", Severity: Warning, Profiles: allProfile, Inputs: inResponse,
			Summary: "No AttributeValue contains an XML comment: a parser that stops at a comment reads a different value."},
		{Name: "sts-attribute-name-case", Rule: "AWS-STS-008", Severity: Error, Profiles: allProfile, Inputs: inAll,
			Summary: "AWS attribute names match exactly, including case (https://aws.amazon.com/SAML/Attributes/...)."},
		{Name: "sts-role-required", Rule: "AWS-STS-009", Severity: Error, Profiles: onlySTS, Inputs: inAll,
			Summary:  "The Role attribute is present with at least one value.",
			Prevents: `"Your request included an invalid SAML response. To logout, click here."`},
		{Name: "sts-role-value", Rule: "AWS-STS-009", Severity: Error, Profiles: stsGeneric, Inputs: inAll,
			Summary: "Each Role value is one role ARN and one SAML provider ARN separated by a comma, in either order, without spaces."},
		{Name: "sts-role-arn", Rule: "AWS-STS-010", Severity: Error, Profiles: stsGeneric, Inputs: inAll,
			Summary:  "Role and provider ARNs are well formed: partition aws, aws-cn or aws-us-gov; 12-digit account; role name 1-64 and path 1-512 characters; provider name 1-128 [\\w._-]; 20-2048 characters each.",
			Prevents: `ValidationError "Request ARN is invalid"`},
		{Name: "sts-role-account", Rule: "AWS-STS-010", Severity: Error, Profiles: stsGeneric, Inputs: inAll,
			Summary:  "The role and the SAML provider of each Role value are in the same account and partition.",
			Prevents: `"ValidationError: Principal exists outside the account of the Role being assumed"`},
		{Name: "sts-role-assumed", Rule: "AWS-STS-011", Severity: Error, Profiles: stsGeneric, Inputs: inResponse,
			Summary: "The role the caller will assume (Options.AssumeRole, a role ARN or role,provider pair) is one of the Role values; client tools refuse it otherwise (server-side enforcement unconfirmed)."},
		{Name: "sts-session-name-required", Rule: "AWS-STS-012", Severity: Error, Profiles: onlySTS, Inputs: inAll,
			Summary:  "The RoleSessionName attribute is present.",
			Prevents: `400 InvalidIdentityToken "RoleSessionName is required in AuthnResponse"`},
		{Name: "sts-session-name", Rule: "AWS-STS-012", Severity: Error, Profiles: stsGeneric, Inputs: inAll,
			Summary:  "RoleSessionName has one value matching [a-zA-Z_0-9+=,.@-]{2,64}.",
			Prevents: `400 InvalidIdentityToken "RoleSessionName in AuthnResponse must match [a-zA-Z_0-9+=,.@-]{2,64}"`},
		{Name: "sts-session-duration", Rule: "AWS-STS-013", Severity: Error, Profiles: stsGeneric, Inputs: inAll,
			Summary: "SessionDuration, when present, is one integer number of seconds from 900 to 43200."},
		{Name: "sts-session-duration-capped", Rule: "AWS-STS-013", Severity: Info, Profiles: stsGeneric, Inputs: inResponse,
			Summary: "The console session lasts min(SessionDuration, AuthnStatement SessionNotOnOrAfter); notes when SessionNotOnOrAfter cuts it short."},
		{Name: "sts-source-identity", Rule: "AWS-STS-015", Severity: Error, Profiles: stsGeneric, Inputs: inAll,
			Summary:  "SourceIdentity, when present, has one value matching [a-zA-Z_0-9+=,.@-]{2,64} that does not begin with aws:.",
			Prevents: `400 InvalidIdentityToken "Source Identity must match [a-zA-Z_0-9+=,.@-]{2,64} and not begin with "aws:""`},
		{Name: "sts-expired", Rule: "AWS-STS-016", Severity: Error, Profiles: allProfile, Inputs: inResponse,
			Summary: "The assertion has not expired: now is before every NotOnOrAfter (Conditions and SubjectConfirmationData). Needs Options.Now."},
		{Name: "sts-not-yet-valid", Rule: "AWS-STS-016", Severity: Error, Profiles: allProfile, Inputs: inResponse,
			Summary: "The assertion is already valid: NotBefore and IssueInstant are not in the future. Needs Options.Now."},
		{Name: "sts-redemption", Rule: "AWS-STS-016", Severity: Error, Profiles: onlySTS, Inputs: inResponse,
			Summary:  "The assertion is redeemed within 5 minutes of IssueInstant. Needs Options.Now.",
			Prevents: `400 ExpiredTokenException "Token must be redeemed within 5 minutes of issuance"`},
		{Name: "sts-redemption-note", Rule: "AWS-STS-016", Severity: Info, Profiles: onlySTS, Inputs: inResponse,
			Summary: "A NotOnOrAfter more than 5 minutes after IssueInstant is fine, but STS still refuses the assertion 5 minutes after issuance."},
		{Name: "sts-unsigned", Rule: "AWS-STS-017", Severity: Error, Profiles: onlySTS, Inputs: inResponse,
			Summary:  "The Assertion or the Response is signed.",
			Prevents: `400 InvalidIdentityToken "Response signature invalid"`},
		{Name: "sts-response-only-signed", Rule: "AWS-STS-017", Severity: Warning, Profiles: onlySTS, Inputs: inResponse,
			Summary: "The Assertion is signed (AWS metadata says WantAssertionsSigned); a signature on the Response alone is not guaranteed to be accepted."},
		{Name: "sts-response-fields-unsigned", Rule: "AWS-STS-017", Severity: Warning, Profiles: allProfile, Inputs: inResponse,
			Summary: "A foreign Response (Options.Foreign) signed only on its Assertion: its Destination, InResponseTo and Status are outside every signature, so a receiver must not trust them (take Recipient and InResponseTo from the signed assertion, or sign the Response too)."},
		{Name: "sts-sha1", Rule: "AWS-STS-017", Severity: Warning, Profiles: onlySTS, Inputs: inResponse,
			Summary: "Signatures use RSA-SHA256 with a SHA-256 digest; SHA-1 is historically accepted but weak."},
		{Name: "sts-decrypt-failed", Rule: "AWS-STS-019", Severity: Error, Profiles: allProfile, Inputs: inResponse,
			Summary: "With the SP's decryption key given, the EncryptedAssertion decrypts: the IdP encrypted to the certificate of that key."},
		{Name: "sts-encryption-required", Rule: "AWS-STS-019", Severity: Error, Profiles: onlySTS, Inputs: inResponse,
			Summary: "When the IAM SAML provider requires encrypted assertions (Options.RequireEncryption), the assertion is encrypted."},
		{Name: "sts-encrypted-undecrypted", Rule: "AWS-STS-019", Severity: Info, Profiles: allProfile, Inputs: inResponse,
			Summary: "The assertion is encrypted and was not decrypted, so its content was not linted (give the decryption key)."},
		{Name: "sts-size", Rule: "AWS-STS-020", Severity: Error, Profiles: onlySTS, Inputs: inResponse,
			Summary:  "The base64 Response is at most 100,000 characters (the SAMLAssertion parameter limit).",
			Prevents: "ValidationError (SAMLAssertion length constraint)"},
		{Name: "sts-size-old-sdk", Rule: "AWS-STS-020", Severity: Warning, Profiles: onlySTS, Inputs: inResponse,
			Summary:  "The base64 Response is at most 50,000 characters, the limit of older AWS SDKs and CLI tools.",
			Prevents: "ValidationError (SAMLAssertion length constraint, older SDKs)"},
		{Name: "sts-status", Rule: "AWS-STS-021", Severity: Error, Profiles: allProfile, Inputs: inResponse,
			Summary: "The Status is urn:oasis:names:tc:SAML:2.0:status:Success and the Response carries an assertion."},
		{Name: "sts-assertion-count", Rule: "AWS-STS-021", Severity: Warning, Profiles: onlySTS, Inputs: inResponse,
			Summary: "The Response carries one Assertion (behaviour with several is unconfirmed)."},

		// §2 Session tags.
		{Name: "tag-namespace", Rule: "AWS-TAG-001", Severity: Warning, Profiles: allProfile, Inputs: inAll,
			Summary: "A PrincipalTag:<Key> attribute is named in the https://aws.amazon.com/SAML/Attributes namespace; otherwise AWS ignores it."},
		{Name: "tag-name-separator", Rule: "AWS-TAG-001", Severity: Warning, Profiles: allProfile, Inputs: inAll,
			Summary: "A session tag attribute is named PrincipalTag:<Key> with a colon; https://aws.amazon.com/SAML/Attributes/PrincipalTag/<Key> (a slash) is silently ignored by AWS."},
		{Name: "tag-single-value", Rule: "AWS-TAG-002", Severity: Error, Profiles: stsGeneric, Inputs: inAll,
			Summary: "Each PrincipalTag attribute has exactly one value (session tags are single-valued)."},
		{Name: "tag-count", Rule: "AWS-TAG-003", Severity: Error, Profiles: stsGeneric, Inputs: inAll,
			Summary:  "At most 50 session tags.",
			Prevents: "ValidationError (more than 50 session tags)"},
		{Name: "tag-key", Rule: "AWS-TAG-004", Severity: Error, Profiles: stsGeneric, Inputs: inAll,
			Summary:  "Tag keys are 1-128 characters of letters, digits, spaces and _ . : / = + - @.",
			Prevents: errTagsInvalid},
		{Name: "tag-value", Rule: "AWS-TAG-004", Severity: Error, Profiles: stsGeneric, Inputs: inAll,
			Summary:  "Tag values are 0-256 characters of letters, digits, spaces and _ . : / = + - @ (no commas).",
			Prevents: errTagsInvalid},
		{Name: "tag-aws-prefix", Rule: "AWS-TAG-005", Severity: Error, Profiles: stsGeneric, Inputs: inAll,
			Summary:  "Tag keys and values do not begin with the reserved prefix aws:.",
			Prevents: errTagsInvalid},
		{Name: "tag-duplicate-key", Rule: "AWS-TAG-006", Severity: Error, Profiles: stsGeneric, Inputs: inAll,
			Summary: "No two PrincipalTag keys are equal ignoring case (keys are case-insensitive)."},
		{Name: "tag-transitive-count", Rule: "AWS-TAG-007", Severity: Error, Profiles: stsGeneric, Inputs: inAll,
			Summary: "TransitiveTagKeys lists at most 50 keys."},
		{Name: "tag-transitive-unknown", Rule: "AWS-TAG-007", Severity: Warning, Profiles: stsGeneric, Inputs: inAll,
			Summary: "Every TransitiveTagKeys value names a PrincipalTag in the same assertion."},
		{Name: "tag-packed-size", Rule: "AWS-TAG-008", Severity: Warning, Profiles: stsGeneric, Inputs: inClaims,
			Summary:  "Tag keys and values total at most 9,600 characters (half of 50 x (128+256)); the packed form has its own limit.",
			Prevents: "400 PackedPolicyTooLarge"},

		// §3 IAM Identity Center as SP.
		{Name: "idc-acs", Rule: "AWS-IDC-001", Severity: Error, Profiles: onlyIdC, Inputs: inResponse,
			Summary:  "Destination and Recipient are the instance's ACS URL (https://<region>.signin.aws.amazon.com/platform/saml/acs/<id> or https://<region>.sso.signin.aws/platform/saml/acs/<id>), exactly the one expected.",
			Prevents: errUnexpected},
		{Name: "idc-audience", Rule: "AWS-IDC-002", Severity: Error, Profiles: onlyIdC, Inputs: inResponse,
			Summary:  "The Audience is the Identity Center issuer URL https://<region>.signin.aws.amazon.com/platform/saml/d-<10 hex>, exactly the one expected.",
			Prevents: errUnexpected},
		{Name: "idc-nameid-format", Rule: "AWS-IDC-003", Severity: Error, Profiles: onlyIdC, Inputs: inAll,
			Summary:  "The NameID Format is urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress.",
			Prevents: `CloudTrail ExternalIdPDirectoryLogin "Response contains invalid name id policy format"`},
		{Name: "idc-nameid-value", Rule: "AWS-IDC-004", Severity: Error, Profiles: onlyIdC, Inputs: inClaims,
			Summary:  "The NameID is an RFC 2822 addr-spec (local@domain), equal to the user's Identity Center userName.",
			Prevents: errUnexpected},
		{Name: "idc-assertion", Rule: "AWS-IDC-006", Severity: Error, Profiles: onlyIdC, Inputs: inResponse,
			Summary:  "The Response carries exactly one Assertion, not encrypted.",
			Prevents: errUnexpected},
		{Name: "idc-unsigned", Rule: "AWS-IDC-007", Severity: Error, Profiles: onlyIdC, Inputs: inResponse,
			Summary:  "The Response or the Assertion is signed.",
			Prevents: errUnexpected},
		{Name: "idc-sha1", Rule: "AWS-IDC-007", Severity: Warning, Profiles: onlyIdC, Inputs: inResponse,
			Summary: "Signatures use RSA-SHA256 with a SHA-256 digest, not SHA-1."},
		{Name: "idc-in-response-to", Rule: "AWS-IDC-009", Severity: Error, Profiles: allProfile, Inputs: inResponse,
			Summary: "The response answers the AuthnRequest the SP sent (Options.ExpectInResponseTo): InResponseTo on the Response and on every bearer SubjectConfirmationData equals its ID."},
		{Name: "idc-iam-attributes", Rule: "AWS-IDC-010", Severity: Warning, Profiles: onlyIdC, Inputs: inAll,
			Summary: "No Role or RoleSessionName attribute: they belong to IAM federation and Identity Center does not use them."},

		// §4 ABAC for Identity Center.
		{Name: "abac-namespace", Rule: "AWS-ABAC-001", Severity: Warning, Profiles: allProfile, Inputs: inAll,
			Summary: "An AccessControl:<Key> attribute is named in the https://aws.amazon.com/SAML/Attributes namespace; otherwise it is not an ABAC attribute."},
		{Name: "abac-name-separator", Rule: "AWS-ABAC-001", Severity: Warning, Profiles: allProfile, Inputs: inAll,
			Summary: "An ABAC attribute is named AccessControl:<Key> with a colon; https://aws.amazon.com/SAML/Attributes/AccessControl/<Key> (a slash) is silently ignored by IAM Identity Center."},
		{Name: "abac-configured-key", Rule: "AWS-ABAC-007", Severity: Warning, Profiles: onlyIdC, Inputs: inResponse,
			Summary: "No AccessControl:<Key> sent in SAML is also configured on Identity Center's Attributes for access control page (Options.IdCAccessControlKeys, keys compared ignoring case): the configured value replaces the SAML one."},
		{Name: "abac-count", Rule: "AWS-ABAC-003", Severity: Error, Profiles: onlyIdC, Inputs: inAll,
			Summary:  "The assertion carries at most 50 attributes.",
			Prevents: errUnexpected},
		{Name: "abac-multi-value", Rule: "AWS-ABAC-004", Severity: Error, Profiles: onlyIdC, Inputs: inAll,
			Summary:  "No attribute in the assertion has more than one value.",
			Prevents: errUnexpected},
		{Name: "abac-duplicate-name", Rule: "AWS-ABAC-004", Severity: Error, Profiles: onlyIdC, Inputs: inAll,
			Summary:  "No two Attribute elements have the same Name.",
			Prevents: errUnexpected},
		{Name: "abac-structured-value", Rule: "AWS-ABAC-004", Severity: Error, Profiles: onlyIdC, Inputs: inResponse,
			Summary:  "No AttributeValue holds structured XML (child elements) instead of text.",
			Prevents: errUnexpected},
		{Name: "abac-name-format", Rule: "AWS-ABAC-005", Severity: Error, Profiles: onlyIdC, Inputs: inAll,
			Summary:  "Attribute NameFormat is absent or a SAML-defined URI (attrname-format basic, uri or unspecified).",
			Prevents: errUnexpected},
		{Name: "abac-tag-rules", Rule: "AWS-ABAC-006", Severity: Error, Profiles: idcGeneric, Inputs: inAll,
			Summary: "AccessControl keys and values follow session-tag rules: key 1-128 and value 0-256 characters of letters, digits, spaces and _ . : / = + - @, no aws: prefix, keys unique ignoring case."},

		// §5 SCIM payloads.
		{Name: "scim-json", Rule: "AWS-SCIM-013", Severity: Error, Inputs: inSCIM,
			Summary: "The body is one JSON object.", Prevents: "400 " + SCIMError400},
		{Name: "scim-required", Rule: "AWS-SCIM-003", Severity: Error, Inputs: inSCIM,
			Summary: "A User has non-empty userName, name.givenName, name.familyName and displayName, and names its schema.", Prevents: "400 " + SCIMError400},
		{Name: "scim-single-item", Rule: "AWS-SCIM-004", Severity: Error, Inputs: inSCIM,
			Summary: "emails, addresses, phoneNumbers and roles carry at most one item.", Prevents: "400 " + SCIMError400 + "; CloudTrail " + SCIMListError},
		{Name: "scim-primary-email", Rule: "AWS-SCIM-005", Severity: Error, Inputs: inSCIM,
			Summary: "The one emails item has \"primary\": true.", Prevents: "400 " + SCIMError400},
		{Name: "scim-rejected-attribute", Rule: "AWS-SCIM-006", Severity: Error, Inputs: inSCIM,
			Summary: "No password, ims, photos, entitlements, x509Certificates, groups, display sub-attribute, manager.displayName or meta.version.", Prevents: "400 " + SCIMError400},
		{Name: "scim-unsupported-attribute", Rule: "AWS-SCIM-007", Severity: Error, Inputs: inSCIM,
			Summary:  "Every attribute is one Identity Center stores (core User attributes and the enterprise extension's employeeNumber, costCenter, organization, division, department, manager.value); others violate its schema.",
			Prevents: "400 " + SCIMError400},
		{Name: "scim-attribute-type", Rule: "AWS-SCIM-007", Severity: Error, Inputs: inSCIM,
			Summary: "Single-valued attributes are strings (active a boolean), name and manager objects, list attributes arrays of objects.", Prevents: "400 " + SCIMError400},
		{Name: "scim-field-limits", Rule: "AWS-SCIM-008", Severity: Error, Inputs: inSCIM,
			Summary: "userName is 1-128 characters without whitespace; other strings 1-1024; externalId 1-256.", Prevents: "400 " + SCIMError400},
		{Name: "scim-group", Rule: "AWS-SCIM-012", Severity: Error, Inputs: inSCIM,
			Summary: "A Group has a displayName and at most 100 members per request.", Prevents: "400 " + SCIMError400},
	}
}

// Checks returns every check, in reference order. The README table, the
// docs and the tests are generated from it.
func Checks() []Check { return registry() }

// checkIndex maps a check name to its registry entry. It is built once
// and only read afterwards; callers must not modify it.
var checkIndex = sync.OnceValue(func() map[string]Check {
	m := map[string]Check{}
	for _, c := range registry() {
		m[c.Name] = c
	}
	return m
})
