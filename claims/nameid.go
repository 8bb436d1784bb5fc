package claims

import (
	"errors"
	"fmt"
	"strings"
)

// compiledNameID is the NameID rule ready to evaluate.
type compiledNameID struct {
	format              string // configured format URN
	rows                []row
	unspecifiedPairwise bool
	// requestedUnspecifiedConfigured: a requested unspecified format means
	// "no preference" (requested_unspecified = "configured").
	requestedUnspecifiedConfigured bool
}

// compileNameID validates the NameID rule. The source defaults to
// user.userprincipalname; format "default" becomes emailAddress for a mail
// or UPN source without transformations and unspecified otherwise.
func (cc *compileContext) compileNameID(n *NameIDRule, errs *errorList) compiledNameID {
	out := compiledNameID{unspecifiedPairwise: n.UnspecifiedPairwise}
	switch strings.ToLower(n.RequestedUnspecified) {
	case "", "pairwise":
	case "configured":
		out.requestedUnspecifiedConfigured = true
	default:
		errs.addf("requested_unspecified", "unknown %q (pairwise or configured)", n.RequestedUnspecified)
	}
	f, ok := nameIDFormats[strings.ToLower(n.Format)]
	switch {
	case ok:
		out.format = f
	case strings.HasPrefix(n.Format, "urn:") && checkXMLName(n.Format) == nil:
		out.format = n.Format
	default:
		names := []string{"default", "email", "persistent", "unspecified", "transient", "windows_domain_qualified_name"}
		errs.addf("format", "unknown NameID format %q (one of %s, or a full urn:)%s", n.Format, strings.Join(names, ", "), didYouMean(n.Format, names))
	}
	base := Condition{Source: n.Source, Transformations: n.Transformations}
	if base.Source == "" && len(base.Transformations) == 0 {
		base.Source = "user.userprincipalname"
	}
	sub := *cc
	sub.nameID = true
	ns := *cc.schema
	ns.pairwise = true
	sub.schema = &ns
	out.rows = sub.compileRows(base, n.Conditions, false, errs)
	if out.format == "" {
		out.format = NameIDUnspecified
		if len(out.rows) > 0 && out.rows[0].index == 0 && len(out.rows[0].chain) == 0 {
			switch {
			case out.rows[0].src.kind == opPairwise:
				// The opaque pairwise id is a persistent identifier.
				out.format = NameIDPersistent
			case out.rows[0].src.key == "userprincipalname" || out.rows[0].src.key == "mail":
				out.format = NameIDEmail
			}
		}
	}
	return out
}

// evalNameID resolves the NameID. A format requested by the service
// provider wins over the configured one; a requested format Entra ID does
// not issue is an error. Transient gives a fresh id from opts.IDSource; a
// requested persistent or unspecified format (unless requested_unspecified
// is "configured", which reads unspecified as "no preference"), an empty
// or illegal value give the pairwise id.
func (c *evalCtx) evalNameID(opts *EvalOptions) (NameID, error) {
	n := &c.engine.nameID
	out := NameID{Format: n.format, SPNameQualifier: opts.SPNameQualifier}
	var tr *Trace
	if c.explain {
		tr = &Trace{Rule: "nameid"}
		out.Trace = tr
	}
	note := func(s string) {
		if tr != nil {
			tr.Steps = append(tr.Steps, Step{Kind: "note", Note: s})
		}
	}
	if r := opts.RequestedNameIDFormat; r != "" {
		if !isKnownNameIDURN(r) {
			return out, &RuleError{Rule: "nameid", Field: "requested format", Err: fmt.Errorf("%w %q (Entra ID issues %s)", ErrUnsupportedNameIDFormat, r, strings.Join(knownNameIDURNs, ", "))}
		}
		if r != NameIDUnspecified || !n.requestedUnspecifiedConfigured {
			out.Format = r
			note("format requested by the service provider: " + r)
		}
	}
	pairwise := func(why string) {
		out.Format = NameIDPersistent
		out.Value = PairwiseID(c.dir.tenant.PairwiseSecret, c.dir.tenant.ID, c.engine.app.ID, c.objectID())
		note("pairwise id: " + why)
	}
	switch {
	case out.Format == NameIDTransient:
		if opts.IDSource == nil {
			return out, &RuleError{Rule: "nameid", Err: ErrNoIDSource}
		}
		out.Value = opts.IDSource.NewID()
		note("transient: fresh id from the ID source")
		return out, c.checkNameID(&out)
	case out.Format == NameIDPersistent && opts.RequestedNameIDFormat == NameIDPersistent:
		pairwise("persistent format requested by the service provider")
		return out, nil
	case out.Format == NameIDUnspecified && opts.RequestedNameIDFormat == NameIDUnspecified:
		pairwise("unspecified format requested by the service provider (Entra ID selects the format and issues the pairwise id; requested_unspecified = \"configured\" reads it as no preference)")
		return out, nil
	case out.Format == NameIDUnspecified && n.unspecifiedPairwise:
		pairwise("unspecified format with unspecified_pairwise set")
		return out, nil
	}
	vals, _, err := c.evalRows(n.rows, tr)
	if errors.Is(err, errIllegalNameID) {
		pairwise(err.Error())
		return out, nil
	}
	if err != nil {
		return out, &RuleError{Rule: "nameid", Err: err}
	}
	if len(vals) == 0 {
		pairwise("the configured source gave no value")
		return out, nil
	}
	out.Value = vals[0]
	return out, c.checkNameID(&out)
}

func (c *evalCtx) checkNameID(n *NameID) error {
	if err := checkXMLText(n.Value); err != nil {
		return &RuleError{Rule: "nameid", Field: "value", Err: err}
	}
	return nil
}
