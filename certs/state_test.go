package certs

import (
	"bytes"
	"crypto/rand"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sync"
	"testing"
	"time"
)

func TestDefaultStateDir(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		env     map[string]string
		home    string
		homeErr error
		want    string
		wantErr bool
	}{
		{"SAMLAB_STATE_DIR wins", map[string]string{"SAMLAB_STATE_DIR": "/srv/samlab", "XDG_STATE_HOME": "/xdg"}, "/home/u", nil, "/srv/samlab", false},
		{"XDG_STATE_HOME", map[string]string{"XDG_STATE_HOME": "/xdg"}, "/home/u", nil, filepath.Join("/xdg", "samlab"), false},
		{"relative XDG_STATE_HOME is ignored", map[string]string{"XDG_STATE_HOME": "rel/state"}, "/home/u", nil, filepath.Join("/home/u", ".local", "state", "samlab"), false},
		{"home fallback", nil, "/home/u", nil, filepath.Join("/home/u", ".local", "state", "samlab"), false},
		{"no home", nil, "", errors.New("$HOME is not defined"), "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			getenv := func(k string) string { return tt.env[k] }
			home := func() (string, error) { return tt.home, tt.homeErr }
			got, err := defaultStateDir(getenv, home)
			if tt.wantErr {
				errCase{nil, []string{"set SAMLAB_STATE_DIR", "$HOME is not defined"}}.check(t, err)
				return
			}
			if err != nil || got != tt.want {
				t.Errorf("defaultStateDir() = %q, %v; want %q", got, err, tt.want)
			}
		})
	}
}

// testStateEnv is a stateEnv with the fixed clock and a short wait.
func testStateEnv() stateEnv {
	return stateEnv{now: fixedNow, rnd: rand.Reader, wait: 200 * time.Millisecond, poll: 5 * time.Millisecond}
}

func TestLoadOrCreateIsStable(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "state")
	first, created, err := loadOrCreate(dir, ECDSAP256, testStateEnv())
	if err != nil || !created {
		t.Fatalf("first call: created=%v err=%v; want a new pair", created, err)
	}
	second, created, err := loadOrCreate(dir, ECDSAP256, testStateEnv())
	if err != nil || created {
		t.Fatalf("second call: created=%v err=%v; want the stored pair", created, err)
	}
	if !second.Certificate.Equal(first.Certificate) {
		t.Errorf("second call returned another certificate")
	}
	// An empty algorithm accepts whatever pair is stored.
	third, created, err := loadOrCreate(dir, "", testStateEnv())
	if err != nil || created || !third.Certificate.Equal(first.Certificate) {
		t.Errorf("call with no algorithm: created=%v err=%v, same=%v", created, err, err == nil && third.Certificate.Equal(first.Certificate))
	}
	if second.KeyPath != filepath.Join(dir, KeyFileName) || second.CertPath != filepath.Join(dir, CertFileName) {
		t.Errorf("paths %q, %q", second.KeyPath, second.CertPath)
	}
	if runtime.GOOS != "windows" {
		for path, want := range map[string]fs.FileMode{dir: 0o700, first.KeyPath: 0o600, first.CertPath: 0o644} {
			if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != want {
				t.Errorf("%s: mode %v (err %v), want %04o", path, fi.Mode().Perm(), err, want)
			}
		}
	}
}

func TestLoadOrCreateDefaultAlgorithm(t *testing.T) {
	t.Parallel()
	kp, created, err := loadOrCreate(t.TempDir(), "", testStateEnv())
	if err != nil || !created {
		t.Fatalf("created=%v err=%v", created, err)
	}
	if got := kp.Algorithm(); got != DefaultAlgorithm {
		t.Errorf("Algorithm() = %q, want %q", got, DefaultAlgorithm)
	}
}

// TestLoadOrCreateExported covers the exported entry point and the default
// state directory taken from SAMLAB_STATE_DIR.
func TestLoadOrCreateExported(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "from-env")
	t.Setenv(EnvStateDir, dir)
	kp, created, err := LoadOrCreate("", ECDSAP256)
	if err != nil || !created {
		t.Fatalf("created=%v err=%v", created, err)
	}
	if want := filepath.Join(dir, KeyFileName); kp.KeyPath != want {
		t.Errorf("KeyPath = %q, want %q", kp.KeyPath, want)
	}
	again, created, err := LoadOrCreate(dir, ECDSAP256)
	if err != nil || created || !again.Certificate.Equal(kp.Certificate) {
		t.Errorf("second call: created=%v err=%v", created, err)
	}
}

func TestLoadOrCreateConcurrent(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "state")
	const callers = 8
	type result struct {
		kp      *KeyPair
		created bool
		err     error
	}
	results := make([]result, callers)
	env := testStateEnv()
	env.wait = 10 * time.Second // a slow machine must not turn a race into a failure
	var wg sync.WaitGroup
	for i := range callers {
		wg.Go(func() {
			kp, created, err := loadOrCreate(dir, ECDSAP256, env)
			results[i] = result{kp, created, err}
		})
	}
	wg.Wait()
	creators := 0
	for i, r := range results {
		if r.err != nil {
			t.Fatalf("caller %d: %v", i, r.err)
		}
		if r.created {
			creators++
		}
		if !r.kp.Certificate.Equal(results[0].kp.Certificate) {
			t.Errorf("caller %d got a different certificate", i)
		}
	}
	if creators != 1 {
		t.Errorf("%d callers created a pair, want exactly 1", creators)
	}
	if names := dirNames(t, dir); !slices.Equal(names, []string{"idp.crt", "idp.key"}) {
		t.Errorf("state directory holds %q", names)
	}
}

func TestLoadOrCreateWaitsForCertificate(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	kp := genPair(t, ECDSAP256)
	if _, _, err := Write(dir, kp); err != nil {
		t.Fatal(err)
	}
	certPath := filepath.Join(dir, CertFileName)
	certPEM := readBytes(t, certPath)
	if err := os.Remove(certPath); err != nil {
		t.Fatal(err)
	}
	// Another process is between writing the key and the certificate.
	done := make(chan struct{})
	go func() {
		defer close(done)
		time.Sleep(30 * time.Millisecond)
		// Publish the way Write does, so the reader never sees half a file.
		tmp := certPath + ".tmp"
		if err := os.WriteFile(tmp, certPEM, 0o644); err == nil {
			os.Rename(tmp, certPath)
		}
	}()
	env := testStateEnv()
	env.wait = 10 * time.Second
	got, created, err := loadOrCreate(dir, ECDSAP256, env)
	<-done
	if err != nil || created {
		t.Fatalf("created=%v err=%v; want the other process's pair", created, err)
	}
	if !got.Certificate.Equal(kp.Certificate) {
		t.Errorf("got another certificate")
	}
}

func TestLoadOrCreateErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		// setup prepares the state directory.
		setup func(t *testing.T, dir string)
		alg   string
		errCase
	}{
		{
			name:    "unknown algorithm",
			setup:   func(t *testing.T, dir string) {},
			alg:     "dsa-1024",
			errCase: errCase{[]error{ErrUnknownAlgorithm}, []string{"rsa-2048, rsa-3072, ecdsa-p256"}},
		},
		{
			name: "stored pair of another algorithm",
			setup: func(t *testing.T, dir string) {
				if _, _, err := Write(dir, genPair(t, ECDSAP256)); err != nil {
					t.Fatal(err)
				}
			},
			alg:     RSA3072,
			errCase: errCase{nil, []string{"holds an ecdsa-p256 key pair but rsa-3072 was asked for", "remove"}},
		},
		{
			name: "key without certificate",
			setup: func(t *testing.T, dir string) {
				if _, _, err := Write(dir, genPair(t, ECDSAP256)); err != nil {
					t.Fatal(err)
				}
				os.Remove(filepath.Join(dir, CertFileName))
			},
			errCase: errCase{nil, []string{"has idp.key but not idp.crt", "/idp.key (service providers"}},
		},
		{
			name: "certificate without key",
			setup: func(t *testing.T, dir string) {
				if _, _, err := Write(dir, genPair(t, ECDSAP256)); err != nil {
					t.Fatal(err)
				}
				os.Remove(filepath.Join(dir, KeyFileName))
			},
			errCase: errCase{nil, []string{"has idp.crt but not idp.key"}},
		},
		{
			name: "expired stored pair",
			setup: func(t *testing.T, dir string) {
				kp, err := Generate(ECDSAP256, "", time.Hour, nil, testNow.AddDate(-1, 0, 0))
				if err != nil {
					t.Fatal(err)
				}
				if _, _, err := Write(dir, kp); err != nil {
					t.Fatal(err)
				}
			},
			errCase: errCase{[]error{ErrCertificateExpired}, []string{"samlab generated this pair; to start over, remove"}},
		},
	}
	if runtime.GOOS != "windows" {
		tests = append(tests, struct {
			name  string
			setup func(t *testing.T, dir string)
			alg   string
			errCase
		}{
			name: "stored key made readable by others",
			setup: func(t *testing.T, dir string) {
				if _, _, err := Write(dir, genPair(t, ECDSAP256)); err != nil {
					t.Fatal(err)
				}
				if err := os.Chmod(filepath.Join(dir, KeyFileName), 0o644); err != nil {
					t.Fatal(err)
				}
			},
			errCase: errCase{[]error{ErrUnprotectedKey}, []string{"chmod 600"}},
		})
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			tt.setup(t, dir)
			before := map[string][]byte{}
			for _, name := range dirNames(t, dir) {
				before[name] = readBytes(t, filepath.Join(dir, name))
			}
			kp, created, err := loadOrCreate(dir, tt.alg, testStateEnv())
			if kp != nil || created {
				t.Errorf("got a pair (created=%v) with the error", created)
			}
			tt.check(t, err)
			// A problem is reported, never repaired by replacing files.
			after := dirNames(t, dir)
			if len(after) != len(before) {
				t.Errorf("state directory changed: %q", after)
			}
			for name, b := range before {
				if !bytes.Equal(readBytes(t, filepath.Join(dir, name)), b) {
					t.Errorf("%s was changed", name)
				}
			}
		})
	}
}
