package certs

import (
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// Environment variables [DefaultStateDir] reads.
const (
	EnvStateDir     = "SAMLAB_STATE_DIR"
	envXDGStateHome = "XDG_STATE_HOME"
)

// DefaultStateDir returns where [LoadOrCreate] keeps the generated key pair:
// $SAMLAB_STATE_DIR if set, else $XDG_STATE_HOME/samlab if XDG_STATE_HOME is
// an absolute path (the XDG spec says to ignore a relative one), else
// ~/.local/state/samlab.
func DefaultStateDir() (string, error) {
	return defaultStateDir(os.Getenv, os.UserHomeDir)
}

func defaultStateDir(getenv func(string) string, home func() (string, error)) (string, error) {
	if d := getenv(EnvStateDir); d != "" {
		return d, nil
	}
	if d := getenv(envXDGStateHome); d != "" && filepath.IsAbs(d) {
		return filepath.Join(d, "samlab"), nil
	}
	h, err := home()
	if err != nil {
		return "", fmt.Errorf("certs: no state directory for the generated key pair: set %s: %w", EnvStateDir, err)
	}
	return filepath.Join(h, ".local", "state", "samlab"), nil
}

// LoadOrCreate returns the key pair kept in stateDir (idp.key and idp.crt),
// generating and storing one the first time, for an IdP started without a
// configured key: its metadata then stays the same across restarts. created
// reports whether this call generated the pair. An empty stateDir means
// [DefaultStateDir].
//
// alg is one of [Algorithms], used when a pair is generated; "" means
// [DefaultAlgorithm] and accepts whatever pair exists. A stored pair of
// another algorithm than a non-empty alg is an error, so that switching
// algorithms never silently replaces a key service providers trust.
//
// Several processes may start at once on the same directory: one of them
// writes the pair (see [WriteWith]), the others load what it wrote. The
// stored pair is loaded like any other (file mode, key strength, validity),
// and a problem with it is returned, never repaired by generating a new key.
func LoadOrCreate(stateDir string, alg string) (kp *KeyPair, created bool, err error) {
	return loadOrCreate(stateDir, alg, stateEnv{now: time.Now, rnd: rand.Reader, wait: 10 * time.Second, poll: 50 * time.Millisecond})
}

// stateEnv holds what loadOrCreate takes from its surroundings, so tests can
// shorten the wait for a concurrent writer.
type stateEnv struct {
	now  func() time.Time
	rnd  io.Reader
	wait time.Duration // how long to wait for a concurrent writer to finish
	poll time.Duration
}

func loadOrCreate(stateDir, alg string, env stateEnv) (*KeyPair, bool, error) {
	if alg != "" && !slices.Contains(Algorithms(), alg) {
		return nil, false, fmt.Errorf("certs: %w %q; choose one of %s", ErrUnknownAlgorithm, alg, strings.Join(Algorithms(), ", "))
	}
	if stateDir == "" {
		d, err := DefaultStateDir()
		if err != nil {
			return nil, false, err
		}
		stateDir = d
	}
	keyPath := filepath.Join(stateDir, KeyFileName)
	certPath := filepath.Join(stateDir, CertFileName)
	removeHint := fmt.Sprintf("samlab generated this pair; to start over, remove %s and %s (service providers then need the new metadata)", shellQuote(keyPath), shellQuote(certPath))
	var deadline time.Time
	for {
		kp, loadErr := LoadWith(keyPath, certPath, LoadOptions{Now: env.now})
		keyMissing, certMissing := missing(keyPath), missing(certPath)
		switch {
		case loadErr == nil:
			if alg != "" && kp.Algorithm() != alg {
				return nil, false, fmt.Errorf("certs: state directory %q holds an %s key pair but %s was asked for; ask for %s, or %s", stateDir, kp.Algorithm(), alg, kp.Algorithm(), removeHint)
			}
			return kp, false, nil

		case keyMissing && certMissing:
			genAlg := alg
			if genAlg == "" {
				genAlg = DefaultAlgorithm
			}
			kp, err := Generate(genAlg, DefaultCommonName, DefaultValidity, env.rnd, env.now())
			if err != nil {
				return nil, false, err
			}
			if _, _, err := Write(stateDir, kp); err == nil {
				return kp, true, nil
			} else if !errors.Is(err, fs.ErrExist) {
				return nil, false, err
			}
			// Another process got there first: load its pair.

		case keyMissing || certMissing || errors.Is(loadErr, fs.ErrNotExist):
			// Another process is between writing the key and the
			// certificate (or finished between our load and our look), or
			// a file was removed. Wait for the first case only so long.
			if deadline.IsZero() {
				deadline = time.Now().Add(env.wait)
			} else if time.Now().After(deadline) {
				if !keyMissing && !certMissing {
					return nil, false, loadErr
				}
				present, absent := keyPath, certPath
				if keyMissing {
					present, absent = certPath, keyPath
				}
				return nil, false, fmt.Errorf("certs: state directory %q has %s but not %s, and no other process wrote it within %s; samlab generated this pair; to start over, remove %s (service providers then need the new metadata)",
					stateDir, filepath.Base(present), filepath.Base(absent), env.wait, shellQuote(present))
			}
			time.Sleep(env.poll)

		case errors.Is(loadErr, ErrCertificateExpired), errors.Is(loadErr, ErrCertificateNotYetValid), errors.Is(loadErr, ErrKeyMismatch):
			return nil, false, fmt.Errorf("%w\ncerts: %s", loadErr, removeHint)

		default:
			return nil, false, loadErr
		}
	}
}

// missing reports whether path certainly does not exist.
func missing(path string) bool {
	_, err := os.Lstat(path)
	return errors.Is(err, fs.ErrNotExist)
}
