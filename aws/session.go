package aws

import (
	"crypto/sha1"
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"

	"github.com/samlab/samlab/claims"
	"github.com/samlab/samlab/saml"
)

// Session is the AWS view of a response: what AWS would create from it —
// the roles offered, the session name and duration, the session tags and
// the SAML condition keys a trust or permission policy can test.
type Session struct {
	// Profile is the profile the response was read as (see DetectProfile).
	Profile string
	// Issuer is saml:iss; Subject and SubjectType are saml:sub and
	// saml:sub_type (the NameID format without its URN prefix).
	Issuer      string
	Subject     string
	SubjectType string
	// Audience is saml:aud, which AWS takes from the Recipient (not the
	// Audience element).
	Audience string
	// Roles are the Role attribute's choices, in order.
	Roles []RoleChoice
	// RoleSessionName is the session name; "" when absent.
	RoleSessionName string
	// SessionDuration is the console session length in seconds;
	// DefaultDuration is true when no (valid) SessionDuration attribute
	// was sent and AWS's 3600 applies.
	SessionDuration int
	DefaultDuration bool
	SourceIdentity  string
	// Tags are the session tags (aws:PrincipalTag/<Key>) from
	// PrincipalTag:* and, for Identity Center, AccessControl:* attributes.
	Tags []Tag
	// TransitiveKeys lists the TransitiveTagKeys values.
	TransitiveKeys []string
	// UserName is the Identity Center userName the NameID is matched
	// against (aws-identity-center only).
	UserName string
}

// RoleChoice is one role the user can assume.
type RoleChoice struct {
	RoleARN     string
	ProviderARN string
	Account     string
	// ProviderName is the SAML provider's name (the end of its ARN).
	ProviderName string
	// NameQualifier is saml:namequalifier for this provider:
	// base64(SHA1(issuer + account + "/" + providerName)); "" when the
	// issuer is unknown.
	NameQualifier string
	// Problem says why the value is not a valid role,provider pair, ""
	// when it is.
	Problem string
}

// Tag is one session tag.
type Tag struct {
	Key   string
	Value string
	// Transitive is true when TransitiveTagKeys names the key.
	Transitive bool
	// Source is the attribute kind the tag came from: "PrincipalTag" or
	// "AccessControl".
	Source string
	// Problem says why AWS would refuse the tag ("2 values"), "" when it
	// would not.
	Problem string
}

// NameQualifier computes saml:namequalifier, the value STS derives from
// the issuer, the provider's account and the provider's name.
func NameQualifier(issuer, account, providerName string) string {
	sum := sha1.Sum([]byte(issuer + account + "/" + providerName))
	return base64.StdEncoding.EncodeToString(sum[:])
}

// SessionView returns what AWS would create from a parsed response. It
// returns nil for a nil view; a view without an assertion gives an empty
// session.
func SessionView(v *saml.View) *Session {
	if v == nil {
		return nil
	}
	s := &Session{Profile: DetectProfile(v)}
	a := v.Assertion
	if a == nil {
		return s
	}
	s.Issuer = a.Issuer
	s.setSubject(a.NameID, a.NameIDFormat)
	for _, sc := range a.SubjectConfirmations {
		if sc.Recipient != "" {
			s.Audience = sc.Recipient
			break
		}
	}
	attrs := make([]claims.Attribute, 0, len(a.Attributes))
	for _, at := range a.Attributes {
		attrs = append(attrs, claims.Attribute{Name: at.Name, NameFormat: at.NameFormat, Values: at.Values})
	}
	s.fill(attrs)
	return s
}

// SessionFromClaims returns what AWS would create from evaluated claims.
// The issuer is not known here: set Session.Issuer and call Qualify to get
// saml:namequalifier.
func SessionFromClaims(nameID claims.NameID, attrs []claims.Attribute) *Session {
	s := &Session{Profile: ProfileGeneric}
	for _, a := range attrs {
		if a.Name == AttrRole {
			s.Profile = ProfileSTS
			break
		}
		if strings.HasPrefix(a.Name, PrefixAccessControl) {
			s.Profile = ProfileIdentityCenter
		}
	}
	s.setSubject(nameID.Value, nameID.Format)
	s.fill(attrs)
	return s
}

func (s *Session) setSubject(value, format string) {
	s.Subject = value
	s.SubjectType = strings.TrimPrefix(format, "urn:oasis:names:tc:SAML:2.0:nameid-format:")
	if s.Profile == ProfileIdentityCenter {
		s.UserName = value
	}
}

// fill reads the AWS attributes.
func (s *Session) fill(attrs []claims.Attribute) {
	s.SessionDuration, s.DefaultDuration = 3600, true
	for _, a := range attrs {
		switch {
		case a.Name == AttrRole:
			for _, v := range a.Values {
				s.Roles = append(s.Roles, roleChoice(v))
			}
		case a.Name == AttrRoleSessionName && len(a.Values) > 0:
			s.RoleSessionName = a.Values[0]
		case a.Name == AttrSessionDuration && len(a.Values) == 1:
			if n, ok := atoiRange(a.Values[0]); ok {
				s.SessionDuration, s.DefaultDuration = n, false
			}
		case a.Name == AttrSourceIdentity && len(a.Values) > 0:
			s.SourceIdentity = a.Values[0]
		case a.Name == AttrTransitiveTagKeys:
			s.TransitiveKeys = append(s.TransitiveKeys, a.Values...)
		case strings.HasPrefix(a.Name, PrefixPrincipalTag):
			s.Tags = append(s.Tags, makeTag("PrincipalTag", strings.TrimPrefix(a.Name, PrefixPrincipalTag), a.Values))
		case strings.HasPrefix(a.Name, PrefixAccessControl) && s.Profile != ProfileSTS:
			s.Tags = append(s.Tags, makeTag("AccessControl", strings.TrimPrefix(a.Name, PrefixAccessControl), a.Values))
		}
	}
	for i := range s.Tags {
		for _, k := range s.TransitiveKeys {
			if strings.EqualFold(k, s.Tags[i].Key) {
				s.Tags[i].Transitive = true
			}
		}
	}
	s.Qualify()
}

func makeTag(source, key string, values []string) Tag {
	t := Tag{Key: key, Source: source}
	switch len(values) {
	case 0:
		t.Problem = "no value"
	case 1:
		t.Value = values[0]
	default:
		t.Value = strings.Join(values, ", ")
		t.Problem = fmt.Sprintf("%d values; AWS takes one", len(values))
	}
	if t.Problem == "" {
		probs := append(tagKeyProblems(key), tagValueProblems(t.Value)...)
		if len(probs) > 0 {
			t.Problem = strings.Join(probs, "; ")
		}
	}
	return t
}

func roleChoice(v string) RoleChoice {
	p, probs := parseRoleValue(v)
	rc := RoleChoice{RoleARN: p.Role.Raw, ProviderARN: p.Provider.Raw, Account: p.Role.Account, ProviderName: p.Provider.Name}
	if rc.RoleARN == "" && rc.ProviderARN == "" {
		rc.RoleARN = v
	}
	if len(probs) > 0 {
		rc.Problem = strings.Join(probs, "; ")
	}
	return rc
}

// Qualify fills each role's NameQualifier from Issuer (for sessions built
// from claims, after setting Issuer).
func (s *Session) Qualify() {
	for i := range s.Roles {
		r := &s.Roles[i]
		r.NameQualifier = ""
		if s.Issuer != "" && r.ProviderName != "" {
			r.NameQualifier = NameQualifier(s.Issuer, r.Account, r.ProviderName)
		}
	}
}

// Lines renders the session for people, one aligned line each.
func (s *Session) Lines() []string {
	if s == nil {
		return nil
	}
	var out []string
	row := func(k, v string) { out = append(out, fmt.Sprintf("%-20s %s", k, v)) }
	none := func(v string) string {
		if v == "" {
			return "(none)"
		}
		return v
	}
	row("profile", s.Profile)
	if s.Profile == ProfileIdentityCenter {
		row("userName", none(s.UserName)+" (Identity Center looks the user up by this userName)")
	} else {
		row("saml:iss", none(s.Issuer))
		row("saml:sub", none(s.Subject))
		row("saml:sub_type", none(s.SubjectType))
		if s.Audience != "" {
			row("saml:aud", s.Audience+" (from Recipient)")
		} else {
			row("saml:aud", "(none)")
		}
		if len(s.Roles) == 0 {
			row("role", "(none)")
		}
		for i, r := range s.Roles {
			key := "role"
			if len(s.Roles) > 1 {
				key = fmt.Sprintf("role %d of %d", i+1, len(s.Roles))
			}
			if r.Problem != "" {
				row(key, r.RoleARN+" (invalid: "+r.Problem+")")
				continue
			}
			row(key, r.RoleARN)
			row("  provider", r.ProviderARN)
			row("  account", r.Account)
			if r.NameQualifier != "" {
				row("  saml:namequalifier", r.NameQualifier)
			}
		}
		row("RoleSessionName", none(s.RoleSessionName))
		d := strconv.Itoa(s.SessionDuration) + " s"
		if s.DefaultDuration {
			d += " (default: no valid SessionDuration attribute)"
		}
		row("SessionDuration", d)
		row("SourceIdentity", none(s.SourceIdentity))
		if len(s.TransitiveKeys) > 0 {
			row("TransitiveTagKeys", strings.Join(s.TransitiveKeys, ", "))
		}
	}
	if len(s.Tags) == 0 {
		row("session tags", "(none)")
		return out
	}
	out = append(out, "session tags")
	width := 0
	for _, t := range s.Tags {
		width = max(width, len("aws:PrincipalTag/"+t.Key))
	}
	for _, t := range s.Tags {
		line := fmt.Sprintf("  %-*s = %s", width, "aws:PrincipalTag/"+t.Key, t.Value)
		var notes []string
		if t.Transitive {
			notes = append(notes, "transitive")
		}
		if t.Source == "AccessControl" {
			notes = append(notes, "from AccessControl:"+t.Key)
		}
		if t.Problem != "" {
			notes = append(notes, "rejected: "+t.Problem)
		}
		if len(notes) > 0 {
			line += "  (" + strings.Join(notes, "; ") + ")"
		}
		out = append(out, line)
	}
	return out
}

// String renders the session as Lines joined by newlines.
func (s *Session) String() string { return strings.Join(s.Lines(), "\n") }
