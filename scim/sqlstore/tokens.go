package sqlstore

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/samlab/samlab/scim"
)

// AddToken keeps t (its hash, never the token). An id already kept is
// scim.ErrConflict.
func (s *store) AddToken(ctx context.Context, t scim.Token) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, s.d.q(`INSERT INTO scim_tokens (id, hash, created, expires) VALUES (?, ?, ?, ?)`),
			t.ID, t.Hash, formatTime(t.Created), formatTime(t.Expires)); err != nil {
			return fmt.Errorf("sqlstore: add token %q: %w", t.ID, err)
		}
		return nil
	})
}

// Tokens returns every kept token, oldest first, expired ones included.
func (s *store) Tokens(ctx context.Context) ([]scim.Token, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT id, hash, created, expires FROM scim_tokens ORDER BY created, id`)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: read tokens: %w", err)
	}
	defer rows.Close()
	var out []scim.Token
	for rows.Next() {
		var t scim.Token
		var created, expires string
		if err := rows.Scan(&t.ID, &t.Hash, &created, &expires); err != nil {
			return nil, fmt.Errorf("sqlstore: read tokens: %w", err)
		}
		if t.Created, err = parseTime(created); err != nil {
			return nil, fmt.Errorf("sqlstore: token %q: created: %w", t.ID, err)
		}
		if t.Expires, err = parseTime(expires); err != nil {
			return nil, fmt.Errorf("sqlstore: token %q: expires: %w", t.ID, err)
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// DeleteToken deletes the token with that id, or fails with
// scim.ErrNotFound.
func (s *store) DeleteToken(ctx context.Context, id string) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, s.d.q(`DELETE FROM scim_tokens WHERE id = ?`), id)
		if err != nil {
			return fmt.Errorf("sqlstore: delete token %q: %w", id, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("sqlstore: token %q: %w", id, scim.ErrNotFound)
		}
		return nil
	})
}
