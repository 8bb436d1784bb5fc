package certs

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"encoding/pem"
	"fmt"
	"strings"
)

// KeyPair is the IdP's signing key with its certificate.
type KeyPair struct {
	// Signer is the private key: an *rsa.PrivateKey or *ecdsa.PrivateKey.
	Signer crypto.Signer
	// Certificate is the X.509 certificate published in the IdP metadata.
	// Its public key is Signer's.
	Certificate *x509.Certificate
	// KeyPath and CertPath are the files the pair was loaded from or
	// written to; empty for a pair that exists only in memory.
	KeyPath, CertPath string
}

// CertificatePEM returns the certificate as one PEM "CERTIFICATE" block, the
// form `samlab certs generate` writes and AWS IAM Identity Center accepts as
// the IdP certificate file. It returns nil when kp has no certificate.
func (kp *KeyPair) CertificatePEM() []byte {
	if kp == nil || kp.Certificate == nil {
		return nil
	}
	return pem.EncodeToMemory(&pem.Block{Type: pemCertificate, Bytes: kp.Certificate.Raw})
}

// CertificateBase64 returns the certificate's DER bytes in standard base64 on
// one line, the content of a metadata or KeyInfo <ds:X509Certificate>.
func (kp *KeyPair) CertificateBase64() string {
	if kp == nil || kp.Certificate == nil {
		return ""
	}
	return base64.StdEncoding.EncodeToString(kp.Certificate.Raw)
}

// Fingerprint returns the SHA-256 fingerprint of the certificate as
// upper-case hex pairs separated by colons, as `openssl x509 -fingerprint
// -sha256` prints it.
func (kp *KeyPair) Fingerprint() string {
	if kp == nil || kp.Certificate == nil {
		return ""
	}
	sum := sha256.Sum256(kp.Certificate.Raw)
	h := strings.ToUpper(hex.EncodeToString(sum[:]))
	var b strings.Builder
	for i := 0; i < len(h); i += 2 {
		if i > 0 {
			b.WriteByte(':')
		}
		b.WriteString(h[i : i+2])
	}
	return b.String()
}

// Algorithm names the key's type and size in the vocabulary of [Generate]:
// "rsa-2048", "rsa-3072", "ecdsa-p256", "ecdsa-p384", "ecdsa-p521". It
// returns "unknown" for anything else.
func (kp *KeyPair) Algorithm() string {
	if kp == nil || kp.Signer == nil {
		return "unknown"
	}
	return publicKeyAlgorithm(kp.Signer.Public())
}

// publicKeyAlgorithm names a public key as [KeyPair.Algorithm] does.
func publicKeyAlgorithm(pub crypto.PublicKey) string {
	switch k := pub.(type) {
	case *rsa.PublicKey:
		return fmt.Sprintf("rsa-%d", k.N.BitLen())
	case *ecdsa.PublicKey:
		if k.Curve == nil {
			return "unknown"
		}
		name := k.Curve.Params().Name // "P-256"
		return "ecdsa-" + strings.ToLower(strings.ReplaceAll(name, "-", ""))
	default:
		return "unknown"
	}
}
