// Package config reads samlab's TOML configuration file: one file that
// describes a tenant, with its identity provider settings, users, groups and
// applications (Azure "enterprise applications", SAML service providers),
// each application with its claim rules.
//
// Decoding is strict. Unknown keys, wrong types and invalid values are
// reported together, each as "file:line: where: what to change". The package
// checks structure and references (names, URLs, durations, password hashes,
// group and app references, SP metadata); compiling claim rules is left to
// the claims engine, which can use [Config.Position] to point its errors at
// the right line.
//
// With no file, samlab runs the embedded demo tenant returned by [Demo].
package config

import (
	"fmt"
	"slices"
	"time"

	"github.com/samlab/samlab/claims"
)

// Config is a whole tenant as read from one file.
type Config struct {
	IdP    IdP            `toml:"idp"`
	Users  []User         `toml:"users"`
	Groups []claims.Group `toml:"groups"`
	Apps   []App          `toml:"apps"`
	// SCIM configures the IAM Identity Center-like SCIM endpoint that
	// samlab serve mounts at <base_url>/scim/v2 (docs/scim.md).
	SCIM SCIM `toml:"scim"`

	// Source is the file name the configuration came from, or "demo" for
	// the embedded demo tenant.
	Source string `toml:"-"`
	// Warnings lists problems that do not stop samlab from running, such
	// as plain passwords outside demo mode. Each is "file:line: message".
	Warnings []string `toml:"-"`

	loc *locator // line numbers, nil for a Config built in Go
	// badPaths are the indexed paths of values of the wrong type, while
	// validating a partly decoded file.
	badPaths map[string]bool
}

// IdP holds the identity provider's own settings.
type IdP struct {
	// BaseURL is where the IdP is reached; routes hang under it.
	// Default DefaultBaseURL.
	BaseURL string `toml:"base_url"`
	// EntityID is the IdP's SAML entity id. Default BaseURL + "/metadata".
	EntityID string `toml:"entity_id"`
	// TenantID is the Entra tenant GUID used in Azure-shaped issuers and
	// the tenantid claim. Default DemoTenantID.
	TenantID string `toml:"tenant_id"`
	// Key and Cert are PEM files of the signing key pair, resolved against
	// the configuration file's directory. Both empty: a development key
	// pair is generated once and kept.
	Key  string `toml:"key"`
	Cert string `toml:"cert"`
	// KeyAlgorithm is the kind of key generated when Key is empty:
	// rsa-2048 (default), rsa-3072 or ecdsa-p256.
	KeyAlgorithm string `toml:"key_algorithm"`
	// SessionKey is the secret that signs session cookies: a file path
	// (resolved like Key) or "env:NAME" to read environment variable NAME.
	// Empty: a key derived from the IdP's private key, so replicas with the
	// same key pair share sessions and sessions survive restarts.
	SessionKey string `toml:"session_key"`
	// Demo enables the one-click user picker and shows plain passwords on
	// the login page. For loopback use only.
	Demo bool `toml:"demo"`
	// Issuer overrides the Issuer of responses. Default EntityID.
	Issuer string `toml:"issuer"`
	// VerifiedDomains are the tenant's verified domains (NameID Join
	// suffixes must be one of them).
	VerifiedDomains []string `toml:"verified_domains"`
	// SessionLifetime is how long a sign-in lasts. Default "8h".
	SessionLifetime Duration `toml:"session_lifetime"`
}

// SCIM is the [scim] table.
type SCIM struct {
	// Enabled mounts the endpoint. Default true; set false to serve SAML only.
	Enabled *bool `toml:"enabled"`
	// Database is where provisioned users, groups, tokens and the log live:
	// "" for the embedded SQLite file scim.db in the state directory,
	// "sqlite:/path/file.db" for another SQLite file, or a "postgres://..."
	// URL for PostgreSQL (several replicas).
	Database string `toml:"database"`
	// Tokens are plaintext bearer tokens accepted besides those made with
	// `samlab scim token create`, for tests and CI. Each never expires.
	Tokens []string `toml:"tokens"`
	// MaxBodyBytes bounds request bodies (413 above). Default
	// DefaultSCIMMaxBodyBytes.
	MaxBodyBytes int64 `toml:"max_body_bytes"`
	// ErrorDetails is what a 400 says: "idc" (default) answers IdC's one
	// generic detail, as the real endpoint does, so a client sees the body
	// Entra's provisioning log shows (samlab's explanation goes in the
	// X-Samlab-Explanation header and the provisioning log); "explain" puts
	// the explanation in the detail instead.
	ErrorDetails string `toml:"error_details"`
}

// IsEnabled tells whether the SCIM endpoint is served (default true).
func (s SCIM) IsEnabled() bool { return s.Enabled == nil || *s.Enabled }

// SCIM defaults.
const DefaultSCIMMaxBodyBytes = 1 << 20

// User is a directory user: the claims engine's user plus its credentials.
type User struct {
	claims.User
	// Password is a plain password, for demo tenants only (a warning
	// otherwise). It is shown on the demo login page.
	Password string `toml:"password"`
	// PasswordHash is a bcrypt hash ($2a$, $2b$ or $2y$).
	PasswordHash string `toml:"password_hash"`
	// Line is the line of the user's [[users]] entry, 0 if unknown.
	Line int `toml:"-"`
}

// App is one service provider ("enterprise application") with its claim
// policy. Fields left empty that depend on the profile (audience, NameID
// format, signing, lifetime) stay empty here; the layer that applies the
// profile fills them.
type App struct {
	// Name identifies the app in URLs, app_roles and the CLI (--app).
	Name string `toml:"name"`
	// DisplayName is shown in the app launcher. Default Name.
	DisplayName string `toml:"display_name"`
	// EntityID is the SP's entity id (Azure "Identifier"), used as the
	// audience. Taken from Metadata when empty.
	EntityID string `toml:"entity_id"`
	// ACSURLs are the registered Assertion Consumer Service URLs (Azure
	// "Reply URLs"); the first is the default. Taken from Metadata when
	// empty.
	ACSURLs []string `toml:"acs_urls"`
	// SLOURL is where the SP takes LogoutResponses (HTTP-POST). Taken
	// from Metadata when empty; without it, Single Logout ends on samlab's
	// own "signed out" page.
	SLOURL string `toml:"slo_url"`
	// Metadata is an SP metadata file, resolved against the configuration
	// file's directory.
	Metadata string `toml:"metadata"`
	// Profile selects defaults and lint rules: aws-sts,
	// aws-identity-center or generic (default).
	Profile string `toml:"profile"`
	// Signing is what gets signed: assertion, response or both. Empty: the
	// profile's default.
	Signing string `toml:"signing"`
	// SignatureAlgorithm is rsa-sha256, rsa-sha512, rsa-sha1 (weak,
	// warned) or ecdsa-sha256: what the signer makes. Empty:
	// the one that fits the key (rsa-sha256 or ecdsa-sha256).
	SignatureAlgorithm string `toml:"signature_algorithm"`
	// ECDSASignatureFormat is how ECDSA signature values are written: "rs"
	// (default; the r||s form XML Signature requires, which xmlsec1,
	// Shibboleth and AWS read) or "asn1" (ASN.1 DER, for SPs built on
	// goxmldsig, such as crewjam/saml, which read nothing else).
	ECDSASignatureFormat string `toml:"ecdsa_signature_format"`
	// Encrypt, when set, encrypts assertions to the SP's certificate.
	Encrypt *Encrypt `toml:"encrypt"`
	// AzureShape makes responses look like Entra ID's: issuer
	// https://sts.windows.net/{tenant}/, element order, ID style.
	AzureShape bool `toml:"azure_shape"`
	// Lifetime is the assertion validity. Empty: the profile's default.
	Lifetime Duration `toml:"lifetime"`
	// ClockOffset shifts every time in the app's responses as if the
	// IdP's clock were off by this much ("-10m": issued ten minutes ago;
	// "2m": from the future), to test how the SP handles clock skew.
	// Empty: the true time.
	ClockOffset Duration `toml:"clock_offset"`
	// RelayState is sent with IdP-initiated responses (AWS uses it as the
	// console URL to open).
	RelayState string `toml:"relay_state"`
	// RequireSignedRequests refuses AuthnRequests that are not signed by
	// SPCert. Set automatically when metadata says AuthnRequestsSigned.
	RequireSignedRequests bool `toml:"require_signed_requests"`
	// SPCert is a PEM certificate that verifies signed AuthnRequests,
	// resolved against the configuration file's directory. Metadata
	// signing certificates are added to SPCerts.
	SPCert string `toml:"sp_cert"`
	// AllowInvalid sends responses even when lint finds errors, to test
	// how an SP handles bad input.
	AllowInvalid bool `toml:"allow_invalid"`
	// DebugView shows the claims trace and XML before posting.
	DebugView bool `toml:"debug_view"`
	// CustomSigningKey mirrors an Entra app with a custom signing key:
	// the restricted claim names upn, role and the Windows identity claims
	// may then be used as claim names.
	CustomSigningKey bool `toml:"custom_signing_key"`
	// Builtin names a service provider samlab itself provides. "test-sp":
	// entity id <base_url>/test-sp, ACS <base_url>/test-sp/acs.
	// "identity-center": an SP that behaves like IAM Identity Center, fed
	// by the SCIM store; entity id <base_url>/identity-center, ACS
	// <base_url>/identity-center/acs.
	Builtin string `toml:"builtin"`
	// TestSP is the lint context of the built-in test SP (builtin =
	// "test-sp" only): what the library's aws.Options and samlab lint's
	// flags take beyond the SP's own entity ID and ACS.
	TestSP *TestSP `toml:"test_sp"`
	// IdentityCenter is the configuration of the Identity Center-like SP
	// (builtin = "identity-center" only).
	IdentityCenter *IdentityCenter `toml:"identity_center"`
	// Provisioning is the app's provisioning job (SCIM), nil for none.
	Provisioning *Provisioning `toml:"provisioning"`

	claims.Policy

	// SPCerts holds base64 DER signing certificates read from Metadata.
	SPCerts []string `toml:"-"`
	// Line is the line of the app's [[apps]] entry; ClaimLines[i] the line
	// of Claims[i]. 0 if unknown.
	Line       int   `toml:"-"`
	ClaimLines []int `toml:"-"`
}

// TestSP is the built-in test SP's lint context.
type TestSP struct {
	// DecryptionKey and DecryptionCert are the test SP's key pair (PEM
	// files, resolved against the configuration file's directory; the key
	// mode 0600): with encrypt.cert = DecryptionCert, the test SP decrypts
	// the assertion and lints what is inside. Both or neither.
	DecryptionKey  string `toml:"decryption_key"`
	DecryptionCert string `toml:"decryption_cert"`
	// RequireEncryption lints as an IAM SAML provider that requires
	// encrypted assertions.
	RequireEncryption bool `toml:"require_encryption"`
	// AssumeRole is the role the caller will assume (a role ARN or
	// "role-arn,provider-arn"): it must be one of the Role values.
	AssumeRole string `toml:"assume_role"`
	// IdCAttributeKeys are the keys configured on Identity Center's
	// Attributes for access control page.
	IdCAttributeKeys []string `toml:"idc_attribute_keys"`
}

// IdentityCenter is the built-in Identity Center-like SP's instance
// settings.
type IdentityCenter struct {
	// Attributes are the rows of Identity Center's "Attributes for access
	// control" page: key -> value source. A source is "${path:<scim-path>}"
	// (a value of the provisioned user, e.g. "${path:enterprise.costCenter}")
	// or "" (the value comes from the SAML attribute AccessControl:<key>).
	Attributes map[string]string `toml:"attributes"`
	// Precedence decides which value wins when a key is configured with a
	// ${path:...} source and also sent in SAML: "identity-store" (default;
	// the sso-admin API reference) or "saml" (the ABAC user guide page).
	Precedence string `toml:"precedence"`
}

// DefaultIdCPrecedence is IdentityCenter.Precedence when unset.
const DefaultIdCPrecedence = "identity-store"

// Encrypt configures assertion encryption.
type Encrypt struct {
	// Cert is the SP's encryption certificate (PEM file, resolved against
	// the configuration file's directory). Empty: the encryption
	// certificate from the app's metadata.
	Cert string `toml:"cert"`
	// Method is the block cipher: aes256-gcm (default, authenticated) or
	// aes128-cbc (for SPs that know only XML Encryption 1.0).
	Method string `toml:"method"`
	// CertData is the base64 DER certificate from metadata, when Cert is
	// empty.
	CertData string `toml:"-"`
}

// Duration is a Go duration string as written in the file ("5m", "1h30m").
// Load rejects strings time.ParseDuration does not accept.
type Duration string

// Value returns the duration, or 0 when it is empty or invalid.
func (d Duration) Value() time.Duration {
	v, err := time.ParseDuration(string(d))
	if err != nil {
		return 0
	}
	return v
}

// Defaults.
const (
	DefaultBaseURL         = "http://127.0.0.1:8080"
	DefaultKeyAlgorithm    = "rsa-2048"
	DefaultSessionLifetime = Duration("8h")
	DefaultEncryptMethod   = "aes256-gcm"
	// DemoTenantID is the tenant GUID of the demo tenant, and the default
	// for any file that sets none.
	DemoTenantID = "6f2c1a5e-3b9d-4c7a-9e41-0d5b8a7f2c13"
)

// Profiles.
const (
	ProfileGeneric           = "generic"
	ProfileAWSSTS            = "aws-sts"
	ProfileAWSIdentityCenter = "aws-identity-center"
)

// Builtin values: samlab's own test service provider, and its IAM
// Identity Center-like SP.
const (
	BuiltinTestSP         = "test-sp"
	BuiltinIdentityCenter = "identity-center"
)

// App returns the app with the given name, or nil.
func (c *Config) App(name string) *App {
	for i := range c.Apps {
		if c.Apps[i].Name == name {
			return &c.Apps[i]
		}
	}
	return nil
}

// User returns the user with the given id, or nil.
func (c *Config) User(id string) *User {
	for i := range c.Users {
		if c.Users[i].ID == id {
			return &c.Users[i]
		}
	}
	return nil
}

// Group returns the group with the given id, or nil.
func (c *Config) Group(id string) *claims.Group {
	for i := range c.Groups {
		if c.Groups[i].ID == id {
			return &c.Groups[i]
		}
	}
	return nil
}

// ClaimsUsers returns the users as the claims engine sees them.
func (c *Config) ClaimsUsers() []claims.User {
	out := make([]claims.User, len(c.Users))
	for i, u := range c.Users {
		out[i] = u.User
	}
	return out
}

// AttributeNames returns the sorted names of the free-form attributes any
// user has: every attribute name that is not an Entra attribute id
// (claims.IsUserAttribute; "department", "proxyaddresses", "tags" keep
// their built-in meaning). Free-form attributes act like directory
// extensions, so this is what claims.CompileOptions.Extensions needs.
func (c *Config) AttributeNames() []string {
	seen := map[string]bool{}
	var out []string
	for _, u := range c.Users {
		for name := range u.Attributes {
			if !seen[name] && !claims.IsUserAttribute(name) {
				seen[name] = true
				out = append(out, name)
			}
		}
	}
	slices.Sort(out)
	return out
}

// Position returns "file:line" for an app's claim rule (claim is the index
// into its Claims), or for the app itself when claim is negative, so that
// later layers can write `demo.toml:42: app "aws": claim "Role": ...`. It
// returns the file name alone when the line is unknown.
func (c *Config) Position(app string, claim int) string {
	a := c.App(app)
	line := 0
	if a != nil {
		line = a.Line
		if claim >= 0 && claim < len(a.ClaimLines) {
			line = a.ClaimLines[claim]
		}
	}
	return c.pos(line)
}

// Locate returns "file:line" for an indexed key path such as
// "apps[0].claims[2].transformations[1]" or "users[3].attributes.mail",
// falling back to the nearest enclosing key or table that was found.
func (c *Config) Locate(path string) string {
	return c.pos(c.loc.line(path))
}

func (c *Config) pos(line int) string {
	if line <= 0 {
		return c.Source
	}
	return fmt.Sprintf("%s:%d", c.Source, line)
}
