package claims

import (
	"fmt"
	"strings"
)

// opKind says where a parameter's value comes from.
type opKind uint8

const (
	opNone     opKind = iota
	opConst           // a constant
	opAttr            // a built-in Entra user attribute (lower-case key)
	opExt             // a free-form or directory extension attribute (exact key)
	opRoles           // user.assignedroles
	opPrev            // the previous transformation's output
	opPairwise        // user.pairwiseid: the pairwise id (NameID only)
)

// operand is a compiled parameter: a constant or an attribute reference.
type operand struct {
	kind opKind
	// key is the attribute key, or the constant's text.
	key string
	// alt is the second key tried for a directory extension
	// (extension_<app>_<name> falls back to the bare <name>).
	alt string
	// src is the parameter as configured, for traces.
	src string
	// one holds the constant as a one-value list, to avoid allocating.
	one []string
}

// schema is what Compile knows about attribute names.
type schema struct {
	extensions map[string]bool
	extList    []string
	all        []string // every valid name after "user.", for suggestions
	// pairwise allows user.pairwiseid (set for the NameID rule only).
	pairwise bool
}

// newSchema builds the schema from the declared extension names. A name
// that is an Entra attribute id (any case) is not taken as an extension:
// built-in ids keep their built-in meaning (the first value only when
// used directly; never a bare-name attribute reference, so a constant
// "department" stays a constant).
func newSchema(ext []string) *schema {
	s := &schema{extensions: map[string]bool{}}
	for _, e := range ext {
		if IsUserAttribute(e) {
			continue
		}
		s.extensions[e] = true
	}
	s.extList = sortedKeys(s.extensions)
	s.all = append(sortedKeys(userAttributes), s.extList...)
	return s
}

// isAttrRef says whether a source (which has no constant form) names an
// attribute: it starts with "user." or is a declared extension name.
func (s *schema) isAttrRef(p string) bool {
	return hasPrefixFold(p, "user.") || s.extensions[p]
}

func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

// attribute compiles an attribute reference (which isAttrRef accepted).
func (s *schema) attribute(p string) (operand, error) {
	name := p
	if hasPrefixFold(p, "user.") {
		name = p[len("user."):]
	}
	if s.extensions[name] {
		return operand{kind: opExt, key: name, src: p}, nil
	}
	lower := strings.ToLower(name)
	if lower == "assignedroles" {
		return operand{kind: opRoles, key: lower, src: p}, nil
	}
	if lower == "pairwiseid" {
		if !s.pairwise {
			return operand{}, fmt.Errorf("%w %q: the pairwise id is a NameID source only (nameid.source = \"user.pairwiseid\")", ErrUnknownAttribute, p)
		}
		return operand{kind: opPairwise, key: lower, src: p}, nil
	}
	if strings.HasPrefix(lower, "extension_") {
		return s.extension(p, name)
	}
	if userAttributes[lower] {
		return operand{kind: opAttr, key: lower, src: p}, nil
	}
	if lower == "groups" {
		return operand{}, fmt.Errorf("%w %q: user.groups is the group claim; configure group_claim instead", ErrUnknownAttribute, p)
	}
	for _, e := range s.extList {
		if strings.EqualFold(e, name) {
			return operand{}, fmt.Errorf("%w %q: extension attributes are case-sensitive (did you mean \"user.%s\"?)", ErrUnknownAttribute, p, e)
		}
	}
	hint := didYouMean(name, s.all)
	if hint != "" {
		hint = strings.Replace(hint, "\"", "\"user.", 1)
	} else {
		hint = " (not an Entra user attribute; declare free-form attributes as extensions)"
	}
	return operand{}, fmt.Errorf("%w %q%s", ErrUnknownAttribute, p, hint)
}

// extension compiles user.extension_<appid>_<name>. The app id is 32 hex
// digits (a GUID without dashes). <name> (or the whole id) must be a
// declared extension, matched case-sensitively as Entra ID reads them.
func (s *schema) extension(p, name string) (operand, error) {
	rest := name[len("extension_"):]
	i := strings.IndexByte(rest, '_')
	if i != 32 || !isHex(rest[:32]) || i+1 >= len(rest) {
		return operand{}, fmt.Errorf("%w %q: a directory extension is user.extension_<app id, 32 hex digits without dashes>_<name>", ErrUnknownAttribute, p)
	}
	bare := rest[i+1:]
	if s.extensions[name] || s.extensions[bare] {
		return operand{kind: opExt, key: name, alt: bare, src: p}, nil
	}
	for _, e := range s.extList {
		if strings.EqualFold(e, bare) {
			return operand{}, fmt.Errorf("%w %q: extension names are case-sensitive when read (did you mean %q?)", ErrUnknownAttribute, p, "user.extension_"+rest[:32]+"_"+e)
		}
	}
	return operand{}, fmt.Errorf("%w %q: extension %q is not declared%s", ErrUnknownAttribute, p, bare, didYouMean(bare, s.extList))
}

func isHex(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return true
}

// parameter compiles a transformation parameter: an attribute when it
// starts with "user.", else a constant — also when the text happens to be
// an attribute's name ("department", a declared extension such as
// "costcenter"): a parameter can be either, and only the prefix tells.
func (s *schema) parameter(p string) (operand, error) {
	if p == "" {
		return operand{}, nil
	}
	if hasPrefixFold(p, "user.") {
		return s.attribute(p)
	}
	return constant(p)
}

func constant(p string) (operand, error) {
	if err := checkXMLText(p); err != nil {
		return operand{}, fmt.Errorf("constant %q: %w", p, err)
	}
	return operand{kind: opConst, key: p, src: p, one: []string{p}}, nil
}

// stored returns the attribute's stored values (nil for constants).
func (o *operand) stored(c *evalCtx) []string {
	switch o.kind {
	case opAttr:
		return c.user.Attributes[o.key]
	case opExt:
		if v, ok := c.user.Attributes[o.key]; ok || o.alt == "" {
			return v
		}
		return c.user.Attributes[o.alt]
	case opRoles:
		return c.user.AppRoles[c.engine.app.Name]
	case opConst:
		return o.one
	case opPairwise:
		return []string{c.pairwiseID()}
	}
	return nil
}

// direct returns the values a claim gets when o is used directly as its
// source: all non-empty stored values for extensions and app roles, only
// the first value for built-in attributes (Entra emits one value of
// othermail, proxyaddresses and tags), the constant itself.
func (o *operand) direct(c *evalCtx) []string {
	vs := o.stored(c)
	switch o.kind {
	case opAttr:
		if len(vs) == 0 || vs[0] == "" {
			return nil
		}
		return vs[:1:1]
	case opConst, opPairwise:
		return vs
	}
	return nonEmpty(vs)
}

// first is the value a single-valued parameter takes: the first stored
// value, or "".
func (o *operand) first(c *evalCtx) string {
	vs := o.stored(c)
	if len(vs) == 0 {
		return ""
	}
	return vs[0]
}

// nonEmpty returns vs without empty strings, allocating only when some
// are empty.
func nonEmpty(vs []string) []string {
	n := 0
	for _, v := range vs {
		if v != "" {
			n++
		}
	}
	if n == len(vs) {
		return vs
	}
	if n == 0 {
		return nil
	}
	out := make([]string, 0, n)
	for _, v := range vs {
		if v != "" {
			out = append(out, v)
		}
	}
	return out
}
