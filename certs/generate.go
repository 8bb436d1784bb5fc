package certs

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"fmt"
	"io"
	"math/big"
	"strings"
	"time"
)

// Algorithms [Generate] offers.
const (
	RSA2048   = "rsa-2048"
	RSA3072   = "rsa-3072"
	ECDSAP256 = "ecdsa-p256"
)

// DefaultAlgorithm is what [Generate] and [LoadOrCreate] use when no
// algorithm is named. RSA is what AWS and most service providers expect of
// a SAML IdP (rsa-sha256 signatures).
const DefaultAlgorithm = RSA2048

// DefaultValidity is the certificate lifetime [Generate] uses when given
// zero: three years, the default of Entra ID's SAML signing certificates.
const DefaultValidity = 3 * 365 * 24 * time.Hour

// DefaultCommonName is the certificate subject's CN when none is given.
const DefaultCommonName = "samlab IdP"

// backdate moves NotBefore into the past so that a service provider whose
// clock is a little behind accepts a certificate generated just now.
const backdate = 5 * time.Minute

// maxCommonNameLen is ub-common-name from RFC 5280.
const maxCommonNameLen = 64

// Algorithms returns the algorithm names [Generate] accepts, default first.
func Algorithms() []string {
	return []string{RSA2048, RSA3072, ECDSAP256}
}

// Generate creates a key and a self-signed X.509 certificate for it: subject
// CN=commonName (default [DefaultCommonName]), a random 128-bit serial
// number, key usage digitalSignature only, signed with SHA-256 (RSA PKCS#1
// v1.5 or ECDSA), valid from five minutes before now for validity (default
// [DefaultValidity] when zero).
//
// alg is one of [Algorithms]; "" means [DefaultAlgorithm]. rnd supplies the
// serial number and, where the standard library honours it, key and
// signature randomness; nil means crypto/rand.Reader. Since Go 1.26 key
// generation always uses the system's secure source, so the same rnd does
// not give the same key.
func Generate(alg string, commonName string, validity time.Duration, rnd io.Reader, now time.Time) (*KeyPair, error) {
	if alg == "" {
		alg = DefaultAlgorithm
	}
	if rnd == nil {
		rnd = rand.Reader
	}
	if commonName == "" {
		commonName = DefaultCommonName
	}
	var problems []string
	if len(commonName) > maxCommonNameLen {
		problems = append(problems, fmt.Sprintf("common name is %d bytes, at most %d are allowed (RFC 5280)", len(commonName), maxCommonNameLen))
	}
	if validity < 0 {
		problems = append(problems, fmt.Sprintf("validity %s is negative", validity))
	}
	if validity == 0 {
		validity = DefaultValidity
	}
	if len(problems) > 0 {
		return nil, fmt.Errorf("certs: generate: %s", strings.Join(problems, "; "))
	}

	var (
		signer crypto.Signer
		sigAlg x509.SignatureAlgorithm
		err    error
	)
	switch alg {
	case RSA2048, RSA3072:
		bits := 2048
		if alg == RSA3072 {
			bits = 3072
		}
		signer, err = rsa.GenerateKey(rnd, bits)
		sigAlg = x509.SHA256WithRSA
	case ECDSAP256:
		signer, err = ecdsa.GenerateKey(elliptic.P256(), rnd)
		sigAlg = x509.ECDSAWithSHA256
	default:
		return nil, fmt.Errorf("certs: generate: %w %q; choose one of %s", ErrUnknownAlgorithm, alg, strings.Join(Algorithms(), ", "))
	}
	if err != nil {
		return nil, fmt.Errorf("certs: generate %s key: %w", alg, err)
	}

	serial, err := randomSerial(rnd)
	if err != nil {
		return nil, fmt.Errorf("certs: generate serial number: %w", err)
	}
	notBefore := now.Add(-backdate).UTC().Truncate(time.Second)
	tmpl := &x509.Certificate{
		SerialNumber:          serial,
		Subject:               pkix.Name{CommonName: commonName},
		NotBefore:             notBefore,
		NotAfter:              notBefore.Add(validity),
		KeyUsage:              x509.KeyUsageDigitalSignature,
		BasicConstraintsValid: true,
		SignatureAlgorithm:    sigAlg,
	}
	der, err := x509.CreateCertificate(rnd, tmpl, tmpl, signer.Public(), signer)
	if err != nil {
		return nil, fmt.Errorf("certs: create certificate: %w", err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, fmt.Errorf("certs: parse generated certificate: %w", err)
	}
	return &KeyPair{Signer: signer, Certificate: cert}, nil
}

// randomSerial returns a positive 128-bit serial number (RFC 5280 allows up
// to 20 octets; CA/B Forum asks for at least 64 random bits).
func randomSerial(rnd io.Reader) (*big.Int, error) {
	var b [16]byte
	for range 4 { // all zeros has odds 2^-128: a broken reader, not bad luck
		if _, err := io.ReadFull(rnd, b[:]); err != nil {
			return nil, err
		}
		if n := new(big.Int).SetBytes(b[:]); n.Sign() > 0 {
			return n, nil
		}
	}
	return nil, errors.New("the random source returned only zero bytes")
}
