package certs

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"testing"
)

// The fuzz targets feed outside input (files, metadata, KeyInfo) to the
// parsers. They check that nothing panics, that every failure is one of the
// package's errors, and that what parses survives a round trip.

func FuzzParseCertificatePEM(f *testing.F) {
	f.Add(validCertPEM(f, testP256()))
	f.Add(append(pkcs8PEM(f, testP256()), validCertPEM(f, testP256())...))
	f.Add([]byte("-----BEGIN CERTIFICATE-----\nMAA=\n-----END CERTIFICATE-----\n"))
	f.Add([]byte{0x30, 0x82, 0x01})
	f.Add([]byte(""))
	f.Fuzz(func(t *testing.T, data []byte) {
		cert, err := ParseCertificatePEM(data)
		if err != nil {
			if !errors.Is(err, ErrNoPEM) && !errors.Is(err, ErrBadCertificate) {
				t.Fatalf("error wraps no sentinel: %v", err)
			}
			return
		}
		again, err := ParseCertificateBase64(base64.StdEncoding.EncodeToString(cert.Raw))
		if err != nil || !again.Equal(cert) {
			t.Fatalf("base64 round trip: %v", err)
		}
	})
}

func FuzzParseCertificateBase64(f *testing.F) {
	blk, _ := pem.Decode(validCertPEM(f, testP256()))
	f.Add(base64.StdEncoding.EncodeToString(blk.Bytes))
	f.Add("  MIIB\n  AAAA  ")
	f.Add("-----BEGIN CERTIFICATE-----\n")
	f.Add("")
	f.Fuzz(func(t *testing.T, s string) {
		cert, err := ParseCertificateBase64(s)
		if err != nil {
			if !errors.Is(err, ErrNoPEM) && !errors.Is(err, ErrBadCertificate) {
				t.Fatalf("error wraps no sentinel: %v", err)
			}
			return
		}
		if len(cert.Raw) == 0 {
			t.Fatal("parsed a certificate with no bytes")
		}
	})
}

func FuzzParsePrivateKeyPEM(f *testing.F) {
	f.Add(pkcs8PEM(f, testP256()))
	f.Add(sec1PEM(f, testP256()))
	f.Add(pkcs1PEM(testRSA2048()))
	f.Add(pkcs1PEM(testRSA1024()))
	f.Add(sec1PEM(f, testP224()))
	f.Add(pemBlock("ENCRYPTED PRIVATE KEY", []byte{0x30, 0}))
	f.Add(pemBlock("EC PRIVATE KEY", []byte{0x30, 0x03, 0x02, 0x01, 0x01}))
	f.Add(validCertPEM(f, testP256()))
	f.Fuzz(func(t *testing.T, data []byte) {
		signer, err := ParsePrivateKeyPEM(data)
		if err != nil {
			for _, s := range []error{ErrNoPEM, ErrEncryptedKey, ErrUnsupportedKey, ErrWeakKey} {
				if errors.Is(err, s) {
					return
				}
			}
			t.Fatalf("error wraps no sentinel: %v", err)
		}
		switch k := signer.(type) {
		case *rsa.PrivateKey:
			if k.N.BitLen() < MinRSABits {
				t.Fatalf("accepted a %d-bit RSA key", k.N.BitLen())
			}
		case *ecdsa.PrivateKey:
		default:
			t.Fatalf("accepted a %T", signer)
		}
		der, err := x509.MarshalPKCS8PrivateKey(signer)
		if err != nil {
			t.Fatalf("cannot re-encode an accepted key: %v", err)
		}
		again, err := ParsePrivateKeyPEM(pemBlock("PRIVATE KEY", der))
		if err != nil {
			t.Fatalf("re-encoded key does not parse: %v", err)
		}
		if !again.(interface{ Equal(crypto.PrivateKey) bool }).Equal(signer) {
			t.Fatal("round trip changed the key")
		}
	})
}
