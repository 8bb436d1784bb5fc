package web

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/samlab/samlab/idp"
)

type demoUser struct {
	ID, Password, Description string
}

type loginView struct {
	CSRF       string
	Pending    string // signed pending request, "" for a plain sign-in
	Next       string // local path to go to after a plain sign-in
	AppName    string
	Username   string
	Error      string
	ForceAuthn bool
	DemoUsers  []demoUser
}

// showLogin renders the login form, tied to the browser's session for CSRF.
func (sv *server) showLogin(w http.ResponseWriter, r *http.Request, status int, lv loginView) {
	s := sv.ensureSession(w, r)
	lv.CSRF = sv.csrfToken(s)
	if sv.demo {
		for _, u := range sv.tenant.Users() {
			if u.Password == "" {
				continue // only plain demo passwords can be shown
			}
			desc := string(u.Type)
			if desc == "" {
				desc = "member"
			}
			if d := u.Attributes["department"]; len(d) > 0 {
				desc += " · " + d[0]
			}
			switch n := len(u.Groups); n {
			case 0:
			case 1:
				desc += " · 1 group"
			default:
				desc += " · " + strconv.Itoa(n) + " groups"
			}
			lv.DemoUsers = append(lv.DemoUsers, demoUser{ID: u.ID, Password: u.Password, Description: desc})
		}
	}
	w.Header().Set("Cache-Control", "no-store")
	sv.render(w, r, status, "login", page{Title: "Sign in", Data: lv})
}

func (sv *server) handleLoginPage(w http.ResponseWriter, r *http.Request) {
	next := safeNext(r.URL.Query().Get("next"))
	if sv.loggedIn(r) != nil {
		if next == "" {
			next = "/apps"
		}
		http.Redirect(w, r, next, http.StatusSeeOther)
		return
	}
	sv.showLogin(w, r, http.StatusOK, loginView{Next: next})
}

func (sv *server) handleLogin(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		sv.formError(w, r, err)
		return
	}
	if !sv.checkCSRF(r) {
		sv.log.Warn("login refused: CSRF token", "ip", clientIP(r))
		sv.fail(w, r, http.StatusForbidden, "Sign-in form expired",
			"The sign-in form is no longer valid (or was posted from another site). Open the sign-in page again.")
		return
	}
	p, ok := sv.takePending(w, r)
	if !ok {
		sv.fail(w, r, http.StatusBadRequest, "Sign-in request expired",
			"This sign-in request expired, was already used or belongs to another browser. Start again from the application.")
		return
	}
	password := r.PostForm.Get("password")
	user := strings.TrimSpace(r.PostForm.Get("username"))
	tooLong := len(user) > maxUserNameBytes
	if tooLong {
		// No such user can exist; keep logs and the form small.
		user = user[:maxUserNameBytes]
		password = ""
	}
	next := safeNext(r.PostForm.Get("next"))
	ip := clientIP(r)
	now := sv.now()
	retry := func(status int, msg string) {
		lv := loginView{Next: next, Username: user, Error: msg}
		if p != nil {
			lv.Pending = sv.stashPending(w, p)
			lv.ForceAuthn = p.ForceAuthn
			if a, ok := sv.tenant.App(p.App); ok {
				lv.AppName = a.DisplayName
			}
		}
		sv.showLogin(w, r, status, lv)
	}
	if wait := sv.throttle.wait(user, ip, now); wait > 0 {
		sv.log.Warn("login throttled", "user", user, "ip", ip, "retry_after", wait.Round(1e9).String())
		w.Header().Set("Retry-After", strconv.Itoa(int(wait.Seconds()+0.999)))
		sv.fail(w, r, http.StatusTooManyRequests, "Too many attempts",
			"Too many failed sign-ins for this user from your address. Wait a little and try again.")
		return
	}
	if err := sv.checkPassword(user, password, tooLong); err != nil {
		sv.throttle.fail(user, ip, now)
		if !errors.Is(err, idp.ErrBadCredentials) {
			sv.log.Error("login error", "user", user, "ip", ip, "err", err)
		}
		sv.log.Info("login failed", "user", user, "ip", ip)
		retry(http.StatusUnauthorized, "Wrong user name or password.")
		return
	}
	sv.throttle.succeed(user, ip)
	sess := sv.startSession(w, user)
	sv.log.Info("login", "user", user, "ip", ip)
	if p != nil {
		sv.complete(w, r, sess, p)
		return
	}
	if next == "" {
		next = "/apps"
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
}

// maxUserNameBytes bounds the user name a login attempt may carry (SEC-06):
// longer names are refused as wrong credentials without being kept.
const maxUserNameBytes = 256

// checkPassword checks the password; a user name that was too long is
// refused after the same bcrypt work as an unknown user.
func (sv *server) checkPassword(user, password string, tooLong bool) error {
	if tooLong {
		sv.tenant.Authenticate("", password) // equal cost: the dummy hash
		return idp.ErrBadCredentials
	}
	_, err := sv.tenant.Authenticate(user, password)
	return err
}

func (sv *server) handleLogout(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		sv.formError(w, r, err)
		return
	}
	if !sv.checkCSRF(r) {
		sv.fail(w, r, http.StatusForbidden, "Sign-out form expired", "Open the page again and sign out from there.")
		return
	}
	if s := sv.loggedIn(r); s != nil {
		sv.log.Info("logout", "user", s.User, "ip", clientIP(r))
	}
	sv.clearCookie(w, sessionCookie)
	w.Header().Set("Cache-Control", "no-store")
	sv.render(w, r, http.StatusOK, "signedout", page{Title: "Signed out", Anonymous: true})
}

// formError answers a body that could not be parsed: 413 when too large.
func (sv *server) formError(w http.ResponseWriter, r *http.Request, err error) {
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		sv.fail(w, r, http.StatusRequestEntityTooLarge, "Request too large", "The request body is too large.")
		return
	}
	sv.fail(w, r, http.StatusBadRequest, "Bad request", "The form could not be read.")
}

// safeNext returns s when it is a local path to one of our pages, else "".
// No scheme, no host, no "//" or backslash (browsers read "/\evil.com" as
// "//evil.com"), no control characters: never an open redirect (SEC-23).
func safeNext(s string) string {
	if s == "" || len(s) > 512 || !strings.HasPrefix(s, "/") || strings.ContainsAny(s, "\\") || strings.Contains(s, "//") {
		return ""
	}
	for _, c := range s {
		if c < 0x20 || c == 0x7f {
			return ""
		}
	}
	u, err := url.Parse(s)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil {
		return ""
	}
	if u.Path != "/apps" && !strings.HasPrefix(u.Path, "/apps/") && u.Path != "/test-sp" && !strings.HasPrefix(u.Path, "/test-sp/") && u.Path != "/scim" {
		return ""
	}
	if strings.Contains(u.Path, "/../") || strings.HasSuffix(u.Path, "/..") {
		return ""
	}
	return s
}
