package sqlstore

import (
	"database/sql"
	"errors"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/samlab/samlab/scim"
)

// dialect holds what differs between SQLite and PostgreSQL; the statements
// themselves are shared, written with ? placeholders.
type dialect struct {
	name string
	// serial is the column type of an auto-incremented primary key.
	serial string
	// blob is the column type of raw bytes.
	blob string
	// forUpdate locks the rows a read-modify-write selects. SQLite needs
	// none: BEGIN IMMEDIATE already holds the database's write lock.
	forUpdate string
	// numbered placeholders ($1, $2, ...) instead of ?.
	numbered bool
	// readTx is how read-only methods that run several statements begin,
	// so that they see one snapshot.
	readTx *sql.TxOptions
	// constraint classifies a driver error: a unique or primary-key
	// violation, or a foreign-key violation.
	constraint func(error) (unique, foreignKey bool)
}

var sqliteDialect = &dialect{
	name:   "sqlite",
	serial: "INTEGER PRIMARY KEY AUTOINCREMENT",
	blob:   "BLOB",
	// A deferred read transaction in WAL mode reads one snapshot.
	readTx: nil,
	constraint: func(err error) (bool, bool) {
		var e *sqlite.Error
		if !errors.As(err, &e) {
			return false, false
		}
		switch e.Code() {
		case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
			return true, false
		case sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY:
			return false, true
		}
		return false, false
	},
}

var postgresDialect = &dialect{
	name:      "postgres",
	serial:    "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY",
	blob:      "BYTEA",
	forUpdate: " FOR UPDATE",
	numbered:  true,
	readTx:    &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true},
	constraint: func(err error) (bool, bool) {
		var e *pgconn.PgError
		if !errors.As(err, &e) {
			return false, false
		}
		switch e.Code {
		case "23505": // unique_violation
			return true, false
		case "23503": // foreign_key_violation
			return false, true
		}
		return false, false
	},
}

// q rewrites a statement written with ? placeholders and {{serial}} /
// {{blob}} / {{forupdate}} markers for this dialect.
func (d *dialect) q(stmt string) string {
	stmt = strings.NewReplacer("{{serial}}", d.serial, "{{blob}}", d.blob, "{{forupdate}}", d.forUpdate).Replace(stmt)
	if !d.numbered {
		return stmt
	}
	var b strings.Builder
	n := 0
	for _, c := range stmt {
		if c == '?' {
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteRune(c)
	}
	return b.String()
}

// mapErr turns constraint violations into the scim sentinel errors: a
// unique key taken is scim.ErrConflict, a reference to a missing row (a
// group member that names no user) is scim.ErrNotFound.
func (d *dialect) mapErr(err error) error {
	if err == nil {
		return nil
	}
	unique, fk := d.constraint(err)
	switch {
	case unique:
		return errors.Join(scim.ErrConflict, err)
	case fk:
		return errors.Join(scim.ErrNotFound, err)
	}
	return err
}
