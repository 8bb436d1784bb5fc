package scim_test

import (
	"testing"

	"github.com/samlab/samlab/scim"
	"github.com/samlab/samlab/scim/memstore"
	"github.com/samlab/samlab/scim/storetest"
)

// The server's benchmarks on the memory store: the server's own cost. The
// same benchmarks (storetest.Bench*) run on the embedded SQLite store in
// scim/sqltest, so that this package's fuzz binary does not instrument
// SQLite (which slows every fuzz execution a hundredfold).

func onMemory(b *testing.B, bench func(*testing.B, scim.Store)) {
	b.Run("memory", func(b *testing.B) { bench(b, memstore.New()) })
}

func BenchmarkServerGetUserParallel(b *testing.B) {
	onMemory(b, storetest.BenchServerGetUserParallel)
}
func BenchmarkServerGetUser(b *testing.B)    { onMemory(b, storetest.BenchServerGetUser) }
func BenchmarkServerCreateUser(b *testing.B) { onMemory(b, storetest.BenchServerCreateUser) }
func BenchmarkStoreCreateUser(b *testing.B)  { onMemory(b, storetest.BenchStoreCreateUser) }
