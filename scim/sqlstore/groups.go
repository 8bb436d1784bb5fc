package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/samlab/samlab/scim"
)

// groupDoc is the JSON document of a group: the group without its members,
// which live in scim_members.
func groupDoc(g *scim.Group) (string, error) {
	c := *g
	c.Members = nil
	b, err := json.Marshal(&c)
	if err != nil {
		return "", fmt.Errorf("sqlstore: encode group %s: %w", g.ID, err)
	}
	return string(b), nil
}

// CreateGroup inserts g and its members. An empty ID is filled with a new
// random id and zero times with the current time, on g itself. A member id
// that names no user fails with scim.ErrNotFound, a displayName taken with
// scim.ErrConflict.
func (s *store) CreateGroup(ctx context.Context, g *scim.Group) error {
	if g.ID == "" {
		g.ID = newID()
	}
	if g.Created.IsZero() {
		g.Created = time.Now().UTC()
	}
	if g.LastModified.IsZero() {
		g.LastModified = g.Created
	}
	doc, err := groupDoc(g)
	if err != nil {
		return err
	}
	return s.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, s.d.q(`INSERT INTO scim_groups (id, display_name, external_id, doc) VALUES (?, ?, ?, ?)`),
			g.ID, g.DisplayName, nullable(g.ExternalID), doc)
		if err != nil {
			return fmt.Errorf("sqlstore: create group %q: %w", g.DisplayName, err)
		}
		return s.addMembers(ctx, tx, g.ID, g.Members)
	})
}

func (s *store) addMembers(ctx context.Context, tx *sql.Tx, groupID string, members []string) error {
	seen := map[string]bool{}
	for _, m := range members {
		if seen[m] {
			continue
		}
		seen[m] = true
		if _, err := tx.ExecContext(ctx, s.d.q(`INSERT INTO scim_members (group_id, user_id) VALUES (?, ?)`), groupID, m); err != nil {
			if _, fk := s.d.constraint(err); fk {
				return fmt.Errorf("sqlstore: group %s: member %q is no user: %w", groupID, m, scim.ErrNotFound)
			}
			return fmt.Errorf("sqlstore: group %s: add member %q: %w", groupID, m, err)
		}
	}
	return nil
}

// GetGroup returns the group with that id and its members (user ids in
// ascending order), or scim.ErrNotFound.
func (s *store) GetGroup(ctx context.Context, id string) (*scim.Group, error) {
	var g *scim.Group
	err := s.read(ctx, func(tx *sql.Tx) error {
		var err error
		g, err = s.getGroup(ctx, tx, id, "")
		return err
	})
	return g, err
}

func (s *store) getGroup(ctx context.Context, tx *sql.Tx, id, lock string) (*scim.Group, error) {
	var doc string
	err := tx.QueryRowContext(ctx, s.d.q(`SELECT doc FROM scim_groups WHERE id = ?`+lock), id).Scan(&doc)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("sqlstore: group %q: %w", id, scim.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("sqlstore: read group %q: %w", id, err)
	}
	g, err := decodeGroup(doc)
	if err != nil {
		return nil, err
	}
	if err := s.loadMembers(ctx, tx, []*scim.Group{g}); err != nil {
		return nil, err
	}
	return g, nil
}

func decodeGroup(doc string) (*scim.Group, error) {
	var g scim.Group
	if err := json.Unmarshal([]byte(doc), &g); err != nil {
		return nil, fmt.Errorf("sqlstore: decode group: %w", err)
	}
	return &g, nil
}

// loadMembers fills the Members of groups with one query.
func (s *store) loadMembers(ctx context.Context, tx *sql.Tx, groups []*scim.Group) error {
	if len(groups) == 0 {
		return nil
	}
	byID := map[string]*scim.Group{}
	args := make([]any, len(groups))
	for i, g := range groups {
		byID[g.ID] = g
		args[i] = g.ID
	}
	marks := strings.TrimSuffix(strings.Repeat("?, ", len(groups)), ", ")
	rows, err := tx.QueryContext(ctx, s.d.q(`SELECT group_id, user_id FROM scim_members WHERE group_id IN (`+marks+`) ORDER BY group_id, user_id`), args...)
	if err != nil {
		return fmt.Errorf("sqlstore: read members: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var gid, uid string
		if err := rows.Scan(&gid, &uid); err != nil {
			return fmt.Errorf("sqlstore: read members: %w", err)
		}
		byID[gid].Members = append(byID[gid].Members, uid)
	}
	return rows.Err()
}

// UpdateGroup is UpdateUser for groups: the members fn leaves are written
// back as the difference to the stored ones; a new member id that names no
// user fails the whole update with scim.ErrNotFound.
func (s *store) UpdateGroup(ctx context.Context, id string, fn func(*scim.Group) error) (*scim.Group, error) {
	var out *scim.Group
	err := s.write(ctx, func(tx *sql.Tx) error {
		g, err := s.getGroup(ctx, tx, id, s.d.forUpdate)
		if err != nil {
			return err
		}
		before := slices.Clone(g.Members)
		if err := fn(g); err != nil {
			return err
		}
		g.ID = id
		doc, err := groupDoc(g)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, s.d.q(`UPDATE scim_groups SET display_name = ?, external_id = ?, doc = ? WHERE id = ?`),
			g.DisplayName, nullable(g.ExternalID), doc, id); err != nil {
			return fmt.Errorf("sqlstore: update group %q: %w", id, err)
		}
		keep := map[string]bool{}
		for _, m := range g.Members {
			keep[m] = true
		}
		had := map[string]bool{}
		for _, m := range before {
			had[m] = true
			if !keep[m] {
				if _, err := tx.ExecContext(ctx, s.d.q(`DELETE FROM scim_members WHERE group_id = ? AND user_id = ?`), id, m); err != nil {
					return fmt.Errorf("sqlstore: group %s: remove member %q: %w", id, m, err)
				}
			}
		}
		var added []string
		for _, m := range g.Members {
			if !had[m] {
				added = append(added, m)
				had[m] = true
			}
		}
		if err := s.addMembers(ctx, tx, id, added); err != nil {
			return err
		}
		members := make([]string, 0, len(keep))
		for m := range keep {
			members = append(members, m)
		}
		slices.Sort(members)
		if len(members) == 0 {
			members = nil
		}
		g.Members = members
		out = g
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// DeleteGroup deletes the group and its memberships.
func (s *store) DeleteGroup(ctx context.Context, id string) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, s.d.q(`DELETE FROM scim_groups WHERE id = ?`), id)
		if err != nil {
			return fmt.Errorf("sqlstore: delete group %q: %w", id, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("sqlstore: group %q: %w", id, scim.ErrNotFound)
		}
		return nil
	})
}

// ListGroups returns the groups that match every non-empty field of q, in
// creation order, one page at a time, each with its members.
func (s *store) ListGroups(ctx context.Context, q scim.GroupQuery) ([]scim.Group, string, error) {
	after, err := decodeCursor("g", q.Cursor)
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
	add("display_name = ?", q.DisplayName)
	add("external_id = ?", q.ExternalID)
	add("id = ?", q.ID)
	add("id IN (SELECT group_id FROM scim_members WHERE user_id = ?)", q.MemberID)
	args = append(args, n+1)
	var groups []*scim.Group
	var seqs []int64
	err = s.read(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, s.d.q(`SELECT seq, doc FROM scim_groups WHERE `+strings.Join(where, " AND ")+` ORDER BY seq LIMIT ?`), args...)
		if err != nil {
			return fmt.Errorf("sqlstore: list groups: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var seq int64
			var doc string
			if err := rows.Scan(&seq, &doc); err != nil {
				return fmt.Errorf("sqlstore: list groups: %w", err)
			}
			g, err := decodeGroup(doc)
			if err != nil {
				return err
			}
			groups = append(groups, g)
			seqs = append(seqs, seq)
		}
		if err := rows.Err(); err != nil {
			return fmt.Errorf("sqlstore: list groups: %w", err)
		}
		rows.Close()
		if len(groups) > n {
			groups = groups[:n]
		}
		return s.loadMembers(ctx, tx, groups)
	})
	if err != nil {
		return nil, "", err
	}
	next := ""
	if len(seqs) > n {
		next = encodeCursor("g", seqs[n-1])
	}
	out := make([]scim.Group, len(groups))
	for i, g := range groups {
		out[i] = *g
	}
	return out, next, nil
}
