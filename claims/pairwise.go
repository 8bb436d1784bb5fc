package claims

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
)

// PairwiseID is the opaque per-app subject identifier used for persistent
// NameIDs and as the fallback when the configured NameID source is empty:
//
//	base64url(HMAC-SHA256(key, tenantID + "|" + appID + "|" + objectID)), no padding
//
// where key is the tenant's PairwiseSecret, or the tenant id when no secret
// is set. The result is 43 characters, stable for a (tenant, app, user)
// and different between apps, like Entra's pairwise ids (whose algorithm
// is not public).
func PairwiseID(secret []byte, tenantID, appID, objectID string) string {
	key := secret
	if len(key) == 0 {
		key = []byte(tenantID)
	}
	m := hmac.New(sha256.New, key)
	m.Write([]byte(tenantID))
	m.Write([]byte{'|'})
	m.Write([]byte(appID))
	m.Write([]byte{'|'})
	m.Write([]byte(objectID))
	var sum [sha256.Size]byte
	return base64.RawURLEncoding.EncodeToString(m.Sum(sum[:0]))
}

// IDSource makes the random values of transient NameIDs. Inject one (see
// [RandomIDs]) so that tests can use a fixed sequence.
type IDSource interface {
	NewID() string
}

// RandomIDs is an IDSource backed by crypto/rand: 32 random bytes,
// base64url without padding.
type RandomIDs struct{}

// NewID returns a fresh random id.
func (RandomIDs) NewID() string {
	var b [32]byte
	rand.Read(b[:]) // never fails since Go 1.24
	return base64.RawURLEncoding.EncodeToString(b[:])
}
