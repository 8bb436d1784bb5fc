package scim

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"sync"
	"time"
)

// Token rules of IdC (AWS-SCIM-001): a token lives a year and at most two
// are live at once.
const (
	TokenLifetime = 365 * 24 * time.Hour
	MaxLiveTokens = 2
)

// ErrUnauthorized: the bearer token is missing, unknown or expired.
var ErrUnauthorized = errors.New("scim: invalid or missing bearer token")

// ErrTooManyTokens: creating a token while MaxLiveTokens are live.
var ErrTooManyTokens = fmt.Errorf("scim: %d tokens are live already; delete one first (samlab scim token delete ID)", MaxLiveTokens)

// TokenVerifier tells whether a bearer token is accepted and names it: the
// id is what the provisioning log shows, never the token.
type TokenVerifier interface {
	Verify(ctx context.Context, token string) (id string, err error)
}

// HashToken is how a token is kept: its SHA-256.
func HashToken(token string) []byte {
	h := sha256.Sum256([]byte(token))
	return h[:]
}

// CreateToken makes a new token, keeps its hash in s and returns the token
// (shown once, never kept) with what was kept. Expired tokens do not count
// towards MaxLiveTokens.
func CreateToken(ctx context.Context, s Store, now time.Time) (string, Token, error) {
	ts, err := s.Tokens(ctx)
	if err != nil {
		return "", Token{}, err
	}
	live := 0
	for _, t := range ts {
		if now.Before(t.Expires) {
			live++
		}
	}
	if live >= MaxLiveTokens {
		return "", Token{}, ErrTooManyTokens
	}
	var secret [48]byte
	var id [4]byte
	if _, err := rand.Read(secret[:]); err != nil {
		return "", Token{}, err
	}
	if _, err := rand.Read(id[:]); err != nil {
		return "", Token{}, err
	}
	plain := base64.RawURLEncoding.EncodeToString(secret[:])
	t := Token{ID: "tok-" + hex.EncodeToString(id[:]), Hash: HashToken(plain), Created: now.UTC(), Expires: now.UTC().Add(TokenLifetime)}
	if err := s.AddToken(ctx, t); err != nil {
		return "", Token{}, err
	}
	return plain, t, nil
}

// StoreTokens verifies tokens against the store's hashes and a list of
// plaintext tokens from the configuration ([scim] tokens,
// SAMLAB_SCIM_TOKEN), which never expire and are named config-1, config-2...
// The store's list is cached for CacheTTL (default 5 s): a deleted token
// stops working within that time; an unknown token re-reads the store at
// most every 500 ms, so a token just created works at once.
type StoreTokens struct {
	Store  Store
	Static []string
	// StaticIDs names Static's tokens in the log (default config-1, ...).
	StaticIDs []string
	Clock     func() time.Time
	CacheTTL  time.Duration

	mu     sync.Mutex
	cached []Token
	loaded time.Time
}

func (v *StoreTokens) now() time.Time {
	if v.Clock != nil {
		return v.Clock()
	}
	return time.Now()
}

// Verify implements TokenVerifier.
func (v *StoreTokens) Verify(ctx context.Context, token string) (string, error) {
	if token == "" {
		return "", ErrUnauthorized
	}
	h := HashToken(token)
	for i, s := range v.Static {
		if subtle.ConstantTimeCompare(h, HashToken(s)) == 1 {
			if i < len(v.StaticIDs) && v.StaticIDs[i] != "" {
				return v.StaticIDs[i], nil
			}
			return fmt.Sprintf("config-%d", i+1), nil
		}
	}
	if v.Store == nil {
		return "", ErrUnauthorized
	}
	ttl := v.CacheTTL
	if ttl <= 0 {
		ttl = 5 * time.Second
	}
	now := v.now()
	v.mu.Lock()
	defer v.mu.Unlock()
	for attempt := 0; attempt < 2; attempt++ {
		age := now.Sub(v.loaded)
		if v.loaded.IsZero() || age > ttl || age < 0 || attempt == 1 && age > 500*time.Millisecond {
			ts, err := v.Store.Tokens(ctx)
			if err != nil {
				return "", err
			}
			v.cached, v.loaded = ts, now
		}
		for _, t := range v.cached {
			if subtle.ConstantTimeCompare(h, t.Hash) == 1 {
				if !now.Before(t.Expires) {
					return "", ErrUnauthorized
				}
				return t.ID, nil
			}
		}
	}
	return "", ErrUnauthorized
}
