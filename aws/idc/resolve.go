package idc

import (
	"fmt"
	"slices"
	"strings"

	"github.com/samlab/samlab/aws"
	"github.com/samlab/samlab/saml"
	"github.com/samlab/samlab/scim"
)

// Precedence decides which value wins when a key is both configured with
// a ${path:...} source and sent in SAML as AccessControl:<Key>. AWS's
// pages disagree (AWS-ABAC-007): the sso-admin API reference says the
// identity-store value replaces the SAML one; the ABAC user guide page
// says SAML takes precedence over SCIM-synced values.
type Precedence string

const (
	// IdentityStoreWins follows the sso-admin API reference ("IAM
	// Identity Center replaces the attribute value with the value from
	// the IAM Identity Center identity store"). The default.
	IdentityStoreWins Precedence = "identity-store"
	// SAMLWins follows the user guide's attributes-for-access-control
	// page.
	SAMLWins Precedence = "saml"
)

// Precedences lists the values a configuration may name.
var Precedences = []Precedence{IdentityStoreWins, SAMLWins}

// Origin says where an effective value came from.
type Origin string

const (
	FromIdentityStore Origin = "identity store"
	FromSAML          Origin = "SAML"
)

// Candidate is one value offered for a key.
type Candidate struct {
	Value  string
	Origin Origin
	// From is the ${path:...} source or the full SAML attribute name.
	From string
}

// Attribute is one effective attribute for access control: it becomes the
// session tag aws:PrincipalTag/<Key> (AWS-ABAC-006).
type Attribute struct {
	Key string
	Candidate
	// Why says in one sentence why this value is the one used.
	Why string
	// Lost is the value that lost against this one, if any.
	Lost *Candidate
}

// Dropped is a configured or sent key that yields no attribute.
type Dropped struct {
	Key string
	Why string
}

// Problem is something in the SAML attributes that makes Identity Center
// refuse the sign-in ("An unexpected error has occurred").
type Problem struct {
	Rule    string
	Message string
}

// Result is what Resolve found.
type Result struct {
	// Attributes are the effective attributes, sorted by key ignoring case.
	Attributes []Attribute
	// Dropped are keys that yield nothing, with the reason.
	Dropped []Dropped
	// Problems make the sign-in fail; Attributes are then what would
	// apply once they are fixed.
	Problems []Problem
}

// samlValue is one AccessControl:<Key> attribute as sent.
type samlValue struct {
	key, name string
	values    []string
}

// Resolve returns the effective attributes for access control of user u:
// the configured mappings with values from the identity store, and the
// SAML attributes AccessControl:<Key> (AWS-ABAC-001), combined with
// precedence p (empty: IdentityStoreWins). Keys are compared ignoring
// case (AWS-ABAC-006); a configured key is shown as configured.
func Resolve(u *scim.User, mappings []Mapping, attrs []saml.AttributeView, p Precedence) Result {
	if p == "" {
		p = IdentityStoreWins
	}
	var res Result
	sent := map[string]*samlValue{}
	var sentOrder []string
	for _, a := range attrs {
		key, ok := strings.CutPrefix(a.Name, aws.PrefixAccessControl)
		if !ok {
			continue
		}
		l := strings.ToLower(key)
		if prev, dup := sent[l]; dup {
			res.Problems = append(res.Problems, Problem{"AWS-ABAC-004",
				fmt.Sprintf("%s and %s name the same key (keys are compared ignoring case): send each key once", prev.name, a.Name)})
			continue
		}
		if len(a.Values) > 1 {
			res.Problems = append(res.Problems, Problem{"AWS-ABAC-004",
				fmt.Sprintf("%s has %d values; Identity Center takes one value per attribute: join them into one", a.Name, len(a.Values))})
		}
		if a.StructuredValue {
			res.Problems = append(res.Problems, Problem{"AWS-ABAC-004",
				fmt.Sprintf("%s holds XML elements, not text", a.Name)})
		}
		sent[l] = &samlValue{key: key, name: a.Name, values: a.Values}
		sentOrder = append(sentOrder, l)
	}
	if len(sentOrder) > MaxMappings {
		res.Problems = append(res.Problems, Problem{"AWS-ABAC-003",
			fmt.Sprintf("the assertion carries %d AccessControl attributes; Identity Center takes at most %d", len(sentOrder), MaxMappings)})
	}

	used := map[string]bool{}
	for _, m := range mappings {
		l := strings.ToLower(m.Key)
		if used[l] {
			continue // CheckMappings refuses duplicates; keep the first
		}
		used[l] = true
		sv := sent[l]
		var fromSAML *Candidate
		if sv != nil {
			fromSAML = &Candidate{Value: first(sv.values), Origin: FromSAML, From: sv.name}
		}
		path, isPath := SourcePath(m.Source)
		if !isPath {
			// Configured without a source: the key is documented on the
			// page, its value comes from SAML.
			if fromSAML == nil {
				res.Dropped = append(res.Dropped, Dropped{m.Key, fmt.Sprintf("configured to come from SAML, but the response has no %s%s attribute", aws.PrefixAccessControl, m.Key)})
				continue
			}
			res.Attributes = append(res.Attributes, Attribute{Key: m.Key, Candidate: *fromSAML,
				Why: "configured without a source on the Attributes for access control page, so the value sent in SAML is used"})
			continue
		}
		v, ok := UserValue(u, path)
		store := &Candidate{Value: v, Origin: FromIdentityStore, From: m.Source}
		switch {
		case !ok && fromSAML == nil:
			res.Dropped = append(res.Dropped, Dropped{m.Key, fmt.Sprintf("the user has no value at %s in the identity store and SAML sends no %s%s", path, aws.PrefixAccessControl, m.Key)})
		case !ok:
			res.Attributes = append(res.Attributes, Attribute{Key: m.Key, Candidate: *fromSAML,
				Why: fmt.Sprintf("the user has no value at %s in the identity store, so the value sent in SAML is used", path)})
		case fromSAML == nil:
			res.Attributes = append(res.Attributes, Attribute{Key: m.Key, Candidate: *store,
				Why: fmt.Sprintf("configured as %s; SAML sends no value for this key", m.Source)})
		case p == SAMLWins:
			res.Attributes = append(res.Attributes, Attribute{Key: m.Key, Candidate: *fromSAML, Lost: store,
				Why: fmt.Sprintf("sent in SAML and configured as %s; with precedence %q the SAML value wins", m.Source, p)})
		default:
			res.Attributes = append(res.Attributes, Attribute{Key: m.Key, Candidate: *store, Lost: fromSAML,
				Why: fmt.Sprintf("configured as %s, which replaces the value sent in SAML (precedence %q)", m.Source, p)})
		}
	}
	for _, l := range sentOrder {
		if used[l] {
			continue
		}
		sv := sent[l]
		res.Attributes = append(res.Attributes, Attribute{Key: sv.key,
			Candidate: Candidate{Value: first(sv.values), Origin: FromSAML, From: sv.name},
			Why:       "sent in SAML; the key is not configured on the Attributes for access control page, and SAML-passed keys are used as they come"})
	}
	slices.SortStableFunc(res.Attributes, func(a, b Attribute) int {
		return strings.Compare(strings.ToLower(a.Key), strings.ToLower(b.Key))
	})
	return res
}

func first(v []string) string {
	if len(v) == 0 {
		return ""
	}
	return v[0]
}
