package azurepolicy

import (
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/samlab/samlab/claims"
)

// Result is a converted policy.
type Result struct {
	// Policy holds the claim rules: the NameID, the claims in the order the
	// policy lists them (after the basic claim set, if included), and the
	// group filter.
	Policy claims.Policy
	// Warnings lists what could not be carried over, or was carried over
	// with a guess. Each names the policy entry and says why.
	Warnings []string
	// DisplayName is the policy's displayName from a Graph or PowerShell
	// export; "" for a bare definition.
	DisplayName string
	// Extensions lists the directory extension attributes the rules read
	// (the <name> of extension_<app id>_<name>), sorted. samlab reads an
	// extension only when the tenant declares it.
	Extensions []string
}

// Options tunes [ConvertWith]. The zero value is what [Convert] uses.
type Options struct {
	// DefaultClaimsFromBasicSet sets Policy.DefaultClaims only when the
	// policy includes the basic claim set. By default DefaultClaims is
	// always set: Entra ID emits its core claims (tenantid,
	// objectidentifier, displayname, identityprovider,
	// authnmethodsreferences) in every token whatever the policy says.
	DefaultClaimsFromBasicSet bool
}

// Convert reads a Claims Mapping Policy (see the package documentation for
// the accepted shapes) and converts it to samlab claim rules. It fails on
// input it cannot read: more than MaxInputSize bytes, invalid JSON
// ([*SyntaxError], with line, column and offset), no policy in it
// ([ErrNotPolicy]), a version other than 1 or values of the wrong JSON
// type. Everything it can read but not carry over becomes a warning, and
// the claims concerned are left out.
func Convert(data []byte) (*Result, error) {
	return ConvertWith(data, Options{})
}

// ConvertWith is [Convert] with options.
func ConvertWith(data []byte, opts Options) (*Result, error) {
	if len(data) > MaxInputSize {
		return nil, fmt.Errorf("%w (%d bytes)", ErrTooLarge, len(data))
	}
	text, err := normalizeText(data)
	if err != nil {
		return nil, err
	}
	raw, err := parseJSON(text, "")
	if err != nil {
		return nil, err
	}
	env, err := locate(raw, "", 0)
	if err != nil {
		return nil, err
	}
	d, err := decode(env.policy)
	if err != nil {
		return nil, err
	}
	// Warnings name the policy plainly; errors above give the full path.
	c := newConverter(d, "ClaimsMappingPolicy")
	for _, n := range env.notes {
		c.warn("%s", n)
	}
	pol := c.run(opts)
	res := &Result{Policy: pol, Warnings: c.warnings, DisplayName: env.displayName}
	for x := range c.extensions {
		res.Extensions = append(res.Extensions, x)
	}
	sort.Strings(res.Extensions)
	return res, nil
}

// converter turns a decoded policy into samlab rules.
type converter struct {
	d          *doc
	where      string
	byID       map[string][]*entry
	transforms map[string]*transformation
	referenced map[string]bool // lower-case ids named by InputClaims/OutputClaims
	used       map[*transformation]bool
	warnings   []string
	seen       map[string]bool
	extensions map[string]bool
	// nameIDLabel names the policy entry of the NameID, for warnings.
	nameIDLabel string
	// chains memoizes chain, which keeps converting linear however many
	// entries share a transformation.
	chains map[*transformation]chainResult
}

type chainResult struct {
	chain []claims.Transformation
	err   error
}

func newConverter(d *doc, where string) *converter {
	c := &converter{d: d, where: where, byID: map[string][]*entry{}, transforms: map[string]*transformation{},
		referenced: map[string]bool{}, used: map[*transformation]bool{}, seen: map[string]bool{}, extensions: map[string]bool{}, chains: map[*transformation]chainResult{}}
	for _, e := range d.schema {
		if e.id != "" {
			k := strings.ToLower(e.id)
			c.byID[k] = append(c.byID[k], e)
		}
	}
	for _, t := range d.transforms {
		k := strings.ToLower(t.id)
		if t.id == "" {
			c.warn("%s: no ID, so no claim can use it; ignored", t.label())
			continue
		}
		if first, dup := c.transforms[k]; dup {
			c.warn("%s: ID already used by %s; the first one is used", t.label(), first.label())
			continue
		}
		c.transforms[k] = t
		for _, in := range t.inputs {
			c.referenced[strings.ToLower(in.ref)] = true
		}
		for _, out := range t.outputs {
			c.referenced[strings.ToLower(out)] = true
		}
	}
	return c
}

// warn records a warning once.
func (c *converter) warn(format string, args ...any) {
	s := fmt.Sprintf(format, args...)
	if !c.seen[s] {
		c.seen[s] = true
		c.warnings = append(c.warnings, s)
	}
}

// claimGroup gathers the schema entries that emit one claim type.
type claimGroup struct {
	samlType string
	entries  []*entry
}

func (c *converter) run(opts Options) claims.Policy {
	d := c.d
	var pol claims.Policy
	if !d.hasVersion {
		c.warn("%s: no Version; read as version 1", c.where)
	}
	if len(d.unknown) > 0 {
		c.warn("%s: %s not understood; not carried over", c.where, keyList(d.unknown))
	}
	if d.issuerWithAppID {
		c.warn("%s: issuerWithApplicationId cannot be carried over: samlab's issuer is set by [idp] issuer/entity_id (Entra ignores it too unless the app has a custom signing key)", c.where)
	}
	if d.audienceOverride != "" {
		c.warn("%s: audienceOverride %q cannot be carried over: samlab's audience is the app's entity_id (Entra ignores it too unless the app has a custom signing key)", c.where, d.audienceOverride)
	}

	// Group emitted entries by claim type, in order of first appearance.
	var groups []*claimGroup
	byType := map[string]*claimGroup{}
	for _, e := range d.schema {
		if len(e.unknown) > 0 {
			c.warn("%s: %s not understood; not carried over", e.label(), keyList(e.unknown))
		}
		if e.samlType == "" {
			if e.jwtType != "" && !c.referenced[strings.ToLower(e.id)] {
				c.warn("%s: has only a JwtClaimType, so it is emitted in JWTs, not SAML tokens; not carried over", e.label())
			}
			if e.nameForm != "" || e.nameIDFormat != "" {
				c.warn("%s: SAMLNameForm/samlNameIdFormat without a SamlClaimType; ignored", e.label())
			}
			continue
		}
		k := strings.ToLower(e.samlType)
		g := byType[k]
		if g == nil {
			g = &claimGroup{samlType: e.samlType}
			byType[k] = g
			groups = append(groups, g)
		}
		g.entries = append(g.entries, e)
	}

	pol.DefaultClaims = d.basic || !opts.DefaultClaimsFromBasicSet
	var labels []string // the policy entry of each rule, for check
	if d.basic {
		for _, b := range basicClaimSet {
			if byType[strings.ToLower(xmlsoapClaims+"/"+b.name)] != nil {
				continue // the policy emits this claim type itself
			}
			pol.Claims = append(pol.Claims, claims.Rule{Name: b.name, Namespace: xmlsoapClaims, Source: b.source})
			labels = append(labels, c.where+".IncludeBasicClaimSet ("+b.name+")")
		}
	} else if len(groups) == 0 {
		c.warn("%s: IncludeBasicClaimSet is false and no ClaimsSchema entry has a SamlClaimType, so the policy adds no claims to SAML tokens", c.where)
	}

	for _, g := range groups {
		if strings.EqualFold(g.samlType, claimNameIdentifier) {
			if id, ok := c.nameID(g); ok {
				pol.NameID = id
				c.nameIDLabel = g.entries[0].label()
			}
			continue
		}
		if r, ok := c.rule(g); ok {
			pol.Claims = append(pol.Claims, r)
			labels = append(labels, g.entries[0].label())
		}
	}

	if f := d.groupFilter; f != nil {
		pol.GroupClaim = c.groupClaim(f)
	}
	for _, t := range d.transforms {
		if t.id != "" && c.transforms[strings.ToLower(t.id)] == t && !c.used[t] {
			c.warn("%s: no ClaimsSchema entry uses it; ignored", t.label())
		}
	}
	c.check(&pol, labels)
	return pol
}

// value is what a schema entry or an input resolves to.
type value struct {
	text     string // "user.x" for an attribute, the text of a constant
	constant bool
	// chain is set when the value is a transformation's output: the
	// transformations that compute it.
	chain []claims.Transformation
}

// resolved is one schema entry of a claim with its value.
type resolved struct {
	e *entry
	v value
}

// resolveGroup resolves every entry of a claim; entries that cannot be
// carried over are reported and skipped.
func (c *converter) resolveGroup(g *claimGroup) []resolved {
	var out []resolved
	for _, e := range g.entries {
		v, err := c.resolveEntry(e, map[*transformation]bool{})
		if err != nil {
			c.warn("%s: not carried over: %v", e.label(), err)
			continue
		}
		if v.constant && v.text == "" {
			c.warn("%s: the constant is empty, so Entra emits nothing for it; not carried over", e.label())
			continue
		}
		if v.constant && strings.HasPrefix(strings.ToLower(v.text), "user.") {
			c.warn("%s: constant %q starts with \"user.\" and samlab would read it as an attribute", e.label(), v.text)
		}
		out = append(out, resolved{e, v})
	}
	return out
}

func (c *converter) rule(g *claimGroup) (claims.Rule, bool) {
	rs := c.resolveGroup(g)
	if len(rs) == 0 {
		return claims.Rule{}, false
	}
	c.warnRepeated(rs)
	var r claims.Rule
	r.Namespace, r.Name = splitClaimType(g.samlType)
	r.Source, r.Value, r.Transformations = rs[0].v.source()
	for _, x := range rs[1:] {
		cond := claims.Condition{UserType: "any"}
		cond.Source, cond.Value, cond.Transformations = x.v.source()
		r.Conditions = append(r.Conditions, cond)
	}
	for _, x := range rs {
		e := x.e
		if e.nameIDFormat != "" {
			c.warn("%s: samlNameIdFormat applies only to the NameID claim type; ignored", e.label())
		}
		if e.nameForm == "" {
			continue
		}
		f, ok := nameFormats[strings.ToLower(strings.TrimSpace(e.nameForm))]
		if !ok {
			c.warn("%s: SAMLNameForm %q is not one of Entra's three attrname-format URNs; kept as written", e.label(), e.nameForm)
			f = e.nameForm
		}
		if r.NameFormat != "" && r.NameFormat != f {
			c.warn("%s: SAMLNameForm differs from the claim's first entry; the first is used", e.label())
			continue
		}
		r.NameFormat = f
	}
	return r, true
}

// warnRepeated reports a claim type emitted by several entries.
func (c *converter) warnRepeated(out []resolved) {
	if len(out) > 1 {
		var labels []string
		for _, r := range out[1:] {
			labels = append(labels, fmt.Sprintf("ClaimsSchema[%d]", r.e.index))
		}
		verb := "emits"
		if len(labels) > 1 {
			verb = "emit"
		}
		c.warn("%s: %s %s the same claim type again; carried over as condition rows for every user after the base value, so a later non-empty value overrides an earlier one (Entra does this for an earlier constant default; unconfirmed for other sources)",
			out[0].e.label(), strings.Join(labels, ", "), verb)
	}
}

// source spreads a value over the Source, Value and Transformations fields
// of a rule or condition.
func (v value) source() (source, constant string, tr []claims.Transformation) {
	switch {
	case v.chain != nil:
		return "", "", v.chain
	case v.constant:
		return "", v.text, nil
	}
	return v.text, "", nil
}

// nameIDTransformations are the transformations a NameID may use: the
// two a policy may put on the NameID (ExtractMailPrefix, Join) and the two
// more the portal offers there (ToLowercase, ToUppercase).
var nameIDTransformations = map[string]bool{"ExtractMailPrefix": true, "Join": true, "ToLowercase": true, "ToUppercase": true}

func (c *converter) nameID(g *claimGroup) (claims.NameIDRule, bool) {
	var id claims.NameIDRule
	var rs []resolved
	for _, x := range c.resolveGroup(g) {
		if f := strings.TrimSpace(x.e.nameIDFormat); f != "" && id.Format == "" {
			short, ok := nameIDFormats[strings.ToLower(f)]
			if !ok {
				c.warn("%s: samlNameIdFormat %q is not a NameID format Entra issues; kept as written", x.e.label(), f)
				short = f
			}
			id.Format = short
		}
		if x.e.nameForm != "" {
			c.warn("%s: SAMLNameForm does not apply to the NameID; ignored", x.e.label())
		}
		if x.v.constant {
			c.warn("%s: a constant NameID cannot be carried over: a NameID comes from a user attribute", x.e.label())
			continue
		}
		ok := true
		for _, t := range x.v.chain {
			if !nameIDTransformations[t.Function] {
				c.warn("%s: a NameID may use only ExtractMailPrefix and Join (and, in the portal, ToLowercase and ToUppercase), not %s; not carried over", x.e.label(), t.Function)
				ok = false
			}
		}
		if ok {
			rs = append(rs, x)
		}
	}
	if len(rs) == 0 {
		return id, id.Format != ""
	}
	c.warnRepeated(rs)
	id.Source, _, id.Transformations = rs[0].v.source()
	for _, x := range rs[1:] {
		cond := claims.Condition{UserType: "any"}
		cond.Source, _, cond.Transformations = x.v.source()
		id.Conditions = append(id.Conditions, cond)
	}
	return id, true
}

func (c *converter) groupClaim(f *groupFilter) *claims.GroupClaim {
	where := c.where + ".GroupFilter"
	gf := &claims.GroupFilter{Value: f.value}
	switch strings.ToLower(strings.TrimSpace(f.matchOn)) {
	case "displayname", "display_name":
		gf.MatchOn = "display_name"
	case "samaccountname", "onpremisessamaccountname":
		gf.MatchOn = "samaccountname"
	default:
		c.warn("%s: MatchOn %q is not displayname or samaccountname; filter not carried over", where, f.matchOn)
		return nil
	}
	switch t := strings.ToLower(strings.TrimSpace(f.typ)); t {
	case "prefix", "suffix", "contains":
		gf.Type = t
	default:
		c.warn("%s: Type %q is not prefix, suffix or contains; filter not carried over", where, f.typ)
		return nil
	}
	c.warn("%s: the groups claim itself is configured on the app registration (groupMembershipClaims), not in the policy; carried over as a security-groups claim with this filter, so set group_claim.which and format to match the app", where)
	return &claims.GroupClaim{Which: "security", Filter: gf}
}

// resolveEntry returns the value a schema entry supplies.
func (c *converter) resolveEntry(e *entry, visiting map[*transformation]bool) (value, error) {
	src := strings.ToLower(strings.TrimSpace(e.source))
	if e.hasValue && src != "" && src != "transformation" {
		c.warn("%s: has both Value and Source; the constant Value is used", e.label())
	}
	if e.hasValue && src != "transformation" {
		return value{text: e.value, constant: true}, nil
	}
	switch src {
	case "user":
		var v value
		switch {
		case e.extensionID != "":
			v.text = "user." + strings.TrimSpace(e.extensionID)
		case e.id != "":
			v.text = userSource(e.id)
		default:
			return value{}, errors.New(`Source "user" needs an ID or an ExtensionID`)
		}
		if name, ok := extensionName(strings.TrimPrefix(v.text, "user.")); ok {
			c.extensions[name] = true
		}
		return v, nil
	case "transformation":
		if e.transformationID == "" {
			return value{}, errors.New(`Source "transformation" needs a TransformationId`)
		}
		t := c.transforms[strings.ToLower(e.transformationID)]
		if t == nil {
			return value{}, fmt.Errorf("TransformationId %q names no ClaimsTransformations entry", e.transformationID)
		}
		chain, err := c.chain(t, visiting)
		if err != nil {
			return value{}, err
		}
		return value{chain: chain}, nil
	case "application", "resource", "audience", "company":
		return value{}, fmt.Errorf("source %q (ID %q) is not available in samlab, which has no service principal or tenant object to read it from", e.source, e.id)
	case "":
		return value{}, errors.New("no data: want Value, Source with ID, or Source with ExtensionID")
	}
	return value{}, fmt.Errorf("unknown Source %q (want user, transformation, application, resource, audience or company)", e.source)
}

// resolveInput returns the value an InputClaims element refers to.
func (c *converter) resolveInput(t *transformation, in inputClaim, visiting map[*transformation]bool) (value, error) {
	cands := c.byID[strings.ToLower(in.ref)]
	var firstErr error
	for _, e := range cands {
		if in.refSource != "" && e.source != "" && !strings.EqualFold(in.refSource, e.source) {
			continue
		}
		v, err := c.resolveEntry(e, visiting)
		if err == nil {
			return v, nil
		}
		if firstErr == nil {
			firstErr = fmt.Errorf("input %q (%s): %w", in.ref, e.label(), err)
		}
	}
	if firstErr != nil {
		return value{}, firstErr
	}
	if in.ref == "" {
		return value{}, fmt.Errorf("input %q has no ClaimTypeReferenceId", in.name)
	}
	if in.refSource != "" {
		return c.resolveEntry(&entry{index: -1, id: in.ref, source: in.refSource}, visiting)
	}
	if claims.IsUserAttribute(in.ref) {
		c.warn("%s: input %q matches no ClaimsSchema entry ID; read as user.%s", t.label(), in.ref, strings.ToLower(in.ref))
		return value{text: userSource(in.ref)}, nil
	}
	return value{}, fmt.Errorf("input %q matches no ClaimsSchema entry ID", in.ref)
}

// filled is a slot with its value and where it came from.
type filled struct {
	v     value
	from  string // `input claim "string1"`, `parameter "separator"`
	multi bool
}

// chain converts a transformation, and the one feeding its first input if
// any, to samlab transformations.
func (c *converter) chain(t *transformation, visiting map[*transformation]bool) ([]claims.Transformation, error) {
	if visiting[t] {
		return nil, fmt.Errorf("%s takes its own output as input", t.label())
	}
	if r, ok := c.chains[t]; ok {
		return r.chain, r.err
	}
	visiting[t] = true
	chain, err := c.convertChain(t, visiting)
	delete(visiting, t)
	c.chains[t] = chainResult{chain, err}
	return chain, err
}

func (c *converter) convertChain(t *transformation, visiting map[*transformation]bool) ([]claims.Transformation, error) {
	c.used[t] = true
	if len(t.unknown) > 0 {
		c.warn("%s: %s not understood; not carried over", t.label(), keyList(t.unknown))
	}
	m := methods[strings.ToLower(t.method)]
	if m == nil {
		if t.method == "" {
			return nil, fmt.Errorf("%s has no TransformationMethod", t.label())
		}
		return nil, fmt.Errorf("%s: TransformationMethod %q has no samlab equivalent (samlab has %s)", t.label(), t.method, supportedMethods())
	}

	slots := map[slot]filled{}
	var extras []struct {
		name string
		v    value
	}
	set := func(s slot, f filled) {
		if prev, dup := slots[s]; dup {
			c.warn("%s: %s and %s both give %s %s; the first is used", t.label(), prev.from, f.from, m.fn, s)
			return
		}
		slots[s] = f
	}
	for _, in := range t.inputs {
		s, known := slotNames[strings.ToLower(in.name)]
		from := fmt.Sprintf("input claim %q", in.name)
		switch {
		case known && m.takes(s):
		case m.extraInputs:
			v, err := c.resolveInput(t, in, visiting)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", t.label(), err)
			}
			extras = append(extras, struct {
				name string
				v    value
			}{in.name, v})
			continue
		case len(t.inputs) == 1 && m.takes(slotInput):
			// A one-input method whose input is named unusually.
			s = slotInput
		default:
			c.warn("%s: %s is not a parameter of %s; ignored", t.label(), from, t.method)
			continue
		}
		v, err := c.resolveInput(t, in, visiting)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", t.label(), err)
		}
		set(s, filled{v: v, from: from, multi: in.multi})
	}
	for _, p := range t.params {
		s, known := slotNames[strings.ToLower(p.id)]
		from := fmt.Sprintf("parameter %q", p.id)
		if !known || !m.takes(s) {
			c.warn("%s: %s is not a parameter of %s; ignored", t.label(), from, t.method)
			continue
		}
		set(s, filled{v: value{text: p.value, constant: true}, from: from})
	}
	if m.mode != "" {
		if _, given := slots[slotMode]; !given {
			slots[slotMode] = filled{v: value{text: m.mode, constant: true}, from: "method name"}
		}
	}
	if m.fn == "Substring" {
		if _, given := slots[slotMode]; !given {
			mode := "end"
			if _, ok := slots[slotLength]; ok {
				mode = "fixed"
			}
			slots[slotMode] = filled{v: value{text: mode, constant: true}, from: "its parameters"}
		}
	}
	var missing []string
	for _, s := range m.required {
		if _, ok := slots[s]; !ok {
			missing = append(missing, string(s))
		}
	}
	if m.fn == "Extract" {
		if f, ok := slots[slotMode]; ok && strings.EqualFold(f.v.text, "between") {
			if _, ok := slots[slotValue2]; !ok {
				missing = append(missing, string(slotValue2))
			}
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("%s: %s lacks %s", t.label(), t.method, strings.Join(missing, ", "))
	}

	tr := claims.Transformation{Function: m.fn}
	var prefix []claims.Transformation
	for _, s := range allSlots {
		f, ok := slots[s]
		if !ok {
			continue
		}
		if f.v.constant && operandSlots[s] && strings.HasPrefix(strings.ToLower(f.v.text), "user.") {
			c.warn("%s: constant %q (%s) starts with \"user.\" and samlab would read it as an attribute", t.label(), f.v.text, f.from)
		}
		if f.v.chain != nil {
			if s != slotInput {
				return nil, fmt.Errorf("%s: %s is another transformation's output; samlab chains a transformation's output only into the next one's first input", t.label(), f.from)
			}
			prefix = f.v.chain
			continue
		}
		if !operandSlots[s] && !f.v.constant {
			return nil, fmt.Errorf("%s: %s must be a constant, not the attribute %s", t.label(), f.from, f.v.text)
		}
		text := f.v.text
		switch s {
		case slotInput:
			tr.Input = text
		case slotInput2:
			tr.Input2 = text
		case slotSeparator:
			tr.Separator = text
		case slotValue:
			tr.Value = text
		case slotValue2:
			tr.Value2 = text
		case slotOutput:
			tr.Output = text
		case slotElse:
			tr.Else = text
		case slotRegex:
			tr.Regex = text
		case slotReplacement:
			tr.Replacement = text
		case slotMode:
			mode, ok := m.modes[strings.ToLower(strings.TrimSpace(text))]
			if !ok {
				return nil, fmt.Errorf("%s: %s %q is not one of %s", t.label(), f.from, text, modeList(m.modes))
			}
			tr.Mode = mode
		case slotStart, slotLength:
			n, err := intText(text)
			if err != nil || n < 0 {
				return nil, fmt.Errorf("%s: %s: want a whole number ≥ 0, got %q", t.label(), f.from, text)
			}
			if s == slotStart {
				tr.StartIndex = n
			} else {
				tr.Length = n
			}
		}
	}
	tr.MultiValued = slots[slotInput].multi
	if m.fn == "Extract" && tr.Mode != "between" && tr.Value2 != "" {
		c.warn("%s: value2 is used only by Extract between; ignored", t.label())
		tr.Value2 = ""
	}
	if m.fn == "RegexReplace" && strings.Contains(tr.Replacement, "$") {
		out, changed, odd := dotNetSubstitutions(tr.Replacement)
		if changed {
			c.warn("%s: replacement %q uses .NET $ substitutions; written as %q in Entra's {group} syntax (that Entra expands the $ forms is unconfirmed)", t.label(), tr.Replacement, out)
			tr.Replacement = out
		}
		if odd {
			c.warn("%s: replacement %q has a .NET substitution ($&, $`, $', $+ or $_) samlab does not expand; kept literally", t.label(), tr.Replacement)
		}
	}
	for _, x := range extras {
		if err := c.addExtraInput(t, &tr, x.name, x.v); err != nil {
			return nil, err
		}
	}
	if len(prefix)+1 > 2 {
		return nil, fmt.Errorf("%s: more than two transformations chained; samlab, like Entra's portal, chains at most two", t.label())
	}
	return append(append([]claims.Transformation(nil), prefix...), tr), nil
}

// addExtraInput adds a RegexReplace input named name to tr. The
// replacement refers to it as {name}; samlab refers to an additional input
// by its attribute name, so the placeholder is renamed when the two
// differ, and a constant is written into the replacement.
func (c *converter) addExtraInput(t *transformation, tr *claims.Transformation, name string, v value) error {
	placeholder := "{" + name + "}"
	switch {
	case v.chain != nil:
		return fmt.Errorf("%s: input claim %q is another transformation's output; samlab chains a transformation's output only into the next one's first input", t.label(), name)
	case v.constant:
		if !strings.Contains(tr.Replacement, placeholder) {
			c.warn("%s: input claim %q is not used in the replacement; ignored", t.label(), name)
			return nil
		}
		tr.Replacement = strings.ReplaceAll(tr.Replacement, placeholder, v.text)
		return nil
	}
	if !strings.Contains(tr.Replacement, placeholder) {
		c.warn("%s: input claim %q is not used in the replacement (as {%s}); ignored", t.label(), name, name)
		return nil
	}
	attr := strings.TrimPrefix(v.text, "user.")
	if x, ok := extensionName(attr); ok && x != attr {
		attr = x // samlab also knows extension_<app>_<name> as {<name>}
	}
	if !strings.EqualFold(attr, name) {
		tr.Replacement = strings.ReplaceAll(tr.Replacement, placeholder, "{"+attr+"}")
	}
	for _, a := range tr.AdditionalInputs {
		if strings.EqualFold(a, v.text) {
			return nil
		}
	}
	tr.AdditionalInputs = append(tr.AdditionalInputs, v.text)
	return nil
}

func modeList(m map[string]string) string {
	seen := map[string]bool{}
	var out []string
	for k := range m {
		if !seen[k] {
			seen[k] = true
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return strings.Join(out, ", ")
}

func keyList(keys []string) string {
	q := make([]string, len(keys))
	for i, k := range keys {
		q[i] = strconv.Quote(k)
	}
	if len(q) == 1 {
		return "key " + q[0]
	}
	return "keys " + strings.Join(q, ", ")
}

// dotNetSubstitutions rewrites the .NET Regex.Replace forms ${name}, $n and
// $$ as samlab's {name}, {n} and $. odd reports forms with no samlab
// equivalent, which stay as written.
func dotNetSubstitutions(r string) (out string, changed, odd bool) {
	var b strings.Builder
	for i := 0; i < len(r); i++ {
		if r[i] != '$' || i+1 >= len(r) {
			b.WriteByte(r[i])
			continue
		}
		next := r[i+1]
		switch {
		case next == '$':
			b.WriteByte('$')
			i++
			changed = true
		case next == '{':
			end := strings.IndexByte(r[i+2:], '}')
			if end < 0 {
				b.WriteByte('$')
				continue
			}
			b.WriteString(r[i+1 : i+2+end+1])
			i += 2 + end
			changed = true
		case next >= '0' && next <= '9':
			j := i + 1
			for j < len(r) && r[j] >= '0' && r[j] <= '9' {
				j++
			}
			b.WriteString("{" + r[i+1:j] + "}")
			i = j - 1
			changed = true
		case strings.IndexByte("&`'+_", next) >= 0:
			odd = true
			b.WriteByte('$')
		default:
			b.WriteByte('$')
		}
	}
	return b.String(), changed, odd
}
