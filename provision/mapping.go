package provision

import (
	"errors"
	"fmt"
	"slices"
	"strings"
)

// Mapping types, as Entra's "Edit Attribute" blade names them.
const (
	Direct     = "direct"
	Constant   = "constant"
	Expression = "expression"
)

// When a mapping applies ("Apply this mapping").
const (
	ApplyAlways = "always"
	ApplyCreate = "create" // "Only during object creation"
)

// Object kinds a mapping belongs to.
const (
	ObjectUser  = "user"
	ObjectGroup = "group"
)

// Mapping is one attribute mapping of a provisioning job, as in the tenant
// file's [[apps.provisioning.mappings]].
type Mapping struct {
	// Object is "user" (default) or "group".
	Object string `toml:"object" json:"object,omitempty"`
	// Type is direct (default when source is set), constant or expression.
	Type string `toml:"type" json:"type"`
	// Source is the Entra attribute of a direct mapping (userPrincipalName,
	// givenName, mail, telephoneNumber ...; case-insensitive).
	Source string `toml:"source" json:"source,omitempty"`
	// Expression is the expression of an expression mapping.
	Expression string `toml:"expression" json:"expression,omitempty"`
	// Constant is the value of a constant mapping.
	Constant string `toml:"constant" json:"constant,omitempty"`
	// Target is the SCIM attribute path (see Path).
	Target string `toml:"target" json:"target"`
	// Apply is always (default) or create: only when the object is created.
	Apply string `toml:"apply" json:"apply,omitempty"`
	// Default is sent when the source has no value ("Default value if
	// null"). Entra applies it when the object is created only.
	Default string `toml:"default" json:"default,omitempty"`
	// Matching marks the attribute that finds the object in the target
	// (GET ?filter=<target> eq "<value>"); Precedence orders several.
	Matching   bool `toml:"matching" json:"matching,omitempty"`
	Precedence int  `toml:"precedence" json:"precedence,omitempty"`

	// Line is the line of the mapping in the tenant file, 0 if unknown.
	Line int `toml:"-" json:"-"`
}

// DefaultUserMappings returns the user mappings of Entra's "AWS IAM
// Identity Center" gallery app (entra-provisioning.md §2). Sources Entra
// has in its directory but samlab's demo users lack simply have no value.
func DefaultUserMappings() []Mapping {
	d := func(src, target string) Mapping {
		return Mapping{Object: ObjectUser, Type: Direct, Source: src, Target: target}
	}
	userName := d("userPrincipalName", "userName")
	userName.Matching, userName.Precedence = true, 1
	return []Mapping{
		userName,
		{Object: ObjectUser, Type: Expression, Expression: `Switch([IsSoftDeleted], , "False", "True", "True", "False")`, Target: "active"},
		d("displayName", "displayName"),
		d("jobTitle", "title"),
		d("mail", `emails[type eq "work"].value`),
		d("preferredLanguage", "preferredLanguage"),
		d("givenName", "name.givenName"),
		d("surname", "name.familyName"),
		{Object: ObjectUser, Type: Expression, Expression: `Join(" ", [givenName], [surname])`, Target: "name.formatted"},
		d("physicalDeliveryOfficeName", `addresses[type eq "work"].formatted`),
		d("streetAddress", `addresses[type eq "work"].streetAddress`),
		d("city", `addresses[type eq "work"].locality`),
		d("state", `addresses[type eq "work"].region`),
		d("postalCode", `addresses[type eq "work"].postalCode`),
		d("country", `addresses[type eq "work"].country`),
		d("telephoneNumber", `phoneNumbers[type eq "work"].value`),
		d("mobile", `phoneNumbers[type eq "mobile"].value`),
		d("facsimileTelephoneNumber", `phoneNumbers[type eq "fax"].value`),
		d("mailNickname", "externalId"),
		d("employeeId", EnterpriseURN+":employeeNumber"),
		d("department", EnterpriseURN+":department"),
		d("companyName", EnterpriseURN+":organization"),
		d("manager", EnterpriseURN+":manager"),
	}
}

// DefaultGroupMappings returns the gallery app's group mappings.
func DefaultGroupMappings() []Mapping {
	return []Mapping{
		{Object: ObjectGroup, Type: Direct, Source: "displayName", Target: "displayName", Matching: true, Precedence: 1},
		{Object: ObjectGroup, Type: Direct, Source: "objectId", Target: "externalId"},
		{Object: ObjectGroup, Type: Direct, Source: "members", Target: "members"},
	}
}

// mapping is a checked Mapping.
type mapping struct {
	Mapping
	path Path
	expr evaluator // expression mappings only
}

// evaluator computes an expression for one source object; null reports
// that the expression has no value (the attribute does not flow).
type evaluator interface {
	eval(in *Source) (values []string, null bool, err error)
	attributes() []string
}

// compileMappings checks mappings and fills in defaults. Every problem is
// reported, each prefixed with where; where(i) names mapping i.
func compileMappings(ms []Mapping, where func(i int) string) ([]mapping, error) {
	var errs []error
	out := make([]mapping, 0, len(ms))
	seen := map[string]int{}
	for i, m := range ms {
		fail := func(format string, a ...any) {
			errs = append(errs, fmt.Errorf("%s: %s", where(i), fmt.Sprintf(format, a...)))
		}
		if m.Object == "" {
			m.Object = ObjectUser
		}
		if m.Object != ObjectUser && m.Object != ObjectGroup {
			fail("object = %q: write \"user\" or \"group\"", m.Object)
		}
		m.Type = strings.ToLower(m.Type)
		if m.Type == "" {
			switch {
			case m.Expression != "":
				m.Type = Expression
			case m.Constant != "":
				m.Type = Constant
			default:
				m.Type = Direct
			}
		}
		if m.Apply == "" {
			m.Apply = ApplyAlways
		}
		if m.Apply != ApplyAlways && m.Apply != ApplyCreate {
			fail("apply = %q: write \"always\" or \"create\" (only during object creation)", m.Apply)
		}
		cm := mapping{Mapping: m}
		switch m.Type {
		case Direct:
			if m.Source == "" {
				fail("a direct mapping needs source, an Entra attribute such as \"userPrincipalName\"")
			}
			if m.Expression != "" || m.Constant != "" {
				fail("a direct mapping takes source only, not expression or constant")
			}
		case Constant:
			if m.Constant == "" {
				fail("a constant mapping needs constant = \"...\"")
			}
			if m.Source != "" || m.Expression != "" {
				fail("a constant mapping takes constant only, not source or expression")
			}
		case Expression:
			if m.Expression == "" {
				fail("an expression mapping needs expression = \"...\", e.g. expression = 'Join(\" \", [givenName], [surname])'")
				break
			}
			if m.Source != "" || m.Constant != "" {
				fail("an expression mapping takes expression only, not source or constant")
			}
			ev, err := compileExpression(m.Expression)
			if err != nil {
				fail("%v", err)
			}
			cm.expr = ev
		default:
			fail("type = %q: write \"direct\", \"constant\" or \"expression\"", m.Type)
		}
		p, err := ParsePath(m.Target)
		if err != nil {
			fail("target: %v", strings.TrimPrefix(err.Error(), "provision: "))
		}
		cm.path = p
		if m.Target != "" && err == nil {
			key := m.Object + " " + p.String()
			if j, dup := seen[key]; dup {
				fail("target %q is already mapped by mapping %d: map each target once", m.Target, j+1)
			}
			seen[key] = i
		}
		if m.Matching && (p.IsList() && !(m.Object == ObjectGroup && p.Attr == "members")) {
			fail("target %q cannot be a matching attribute: match on a single-valued attribute such as userName", m.Target)
		}
		out = append(out, cm)
	}
	for _, obj := range []string{ObjectUser, ObjectGroup} {
		has, matching := false, false
		for _, m := range out {
			if m.Object == obj {
				has = true
				matching = matching || m.Matching
			}
		}
		if has && !matching {
			errs = append(errs, fmt.Errorf("%s mappings: none is matching: mark one (usually userName, for groups displayName) with matching = true", obj))
		}
	}
	return out, errors.Join(errs...)
}

// CheckMappings reports every problem in ms, each prefixed with where(i).
// config uses it to check [[apps.provisioning.mappings]] at their lines.
func CheckMappings(ms []Mapping, where func(i int) string) error {
	_, err := compileMappings(ms, where)
	return err
}

// matchers returns the matching mappings of obj in precedence order.
func matchers(ms []mapping, obj string) []mapping {
	var out []mapping
	for _, m := range ms {
		if m.Object == obj && m.Matching {
			out = append(out, m)
		}
	}
	slices.SortStableFunc(out, func(a, b mapping) int { return a.Precedence - b.Precedence })
	return out
}
