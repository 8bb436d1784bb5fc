package web

import (
	"crypto/sha256"
	"sync"
	"time"
)

// throttle slows password guessing: after max failures for one user from
// one client address, or 4 × max failures from one address whatever the
// user names (a client cycling through names), each further attempt waits
// for a back-off that doubles from one second up to five minutes. A success
// clears the user's count, not the address's. State is per replica and
// bounded; user names are keyed by their SHA-256, so long names cost no
// memory.
type throttle struct {
	mu      sync.Mutex
	max     int
	entries map[string]*throttleEntry
}

// addrFactor scales max for the per-address count.
const addrFactor = 4

type throttleEntry struct {
	failures int
	last     time.Time
}

const (
	throttleWindow  = 15 * time.Minute
	throttleMaxWait = 5 * time.Minute
	throttleEntries = 100000
)

func newThrottle(max int) *throttle {
	if max <= 0 {
		max = 5
	}
	return &throttle{max: max, entries: map[string]*throttleEntry{}}
}

func throttleKey(user, ip string) string {
	h := sha256.Sum256([]byte(user))
	return "u\x00" + string(h[:16]) + "\x00" + ip
}

func addrKey(ip string) string { return "a\x00" + ip }

// wait returns how long the caller must wait before trying again; zero when
// an attempt is allowed now.
func (t *throttle) wait(user, ip string, now time.Time) time.Duration {
	t.mu.Lock()
	defer t.mu.Unlock()
	return max(t.waitFor(throttleKey(user, ip), t.max, now), t.waitFor(addrKey(ip), addrFactor*t.max, now))
}

func (t *throttle) waitFor(key string, limit int, now time.Time) time.Duration {
	e, ok := t.entries[key]
	if !ok || e.failures < limit {
		return 0
	}
	if now.Sub(e.last) > throttleWindow {
		return 0
	}
	backoff := time.Second << min(e.failures-limit, 9)
	backoff = min(backoff, throttleMaxWait)
	if until := e.last.Add(backoff); now.Before(until) {
		return until.Sub(now)
	}
	return 0
}

func (t *throttle) fail(user, ip string, now time.Time) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.failKey(throttleKey(user, ip), now)
	t.failKey(addrKey(ip), now)
}

func (t *throttle) failKey(k string, now time.Time) {
	e, ok := t.entries[k]
	if !ok {
		if len(t.entries) >= throttleEntries {
			for k, old := range t.entries {
				if now.Sub(old.last) > throttleWindow {
					delete(t.entries, k)
				}
			}
			if len(t.entries) >= throttleEntries {
				return // full of live entries: do not grow without bound
			}
		}
		e = &throttleEntry{}
		t.entries[k] = e
	}
	if now.Sub(e.last) > throttleWindow {
		e.failures = 0
	}
	e.failures++
	e.last = now
}

func (t *throttle) succeed(user, ip string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	delete(t.entries, throttleKey(user, ip))
}
