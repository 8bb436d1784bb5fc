// Package certs loads, generates and stores the IdP's signing key and
// certificate.
//
// A key pair is either named by the operator ([Load], [LoadWith]) or, when
// none is configured, generated once and kept in a per-user state directory
// ([LoadOrCreate], [DefaultStateDir]) so the IdP's metadata stays the same
// across restarts. [Generate] and [Write] back `samlab certs generate`.
//
// Loading is strict, because a SAML IdP key is a credential:
//
//   - private key files must not be readable or writable by group or others
//     (checked with fstat on the opened file, like OpenSSH's "UNPROTECTED
//     PRIVATE KEY FILE");
//   - RSA keys need at least 2048 bits and ECDSA keys a P-256, P-384 or P-521
//     curve;
//   - encrypted PEM keys are refused with the openssl command that decrypts
//     them;
//   - the certificate must carry the key's public key and be inside its
//     validity period (see [LoadOptions.AllowExpired]).
//
// Every error starts with "certs: ", says what to change, and wraps one of the
// sentinel errors below (or an [io/fs] error) so callers can test it with
// [errors.Is]. The package uses only the standard library's crypto.
package certs
