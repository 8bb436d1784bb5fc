package claims

import (
	"fmt"
	"time"
)

// EvalOptions are per-sign-in inputs.
type EvalOptions struct {
	// Explain fills the Trace of the NameID, every attribute and every
	// omission.
	Explain bool
	// RequestedNameIDFormat is the Format of the AuthnRequest's
	// NameIDPolicy. It wins over the configured format; a format Entra ID
	// does not issue is an error wrapping ErrUnsupportedNameIDFormat.
	RequestedNameIDFormat string
	// SPNameQualifier is echoed in the NameID.
	SPNameQualifier string
	// IDSource makes transient NameIDs; required only when one is needed.
	IDSource IDSource
	// AuthnMethods are the authnmethodsreferences values (full URIs) for
	// the default claims. Default: the password method.
	AuthnMethods []string
}

// evalCtx is the state of one evaluation.
type evalCtx struct {
	engine  *Engine
	dir     *Directory
	info    *userInfo
	user    *User
	explain bool
	one     [1]string
	// regexSpent is the time regex matches took so far (RegexEvalBudget).
	regexSpent time.Duration
}

var passwordMethod = []string{AuthnMethodPassword}

// resultBuf lets Evaluate allocate a Result and its attributes at once.
type resultBuf struct {
	res   Result
	attrs [8]Attribute
}

// Evaluate computes the NameID and the claims of one user for the engine's
// app. u must be a user of dir (normally the value dir.User returned); its
// group memberships come from dir. Output values are checked: a value that
// signed XML cannot carry is an error naming the claim, never changed.
func (e *Engine) Evaluate(dir *Directory, u *User, opts EvalOptions) (*Result, error) {
	if dir == nil || u == nil {
		return nil, fmt.Errorf("claims: evaluate: nil directory or user")
	}
	info, ok := dir.userByID[u.ID]
	if !ok {
		return nil, fmt.Errorf("claims: evaluate: %w %q", ErrUnknownUser, u.ID)
	}
	if err := checkValues(opts.AuthnMethods); err != nil {
		return nil, fmt.Errorf("claims: evaluate: authentication methods: %w", err)
	}
	c := &evalCtx{engine: e, dir: dir, info: info, user: u, explain: opts.Explain}
	// One allocation holds the Result and, usually, its attributes.
	buf := &resultBuf{}
	res := &buf.res
	if len(e.names) <= len(buf.attrs) {
		res.Attributes = buf.attrs[:0:len(e.names)]
	} else {
		res.Attributes = make([]Attribute, 0, len(e.names))
	}
	var err error
	if res.NameID, err = c.evalNameID(&opts); err != nil {
		return nil, err
	}

	if e.defaultClaims {
		if err := c.defaultClaims(res, &opts); err != nil {
			return nil, err
		}
	}

	// Rules: first collect each rule's values (usually slices of the
	// directory's or the engine's own), then copy them all into one
	// backing array so the result never aliases shared data.
	var candBuf [16][]string
	cands := candBuf[:0]
	var traces []*Trace
	if c.explain {
		traces = make([]*Trace, len(e.rules))
	}
	total := 0
	for i := range e.rules {
		r := &e.rules[i]
		var tr *Trace
		if c.explain {
			tr = &Trace{Rule: r.name}
			traces[i] = tr
		}
		vals, reason, err := c.evalRows(r.rows, tr)
		if err != nil {
			return nil, &RuleError{Rule: r.label, Err: err}
		}
		if len(vals) == 0 {
			res.Omitted = append(res.Omitted, Omission{Name: r.name, Reason: reason, Trace: tr})
		} else if err := checkValues(vals); err != nil {
			return nil, &RuleError{Rule: r.label, Field: "value", Err: err}
		}
		cands = append(cands, vals)
		total += len(vals)
	}
	backing := make([]string, 0, total)
	for i, vals := range cands {
		if len(vals) == 0 {
			continue
		}
		r := &e.rules[i]
		start := len(backing)
		backing = append(backing, vals...)
		a := Attribute{Name: r.name, NameFormat: r.nameFormat, Values: backing[start:len(backing):len(backing)]}
		if c.explain {
			a.Trace = traces[i]
		}
		res.Attributes = append(res.Attributes, a)
	}
	if g := e.groups; g != nil {
		a, reason, err := c.evalGroups(g)
		if err != nil {
			return nil, err
		}
		if len(a.Values) == 0 {
			res.Omitted = append(res.Omitted, Omission{Name: g.name, Reason: reason, Trace: a.Trace})
		} else {
			if err := checkValues(a.Values); err != nil {
				return nil, &RuleError{Rule: "group_claim", Field: "value", Err: err}
			}
			res.Attributes = append(res.Attributes, *a)
		}
	}
	if e.roleClaim {
		roles := nonEmpty(u.AppRoles[e.app.Name])
		var tr *Trace
		if c.explain {
			tr = &Trace{Rule: ClaimRole, Steps: []Step{{Kind: "source", Matched: len(roles) > 0,
				Output: append([]string(nil), roles...), Note: "app roles assigned to the user (role_claim)"}}}
		}
		if len(roles) == 0 {
			res.Omitted = append(res.Omitted, Omission{Name: ClaimRole, Reason: "no app roles with a value are assigned to the user", Trace: tr})
		} else if err := checkValues(roles); err != nil {
			return nil, &RuleError{Rule: "role_claim", Field: "value", Err: err}
		} else {
			res.Attributes = append(res.Attributes, Attribute{Name: ClaimRole, NameFormat: e.nameFormat,
				Values: append([]string(nil), roles...), Trace: tr})
		}
	}
	return res, nil
}

func checkValues(vs []string) error {
	for i, v := range vs {
		if err := checkXMLText(v); err != nil {
			return fmt.Errorf("value %d: %w", i+1, err)
		}
	}
	return nil
}

// objectID is the user's object id: the objectid attribute, or the one the
// directory derived.
func (c *evalCtx) objectID() string {
	if v := c.user.Attributes["objectid"]; len(v) > 0 && v[0] != "" {
		return v[0]
	}
	return c.info.objectID
}

// pairwiseID is the user's pairwise id for this app (user.pairwiseid).
func (c *evalCtx) pairwiseID() string {
	return PairwiseID(c.dir.tenant.PairwiseSecret, c.dir.tenant.ID, c.engine.app.ID, c.objectID())
}

func (c *evalCtx) verifiedDomain(d string) bool {
	for _, v := range c.dir.tenant.VerifiedDomains {
		if len(v) == len(d) && equalFoldASCII(v, d) {
			return true
		}
	}
	return false
}

func equalFoldASCII(a, b string) bool {
	for i := 0; i < len(a); i++ {
		x, y := a[i], b[i]
		if 'A' <= x && x <= 'Z' {
			x += 'a' - 'A'
		}
		if 'A' <= y && y <= 'Z' {
			y += 'a' - 'A'
		}
		if x != y {
			return false
		}
	}
	return true
}

var emptyInput = []string{""}

// evalRows runs a claim's rows in order; the last matching row with a
// non-empty value wins. reason says why there is no value, when there is
// none.
func (c *evalCtx) evalRows(rows []row, tr *Trace) (vals []string, reason string, err error) {
	matchedEmpty := ""
	anyMatched := false
	for i := range rows {
		r := &rows[i]
		kind := "condition"
		if r.index == 0 {
			kind = "source"
		}
		if !r.matches(c) {
			if tr != nil {
				tr.Steps = append(tr.Steps, Step{Kind: kind, Row: r.index, Note: r.whyNot(c)})
			}
			continue
		}
		anyMatched = true
		v, err := c.rowValues(r, tr)
		if err != nil {
			if r.index > 0 {
				return nil, "", fmt.Errorf("condition %d: %w", r.index, err)
			}
			return nil, "", err
		}
		if len(v) == 0 {
			if matchedEmpty == "" {
				matchedEmpty = r.describe()
			}
			if tr != nil {
				tr.Steps = append(tr.Steps, Step{Kind: kind, Row: r.index, Matched: true, Note: "matched; " + r.describe() + " is empty, skipped"})
			}
			continue
		}
		vals = v
		if tr != nil {
			tr.Steps = append(tr.Steps, Step{Kind: kind, Row: r.index, Matched: true,
				Output: append([]string(nil), v...), Note: "matched; value from " + r.describe()})
		}
	}
	if len(vals) == 0 {
		switch {
		case len(rows) == 0:
			reason = "no source"
		case !anyMatched:
			reason = "no condition matched the user"
		default:
			reason = "no value: " + matchedEmpty + " is empty"
		}
	}
	return vals, reason, nil
}

// describe names the row's source for traces and omission reasons.
func (r *row) describe() string {
	if len(r.chain) > 0 {
		s := "transformation " + r.chain[0].name + "(" + r.chain[0].input.src + ")"
		if len(r.chain) > 1 {
			s += " then " + r.chain[1].name
		}
		return s
	}
	if r.src.kind == opConst {
		return fmt.Sprintf("constant %q", r.src.key)
	}
	return r.src.src
}

// rowValues is the value of a matching row: its transformation output, or,
// when that is empty or there is none, its attribute or constant.
func (c *evalCtx) rowValues(r *row, tr *Trace) ([]string, error) {
	if len(r.chain) > 0 {
		v, err := c.runChain(r, tr)
		if err != nil || len(v) > 0 || r.src.kind == opNone {
			return v, err
		}
	}
	return r.src.direct(c), nil
}

// runChain runs up to two transformations; the second receives the first's
// output when its input is empty. A multi-valued step runs once per value.
func (c *evalCtx) runChain(r *row, tr *Trace) ([]string, error) {
	var prev []string
	for i := range r.chain {
		s := &r.chain[i]
		var ins []string
		switch {
		case s.input.kind == opPrev:
			ins = prev
		case s.multi:
			ins = nonEmpty(s.input.stored(c))
		default:
			c.one[0] = s.input.first(c)
			ins = c.one[:]
		}
		if len(ins) == 0 {
			ins = emptyInput
		}
		var out []string
		for _, in := range ins {
			o, ok, err := s.apply(c, in)
			if err != nil {
				return nil, fmt.Errorf("transformation %d (%s): %w", i+1, s.name, err)
			}
			if ok && o != "" {
				out = append(out, o)
			}
		}
		if tr != nil {
			tr.Steps = append(tr.Steps, Step{Kind: "transformation", Row: r.index, Matched: len(out) > 0,
				Function: s.name, Input: append([]string(nil), ins...), Output: append([]string(nil), out...),
				Note: "input " + s.input.src})
		}
		prev = out
	}
	return prev, nil
}

// defaultClaims adds the claims Entra ID always emits, in its order.
func (c *evalCtx) defaultClaims(res *Result, opts *EvalOptions) error {
	var err error
	add := func(name string, vals []string, note string) {
		if e := checkValues(vals); e != nil && err == nil {
			err = &RuleError{Rule: "default_claims", Field: name, Err: e}
		}
		var tr *Trace
		if c.explain {
			tr = &Trace{Rule: name, Steps: []Step{{Kind: "source", Matched: len(vals) > 0, Output: vals, Note: note}}}
		}
		if len(vals) == 0 || vals[0] == "" {
			res.Omitted = append(res.Omitted, Omission{Name: name, Reason: "no value: " + note + " is empty", Trace: tr})
			return
		}
		res.Attributes = append(res.Attributes, Attribute{Name: name, NameFormat: c.engine.nameFormat, Values: vals, Trace: tr})
	}
	t := &c.dir.tenant
	add(ClaimTenantID, []string{t.ID}, "tenant id")
	add(ClaimObjectID, []string{c.objectID()}, "user.objectid")
	dn := ""
	if v := c.user.Attributes["displayname"]; len(v) > 0 {
		dn = v[0]
	}
	add(ClaimDisplayName, []string{dn}, "user.displayname")
	add(ClaimIdentityProvider, []string{c.identityProvider()}, "identity provider")
	m := opts.AuthnMethods
	if len(m) == 0 {
		m = passwordMethod
	}
	add(ClaimAuthnMethods, append([]string(nil), m...), "authentication methods")
	return err
}

// identityProvider is the user's identity provider: the user's
// "identityprovider" attribute when set; otherwise the tenant's issuer for
// members and Entra (aad) guests, and "live.com" (a Microsoft account) for
// external guests.
func (c *evalCtx) identityProvider() string {
	if v := c.user.Attributes["identityprovider"]; len(v) > 0 && v[0] != "" {
		return v[0]
	}
	if c.user.Type == ExternalGuest {
		return "live.com"
	}
	return c.dir.tenant.Issuer
}
