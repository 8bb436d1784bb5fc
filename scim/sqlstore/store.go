package sqlstore

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/samlab/samlab/scim"
)

// store implements scim.Store. w runs every write transaction; r runs
// reads (the same pool on PostgreSQL; on SQLite a separate pool of readers,
// which WAL lets run beside the writer).
type store struct {
	w, r  *sql.DB
	d     *dialect
	where string // file path or redacted DSN, for error messages
	// gc batches SQLite's writes into shared commits; nil on PostgreSQL,
	// whose writers run side by side.
	gc *groupCommit
}

var (
	_ scim.Store      = (*store)(nil)
	_ scim.LogBatcher = (*store)(nil)
)

// Close closes the connection pools.
func (s *store) Close() error {
	if s.gc != nil {
		s.gc.close()
	}
	err := s.w.Close()
	if s.r != s.w {
		err = errors.Join(err, s.r.Close())
	}
	return err
}

// write runs fn in one write transaction and maps constraint errors.
func (s *store) write(ctx context.Context, fn func(*sql.Tx) error) error {
	if s.gc != nil {
		return s.d.mapErr(s.gc.do(ctx, fn))
	}
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("sqlstore: begin: %w", err)
	}
	// Also when fn panics: the row locks go and the connection goes back
	// to the pool. After a commit it does nothing.
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return s.d.mapErr(err)
	}
	if err := tx.Commit(); err != nil {
		return s.d.mapErr(fmt.Errorf("sqlstore: commit: %w", err))
	}
	return nil
}

// read runs fn in one read transaction (one snapshot).
func (s *store) read(ctx context.Context, fn func(*sql.Tx) error) error {
	tx, err := s.r.BeginTx(ctx, s.d.readTx)
	if err != nil {
		return fmt.Errorf("sqlstore: begin: %w", err)
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return err
	}
	return tx.Commit()
}

// newID is a random id in UUID v4 form, for resources created without one.
func newID() string {
	var b [16]byte
	rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b[:])
	return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}

// nullable stores "" as NULL, so that unique indexes ignore absent values.
func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// userNameKey is the key userName is unique and matched by: IdC compares
// userNames case-insensitively.
func userNameKey(name string) string { return strings.ToLower(name) }

// emailKey is the primary email as its unique index keeps it, "" when the
// user has none.
func emailKey(u *scim.User) string {
	for _, e := range u.Emails {
		if e.Primary {
			return strings.ToLower(e.Value)
		}
	}
	return ""
}

func managerID(u *scim.User) string {
	if u.Enterprise == nil {
		return ""
	}
	return u.Enterprise.Manager
}

// Cursors are opaque to callers: base64url of "<kind>:<seq>", where seq is
// the last row of the page in the stable order of the listing.
func encodeCursor(kind string, seq int64) string {
	return base64.RawURLEncoding.EncodeToString([]byte(kind + ":" + strconv.FormatInt(seq, 10)))
}

func decodeCursor(kind, cursor string) (int64, error) {
	if cursor == "" {
		return 0, nil
	}
	b, err := base64.RawURLEncoding.DecodeString(cursor)
	if err == nil {
		if rest, ok := strings.CutPrefix(string(b), kind+":"); ok {
			if n, err := strconv.ParseInt(rest, 10, 64); err == nil && n > 0 {
				return n, nil
			}
		}
	}
	return 0, fmt.Errorf("%w: %q was not issued by this store for this listing; start again without a cursor", scim.ErrBadCursor, cursor)
}

// pageSize bounds Count to 1..100 (IdC's largest page).
func pageSize(n int) int {
	if n <= 0 || n > 100 {
		return 100
	}
	return n
}

func formatTime(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

func parseTime(s string) (time.Time, error) { return time.Parse(time.RFC3339Nano, s) }
