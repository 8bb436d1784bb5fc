package web

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/gorilla/mux"

	"github.com/samlab/samlab/idp"
	"github.com/samlab/samlab/saml"
	"github.com/samlab/samlab/scim"
)

// Options configure the server. The zero value is usable.
type Options struct {
	// Logger receives the structured logs; nil means slog.Default().
	Logger *slog.Logger
	// Clock tells the time; nil means time.Now.
	Clock func() time.Time
	// SessionKey signs cookies. Nil: the configuration's session_key, else
	// a key derived from the IdP private key.
	SessionKey []byte
	// SessionLifetime is how long a sign-in lasts. Zero: the configuration's
	// session_lifetime, else 8 hours.
	SessionLifetime time.Duration
	// SecureCookies marks cookies Secure. Serve sets it when serving TLS;
	// set it behind a TLS-terminating proxy.
	SecureCookies bool
	// AllowSHA1Requests accepts rsa-sha1 signatures on AuthnRequests.
	AllowSHA1Requests bool
	// MaxLoginFailures is how many failed logins per user and client
	// address are allowed before back-off (429). Zero means 5.
	MaxLoginFailures int
	// TLSCertFile and TLSKeyFile make Serve speak HTTPS.
	TLSCertFile, TLSKeyFile string
	// SCIMStore holds the provisioned users and groups: the Identity
	// Center-like SP signs in only its active users, and /scim shows it
	// with the provisioning log. Nil: SCIM is off, and both say so.
	SCIMStore scim.Store
	// SCIM, when set, is mounted at /scim/v2 with that prefix stripped
	// (scim.NewServer). It keeps its own body limit and error shape.
	SCIM http.Handler
	// Version is what /healthz?verbose=1 and Serve's start-up log line
	// report; the zero value means ReadVersion(Version{}).
	Version Version
}

// SCIMPrefix is where Options.SCIM is mounted, under the base URL.
const SCIMPrefix = "/scim/v2"

// maxBodyBytes caps POST bodies: a 256 KiB request in base64 plus
// RelayState fits.
const maxBodyBytes = 1 << 20

type server struct {
	tenant          *idp.Tenant
	log             *slog.Logger
	clock           func() time.Time
	signer          signer
	sessionLifetime time.Duration
	secureCookies   bool
	scim            http.Handler
	demo            bool
	policy          *saml.InboundPolicy
	usedPending     *saml.MemoryReplayCache
	usedTestSP      *saml.MemoryReplayCache
	throttle        *throttle
	metadata        []byte
	idpCerts        []*x509.Certificate // the test SP's trust anchor, read from metadata
	pages           *pages
	cop             *http.CrossOriginProtection
	scimStore       scim.Store // nil: SCIM is off
	version         Version
}

// New returns the IdP's HTTP handler for tenant t. Routes:
//
//	GET       /metadata              IdP metadata
//	GET, POST /sso                   AuthnRequest (HTTP-Redirect, HTTP-POST)
//	GET       /apps                  app launcher of the signed-in user
//	GET       /apps/{app}/start      IdP-initiated sign-in (?RelayState=, ?debug=1)
//	GET, POST /login                 password form (and demo user picker)
//	POST      /logout                sign out
//	GET, POST /slo                   SAML Single Logout
//	GET       /healthz               health check ("ok"; ?verbose=1: JSON with the version)
//	GET       /test-sp               built-in test SP; /test-sp/login starts
//	POST      /test-sp/acs           SP-initiated sign-in, its ACS shows the result
//	GET       /identity-center       the IAM Identity Center-like SP; /identity-center/login
//	POST      /identity-center/acs   starts SP-initiated sign-in, its ACS signs in provisioned users
//	GET       /scim                  provisioned users and groups, the provisioning log
//	GET, POST /inspect               paste-box debugger: decode, verify, lint a message
//	GET       /static/style.css      the one stylesheet
func New(t *idp.Tenant, opts Options) (http.Handler, error) {
	sv, err := newServer(t, opts)
	if err != nil {
		return nil, err
	}
	return sv.handler(), nil
}

func newServer(t *idp.Tenant, opts Options) (*server, error) {
	if t == nil {
		return nil, errors.New("web: no tenant")
	}
	sv := &server{
		tenant: t, log: opts.Logger, clock: opts.Clock, secureCookies: opts.SecureCookies, scim: opts.SCIM,
		demo:        t.Config.IdP.Demo,
		scimStore:   opts.SCIMStore,
		usedPending: saml.NewMemoryReplayCache(100000),
		usedTestSP:  saml.NewMemoryReplayCache(10000),
	}
	if sv.log == nil {
		sv.log = slog.Default()
	}
	if sv.clock == nil {
		sv.clock = time.Now
	}
	key := opts.SessionKey
	if key == nil {
		k, err := sessionKey(t, os.Getenv)
		if err != nil {
			return nil, err
		}
		key = k
	}
	sv.signer = signer{key: key}
	sv.sessionLifetime = opts.SessionLifetime
	if sv.sessionLifetime <= 0 {
		sv.sessionLifetime = t.Config.IdP.SessionLifetime.Value()
	}
	if sv.sessionLifetime <= 0 {
		sv.sessionLifetime = 8 * time.Hour
	}
	sv.throttle = newThrottle(opts.MaxLoginFailures)
	sv.version = opts.Version
	if sv.version.GoVersion == "" {
		sv.version = ReadVersion(Version{})
	}
	sv.policy = &saml.InboundPolicy{
		SSOURL: t.SSOURL(), SLOURL: t.SLOURL(),
		LookupSP:  sv.lookupSP,
		Clock:     clockFunc(sv.now),
		Replay:    saml.NewMemoryReplayCache(100000),
		AllowSHA1: opts.AllowSHA1Requests,
	}
	md, err := t.Metadata()
	if err != nil {
		return nil, fmt.Errorf("web: metadata: %w", err)
	}
	sv.metadata = md
	// The test SP trusts what the metadata says, as a real SP would.
	if _, certs, err := saml.CertificatesFromMetadata(md); err == nil && len(certs) > 0 {
		sv.idpCerts = certs
	} else if t.KeyPair != nil {
		sv.idpCerts = []*x509.Certificate{t.KeyPair.Certificate}
	}
	sv.pages, err = loadPages()
	if err != nil {
		return nil, err
	}
	sv.cop = http.NewCrossOriginProtection()
	// SAML messages arrive cross-site by design; they carry their own proof.
	sv.cop.AddInsecureBypassPattern("POST /sso")
	sv.cop.AddInsecureBypassPattern("POST /slo")
	sv.cop.AddInsecureBypassPattern("POST /test-sp/acs")
	sv.cop.AddInsecureBypassPattern("POST /identity-center/acs")
	sv.cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sv.fail(w, r, http.StatusForbidden, "Cross-site request refused",
			"This form was posted from another site. Go back to the samlab page and try again.")
	}))
	return sv, nil
}

// mountSCIM sends /scim/v2 and below to the SCIM handler, ahead of the
// browser-facing layers (cross-origin checks, the HTML 413 page): SCIM
// clients are servers and get IdC's JSON answers.
func (sv *server) mountSCIM(next http.Handler) http.Handler {
	if sv.scim == nil {
		return next
	}
	scim := http.StripPrefix(SCIMPrefix, sv.scim)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := r.URL.Path
		if p == SCIMPrefix || strings.HasPrefix(p, SCIMPrefix+"/") {
			scim.ServeHTTP(w, r)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// clockFunc adapts a func to saml.Clock.
type clockFunc func() time.Time

func (f clockFunc) Now() time.Time { return f() }

func (sv *server) now() time.Time { return sv.clock() }

func (sv *server) handler() http.Handler {
	r := mux.NewRouter()
	// No path cleaning: gorilla's cleaning answers 301 to "//evil.com/.."
	// paths (SEC-23); unclean paths simply do not match.
	r.SkipClean(true)
	r.HandleFunc("/metadata", sv.handleMetadata).Methods(http.MethodGet, http.MethodHead)
	r.HandleFunc("/sso", sv.handleSSO).Methods(http.MethodGet, http.MethodPost)
	r.HandleFunc("/apps", sv.handleApps).Methods(http.MethodGet, http.MethodHead)
	r.HandleFunc("/apps/{app}/start", sv.handleStart).Methods(http.MethodGet)
	r.HandleFunc("/login", sv.handleLoginPage).Methods(http.MethodGet, http.MethodHead)
	r.HandleFunc("/login", sv.handleLogin).Methods(http.MethodPost)
	r.HandleFunc("/logout", sv.handleLogout).Methods(http.MethodPost)
	r.HandleFunc("/slo", sv.handleSLO).Methods(http.MethodGet, http.MethodPost)
	r.HandleFunc("/healthz", sv.handleHealth).Methods(http.MethodGet, http.MethodHead)
	r.HandleFunc("/test-sp", sv.handleTestSP).Methods(http.MethodGet, http.MethodHead)
	r.HandleFunc("/test-sp/login", sv.handleTestSPLogin).Methods(http.MethodGet)
	r.HandleFunc("/test-sp/acs", sv.handleTestSPACS).Methods(http.MethodPost)
	r.HandleFunc("/identity-center", sv.handleIdC).Methods(http.MethodGet, http.MethodHead)
	r.HandleFunc("/identity-center/login", sv.handleIdCLogin).Methods(http.MethodGet)
	r.HandleFunc("/identity-center/acs", sv.handleIdCACS).Methods(http.MethodPost)
	r.HandleFunc("/scim", sv.handleSCIMPage).Methods(http.MethodGet, http.MethodHead)
	r.HandleFunc("/inspect", sv.handleInspectPage).Methods(http.MethodGet, http.MethodHead)
	r.HandleFunc("/inspect", sv.handleInspect).Methods(http.MethodPost)
	r.HandleFunc("/static/style.css", sv.handleCSS).Methods(http.MethodGet, http.MethodHead)
	r.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/apps", http.StatusSeeOther)
	}).Methods(http.MethodGet, http.MethodHead)
	r.NotFoundHandler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sv.fail(w, r, http.StatusNotFound, "Not found", "There is no page at this address.")
	})
	r.MethodNotAllowedHandler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sv.fail(w, r, http.StatusMethodNotAllowed, "Method not allowed", "This address does not accept "+r.Method+" requests.")
	})
	var h http.Handler = r
	h = sv.cop.Handler(h)
	h = sv.limitBody(h)
	h = sv.mountSCIM(h)
	h = sv.securityHeaders(h)
	h = sv.recoverer(h)
	h = sv.accessLog(h)
	return h
}

func (sv *server) lookupSP(entityID string) (*saml.RequestSP, bool) {
	a, ok := sv.tenant.AppByEntityID(entityID)
	if !ok {
		return nil, false
	}
	return &saml.RequestSP{
		EntityID: a.EntityID, ACSURLs: a.ACSURLs,
		RequireSigned: a.RequireSignedRequests, Certificates: a.SPCertificates,
	}, true
}

func (sv *server) handleMetadata(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/samlmetadata+xml")
	w.Header().Set("Content-Disposition", `inline; filename="samlab-idp-metadata.xml"`)
	w.Write(sv.metadata)
}

func (sv *server) handleHealth(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	if v := r.URL.Query().Get("verbose"); v != "" && v != "0" && v != "false" {
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(struct {
			Status string `json:"status"`
			Version
			Demo bool `json:"demo"`
		}{"ok", sv.version, sv.demo})
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	fmt.Fprintln(w, "ok")
}

// Serve runs the IdP on addr until ctx is done or the process gets SIGINT or
// SIGTERM, then shuts down gracefully (in-flight requests get 10 seconds).
// With opts.TLSCertFile and TLSKeyFile it serves HTTPS and marks cookies
// Secure.
func Serve(ctx context.Context, t *idp.Tenant, addr string, opts Options) error {
	useTLS := opts.TLSCertFile != "" || opts.TLSKeyFile != ""
	if useTLS {
		opts.SecureCookies = true
	}
	if opts.Version.GoVersion == "" {
		opts.Version = ReadVersion(Version{})
	}
	h, err := New(t, opts)
	if err != nil {
		return err
	}
	log := opts.Logger
	if log == nil {
		log = slog.Default()
	}
	srv := NewHTTPServer(addr, h, log)
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("web: %w", err)
	}
	if u, err := url.Parse(t.BaseURL); err == nil {
		_, lport, _ := net.SplitHostPort(ln.Addr().String())
		bport := u.Port()
		if bport == "" {
			bport = map[string]string{"http": "80", "https": "443"}[u.Scheme]
		}
		if bport != lport {
			// Fine behind a proxy; otherwise SPs and the test SP are sent
			// to an address nobody serves.
			log.Warn("listening on another port than base_url; SAML endpoints, the metadata and the test SP use base_url",
				"addr", ln.Addr().String(), "base_url", t.BaseURL)
		}
	}
	if t.Config.IdP.Demo && !isLoopbackAddr(ln.Addr()) {
		log.Warn(demoExposedWarning, "addr", ln.Addr().String())
	}
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	errc := make(chan error, 1)
	go func() {
		scheme := "http"
		if useTLS {
			scheme = "https"
		}
		log.Info("listening", "addr", ln.Addr().String(), "scheme", scheme, "base_url", t.BaseURL,
			"entity_id", t.EntityID, "demo", t.Config.IdP.Demo,
			"version", opts.Version.Version, "revision", opts.Version.Revision, "modified", opts.Version.Modified,
			"build_time", opts.Version.BuildTime, "go", opts.Version.GoVersion)
		if useTLS {
			errc <- srv.ServeTLS(ln, opts.TLSCertFile, opts.TLSKeyFile)
		} else {
			errc <- srv.Serve(ln)
		}
	}()
	select {
	case err := <-errc:
		return fmt.Errorf("web: %w", err)
	case <-ctx.Done():
	}
	log.Info("shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return fmt.Errorf("web: shutdown: %w", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("web: %w", err)
	}
	return nil
}

// demoExposedWarning is logged when the demo tenant listens on an address
// other machines can reach: the demo's login page lists the users with their
// passwords and signs anyone in with one click.
const demoExposedWarning = "DEMO MODE IS REACHABLE FROM OTHER MACHINES: " +
	"anyone who can connect to this address can sign in as any demo user with one click and get signed SAML responses; " +
	"listen on 127.0.0.1 (--addr 127.0.0.1:8080), publish a container's port on loopback only (docker run -p 127.0.0.1:8080:8080 ...), " +
	"or serve a configuration of your own without demo = true"

// isLoopbackAddr reports whether a listener's address is reachable from
// this machine only. The unspecified address (0.0.0.0, ::) is every
// interface: not loopback.
func isLoopbackAddr(a net.Addr) bool {
	host := a.String()
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// NewHTTPServer returns an http.Server with the timeouts and limits samlab
// uses: slow clients cannot hold connections (ReadHeaderTimeout) and a
// request line plus headers is at most 64 KiB (a Redirect-binding message
// above that gets 431 before any handler runs).
func NewHTTPServer(addr string, h http.Handler, log *slog.Logger) *http.Server {
	return &http.Server{
		Addr:              addr,
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
		TLSConfig:         &tls.Config{MinVersion: tls.VersionTLS12},
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
}
