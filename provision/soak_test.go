package provision

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"runtime"
	"testing"
	"time"

	"github.com/samlab/samlab/claims"
	"github.com/samlab/samlab/scim"
	"github.com/samlab/samlab/scim/memstore"
)

// TestProvisionSoak runs provisioning cycles for a warm-up of
// $SAMLAB_PROVISION_SOAK_WARMUP (default 2m: the store's request log, kept
// to its last 10,000 entries, fills in the first minute) and then the
// measured window $SAMLAB_PROVISION_SOAK (a duration; scripts/provision-soak.sh
// sets 10m) against samlab's own SCIM handler in process, changing a tenth
// of the users between cycles and unassigning and reassigning some, and
// samples the live heap after a collection every 30 s. It fails when the
// mean live heap of the window's last minute is more than 25% above its
// first minute's. Without the variable it does not run: it is a soak, not
// a unit test.
func TestProvisionSoak(t *testing.T) {
	d, err := time.ParseDuration(os.Getenv("SAMLAB_PROVISION_SOAK"))
	if err != nil || d <= 0 {
		t.Skip("set SAMLAB_PROVISION_SOAK=10m (scripts/provision-soak.sh) to run the provisioning soak")
	}
	warm := 2 * time.Minute
	if w, err := time.ParseDuration(os.Getenv("SAMLAB_PROVISION_SOAK_WARMUP")); err == nil && w >= 0 {
		warm = w
	}
	const users = 1000
	tn := benchTenant(users)
	store := memstore.New()
	h := scim.NewServer(store, scim.Options{Tokens: &scim.StoreTokens{Static: []string{"tok"}}})
	c := &Client{BaseURL: "http://samlab.test/scim/v2", Token: "tok", HTTP: &http.Client{Transport: handlerTransport{http.StripPrefix("/scim/v2", h)}}}
	job, err := NewJob(Settings{App: "idc", Scope: ScopeAssigned, DeletionThreshold: -1})
	if err != nil {
		t.Fatal(err)
	}
	for i := range tn.Users {
		tn.Users[i].AppRoles = map[string][]string{"idc": nil}
	}
	st := NewState(c.BaseURL)
	type sample struct {
		at   time.Duration
		heap uint64
	}
	var samples []sample
	start := time.Now()
	nextSample := time.Duration(0)
	cycles, requests := 0, 0
	for cycle := 0; time.Since(start) < warm+d; cycle++ {
		// A tenth of the users change title; every seventh cycle some are
		// unassigned, the next they come back.
		for i := cycle % 10; i < users; i += 10 {
			tn.Users[i].Attributes["jobtitle"] = claims.Values{fmt.Sprintf("Engineer %d", cycle)}
		}
		for i := 0; i < users; i += 50 {
			if cycle%7 == 6 {
				tn.Users[i].AppRoles = nil
			} else {
				tn.Users[i].AppRoles = map[string][]string{"idc": nil}
			}
		}
		r, err := job.Run(context.Background(), c, tn, st, RunOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if r.Counts.Failed != 0 {
			t.Fatalf("cycle %d: %+v", cycle, r.Counts)
		}
		cycles++
		for _, ev := range r.Events {
			requests += len(ev.Requests)
		}
		if el := time.Since(start); el >= nextSample {
			runtime.GC()
			var ms runtime.MemStats
			runtime.ReadMemStats(&ms)
			samples = append(samples, sample{el, ms.HeapAlloc})
			t.Logf("%6s  cycle %4d  live heap %6.2f MiB  heap sys %6.2f MiB  goroutines %d",
				el.Truncate(time.Second), cycles, mib(ms.HeapAlloc), mib(ms.HeapSys), runtime.NumGoroutine())
			nextSample += 30 * time.Second
		}
		time.Sleep(200 * time.Millisecond) // the machine is shared
	}
	mean := func(from, to time.Duration) float64 {
		var sum float64
		n := 0
		for _, s := range samples {
			if s.at >= from && s.at < to {
				sum += float64(s.heap)
				n++
			}
		}
		if n == 0 {
			return 0
		}
		return sum / float64(n)
	}
	first, last := mean(warm, warm+time.Minute), mean(warm+d-time.Minute, warm+d+time.Minute)
	t.Logf("%d cycles, %d requests in %s (%s warm-up); live heap in the window's first minute %.2f MiB, last minute %.2f MiB (%+.1f%%)",
		cycles, requests, warm+d, warm, first/(1<<20), last/(1<<20), 100*(last-first)/first)
	if first > 0 && last > first*1.25 {
		t.Fatalf("live heap grew by more than 25%%: %.2f -> %.2f MiB", first/(1<<20), last/(1<<20))
	}
}

func mib(b uint64) float64 { return float64(b) / (1 << 20) }
