package scim_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/samlab/samlab/scim"
	"github.com/samlab/samlab/scim/memstore"
	"github.com/samlab/samlab/scim/storetest"
)

// benchStores are the stores the benchmarks run on: memory, for the
// server's own cost. The same benchmarks on the embedded SQLite store are in
// scim/sqltest, so that this package's fuzz binary does not instrument
// SQLite (which slows every fuzz execution a hundredfold).
func benchStores(b *testing.B) map[string]scim.Store {
	return map[string]scim.Store{"memory": memstore.New()}
}

// benchServer writes each log entry before answering (SyncLog), so that
// ns/op is the whole cost of one request, log commit included.
func benchServer(b *testing.B, st scim.Store) *scim.Server {
	h := scim.NewServer(st, scim.Options{Tokens: &scim.StoreTokens{Store: st, Static: []string{testToken}}, SyncLog: true}).(*scim.Server)
	b.Cleanup(func() { h.Close() })
	return h
}

// BenchmarkServerGetUserParallel is GET /Users/{id} from 16 goroutines
// with the default background log writer: the throughput serve gets.
func BenchmarkServerGetUserParallel(b *testing.B) {
	for _, name := range []string{"memory"} {
		b.Run(name, func(b *testing.B) {
			st := benchStores(b)[name]
			h := scim.NewServer(st, scim.Options{Tokens: &scim.StoreTokens{Store: st, Static: []string{testToken}}}).(*scim.Server)
			b.Cleanup(func() { h.Close() })
			u := storetest.NewUser(1)
			u.ID = ""
			if err := st.CreateUser(context.Background(), u); err != nil {
				b.Fatal(err)
			}
			b.SetParallelism(8)
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					req := httptest.NewRequest("GET", "/Users/"+u.ID, nil)
					req.Header.Set("Authorization", "Bearer "+testToken)
					rec := httptest.NewRecorder()
					h.ServeHTTP(rec, req)
					if rec.Code != 200 {
						b.Error(rec.Code)
						return
					}
				}
			})
		})
	}
}

// BenchmarkServerGetUser is GET /Users/{id} through the whole handler:
// token check, store read, JSON, provisioning log write.
func BenchmarkServerGetUser(b *testing.B) {
	for _, name := range []string{"memory"} {
		b.Run(name, func(b *testing.B) {
			st := benchStores(b)[name]
			h := benchServer(b, st)
			u := storetest.NewUser(1)
			u.ID = ""
			if err := st.CreateUser(context.Background(), u); err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				req := httptest.NewRequest("GET", "/Users/"+u.ID, nil)
				req.Header.Set("Authorization", "Bearer "+testToken)
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, req)
				if rec.Code != 200 {
					b.Fatal(rec.Code, rec.Body)
				}
			}
		})
	}
}

// BenchmarkServerCreateUser is POST /Users (Entra's create) through the
// handler.
func BenchmarkServerCreateUser(b *testing.B) {
	for _, name := range []string{"memory"} {
		b.Run(name, func(b *testing.B) {
			st := benchStores(b)[name]
			h := benchServer(b, st)
			var n atomic.Int64
			b.ReportAllocs()
			for b.Loop() {
				i := n.Add(1)
				body := userBody(fmt.Sprintf("user%d@example.com", i), fmt.Sprintf("user%d@example.com", i), "")
				req := httptest.NewRequest("POST", "/Users", strings.NewReader(body))
				req.Header.Set("Authorization", "Bearer "+testToken)
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, req)
				if rec.Code != 201 {
					b.Fatal(rec.Code, rec.Body)
				}
			}
		})
	}
}

// BenchmarkStoreCreateUser is the bare store write, side by side with
// BenchmarkServerCreateUser: what the HTTP layer adds is the difference.
func BenchmarkStoreCreateUser(b *testing.B) {
	for _, name := range []string{"memory"} {
		b.Run(name, func(b *testing.B) {
			st := benchStores(b)[name]
			ctx := context.Background()
			i := 0
			b.ReportAllocs()
			for b.Loop() {
				i++
				u := storetest.NewUser(i)
				u.ID = ""
				if err := st.CreateUser(ctx, u); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
