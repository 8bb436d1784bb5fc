package web

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/pem"
	"fmt"
	"math/big"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/samlab/samlab/config"
)

// The test SP takes the lint context the library and the CLI take
// ([apps.test_sp]): a decryption key for an app that encrypts, and the
// role the caller will assume (issue 13 item 4).
func TestTestSPLintContext(t *testing.T) {
	dir := t.TempDir()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(3), Subject: pkix.Name{CommonName: "test sp enc"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, key.Public(), key)
	if err != nil {
		t.Fatal(err)
	}
	p8, _ := x509.MarshalPKCS8PrivateKey(key)
	keyPath, certPath := filepath.Join(dir, "sp.key"), filepath.Join(dir, "sp.crt")
	os.WriteFile(keyPath, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: p8}), 0o600)
	os.WriteFile(certPath, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o644)

	e := newTestEnv(t, withReplace(`builtin = "test-sp"`, fmt.Sprintf(`builtin = "test-sp"
encrypt = { cert = %q }
test_sp = { decryption_key = %q, decryption_cert = %q, assume_role = "arn:aws:iam::111122223333:role/Dev" }`, certPath, keyPath, certPath)))
	b := e.browser()
	b.login("alice", "alice-demo")
	start := b.get("/apps/test-sp/start")
	x := field(reField("SAMLResponse"), start.body)
	if x == "" {
		t.Fatalf("no response issued: %d\n%s", start.StatusCode, start.body)
	}
	raw, _ := base64.StdEncoding.DecodeString(x)
	if !strings.Contains(string(raw), "EncryptedAssertion") {
		t.Fatal("the test-sp app did not encrypt")
	}
	got := b.post("/test-sp/acs", url.Values{"SAMLResponse": {x}})
	// Decrypted with the configured key: the NameID is shown ...
	if !strings.Contains(got.body, "alice@contoso.com") {
		t.Errorf("the test SP did not decrypt the assertion:\n%s", got.body)
	}
	// ... and the assumed role, offered by no Role value, is a finding.
	if !strings.Contains(got.body, "AWS-STS-011") {
		t.Errorf("no AWS-STS-011 finding for the role the caller will assume:\n%s", got.body)
	}
}

// [apps.test_sp] belongs to the built-in test SP only, and its key and
// certificate come together.
func TestTestSPConfigRefused(t *testing.T) {
	for _, tt := range []struct{ old, new, want string }{
		{`name = "aws"`, "name = \"aws\"\ntest_sp = { assume_role = \"x\" }", "test_sp"},
		{`builtin = "test-sp"`, "builtin = \"test-sp\"\ntest_sp = { decryption_key = \"sp.key\" }", "decryption_cert"},
	} {
		text := testConfigTOML(t, "http://127.0.0.1:8080", "")
		text = strings.Replace(text, tt.old, tt.new, 1)
		path := filepath.Join(t.TempDir(), "samlab.toml")
		os.WriteFile(path, []byte(text), 0o600)
		if _, err := config.Load(path); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: err = %v, want one naming %s", tt.new, err, tt.want)
		}
	}
}
