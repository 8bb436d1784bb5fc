package sqlstore

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/samlab/samlab/scim"
	"github.com/samlab/samlab/scim/storetest"
)

func openSQLiteTest(t testing.TB) scim.Store {
	t.Helper()
	s, err := Open(context.Background(), "", t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func TestSQLiteContract(t *testing.T) {
	storetest.Run(t, func(t *testing.T) scim.Store { return openSQLiteTest(t) })
}

func TestSQLiteFileModes(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "state")
	s, err := Open(context.Background(), "", dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.CreateUser(context.Background(), storetest.NewUser(1)); err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for path, want := range map[string]os.FileMode{dir: 0o700 | os.ModeDir, filepath.Join(dir, "scim.db"): 0o600, filepath.Join(dir, "scim.db-wal"): 0o600} {
		fi, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode() != want {
			t.Errorf("%s: mode %v, want %v", path, fi.Mode(), want)
		}
	}
}

// The request log keeps exactly the newest LogRetention entries.
func testLogRetention(t *testing.T, s scim.Store) {
	ctx := context.Background()
	b := s.(scim.LogBatcher)
	batch := make([]scim.LogEntry, 1000)
	total := 0
	for total < LogRetention+50 {
		n := min(len(batch), LogRetention+50-total)
		for i := range n {
			batch[i] = scim.LogEntry{RequestID: fmt.Sprint(total + i + 1), Method: "GET", Path: "/scim/v2/Users", Status: 200}
		}
		if err := b.AppendLogs(ctx, batch[:n]); err != nil {
			t.Fatal(err)
		}
		total += n
	}
	all, err := s.Log(ctx, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != LogRetention || all[0].RequestID != fmt.Sprint(LogRetention+50) || all[len(all)-1].RequestID != "51" {
		t.Fatalf("kept %d entries, %s..%s; want %d, %d..51", len(all), all[0].RequestID, all[len(all)-1].RequestID, LogRetention, LogRetention+50)
	}
	if err := s.AppendLog(ctx, scim.LogEntry{RequestID: "one more"}); err != nil {
		t.Fatal(err)
	}
	all, err = s.Log(ctx, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != LogRetention || all[len(all)-1].RequestID != "52" {
		t.Errorf("after one more: %d entries, oldest %s; want %d, oldest 52", len(all), all[len(all)-1].RequestID, LogRetention)
	}
}

func TestSQLiteLogRetention(t *testing.T) { testLogRetention(t, openSQLiteTest(t)) }

func TestPostgresLogRetention(t *testing.T) { testLogRetention(t, openPostgresTest(t)) }

func TestOpenErrors(t *testing.T) {
	ctx := context.Background()
	for _, tt := range []struct{ database, stateDir, want string }{
		{"", "", "no state directory"},
		{"mysql://root:secret@db/scim", "x", `want "" (embedded SQLite`},
		{"sqlite:", "x", "want sqlite:/path/to/file.db"},
		{"sqlite:/tmp/x.db?mode=ro", "x", "want sqlite:/path/to/file.db"},
		{"postgres://samlab:secret@127.0.0.1:1/none?connect_timeout=2", "", "connect to postgres"},
	} {
		s, err := Open(ctx, tt.database, tt.stateDir)
		if err == nil {
			s.Close()
			t.Errorf("Open(%q, %q) succeeded, want an error", tt.database, tt.stateDir)
			continue
		}
		if !strings.Contains(err.Error(), tt.want) || strings.Contains(err.Error(), "secret") {
			t.Errorf("Open(%q, %q) = %v; want it to say %q and never the password", tt.database, tt.stateDir, err, tt.want)
		}
	}
}

// sqlite:/path and sqlite:///path name the same file; the data outlives
// the store.
func TestSQLitePathAndReopen(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "sub", "my.db")
	s, err := Open(ctx, "sqlite:"+path, "")
	if err != nil {
		t.Fatal(err)
	}
	if err := s.CreateUser(ctx, storetest.NewUser(1)); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s, err = Open(ctx, "sqlite://"+path, "")
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	got, err := s.GetUser(ctx, storetest.NewUser(1).ID)
	if err != nil {
		t.Fatal(err)
	}
	storetest.Same(t, got, storetest.NewUser(1))
}

// A panic in an update's fn reaches its caller, rolls back only that
// write, and leaves the store working (SQLite runs fn on its commit
// goroutine; PostgreSQL must give the connection back).
func testUpdatePanic(t *testing.T, s scim.Store) {
	ctx := context.Background()
	if err := s.CreateUser(ctx, storetest.NewUser(1)); err != nil {
		t.Fatal(err)
	}
	func() {
		defer func() {
			if v := recover(); v != "boom" {
				t.Errorf("recovered %v, want the fn's panic", v)
			}
		}()
		s.UpdateUser(ctx, storetest.NewUser(1).ID, func(u *scim.User) error {
			u.UserName = "half"
			panic("boom")
		})
	}()
	got, err := s.GetUser(ctx, storetest.NewUser(1).ID)
	if err != nil {
		t.Fatal(err)
	}
	storetest.Same(t, got, storetest.NewUser(1))
	if err := s.CreateUser(ctx, storetest.NewUser(2)); err != nil {
		t.Errorf("write after a panicking one: %v", err)
	}
}

func TestSQLiteUpdatePanic(t *testing.T) { testUpdatePanic(t, openSQLiteTest(t)) }

func TestPostgresUpdatePanic(t *testing.T) {
	s := openPostgresTest(t)
	testUpdatePanic(t, s)
	// More panics than the pool has connections (16): if any leaked a
	// connection, the write after them would wait for one until ctx ends.
	id := storetest.NewUser(1).ID
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	for range 20 {
		func() {
			defer func() { recover() }()
			// A leaked transaction would also keep the row locked and the
			// next update would wait until ctx ends.
			_, err := s.UpdateUser(ctx, id, func(u *scim.User) error { panic("boom") })
			t.Errorf("UpdateUser returned (%v) instead of panicking", err)
		}()
	}
	if err := s.CreateUser(ctx, storetest.NewUser(3)); err != nil {
		t.Errorf("write after 20 panicking updates: %v", err)
	}
}
