package aws

import (
	"fmt"
	"strings"

	"github.com/samlab/samlab/claims"
)

// Names Entra ID gives the groups and role claims when a policy does not
// rename them.
const (
	claimGroups = "http://schemas.microsoft.com/ws/2008/06/identity/claims/groups"
	claimRole   = "http://schemas.microsoft.com/ws/2008/06/identity/claims/role"
)

// defaultClaims are the claims Entra ID always adds (Policy.DefaultClaims);
// they count against Identity Center's attribute limit.
var defaultClaims = [...]string{
	"http://schemas.microsoft.com/identity/claims/tenantid",
	"http://schemas.microsoft.com/identity/claims/objectidentifier",
	"http://schemas.microsoft.com/identity/claims/displayname",
	"http://schemas.microsoft.com/identity/claims/identityprovider",
	"http://schemas.microsoft.com/claims/authnmethodsreferences",
}

// LintPolicy checks what can be known about an application's claim rules
// before any user logs in: claim names (AWS names, tag keys), constant
// values (a constant tag value with a comma fails for everyone), the
// NameID format against the profile, required claims missing from the
// rule set and multi-valued PrincipalTag/AccessControl claims.
func LintPolicy(p claims.Policy, profile Profile) []Finding {
	l := newLinter(profile, stagePolicy)
	var as []attribute
	for _, r := range p.Claims {
		a := attribute{
			Name:         fullName(r.Namespace, r.Name),
			NameFormat:   nameFormatURN(r.NameFormat),
			MultiValued:  r.MultiValued || anyMultiValued(r.Transformations),
			Alternatives: true,
			What:         "claim rule",
		}
		if a.NameFormat == "" {
			a.NameFormat = nameFormatURN(p.AttributeNameFormat)
		}
		if r.Value != "" {
			a.Values = append(a.Values, r.Value)
		}
		for _, c := range r.Conditions {
			if c.Value != "" {
				a.Values = append(a.Values, c.Value)
			}
			if anyMultiValued(c.Transformations) {
				a.MultiValued = true
			}
		}
		as = append(as, a)
	}
	if g := p.GroupClaim; g != nil {
		name := claimGroups
		if g.EmitAsRoles {
			name = claimRole
		}
		if g.Name != "" {
			name = fullName(g.Namespace, g.Name)
		}
		as = append(as, attribute{Name: name, MultiValued: true, Alternatives: true, What: "groups claim",
			NameFormat: nameFormatURN(p.AttributeNameFormat)})
	}
	if p.DefaultClaims {
		for _, n := range defaultClaims {
			as = append(as, attribute{Name: n, Alternatives: true, What: "default claim",
				NameFormat: nameFormatURN(p.AttributeNameFormat)})
		}
	}
	l.attributes(as)
	l.nameIDFormat(nameIDFormatURN(p.NameID.Format), "NameID format")
	return l.findings()
}

func anyMultiValued(ts []claims.Transformation) bool {
	for _, t := range ts {
		if t.MultiValued {
			return true
		}
	}
	return false
}

// LintClaims checks one user's evaluated claims: the config loader runs it
// for every demo user, the issuer before signing.
func LintClaims(nameID claims.NameID, attrs []claims.Attribute, profile Profile) []Finding {
	l := newLinter(profile, stageClaims)
	l.attributes(claimAttributes(attrs))
	l.nameID(nameID.Value, nameID.Format)
	return l.findings()
}

func claimAttributes(attrs []claims.Attribute) []attribute {
	as := make([]attribute, 0, len(attrs))
	for _, a := range attrs {
		as = append(as, attribute{Name: a.Name, NameFormat: a.NameFormat, Values: a.Values, What: "claim"})
	}
	return as
}

// nameIDFormat checks a NameID format URN ("" = not known yet) against
// the profile.
func (l *linter) nameIDFormat(format, what string) {
	if format == "" && l.stage == stagePolicy {
		return // "default": the format follows the source; checked per user
	}
	switch {
	case l.is(ProfileSTS):
		ok := false
		for _, f := range stsNameIDFormats {
			if f == format {
				ok = true
			}
		}
		if !ok {
			l.add("sts-nameid-format", "Subject/NameID", "%s %q is not one AWS accepts: use %s", what, format, NameIDPersistent)
		}
	case l.is(ProfileIdentityCenter):
		if format != NameIDEmailAddress {
			shown := format
			if shown == "" {
				shown = "(none, i.e. unspecified)"
			}
			l.add("idc-nameid-format", "Subject/NameID", "%s is %s; IAM Identity Center needs %s: set the NameID format to Email address", what, shown, NameIDEmailAddress)
		}
	}
}

// nameID checks a NameID's value and format.
func (l *linter) nameID(value, format string) {
	if strings.TrimSpace(value) == "" {
		l.add("sts-nameid", "Subject/NameID", "the Subject has no NameID value; AWS needs one: give the NameID (Unique User Identifier) a source every user has")
		return
	}
	l.nameIDFormat(format, "NameID Format")
	if l.is(ProfileSTS) && strings.Contains(value, "@") {
		l.add("sts-nameid-pii", "Subject/NameID", "NameID %q looks like an email address; AWS records it in CloudTrail (saml:sub): prefer a persistent opaque id such as user.objectid", value)
	}
	if l.is(ProfileIdentityCenter) && !addrSpecRE.MatchString(value) {
		l.add("idc-nameid-value", "Subject/NameID", "NameID %q is not an RFC 2822 addr-spec (local@domain); IAM Identity Center matches it against the userName: send the exact userName, e.g. %s", value, suggestAddr(value))
	}
}

func suggestAddr(v string) string {
	if strings.Contains(v, "@") {
		return fmt.Sprintf("%q without spaces or quotes", strings.TrimSpace(v))
	}
	return "user.userprincipalname"
}
