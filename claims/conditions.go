package claims

import (
	"fmt"
	"strings"
)

// User-type bits of a condition row.
const (
	utMember uint8 = 1 << iota
	utAADGuest
	utExternalGuest
	utAny = utMember | utAADGuest | utExternalGuest
)

var userTypeMasks = map[string]uint8{
	"":                utAny,
	"any":             utAny,
	"members":         utMember,
	"all_guests":      utAADGuest | utExternalGuest,
	"aad_guests":      utAADGuest,
	"external_guests": utExternalGuest,
}

var userTypeNames = []string{"any", "members", "all_guests", "aad_guests", "external_guests"}

func userTypeBit(t UserType) uint8 {
	switch t {
	case AADGuest:
		return utAADGuest
	case ExternalGuest:
		return utExternalGuest
	}
	return utMember
}

// row is one compiled source of a claim: the base source (index 0) or a
// condition row (1-based index as configured).
type row struct {
	index  int
	types  uint8
	groups []string
	src    operand
	chain  []step
}

// matches says whether the row applies to the user: the user type is one of
// the row's, and, when groups are scoped, the user is a member (direct or
// nested) of any of them.
func (r *row) matches(c *evalCtx) bool {
	if r.types&userTypeBit(c.user.Type) == 0 {
		return false
	}
	if len(r.groups) == 0 {
		return true
	}
	for _, g := range r.groups {
		if c.info.all[g] {
			return true
		}
	}
	return false
}

// whyNot explains a row that did not match (for traces).
func (r *row) whyNot(c *evalCtx) string {
	if r.types&userTypeBit(c.user.Type) == 0 {
		t := c.user.Type
		if t == "" {
			t = Member
		}
		return fmt.Sprintf("skipped: user type %s is not %s", t, typeMaskName(r.types))
	}
	return fmt.Sprintf("skipped: user is in none of the scoped groups %s", strings.Join(r.groups, ", "))
}

func typeMaskName(m uint8) string {
	for _, n := range userTypeNames {
		if userTypeMasks[n] == m {
			return n
		}
	}
	return "any"
}

// isTransformationRow says whether a row is evaluated in the second pass.
func (r *row) isTransformationRow() bool { return len(r.chain) > 0 }

// compileRows compiles a claim's base source and its conditions into rows
// in evaluation order: the base source first (it matches everyone), then
// the rows whose source is an attribute or constant, top to bottom, then
// the rows whose source is a transformation, top to bottom. The last
// matching row with a non-empty value wins.
func (cc *compileContext) compileRows(base Condition, conds []Condition, multi bool, errs *errorList) []row {
	rows := make([]row, 0, len(conds)+1)
	if r, ok := cc.compileRow(base, 0, multi, errs, ""); ok && (r.src.kind != opNone || len(r.chain) > 0) {
		rows = append(rows, r)
	}
	var attrRows, transRows []row
	for i, cd := range conds {
		field := fmt.Sprintf("condition %d", i+1)
		r, ok := cc.compileRow(cd, i+1, multi, errs, field)
		if !ok {
			continue
		}
		if r.src.kind == opNone && len(r.chain) == 0 {
			errs.addf(field, "no source: set source, value or transformations (a row without one never changes the claim)")
			continue
		}
		if r.isTransformationRow() {
			transRows = append(transRows, r)
		} else {
			attrRows = append(attrRows, r)
		}
	}
	rows = append(rows, attrRows...)
	return append(rows, transRows...)
}

func (cc *compileContext) compileRow(cd Condition, index int, multi bool, errs *errorList, field string) (row, bool) {
	n := len(errs.errs)
	r := row{index: index}
	m, ok := userTypeMasks[strings.ToLower(cd.UserType)]
	if !ok {
		errs.addf(field, "unknown user_type %q (one of %s)%s", cd.UserType, strings.Join(userTypeNames, ", "), didYouMean(cd.UserType, userTypeNames))
	}
	r.types = m
	seen := map[string]bool{}
	for _, g := range cd.Groups {
		if g == "" {
			errs.addf(field, "empty group id in groups")
			continue
		}
		if seen[g] {
			continue
		}
		seen[g] = true
		r.groups = append(r.groups, g)
	}
	switch {
	case cd.Source != "" && cd.Value != "":
		errs.addf(joinField(field, "source"), "both source %q and value %q are set; keep one", cd.Source, cd.Value)
	case cd.Source != "":
		if !cc.schema.isAttrRef(cd.Source) {
			errs.addf(joinField(field, "source"), "%q is not an attribute (user.<id>); for a constant write value = %q", cd.Source, cd.Source)
			break
		}
		o, err := cc.schema.attribute(cd.Source)
		if err != nil {
			errs.add(joinField(field, "source"), err)
		}
		r.src = o
	case cd.Value != "":
		o, err := constant(cd.Value)
		if err != nil {
			errs.add(joinField(field, "value"), err)
		}
		r.src = o
	}
	r.chain = cc.compileChain(cd.Transformations, multi, errs, field)
	return r, len(errs.errs) == n
}
