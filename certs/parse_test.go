package certs

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"strings"
	"testing"
)

func TestParseCertificateBase64(t *testing.T) {
	t.Parallel()
	certPEM := validCertPEM(t, testP256())
	blk, _ := pem.Decode(certPEM)
	b64 := base64.StdEncoding.EncodeToString(blk.Bytes)
	// Metadata wraps and indents the value.
	var wrapped strings.Builder
	for i := 0; i < len(b64); i += 64 {
		wrapped.WriteString("\n        ")
		wrapped.WriteString(b64[i:min(i+64, len(b64))])
	}
	wrapped.WriteString("\n      ")

	tests := []struct {
		name   string
		in     string
		wantIs error // nil: must parse to the certificate
	}{
		{"one line", b64, nil},
		{"wrapped and indented", wrapped.String(), nil},
		{"no padding", strings.TrimRight(b64, "="), nil},
		{"PEM", string(certPEM), nil},
		{"empty", "  \n ", ErrBadCertificate},
		{"not base64", "!!!not base64!!!", ErrBadCertificate},
		{"base64 of garbage", base64.StdEncoding.EncodeToString([]byte("garbage")), ErrBadCertificate},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			cert, err := ParseCertificateBase64(tt.in)
			if tt.wantIs != nil {
				if !errors.Is(err, tt.wantIs) {
					t.Fatalf("err = %v, want %v", err, tt.wantIs)
				}
				if !strings.HasPrefix(err.Error(), "certs: ") {
					t.Errorf("error lacks the package prefix: %v", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseCertificateBase64: %v", err)
			}
			if string(cert.Raw) != string(blk.Bytes) {
				t.Errorf("parsed a different certificate")
			}
		})
	}
}

func TestParseCertificatePEM(t *testing.T) {
	t.Parallel()
	certPEM := validCertPEM(t, testP256())
	tests := []struct {
		name     string
		in       []byte
		wantIs   error
		wantText string
	}{
		{"plain", certPEM, nil, ""},
		{"text before and CRLF", []byte("subject=CN = test\r\n" + strings.ReplaceAll(string(certPEM), "\n", "\r\n")), nil, ""},
		{"key before the certificate", append(pkcs8PEM(t, testP256()), certPEM...), nil, ""},
		{"empty", nil, ErrNoPEM, "-----BEGIN CERTIFICATE-----"},
		{"a key only", pkcs8PEM(t, testP256()), ErrNoPEM, "swapped"},
		{"truncated", certPEM[:len(certPEM)/2], ErrNoPEM, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			cert, err := ParseCertificatePEM(tt.in)
			if tt.wantIs != nil {
				if !errors.Is(err, tt.wantIs) || !strings.Contains(err.Error(), tt.wantText) {
					t.Fatalf("err = %v, want %v containing %q", err, tt.wantIs, tt.wantText)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseCertificatePEM: %v", err)
			}
			if got := cert.Subject.CommonName; got != "test fixture" {
				t.Errorf("CommonName = %q", got)
			}
		})
	}
}

func TestParsePrivateKeyPEMEncryptedHint(t *testing.T) {
	t.Parallel()
	_, err := ParsePrivateKeyPEM(pemBlock("ENCRYPTED PRIVATE KEY", []byte{0x30, 0}))
	if !errors.Is(err, ErrEncryptedKey) {
		t.Fatalf("err = %v, want ErrEncryptedKey", err)
	}
	if want := "openssl pkey -in KEY_FILE -out KEY_FILE.plain"; !strings.Contains(err.Error(), want) {
		t.Errorf("error lacks %q:\n%v", want, err)
	}
}

func TestShellQuote(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"/etc/samlab/idp.key", "/etc/samlab/idp.key"},
		{"/tmp/my keys/idp.key", "'/tmp/my keys/idp.key'"},
		{"/tmp/it's", `'/tmp/it'\''s'`},
		{"", "''"},
	}
	for _, tt := range tests {
		if got := shellQuote(tt.in); got != tt.want {
			t.Errorf("shellQuote(%q) = %s, want %s", tt.in, got, tt.want)
		}
	}
}

func TestKeyPairHelpers(t *testing.T) {
	t.Parallel()
	certPEM := validCertPEM(t, testP256())
	cert, err := ParseCertificatePEM(certPEM)
	if err != nil {
		t.Fatal(err)
	}
	kp := &KeyPair{Signer: testP256(), Certificate: cert}
	if got := string(kp.CertificatePEM()); got != string(certPEM) {
		t.Errorf("CertificatePEM() =\n%s\nwant\n%s", got, certPEM)
	}
	if got, want := kp.CertificateBase64(), base64.StdEncoding.EncodeToString(cert.Raw); got != want {
		t.Errorf("CertificateBase64() = %q, want %q", got, want)
	}
	sum := sha256.Sum256(cert.Raw)
	fp := kp.Fingerprint()
	if got, want := strings.ReplaceAll(fp, ":", ""), strings.ToUpper(hex.EncodeToString(sum[:])); got != want || len(fp) != 32*3-1 {
		t.Errorf("Fingerprint() = %q, want %q as colon-separated pairs", fp, want)
	}

	var nilPair *KeyPair
	if nilPair.CertificatePEM() != nil || nilPair.CertificateBase64() != "" || nilPair.Fingerprint() != "" || nilPair.Algorithm() != "unknown" {
		t.Errorf("a nil *KeyPair should give empty results")
	}
}

func TestAlgorithmNames(t *testing.T) {
	t.Parallel()
	tests := []struct {
		kp   *KeyPair
		want string
	}{
		{&KeyPair{Signer: testRSA2048()}, "rsa-2048"},
		{&KeyPair{Signer: testRSA1024()}, "rsa-1024"},
		{&KeyPair{Signer: testP256()}, "ecdsa-p256"},
		{&KeyPair{Signer: testP384()}, "ecdsa-p384"},
		{&KeyPair{Signer: testP224()}, "ecdsa-p224"},
		{&KeyPair{Signer: testEd25519(t)}, "unknown"},
		{&KeyPair{}, "unknown"},
	}
	for _, tt := range tests {
		if got := tt.kp.Algorithm(); got != tt.want {
			t.Errorf("Algorithm() of %T = %q, want %q", tt.kp.Signer, got, tt.want)
		}
	}
}
