package saml

import (
	"fmt"
	"runtime"
	"strings"
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

// An id cut from a larger string must not keep that string alive: the
// pending-request and test-SP ids are substrings of decoded tokens.
func TestMemoryReplayCacheOwnsKeys(t *testing.T) {
	const n, big = 2000, 4096
	c := NewMemoryReplayCache(n + 1)
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	before := liveHeap()
	for i := 0; i < n; i++ {
		payload := fmt.Sprintf("i=%032d&", i) + strings.Repeat("x", big)
		c.Seen(payload[2:34], now.Add(time.Hour), now)
	}
	grown := liveHeap() - before
	// Owned keys cost well under 200 bytes each; retained payloads would
	// cost n × 4 KiB = 8 MiB.
	if grown > n*big/8 {
		t.Fatalf("%d ids retain %d bytes (%d each): the cache keeps its keys' backing strings", n, grown, grown/n)
	}
	if c.Len() != n {
		t.Fatalf("cache holds %d ids, want %d", c.Len(), n)
	}
}

func liveHeap() int64 {
	var m runtime.MemStats
	runtime.GC()
	runtime.GC()
	runtime.ReadMemStats(&m)
	return int64(m.HeapAlloc)
}
