package aws

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/samlab/samlab/claims"
	"github.com/samlab/samlab/saml"
)

// checkCase breaks (fail) and keeps (pass) one check's rule.
type checkCase struct {
	name string
	// attr is the Finding.Attribute the failing input must produce.
	attr string
	fail func() []Finding
	// also lists other checks the failing input may trigger as well.
	also []string
	// pass must produce no finding with the check's rule ID.
	pass func() []Finding
}

// casesByCheck holds at least one case per registered check; TestCoverage
// fails when a check in Checks() has none.
var casesByCheck = map[string][]checkCase{
	"sts-recipient": {
		{name: "not an AWS endpoint", attr: "Recipient",
			fail: viewCase(ProfileSTS, func(v *saml.View) { setRecipient(v, "https://sp.example/acs") }),
			pass: viewCase(ProfileSTS, func(v *saml.View) { setRecipient(v, "https://signin.amazonaws-us-gov.com/saml") })},
		{name: "Destination differs from Recipient", attr: "Destination",
			fail: viewCase(ProfileSTS, func(v *saml.View) { v.Destination = "https://signin.amazonaws.cn/saml" }),
			pass: viewCase(ProfileSTS, func(v *saml.View) { v.Destination = "" })},
		{name: "Identity Center ACS under aws-sts", attr: "Recipient",
			fail: viewCase(ProfileSTS, func(v *saml.View) { setRecipient(v, idcACS) }),
			pass: viewCase(ProfileSTS, func(v *saml.View) { setRecipient(v, "https://signin.aws.amazon.com/static/saml") })},
	},
	"sts-encrypted-acs": {
		{name: "encrypted to the global endpoint", attr: "Destination",
			fail: viewCase(ProfileSTS, func(v *saml.View) { v.Encrypted, v.Decrypted = true, true }),
			also: []string{},
			pass: viewCase(ProfileSTS, func(v *saml.View) {
				v.Encrypted, v.Decrypted = true, true
				setRecipient(v, "https://us-east-1.signin.aws.amazon.com/saml/acs/SAMLSP4SHN3UIS2D558H46")
			})},
	},
	"sts-subject-confirmation": {
		{name: "none", attr: "SubjectConfirmation",
			fail: viewCase(ProfileSTS, func(v *saml.View) { v.Assertion.SubjectConfirmations = nil }),
			pass: viewOptsCase(ProfileSTS, nil, func(o *Options) { o.ExpectRecipient = signInURL })},
		{name: "two", attr: "SubjectConfirmation",
			fail: viewCase(ProfileSTS, func(v *saml.View) {
				a := v.Assertion
				a.SubjectConfirmations = append(a.SubjectConfirmations, a.SubjectConfirmations[0])
			}),
			pass: viewCase(ProfileSTS, nil)},
		{name: "holder-of-key", attr: "SubjectConfirmation",
			fail: viewCase(ProfileSTS, func(v *saml.View) {
				v.Assertion.SubjectConfirmations[0].Method = "urn:oasis:names:tc:SAML:2.0:cm:holder-of-key"
			}),
			pass: viewCase(ProfileSTS, nil)},
		{name: "no NotOnOrAfter", attr: "SubjectConfirmationData",
			fail: viewCase(ProfileSTS, func(v *saml.View) { v.Assertion.SubjectConfirmations[0].NotOnOrAfter = time.Time{} }),
			pass: viewCase(ProfileSTS, nil)},
		{name: "no Recipient", attr: "SubjectConfirmationData",
			fail: viewCase(ProfileSTS, func(v *saml.View) { v.Assertion.SubjectConfirmations[0].Recipient = "" }),
			pass: viewCase(ProfileSTS, nil)},
		{name: "Recipient not the expected endpoint", attr: "SubjectConfirmationData",
			fail: viewOptsCase(ProfileSTS, nil, func(o *Options) { o.ExpectRecipient = "https://us-east-1.signin.aws.amazon.com/saml" }),
			also: []string{"sts-recipient"},
			pass: viewOptsCase(ProfileSTS, nil, func(o *Options) { o.ExpectRecipient = signInURL })},
		{name: "Identity Center: none", attr: "SubjectConfirmation",
			fail: viewCase(ProfileIdentityCenter, func(v *saml.View) { v.Assertion.SubjectConfirmations = nil }),
			pass: viewCase(ProfileIdentityCenter, nil)},
	},
	"sts-regional-recipient": {
		{name: "regional", attr: "SubjectConfirmationData",
			fail: viewCase(ProfileSTS, func(v *saml.View) { setRecipient(v, "https://eu-central-1.signin.aws.amazon.com/saml") }),
			pass: viewCase(ProfileSTS, nil)},
	},
	"sts-audience": {
		{name: "foreign audience", attr: "Conditions/AudienceRestriction",
			fail: viewCase(ProfileSTS, func(v *saml.View) { v.Assertion.Audiences = []string{"https://sp.example/"} }),
			pass: viewCase(ProfileSTS, func(v *saml.View) { v.Assertion.Audiences = []string{signInURL} })},
		{name: "no audience", attr: "Conditions/AudienceRestriction",
			fail: viewCase(ProfileSTS, func(v *saml.View) { v.Assertion.Audiences = nil }),
			pass: viewCase(ProfileSTS, func(v *saml.View) { v.Assertion.Audiences = []string{"urn:amazon:webservices:govcloud"} })},
		{name: "not the expected audience", attr: "Conditions/AudienceRestriction",
			fail: viewOptsCase(ProfileSTS, nil, func(o *Options) { o.ExpectAudience = "urn:amazon:webservices:cn-north-1" }),
			pass: viewOptsCase(ProfileSTS, nil, func(o *Options) { o.ExpectAudience = "urn:amazon:webservices" })},
	},
	"sts-audience-regional": {
		{name: "regional sign-in URL", attr: "Conditions/AudienceRestriction",
			fail: viewCase(ProfileSTS, func(v *saml.View) {
				v.Assertion.Audiences = []string{"https://eu-west-1.signin.aws.amazon.com/saml"}
			}),
			pass: viewCase(ProfileSTS, func(v *saml.View) { v.Assertion.Audiences = []string{"urn:amazon:webservices:cn-north-1"} })},
	},
	"sts-issuer": {
		{name: "Response and Assertion issuers differ", attr: "Issuer",
			fail: viewCase(ProfileSTS, func(v *saml.View) { v.Issuer = "https://other.example/" }),
			pass: viewCase(ProfileSTS, func(v *saml.View) { v.Issuer = "" })},
		{name: "no Assertion issuer", attr: "Issuer",
			fail: viewCase(ProfileSTS, func(v *saml.View) { v.Assertion.Issuer = " " }),
			also: []string{},
			pass: viewOptsCase(ProfileSTS, nil, func(o *Options) { o.ExpectIssuer = idpEntity })},
		{name: "not the expected issuer", attr: "Issuer",
			fail: viewOptsCase(ProfileSTS, nil, func(o *Options) { o.ExpectIssuer = "https://sts.windows.net/tenant/" }),
			pass: viewOptsCase(ProfileSTS, nil, func(o *Options) { o.ExpectIssuer = idpEntity })},
	},
	"sts-nameid": {
		{name: "response without NameID", attr: "Subject/NameID",
			fail: viewCase(ProfileSTS, func(v *saml.View) { v.Assertion.NameID = "" }),
			pass: viewCase(ProfileSTS, nil)},
		{name: "claims without NameID", attr: "Subject/NameID",
			fail: claimsCase(ProfileIdentityCenter, func(n *claims.NameID, as []claims.Attribute) []claims.Attribute { n.Value = " "; return as }),
			pass: claimsCase(ProfileIdentityCenter, nil)},
	},
	"sts-nameid-format": {
		{name: "response", attr: "Subject/NameID",
			fail: viewCase(ProfileSTS, func(v *saml.View) { v.Assertion.NameIDFormat = "urn:example:nameid:custom" }),
			pass: viewCase(ProfileSTS, func(v *saml.View) { v.Assertion.NameIDFormat = NameIDTransient })},
		{name: "policy", attr: "Subject/NameID",
			fail: policyCase(ProfileSTS, func(p *claims.Policy) { p.NameID.Format = "urn:example:nameid:custom" }),
			pass: policyCase(ProfileSTS, func(p *claims.Policy) { p.NameID.Format = "windows_domain_qualified_name" })},
	},
	"sts-nameid-pii": {
		{name: "email NameID", attr: "Subject/NameID",
			fail: viewCase(ProfileSTS, func(v *saml.View) {
				v.Assertion.NameID, v.Assertion.NameIDFormat = "alice@contoso.com", NameIDEmailAddress
			}),
			pass: viewCase(ProfileSTS, nil)},
	},
	"sts-attribute-name-case": {
		{name: "lower-case prefix", attr: Namespace + "/principaltag:Team",
			fail: viewCase(ProfileSTS, func(v *saml.View) { setAttr(v, Namespace+"/principaltag:Team", "core") }),
			pass: viewCase(ProfileSTS, func(v *saml.View) { setAttr(v, PrefixPrincipalTag+"Team", "core") })},
		{name: "lower-case RoleSessionName", attr: "https://aws.amazon.com/saml/attributes/RoleSessionName",
			fail: viewCase(ProfileSTS, func(v *saml.View) {
				delAttr(v, AttrRoleSessionName)
				setAttr(v, "https://aws.amazon.com/saml/attributes/RoleSessionName", "alice")
			}),
			also: []string{"sts-session-name-required"},
			pass: viewCase(ProfileSTS, nil)},
		{name: "policy rule", attr: Namespace + "/Accesscontrol:Team",
			fail: policyCase(ProfileIdentityCenter, func(p *claims.Policy) {
				p.Claims = append(p.Claims, claims.Rule{Name: "Accesscontrol:Team", Namespace: Namespace, Source: "user.department"})
			}),
			pass: policyCase(ProfileIdentityCenter, nil)},
	},
	"sts-role-required": {
		{name: "response", attr: AttrRole,
			fail: viewCase(ProfileSTS, func(v *saml.View) { delAttr(v, AttrRole) }),
			pass: viewCase(ProfileSTS, nil)},
		{name: "Role without namespace", attr: AttrRole,
			fail: claimsCase(ProfileSTS, func(_ *claims.NameID, as []claims.Attribute) []claims.Attribute {
				as[0].Name = "Role"
				return as
			}),
			pass: claimsCase(ProfileSTS, nil)},
		{name: "policy", attr: AttrRole,
			fail: policyCase(ProfileSTS, func(p *claims.Policy) { p.Claims = p.Claims[1:] }),
			pass: policyCase(ProfileSTS, func(p *claims.Policy) {
				p.Claims = p.Claims[1:]
				p.GroupClaim = &claims.GroupClaim{Which: "security", Name: "Role", Namespace: Namespace}
			})},
		{name: "user without roles", attr: AttrRole,
			fail: claimsCase(ProfileSTS, func(_ *claims.NameID, as []claims.Attribute) []claims.Attribute {
				as[0].Values = nil
				return as
			}),
			pass: claimsCase(ProfileSTS, nil)},
	},
	"sts-role-value": {
		{name: "space after comma", attr: AttrRole,
			fail: viewCase(ProfileSTS, func(v *saml.View) {
				setAttr(v, AttrRole, "arn:aws:iam::111122223333:role/Dev, arn:aws:iam::111122223333:saml-provider/samlab")
			}),
			pass: viewCase(ProfileSTS, func(v *saml.View) {
				setAttr(v, AttrRole, "arn:aws:iam::111122223333:saml-provider/samlab,arn:aws:iam::111122223333:role/Dev")
			})},
		{name: "role ARN alone", attr: AttrRole,
			fail: viewCase(ProfileSTS, func(v *saml.View) { setAttr(v, AttrRole, "arn:aws:iam::111122223333:role/Dev") }),
			pass: viewCase(ProfileSTS, nil)},
		{name: "two roles", attr: AttrRole,
			fail: viewCase(ProfileSTS, func(v *saml.View) {
				setAttr(v, AttrRole, "arn:aws:iam::111122223333:role/Dev,arn:aws:iam::111122223333:role/Ops")
			}),
			pass: viewCase(ProfileSTS, nil)},
		{name: "policy constant", attr: AttrRole,
			fail: policyCase(ProfileSTS, func(p *claims.Policy) { p.Claims[0].Source, p.Claims[0].Value = "", "Dev" }),
			pass: policyCase(ProfileSTS, func(p *claims.Policy) { p.Claims[0].Source, p.Claims[0].Value = "", roleValue })},
		{name: "generic profile still checks AWS attributes", attr: AttrRole,
			fail: viewCase(ProfileGeneric, func(v *saml.View) { setAttr(v, AttrRole, "Dev") }),
			pass: viewCase(ProfileGeneric, func(v *saml.View) { setAttr(v, AttrRole, roleValue) })},
	},
	"sts-role-arn": {
		// Whitespace inside the provider name is an ARN problem, reported
		// once; the "remove the spaces around the comma" advice of
		// sts-role-value does not apply (issue 13 item 5).
		{name: "space in the provider name", attr: AttrRole,
			fail: viewCase(ProfileSTS, func(v *saml.View) {
				setAttr(v, AttrRole, "arn:aws:iam::111122223333:role/Dev,arn:aws:iam::111122223333:saml-provider/My IdP")
			}),
			also: []string{},
			pass: viewCase(ProfileSTS, nil)},
		{name: "tab in the role name", attr: AttrRole,
			fail: viewCase(ProfileSTS, func(v *saml.View) {
				setAttr(v, AttrRole, "arn:aws:iam::111122223333:role/Dev\tOps,arn:aws:iam::111122223333:saml-provider/samlab")
			}),
			also: []string{},
			pass: viewCase(ProfileSTS, nil)},
		{name: "short account", attr: AttrRole,
			fail: viewCase(ProfileSTS, func(v *saml.View) {
				setAttr(v, AttrRole, "arn:aws:iam::1111:role/Dev,arn:aws:iam::1111:saml-provider/samlab")
			}),
			pass: viewCase(ProfileSTS, func(v *saml.View) {
				setAttr(v, AttrRole, "arn:aws-cn:iam::111122223333:role/team/eng/Dev,arn:aws-cn:iam::111122223333:saml-provider/samlab")
			})},
		{name: "role name over 64", attr: AttrRole,
			fail: viewCase(ProfileSTS, func(v *saml.View) {
				setAttr(v, AttrRole, "arn:aws:iam::111122223333:role/"+strings.Repeat("r", 65)+",arn:aws:iam::111122223333:saml-provider/samlab")
			}),
			pass: viewCase(ProfileSTS, func(v *saml.View) {
				setAttr(v, AttrRole, "arn:aws:iam::111122223333:role/"+strings.Repeat("r", 64)+",arn:aws:iam::111122223333:saml-provider/samlab")
			})},
		{name: "bad partition and provider name", attr: AttrRole,
			fail: viewCase(ProfileSTS, func(v *saml.View) {
				setAttr(v, AttrRole, "arn:aws-iso:iam::111122223333:role/Dev,arn:aws-iso:iam::111122223333:saml-provider/my*provider")
			}),
			pass: viewCase(ProfileSTS, func(v *saml.View) {
				setAttr(v, AttrRole, "arn:aws-us-gov:iam::111122223333:role/Dev,arn:aws-us-gov:iam::111122223333:saml-provider/my.provider_1-x")
			})},
	},
	"sts-role-account": {
		{name: "different accounts", attr: AttrRole,
			fail: viewCase(ProfileSTS, func(v *saml.View) {
				setAttr(v, AttrRole, "arn:aws:iam::111122223333:role/Dev,arn:aws:iam::444455556666:saml-provider/samlab")
			}),
			pass: viewCase(ProfileSTS, nil)},
		{name: "different partitions", attr: AttrRole,
			fail: viewCase(ProfileSTS, func(v *saml.View) {
				setAttr(v, AttrRole, "arn:aws:iam::111122223333:role/Dev,arn:aws-cn:iam::111122223333:saml-provider/samlab")
			}),
			pass: viewCase(ProfileSTS, nil)},
	},
	"sts-session-name-required": {
		{name: "response", attr: AttrRoleSessionName,
			fail: viewCase(ProfileSTS, func(v *saml.View) { delAttr(v, AttrRoleSessionName) }),
			pass: viewCase(ProfileSTS, nil)},
		{name: "policy", attr: AttrRoleSessionName,
			fail: policyCase(ProfileSTS, func(p *claims.Policy) {
				p.Claims = slices.DeleteFunc(p.Claims, func(r claims.Rule) bool { return r.Name == "RoleSessionName" })
			}),
			pass: policyCase(ProfileSTS, nil)},
	},
	"sts-session-name": {
		{name: "space", attr: AttrRoleSessionName,
			fail: viewCase(ProfileSTS, func(v *saml.View) { setAttr(v, AttrRoleSessionName, "alice smith") }),
			pass: viewCase(ProfileSTS, func(v *saml.View) { setAttr(v, AttrRoleSessionName, "alice.smith+aws@contoso.com") })},
		{name: "two values", attr: AttrRoleSessionName,
			fail: viewCase(ProfileSTS, func(v *saml.View) { setAttr(v, AttrRoleSessionName, "alice", "asmith") }),
			pass: viewCase(ProfileSTS, nil)},
		{name: "one character", attr: AttrRoleSessionName,
			fail: claimsCase(ProfileSTS, func(_ *claims.NameID, as []claims.Attribute) []claims.Attribute {
				as[1].Values = []string{"a"}
				return as
			}),
			pass: claimsCase(ProfileSTS, func(_ *claims.NameID, as []claims.Attribute) []claims.Attribute {
				as[1].Values = []string{strings.Repeat("a", 64)}
				return as
			})},
		{name: "policy constant", attr: AttrRoleSessionName,
			fail: policyCase(ProfileSTS, func(p *claims.Policy) { p.Claims[1].Transformations, p.Claims[1].Value = nil, "AWS session" }),
			pass: policyCase(ProfileSTS, func(p *claims.Policy) { p.Claims[1].Transformations, p.Claims[1].Value = nil, "shared-session" })},
	},
	"sts-session-duration": {
		{name: "too long", attr: AttrSessionDuration,
			fail: viewCase(ProfileSTS, func(v *saml.View) { setAttr(v, AttrSessionDuration, "43201") }),
			pass: viewCase(ProfileSTS, func(v *saml.View) {
				setAttr(v, AttrSessionDuration, "43200")
				v.Assertion.SessionNotOnOrAfter = t0.Add(12 * time.Hour)
			})},
		{name: "too short", attr: AttrSessionDuration,
			fail: viewCase(ProfileSTS, func(v *saml.View) { setAttr(v, AttrSessionDuration, "899") }),
			pass: viewCase(ProfileSTS, func(v *saml.View) { setAttr(v, AttrSessionDuration, "900") })},
		{name: "not an integer", attr: AttrSessionDuration,
			fail: policyCase(ProfileSTS, func(p *claims.Policy) { p.Claims[2].Value = "1h" }),
			pass: policyCase(ProfileSTS, nil)},
		{name: "two values", attr: AttrSessionDuration,
			fail: viewCase(ProfileSTS, func(v *saml.View) { setAttr(v, AttrSessionDuration, "3600", "7200") }),
			pass: viewCase(ProfileSTS, func(v *saml.View) { delAttr(v, AttrSessionDuration) })},
	},
	"sts-session-duration-capped": {
		{name: "SessionNotOnOrAfter before SessionDuration", attr: "AuthnStatement",
			fail: viewCase(ProfileSTS, func(v *saml.View) { v.Assertion.SessionNotOnOrAfter = t0.Add(30 * time.Minute) }),
			pass: viewCase(ProfileSTS, func(v *saml.View) { v.Assertion.SessionNotOnOrAfter = t0.Add(time.Hour) })},
	},
	"sts-source-identity": {
		{name: "aws: prefix", attr: AttrSourceIdentity,
			fail: viewCase(ProfileSTS, func(v *saml.View) { setAttr(v, AttrSourceIdentity, "aws:alice") }),
			pass: viewCase(ProfileSTS, func(v *saml.View) { setAttr(v, AttrSourceIdentity, "alice@contoso.com") })},
		{name: "bad character", attr: AttrSourceIdentity,
			fail: viewCase(ProfileSTS, func(v *saml.View) { setAttr(v, AttrSourceIdentity, "alice/smith") }),
			pass: viewCase(ProfileSTS, func(v *saml.View) { delAttr(v, AttrSourceIdentity) })},
		{name: "two values", attr: AttrSourceIdentity,
			fail: viewCase(ProfileSTS, func(v *saml.View) { setAttr(v, AttrSourceIdentity, "alice", "bob") }),
			pass: viewCase(ProfileSTS, nil)},
	},
	"sts-expired": {
		{name: "past NotOnOrAfter", attr: "Conditions",
			fail: viewOptsCase(ProfileSTS, nil, func(o *Options) { o.Now = t0.Add(10 * time.Minute) }),
			also: []string{"sts-redemption"},
			pass: viewOptsCase(ProfileSTS, nil, func(o *Options) { o.Now = t0.Add(5*time.Minute - time.Second) })},
		{name: "Identity Center", attr: "SubjectConfirmationData",
			fail: viewOptsCase(ProfileIdentityCenter, nil, func(o *Options) { o.Now = t0.Add(5 * time.Minute) }),
			pass: viewOptsCase(ProfileIdentityCenter, nil, func(o *Options) { o.Now, o.Skew = t0.Add(5*time.Minute), time.Second })},
		{name: "generic", attr: "Conditions",
			fail: viewOptsCase(ProfileGeneric, nil, func(o *Options) { o.Now = t0.Add(time.Hour) }),
			pass: viewOptsCase(ProfileGeneric, nil, func(o *Options) { o.Now = time.Time{} })},
	},
	"sts-not-yet-valid": {
		{name: "NotBefore in the future", attr: "Conditions",
			fail: viewOptsCase(ProfileSTS, nil, func(o *Options) { o.Now = t0.Add(-time.Minute) }),
			pass: viewOptsCase(ProfileSTS, nil, func(o *Options) { o.Now = t0 })},
		{name: "IssueInstant in the future", attr: "IssueInstant",
			fail: viewCase(ProfileSTS, func(v *saml.View) {
				v.Assertion.IssueInstant = lintNow.Add(time.Hour)
				v.Assertion.NotOnOrAfter = lintNow.Add(time.Hour + 5*time.Minute)
				v.Assertion.SubjectConfirmations[0].NotOnOrAfter = v.Assertion.NotOnOrAfter
			}),
			pass: viewOptsCase(ProfileSTS, nil, func(o *Options) { o.Now, o.Skew = t0.Add(-time.Minute), time.Minute })},
	},
	"sts-redemption": {
		{name: "six minutes after issuance", attr: "IssueInstant",
			fail: viewOptsCase(ProfileSTS, func(v *saml.View) {
				v.Assertion.NotOnOrAfter = t0.Add(time.Hour)
				v.Assertion.SubjectConfirmations[0].NotOnOrAfter = t0.Add(time.Hour)
			}, func(o *Options) { o.Now = t0.Add(6 * time.Minute) }),
			also: []string{"sts-redemption-note"},
			pass: viewOptsCase(ProfileSTS, nil, func(o *Options) { o.Now = t0.Add(4 * time.Minute) })},
	},
	"sts-redemption-note": {
		{name: "one-hour NotOnOrAfter", attr: "Conditions",
			fail: viewCase(ProfileSTS, func(v *saml.View) {
				v.Assertion.NotOnOrAfter = t0.Add(time.Hour)
				v.Assertion.SubjectConfirmations[0].NotOnOrAfter = t0.Add(time.Hour)
			}),
			pass: viewCase(ProfileSTS, nil)},
	},
	"sts-unsigned": {
		{name: "no signature", attr: "Signature",
			fail: viewCase(ProfileSTS, func(v *saml.View) { v.Signatures = nil }),
			pass: viewCase(ProfileSTS, func(v *saml.View) { v.Signatures = v.Signatures[1:] })},
	},
	"sts-response-only-signed": {
		{name: "Response only", attr: "Signature",
			fail: viewCase(ProfileSTS, func(v *saml.View) { v.Signatures = v.Signatures[:1] }),
			pass: viewCase(ProfileSTS, func(v *saml.View) { v.Signatures = v.Signatures[1:] })},
	},
	"sts-response-fields-unsigned": {
		{name: "foreign, assertion signed only", attr: "Signature",
			fail: viewOptsCase(ProfileSTS, func(v *saml.View) { v.Signatures = v.Signatures[1:] }, func(o *Options) { o.Foreign = true }),
			pass: viewOptsCase(ProfileSTS, nil, func(o *Options) { o.Foreign = true })},
		{name: "foreign, Identity Center", attr: "Signature",
			fail: viewOptsCase(ProfileIdentityCenter, func(v *saml.View) { v.Signatures = v.Signatures[1:] }, func(o *Options) { o.Foreign = true }),
			pass: viewOptsCase(ProfileIdentityCenter, func(v *saml.View) { v.Signatures = v.Signatures[1:] }, nil)},
	},
	"sts-nameid-comment": {
		{name: "comment in the NameID", attr: "Subject/NameID",
			fail: viewCase(ProfileSTS, func(v *saml.View) { v.HasComments, v.Assertion.NameIDHasComment = true, true }),
			pass: viewCase(ProfileSTS, nil)},
	},
	"sts-attribute-comment": {
		{name: "comment in a value", attr: AttrRoleSessionName,
			fail: viewCase(ProfileIdentityCenter, func(v *saml.View) {
				v.HasComments = true
				v.Assertion.Attributes = append(v.Assertion.Attributes, saml.AttributeView{Name: AttrRoleSessionName, Values: []string{"alice"}, HasComment: true})
			}),
			also: []string{"idc-iam-attributes"},
			pass: viewCase(ProfileIdentityCenter, nil)},
	},
	"sts-sha1": {
		{name: "rsa-sha1", attr: "Signature",
			fail: viewCase(ProfileSTS, func(v *saml.View) { v.Signatures[1].Algorithm = rsaSHA1 }),
			pass: viewCase(ProfileSTS, nil)},
		{name: "sha1 digest", attr: "Signature",
			fail: viewCase(ProfileSTS, func(v *saml.View) { v.Signatures[0].DigestAlgorithm = digSHA1 }),
			pass: viewCase(ProfileSTS, nil)},
	},
	"sts-decrypt-failed": {
		{name: "wrong key", attr: "EncryptedAssertion",
			fail: viewCase(ProfileSTS, func(v *saml.View) {
				v.Encrypted, v.Assertion = true, nil
				v.DecryptError = "saml: cannot decrypt the assertion: cannot unwrap the content key with this key (wrong key?)"
				v.Destination = "https://us-east-1.signin.aws.amazon.com/saml/acs/SAMLSP4SHN3UIS2D558H46"
			}),
			pass: viewCase(ProfileSTS, func(v *saml.View) {
				v.Encrypted, v.Decrypted = true, true
				setRecipient(v, "https://us-east-1.signin.aws.amazon.com/saml/acs/SAMLSP4SHN3UIS2D558H46")
			})},
	},
	"sts-encryption-required": {
		{name: "plain assertion", attr: "Assertion",
			fail: viewOptsCase(ProfileSTS, nil, func(o *Options) { o.RequireEncryption = true }),
			pass: viewOptsCase(ProfileSTS, func(v *saml.View) {
				v.Encrypted, v.Decrypted = true, true
				setRecipient(v, "https://us-east-1.signin.aws.amazon.com/saml/acs/SAMLSP4SHN3UIS2D558H46")
			}, func(o *Options) { o.RequireEncryption = true })},
	},
	"sts-role-assumed": {
		{name: "role not offered", attr: AttrRole,
			fail: viewOptsCase(ProfileSTS, nil, func(o *Options) { o.AssumeRole = "arn:aws:iam::111122223333:role/Admin" }),
			pass: viewOptsCase(ProfileSTS, nil, func(o *Options) { o.AssumeRole = "arn:aws:iam::111122223333:role/Dev" })},
		{name: "pair with another provider", attr: AttrRole,
			fail: viewOptsCase(ProfileSTS, nil, func(o *Options) {
				o.AssumeRole = "arn:aws:iam::111122223333:role/Dev,arn:aws:iam::111122223333:saml-provider/other"
			}),
			pass: viewOptsCase(ProfileSTS, nil, func(o *Options) {
				o.AssumeRole = "arn:aws:iam::111122223333:saml-provider/samlab,arn:aws:iam::111122223333:role/Dev"
			})},
		{name: "no Role attribute", attr: AttrRole,
			fail: viewOptsCase(ProfileSTS, func(v *saml.View) { delAttr(v, AttrRole) }, func(o *Options) { o.AssumeRole = "arn:aws:iam::111122223333:role/Dev" }),
			also: []string{"sts-role-required"},
			pass: viewOptsCase(ProfileSTS, nil, func(o *Options) { o.AssumeRole = "arn:aws:iam::111122223333:role/Dev" })},
	},
	"idc-in-response-to": {
		{name: "answers another request", attr: "InResponseTo",
			fail: viewOptsCase(ProfileIdentityCenter, func(v *saml.View) {
				v.InResponseTo = "_other"
				v.Assertion.SubjectConfirmations[0].InResponseTo = "_other"
			}, func(o *Options) { o.ExpectInResponseTo = "_req1" }),
			pass: viewOptsCase(ProfileIdentityCenter, func(v *saml.View) {
				v.InResponseTo = "_req1"
				v.Assertion.SubjectConfirmations[0].InResponseTo = "_req1"
			}, func(o *Options) { o.ExpectInResponseTo = "_req1" })},
		{name: "IdP-initiated where a request was sent", attr: "InResponseTo",
			fail: viewOptsCase(ProfileSTS, nil, func(o *Options) { o.ExpectInResponseTo = "_req1" }),
			pass: viewCase(ProfileSTS, nil)},
		{name: "confirmation data disagrees", attr: "SubjectConfirmationData",
			fail: viewOptsCase(ProfileGeneric, func(v *saml.View) { v.InResponseTo = "_req1" }, func(o *Options) { o.ExpectInResponseTo = "_req1" }),
			pass: viewOptsCase(ProfileGeneric, func(v *saml.View) {
				v.InResponseTo = "_req1"
				v.Assertion.SubjectConfirmations[0].InResponseTo = "_req1"
			}, func(o *Options) { o.ExpectInResponseTo = "_req1" })},
	},
	"abac-configured-key": {
		{name: "key also configured in Identity Center", attr: PrefixAccessControl + "CostCenter",
			fail: viewOptsCase(ProfileIdentityCenter, nil, func(o *Options) { o.IdCAccessControlKeys = []string{"costcenter"} }),
			pass: viewOptsCase(ProfileIdentityCenter, nil, func(o *Options) { o.IdCAccessControlKeys = []string{"Division"} })},
	},
	"sts-encrypted-undecrypted": {
		{name: "no key", attr: "EncryptedAssertion",
			fail: viewCase(ProfileSTS, func(v *saml.View) {
				v.Encrypted, v.Assertion = true, nil
				v.Destination = "https://us-east-1.signin.aws.amazon.com/saml/acs/SAMLSP4SHN3UIS2D558H46"
			}),
			pass: viewCase(ProfileSTS, func(v *saml.View) {
				v.Encrypted, v.Decrypted = true, true
				setRecipient(v, "https://us-east-1.signin.aws.amazon.com/saml/acs/SAMLSP4SHN3UIS2D558H46")
			})},
	},
	"sts-size": {
		{name: "over 100,000", attr: "Response",
			fail: viewCase(ProfileSTS, func(v *saml.View) { v.Base64Len = 100001 }),
			pass: viewCase(ProfileSTS, func(v *saml.View) { v.Base64Len = 50000 })},
	},
	"sts-size-old-sdk": {
		{name: "over 50,000", attr: "Response",
			fail: viewCase(ProfileSTS, func(v *saml.View) { v.Base64Len = 50001 }),
			pass: viewCase(ProfileSTS, func(v *saml.View) { v.Base64Len = 50000 })},
	},
	"sts-status": {
		{name: "Requester", attr: "Status",
			fail: viewCase(ProfileSTS, func(v *saml.View) {
				v.StatusCode = "urn:oasis:names:tc:SAML:2.0:status:Requester"
				v.StatusSubCode = "urn:oasis:names:tc:SAML:2.0:status:RequestDenied"
				v.StatusMessage = "AADSTS50105"
			}),
			pass: viewCase(ProfileSTS, func(v *saml.View) { v.Root, v.StatusCode, v.Issuer = "Assertion", "", "" })},
		{name: "no assertion", attr: "Assertion",
			fail: viewCase(ProfileIdentityCenter, func(v *saml.View) { v.Assertion, v.AssertionCount = nil, 0 }),
			pass: viewCase(ProfileIdentityCenter, nil)},
		{name: "nil view", attr: "Response",
			fail: func() []Finding { return LintView(nil, mustProfile(ProfileGeneric), Options{}) },
			pass: viewCase(ProfileGeneric, nil)},
	},
	"sts-assertion-count": {
		{name: "two assertions", attr: "Assertion",
			fail: viewCase(ProfileSTS, func(v *saml.View) { v.AssertionCount = 2 }),
			pass: viewCase(ProfileSTS, nil)},
	},

	"tag-namespace": {
		{name: "no namespace", attr: "PrincipalTag:Team",
			fail: viewCase(ProfileSTS, func(v *saml.View) { setAttr(v, "PrincipalTag:Team", "core") }),
			pass: viewCase(ProfileSTS, func(v *saml.View) { setAttr(v, PrefixPrincipalTag+"Team", "core") })},
		{name: "policy: wrong namespace", attr: "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/PrincipalTag:Team",
			fail: policyCase(ProfileSTS, func(p *claims.Policy) {
				p.Claims[4].Namespace = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims"
			}),
			pass: policyCase(ProfileSTS, nil)},
	},
	"tag-single-value": {
		{name: "two values", attr: PrefixPrincipalTag + "Department",
			fail: viewCase(ProfileSTS, func(v *saml.View) { setAttr(v, PrefixPrincipalTag+"Department", "Engineering", "Research") }),
			pass: viewCase(ProfileSTS, func(v *saml.View) { setAttr(v, PrefixPrincipalTag+"Department", "Engineering:Research") })},
		{name: "policy: treat as multivalued", attr: PrefixPrincipalTag + "Department",
			fail: policyCase(ProfileSTS, func(p *claims.Policy) { p.Claims[3].MultiValued = true }),
			pass: policyCase(ProfileSTS, nil)},
		{name: "no value", attr: PrefixPrincipalTag + "Department",
			fail: viewCase(ProfileSTS, func(v *saml.View) { setAttr(v, PrefixPrincipalTag+"Department") }),
			pass: viewCase(ProfileSTS, func(v *saml.View) { setAttr(v, PrefixPrincipalTag+"Department", "") })},
	},
	"tag-count": {
		{name: "51 tags", attr: "",
			fail: viewCase(ProfileSTS, func(v *saml.View) {
				for _, n := range nTags(49) {
					setAttr(v, n, "v")
				}
			}),
			pass: viewCase(ProfileSTS, func(v *saml.View) {
				for _, n := range nTags(48) {
					setAttr(v, n, "v")
				}
			})},
	},
	"tag-key": {
		{name: "hash and parenthesis", attr: PrefixPrincipalTag + "Cost(Center)#1",
			fail: viewCase(ProfileSTS, func(v *saml.View) { setAttr(v, PrefixPrincipalTag+"Cost(Center)#1", "x") }),
			pass: viewCase(ProfileSTS, func(v *saml.View) { setAttr(v, PrefixPrincipalTag+"Kostenstelle Über_1.:/=+-@", "x") })},
		{name: "129 characters", attr: PrefixPrincipalTag + strings.Repeat("k", 129),
			fail: viewCase(ProfileSTS, func(v *saml.View) { setAttr(v, PrefixPrincipalTag+strings.Repeat("k", 129), "x") }),
			pass: viewCase(ProfileSTS, func(v *saml.View) { setAttr(v, PrefixPrincipalTag+strings.Repeat("k", 128), "x") })},
		{name: "empty key", attr: PrefixPrincipalTag,
			fail: viewCase(ProfileSTS, func(v *saml.View) { setAttr(v, PrefixPrincipalTag, "x") }),
			pass: viewCase(ProfileSTS, nil)},
		{name: "policy claim name", attr: PrefixPrincipalTag + "Team,Sub",
			fail: policyCase(ProfileSTS, func(p *claims.Policy) { p.Claims[4].Name = "PrincipalTag:Team,Sub" }),
			pass: policyCase(ProfileSTS, nil)},
	},
	"tag-value": {
		{name: "comma", attr: PrefixPrincipalTag + "Department",
			fail: viewCase(ProfileSTS, func(v *saml.View) { setAttr(v, PrefixPrincipalTag+"Department", "Eng,Ops") }),
			pass: viewCase(ProfileSTS, func(v *saml.View) { setAttr(v, PrefixPrincipalTag+"Department", strings.Repeat("é", 256)) })},
		{name: "257 characters", attr: PrefixPrincipalTag + "Department",
			fail: viewCase(ProfileSTS, func(v *saml.View) { setAttr(v, PrefixPrincipalTag+"Department", strings.Repeat("v", 257)) }),
			pass: viewCase(ProfileSTS, nil)},
		{name: "policy constant with a comma", attr: PrefixPrincipalTag + "Team",
			fail: policyCase(ProfileSTS, func(p *claims.Policy) { p.Claims[4].Conditions[0].Value = "eng,core" }),
			pass: policyCase(ProfileSTS, nil)},
	},
	"tag-aws-prefix": {
		{name: "key", attr: PrefixPrincipalTag + "aws:Team",
			fail: viewCase(ProfileSTS, func(v *saml.View) { setAttr(v, PrefixPrincipalTag+"aws:Team", "core") }),
			pass: viewCase(ProfileSTS, func(v *saml.View) { setAttr(v, PrefixPrincipalTag+"team-aws:", "core") })},
		{name: "value", attr: PrefixPrincipalTag + "Department",
			fail: viewCase(ProfileSTS, func(v *saml.View) { setAttr(v, PrefixPrincipalTag+"Department", "AWS:eng") }),
			pass: viewCase(ProfileSTS, func(v *saml.View) { setAttr(v, PrefixPrincipalTag+"Department", "eng:aws:") })},
		{name: "policy key", attr: PrefixPrincipalTag + "aws:Team",
			fail: policyCase(ProfileSTS, func(p *claims.Policy) { p.Claims[4].Name = "PrincipalTag:aws:Team" }),
			pass: policyCase(ProfileSTS, nil)},
	},
	"tag-duplicate-key": {
		{name: "case variant", attr: PrefixPrincipalTag + "Department",
			fail: viewCase(ProfileSTS, func(v *saml.View) { setAttr(v, PrefixPrincipalTag+"department", "eng") }),
			pass: viewCase(ProfileSTS, func(v *saml.View) { setAttr(v, PrefixPrincipalTag+"Department2", "eng") })},
		{name: "same name twice", attr: PrefixPrincipalTag + "Department",
			fail: viewCase(ProfileSTS, func(v *saml.View) {
				v.Assertion.Attributes = append(v.Assertion.Attributes, saml.AttributeView{Name: PrefixPrincipalTag + "Department", Values: []string{"Ops"}})
			}),
			pass: viewCase(ProfileSTS, nil)},
		{name: "policy", attr: PrefixPrincipalTag + "Department",
			fail: policyCase(ProfileSTS, func(p *claims.Policy) { p.Claims[4].Name = "PrincipalTag:DEPARTMENT" }),
			pass: policyCase(ProfileSTS, nil)},
	},
	"tag-transitive-count": {
		{name: "51 keys", attr: AttrTransitiveTagKeys,
			fail: viewCase(ProfileSTS, func(v *saml.View) {
				var keys []string
				for i, n := range nTags(51) {
					setAttr(v, n, "v")
					keys = append(keys, fmt.Sprintf("K%02d", i))
				}
				setAttr(v, AttrTransitiveTagKeys, keys...)
			}),
			also: []string{"tag-count"},
			pass: viewCase(ProfileSTS, func(v *saml.View) {
				var keys []string
				for i, n := range nTags(48) {
					setAttr(v, n, "v")
					keys = append(keys, fmt.Sprintf("K%02d", i))
				}
				setAttr(v, AttrTransitiveTagKeys, append(keys, "Department", "CostCenter")...)
			})},
	},
	"tag-transitive-unknown": {
		{name: "key without tag", attr: AttrTransitiveTagKeys,
			fail: viewCase(ProfileSTS, func(v *saml.View) { setAttr(v, AttrTransitiveTagKeys, "Department", "Team") }),
			pass: viewCase(ProfileSTS, func(v *saml.View) { setAttr(v, AttrTransitiveTagKeys, "department", "COSTCENTER") })},
		{name: "policy", attr: AttrTransitiveTagKeys,
			fail: policyCase(ProfileSTS, func(p *claims.Policy) { p.Claims[5].Value = "Project" }),
			pass: policyCase(ProfileSTS, func(p *claims.Policy) { p.Claims[5].Value = "Team" })},
	},
	"tag-packed-size": {
		{name: "long values", attr: "",
			fail: claimsCase(ProfileSTS, func(_ *claims.NameID, as []claims.Attribute) []claims.Attribute {
				for _, n := range nTags(40) {
					as = append(as, claims.Attribute{Name: n, Values: []string{strings.Repeat("v", 250)}})
				}
				return as
			}),
			pass: claimsCase(ProfileSTS, func(_ *claims.NameID, as []claims.Attribute) []claims.Attribute {
				for _, n := range nTags(30) {
					as = append(as, claims.Attribute{Name: n, Values: []string{strings.Repeat("v", 250)}})
				}
				return as
			})},
	},

	"idc-acs": {
		{name: "IAM sign-in endpoint", attr: "Recipient",
			fail: viewCase(ProfileIdentityCenter, func(v *saml.View) { setRecipient(v, signInURL) }),
			pass: viewOptsCase(ProfileIdentityCenter, func(v *saml.View) {
				setRecipient(v, "https://eu-west-1.sso.signin.aws/platform/saml/acs/0123456789abcdef-3d1f0a4e-8b2c-4f6e-9a7d-0c5b1e2f3a4b")
			}, func(o *Options) {
				o.ExpectRecipient = "https://eu-west-1.sso.signin.aws/platform/saml/acs/0123456789abcdef-3d1f0a4e-8b2c-4f6e-9a7d-0c5b1e2f3a4b"
			})},
		{name: "not the expected ACS", attr: "Destination",
			fail: viewOptsCase(ProfileIdentityCenter, nil, func(o *Options) {
				o.ExpectRecipient = "https://eu-west-1.signin.aws.amazon.com/platform/saml/acs/other"
			}),
			also: []string{"sts-subject-confirmation"},
			pass: viewOptsCase(ProfileIdentityCenter, nil, func(o *Options) { o.ExpectRecipient = idcACS })},
	},
	"idc-audience": {
		{name: "STS audience", attr: "Conditions/AudienceRestriction",
			fail: viewCase(ProfileIdentityCenter, func(v *saml.View) { v.Assertion.Audiences = []string{"urn:amazon:webservices"} }),
			pass: viewOptsCase(ProfileIdentityCenter, nil, func(o *Options) { o.ExpectAudience = idcAudience })},
		{name: "not the expected audience", attr: "Conditions/AudienceRestriction",
			fail: viewOptsCase(ProfileIdentityCenter, nil, func(o *Options) {
				o.ExpectAudience = "https://us-east-1.signin.aws.amazon.com/platform/saml/d-0000000000"
			}),
			pass: viewCase(ProfileIdentityCenter, nil)},
	},
	"idc-nameid-format": {
		{name: "persistent", attr: "Subject/NameID",
			fail: viewCase(ProfileIdentityCenter, func(v *saml.View) { v.Assertion.NameIDFormat = NameIDPersistent }),
			pass: viewCase(ProfileIdentityCenter, nil)},
		{name: "policy", attr: "Subject/NameID",
			fail: policyCase(ProfileIdentityCenter, func(p *claims.Policy) { p.NameID.Format = "persistent" }),
			pass: policyCase(ProfileIdentityCenter, func(p *claims.Policy) { p.NameID.Format = NameIDEmailAddress })},
		{name: "claims without format", attr: "Subject/NameID",
			fail: claimsCase(ProfileIdentityCenter, func(n *claims.NameID, as []claims.Attribute) []claims.Attribute { n.Format = ""; return as }),
			pass: claimsCase(ProfileIdentityCenter, nil)},
	},
	"idc-nameid-value": {
		{name: "not an address", attr: "Subject/NameID",
			fail: viewCase(ProfileIdentityCenter, func(v *saml.View) { v.Assertion.NameID = "alice" }),
			pass: viewCase(ProfileIdentityCenter, func(v *saml.View) { v.Assertion.NameID = "alice.smith+aws@contoso.co.uk" })},
		{name: "space", attr: "Subject/NameID",
			fail: claimsCase(ProfileIdentityCenter, func(n *claims.NameID, as []claims.Attribute) []claims.Attribute {
				n.Value = "alice smith@contoso.com"
				return as
			}),
			pass: claimsCase(ProfileIdentityCenter, func(n *claims.NameID, as []claims.Attribute) []claims.Attribute {
				n.Value = `"alice smith"@contoso.com`
				return as
			})},
	},
	"idc-assertion": {
		{name: "encrypted", attr: "EncryptedAssertion",
			fail: viewCase(ProfileIdentityCenter, func(v *saml.View) { v.Encrypted, v.Decrypted = true, true }),
			pass: viewCase(ProfileIdentityCenter, nil)},
		{name: "two assertions", attr: "Assertion",
			fail: viewCase(ProfileIdentityCenter, func(v *saml.View) { v.AssertionCount = 2 }),
			pass: viewCase(ProfileIdentityCenter, nil)},
	},
	"idc-unsigned": {
		{name: "no signature", attr: "Signature",
			fail: viewCase(ProfileIdentityCenter, func(v *saml.View) { v.Signatures = nil }),
			pass: viewCase(ProfileIdentityCenter, func(v *saml.View) { v.Signatures = v.Signatures[:1] })},
	},
	"idc-sha1": {
		{name: "sha1", attr: "Signature",
			fail: viewCase(ProfileIdentityCenter, func(v *saml.View) { v.Signatures[0].Algorithm = rsaSHA1 }),
			pass: viewCase(ProfileIdentityCenter, nil)},
	},
	"idc-iam-attributes": {
		{name: "Role sent to Identity Center", attr: AttrRole,
			fail: viewCase(ProfileIdentityCenter, func(v *saml.View) { setAttr(v, AttrRole, roleValue) }),
			pass: viewCase(ProfileIdentityCenter, nil)},
		{name: "policy", attr: AttrRoleSessionName,
			fail: policyCase(ProfileIdentityCenter, func(p *claims.Policy) {
				p.Claims = append(p.Claims, claims.Rule{Name: "RoleSessionName", Namespace: Namespace, Source: "user.userprincipalname"})
			}),
			pass: policyCase(ProfileIdentityCenter, nil)},
	},

	"tag-name-separator": {
		{name: "slash instead of colon", attr: Namespace + "/PrincipalTag/Team",
			fail: viewCase(ProfileSTS, func(v *saml.View) { setAttr(v, Namespace+"/PrincipalTag/Team", "core") }),
			pass: viewCase(ProfileSTS, func(v *saml.View) { setAttr(v, PrefixPrincipalTag+"Team", "core") })},
		{name: "policy", attr: Namespace + "/PrincipalTag/Team",
			fail: policyCase(ProfileSTS, func(p *claims.Policy) {
				p.Claims = append(p.Claims, claims.Rule{Name: "PrincipalTag/Team", Namespace: Namespace, Source: "user.jobtitle"})
			}),
			pass: policyCase(ProfileSTS, nil)},
	},
	"abac-name-separator": {
		{name: "slash instead of colon", attr: Namespace + "/AccessControl/Team",
			fail: viewCase(ProfileIdentityCenter, func(v *saml.View) { setAttr(v, Namespace+"/AccessControl/Team", "core") }),
			pass: viewCase(ProfileIdentityCenter, func(v *saml.View) { setAttr(v, PrefixAccessControl+"Team", "core") })},
	},
	"abac-namespace": {
		{name: "no namespace", attr: "AccessControl:Team",
			fail: viewCase(ProfileIdentityCenter, func(v *saml.View) { setAttr(v, "AccessControl:Team", "core") }),
			pass: viewCase(ProfileIdentityCenter, func(v *saml.View) { setAttr(v, PrefixAccessControl+"Team", "core") })},
		{name: "policy", attr: "AccessControl:Team",
			fail: policyCase(ProfileIdentityCenter, func(p *claims.Policy) {
				p.Claims = append(p.Claims, claims.Rule{Name: "AccessControl:Team", Source: "user.jobtitle"})
			}),
			pass: policyCase(ProfileIdentityCenter, nil)},
	},
	"abac-count": {
		{name: "51 attributes", attr: "",
			fail: viewCase(ProfileIdentityCenter, func(v *saml.View) {
				for i := range 49 {
					setAttr(v, fmt.Sprintf("%sK%02d", PrefixAccessControl, i), "v")
				}
			}),
			pass: viewCase(ProfileIdentityCenter, func(v *saml.View) {
				for i := range 48 {
					setAttr(v, fmt.Sprintf("%sK%02d", PrefixAccessControl, i), "v")
				}
			})},
		{name: "policy with default claims", attr: "",
			fail: policyCase(ProfileIdentityCenter, func(p *claims.Policy) {
				p.DefaultClaims = true
				for i := range 44 {
					p.Claims = append(p.Claims, claims.Rule{Name: fmt.Sprintf("AccessControl:K%02d", i), Namespace: Namespace, Source: "user.department"})
				}
			}),
			pass: policyCase(ProfileIdentityCenter, func(p *claims.Policy) {
				p.DefaultClaims = true
				for i := range 43 {
					p.Claims = append(p.Claims, claims.Rule{Name: fmt.Sprintf("AccessControl:K%02d", i), Namespace: Namespace, Source: "user.department"})
				}
			})},
	},
	"abac-multi-value": {
		{name: "seed: multi-valued AccessControl from Entra", attr: PrefixAccessControl + "Department",
			fail: func() []Finding {
				return LintView(entraIdCView(), mustProfile(ProfileIdentityCenter), Options{Now: t0.Add(time.Minute)})
			},
			pass: func() []Finding {
				v := entraIdCView()
				setAttr(v, PrefixAccessControl+"Department", "Engineering:Research")
				return LintView(v, mustProfile(ProfileIdentityCenter), Options{Now: t0.Add(time.Minute)})
			}},
		{name: "any attribute", attr: "http://schemas.microsoft.com/claims/authnmethodsreferences",
			fail: viewCase(ProfileIdentityCenter, func(v *saml.View) {
				setAttr(v, "http://schemas.microsoft.com/claims/authnmethodsreferences",
					"http://schemas.microsoft.com/ws/2008/06/identity/authenticationmethod/password",
					"http://schemas.microsoft.com/claims/multipleauthn")
			}),
			pass: viewCase(ProfileIdentityCenter, func(v *saml.View) {
				setAttr(v, "http://schemas.microsoft.com/claims/authnmethodsreferences", "http://schemas.microsoft.com/claims/multipleauthn")
			})},
		{name: "policy: treat as multivalued", attr: PrefixAccessControl + "Department",
			fail: policyCase(ProfileIdentityCenter, func(p *claims.Policy) { p.Claims[0].MultiValued = true }),
			pass: policyCase(ProfileIdentityCenter, nil)},
		{name: "policy: groups claim", attr: claimGroups,
			fail: policyCase(ProfileIdentityCenter, func(p *claims.Policy) { p.GroupClaim = &claims.GroupClaim{Which: "security"} }),
			pass: policyCase(ProfileIdentityCenter, nil)},
	},
	"abac-duplicate-name": {
		{name: "two elements", attr: PrefixAccessControl + "Department",
			fail: viewCase(ProfileIdentityCenter, func(v *saml.View) {
				v.Assertion.Attributes = append(v.Assertion.Attributes, saml.AttributeView{Name: PrefixAccessControl + "Department", Values: []string{"Ops"}})
			}),
			also: []string{"abac-tag-rules"},
			pass: viewCase(ProfileIdentityCenter, nil)},
	},
	"abac-structured-value": {
		{name: "child elements", attr: PrefixAccessControl + "Department",
			fail: viewCase(ProfileIdentityCenter, func(v *saml.View) { v.Assertion.Attributes[0].StructuredValue = true }),
			pass: viewCase(ProfileIdentityCenter, nil)},
	},
	"abac-name-format": {
		{name: "vendor format", attr: PrefixAccessControl + "Department",
			fail: viewCase(ProfileIdentityCenter, func(v *saml.View) { v.Assertion.Attributes[0].NameFormat = "urn:vendor:attrname-format:string" }),
			pass: viewCase(ProfileIdentityCenter, func(v *saml.View) { v.Assertion.Attributes[0].NameFormat = NameFormatBasic })},
		{name: "policy", attr: PrefixAccessControl + "Department",
			fail: policyCase(ProfileIdentityCenter, func(p *claims.Policy) { p.AttributeNameFormat = "urn:vendor:string" }),
			pass: policyCase(ProfileIdentityCenter, func(p *claims.Policy) { p.AttributeNameFormat = "uri" })},
	},
	"abac-tag-rules": {
		{name: "comma in value", attr: PrefixAccessControl + "Department",
			fail: viewCase(ProfileIdentityCenter, func(v *saml.View) { setAttr(v, PrefixAccessControl+"Department", "R&D, Ops") }),
			pass: viewCase(ProfileIdentityCenter, func(v *saml.View) { setAttr(v, PrefixAccessControl+"Department", "R+D: Ops") })},
		{name: "aws: key", attr: PrefixAccessControl + "aws:Team",
			fail: viewCase(ProfileIdentityCenter, func(v *saml.View) { setAttr(v, PrefixAccessControl+"aws:Team", "core") }),
			pass: viewCase(ProfileIdentityCenter, nil)},
		{name: "case-duplicate keys", attr: PrefixAccessControl + "Department",
			fail: viewCase(ProfileIdentityCenter, func(v *saml.View) { setAttr(v, PrefixAccessControl+"DEPARTMENT", "eng") }),
			pass: viewCase(ProfileIdentityCenter, nil)},
		{name: "policy constant", attr: PrefixAccessControl + "Level",
			fail: policyCase(ProfileIdentityCenter, func(p *claims.Policy) { p.Claims[1].Value = "standard (L2)" }),
			pass: policyCase(ProfileIdentityCenter, nil)},
	},

	"scim-json": {
		{name: "not JSON", attr: "", fail: rawSCIM(`{"userName":`), pass: scimCase(false, nil)},
		{name: "array", attr: "", fail: rawSCIM(`[1,2]`), pass: scimCase(false, nil)},
		{name: "two values", attr: "", fail: rawSCIM(`{} {}`), also: []string{}, pass: scimCase(true, nil)},
		{name: "null", attr: "", fail: rawSCIM(`null`), pass: scimCase(true, nil)},
	},
	"scim-required": {
		{name: "no familyName", attr: "name.familyName",
			fail: scimCase(false, func(m map[string]any) { delete(m["name"].(map[string]any), "familyName") }),
			pass: scimCase(false, nil)},
		{name: "empty displayName", attr: "displayName",
			fail: scimCase(false, func(m map[string]any) { m["displayName"] = "" }),
			pass: scimCase(false, nil)},
		{name: "no schemas", attr: "schemas",
			fail: scimCase(false, func(m map[string]any) { delete(m, "schemas") }),
			pass: scimCase(false, nil)},
	},
	"scim-single-item": {
		{name: "two phone numbers", attr: "phoneNumbers",
			fail: scimCase(false, func(m map[string]any) {
				m["phoneNumbers"] = []any{
					map[string]any{"value": "+1 555 0100", "type": "work"},
					map[string]any{"value": "+1 555 0199", "type": "mobile"},
				}
			}),
			pass: scimCase(false, nil)},
		{name: "two emails", attr: "emails",
			fail: scimCase(false, func(m map[string]any) {
				m["emails"] = []any{
					map[string]any{"value": "alice@contoso.com", "primary": true},
					map[string]any{"value": "alice@fabrikam.com", "primary": true},
				}
			}),
			pass: scimCase(false, nil)},
		// The second email cannot be made primary as well: no knock-on
		// scim-primary-email finding (issue 13 item 5).
		{name: "two emails, one primary", attr: "emails",
			fail: scimCase(false, func(m map[string]any) {
				m["emails"] = []any{
					map[string]any{"value": "alice@contoso.com", "primary": true},
					map[string]any{"value": "alice@fabrikam.com", "type": "other"},
				}
			}),
			also: []string{},
			pass: scimCase(false, nil)},
	},
	"scim-primary-email": {
		{name: "not primary", attr: "emails.primary",
			fail: scimCase(false, func(m map[string]any) {
				m["emails"] = []any{map[string]any{"value": "alice@contoso.com", "type": "work"}}
			}),
			pass: scimCase(false, func(m map[string]any) { delete(m, "emails") })},
	},
	"scim-rejected-attribute": {
		{name: "empty photos", attr: "photos",
			fail: scimCase(false, func(m map[string]any) { m["photos"] = []any{} }),
			pass: scimCase(false, nil)},
		{name: "password", attr: "password",
			fail: scimCase(false, func(m map[string]any) { m["password"] = "hunter2" }),
			pass: scimCase(false, nil)},
		{name: "display sub-attribute", attr: "addresses.display",
			fail: scimCase(false, func(m map[string]any) { m["addresses"].([]any)[0].(map[string]any)["display"] = "home" }),
			pass: scimCase(false, nil)},
		{name: "manager.displayName", attr: "enterprise.manager.displayName",
			fail: scimCase(false, func(m map[string]any) {
				m[SCIMEnterpriseSchema].(map[string]any)["manager"].(map[string]any)["displayName"] = "Bob"
			}),
			pass: scimCase(false, nil)},
		{name: "meta.version", attr: "meta.version",
			fail: scimCase(false, func(m map[string]any) { m["meta"] = map[string]any{"version": "W/\"1\""} }),
			pass: scimCase(false, func(m map[string]any) { m["meta"] = map[string]any{"resourceType": "User"} })},
		{name: "groups", attr: "groups",
			fail: scimCase(false, func(m map[string]any) { m["groups"] = []any{map[string]any{"value": "g1"}} }),
			pass: scimCase(false, nil)},
	},
	"scim-unsupported-attribute": {
		{name: "unknown attribute", attr: "mailNickname",
			fail: scimCase(false, func(m map[string]any) { m["mailNickname"] = "alice" }),
			pass: scimCase(false, func(m map[string]any) { m["nickName"] = "alice" })},
		{name: "unknown enterprise attribute", attr: "enterprise.building",
			fail: scimCase(false, func(m map[string]any) { m[SCIMEnterpriseSchema].(map[string]any)["building"] = "B1" }),
			pass: scimCase(false, func(m map[string]any) { m[SCIMEnterpriseSchema].(map[string]any)["division"] = "R&D" })},
		{name: "group attribute", attr: "description",
			fail: scimCase(true, func(m map[string]any) { m["description"] = "eng" }),
			pass: scimCase(true, nil)},
	},
	"scim-attribute-type": {
		{name: "active as string", attr: "active",
			fail: scimCase(false, func(m map[string]any) { m["active"] = "True" }),
			pass: scimCase(false, func(m map[string]any) { m["active"] = false })},
		{name: "title as array", attr: "title",
			fail: scimCase(false, func(m map[string]any) { m["title"] = []any{"Engineer"} }),
			pass: scimCase(false, nil)},
		{name: "emails as object", attr: "emails",
			fail: scimCase(false, func(m map[string]any) { m["emails"] = map[string]any{"value": "alice@contoso.com"} }),
			pass: scimCase(false, nil)},
	},
	"scim-field-limits": {
		{name: "userName with a space", attr: "userName",
			fail: scimCase(false, func(m map[string]any) { m["userName"] = "alice smith" }),
			pass: scimCase(false, func(m map[string]any) { m["userName"] = strings.Repeat("a", 128) })},
		{name: "userName over 128", attr: "userName",
			fail: scimCase(false, func(m map[string]any) { m["userName"] = strings.Repeat("a", 129) }),
			pass: scimCase(false, nil)},
		{name: "externalId over 256", attr: "externalId",
			fail: scimCase(false, func(m map[string]any) { m["externalId"] = strings.Repeat("x", 257) }),
			pass: scimCase(false, func(m map[string]any) { m["externalId"] = strings.Repeat("x", 256) })},
		{name: "empty title", attr: "title",
			fail: scimCase(false, func(m map[string]any) { m["title"] = "" }),
			pass: scimCase(false, func(m map[string]any) { m["title"] = strings.Repeat("t", 1024) })},
	},
	"scim-group": {
		{name: "no displayName", attr: "displayName",
			fail: scimCase(true, func(m map[string]any) { delete(m, "displayName") }),
			pass: scimCase(true, nil)},
		{name: "PATCH adding 101 members", attr: "members",
			fail: rawSCIM(`{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"add","path":"members","value":[` +
				strings.Repeat(`{"value":"u"},`, 100) + `{"value":"u"}]}]}`),
			pass: rawSCIM(`{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"add","path":"members","value":[` +
				strings.Repeat(`{"value":"u"},`, 99) + `{"value":"u"}]}]}`)},
		{name: "101 members", attr: "members",
			fail: scimCase(true, func(m map[string]any) {
				var ms []any
				for i := range 101 {
					ms = append(ms, map[string]any{"value": fmt.Sprint(i)})
				}
				m["members"] = ms
			}),
			pass: scimCase(true, func(m map[string]any) {
				var ms []any
				for i := range 100 {
					ms = append(ms, map[string]any{"value": fmt.Sprint(i)})
				}
				m["members"] = ms
			})},
	},
}

// entraIdCView is the seed scenario: an Entra ID response to IAM Identity
// Center whose AccessControl:Department claim is multi-valued.
func entraIdCView() *saml.View {
	v := baseView(ProfileIdentityCenter)
	v.Issuer = "https://sts.windows.net/603e9946-79fd-42bc-bae2-2abda19cb695/"
	v.Assertion.Issuer = v.Issuer
	v.Signatures = v.Signatures[1:] // Entra signs the assertion only
	v.Assertion.Attributes = []saml.AttributeView{
		{Name: "http://schemas.microsoft.com/identity/claims/tenantid", Values: []string{"603e9946-79fd-42bc-bae2-2abda19cb695"}},
		{Name: "http://schemas.microsoft.com/identity/claims/objectidentifier", Values: []string{"0f3c6a1e-2b4d-4e8f-9a1b-3c5d7e9f1a2b"}},
		{Name: "http://schemas.microsoft.com/identity/claims/displayname", Values: []string{"Alice Smith"}},
		{Name: "http://schemas.microsoft.com/identity/claims/identityprovider", Values: []string{"https://sts.windows.net/603e9946-79fd-42bc-bae2-2abda19cb695/"}},
		{Name: "http://schemas.microsoft.com/claims/authnmethodsreferences", Values: []string{"http://schemas.microsoft.com/ws/2008/06/identity/authenticationmethod/password"}},
		{Name: PrefixAccessControl + "Department", Values: []string{"Engineering", "Research"}},
	}
	return v
}

func TestChecks(t *testing.T) {
	index := checkIndex()
	for name, cases := range casesByCheck {
		c, ok := index[name]
		if !ok {
			t.Errorf("cases for unregistered check %q", name)
			continue
		}
		for _, tc := range cases {
			t.Run(name+"/"+tc.name, func(t *testing.T) {
				got := tc.fail()
				found := false
				for _, f := range got {
					if f.Check == name {
						found = true
						if f.Rule != c.Rule || f.Severity != c.Severity {
							t.Errorf("finding = {%s %s}, want {%s %s}", f.Rule, f.Severity, c.Rule, c.Severity)
						}
						if f.Message == "" {
							t.Errorf("finding has no message")
						}
						if f.AWSError != c.Prevents {
							t.Errorf("AWSError = %q, want %q", f.AWSError, c.Prevents)
						}
					} else if !slices.Contains(tc.also, f.Check) {
						t.Errorf("breaking %s also triggered %s", name, f)
					}
				}
				if !found {
					t.Errorf("no %s finding; got:\n%s", name, render(got))
				}
				if found && !slices.ContainsFunc(got, func(f Finding) bool { return f.Check == name && f.Attribute == tc.attr }) {
					t.Errorf("no %s finding on %q", name, tc.attr)
				}
				for _, f := range tc.pass() {
					if f.Rule == c.Rule {
						t.Errorf("passing input triggered %s", f)
					}
				}
			})
		}
	}
}

// TestCoverage fails when a registered check has no test case.
func TestCoverage(t *testing.T) {
	for _, c := range Checks() {
		if len(casesByCheck[c.Name]) == 0 {
			t.Errorf("check %s (%s) has no test case in casesByCheck", c.Name, c.Rule)
		}
	}
}

func TestRegistry(t *testing.T) {
	idRE := regexp.MustCompile(`^AWS-(STS|TAG|IDC|ABAC|SCIM)-\d{3}$`)
	seen := map[string]bool{}
	for _, c := range Checks() {
		if seen[c.Name] {
			t.Errorf("duplicate check name %q", c.Name)
		}
		seen[c.Name] = true
		if !idRE.MatchString(c.Rule) {
			t.Errorf("%s: rule ID %q is not AWS-<AREA>-NNN", c.Name, c.Rule)
		}
		if c.Summary == "" || len(c.Inputs) == 0 {
			t.Errorf("%s: summary or inputs missing", c.Name)
		}
		scim := strings.HasPrefix(c.Rule, "AWS-SCIM-")
		if scim != (c.Profiles == nil) {
			t.Errorf("%s: SCIM checks and only they have no profiles", c.Name)
		}
	}
	// Changing a returned slice does not change the registry.
	cs := Checks()
	cs[0].Profiles[0] = "changed"
	if Checks()[0].Profiles[0] == "changed" {
		t.Error("Checks() shares memory with the registry")
	}
}

// TestValidFixtures makes sure the base inputs are clean, so each case's
// findings come from its own change.
func TestValidFixtures(t *testing.T) {
	for _, p := range []string{ProfileSTS, ProfileIdentityCenter, ProfileGeneric} {
		for what, run := range map[string]func() []Finding{
			"view": viewCase(p, nil), "claims": claimsCase(p, nil), "policy": policyCase(p, nil),
		} {
			if got := run(); len(got) != 0 {
				t.Errorf("%s %s: unexpected findings:\n%s", p, what, render(got))
			}
		}
	}
	for _, group := range []bool{false, true} {
		if got := scimCase(group, nil)(); len(got) != 0 {
			t.Errorf("SCIM (group=%v): unexpected findings:\n%s", group, render(got))
		}
	}
}

func render(fs []Finding) string {
	var b strings.Builder
	for _, f := range fs {
		fmt.Fprintf(&b, "  %s {check %s}\n", f, f.Check)
	}
	return b.String()
}
