package certs

import (
	"crypto"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"time"
)

// maxFileSize bounds what is read from a key or certificate file. PEM keys
// and certificates are a few kilobytes; anything larger is the wrong file.
const maxFileSize = 1 << 20

// LoadOptions adjusts [LoadWith].
type LoadOptions struct {
	// AllowExpired accepts a certificate outside its validity period,
	// expired or not yet valid. It is meant for tests and for replaying old
	// fixtures; an IdP should not publish such a certificate.
	AllowExpired bool
	// Now returns the time the validity period is checked against; nil
	// means time.Now.
	Now func() time.Time
}

// Load reads the IdP's private key and certificate from PEM files with the
// default [LoadOptions]. See [LoadWith].
func Load(keyPath, certPath string) (*KeyPair, error) {
	return LoadWith(keyPath, certPath, LoadOptions{})
}

// LoadWith reads the IdP's private key and certificate from PEM files and
// checks that they belong together.
//
// The key file must be an unencrypted PKCS#1, PKCS#8 or SEC 1 PEM key, RSA of
// at least [MinRSABits] bits or ECDSA on P-256, P-384 or P-521, and must not
// be readable or writable by group or others (the mode is read with fstat on
// the opened file, so a file swapped after the check cannot slip through;
// the check is skipped on Windows). The certificate file's first CERTIFICATE
// block is used; further blocks, such as a chain, are ignored. The
// certificate must carry the key's public key and, unless
// opts.AllowExpired, be valid at opts.Now.
//
// All problems found are returned together, joined with [errors.Join].
func LoadWith(keyPath, certPath string, opts LoadOptions) (*KeyPair, error) {
	signer, keyErr := loadPrivateKey(keyPath)
	cert, certErr := LoadCertificate(certPath)
	errs := []error{keyErr, certErr}
	if cert != nil && !opts.AllowExpired {
		now := time.Now
		if opts.Now != nil {
			now = opts.Now
		}
		errs = append(errs, checkValidity(cert, certPath, now()))
	}
	if signer != nil && cert != nil {
		errs = append(errs, checkMatch(signer, cert, keyPath, certPath))
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return &KeyPair{Signer: signer, Certificate: cert, KeyPath: keyPath, CertPath: certPath}, nil
}

// LoadCertificate reads the first CERTIFICATE block of a PEM file. A
// certificate is public, so the file's mode is not checked, and neither is
// the validity period.
func LoadCertificate(path string) (*x509.Certificate, error) {
	data, _, err := readFile(path)
	if err != nil {
		return nil, fmt.Errorf("certs: certificate file: %w", err)
	}
	cert, err := parseCertificatePEM(data)
	if err != nil {
		return nil, fmt.Errorf("certs: certificate file %q: %w", path, err)
	}
	return cert, nil
}

// loadPrivateKey reads and parses a private key file and checks the mode the
// opened file had. A file without a private key in it gets the parse error
// alone: a chmod hint for a certificate given in the key's place would
// mislead.
func loadPrivateKey(path string) (crypto.Signer, error) {
	data, mode, err := readFile(path)
	if err != nil {
		return nil, fmt.Errorf("certs: key file: %w", err)
	}
	signer, parseErr := parsePrivateKeyPEM(data)
	if parseErr != nil {
		parseErr = fmt.Errorf("certs: key file %q: %w%s", path, parseErr, decryptHint(parseErr, path))
		if errors.Is(parseErr, ErrNoPEM) {
			return nil, parseErr
		}
	}
	if modeErr := checkPrivateMode(path, mode); modeErr != nil {
		return nil, errors.Join(fmt.Errorf("certs: key file: %w", modeErr), parseErr)
	}
	if parseErr != nil {
		return nil, parseErr
	}
	return signer, nil
}

// readFile opens path, checks it is a regular file with fstat on the open
// descriptor, and reads at most maxFileSize bytes. It returns the mode the
// descriptor had, so a private key's mode is the mode of the bytes read,
// not of whatever the path names by the time a second stat would run.
func readFile(path string) ([]byte, fs.FileMode, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, 0, err
	}
	defer f.Close()
	fi, err := f.Stat() // fstat(2) on the descriptor we read from
	if err != nil {
		return nil, 0, err
	}
	if !fi.Mode().IsRegular() {
		return nil, 0, fmt.Errorf("%q is not a regular file (mode %s)", path, fi.Mode())
	}
	data, err := io.ReadAll(io.LimitReader(f, maxFileSize+1))
	if err != nil {
		return nil, 0, err
	}
	if len(data) > maxFileSize {
		return nil, 0, fmt.Errorf("%q is larger than %d bytes; a PEM key or certificate is a few kilobytes, so this is probably not the right file", path, maxFileSize)
	}
	return data, fi.Mode(), nil
}

// checkMatch reports whether cert was issued for signer's public key.
func checkMatch(signer crypto.Signer, cert *x509.Certificate, keyPath, certPath string) error {
	if sameKey(signer, cert) {
		return nil
	}
	return fmt.Errorf("certs: certificate %q (subject %q, serial %X, %s) was not issued for this key %q (%s): %w; use the certificate generated with this key, or generate a new pair with: samlab certs generate",
		certPath, cert.Subject.String(), cert.SerialNumber, publicKeyAlgorithm(cert.PublicKey), keyPath, publicKeyAlgorithm(signer.Public()), ErrKeyMismatch)
}

// sameKey reports whether cert carries signer's public key.
func sameKey(signer crypto.Signer, cert *x509.Certificate) bool {
	type equaler interface{ Equal(crypto.PublicKey) bool }
	pub, ok := signer.Public().(equaler)
	return ok && pub.Equal(cert.PublicKey)
}

// checkValidity reports a certificate used outside its validity period.
func checkValidity(cert *x509.Certificate, certPath string, now time.Time) error {
	const layout = time.RFC3339
	period := fmt.Sprintf("valid from %s until %s; now is %s",
		cert.NotBefore.UTC().Format(layout), cert.NotAfter.UTC().Format(layout), now.UTC().Format(layout))
	switch {
	case now.After(cert.NotAfter):
		return fmt.Errorf("certs: certificate file %q: %w on %s (%s); renew it or generate a new pair with: samlab certs generate, then give service providers the new metadata",
			certPath, ErrCertificateExpired, cert.NotAfter.UTC().Format(layout), period)
	case now.Before(cert.NotBefore):
		return fmt.Errorf("certs: certificate file %q: %w until %s (%s); check the system clock or the certificate's dates",
			certPath, ErrCertificateNotYetValid, cert.NotBefore.UTC().Format(layout), period)
	}
	return nil
}
