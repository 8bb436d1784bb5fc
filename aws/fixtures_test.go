package aws

import (
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/samlab/samlab/claims"
	"github.com/samlab/samlab/saml"
)

// Fixtures: a valid response, claim set and rule set for each profile.
// Cases break one rule of a fixture and check the finding.

const (
	idpEntity   = "https://idp.example/metadata"
	signInURL   = "https://signin.aws.amazon.com/saml"
	idcACS      = "https://eu-west-1.signin.aws.amazon.com/platform/saml/acs/3d1f0a4e-8b2c-4f6e-9a7d-0c5b1e2f3a4b"
	idcAudience = "https://eu-west-1.signin.aws.amazon.com/platform/saml/d-9367a1b2c3"
	roleValue   = "arn:aws:iam::111122223333:role/Dev,arn:aws:iam::111122223333:saml-provider/samlab"
	rsaSHA256   = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"
	digSHA256   = "http://www.w3.org/2001/04/xmlenc#sha256"
	rsaSHA1     = "http://www.w3.org/2000/09/xmldsig#rsa-sha1"
	digSHA1     = "http://www.w3.org/2000/09/xmldsig#sha1"
)

// t0 is the fixtures' IssueInstant; lintNow is when they are checked.
var (
	t0      = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	lintNow = t0.Add(time.Minute)
)

func mustProfile(name string) Profile {
	p, err := ProfileByName(name)
	if err != nil {
		panic(err)
	}
	return p
}

// baseView is a valid response for the profile.
func baseView(profile string) *saml.View {
	v := &saml.View{
		Root:           "Response",
		ID:             "_resp1",
		IssueInstant:   t0,
		Issuer:         idpEntity,
		StatusCode:     statusSuccess,
		AssertionCount: 1,
		Signatures: []saml.SignatureInfo{
			{Element: "Response", ReferenceID: "_resp1", Algorithm: rsaSHA256, DigestAlgorithm: digSHA256},
			{Element: "Assertion", ReferenceID: "_as1", Algorithm: rsaSHA256, DigestAlgorithm: digSHA256},
		},
		Base64Len: 6000,
	}
	a := &saml.AssertionView{
		ID:                  "_as1",
		Issuer:              idpEntity,
		IssueInstant:        t0,
		NotBefore:           t0,
		NotOnOrAfter:        t0.Add(5 * time.Minute),
		AuthnInstant:        t0,
		SessionNotOnOrAfter: t0.Add(8 * time.Hour),
	}
	v.Assertion = a
	recipient := ""
	switch profile {
	case ProfileSTS:
		recipient = signInURL
		a.NameID, a.NameIDFormat = "6f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f", NameIDPersistent
		a.Audiences = []string{"urn:amazon:webservices"}
		a.Attributes = []saml.AttributeView{
			{Name: AttrRole, NameFormat: NameFormatURI, Values: []string{roleValue}},
			{Name: AttrRoleSessionName, NameFormat: NameFormatURI, Values: []string{"alice"}},
			{Name: AttrSessionDuration, NameFormat: NameFormatURI, Values: []string{"3600"}},
			{Name: AttrSourceIdentity, NameFormat: NameFormatURI, Values: []string{"alice"}},
			{Name: PrefixPrincipalTag + "Department", NameFormat: NameFormatURI, Values: []string{"Engineering"}},
			{Name: PrefixPrincipalTag + "CostCenter", NameFormat: NameFormatURI, Values: []string{"CC-1001"}},
			{Name: AttrTransitiveTagKeys, NameFormat: NameFormatURI, Values: []string{"Department"}},
		}
	case ProfileIdentityCenter:
		recipient = idcACS
		a.NameID, a.NameIDFormat = "alice@contoso.com", NameIDEmailAddress
		a.Audiences = []string{idcAudience}
		a.Attributes = []saml.AttributeView{
			{Name: PrefixAccessControl + "Department", Values: []string{"Engineering"}},
			{Name: PrefixAccessControl + "CostCenter", Values: []string{"CC-1001"}},
		}
	default:
		recipient = "https://sp.example/acs"
		a.NameID, a.NameIDFormat = "alice", NameIDUnspecified
		a.Audiences = []string{"https://sp.example/"}
		a.Attributes = []saml.AttributeView{{Name: "email", Values: []string{"alice@contoso.com", "a@contoso.com"}}}
	}
	v.Destination = recipient
	a.SubjectConfirmations = []saml.SubjectConfirmation{{Method: cmBearer, Recipient: recipient, NotOnOrAfter: t0.Add(5 * time.Minute)}}
	return v
}

// setAttr replaces the named attribute's values, or appends the attribute.
func setAttr(v *saml.View, name string, values ...string) {
	for i, a := range v.Assertion.Attributes {
		if a.Name == name {
			v.Assertion.Attributes[i].Values = values
			return
		}
	}
	v.Assertion.Attributes = append(v.Assertion.Attributes, saml.AttributeView{Name: name, Values: values})
}

func delAttr(v *saml.View, name string) {
	v.Assertion.Attributes = slices.DeleteFunc(v.Assertion.Attributes, func(a saml.AttributeView) bool { return a.Name == name })
}

func setRecipient(v *saml.View, url string) {
	v.Destination = url
	for i := range v.Assertion.SubjectConfirmations {
		v.Assertion.SubjectConfirmations[i].Recipient = url
	}
}

// viewCase lints the profile's base view after mut, at lintNow.
func viewCase(profile string, mut func(v *saml.View)) func() []Finding {
	return viewOptsCase(profile, mut, nil)
}

// viewOptsCase is viewCase with options changed by opt.
func viewOptsCase(profile string, mut func(v *saml.View), opt func(o *Options)) func() []Finding {
	return func() []Finding {
		v := baseView(profile)
		if mut != nil {
			mut(v)
		}
		o := Options{Now: lintNow}
		if opt != nil {
			opt(&o)
		}
		return LintView(v, mustProfile(profile), o)
	}
}

// baseClaims is a valid evaluated claim set for the profile.
func baseClaims(profile string) (claims.NameID, []claims.Attribute) {
	v := baseView(profile)
	var attrs []claims.Attribute
	for _, a := range v.Assertion.Attributes {
		attrs = append(attrs, claims.Attribute{Name: a.Name, NameFormat: a.NameFormat, Values: slices.Clone(a.Values)})
	}
	return claims.NameID{Format: v.Assertion.NameIDFormat, Value: v.Assertion.NameID}, attrs
}

func claimsCase(profile string, mut func(n *claims.NameID, attrs []claims.Attribute) []claims.Attribute) func() []Finding {
	return func() []Finding {
		n, attrs := baseClaims(profile)
		if mut != nil {
			attrs = mut(&n, attrs)
		}
		return LintClaims(n, attrs, mustProfile(profile))
	}
}

// basePolicy is a valid rule set for the profile, in Entra's vocabulary.
func basePolicy(profile string) claims.Policy {
	ns := Namespace
	switch profile {
	case ProfileSTS:
		return claims.Policy{
			NameID: claims.NameIDRule{Format: "persistent", Source: "user.objectid"},
			Claims: []claims.Rule{
				{Name: "Role", Namespace: ns, Source: "user.assignedroles"},
				{Name: "RoleSessionName", Namespace: ns, Transformations: []claims.Transformation{{Function: "ExtractMailPrefix", Input: "user.userprincipalname"}}},
				{Name: "SessionDuration", Namespace: ns, Value: "3600"},
				{Name: "PrincipalTag:Department", Namespace: ns, Source: "user.department"},
				{Name: "PrincipalTag:Team", Namespace: ns, Value: "platform", Conditions: []claims.Condition{{UserType: "members", Groups: []string{"grp-eng"}, Value: "eng/core"}}},
				{Name: "TransitiveTagKeys", Namespace: ns, Value: "Department"},
			},
		}
	case ProfileIdentityCenter:
		return claims.Policy{
			NameID: claims.NameIDRule{Format: "email", Source: "user.userprincipalname"},
			Claims: []claims.Rule{
				{Name: "AccessControl:Department", Namespace: ns, Source: "user.department"},
				{Name: "AccessControl:Level", Namespace: ns, Value: "standard"},
			},
		}
	}
	return claims.Policy{
		NameID: claims.NameIDRule{Format: "unspecified", Source: "user.userprincipalname"},
		Claims: []claims.Rule{{Name: "email", Source: "user.mail"}},
	}
}

func policyCase(profile string, mut func(p *claims.Policy)) func() []Finding {
	return func() []Finding {
		p := basePolicy(profile)
		if mut != nil {
			mut(&p)
		}
		return LintPolicy(p, mustProfile(profile))
	}
}

// baseSCIMUser is a CreateUser body Identity Center accepts, shaped like
// Entra ID's provisioning output.
func baseSCIMUser() map[string]any {
	var m map[string]any
	err := json.Unmarshal([]byte(`{
	  "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
	  "externalId": "0f3c6a1e-2b4d-4e8f-9a1b-3c5d7e9f1a2b",
	  "userName": "alice@contoso.com",
	  "active": true,
	  "displayName": "Alice Smith",
	  "title": "Engineer",
	  "name": {"givenName": "Alice", "familyName": "Smith", "formatted": "Alice Smith"},
	  "emails": [{"value": "alice@contoso.com", "type": "work", "primary": true}],
	  "phoneNumbers": [{"value": "+1 555 0100", "type": "work"}],
	  "addresses": [{"streetAddress": "1 Main St", "locality": "Seattle", "region": "WA", "postalCode": "98101", "country": "US", "type": "work"}],
	  "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {"department": "Engineering", "costCenter": "CC-1001", "manager": {"value": "bob"}}
	}`), &m)
	if err != nil {
		panic(err)
	}
	return m
}

func baseSCIMGroup() map[string]any {
	return map[string]any{
		"schemas":     []any{SCIMGroupSchema},
		"displayName": "Engineering",
		"externalId":  "grp-eng",
		"members":     []any{map[string]any{"value": "u1"}},
	}
}

func scimCase(group bool, mut func(m map[string]any)) func() []Finding {
	return func() []Finding {
		m := baseSCIMUser()
		if group {
			m = baseSCIMGroup()
		}
		if mut != nil {
			mut(m)
		}
		b, err := json.Marshal(m)
		if err != nil {
			panic(err)
		}
		return LintSCIM(b, "")
	}
}

func rawSCIM(body string) func() []Finding {
	return func() []Finding { return LintSCIM([]byte(body), "") }
}

// nTags returns n distinct PrincipalTag names.
func nTags(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("%sK%02d", PrefixPrincipalTag, i)
	}
	return out
}
