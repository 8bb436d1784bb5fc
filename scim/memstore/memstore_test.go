package memstore_test

import (
	"context"
	"fmt"
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
		if err := s.CreateUser(ctx, storetest.User(fmt.Sprintf("u%d@example.com", i), "")); err != nil {
			b.Fatal(err)
		}
	}
}
