package certs

import (
	"fmt"
	"io/fs"
	"runtime"
)

// checkPrivateMode refuses a private key file that group or others may
// read, write or execute (SEC-29), the rule OpenSSH applies to identity
// files. Windows has no such mode bits, so the check is skipped there.
func checkPrivateMode(path string, mode fs.FileMode) error {
	if runtime.GOOS == "windows" {
		return nil
	}
	perm := mode.Perm()
	if perm&0o077 == 0 {
		return nil
	}
	return fmt.Errorf("%w %q: permissions %04o are too open; a private key must not be accessible by group or others; run: chmod 600 %s",
		ErrUnprotectedKey, path, uint32(perm), shellQuote(path))
}
