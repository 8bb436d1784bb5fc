// Package sqlstore keeps the SCIM server's users, groups, tokens and request
// log in SQL: an embedded SQLite file by default (the pure-Go driver
// modernc.org/sqlite, so building samlab still needs no C toolchain), or
// PostgreSQL when several replicas share one store.
//
// Every scim.Store method runs as one transaction. The schema is created and
// migrated when the store is opened. docs/scim-store.md describes the file,
// the DSN forms, the schema and the retention of the request log.
package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // database/sql driver "pgx"
	_ "modernc.org/sqlite"             // database/sql driver "sqlite"

	"github.com/samlab/samlab/scim"
)

// DefaultFile is the name of the embedded database under the state
// directory.
const DefaultFile = "scim.db"

// LogRetention is how many request-log entries the store keeps: appending
// entry n deletes the entries with Seq <= n-LogRetention.
const LogRetention = 10000

// busyTimeout is how long a SQLite writer waits for another process (for
// example `samlab scim token create` beside a running server) to release
// the write lock before it fails with "database is locked".
const busyTimeout = 10 * time.Second

// Open opens the store that database names, creating and migrating its
// schema:
//
//   - "" is the embedded SQLite file <stateDir>/scim.db (the directory is
//     created with mode 0700, the file with mode 0600);
//   - "sqlite:/path/to/file.db" is that SQLite file;
//   - "postgres://..." or "postgresql://..." is a PostgreSQL database (any
//     DSN that github.com/jackc/pgx accepts in URL form).
func Open(ctx context.Context, database, stateDir string) (scim.Store, error) {
	switch {
	case database == "":
		if stateDir == "" {
			return nil, errors.New("sqlstore: no state directory for the embedded database; set the state directory or [scim] database")
		}
		if err := os.MkdirAll(stateDir, 0o700); err != nil {
			return nil, fmt.Errorf("sqlstore: create the state directory: %w", err)
		}
		return openSQLite(ctx, filepath.Join(stateDir, DefaultFile))
	case strings.HasPrefix(database, "sqlite:"):
		path := strings.TrimPrefix(database, "sqlite:")
		// sqlite:///abs/path is the URL spelling of sqlite:/abs/path.
		if strings.HasPrefix(path, "///") {
			path = path[2:]
		}
		if path == "" || strings.ContainsAny(path, "?#") {
			return nil, fmt.Errorf("sqlstore: database %q: want sqlite:/path/to/file.db (a file path, no query)", database)
		}
		if dir := filepath.Dir(path); dir != "" {
			if err := os.MkdirAll(dir, 0o700); err != nil {
				return nil, fmt.Errorf("sqlstore: create the directory of %s: %w", path, err)
			}
		}
		return openSQLite(ctx, path)
	case strings.HasPrefix(database, "postgres://"), strings.HasPrefix(database, "postgresql://"):
		return openPostgres(ctx, database)
	default:
		return nil, fmt.Errorf("sqlstore: database %q: want \"\" (embedded SQLite under the state directory), sqlite:/path/to/file.db or postgres://user:password@host:port/dbname", redact(database))
	}
}

func openSQLite(ctx context.Context, path string) (scim.Store, error) {
	// Create the file with mode 0600 before SQLite does (SQLite would use
	// 0644); its -wal and -shm files take the database file's mode.
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: open %s: %w", path, err)
	}
	f.Close()
	params := url.Values{}
	params.Set("_busy_timeout", fmt.Sprint(busyTimeout.Milliseconds()))
	params.Set("_journal_mode", "WAL")
	// FULL: a commit is on disk before the store acknowledges it, so even a
	// power loss keeps every acknowledged write (NORMAL would survive only
	// a process crash).
	params.Set("_synchronous", "FULL")
	params.Set("_foreign_keys", "1")
	base := "file:" + (&url.URL{Path: path}).EscapedPath()
	readDSN := base + "?" + params.Encode()
	// Writers start with BEGIN IMMEDIATE: the write lock is taken before the
	// first read, so a read-modify-write (UpdateUser) cannot interleave with
	// another writer, in this process or another.
	params.Set("_txlock", "immediate")
	writeDSN := base + "?" + params.Encode()

	w, err := sql.Open("sqlite", writeDSN)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: open %s: %w", path, err)
	}
	// One writer connection: writers of this process queue in Go instead of
	// spinning on SQLite's busy handler.
	w.SetMaxOpenConns(1)
	w.SetConnMaxIdleTime(0)
	r, err := sql.Open("sqlite", readDSN)
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("sqlstore: open %s: %w", path, err)
	}
	r.SetMaxOpenConns(8)
	r.SetMaxIdleConns(8)
	s := &store{w: w, r: r, d: sqliteDialect, where: path}
	if err := s.migrate(ctx); err != nil {
		s.Close()
		return nil, err
	}
	s.gc = newGroupCommit(w)
	return s, nil
}

func openPostgres(ctx context.Context, dsn string) (scim.Store, error) {
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: postgres %s: %w", redact(dsn), err)
	}
	db.SetMaxOpenConns(16)
	db.SetMaxIdleConns(16)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("sqlstore: connect to postgres %s: %w", redact(dsn), err)
	}
	s := &store{w: db, r: db, d: postgresDialect, where: redact(dsn)}
	if err := s.migrate(ctx); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// redact hides the password of a URL-form DSN in error messages.
func redact(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil || u.User == nil {
		return dsn
	}
	if _, ok := u.User.Password(); ok {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	return u.String()
}
