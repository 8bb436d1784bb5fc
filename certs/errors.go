package certs

import "errors"

// Sentinel errors. Each error returned by this package wraps at most one of
// them (several, via [errors.Join], when [LoadWith] finds several problems);
// missing files wrap [io/fs.ErrNotExist] and refused overwrites
// [io/fs.ErrExist].
var (
	// ErrUnprotectedKey: the private key file can be read or written by
	// group or others (mode & 0o077 != 0).
	ErrUnprotectedKey = errors.New("UNPROTECTED PRIVATE KEY FILE")
	// ErrNoPEM: the input holds no PEM block of the expected kind.
	ErrNoPEM = errors.New("no PEM block found")
	// ErrEncryptedKey: the private key is encrypted with a passphrase.
	ErrEncryptedKey = errors.New("encrypted private keys are not supported")
	// ErrUnsupportedKey: the key is neither RSA nor ECDSA, or cannot be
	// parsed.
	ErrUnsupportedKey = errors.New("unsupported private key")
	// ErrWeakKey: an RSA key under 2048 bits or an ECDSA key on a curve
	// other than P-256, P-384 or P-521.
	ErrWeakKey = errors.New("key too weak")
	// ErrKeyMismatch: the certificate's public key is not the private key's.
	ErrKeyMismatch = errors.New("key and certificate do not match")
	// ErrCertificateExpired: the certificate's NotAfter is in the past.
	ErrCertificateExpired = errors.New("certificate expired")
	// ErrCertificateNotYetValid: the certificate's NotBefore is in the
	// future.
	ErrCertificateNotYetValid = errors.New("certificate not yet valid")
	// ErrBadCertificate: the certificate cannot be decoded or parsed.
	ErrBadCertificate = errors.New("invalid certificate")
	// ErrUnknownAlgorithm: [Generate] was asked for an algorithm it does not
	// offer.
	ErrUnknownAlgorithm = errors.New("unknown key algorithm")
)
