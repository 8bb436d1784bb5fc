// Package storetest is the conformance suite of the scim.Store contract.
// Every store runs it from its own tests:
//
//	func TestContract(t *testing.T) {
//		storetest.Run(t, func(t *testing.T) scim.Store { return memstore.New() })
//	}
//
// open must return a new, empty store each time it is called.
package storetest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/samlab/samlab/scim"
)

var t0 = time.Date(2026, 12, 7, 1, 0, 0, 0, time.UTC)

// User returns a valid user with the given userName and primary email.
func User(userName, email string) *scim.User {
	u := &scim.User{
		UserName:     userName,
		Name:         scim.Name{GivenName: "Given", FamilyName: "Family"},
		DisplayName:  "Display " + userName,
		Active:       true,
		Created:      t0,
		LastModified: t0,
	}
	if email != "" {
		u.Emails = []scim.MultiValue{{Value: email, Type: "work", Primary: true}}
	}
	return u
}

// Run runs every contract test against stores from open.
func Run(t *testing.T, open func(t *testing.T) scim.Store) {
	t.Helper()
	tests := []struct {
		name string
		fn   func(t *testing.T, s scim.Store)
	}{
		{"CreateGetUser", testCreateGetUser},
		{"UserConflicts", testUserConflicts},
		{"UpdateUser", testUpdateUser},
		{"DeleteUser", testDeleteUser},
		{"ListUsersFilters", testListUsersFilters},
		{"Paging", testPaging},
		{"BadCursor", testBadCursor},
		{"Groups", testGroups},
		{"GroupMembers", testGroupMembers},
		{"Tokens", testTokens},
		{"Log", testLog},
		{"ConcurrentCreate", testConcurrentCreate},
		{"NoAliasing", testNoAliasing},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := open(t)
			defer s.Close()
			tc.fn(t, s)
		})
	}
}

func mustCreate(t *testing.T, s scim.Store, u *scim.User) *scim.User {
	t.Helper()
	if err := s.CreateUser(context.Background(), u); err != nil {
		t.Fatalf("CreateUser(%s): %v", u.UserName, err)
	}
	if u.ID == "" {
		t.Fatalf("CreateUser(%s) left ID empty", u.UserName)
	}
	return u
}

func testCreateGetUser(t *testing.T, s scim.Store) {
	ctx := context.Background()
	u := User("alice@example.com", "alice@example.com")
	u.ExternalID = "ext-alice"
	u.Name = scim.Name{Formatted: "Alice A", GivenName: "Alice", FamilyName: "A", MiddleName: "M", HonorificPrefix: "Dr", HonorificSuffix: "Jr"}
	u.NickName, u.ProfileURL, u.Title, u.UserType = "al", "https://x/al", "Eng", "Employee"
	u.PreferredLanguage, u.Locale, u.Timezone = "en-US", "en-US", "Europe/Paris"
	u.PhoneNumbers = []scim.MultiValue{{Value: "+1 555", Type: "work", Primary: true}}
	u.Roles = []scim.MultiValue{{Value: "admin", Type: "x"}}
	u.Addresses = []scim.Address{{StreetAddress: "1 St", Locality: "L", Region: "R", PostalCode: "P", Country: "US", Type: "work", Primary: true}}
	u.Enterprise = &scim.Enterprise{EmployeeNumber: "7", CostCenter: "cc", Organization: "o", Division: "d", Department: "dep", Manager: "m-1"}
	mustCreate(t, s, u)
	got, err := s.GetUser(ctx, u.ID)
	if err != nil {
		t.Fatal(err)
	}
	if g, w := userJSON(got), userJSON(u); g != w {
		t.Errorf("GetUser = %s\nwant %s", g, w)
	}
	if _, err := s.GetUser(ctx, "no-such-id"); !errors.Is(err, scim.ErrNotFound) {
		t.Errorf("GetUser(missing) = %v, want ErrNotFound", err)
	}
	if n, err := s.CountUsers(ctx); err != nil || n != 1 {
		t.Errorf("CountUsers = %d, %v; want 1", n, err)
	}
	// A caller-chosen id is kept.
	v := User("bob@example.com", "")
	v.ID = "fixed-id"
	mustCreate(t, s, v)
	if v.ID != "fixed-id" {
		t.Errorf("ID = %q, want fixed-id", v.ID)
	}
	w := User("carol@example.com", "")
	w.ID = "fixed-id"
	if err := s.CreateUser(ctx, w); !errors.Is(err, scim.ErrConflict) {
		t.Errorf("CreateUser(same id) = %v, want ErrConflict", err)
	}
}

// userJSON is u as JSON with its times in UTC: the same user compares equal
// whether a store gives back nil or empty slices.
func userJSON(u *scim.User) string {
	c := u.Clone()
	c.Created, c.LastModified = c.Created.UTC(), c.LastModified.UTC()
	b, _ := json.Marshal(c)
	return string(b)
}

func testUserConflicts(t *testing.T, s scim.Store) {
	ctx := context.Background()
	mustCreate(t, s, User("Alice@Example.com", "alice@example.com"))
	for _, tc := range []struct {
		name string
		u    *scim.User
	}{
		{"same userName", User("Alice@Example.com", "other@example.com")},
		{"userName differs in case only", User("alice@EXAMPLE.com", "other2@example.com")},
		{"same primary email", User("alice2@example.com", "alice@example.com")},
		{"primary email differs in case only", User("alice3@example.com", "ALICE@example.com")},
	} {
		if err := s.CreateUser(ctx, tc.u); !errors.Is(err, scim.ErrConflict) {
			t.Errorf("%s: CreateUser = %v, want ErrConflict", tc.name, err)
		}
	}
	// A non-primary email is not unique.
	u := User("dave@example.com", "")
	u.Emails = []scim.MultiValue{{Value: "alice@example.com", Type: "work"}}
	mustCreate(t, s, u)
	if n, _ := s.CountUsers(ctx); n != 2 {
		t.Errorf("CountUsers = %d after refused creates, want 2", n)
	}
}

func testUpdateUser(t *testing.T, s scim.Store) {
	ctx := context.Background()
	a := mustCreate(t, s, User("alice@example.com", "alice@example.com"))
	b := mustCreate(t, s, User("bob@example.com", "bob@example.com"))
	got, err := s.UpdateUser(ctx, a.ID, func(u *scim.User) error {
		u.Title = "Boss"
		u.LastModified = t0.Add(time.Hour)
		return nil
	})
	if err != nil || got.Title != "Boss" {
		t.Fatalf("UpdateUser = %+v, %v", got, err)
	}
	if g, _ := s.GetUser(ctx, a.ID); g.Title != "Boss" || !g.LastModified.Equal(t0.Add(time.Hour)) {
		t.Errorf("after update: %+v", g)
	}
	// fn error: no change, the error comes back.
	boom := errors.New("boom")
	if _, err := s.UpdateUser(ctx, a.ID, func(u *scim.User) error { u.Title = "half"; return boom }); !errors.Is(err, boom) {
		t.Errorf("UpdateUser(fn error) = %v, want boom", err)
	}
	if g, _ := s.GetUser(ctx, a.ID); g.Title != "Boss" {
		t.Errorf("fn error changed the user: title %q", g.Title)
	}
	// Conflicts: no change.
	if _, err := s.UpdateUser(ctx, b.ID, func(u *scim.User) error { u.UserName = "ALICE@example.com"; return nil }); !errors.Is(err, scim.ErrConflict) {
		t.Errorf("rename to taken userName = %v, want ErrConflict", err)
	}
	if _, err := s.UpdateUser(ctx, b.ID, func(u *scim.User) error { u.Emails[0].Value = "alice@example.com"; return nil }); !errors.Is(err, scim.ErrConflict) {
		t.Errorf("taken primary email = %v, want ErrConflict", err)
	}
	if g, _ := s.GetUser(ctx, b.ID); g.UserName != "bob@example.com" || g.Emails[0].Value != "bob@example.com" {
		t.Errorf("refused update changed bob: %+v", g)
	}
	// Renaming oneself to a different case is fine.
	if _, err := s.UpdateUser(ctx, b.ID, func(u *scim.User) error { u.UserName = "Bob@example.com"; return nil }); err != nil {
		t.Errorf("case rename of self = %v", err)
	}
	// The id cannot change.
	got, err = s.UpdateUser(ctx, b.ID, func(u *scim.User) error { u.ID = "other"; return nil })
	if err != nil || got.ID != b.ID {
		t.Errorf("UpdateUser changing id = %+v, %v; id must stay %s", got, err, b.ID)
	}
	if _, err := s.UpdateUser(ctx, "missing", func(*scim.User) error { return nil }); !errors.Is(err, scim.ErrNotFound) {
		t.Errorf("UpdateUser(missing) = %v, want ErrNotFound", err)
	}
}

func testDeleteUser(t *testing.T, s scim.Store) {
	ctx := context.Background()
	a := mustCreate(t, s, User("alice@example.com", "alice@example.com"))
	b := mustCreate(t, s, User("bob@example.com", ""))
	g := &scim.Group{DisplayName: "eng", Members: []string{a.ID, b.ID}, Created: t0, LastModified: t0}
	if err := s.CreateGroup(ctx, g); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteUser(ctx, a.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.GetUser(ctx, a.ID); !errors.Is(err, scim.ErrNotFound) {
		t.Errorf("GetUser(deleted) = %v", err)
	}
	if err := s.DeleteUser(ctx, a.ID); !errors.Is(err, scim.ErrNotFound) {
		t.Errorf("DeleteUser twice = %v, want ErrNotFound", err)
	}
	got, _ := s.GetGroup(ctx, g.ID)
	if !slices.Equal(got.Members, []string{b.ID}) {
		t.Errorf("members after delete = %v, want [%s]", got.Members, b.ID)
	}
	// The userName and email are free again.
	mustCreate(t, s, User("alice@example.com", "alice@example.com"))
}

func ids(us []scim.User) []string {
	var out []string
	for _, u := range us {
		out = append(out, u.UserName)
	}
	return out
}

func testListUsersFilters(t *testing.T, s scim.Store) {
	ctx := context.Background()
	a := User("alice@example.com", "alice@example.com")
	a.ExternalID = "x-a"
	mustCreate(t, s, a)
	b := User("bob@example.com", "")
	b.ExternalID = "x-b"
	b.Enterprise = &scim.Enterprise{Manager: a.ID}
	mustCreate(t, s, b)
	c := mustCreate(t, s, User("carol@example.com", ""))
	g := &scim.Group{DisplayName: "eng", Members: []string{b.ID, c.ID}}
	if err := s.CreateGroup(ctx, g); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		q    scim.UserQuery
		want []string
	}{
		{"all", scim.UserQuery{}, []string{"alice@example.com", "bob@example.com", "carol@example.com"}},
		{"userName case-insensitive", scim.UserQuery{UserName: "ALICE@example.com"}, []string{"alice@example.com"}},
		{"externalId", scim.UserQuery{ExternalID: "x-b"}, []string{"bob@example.com"}},
		{"externalId exact", scim.UserQuery{ExternalID: "X-B"}, nil},
		{"id", scim.UserQuery{ID: c.ID}, []string{"carol@example.com"}},
		{"groups.value", scim.UserQuery{GroupID: g.ID}, []string{"bob@example.com", "carol@example.com"}},
		{"id and manager", scim.UserQuery{ID: b.ID, ManagerID: a.ID}, []string{"bob@example.com"}},
		{"id and wrong manager", scim.UserQuery{ID: c.ID, ManagerID: a.ID}, nil},
		{"and of userName, externalId", scim.UserQuery{UserName: "bob@example.com", ExternalID: "x-a"}, nil},
		{"unknown group", scim.UserQuery{GroupID: "nope"}, nil},
	} {
		got, next, err := s.ListUsers(ctx, tc.q)
		if err != nil || next != "" || !slices.Equal(ids(got), tc.want) {
			t.Errorf("%s: ListUsers = %v, %q, %v; want %v", tc.name, ids(got), next, err, tc.want)
		}
	}
}

func testPaging(t *testing.T, s scim.Store) {
	ctx := context.Background()
	var want []string
	for i := range 7 {
		u := mustCreate(t, s, User(fmt.Sprintf("u%d@example.com", i), ""))
		want = append(want, u.UserName)
	}
	// A user deleted between pages does not break the cursor.
	var got []string
	cursor, pages := "", 0
	for {
		us, next, err := s.ListUsers(ctx, scim.UserQuery{Count: 3, Cursor: cursor})
		if err != nil {
			t.Fatal(err)
		}
		if len(us) > 3 {
			t.Fatalf("page of %d, count 3", len(us))
		}
		got = append(got, ids(us)...)
		pages++
		if pages == 1 {
			list, _, _ := s.ListUsers(ctx, scim.UserQuery{UserName: "u3@example.com"})
			if err := s.DeleteUser(ctx, list[0].ID); err != nil {
				t.Fatal(err)
			}
			want = slices.Delete(want, 3, 4)
		}
		if next == "" {
			break
		}
		if pages > 10 {
			t.Fatal("cursor never ends")
		}
		cursor = next
	}
	if !slices.Equal(got, want) || pages != 2 {
		t.Errorf("paged = %v in %d pages, want %v in 2", got, pages, want)
	}
	// Exactly count items left: no next cursor.
	us, next, err := s.ListUsers(ctx, scim.UserQuery{Count: 6})
	if err != nil || len(us) != 6 || next != "" {
		t.Errorf("Count 6 of 6 = %d users, next %q, %v; want 6, no cursor", len(us), next, err)
	}
	// Count 0 means the default, 100.
	if us, _, _ := s.ListUsers(ctx, scim.UserQuery{}); len(us) != 6 {
		t.Errorf("Count 0 = %d users, want 6", len(us))
	}
	// Groups page the same way.
	for i := range 3 {
		if err := s.CreateGroup(ctx, &scim.Group{DisplayName: fmt.Sprint("g", i)}); err != nil {
			t.Fatal(err)
		}
	}
	gs, next, err := s.ListGroups(ctx, scim.GroupQuery{Count: 2})
	if err != nil || len(gs) != 2 || next == "" {
		t.Fatalf("ListGroups page 1 = %d, %q, %v", len(gs), next, err)
	}
	gs2, next2, err := s.ListGroups(ctx, scim.GroupQuery{Count: 2, Cursor: next})
	if err != nil || len(gs2) != 1 || next2 != "" || gs2[0].DisplayName != "g2" {
		t.Errorf("ListGroups page 2 = %v, %q, %v", gs2, next2, err)
	}
}

func testBadCursor(t *testing.T, s scim.Store) {
	ctx := context.Background()
	for _, c := range []string{"garbage", "!!", "m-1"} {
		if _, _, err := s.ListUsers(ctx, scim.UserQuery{Cursor: c}); !errors.Is(err, scim.ErrBadCursor) {
			t.Errorf("ListUsers(cursor %q) = %v, want ErrBadCursor", c, err)
		}
		if _, _, err := s.ListGroups(ctx, scim.GroupQuery{Cursor: c}); !errors.Is(err, scim.ErrBadCursor) {
			t.Errorf("ListGroups(cursor %q) = %v, want ErrBadCursor", c, err)
		}
	}
}

func testGroups(t *testing.T, s scim.Store) {
	ctx := context.Background()
	g := &scim.Group{DisplayName: "eng", ExternalID: "x-eng", Created: t0, LastModified: t0}
	if err := s.CreateGroup(ctx, g); err != nil || g.ID == "" {
		t.Fatalf("CreateGroup = %v, id %q", err, g.ID)
	}
	if err := s.CreateGroup(ctx, &scim.Group{DisplayName: "eng"}); !errors.Is(err, scim.ErrConflict) {
		t.Errorf("duplicate displayName = %v, want ErrConflict", err)
	}
	h := &scim.Group{DisplayName: "ops"}
	if err := s.CreateGroup(ctx, h); err != nil {
		t.Fatal(err)
	}
	got, err := s.GetGroup(ctx, g.ID)
	if err != nil || got.DisplayName != "eng" || got.ExternalID != "x-eng" || !got.Created.Equal(t0) {
		t.Errorf("GetGroup = %+v, %v", got, err)
	}
	if _, err := s.GetGroup(ctx, "missing"); !errors.Is(err, scim.ErrNotFound) {
		t.Errorf("GetGroup(missing) = %v", err)
	}
	if _, err := s.UpdateGroup(ctx, h.ID, func(g *scim.Group) error { g.DisplayName = "eng"; return nil }); !errors.Is(err, scim.ErrConflict) {
		t.Errorf("rename to taken displayName = %v, want ErrConflict", err)
	}
	boom := errors.New("boom")
	if _, err := s.UpdateGroup(ctx, h.ID, func(g *scim.Group) error { g.DisplayName = "half"; return boom }); !errors.Is(err, boom) {
		t.Errorf("UpdateGroup(fn error) = %v", err)
	}
	if got, _ := s.GetGroup(ctx, h.ID); got.DisplayName != "ops" {
		t.Errorf("refused updates changed the group: %q", got.DisplayName)
	}
	if got, err := s.UpdateGroup(ctx, h.ID, func(g *scim.Group) error { g.DisplayName = "sre"; return nil }); err != nil || got.DisplayName != "sre" {
		t.Errorf("rename = %+v, %v", got, err)
	}
	for _, tc := range []struct {
		q    scim.GroupQuery
		want []string
	}{
		{scim.GroupQuery{DisplayName: "eng"}, []string{"eng"}},
		{scim.GroupQuery{ExternalID: "x-eng"}, []string{"eng"}},
		{scim.GroupQuery{ID: h.ID}, []string{"sre"}},
		{scim.GroupQuery{DisplayName: "eng", ID: h.ID}, nil},
	} {
		gs, _, err := s.ListGroups(ctx, tc.q)
		var names []string
		for _, g := range gs {
			names = append(names, g.DisplayName)
		}
		if err != nil || !slices.Equal(names, tc.want) {
			t.Errorf("ListGroups(%+v) = %v, %v; want %v", tc.q, names, err, tc.want)
		}
	}
	if err := s.DeleteGroup(ctx, g.ID); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteGroup(ctx, g.ID); !errors.Is(err, scim.ErrNotFound) {
		t.Errorf("DeleteGroup twice = %v", err)
	}
	if _, err := s.UpdateGroup(ctx, g.ID, func(*scim.Group) error { return nil }); !errors.Is(err, scim.ErrNotFound) {
		t.Errorf("UpdateGroup(deleted) = %v", err)
	}
}

func testGroupMembers(t *testing.T, s scim.Store) {
	ctx := context.Background()
	a := mustCreate(t, s, User("alice@example.com", ""))
	b := mustCreate(t, s, User("bob@example.com", ""))
	if err := s.CreateGroup(ctx, &scim.Group{DisplayName: "bad", Members: []string{a.ID, "ghost"}}); !errors.Is(err, scim.ErrNotFound) {
		t.Errorf("CreateGroup with unknown member = %v, want ErrNotFound", err)
	}
	if gs, _, _ := s.ListGroups(ctx, scim.GroupQuery{}); len(gs) != 0 {
		t.Errorf("refused CreateGroup left %d groups", len(gs))
	}
	g := &scim.Group{DisplayName: "eng", Members: []string{a.ID}}
	if err := s.CreateGroup(ctx, g); err != nil {
		t.Fatal(err)
	}
	if _, err := s.UpdateGroup(ctx, g.ID, func(g *scim.Group) error {
		g.Members = append(g.Members, b.ID, "ghost")
		return nil
	}); !errors.Is(err, scim.ErrNotFound) {
		t.Errorf("UpdateGroup with unknown member = %v, want ErrNotFound", err)
	}
	got, _ := s.GetGroup(ctx, g.ID)
	if !slices.Equal(got.Members, []string{a.ID}) {
		t.Errorf("refused member update left %v", got.Members)
	}
	// Adding a member twice keeps one.
	got, err := s.UpdateGroup(ctx, g.ID, func(g *scim.Group) error {
		g.Members = append(g.Members, b.ID, a.ID)
		return nil
	})
	if err != nil || len(got.Members) != 2 || !slices.Contains(got.Members, a.ID) || !slices.Contains(got.Members, b.ID) {
		t.Errorf("members = %v, %v; want alice and bob once", got.Members, err)
	}
	gs, _, err := s.ListGroups(ctx, scim.GroupQuery{MemberID: b.ID})
	if err != nil || len(gs) != 1 || gs[0].ID != g.ID {
		t.Errorf("ListGroups(members eq bob) = %v, %v", gs, err)
	}
	gs, _, _ = s.ListGroups(ctx, scim.GroupQuery{MemberID: b.ID, ID: g.ID})
	if len(gs) != 1 {
		t.Errorf("ListGroups(id and members) = %d groups, want 1", len(gs))
	}
}

func testTokens(t *testing.T, s scim.Store) {
	ctx := context.Background()
	a := scim.Token{ID: "tok-a", Hash: []byte{1, 2, 3}, Created: t0, Expires: t0.AddDate(1, 0, 0)}
	b := scim.Token{ID: "tok-b", Hash: []byte{4, 5, 6}, Created: t0.Add(time.Minute), Expires: t0.AddDate(1, 0, 0)}
	for _, tok := range []scim.Token{b, a} {
		if err := s.AddToken(ctx, tok); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.AddToken(ctx, a); !errors.Is(err, scim.ErrConflict) {
		t.Errorf("AddToken(same id) = %v, want ErrConflict", err)
	}
	ts, err := s.Tokens(ctx)
	if err != nil || len(ts) != 2 || ts[0].ID != "tok-a" || ts[1].ID != "tok-b" {
		t.Fatalf("Tokens = %+v, %v; want tok-a, tok-b (oldest first)", ts, err)
	}
	if !slices.Equal(ts[0].Hash, a.Hash) || !ts[0].Expires.Equal(a.Expires) || !ts[0].Created.Equal(a.Created) {
		t.Errorf("token kept as %+v, want %+v", ts[0], a)
	}
	if err := s.DeleteToken(ctx, "tok-a"); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteToken(ctx, "tok-a"); !errors.Is(err, scim.ErrNotFound) {
		t.Errorf("DeleteToken twice = %v, want ErrNotFound", err)
	}
	if ts, _ := s.Tokens(ctx); len(ts) != 1 || ts[0].ID != "tok-b" {
		t.Errorf("Tokens after delete = %+v", ts)
	}
}

func testLog(t *testing.T, s scim.Store) {
	ctx := context.Background()
	for i := range 5 {
		e := scim.LogEntry{Time: t0.Add(time.Duration(i) * time.Second), RequestID: fmt.Sprint("r", i), Client: "127.0.0.1 tok-a",
			Method: "POST", Path: "/scim/v2/Users", Status: 201, Request: "{}", Response: "{}", Error: ""}
		if i == 3 {
			e.Status, e.Error = 400, "Request is unparsable, syntactically incorrect, or violates schema."
		}
		if err := s.AppendLog(ctx, e); err != nil {
			t.Fatal(err)
		}
	}
	all, err := s.Log(ctx, 10, 0)
	if err != nil || len(all) != 5 {
		t.Fatalf("Log = %d entries, %v", len(all), err)
	}
	for i, e := range all {
		if e.RequestID != fmt.Sprint("r", 4-i) {
			t.Errorf("entry %d = %s, want r%d (newest first)", i, e.RequestID, 4-i)
		}
		if i > 0 && e.Seq >= all[i-1].Seq {
			t.Errorf("Seq not decreasing: %d then %d", all[i-1].Seq, e.Seq)
		}
	}
	if all[1].Status != 400 || all[1].Error == "" || all[1].Client != "127.0.0.1 tok-a" || !all[1].Time.Equal(t0.Add(3*time.Second)) {
		t.Errorf("entry kept as %+v", all[1])
	}
	two, _ := s.Log(ctx, 2, 0)
	if len(two) != 2 || two[0].RequestID != "r4" {
		t.Errorf("Log(2) = %+v", two)
	}
	older, _ := s.Log(ctx, 2, two[1].Seq)
	if len(older) != 2 || older[0].RequestID != "r2" || older[1].RequestID != "r1" {
		t.Errorf("Log(2, before r3) = %+v, want r2, r1", older)
	}
}

func testConcurrentCreate(t *testing.T, s scim.Store) {
	ctx := context.Background()
	const n = 16
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = s.CreateUser(ctx, User("same@example.com", fmt.Sprintf("m%d@example.com", i)))
		}()
	}
	wg.Wait()
	ok, conflict := 0, 0
	for _, err := range errs {
		switch {
		case err == nil:
			ok++
		case errors.Is(err, scim.ErrConflict):
			conflict++
		default:
			t.Errorf("concurrent create: %v", err)
		}
	}
	if ok != 1 || conflict != n-1 {
		t.Errorf("concurrent creates: %d ok, %d conflicts; want 1 and %d", ok, conflict, n-1)
	}
}

func testNoAliasing(t *testing.T, s scim.Store) {
	ctx := context.Background()
	u := mustCreate(t, s, User("alice@example.com", "alice@example.com"))
	u.Emails[0].Value = "changed@example.com"
	u.Title = "changed"
	got, _ := s.GetUser(ctx, u.ID)
	if got.Emails[0].Value != "alice@example.com" || got.Title != "" {
		t.Errorf("store shares memory with the created user: %+v", got)
	}
	got.Emails[0].Value = "x"
	again, _ := s.GetUser(ctx, u.ID)
	if again.Emails[0].Value != "alice@example.com" {
		t.Errorf("store shares memory with a returned user")
	}
}
