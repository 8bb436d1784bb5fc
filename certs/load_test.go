package certs

import (
	"bytes"
	"crypto"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

func TestLoadKeyFormats(t *testing.T) {
	t.Parallel()
	// openssl ecparam -genkey writes the curve parameters before the key.
	ecParams := []byte("-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----\n")
	tests := []struct {
		name    string
		key     crypto.Signer
		keyPEM  func(t *testing.T) []byte
		wantAlg string
	}{
		{"PKCS#1 RSA", testRSA2048(), func(t *testing.T) []byte { return pkcs1PEM(testRSA2048()) }, "rsa-2048"},
		{"PKCS#8 RSA", testRSA2048(), func(t *testing.T) []byte { return pkcs8PEM(t, testRSA2048()) }, "rsa-2048"},
		{"PKCS#8 ECDSA P-256", testP256(), func(t *testing.T) []byte { return pkcs8PEM(t, testP256()) }, "ecdsa-p256"},
		{"PKCS#8 ECDSA P-384", testP384(), func(t *testing.T) []byte { return pkcs8PEM(t, testP384()) }, "ecdsa-p384"},
		{"SEC1 ECDSA", testP256(), func(t *testing.T) []byte { return sec1PEM(t, testP256()) }, "ecdsa-p256"},
		{"SEC1 after EC PARAMETERS", testP256(), func(t *testing.T) []byte { return append(ecParams, sec1PEM(t, testP256())...) }, "ecdsa-p256"},
		{"PKCS#1 body labelled PRIVATE KEY", testRSA2048(), func(t *testing.T) []byte {
			// Some tools write a PKCS#1 body under the PKCS#8 label.
			blk, _ := pem.Decode(pkcs1PEM(testRSA2048()))
			return pemBlock("PRIVATE KEY", blk.Bytes)
		}, "rsa-2048"},
		{"CRLF line endings and leading text", testP256(), func(t *testing.T) []byte {
			return append([]byte("Bag Attributes: from a PKCS#12 export\r\n"), bytes.ReplaceAll(pkcs8PEM(t, testP256()), []byte("\n"), []byte("\r\n"))...)
		}, "ecdsa-p256"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			keyPath, certPath := writePair(t, tt.keyPEM(t), validCertPEM(t, tt.key))
			kp, err := LoadWith(keyPath, certPath, LoadOptions{Now: fixedNow})
			if err != nil {
				t.Fatalf("LoadWith: %v", err)
			}
			if got := kp.Algorithm(); got != tt.wantAlg {
				t.Errorf("Algorithm() = %q, want %q", got, tt.wantAlg)
			}
			type equaler interface{ Equal(crypto.PrivateKey) bool }
			if !kp.Signer.(equaler).Equal(tt.key) {
				t.Errorf("loaded key differs from the one written")
			}
			if kp.KeyPath != keyPath || kp.CertPath != certPath {
				t.Errorf("paths = %q, %q; want %q, %q", kp.KeyPath, kp.CertPath, keyPath, certPath)
			}
		})
	}
}

func TestLoadCertificateChainUsesFirst(t *testing.T) {
	t.Parallel()
	leaf := validCertPEM(t, testP256())
	other := validCertPEM(t, testRSA2048())
	keyPath, certPath := writePair(t, pkcs8PEM(t, testP256()), append(append([]byte{}, leaf...), other...))
	kp, err := LoadWith(keyPath, certPath, LoadOptions{Now: fixedNow})
	if err != nil {
		t.Fatalf("LoadWith: %v", err)
	}
	if !bytes.Equal(kp.CertificatePEM(), leaf) {
		t.Errorf("CertificatePEM() is not the first certificate of the file")
	}
}

// errCase describes an expected error: the sentinels it must wrap and the
// text it must contain.
type errCase struct {
	wantIs   []error
	wantText []string
}

func (c errCase) check(t *testing.T, err error) {
	t.Helper()
	if err == nil {
		t.Fatalf("got no error, want one wrapping %v", c.wantIs)
	}
	for _, target := range c.wantIs {
		if !errors.Is(err, target) {
			t.Errorf("error does not wrap %q:\n%v", target, err)
		}
	}
	for _, s := range c.wantText {
		if !strings.Contains(err.Error(), s) {
			t.Errorf("error lacks %q:\n%v", s, err)
		}
	}
	if !strings.HasPrefix(err.Error(), "certs: ") {
		t.Errorf("error lacks the package prefix:\n%v", err)
	}
}

func TestLoadErrors(t *testing.T) {
	t.Parallel()
	rsaKey := pkcs8PEM(t, testRSA2048())
	rsaCert := validCertPEM(t, testRSA2048())
	tests := []struct {
		name string
		// setup writes files into dir and returns the key and cert paths.
		setup func(t *testing.T, dir string) (string, string)
		errCase
	}{
		{
			name: "key file missing",
			setup: func(t *testing.T, dir string) (string, string) {
				return filepath.Join(dir, "nope.key"), writeFile(t, dir, "c.crt", rsaCert, 0o644)
			},
			errCase: errCase{[]error{fs.ErrNotExist}, []string{"key file", "nope.key"}},
		},
		{
			name: "both files missing are both reported",
			setup: func(t *testing.T, dir string) (string, string) {
				return filepath.Join(dir, "nope.key"), filepath.Join(dir, "nope.crt")
			},
			errCase: errCase{[]error{fs.ErrNotExist}, []string{"nope.key", "nope.crt"}},
		},
		{
			name: "empty key file",
			setup: func(t *testing.T, dir string) (string, string) {
				return writeFile(t, dir, "k", nil, 0o600), writeFile(t, dir, "c", rsaCert, 0o644)
			},
			errCase: errCase{[]error{ErrNoPEM}, []string{`"-----BEGIN PRIVATE KEY-----"`}},
		},
		{
			name: "paths swapped",
			setup: func(t *testing.T, dir string) (string, string) {
				return writeFile(t, dir, "c", rsaCert, 0o600), writeFile(t, dir, "k", rsaKey, 0o600)
			},
			errCase: errCase{[]error{ErrNoPEM}, []string{"found CERTIFICATE but no PRIVATE KEY block", "found PRIVATE KEY but no CERTIFICATE block", "swapped"}},
		},
		{
			name: "DER key",
			setup: func(t *testing.T, dir string) (string, string) {
				blk, _ := pem.Decode(rsaKey)
				return writeFile(t, dir, "k", blk.Bytes, 0o600), writeFile(t, dir, "c", rsaCert, 0o644)
			},
			errCase: errCase{[]error{ErrNoPEM}, []string{"openssl pkey -inform der"}},
		},
		{
			name: "DER certificate",
			setup: func(t *testing.T, dir string) (string, string) {
				blk, _ := pem.Decode(rsaCert)
				return writeFile(t, dir, "k", rsaKey, 0o600), writeFile(t, dir, "c", blk.Bytes, 0o644)
			},
			errCase: errCase{[]error{ErrNoPEM}, []string{"openssl x509 -inform der"}},
		},
		{
			name: "encrypted PKCS#8",
			setup: func(t *testing.T, dir string) (string, string) {
				return writeFile(t, dir, "enc.key", pemBlock("ENCRYPTED PRIVATE KEY", []byte{0x30, 0x00}), 0o600), writeFile(t, dir, "c", rsaCert, 0o644)
			},
			errCase: errCase{[]error{ErrEncryptedKey}, []string{"(umask 077; openssl pkey -in ", "enc.key", " -out ", "enc.key.plain"}},
		},
		{
			name: "legacy encrypted PEM",
			setup: func(t *testing.T, dir string) (string, string) {
				blk := &pem.Block{Type: "RSA PRIVATE KEY", Headers: map[string]string{"Proc-Type": "4,ENCRYPTED", "DEK-Info": "AES-256-CBC,00112233445566778899AABBCCDDEEFF"}, Bytes: []byte{1, 2, 3}}
				return writeFile(t, dir, "k", pem.EncodeToMemory(blk), 0o600), writeFile(t, dir, "c", rsaCert, 0o644)
			},
			errCase: errCase{[]error{ErrEncryptedKey}, []string{"openssl pkey"}},
		},
		{
			name: "Ed25519 key",
			setup: func(t *testing.T, dir string) (string, string) {
				k := testEd25519(t)
				return writeFile(t, dir, "k", pkcs8PEM(t, k), 0o600), writeFile(t, dir, "c", validCertPEM(t, k), 0o644)
			},
			errCase: errCase{[]error{ErrUnsupportedKey}, []string{"Ed25519", "samlab certs generate"}},
		},
		{
			name: "garbage in a key block",
			setup: func(t *testing.T, dir string) (string, string) {
				return writeFile(t, dir, "k", pemBlock("PRIVATE KEY", []byte("not DER")), 0o600), writeFile(t, dir, "c", rsaCert, 0o644)
			},
			errCase: errCase{[]error{ErrUnsupportedKey}, []string{`"PRIVATE KEY" block`}},
		},
		{
			name: "RSA 1024",
			setup: func(t *testing.T, dir string) (string, string) {
				k := testRSA1024()
				return writeFile(t, dir, "k", pkcs1PEM(k), 0o600), writeFile(t, dir, "c", validCertPEM(t, k), 0o644)
			},
			errCase: errCase{[]error{ErrWeakKey}, []string{"1024 bits", "at least 2048"}},
		},
		{
			name: "ECDSA P-224",
			setup: func(t *testing.T, dir string) (string, string) {
				k := testP224()
				return writeFile(t, dir, "k", sec1PEM(t, k), 0o600), writeFile(t, dir, "c", validCertPEM(t, k), 0o644)
			},
			errCase: errCase{[]error{ErrWeakKey}, []string{"P-224", "P-256, P-384 or P-521"}},
		},
		{
			name: "key and certificate do not match",
			setup: func(t *testing.T, dir string) (string, string) {
				return writeFile(t, dir, "idp.key", rsaKey, 0o600), writeFile(t, dir, "other.crt", validCertPEM(t, testRSAOther()), 0o644)
			},
			errCase: errCase{[]error{ErrKeyMismatch}, []string{"other.crt", "was not issued for this key", "idp.key", `CN=test fixture`, "serial 1092"}},
		},
		{
			name: "key and certificate of different types",
			setup: func(t *testing.T, dir string) (string, string) {
				return writeFile(t, dir, "k", rsaKey, 0o600), writeFile(t, dir, "c", validCertPEM(t, testP256()), 0o644)
			},
			errCase: errCase{[]error{ErrKeyMismatch}, []string{"ecdsa-p256) was not issued for this key", "(rsa-2048)"}},
		},
		{
			name: "expired certificate",
			setup: func(t *testing.T, dir string) (string, string) {
				der := makeCertDER(t, testRSA2048(), testNow.AddDate(-2, 0, 0), testNow.AddDate(0, 0, -1))
				return writeFile(t, dir, "k", rsaKey, 0o600), writeFile(t, dir, "c", pemBlock("CERTIFICATE", der), 0o644)
			},
			errCase: errCase{[]error{ErrCertificateExpired}, []string{"expired on 2026-05-31T12:00:00Z", "valid from 2024-06-01T12:00:00Z until 2026-05-31T12:00:00Z; now is 2026-06-01T12:00:00Z", "samlab certs generate"}},
		},
		{
			name: "certificate not yet valid",
			setup: func(t *testing.T, dir string) (string, string) {
				der := makeCertDER(t, testRSA2048(), testNow.AddDate(0, 0, 1), testNow.AddDate(1, 0, 0))
				return writeFile(t, dir, "k", rsaKey, 0o600), writeFile(t, dir, "c", pemBlock("CERTIFICATE", der), 0o644)
			},
			errCase: errCase{[]error{ErrCertificateNotYetValid}, []string{"not yet valid until 2026-06-02T12:00:00Z", "system clock"}},
		},
		{
			name: "unprotected key and expired certificate are both reported",
			setup: func(t *testing.T, dir string) (string, string) {
				der := makeCertDER(t, testRSA2048(), testNow.AddDate(-2, 0, 0), testNow.AddDate(0, 0, -1))
				return writeFile(t, dir, "k", rsaKey, 0o644), writeFile(t, dir, "c", pemBlock("CERTIFICATE", der), 0o644)
			},
			errCase: errCase{[]error{ErrUnprotectedKey, ErrCertificateExpired}, nil},
		},
		{
			name: "corrupt certificate",
			setup: func(t *testing.T, dir string) (string, string) {
				return writeFile(t, dir, "k", rsaKey, 0o600), writeFile(t, dir, "c", pemBlock("CERTIFICATE", []byte{0x30, 0x03, 1, 2, 3}), 0o644)
			},
			errCase: errCase{[]error{ErrBadCertificate}, []string{"certificate file"}},
		},
		{
			name: "key path is a directory",
			setup: func(t *testing.T, dir string) (string, string) {
				return dir, writeFile(t, dir, "c", rsaCert, 0o644)
			},
			errCase: errCase{nil, []string{"is not a regular file"}},
		},
		{
			name: "oversized key file",
			setup: func(t *testing.T, dir string) (string, string) {
				return writeFile(t, dir, "k", bytes.Repeat([]byte("A"), maxFileSize+1), 0o600), writeFile(t, dir, "c", rsaCert, 0o644)
			},
			errCase: errCase{nil, []string{"is larger than 1048576 bytes"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			keyPath, certPath := tt.setup(t, t.TempDir())
			kp, err := LoadWith(keyPath, certPath, LoadOptions{Now: fixedNow})
			if kp != nil {
				t.Errorf("LoadWith returned a key pair with the error")
			}
			tt.check(t, err)
		})
	}
}

func TestLoadAllowExpiredAndClock(t *testing.T) {
	t.Parallel()
	der := makeCertDER(t, testP256(), testNow.AddDate(-2, 0, 0), testNow.AddDate(0, 0, -1))
	keyPath, certPath := writePair(t, pkcs8PEM(t, testP256()), pemBlock("CERTIFICATE", der))

	if _, err := LoadWith(keyPath, certPath, LoadOptions{Now: fixedNow}); !errors.Is(err, ErrCertificateExpired) {
		t.Fatalf("without AllowExpired: err = %v, want ErrCertificateExpired", err)
	}
	if _, err := LoadWith(keyPath, certPath, LoadOptions{Now: fixedNow, AllowExpired: true}); err != nil {
		t.Errorf("with AllowExpired: %v", err)
	}
	past := func() time.Time { return testNow.AddDate(-1, 0, 0) }
	if _, err := LoadWith(keyPath, certPath, LoadOptions{Now: past}); err != nil {
		t.Errorf("with a clock inside the validity period: %v", err)
	}
	// AllowExpired does not excuse other problems.
	otherCert := writeFile(t, t.TempDir(), "c", validCertPEM(t, testRSA2048()), 0o644)
	if _, err := LoadWith(keyPath, otherCert, LoadOptions{AllowExpired: true}); !errors.Is(err, ErrKeyMismatch) {
		t.Errorf("mismatch with AllowExpired: err = %v, want ErrKeyMismatch", err)
	}
}

func TestLoadKeyFileModes(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("file modes are not checked on Windows")
	}
	t.Parallel()
	keyPEM := pkcs8PEM(t, testP256())
	certPEM := validCertPEM(t, testP256())
	tests := []struct {
		mode   os.FileMode
		wantOK bool
	}{
		{0o600, true},
		{0o400, true},
		{0o700, true},
		{0o644, false},
		{0o640, false},
		{0o604, false},
		{0o660, false},
		{0o606, false},
		{0o610, false},
		{0o601, false},
		{0o777, false},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%04o", tt.mode), func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			keyPath := writeFile(t, dir, "idp.key", keyPEM, tt.mode)
			certPath := writeFile(t, dir, "idp.crt", certPEM, 0o644)
			_, err := LoadWith(keyPath, certPath, LoadOptions{Now: fixedNow})
			if tt.wantOK {
				if err != nil {
					t.Fatalf("mode %04o refused: %v", tt.mode, err)
				}
				return
			}
			errCase{
				[]error{ErrUnprotectedKey},
				[]string{
					"UNPROTECTED PRIVATE KEY FILE",
					fmt.Sprintf("permissions %04o are too open", tt.mode),
					"run: chmod 600 " + shellQuote(keyPath),
				},
			}.check(t, err)
		})
	}
}

func TestLoadKeyModeOfSymlinkTarget(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("file modes are not checked on Windows")
	}
	t.Parallel()
	dir := t.TempDir()
	target := writeFile(t, dir, "real.key", pkcs8PEM(t, testP256()), 0o644)
	link := filepath.Join(dir, "link.key")
	if err := os.Symlink(target, link); err != nil {
		t.Skipf("symlinks unsupported: %v", err)
	}
	certPath := writeFile(t, dir, "idp.crt", validCertPEM(t, testP256()), 0o644)
	// The link itself is 0777; what counts is the file opened through it.
	if _, err := LoadWith(link, certPath, LoadOptions{Now: fixedNow}); !errors.Is(err, ErrUnprotectedKey) {
		t.Fatalf("0644 target through a symlink: err = %v, want ErrUnprotectedKey", err)
	}
	if err := os.Chmod(target, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadWith(link, certPath, LoadOptions{Now: fixedNow}); err != nil {
		t.Errorf("0600 target through a symlink: %v", err)
	}
}

func TestLoadUnreadableKey(t *testing.T) {
	if runtime.GOOS == "windows" || os.Geteuid() == 0 {
		t.Skip("needs POSIX permissions and a non-root user")
	}
	t.Parallel()
	keyPath, certPath := writePair(t, pkcs8PEM(t, testP256()), validCertPEM(t, testP256()))
	if err := os.Chmod(keyPath, 0o000); err != nil {
		t.Fatal(err)
	}
	_, err := LoadWith(keyPath, certPath, LoadOptions{Now: fixedNow})
	errCase{[]error{fs.ErrPermission}, []string{"key file", keyPath}}.check(t, err)
}

func TestLoadCertificateIgnoresMode(t *testing.T) {
	t.Parallel()
	path := writeFile(t, t.TempDir(), "idp.crt", validCertPEM(t, testP256()), 0o666)
	cert, err := LoadCertificate(path)
	if err != nil {
		t.Fatalf("LoadCertificate: %v", err)
	}
	if got, want := cert.Subject.CommonName, "test fixture"; got != want {
		t.Errorf("CommonName = %q, want %q", got, want)
	}
}

// A certificate given as the key is reported as such, not as a key file to
// chmod; a real key that is both exposed and weak gets both errors.
func TestLoadKeyModeAndContentTogether(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("file modes are not checked on Windows")
	}
	t.Parallel()
	dir := t.TempDir()
	certPath := writeFile(t, dir, "idp.crt", validCertPEM(t, testRSA2048()), 0o644)
	_, err := LoadWith(certPath, certPath, LoadOptions{Now: fixedNow})
	errCase{[]error{ErrNoPEM}, []string{"swapped"}}.check(t, err)
	if errors.Is(err, ErrUnprotectedKey) || strings.Contains(err.Error(), "chmod") {
		t.Errorf("a certificate in the key's place got a chmod hint:\n%v", err)
	}

	weak := writeFile(t, dir, "weak.key", pkcs1PEM(testRSA1024()), 0o644)
	weakCert := writeFile(t, dir, "weak.crt", validCertPEM(t, testRSA1024()), 0o644)
	_, err = LoadWith(weak, weakCert, LoadOptions{Now: fixedNow})
	errCase{[]error{ErrUnprotectedKey, ErrWeakKey}, []string{"chmod 600", "1024 bits"}}.check(t, err)
}
