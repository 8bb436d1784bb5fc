package provision

import (
	"fmt"
	"strings"
)

// EnterpriseURN is the schema of the enterprise extension; target paths
// under it are written "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department".
const EnterpriseURN = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"

// Path is a SCIM target attribute path as Entra's attribute mappings name
// it: "userName", "name.givenName", `emails[type eq "work"].value`,
// `phoneNumbers[type eq "mobile"].value`, or an extension attribute
// prefixed with its schema URN (EnterpriseURN + ":department",
// EnterpriseURN + ":manager").
type Path struct {
	// URN is the extension schema, "" for the core User or Group schema.
	URN string
	// Attr is the top-level attribute ("emails", "name", "userName").
	Attr string
	// FilterAttr and FilterValue are the value filter of a multi-valued
	// attribute (`[type eq "work"]`), both empty without one.
	FilterAttr, FilterValue string
	// Sub is the sub-attribute ("value", "givenName"), "" for none.
	Sub string
}

// maxPathLen bounds a target path; Entra's own are well under 200 bytes.
const maxPathLen = 512

// ParsePath reads a target path. Filters are `attr eq "value"` only, as
// Entra writes them (and IdC accepts, AWS-SCIM-011).
func ParsePath(s string) (Path, error) {
	var p Path
	if s == "" {
		return p, fmt.Errorf("provision: empty target path: write a SCIM attribute such as \"userName\" or \"name.givenName\"")
	}
	if len(s) > maxPathLen {
		return p, fmt.Errorf("provision: target path is %d bytes long: at most %d", len(s), maxPathLen)
	}
	rest := s
	if strings.HasPrefix(strings.ToLower(rest), "urn:") {
		// The attribute follows the last colon outside a filter.
		cut := strings.IndexByte(rest, '[')
		head := rest
		if cut >= 0 {
			head = rest[:cut]
		}
		i := strings.LastIndexByte(head, ':')
		if i < 0 || i == len(head)-1 {
			return p, fmt.Errorf("provision: target path %q: a schema URN must be followed by \":attribute\"", s)
		}
		p.URN, rest = rest[:i], rest[i+1:]
	}
	name, rest := takeName(rest)
	if name == "" {
		return p, fmt.Errorf("provision: target path %q: expected an attribute name at %q", s, rest)
	}
	p.Attr = name
	if strings.HasPrefix(rest, "[") {
		end := strings.IndexByte(rest, ']')
		if end < 0 {
			return p, fmt.Errorf("provision: target path %q: filter has no closing ]", s)
		}
		fa, fv, err := parseFilter(rest[1:end])
		if err != nil {
			return p, fmt.Errorf("provision: target path %q: %w", s, err)
		}
		p.FilterAttr, p.FilterValue = fa, fv
		rest = rest[end+1:]
	}
	if strings.HasPrefix(rest, ".") {
		var sub string
		sub, rest = takeName(rest[1:])
		if sub == "" {
			return p, fmt.Errorf("provision: target path %q: expected a sub-attribute after \".\"", s)
		}
		p.Sub = sub
	}
	if rest != "" {
		return p, fmt.Errorf("provision: target path %q: unexpected %q", s, rest)
	}
	return p, nil
}

func takeName(s string) (name, rest string) {
	i := 0
	for i < len(s) {
		c := s[i]
		if c == '_' || c == '$' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (i > 0 && (c >= '0' && c <= '9' || c == '-')) {
			i++
			continue
		}
		break
	}
	return s[:i], s[i:]
}

// parseFilter reads `type eq "work"`.
func parseFilter(f string) (attr, value string, err error) {
	f = strings.TrimSpace(f)
	attr, rest := takeName(f)
	if attr == "" {
		return "", "", fmt.Errorf("filter %q: expected an attribute name", f)
	}
	rest = strings.TrimLeft(rest, " ")
	if len(rest) < 3 || !strings.EqualFold(rest[:2], "eq") || rest[2] != ' ' {
		return "", "", fmt.Errorf("filter %q: only `%s eq \"value\"` is supported", f, attr)
	}
	rest = strings.TrimSpace(rest[3:])
	if len(rest) < 2 || rest[0] != '"' || rest[len(rest)-1] != '"' {
		return "", "", fmt.Errorf("filter %q: the value must be in double quotes", f)
	}
	value = rest[1 : len(rest)-1]
	if strings.ContainsAny(value, "\"\\") {
		return "", "", fmt.Errorf("filter %q: the value may not contain quotes or backslashes", f)
	}
	return attr, value, nil
}

// String writes the path back in Entra's form.
func (p Path) String() string {
	var b strings.Builder
	if p.URN != "" {
		b.WriteString(p.URN)
		b.WriteByte(':')
	}
	b.WriteString(p.Attr)
	if p.FilterAttr != "" {
		fmt.Fprintf(&b, "[%s eq \"%s\"]", p.FilterAttr, p.FilterValue)
	}
	if p.Sub != "" {
		b.WriteByte('.')
		b.WriteString(p.Sub)
	}
	return b.String()
}

// multiValued lists the SCIM attributes that are arrays of complex values
// (RFC 7643 §4.1.2, §4.2).
var multiValued = map[string]bool{
	"emails": true, "phoneNumbers": true, "ims": true, "photos": true, "addresses": true,
	"groups": true, "entitlements": true, "roles": true, "x509Certificates": true, "members": true,
}

// IsList says whether the path names (an item of) a multi-valued attribute.
func (p Path) IsList() bool { return p.URN == "" && multiValued[p.Attr] }

// isBool says whether values at the path are SCIM booleans.
func (p Path) isBool() bool {
	return (p.URN == "" && p.Attr == "active" && p.Sub == "") || p.Sub == "primary"
}

// isReference says whether the path is a reference to another user
// (enterprise manager), whose value is the target's id of that user.
func (p Path) isReference() bool {
	return p.URN == EnterpriseURN && p.Attr == "manager"
}
