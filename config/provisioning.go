package config

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/samlab/samlab/provision"
)

// Provisioning is an app's provisioning job ([apps.provisioning]): what
// Entra's provisioning service pushes to the app's SCIM endpoint. See
// docs/provisioning.md.
type Provisioning struct {
	// Target is the SCIM endpoint ("Tenant URL"). Empty: samlab's own
	// SCIM server, <base_url>/scim/v2.
	Target string `toml:"target"`
	// Token is the bearer token ("Secret Token"): "env:NAME" reads
	// environment variable NAME. Empty: for samlab's own server, a token
	// from [scim] tokens or $SAMLAB_SCIM_TOKEN.
	Token string `toml:"token"`
	// Scope is "assigned" (users and groups assigned to the app, the
	// default) or "all".
	Scope string `toml:"scope"`
	// Interval is the time between scheduled cycles under samlab serve
	// ("40m", as Entra). Empty: no schedule; samlab provision runs a cycle.
	Interval Duration `toml:"interval"`
	// QuarantineThreshold is the failure count from which the escrow
	// proportion (more than 40% failed) puts the job in quarantine.
	// Default 5000, as Entra.
	QuarantineThreshold int `toml:"quarantine_threshold"`
	// DeletionThreshold is the accidental-deletions threshold: the most
	// disables and deletes one cycle may send. Default 500; -1 turns it off.
	DeletionThreshold int `toml:"deletion_threshold"`
	// PatchDialect is aadOptscim062020 (SCIM-compliant PATCH, default) or
	// AzureAdScimPatch2017 (the older shapes).
	PatchDialect string `toml:"patch_dialect"`
	// SkipOutOfScopeDeletions leaves users that leave the scope active.
	SkipOutOfScopeDeletions bool `toml:"skip_out_of_scope_deletions"`
	// ExcludeMembersOnMatch adds excludedAttributes=members to the GET that
	// matches a group, as Entra sends it (default true); false for a target
	// that refuses the parameter.
	ExcludeMembersOnMatch *bool `toml:"exclude_members_on_match"`
	// ScopingFilters are attribute-based scoping filters on users, on top
	// of scope: a user is in scope when all clauses of any filter are true.
	ScopingFilters []provision.ScopingFilter `toml:"scoping_filters"`
	// Mappings are the attribute mappings. With no user (group) mapping,
	// the IdC gallery app's default user (group) mappings, which config
	// check prints.
	Mappings []provision.Mapping `toml:"mappings"`
}

// TargetURL returns the job's SCIM endpoint: Target, or samlab's own.
func (p *Provisioning) TargetURL(baseURL string) string {
	if p.Target != "" {
		return p.Target
	}
	return strings.TrimRight(baseURL, "/") + "/scim/v2"
}

// Settings returns the provision package's settings for app.
func (p *Provisioning) Settings(app string) provision.Settings {
	return provision.Settings{App: app, Scope: p.Scope, Dialect: p.PatchDialect,
		QuarantineThreshold: p.QuarantineThreshold, DeletionThreshold: p.DeletionThreshold,
		SkipOutOfScopeDeletions: p.SkipOutOfScopeDeletions, PlainGroupMatch: p.ExcludeMembersOnMatch != nil && !*p.ExcludeMembersOnMatch,
		ScopingFilters: p.ScopingFilters, Mappings: p.Mappings}
}

// checkProvisioning checks [apps.provisioning] and fills in its defaults.
func (k *checker) checkProvisioning(i int, a *App) {
	pv := a.Provisioning
	if pv == nil {
		return
	}
	p := fmt.Sprintf("apps[%d].provisioning", i)
	if pv.Scope == "" {
		pv.Scope = provision.ScopeAssigned
	}
	if !oneOf(pv.Scope, provision.ScopeAssigned, provision.ScopeAll) {
		k.errf(p+".scope", "unknown scope %q; use %s (users and groups assigned to the app) or %s", pv.Scope, provision.ScopeAssigned, provision.ScopeAll)
	}
	if pv.ExcludeMembersOnMatch == nil {
		yes := true
		pv.ExcludeMembersOnMatch = &yes
	}
	if pv.PatchDialect == "" {
		pv.PatchDialect = provision.DialectSCIM
	}
	if !oneOf(pv.PatchDialect, provision.DialectSCIM, provision.Dialect2017) {
		k.errf(p+".patch_dialect", "unknown PATCH dialect %q; use %s (SCIM-compliant) or %s (the older shapes)", pv.PatchDialect, provision.DialectSCIM, provision.Dialect2017)
	}
	if pv.Interval != "" {
		k.checkDuration(p+".interval", pv.Interval)
	}
	if pv.QuarantineThreshold < 0 {
		k.errf(p+".quarantine_threshold", "%d: write a positive number of failures (default %d)", pv.QuarantineThreshold, provision.DefaultQuarantineThreshold)
	}
	if pv.QuarantineThreshold == 0 {
		pv.QuarantineThreshold = provision.DefaultQuarantineThreshold
	}
	if pv.DeletionThreshold < -1 {
		k.errf(p+".deletion_threshold", "%d: write a number of disables and deletes (default %d), or -1 to turn the check off", pv.DeletionThreshold, provision.DefaultDeletionThreshold)
	}
	if pv.DeletionThreshold == 0 {
		pv.DeletionThreshold = provision.DefaultDeletionThreshold
	}
	if pv.Target == "" {
		pv.Target = pv.TargetURL(k.c.IdP.BaseURL)
	} else {
		if u, err := url.Parse(pv.Target); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			k.errf(p+".target", "%q is not a SCIM endpoint URL such as https://scim.us-east-1.amazonaws.com/<tenant>/scim/v2", pv.Target)
		}
	}
	if strings.HasPrefix(pv.Token, "env:") && len(pv.Token) == 4 {
		k.errf(p+".token", "token = \"env:\" names no variable; write token = \"env:NAME\"")
	} else if pv.Token != "" && !strings.HasPrefix(pv.Token, "env:") && !k.c.IdP.Demo {
		k.warnf(p+".token", "the token is written in the file; prefer token = \"env:NAME\"")
	}
	for j := range pv.Mappings {
		pv.Mappings[j].Line = k.c.loc.line(fmt.Sprintf("%s.mappings[%d]", p, j))
	}

	if err := provision.CheckMappings(pv.Mappings, func(j int) string {
		return fmt.Sprintf("%s.mappings[%d]", p, j)
	}); err != nil {
		for _, e := range flattenErrors(err) {
			msg := e.Error()
			path, rest, ok := strings.Cut(msg, ": ")
			if !ok || !strings.HasPrefix(path, p+".mappings[") {
				path, rest = p, strings.TrimPrefix(msg, "provision: ")
			}
			k.errf(path, "%s", rest)
		}
	}
	if err := provision.CheckScopingFilters(pv.ScopingFilters, func(i, j int) string {
		if j < 0 {
			return fmt.Sprintf("%s.scoping_filters[%d]", p, i)
		}
		return fmt.Sprintf("%s.scoping_filters[%d].clauses[%d]", p, i, j)
	}); err != nil {
		for _, e := range flattenErrors(err) {
			path, rest, _ := strings.Cut(e.Error(), ": ")
			k.errf(path, "%s", rest)
		}
	}
	for i := range pv.ScopingFilters {
		for j := range pv.ScopingFilters[i].Clauses {
			c := &pv.ScopingFilters[i].Clauses[j]
			if op, ok := provision.CanonicalOperator(c.Operator); ok {
				c.Operator = op
			}
		}
	}
	// The defaults, so that config check prints the mappings in effect.
	pv.Mappings = provision.EffectiveMappings(pv.Mappings)
}

// ResolveToken resolves a Token value: "env:NAME" through getenv.
func ResolveToken(tok string, getenv func(string) string) string {
	if name, ok := strings.CutPrefix(tok, "env:"); ok {
		if getenv == nil {
			return ""
		}
		return getenv(name)
	}
	return tok
}
