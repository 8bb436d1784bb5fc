package azurepolicy

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// The policy as written, before it is turned into samlab rules.

// doc is a decoded ClaimsMappingPolicy.
type doc struct {
	version          int
	hasVersion       bool
	basic            bool
	schema           []*entry
	transforms       []*transformation
	groupFilter      *groupFilter
	issuerWithAppID  bool
	audienceOverride string
	unknown          []string // keys of the policy object not understood
}

// entry is one ClaimsSchema entry.
type entry struct {
	index            int
	id               string
	source           string
	extensionID      string
	value            string
	hasValue         bool
	samlType         string
	jwtType          string
	nameForm         string
	nameIDFormat     string
	transformationID string
	unknown          []string
}

// transformation is one ClaimsTransformations entry.
type transformation struct {
	index   int
	id      string
	method  string
	inputs  []inputClaim
	params  []inputParam
	outputs []string
	unknown []string
}

// inputClaim is one InputClaims element.
type inputClaim struct {
	ref       string // ClaimTypeReferenceId
	refSource string // claimTypeReferenceSource, seen in portal-made policies
	name      string // TransformationClaimType
	multi     bool   // TreatAsMultiValue
}

// inputParam is one InputParameters element.
type inputParam struct {
	id    string
	value string
}

type groupFilter struct {
	matchOn, typ, value string
}

func (e *entry) label() string {
	s := fmt.Sprintf("ClaimsSchema[%d]", e.index)
	switch {
	case e.samlType != "":
		s += fmt.Sprintf(" (SamlClaimType %q)", e.samlType)
	case e.id != "":
		s += fmt.Sprintf(" (ID %q)", e.id)
	case e.jwtType != "":
		s += fmt.Sprintf(" (JwtClaimType %q)", e.jwtType)
	}
	return s
}

func (t *transformation) label() string {
	if t.id == "" {
		return fmt.Sprintf("ClaimsTransformations[%d]", t.index)
	}
	return fmt.Sprintf("ClaimsTransformations[%d] (ID %q)", t.index, t.id)
}

// decode reads the policy object. Errors are problems of form (a wrong JSON
// type, a wrong version); they are all returned at once.
func decode(p *object) (*doc, error) {
	var errs []error
	d := &doc{}
	if v, name, ok := p.get("Version"); ok {
		s, err := scalar(v)
		n, nerr := intText(s)
		switch {
		case err != nil:
			errs = append(errs, fmt.Errorf("%s.%s: %w", p.where, name, err))
		case nerr != nil:
			errs = append(errs, fmt.Errorf("%s.%s: %w", p.where, name, nerr))
		case n != 1:
			errs = append(errs, fmt.Errorf("%s.%s is %d; only version 1 exists", p.where, name, n))
		default:
			d.version, d.hasVersion = n, true
		}
	}
	d.basic, _ = p.boolean(&errs, "IncludeBasicClaimSet")
	d.issuerWithAppID, _ = p.boolean(&errs, "issuerWithApplicationId")
	d.audienceOverride, _ = p.str(&errs, "audienceOverride")

	items, key := p.array(&errs, "ClaimsSchema")
	for i, it := range items {
		e, err := decodeEntry(it, fmt.Sprintf("%s.%s[%d]", p.where, key, i))
		if err != nil {
			errs = append(errs, err)
			continue
		}
		e.index = i
		d.schema = append(d.schema, e)
	}
	items, key = p.array(&errs, "ClaimsTransformations", "ClaimsTransformation")
	for i, it := range items {
		t, err := decodeTransformation(it, fmt.Sprintf("%s.%s[%d]", p.where, key, i))
		if err != nil {
			errs = append(errs, err)
			continue
		}
		t.index = i
		d.transforms = append(d.transforms, t)
	}
	if v, key, ok := p.get("GroupFilter"); ok {
		g, err := newObject(v, p.where+"."+key)
		if err != nil {
			errs = append(errs, err)
		} else {
			f := &groupFilter{}
			f.matchOn, _ = g.str(&errs, "MatchOn")
			f.typ, _ = g.str(&errs, "Type")
			f.value, _ = g.str(&errs, "Value")
			for _, k := range g.unused() {
				d.unknown = append(d.unknown, key+"."+k)
			}
			d.groupFilter = f
		}
	}
	d.unknown = append(d.unknown, p.unused()...)
	if len(errs) > 0 {
		return nil, prefixAll(errs)
	}
	return d, nil
}

func decodeEntry(raw json.RawMessage, where string) (*entry, error) {
	o, err := newObject(raw, where)
	if err != nil {
		return nil, err
	}
	var errs []error
	e := &entry{}
	e.id, _ = o.str(&errs, "ID", "Id")
	e.source, _ = o.str(&errs, "Source")
	e.extensionID, _ = o.str(&errs, "ExtensionID")
	e.value, e.hasValue = o.str(&errs, "Value")
	e.samlType, _ = o.str(&errs, "SamlClaimType")
	e.jwtType, _ = o.str(&errs, "JwtClaimType")
	e.nameForm, _ = o.str(&errs, "SAMLNameForm", "SamlNameFormat")
	e.nameIDFormat, _ = o.str(&errs, "SamlNameIdFormat")
	e.transformationID, _ = o.str(&errs, "TransformationId")
	e.samlType = strings.TrimSpace(e.samlType)
	e.unknown = o.unused()
	return e, errors.Join(errs...)
}

func decodeTransformation(raw json.RawMessage, where string) (*transformation, error) {
	o, err := newObject(raw, where)
	if err != nil {
		return nil, err
	}
	var errs []error
	t := &transformation{}
	t.id, _ = o.str(&errs, "ID")
	t.method, _ = o.str(&errs, "TransformationMethod")
	t.method = strings.TrimSpace(t.method)
	// "parameters" describes the method's signature in portal-made
	// policies; it carries nothing of the configuration.
	o.ignore("parameters")

	items, key := o.array(&errs, "InputClaims")
	for i, it := range items {
		c, err := newObject(it, fmt.Sprintf("%s.%s[%d]", where, key, i))
		if err != nil {
			errs = append(errs, err)
			continue
		}
		var in inputClaim
		in.ref, _ = c.str(&errs, "ClaimTypeReferenceId")
		in.refSource, _ = c.str(&errs, "ClaimTypeReferenceSource")
		in.name, _ = c.str(&errs, "TransformationClaimType")
		in.multi, _ = c.boolean(&errs, "TreatAsMultiValue")
		t.inputs = append(t.inputs, in)
		for _, k := range c.unused() {
			t.unknown = append(t.unknown, fmt.Sprintf("%s[%d].%s", key, i, k))
		}
	}
	items, key = o.array(&errs, "InputParameters")
	for i, it := range items {
		c, err := newObject(it, fmt.Sprintf("%s.%s[%d]", where, key, i))
		if err != nil {
			errs = append(errs, err)
			continue
		}
		var p inputParam
		p.id, _ = c.str(&errs, "ID")
		p.value, _ = c.str(&errs, "Value")
		c.ignore("DataType")
		t.params = append(t.params, p)
		for _, k := range c.unused() {
			t.unknown = append(t.unknown, fmt.Sprintf("%s[%d].%s", key, i, k))
		}
	}
	items, key = o.array(&errs, "OutputClaims")
	for i, it := range items {
		c, err := newObject(it, fmt.Sprintf("%s.%s[%d]", where, key, i))
		if err != nil {
			errs = append(errs, err)
			continue
		}
		ref, _ := c.str(&errs, "ClaimTypeReferenceId")
		c.ignore("TransformationClaimType")
		t.outputs = append(t.outputs, ref)
	}
	t.unknown = append(t.unknown, o.unused()...)
	return t, errors.Join(errs...)
}

// prefixAll gives every error the package prefix and joins them.
func prefixAll(errs []error) error {
	out := make([]error, 0, len(errs))
	for _, e := range errs {
		for _, sub := range flatten(e) {
			out = append(out, fmt.Errorf("azurepolicy: %w", sub))
		}
	}
	return errors.Join(out...)
}

func flatten(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		var out []error
		for _, e := range j.Unwrap() {
			out = append(out, flatten(e)...)
		}
		return out
	}
	return []error{err}
}
