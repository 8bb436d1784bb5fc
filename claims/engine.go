package claims

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// App identifies the application (Entra "enterprise application", the
// service provider) a policy belongs to.
type App struct {
	// Name is the app's name in the configuration; user.assignedroles
	// reads User.AppRoles[Name] and "groups assigned to the application"
	// reads Group.AssignedTo.
	Name string
	// ID is the app's object id, used in pairwise NameIDs. Default: Name.
	ID string
}

// CompileOptions are settings that come from outside the policy.
type CompileOptions struct {
	// Extensions are the free-form (directory extension) attribute names
	// the tenant declares. user.<name> and user.extension_<appid>_<name>
	// sources naming them are valid; names are case-sensitive.
	Extensions []string
	// CustomSigningKey allows the restricted names upn and role, and the
	// Windows identity claims (windowsaccountname, primarysid,
	// primarygroupsid, sid, x500distinguishedname), as claim names, as
	// Entra ID does for apps with a custom signing key.
	CustomSigningKey bool
	// Directory, when set, lets Compile also check scoped group ids and
	// NameID Join domains against the tenant.
	Directory *Directory
	// RegexTimeout bounds each regular-expression match (RegexReplace and
	// the group claim regex); default RegexMatchTimeout (100 ms). A match
	// that runs longer makes Evaluate fail with ErrRegex.
	RegexTimeout time.Duration
}

// MaxScopedGroups is Entra's limit of unique scoped groups across all the
// claim conditions of one app.
const MaxScopedGroups = 50

// Engine is a compiled policy for one app. It is immutable and safe for
// concurrent use.
type Engine struct {
	app           App
	rules         []compiledRule
	nameID        compiledNameID
	groups        *compiledGroupClaim
	defaultClaims bool
	roleClaim     bool
	nameFormat    string // Policy.AttributeNameFormat as a URN
	names         []string
}

// compiledRule is one claim ready to evaluate.
type compiledRule struct {
	label      string // as configured (Name, or "#n")
	name       string // emitted: namespace + "/" + name
	nameFormat string
	rows       []row
}

// defaultClaimNames are the claims Entra ID always adds, in its order.
var defaultClaimNames = []string{ClaimTenantID, ClaimObjectID, ClaimDisplayName, ClaimIdentityProvider, ClaimAuthnMethods}

// ClaimName is the emitted attribute name of a claim: the namespace, with
// one trailing "/" trimmed, then "/", then the name; just the name when
// there is no namespace.
func ClaimName(namespace, name string) string {
	if namespace == "" {
		return name
	}
	return strings.TrimSuffix(namespace, "/") + "/" + name
}

// Compile validates a policy and compiles it for evaluation. Every problem
// is reported at once (joined with [errors.Join]), each as a [*RuleError]
// that names the rule and says what to change. Regular expressions are
// compiled here, once.
func Compile(app App, p Policy, opts CompileOptions) (*Engine, error) {
	top := &errorList{}
	if app.Name == "" {
		top.addf("app", "name is empty")
	}
	if app.ID == "" {
		app.ID = app.Name
	}
	e := &Engine{app: app, defaultClaims: p.DefaultClaims}
	nf, ok := resolveNameFormat(p.AttributeNameFormat)
	if !ok {
		top.addf("attribute_name_format", "unknown name format %q (unspecified, uri, basic or a urn:)", p.AttributeNameFormat)
	}
	e.nameFormat = nf

	for _, x := range opts.Extensions {
		if x == "" || strings.ContainsAny(x, " \t\n./{}") || checkXMLText(x) != nil {
			top.addf("extensions", "%q is not a valid attribute name", x)
		}
	}
	cc := &compileContext{schema: newSchema(opts.Extensions), policy: &p, regexTimeout: opts.RegexTimeout}
	if opts.Directory != nil {
		cc.verified = map[string]bool{}
		for _, d := range opts.Directory.tenant.VerifiedDomains {
			cc.verified[d] = true
		}
	}

	owner := map[string]string{}
	claimName := func(l *errorList, name, label string) {
		if prev, dup := owner[name]; dup {
			l.add("name", fmt.Errorf("%w %q: also emitted by %s; rename one", ErrDuplicateClaim, name, prev))
			return
		}
		owner[name] = label
		e.names = append(e.names, name)
	}
	if p.DefaultClaims {
		for _, n := range defaultClaimNames {
			claimName(top, n, "the default claims")
		}
	}

	var errs []error
	scoped := map[string]bool{}
	countScoped := func(conds []Condition) {
		for _, cd := range conds {
			for _, g := range cd.Groups {
				scoped[g] = true
			}
		}
	}

	for i := range p.Claims {
		r := &p.Claims[i]
		label := r.Name
		if label == "" {
			label = fmt.Sprintf("#%d", i+1)
		}
		l := &errorList{rule: label}
		cr := compiledRule{label: label, name: ClaimName(r.Namespace, r.Name)}
		switch {
		case r.Name == "":
			l.addf("name", "name is empty")
		case checkXMLName(cr.name) != nil:
			l.add("name", fmt.Errorf("%q: %w", cr.name, checkXMLName(cr.name)))
		case isRestricted(cr.name, opts.CustomSigningKey):
			l.add("name", fmt.Errorf("%w %q: Entra ID reserves it; choose another name or namespace", ErrRestrictedName, cr.name))
		default:
			claimName(l, cr.name, fmt.Sprintf("rule %q", label))
		}
		if f, ok := resolveNameFormat(r.NameFormat); !ok {
			l.addf("name_format", "unknown name format %q (unspecified, uri, basic or a urn:)", r.NameFormat)
		} else if f != "" {
			cr.nameFormat = f
		} else {
			cr.nameFormat = e.nameFormat
		}
		if r.Source == "" && r.Value == "" && len(r.Transformations) == 0 && len(r.Conditions) == 0 {
			l.addf("source", "no source: set source (user.<id>), value (a constant) or transformations")
		}
		base := Condition{Source: r.Source, Value: r.Value, Transformations: r.Transformations}
		cr.rows = cc.compileRows(base, r.Conditions, r.MultiValued, l)
		countScoped(r.Conditions)
		errs = append(errs, l.errs...)
		e.rules = append(e.rules, cr)
	}

	nl := &errorList{rule: "nameid"}
	e.nameID = cc.compileNameID(&p.NameID, nl)
	countScoped(p.NameID.Conditions)
	errs = append(errs, nl.errs...)

	if p.GroupClaim != nil {
		gl := &errorList{rule: "group_claim"}
		e.groups = compileGroupClaim(p.GroupClaim, e.nameFormat, opts.RegexTimeout, gl)
		if e.groups != nil {
			claimName(gl, e.groups.name, "the group claim")
			if e.groups.rx != nil && e.groups.noMatchName != e.groups.name {
				claimName(gl, e.groups.noMatchName, "the group claim when its regex matches no group")
			}
			if e.groups.which != whichRoles {
				claimName(gl, ClaimGroupsLink, "the group claim's overage link")
			}
		}
		errs = append(errs, gl.errs...)
	}
	if p.RoleClaim && (e.groups == nil || e.groups.name != ClaimRole) {
		e.roleClaim = true
		claimName(top, ClaimRole, "role_claim")
	}

	if len(scoped) > MaxScopedGroups {
		top.addf("conditions", "%d unique scoped groups across the app's claims; Entra ID allows at most %d", len(scoped), MaxScopedGroups)
	}
	if opts.Directory != nil {
		known := sortedKeys(opts.Directory.groupByID)
		for _, g := range sortedKeys(scoped) {
			if _, ok := opts.Directory.groupByID[g]; !ok {
				top.addf("conditions", "scoped group %q is not in the directory%s", g, didYouMean(g, known))
			}
		}
	}
	errs = append(top.errs, errs...)
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return e, nil
}

// App returns the app the engine was compiled for (ID defaulted).
func (e *Engine) App() App { return e.app }

// ClaimNames returns the attribute names the engine can emit, in output
// order (the groups.link overage claim included when a group claim is
// configured).
func (e *Engine) ClaimNames() []string { return append([]string(nil), e.names...) }
