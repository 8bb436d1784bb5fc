package saml

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"sync/atomic"
	"unicode/utf8"
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

// IsNCName reports whether s is an XML NCName, the lexical space of xs:ID:
// a NameStartChar other than ":" first, then NameChars other than ":"
// (XML 1.0 fifth edition §2.3). "1abc", "a b", "a:b" and anything with
// quotes or angle brackets are not.
func IsNCName(s string) bool {
	if s == "" {
		return false
	}
	for i, r := range s {
		if r == utf8.RuneError {
			return false
		}
		if !ncNameStart(r) && (i == 0 || !ncNameChar(r)) {
			return false
		}
	}
	return true
}

func ncNameStart(r rune) bool {
	switch {
	case r == '_', r >= 'A' && r <= 'Z', r >= 'a' && r <= 'z':
		return true
	case r >= 0xC0 && r <= 0xD6, r >= 0xD8 && r <= 0xF6, r >= 0xF8 && r <= 0x2FF,
		r >= 0x370 && r <= 0x37D, r >= 0x37F && r <= 0x1FFF, r >= 0x200C && r <= 0x200D,
		r >= 0x2070 && r <= 0x218F, r >= 0x2C00 && r <= 0x2FEF, r >= 0x3001 && r <= 0xD7FF,
		r >= 0xF900 && r <= 0xFDCF, r >= 0xFDF0 && r <= 0xFFFD, r >= 0x10000 && r <= 0xEFFFF:
		return true
	}
	return false
}

func ncNameChar(r rune) bool {
	switch {
	case r == '-', r == '.', r >= '0' && r <= '9', r == 0xB7,
		r >= 0x300 && r <= 0x36F, r >= 0x203F && r <= 0x2040:
		return true
	}
	return ncNameStart(r)
}
