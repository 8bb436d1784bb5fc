package scim_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/samlab/samlab/scim"
)

func patchBody(ops string) string {
	return `{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[` + ops + `]}`
}

// Entra's two PATCH dialects (entra-provisioning.md §4): the older one
// with capitalised ops and booleans as strings, and the aadOptscim062020
// one, with a path-less replace whose value has dotted keys.
func TestPatchUserEntraDialects(t *testing.T) {
	for _, tc := range []struct {
		name, ops string
		check     func(u *scim.User) bool
	}{
		{"old: Replace active \"False\"", `{"op":"Replace","path":"active","value":"False"}`,
			func(u *scim.User) bool { return !u.Active }},
		{"new: replace active false", `{"op":"replace","path":"active","value":false}`,
			func(u *scim.User) bool { return !u.Active }},
		{"old: one Replace per path", `{"op":"Replace","path":"emails[type eq \"work\"].value","value":"updatedEmail@example.com"},
			{"op":"Replace","path":"name.familyName","value":"updatedFamilyName"}`,
			func(u *scim.User) bool {
				return u.Emails[0].Value == "updatedEmail@example.com" && u.Emails[0].Primary && u.Name.FamilyName == "updatedFamilyName"
			}},
		{"old: Add nickName", `{"op":"Add","path":"nickName","value":"Babs"}`,
			func(u *scim.User) bool { return u.NickName == "Babs" }},
		{"new: filtered replaces plus a path-less replace with dotted keys", `{"op":"replace","path":"emails[type eq \"work\"].value","value":"someone@example.com"},
			{"op":"replace","path":"emails[type eq \"work\"].primary","value":true},
			{"op":"replace","value":{"active":false,"userName":"someone@example.com","name.givenName":"Some","name.familyName":"One",
			  "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber":"42",
			  "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department":"Ops"}}`,
			func(u *scim.User) bool {
				return !u.Active && u.UserName == "someone@example.com" && u.Name.GivenName == "Some" && u.Name.FamilyName == "One" &&
					u.Enterprise != nil && u.Enterprise.EmployeeNumber == "42" && u.Enterprise.Department == "Ops" &&
					u.Emails[0].Value == "someone@example.com"
			}},
		{"new: path-less replace with a nested name and the enterprise object", `{"op":"replace","value":{"name":{"givenName":"N"},
			"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"costCenter":"cc","manager":{"value":"mgr-1"}}}}`,
			func(u *scim.User) bool {
				return u.Name.GivenName == "N" && u.Name.FamilyName == "Family" && u.Enterprise.CostCenter == "cc" && u.Enterprise.Manager == "mgr-1"
			}},
		{"old: Add manager as a bare id", `{"op":"Add","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager","value":"mgr-2"}`,
			func(u *scim.User) bool { return u.Enterprise != nil && u.Enterprise.Manager == "mgr-2" }},
		{"remove title", `{"op":"Add","path":"title","value":"T"},{"op":"Remove","path":"title"}`,
			func(u *scim.User) bool { return u.Title == "" }},
		{"phone number through a filter", `{"op":"Add","path":"phoneNumbers[type eq \"work\"].value","value":"+1 555"}`,
			func(u *scim.User) bool {
				return len(u.PhoneNumbers) == 1 && u.PhoneNumbers[0].Type == "work" && u.PhoneNumbers[0].Value == "+1 555"
			}},
		{"address through a filter", `{"op":"replace","path":"addresses[type eq \"work\"].locality","value":"Paris"},
			{"op":"replace","path":"addresses[type eq \"work\"].country","value":"FR"}`,
			func(u *scim.User) bool {
				return len(u.Addresses) == 1 && u.Addresses[0].Locality == "Paris" && u.Addresses[0].Country == "FR"
			}},
		{"remove the email", `{"op":"remove","path":"emails[type eq \"work\"]"}`,
			func(u *scim.User) bool { return len(u.Emails) == 0 }},
		{"remove the email's value removes the email", `{"op":"Remove","path":"emails[type eq \"work\"].value"}`,
			func(u *scim.User) bool { return len(u.Emails) == 0 }},
		{"primary email string boolean", `{"op":"Replace","path":"emails[type eq \"work\"].primary","value":"True"}`,
			func(u *scim.User) bool { return u.Emails[0].Primary }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			hs := newHarness(t)
			id := hs.createUser("alice@example.com")
			r := hs.do("PATCH", "/Users/"+id, patchBody(tc.ops))
			if r.status != 200 {
				t.Fatalf("%d %s", r.status, r.body)
			}
			if r.json(t)["id"] != id {
				t.Errorf("PATCH answer is not the user: %s", r.body)
			}
			u, _ := hs.store.GetUser(context.Background(), id)
			if !tc.check(u) {
				t.Errorf("user after PATCH: %+v", u)
			}
		})
	}
}

func TestPatchUserRules(t *testing.T) {
	for _, tc := range []struct {
		rule, name, body string
		detail           string
	}{
		{"AWS-SCIM-011", "no op", patchBody(`{"path":"title","value":"x"}`), "has no op"},
		{"AWS-SCIM-011", "unknown op", patchBody(`{"op":"move","path":"title","value":"x"}`), `op "move" is not supported`},
		{"AWS-SCIM-011", "remove without path", patchBody(`{"op":"remove"}`), "remove) needs a path"},
		{"AWS-SCIM-011", "replace without value", patchBody(`{"op":"replace","path":"title"}`), "needs a value"},
		{"AWS-SCIM-011", "add with null value", patchBody(`{"op":"add","path":"title","value":null}`), "needs a value"},
		{"AWS-SCIM-011", "remove userName", patchBody(`{"op":"remove","path":"userName"}`), "remove is not supported for userName"},
		{"AWS-SCIM-011", "remove active", patchBody(`{"op":"remove","path":"active"}`), "remove is not supported for active"},
		{"AWS-SCIM-011", "two ops on userName", patchBody(`{"op":"replace","path":"userName","value":"a@x"},{"op":"replace","path":"userName","value":"b@x"}`), "one operation on userName"},
		{"AWS-SCIM-011", "two ops on active, one path-less", patchBody(`{"op":"replace","path":"active","value":false},{"op":"replace","value":{"active":true}}`), "one operation on active"},
		{"AWS-SCIM-011", "roles not patchable", patchBody(`{"op":"add","path":"roles","value":[{"value":"r"}]}`), "roles cannot be changed"},
		{"AWS-SCIM-011", "groups not patchable", patchBody(`{"op":"add","path":"groups","value":[{"value":"g"}]}`), "groups cannot be changed"},
		{"AWS-SCIM-011", "filter operator other than eq", patchBody(`{"op":"replace","path":"emails[type ne \"work\"].value","value":"x"}`), `operator "ne" is not supported`},
		{"AWS-SCIM-011", "unknown PatchOp member", patchBody(`{"op":"replace","path":"title","value":"x","from":"y"}`), `"from" is not a PatchOp member`},
		{"AWS-SCIM-011", "path-less with a string value", patchBody(`{"op":"replace","value":"x"}`), "needs an object value"},
		{"AWS-SCIM-011", "no operations", patchBody(``), "no Operations"},
		{"AWS-SCIM-003", "remove givenName", patchBody(`{"op":"remove","path":"name.givenName"}`), "name.givenName is required"},
		{"AWS-SCIM-004", "add a second email", patchBody(`{"op":"add","path":"emails","value":[{"value":"b@example.com","type":"home","primary":false}]}`), scim.DetailSingle},
		{"AWS-SCIM-004", "a second phone by filter", patchBody(`{"op":"add","path":"phoneNumbers[type eq \"work\"].value","value":"1"},{"op":"add","path":"phoneNumbers[type eq \"mobile\"].value","value":"2"}`), scim.DetailSingle},
		{"AWS-SCIM-005", "email no longer primary", patchBody(`{"op":"replace","path":"emails[type eq \"work\"].primary","value":false}`), "primary"},
		{"AWS-SCIM-006", "password", patchBody(`{"op":"replace","path":"password","value":"x"}`), "password cannot be changed"},
		{"AWS-SCIM-006", "email display", patchBody(`{"op":"replace","path":"emails[type eq \"work\"].display","value":"x"}`), "display sub-attribute"},
		{"AWS-SCIM-006", "manager displayName", patchBody(`{"op":"replace","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager","value":{"value":"m","displayName":"M"}}`), "manager.displayName"},
		{"AWS-SCIM-007", "unknown attribute", patchBody(`{"op":"replace","path":"shoeSize","value":"44"}`), "shoeSize"},
		{"AWS-SCIM-008", "userName with a space", patchBody(`{"op":"replace","path":"userName","value":"a b"}`), "no whitespace"},
		{"AWS-SCIM-013", "not JSON", `{"Operations":`, scim.DetailInvalid},
		{"AWS-SCIM-013", "wrong schema", `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"Operations":[{"op":"add","path":"title","value":"x"}]}`, "is not supported here"},
	} {
		t.Run(tc.rule+" "+tc.name, func(t *testing.T) {
			hs := newHarness(t)
			id := hs.createUser("alice@example.com")
			before, _ := hs.store.GetUser(context.Background(), id)
			wantError(t, hs.do("PATCH", "/Users/"+id, tc.body), 400, tc.detail)
			after, _ := hs.store.GetUser(context.Background(), id)
			if fmt.Sprint(before.Clone().Emails, before.Name, before.Title, before.Active) != fmt.Sprint(after.Emails, after.Name, after.Title, after.Active) {
				t.Errorf("a refused PATCH changed the user: %+v", after)
			}
		})
	}
	t.Run("AWS-SCIM-005 userName taken by PATCH", func(t *testing.T) {
		hs := newHarness(t)
		hs.createUser("bob@example.com")
		id := hs.createUser("alice@example.com")
		wantError(t, hs.do("PATCH", "/Users/"+id, patchBody(`{"op":"replace","path":"userName","value":"BOB@example.com"}`)), 409, scim.DetailDuplicate)
	})
	t.Run("404", func(t *testing.T) {
		hs := newHarness(t)
		wantError(t, hs.do("PATCH", "/Users/nope", patchBody(`{"op":"replace","path":"title","value":"x"}`)), 404, "Resource nope not found.")
	})
}

func TestGroups(t *testing.T) {
	hs := newHarness(t)
	a, b := hs.createUser("alice@example.com"), hs.createUser("bob@example.com")
	r := hs.do("POST", "/Groups", fmt.Sprintf(`{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":"eng","externalId":"x-eng","members":[{"value":%q}]}`, a))
	if r.status != 201 {
		t.Fatalf("%d %s", r.status, r.body)
	}
	g := r.json(t)
	gid := g["id"].(string)
	if m, ok := g["members"].([]any); !ok || len(m) != 0 {
		t.Errorf("AWS-SCIM-012: the group answer must have empty members, got %v", g["members"])
	}
	members := func() []string {
		gr, _ := hs.store.GetGroup(context.Background(), gid)
		return gr.Members
	}
	if !slices.Equal(members(), []string{a}) {
		t.Fatalf("members = %v", members())
	}
	// Entra's member PATCHes, both dialects.
	for _, tc := range []struct {
		name, ops string
		want      []string
	}{
		{"old: Add members", fmt.Sprintf(`{"op":"Add","path":"members","value":[{"value":%q}]}`, b), []string{a, b}},
		{"old: Remove members with a value", fmt.Sprintf(`{"op":"Remove","path":"members","value":[{"value":%q}]}`, a), []string{b}},
		{"new: add members", fmt.Sprintf(`{"op":"add","path":"members","value":[{"value":%q}]}`, a), []string{b, a}},
		{"new: remove members[value eq]", fmt.Sprintf(`{"op":"remove","path":"members[value eq \"%s\"]"}`, b), []string{a}},
		{"IdC example: path-less replace with id and displayName", fmt.Sprintf(`{"op":"replace","value":{"id":%q,"displayName":"Group Foo New"}}`, gid), []string{a}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := hs.do("PATCH", "/Groups/"+gid, patchBody(tc.ops))
			if r.status != 204 || len(r.body) != 0 {
				t.Fatalf("%d %s", r.status, r.body)
			}
			if got := members(); !slices.Equal(got, tc.want) {
				t.Errorf("members = %v, want %v", got, tc.want)
			}
		})
	}
	if gr, _ := hs.store.GetGroup(context.Background(), gid); gr.DisplayName != "Group Foo New" {
		t.Errorf("displayName = %q", gr.DisplayName)
	}
	var hundredOne []string
	for i := range 101 {
		hundredOne = append(hundredOne, fmt.Sprintf(`{"value":"u%d"}`, i))
	}
	for _, tc := range []struct {
		rule, name, method, path, body string
		status                         int
		detail                         string
	}{
		{"AWS-SCIM-012", "create without displayName", "POST", "/Groups", `{"displayName":""}`, 400, "displayName is required"},
		{"AWS-SCIM-012", "create with a taken displayName", "POST", "/Groups", `{"displayName":"Group Foo New"}`, 409, scim.DetailDuplicate},
		{"AWS-SCIM-012", "create with 101 members", "POST", "/Groups", `{"displayName":"big","members":[` + strings.Join(hundredOne, ",") + `]}`, 400, "at most 100"},
		{"AWS-SCIM-012", "create with an unknown member", "POST", "/Groups", `{"displayName":"ghosts","members":[{"value":"ghost"}]}`, 400, "member ghost is not a user"},
		{"AWS-SCIM-012", "unknown group attribute", "POST", "/Groups", `{"displayName":"x","description":"d"}`, 400, "description is not a group attribute"},
		{"AWS-SCIM-012", "patch 101 member changes", "PATCH", "/Groups/" + gid, patchBody(`{"op":"add","path":"members","value":[` + strings.Join(hundredOne, ",") + `]}`), 400, "at most 100"},
		{"AWS-SCIM-012", "replace all members", "PATCH", "/Groups/" + gid, patchBody(`{"op":"replace","path":"members","value":[]}`), 400, "replacing all members"},
		{"AWS-SCIM-012", "remove all members", "PATCH", "/Groups/" + gid, patchBody(`{"op":"remove","path":"members"}`), 400, "removing all members"},
		{"AWS-SCIM-012", "patch another attribute", "PATCH", "/Groups/" + gid, patchBody(`{"op":"replace","path":"description","value":"x"}`), 400, "displayName, members and externalId only"},
		{"AWS-SCIM-012", "remove displayName", "PATCH", "/Groups/" + gid, patchBody(`{"op":"remove","path":"displayName"}`), 400, "cannot be removed"},
		{"AWS-SCIM-012", "add an unknown member", "PATCH", "/Groups/" + gid, patchBody(`{"op":"add","path":"members","value":[{"value":"ghost"}]}`), 400, "member ghost"},
		{"AWS-SCIM-012", "change the id", "PATCH", "/Groups/" + gid, patchBody(`{"op":"replace","value":{"id":"other"}}`), 400, "id of a group"},
		{"AWS-SCIM-011", "patch op missing", "PATCH", "/Groups/" + gid, patchBody(`{"path":"displayName","value":"x"}`), 400, "has no op"},
		{"404", "patch a missing group", "PATCH", "/Groups/nope", patchBody(`{"op":"replace","path":"displayName","value":"x"}`), 404, "Resource nope not found."},
	} {
		t.Run(tc.rule+" "+tc.name, func(t *testing.T) {
			wantError(t, hs.do(tc.method, tc.path, tc.body), tc.status, tc.detail)
		})
	}
	if got := members(); !slices.Equal(got, []string{a}) {
		t.Errorf("refused PATCHes changed members: %v", got)
	}
	// 100 changes are fine.
	var hundred []string
	for i := range 100 {
		u := hs.createUser(fmt.Sprintf("m%d@example.com", i))
		hundred = append(hundred, fmt.Sprintf(`{"value":%q}`, u))
	}
	if r := hs.do("PATCH", "/Groups/"+gid, patchBody(`{"op":"add","path":"members","value":[`+strings.Join(hundred, ",")+`]}`)); r.status != 204 {
		t.Errorf("AWS-SCIM-012 100 member changes: %d %s", r.status, r.body)
	}
	// members filter on groups, groups.value on users.
	l := hs.do("GET", fmt.Sprintf(`/Groups?filter=id+eq+%%22%s%%22+and+members+eq+%%22%s%%22`, gid, a), "").json(t)
	if l["totalResults"] != 1.0 {
		t.Errorf("id and members filter: %v", l)
	}
	l = hs.do("GET", fmt.Sprintf(`/Users?filter=groups.value+eq+%%22%s%%22&count=5`, gid), "").json(t)
	if l["totalResults"] != 101.0 || l["itemsPerPage"] != 5.0 {
		t.Errorf("groups.value filter: totalResults %v itemsPerPage %v", l["totalResults"], l["itemsPerPage"])
	}
	// Entra's group lookup carries excludedAttributes=members.
	if r := hs.do("GET", `/Groups?excludedAttributes=members&filter=displayName+eq+%22Group+Foo+New%22`, ""); r.status != 200 || r.json(t)["totalResults"] != 1.0 {
		t.Errorf("Entra group lookup: %d %s", r.status, r.body)
	}
	if r := hs.do("GET", "/Groups/"+gid, ""); r.status != 200 || r.json(t)["displayName"] != "Group Foo New" {
		t.Errorf("GET group: %d %s", r.status, r.body)
	}
	if r := hs.do("DELETE", "/Groups/"+gid, ""); r.status != 204 {
		t.Errorf("DELETE group: %d", r.status)
	}
	wantError(t, hs.do("DELETE", "/Groups/"+gid, ""), 404, "not found")
	if r := hs.do("DELETE", "/Users/"+a, ""); r.status != 204 {
		t.Errorf("DELETE user: %d", r.status)
	}
	wantError(t, hs.do("GET", "/Users/"+a, ""), 404, "not found")
}

func TestListUsers(t *testing.T) {
	hs := newHarness(t)
	for i := range 5 {
		hs.createUser(fmt.Sprintf("u%d@example.com", i))
	}
	r := hs.do("POST", "/Users", userBody("ext@example.com", "", `"externalId":"E-1"`))
	if r.status != 201 {
		t.Fatal(r.status)
	}
	for _, tc := range []struct {
		name, query string
		total       float64
	}{
		{"all", "", 6},
		{"userName (Entra's match)", `filter=userName+eq+%22U1%40example.com%22`, 1},
		{"externalId", `filter=externalId+eq+%22E-1%22`, 1},
		{"externalId exact", `filter=externalId+eq+%22e-1%22`, 0},
		{"count 2 without cursor: totalResults counts all", `count=2`, 6},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l := hs.do("GET", "/Users?"+tc.query, "")
			if l.status != 200 {
				t.Fatalf("%d %s", l.status, l.body)
			}
			m := l.json(t)
			if m["totalResults"] != tc.total || m["startIndex"] != 1.0 {
				t.Errorf("totalResults %v startIndex %v, want %v and 1", m["totalResults"], m["startIndex"], tc.total)
			}
		})
	}
	t.Run("AWS-SCIM-010 cursor paging", func(t *testing.T) {
		var names []string
		cursor := ""
		for pages := 0; pages < 10; pages++ {
			m := hs.do("GET", "/Users?count=4&cursor="+cursor, "").json(t)
			if _, ok := m["totalResults"]; ok {
				t.Errorf("a cursor page has totalResults: %v", m)
			}
			for _, r := range m["Resources"].([]any) {
				names = append(names, r.(map[string]any)["userName"].(string))
			}
			next, _ := m["nextCursor"].(string)
			if next == "" {
				break
			}
			cursor = next
		}
		if len(names) != 6 || names[0] != "u0@example.com" || names[5] != "ext@example.com" {
			t.Errorf("paged users = %v", names)
		}
	})
	for _, tc := range []struct {
		rule, name, query, detail string
	}{
		{"AWS-SCIM-009", "ne", `filter=userName+ne+%22x%22`, `operator "ne" is not supported`},
		{"AWS-SCIM-009", "co", `filter=userName+co+%22x%22`, `operator "co" is not supported`},
		{"AWS-SCIM-009", "or", `filter=userName+eq+%22a%22+or+userName+eq+%22b%22`, `operator "or" is not supported`},
		{"AWS-SCIM-009", "not", `filter=not+userName+eq+%22a%22`, "not is not supported"},
		{"AWS-SCIM-009", "parentheses", `filter=(userName+eq+%22a%22)`, "parentheses"},
		{"AWS-SCIM-009", "unquoted value", `filter=userName+eq+a`, "double-quoted"},
		{"AWS-SCIM-009", "unsupported attribute", `filter=displayName+eq+%22a%22`, "filtering users on displayName is not supported"},
		{"AWS-SCIM-009", "manager alone", `filter=manager+eq+%22a%22`, "combination is not supported"},
		{"AWS-SCIM-009", "userName and externalId", `filter=userName+eq+%22a%22+and+externalId+eq+%22b%22`, "combination is not supported"},
		{"AWS-SCIM-009", "value filter", `filter=emails[type+eq+%22work%22]`, "value filters"},
		{"AWS-SCIM-009", "too many terms", `filter=id+eq+%22a%22+and+id+eq+%22a%22+and+id+eq+%22a%22+and+id+eq+%22a%22+and+id+eq+%22a%22`, "more than 4"},
		{"AWS-SCIM-009", "too long", `filter=userName+eq+%22` + strings.Repeat("a", 1100) + `%22`, "at most 1024"},
		{"AWS-SCIM-010", "startIndex", `startIndex=1`, "startIndex is not supported"},
		{"AWS-SCIM-010", "attributes", `attributes=userName`, "attributes is not supported"},
		{"AWS-SCIM-010", "excludedAttributes on users", `excludedAttributes=emails`, "excludedAttributes is not supported"},
		{"AWS-SCIM-010", "count 0", `count=0`, "from 1 to 100"},
		{"AWS-SCIM-010", "count 101", `count=101`, "from 1 to 100"},
		{"AWS-SCIM-010", "count not a number", `count=ten`, "from 1 to 100"},
		{"AWS-SCIM-010", "cursor with bad characters", `cursor=%21%21`, "must match"},
		{"AWS-SCIM-010", "cursor not issued", `cursor=abc`, "not one this endpoint issued"},
	} {
		t.Run(tc.rule+" "+tc.name, func(t *testing.T) {
			wantError(t, hs.do("GET", "/Users?"+tc.query, ""), 400, tc.detail)
		})
	}
	t.Run("AWS-SCIM-010 attributes on GET of one user", func(t *testing.T) {
		l := hs.do("GET", "/Users?filter=userName+eq+%22u0%40example.com%22", "").json(t)
		id := l["Resources"].([]any)[0].(map[string]any)["id"].(string)
		wantError(t, hs.do("GET", "/Users/"+id+"?attributes=userName", ""), 400, "attributes is not supported")
	})
}

func TestParseFilter(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []scim.Term
		err  string
	}{
		{`userName eq "bjensen"`, []scim.Term{{Attr: "userName", Key: "username", Value: "bjensen"}}, ""},
		{`USERNAME EQ "a\"b\\c"`, []scim.Term{{Attr: "USERNAME", Key: "username", Value: `a"b\c`}}, ""},
		{`id eq "1" and manager eq "2"`, []scim.Term{{Attr: "id", Key: "id", Value: "1"}, {Attr: "manager", Key: "manager", Value: "2"}}, ""},
		{`urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value eq "m"`, []scim.Term{{Attr: "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value", Key: "manager", Value: "m"}}, ""},
		{`members.value eq "u"`, []scim.Term{{Attr: "members.value", Key: "members", Value: "u"}}, ""},
		{`  userName   eq   "x"  `, []scim.Term{{Attr: "userName", Key: "username", Value: "x"}}, ""},
		{``, nil, "expected an attribute"},
		{`userName`, nil, "expected an operator"},
		{`userName eq`, nil, "expected a space after eq"},
		{`userName eq "x`, nil, "unterminated"},
		{`userName eq "x\n"`, nil, "unsupported escape"},
		{`userName eq "x" and`, nil, "expected a space after and"},
		{`userName eq "x" and `, nil, "expected an attribute"},
		{`userName eq "x" xor id eq "y"`, nil, "expected and"},
		{`userName gt "x"`, nil, `operator "gt"`},
		{`user"Name eq "x"`, nil, "expected an operator"},
		{`userName eq 5`, nil, "double-quoted"},
		{`userName eq true`, nil, "double-quoted"},
	} {
		got, err := scim.ParseFilter(tc.in)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("ParseFilter(%q) = %v, %v; want error with %q", tc.in, got, err, tc.err)
			}
			continue
		}
		if err != nil || !slices.Equal(got, tc.want) {
			t.Errorf("ParseFilter(%q) = %v, %v; want %v", tc.in, got, err, tc.want)
		}
	}
}
