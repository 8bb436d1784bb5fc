package web

import (
	"net/http"
	"strings"

	"github.com/samlab/samlab/saml"
)

// handleSLO receives a LogoutRequest (HTTP-Redirect or HTTP-POST), ends the
// browser's samlab session and answers the SP with a signed LogoutResponse
// posted to its SingleLogoutService, or a "signed out" page when it has
// none. Sessions are cookies: only this browser's session ends.
func (sv *server) handleSLO(w http.ResponseWriter, r *http.Request) {
	var info *saml.LogoutRequestInfo
	var err error
	if r.Method == http.MethodGet {
		if !strings.Contains(r.URL.RawQuery, "SAMLRequest=") {
			sv.fail(w, r, http.StatusBadRequest, "No SAML request", "This is the single logout endpoint: service providers send a LogoutRequest here.")
			return
		}
		info, err = sv.policy.ParseLogoutRequestRedirect(r.URL.RawQuery)
	} else {
		if err := r.ParseForm(); err != nil {
			sv.formError(w, r, err)
			return
		}
		info, err = sv.policy.ParseLogoutRequestPost(r.PostForm)
	}
	if err != nil {
		sv.log.Warn("logout request rejected", "err", err.Error(), "ip", clientIP(r))
		sv.fail(w, r, http.StatusBadRequest, "Bad logout request", err.Error()+".")
		return
	}
	app, _ := sv.tenant.AppByEntityID(info.Issuer)
	user := ""
	if s := sv.loggedIn(r); s != nil {
		user = s.User
	}
	sv.clearCookie(w, sessionCookie)
	sv.log.Info("single logout", "app", app.Name, "user", user, "id", info.ID, "ip", clientIP(r))
	if app.SLOURL == "" {
		w.Header().Set("Cache-Control", "no-store")
		sv.render(w, r, http.StatusOK, "signedout", page{Title: "Signed out", Anonymous: true, Data: app.DisplayName})
		return
	}
	xml, err := saml.BuildLogoutResponse(saml.StatusMessage{
		IssueInstant: sv.now(), Issuer: sv.tenant.EntityID, Destination: app.SLOURL, InResponseTo: info.ID,
		Key: sv.tenant.KeyPair.Signer, Certificate: sv.tenant.KeyPair.Certificate,
	})
	if err != nil {
		sv.log.Error("building a logout response failed", "app", app.Name, "err", err)
		sv.fail(w, r, http.StatusInternalServerError, "Logout response not built", "The error was logged.")
		return
	}
	h := w.Header()
	h.Set("Content-Security-Policy", "default-src 'none'; script-src "+saml.PostFormScriptHash+
		"; form-action "+cspSource(app.SLOURL)+"; frame-ancestors 'none'; base-uri 'none'")
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Type", "text/html; charset=utf-8")
	if err := saml.WritePostForm(w, app.SLOURL, saml.PostFields{SAMLResponse: b64(xml), RelayState: info.RelayState}); err != nil {
		sv.log.Error("post form", "err", err)
	}
}
