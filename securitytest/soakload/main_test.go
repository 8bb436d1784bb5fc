package main

import (
	"testing"
	"time"
)

// The window starts at the first sample after the warm-up, and each end is
// the mean of a minute of samples, so one collection caught mid-request
// does not decide the verdict.
func TestWindowEnds(t *testing.T) {
	var points []point
	for s := 0; s <= 22*60; s += 10 {
		heap := int64(4 << 20)
		if s < 10*60 {
			heap = int64(1<<20) + int64(s)*(3<<20)/600 // warm-up: rising
		}
		if s == 12*60+30 {
			heap = 9 << 20 // one spike in the window's first minute
		}
		points = append(points, point{at: time.Duration(s) * time.Second, heap: heap})
	}
	window := windowOf(points, 12*time.Minute)
	if len(window) == 0 || window[0].at != 12*time.Minute {
		t.Fatalf("window starts at %v, want 12m", window[0].at)
	}
	first, last, ok := ends(window, func(p point) int64 { return p.heap })
	if !ok {
		t.Fatal("no ends")
	}
	// First minute: 7 samples, one of them 9 MiB, the rest 4 MiB.
	if want := int64((6*4 + 9) << 20 / 7); first != want {
		t.Errorf("first = %d, want %d", first, want)
	}
	if last != 4<<20 {
		t.Errorf("last = %d, want %d", last, 4<<20)
	}
	// Over the whole run the heap grew fourfold: judged from the start it
	// would fail.
	f, l, _ := ends(windowOf(points, 0), func(p point) int64 { return p.heap })
	if float64(l)/float64(f)-1 < 1 {
		t.Errorf("whole run: first %d, last %d; want the warm-up's growth visible", f, l)
	}
	// Unreadable samples (-1) are skipped; none at all is not ok.
	if _, _, ok := ends([]point{{at: 0, heap: -1}, {at: time.Minute, heap: -1}}, func(p point) int64 { return p.heap }); ok {
		t.Error("ends of unreadable samples reported ok")
	}
}
