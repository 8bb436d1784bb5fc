package certs

import (
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// File names [Write] uses inside its directory.
const (
	KeyFileName  = "idp.key"
	CertFileName = "idp.crt"
)

// File modes [Write] gives the files it creates.
const (
	KeyFileMode  fs.FileMode = 0o600
	CertFileMode fs.FileMode = 0o644
	DirMode      fs.FileMode = 0o700
)

// WriteOptions adjusts [WriteWith].
type WriteOptions struct {
	// Overwrite replaces an existing idp.key and idp.crt. Without it,
	// WriteWith refuses when either file exists (the error wraps
	// [io/fs.ErrExist]), because service providers trust the certificate of
	// the key it would replace.
	Overwrite bool
}

// Write stores kp in dir without replacing existing files. See [WriteWith].
func Write(dir string, kp *KeyPair) (keyPath, certPath string, err error) {
	return WriteWith(dir, kp, WriteOptions{})
}

// WriteWith stores kp in dir as idp.key (PKCS#8 PEM, mode 0600) and idp.crt
// (PEM, mode 0644), creating dir with mode 0700 if needed, and records the
// paths in kp.KeyPath and kp.CertPath.
//
// Each file is written to a temporary file in dir, synced, and then moved
// into place, so a reader never sees half a file. Without opts.Overwrite a
// file is moved into place with link(2), which fails if the name exists, so
// two processes racing to write the same directory cannot replace each
// other's key: the loser gets an error wrapping [io/fs.ErrExist] (on a file
// system without hard links an existence check followed by a rename is used
// instead). The key is published before the certificate; a reader that finds
// the key but not yet the certificate should retry, as [LoadOrCreate] does.
func WriteWith(dir string, kp *KeyPair, opts WriteOptions) (keyPath, certPath string, err error) {
	if kp == nil || kp.Signer == nil || kp.Certificate == nil {
		return "", "", errors.New("certs: write: the key pair needs both a key and a certificate")
	}
	if err := checkKeyStrength(kp.Signer); err != nil {
		return "", "", fmt.Errorf("certs: write: %w", err)
	}
	if !sameKey(kp.Signer, kp.Certificate) {
		return "", "", fmt.Errorf("certs: write: the certificate (subject %q) was not issued for this key: %w", kp.Certificate.Subject.String(), ErrKeyMismatch)
	}
	der, err := x509.MarshalPKCS8PrivateKey(kp.Signer)
	if err != nil {
		return "", "", fmt.Errorf("certs: write: encode key: %w", err)
	}
	keyPEM := pem.EncodeToMemory(&pem.Block{Type: pemPKCS8, Bytes: der})
	certPEM := kp.CertificatePEM()

	if err := os.MkdirAll(dir, DirMode); err != nil {
		return "", "", fmt.Errorf("certs: write: %w", err)
	}
	keyPath = filepath.Join(dir, KeyFileName)
	certPath = filepath.Join(dir, CertFileName)
	if !opts.Overwrite {
		var existing []string
		for _, p := range []string{keyPath, certPath} {
			if _, err := os.Lstat(p); err == nil {
				existing = append(existing, p)
			}
		}
		if len(existing) > 0 {
			return "", "", fmt.Errorf("certs: write: %s: %w; refusing to replace an IdP key pair that service providers may trust; remove the files or ask to overwrite", strings.Join(existing, ", "), fs.ErrExist)
		}
	}

	tmpKey, err := writeTemp(dir, KeyFileName, keyPEM, KeyFileMode)
	if err != nil {
		return "", "", fmt.Errorf("certs: write key: %w", err)
	}
	defer os.Remove(tmpKey)
	tmpCert, err := writeTemp(dir, CertFileName, certPEM, CertFileMode)
	if err != nil {
		return "", "", fmt.Errorf("certs: write certificate: %w", err)
	}
	defer os.Remove(tmpCert)
	tmpKeyInfo, err := os.Lstat(tmpKey)
	if err != nil {
		return "", "", fmt.Errorf("certs: write key: %w", err)
	}

	publish := publishNoClobber
	if opts.Overwrite {
		publish = os.Rename
	}
	if err := publish(tmpKey, keyPath); err != nil {
		return "", "", fmt.Errorf("certs: write key: %w", err)
	}
	if err := publish(tmpCert, certPath); err != nil {
		// Take back our key so the directory never pairs it with a
		// certificate someone else wrote.
		if fi, statErr := os.Lstat(keyPath); statErr == nil && os.SameFile(fi, tmpKeyInfo) {
			os.Remove(keyPath)
		}
		return "", "", fmt.Errorf("certs: write certificate: %w", err)
	}
	syncDir(dir)
	kp.KeyPath, kp.CertPath = keyPath, certPath
	return keyPath, certPath, nil
}

// writeTemp writes data to a new temporary file next to name in dir with
// mode perm (set with fchmod, so the umask does not change it), syncs it and
// returns its path.
func writeTemp(dir, name string, data []byte, perm fs.FileMode) (path string, err error) {
	f, err := os.CreateTemp(dir, "."+name+".tmp-*") // created 0600
	if err != nil {
		return "", err
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	if err := f.Chmod(perm); err != nil {
		return "", err
	}
	if _, err := f.Write(data); err != nil {
		return "", err
	}
	if err := f.Sync(); err != nil {
		return "", err
	}
	if err := f.Close(); err != nil {
		return "", err
	}
	return f.Name(), nil
}

// publishNoClobber gives tmp the name final unless final exists. link(2) does
// this atomically; where hard links are unsupported it falls back to a
// check and a rename, which leaves a small race.
func publishNoClobber(tmp, final string) error {
	err := os.Link(tmp, final)
	if err == nil || errors.Is(err, fs.ErrExist) {
		return err
	}
	if _, statErr := os.Lstat(final); statErr == nil {
		return &fs.PathError{Op: "create", Path: final, Err: fs.ErrExist}
	}
	return os.Rename(tmp, final)
}

// syncDir makes the renames in dir durable. Errors are ignored: some
// systems cannot sync a directory, and the files themselves are synced.
func syncDir(dir string) {
	d, err := os.Open(dir)
	if err != nil {
		return
	}
	d.Sync()
	d.Close()
}
