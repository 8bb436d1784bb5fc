package storetest

import (
	"context"
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/samlab/samlab/scim"
)

// The benchmarks of the SCIM server and of a bare store write, shared by
// every store: package scim runs them on the memory store (the server's own
// cost) and scim/sqltest on the embedded SQLite store samlab serve uses, so
// the two figures come from the same code.

const benchToken = "bench-token-0123456789"

// benchServer answers with the given store. sync writes each log entry
// before answering (Options.SyncLog), so that ns/op is the whole cost of
// one request, log commit included; otherwise the background log writer
// batches them, as in samlab serve.
func benchServer(b *testing.B, st scim.Store, sync bool) *scim.Server {
	b.Helper()
	h := scim.NewServer(st, scim.Options{Tokens: &scim.StoreTokens{Store: st, Static: []string{benchToken}}, SyncLog: sync}).(*scim.Server)
	b.Cleanup(func() { h.Close() })
	return h
}

// benchGetUser creates one user and returns a request for it.
func benchUser(b *testing.B, st scim.Store) string {
	b.Helper()
	u := NewUser(1)
	u.ID = ""
	if err := st.CreateUser(context.Background(), u); err != nil {
		b.Fatal(err)
	}
	return "/Users/" + u.ID
}

// BenchServerGetUserParallel is GET /Users/{id} from 16 goroutines with
// the background log writer: the throughput serve gets.
func BenchServerGetUserParallel(b *testing.B, st scim.Store) {
	h := benchServer(b, st, false)
	path := benchUser(b, st)
	b.SetParallelism(8)
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			req := httptest.NewRequest("GET", path, nil)
			req.Header.Set("Authorization", "Bearer "+benchToken)
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if rec.Code != 200 {
				b.Error(rec.Code)
				return
			}
		}
	})
}

// BenchServerGetUser is GET /Users/{id} through the whole handler: token
// check, store read, JSON, the provisioning log entry committed.
func BenchServerGetUser(b *testing.B, st scim.Store) {
	h := benchServer(b, st, true)
	path := benchUser(b, st)
	b.ReportAllocs()
	for b.Loop() {
		req := httptest.NewRequest("GET", path, nil)
		req.Header.Set("Authorization", "Bearer "+benchToken)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != 200 {
			b.Fatal(rec.Code, rec.Body)
		}
	}
}

// BenchServerCreateUser is POST /Users (Entra's create) through the
// handler, the log entry committed.
func BenchServerCreateUser(b *testing.B, st scim.Store) {
	h := benchServer(b, st, true)
	i := 0
	b.ReportAllocs()
	for b.Loop() {
		i++
		name := fmt.Sprintf("user%d@example.com", i)
		body := fmt.Sprintf(`{"schemas":[%q],"userName":%q,"name":{"givenName":"Given","familyName":"Family"},`+
			`"displayName":"Display Name","active":true,"emails":[{"value":%q,"type":"work","primary":true}]}`, scim.UserSchema, name, name)
		req := httptest.NewRequest("POST", "/Users", strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+benchToken)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != 201 {
			b.Fatal(rec.Code, rec.Body)
		}
	}
}

// BenchStoreCreateUser is the bare store write, side by side with
// BenchServerCreateUser: what the HTTP layer adds is the difference.
func BenchStoreCreateUser(b *testing.B, st scim.Store) {
	ctx := context.Background()
	i := 0
	b.ReportAllocs()
	for b.Loop() {
		i++
		u := NewUser(i)
		u.ID = ""
		if err := st.CreateUser(ctx, u); err != nil {
			b.Fatal(err)
		}
	}
}
