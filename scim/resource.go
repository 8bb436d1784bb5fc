package scim

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Field limits of IdC's identity store (AWS-SCIM-008).
const (
	MaxUserNameLen   = 128
	MaxExternalIDLen = 256
	MaxStringLen     = 1024
	MaxGroupMembers  = 100 // per CreateGroup and per PatchGroup (AWS-SCIM-012)
)

// ---- output ----

type metaJSON struct {
	ResourceType string `json:"resourceType"`
	Created      string `json:"created"`
	LastModified string `json:"lastModified"`
}

func scimTime(t time.Time) string { return t.UTC().Truncate(time.Second).Format(time.RFC3339) }

type nameJSON struct {
	Formatted       string `json:"formatted,omitempty"`
	FamilyName      string `json:"familyName,omitempty"`
	GivenName       string `json:"givenName,omitempty"`
	MiddleName      string `json:"middleName,omitempty"`
	HonorificPrefix string `json:"honorificPrefix,omitempty"`
	HonorificSuffix string `json:"honorificSuffix,omitempty"`
}

type multiJSON struct {
	Value   string `json:"value,omitempty"`
	Type    string `json:"type,omitempty"`
	Primary bool   `json:"primary"`
}

type managerJSON struct {
	Value string `json:"value"`
}

type enterpriseJSON struct {
	EmployeeNumber string       `json:"employeeNumber,omitempty"`
	CostCenter     string       `json:"costCenter,omitempty"`
	Organization   string       `json:"organization,omitempty"`
	Division       string       `json:"division,omitempty"`
	Department     string       `json:"department,omitempty"`
	Manager        *managerJSON `json:"manager,omitempty"`
}

type userJSON struct {
	ID                string          `json:"id"`
	ExternalID        string          `json:"externalId,omitempty"`
	Meta              metaJSON        `json:"meta"`
	Schemas           []string        `json:"schemas"`
	UserName          string          `json:"userName"`
	Name              nameJSON        `json:"name"`
	DisplayName       string          `json:"displayName,omitempty"`
	NickName          string          `json:"nickName,omitempty"`
	ProfileURL        string          `json:"profileUrl,omitempty"`
	Title             string          `json:"title,omitempty"`
	UserType          string          `json:"userType,omitempty"`
	PreferredLanguage string          `json:"preferredLanguage,omitempty"`
	Locale            string          `json:"locale,omitempty"`
	Timezone          string          `json:"timezone,omitempty"`
	Active            bool            `json:"active"`
	Emails            []multiJSON     `json:"emails,omitempty"`
	Addresses         []Address       `json:"addresses,omitempty"`
	PhoneNumbers      []multiJSON     `json:"phoneNumbers,omitempty"`
	Roles             []multiJSON     `json:"roles,omitempty"`
	Enterprise        *enterpriseJSON `json:"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User,omitempty"`
}

func multis(in []MultiValue) []multiJSON {
	if len(in) == 0 {
		return nil
	}
	out := make([]multiJSON, len(in))
	for i, m := range in {
		out[i] = multiJSON(m)
	}
	return out
}

// UserResource is u as IdC answers it (GetUser, CreateUser, ...).
func UserResource(u *User) any {
	j := userJSON{
		ID: u.ID, ExternalID: u.ExternalID,
		Meta:     metaJSON{ResourceType: "User", Created: scimTime(u.Created), LastModified: scimTime(u.LastModified)},
		Schemas:  []string{UserSchema},
		UserName: u.UserName, Name: nameJSON(u.Name), DisplayName: u.DisplayName, NickName: u.NickName,
		ProfileURL: u.ProfileURL, Title: u.Title, UserType: u.UserType, PreferredLanguage: u.PreferredLanguage,
		Locale: u.Locale, Timezone: u.Timezone, Active: u.Active,
		Emails: multis(u.Emails), Addresses: u.Addresses, PhoneNumbers: multis(u.PhoneNumbers), Roles: multis(u.Roles),
	}
	if e := u.Enterprise; e != nil && *e != (Enterprise{}) {
		j.Schemas = append(j.Schemas, EnterpriseSchema)
		j.Enterprise = &enterpriseJSON{EmployeeNumber: e.EmployeeNumber, CostCenter: e.CostCenter,
			Organization: e.Organization, Division: e.Division, Department: e.Department}
		if e.Manager != "" {
			j.Enterprise.Manager = &managerJSON{Value: e.Manager}
		}
	}
	return j
}

type groupJSON struct {
	ID          string     `json:"id"`
	Meta        metaJSON   `json:"meta"`
	Schemas     []string   `json:"schemas"`
	DisplayName string     `json:"displayName"`
	ExternalID  string     `json:"externalId,omitempty"`
	Members     []struct{} `json:"members"`
}

// GroupResource is g as IdC answers it: members always empty; membership is
// read with a members filter (AWS-SCIM-012).
func GroupResource(g *Group) any {
	return groupJSON{
		ID:          g.ID,
		Meta:        metaJSON{ResourceType: "Group", Created: scimTime(g.Created), LastModified: scimTime(g.LastModified)},
		Schemas:     []string{GroupSchema},
		DisplayName: g.DisplayName, ExternalID: g.ExternalID,
		Members: []struct{}{},
	}
}

// ---- input ----

// object is a decoded JSON object whose keys are matched case-insensitively,
// as SCIM attribute names are (RFC 7643 §2.1).
type object map[string]any

// lowerKeys re-keys m by lower-case name; two keys equal but for case are
// an error.
func lowerKeys(m map[string]any, where string) (map[string]any, error) {
	out := make(map[string]any, len(m))
	for k, v := range m {
		lk := strings.ToLower(k)
		if _, dup := out[lk]; dup {
			return nil, invalid("", fmt.Sprintf("%s: attribute %q given twice", where, k))
		}
		out[lk] = v
	}
	return out, nil
}

// origKey is the key of m that lower-cases to lk, as the client wrote it.
func origKey(m map[string]any, lk string) string {
	for k := range m {
		if strings.ToLower(k) == lk {
			return k
		}
	}
	return lk
}

// sortedKeys gives deterministic error messages.
func sortedKeys(m map[string]any) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

// unsupportedUserAttrs are refused by IdC even when empty (AWS-SCIM-006).
var unsupportedUserAttrs = map[string]string{
	"password": "password", "ims": "ims", "photos": "photos", "entitlements": "entitlements",
	"x509certificates": "x509Certificates", "groups": "groups",
}

// decodeJSONObject parses a request body: one JSON object, nothing after it.
func decodeJSONObject(body []byte) (map[string]any, error) {
	dec := json.NewDecoder(strings.NewReader(string(body)))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, invalid("", DetailInvalid)
	}
	if dec.More() {
		return nil, invalid("", DetailInvalid)
	}
	if _, err := dec.Token(); err == nil {
		return nil, invalid("", DetailInvalid)
	}
	m, ok := v.(map[string]any)
	if !ok {
		return nil, invalid("", DetailInvalid)
	}
	return m, nil
}

func typeName(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case string:
		return "a string"
	case bool:
		return "a boolean"
	case json.Number:
		return "a number"
	case []any:
		return "an array"
	case map[string]any:
		return "an object"
	}
	return fmt.Sprintf("%T", v)
}

// stringValue reads a string attribute; null is "" (absent).
func stringValue(attr string, v any) (string, error) {
	switch s := v.(type) {
	case nil:
		return "", nil
	case string:
		return s, nil
	}
	return "", invalid("", fmt.Sprintf("%s must be a string, not %s", attr, typeName(v)))
}

// boolValue reads a boolean; lenient also takes Entra's older "True" and
// "False" strings (any case).
func boolValue(attr string, v any, lenient bool) (bool, error) {
	switch b := v.(type) {
	case bool:
		return b, nil
	case string:
		if lenient {
			switch strings.ToLower(b) {
			case "true":
				return true, nil
			case "false":
				return false, nil
			}
		}
	}
	return false, invalid("", fmt.Sprintf("%s must be true or false, not %s", attr, typeName(v)))
}

// simpleUserAttr gives the field of a single-valued string attribute by
// canonical lower-case path ("username", "name.givenname",
// "enterprise.department"); nil if there is none. It allocates the
// enterprise extension on demand.
func simpleUserAttr(u *User, key string) *string {
	switch key {
	case "externalid":
		return &u.ExternalID
	case "username":
		return &u.UserName
	case "displayname":
		return &u.DisplayName
	case "nickname":
		return &u.NickName
	case "profileurl":
		return &u.ProfileURL
	case "title":
		return &u.Title
	case "usertype":
		return &u.UserType
	case "preferredlanguage":
		return &u.PreferredLanguage
	case "locale":
		return &u.Locale
	case "timezone":
		return &u.Timezone
	case "name.formatted":
		return &u.Name.Formatted
	case "name.familyname":
		return &u.Name.FamilyName
	case "name.givenname":
		return &u.Name.GivenName
	case "name.middlename":
		return &u.Name.MiddleName
	case "name.honorificprefix":
		return &u.Name.HonorificPrefix
	case "name.honorificsuffix":
		return &u.Name.HonorificSuffix
	}
	if sub, ok := strings.CutPrefix(key, "enterprise."); ok {
		if u.Enterprise == nil {
			u.Enterprise = &Enterprise{}
		}
		e := u.Enterprise
		switch sub {
		case "employeenumber":
			return &e.EmployeeNumber
		case "costcenter":
			return &e.CostCenter
		case "organization":
			return &e.Organization
		case "division":
			return &e.Division
		case "department":
			return &e.Department
		case "manager", "manager.value":
			return &e.Manager
		}
	}
	return nil
}

// displayNames of attributes by canonical key, for messages.
var attrNames = map[string]string{
	"externalid": "externalId", "username": "userName", "displayname": "displayName", "nickname": "nickName",
	"profileurl": "profileUrl", "title": "title", "usertype": "userType", "preferredlanguage": "preferredLanguage",
	"locale": "locale", "timezone": "timezone", "name.formatted": "name.formatted", "name.familyname": "name.familyName",
	"name.givenname": "name.givenName", "name.middlename": "name.middleName", "name.honorificprefix": "name.honorificPrefix",
	"name.honorificsuffix": "name.honorificSuffix", "enterprise.employeenumber": "employeeNumber",
	"enterprise.costcenter": "costCenter", "enterprise.organization": "organization", "enterprise.division": "division",
	"enterprise.department": "department", "enterprise.manager": "manager.value",
}

func attrName(key string) string {
	if n, ok := attrNames[key]; ok {
		return n
	}
	return key
}

// decodeUser reads a CreateUser/PutUser body. Only IdC's attributes are
// accepted (AWS-SCIM-006, AWS-SCIM-007); the result is not yet validated
// (validateUser).
func decodeUser(m map[string]any) (*User, error) {
	top, err := lowerKeys(m, "user")
	if err != nil {
		return nil, err
	}
	u := &User{Active: true}
	activeSet := false
	for _, k := range sortedKeys(top) {
		v := top[k]
		switch k {
		case "schemas":
			if err := checkSchemas(v, UserSchema, EnterpriseSchema); err != nil {
				return nil, err
			}
		case "id":
			if _, err := stringValue("id", v); err != nil {
				return nil, err
			}
		case "meta":
			if err := checkMeta(v); err != nil {
				return nil, err
			}
		case "name":
			if v == nil {
				continue
			}
			nm, ok := v.(map[string]any)
			if !ok {
				return nil, invalid("", "name must be an object, not "+typeName(v))
			}
			sub, err := lowerKeys(nm, "name")
			if err != nil {
				return nil, err
			}
			for _, sk := range sortedKeys(sub) {
				f := simpleUserAttr(u, "name."+sk)
				if f == nil {
					return nil, invalid("AWS-SCIM-007", fmt.Sprintf("name.%s is not an attribute IAM Identity Center supports", origKey(nm, sk)))
				}
				if *f, err = stringValue("name."+sk, sub[sk]); err != nil {
					return nil, err
				}
			}
		case "active":
			if u.Active, err = boolValue("active", v, false); err != nil {
				return nil, err
			}
			activeSet = true
		case "emails", "phonenumbers", "roles":
			items, err := decodeMultis(k, v)
			if err != nil {
				return nil, err
			}
			switch k {
			case "emails":
				u.Emails = items
			case "phonenumbers":
				u.PhoneNumbers = items
			default:
				u.Roles = items
			}
		case "addresses":
			if u.Addresses, err = decodeAddresses(v); err != nil {
				return nil, err
			}
		case strings.ToLower(EnterpriseSchema):
			if err := decodeEnterprise(u, v); err != nil {
				return nil, err
			}
		default:
			if name, bad := unsupportedUserAttrs[k]; bad {
				rule := "AWS-SCIM-006"
				if k == "groups" {
					return nil, invalid(rule, "groups cannot be given when creating or replacing a user; add the user to groups with PATCH /Groups")
				}
				return nil, invalid(rule, fmt.Sprintf("%s is not supported by IAM Identity Center; remove it from the request (even an empty value is refused)", name))
			}
			f := simpleUserAttr(u, k)
			if f == nil || strings.Contains(k, ".") {
				return nil, invalid("AWS-SCIM-007", fmt.Sprintf("%s is not an attribute IAM Identity Center supports", origKey(m, k)))
			}
			if *f, err = stringValue(attrName(k), v); err != nil {
				return nil, err
			}
		}
	}
	_ = activeSet
	normalizeUser(u)
	return u, nil
}

func checkSchemas(v any, allowed ...string) error {
	arr, ok := v.([]any)
	if !ok {
		return invalid("", "schemas must be an array of schema URNs")
	}
	for _, s := range arr {
		str, ok := s.(string)
		if !ok {
			return invalid("", "schemas must be an array of schema URNs")
		}
		found := false
		for _, a := range allowed {
			if strings.EqualFold(str, a) {
				found = true
			}
		}
		if !found {
			return invalid("AWS-SCIM-007", fmt.Sprintf("schema %q is not supported here; use %s", str, strings.Join(allowed, " or ")))
		}
	}
	return nil
}

// checkMeta ignores meta (the server sets it) but refuses meta.version,
// which IdC does not accept (AWS-SCIM-006).
func checkMeta(v any) error {
	if v == nil {
		return nil
	}
	m, ok := v.(map[string]any)
	if !ok {
		return invalid("", "meta must be an object, not "+typeName(v))
	}
	for k := range m {
		if strings.EqualFold(k, "version") {
			return invalid("AWS-SCIM-006", "meta.version is not supported by IAM Identity Center")
		}
	}
	return nil
}

func decodeMultis(attr string, v any) ([]MultiValue, error) {
	if v == nil {
		return nil, nil
	}
	arr, ok := v.([]any)
	if !ok {
		return nil, invalid("", fmt.Sprintf("%s must be an array, not %s", attr, typeName(v)))
	}
	if len(arr) > 1 {
		return nil, invalid("AWS-SCIM-004", DetailSingle)
	}
	var out []MultiValue
	for _, it := range arr {
		mv, err := decodeMulti(attr, it, false)
		if err != nil {
			return nil, err
		}
		out = append(out, mv)
	}
	return out, nil
}

func decodeMulti(attr string, it any, lenient bool) (MultiValue, error) {
	var mv MultiValue
	m, ok := it.(map[string]any)
	if !ok {
		return mv, invalid("", fmt.Sprintf("an item of %s must be an object, not %s", attr, typeName(it)))
	}
	sub, err := lowerKeys(m, attr)
	if err != nil {
		return mv, err
	}
	for _, k := range sortedKeys(sub) {
		v := sub[k]
		switch k {
		case "value":
			mv.Value, err = stringValue(attr+".value", v)
		case "type":
			mv.Type, err = stringValue(attr+".type", v)
		case "primary":
			mv.Primary, err = boolValue(attr+".primary", v, lenient)
		case "display":
			return mv, invalid("AWS-SCIM-006", fmt.Sprintf("the display sub-attribute of %s is not supported by IAM Identity Center", attr))
		default:
			return mv, invalid("AWS-SCIM-007", fmt.Sprintf("%s.%s is not an attribute IAM Identity Center supports", attr, origKey(m, k)))
		}
		if err != nil {
			return mv, err
		}
	}
	return mv, nil
}

func decodeAddresses(v any) ([]Address, error) {
	if v == nil {
		return nil, nil
	}
	arr, ok := v.([]any)
	if !ok {
		return nil, invalid("", "addresses must be an array, not "+typeName(v))
	}
	if len(arr) > 1 {
		return nil, invalid("AWS-SCIM-004", DetailSingle)
	}
	var out []Address
	for _, it := range arr {
		a, err := decodeAddress(it, false)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, nil
}

func addressField(a *Address, k string) *string {
	switch k {
	case "formatted":
		return &a.Formatted
	case "streetaddress":
		return &a.StreetAddress
	case "locality":
		return &a.Locality
	case "region":
		return &a.Region
	case "postalcode":
		return &a.PostalCode
	case "country":
		return &a.Country
	case "type":
		return &a.Type
	}
	return nil
}

func decodeAddress(it any, lenient bool) (Address, error) {
	var a Address
	m, ok := it.(map[string]any)
	if !ok {
		return a, invalid("", "an item of addresses must be an object, not "+typeName(it))
	}
	sub, err := lowerKeys(m, "addresses")
	if err != nil {
		return a, err
	}
	for _, k := range sortedKeys(sub) {
		v := sub[k]
		switch {
		case k == "primary":
			a.Primary, err = boolValue("addresses.primary", v, lenient)
		case k == "display":
			return a, invalid("AWS-SCIM-006", "the display sub-attribute of addresses is not supported by IAM Identity Center")
		case addressField(&a, k) != nil:
			*addressField(&a, k), err = stringValue("addresses."+k, v)
		default:
			return a, invalid("AWS-SCIM-007", fmt.Sprintf("addresses.%s is not an attribute IAM Identity Center supports", origKey(m, k)))
		}
		if err != nil {
			return a, err
		}
	}
	return a, nil
}

func decodeEnterprise(u *User, v any) error {
	if v == nil {
		return nil
	}
	m, ok := v.(map[string]any)
	if !ok {
		return invalid("", "the enterprise extension must be an object, not "+typeName(v))
	}
	sub, err := lowerKeys(m, "enterprise")
	if err != nil {
		return err
	}
	for _, k := range sortedKeys(sub) {
		if k == "manager" {
			if err := setManager(u, sub[k]); err != nil {
				return err
			}
			continue
		}
		f := simpleUserAttr(u, "enterprise."+k)
		if f == nil {
			return invalid("AWS-SCIM-007", fmt.Sprintf("%s:%s is not an attribute IAM Identity Center supports", EnterpriseSchema, origKey(m, k)))
		}
		if *f, err = stringValue(k, sub[k]); err != nil {
			return err
		}
	}
	return nil
}

// setManager takes {"value": id} (or, as Entra's PATCH sends, the bare id).
// manager.displayName is refused (AWS-SCIM-006).
func setManager(u *User, v any) error {
	if u.Enterprise == nil {
		u.Enterprise = &Enterprise{}
	}
	switch m := v.(type) {
	case nil:
		u.Enterprise.Manager = ""
		return nil
	case string:
		u.Enterprise.Manager = m
		return nil
	case map[string]any:
		sub, err := lowerKeys(m, "manager")
		if err != nil {
			return err
		}
		for _, k := range sortedKeys(sub) {
			switch k {
			case "value":
				if u.Enterprise.Manager, err = stringValue("manager.value", sub[k]); err != nil {
					return err
				}
			case "displayname":
				return invalid("AWS-SCIM-006", "manager.displayName is not supported by IAM Identity Center; send manager.value only")
			case "$ref":
				// Clients may echo it; it carries nothing IdC keeps.
			default:
				return invalid("AWS-SCIM-007", fmt.Sprintf("manager.%s is not an attribute IAM Identity Center supports", origKey(m, k)))
			}
		}
		return nil
	}
	return invalid("", "manager must be an object with a value, not "+typeName(v))
}

// normalizeUser drops an all-empty enterprise extension and empty items.
func normalizeUser(u *User) {
	if u.Enterprise != nil && *u.Enterprise == (Enterprise{}) {
		u.Enterprise = nil
	}
	dropEmpty := func(s []MultiValue) []MultiValue {
		out := s[:0]
		for _, m := range s {
			if m != (MultiValue{}) {
				out = append(out, m)
			}
		}
		if len(out) == 0 {
			return nil
		}
		return out
	}
	u.Emails = dropEmpty(u.Emails)
	u.PhoneNumbers = dropEmpty(u.PhoneNumbers)
	u.Roles = dropEmpty(u.Roles)
	var addrs []Address
	for _, a := range u.Addresses {
		if a != (Address{}) {
			addrs = append(addrs, a)
		}
	}
	u.Addresses = addrs
}

// validateUser checks a complete user against IdC's rules: required
// attributes (AWS-SCIM-003), one item per list (AWS-SCIM-004), a primary
// email (AWS-SCIM-005), lengths and characters (AWS-SCIM-008).
func validateUser(u *User) error {
	for _, req := range []struct{ v, name string }{
		{u.UserName, "userName"}, {u.Name.GivenName, "name.givenName"},
		{u.Name.FamilyName, "name.familyName"}, {u.DisplayName, "displayName"},
	} {
		if req.v == "" {
			return invalid("AWS-SCIM-003", fmt.Sprintf("%s is required by IAM Identity Center and must not be empty", req.name))
		}
	}
	if n := utf8.RuneCountInString(u.UserName); n > MaxUserNameLen {
		return invalid("AWS-SCIM-008", fmt.Sprintf("userName is %d characters; at most %d are accepted", n, MaxUserNameLen))
	}
	for _, r := range u.UserName {
		if unicode.IsSpace(r) || unicode.Is(unicode.Z, r) || !(unicode.IsLetter(r) || unicode.IsMark(r) || unicode.IsSymbol(r) || unicode.IsNumber(r) || unicode.IsPunct(r)) {
			return invalid("AWS-SCIM-008", fmt.Sprintf("userName contains %U; only letters, marks, symbols, digits and punctuation are accepted, no whitespace", r))
		}
	}
	if err := checkText("externalId", u.ExternalID, MaxExternalIDLen); err != nil {
		return err
	}
	for key := range attrNames {
		if key == "username" || key == "externalid" || strings.HasPrefix(key, "enterprise.") && u.Enterprise == nil {
			continue
		}
		if err := checkText(attrName(key), *simpleUserAttr(u, key), MaxStringLen); err != nil {
			return err
		}
	}
	normalizeUser(u)
	for _, l := range []struct {
		name  string
		items []MultiValue
	}{{"emails", u.Emails}, {"phoneNumbers", u.PhoneNumbers}, {"roles", u.Roles}} {
		if len(l.items) > 1 {
			return invalid("AWS-SCIM-004", DetailSingle)
		}
		for _, it := range l.items {
			if err := checkText(l.name+".value", it.Value, MaxStringLen); err != nil {
				return err
			}
			if err := checkText(l.name+".type", it.Type, MaxStringLen); err != nil {
				return err
			}
		}
	}
	if len(u.Addresses) > 1 {
		return invalid("AWS-SCIM-004", DetailSingle)
	}
	for _, a := range u.Addresses {
		for _, f := range []struct{ n, v string }{{"formatted", a.Formatted}, {"streetAddress", a.StreetAddress},
			{"locality", a.Locality}, {"region", a.Region}, {"postalCode", a.PostalCode}, {"country", a.Country}, {"type", a.Type}} {
			if err := checkText("addresses."+f.n, f.v, MaxStringLen); err != nil {
				return err
			}
		}
	}
	if len(u.Emails) == 1 {
		if !u.Emails[0].Primary {
			return invalid("AWS-SCIM-005", "the email must be marked primary (\"primary\": true)")
		}
		if u.Emails[0].Value == "" {
			return invalid("AWS-SCIM-005", "the primary email has no value")
		}
	}
	if u.Enterprise != nil {
		normalizeUser(u)
	}
	return nil
}

// checkText applies the identity store's rule for strings other than
// userName: at most max characters; tab, newline and spaces allowed, other
// control characters not (AWS-SCIM-008). "" is an absent attribute.
func checkText(name, s string, max int) error {
	if s == "" {
		return nil
	}
	if n := utf8.RuneCountInString(s); n > max {
		return invalid("AWS-SCIM-008", fmt.Sprintf("%s is %d characters; at most %d are accepted", name, n, max))
	}
	for _, r := range s {
		if r == '\t' || r == '\n' || r == '\r' {
			continue
		}
		if unicode.IsControl(r) || r == utf8.RuneError {
			return invalid("AWS-SCIM-008", fmt.Sprintf("%s contains the control character %U", name, r))
		}
	}
	return nil
}
