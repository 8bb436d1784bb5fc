// Package storetest is the contract every scim.Store must meet, as one test
// suite: the embedded SQLite store, PostgreSQL and the in-memory store each
// run it (the shared-conformance-suite habit of dexidp/dex).
package storetest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/samlab/samlab/scim"
)

// Run runs the contract against stores made by open. open must return a
// new, empty store for each call and close it when t ends (t.Cleanup); the
// cases run in parallel.
func Run(t *testing.T, open func(t *testing.T) scim.Store) {
	tests := []struct {
		name string
		fn   func(t *testing.T, s scim.Store)
	}{
		{"CreateGetUser", testCreateGetUser},
		{"CreateUserFillsID", testCreateUserFillsID},
		{"UserNameConflictCaseInsensitive", testUserNameConflict},
		{"PrimaryEmailUnique", testPrimaryEmailUnique},
		{"ReturnedUserIsACopy", testReturnedUserIsACopy},
		{"UpdateUser", testUpdateUser},
		{"UpdateUserFnErrorChangesNothing", testUpdateUserFnError},
		{"UpdateUserConflict", testUpdateUserConflict},
		{"UpdateUserFreesOldUserName", testUpdateUserFreesOldUserName},
		{"NotFound", testNotFound},
		{"DeleteUserDropsMemberships", testDeleteUserDropsMemberships},
		{"ListUsersFilters", testListUsersFilters},
		{"ListUsersPaging", testListUsersPaging},
		{"ListUsersBadCursor", testListUsersBadCursor},
		{"CountUsers", testCountUsers},
		{"CreateGetGroup", testCreateGetGroup},
		{"GroupDisplayNameConflict", testGroupDisplayNameConflict},
		{"GroupMemberNamingNoUser", testGroupMemberNamingNoUser},
		{"UpdateGroupMembers", testUpdateGroupMembers},
		{"UpdateGroupFnErrorChangesNothing", testUpdateGroupFnError},
		{"DeleteGroup", testDeleteGroup},
		{"ListGroupsFilters", testListGroupsFilters},
		{"ListGroupsPaging", testListGroupsPaging},
		{"Tokens", testTokens},
		{"LogOrderAndBefore", testLog},
		{"LogBatch", testLogBatch},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// Each case has a store of its own.
			t.Parallel()
			tt.fn(t, open(t))
		})
	}
}

var t0 = time.Date(2026, 12, 7, 1, 2, 3, 456789000, time.UTC)

// NewUser is a complete, valid user (every attribute set), for tests of any
// store. i makes its userName, email, externalId and id unique.
func NewUser(i int) *scim.User {
	return &scim.User{
		ID:         fmt.Sprintf("u-%04d", i),
		ExternalID: fmt.Sprintf("ext-%04d", i),
		UserName:   fmt.Sprintf("User%04d@example.com", i),
		Name: scim.Name{Formatted: "Ms. Ada B. Lovelace III", FamilyName: "Lovelace", GivenName: "Ada",
			MiddleName: "B.", HonorificPrefix: "Ms.", HonorificSuffix: "III"},
		DisplayName: fmt.Sprintf("Ada %d", i), NickName: "ada", ProfileURL: "https://example.com/ada",
		Title: "Engineer", UserType: "Employee", PreferredLanguage: "en-GB", Locale: "en-GB",
		Timezone: "Europe/London", Active: true,
		Emails:       []scim.MultiValue{{Value: fmt.Sprintf("user%04d@example.com", i), Type: "work", Primary: true}},
		PhoneNumbers: []scim.MultiValue{{Value: "+44 20 7946 0000", Type: "work"}},
		Roles:        []scim.MultiValue{{Value: "admin", Type: "role", Primary: true}},
		Addresses: []scim.Address{{Formatted: "1 Lane, London", StreetAddress: "1 Lane", Locality: "London",
			Region: "LDN", PostalCode: "E1 1AA", Country: "GB", Type: "work", Primary: true}},
		Enterprise: &scim.Enterprise{EmployeeNumber: fmt.Sprint(i), CostCenter: "CC1", Organization: "Org",
			Division: "Div", Department: "Dept", Manager: ""},
		Created:      t0,
		LastModified: t0,
	}
}

// Same fails t unless got and want hold the same attributes: times are
// compared as instants, empty and nil slices are the same.
func Same(t testing.TB, got, want any) {
	t.Helper()
	g, w := canon(t, got), canon(t, want)
	if g != w {
		t.Errorf("got  %s\nwant %s", g, w)
	}
}

func canon(t testing.TB, v any) string {
	t.Helper()
	switch x := v.(type) {
	case *scim.User:
		if x == nil {
			return "null"
		}
		c := *x
		c.Created, c.LastModified = c.Created.UTC(), c.LastModified.UTC()
		v = c
	case *scim.Group:
		if x == nil {
			return "null"
		}
		c := *x
		c.Created, c.LastModified = c.Created.UTC(), c.LastModified.UTC()
		c.Members = slices.Sorted(slices.Values(c.Members))
		v = c
	}
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func wantErr(t testing.TB, err, want error, what string) {
	t.Helper()
	if !errors.Is(err, want) {
		t.Errorf("%s: err = %v, want %v", what, err, want)
	}
}

func ctx() context.Context { return context.Background() }

func testCreateGetUser(t *testing.T, s scim.Store) {
	u := NewUser(1)
	must(t, s.CreateUser(ctx(), u))
	got, err := s.GetUser(ctx(), u.ID)
	must(t, err)
	Same(t, got, NewUser(1))
	// A user with only the required attributes.
	min := &scim.User{ID: "min", UserName: "min", Name: scim.Name{GivenName: "M", FamilyName: "N"}, DisplayName: "M N", Created: t0, LastModified: t0}
	must(t, s.CreateUser(ctx(), min))
	got, err = s.GetUser(ctx(), "min")
	must(t, err)
	Same(t, got, min)
}

func testCreateUserFillsID(t *testing.T, s scim.Store) {
	a, b := NewUser(1), NewUser(2)
	a.ID, b.ID = "", ""
	must(t, s.CreateUser(ctx(), a))
	must(t, s.CreateUser(ctx(), b))
	if a.ID == "" || b.ID == "" || a.ID == b.ID {
		t.Fatalf("ids %q, %q: want two distinct ids filled in", a.ID, b.ID)
	}
	got, err := s.GetUser(ctx(), a.ID)
	must(t, err)
	if got.UserName != a.UserName {
		t.Errorf("GetUser(%s).UserName = %q, want %q", a.ID, got.UserName, a.UserName)
	}
}

func testUserNameConflict(t *testing.T, s scim.Store) {
	must(t, s.CreateUser(ctx(), NewUser(1)))
	dup := NewUser(2)
	dup.UserName = "USER0001@Example.COM"
	wantErr(t, s.CreateUser(ctx(), dup), scim.ErrConflict, "same userName in another case")
	dup = NewUser(1)
	dup.ID, dup.Emails = "other", nil
	wantErr(t, s.CreateUser(ctx(), dup), scim.ErrConflict, "same userName")
	dup = NewUser(3)
	dup.ID = NewUser(1).ID
	wantErr(t, s.CreateUser(ctx(), dup), scim.ErrConflict, "same id")
	n, err := s.CountUsers(ctx())
	must(t, err)
	if n != 1 {
		t.Errorf("CountUsers = %d after refused creates, want 1", n)
	}
	// The stored user keeps the case it was created with; lookups ignore case.
	users, _, err := s.ListUsers(ctx(), scim.UserQuery{UserName: "user0001@EXAMPLE.com", Count: 10})
	must(t, err)
	if len(users) != 1 || users[0].UserName != "User0001@example.com" {
		t.Errorf("ListUsers(userName in other case) = %v, want the user as created", users)
	}
}

func testPrimaryEmailUnique(t *testing.T, s scim.Store) {
	must(t, s.CreateUser(ctx(), NewUser(1)))
	dup := NewUser(2)
	dup.Emails = NewUser(1).Emails
	wantErr(t, s.CreateUser(ctx(), dup), scim.ErrConflict, "same primary email")
	// A user without email, twice, is no conflict.
	for i := 3; i <= 4; i++ {
		u := NewUser(i)
		u.Emails = nil
		must(t, s.CreateUser(ctx(), u))
	}
	// Nor is the same address when it is not primary.
	u := NewUser(5)
	u.Emails = []scim.MultiValue{{Value: "user0001@example.com", Type: "home"}}
	must(t, s.CreateUser(ctx(), u))
}

func testReturnedUserIsACopy(t *testing.T, s scim.Store) {
	u := NewUser(1)
	must(t, s.CreateUser(ctx(), u))
	u.DisplayName = "changed after create"
	u.Emails[0].Value = "changed@example.com"
	got, err := s.GetUser(ctx(), u.ID)
	must(t, err)
	got.Enterprise.CostCenter = "changed after get"
	got.Roles[0].Value = "changed"
	again, err := s.GetUser(ctx(), u.ID)
	must(t, err)
	Same(t, again, NewUser(1))
}

func testUpdateUser(t *testing.T, s scim.Store) {
	must(t, s.CreateUser(ctx(), NewUser(1)))
	t1 := t0.Add(time.Hour)
	got, err := s.UpdateUser(ctx(), "u-0001", func(u *scim.User) error {
		u.Active = false
		u.Title = "Lead"
		u.Enterprise.Manager = "u-0002"
		u.Emails = []scim.MultiValue{{Value: "new@example.com", Primary: true}}
		u.LastModified = t1
		u.ID = "cannot-change"
		return nil
	})
	must(t, err)
	want := NewUser(1)
	want.Active, want.Title, want.Enterprise.Manager, want.LastModified = false, "Lead", "u-0002", t1
	want.Emails = []scim.MultiValue{{Value: "new@example.com", Primary: true}}
	Same(t, got, want)
	stored, err := s.GetUser(ctx(), "u-0001")
	must(t, err)
	Same(t, stored, want)
	// The old email is free again, the new one is taken.
	u := NewUser(2)
	must(t, s.CreateUser(ctx(), u))
	u3 := NewUser(3)
	u3.Emails = want.Emails
	wantErr(t, s.CreateUser(ctx(), u3), scim.ErrConflict, "email taken by an update")
	// The manager column follows the update.
	users, _, err := s.ListUsers(ctx(), scim.UserQuery{ManagerID: "u-0002", Count: 10})
	must(t, err)
	if len(users) != 1 || users[0].ID != "u-0001" {
		t.Errorf("ListUsers(manager u-0002) = %d users, want u-0001", len(users))
	}
}

func testUpdateUserFnError(t *testing.T, s scim.Store) {
	must(t, s.CreateUser(ctx(), NewUser(1)))
	boom := errors.New("boom")
	got, err := s.UpdateUser(ctx(), "u-0001", func(u *scim.User) error {
		u.DisplayName = "half-done"
		u.UserName = "other"
		return boom
	})
	if !errors.Is(err, boom) || got != nil {
		t.Errorf("UpdateUser with failing fn = %v, %v; want nil, the fn's error", got, err)
	}
	stored, err := s.GetUser(ctx(), "u-0001")
	must(t, err)
	Same(t, stored, NewUser(1))
}

func testUpdateUserConflict(t *testing.T, s scim.Store) {
	must(t, s.CreateUser(ctx(), NewUser(1)))
	must(t, s.CreateUser(ctx(), NewUser(2)))
	_, err := s.UpdateUser(ctx(), "u-0002", func(u *scim.User) error {
		u.UserName = "USER0001@example.com"
		return nil
	})
	wantErr(t, err, scim.ErrConflict, "update to a taken userName")
	_, err = s.UpdateUser(ctx(), "u-0002", func(u *scim.User) error {
		u.Emails = NewUser(1).Emails
		return nil
	})
	wantErr(t, err, scim.ErrConflict, "update to a taken primary email")
	stored, err := s.GetUser(ctx(), "u-0002")
	must(t, err)
	Same(t, stored, NewUser(2))
}

func testUpdateUserFreesOldUserName(t *testing.T, s scim.Store) {
	must(t, s.CreateUser(ctx(), NewUser(1)))
	_, err := s.UpdateUser(ctx(), "u-0001", func(u *scim.User) error {
		u.UserName = "renamed"
		return nil
	})
	must(t, err)
	u := NewUser(2)
	u.UserName = NewUser(1).UserName
	must(t, s.CreateUser(ctx(), u))
	// Changing only the case of one's own userName is no conflict.
	_, err = s.UpdateUser(ctx(), "u-0001", func(u *scim.User) error {
		u.UserName = "RENAMED"
		return nil
	})
	must(t, err)
}

func testNotFound(t *testing.T, s scim.Store) {
	_, err := s.GetUser(ctx(), "nobody")
	wantErr(t, err, scim.ErrNotFound, "GetUser")
	_, err = s.UpdateUser(ctx(), "nobody", func(*scim.User) error { return nil })
	wantErr(t, err, scim.ErrNotFound, "UpdateUser")
	wantErr(t, s.DeleteUser(ctx(), "nobody"), scim.ErrNotFound, "DeleteUser")
	_, err = s.GetGroup(ctx(), "nogroup")
	wantErr(t, err, scim.ErrNotFound, "GetGroup")
	_, err = s.UpdateGroup(ctx(), "nogroup", func(*scim.Group) error { return nil })
	wantErr(t, err, scim.ErrNotFound, "UpdateGroup")
	wantErr(t, s.DeleteGroup(ctx(), "nogroup"), scim.ErrNotFound, "DeleteGroup")
	wantErr(t, s.DeleteToken(ctx(), "notoken"), scim.ErrNotFound, "DeleteToken")
	must(t, s.CreateUser(ctx(), NewUser(1)))
	must(t, s.DeleteUser(ctx(), "u-0001"))
	_, err = s.GetUser(ctx(), "u-0001")
	wantErr(t, err, scim.ErrNotFound, "GetUser after DeleteUser")
	wantErr(t, s.DeleteUser(ctx(), "u-0001"), scim.ErrNotFound, "DeleteUser twice")
	// Its userName and email are free again.
	must(t, s.CreateUser(ctx(), NewUser(1)))
}

func newGroup(i int, members ...string) *scim.Group {
	return &scim.Group{ID: fmt.Sprintf("g-%04d", i), ExternalID: fmt.Sprintf("gext-%04d", i),
		DisplayName: fmt.Sprintf("Group %d", i), Members: members, Created: t0, LastModified: t0}
}

func testDeleteUserDropsMemberships(t *testing.T, s scim.Store) {
	for i := 1; i <= 3; i++ {
		must(t, s.CreateUser(ctx(), NewUser(i)))
	}
	must(t, s.CreateGroup(ctx(), newGroup(1, "u-0001", "u-0002", "u-0003")))
	must(t, s.CreateGroup(ctx(), newGroup(2, "u-0002")))
	must(t, s.DeleteUser(ctx(), "u-0002"))
	g, err := s.GetGroup(ctx(), "g-0001")
	must(t, err)
	Same(t, g, newGroup(1, "u-0001", "u-0003"))
	g, err = s.GetGroup(ctx(), "g-0002")
	must(t, err)
	Same(t, g, newGroup(2))
	groups, _, err := s.ListGroups(ctx(), scim.GroupQuery{MemberID: "u-0002", Count: 10})
	must(t, err)
	if len(groups) != 0 {
		t.Errorf("ListGroups(members eq deleted user) = %d groups, want 0", len(groups))
	}
	// A recreated user with the same id is not a member again.
	must(t, s.CreateUser(ctx(), NewUser(2)))
	users, _, err := s.ListUsers(ctx(), scim.UserQuery{GroupID: "g-0002", Count: 10})
	must(t, err)
	if len(users) != 0 {
		t.Errorf("recreated user still a member of g-0002")
	}
}

func ids(users []scim.User) []string {
	var out []string
	for _, u := range users {
		out = append(out, u.ID)
	}
	return out
}

func groupIDs(groups []scim.Group) []string {
	var out []string
	for _, g := range groups {
		out = append(out, g.ID)
	}
	return out
}

func testListUsersFilters(t *testing.T, s scim.Store) {
	for i := 1; i <= 5; i++ {
		u := NewUser(i)
		if i >= 3 {
			u.Enterprise.Manager = "u-0001"
		}
		must(t, s.CreateUser(ctx(), u))
	}
	must(t, s.CreateGroup(ctx(), newGroup(1, "u-0002", "u-0004")))
	tests := []struct {
		q    scim.UserQuery
		want []string
	}{
		{scim.UserQuery{}, []string{"u-0001", "u-0002", "u-0003", "u-0004", "u-0005"}},
		{scim.UserQuery{UserName: "user0003@example.com"}, []string{"u-0003"}},
		{scim.UserQuery{UserName: "USER0003@EXAMPLE.COM"}, []string{"u-0003"}},
		{scim.UserQuery{UserName: "nobody"}, nil},
		{scim.UserQuery{ExternalID: "ext-0002"}, []string{"u-0002"}},
		{scim.UserQuery{ExternalID: "EXT-0002"}, nil}, // externalId is case-sensitive
		{scim.UserQuery{ID: "u-0005"}, []string{"u-0005"}},
		{scim.UserQuery{ID: "u-0005", ManagerID: "u-0001"}, []string{"u-0005"}},
		{scim.UserQuery{ID: "u-0002", ManagerID: "u-0001"}, nil},
		{scim.UserQuery{ManagerID: "u-0001"}, []string{"u-0003", "u-0004", "u-0005"}},
		{scim.UserQuery{GroupID: "g-0001"}, []string{"u-0002", "u-0004"}},
		{scim.UserQuery{GroupID: "g-0001", ManagerID: "u-0001"}, []string{"u-0004"}},
		{scim.UserQuery{GroupID: "g-0001", UserName: "user0002@example.com"}, []string{"u-0002"}},
		{scim.UserQuery{GroupID: "nogroup"}, nil},
	}
	for _, tt := range tests {
		tt.q.Count = 100
		users, next, err := s.ListUsers(ctx(), tt.q)
		must(t, err)
		got := ids(users)
		slices.Sort(got)
		if !slices.Equal(got, tt.want) || next != "" {
			t.Errorf("ListUsers(%+v) = %v, next %q; want %v, no next page", tt.q, got, next, tt.want)
		}
	}
	// Listed users are complete.
	users, _, err := s.ListUsers(ctx(), scim.UserQuery{ID: "u-0002", Count: 1})
	must(t, err)
	if len(users) == 1 {
		Same(t, &users[0], NewUser(2))
	}
}

func testListUsersPaging(t *testing.T, s scim.Store) {
	for i := 1; i <= 250; i++ {
		must(t, s.CreateUser(ctx(), NewUser(i)))
	}
	seen := map[string]bool{}
	var sizes []int
	cursor := ""
	for page := 0; page < 10; page++ {
		users, next, err := s.ListUsers(ctx(), scim.UserQuery{Count: 100, Cursor: cursor})
		must(t, err)
		sizes = append(sizes, len(users))
		for _, u := range users {
			if seen[u.ID] {
				t.Errorf("user %s on two pages", u.ID)
			}
			seen[u.ID] = true
		}
		if next == "" {
			break
		}
		cursor = next
	}
	if !slices.Equal(sizes, []int{100, 100, 50}) || len(seen) != 250 {
		t.Errorf("pages of %v, %d distinct users; want pages of [100 100 50], 250 users", sizes, len(seen))
	}
	// A page that ends exactly at the last user has no next cursor.
	users, next, err := s.ListUsers(ctx(), scim.UserQuery{Count: 50, Cursor: cursor})
	must(t, err)
	if len(users) != 50 || next != "" {
		t.Errorf("last page: %d users, next %q; want 50 users and no next cursor", len(users), next)
	}
	// A user created after the first page still shows up on a later one;
	// deleting a listed user does not shift the pages.
	first, next, err := s.ListUsers(ctx(), scim.UserQuery{Count: 100})
	must(t, err)
	must(t, s.DeleteUser(ctx(), first[0].ID))
	must(t, s.CreateUser(ctx(), NewUser(251)))
	total := len(first)
	for next != "" {
		var users []scim.User
		users, next, err = s.ListUsers(ctx(), scim.UserQuery{Count: 100, Cursor: next})
		must(t, err)
		total += len(users)
	}
	if total != 251 {
		t.Errorf("walk with a delete and a create between pages saw %d users, want 251", total)
	}
}

func testListUsersBadCursor(t *testing.T, s scim.Store) {
	for i := 1; i <= 3; i++ {
		must(t, s.CreateUser(ctx(), NewUser(i)))
	}
	for _, c := range []string{"garbage", "%%%", "MTIz"} {
		_, _, err := s.ListUsers(ctx(), scim.UserQuery{Count: 1, Cursor: c})
		wantErr(t, err, scim.ErrBadCursor, fmt.Sprintf("ListUsers(cursor %q)", c))
	}
	_, _, err := s.ListGroups(ctx(), scim.GroupQuery{Count: 1, Cursor: "garbage"})
	wantErr(t, err, scim.ErrBadCursor, "ListGroups(cursor garbage)")
}

func testCountUsers(t *testing.T, s scim.Store) {
	n, err := s.CountUsers(ctx())
	must(t, err)
	if n != 0 {
		t.Errorf("CountUsers of an empty store = %d", n)
	}
	for i := 1; i <= 7; i++ {
		must(t, s.CreateUser(ctx(), NewUser(i)))
	}
	must(t, s.DeleteUser(ctx(), "u-0003"))
	n, err = s.CountUsers(ctx())
	must(t, err)
	if n != 6 {
		t.Errorf("CountUsers = %d, want 6", n)
	}
}

func testCreateGetGroup(t *testing.T, s scim.Store) {
	must(t, s.CreateUser(ctx(), NewUser(1)))
	must(t, s.CreateUser(ctx(), NewUser(2)))
	must(t, s.CreateGroup(ctx(), newGroup(1, "u-0002", "u-0001")))
	g, err := s.GetGroup(ctx(), "g-0001")
	must(t, err)
	Same(t, g, newGroup(1, "u-0001", "u-0002"))
	// Without members, and with an id filled in.
	e := &scim.Group{DisplayName: "Empty", Created: t0, LastModified: t0}
	must(t, s.CreateGroup(ctx(), e))
	if e.ID == "" {
		t.Fatal("CreateGroup left the id empty")
	}
	g, err = s.GetGroup(ctx(), e.ID)
	must(t, err)
	Same(t, g, e)
}

func testGroupDisplayNameConflict(t *testing.T, s scim.Store) {
	must(t, s.CreateGroup(ctx(), newGroup(1)))
	dup := newGroup(2)
	dup.DisplayName = newGroup(1).DisplayName
	wantErr(t, s.CreateGroup(ctx(), dup), scim.ErrConflict, "same displayName")
	must(t, s.CreateGroup(ctx(), newGroup(2)))
	_, err := s.UpdateGroup(ctx(), "g-0002", func(g *scim.Group) error {
		g.DisplayName = "Group 1"
		return nil
	})
	wantErr(t, err, scim.ErrConflict, "update to a taken displayName")
	_, err = s.GetGroup(ctx(), "nothing-half-written")
	wantErr(t, err, scim.ErrNotFound, "GetGroup")
}

func testGroupMemberNamingNoUser(t *testing.T, s scim.Store) {
	must(t, s.CreateUser(ctx(), NewUser(1)))
	wantErr(t, s.CreateGroup(ctx(), newGroup(1, "u-0001", "ghost")), scim.ErrNotFound, "CreateGroup with a member that names no user")
	_, err := s.GetGroup(ctx(), "g-0001")
	wantErr(t, err, scim.ErrNotFound, "group whose create failed")
	must(t, s.CreateGroup(ctx(), newGroup(1, "u-0001")))
	_, err = s.UpdateGroup(ctx(), "g-0001", func(g *scim.Group) error {
		g.DisplayName = "renamed"
		g.Members = []string{"ghost"}
		return nil
	})
	wantErr(t, err, scim.ErrNotFound, "UpdateGroup with a member that names no user")
	g, err := s.GetGroup(ctx(), "g-0001")
	must(t, err)
	Same(t, g, newGroup(1, "u-0001"))
}

func testUpdateGroupMembers(t *testing.T, s scim.Store) {
	for i := 1; i <= 4; i++ {
		must(t, s.CreateUser(ctx(), NewUser(i)))
	}
	must(t, s.CreateGroup(ctx(), newGroup(1, "u-0001", "u-0002")))
	t1 := t0.Add(time.Minute)
	got, err := s.UpdateGroup(ctx(), "g-0001", func(g *scim.Group) error {
		g.Members = slices.DeleteFunc(g.Members, func(m string) bool { return m == "u-0001" })
		g.Members = append(g.Members, "u-0003", "u-0004", "u-0004")
		g.ExternalID = "changed"
		g.LastModified = t1
		return nil
	})
	must(t, err)
	want := newGroup(1, "u-0002", "u-0003", "u-0004")
	want.ExternalID, want.LastModified = "changed", t1
	Same(t, got, want)
	stored, err := s.GetGroup(ctx(), "g-0001")
	must(t, err)
	Same(t, stored, want)
	// Remove every member.
	_, err = s.UpdateGroup(ctx(), "g-0001", func(g *scim.Group) error { g.Members = nil; return nil })
	must(t, err)
	stored, err = s.GetGroup(ctx(), "g-0001")
	must(t, err)
	if len(stored.Members) != 0 {
		t.Errorf("members after removing all: %v", stored.Members)
	}
}

func testUpdateGroupFnError(t *testing.T, s scim.Store) {
	must(t, s.CreateUser(ctx(), NewUser(1)))
	must(t, s.CreateGroup(ctx(), newGroup(1, "u-0001")))
	boom := errors.New("boom")
	_, err := s.UpdateGroup(ctx(), "g-0001", func(g *scim.Group) error {
		g.Members = nil
		g.DisplayName = "half"
		return boom
	})
	if !errors.Is(err, boom) {
		t.Errorf("UpdateGroup with failing fn: err = %v, want the fn's error", err)
	}
	g, err := s.GetGroup(ctx(), "g-0001")
	must(t, err)
	Same(t, g, newGroup(1, "u-0001"))
}

func testDeleteGroup(t *testing.T, s scim.Store) {
	must(t, s.CreateUser(ctx(), NewUser(1)))
	must(t, s.CreateGroup(ctx(), newGroup(1, "u-0001")))
	must(t, s.DeleteGroup(ctx(), "g-0001"))
	_, err := s.GetGroup(ctx(), "g-0001")
	wantErr(t, err, scim.ErrNotFound, "GetGroup after delete")
	// The user stays; the membership goes.
	if _, err := s.GetUser(ctx(), "u-0001"); err != nil {
		t.Errorf("member deleted with its group: %v", err)
	}
	users, _, err := s.ListUsers(ctx(), scim.UserQuery{GroupID: "g-0001", Count: 10})
	must(t, err)
	if len(users) != 0 {
		t.Errorf("deleted group still has members")
	}
	// Its displayName is free again.
	must(t, s.CreateGroup(ctx(), newGroup(1)))
}

func testListGroupsFilters(t *testing.T, s scim.Store) {
	for i := 1; i <= 3; i++ {
		must(t, s.CreateUser(ctx(), NewUser(i)))
	}
	must(t, s.CreateGroup(ctx(), newGroup(1, "u-0001")))
	must(t, s.CreateGroup(ctx(), newGroup(2, "u-0001", "u-0002")))
	must(t, s.CreateGroup(ctx(), newGroup(3)))
	tests := []struct {
		q    scim.GroupQuery
		want []string
	}{
		{scim.GroupQuery{}, []string{"g-0001", "g-0002", "g-0003"}},
		{scim.GroupQuery{DisplayName: "Group 2"}, []string{"g-0002"}},
		{scim.GroupQuery{ExternalID: "gext-0003"}, []string{"g-0003"}},
		{scim.GroupQuery{ID: "g-0001"}, []string{"g-0001"}},
		{scim.GroupQuery{MemberID: "u-0001"}, []string{"g-0001", "g-0002"}},
		{scim.GroupQuery{MemberID: "u-0002"}, []string{"g-0002"}},
		{scim.GroupQuery{MemberID: "u-0003"}, nil},
		{scim.GroupQuery{ID: "g-0001", MemberID: "u-0002"}, nil},
		{scim.GroupQuery{ID: "g-0002", MemberID: "u-0002"}, []string{"g-0002"}},
	}
	for _, tt := range tests {
		tt.q.Count = 100
		groups, next, err := s.ListGroups(ctx(), tt.q)
		must(t, err)
		got := groupIDs(groups)
		slices.Sort(got)
		if !slices.Equal(got, tt.want) || next != "" {
			t.Errorf("ListGroups(%+v) = %v, next %q; want %v, no next page", tt.q, got, next, tt.want)
		}
	}
	groups, _, err := s.ListGroups(ctx(), scim.GroupQuery{ID: "g-0002", Count: 1})
	must(t, err)
	if len(groups) == 1 {
		Same(t, &groups[0], newGroup(2, "u-0001", "u-0002"))
	}
}

func testListGroupsPaging(t *testing.T, s scim.Store) {
	for i := 1; i <= 25; i++ {
		must(t, s.CreateGroup(ctx(), newGroup(i)))
	}
	seen := map[string]bool{}
	var sizes []int
	cursor := ""
	for page := 0; page < 10; page++ {
		groups, next, err := s.ListGroups(ctx(), scim.GroupQuery{Count: 10, Cursor: cursor})
		must(t, err)
		sizes = append(sizes, len(groups))
		for _, g := range groups {
			seen[g.ID] = true
		}
		if next == "" {
			break
		}
		cursor = next
	}
	if !slices.Equal(sizes, []int{10, 10, 5}) || len(seen) != 25 {
		t.Errorf("pages of %v, %d distinct groups; want [10 10 5], 25", sizes, len(seen))
	}
}

func testTokens(t *testing.T, s scim.Store) {
	toks, err := s.Tokens(ctx())
	must(t, err)
	if len(toks) != 0 {
		t.Errorf("Tokens of an empty store = %v", toks)
	}
	a := scim.Token{ID: "a", Hash: []byte{1, 2, 3, 0, 255}, Created: t0, Expires: t0.AddDate(1, 0, 0)}
	b := scim.Token{ID: "b", Hash: []byte("hash-b"), Created: t0.Add(time.Second), Expires: t0.AddDate(0, 6, 0)}
	must(t, s.AddToken(ctx(), a))
	must(t, s.AddToken(ctx(), b))
	wantErr(t, s.AddToken(ctx(), scim.Token{ID: "a", Hash: []byte("x"), Created: t0, Expires: t0}), scim.ErrConflict, "AddToken with an id kept")
	toks, err = s.Tokens(ctx())
	must(t, err)
	if len(toks) != 2 {
		t.Fatalf("Tokens = %d tokens, want 2", len(toks))
	}
	slices.SortFunc(toks, func(x, y scim.Token) int { return x.Created.Compare(y.Created) })
	for i, want := range []scim.Token{a, b} {
		got := toks[i]
		if got.ID != want.ID || string(got.Hash) != string(want.Hash) || !got.Created.Equal(want.Created) || !got.Expires.Equal(want.Expires) {
			t.Errorf("token %d = %+v, want %+v", i, got, want)
		}
	}
	must(t, s.DeleteToken(ctx(), "a"))
	toks, err = s.Tokens(ctx())
	must(t, err)
	if len(toks) != 1 || toks[0].ID != "b" {
		t.Errorf("Tokens after deleting a = %v, want [b]", toks)
	}
}

func testLog(t *testing.T, s scim.Store) {
	got, err := s.Log(ctx(), 10, 0)
	must(t, err)
	if len(got) != 0 {
		t.Errorf("Log of an empty store = %v", got)
	}
	for i := 1; i <= 30; i++ {
		e := scim.LogEntry{Seq: 999, Time: t0.Add(time.Duration(i) * time.Second), RequestID: fmt.Sprint("req-", i),
			Client: "127.0.0.1 token a", Method: "POST", Path: "/scim/v2/Users", Status: 201 + i%2*208,
			Request: `{"userName":"x"}`, Response: `{"id":"y"}`, Error: map[bool]string{true: "ConflictException"}[i%2 == 1]}
		must(t, s.AppendLog(ctx(), e))
	}
	newest, err := s.Log(ctx(), 5, 0)
	must(t, err)
	if len(newest) != 5 {
		t.Fatalf("Log(5, 0) = %d entries, want 5", len(newest))
	}
	for i := 1; i < len(newest); i++ {
		if newest[i].Seq >= newest[i-1].Seq {
			t.Errorf("Log not newest first: seq %d after %d", newest[i].Seq, newest[i-1].Seq)
		}
	}
	e := newest[0]
	if e.RequestID != "req-30" || e.Seq == 999 || !e.Time.Equal(t0.Add(30*time.Second)) || e.Client != "127.0.0.1 token a" ||
		e.Method != "POST" || e.Path != "/scim/v2/Users" || e.Status != 201 || e.Request != `{"userName":"x"}` || e.Response != `{"id":"y"}` || e.Error != "" {
		t.Errorf("newest entry = %+v", e)
	}
	if newest[1].Error != "ConflictException" || newest[1].Status != 409 {
		t.Errorf("entry 29 = %+v", newest[1])
	}
	// Page back with before.
	var all []scim.LogEntry
	before := int64(0)
	for {
		page, err := s.Log(ctx(), 7, before)
		must(t, err)
		if len(page) == 0 {
			break
		}
		all = append(all, page...)
		before = page[len(page)-1].Seq
	}
	if len(all) != 30 || all[0].RequestID != "req-30" || all[29].RequestID != "req-1" {
		t.Errorf("paging back through the log saw %d entries (first %v, last %v), want 30 from req-30 to req-1",
			len(all), all[0].RequestID, all[len(all)-1].RequestID)
	}
	everything, err := s.Log(ctx(), 0, 0)
	must(t, err)
	if len(everything) != 30 || everything[0].RequestID != "req-30" {
		t.Errorf("Log(0, 0) = %d entries, want all 30, newest first", len(everything))
	}
	older, err := s.Log(ctx(), 100, newest[2].Seq)
	must(t, err)
	if len(older) != 27 || older[0].RequestID != "req-27" {
		t.Errorf("Log(100, seq of req-28) = %d entries starting %v, want 27 from req-27", len(older), older[0].RequestID)
	}
}

func testLogBatch(t *testing.T, s scim.Store) {
	b, ok := s.(scim.LogBatcher)
	if !ok {
		t.Skip("store does not implement scim.LogBatcher")
	}
	must(t, s.AppendLog(ctx(), scim.LogEntry{RequestID: "first", Time: t0}))
	must(t, b.AppendLogs(ctx(), []scim.LogEntry{{RequestID: "a", Time: t0}, {RequestID: "b", Time: t0}, {RequestID: "c", Time: t0}}))
	must(t, b.AppendLogs(ctx(), nil))
	got, err := s.Log(ctx(), 10, 0)
	must(t, err)
	var order []string
	for i, e := range got {
		order = append(order, e.RequestID)
		if i > 0 && e.Seq >= got[i-1].Seq {
			t.Errorf("seq %d after %d: not newest first", e.Seq, got[i-1].Seq)
		}
	}
	if !slices.Equal(order, []string{"c", "b", "a", "first"}) {
		t.Errorf("log after a batch = %v, want [c b a first]", order)
	}
}
