package sqlstore

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/samlab/samlab/scim"
)

// AppendLog adds e to the request log with the next sequence number (e.Seq
// is ignored) and drops the entries older than the last LogRetention.
func (s *store) AppendLog(ctx context.Context, e scim.LogEntry) error {
	return s.AppendLogs(ctx, []scim.LogEntry{e})
}

// AppendLogs is AppendLog for several entries, in order, in one
// transaction (scim.LogBatcher): a burst of requests costs one commit.
func (s *store) AppendLogs(ctx context.Context, es []scim.LogEntry) error {
	if len(es) == 0 {
		return nil
	}
	return s.write(ctx, func(tx *sql.Tx) error {
		var seq int64
		for _, e := range es {
			err := tx.QueryRowContext(ctx, s.d.q(`INSERT INTO scim_log (time, request_id, client, method, path, status, request, response, error) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING seq`),
				formatTime(e.Time), e.RequestID, e.Client, e.Method, e.Path, e.Status, e.Request, e.Response, e.Error).Scan(&seq)
			if err != nil {
				return fmt.Errorf("sqlstore: append to the request log: %w", err)
			}
		}
		if seq > LogRetention {
			if _, err := tx.ExecContext(ctx, s.d.q(`DELETE FROM scim_log WHERE seq <= ?`), seq-LogRetention); err != nil {
				return fmt.Errorf("sqlstore: trim the request log: %w", err)
			}
		}
		return nil
	})
}

// Log returns up to limit entries (limit <= 0: all that are kept), newest
// first, with Seq < before (before <= 0: from the newest).
func (s *store) Log(ctx context.Context, limit int, before int64) ([]scim.LogEntry, error) {
	if limit <= 0 || limit > LogRetention {
		limit = LogRetention
	}
	query := `SELECT seq, time, request_id, client, method, path, status, request, response, error FROM scim_log ORDER BY seq DESC LIMIT ?`
	args := []any{limit}
	if before > 0 {
		query = `SELECT seq, time, request_id, client, method, path, status, request, response, error FROM scim_log WHERE seq < ? ORDER BY seq DESC LIMIT ?`
		args = []any{before, limit}
	}
	rows, err := s.r.QueryContext(ctx, s.d.q(query), args...)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: read the request log: %w", err)
	}
	defer rows.Close()
	var out []scim.LogEntry
	for rows.Next() {
		var e scim.LogEntry
		var t string
		if err := rows.Scan(&e.Seq, &t, &e.RequestID, &e.Client, &e.Method, &e.Path, &e.Status, &e.Request, &e.Response, &e.Error); err != nil {
			return nil, fmt.Errorf("sqlstore: read the request log: %w", err)
		}
		if e.Time, err = parseTime(t); err != nil {
			return nil, fmt.Errorf("sqlstore: log entry %d: time: %w", e.Seq, err)
		}
		out = append(out, e)
	}
	return out, rows.Err()
}
