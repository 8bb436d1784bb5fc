package scim

import (
	"fmt"
	"slices"
	"strings"
)

// MaxPatchOps bounds the operations of one PATCH request.
const MaxPatchOps = 200

// PatchOp is one operation of a PatchOp request, as sent: op as written
// ("add", "Replace", ...), path possibly empty, Value nil when absent.
type PatchOp struct {
	Op       string
	Path     string
	Value    any
	HasValue bool
}

// decodePatch reads a PatchOp body. Both of Entra's dialects decode: the
// older one with capitalised ops ("Replace") and the aadOptscim062020 one.
func decodePatch(m map[string]any) ([]PatchOp, error) {
	top, err := lowerKeys(m, "PatchOp")
	if err != nil {
		return nil, err
	}
	var ops []PatchOp
	for _, k := range sortedKeys(top) {
		v := top[k]
		switch k {
		case "schemas":
			if err := checkSchemas(v, PatchOpSchema); err != nil {
				return nil, err
			}
		case "operations":
			arr, ok := v.([]any)
			if !ok {
				return nil, invalid("AWS-SCIM-011", "Operations must be an array, not "+typeName(v))
			}
			if len(arr) > MaxPatchOps {
				return nil, invalid("AWS-SCIM-011", fmt.Sprintf("the request has %d operations; at most %d are accepted", len(arr), MaxPatchOps))
			}
			for i, it := range arr {
				om, ok := it.(map[string]any)
				if !ok {
					return nil, invalid("AWS-SCIM-011", fmt.Sprintf("operation %d must be an object, not %s", i+1, typeName(it)))
				}
				o, err := lowerKeys(om, "operation")
				if err != nil {
					return nil, err
				}
				var op PatchOp
				for _, ok := range sortedKeys(o) {
					switch ok {
					case "op":
						if op.Op, err = stringValue("op", o[ok]); err != nil {
							return nil, err
						}
					case "path":
						if op.Path, err = stringValue("path", o[ok]); err != nil {
							return nil, err
						}
					case "value":
						op.Value, op.HasValue = o[ok], o[ok] != nil
					default:
						return nil, invalid("AWS-SCIM-011", fmt.Sprintf("operation %d: %q is not a PatchOp member (op, path, value)", i+1, ok))
					}
				}
				switch strings.ToLower(op.Op) {
				case "":
					return nil, invalid("AWS-SCIM-011", fmt.Sprintf("operation %d has no op; use add, replace or remove", i+1))
				case "add", "replace":
					if !op.HasValue {
						return nil, invalid("AWS-SCIM-011", fmt.Sprintf("operation %d (%s) needs a value", i+1, op.Op))
					}
				case "remove":
					if op.Path == "" {
						return nil, invalid("AWS-SCIM-011", fmt.Sprintf("operation %d (remove) needs a path", i+1))
					}
				default:
					return nil, invalid("AWS-SCIM-011", fmt.Sprintf("operation %d: op %q is not supported; use add, replace or remove", i+1, op.Op))
				}
				op.Op = strings.ToLower(op.Op)
				ops = append(ops, op)
			}
		default:
			return nil, invalid("AWS-SCIM-011", fmt.Sprintf("%q is not a member of a PatchOp request (schemas, Operations)", k))
		}
	}
	if len(ops) == 0 {
		return nil, invalid("AWS-SCIM-011", "the request has no Operations")
	}
	return ops, nil
}

// attrPath is a parsed PATCH path: attr[filter].sub, with the enterprise
// URN prefix turned into "enterprise.".
type attrPath struct {
	Attr   string // lower case: "username", "name", "emails", "enterprise.department", "members"
	Filter []Term // for emails[type eq "work"]
	Sub    string // lower case: "value", "givenname"
}

func parsePath(p string) (attrPath, error) {
	var ap attrPath
	if len(p) > MaxFilterLen {
		return ap, invalid("AWS-SCIM-011", "the path is too long")
	}
	s := p
	ls := strings.ToLower(s)
	ent := strings.ToLower(EnterpriseSchema)
	switch {
	case ls == ent:
		ap.Attr = "enterprise"
		return ap, nil
	case strings.HasPrefix(ls, ent+":"):
		s = "enterprise." + s[len(ent)+1:]
	case strings.HasPrefix(ls, strings.ToLower(UserSchema)+":"):
		s = s[len(UserSchema)+1:]
	case strings.HasPrefix(ls, strings.ToLower(GroupSchema)+":"):
		s = s[len(GroupSchema)+1:]
	}
	if i := strings.IndexByte(s, '['); i >= 0 {
		j := strings.LastIndexByte(s, ']')
		if j < i {
			return ap, invalid("AWS-SCIM-011", fmt.Sprintf("path %q has an unclosed [", p))
		}
		terms, err := parseFilter(&filterParser{s: s[i+1 : j], allowBool: true})
		if err != nil {
			return ap, invalid("AWS-SCIM-011", fmt.Sprintf("path %q: %v", p, err))
		}
		ap.Filter = terms
		rest := s[j+1:]
		s = s[:i]
		if rest != "" {
			if !strings.HasPrefix(rest, ".") || len(rest) == 1 {
				return ap, invalid("AWS-SCIM-011", fmt.Sprintf("path %q: expected .subAttribute after ]", p))
			}
			ap.Sub = strings.ToLower(rest[1:])
		}
	}
	if s == "" || !validAttrPath(s) {
		return ap, invalid("AWS-SCIM-011", fmt.Sprintf("path %q is not an attribute path", p))
	}
	ap.Attr = strings.ToLower(s)
	if ap.Filter == nil {
		// emails.value and the like: a sub-attribute of a list.
		for _, l := range []string{"emails", "phonenumbers", "addresses", "members", "roles"} {
			if sub, ok := strings.CutPrefix(ap.Attr, l+"."); ok {
				ap.Attr, ap.Sub = l, sub
			}
		}
	}
	return ap, nil
}

// userPatchable lists what PatchUser may change (AWS-SCIM-011).
func userPatchable(attr string) bool {
	switch attr {
	case "username", "active", "externalid", "displayname", "nickname", "profileurl", "title", "usertype",
		"preferredlanguage", "locale", "timezone", "name", "enterprise", "emails", "addresses", "phonenumbers":
		return true
	}
	return strings.HasPrefix(attr, "name.") || strings.HasPrefix(attr, "enterprise.")
}

// applyUserPatch applies ops to u in order, then the caller validates the
// result as a whole. touched counts operations per attribute for the
// one-op-on-userName/active rule.
func applyUserPatch(u *User, ops []PatchOp) error {
	touched := map[string]int{}
	for i, op := range ops {
		if op.Path == "" {
			m, ok := op.Value.(map[string]any)
			if !ok {
				return invalid("AWS-SCIM-011", fmt.Sprintf("operation %d (%s without path) needs an object value, not %s", i+1, op.Op, typeName(op.Value)))
			}
			for _, k := range sortedKeys(m) {
				if err := applyUserPath(u, op.Op, k, m[k], true, touched); err != nil {
					return err
				}
			}
			continue
		}
		if err := applyUserPath(u, op.Op, op.Path, op.Value, op.HasValue, touched); err != nil {
			return err
		}
	}
	for _, a := range []string{"username", "active"} {
		if touched[a] > 1 {
			return invalid("AWS-SCIM-011", fmt.Sprintf("%s is changed by %d operations; IAM Identity Center takes one operation on %s per request", attrName(a), touched[a], attrName(a)))
		}
	}
	normalizeUser(u)
	return nil
}

func applyUserPath(u *User, op, path string, v any, hasValue bool, touched map[string]int) error {
	ap, err := parsePath(path)
	if err != nil {
		return err
	}
	if ap.Attr == "active" || ap.Attr == "username" {
		touched[ap.Attr]++
	}
	if !userPatchable(ap.Attr) {
		if _, bad := unsupportedUserAttrs[ap.Attr]; bad || ap.Attr == "roles" || ap.Attr == "groups" {
			return invalid("AWS-SCIM-011", fmt.Sprintf("%s cannot be changed with PATCH in IAM Identity Center", path))
		}
		return invalid("AWS-SCIM-011", fmt.Sprintf("%s is not an attribute PATCH can change in IAM Identity Center", path))
	}
	remove := op == "remove"
	if remove && (ap.Attr == "username" || ap.Attr == "active") {
		return invalid("AWS-SCIM-011", fmt.Sprintf("remove is not supported for %s", attrName(ap.Attr)))
	}
	if ap.Filter != nil && ap.Attr != "emails" && ap.Attr != "phonenumbers" && ap.Attr != "addresses" {
		return invalid("AWS-SCIM-011", fmt.Sprintf("path %q: a filter applies to emails, phoneNumbers or addresses only", path))
	}
	switch ap.Attr {
	case "active":
		b, err := boolValue("active", v, true)
		if err != nil {
			return err
		}
		u.Active = b
		return nil
	case "name":
		if ap.Sub != "" {
			return invalid("AWS-SCIM-011", fmt.Sprintf("path %q is not an attribute path", path))
		}
		if remove {
			u.Name = Name{}
			return nil
		}
		m, ok := v.(map[string]any)
		if !ok {
			return invalid("", "name must be an object, not "+typeName(v))
		}
		if op == "replace" {
			// A replace of a complex attribute replaces what it names.
		}
		for _, k := range sortedKeys(m) {
			f := simpleUserAttr(u, "name."+strings.ToLower(k))
			if f == nil {
				return invalid("AWS-SCIM-007", fmt.Sprintf("name.%s is not an attribute IAM Identity Center supports", k))
			}
			if *f, err = stringValue("name."+k, m[k]); err != nil {
				return err
			}
		}
		return nil
	case "enterprise":
		if remove {
			u.Enterprise = nil
			return nil
		}
		return decodeEnterprise(u, v)
	case "enterprise.manager", "enterprise.manager.value":
		if remove {
			if u.Enterprise != nil {
				u.Enterprise.Manager = ""
			}
			return nil
		}
		if ap.Attr == "enterprise.manager.value" {
			s, err := stringValue("manager.value", v)
			if err != nil {
				return err
			}
			return setManager(u, s)
		}
		return setManager(u, v)
	case "emails", "phonenumbers":
		return patchMulti(u, op, ap, path, v)
	case "addresses":
		return patchAddress(u, op, ap, path, v)
	}
	f := simpleUserAttr(u, ap.Attr)
	if f == nil || ap.Sub != "" || ap.Filter != nil {
		return invalid("AWS-SCIM-007", fmt.Sprintf("%s is not an attribute IAM Identity Center supports", path))
	}
	if remove {
		*f = ""
		return nil
	}
	s, err := stringValue(attrName(ap.Attr), v)
	if err != nil {
		return err
	}
	*f = s
	return nil
}

func termMatchesMulti(t Term, m MultiValue) bool {
	switch t.Key {
	case "type":
		return strings.EqualFold(m.Type, t.Value)
	case "value":
		return strings.EqualFold(m.Value, t.Value)
	case "primary":
		return strings.EqualFold(fmt.Sprint(m.Primary), t.Value)
	}
	return false
}

func checkListFilter(path string, terms []Term, address bool) error {
	for _, t := range terms {
		switch t.Key {
		case "type", "primary":
		case "value":
			if address {
				return invalid("AWS-SCIM-011", fmt.Sprintf("path %q: addresses have no value to filter on; use type", path))
			}
		default:
			return invalid("AWS-SCIM-011", fmt.Sprintf("path %q: filter on %s is not supported; use type, value or primary", path, t.Attr))
		}
	}
	return nil
}

// patchMulti changes emails or phoneNumbers. A filtered path that matches
// no item creates one carrying the filter's values; an email made this way
// is primary, since IdC's single email must be (AWS-SCIM-005).
func patchMulti(u *User, op string, ap attrPath, path string, v any) error {
	list := &u.Emails
	name := "emails"
	if ap.Attr == "phonenumbers" {
		list, name = &u.PhoneNumbers, "phoneNumbers"
	}
	remove := op == "remove"
	if ap.Filter == nil && ap.Sub == "" {
		if remove {
			*list = nil
			return nil
		}
		items, err := patchItems(v, name+" must be an array")
		if err != nil {
			return err
		}
		var add []MultiValue
		for _, it := range items {
			mv, err := decodeMulti(name, it, true)
			if err != nil {
				return err
			}
			add = append(add, mv)
		}
		if op == "replace" {
			*list = add
		} else {
			for _, a := range add {
				i := slices.IndexFunc(*list, func(m MultiValue) bool { return m.Type == a.Type && m.Type != "" || m.Value == a.Value })
				if i >= 0 {
					(*list)[i] = a
				} else {
					*list = append(*list, a)
				}
			}
		}
		if len(*list) > 1 {
			return invalid("AWS-SCIM-004", DetailSingle)
		}
		return nil
	}
	if err := checkListFilter(path, ap.Filter, false); err != nil {
		return err
	}
	if ap.Filter == nil {
		// emails.value: the single item's sub-attribute.
		ap.Filter = []Term{}
	}
	idx := -1
	for i, m := range *list {
		all := true
		for _, t := range ap.Filter {
			all = all && termMatchesMulti(t, m)
		}
		if all {
			idx = i
			break
		}
	}
	if remove {
		if idx < 0 {
			return nil
		}
		if ap.Sub == "" || ap.Sub == "value" {
			// An item without its value is no item: removing the value of
			// emails[type eq "work"] removes the email.
			*list = slices.Delete(*list, idx, idx+1)
			return nil
		}
		return setMultiSub(&(*list)[idx], name, ap.Sub, nil, true)
	}
	if idx < 0 {
		var mv MultiValue
		for _, t := range ap.Filter {
			switch t.Key {
			case "type":
				mv.Type = t.Value
			case "value":
				mv.Value = t.Value
			case "primary":
				mv.Primary = strings.EqualFold(t.Value, "true")
			}
		}
		if name == "emails" {
			mv.Primary = true
		}
		*list = append(*list, mv)
		idx = len(*list) - 1
	}
	item := &(*list)[idx]
	if ap.Sub == "" {
		m, ok := v.(map[string]any)
		if !ok {
			return invalid("", fmt.Sprintf("%s must be an object, not %s", path, typeName(v)))
		}
		for _, k := range sortedKeys(m) {
			if err := setMultiSub(item, name, strings.ToLower(k), m[k], false); err != nil {
				return err
			}
		}
	} else if err := setMultiSub(item, name, ap.Sub, v, false); err != nil {
		return err
	}
	if len(*list) > 1 {
		return invalid("AWS-SCIM-004", DetailSingle)
	}
	return nil
}

func setMultiSub(m *MultiValue, name, sub string, v any, clear bool) error {
	var err error
	switch sub {
	case "value":
		if clear {
			m.Value = ""
		} else {
			m.Value, err = stringValue(name+".value", v)
		}
	case "type":
		if clear {
			m.Type = ""
		} else {
			m.Type, err = stringValue(name+".type", v)
		}
	case "primary":
		if clear {
			m.Primary = false
		} else {
			m.Primary, err = boolValue(name+".primary", v, true)
		}
	case "display":
		return invalid("AWS-SCIM-006", fmt.Sprintf("the display sub-attribute of %s is not supported by IAM Identity Center", name))
	default:
		return invalid("AWS-SCIM-007", fmt.Sprintf("%s.%s is not an attribute IAM Identity Center supports", name, sub))
	}
	return err
}

func patchAddress(u *User, op string, ap attrPath, path string, v any) error {
	remove := op == "remove"
	if ap.Filter == nil && ap.Sub == "" {
		if remove {
			u.Addresses = nil
			return nil
		}
		items, err := patchItems(v, "addresses must be an array")
		if err != nil {
			return err
		}
		var add []Address
		for _, it := range items {
			a, err := decodeAddress(it, true)
			if err != nil {
				return err
			}
			add = append(add, a)
		}
		if op == "replace" || len(u.Addresses) == 1 && len(add) == 1 && u.Addresses[0].Type == add[0].Type {
			u.Addresses = add
		} else {
			u.Addresses = append(u.Addresses, add...)
		}
		if len(u.Addresses) > 1 {
			return invalid("AWS-SCIM-004", DetailSingle)
		}
		return nil
	}
	if err := checkListFilter(path, ap.Filter, true); err != nil {
		return err
	}
	idx := -1
	for i, a := range u.Addresses {
		all := true
		for _, t := range ap.Filter {
			switch t.Key {
			case "type":
				all = all && strings.EqualFold(a.Type, t.Value)
			case "primary":
				all = all && strings.EqualFold(fmt.Sprint(a.Primary), t.Value)
			}
		}
		if all {
			idx = i
			break
		}
	}
	if remove {
		if idx < 0 {
			return nil
		}
		if ap.Sub == "" {
			u.Addresses = slices.Delete(u.Addresses, idx, idx+1)
			return nil
		}
		if ap.Sub == "primary" {
			u.Addresses[idx].Primary = false
			return nil
		}
		f := addressField(&u.Addresses[idx], ap.Sub)
		if f == nil {
			return invalid("AWS-SCIM-007", fmt.Sprintf("addresses.%s is not an attribute IAM Identity Center supports", ap.Sub))
		}
		*f = ""
		return nil
	}
	if idx < 0 {
		var a Address
		for _, t := range ap.Filter {
			switch t.Key {
			case "type":
				a.Type = t.Value
			case "primary":
				a.Primary = strings.EqualFold(t.Value, "true")
			}
		}
		u.Addresses = append(u.Addresses, a)
		idx = len(u.Addresses) - 1
	}
	a := &u.Addresses[idx]
	set := func(sub string, v any) error {
		if sub == "primary" {
			b, err := boolValue("addresses.primary", v, true)
			a.Primary = b
			return err
		}
		if sub == "display" {
			return invalid("AWS-SCIM-006", "the display sub-attribute of addresses is not supported by IAM Identity Center")
		}
		f := addressField(a, sub)
		if f == nil {
			return invalid("AWS-SCIM-007", fmt.Sprintf("addresses.%s is not an attribute IAM Identity Center supports", sub))
		}
		s, err := stringValue("addresses."+sub, v)
		*f = s
		return err
	}
	if ap.Sub != "" {
		if err := set(ap.Sub, v); err != nil {
			return err
		}
	} else {
		m, ok := v.(map[string]any)
		if !ok {
			return invalid("", fmt.Sprintf("%s must be an object, not %s", path, typeName(v)))
		}
		for _, k := range sortedKeys(m) {
			if err := set(strings.ToLower(k), m[k]); err != nil {
				return err
			}
		}
	}
	if len(u.Addresses) > 1 {
		return invalid("AWS-SCIM-004", DetailSingle)
	}
	return nil
}

// groupChange is a PatchGroup request reduced to what it does.
type groupChange struct {
	DisplayName, ExternalID   *string
	ClearExternalID           bool
	AddMembers, RemoveMembers []string
	memberChanges             int
}

// decodeGroupPatch applies IdC's PatchGroup rules (AWS-SCIM-012): only
// displayName, members and externalId; at most 100 membership changes; no
// replace of all members and no remove of all members.
func decodeGroupPatch(ops []PatchOp, groupID string) (*groupChange, error) {
	c := &groupChange{}
	for i, op := range ops {
		if op.Path == "" {
			m, ok := op.Value.(map[string]any)
			if !ok {
				return nil, invalid("AWS-SCIM-012", fmt.Sprintf("operation %d (%s without path) needs an object value, not %s", i+1, op.Op, typeName(op.Value)))
			}
			for _, k := range sortedKeys(m) {
				if strings.EqualFold(k, "id") {
					// IdC's own example sends the group's id back.
					if s, _ := m[k].(string); s != groupID {
						return nil, invalid("AWS-SCIM-012", "the id of a group cannot be changed")
					}
					continue
				}
				if err := c.apply(op.Op, k, m[k], true); err != nil {
					return nil, err
				}
			}
			continue
		}
		if err := c.apply(op.Op, op.Path, op.Value, op.HasValue); err != nil {
			return nil, err
		}
	}
	if c.memberChanges > MaxGroupMembers {
		return nil, invalid("AWS-SCIM-012", fmt.Sprintf("the request makes %d membership changes; IAM Identity Center takes at most %d per request", c.memberChanges, MaxGroupMembers))
	}
	return c, nil
}

// patchItems reads a PATCH value for a multi-valued attribute: an array,
// or one object standing for an array of one, as Entra sends both. want
// says what the value must be, for the error.
func patchItems(v any, want string) ([]any, error) {
	switch x := v.(type) {
	case []any:
		return x, nil
	case map[string]any:
		return []any{x}, nil
	}
	return nil, invalid("", want+", not "+typeName(v))
}

func memberIDs(v any) ([]string, error) {
	items, err := patchItems(v, `members must be an array of {"value": "<user id>"}`)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, it := range items {
		m, ok := it.(map[string]any)
		if !ok {
			return nil, invalid("", "a member must be an object {\"value\": \"<user id>\"}, not "+typeName(it))
		}
		var id string
		for k, mv := range m {
			switch strings.ToLower(k) {
			case "value":
				s, err := stringValue("members.value", mv)
				if err != nil {
					return nil, err
				}
				id = s
			case "display", "$ref", "type":
				// Sent by some clients; IdC keeps only the id.
			default:
				return nil, invalid("AWS-SCIM-007", fmt.Sprintf("members.%s is not an attribute IAM Identity Center supports", k))
			}
		}
		if id == "" {
			return nil, invalid("", "a member needs a value (the user id)")
		}
		out = append(out, id)
	}
	return out, nil
}

func (c *groupChange) apply(op, path string, v any, hasValue bool) error {
	ap, err := parsePath(path)
	if err != nil {
		return err
	}
	switch ap.Attr {
	case "displayname", "externalid":
		if ap.Filter != nil || ap.Sub != "" {
			return invalid("AWS-SCIM-012", fmt.Sprintf("path %q is not an attribute path", path))
		}
		if op == "remove" {
			if ap.Attr == "displayname" {
				return invalid("AWS-SCIM-012", "displayName is required; it cannot be removed")
			}
			c.ExternalID, c.ClearExternalID = nil, true
			return nil
		}
		s, err := stringValue(attrName(ap.Attr), v)
		if err != nil {
			return err
		}
		if ap.Attr == "displayname" {
			c.DisplayName = &s
		} else {
			c.ExternalID, c.ClearExternalID = &s, false
		}
		return nil
	case "members":
		if ap.Sub != "" && ap.Sub != "value" {
			return invalid("AWS-SCIM-012", fmt.Sprintf("path %q is not an attribute path", path))
		}
		if ap.Filter != nil {
			if op != "remove" || len(ap.Filter) != 1 || ap.Filter[0].Key != "value" {
				return invalid("AWS-SCIM-012", fmt.Sprintf("path %q: a members filter is accepted only as remove with members[value eq \"<user id>\"]", path))
			}
			c.RemoveMembers = append(c.RemoveMembers, ap.Filter[0].Value)
			c.memberChanges++
			return nil
		}
		switch op {
		case "replace":
			return invalid("AWS-SCIM-012", "replacing all members of a group is not supported by IAM Identity Center; add and remove members instead")
		case "remove":
			if !hasValue {
				return invalid("AWS-SCIM-012", "removing all members of a group is not supported by IAM Identity Center; remove members by id")
			}
			ids, err := memberIDs(v)
			if err != nil {
				return err
			}
			c.RemoveMembers = append(c.RemoveMembers, ids...)
			c.memberChanges += len(ids)
		default:
			ids, err := memberIDs(v)
			if err != nil {
				return err
			}
			c.AddMembers = append(c.AddMembers, ids...)
			c.memberChanges += len(ids)
		}
		return nil
	}
	return invalid("AWS-SCIM-012", fmt.Sprintf("%s cannot be changed; PatchGroup takes displayName, members and externalId only", path))
}

// applyTo changes g; removes go first, then adds, in request order.
func (c *groupChange) applyTo(g *Group) {
	if c.DisplayName != nil {
		g.DisplayName = *c.DisplayName
	}
	if c.ExternalID != nil {
		g.ExternalID = *c.ExternalID
	}
	if c.ClearExternalID {
		g.ExternalID = ""
	}
	if len(c.RemoveMembers) > 0 {
		g.Members = slices.DeleteFunc(g.Members, func(m string) bool { return slices.Contains(c.RemoveMembers, m) })
	}
	for _, a := range c.AddMembers {
		if !slices.Contains(g.Members, a) {
			g.Members = append(g.Members, a)
		}
	}
}
