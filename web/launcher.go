package web

import (
	"net/http"
	"net/url"
	"unicode"
	"unicode/utf8"

	"github.com/gorilla/mux"

	"github.com/samlab/samlab/saml"
)

type appCard struct {
	Name, DisplayName, EntityID, Profile string
	Initial                              string
	StartURL, DebugURL                   string
}

// handleApps is the launcher: the signed-in user's apps, like Azure's My Apps.
func (sv *server) handleApps(w http.ResponseWriter, r *http.Request) {
	sess := sv.loggedIn(r)
	if sess == nil {
		http.Redirect(w, r, "/login?next=%2Fapps", http.StatusSeeOther)
		return
	}
	var cards []appCard
	for _, a := range sv.tenant.AppsFor(sess.User) {
		start := "/apps/" + url.PathEscape(a.Name) + "/start"
		initial, _ := utf8.DecodeRuneInString(a.DisplayName)
		cards = append(cards, appCard{
			Name: a.Name, DisplayName: a.DisplayName, EntityID: a.EntityID, Profile: a.Profile.Name,
			Initial: string(unicode.ToUpper(initial)), StartURL: start, DebugURL: start + "?debug=1",
		})
	}
	sv.render(w, r, http.StatusOK, "apps", page{Title: "My Apps", User: sess.User, CSRF: sv.csrfToken(sess), Data: struct{ Apps []appCard }{cards}})
}

// handleStart is IdP-initiated sign-in to one app: how the AWS console is
// usually reached. ?RelayState= overrides the app's relay_state (AWS reads
// it as the console URL to open); ?debug=1 shows the debug view first.
func (sv *server) handleStart(w http.ResponseWriter, r *http.Request) {
	name := mux.Vars(r)["app"]
	app, ok := sv.tenant.App(name)
	if !ok {
		sv.fail(w, r, http.StatusNotFound, "Unknown app", "There is no app with this name.")
		return
	}
	q := r.URL.Query()
	if len(q["RelayState"]) > 1 {
		sv.fail(w, r, http.StatusBadRequest, "Bad request", "RelayState is given more than once.")
		return
	}
	relayState := app.RelayState
	if rs, ok := q["RelayState"]; ok {
		relayState = rs[0]
	}
	if len(relayState) > saml.MaxRelayStateBytes {
		sv.fail(w, r, http.StatusBadRequest, "RelayState too long", "RelayState is limited to 4 KiB.")
		return
	}
	if len(app.ACSURLs) == 0 {
		sv.fail(w, r, http.StatusInternalServerError, "No ACS", "The app has no ACS URL to send the response to.")
		return
	}
	p := &pending{App: app.Name, ACS: app.ACSURLs[0], RelayState: relayState, Debug: q.Get("debug") == "1"}
	sess := sv.loggedIn(r)
	if sess == nil {
		sv.showLogin(w, r, http.StatusOK, loginView{Pending: sv.stashPending(w, p), AppName: app.DisplayName})
		return
	}
	sv.complete(w, r, sess, p)
}
