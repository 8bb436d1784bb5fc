package claims

import (
	"fmt"
	"strings"
	"time"
)

// Group claim selections and formats.
const (
	whichSecurity uint8 = iota + 1
	whichRoles
	whichAll
	whichApplication
)

const (
	fmtObjectID uint8 = iota + 1
	fmtSAM
	fmtNetBIOSSAM
	fmtDNSSAM
	fmtSID
	fmtCloudDisplayName
)

var groupWhich = map[string]uint8{"security": whichSecurity, "directory_roles": whichRoles, "all": whichAll, "application": whichApplication}
var groupFormats = map[string]uint8{"object_id": fmtObjectID, "samaccountname": fmtSAM, "netbios_samaccountname": fmtNetBIOSSAM,
	"dns_samaccountname": fmtDNSSAM, "sid": fmtSID, "cloud_display_name": fmtCloudDisplayName}

// DefaultOverageLimit is Entra's SAML group limit: more groups than this
// and the groups claim becomes a groups.link.
const DefaultOverageLimit = 150

type compiledGroupClaim struct {
	which            uint8
	format           uint8
	cloudDisplayName bool
	name             string
	nameFormat       string
	filter           *GroupFilter
	rx               *compiledRegex
	// noMatchName is the claim name when rx matches no group.
	noMatchName string
	limit       int
	countAll    bool
}

func compileGroupClaim(g *GroupClaim, nameFormat string, timeout time.Duration, errs *errorList) *compiledGroupClaim {
	n := len(errs.errs)
	out := &compiledGroupClaim{nameFormat: nameFormat, cloudDisplayName: g.CloudDisplayName, limit: g.OverageLimit}
	which := g.Which
	if which == "" {
		which = "security"
	}
	var ok bool
	if out.which, ok = groupWhich[strings.ToLower(which)]; !ok {
		names := sortedKeys(groupWhich)
		errs.addf("which", "unknown %q (one of %s)%s", g.Which, strings.Join(names, ", "), didYouMean(g.Which, names))
	}
	format := g.Format
	if format == "" {
		format = "object_id"
	}
	if out.format, ok = groupFormats[strings.ToLower(format)]; !ok {
		names := sortedKeys(groupFormats)
		errs.addf("format", "unknown %q (one of %s)%s", g.Format, strings.Join(names, ", "), didYouMean(g.Format, names))
	}
	if out.format == fmtCloudDisplayName && out.which != whichApplication {
		errs.addf("format", "cloud_display_name is only available with which = \"application\" (Entra ID limits it to groups assigned to the app)")
	}
	switch {
	case g.EmitAsRoles && g.Name != "":
		errs.addf("name", "set either name or emit_as_roles, not both")
	case out.which == whichRoles:
		if g.Name != "" || g.EmitAsRoles {
			errs.addf("which", "directory roles are always emitted as %s; remove name/emit_as_roles", ClaimWids)
		}
		out.name = ClaimWids
	case g.EmitAsRoles:
		out.name = ClaimRole
	case g.Name != "":
		out.name = ClaimName(g.Namespace, g.Name)
		if err := checkXMLName(out.name); err != nil {
			errs.add("name", err)
		}
	default:
		if g.Namespace != "" {
			errs.addf("namespace", "namespace needs a name; set name too")
		}
		out.name = ClaimGroups
	}
	if g.Filter != nil {
		f := *g.Filter
		f.MatchOn, f.Type = strings.ToLower(f.MatchOn), strings.ToLower(f.Type)
		if f.MatchOn != "display_name" && f.MatchOn != "samaccountname" {
			errs.addf("filter", "unknown match_on %q (display_name or samaccountname)", g.Filter.MatchOn)
		}
		if f.Type != "prefix" && f.Type != "suffix" && f.Type != "contains" {
			errs.addf("filter", "unknown type %q (prefix, suffix or contains)", g.Filter.Type)
		}
		if f.Value == "" {
			errs.addf("filter", "value is empty")
		}
		if f.IgnoreCase {
			f.Value = strings.ToLower(f.Value)
		}
		out.filter = &f
	}
	if g.Regex != "" || g.Replacement != "" {
		if g.Regex == "" {
			errs.addf("regex", "replacement is set but regex is empty")
		} else {
			rx, err := compileRegexReplace(nil, g.Regex, g.Replacement, nil, timeout)
			for _, e := range unjoin(err) {
				if e != nil {
					errs.add("regex", e)
				}
			}
			out.rx = rx
		}
		switch strings.ToLower(g.RegexNoMatch) {
		case "", "groups":
			out.noMatchName = ClaimGroups
		case "configured_name":
			out.noMatchName = out.name
		default:
			errs.addf("regex_no_match", "unknown %q (groups or configured_name)", g.RegexNoMatch)
		}
	} else if g.RegexNoMatch != "" {
		errs.addf("regex_no_match", "is set but regex is empty")
	}
	if out.limit < 0 {
		errs.addf("overage_limit", "%d is negative", g.OverageLimit)
	}
	if out.limit == 0 {
		out.limit = DefaultOverageLimit
	}
	switch strings.ToLower(g.OverageBasis) {
	case "", "emitted":
	case "memberships":
		out.countAll = true
	default:
		errs.addf("overage_basis", "unknown %q (emitted or memberships)", g.OverageBasis)
	}
	if len(errs.errs) > n {
		return nil
	}
	return out
}

// groupValue is a group's value in the claim's format; ok=false drops the
// group (a cloud-only group with an on-premises format).
func (g *compiledGroupClaim) groupValue(gr *Group) (string, bool) {
	synced := gr.SAMAccountName != ""
	if g.format != fmtObjectID && g.format != fmtCloudDisplayName && !synced {
		if g.cloudDisplayName && gr.DisplayName != "" {
			return gr.DisplayName, true
		}
		return "", false
	}
	switch g.format {
	case fmtObjectID:
		return gr.ObjectID, true
	case fmtSAM:
		return gr.SAMAccountName, true
	case fmtNetBIOSSAM:
		if gr.NetBIOSDomain == "" {
			return gr.SAMAccountName, true
		}
		return gr.NetBIOSDomain + `\` + gr.SAMAccountName, true
	case fmtDNSSAM:
		if gr.DNSDomain == "" {
			return gr.SAMAccountName, true
		}
		return gr.DNSDomain + `\` + gr.SAMAccountName, true
	case fmtSID:
		return gr.SID, gr.SID != ""
	case fmtCloudDisplayName:
		if synced {
			// Synced groups keep their object id with this format.
			return gr.ObjectID, true
		}
		return gr.DisplayName, gr.DisplayName != ""
	}
	return "", false
}

func (g *compiledGroupClaim) keep(gr *Group) bool {
	f := g.filter
	if f == nil {
		return true
	}
	v := gr.DisplayName
	if f.MatchOn == "samaccountname" {
		v = gr.SAMAccountName
	}
	if v == "" {
		return false
	}
	if f.IgnoreCase {
		v = strings.ToLower(v)
	}
	switch f.Type {
	case "prefix":
		return strings.HasPrefix(v, f.Value)
	case "suffix":
		return strings.HasSuffix(v, f.Value)
	}
	return strings.Contains(v, f.Value)
}

// evalGroups builds the group claim. It returns the attribute, whose Values
// are empty when there is nothing to emit (the reason then says why); its
// Trace is set with Explain either way.
func (c *evalCtx) evalGroups(g *compiledGroupClaim) (*Attribute, string, error) {
	var tr *Trace
	if c.explain {
		tr = &Trace{Rule: g.name}
	}
	note := func(format string, args ...any) {
		if tr != nil {
			tr.Steps = append(tr.Steps, Step{Kind: "group", Note: fmt.Sprintf(format, args...)})
		}
	}
	roles := nonEmpty(c.user.DirectoryRoles)
	var groupVals []string
	switch g.which {
	case whichRoles:
		note("directory roles: %d", len(roles))
	case whichApplication:
		for _, gr := range c.dir.groups {
			if !c.info.direct[gr.ID] || !assignedTo(gr, c.engine.app.Name) {
				continue
			}
			groupVals = c.appendGroup(g, gr, groupVals, note)
		}
		roles = nil
		note("groups assigned to the app, direct membership: %d values", len(groupVals))
	default:
		for _, gr := range c.info.allOrdered {
			if g.which == whichSecurity && gr.Kind == Distribution {
				continue
			}
			groupVals = c.appendGroup(g, gr, groupVals, note)
		}
		note("groups (nested included): %d values; directory roles: %d", len(groupVals), len(roles))
	}
	attr := &Attribute{Name: g.name, NameFormat: g.nameFormat, Trace: tr}

	if g.which != whichRoles {
		count := len(groupVals) + len(roles)
		if g.countAll {
			count = len(c.info.all) + len(roles)
		}
		if count > g.limit {
			attr.Name = ClaimGroupsLink
			attr.Values = []string{"https://graph.windows.net/" + c.dir.tenant.ID + "/users/" + c.objectID() + "/getMemberObjects"}
			note("overage: %d groups > %d; groups claim replaced by groups.link", count, g.limit)
			return attr, "", nil
		}
	}
	if g.rx != nil && len(groupVals) > 0 {
		var replaced []string
		for _, v := range groupVals {
			out, matched, err := g.rx.replace(c, v)
			if err != nil {
				return nil, "", &RuleError{Rule: "group_claim", Field: "regex", Err: err}
			}
			if matched && out != "" {
				replaced = append(replaced, out)
			}
			note("regex %q: %q -> %q (matched=%v)", g.rx.re.String(), v, out, matched)
		}
		if len(replaced) > 0 {
			groupVals = replaced
		} else {
			// Entra ID: the custom claim is left out and the original
			// groups claim is sent instead (regex_no_match = "groups").
			attr.Name = g.noMatchName
			if tr != nil {
				tr.Rule = g.noMatchName
			}
			note("regex matched no group: original values emitted as %s", g.noMatchName)
		}
	}
	attr.Values = append(groupVals, roles...)
	if len(attr.Values) == 0 {
		note("nothing to emit")
		return attr, "the user has no groups to emit", nil
	}
	if tr != nil {
		tr.Steps = append(tr.Steps, Step{Kind: "group", Matched: true, Output: append([]string(nil), attr.Values...)})
	}
	return attr, "", nil
}

func (c *evalCtx) appendGroup(g *compiledGroupClaim, gr *Group, vals []string, note func(string, ...any)) []string {
	if !g.keep(gr) {
		note("group %q filtered out", gr.ID)
		return vals
	}
	v, ok := g.groupValue(gr)
	if !ok || v == "" {
		note("group %q dropped: cloud-only group has no value in this format", gr.ID)
		return vals
	}
	return append(vals, v)
}

func assignedTo(g *Group, app string) bool {
	for _, a := range g.AssignedTo {
		if a == app {
			return true
		}
	}
	return false
}
