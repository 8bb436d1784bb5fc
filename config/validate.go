package config

import (
	"errors"
	"fmt"
	"maps"
	"net"
	"net/url"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/samlab/samlab/aws/idc"
	"github.com/samlab/samlab/claims"
)

// Problem is one thing wrong with a configuration file. Parse and Load
// return all problems at once, joined with errors.Join; use errors.As to
// get at one.
type Problem struct {
	File string
	Line int // 0 when unknown
	// Where names the entry and key: "apps[aws]: acs_urls[0]".
	Where string
	Msg   string
	// Err is the cause, when the problem comes from another layer (a claim
	// rule error from the claims engine); nil otherwise.
	Err error
}

// Unwrap returns the cause, so errors.Is and errors.As see through.
func (p *Problem) Unwrap() error { return p.Err }

// ProblemAt returns a Problem at the line of an indexed key path such as
// "apps[0].claims[2]" (or of its nearest enclosing key found in the file),
// with the readable place ("apps[aws]: claims[Role]"). Other layers use it
// to report their findings about the file in the same form.
func (c *Config) ProblemAt(path, msg string, cause error) *Problem {
	return &Problem{File: c.Source, Line: c.loc.line(path), Where: c.readable(path), Msg: msg, Err: cause}
}

// Error formats the problem as "file:line: where: message".
func (p *Problem) Error() string {
	var b strings.Builder
	b.WriteString(p.File)
	if p.Line > 0 {
		b.WriteString(":" + strconv.Itoa(p.Line))
	}
	if p.Where != "" {
		b.WriteString(": " + p.Where)
	}
	b.WriteString(": " + p.Msg)
	return b.String()
}

// checker gathers problems and warnings while validating.
type checker struct {
	c        *Config
	dir      string // the configuration file's directory
	problems []error
	warnings []string
}

// validate fills defaults, resolves file paths, reads SP metadata and
// checks everything the claims engine does not, gathering all problems.
func (c *Config) validate(dir string) error {
	k := &checker{c: c, dir: dir}
	// The check table: each check walks the whole config and reports
	// every problem it finds. Order matters only for defaults: the IdP's
	// base URL is needed by built-in apps, app names by user references.
	checks := []func(*checker){
		(*checker).checkIdP,
		(*checker).checkApps,
		(*checker).checkGroups,
		(*checker).checkUsers,
		(*checker).checkSCIM,
	}
	for _, check := range checks {
		check(k)
	}
	c.Warnings = k.warnings
	return errors.Join(k.problems...)
}

// at turns an indexed path into a line and a readable place.
func (k *checker) at(path string) (int, string) {
	return k.c.loc.line(path), k.c.readable(path)
}

// underBadValue says whether path is (inside) a value of the wrong type,
// already reported by the decoder.
func (k *checker) underBadValue(path string) bool {
	for b := range k.c.badPaths {
		if path == b || strings.HasPrefix(path, b+".") || strings.HasPrefix(path, b+"[") {
			return true
		}
	}
	return false
}

// missing reports that entry (an indexed path) lacks key, unless the key
// is there with a value of the wrong type or is a typo already reported.
func (k *checker) missing(entry, key, format string, args ...any) {
	if k.underBadValue(entry + "." + key) {
		return
	}
	k.errf(entry, format, args...)
}

func (k *checker) errf(path, format string, args ...any) {
	if k.underBadValue(path) {
		return
	}
	line, where := k.at(path)
	k.problems = append(k.problems, &Problem{File: k.c.Source, Line: line, Where: where, Msg: fmt.Sprintf(format, args...)})
}

func (k *checker) warnf(path, format string, args ...any) {
	if k.underBadValue(path) {
		return
	}
	line, where := k.at(path)
	p := &Problem{File: k.c.Source, Line: line, Where: where, Msg: fmt.Sprintf(format, args...)}
	// No "warning: " prefix here: whoever prints the warning adds it.
	k.warnings = append(k.warnings, p.Error())
}

// readable turns "apps[0].claims[1].conditions[0].user_type" into
// "apps[aws]: claims[Role]: conditions[0]: user_type".
func (c *Config) readable(path string) string {
	parts := strings.Split(path, ".")
	var app *App
	for i, p := range parts {
		var n int
		switch {
		case i > 0:
			if i == 1 && app != nil && sscan(p, "claims[%d]", &n) && n < len(app.Claims) && app.Claims[n].Name != "" {
				parts[i] = "claims[" + app.Claims[n].Name + "]"
			}
		case sscan(p, "apps[%d]", &n) && n < len(c.Apps):
			app = &c.Apps[n]
			if app.Name != "" {
				parts[i] = "apps[" + app.Name + "]"
			}
		case sscan(p, "users[%d]", &n) && n < len(c.Users) && c.Users[n].ID != "":
			parts[i] = "users[" + c.Users[n].ID + "]"
		case sscan(p, "groups[%d]", &n) && n < len(c.Groups) && c.Groups[n].ID != "":
			parts[i] = "groups[" + c.Groups[n].ID + "]"
		}
	}
	return strings.Join(parts, ": ")
}

func (k *checker) resolve(p string) string {
	if p == "" || filepath.IsAbs(p) {
		return p
	}
	return filepath.Join(k.dir, p)
}

func oneOf(v string, allowed ...string) bool { return slices.Contains(allowed, v) }

// Allowed values, in the order documentation lists them.
var (
	keyAlgorithms       = []string{"rsa-2048", "rsa-3072", "ecdsa-p256"}
	profiles            = []string{ProfileAWSSTS, ProfileAWSIdentityCenter, ProfileGeneric}
	signings            = []string{"assertion", "response", "both"}
	signatureAlgorithms = []string{"rsa-sha256", "rsa-sha512", "rsa-sha1", "ecdsa-sha256"}
	encryptMethods      = []string{"aes256-gcm", "aes128-cbc"}
	userTypes           = []string{string(claims.Member), string(claims.AADGuest), string(claims.ExternalGuest)}
	groupKinds          = []string{string(claims.Security), string(claims.Distribution)}
	conditionUserTypes  = []string{"any", "members", "all_guests", "aad_guests", "external_guests"}
	nameIDFormats       = []string{"default", "email", "persistent", "unspecified", "transient", "windows_domain_qualified_name"}
	nameFormats         = []string{"unspecified", "uri", "basic"}
	groupWhich          = []string{"security", "directory_roles", "all", "application"}
	groupRegexNoMatch   = []string{"groups", "configured_name"}
	requestedUnspec     = []string{"pairwise", "configured"}
	groupFormats        = []string{"object_id", "samaccountname", "netbios_samaccountname", "dns_samaccountname", "sid", "cloud_display_name"}
	filterMatchOn       = []string{"display_name", "samaccountname"}
	filterTypes         = []string{"prefix", "suffix", "contains"}
	builtins            = []string{BuiltinTestSP, BuiltinIdentityCenter}
	idcPrecedences      = []string{"identity-store", "saml"}
)

func list(v []string) string { return strings.Join(v, ", ") }

var (
	guidRE    = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)
	domainRE  = regexp.MustCompile(`^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$`)
	envNameRE = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)
	appNameRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]*$`)
	// bcryptRE is the modular crypt shape of a bcrypt hash: version, two
	// digit cost, 22 characters of salt and 31 of hash in bcrypt's base64.
	bcryptRE = regexp.MustCompile(`^\$2[aby]\$(\d\d)\$[./A-Za-z0-9]{53}$`)
)

func (k *checker) checkIdP() {
	idp := &k.c.IdP
	if idp.BaseURL == "" {
		idp.BaseURL = DefaultBaseURL
	}
	idp.BaseURL = strings.TrimRight(idp.BaseURL, "/")
	if u, err := url.Parse(idp.BaseURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		k.errf("idp.base_url", "%q is not an http or https URL; write it like %q", idp.BaseURL, DefaultBaseURL)
	} else {
		if u.RawQuery != "" || u.Fragment != "" || u.User != nil {
			k.errf("idp.base_url", "%q must have no user, query or fragment", idp.BaseURL)
		}
		if u.Scheme == "http" && !isLoopback(u.Hostname()) {
			k.warnf("idp.base_url", "%q is plain http on a non-loopback host: passwords and sessions travel unencrypted; use https", idp.BaseURL)
		}
		if idp.Demo && !isLoopback(u.Hostname()) {
			k.warnf("idp.demo", "demo mode shows passwords and signs in with one click; it is meant for loopback use, but base_url is %q", idp.BaseURL)
		}
	}
	if idp.EntityID == "" {
		idp.EntityID = idp.BaseURL + "/metadata"
	}
	k.checkText("idp.entity_id", idp.EntityID)
	if idp.Issuer == "" {
		idp.Issuer = idp.EntityID
	}
	k.checkText("idp.issuer", idp.Issuer)
	if idp.TenantID == "" {
		idp.TenantID = DemoTenantID
	}
	if !guidRE.MatchString(idp.TenantID) {
		k.errf("idp.tenant_id", "%q is not a GUID; write it like %q", idp.TenantID, DemoTenantID)
	}
	if (idp.Key == "") != (idp.Cert == "") {
		k.errf("idp.key", "set both key and cert, or neither to have a development key pair generated")
	}
	idp.Key, idp.Cert = k.resolve(idp.Key), k.resolve(idp.Cert)
	if idp.KeyAlgorithm == "" {
		idp.KeyAlgorithm = DefaultKeyAlgorithm
	}
	if !oneOf(idp.KeyAlgorithm, keyAlgorithms...) {
		k.errf("idp.key_algorithm", "unknown key algorithm %q; use one of %s", idp.KeyAlgorithm, list(keyAlgorithms))
	}
	if name, ok := strings.CutPrefix(idp.SessionKey, "env:"); ok {
		if !envNameRE.MatchString(name) {
			k.errf("idp.session_key", "%q is not an environment variable name; write env:NAME", name)
		}
	} else {
		idp.SessionKey = k.resolve(idp.SessionKey)
	}
	seen := map[string]bool{}
	for i, d := range idp.VerifiedDomains {
		path := fmt.Sprintf("idp.verified_domains[%d]", i)
		switch {
		case !domainRE.MatchString(d):
			k.errf(path, "%q is not a domain name; write it in lower case like \"contoso.com\"", d)
		case seen[d]:
			k.errf(path, "%q is listed twice", d)
		}
		seen[d] = true
	}
	if idp.SessionLifetime == "" {
		idp.SessionLifetime = DefaultSessionLifetime
	}
	k.checkDuration("idp.session_lifetime", idp.SessionLifetime)
}

func (k *checker) checkDuration(path string, d Duration) {
	v, err := time.ParseDuration(string(d))
	switch {
	case err != nil:
		k.errf(path, "%q is not a duration; write it like \"5m\" or \"1h30m\"", string(d))
	case v <= 0:
		k.errf(path, "%q must be positive", string(d))
	}
}

// checkText refuses values that cannot travel faithfully in signed XML
// (SEC-19): invalid UTF-8, CR and characters outside XML's Char production.
func (k *checker) checkText(path, s string) {
	if err := xmlSafe(s); err != nil {
		k.errf(path, "%v", err)
	}
}

func xmlSafe(s string) error {
	if !utf8.ValidString(s) {
		return errors.New("value is not valid UTF-8")
	}
	for i, r := range s {
		switch {
		case r == '\r':
			return fmt.Errorf("value has a carriage return at byte %d; signed XML cannot carry it", i)
		case r == '\t' || r == '\n':
		case r < 0x20, r >= 0xD800 && r <= 0xDFFF, r == 0xFFFE, r == 0xFFFF:
			return fmt.Errorf("value has character %U at byte %d, which XML cannot carry", r, i)
		}
	}
	return nil
}

// isLoopback reports whether host is localhost, in 127.0.0.0/8 or ::1.
func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// CheckACSURL checks an Assertion Consumer Service URL from a
// configuration file or SP metadata (SEC-03): it must be an absolute https
// URL (http only for loopback hosts: 127.0.0.0/8, ::1, localhost) with no
// user info or fragment. javascript:, data: and other schemes are refused.
func CheckACSURL(raw string) error {
	if err := xmlSafe(raw); err != nil {
		return err
	}
	if strings.ContainsAny(raw, " \t\n") {
		return errors.New("URL contains white space; percent-encode it")
	}
	u, err := url.Parse(raw)
	if err != nil {
		return fmt.Errorf("not a URL: %w", err)
	}
	switch strings.ToLower(u.Scheme) {
	case "https":
	case "http":
		if !isLoopback(u.Hostname()) {
			return fmt.Errorf("%q uses http; use https (plain http is allowed only for 127.0.0.1, ::1 and localhost)", raw)
		}
	case "":
		return fmt.Errorf("%q is not an absolute URL; write it like \"https://sp.example.com/saml/acs\"", raw)
	default:
		return fmt.Errorf("scheme %q is not allowed; an ACS URL must be https", u.Scheme)
	}
	switch {
	case u.Host == "" || u.Hostname() == "":
		return fmt.Errorf("%q has no host", raw)
	case u.User != nil:
		return fmt.Errorf("%q has user info before the host (%q); remove it", raw, u.User.String()+"@")
	case u.Fragment != "" || strings.Contains(raw, "#"):
		return fmt.Errorf("%q has a fragment (#...); remove it", raw)
	}
	return nil
}

func (k *checker) checkApps() {
	c := k.c
	names := map[string]int{}
	entityIDs := map[string]string{}
	for i := range c.Apps {
		a := &c.Apps[i]
		p := fmt.Sprintf("apps[%d]", i)
		switch {
		case a.Name == "":
			k.missing(p, "name", "app has no name; add name = \"...\"")
		case !appNameRE.MatchString(a.Name):
			k.errf(p+".name", "%q: use letters, digits, '.', '_' and '-' only (it appears in URLs)", a.Name)
		default:
			if j, dup := names[a.Name]; dup {
				k.errf(p+".name", "name %q is already used by the app at line %d", a.Name, c.Apps[j].Line)
			} else {
				names[a.Name] = i
			}
		}
		if a.DisplayName == "" {
			a.DisplayName = a.Name
		}
		k.checkText(p+".display_name", a.DisplayName)
		if a.Profile == "" {
			a.Profile = ProfileGeneric
		}
		if a.Builtin == BuiltinIdentityCenter && a.Profile != ProfileGeneric {
			// The AWS profiles' lint refuses any ACS that is not AWS's,
			// so samlab would never post to its own Identity Center; the
			// SP applies Identity Center's checks itself, as AWS does.
			k.errf(p+".profile", "the built-in Identity Center SP checks responses as Identity Center does when they arrive; its ACS is samlab's, which the %s profile refuses before sending: leave profile unset (generic)", a.Profile)
		}
		if !oneOf(a.Profile, profiles...) {
			k.errf(p+".profile", "unknown profile %q; use one of %s", a.Profile, list(profiles))
		}
		k.checkEndpoints(p, a)
		if a.EntityID != "" {
			k.checkText(p+".entity_id", a.EntityID)
			if other, dup := entityIDs[a.EntityID]; dup {
				k.errf(p+".entity_id", "entity id %q is already used by app %q; each app needs its own", a.EntityID, other)
			} else {
				entityIDs[a.EntityID] = a.Name
			}
		}
		if a.Signing != "" && !oneOf(a.Signing, signings...) {
			k.errf(p+".signing", "unknown signing %q; use one of %s", a.Signing, list(signings))
		}
		switch {
		case a.SignatureAlgorithm == "":
		case !oneOf(a.SignatureAlgorithm, signatureAlgorithms...):
			k.errf(p+".signature_algorithm", "unknown signature algorithm %q; use one of %s", a.SignatureAlgorithm, list(signatureAlgorithms))
		case a.SignatureAlgorithm == "rsa-sha1":
			k.warnf(p+".signature_algorithm", "rsa-sha1 is weak; use it only to test how an SP handles it")
		}
		if a.ECDSASignatureFormat != "" && !oneOf(a.ECDSASignatureFormat, "rs", "asn1") {
			k.errf(p+".ecdsa_signature_format", "unknown ECDSA signature format %q; use rs or asn1", a.ECDSASignatureFormat)
		}
		k.checkProvisioning(i, a)
		if ts := a.TestSP; ts != nil {
			if a.Builtin != BuiltinTestSP {
				k.errf(p+".test_sp", "test_sp is the lint context of the built-in test SP; use it only with builtin = %q", BuiltinTestSP)
			}
			if (ts.DecryptionKey == "") != (ts.DecryptionCert == "") {
				k.errf(p+".test_sp", "set decryption_key and decryption_cert together (the test SP's key pair; point encrypt.cert at the certificate)")
			}
			ts.DecryptionKey, ts.DecryptionCert = k.resolve(ts.DecryptionKey), k.resolve(ts.DecryptionCert)
		}
		k.checkIdentityCenter(p, a)
		if a.Encrypt != nil {
			if a.Encrypt.Method == "" {
				a.Encrypt.Method = DefaultEncryptMethod
			}
			if !oneOf(a.Encrypt.Method, encryptMethods...) {
				k.errf(p+".encrypt.method", "unknown encryption method %q; use one of %s", a.Encrypt.Method, list(encryptMethods))
			}
			a.Encrypt.Cert = k.resolve(a.Encrypt.Cert)
			if a.Encrypt.Cert == "" && a.Encrypt.CertData == "" {
				k.errf(p+".encrypt", "no encryption certificate: set encrypt.cert, or use SP metadata with an encryption key")
			}
		}
		if a.Lifetime != "" {
			k.checkDuration(p+".lifetime", a.Lifetime)
		}
		if a.ClockOffset != "" {
			if _, err := time.ParseDuration(string(a.ClockOffset)); err != nil {
				k.errf(p+".clock_offset", "%q is not a duration; write it like \"-10m\" (the past) or \"2m\" (the future)", string(a.ClockOffset))
			}
		}
		if len(a.RelayState) > 4096 {
			k.errf(p+".relay_state", "relay_state is %d bytes; keep it under 4096 (80 is what SAML promises)", len(a.RelayState))
		}
		k.checkText(p+".relay_state", a.RelayState)
		a.SPCert = k.resolve(a.SPCert)
		if a.RequireSignedRequests && a.SPCert == "" && len(a.SPCerts) == 0 {
			k.errf(p+".require_signed_requests", "signed requests are required but there is no certificate to verify them; set sp_cert or use metadata with a signing key")
		}
		k.checkPolicy(p, a)
	}
}

// checkIdentityCenter checks [apps.identity_center]: only on the
// Identity Center-like SP, each attribute row as Identity Center's page
// takes it (idc.CheckMapping).
func (k *checker) checkIdentityCenter(p string, a *App) {
	ic := a.IdentityCenter
	if ic == nil {
		return
	}
	p += ".identity_center"
	if a.Builtin != BuiltinIdentityCenter {
		k.errf(p, "identity_center configures the built-in Identity Center-like SP; use it only with builtin = %q", BuiltinIdentityCenter)
	}
	if ic.Precedence == "" {
		ic.Precedence = DefaultIdCPrecedence
	}
	if !oneOf(ic.Precedence, idcPrecedences...) {
		k.errf(p+".precedence", "unknown precedence %q; use one of %s", ic.Precedence, list(idcPrecedences))
	}
	if len(ic.Attributes) > idc.MaxMappings {
		k.errf(p+".attributes", "%d attributes for access control; Identity Center takes at most %d", len(ic.Attributes), idc.MaxMappings)
	}
	seen := map[string]string{}
	for _, key := range slices.Sorted(maps.Keys(ic.Attributes)) {
		path := p + ".attributes." + key
		if err := idc.CheckMapping(idc.Mapping{Key: key, Source: ic.Attributes[key]}); err != nil {
			for _, msg := range splitJoined(err) {
				k.errf(path, "%s", msg)
			}
		}
		l := strings.ToLower(key)
		if other, dup := seen[l]; dup {
			k.errf(path, "%q and %q are the same key (Identity Center compares keys ignoring case); keep one", other, key)
		}
		seen[l] = key
	}
}

// IdCMappings returns the app's attributes for access control sorted by
// key, as the idc package takes them.
func (a *App) IdCMappings() []idc.Mapping {
	if a.IdentityCenter == nil {
		return nil
	}
	var out []idc.Mapping
	for _, key := range slices.Sorted(maps.Keys(a.IdentityCenter.Attributes)) {
		out = append(out, idc.Mapping{Key: key, Source: a.IdentityCenter.Attributes[key]})
	}
	return out
}

// splitJoined lists the messages of an errors.Join.
func splitJoined(err error) []string {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		var out []string
		for _, e := range j.Unwrap() {
			out = append(out, e.Error())
		}
		return out
	}
	return []string{err.Error()}
}

// checkEndpoints settles the app's entity id and ACS URLs from the file,
// its metadata or its built-in kind, and checks them.
func (k *checker) checkEndpoints(p string, a *App) {
	base := k.c.IdP.BaseURL
	if a.Builtin != "" {
		if !oneOf(a.Builtin, builtins...) {
			k.errf(p+".builtin", "unknown built-in app %q; use one of %s", a.Builtin, list(builtins))
			return
		}
		entityID, acs := base+"/"+a.Builtin, []string{base + "/" + a.Builtin + "/acs"}
		// Values equal to the derived ones are accepted, so that the
		// effective configuration printed by Encode loads again.
		if (a.EntityID != "" && a.EntityID != entityID) || (len(a.ACSURLs) > 0 && !slices.Equal(a.ACSURLs, acs)) || a.Metadata != "" {
			k.errf(p+".builtin", "a built-in app derives entity_id (%s) and acs_urls (%s) from idp.base_url; remove entity_id, acs_urls and metadata", entityID, acs[0])
			return
		}
		a.EntityID, a.ACSURLs = entityID, acs
		return
	}
	if a.Metadata != "" {
		a.Metadata = k.resolve(a.Metadata)
		md, err := ReadSPMetadata(a.Metadata)
		if err != nil {
			k.errf(p+".metadata", "%v", err)
		} else {
			k.applyMetadata(p, a, md)
		}
	}
	if len(a.ACSURLs) == 0 && a.Metadata == "" {
		k.missing(p, "acs_urls", "app has no ACS URL: set acs_urls, metadata (an SP metadata file) or builtin")
	}
	if a.EntityID == "" && a.Metadata == "" {
		k.missing(p, "entity_id", "app has no entity_id (the SP's Identifier); set entity_id or metadata")
	}
	seen := map[string]bool{}
	for j, u := range a.ACSURLs {
		path := fmt.Sprintf("%s.acs_urls[%d]", p, j)
		if err := CheckACSURL(u); err != nil {
			k.errf(path, "%v", err)
		} else if seen[u] {
			k.errf(path, "%q is listed twice", u)
		}
		seen[u] = true
	}
	if a.SLOURL != "" {
		if err := CheckACSURL(a.SLOURL); err != nil {
			k.errf(p+".slo_url", "%v", err)
		}
	}
}

func (k *checker) applyMetadata(p string, a *App, md *SPMetadata) {
	switch {
	case a.EntityID == "":
		a.EntityID = md.EntityID
	case a.EntityID != md.EntityID:
		k.errf(p+".entity_id", "%q differs from the metadata's entityID %q; remove entity_id or make them equal", a.EntityID, md.EntityID)
	}
	if len(a.ACSURLs) == 0 {
		for _, u := range md.ACSURLs {
			if err := CheckACSURL(u); err != nil {
				k.errf(p+".metadata", "%s: AssertionConsumerService %v", a.Metadata, err)
			}
		}
		a.ACSURLs = md.ACSURLs
		if len(a.ACSURLs) == 0 {
			k.errf(p+".metadata", "%s has no HTTP-POST AssertionConsumerService; samlab posts responses only", a.Metadata)
		}
	}
	if a.SLOURL == "" && md.SLOURL != "" {
		if err := CheckACSURL(md.SLOURL); err != nil {
			k.errf(p+".metadata", "%s: SingleLogoutService %v", a.Metadata, err)
		}
		a.SLOURL = md.SLOURL
	}
	a.SPCerts = md.SigningCerts
	if md.AuthnRequestsSigned {
		a.RequireSignedRequests = true
	}
	if a.Encrypt != nil && a.Encrypt.Cert == "" {
		a.Encrypt.CertData = md.EncryptionCert
	}
}

func (k *checker) checkPolicy(p string, a *App) {
	nid := &a.NameID
	if nid.Format != "" && !oneOf(nid.Format, nameIDFormats...) && !strings.HasPrefix(nid.Format, "urn:") {
		k.errf(p+".nameid.format", "unknown NameID format %q; use one of %s, or a full urn:", nid.Format, list(nameIDFormats))
	}
	if nid.RequestedUnspecified != "" && !oneOf(nid.RequestedUnspecified, requestedUnspec...) {
		k.errf(p+".nameid.requested_unspecified", "unknown value %q; use one of %s", nid.RequestedUnspecified, list(requestedUnspec))
	}
	k.checkConditions(p+".nameid", nid.Conditions)
	if a.AttributeNameFormat != "" && !oneOf(a.AttributeNameFormat, nameFormats...) && !strings.HasPrefix(a.AttributeNameFormat, "urn:") {
		k.errf(p+".attribute_name_format", "unknown name format %q; use one of %s, or a full urn:", a.AttributeNameFormat, list(nameFormats))
	}
	seen := map[string]int{}
	for j, r := range a.Claims {
		cp := fmt.Sprintf("%s.claims[%d]", p, j)
		if r.Name == "" {
			k.missing(cp, "name", "claim has no name; add name = \"...\"")
			continue
		}
		k.checkText(cp+".name", r.Name)
		k.checkText(cp+".value", r.Value)
		full := r.Name
		if r.Namespace != "" {
			full = strings.TrimRight(r.Namespace, "/") + "/" + r.Name
		}
		if prev, dup := seen[full]; dup {
			k.errf(cp+".name", "claim %q is already defined at line %d; merge them (use conditions for per-user sources)", full, a.ClaimLines[prev])
		} else {
			seen[full] = j
		}
		if r.NameFormat != "" && !oneOf(r.NameFormat, nameFormats...) && !strings.HasPrefix(r.NameFormat, "urn:") {
			k.errf(cp+".name_format", "unknown name format %q; use one of %s, or a full urn:", r.NameFormat, list(nameFormats))
		}
		k.checkConditions(cp, r.Conditions)
	}
	if g := a.GroupClaim; g != nil {
		gp := p + ".group_claim"
		if !oneOf(g.Which, groupWhich...) {
			k.errf(gp+".which", "unknown value %q; use one of %s", g.Which, list(groupWhich))
		}
		if g.Format != "" && !oneOf(g.Format, groupFormats...) {
			k.errf(gp+".format", "unknown group format %q; use one of %s", g.Format, list(groupFormats))
		}
		if g.RegexNoMatch != "" && !oneOf(g.RegexNoMatch, groupRegexNoMatch...) {
			k.errf(gp+".regex_no_match", "unknown value %q; use one of %s", g.RegexNoMatch, list(groupRegexNoMatch))
		}
		if f := g.Filter; f != nil {
			if !oneOf(f.MatchOn, filterMatchOn...) {
				k.errf(gp+".filter.match_on", "unknown value %q; use one of %s", f.MatchOn, list(filterMatchOn))
			}
			if !oneOf(f.Type, filterTypes...) {
				k.errf(gp+".filter.type", "unknown value %q; use one of %s", f.Type, list(filterTypes))
			}
		}
	}
}

func (k *checker) checkConditions(p string, conds []claims.Condition) {
	for i, cond := range conds {
		cp := fmt.Sprintf("%s.conditions[%d]", p, i)
		if cond.UserType != "" && !oneOf(cond.UserType, conditionUserTypes...) {
			k.errf(cp+".user_type", "unknown user type %q; use one of %s", cond.UserType, list(conditionUserTypes))
		}
		for j, g := range cond.Groups {
			if k.c.Group(g) == nil {
				k.errf(fmt.Sprintf("%s.groups[%d]", cp, j), "no group has id %q; add it under [[groups]] or fix the id", g)
			}
		}
		k.checkText(cp+".value", cond.Value)
	}
}

func (k *checker) checkGroups() {
	c := k.c
	ids := map[string]bool{}
	objectIDs := map[string]string{}
	for i := range c.Groups {
		g := &c.Groups[i]
		p := fmt.Sprintf("groups[%d]", i)
		if g.ID == "" {
			k.missing(p, "id", "group has no id; add id = \"...\"")
			continue
		}
		if ids[g.ID] {
			k.errf(p+".id", "group id %q is used twice", g.ID)
		}
		ids[g.ID] = true
		if g.ObjectID == "" {
			g.ObjectID = g.ID
		}
		if other, dup := objectIDs[g.ObjectID]; dup {
			k.errf(p+".object_id", "object id %q is also group %q's", g.ObjectID, other)
		} else {
			objectIDs[g.ObjectID] = g.ID
		}
		if g.Kind == "" {
			g.Kind = claims.Security
		}
		if !oneOf(string(g.Kind), groupKinds...) {
			k.errf(p+".kind", "unknown group kind %q; use one of %s", g.Kind, list(groupKinds))
		}
		for _, s := range []struct{ key, v string }{{"display_name", g.DisplayName}, {"samaccountname", g.SAMAccountName}, {"netbios_domain", g.NetBIOSDomain}, {"dns_domain", g.DNSDomain}, {"sid", g.SID}} {
			k.checkText(p+"."+s.key, s.v)
		}
		for j, parent := range g.MemberOf {
			if c.Group(parent) == nil {
				k.errf(fmt.Sprintf("%s.member_of[%d]", p, j), "no group has id %q; add it under [[groups]] or fix the id", parent)
			}
		}
		for j, app := range g.AssignedTo {
			if c.App(app) == nil {
				k.errf(fmt.Sprintf("%s.assigned_to[%d]", p, j), "no app is named %q", app)
			}
		}
		if cycle := k.nestingCycle(g.ID); cycle != nil {
			k.errf(p+".member_of", "groups nest in a circle: %s; remove one member_of link", strings.Join(cycle, " -> "))
		}
	}
}

// nestingCycle returns a member_of path from id back to itself, or nil.
func (k *checker) nestingCycle(id string) []string {
	var walk func(cur string, path []string, seen map[string]bool) []string
	walk = func(cur string, path []string, seen map[string]bool) []string {
		g := k.c.Group(cur)
		if g == nil {
			return nil
		}
		for _, parent := range g.MemberOf {
			if parent == id {
				return append(path, parent)
			}
			if seen[parent] {
				continue
			}
			seen[parent] = true
			if p := walk(parent, append(path, parent), seen); p != nil {
				return p
			}
		}
		return nil
	}
	return walk(id, []string{id}, map[string]bool{})
}

func (k *checker) checkUsers() {
	c := k.c
	ids := map[string]int{}
	for i := range c.Users {
		u := &c.Users[i]
		p := fmt.Sprintf("users[%d]", i)
		switch {
		case u.ID == "":
			k.missing(p, "id", "user has no id; add id = \"...\" (the login name)")
		case strings.IndexFunc(u.ID, func(r rune) bool { return r <= ' ' || r == 0x7f }) >= 0 || !utf8.ValidString(u.ID):
			k.errf(p+".id", "%q: a login name cannot contain spaces or control characters", u.ID)
		default:
			if j, dup := ids[u.ID]; dup {
				k.errf(p+".id", "user id %q is already used at line %d", u.ID, c.Users[j].Line)
			} else {
				ids[u.ID] = i
			}
		}
		if u.Type == "" {
			u.Type = claims.Member
		}
		if !oneOf(string(u.Type), userTypes...) {
			k.errf(p+".type", "unknown user type %q; use one of %s", u.Type, list(userTypes))
		}
		for j, g := range u.Groups {
			if c.Group(g) == nil {
				k.errf(fmt.Sprintf("%s.groups[%d]", p, j), "no group has id %q; add it under [[groups]] or fix the id", g)
			}
		}
		for _, app := range sortedKeys(u.AppRoles) {
			if c.App(app) == nil {
				k.errf(p+".app_roles."+app, "no app is named %q", app)
			}
			for j, v := range u.AppRoles[app] {
				k.checkText(fmt.Sprintf("%s.app_roles.%s[%d]", p, app, j), v)
			}
		}
		builtin := map[string]string{}
		for _, name := range sortedKeys(u.Attributes) {
			// Entra attribute ids are case-insensitive; the same one twice
			// would leave it to chance which value is read.
			if claims.IsUserAttribute(name) {
				lower := strings.ToLower(name)
				if other, dup := builtin[lower]; dup {
					k.errf(p+".attributes."+name, "%q and %q are both the Entra attribute %q (attribute ids are case-insensitive); keep one", other, name, lower)
				}
				builtin[lower] = name
			}
			for j, v := range u.Attributes[name] {
				k.checkText(fmt.Sprintf("%s.attributes.%s[%d]", p, name, j), v)
			}
		}
		switch {
		case u.Password != "" && u.PasswordHash != "":
			k.errf(p+".password", "set password or password_hash, not both")
		case u.PasswordHash != "":
			k.checkBcrypt(p+".password_hash", u.PasswordHash)
		case u.Password != "" && !c.IdP.Demo:
			k.warnf(p+".password", "plain password outside demo mode; store a bcrypt hash in password_hash instead")
		case u.Password == "" && !c.IdP.Demo:
			k.warnf(p, "user has no password_hash and cannot sign in with a password")
		}
	}
}

func (k *checker) checkBcrypt(path, h string) {
	m := bcryptRE.FindStringSubmatch(h)
	if m == nil {
		k.errf(path, "not a bcrypt hash: want $2a$, $2b$ or $2y$, a two-digit cost, '$' and 53 characters (60 in all), e.g. from `htpasswd -bnBC 10 \"\" PASSWORD | tr -d ':\\n'`")
		return
	}
	cost, _ := strconv.Atoi(m[1])
	if cost < 4 || cost > 31 {
		k.errf(path, "bcrypt cost %d is out of range; use 4 to 31 (10 or more outside tests)", cost)
	}
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for key := range m {
		keys = append(keys, key)
	}
	slices.Sort(keys)
	return keys
}

// checkSCIM fills the [scim] defaults and checks its values.
func (k *checker) checkSCIM() {
	s := &k.c.SCIM
	if s.MaxBodyBytes == 0 {
		s.MaxBodyBytes = DefaultSCIMMaxBodyBytes
	}
	if s.MaxBodyBytes < 1024 || s.MaxBodyBytes > 64<<20 {
		k.errf("scim.max_body_bytes", "%d is out of range; write a byte count from 1024 to %d (default %d)", s.MaxBodyBytes, 64<<20, DefaultSCIMMaxBodyBytes)
	}
	switch s.ErrorDetails {
	case "":
		s.ErrorDetails = "idc"
	case "explain", "idc":
	default:
		k.errf("scim.error_details", "%q is not a choice; write \"explain\" (name the attribute and rule) or \"idc\" (IdC's generic detail)", s.ErrorDetails)
	}
	if d := s.Database; d != "" && !strings.HasPrefix(d, "postgres://") && !strings.HasPrefix(d, "postgresql://") && !strings.HasPrefix(d, "sqlite:") {
		k.errf("scim.database", "%q is not a database samlab can use; leave it empty for the embedded SQLite file in the state directory, or write \"sqlite:/path/to/file.db\" or a URL like \"postgres://user:password@host:5432/samlab\"", redactURL(d))
	}
	for i, t := range s.Tokens {
		if len(t) < 16 || strings.TrimSpace(t) != t {
			k.errf(fmt.Sprintf("scim.tokens[%d]", i), "a token must be at least 16 characters with no surrounding spaces (samlab scim token create makes one)")
		}
	}
	if len(s.Tokens) > 0 && !k.c.IdP.Demo {
		k.warnf("scim.tokens", "plaintext SCIM tokens in the configuration are meant for tests; use samlab scim token create, which keeps only a hash")
	}
}

// redactURL hides the password of a URL.
func redactURL(s string) string {
	u, err := url.Parse(s)
	if err != nil || u.User == nil {
		return s
	}
	if _, ok := u.User.Password(); ok {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	return u.String()
}

// RedactedDatabase is the [scim] database with its password hidden, for
// printing.
func (s SCIM) RedactedDatabase() string { return redactURL(s.Database) }
