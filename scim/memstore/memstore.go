// Package memstore is an in-memory scim.Store: one mutex, nothing on disk.
// It is the reference for the Store contract's semantics (scim/storetest
// runs the same suite against every store) and the store of tests and
// benchmarks. Everything it keeps is lost when the process ends.
package memstore

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/samlab/samlab/scim"
)

// DefaultMaxLog is how many log entries New keeps; older ones are dropped.
const DefaultMaxLog = 10000

// Store is the in-memory store. The zero value is not ready; use New.
type Store struct {
	mu     sync.Mutex
	seq    int64 // insertion order of users and groups, for cursors
	users  map[string]*userRec
	groups map[string]*groupRec
	// Unique indexes: lower-cased userName and primary email, and group
	// displayName, to the owner's id.
	byUserName, byEmail, byGroupName map[string]string
	tokens                           map[string]scim.Token
	log                              []scim.LogEntry // oldest first
	logSeq                           int64
	maxLog                           int
}

type userRec struct {
	seq int64
	u   *scim.User
}

type groupRec struct {
	seq int64
	g   *scim.Group
}

// New returns an empty store that keeps the newest DefaultMaxLog log entries.
func New() *Store { return NewWithLogLimit(DefaultMaxLog) }

// NewWithLogLimit returns an empty store that keeps the newest max log
// entries (max <= 0: all of them).
func NewWithLogLimit(max int) *Store {
	return &Store{
		users:      map[string]*userRec{},
		groups:     map[string]*groupRec{},
		byUserName: map[string]string{}, byEmail: map[string]string{}, byGroupName: map[string]string{},
		tokens: map[string]scim.Token{},
		maxLog: max,
	}
}

var _ scim.Store = (*Store)(nil)

func newID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b[:])
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}

// userConflict reports whether u's userName or primary email is taken by a
// user other than u.ID. Caller holds mu.
func (s *Store) userConflict(u *scim.User) error {
	if id, ok := s.byUserName[strings.ToLower(u.UserName)]; ok && id != u.ID {
		return fmt.Errorf("userName %q: %w", u.UserName, scim.ErrConflict)
	}
	if mail := u.PrimaryEmail(); mail != "" {
		if id, ok := s.byEmail[strings.ToLower(mail)]; ok && id != u.ID {
			return fmt.Errorf("primary email %q: %w", mail, scim.ErrConflict)
		}
	}
	return nil
}

// index adds (old == nil) or moves u's index entries. Caller holds mu.
func (s *Store) index(old, u *scim.User) {
	if old != nil {
		s.unindex(old)
	}
	s.byUserName[strings.ToLower(u.UserName)] = u.ID
	if mail := u.PrimaryEmail(); mail != "" {
		s.byEmail[strings.ToLower(mail)] = u.ID
	}
}

func (s *Store) unindex(u *scim.User) {
	delete(s.byUserName, strings.ToLower(u.UserName))
	if mail := u.PrimaryEmail(); mail != "" {
		delete(s.byEmail, strings.ToLower(mail))
	}
}

func (s *Store) groupConflict(g *scim.Group) error {
	if id, ok := s.byGroupName[g.DisplayName]; ok && id != g.ID {
		return fmt.Errorf("group displayName %q: %w", g.DisplayName, scim.ErrConflict)
	}
	return nil
}

// CreateUser keeps a copy of u. An empty u.ID is filled with a new UUID.
func (s *Store) CreateUser(ctx context.Context, u *scim.User) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if u.ID == "" {
		u.ID = newID()
	}
	if _, ok := s.users[u.ID]; ok {
		return fmt.Errorf("user id %q: %w", u.ID, scim.ErrConflict)
	}
	if err := s.userConflict(u); err != nil {
		return err
	}
	s.seq++
	s.users[u.ID] = &userRec{seq: s.seq, u: u.Clone()}
	s.index(nil, u)
	return nil
}

// GetUser returns a copy of the user.
func (s *Store) GetUser(ctx context.Context, id string) (*scim.User, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	r, ok := s.users[id]
	if !ok {
		return nil, fmt.Errorf("user %q: %w", id, scim.ErrNotFound)
	}
	return r.u.Clone(), nil
}

// UpdateUser runs fn on a copy and keeps it only when fn and the uniqueness
// checks succeed. fn cannot change the id.
func (s *Store) UpdateUser(ctx context.Context, id string, fn func(*scim.User) error) (*scim.User, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	r, ok := s.users[id]
	if !ok {
		return nil, fmt.Errorf("user %q: %w", id, scim.ErrNotFound)
	}
	c := r.u.Clone()
	if err := fn(c); err != nil {
		return nil, err
	}
	c.ID = id
	if err := s.userConflict(c); err != nil {
		return nil, err
	}
	s.index(r.u, c)
	r.u = c
	return c.Clone(), nil
}

// DeleteUser removes the user and its group memberships.
func (s *Store) DeleteUser(ctx context.Context, id string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	r, ok := s.users[id]
	if !ok {
		return fmt.Errorf("user %q: %w", id, scim.ErrNotFound)
	}
	s.unindex(r.u)
	delete(s.users, id)
	for _, g := range s.groups {
		g.g.Members = slices.DeleteFunc(g.g.Members, func(m string) bool { return m == id })
	}
	return nil
}

func pageSize(n int) int {
	if n <= 0 || n > 100 {
		return 100
	}
	return n
}

func parseCursor(c string) (int64, error) {
	if c == "" {
		return 0, nil
	}
	if !strings.HasPrefix(c, "m") {
		return 0, fmt.Errorf("cursor %q: %w", c, scim.ErrBadCursor)
	}
	n, err := strconv.ParseInt(c[1:], 36, 64)
	if err != nil || n <= 0 {
		return 0, fmt.Errorf("cursor %q: %w", c, scim.ErrBadCursor)
	}
	return n, nil
}

func makeCursor(seq int64) string { return "m" + strconv.FormatInt(seq, 36) }

// page sorts recs by seq, keeps those after the cursor and cuts a page.
func page[T any](recs []T, seqOf func(T) int64, after int64, count int) ([]T, string) {
	slices.SortFunc(recs, func(a, b T) int {
		x, y := seqOf(a), seqOf(b)
		switch {
		case x < y:
			return -1
		case x > y:
			return 1
		}
		return 0
	})
	i, _ := slices.BinarySearchFunc(recs, after+1, func(r T, t int64) int {
		switch x := seqOf(r); {
		case x < t:
			return -1
		case x > t:
			return 1
		}
		return 0
	})
	recs = recs[i:]
	if len(recs) <= count {
		return recs, ""
	}
	return recs[:count], makeCursor(seqOf(recs[count-1]))
}

func (s *Store) isMember(groupID, userID string) bool {
	g, ok := s.groups[groupID]
	return ok && slices.Contains(g.g.Members, userID)
}

// ListUsers returns the users matching every non-empty field of q, in
// creation order, q.Count (1..100, default 100) at a time.
func (s *Store) ListUsers(ctx context.Context, q scim.UserQuery) ([]scim.User, string, error) {
	if err := ctx.Err(); err != nil {
		return nil, "", err
	}
	after, err := parseCursor(q.Cursor)
	if err != nil {
		return nil, "", err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var recs []*userRec
	for _, r := range s.users {
		u := r.u
		switch {
		case q.ID != "" && u.ID != q.ID,
			q.UserName != "" && !strings.EqualFold(u.UserName, q.UserName),
			q.ExternalID != "" && u.ExternalID != q.ExternalID,
			q.GroupID != "" && !s.isMember(q.GroupID, u.ID),
			q.ManagerID != "" && (u.Enterprise == nil || u.Enterprise.Manager != q.ManagerID):
			continue
		}
		recs = append(recs, r)
	}
	recs, next := page(recs, func(r *userRec) int64 { return r.seq }, after, pageSize(q.Count))
	out := make([]scim.User, len(recs))
	for i, r := range recs {
		out[i] = *r.u.Clone()
	}
	return out, next, nil
}

// CountUsers returns how many users there are.
func (s *Store) CountUsers(ctx context.Context) (int, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.users), nil
}

// checkMembers dedups members in place order and fails with ErrNotFound for
// an id that names no user. Caller holds mu.
func (s *Store) checkMembers(g *scim.Group) error {
	seen := make(map[string]bool, len(g.Members))
	out := g.Members[:0]
	for _, m := range g.Members {
		if _, ok := s.users[m]; !ok {
			return fmt.Errorf("member %q: %w", m, scim.ErrNotFound)
		}
		if !seen[m] {
			seen[m] = true
			out = append(out, m)
		}
	}
	g.Members = out
	return nil
}

// CreateGroup keeps a copy of g. An empty g.ID is filled with a new UUID.
func (s *Store) CreateGroup(ctx context.Context, g *scim.Group) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if g.ID == "" {
		g.ID = newID()
	}
	if _, ok := s.groups[g.ID]; ok {
		return fmt.Errorf("group id %q: %w", g.ID, scim.ErrConflict)
	}
	if err := s.groupConflict(g); err != nil {
		return err
	}
	c := g.Clone()
	if err := s.checkMembers(c); err != nil {
		return err
	}
	s.seq++
	s.groups[g.ID] = &groupRec{seq: s.seq, g: c}
	s.byGroupName[c.DisplayName] = c.ID
	return nil
}

// GetGroup returns a copy of the group, members included.
func (s *Store) GetGroup(ctx context.Context, id string) (*scim.Group, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	r, ok := s.groups[id]
	if !ok {
		return nil, fmt.Errorf("group %q: %w", id, scim.ErrNotFound)
	}
	return r.g.Clone(), nil
}

// UpdateGroup runs fn on a copy and keeps it only when fn, the member check
// and the displayName check succeed.
func (s *Store) UpdateGroup(ctx context.Context, id string, fn func(*scim.Group) error) (*scim.Group, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	r, ok := s.groups[id]
	if !ok {
		return nil, fmt.Errorf("group %q: %w", id, scim.ErrNotFound)
	}
	c := r.g.Clone()
	if err := fn(c); err != nil {
		return nil, err
	}
	c.ID = id
	if err := s.groupConflict(c); err != nil {
		return nil, err
	}
	if err := s.checkMembers(c); err != nil {
		return nil, err
	}
	delete(s.byGroupName, r.g.DisplayName)
	s.byGroupName[c.DisplayName] = id
	r.g = c
	return c.Clone(), nil
}

// DeleteGroup removes the group.
func (s *Store) DeleteGroup(ctx context.Context, id string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	r, ok := s.groups[id]
	if !ok {
		return fmt.Errorf("group %q: %w", id, scim.ErrNotFound)
	}
	delete(s.byGroupName, r.g.DisplayName)
	delete(s.groups, id)
	return nil
}

// ListGroups is ListUsers for groups.
func (s *Store) ListGroups(ctx context.Context, q scim.GroupQuery) ([]scim.Group, string, error) {
	if err := ctx.Err(); err != nil {
		return nil, "", err
	}
	after, err := parseCursor(q.Cursor)
	if err != nil {
		return nil, "", err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var recs []*groupRec
	for _, r := range s.groups {
		g := r.g
		switch {
		case q.ID != "" && g.ID != q.ID,
			q.DisplayName != "" && g.DisplayName != q.DisplayName,
			q.ExternalID != "" && g.ExternalID != q.ExternalID,
			q.MemberID != "" && !slices.Contains(g.Members, q.MemberID):
			continue
		}
		recs = append(recs, r)
	}
	recs, next := page(recs, func(r *groupRec) int64 { return r.seq }, after, pageSize(q.Count))
	out := make([]scim.Group, len(recs))
	for i, r := range recs {
		out[i] = *r.g.Clone()
	}
	return out, next, nil
}

// AddToken keeps t; an id already kept is ErrConflict. How many tokens may
// be live is the caller's rule (the server allows two, like IdC).
func (s *Store) AddToken(ctx context.Context, t scim.Token) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.tokens[t.ID]; ok {
		return fmt.Errorf("token %q: %w", t.ID, scim.ErrConflict)
	}
	t.Hash = slices.Clone(t.Hash)
	s.tokens[t.ID] = t
	return nil
}

// Tokens returns every kept token, oldest first (then by id).
func (s *Store) Tokens(ctx context.Context) ([]scim.Token, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]scim.Token, 0, len(s.tokens))
	for _, t := range s.tokens {
		t.Hash = slices.Clone(t.Hash)
		out = append(out, t)
	}
	slices.SortFunc(out, func(a, b scim.Token) int {
		if c := a.Created.Compare(b.Created); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	return out, nil
}

// DeleteToken forgets a token.
func (s *Store) DeleteToken(ctx context.Context, id string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.tokens[id]; !ok {
		return fmt.Errorf("token %q: %w", id, scim.ErrNotFound)
	}
	delete(s.tokens, id)
	return nil
}

// AppendLogs appends es in order, as one step (scim.LogBatcher).
func (s *Store) AppendLogs(ctx context.Context, es []scim.LogEntry) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	for _, e := range es {
		if err := s.AppendLog(ctx, e); err != nil {
			return err
		}
	}
	return nil
}

// AppendLog keeps e with the next sequence number (e.Seq is ignored).
func (s *Store) AppendLog(ctx context.Context, e scim.LogEntry) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.logSeq++
	e.Seq = s.logSeq
	s.log = append(s.log, e)
	if s.maxLog > 0 && len(s.log) > s.maxLog {
		// Drop the oldest quarter at once so appends stay amortised O(1).
		drop := len(s.log) - s.maxLog + s.maxLog/4
		s.log = append(s.log[:0:0], s.log[drop:]...)
	}
	return nil
}

// Log returns up to limit entries (limit <= 0: all), newest first, with
// Seq < before (before <= 0: from the newest).
func (s *Store) Log(ctx context.Context, limit int, before int64) ([]scim.LogEntry, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []scim.LogEntry
	for i := len(s.log) - 1; i >= 0; i-- {
		e := s.log[i]
		if before > 0 && e.Seq >= before {
			continue
		}
		if limit > 0 && len(out) >= limit {
			break
		}
		out = append(out, e)
	}
	return out, nil
}

// Close does nothing; the store stays usable.
func (s *Store) Close() error { return nil }
