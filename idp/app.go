package idp

import (
	"crypto"
	"crypto/x509"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/samlab/samlab/aws"
	"github.com/samlab/samlab/certs"
	"github.com/samlab/samlab/claims"
	"github.com/samlab/samlab/config"
	"github.com/samlab/samlab/saml"
)

// App is one service provider with its compiled claim rules and the
// response options its profile and configuration give.
type App struct {
	Name, DisplayName, EntityID string
	// ACSURLs are matched exactly; the first is the default.
	ACSURLs []string
	Profile aws.Profile
	// RequireSignedRequests refuses AuthnRequests not signed by one of
	// SPCertificates.
	RequireSignedRequests bool
	SPCertificates        []*x509.Certificate
	// SLOURL is the SP's SingleLogoutService, "" when unknown.
	SLOURL       string
	DebugView    bool
	AllowInvalid bool
	// RelayState is sent with IdP-initiated responses.
	RelayState string
	// Builtin is "test-sp" for samlab's own test SP.
	Builtin string
	// TestSPKey is the built-in test SP's decryption key
	// ([apps.test_sp] decryption_key), nil when none is configured.
	TestSPKey crypto.Signer
	// Options are the response options (signing, algorithm, lifetime,
	// Azure shape, encryption).
	Options saml.ResponseOptions
	// Config is the app's configuration entry, with profile defaults not
	// applied.
	Config *config.App

	engine   *claims.Engine
	policy   claims.Policy
	assigned func(*claims.Directory, *claims.User) bool
}

// Engine returns the app's compiled claim rules.
func (a *App) Engine() *claims.Engine { return a.engine }

// Policy returns the app's claim policy with profile defaults applied.
func (a *App) Policy() claims.Policy { return a.policy }

// ACSAllowed reports whether acs is one of the app's registered ACS URLs,
// compared as exact strings: no normalisation of case, slashes or query.
func (a *App) ACSAllowed(acs string) bool {
	return slices.Contains(a.ACSURLs, acs)
}

// Assigned reports whether the user may sign in to the app.
func (a *App) Assigned(dir *claims.Directory, u *claims.User) bool {
	return a.assigned(dir, u)
}

func (t *Tenant) loadApp(ca *config.App) (*App, error) {
	where := fmt.Sprintf("%s: app %q", t.Config.Position(ca.Name, -1), ca.Name)
	profileName := ca.Profile
	if profileName == "" {
		profileName = config.ProfileGeneric
	}
	profile, err := aws.ProfileByName(profileName)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", where, err)
	}
	a := &App{
		Name:                  ca.Name,
		DisplayName:           ca.DisplayName,
		EntityID:              ca.EntityID,
		ACSURLs:               ca.ACSURLs,
		Profile:               profile,
		RequireSignedRequests: ca.RequireSignedRequests,
		DebugView:             ca.DebugView,
		AllowInvalid:          ca.AllowInvalid,
		RelayState:            ca.RelayState,
		SLOURL:                ca.SLOURL,
		Builtin:               ca.Builtin,
		Config:                ca,
	}
	if a.DisplayName == "" {
		a.DisplayName = a.Name
	}
	var problems []error
	if a.Options, err = t.responseOptions(ca, profile); err != nil {
		problems = append(problems, fmt.Errorf("%s: %w", where, err))
	}
	if ts := ca.TestSP; ts != nil && ts.DecryptionKey != "" {
		kp, err := certs.Load(ts.DecryptionKey, ts.DecryptionCert)
		if err != nil {
			problems = append(problems, fmt.Errorf("%s: test_sp: %w", where, err))
		} else {
			a.TestSPKey = kp.Signer
		}
	}
	if ca.SPCert != "" {
		c, err := certs.LoadCertificate(ca.SPCert)
		if err != nil {
			problems = append(problems, fmt.Errorf("%s: sp_cert: %w", where, err))
		} else {
			a.SPCertificates = append(a.SPCertificates, c)
		}
	}
	for i, b64 := range ca.SPCerts {
		c, err := certs.ParseCertificateBase64(b64)
		if err != nil {
			problems = append(problems, fmt.Errorf("%s: metadata signing certificate %d: %w", where, i+1, err))
			continue
		}
		a.SPCertificates = append(a.SPCertificates, c)
	}

	r := compileRules(t.Config, ca, profile, t.Directory)
	a.policy, a.engine = r.policy, r.engine
	problems = append(problems, r.problems...)
	t.Warnings = append(t.Warnings, r.warnings...)
	if len(problems) > 0 {
		return nil, errors.Join(problems...)
	}
	a.assigned = t.assignment(ca.Name)
	return a, nil
}

// rules is one app's compiled claim rules with what their checks found.
type rules struct {
	policy   claims.Policy
	engine   *claims.Engine
	problems []error  // *config.Problem, at the line of each rule
	warnings []string // "file:line: where: finding"
}

// compileRules fills the profile's defaults into an app's policy, compiles
// it and lints it under the profile. dir may be nil (scoped groups and
// NameID Join domains are then not checked against the tenant).
func compileRules(cfg *config.Config, ca *config.App, profile aws.Profile, dir *claims.Directory) rules {
	var r rules
	// Profile defaults fill what the file leaves unset.
	r.policy = ca.Policy
	if r.policy.NameID.Format == "" {
		r.policy.NameID.Format = profile.NameIDFormat
	}
	app := appPath(cfg, ca)
	eng, err := claims.Compile(claims.App{Name: ca.Name, ID: ca.EntityID}, r.policy, claims.CompileOptions{
		Extensions:       cfg.AttributeNames(),
		Directory:        dir,
		CustomSigningKey: ca.CustomSigningKey,
	})
	if err != nil {
		r.problems = append(r.problems, positioned(cfg, ca, app, err)...)
	}
	r.engine = eng
	for _, f := range aws.LintPolicy(r.policy, profile) {
		p := cfg.ProblemAt(app, f.String(), nil)
		if f.Severity == aws.Error && !ca.AllowInvalid {
			r.problems = append(r.problems, p)
		} else {
			r.warnings = append(r.warnings, p.Error())
		}
	}
	return r
}

// appPath is the indexed path of the app's entry ("apps[2]").
func appPath(cfg *config.Config, ca *config.App) string {
	for i := range cfg.Apps {
		if &cfg.Apps[i] == ca {
			return fmt.Sprintf("apps[%d]", i)
		}
	}
	return "apps"
}

// positioned turns each rule error into a config.Problem at the line of
// its rule: "tenant.toml:31: apps[aws]: claims[Role]: source: ...".
func positioned(cfg *config.Config, ca *config.App, app string, err error) []error {
	var out []error
	for _, e := range unjoin(err) {
		path, msg := app, e.Error()
		var re *claims.RuleError
		if errors.As(e, &re) {
			path = rulePath(ca, app, re.Rule)
			msg = re.Err.Error()
			if re.Field != "" {
				msg = re.Field + ": " + msg
			}
		}
		out = append(out, cfg.ProblemAt(path, msg, e))
	}
	return out
}

// rulePath is the indexed path of the rule a RuleError names: a claim by
// name or "#n", the NameID or the group claim; the app for the others.
func rulePath(ca *config.App, app, rule string) string {
	for i, r := range ca.Claims {
		if r.Name == rule || r.Name == "" && rule == fmt.Sprintf("#%d", i+1) {
			return fmt.Sprintf("%s.claims[%d]", app, i)
		}
	}
	switch rule {
	case "nameid", "group_claim":
		return app + "." + rule
	}
	return app
}

// CheckRules compiles and lints the claim rules of every app in cfg, as
// New does, and returns what it finds as *config.Problem errors (joined),
// without loading keys or building the tenant, so that it can run on the
// partial configuration config.ParsePartial returns. reported is what the
// configuration checks already found (nil for none): an app whose profile
// is unknown is skipped, and a rule that already has a problem is not
// reported again, since what the engine would add is a knock-on of it.
func CheckRules(cfg *config.Config, reported error) error {
	seen := map[string]bool{}
	for _, e := range unjoin(reported) {
		var p *config.Problem
		if errors.As(e, &p) {
			seen[ruleKey(p)] = true
		}
	}
	dir, err := claims.NewDirectory(claims.Tenant{ID: cfg.IdP.TenantID, VerifiedDomains: cfg.IdP.VerifiedDomains}, cfg.ClaimsUsers(), cfg.Groups)
	if err != nil {
		dir = nil // the configuration checks report what is wrong with it
	}
	var out []error
	for i := range cfg.Apps {
		ca := &cfg.Apps[i]
		profileName := ca.Profile
		if profileName == "" {
			profileName = config.ProfileGeneric
		}
		profile, err := aws.ProfileByName(profileName)
		if err != nil {
			continue
		}
		for _, e := range compileRules(cfg, ca, profile, dir).problems {
			var p *config.Problem
			if errors.As(e, &p) && seen[ruleKey(p)] {
				continue
			}
			out = append(out, e)
		}
	}
	return errors.Join(out...)
}

// ruleKey is the rule part of a problem's place: "apps[aws]: claims[Role]"
// from "apps[aws]: claims[Role]: conditions[0]: user_type"; for a problem
// of the app itself, the app and the key the message starts with
// ("apps[aws]: attribute_name_format").
func ruleKey(p *config.Problem) string {
	parts := strings.SplitN(p.Where, ": ", 3)
	if len(parts) >= 2 {
		return parts[0] + ": " + parts[1]
	}
	field, _, _ := strings.Cut(p.Msg, ":")
	return p.Where + ": " + field
}

func unjoin(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		var out []error
		for _, e := range j.Unwrap() {
			out = append(out, unjoin(e)...)
		}
		return out
	}
	return []error{err}
}

// assignment returns the app's admission rule (see the package doc).
func (t *Tenant) assignment(app string) func(*claims.Directory, *claims.User) bool {
	required := false
	for _, u := range t.Config.Users {
		if _, ok := u.AppRoles[app]; ok {
			required = true
		}
	}
	groups := map[string]bool{}
	for _, g := range t.Config.Groups {
		if slices.Contains(g.AssignedTo, app) {
			groups[g.ID] = true
			required = true
		}
	}
	if !required {
		return func(*claims.Directory, *claims.User) bool { return true }
	}
	return func(dir *claims.Directory, u *claims.User) bool {
		if _, ok := u.AppRoles[app]; ok {
			return true
		}
		// Entra ID admits direct members of an assigned group only.
		for _, g := range u.Groups {
			if groups[g] {
				return true
			}
		}
		return false
	}
}

// responseOptions turns the app's configuration and profile into the
// builder's options.
func (t *Tenant) responseOptions(ca *config.App, p aws.Profile) (saml.ResponseOptions, error) {
	o := saml.ResponseOptions{
		Signing:     ca.Signing,
		Algorithm:   ca.SignatureAlgorithm,
		Lifetime:    ca.Lifetime.Value(),
		ClockOffset: ca.ClockOffset.Value(),
		AzureShape:  ca.AzureShape,
		// goxmldsig-based SPs read only ASN.1 ECDSA values.
		ECDSASignatureASN1: ca.ECDSASignatureFormat == "asn1",
	}
	if o.Signing == "" {
		o.Signing = p.Signing
	}
	if o.Lifetime == 0 && !ca.AzureShape {
		o.Lifetime = p.Lifetime
	}
	if ca.AzureShape {
		o.AzureTenantID = t.Config.IdP.TenantID
	}
	switch o.Algorithm {
	case "", saml.AlgRSASHA256, saml.AlgRSASHA512, saml.AlgRSASHA1, saml.AlgECDSASHA256:
	default:
		return o, fmt.Errorf("signature_algorithm %q is not supported by the signer; use rsa-sha256, rsa-sha512, ecdsa-sha256 or rsa-sha1", o.Algorithm)
	}
	if o.Algorithm == "" && p.Algorithm != "" && keyMatches(t.KeyPair, p.Algorithm) {
		o.Algorithm = p.Algorithm
	}
	if ca.Encrypt != nil {
		var cert *x509.Certificate
		var err error
		switch {
		case ca.Encrypt.Cert != "":
			cert, err = certs.LoadCertificate(ca.Encrypt.Cert)
		case ca.Encrypt.CertData != "":
			cert, err = certs.ParseCertificateBase64(ca.Encrypt.CertData)
		default:
			err = errors.New("encrypt: no certificate; set encrypt.cert or give metadata with an encryption key")
		}
		if err != nil {
			return o, fmt.Errorf("encrypt: %w", err)
		}
		switch ca.Encrypt.Method {
		case "", saml.EncryptAES256GCM, saml.EncryptAES128CBC:
		default:
			return o, fmt.Errorf("encrypt.method %q is not supported; use aes256-gcm or aes128-cbc", ca.Encrypt.Method)
		}
		o.Encrypt = &saml.EncryptOptions{Certificate: cert, Method: ca.Encrypt.Method}
	}
	return o, nil
}

// keyMatches reports whether a profile's default algorithm fits the key
// (an ECDSA key cannot make RSA signatures).
func keyMatches(kp *certs.KeyPair, alg string) bool {
	isEC := kp.Certificate.PublicKeyAlgorithm == x509.ECDSA
	return isEC == (alg == saml.AlgECDSASHA256)
}
