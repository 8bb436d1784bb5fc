package scim

import (
	"fmt"
	"strings"
)

// Filter limits: IdC's filters are a handful of eq comparisons
// (AWS-SCIM-009), so anything longer is refused before parsing.
const (
	MaxFilterLen   = 1024
	MaxFilterTerms = 4
)

// Term is one `attr eq "value"` comparison. Attr is as written; Key is its
// lower-cased canonical form (the enterprise URN prefix removed, a trailing
// ".value" of manager and members removed).
type Term struct {
	Attr  string
	Key   string
	Value string
}

// ParseFilter parses IdC's filter language: `attr eq "value"` terms joined
// by `and` (AWS-SCIM-009). Any other operator, `or`, `not`, brackets or an
// unquoted value is an error that says what was found. It never panics and
// reads at most MaxFilterLen bytes.
func ParseFilter(s string) ([]Term, error) {
	if len(s) > MaxFilterLen {
		return nil, fmt.Errorf("filter is %d bytes; at most %d are accepted", len(s), MaxFilterLen)
	}
	return parseFilter(&filterParser{s: s})
}

func parseFilter(p *filterParser) ([]Term, error) {
	var terms []Term
	for {
		p.space()
		t, err := p.term()
		if err != nil {
			return nil, err
		}
		terms = append(terms, t)
		if len(terms) > MaxFilterTerms {
			return nil, fmt.Errorf("filter has more than %d comparisons", MaxFilterTerms)
		}
		p.space()
		if p.eof() {
			return terms, nil
		}
		w := p.word()
		if !strings.EqualFold(w, "and") {
			if strings.EqualFold(w, "or") {
				return nil, fmt.Errorf("filter operator %q is not supported; only eq comparisons joined by and", w)
			}
			return nil, fmt.Errorf("filter: expected and at offset %d, found %q", p.i, p.rest())
		}
		if !p.requireSpace() {
			return nil, fmt.Errorf("filter: expected a space after and at offset %d", p.i)
		}
	}
}

type filterParser struct {
	s         string
	i         int
	allowBool bool // true and false unquoted, as in PATCH paths (emails[primary eq true])
}

func (p *filterParser) eof() bool { return p.i >= len(p.s) }

func (p *filterParser) rest() string {
	r := p.s[p.i:]
	if len(r) > 20 {
		r = r[:20] + "…"
	}
	return r
}

func (p *filterParser) space() {
	for p.i < len(p.s) && p.s[p.i] == ' ' {
		p.i++
	}
}

func (p *filterParser) requireSpace() bool {
	if p.i >= len(p.s) || p.s[p.i] != ' ' {
		return false
	}
	p.space()
	return true
}

// word reads up to the next space, bracket or quote.
func (p *filterParser) word() string {
	start := p.i
	for p.i < len(p.s) && !strings.ContainsRune(" ()[]\"", rune(p.s[p.i])) {
		p.i++
	}
	return p.s[start:p.i]
}

func (p *filterParser) term() (Term, error) {
	if !p.eof() && (p.s[p.i] == '(' || p.s[p.i] == ')') {
		return Term{}, fmt.Errorf("filter: grouping with parentheses is not supported")
	}
	attr := p.word()
	if attr == "" {
		if p.eof() {
			return Term{}, fmt.Errorf("filter: expected an attribute at offset %d", p.i)
		}
		return Term{}, fmt.Errorf("filter: expected an attribute at offset %d, found %q", p.i, p.rest())
	}
	if strings.EqualFold(attr, "not") {
		return Term{}, fmt.Errorf("filter operator not is not supported; only eq comparisons joined by and")
	}
	if !p.eof() && p.s[p.i] == '[' {
		return Term{}, fmt.Errorf("filter: value filters like %s[...] are not supported", attr)
	}
	if !validAttrPath(attr) {
		return Term{}, fmt.Errorf("filter: %q is not an attribute name", attr)
	}
	if !p.requireSpace() {
		return Term{}, fmt.Errorf("filter: expected an operator after %s", attr)
	}
	op := p.word()
	if !strings.EqualFold(op, "eq") {
		if op == "" {
			return Term{}, fmt.Errorf("filter: expected eq after %s at offset %d", attr, p.i)
		}
		return Term{}, fmt.Errorf("filter operator %q is not supported; only eq", op)
	}
	if !p.requireSpace() {
		return Term{}, fmt.Errorf("filter: expected a space after eq")
	}
	v, err := p.quoted()
	if err != nil {
		return Term{}, err
	}
	return Term{Attr: attr, Key: canonicalAttr(attr), Value: v}, nil
}

// quoted reads a JSON-style double-quoted string with \" and \\ escapes.
func (p *filterParser) quoted() (string, error) {
	if p.allowBool {
		for _, lit := range []string{"true", "false"} {
			if len(p.s)-p.i >= len(lit) && strings.EqualFold(p.s[p.i:p.i+len(lit)], lit) {
				p.i += len(lit)
				return lit, nil
			}
		}
	}
	if p.eof() || p.s[p.i] != '"' {
		return "", fmt.Errorf("filter: the value must be a double-quoted string (attr eq \"value\"), found %q", p.rest())
	}
	p.i++
	var b strings.Builder
	for p.i < len(p.s) {
		c := p.s[p.i]
		switch c {
		case '"':
			p.i++
			return b.String(), nil
		case '\\':
			if p.i+1 >= len(p.s) {
				return "", fmt.Errorf("filter: unterminated string")
			}
			n := p.s[p.i+1]
			if n != '"' && n != '\\' {
				return "", fmt.Errorf("filter: unsupported escape \\%c", n)
			}
			b.WriteByte(n)
			p.i += 2
		default:
			b.WriteByte(c)
			p.i++
		}
	}
	return "", fmt.Errorf("filter: unterminated string")
}

func validAttrPath(a string) bool {
	for i := 0; i < len(a); i++ {
		c := a[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == ':' || c == '_' || c == '-' || c == '$') {
			return false
		}
	}
	return true
}

// canonicalAttr lower-cases an attribute path, drops the enterprise schema
// URN prefix and the ".value" of manager and members.
func canonicalAttr(a string) string {
	k := strings.ToLower(a)
	k = strings.TrimPrefix(k, strings.ToLower(EnterpriseSchema)+":")
	k = strings.TrimPrefix(k, strings.ToLower(UserSchema)+":")
	k = strings.TrimPrefix(k, strings.ToLower(GroupSchema)+":")
	switch k {
	case "manager.value":
		return "manager"
	case "members.value":
		return "members"
	}
	return k
}

// userQuery turns filter terms into a UserQuery, accepting only the
// combinations IdC supports (AWS-SCIM-009): userName, externalId,
// groups.value, id, and id with manager.
func userQuery(terms []Term) (UserQuery, error) {
	var q UserQuery
	err := bindTerms(terms, map[string]*string{
		"username": &q.UserName, "externalid": &q.ExternalID, "id": &q.ID,
		"groups.value": &q.GroupID, "manager": &q.ManagerID,
	}, "manager", "users", "userName, externalId, groups.value, id, or id and manager")
	return q, err
}

// groupQuery is userQuery for groups: displayName, externalId, id, and id
// with members.
func groupQuery(terms []Term) (GroupQuery, error) {
	var q GroupQuery
	err := bindTerms(terms, map[string]*string{
		"displayname": &q.DisplayName, "externalid": &q.ExternalID, "id": &q.ID,
		"members": &q.MemberID,
	}, "members", "groups", "displayName, externalId, id, or id and members")
	return q, err
}

// bindTerms sets the query field each term names. IdC takes one term, or
// id together with the paired key (manager, members), never a key twice;
// hint lists what it accepts.
func bindTerms(terms []Term, fields map[string]*string, pair, what, hint string) error {
	seen := map[string]bool{}
	for _, t := range terms {
		if seen[t.Key] {
			return fmt.Errorf("filter compares %s twice", t.Attr)
		}
		seen[t.Key] = true
		f, ok := fields[t.Key]
		if !ok {
			return fmt.Errorf("filtering %s on %s is not supported; use %s", what, t.Attr, hint)
		}
		*f = t.Value
	}
	if !(len(terms) == 1 && !seen[pair] || len(terms) == 2 && seen["id"] && seen[pair]) {
		return fmt.Errorf("this filter combination is not supported; use %s", hint)
	}
	return nil
}
