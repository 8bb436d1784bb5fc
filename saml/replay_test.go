package saml

import (
	"fmt"
	"testing"
	"time"
)

// Under steady traffic the cache holds about the live entries: expired ones
// are swept within a minute, well before the cache fills.
func TestMemoryReplayCacheSweepsExpired(t *testing.T) {
	c := NewMemoryReplayCache(100000)
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	// 30 minutes at 10 IDs a second, each live for 5 minutes.
	peak := 0
	for i := 0; i < 30*60*10; i++ {
		now := t0.Add(time.Duration(i) * 100 * time.Millisecond)
		if c.Seen(fmt.Sprint("id", i), now.Add(5*time.Minute), now) {
			t.Fatalf("fresh id %d reported as seen", i)
		}
		peak = max(peak, c.Len())
	}
	// Live: 5 min × 10/s = 3,000; plus at most a minute's arrivals not yet swept.
	if peak > 3000+600+1 {
		t.Fatalf("cache grew to %d entries with 3,000 live", peak)
	}
	// A replay within the lifetime is still caught after sweeps.
	last := t0.Add(30 * time.Minute)
	if !c.Seen("id17999", last.Add(5*time.Minute), last) {
		t.Fatal("a live id was forgotten")
	}
}
