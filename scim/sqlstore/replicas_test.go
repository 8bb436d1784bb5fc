package sqlstore

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"testing"

	"github.com/samlab/samlab/scim"
	"github.com/samlab/samlab/scim/storetest"
)

// testTwoHandles: two stores on one database (two replicas on PostgreSQL;
// on SQLite, serve and `samlab scim token create` on one file) write side
// by side: a userName lands once, every other write lands, no "database is
// locked".
func testTwoHandles(t *testing.T, a, b scim.Store) {
	ctx := context.Background()
	const n = 10
	var wg sync.WaitGroup
	var mu sync.Mutex
	landed, conflicts := 0, 0
	for i := range 2 * n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s := a
			if i%2 == 1 {
				s = b
			}
			u := storetest.NewUser(1000 + i)
			u.UserName = "contested@example.com"
			err := s.CreateUser(ctx, u)
			// And a write that must land, beside the contest.
			if err2 := s.AppendLog(ctx, scim.LogEntry{RequestID: fmt.Sprint(i)}); err2 != nil {
				t.Errorf("AppendLog on handle %d: %v", i%2, err2)
			}
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
				landed++
			case errors.Is(err, scim.ErrConflict):
				conflicts++
			default:
				t.Errorf("create on handle %d: %v", i%2, err)
			}
		}()
	}
	wg.Wait()
	if landed != 1 || conflicts != 2*n-1 {
		t.Errorf("%d landed, %d conflicts; want 1 and %d", landed, conflicts, 2*n-1)
	}
	for _, s := range []scim.Store{a, b} {
		log, err := s.Log(ctx, 0, 0)
		if err != nil {
			t.Fatal(err)
		}
		if len(log) != 2*n {
			t.Errorf("log has %d entries, want %d", len(log), 2*n)
		}
		users, _, err := s.ListUsers(ctx, scim.UserQuery{UserName: "CONTESTED@example.com"})
		if err != nil || len(users) != 1 {
			t.Errorf("ListUsers(contested) = %d users, %v; want 1", len(users), err)
		}
	}
	// A write on one handle is read on the other.
	if err := a.AddToken(ctx, scim.Token{ID: "t1", Hash: []byte("h")}); err != nil {
		t.Fatal(err)
	}
	toks, err := b.Tokens(ctx)
	if err != nil || len(toks) != 1 {
		t.Errorf("token written on one handle: the other sees %d, %v", len(toks), err)
	}
}

func TestSQLiteTwoHandles(t *testing.T) {
	db := "sqlite:" + filepath.Join(t.TempDir(), "scim.db")
	a, err := Open(context.Background(), db, "")
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	b, err := Open(context.Background(), db, "")
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	testTwoHandles(t, a, b)
}

func TestPostgresTwoReplicas(t *testing.T) {
	dsn := postgresSchema(t)
	a, err := Open(context.Background(), dsn, "")
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	b, err := Open(context.Background(), dsn, "")
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	testTwoHandles(t, a, b)
}
