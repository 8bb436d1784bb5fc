package sqlstore

import (
	"context"
	"os"
	"sync/atomic"
	"testing"

	"github.com/samlab/samlab/scim"
	"github.com/samlab/samlab/scim/storetest"
)

// benchStores are the embedded SQLite store and, when SAMLAB_TEST_POSTGRES
// names a server, PostgreSQL. These are the "bare store write" figures the
// SCIM server's benchmarks (scim/bench_test.go) are read beside.
func benchStores(b *testing.B, run func(b *testing.B, s scim.Store)) {
	b.Run("sqlite", func(b *testing.B) { run(b, openSQLiteTest(b)) })
	b.Run("postgres", func(b *testing.B) {
		if os.Getenv("SAMLAB_TEST_POSTGRES") == "" {
			b.Skip("SAMLAB_TEST_POSTGRES not set")
		}
		run(b, openPostgresTest(b))
	})
}

// BenchmarkStoreCreateUser is one CreateUser (one committed transaction)
// of a complete user.
func BenchmarkStoreCreateUser(b *testing.B) {
	benchStores(b, func(b *testing.B, s scim.Store) {
		ctx := context.Background()
		i := 0
		b.ReportAllocs()
		for b.Loop() {
			i++
			if err := s.CreateUser(ctx, storetest.NewUser(i)); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkStoreCreateUserParallel is CreateUser from GOMAXPROCS*4
// goroutines, as concurrent requests call it.
func BenchmarkStoreCreateUserParallel(b *testing.B) {
	benchStores(b, func(b *testing.B, s scim.Store) {
		ctx := context.Background()
		var n atomic.Int64
		b.ReportAllocs()
		b.SetParallelism(4)
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				if err := s.CreateUser(ctx, storetest.NewUser(int(n.Add(1)))); err != nil {
					b.Error(err)
					return
				}
			}
		})
	})
}

// BenchmarkStoreGetUser is one GetUser from a store of 1,000 users.
func BenchmarkStoreGetUser(b *testing.B) {
	benchStores(b, func(b *testing.B, s scim.Store) {
		ctx := context.Background()
		fill(b, s, 1000)
		id := storetest.NewUser(500).ID
		b.ReportAllocs()
		for b.Loop() {
			if _, err := s.GetUser(ctx, id); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkStoreListUsers is a page of 100 users from a store of 1,000, and
// the userName eq filter Entra's provisioning sends before every create.
func BenchmarkStoreListUsers(b *testing.B) {
	benchStores(b, func(b *testing.B, s scim.Store) {
		ctx := context.Background()
		fill(b, s, 1000)
		b.Run("page100", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				users, _, err := s.ListUsers(ctx, scim.UserQuery{Count: 100})
				if err != nil || len(users) != 100 {
					b.Fatal(len(users), err)
				}
			}
		})
		b.Run("userName", func(b *testing.B) {
			name := storetest.NewUser(700).UserName
			b.ReportAllocs()
			for b.Loop() {
				users, _, err := s.ListUsers(ctx, scim.UserQuery{UserName: name, Count: 100})
				if err != nil || len(users) != 1 {
					b.Fatal(len(users), err)
				}
			}
		})
	})
}

func fill(b *testing.B, s scim.Store, n int) {
	b.Helper()
	for i := 1; i <= n; i++ {
		if err := s.CreateUser(context.Background(), storetest.NewUser(i)); err != nil {
			b.Fatal(err)
		}
	}
}
