package certs

import (
	"bytes"
	"crypto"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sync"
	"testing"
)

// genPair generates an ECDSA pair valid around testNow (fast) or, for alg,
// the named algorithm.
func genPair(t *testing.T, alg string) *KeyPair {
	t.Helper()
	kp, err := Generate(alg, "", 0, nil, testNow)
	if err != nil {
		t.Fatal(err)
	}
	return kp
}

// dirNames lists dir, so tests can check no temporary file is left behind.
func dirNames(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

func readBytes(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestWriteThenLoadRoundTrip(t *testing.T) {
	t.Parallel()
	for _, alg := range Algorithms() {
		t.Run(alg, func(t *testing.T) {
			t.Parallel()
			kp := genPair(t, alg)
			dir := filepath.Join(t.TempDir(), "nested", "certs")
			keyPath, certPath, err := Write(dir, kp)
			if err != nil {
				t.Fatalf("Write: %v", err)
			}
			if want := filepath.Join(dir, "idp.key"); keyPath != want || kp.KeyPath != want {
				t.Errorf("key path = %q (kp.KeyPath %q), want %q", keyPath, kp.KeyPath, want)
			}
			if want := filepath.Join(dir, "idp.crt"); certPath != want || kp.CertPath != want {
				t.Errorf("cert path = %q (kp.CertPath %q), want %q", certPath, kp.CertPath, want)
			}
			got, err := LoadWith(keyPath, certPath, LoadOptions{Now: fixedNow})
			if err != nil {
				t.Fatalf("Load after Write: %v", err)
			}
			if !got.Certificate.Equal(kp.Certificate) {
				t.Errorf("loaded certificate differs from the written one")
			}
			if !got.Signer.(interface{ Equal(crypto.PrivateKey) bool }).Equal(kp.Signer) {
				t.Errorf("loaded key differs from the written one")
			}
			if got.Algorithm() != alg {
				t.Errorf("Algorithm() = %q, want %q", got.Algorithm(), alg)
			}
			if blk := readBytes(t, keyPath); !bytes.HasPrefix(blk, []byte("-----BEGIN PRIVATE KEY-----\n")) {
				t.Errorf("key file is not PKCS#8 PEM: %.40q", blk)
			}
			if !bytes.Equal(readBytes(t, certPath), kp.CertificatePEM()) {
				t.Errorf("certificate file is not CertificatePEM()")
			}
			if names := dirNames(t, dir); !slices.Equal(names, []string{"idp.crt", "idp.key"}) {
				t.Errorf("directory holds %q, want only idp.crt and idp.key", names)
			}
		})
	}
}

func TestWriteFileModes(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("POSIX modes")
	}
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "new")
	keyPath, certPath, err := Write(dir, genPair(t, ECDSAP256))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		path string
		want fs.FileMode
	}{{dir, 0o700}, {keyPath, 0o600}, {certPath, 0o644}} {
		fi, err := os.Stat(c.path)
		if err != nil {
			t.Fatal(err)
		}
		if got := fi.Mode().Perm(); got != c.want {
			t.Errorf("%s: mode %04o, want %04o", c.path, got, c.want)
		}
	}
}

func TestWriteRefusesToOverwrite(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		existing []string // files present before the second Write
	}{
		{"both exist", []string{"idp.key", "idp.crt"}},
		{"only the key exists", []string{"idp.key"}},
		{"only the certificate exists", []string{"idp.crt"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			if _, _, err := Write(dir, genPair(t, ECDSAP256)); err != nil {
				t.Fatal(err)
			}
			for _, name := range []string{"idp.key", "idp.crt"} {
				if !slices.Contains(tt.existing, name) {
					os.Remove(filepath.Join(dir, name))
				}
			}
			before := map[string][]byte{}
			for _, name := range tt.existing {
				before[name] = readBytes(t, filepath.Join(dir, name))
			}
			second := genPair(t, ECDSAP256)
			_, _, err := Write(dir, second)
			errCase{[]error{fs.ErrExist}, []string{"refusing to replace", "idp."}}.check(t, err)
			if second.KeyPath != "" {
				t.Errorf("a failed Write recorded KeyPath %q", second.KeyPath)
			}
			if names := dirNames(t, dir); !slices.Equal(names, slices.Sorted(slices.Values(tt.existing))) {
				t.Errorf("directory holds %q, want %q (nothing added, no temporary files)", names, tt.existing)
			}
			for name, b := range before {
				if !bytes.Equal(readBytes(t, filepath.Join(dir, name)), b) {
					t.Errorf("%s was changed", name)
				}
			}
		})
	}
}

func TestWriteOverwrite(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	if _, _, err := Write(dir, genPair(t, ECDSAP256)); err != nil {
		t.Fatal(err)
	}
	second := genPair(t, ECDSAP256)
	keyPath, certPath, err := WriteWith(dir, second, WriteOptions{Overwrite: true})
	if err != nil {
		t.Fatalf("WriteWith(Overwrite): %v", err)
	}
	got, err := LoadWith(keyPath, certPath, LoadOptions{Now: fixedNow})
	if err != nil {
		t.Fatal(err)
	}
	if !got.Certificate.Equal(second.Certificate) {
		t.Errorf("the overwritten pair is not the second one")
	}
	if names := dirNames(t, dir); !slices.Equal(names, []string{"idp.crt", "idp.key"}) {
		t.Errorf("directory holds %q", names)
	}
}

func TestWriteRejectsBadPairs(t *testing.T) {
	t.Parallel()
	good := genPair(t, ECDSAP256)
	weakCert, err := ParseCertificatePEM(validCertPEM(t, testRSA1024()))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		kp   *KeyPair
		want error
	}{
		{"nil", nil, nil},
		{"no certificate", &KeyPair{Signer: good.Signer}, nil},
		{"no key", &KeyPair{Certificate: good.Certificate}, nil},
		{"mismatch", &KeyPair{Signer: testP256(), Certificate: good.Certificate}, ErrKeyMismatch},
		{"weak key", &KeyPair{Signer: testRSA1024(), Certificate: weakCert}, ErrWeakKey},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir := filepath.Join(t.TempDir(), "out")
			_, _, err := Write(dir, tt.kp)
			if err == nil {
				t.Fatal("Write accepted the pair")
			}
			if tt.want != nil && !errors.Is(err, tt.want) {
				t.Errorf("err = %v, want %v", err, tt.want)
			}
			if _, statErr := os.Stat(dir); !errors.Is(statErr, fs.ErrNotExist) {
				t.Errorf("Write created %s for a pair it refused", dir)
			}
		})
	}
}

// TestWriteConcurrent races writers on one directory: exactly one wins and
// the files on disk are its pair, never a mix.
func TestWriteConcurrent(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	const writers = 8
	pairs := make([]*KeyPair, writers)
	for i := range pairs {
		pairs[i] = genPair(t, ECDSAP256)
	}
	errs := make([]error, writers)
	var wg sync.WaitGroup
	for i := range writers {
		wg.Go(func() { _, _, errs[i] = Write(dir, pairs[i]) })
	}
	wg.Wait()
	winner := -1
	for i, err := range errs {
		switch {
		case err == nil && winner >= 0:
			t.Errorf("writers %d and %d both succeeded", winner, i)
		case err == nil:
			winner = i
		case !errors.Is(err, fs.ErrExist):
			t.Errorf("writer %d: %v, want an error wrapping fs.ErrExist", i, err)
		}
	}
	if winner < 0 {
		t.Fatal("no writer succeeded")
	}
	got, err := LoadWith(filepath.Join(dir, KeyFileName), filepath.Join(dir, CertFileName), LoadOptions{Now: fixedNow})
	if err != nil {
		t.Fatalf("Load after the race: %v", err)
	}
	if !got.Certificate.Equal(pairs[winner].Certificate) {
		t.Errorf("the files on disk are not the winner's pair")
	}
	if names := dirNames(t, dir); !slices.Equal(names, []string{"idp.crt", "idp.key"}) {
		t.Errorf("directory holds %q", names)
	}
}
