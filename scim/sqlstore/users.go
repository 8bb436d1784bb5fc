package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/samlab/samlab/scim"
)

// CreateUser inserts u. An empty ID is filled with a new random id and zero
// Created/LastModified with the current time, on u itself.
func (s *store) CreateUser(ctx context.Context, u *scim.User) error {
	if u.ID == "" {
		u.ID = newID()
	}
	if u.Created.IsZero() {
		u.Created = time.Now().UTC()
	}
	if u.LastModified.IsZero() {
		u.LastModified = u.Created
	}
	doc, err := json.Marshal(u)
	if err != nil {
		return fmt.Errorf("sqlstore: encode user %s: %w", u.ID, err)
	}
	return s.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, s.d.q(`INSERT INTO scim_users (id, user_name_key, external_id, email_key, active, manager_id, doc) VALUES (?, ?, ?, ?, ?, ?, ?)`),
			u.ID, userNameKey(u.UserName), nullable(u.ExternalID), nullable(emailKey(u)), boolInt(u.Active), nullable(managerID(u)), string(doc))
		if err != nil {
			return fmt.Errorf("sqlstore: create user %q: %w", u.UserName, err)
		}
		return nil
	})
}

// GetUser returns the user with that id, or scim.ErrNotFound.
func (s *store) GetUser(ctx context.Context, id string) (*scim.User, error) {
	return s.getUser(ctx, s.r, id, "")
}

type queryer interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

func (s *store) getUser(ctx context.Context, q queryer, id, lock string) (*scim.User, error) {
	var doc string
	err := q.QueryRowContext(ctx, s.d.q(`SELECT doc FROM scim_users WHERE id = ?`+lock), id).Scan(&doc)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("sqlstore: user %q: %w", id, scim.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("sqlstore: read user %q: %w", id, err)
	}
	return decodeUser(doc)
}

func decodeUser(doc string) (*scim.User, error) {
	var u scim.User
	if err := json.Unmarshal([]byte(doc), &u); err != nil {
		return nil, fmt.Errorf("sqlstore: decode user: %w", err)
	}
	return &u, nil
}

// UpdateUser reads the user under the write lock (SQLite: BEGIN IMMEDIATE;
// PostgreSQL: SELECT ... FOR UPDATE), lets fn change it and writes it back.
// fn's error is returned as it is, and nothing changes. fn cannot change
// the id.
func (s *store) UpdateUser(ctx context.Context, id string, fn func(*scim.User) error) (*scim.User, error) {
	var out *scim.User
	err := s.write(ctx, func(tx *sql.Tx) error {
		u, err := s.getUser(ctx, tx, id, s.d.forUpdate)
		if err != nil {
			return err
		}
		if err := fn(u); err != nil {
			return err
		}
		u.ID = id
		doc, err := json.Marshal(u)
		if err != nil {
			return fmt.Errorf("sqlstore: encode user %s: %w", id, err)
		}
		_, err = tx.ExecContext(ctx, s.d.q(`UPDATE scim_users SET user_name_key = ?, external_id = ?, email_key = ?, active = ?, manager_id = ?, doc = ? WHERE id = ?`),
			userNameKey(u.UserName), nullable(u.ExternalID), nullable(emailKey(u)), boolInt(u.Active), nullable(managerID(u)), string(doc), id)
		if err != nil {
			return fmt.Errorf("sqlstore: update user %q: %w", id, err)
		}
		out = u
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// DeleteUser deletes the user and, by the foreign key's cascade, its group
// memberships.
func (s *store) DeleteUser(ctx context.Context, id string) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, s.d.q(`DELETE FROM scim_users WHERE id = ?`), id)
		if err != nil {
			return fmt.Errorf("sqlstore: delete user %q: %w", id, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("sqlstore: user %q: %w", id, scim.ErrNotFound)
		}
		return nil
	})
}

// ListUsers returns the users that match every non-empty field of q, in
// creation order, one page at a time.
func (s *store) ListUsers(ctx context.Context, q scim.UserQuery) ([]scim.User, string, error) {
	after, err := decodeCursor("u", q.Cursor)
	if err != nil {
		return nil, "", err
	}
	n := pageSize(q.Count)
	where := []string{"seq > ?"}
	args := []any{after}
	add := func(cond, v string) {
		if v != "" {
			where = append(where, cond)
			args = append(args, v)
		}
	}
	if q.UserName != "" {
		add("user_name_key = ?", userNameKey(q.UserName))
	}
	add("external_id = ?", q.ExternalID)
	add("id = ?", q.ID)
	add("manager_id = ?", q.ManagerID)
	add("id IN (SELECT user_id FROM scim_members WHERE group_id = ?)", q.GroupID)
	args = append(args, n+1)
	rows, err := s.r.QueryContext(ctx, s.d.q(`SELECT seq, doc FROM scim_users WHERE `+strings.Join(where, " AND ")+` ORDER BY seq LIMIT ?`), args...)
	if err != nil {
		return nil, "", fmt.Errorf("sqlstore: list users: %w", err)
	}
	defer rows.Close()
	var users []scim.User
	var seqs []int64
	for rows.Next() {
		var seq int64
		var doc string
		if err := rows.Scan(&seq, &doc); err != nil {
			return nil, "", fmt.Errorf("sqlstore: list users: %w", err)
		}
		u, err := decodeUser(doc)
		if err != nil {
			return nil, "", err
		}
		users = append(users, *u)
		seqs = append(seqs, seq)
	}
	if err := rows.Err(); err != nil {
		return nil, "", fmt.Errorf("sqlstore: list users: %w", err)
	}
	next := ""
	if len(users) > n {
		users = users[:n]
		next = encodeCursor("u", seqs[n-1])
	}
	return users, next, nil
}

// CountUsers returns how many users the store holds.
func (s *store) CountUsers(ctx context.Context) (int, error) {
	var n int
	if err := s.r.QueryRowContext(ctx, `SELECT COUNT(*) FROM scim_users`).Scan(&n); err != nil {
		return 0, fmt.Errorf("sqlstore: count users: %w", err)
	}
	return n, nil
}
