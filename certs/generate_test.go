package certs

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"errors"
	"io"
	"math/big"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

func TestGenerate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		alg        string
		wantAlg    string
		wantSigAlg x509.SignatureAlgorithm
	}{
		{"", "rsa-2048", x509.SHA256WithRSA},
		{"rsa-2048", "rsa-2048", x509.SHA256WithRSA},
		{"rsa-3072", "rsa-3072", x509.SHA256WithRSA},
		{"ecdsa-p256", "ecdsa-p256", x509.ECDSAWithSHA256},
	}
	for _, tt := range tests {
		t.Run(tt.wantAlg+"/"+tt.alg, func(t *testing.T) {
			t.Parallel()
			kp, err := Generate(tt.alg, "idp.example.test", 24*time.Hour, nil, testNow)
			if err != nil {
				t.Fatalf("Generate: %v", err)
			}
			cert := kp.Certificate
			if got := kp.Algorithm(); got != tt.wantAlg {
				t.Errorf("Algorithm() = %q, want %q", got, tt.wantAlg)
			}
			if cert.SignatureAlgorithm != tt.wantSigAlg {
				t.Errorf("SignatureAlgorithm = %v, want %v", cert.SignatureAlgorithm, tt.wantSigAlg)
			}
			if cert.KeyUsage != x509.KeyUsageDigitalSignature {
				t.Errorf("KeyUsage = %v, want digitalSignature only", cert.KeyUsage)
			}
			if cert.IsCA {
				t.Errorf("IsCA = true, want a leaf certificate")
			}
			if got, want := cert.Subject.String(), "CN=idp.example.test"; got != want {
				t.Errorf("Subject = %q, want %q", got, want)
			}
			if cert.Issuer.String() != cert.Subject.String() {
				t.Errorf("Issuer %q != Subject %q; want self-signed", cert.Issuer, cert.Subject)
			}
			if err := cert.CheckSignature(cert.SignatureAlgorithm, cert.RawTBSCertificate, cert.Signature); err != nil {
				t.Errorf("self-signature does not verify: %v", err)
			}
			wantNotBefore := testNow.Add(-5 * time.Minute)
			if !cert.NotBefore.Equal(wantNotBefore) || !cert.NotAfter.Equal(wantNotBefore.Add(24*time.Hour)) {
				t.Errorf("validity %v .. %v, want %v .. %v", cert.NotBefore, cert.NotAfter, wantNotBefore, wantNotBefore.Add(24*time.Hour))
			}
			if n := cert.SerialNumber; n.Sign() <= 0 || n.BitLen() > 128 {
				t.Errorf("serial %v: want positive and at most 128 bits", n)
			}
			if !kp.Signer.Public().(interface{ Equal(crypto.PublicKey) bool }).Equal(cert.PublicKey) {
				t.Errorf("certificate does not carry the generated key")
			}
			// AWS-IDC-008: the IdP certificate file must be at most 2,500
			// UTF-8 characters. AWS-STS-018: key of at least 1024 bits.
			if n := utf8.RuneCount(kp.CertificatePEM()); n > 2500 {
				t.Errorf("certificate PEM is %d characters, IAM Identity Center accepts at most 2500", n)
			}
			if k, ok := kp.Signer.(*rsa.PrivateKey); ok && k.N.BitLen() < 2048 {
				t.Errorf("RSA key of %d bits", k.N.BitLen())
			}
			if k, ok := kp.Signer.(*ecdsa.PrivateKey); ok && k.Curve.Params().BitSize < 256 {
				t.Errorf("EC key of %d bits", k.Curve.Params().BitSize)
			}
			if kp.KeyPath != "" || kp.CertPath != "" {
				t.Errorf("a generated pair has paths %q, %q; want none", kp.KeyPath, kp.CertPath)
			}
		})
	}
}

func TestGenerateDefaults(t *testing.T) {
	t.Parallel()
	kp, err := Generate(ECDSAP256, "", 0, rand.Reader, testNow)
	if err != nil {
		t.Fatal(err)
	}
	if got := kp.Certificate.Subject.CommonName; got != DefaultCommonName {
		t.Errorf("CommonName = %q, want %q", got, DefaultCommonName)
	}
	if got := kp.Certificate.NotAfter.Sub(kp.Certificate.NotBefore); got != DefaultValidity {
		t.Errorf("validity = %v, want %v", got, DefaultValidity)
	}
}

func TestGenerateSerialComesFromRnd(t *testing.T) {
	t.Parallel()
	serial := bytes.Repeat([]byte{0xAB}, 16)
	rnd := io.MultiReader(bytes.NewReader(serial), rand.Reader)
	kp, err := Generate(ECDSAP256, "", time.Hour, rnd, testNow)
	if err != nil {
		t.Fatal(err)
	}
	if want := new(big.Int).SetBytes(serial); kp.Certificate.SerialNumber.Cmp(want) != 0 {
		t.Errorf("serial = %X, want %X", kp.Certificate.SerialNumber, want)
	}
}

type zeroReader struct{}

func (zeroReader) Read(p []byte) (int, error) { clear(p); return len(p), nil }

func TestGenerateErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		alg      string
		cn       string
		validity time.Duration
		rnd      io.Reader
		wantIs   error
		wantText []string
	}{
		{"unknown algorithm", "rsa-1024", "", 0, nil, ErrUnknownAlgorithm, []string{`"rsa-1024"`, "rsa-2048, rsa-3072, ecdsa-p256"}},
		{"algorithm is case-sensitive", "RSA-2048", "", 0, nil, ErrUnknownAlgorithm, nil},
		{"negative validity", "", "", -time.Hour, nil, nil, []string{"validity -1h0m0s is negative"}},
		{"long common name", "", strings.Repeat("x", 65), 0, nil, nil, []string{"common name is 65 bytes, at most 64"}},
		{"both problems at once", "", strings.Repeat("x", 65), -time.Hour, nil, nil, []string{"common name", "negative"}},
		{"random source of zeros", ECDSAP256, "", 0, zeroReader{}, nil, []string{"only zero bytes"}},
		{"random source runs dry", ECDSAP256, "", 0, bytes.NewReader([]byte{1, 2}), io.ErrUnexpectedEOF, []string{"serial number"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			kp, err := Generate(tt.alg, tt.cn, tt.validity, tt.rnd, testNow)
			if err == nil {
				t.Fatalf("Generate returned %v and no error", kp.Algorithm())
			}
			if tt.wantIs != nil && !errors.Is(err, tt.wantIs) {
				t.Errorf("err = %v, want it to wrap %v", err, tt.wantIs)
			}
			for _, s := range append(tt.wantText, "certs: ") {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("error lacks %q: %v", s, err)
				}
			}
		})
	}
}
