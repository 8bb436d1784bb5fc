package aws

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// SCIM schema URNs.
const (
	SCIMUserSchema       = "urn:ietf:params:scim:schemas:core:2.0:User"
	SCIMGroupSchema      = "urn:ietf:params:scim:schemas:core:2.0:Group"
	SCIMEnterpriseSchema = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
	SCIMPatchOpSchema    = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
)

// SCIM user attributes IAM Identity Center stores (AWS-SCIM-007), with
// the sub-attributes of the complex ones.
var (
	scimUserStrings = []string{"userName", "displayName", "nickName", "profileUrl", "title", "userType",
		"preferredLanguage", "locale", "timezone", "externalId", "id"}
	scimNameParts       = []string{"formatted", "familyName", "givenName", "middleName", "honorificPrefix", "honorificSuffix"}
	scimEnterpriseParts = []string{"employeeNumber", "costCenter", "organization", "division", "department"}
	scimListSubs        = map[string][]string{
		"emails":       {"value", "type", "primary"},
		"phoneNumbers": {"value", "type", "primary"},
		"roles":        {"value", "type", "primary"},
		"addresses":    {"formatted", "streetAddress", "locality", "region", "postalCode", "country", "type", "primary"},
	}
	scimRejected = []string{"password", "ims", "photos", "entitlements", "x509Certificates", "groups"}
)

// LintSCIM checks a SCIM User or Group payload (a CreateUser, PutUser or
// CreateGroup body) against what IAM Identity Center accepts. kind is
// "User", "Group" or "" (or anything else) to detect it from "schemas".
// Every error finding carries the error Identity Center would return.
// Invalid JSON gives one finding. Of a PatchOp body only the number of
// member changes is checked (at most 100 per request).
func LintSCIM(body []byte, kind string) []Finding {
	l := &linter{profile: "", stage: stageView, index: checkIndex()}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var obj map[string]any
	if err := dec.Decode(&obj); err != nil || obj == nil {
		msg := "the body is not a JSON object"
		if err != nil {
			msg = fmt.Sprintf("the body is not valid JSON (%v)", err)
		}
		l.add("scim-json", "", "%s: send one JSON object", msg)
		return l.findings()
	}
	if dec.More() {
		l.add("scim-json", "", "the body holds more than one JSON value: send one JSON object")
		return l.findings()
	}
	schemas := stringList(obj["schemas"])
	if slices.Contains(schemas, SCIMPatchOpSchema) {
		scimLinter{l}.patch(obj)
		return l.findings()
	}
	switch strings.ToLower(kind) {
	case "user":
		kind = "User"
	case "group":
		kind = "Group"
	default:
		kind = ""
	}
	if kind == "" {
		switch {
		case slices.Contains(schemas, SCIMUserSchema):
			kind = "User"
		case slices.Contains(schemas, SCIMGroupSchema):
			kind = "Group"
		case obj["userName"] != nil:
			kind = "User"
		case obj["members"] != nil || obj["displayName"] != nil:
			kind = "Group"
		default:
			kind = "User"
		}
	}
	s := scimLinter{l}
	if kind == "Group" {
		s.group(obj, schemas)
	} else {
		s.user(obj, schemas)
	}
	return l.findings()
}

type scimLinter struct{ *linter }

func stringList(v any) []string {
	arr, _ := v.([]any)
	var out []string
	for _, e := range arr {
		if s, ok := e.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

// sortedKeys returns a map's keys in order, for stable findings.
func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func (s scimLinter) user(obj map[string]any, schemas []string) {
	if !slices.Contains(schemas, SCIMUserSchema) {
		s.add("scim-required", "schemas", "schemas does not list %s: add it", SCIMUserSchema)
	}
	req := func(attr string, v any) {
		str, _ := v.(string)
		if strings.TrimSpace(str) == "" {
			s.add("scim-required", attr, "%s is missing or empty; Identity Center requires it: map a non-empty source to %s", attr, attr)
		}
	}
	req("userName", obj["userName"])
	req("displayName", obj["displayName"])
	name, _ := obj["name"].(map[string]any)
	req("name.givenName", name["givenName"])
	req("name.familyName", name["familyName"])

	for _, k := range sortedKeys(obj) {
		v := obj[k]
		switch {
		case k == "schemas":
			if _, ok := v.([]any); !ok {
				s.add("scim-attribute-type", k, "schemas is %s; it must be an array of URNs", jsonKind(v))
			}
		case k == "meta":
			m, ok := v.(map[string]any)
			if !ok {
				s.add("scim-attribute-type", k, "meta is %s; it must be an object", jsonKind(v))
			} else if _, ok := m["version"]; ok {
				s.add("scim-rejected-attribute", "meta.version", "meta.version is not accepted by Identity Center: leave it out")
			}
		case slices.Contains(scimRejected, k):
			what := k
			if arr, ok := v.([]any); ok && len(arr) == 0 {
				what += " (even empty)"
			}
			s.add("scim-rejected-attribute", k, "%s is not accepted by Identity Center: remove the %s mapping", what, k)
		case k == "active":
			if _, ok := v.(bool); !ok {
				s.add("scim-attribute-type", k, "active is %s; it must be true or false", jsonKind(v))
			}
		case k == "userName":
			s.userName(v)
		case slices.Contains(scimUserStrings, k):
			s.str(k, v, 1024)
		case k == "name":
			s.object(k, v, scimNameParts)
		case scimListSubs[k] != nil:
			s.list(k, v)
		case k == SCIMEnterpriseSchema:
			s.enterprise(v)
		default:
			s.add("scim-unsupported-attribute", k, "%s is not an attribute Identity Center stores: remove the mapping (it is dropped or refused)", k)
		}
	}
	if ext, ok := obj["externalId"].(string); ok && utf8.RuneCountInString(ext) > 256 {
		s.add("scim-field-limits", "externalId", "externalId is %d characters; Identity Center takes 1-256: map a shorter stable id", utf8.RuneCountInString(ext))
	}
}

func (s scimLinter) userName(v any) {
	str, ok := v.(string)
	if !ok {
		if v != nil {
			s.add("scim-attribute-type", "userName", "userName is %s; it must be a string", jsonKind(v))
		}
		return
	}
	n := utf8.RuneCountInString(str)
	if n > 128 {
		s.add("scim-field-limits", "userName", "userName is %d characters; Identity Center takes 1-128: map a shorter value (the UPN or mail)", n)
	}
	if strings.ContainsFunc(str, unicode.IsSpace) {
		s.add("scim-field-limits", "userName", "userName %q contains whitespace; Identity Center refuses it: map a value without spaces (the UPN)", str)
	}
}

// str checks a single-valued string attribute.
func (s scimLinter) str(attr string, v any, maxLen int) {
	str, ok := v.(string)
	if !ok {
		s.add("scim-attribute-type", attr, "%s is %s; it must be a string", attr, jsonKind(v))
		return
	}
	if n := utf8.RuneCountInString(str); n == 0 && attr != "displayName" && attr != "id" {
		s.add("scim-field-limits", attr, "%s is an empty string; Identity Center takes 1-%d characters: leave the attribute out instead", attr, maxLen)
	} else if n > maxLen {
		s.add("scim-field-limits", attr, "%s is %d characters; Identity Center takes at most %d: shorten it", attr, n, maxLen)
	}
}

// object checks a complex single-valued attribute with string parts.
func (s scimLinter) object(attr string, v any, parts []string) {
	m, ok := v.(map[string]any)
	if !ok {
		s.add("scim-attribute-type", attr, "%s is %s; it must be an object", attr, jsonKind(v))
		return
	}
	for _, k := range sortedKeys(m) {
		if slices.Contains(parts, k) {
			s.str(attr+"."+k, m[k], 1024)
		} else {
			s.add("scim-unsupported-attribute", attr+"."+k, "%s.%s is not an attribute Identity Center stores: remove the mapping", attr, k)
		}
	}
}

func (s scimLinter) list(attr string, v any) {
	arr, ok := v.([]any)
	if !ok {
		s.add("scim-attribute-type", attr, "%s is %s; it must be an array with one object", attr, jsonKind(v))
		return
	}
	if len(arr) > 1 {
		s.add("scim-single-item", attr, "%s has %d items; Identity Center takes at most one: map only one (e.g. only the work %s)", attr, len(arr), strings.TrimSuffix(attr, "s"))
	}
	for i, e := range arr {
		item, ok := e.(map[string]any)
		if !ok {
			s.add("scim-attribute-type", attr, "%s[%d] is %s; it must be an object", attr, i, jsonKind(e))
			continue
		}
		for _, k := range sortedKeys(item) {
			sub := attr + "." + k
			switch {
			case k == "display":
				s.add("scim-rejected-attribute", sub, "%s is not accepted by Identity Center: remove it", sub)
			case k == "primary":
				if _, ok := item[k].(bool); !ok {
					s.add("scim-attribute-type", sub, "%s is %s; it must be true or false", sub, jsonKind(item[k]))
				}
			case slices.Contains(scimListSubs[attr], k):
				s.str(sub, item[k], 1024)
			default:
				s.add("scim-unsupported-attribute", sub, "%s is not an attribute Identity Center stores: remove it", sub)
			}
		}
		// With several emails, the fix is to send one (scim-single-item):
		// asking to mark each one primary would be advice nobody can follow.
		if attr == "emails" && len(arr) == 1 && item["primary"] != true {
			s.add("scim-primary-email", "emails.primary", "the email %s lacks \"primary\": true; Identity Center needs the email marked primary: set primary to true", describeValue(item["value"]))
		}
	}
}

func describeValue(v any) string {
	if s, ok := v.(string); ok {
		return fmt.Sprintf("%q", s)
	}
	return "item"
}

func (s scimLinter) enterprise(v any) {
	m, ok := v.(map[string]any)
	if !ok {
		s.add("scim-attribute-type", SCIMEnterpriseSchema, "the enterprise extension is %s; it must be an object", jsonKind(v))
		return
	}
	for _, k := range sortedKeys(m) {
		name := "enterprise." + k
		switch {
		case slices.Contains(scimEnterpriseParts, k):
			s.str(name, m[k], 1024)
		case k == "manager":
			mgr, ok := m[k].(map[string]any)
			if !ok {
				s.add("scim-attribute-type", name, "%s is %s; it must be an object with value", name, jsonKind(m[k]))
				continue
			}
			for _, mk := range sortedKeys(mgr) {
				switch mk {
				case "value":
					s.str(name+".value", mgr[mk], 1024)
				case "displayName":
					s.add("scim-rejected-attribute", name+".displayName", "manager.displayName is not accepted by Identity Center: send only manager.value")
				default:
					s.add("scim-unsupported-attribute", name+"."+mk, "%s.%s is not an attribute Identity Center stores: remove it", name, mk)
				}
			}
		default:
			s.add("scim-unsupported-attribute", name, "%s is not an attribute Identity Center stores: remove the mapping", name)
		}
	}
}

func (s scimLinter) group(obj map[string]any, schemas []string) {
	if !slices.Contains(schemas, SCIMGroupSchema) {
		s.add("scim-group", "schemas", "schemas does not list %s: add it", SCIMGroupSchema)
	}
	dn, _ := obj["displayName"].(string)
	if strings.TrimSpace(dn) == "" {
		s.add("scim-group", "displayName", "the group has no displayName; Identity Center requires one: map the group name")
	} else if n := utf8.RuneCountInString(dn); n > 1024 {
		s.add("scim-field-limits", "displayName", "displayName is %d characters; Identity Center takes 1-1024: shorten it", n)
	}
	for _, k := range sortedKeys(obj) {
		v := obj[k]
		switch k {
		case "schemas", "displayName", "id":
		case "externalId":
			s.str(k, v, 256)
		case "meta":
			if m, ok := v.(map[string]any); ok {
				if _, ok := m["version"]; ok {
					s.add("scim-rejected-attribute", "meta.version", "meta.version is not accepted by Identity Center: leave it out")
				}
			}
		case "members":
			arr, ok := v.([]any)
			if !ok {
				s.add("scim-attribute-type", k, "members is %s; it must be an array of {\"value\": id}", jsonKind(v))
				continue
			}
			if len(arr) > 100 {
				s.add("scim-group", k, "the request adds %d members; Identity Center takes at most 100 per request: split it into several PATCH requests", len(arr))
			}
		default:
			s.add("scim-unsupported-attribute", k, "%s is not a Group attribute Identity Center stores: remove it", k)
		}
	}
}

func jsonKind(v any) string {
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

// patch checks a PatchOp body: Identity Center takes at most 100 member
// changes per request.
func (s scimLinter) patch(obj map[string]any) {
	ops, _ := obj["Operations"].([]any)
	changes := 0
	for _, o := range ops {
		op, _ := o.(map[string]any)
		path, _ := op["path"].(string)
		switch v := op["value"].(type) {
		case []any:
			if path == "members" {
				changes += len(v)
			}
		case map[string]any:
			if m, ok := v["members"].([]any); ok {
				changes += len(m)
			}
		}
	}
	if changes > 100 {
		s.add("scim-group", "members", "the PATCH changes %d members; Identity Center takes at most 100 per request: split it into several requests", changes)
	}
}
