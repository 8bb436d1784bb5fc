package provision

import (
	"fmt"
	"sort"
	"strings"
)

// SCIM schema and message URNs.
const (
	UserSchema    = "urn:ietf:params:scim:schemas:core:2.0:User"
	GroupSchema   = "urn:ietf:params:scim:schemas:core:2.0:Group"
	PatchOpSchema = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
	ListSchema    = "urn:ietf:params:scim:api:messages:2.0:ListResponse"
)

// Attrs are the values of an object's target attributes, by target path
// (Path.String()). A single-valued attribute has one value.
type Attrs map[string][]string

func (a Attrs) equal(path string, v []string) bool {
	w, ok := a[path]
	if !ok || len(w) != len(v) {
		return false
	}
	for i := range v {
		if v[i] != w[i] {
			return false
		}
	}
	return true
}

// flow evaluates the mappings of obj for src: the attributes Entra would
// send. create selects the mappings that apply on creation too (and
// "default if null", which Entra applies only then). ref resolves a
// reference value (manager) to the target's id; nil leaves it out.
func flow(ms []mapping, obj string, src *Source, create bool, ref func(string) (string, bool)) (Attrs, []pathValues, error) {
	out := Attrs{}
	var order []pathValues
	for _, m := range ms {
		if m.Object != obj {
			continue
		}
		if m.Apply == ApplyCreate && !create {
			continue
		}
		var vals []string
		switch m.Type {
		case Direct:
			vals, _ = src.Attribute(m.Source)
		case Constant:
			vals = []string{m.Constant}
		case Expression:
			v, null, err := m.expr.eval(src)
			if err != nil {
				return nil, nil, fmt.Errorf("mapping to %s: %w", m.Target, err)
			}
			if !null {
				vals = v
			}
		}
		vals = nonEmpty(vals)
		if len(vals) == 0 && m.Default != "" && create {
			vals = []string{m.Default}
		}
		if len(vals) == 0 {
			continue
		}
		if m.path.isReference() {
			if ref == nil {
				continue
			}
			id, ok := ref(vals[0])
			if !ok {
				continue // the referenced user is not (yet) in the target
			}
			vals = []string{id}
		}
		if !m.path.IsList() && len(vals) > 1 {
			// A multi-valued source into a single-valued attribute: the
			// first value flows.
			vals = vals[:1]
		}
		if m.path.isBool() {
			for i, v := range vals {
				vals[i] = normBool(v)
			}
		}
		key := m.path.String()
		out[key] = vals
		order = append(order, pathValues{m.path, vals})
	}
	return out, order, nil
}

type pathValues struct {
	path Path
	vals []string
}

func nonEmpty(v []string) []string {
	out := v[:0:0]
	for _, s := range v {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

func normBool(v string) string {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "true", "1", "yes":
		return "True"
	case "false", "0", "no", "":
		return "False"
	}
	return v
}

// jsonValue turns a flowed value into its JSON form at p.
func jsonValue(p Path, v string) any {
	if p.isBool() {
		switch v {
		case "True":
			return true
		case "False":
			return false
		}
	}
	return v
}

// resource builds the JSON body of a POST: the core schema, the enterprise
// extension when an attribute of it flows, and for each multi-valued
// attribute one item per filter value (and per source value). The first
// emails item is primary, as Entra sends it.
func resource(obj string, order []pathValues) map[string]any {
	body := map[string]any{}
	schemas := []string{UserSchema}
	if obj == ObjectGroup {
		schemas = []string{GroupSchema}
	}
	type itemKey struct {
		attr, filter string
		n            int
	}
	lists := map[string][]map[string]any{}
	listIndex := map[itemKey]int{}
	for _, pv := range order {
		p := pv.path
		target := body
		if p.URN != "" {
			if !contains(schemas, p.URN) {
				schemas = append(schemas, p.URN)
			}
			ext, _ := body[p.URN].(map[string]any)
			if ext == nil {
				ext = map[string]any{}
				body[p.URN] = ext
			}
			target = ext
		}
		switch {
		case obj == ObjectGroup && p.Attr == "members" && p.URN == "":
			ms := make([]map[string]any, 0, len(pv.vals))
			for _, id := range pv.vals {
				ms = append(ms, map[string]any{"value": id})
			}
			body["members"] = ms
		case p.IsList():
			sub := p.Sub
			if sub == "" {
				sub = "value"
			}
			for n, v := range pv.vals {
				k := itemKey{p.Attr, p.FilterAttr + "=" + p.FilterValue, n}
				i, ok := listIndex[k]
				if !ok {
					item := map[string]any{}
					if p.FilterAttr != "" {
						item[p.FilterAttr] = jsonValue(Path{Sub: p.FilterAttr}, p.FilterValue)
					}
					lists[p.Attr] = append(lists[p.Attr], item)
					i = len(lists[p.Attr]) - 1
					listIndex[k] = i
				}
				lists[p.Attr][i][sub] = jsonValue(p, v)
			}
		case p.isReference():
			target[p.Attr] = map[string]any{"value": pv.vals[0]}
		case p.Sub != "":
			o, _ := target[p.Attr].(map[string]any)
			if o == nil {
				o = map[string]any{}
				target[p.Attr] = o
			}
			o[p.Sub] = jsonValue(p, pv.vals[0])
		default:
			target[p.Attr] = jsonValue(p, pv.vals[0])
		}
	}
	for attr, items := range lists {
		if attr == "emails" && len(items) > 0 {
			if _, set := items[0]["primary"]; !set {
				items[0]["primary"] = true
			}
		}
		out := make([]any, len(items))
		for i := range items {
			out[i] = items[i]
		}
		body[attr] = out
	}
	body["schemas"] = schemas
	kind := "User"
	if obj == ObjectGroup {
		kind = "Group"
	}
	body["meta"] = map[string]any{"resourceType": kind}
	return body
}

func contains(s []string, v string) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

// extract reads the values at the mapped paths out of a target resource
// (a GET answer), to compare with what would flow.
func extract(ms []mapping, obj string, res map[string]any) Attrs {
	out := Attrs{}
	for _, m := range ms {
		if m.Object != obj {
			continue
		}
		p := m.path
		if obj == ObjectGroup && p.Attr == "members" {
			continue // compared through the state, not the GET (IdC returns none)
		}
		if v := valuesAt(res, p); len(v) > 0 {
			out[p.String()] = v
		}
	}
	return out
}

func valuesAt(res map[string]any, p Path) []string {
	src := res
	if p.URN != "" {
		src, _ = res[p.URN].(map[string]any)
		if src == nil {
			return nil
		}
	}
	v, ok := src[p.Attr]
	if !ok {
		return nil
	}
	str := func(x any) (string, bool) {
		switch t := x.(type) {
		case string:
			return t, t != ""
		case bool:
			if t {
				return "True", true
			}
			return "False", true
		case nil:
			return "", false
		default:
			return fmt.Sprint(t), true
		}
	}
	switch {
	case p.IsList():
		items, _ := v.([]any)
		sub := p.Sub
		if sub == "" {
			sub = "value"
		}
		var out []string
		for _, it := range items {
			o, _ := it.(map[string]any)
			if o == nil {
				continue
			}
			if p.FilterAttr != "" {
				fv, _ := str(o[p.FilterAttr])
				if !strings.EqualFold(fv, p.FilterValue) {
					continue
				}
			}
			if s, ok := str(o[sub]); ok {
				out = append(out, s)
			}
		}
		return out
	case p.isReference():
		o, _ := v.(map[string]any)
		if s, ok := str(o["value"]); ok {
			return []string{s}
		}
		return nil
	case p.Sub != "":
		o, _ := v.(map[string]any)
		if s, ok := str(o[p.Sub]); ok {
			return []string{s}
		}
		return nil
	default:
		if s, ok := str(v); ok {
			return []string{s}
		}
	}
	return nil
}

// sortedPaths returns the keys of a in order.
func sortedPaths(a Attrs) []string {
	out := make([]string, 0, len(a))
	for k := range a {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
