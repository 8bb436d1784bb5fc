package sqltest_test

import (
	"context"
	"strings"
	"testing"

	"github.com/samlab/samlab/scim"
	"github.com/samlab/samlab/scim/sqlstore"
	"github.com/samlab/samlab/scim/storetest"
)

// benchStores is the embedded SQLite store samlab serve uses by default;
// package scim runs the same benchmarks on memory.
func benchStores(b *testing.B) map[string]scim.Store {
	b.Helper()
	sq, err := sqlstore.Open(context.Background(), "", b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { sq.Close() })
	return map[string]scim.Store{"sqlite": sq}
}

// The server's benchmarks (storetest.Bench*, also run on memory in package
// scim) on the embedded SQLite store, and the bare store write beside them.

func onSQLite(b *testing.B, bench func(*testing.B, scim.Store)) {
	b.Run("sqlite", func(b *testing.B) { bench(b, benchStores(b)["sqlite"]) })
}

func BenchmarkServerGetUserParallel(b *testing.B) {
	onSQLite(b, storetest.BenchServerGetUserParallel)
}
func BenchmarkServerGetUser(b *testing.B)    { onSQLite(b, storetest.BenchServerGetUser) }
func BenchmarkServerCreateUser(b *testing.B) { onSQLite(b, storetest.BenchServerCreateUser) }
func BenchmarkStoreCreateUser(b *testing.B)  { onSQLite(b, storetest.BenchStoreCreateUser) }

// BenchmarkStoreAppendLog is the log write every request makes.
func BenchmarkStoreAppendLog(b *testing.B) {
	st := benchStores(b)["sqlite"]
	ctx := context.Background()
	for b.Loop() {
		if err := st.AppendLog(ctx, scim.LogEntry{Method: "GET", Path: "/Users/x", Status: 200, Response: strings.Repeat("x", 400)}); err != nil {
			b.Fatal(err)
		}
	}
}
