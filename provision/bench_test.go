package provision

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"syscall"
	"testing"
	"time"

	"github.com/samlab/samlab/claims"
	"github.com/samlab/samlab/scim"
	"github.com/samlab/samlab/scim/memstore"
	"github.com/samlab/samlab/scim/sqlstore"
)

// handlerTransport sends requests straight to an http.Handler, in process.
type handlerTransport struct{ h http.Handler }

func (t handlerTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	w := httptest.NewRecorder()
	t.h.ServeHTTP(w, r)
	return w.Result(), nil
}

func benchTenant(n int) *Tenant {
	tn := &Tenant{Groups: []claims.Group{{ID: "g-all", DisplayName: "All"}}}
	for i := 0; i < n; i++ {
		u := tuser(fmt.Sprintf("u%05d", i), fmt.Sprintf("user%05d@contoso.com", i), "Given", fmt.Sprintf("Sur%05d", i), "jobtitle", "Engineer", "department", "Engineering")
		u.Groups = []string{"g-all"}
		tn.Users = append(tn.Users, u)
	}
	return tn
}

// benchmarkInitialCycle runs the initial cycle of n users (GET + POST
// each, one group with n members in PATCHes of 100) against samlab's own
// SCIM handler, in process, on a store from newStore.
func benchmarkInitialCycle(b *testing.B, n int, newStore func(b *testing.B) scim.Store) {
	tn := benchTenant(n)
	job, err := NewJob(Settings{App: "idc", Scope: ScopeAll})
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		store := newStore(b)
		h := scim.NewServer(store, scim.Options{Tokens: &scim.StoreTokens{Static: []string{"tok"}}})
		c := &Client{BaseURL: "http://samlab.test/scim/v2", Token: "tok", HTTP: &http.Client{Transport: handlerTransport{http.StripPrefix("/scim/v2", h)}}}
		b.StartTimer()
		start, cpu0 := time.Now(), cpuTime()
		r, err := job.Run(context.Background(), c, tn, nil, RunOptions{})
		if err != nil {
			b.Fatal(err)
		}
		// The provisioning log entries still queued are part of the cycle's
		// cost, and must land before the store closes.
		h.(io.Closer).Close()
		b.ReportMetric(time.Since(start).Seconds(), "s/cycle")
		// On a shared machine the wall time depends on the neighbours; the
		// process's CPU time (user + system) does not.
		b.ReportMetric((cpuTime() - cpu0).Seconds(), "cpu-s/cycle")
		if r.Counts.Created != n+1 || r.Counts.Failed != 0 {
			b.Fatalf("counts %+v", r.Counts)
		}
		b.StopTimer()
		store.Close()
		b.StartTimer()
	}
}

func BenchmarkInitialCycle2k(b *testing.B) {
	benchmarkInitialCycle(b, 2000, func(*testing.B) scim.Store { return memstore.New() })
}

func BenchmarkInitialCycle10k(b *testing.B) {
	benchmarkInitialCycle(b, 10000, func(*testing.B) scim.Store { return memstore.New() })
}

// BenchmarkInitialCycle10kSQLite is the same cycle on the embedded SQLite
// store samlab serve uses by default.
func BenchmarkInitialCycle10kSQLite(b *testing.B) {
	benchmarkInitialCycle(b, 10000, func(b *testing.B) scim.Store {
		s, err := sqlstore.Open(context.Background(), "", b.TempDir())
		if err != nil {
			b.Fatal(err)
		}
		return s
	})
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
