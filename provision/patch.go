package provision

import "fmt"

// PATCH dialects of Entra's SCIM client
// (application-provisioning-config-problem-scim-compatibility.md).
const (
	// DialectSCIM is the SCIM-compliant behaviour of the aadOptscim062020
	// flag: lower-case ops, booleans as JSON booleans, several attributes
	// in one path-less replace with dotted keys, a member removal per
	// filtered path.
	DialectSCIM = "aadOptscim062020"
	// Dialect2017 is the older behaviour (AzureAdScimPatch2017):
	// capitalised ops, booleans as the strings "True" and "False", one op
	// per path, member removals as a value list.
	Dialect2017 = "AzureAdScimPatch2017"
)

// Op is one PATCH operation.
type Op struct {
	Op    string `json:"op"`
	Path  string `json:"path,omitempty"`
	Value any    `json:"value,omitempty"`
}

// PatchBody is a PatchOp request body.
type PatchBody struct {
	Schemas    []string `json:"schemas"`
	Operations []Op     `json:"Operations"`
}

// change is one attribute that differs from what the target holds.
type change struct {
	path  Path
	vals  []string
	isNew bool // the target had no value: add, not replace
}

func opName(dialect, op string) string {
	if dialect == Dialect2017 {
		return string(op[0]-'a'+'A') + op[1:]
	}
	return op
}

func patchValue(dialect string, p Path, vals []string) any {
	if dialect == Dialect2017 && p.isBool() {
		if len(vals) == 1 {
			return vals[0] // "True" / "False"
		}
	}
	if len(vals) == 1 {
		return jsonValue(p, vals[0])
	}
	out := make([]any, len(vals))
	for i, v := range vals {
		out[i] = jsonValue(p, v)
	}
	return out
}

// userPatch builds the PATCH for changed attributes in Entra's shape.
func userPatch(dialect string, changes []change) PatchBody {
	body := PatchBody{Schemas: []string{PatchOpSchema}}
	op := func(c change) string {
		if c.isNew {
			return opName(dialect, "add")
		}
		return opName(dialect, "replace")
	}
	if dialect == Dialect2017 {
		for _, c := range changes {
			body.Operations = append(body.Operations, Op{Op: op(c), Path: c.path.String(), Value: patchValue(dialect, c.path, c.vals)})
		}
		return body
	}
	var plain []change
	for _, c := range changes {
		if c.path.FilterAttr != "" {
			body.Operations = append(body.Operations, Op{Op: op(c), Path: c.path.String(), Value: patchValue(dialect, c.path, c.vals)})
		} else {
			plain = append(plain, c)
		}
	}
	switch len(plain) {
	case 0:
	case 1:
		c := plain[0]
		body.Operations = append(body.Operations, Op{Op: op(c), Path: c.path.String(), Value: patchValue(dialect, c.path, c.vals)})
	default:
		v := map[string]any{}
		for _, c := range plain {
			v[c.path.String()] = patchValue(dialect, c.path, c.vals)
		}
		body.Operations = append(body.Operations, Op{Op: "replace", Value: v})
	}
	return body
}

// disablePatch is the PATCH that sets active to false.
func disablePatch(dialect string) PatchBody {
	p := Path{Attr: "active"}
	return userPatch(dialect, []change{{path: p, vals: []string{"False"}}})
}

// memberPatches builds the member PATCHes of a group: adds first, then
// removals, at most batch member changes per request (IdC: 100).
func memberPatches(dialect string, add, remove []string, batch int) []PatchBody {
	if batch <= 0 {
		batch = 100
	}
	var out []PatchBody
	for len(add) > 0 {
		n := min(batch, len(add))
		vals := make([]map[string]string, n)
		for i, id := range add[:n] {
			vals[i] = map[string]string{"value": id}
		}
		out = append(out, PatchBody{Schemas: []string{PatchOpSchema},
			Operations: []Op{{Op: opName(dialect, "add"), Path: "members", Value: vals}}})
		add = add[n:]
	}
	for len(remove) > 0 {
		n := min(batch, len(remove))
		b := PatchBody{Schemas: []string{PatchOpSchema}}
		if dialect == Dialect2017 {
			vals := make([]map[string]string, n)
			for i, id := range remove[:n] {
				vals[i] = map[string]string{"value": id}
			}
			b.Operations = []Op{{Op: "Remove", Path: "members", Value: vals}}
		} else {
			for _, id := range remove[:n] {
				b.Operations = append(b.Operations, Op{Op: "remove", Path: fmt.Sprintf("members[value eq %q]", id)})
			}
		}
		out = append(out, b)
		remove = remove[n:]
	}
	return out
}
