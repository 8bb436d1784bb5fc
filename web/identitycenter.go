package web

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/samlab/samlab/aws"
	"github.com/samlab/samlab/aws/idc"
	"github.com/samlab/samlab/config"
	"github.com/samlab/samlab/idp"
	"github.com/samlab/samlab/scim"
)

// The Identity Center-like SP (builtin = "identity-center") receives
// responses at <base>/identity-center/acs, checks them with the test SP's
// code (receive), and then decides as IAM Identity Center does: the NameID
// must be the userName of a provisioned, active user in the SCIM store
// (package aws/idc), and the session's attributes for access control
// combine the store's values and the SAML AccessControl:* attributes.

func (sv *server) idcEntityID() string { return sv.tenant.BaseURL + "/identity-center" }
func (sv *server) idcACS() string      { return sv.tenant.BaseURL + "/identity-center/acs" }

func (sv *server) idcApp() (*idp.App, bool) {
	for _, a := range sv.tenant.Apps() {
		if a.Builtin == config.BuiltinIdentityCenter {
			return a, true
		}
	}
	return nil, false
}

func (sv *server) idcSP(app *idp.App) builtinSP {
	return builtinSP{entityID: sv.idcEntityID(), acs: sv.idcACS(), app: app, cookie: idcCookie, relayState: "identity-center"}
}

// idcCookie keeps the pending AuthnRequest of the Identity Center SP.
const idcCookie = "samlab_idc"

// idcSettings is the instance's configuration as the pages show it.
type idcSettings struct {
	Mappings   []idc.Mapping
	Precedence idc.Precedence
}

func idcSettingsOf(app *idp.App) idcSettings {
	s := idcSettings{Precedence: idc.IdentityStoreWins}
	if app != nil && app.Config != nil {
		s.Mappings = app.Config.IdCMappings()
		if ic := app.Config.IdentityCenter; ic != nil && ic.Precedence != "" {
			s.Precedence = idc.Precedence(ic.Precedence)
		}
	}
	return s
}

type idcPage struct {
	EntityID, ACS, StartURL string
	Registered, StoreOn     bool
	Users                   int
	idcSettings
}

func (sv *server) handleIdC(w http.ResponseWriter, r *http.Request) {
	d := idcPage{EntityID: sv.idcEntityID(), ACS: sv.idcACS(), StoreOn: sv.scimStore != nil}
	if a, ok := sv.idcApp(); ok {
		d.Registered = true
		d.StartURL = "/apps/" + url.PathEscape(a.Name) + "/start"
		d.idcSettings = idcSettingsOf(a)
	}
	if sv.scimStore != nil {
		if n, err := sv.scimStore.CountUsers(r.Context()); err == nil {
			d.Users = n
		}
	}
	sv.render(w, r, http.StatusOK, "idc", page{Title: "Identity Center", Data: d})
}

func (sv *server) handleIdCLogin(w http.ResponseWriter, r *http.Request) {
	app, ok := sv.idcApp()
	if !ok {
		sv.fail(w, r, http.StatusNotFound, "Identity Center SP not configured", `Add an app with builtin = "identity-center" to use it.`)
		return
	}
	sv.startSPLogin(w, r, sv.idcSP(app))
}

// idcResult is the Identity Center SP's verdict on one response.
type idcResult struct {
	*testSPResult
	// Refusal is Identity Center's error when the sign-in fails.
	Refusal *idc.Refusal
	// Reasons list what made it fail, beneath samlab's explanation.
	Reasons []string
	User    *scim.User
	ABAC    idc.Result
	idcSettings
}

func (sv *server) handleIdCACS(w http.ResponseWriter, r *http.Request) {
	app, ok := sv.idcApp()
	if !ok {
		sv.fail(w, r, http.StatusNotFound, "Identity Center SP not configured", `Add an app with builtin = "identity-center" to use it.`)
		return
	}
	sp := sv.idcSP(app)
	res, view, ok := sv.receive(w, r, sp)
	if !ok {
		return
	}
	now := sv.now()
	out := idcResult{testSPResult: res, idcSettings: idcSettingsOf(app)}
	res.Profile = config.ProfileAWSIdentityCenter
	lo := sv.lintOptions(sp, res, now)
	for _, m := range out.Mappings {
		if _, ok := idc.SourcePath(m.Source); ok {
			lo.IdCAccessControlKeys = append(lo.IdCAccessControlKeys, m.Key)
		}
	}
	prof, _ := aws.ProfileByName(config.ProfileAWSIdentityCenter)
	for _, f := range aws.LintView(view, prof, lo) {
		// The ACS and audience shapes are AWS's (AWS-IDC-001/002); this
		// SP's own endpoints are samlab's, and receive has already checked
		// them exactly.
		if f.Rule == "AWS-IDC-001" || f.Rule == "AWS-IDC-002" {
			continue
		}
		res.Findings = append(res.Findings, f)
	}
	if s := aws.SessionView(view); s != nil {
		res.AWS = s.Lines()
	}
	if view.Assertion != nil {
		out.ABAC = idc.Resolve(nil, out.Mappings, view.Assertion.Attributes, out.Precedence)
	}
	switch {
	case len(res.Problems) > 0:
		out.Refusal = &idc.Refusal{Shown: idc.MsgUnexpected,
			Explanation: "the response did not pass the checks every SP makes (signature, audience, recipient, time, request), so Identity Center never looks for the user:"}
		out.Reasons = res.Problems
	case view.Assertion == nil:
		// Encrypted (and so unreadable here) or missing: Identity Center
		// takes exactly one plain assertion.
		out.Refusal = &idc.Refusal{Rule: "AWS-IDC-006", Shown: idc.MsgUnexpected,
			Explanation: "the response carries no assertion Identity Center can read: it takes exactly one, not encrypted (turn encryption off for this app)"}
		for _, f := range res.Findings {
			if f.Severity == aws.Error {
				out.Reasons = append(out.Reasons, f.Rule+": "+f.Message)
			}
		}
	case sv.scimStore == nil:
		sv.fail(w, r, http.StatusServiceUnavailable, "No SCIM store",
			"The Identity Center SP signs in only provisioned users, and this server has no SCIM store: enable [scim] in the configuration (it is on by default in samlab serve).")
		return
	default:
		u, err := idc.FindUser(r.Context(), sv.scimStore, res.NameID, res.NameIDFormat)
		if ref := idc.AsRefusal(err); ref != nil {
			out.Refusal = ref
			break
		}
		if err != nil {
			sv.log.Error("identity center: reading the SCIM store", "err", err)
			sv.fail(w, r, http.StatusInternalServerError, "SCIM store unavailable", "The Identity Center SP could not read the SCIM store; see the server log.")
			return
		}
		out.User = u
		out.ABAC = idc.Resolve(u, out.Mappings, view.Assertion.Attributes, out.Precedence)
		var errs []aws.Finding
		for _, f := range res.Findings {
			if f.Severity == aws.Error {
				errs = append(errs, f)
			}
		}
		switch {
		case len(errs) > 0:
			out.Refusal = &idc.Refusal{Rule: errs[0].Rule, Shown: idc.MsgUnexpected,
				Explanation: "the user is provisioned, but the response breaks rules Identity Center enforces:"}
			for _, f := range errs {
				out.Reasons = append(out.Reasons, f.Rule+": "+f.Message)
			}
		case len(out.ABAC.Problems) > 0:
			out.Refusal = &idc.Refusal{Rule: out.ABAC.Problems[0].Rule, Shown: idc.MsgUnexpected,
				Explanation: "the user is provisioned, but the attributes for access control break Identity Center's rules:"}
			for _, p := range out.ABAC.Problems {
				out.Reasons = append(out.Reasons, p.Rule+": "+p.Message)
			}
		}
	}
	res.OK = out.Refusal == nil
	status := http.StatusOK
	if !res.OK {
		status = http.StatusForbidden
	}
	rule := ""
	if out.Refusal != nil {
		rule = out.Refusal.Rule
	}
	sv.log.Info("identity center SP received a response", "ok", res.OK, "rule", rule, "in_response_to", view.InResponseTo)
	w.Header().Set("Cache-Control", "no-store")
	sv.render(w, r, status, "idc_result", page{Title: "Identity Center", Data: out})
}

// originClass names the CSS class of a value's origin.
func originClass(o idc.Origin) string {
	if o == idc.FromIdentityStore {
		return "store"
	}
	return "saml"
}

// shortSAMLName drops the AWS namespace from an AccessControl attribute
// name, for the tables.
func shortSAMLName(name string) string {
	return strings.TrimPrefix(name, aws.Namespace+"/")
}
