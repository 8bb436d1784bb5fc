package memstore_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/samlab/samlab/scim"
	"github.com/samlab/samlab/scim/memstore"
	"github.com/samlab/samlab/scim/storetest"
)

func TestContract(t *testing.T) {
	storetest.Run(t, func(t *testing.T) scim.Store { return memstore.New() })
}

func TestLogLimitKeepsNewest(t *testing.T) {
	ctx := context.Background()
	s := memstore.NewWithLogLimit(8)
	for i := range 20 {
		if err := s.AppendLog(ctx, scim.LogEntry{RequestID: fmt.Sprint(i)}); err != nil {
			t.Fatal(err)
		}
	}
	all, _ := s.Log(ctx, 0, 0)
	if len(all) > 8 || len(all) < 6 {
		t.Fatalf("kept %d entries, want between 6 and 8", len(all))
	}
	if all[0].RequestID != "19" || all[0].Seq != 20 {
		t.Errorf("newest = %+v, want request 19, seq 20", all[0])
	}
}

func BenchmarkCreateUser(b *testing.B) {
	ctx := context.Background()
	s := memstore.New()
	i := 0
	for b.Loop() {
		i++
		u := storetest.NewUser(i)
		u.ID = ""
		if err := s.CreateUser(ctx, u); err != nil {
			b.Fatal(err)
		}
	}
}

// Concurrent creates of one userName: exactly one lands (issue 12 §1).
func TestConcurrentCreate(t *testing.T) {
	ctx := context.Background()
	s := memstore.New()
	const n = 16
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			u := storetest.NewUser(i)
			u.ID, u.UserName = "", "same@example.com"
			errs[i] = s.CreateUser(ctx, u)
		}()
	}
	wg.Wait()
	ok, conflict := 0, 0
	for _, err := range errs {
		switch {
		case err == nil:
			ok++
		case errors.Is(err, scim.ErrConflict):
			conflict++
		default:
			t.Errorf("concurrent create: %v", err)
		}
	}
	if ok != 1 || conflict != n-1 {
		t.Errorf("%d created, %d conflicts; want 1 and %d", ok, conflict, n-1)
	}
}
