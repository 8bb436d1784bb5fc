package sqlstore

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"testing"

	"github.com/samlab/samlab/scim"
	"github.com/samlab/samlab/scim/storetest"
)

// postgresDSN is the server the PostgreSQL tests use: SAMLAB_TEST_POSTGRES
// (scripts/test.sh starts a throwaway cluster and sets it). Unset, the
// tests skip, or fail when SAMLAB_REQUIRE_TOOLS=1.
func postgresDSN(t testing.TB) string {
	t.Helper()
	dsn := os.Getenv("SAMLAB_TEST_POSTGRES")
	if dsn == "" {
		if os.Getenv("SAMLAB_REQUIRE_TOOLS") == "1" {
			t.Fatal("SAMLAB_TEST_POSTGRES is not set and SAMLAB_REQUIRE_TOOLS=1: run scripts/test.sh, which starts a PostgreSQL server, or set SAMLAB_TEST_POSTGRES=postgres://user@host:port/db")
		}
		t.Skip("SAMLAB_TEST_POSTGRES not set (scripts/test.sh sets it)")
	}
	return dsn
}

// postgresSchema creates an empty schema for one test and returns a DSN
// whose search_path is that schema; the schema is dropped when t ends.
func postgresSchema(t testing.TB) string {
	t.Helper()
	dsn := postgresDSN(t)
	var b [6]byte
	rand.Read(b[:])
	schema := "samlab_test_" + hex.EncodeToString(b[:])
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`CREATE SCHEMA ` + schema); err != nil {
		db.Close()
		t.Fatalf("create schema on SAMLAB_TEST_POSTGRES: %v", err)
	}
	t.Cleanup(func() {
		db.Exec(`DROP SCHEMA ` + schema + ` CASCADE`)
		db.Close()
	})
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatalf("SAMLAB_TEST_POSTGRES: want a postgres:// URL: %v", err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

func openPostgresTest(t testing.TB) scim.Store {
	t.Helper()
	dsn := postgresSchema(t)
	s, err := Open(context.Background(), dsn, "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func TestPostgresContract(t *testing.T) {
	postgresDSN(t)
	storetest.Run(t, func(t *testing.T) scim.Store { return openPostgresTest(t) })
}

// Replicas that open the same database migrate it once; reopening keeps
// the data.
func TestPostgresReopen(t *testing.T) {
	dsn := postgresSchema(t)
	ctx := context.Background()
	a, err := Open(ctx, dsn, "")
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	if err := a.CreateUser(ctx, storetest.NewUser(1)); err != nil {
		t.Fatal(err)
	}
	b, err := Open(ctx, dsn, "")
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	got, err := b.GetUser(ctx, storetest.NewUser(1).ID)
	if err != nil {
		t.Fatal(err)
	}
	storetest.Same(t, got, storetest.NewUser(1))
}
