package idp

import (
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"crypto/x509"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/samlab/samlab/certs"
	"github.com/samlab/samlab/claims"
	"github.com/samlab/samlab/config"
	"github.com/samlab/samlab/saml"
)

// Options tune New. The zero value uses the system clock, random IDs and
// the per-user state directory for a generated key.
type Options struct {
	// Clock gives the time of issued responses; nil means time.Now.
	Clock func() time.Time
	// IDs makes response and assertion IDs; nil means random.
	IDs saml.IDSource
	// StateDir keeps the generated signing key when the configuration
	// names none; "" means certs.DefaultStateDir().
	StateDir string
	// KeyPair, when set, is used instead of the configured or generated
	// key (tests, reproducible samples).
	KeyPair *certs.KeyPair
	// Logger receives load-time warnings; nil discards them.
	Logger *slog.Logger
}

// Tenant is a loaded, validated tenant ready to issue responses. It is
// safe for concurrent use.
type Tenant struct {
	Config    *config.Config
	Directory *claims.Directory
	KeyPair   *certs.KeyPair
	// EntityID is the IdP's entity id; BaseURL has no trailing slash.
	EntityID string
	BaseURL  string
	// Warnings are problems that do not stop the tenant: configuration
	// warnings and lint findings for individual users' claims.
	Warnings []string

	issuer    *saml.Issuer
	clock     func() time.Time
	apps      []*App
	byName    map[string]*App
	byEntity  map[string]*App
	users     map[string]*config.User
	dummyHash []byte
}

// New loads a tenant: it builds the directory, compiles and lints every
// app's rules and loads (or generates once) the signing key. All problems
// are reported at once.
func New(cfg *config.Config, opts Options) (*Tenant, error) {
	if cfg == nil {
		return nil, errors.New("idp: no configuration")
	}
	t := &Tenant{
		Config:   cfg,
		EntityID: cfg.IdP.EntityID,
		BaseURL:  strings.TrimRight(cfg.IdP.BaseURL, "/"),
		Warnings: append([]string(nil), cfg.Warnings...),
		clock:    opts.Clock,
		byName:   map[string]*App{},
		byEntity: map[string]*App{},
		users:    map[string]*config.User{},
	}
	if t.clock == nil {
		t.clock = time.Now
	}
	kp, err := loadKey(cfg, opts)
	if err != nil {
		return nil, err
	}
	t.KeyPair = kp

	issuerID := cfg.IdP.Issuer
	if issuerID == "" {
		issuerID = t.EntityID
	}
	dir, err := claims.NewDirectory(claims.Tenant{
		ID:              cfg.IdP.TenantID,
		Issuer:          "https://sts.windows.net/" + cfg.IdP.TenantID + "/",
		VerifiedDomains: cfg.IdP.VerifiedDomains,
		PairwiseSecret:  pairwiseSecret(kp),
	}, cfg.ClaimsUsers(), cfg.Groups)
	if err != nil {
		return nil, fmt.Errorf("idp: %s: %w", sourceName(cfg), err)
	}
	t.Directory = dir
	t.issuer = &saml.Issuer{EntityID: issuerID, Key: kp.Signer, Certificate: kp.Certificate, Clock: clockFunc(t.clock), IDs: opts.IDs}
	for i := range cfg.Users {
		t.users[cfg.Users[i].ID] = &cfg.Users[i]
	}

	var problems []error
	for i := range cfg.Apps {
		a, err := t.loadApp(&cfg.Apps[i])
		if err != nil {
			problems = append(problems, err)
			continue
		}
		t.apps = append(t.apps, a)
		t.byName[a.Name] = a
		t.byEntity[a.EntityID] = a
	}
	if len(problems) > 0 {
		return nil, errors.Join(problems...)
	}
	for _, a := range t.apps {
		t.Warnings = append(t.Warnings, t.lintUsers(a)...)
	}
	// An unknown user's password, and a plain-password user's, is also
	// compared with this hash, at the highest cost of the configured
	// hashes, so that no sign-in answers faster than a wrong password for
	// a hashed user and timing does not tell which user names exist
	// (SEC-25). With no hashed users nobody pays for bcrypt.
	if cost := maxBcryptCost(cfg.Users); cost > 0 {
		t.dummyHash, err = bcrypt.GenerateFromPassword([]byte("samlab-dummy-password"), cost)
		if err != nil {
			return nil, fmt.Errorf("idp: %w", err)
		}
	}
	if opts.Logger != nil {
		for _, w := range t.Warnings {
			opts.Logger.Warn("configuration", "warning", w)
		}
	}
	return t, nil
}

func loadKey(cfg *config.Config, opts Options) (*certs.KeyPair, error) {
	if opts.KeyPair != nil {
		return opts.KeyPair, nil
	}
	if cfg.IdP.Key != "" || cfg.IdP.Cert != "" {
		kp, err := certs.Load(cfg.IdP.Key, cfg.IdP.Cert)
		if err != nil {
			return nil, fmt.Errorf("idp: signing key: %w", err)
		}
		return kp, nil
	}
	dir := opts.StateDir
	if dir == "" {
		d, err := certs.DefaultStateDir()
		if err != nil {
			return nil, fmt.Errorf("idp: no signing key configured and no state directory: %w", err)
		}
		dir = d
	}
	alg := cfg.IdP.KeyAlgorithm
	if alg == "" {
		alg = certs.DefaultAlgorithm
	}
	kp, created, err := certs.LoadOrCreate(dir, alg)
	if err != nil {
		return nil, fmt.Errorf("idp: development signing key: %w", err)
	}
	if opts.Logger != nil {
		verb := "using"
		if created {
			verb = "generated"
		}
		opts.Logger.Info(verb+" the development signing key (no idp.key configured); service providers that trust it keep working across restarts",
			"key", kp.KeyPath, "cert", kp.CertPath, "algorithm", kp.Algorithm(), "fingerprint", kp.Fingerprint())
	}
	return kp, nil
}

// pairwiseSecret keys pairwise NameIDs with a value derived from the
// signing key, so they are stable for as long as the key is and cannot be
// computed by someone who knows only the tenant, app and user ids.
func pairwiseSecret(kp *certs.KeyPair) []byte {
	der, err := x509.MarshalPKCS8PrivateKey(kp.Signer)
	if err != nil {
		return nil
	}
	m := hmac.New(sha256.New, der)
	m.Write([]byte("samlab pairwise NameID v1"))
	return m.Sum(nil)
}

type clockFunc func() time.Time

func (f clockFunc) Now() time.Time { return f() }

func sourceName(cfg *config.Config) string {
	if cfg.Source == "" {
		return "configuration"
	}
	return cfg.Source
}

// Apps returns the tenant's apps in configuration order.
func (t *Tenant) Apps() []*App { return t.apps }

// App returns the app with the given name.
func (t *Tenant) App(name string) (*App, bool) {
	a, ok := t.byName[name]
	return a, ok
}

// AppByEntityID returns the app whose SP entity id is entityID.
func (t *Tenant) AppByEntityID(entityID string) (*App, bool) {
	a, ok := t.byEntity[entityID]
	return a, ok
}

// Users returns the configured users in configuration order.
func (t *Tenant) Users() []*config.User {
	out := make([]*config.User, len(t.Config.Users))
	for i := range t.Config.Users {
		out[i] = &t.Config.Users[i]
	}
	return out
}

// User returns the directory user with the given id.
func (t *Tenant) User(id string) (*claims.User, bool) {
	return t.Directory.User(id)
}

// AppsFor returns the apps a user may sign in to, in configuration order.
func (t *Tenant) AppsFor(userID string) []*App {
	u, ok := t.Directory.User(userID)
	if !ok {
		return nil
	}
	var out []*App
	for _, a := range t.apps {
		if a.assigned(t.Directory, u) {
			out = append(out, a)
		}
	}
	return out
}

// Authenticate checks a user's password. The check takes as long for an
// unknown user, or a user with a plain password, as for a user with a
// bcrypt hash (bcrypt against a dummy hash of the highest configured cost),
// and plain passwords are compared in constant time.
func (t *Tenant) Authenticate(userID, password string) (*claims.User, error) {
	cu, known := t.users[userID]
	ok := false
	switch {
	case !known:
		t.dummyCompare(password)
	case cu.PasswordHash != "":
		ok = bcrypt.CompareHashAndPassword([]byte(cu.PasswordHash), []byte(password)) == nil
	case cu.Password != "":
		want := sha256.Sum256([]byte(cu.Password))
		got := sha256.Sum256([]byte(password))
		ok = subtle.ConstantTimeCompare(want[:], got[:]) == 1
		t.dummyCompare(password)
	default:
		// A user without credentials cannot sign in with a password.
		t.dummyCompare(password)
	}
	if !ok {
		return nil, ErrBadCredentials
	}
	u, _ := t.Directory.User(userID)
	return u, nil
}

// SSOURL, SLOURL and MetadataURL are the IdP's endpoints under BaseURL.
func (t *Tenant) SSOURL() string      { return t.BaseURL + "/sso" }
func (t *Tenant) SLOURL() string      { return t.BaseURL + "/slo" }
func (t *Tenant) MetadataURL() string { return t.BaseURL + "/metadata" }

// Metadata returns the IdP's SAML metadata document.
func (t *Tenant) Metadata() ([]byte, error) {
	allSigned := len(t.apps) > 0
	for _, a := range t.apps {
		allSigned = allSigned && a.RequireSignedRequests
	}
	return saml.IdPMetadata(saml.IdPMetadataConfig{
		EntityID:                t.EntityID,
		SSOURL:                  t.SSOURL(),
		SLOURL:                  t.SLOURL(),
		Certificate:             t.KeyPair.Certificate,
		WantAuthnRequestsSigned: allSigned,
	})
}

// Now is the tenant's clock.
func (t *Tenant) Now() time.Time { return t.clock() }

// Issuer returns the response issuer (entity id, key, clock).
func (t *Tenant) Issuer() *saml.Issuer { return t.issuer }

// dummyCompare spends what a bcrypt check of a configured hash costs; it
// does nothing when no user has a bcrypt hash.
func (t *Tenant) dummyCompare(password string) {
	if t.dummyHash != nil {
		_ = bcrypt.CompareHashAndPassword(t.dummyHash, []byte(password))
	}
}

// maxBcryptCost returns the highest cost among the users' bcrypt hashes,
// 0 when none has one.
func maxBcryptCost(users []config.User) int {
	cost := 0
	for _, u := range users {
		if u.PasswordHash == "" {
			continue
		}
		if c, err := bcrypt.Cost([]byte(u.PasswordHash)); err == nil {
			cost = max(cost, c)
		}
	}
	return cost
}
