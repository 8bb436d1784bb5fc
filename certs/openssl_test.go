package certs

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// needOpenSSL returns the openssl binary, skipping the test when it is
// missing unless SAMLAB_REQUIRE_TOOLS=1.
func needOpenSSL(t *testing.T) string {
	t.Helper()
	p, err := exec.LookPath("openssl")
	if err != nil {
		if os.Getenv("SAMLAB_REQUIRE_TOOLS") == "1" {
			t.Fatalf("openssl not found and SAMLAB_REQUIRE_TOOLS=1: %v", err)
		}
		t.Skip("openssl not installed")
	}
	return p
}

// openssl runs the openssl command line in dir with a private umask.
func openssl(t *testing.T, bin, dir string, args ...string) []byte {
	t.Helper()
	cmd := exec.Command("sh", append([]string{"-c", `umask 077; exec "$0" "$@"`, bin}, args...)...)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("openssl %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return out
}

// TestLoadOpenSSLKeys loads keys written by an independent tool in each
// format samlab accepts.
func TestLoadOpenSSLKeys(t *testing.T) {
	bin := needOpenSSL(t)
	t.Parallel()
	tests := []struct {
		name    string
		gen     [][]string // commands writing k.pem
		wantAlg string
	}{
		{"genpkey RSA (PKCS#8)", [][]string{{"genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", "k.pem"}}, "rsa-2048"},
		{"genrsa -traditional (PKCS#1)", [][]string{{"genrsa", "-traditional", "-out", "k.pem", "2048"}}, "rsa-2048"},
		{"ecparam -genkey (SEC 1 with parameters)", [][]string{{"ecparam", "-name", "prime256v1", "-genkey", "-out", "k.pem"}}, "ecdsa-p256"},
		{"genpkey EC P-384 (PKCS#8)", [][]string{{"genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-384", "-out", "k.pem"}}, "ecdsa-p384"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			for _, args := range tt.gen {
				openssl(t, bin, dir, args...)
			}
			openssl(t, bin, dir, "req", "-new", "-x509", "-key", "k.pem", "-out", "c.pem", "-days", "3650", "-subj", "/CN=openssl")
			kp, err := Load(filepath.Join(dir, "k.pem"), filepath.Join(dir, "c.pem"))
			if err != nil {
				t.Fatalf("Load: %v", err)
			}
			if got := kp.Algorithm(); got != tt.wantAlg {
				t.Errorf("Algorithm() = %q, want %q", got, tt.wantAlg)
			}
		})
	}
}

// TestOpenSSLEncryptedKeyHint follows the command the error message gives
// and checks the result loads.
func TestOpenSSLEncryptedKeyHint(t *testing.T) {
	bin := needOpenSSL(t)
	t.Parallel()
	for _, gen := range [][]string{
		{"genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-aes256", "-pass", "pass:secret", "-out", "enc.key"},
		{"genrsa", "-traditional", "-aes256", "-passout", "pass:secret", "-out", "enc.key", "2048"},
	} {
		t.Run(gen[0], func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			openssl(t, bin, dir, gen...)
			openssl(t, bin, dir, "req", "-new", "-x509", "-key", "enc.key", "-passin", "pass:secret", "-out", "c.pem", "-days", "30", "-subj", "/CN=openssl")
			keyPath := filepath.Join(dir, "enc.key")
			_, err := Load(keyPath, filepath.Join(dir, "c.pem"))
			if !errors.Is(err, ErrEncryptedKey) {
				t.Fatalf("err = %v, want ErrEncryptedKey", err)
			}
			if want := "openssl pkey -in " + shellQuote(keyPath) + " -out " + shellQuote(keyPath+".plain"); !strings.Contains(err.Error(), want) {
				t.Fatalf("error lacks %q:\n%v", want, err)
			}
			openssl(t, bin, dir, "pkey", "-in", "enc.key", "-passin", "pass:secret", "-out", "enc.key.plain")
			if _, err := Load(keyPath+".plain", filepath.Join(dir, "c.pem")); err != nil {
				t.Errorf("the decrypted key does not load: %v", err)
			}
		})
	}
}

// TestOpenSSLAcceptsWrittenPair checks what Write produces with openssl:
// the key parses and is consistent, the self-signed certificate verifies,
// and both carry the same public key.
func TestOpenSSLAcceptsWrittenPair(t *testing.T) {
	bin := needOpenSSL(t)
	t.Parallel()
	for _, alg := range []string{RSA2048, ECDSAP256} {
		t.Run(alg, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			kp, err := Generate(alg, "", 0, nil, testNow)
			if err != nil {
				t.Fatal(err)
			}
			keyPath, certPath, err := Write(dir, kp)
			if err != nil {
				t.Fatal(err)
			}
			openssl(t, bin, dir, "pkey", "-in", keyPath, "-check", "-noout")
			openssl(t, bin, dir, "verify", "-attime", "1780315200", "-CAfile", certPath, certPath) // 2026-06-01T12:00:00Z
			keyPub := openssl(t, bin, dir, "pkey", "-in", keyPath, "-pubout")
			certPub := openssl(t, bin, dir, "x509", "-in", certPath, "-pubkey", "-noout")
			if !bytes.Equal(keyPub, certPub) {
				t.Errorf("openssl sees different public keys:\n%s\n%s", keyPub, certPub)
			}
			fp := openssl(t, bin, dir, "x509", "-in", certPath, "-noout", "-fingerprint", "-sha256")
			if want := "=" + kp.Fingerprint(); !strings.Contains(string(fp), want) {
				t.Errorf("openssl fingerprint %q, want %q", fp, want)
			}
		})
	}
}
