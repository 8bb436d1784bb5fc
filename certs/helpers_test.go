package certs

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

// Keys are generated once per test binary: RSA generation costs tens to
// hundreds of milliseconds and the tests only need distinct keys.
var (
	testRSA2048  = sync.OnceValue(func() *rsa.PrivateKey { return mustRSA(2048) })
	testRSAOther = sync.OnceValue(func() *rsa.PrivateKey { return mustRSA(2048) })
	testRSA1024  = sync.OnceValue(func() *rsa.PrivateKey { return mustRSA(1024) })
	testP256     = sync.OnceValue(func() *ecdsa.PrivateKey { return mustEC(elliptic.P256()) })
	testP384     = sync.OnceValue(func() *ecdsa.PrivateKey { return mustEC(elliptic.P384()) })
	testP224     = sync.OnceValue(func() *ecdsa.PrivateKey { return mustEC(elliptic.P224()) })
)

func mustRSA(bits int) *rsa.PrivateKey {
	k, err := rsa.GenerateKey(rand.Reader, bits)
	if err != nil {
		panic(err)
	}
	return k
}

func mustEC(c elliptic.Curve) *ecdsa.PrivateKey {
	k, err := ecdsa.GenerateKey(c, rand.Reader)
	if err != nil {
		panic(err)
	}
	return k
}

func testEd25519(t testing.TB) ed25519.PrivateKey {
	t.Helper()
	_, k, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// testNow is the fixed time the tests load certificates at.
var testNow = time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)

func fixedNow() time.Time { return testNow }

// makeCertDER self-signs a certificate for key, valid from notBefore to
// notAfter.
func makeCertDER(t testing.TB, key crypto.Signer, notBefore, notAfter time.Time) []byte {
	t.Helper()
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(4242),
		Subject:      pkix.Name{CommonName: "test fixture"},
		NotBefore:    notBefore,
		NotAfter:     notAfter,
		KeyUsage:     x509.KeyUsageDigitalSignature,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, key.Public(), key)
	if err != nil {
		t.Fatal(err)
	}
	return der
}

// validCertPEM is a PEM certificate for key valid around testNow.
func validCertPEM(t testing.TB, key crypto.Signer) []byte {
	t.Helper()
	return pemBlock("CERTIFICATE", makeCertDER(t, key, testNow.AddDate(-1, 0, 0), testNow.AddDate(1, 0, 0)))
}

func pemBlock(typ string, der []byte) []byte {
	return pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der})
}

func pkcs8PEM(t testing.TB, key any) []byte {
	t.Helper()
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	return pemBlock("PRIVATE KEY", der)
}

func pkcs1PEM(key *rsa.PrivateKey) []byte {
	return pemBlock("RSA PRIVATE KEY", x509.MarshalPKCS1PrivateKey(key))
}

func sec1PEM(t testing.TB, key *ecdsa.PrivateKey) []byte {
	t.Helper()
	der, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	return pemBlock("EC PRIVATE KEY", der)
}

// writeFile writes data to dir/name and sets mode explicitly, so the umask
// does not decide what the test checks.
func writeFile(t *testing.T, dir, name string, data []byte, mode os.FileMode) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, data, mode); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(p, mode); err != nil {
		t.Fatal(err)
	}
	return p
}

// writePair writes a key and certificate PEM into a fresh directory and
// returns their paths.
func writePair(t *testing.T, keyPEM, certPEM []byte) (keyPath, certPath string) {
	t.Helper()
	dir := t.TempDir()
	return writeFile(t, dir, "idp.key", keyPEM, 0o600), writeFile(t, dir, "idp.crt", certPEM, 0o644)
}
