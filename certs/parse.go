package certs

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"fmt"
	"strings"
	"unicode"
)

// PEM block types this package reads and writes.
const (
	pemCertificate    = "CERTIFICATE"
	pemPKCS1          = "RSA PRIVATE KEY"       // PKCS#1, RSA only
	pemPKCS8          = "PRIVATE KEY"           // PKCS#8, any algorithm
	pemSEC1           = "EC PRIVATE KEY"        // SEC 1, ECDSA only
	pemEncryptedPKCS8 = "ENCRYPTED PRIVATE KEY" // PKCS#8 with a passphrase
)

// MinRSABits is the smallest RSA key this package loads or generates
// (SEC-26). AWS itself accepts 1024 bits (AWS-STS-018), but NIST has
// disallowed 1024-bit RSA signatures since 2013.
const MinRSABits = 2048

// ParseCertificatePEM returns the first CERTIFICATE block of data. Other
// blocks (a chain's further certificates, a key in a combined file) are
// ignored.
func ParseCertificatePEM(data []byte) (*x509.Certificate, error) {
	cert, err := parseCertificatePEM(data)
	if err != nil {
		return nil, fmt.Errorf("certs: certificate: %w", err)
	}
	return cert, nil
}

// ParseCertificateBase64 parses a certificate given as base64 DER, the form
// found in a metadata or KeyInfo <ds:X509Certificate> element. Whitespace and
// line breaks are ignored, missing padding is accepted, and a PEM
// certificate is accepted too.
func ParseCertificateBase64(s string) (*x509.Certificate, error) {
	compact := strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
	if strings.HasPrefix(compact, "-----BEGIN") {
		return ParseCertificatePEM([]byte(s))
	}
	if compact == "" {
		return nil, fmt.Errorf("certs: certificate base64: %w: the value is empty", ErrBadCertificate)
	}
	der, err := base64.StdEncoding.DecodeString(compact)
	if err != nil {
		var rawErr error
		if der, rawErr = base64.RawStdEncoding.DecodeString(compact); rawErr != nil {
			return nil, fmt.Errorf("certs: certificate base64: %w: %w", ErrBadCertificate, err)
		}
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, fmt.Errorf("certs: certificate base64: %w: %w", ErrBadCertificate, err)
	}
	return cert, nil
}

// ParsePrivateKeyPEM parses an unencrypted RSA or ECDSA private key in PEM:
// PKCS#1 ("RSA PRIVATE KEY"), PKCS#8 ("PRIVATE KEY") or SEC 1 ("EC PRIVATE
// KEY"). Blocks before the key, such as "EC PARAMETERS" from `openssl
// ecparam -genkey`, are skipped. Weak keys are refused (see [ErrWeakKey]).
// It performs no file-mode check; [Load] does.
func ParsePrivateKeyPEM(data []byte) (crypto.Signer, error) {
	signer, err := parsePrivateKeyPEM(data)
	if err != nil {
		return nil, fmt.Errorf("certs: private key: %w%s", err, decryptHint(err, "KEY_FILE"))
	}
	return signer, nil
}

// parseCertificatePEM is ParseCertificatePEM without the package prefix, so
// callers can name the file.
func parseCertificatePEM(data []byte) (*x509.Certificate, error) {
	var seen []string
	for rest := data; ; {
		var block *pem.Block
		block, rest = pem.Decode(rest)
		if block == nil {
			break
		}
		if block.Type != pemCertificate {
			seen = append(seen, block.Type)
			continue
		}
		cert, err := x509.ParseCertificate(block.Bytes)
		if err != nil {
			return nil, fmt.Errorf("%w: %w", ErrBadCertificate, err)
		}
		return cert, nil
	}
	switch {
	case len(seen) > 0:
		hint := ""
		for _, t := range seen {
			if strings.HasSuffix(t, "PRIVATE KEY") {
				hint = "; this looks like a private key: were the key and certificate paths swapped?"
				break
			}
		}
		return nil, fmt.Errorf("%w: found %s but no CERTIFICATE block%s", ErrNoPEM, strings.Join(seen, ", "), hint)
	case looksLikeDER(data):
		return nil, fmt.Errorf("%w: the data looks like binary DER; convert it to PEM with: openssl x509 -inform der -in CERT.der -out CERT.pem", ErrNoPEM)
	default:
		return nil, fmt.Errorf("%w: expected a PEM certificate beginning with \"-----BEGIN CERTIFICATE-----\"", ErrNoPEM)
	}
}

// parsePrivateKeyPEM is ParsePrivateKeyPEM without the package prefix.
func parsePrivateKeyPEM(data []byte) (crypto.Signer, error) {
	var seen []string
	for rest := data; ; {
		var block *pem.Block
		block, rest = pem.Decode(rest)
		if block == nil {
			break
		}
		if block.Type == pemEncryptedPKCS8 ||
			strings.HasSuffix(block.Type, "PRIVATE KEY") && strings.Contains(block.Headers["Proc-Type"], "ENCRYPTED") {
			return nil, fmt.Errorf("%w (samlab runs unattended and has no passphrase prompt)", ErrEncryptedKey)
		}
		if !strings.HasSuffix(block.Type, "PRIVATE KEY") {
			seen = append(seen, block.Type)
			continue
		}
		key, err := parseKeyDER(block.Type, block.Bytes)
		if err != nil {
			return nil, err
		}
		if err := checkKeyStrength(key); err != nil {
			return nil, err
		}
		return key, nil
	}
	switch {
	case len(seen) > 0:
		hint := ""
		for _, t := range seen {
			if t == pemCertificate {
				hint = "; this looks like a certificate: were the key and certificate paths swapped?"
				break
			}
		}
		return nil, fmt.Errorf("%w: found %s but no PRIVATE KEY block%s", ErrNoPEM, strings.Join(seen, ", "), hint)
	case looksLikeDER(data):
		return nil, fmt.Errorf("%w: the data looks like binary DER; convert it to PEM with: openssl pkey -inform der -in KEY.der -out KEY.pem", ErrNoPEM)
	default:
		return nil, fmt.Errorf("%w: expected a PEM private key beginning with \"-----BEGIN PRIVATE KEY-----\" (PKCS#8), \"-----BEGIN RSA PRIVATE KEY-----\" (PKCS#1) or \"-----BEGIN EC PRIVATE KEY-----\" (SEC 1)", ErrNoPEM)
	}
}

// parseKeyDER decodes a private key block. The parser its label names is
// tried first; the others follow because mislabelled blocks are common (a
// PKCS#1 body under "PRIVATE KEY"), and the bytes, not the label, decide
// what the key is.
func parseKeyDER(label string, der []byte) (crypto.Signer, error) {
	pkcs8 := func(b []byte) (any, error) { return x509.ParsePKCS8PrivateKey(b) }
	pkcs1 := func(b []byte) (any, error) { return x509.ParsePKCS1PrivateKey(b) }
	sec1 := func(b []byte) (any, error) { return x509.ParseECPrivateKey(b) }
	var order []func([]byte) (any, error)
	switch label {
	case pemPKCS1:
		order = append(order, pkcs1, pkcs8, sec1)
	case pemSEC1:
		order = append(order, sec1, pkcs8, pkcs1)
	default:
		order = append(order, pkcs8, pkcs1, sec1)
	}
	var firstErr error
	for _, parse := range order {
		key, err := parse(der)
		if err != nil {
			if firstErr == nil {
				firstErr = err
			}
			continue
		}
		switch k := key.(type) {
		case *rsa.PrivateKey:
			return k, nil
		case *ecdsa.PrivateKey:
			return k, nil
		case ed25519.PrivateKey:
			return nil, fmt.Errorf("%w: Ed25519 keys cannot sign SAML for AWS; use RSA (2048 bits or more) or ECDSA P-256/P-384/P-521, e.g. samlab certs generate --key rsa-2048", ErrUnsupportedKey)
		default:
			return nil, fmt.Errorf("%w: key type %T; use RSA (2048 bits or more) or ECDSA P-256/P-384/P-521, e.g. samlab certs generate --key rsa-2048", ErrUnsupportedKey, key)
		}
	}
	return nil, fmt.Errorf("%w: %q block: %w", ErrUnsupportedKey, label, firstErr)
}

// checkKeyStrength refuses keys too weak to sign assertions (SEC-26).
func checkKeyStrength(key crypto.Signer) error {
	switch k := key.(type) {
	case *rsa.PrivateKey:
		if bits := k.N.BitLen(); bits < MinRSABits {
			return fmt.Errorf("%w: the RSA key has %d bits, samlab requires at least %d; generate a new pair with: samlab certs generate --key rsa-2048", ErrWeakKey, bits, MinRSABits)
		}
	case *ecdsa.PrivateKey:
		switch k.Curve {
		case elliptic.P256(), elliptic.P384(), elliptic.P521():
		default:
			return fmt.Errorf("%w: ECDSA curve %s is not allowed, use P-256, P-384 or P-521; generate a new pair with: samlab certs generate --key ecdsa-p256", ErrWeakKey, curveName(k.Curve))
		}
	}
	return nil
}

func curveName(c elliptic.Curve) string {
	if c == nil || c.Params() == nil {
		return "(unknown)"
	}
	return c.Params().Name
}

// decryptHint tells how to turn an encrypted key into one samlab reads, or
// returns "" for other errors. The umask keeps the decrypted copy private
// from its first byte.
func decryptHint(err error, path string) string {
	if !errors.Is(err, ErrEncryptedKey) {
		return ""
	}
	q := shellQuote(path)
	plain := shellQuote(path + ".plain")
	return fmt.Sprintf("; decrypt it once and point samlab at the copy: (umask 077; openssl pkey -in %s -out %s)", q, plain)
}

// looksLikeDER reports whether data starts like a DER SEQUENCE, to suggest a
// conversion instead of a bare "no PEM".
func looksLikeDER(data []byte) bool {
	return len(data) > 2 && data[0] == 0x30 && !bytes.Contains(data, []byte("-----BEGIN"))
}

// shellQuote quotes s for a POSIX shell when it holds anything beyond
// characters that are safe bare in a path.
func shellQuote(s string) string {
	safe := s != "" && strings.IndexFunc(s, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("/._-+,:@%=", r))
	}) < 0
	if safe {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
