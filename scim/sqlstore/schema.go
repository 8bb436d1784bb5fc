package sqlstore

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// migrations are applied in order, each once, inside one transaction per
// open; schema_version records the last one applied. Append new steps;
// never edit a released one.
var migrations = []string{
	// 1: users, groups, memberships, tokens, the request log.
	`
CREATE TABLE scim_users (
	seq {{serial}},
	id TEXT NOT NULL UNIQUE,
	user_name_key TEXT NOT NULL UNIQUE,
	external_id TEXT,
	email_key TEXT UNIQUE,
	active INTEGER NOT NULL,
	manager_id TEXT,
	doc TEXT NOT NULL
);
CREATE INDEX scim_users_external_id ON scim_users (external_id);
CREATE INDEX scim_users_manager_id ON scim_users (manager_id);
CREATE TABLE scim_groups (
	seq {{serial}},
	id TEXT NOT NULL UNIQUE,
	display_name TEXT NOT NULL UNIQUE,
	external_id TEXT,
	doc TEXT NOT NULL
);
CREATE INDEX scim_groups_external_id ON scim_groups (external_id);
CREATE TABLE scim_members (
	group_id TEXT NOT NULL REFERENCES scim_groups (id) ON DELETE CASCADE,
	user_id TEXT NOT NULL REFERENCES scim_users (id) ON DELETE CASCADE,
	PRIMARY KEY (group_id, user_id)
);
CREATE INDEX scim_members_user ON scim_members (user_id, group_id);
CREATE TABLE scim_tokens (
	id TEXT PRIMARY KEY,
	hash {{blob}} NOT NULL,
	created TEXT NOT NULL,
	expires TEXT NOT NULL
);
CREATE TABLE scim_log (
	seq {{serial}},
	time TEXT NOT NULL,
	request_id TEXT NOT NULL,
	client TEXT NOT NULL,
	method TEXT NOT NULL,
	path TEXT NOT NULL,
	status INTEGER NOT NULL,
	request TEXT NOT NULL,
	response TEXT NOT NULL,
	error TEXT NOT NULL
);
`,
}

// migrate brings the schema to the newest version. On PostgreSQL an
// advisory lock makes replicas that start together migrate one at a time;
// on SQLite the IMMEDIATE transaction does the same.
func (s *store) migrate(ctx context.Context) error {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("sqlstore: %s: begin migration: %w", s.where, err)
	}
	defer tx.Rollback()
	if s.d == postgresDialect {
		// 0x5343494d = "SCIM".
		if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(1396918605)`); err != nil {
			return fmt.Errorf("sqlstore: %s: lock for migration: %w", s.where, err)
		}
	}
	if _, err := tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS scim_schema_version (version INTEGER NOT NULL, applied TEXT NOT NULL)`); err != nil {
		return fmt.Errorf("sqlstore: %s: create the version table: %w", s.where, err)
	}
	var version int
	if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM scim_schema_version`).Scan(&version); err != nil {
		return fmt.Errorf("sqlstore: %s: read the schema version: %w", s.where, err)
	}
	if version > len(migrations) {
		return fmt.Errorf("sqlstore: %s: schema version %d is newer than this samlab knows (%d); run a newer samlab", s.where, version, len(migrations))
	}
	for v := version + 1; v <= len(migrations); v++ {
		for _, stmt := range strings.Split(migrations[v-1], ";") {
			if strings.TrimSpace(stmt) == "" {
				continue
			}
			if _, err := tx.ExecContext(ctx, s.d.q(stmt)); err != nil {
				return fmt.Errorf("sqlstore: %s: migration %d: %w", s.where, v, err)
			}
		}
		if _, err := tx.ExecContext(ctx, s.d.q(`INSERT INTO scim_schema_version (version, applied) VALUES (?, ?)`), v, time.Now().UTC().Format(time.RFC3339)); err != nil {
			return fmt.Errorf("sqlstore: %s: record migration %d: %w", s.where, v, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("sqlstore: %s: commit migration: %w", s.where, err)
	}
	return nil
}
