package idc

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/samlab/samlab/scim"
)

// Mapping is one row of Identity Center's "Attributes for access control"
// page: a key and the source of its value. Source is "${path:<scim-path>}"
// (a value from the identity store, AWS-ABAC-009), or "" for a key whose
// value comes from the SAML attribute AccessControl:<Key>.
type Mapping struct {
	Key    string
	Source string
}

// MaxMappings is how many attributes the page takes (AWS-ABAC-008), and
// how many AccessControl attributes an assertion may carry (AWS-ABAC-003).
const MaxMappings = 50

// Paths are the SCIM paths a ${path:...} source may name for users of an
// external identity provider (AWS-ABAC-009), in the order AWS lists them.
var Paths = []string{
	"userName", "name.familyName", "name.givenName", "displayName", "nickName",
	"emails[primary eq true].value",
	`addresses[type eq "work"].streetAddress`, `addresses[type eq "work"].locality`,
	`addresses[type eq "work"].region`, `addresses[type eq "work"].postalCode`,
	`addresses[type eq "work"].country`, `addresses[type eq "work"].formatted`,
	`phoneNumbers[type eq "work"].value`,
	"userType", "title", "locale", "timezone",
	"enterprise.employeeNumber", "enterprise.costCenter", "enterprise.organization",
	"enterprise.division", "enterprise.department", "enterprise.manager.value",
}

// keyRE is the key pattern of sso-admin's AccessControlAttribute
// (AWS-ABAC-008).
var keyRE = regexp.MustCompile(`^[\p{L}\p{Z}\p{N}_.:/=+\-@]+$`)

// SourcePath returns the SCIM path of a "${path:...}" source, and false
// for "" (SAML-sourced) or any other form.
func SourcePath(source string) (string, bool) {
	p, ok := strings.CutPrefix(source, "${path:")
	if !ok || !strings.HasSuffix(p, "}") {
		return "", false
	}
	return strings.TrimSuffix(p, "}"), true
}

// CheckMapping reports what is wrong with one row, worded as what to
// change; nil when it is one Identity Center accepts for SCIM users.
func CheckMapping(m Mapping) error {
	var errs []error
	switch n := utf8.RuneCountInString(m.Key); {
	case n == 0:
		errs = append(errs, errors.New("the key is empty; a key is 1-128 characters"))
	case n > 128:
		errs = append(errs, fmt.Errorf("key %q is %d characters; Identity Center takes at most 128", m.Key, n))
	case !keyRE.MatchString(m.Key):
		errs = append(errs, fmt.Errorf("key %q: use letters, digits, spaces and _ . : / = + - @ only", m.Key))
	case strings.HasPrefix(strings.ToLower(m.Key), "aws:"):
		errs = append(errs, fmt.Errorf("key %q: the aws: prefix is reserved", m.Key))
	}
	if m.Source != "" {
		if err := checkSource(m.Source); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

func checkSource(s string) error {
	if len(s) > 256 {
		return fmt.Errorf("source is %d characters; Identity Center takes at most 256", len(s))
	}
	for _, other := range []string{"${user:", "${dir:"} {
		if strings.HasPrefix(s, other) {
			return fmt.Errorf("source %q reads Identity Center's own directory or Active Directory; users provisioned by SCIM from an external IdP take ${path:<scim-path>}, e.g. \"${path:enterprise.costCenter}\"", s)
		}
	}
	p, ok := SourcePath(s)
	if !ok {
		return fmt.Errorf("source %q: write \"${path:<scim-path>}\", e.g. \"${path:enterprise.costCenter}\", or \"\" to take the value from the SAML attribute AccessControl:<key>", s)
	}
	for _, q := range Paths {
		if p == q {
			return nil
		}
	}
	for _, q := range Paths {
		if strings.EqualFold(p, q) {
			return fmt.Errorf("source %q: SCIM path %q is spelled %q", s, p, q)
		}
	}
	return fmt.Errorf("source %q: Identity Center does not offer SCIM path %q; use one of %s", s, p, strings.Join(Paths, ", "))
}

// CheckMappings checks every row and the set: at most MaxMappings rows and
// keys unique ignoring case (session-tag keys are case-insensitive,
// AWS-ABAC-006). All problems are returned at once.
func CheckMappings(ms []Mapping) error {
	var errs []error
	if len(ms) > MaxMappings {
		errs = append(errs, fmt.Errorf("%d attributes for access control; Identity Center takes at most %d", len(ms), MaxMappings))
	}
	seen := map[string]string{}
	for _, m := range ms {
		if err := CheckMapping(m); err != nil {
			errs = append(errs, err)
		}
		l := strings.ToLower(m.Key)
		if other, dup := seen[l]; dup && m.Key != "" {
			errs = append(errs, fmt.Errorf("keys %q and %q are the same key (keys are compared ignoring case)", other, m.Key))
		}
		seen[l] = m.Key
	}
	return errors.Join(errs...)
}

// UserValue reads a SCIM path of Paths from a store user. ok is false when
// the path is not one of Paths or the user has no (or an empty) value.
func UserValue(u *scim.User, path string) (value string, ok bool) {
	if u == nil {
		return "", false
	}
	var v string
	ent := u.Enterprise
	if ent == nil {
		ent = &scim.Enterprise{}
	}
	switch path {
	case "userName":
		v = u.UserName
	case "name.familyName":
		v = u.Name.FamilyName
	case "name.givenName":
		v = u.Name.GivenName
	case "displayName":
		v = u.DisplayName
	case "nickName":
		v = u.NickName
	case "userType":
		v = u.UserType
	case "title":
		v = u.Title
	case "locale":
		v = u.Locale
	case "timezone":
		v = u.Timezone
	case "emails[primary eq true].value":
		for _, e := range u.Emails {
			if e.Primary {
				v = e.Value
				break
			}
		}
	case `phoneNumbers[type eq "work"].value`:
		for _, p := range u.PhoneNumbers {
			if strings.EqualFold(p.Type, "work") {
				v = p.Value
				break
			}
		}
	case "enterprise.employeeNumber":
		v = ent.EmployeeNumber
	case "enterprise.costCenter":
		v = ent.CostCenter
	case "enterprise.organization":
		v = ent.Organization
	case "enterprise.division":
		v = ent.Division
	case "enterprise.department":
		v = ent.Department
	case "enterprise.manager.value":
		v = ent.Manager
	default:
		sub, ok := strings.CutPrefix(path, `addresses[type eq "work"].`)
		if !ok {
			return "", false
		}
		for _, a := range u.Addresses {
			if !strings.EqualFold(a.Type, "work") {
				continue
			}
			switch sub {
			case "streetAddress":
				v = a.StreetAddress
			case "locality":
				v = a.Locality
			case "region":
				v = a.Region
			case "postalCode":
				v = a.PostalCode
			case "country":
				v = a.Country
			case "formatted":
				v = a.Formatted
			}
			break
		}
	}
	return v, v != ""
}
