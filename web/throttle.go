package web

import (
	"sync"
	"time"
)

// throttle slows password guessing: after max failures for one user from
// one client address, each further attempt waits for a back-off that
// doubles from one second up to five minutes. A success clears the count.
// State is per replica and bounded.
type throttle struct {
	mu      sync.Mutex
	max     int
	entries map[string]*throttleEntry
}

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

func throttleKey(user, ip string) string { return user + "\x00" + ip }

// wait returns how long the caller must wait before trying again; zero when
// an attempt is allowed now.
func (t *throttle) wait(user, ip string, now time.Time) time.Duration {
	t.mu.Lock()
	defer t.mu.Unlock()
	e, ok := t.entries[throttleKey(user, ip)]
	if !ok || e.failures < t.max {
		return 0
	}
	if now.Sub(e.last) > throttleWindow {
		return 0
	}
	backoff := time.Second << min(e.failures-t.max, 9)
	backoff = min(backoff, throttleMaxWait)
	if until := e.last.Add(backoff); now.Before(until) {
		return until.Sub(now)
	}
	return 0
}

func (t *throttle) fail(user, ip string, now time.Time) {
	t.mu.Lock()
	defer t.mu.Unlock()
	k := throttleKey(user, ip)
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
