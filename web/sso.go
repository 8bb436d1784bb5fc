package web

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"

	crewsaml "github.com/crewjam/saml"

	"github.com/samlab/samlab/aws"
	"github.com/samlab/samlab/claims"
	"github.com/samlab/samlab/idp"
	"github.com/samlab/samlab/saml"
)

// handleSSO receives an AuthnRequest with the HTTP-Redirect (GET) or
// HTTP-POST binding.
func (sv *server) handleSSO(w http.ResponseWriter, r *http.Request) {
	var info *saml.AuthnRequestInfo
	var err error
	switch r.Method {
	case http.MethodGet:
		if !strings.Contains(r.URL.RawQuery, "SAMLRequest=") {
			sv.fail(w, r, http.StatusBadRequest, "No SAML request",
				"This is the single sign-on endpoint: service providers send an AuthnRequest here. To open an app, use My Apps.")
			return
		}
		info, err = sv.policy.ParseAuthnRequestRedirect(r.URL.RawQuery)
	default:
		if err := r.ParseForm(); err != nil {
			sv.formError(w, r, err)
			return
		}
		info, err = sv.policy.ParseAuthnRequestPost(r.PostForm)
	}
	if err != nil {
		sv.requestFailed(w, r, err)
		return
	}
	app, ok := sv.tenant.AppByEntityID(info.Issuer)
	if !ok { // LookupSP found it a moment ago; the tenant is immutable
		sv.fail(w, r, http.StatusBadRequest, "Unknown service provider", "The request comes from a service provider samlab does not know.")
		return
	}
	p := &pending{
		App: app.Name, ACS: info.ACS, InResponseTo: info.ID, RelayState: info.RelayState,
		NameIDFormat: info.NameIDFormat, SPNameQualifier: info.SPNameQualifier, Subject: info.Subject,
		ForceAuthn: info.ForceAuthn, Debug: r.URL.Query().Get("debug") == "1",
	}
	sv.log.Info("authn request", "app", app.Name, "id", info.ID, "binding", bindingName(info.Binding),
		"signed", info.Signed, "force_authn", info.ForceAuthn, "is_passive", info.IsPassive, "ip", clientIP(r))
	sess := sv.loggedIn(r)
	if info.IsPassive && (sess == nil || info.ForceAuthn) {
		// IsPassive forbids any UI: answer NoPassive at once (SEC-17).
		sv.sendStatus(w, r, app, p, crewsaml.StatusResponder, crewsaml.StatusNoPassive, "The user is not signed in.")
		return
	}
	if sess == nil || info.ForceAuthn {
		sv.showLogin(w, r, http.StatusOK, loginView{Pending: sv.stashPending(w, p), AppName: app.DisplayName, ForceAuthn: info.ForceAuthn && sess != nil})
		return
	}
	sv.complete(w, r, sess, p)
}

func bindingName(b string) string {
	switch b {
	case crewsaml.HTTPRedirectBinding:
		return "redirect"
	case crewsaml.HTTPPostBinding:
		return "post"
	}
	return b
}

// requestFailed answers an AuthnRequest that did not validate: an error
// page and nothing sent when the SP or its ACS cannot be trusted, a SAML
// error Response to the validated ACS otherwise.
func (sv *server) requestFailed(w http.ResponseWriter, r *http.Request, err error) {
	var re *saml.RequestError
	if errors.As(err, &re) && re.Kind == saml.RequestStatus && re.Request != nil {
		if app, ok := sv.tenant.AppByEntityID(re.Request.Issuer); ok {
			sv.log.Info("authn request refused with a status", "app", app.Name, "status", re.SubStatus, "err", err.Error(), "ip", clientIP(r))
			p := &pending{App: app.Name, ACS: re.Request.ACS, InResponseTo: re.Request.ID, RelayState: re.Request.RelayState}
			sv.sendStatus(w, r, app, p, re.Status, re.SubStatus, re.Detail)
			return
		}
	}
	sv.log.Warn("authn request rejected", "err", err.Error(), "ip", clientIP(r))
	title := "Bad SAML request"
	switch {
	case errors.Is(err, saml.ErrRequestUnknownSP):
		title = "Unknown service provider"
	case errors.Is(err, saml.ErrRequestACS):
		title = "ACS not registered"
	case errors.Is(err, saml.ErrRequestSignature):
		title = "Request signature not accepted"
	case errors.Is(err, saml.ErrRequestExpired), errors.Is(err, saml.ErrRequestFuture):
		title = "Request out of date"
	case errors.Is(err, saml.ErrRequestReplay):
		title = "Request already used"
	}
	sv.fail(w, r, http.StatusBadRequest, title, err.Error()+". No response was sent to the service provider.")
}

// complete issues the response for a signed-in user and posts it (or shows
// the debug view first).
func (sv *server) complete(w http.ResponseWriter, r *http.Request, sess *session, p *pending) {
	app, ok := sv.tenant.App(p.App)
	if !ok {
		sv.fail(w, r, http.StatusNotFound, "Unknown app", "There is no app with this name.")
		return
	}
	debug := p.Debug || app.DebugView
	issued, err := sv.tenant.Issue(idp.IssueRequest{
		User: sess.User, App: app.Name, ACS: p.ACS, InResponseTo: p.InResponseTo,
		NameIDFormat: p.NameIDFormat, SPNameQualifier: p.SPNameQualifier,
		AuthnInstant: sess.AuthnTime, Explain: debug,
	})
	switch {
	case errors.Is(err, idp.ErrBlocked) && issued != nil:
		sv.log.Warn("response blocked by lint errors", "app", app.Name, "user", sess.User, "findings", findingRules(issued.Findings))
		w.Header().Set("Cache-Control", "no-store")
		sv.render(w, r, http.StatusInternalServerError, "blocked", page{Title: "Response not sent", Data: debugView{AppName: app.DisplayName, Findings: issued.Findings}})
		return
	case errors.Is(err, claims.ErrUnsupportedNameIDFormat) && p.InResponseTo != "":
		sv.sendStatus(w, r, app, p, crewsaml.StatusRequester, crewsaml.StatusInvalidNameIDPolicy, "NameID format not supported for this app.")
		return
	case errors.Is(err, idp.ErrACSNotRegistered):
		sv.fail(w, r, http.StatusBadRequest, "ACS not registered", "The response would go to an address the app has not registered. Nothing was sent.")
		return
	case errors.Is(err, idp.ErrUnknownApp):
		sv.fail(w, r, http.StatusNotFound, "Unknown app", "There is no app with this name.")
		return
	case errors.Is(err, idp.ErrNotAssigned):
		sv.log.Info("user not assigned to the app", "app", app.Name, "user", sess.User)
		sv.fail(w, r, http.StatusForbidden, "Not assigned", "Your user is not assigned to this app (Entra ID says AADSTS50105). Ask for an app role or a group assigned to the app.")
		return
	case errors.Is(err, idp.ErrUnknownUser):
		sv.clearCookie(w, sessionCookie)
		sv.fail(w, r, http.StatusForbidden, "Unknown user", "Your user no longer exists in this tenant. Sign in again.")
		return
	case errors.Is(err, claims.ErrRegexTimeout):
		// The admin's regex and this user's data: not a server fault, and
		// the time spent is bounded (claims.RegexEvalBudget).
		claim := "(unknown)"
		var re *claims.RuleError
		if errors.As(err, &re) && re.Rule != "" {
			claim = re.Rule
		}
		sv.log.Warn("claim regex timed out", "app", app.Name, "claim", claim, "user", sess.User, "err", err.Error())
		sv.fail(w, r, http.StatusUnprocessableEntity, "Claim could not be computed",
			fmt.Sprintf("The regular expression of claim %q of app %q took too long on this user's attributes, so no response was sent. An administrator must simplify that regex (see the claims documentation on regex limits).", claim, app.Name))
		return
	case err != nil:
		sv.log.Error("issuing a response failed", "app", app.Name, "user", sess.User, "err", err)
		sv.fail(w, r, http.StatusInternalServerError, "Response not built", "samlab could not build the response for this app. The error was logged.")
		return
	}
	// Never answer for another subject than the signed-in user (SEC-16).
	if p.Subject != "" && p.Subject != sess.User && p.Subject != issued.Result.NameID.Value {
		sv.log.Warn("requested subject is not the signed-in user", "app", app.Name, "user", sess.User, "requested", p.Subject)
		sv.sendStatus(w, r, app, p, crewsaml.StatusRequester, crewsaml.StatusRequestDenied, "The requested subject is not the signed-in user.")
		return
	}
	names := make([]string, len(issued.Result.Attributes))
	for i, a := range issued.Result.Attributes {
		names[i] = a.Name
	}
	sv.log.Info("response issued", "app", app.Name, "user", sess.User, "acs", issued.ACS,
		"in_response_to", p.InResponseTo, "response_id", issued.Response.ID, "attributes", names,
		"findings", len(issued.Findings), "debug_view", debug)
	if sv.log.Enabled(context.Background(), slog.LevelDebug) {
		for _, a := range issued.Result.Attributes {
			sv.log.Debug("claim", "app", app.Name, "user", sess.User, "name", a.Name, "values", a.Values)
		}
	}
	if debug {
		sv.showDebug(w, r, sess, p, issued)
		return
	}
	sv.writePost(w, r, app, issued.ACS, saml.PostFields{SAMLResponse: issued.Response.Base64(), RelayState: p.RelayState})
}

// sendStatus posts a SAML error Response (no assertion) to the validated ACS.
func (sv *server) sendStatus(w http.ResponseWriter, r *http.Request, app *idp.App, p *pending, status, sub, msg string) {
	xml, err := saml.BuildErrorResponse(saml.StatusMessage{
		IssueInstant: sv.now(), Issuer: sv.tenant.EntityID, Destination: p.ACS, InResponseTo: p.InResponseTo,
		Status: status, SubStatus: sub, Message: msg,
		Key: sv.tenant.KeyPair.Signer, Certificate: sv.tenant.KeyPair.Certificate,
	})
	if err != nil {
		sv.log.Error("building an error response failed", "app", app.Name, "err", err)
		sv.fail(w, r, http.StatusInternalServerError, "Response not built", "samlab could not build the error response. The error was logged.")
		return
	}
	sv.log.Info("error response sent", "app", app.Name, "acs", p.ACS, "in_response_to", p.InResponseTo, "status", sub)
	sv.writePost(w, r, app, p.ACS, saml.PostFields{SAMLResponse: b64(xml), RelayState: p.RelayState})
}

// writePost writes the self-posting page. Its policy allows exactly one
// script (by hash) and posting only to the ACS.
func (sv *server) writePost(w http.ResponseWriter, r *http.Request, app *idp.App, acs string, f saml.PostFields) {
	h := w.Header()
	h.Set("Content-Security-Policy", "default-src 'none'; script-src "+saml.PostFormScriptHash+
		"; form-action "+formActionSources(acs, app)+"; frame-ancestors 'none'; base-uri 'none'")
	h.Set("Cache-Control", "no-store")
	h.Set("Pragma", "no-cache")
	h.Set("Content-Type", "text/html; charset=utf-8")
	if err := saml.WritePostForm(w, acs, f); err != nil {
		sv.log.Error("post form", "err", err)
	}
}

// formActionSources is the CSP form-action list for posting to acs. Chrome
// applies form-action to the redirects that follow a form post too, so for
// AWS apps the console hosts that signin.aws.amazon.com redirects to are
// allowed as well.
func formActionSources(acs string, app *idp.App) string {
	src := cspSource(acs)
	if app != nil && strings.HasPrefix(app.Profile.Name, "aws") {
		src += " https://*.aws.amazon.com https://*.amazonaws.com https://*.amazonaws.cn https://*.amazonaws-us-gov.com"
	}
	return src
}

// cspSource turns a URL into a CSP source expression: scheme, host, port and
// path (CSP sources carry no query); only the origin when the path has
// characters that could end the directive.
func cspSource(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || strings.ContainsAny(u.Host, " ;,'\"") {
		return "'none'"
	}
	origin := u.Scheme + "://" + u.Host
	path := u.EscapedPath()
	for _, c := range path {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.ContainsRune("-._~/%!$&()*+=:@", c)) {
			return origin
		}
	}
	return origin + path
}

func findingRules(fs []aws.Finding) []string {
	out := make([]string, 0, len(fs))
	for _, f := range fs {
		if f.Severity == aws.Error {
			out = append(out, f.Rule)
		}
	}
	return out
}
