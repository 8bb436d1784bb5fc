package saml

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"sync/atomic"
)

// IDSource makes the XML IDs of responses and assertions. Every ID it
// returns must be unique and a valid NCName (it must start with a letter or
// "_" and contain no colon or space), since it is used as an xs:ID and as a
// signature reference. A nil IDSource in [Issuer] means [RandomIDs].
type IDSource interface {
	NewID() string
}

// RandomIDs makes IDs of "_" followed by 32 hex digits: 128 bits from
// crypto/rand, as SEC-26 asks (unguessable, NCName-safe).
type RandomIDs struct{}

// NewID returns a fresh random ID.
func (RandomIDs) NewID() string {
	var b [16]byte
	rand.Read(b[:]) // never fails since Go 1.24
	var out [33]byte
	out[0] = '_'
	hex.Encode(out[1:], b[:])
	return string(out[:])
}

// SequentialIDs makes predictable IDs "_<Prefix>0001", "_<Prefix>0002", ...
// for tests and golden files. It is safe for concurrent use. Never use it to
// issue real responses: predictable IDs defeat replay protection.
type SequentialIDs struct {
	// Prefix goes between the leading "_" and the counter. It must contain
	// only NCName characters.
	Prefix string
	n      atomic.Uint64
}

// NewID returns the next ID in the sequence.
func (s *SequentialIDs) NewID() string {
	return fmt.Sprintf("_%s%04d", s.Prefix, s.n.Add(1))
}
