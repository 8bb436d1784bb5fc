package web

// Sessions and pending requests live in signed cookies and signed form
// fields, never in server memory, so replicas that share the session key
// serve the same browsers with no store. Each value is
// base64url(payload) "." base64url(HMAC-SHA256(key, purpose "|" payload)),
// with payload a URL-encoded form ("s=..&u=..&e=..") and purpose the cookie
// or field name: a value signed for one purpose is refused for another.

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/samlab/samlab/certs"
	"github.com/samlab/samlab/idp"
)

const (
	sessionCookie = "samlab_session"
	pendingCookie = "samlab_pending"
	// pendingField is the login form's hidden field holding the pending
	// request; it is bound to the pending cookie by its id.
	pendingField = "pending"
	testSPCookie = "samlab_testsp"
	pendingTTL   = 10 * time.Minute
)

// readSecretFile reads a secret that must not be readable or writable by
// group or others (checked with fstat on the opened file, like the IdP key):
// whoever reads the session key can forge a session for any user.
func readSecretFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("web: session_key: %w", err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("web: session_key: %w", err)
	}
	if perm := fi.Mode().Perm(); perm&0o077 != 0 {
		return nil, fmt.Errorf("web: session_key %s: %w: mode %04o lets group or others read it; run chmod 600 %s",
			path, certs.ErrUnprotectedKey, uint32(perm), path)
	}
	b, err := io.ReadAll(io.LimitReader(f, 64<<10))
	if err != nil {
		return nil, fmt.Errorf("web: session_key: %w", err)
	}
	return b, nil
}

var errBadToken = errors.New("web: invalid or expired token")

// signer signs and verifies compact tokens.
type signer struct{ key []byte }

func (s signer) mac(purpose, payload string) []byte {
	m := hmac.New(sha256.New, s.key)
	m.Write([]byte(purpose))
	m.Write([]byte{'|'})
	m.Write([]byte(payload))
	return m.Sum(nil)
}

func (s signer) sign(purpose string, v url.Values) string {
	payload := v.Encode()
	return base64.RawURLEncoding.EncodeToString([]byte(payload)) + "." +
		base64.RawURLEncoding.EncodeToString(s.mac(purpose, payload))
}

// open verifies a token and returns its values; the "e" value (Unix
// seconds) must be in the future.
func (s signer) open(purpose, token string, now time.Time) (url.Values, error) {
	p64, m64, ok := strings.Cut(token, ".")
	if !ok {
		return nil, errBadToken
	}
	payload, err1 := base64.RawURLEncoding.DecodeString(p64)
	mac, err2 := base64.RawURLEncoding.DecodeString(m64)
	if err1 != nil || err2 != nil || !hmac.Equal(mac, s.mac(purpose, string(payload))) {
		return nil, errBadToken
	}
	v, err := url.ParseQuery(string(payload))
	if err != nil {
		return nil, errBadToken
	}
	exp, err := strconv.ParseInt(v.Get("e"), 10, 64)
	if err != nil || !now.Before(time.Unix(exp, 0)) {
		return nil, errBadToken
	}
	return v, nil
}

// token derives a short MAC-based token (the CSRF token of a session).
func (s signer) token(purpose, id string) string {
	return base64.RawURLEncoding.EncodeToString(s.mac(purpose, id)[:18])
}

func newID() string {
	var b [16]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// session is a browser's sign-in. An anonymous session (User "") exists
// only to tie the login form's CSRF token to the browser.
type session struct {
	ID        string
	User      string
	AuthnTime time.Time // zero for anonymous
	Expires   time.Time
}

func (sv *server) readSession(r *http.Request) *session {
	c, err := r.Cookie(sessionCookie)
	if err != nil {
		return nil
	}
	v, err := sv.signer.open(sessionCookie, c.Value, sv.now())
	if err != nil {
		return nil
	}
	s := &session{ID: v.Get("s"), User: v.Get("u")}
	if s.ID == "" {
		return nil
	}
	if e, err := strconv.ParseInt(v.Get("e"), 10, 64); err == nil {
		s.Expires = time.Unix(e, 0)
	}
	if a, err := strconv.ParseInt(v.Get("a"), 10, 64); err == nil && s.User != "" {
		s.AuthnTime = time.Unix(a, 0)
	}
	if s.User != "" {
		// A user removed from the configuration is signed out.
		if _, ok := sv.tenant.User(s.User); !ok {
			return nil
		}
	}
	return s
}

// loggedIn returns the signed-in session or nil.
func (sv *server) loggedIn(r *http.Request) *session {
	s := sv.readSession(r)
	if s == nil || s.User == "" {
		return nil
	}
	return s
}

// ensureSession returns the browser's session, creating an anonymous one
// (and its cookie) when there is none.
func (sv *server) ensureSession(w http.ResponseWriter, r *http.Request) *session {
	if s := sv.readSession(r); s != nil {
		return s
	}
	s := &session{ID: newID(), Expires: sv.now().Add(sv.sessionLifetime)}
	sv.writeSession(w, s)
	return s
}

// startSession signs a user in with a fresh session id (no fixation).
func (sv *server) startSession(w http.ResponseWriter, user string) *session {
	now := sv.now()
	s := &session{ID: newID(), User: user, AuthnTime: now.Truncate(time.Second), Expires: now.Add(sv.sessionLifetime)}
	sv.writeSession(w, s)
	return s
}

func (sv *server) writeSession(w http.ResponseWriter, s *session) {
	v := url.Values{"s": {s.ID}, "e": {strconv.FormatInt(s.Expires.Unix(), 10)}}
	if s.User != "" {
		v.Set("u", s.User)
		v.Set("a", strconv.FormatInt(s.AuthnTime.Unix(), 10))
	}
	sv.setCookie(w, sessionCookie, sv.signer.sign(sessionCookie, v), s.Expires)
}

func (sv *server) setCookie(w http.ResponseWriter, name, value string, expires time.Time) {
	http.SetCookie(w, &http.Cookie{
		Name: name, Value: value, Path: "/", Expires: expires,
		MaxAge:   int(expires.Sub(sv.now()).Seconds()),
		HttpOnly: true, Secure: sv.secureCookies, SameSite: http.SameSiteLaxMode,
	})
}

func (sv *server) clearCookie(w http.ResponseWriter, name string) {
	http.SetCookie(w, &http.Cookie{
		Name: name, Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, Secure: sv.secureCookies, SameSite: http.SameSiteLaxMode,
	})
}

func (sv *server) csrfToken(s *session) string { return sv.signer.token("csrf", s.ID) }

// checkCSRF compares the form's token with the one of the session cookie.
func (sv *server) checkCSRF(r *http.Request) bool {
	s := sv.readSession(r)
	if s == nil {
		return false
	}
	got := r.PostForm.Get("csrf")
	return got != "" && hmac.Equal([]byte(got), []byte(sv.csrfToken(s)))
}

// pending is an SSO request waiting for the user to sign in: SP-initiated
// (InResponseTo set) or IdP-initiated from /apps/{app}/start.
type pending struct {
	ID              string // single-use, bound to the pending cookie
	App             string
	ACS             string
	InResponseTo    string
	RelayState      string
	NameIDFormat    string
	SPNameQualifier string
	Subject         string // the requested Subject NameID, "" for none
	ForceAuthn      bool
	Debug           bool
	Expires         time.Time
}

func (p *pending) values() url.Values {
	v := url.Values{"i": {p.ID}, "a": {p.App}, "e": {strconv.FormatInt(p.Expires.Unix(), 10)}}
	set := func(k, s string) {
		if s != "" {
			v.Set(k, s)
		}
	}
	set("c", p.ACS)
	set("r", p.InResponseTo)
	set("s", p.RelayState)
	set("n", p.NameIDFormat)
	set("q", p.SPNameQualifier)
	set("j", p.Subject)
	if p.ForceAuthn {
		v.Set("f", "1")
	}
	if p.Debug {
		v.Set("d", "1")
	}
	return v
}

func pendingFrom(v url.Values) *pending {
	p := &pending{
		ID: v.Get("i"), App: v.Get("a"), ACS: v.Get("c"), InResponseTo: v.Get("r"), RelayState: v.Get("s"),
		NameIDFormat: v.Get("n"), SPNameQualifier: v.Get("q"), Subject: v.Get("j"),
		ForceAuthn: v.Get("f") == "1", Debug: v.Get("d") == "1",
	}
	if e, err := strconv.ParseInt(v.Get("e"), 10, 64); err == nil {
		p.Expires = time.Unix(e, 0)
	}
	return p
}

// stashPending binds p to this browser: the cookie holds its id, the
// returned token (for the login form) holds the request.
func (sv *server) stashPending(w http.ResponseWriter, p *pending) string {
	p.ID = newID()
	p.Expires = sv.now().Add(pendingTTL)
	cookie := url.Values{"i": {p.ID}, "e": {strconv.FormatInt(p.Expires.Unix(), 10)}}
	sv.setCookie(w, pendingCookie, sv.signer.sign(pendingCookie, cookie), p.Expires)
	return sv.signer.sign(pendingField, p.values())
}

// takePending returns the pending request of the login form when it is
// signed, fresh, bound to this browser's pending cookie and not used before.
// ok is false when a token was given but does not check out.
func (sv *server) takePending(w http.ResponseWriter, r *http.Request) (p *pending, ok bool) {
	token := r.PostForm.Get(pendingField)
	if token == "" {
		return nil, true
	}
	now := sv.now()
	v, err := sv.signer.open(pendingField, token, now)
	if err != nil {
		return nil, false
	}
	c, err := r.Cookie(pendingCookie)
	if err != nil {
		return nil, false
	}
	cv, err := sv.signer.open(pendingCookie, c.Value, now)
	if err != nil || cv.Get("i") != v.Get("i") {
		return nil, false
	}
	p = pendingFrom(v)
	if sv.usedPending.Seen(p.ID, p.Expires, now) {
		return nil, false
	}
	sv.clearCookie(w, pendingCookie)
	return p, true
}

// sessionKey returns the key that signs cookies: config session_key (a
// file, or env:NAME), else one derived from the IdP private key, so replicas
// with the same key pair share sessions.
func sessionKey(t *idp.Tenant, getenv func(string) string) ([]byte, error) {
	ref := t.Config.IdP.SessionKey
	if ref != "" {
		var raw string
		if name, ok := strings.CutPrefix(ref, "env:"); ok {
			raw = getenv(name)
			if raw == "" {
				return nil, fmt.Errorf("web: session_key: environment variable %s is empty", name)
			}
		} else {
			b, err := readSecretFile(ref) // config resolved it against the file's directory
			if err != nil {
				return nil, err
			}
			raw = string(b)
		}
		raw = strings.TrimSpace(raw)
		if len(raw) < 32 {
			return nil, fmt.Errorf("web: session_key: %d characters, want at least 32", len(raw))
		}
		return []byte(raw), nil
	}
	if t.KeyPair == nil || t.KeyPair.Signer == nil {
		return nil, errors.New("web: no session_key and no IdP key to derive one from")
	}
	der, err := x509.MarshalPKCS8PrivateKey(t.KeyPair.Signer)
	if err != nil {
		return nil, fmt.Errorf("web: deriving the session key: %w", err)
	}
	m := hmac.New(sha256.New, der)
	m.Write([]byte("samlab web session key v1"))
	return m.Sum(nil), nil
}
