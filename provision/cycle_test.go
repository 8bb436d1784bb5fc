package provision

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/samlab/samlab/aws"
	"github.com/samlab/samlab/claims"
)

func tuser(id, upn, given, sur string, extra ...string) claims.User {
	u := claims.User{ID: id, Type: claims.Member, AppRoles: map[string][]string{"idc": nil}, Attributes: map[string]claims.Values{
		"userprincipalname": {upn}, "mail": {upn}, "displayname": {given + " " + sur}, "objectid": {"oid-" + id},
	}}
	if given != "" {
		u.Attributes["givenname"] = claims.Values{given}
	}
	if sur != "" {
		u.Attributes["surname"] = claims.Values{sur}
	}
	for i := 0; i+1 < len(extra); i += 2 {
		u.Attributes[extra[i]] = claims.Values{extra[i+1]}
	}
	return u
}

func testTenant() *Tenant {
	return &Tenant{Users: []claims.User{
		tuser("alice", "alice@contoso.com", "Alice", "Anderson", "jobtitle", "Engineer", "department", "Engineering"),
		tuser("bob", "bob@contoso.com", "Bob", "Brown", "telephonenumber", "+1 555 0100", "mobile", "+1 555 0199"),
		tuser("carol", "carol@contoso.com", "Carol", "Clark"),
	}}
}

type fixture struct {
	t   *testing.T
	idc *idc
	srv *httptest.Server
	c   *Client
	job *Job
	st  *State
	now time.Time
}

func newFixture(t *testing.T, s Settings) *fixture {
	t.Helper()
	f := &fixture{t: t, now: time.Date(2026, 12, 7, 1, 0, 0, 0, time.UTC)}
	f.idc, f.srv = newIDC(t)
	f.c = &Client{BaseURL: f.srv.URL, Token: "tok"}
	if s.App == "" {
		s.App = "idc"
	}
	if s.Mappings == nil {
		s.Mappings = directMappings()
	}
	s.Clock = func() time.Time { return f.now }
	job, err := NewJob(s)
	if err != nil {
		t.Fatal(err)
	}
	f.job = job
	f.st = NewState(f.srv.URL)
	return f
}

// directMappings are the gallery defaults without the expression ones.
func directMappings() []Mapping {
	var out []Mapping
	for _, m := range DefaultUserMappings() {
		if m.Type != Expression {
			out = append(out, m)
		}
	}
	return append(out, DefaultGroupMappings()...)
}

func (f *fixture) run(tn *Tenant, o RunOptions) *Result {
	f.t.Helper()
	r, err := f.job.Run(context.Background(), f.c, tn, f.st, o)
	if err != nil {
		f.t.Fatal(err)
	}
	return r
}

func event(t *testing.T, r *Result, id string) Event {
	t.Helper()
	for _, ev := range r.Events {
		if ev.ID == id && ev.Object == ObjectUser {
			return ev
		}
	}
	t.Fatalf("no event for %s in %+v", id, r.Events)
	return Event{}
}

func TestInitialCycleMatchesThenCreates(t *testing.T) {
	f := newFixture(t, Settings{})
	tn := testTenant()
	tn.Users = slices.DeleteFunc(tn.Users, func(u claims.User) bool { return u.ID == "bob" })
	r := f.run(tn, RunOptions{})
	if r.Cycle != "initial" || r.Counts.Created != 2 || r.Counts.Failed != 0 {
		t.Fatalf("counts %+v events %+v", r.Counts, r.Events)
	}
	got := f.idc.reqs()
	want := []string{
		`GET /Users?filter=userName+eq+%22alice%40contoso.com%22`, "POST /Users",
		`GET /Users?filter=userName+eq+%22carol%40contoso.com%22`, "POST /Users",
	}
	if f.job.Workers = 1; !slices.Equal(sortedCopy(got), sortedCopy(want)) {
		t.Fatalf("requests\n got %q\nwant %q", got, want)
	}
	a := f.idc.user("alice@contoso.com")
	if a == nil {
		t.Fatal("alice not in the target")
	}
	b, _ := json.Marshal(a)
	for _, want := range []string{`"givenName":"Alice"`, `"title":"Engineer"`, `"primary":true`, `"externalId"`, `"department":"Engineering"`} {
		if want == `"externalId"` {
			continue // mailNickname is not set in the test tenant
		}
		if !strings.Contains(string(b), want) {
			t.Errorf("alice in the target lacks %s: %s", want, b)
		}
	}
	if f.st.Cycles != 1 || f.st.Users["alice"].TargetID == "" {
		t.Fatalf("state not kept: %+v", f.st)
	}
}

func sortedCopy(s []string) []string {
	c := slices.Clone(s)
	slices.Sort(c)
	return c
}

func TestIncrementalSendsOnlyDifferences(t *testing.T) {
	f := newFixture(t, Settings{})
	tn := testTenant()
	tn.Users = tn.Users[:1]
	f.run(tn, RunOptions{})
	f.idc.reqs()

	r := f.run(tn, RunOptions{})
	if got := f.idc.reqs(); len(got) != 0 || r.Cycle != "incremental" || r.Counts.Unchanged != 1 {
		t.Fatalf("unchanged incremental cycle sent %q (counts %+v)", got, r.Counts)
	}

	tn.Users[0].Attributes["jobtitle"] = claims.Values{"Staff Engineer"}
	r = f.run(tn, RunOptions{})
	got := f.idc.reqs()
	if len(got) != 1 || got[0] != "PATCH /Users/"+f.st.Users["alice"].TargetID {
		t.Fatalf("requests %q", got)
	}
	ev := event(t, r, "alice")
	body := string(ev.Requests[0].Body)
	want := `{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","path":"title","value":"Staff Engineer"}]}`
	if body != want {
		t.Fatalf("PATCH body\n got %s\nwant %s", body, want)
	}
	if f.idc.user("alice@contoso.com")["title"] != "Staff Engineer" {
		t.Fatal("title not changed in the target")
	}
}

// Entra does not clear in the target an attribute removed in the tenant.
func TestRemovedAttributeStaysInTarget(t *testing.T) {
	f := newFixture(t, Settings{})
	tn := testTenant()
	tn.Users = tn.Users[:1]
	f.run(tn, RunOptions{})
	f.idc.reqs()

	delete(tn.Users[0].Attributes, "department")
	r := f.run(tn, RunOptions{})
	if got := f.idc.reqs(); len(got) != 0 {
		t.Fatalf("removing a source value sent %q; Entra sends nothing", got)
	}
	ev := event(t, r, "alice")
	if ev.Status != StatusWarning || len(ev.Notes) != 1 || !strings.Contains(ev.Notes[0], NoteStale) || !strings.Contains(ev.Notes[0], "Engineering") {
		t.Fatalf("event %+v", ev)
	}
	ext := f.idc.user("alice@contoso.com")[EnterpriseURN].(map[string]any)
	if ext["department"] != "Engineering" {
		t.Fatalf("department in the target = %v, want the stale Engineering", ext["department"])
	}
	// Reported once; the next cycle is quiet.
	r = f.run(tn, RunOptions{})
	if len(r.Events) != 0 {
		t.Fatalf("stale value reported again: %+v", r.Events)
	}
}

// The seed: a mobile and a work phone both flow into phoneNumbers, and IdC
// answers 400 (CloudTrail: "Currently list attributes only allow single
// item"); bob fails, the others are provisioned.
func TestTwoPhonesFailLikeTheSeed(t *testing.T) {
	f := newFixture(t, Settings{})
	r := f.run(testTenant(), RunOptions{})
	bob := event(t, r, "bob")
	want := "400 " + idc400
	if bob.Status != StatusFailure || bob.Action != ActionCreate || bob.Reason != want {
		t.Fatalf("bob: %+v, want failure %q", bob, want)
	}
	post := bob.Requests[len(bob.Requests)-1]
	if !strings.Contains(string(post.Body), `"phoneNumbers":[{"type":"work","value":"+1 555 0100"},{"type":"mobile","value":"+1 555 0199"}]`) {
		t.Fatalf("POST body: %s", post.Body)
	}
	if r.Counts.Created != 2 || r.Counts.Failed != 1 {
		t.Fatalf("counts %+v", r.Counts)
	}
	if f.st.Users["bob"].Failures != 1 || f.st.Users["bob"].TargetID != "" {
		t.Fatalf("bob's state %+v", f.st.Users["bob"])
	}
}

func TestMissingGivenNameFailsThatUserOnly(t *testing.T) {
	f := newFixture(t, Settings{})
	tn := testTenant()
	tn.Users[1] = tuser("dan", "dan@contoso.com", "", "Doe")
	r := f.run(tn, RunOptions{})
	dan := event(t, r, "dan")
	if dan.Status != StatusFailure || !strings.HasPrefix(dan.Reason, "400 ") {
		t.Fatalf("dan: %+v", dan)
	}
	if r.Counts.Created != 2 || r.Counts.Failed != 1 {
		t.Fatalf("counts %+v", r.Counts)
	}
}

func TestOutOfScopeIsDisabledInBothDialects(t *testing.T) {
	for _, tc := range []struct {
		dialect, want string
	}{
		{DialectSCIM, `{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","path":"active","value":false}]}`},
		{Dialect2017, `{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"Replace","path":"active","value":"False"}]}`},
	} {
		t.Run(tc.dialect, func(t *testing.T) {
			f := newFixture(t, Settings{Dialect: tc.dialect})
			tn := testTenant()
			tn.Users = tn.Users[:1]
			f.run(tn, RunOptions{})
			tn.Users[0].AppRoles = nil // unassigned
			r := f.run(tn, RunOptions{})
			ev := event(t, r, "alice")
			if ev.Action != ActionDisable || ev.Status != StatusSuccess || string(ev.Requests[0].Body) != tc.want {
				t.Fatalf("event %+v body %s", ev, ev.Requests[0].Body)
			}
			if f.idc.user("alice@contoso.com")["active"] != false {
				t.Fatal("alice still active in the target")
			}
			// Disabled once: the next cycle sends nothing.
			f.idc.reqs()
			f.run(tn, RunOptions{})
			if got := f.idc.reqs(); len(got) != 0 {
				t.Fatalf("sent %q", got)
			}
		})
	}
}

func TestSoftDeletedThenHardDeleted(t *testing.T) {
	f := newFixture(t, Settings{})
	tn := testTenant()
	tn.Users = tn.Users[:1]
	f.run(tn, RunOptions{})
	id := f.st.Users["alice"].TargetID
	tn.Users[0].Attributes["accountenabled"] = claims.Values{"false"}
	r := f.run(tn, RunOptions{})
	if ev := event(t, r, "alice"); ev.Action != ActionDisable || r.Counts.Disabled != 1 {
		t.Fatalf("soft delete: %+v", r.Events)
	}
	tn.Users = nil
	f.idc.reqs()
	r = f.run(tn, RunOptions{})
	if got := f.idc.reqs(); !slices.Equal(got, []string{"DELETE /Users/" + id}) || r.Counts.Deleted != 1 {
		t.Fatalf("hard delete sent %q, counts %+v", got, r.Counts)
	}
	if _, ok := f.st.Users["alice"]; ok {
		t.Fatal("deleted user still in the state")
	}
}

func TestDeletionThresholdStopsTheCycle(t *testing.T) {
	f := newFixture(t, Settings{DeletionThreshold: 2})
	tn := testTenant()
	tn.Users = tn.Users[:1]
	for i := 0; i < 3; i++ {
		tn.Users = append(tn.Users, tuser(fmt.Sprintf("u%d", i), fmt.Sprintf("u%d@contoso.com", i), "U", "Ser"))
	}
	f.run(tn, RunOptions{})
	f.idc.reqs()
	tn.Users = tn.Users[:1]
	tn.Users[0].Attributes["jobtitle"] = claims.Values{"Changed"}
	r := f.run(tn, RunOptions{})
	if got := f.idc.reqs(); len(got) != 0 {
		t.Fatalf("the cycle sent %q above the deletion threshold", got)
	}
	if r.Stopped == "" || r.Counts.Staged != 3 || r.Quarantine == nil || r.Quarantine.Reason != ReasonTooManyDeletes {
		t.Fatalf("result %+v", r)
	}
	r = f.run(tn, RunOptions{AllowDeletes: true})
	if r.Counts.Deleted != 3 || r.Counts.Updated != 1 || r.Quarantine != nil {
		t.Fatalf("allowed: counts %+v quarantine %+v", r.Counts, r.Quarantine)
	}
}

func TestQuarantine(t *testing.T) {
	t.Run("credentials", func(t *testing.T) {
		f := newFixture(t, Settings{})
		f.c.Token = "wrong"
		r := f.run(testTenant(), RunOptions{})
		if r.Quarantine == nil || r.Quarantine.Reason != ReasonQuarantineException || !strings.Contains(r.Stopped, "401") {
			t.Fatalf("result %+v", r)
		}
		if want := f.now.Add(6 * time.Hour); !r.Quarantine.NextAttempt.Equal(want) {
			t.Fatalf("next attempt %v, want %v", r.Quarantine.NextAttempt, want)
		}
		if next, ok := NextRun(f.st, DefaultInterval, f.now); !ok || !next.Equal(f.now.Add(6*time.Hour)) {
			t.Fatalf("NextRun %v %v", next, ok)
		}
		// Fixed: the next cycle leaves quarantine.
		f.c.Token = "tok"
		f.now = f.now.Add(6 * time.Hour)
		r = f.run(testTenant(), RunOptions{})
		// bob still fails, but one failure of three is below the escrow rules.
		if r.Quarantine != nil || f.st.Quarantine != nil {
			t.Fatalf("still quarantined: %+v", f.st.Quarantine)
		}
	})
	t.Run("escrow", func(t *testing.T) {
		f := newFixture(t, Settings{QuarantineThreshold: 4})
		f.idc.failAll = 500
		r := f.run(testTenant(), RunOptions{})
		if r.Quarantine != nil {
			t.Fatalf("3 failures are below the threshold of 4: %+v", r.Quarantine)
		}
		r = f.run(testTenant(), RunOptions{})
		if r.Quarantine == nil || r.Quarantine.Reason != ReasonEscrowProportion {
			t.Fatalf("6 failures, 100%%: not quarantined: %+v", r)
		}
		for i := 0; i < 40; i++ {
			f.now = f.now.Add(24 * time.Hour)
			f.run(testTenant(), RunOptions{})
		}
		if _, ok := NextRun(f.st, DefaultInterval, f.now); ok || !f.st.Quarantine.Disabled {
			t.Fatalf("not disabled after four weeks in quarantine: %+v", f.st.Quarantine)
		}
	})
}

func TestGroupMembersInBatches(t *testing.T) {
	f := newFixture(t, Settings{Scope: ScopeAll, Workers: 8})
	tn := &Tenant{Groups: []claims.Group{{ID: "g1", ObjectID: "oid-g1", DisplayName: "Engineering"}}}
	for i := 0; i < 150; i++ {
		u := tuser(fmt.Sprintf("u%03d", i), fmt.Sprintf("u%03d@contoso.com", i), "U", "Ser")
		u.Groups = []string{"g1"}
		tn.Users = append(tn.Users, u)
	}
	r := f.run(tn, RunOptions{})
	if r.Counts.Created != 151 || r.Counts.Failed != 0 {
		t.Fatalf("counts %+v", r.Counts)
	}
	var patches int
	for _, q := range f.idc.reqs() {
		if strings.HasPrefix(q, "PATCH /Groups/") {
			patches++
		}
	}
	gid := f.st.Groups["g1"].TargetID
	if patches != 2 || len(f.idc.members[gid]) != 150 {
		t.Fatalf("%d member PATCHes, %d members", patches, len(f.idc.members[gid]))
	}
	// Remove two members: one PATCH with two filtered removes.
	tn.Users[0].Groups, tn.Users[1].Groups = nil, nil
	r = f.run(tn, RunOptions{})
	var ev Event
	for _, e := range r.Events {
		if e.Object == ObjectGroup {
			ev = e
		}
	}
	if len(ev.Requests) != 1 || !strings.Contains(string(ev.Requests[0].Body), `{"op":"remove","path":"members[value eq \"`) || len(f.idc.members[gid]) != 148 {
		t.Fatalf("group event %+v", ev)
	}
}

func TestDryRunNeverWrites(t *testing.T) {
	f := newFixture(t, Settings{})
	before, _ := json.Marshal(f.st)
	r := f.run(testTenant(), RunOptions{DryRun: true})
	for _, q := range f.idc.reqs() {
		if !strings.HasPrefix(q, "GET ") {
			t.Fatalf("dry run sent %s", q)
		}
	}
	after, _ := json.Marshal(f.st)
	if string(before) != string(after) {
		t.Fatal("dry run changed the state")
	}
	bob := event(t, r, "bob")
	post := bob.Requests[len(bob.Requests)-1]
	if post.Method != "POST" || post.Status != 0 || !slices.ContainsFunc(post.Findings, func(x aws.Finding) bool { return x.Rule == "AWS-SCIM-004" }) {
		t.Fatalf("bob's dry-run POST %+v", post)
	}
	if bob.Status != StatusWarning || len(bob.Notes) != 1 || !strings.Contains(bob.Notes[0], "AWS-SCIM-004") || r.LintErrors() != 1 {
		t.Fatalf("bob's dry-run event %+v", bob)
	}
}

func TestProvisionOnDemand(t *testing.T) {
	f := newFixture(t, Settings{})
	r := f.run(testTenant(), RunOptions{User: "carol"})
	if r.Cycle != "on-demand" || len(r.Events) != 1 || r.Events[0].ID != "carol" || r.Counts.Created != 1 {
		t.Fatalf("%+v", r)
	}
	if f.st.Cycles != 0 {
		t.Fatal("provision on demand counted as a cycle")
	}
	if _, err := f.job.Run(context.Background(), f.c, testTenant(), f.st, RunOptions{User: "zed"}); err == nil {
		t.Fatal("unknown --user accepted")
	}
}

func TestMatchedUserGetsOnlyDifferences(t *testing.T) {
	f := newFixture(t, Settings{})
	tn := testTenant()
	tn.Users = tn.Users[:1]
	f.run(tn, RunOptions{})
	// A new job (no state) finds alice in the target and patches only the
	// title that changed.
	f.st = NewState(f.srv.URL)
	tn.Users[0].Attributes["jobtitle"] = claims.Values{"CTO"}
	f.idc.reqs()
	r := f.run(tn, RunOptions{})
	ev := event(t, r, "alice")
	if ev.Action != ActionUpdate || len(ev.Modified) != 1 || ev.Modified[0].Path != "title" {
		t.Fatalf("%+v", ev)
	}
}

func TestStateFile(t *testing.T) {
	dir := t.TempDir()
	path := StateFile(dir, "idc")
	st := NewState("https://x/scim/v2")
	st.Users["alice"] = &ObjectState{TargetID: "1", Attrs: Attrs{"userName": {"alice@contoso.com"}}}
	if err := st.Save(path); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(path)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("mode %v err %v", fi.Mode(), err)
	}
	if m, _ := filepath.Glob(filepath.Join(dir, ".provision-*")); len(m) != 0 {
		t.Fatalf("temporary files left: %v", m)
	}
	got, err := LoadState(path, "https://x/scim/v2")
	if err != nil || got.Users["alice"].TargetID != "1" {
		t.Fatalf("%+v %v", got, err)
	}
	if other, _ := LoadState(path, "https://other/scim/v2"); len(other.Users) != 0 {
		t.Fatal("the state of another target was used")
	}
	for _, bad := range []string{`{"version":1,"x":1}`, `{"version":9}`, `{"version":1} {}`, `{"version":1,"users":{"a":null}}`} {
		if _, err := ReadState(strings.NewReader(bad)); err == nil {
			t.Errorf("ReadState(%s) accepted", bad)
		}
	}
}

func TestScheduleRunsCycles(t *testing.T) {
	_, srv := newIDC(t)
	job, err := NewJob(Settings{App: "idc", Mappings: directMappings()})
	if err != nil {
		t.Fatal(err)
	}
	r := &Runner{Job: job, Client: &Client{BaseURL: srv.URL, Token: "tok"}}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	var lines []string
	done := make(chan struct{})
	go func() {
		r.Schedule(ctx, 100*time.Millisecond, testTenant, func(f string, a ...any) {
			lines = append(lines, fmt.Sprintf(f, a...))
			if len(lines) == 3 {
				cancel()
			}
		})
		close(done)
	}()
	<-done
	st, _ := r.State()
	if len(lines) < 3 || st.Cycles < 3 || !strings.Contains(lines[0], "initial cycle") || !strings.Contains(lines[1], "incremental cycle") || !strings.Contains(lines[0], "user bob: 400 ") {
		t.Fatalf("cycles %d, log %q", st.Cycles, lines)
	}
}

func TestGroupMatchExcludesMembers(t *testing.T) {
	for _, tc := range []struct {
		plain bool
		want  string
	}{
		{false, "GET /Groups?excludedAttributes=members&filter=displayName+eq+%22Engineering%22"},
		{true, "GET /Groups?filter=displayName+eq+%22Engineering%22"},
	} {
		f := newFixture(t, Settings{Scope: ScopeAll, PlainGroupMatch: tc.plain})
		tn := &Tenant{Groups: []claims.Group{{ID: "g1", DisplayName: "Engineering"}}}
		f.run(tn, RunOptions{})
		if got := f.idc.reqs(); len(got) < 1 || got[0] != tc.want {
			t.Errorf("plain %v: requests %q, want %s first", tc.plain, got, tc.want)
		}
	}
}

// "Default value if null" is sent on creation only, and is not reported
// as stale afterwards; an "only during object creation" mapping is not
// updated.
func TestDefaultAndCreateOnly(t *testing.T) {
	ms := directMappings()
	ms = append(ms, Mapping{Type: Direct, Source: "employeeType", Target: "userType", Default: "Employee"},
		Mapping{Type: Direct, Source: "preferredDataLocation", Target: "locale", Apply: ApplyCreate})
	f := newFixture(t, Settings{Mappings: ms})
	tn := testTenant()
	tn.Users = tn.Users[:1]
	tn.Users[0].Attributes["preferreddatalocation"] = claims.Values{"en-US"}
	f.run(tn, RunOptions{})
	a := f.idc.user("alice@contoso.com")
	if a["userType"] != "Employee" || a["locale"] != "en-US" {
		t.Fatalf("created %v", a)
	}
	tn.Users[0].Attributes["preferreddatalocation"] = claims.Values{"fr-FR"}
	f.idc.reqs()
	r := f.run(tn, RunOptions{})
	if got := f.idc.reqs(); len(got) != 0 || len(r.Events) != 0 {
		t.Fatalf("sent %q, events %+v", got, r.Events)
	}
}

// A target that does not answer stops the cycle with one reason instead
// of failing every user.
func TestUnreachableTargetStopsTheCycle(t *testing.T) {
	f := newFixture(t, Settings{Workers: 1})
	f.srv.Close()
	r := f.run(testTenant(), RunOptions{})
	if !strings.Contains(r.Stopped, "cannot be reached") || len(r.Events) != 1 || r.Quarantine == nil || r.Quarantine.Reason != ReasonQuarantineException {
		t.Fatalf("stopped %q, %d events, quarantine %+v", r.Stopped, len(r.Events), r.Quarantine)
	}
}

// A user deleted in the target behind the job's back is matched (and
// created) again on the next cycle.
func TestUserDeletedInTheTarget(t *testing.T) {
	f := newFixture(t, Settings{})
	tn := testTenant()
	tn.Users = tn.Users[:1]
	f.run(tn, RunOptions{})
	f.idc.mu.Lock()
	clear(f.idc.users)
	f.idc.mu.Unlock()
	tn.Users[0].Attributes["jobtitle"] = claims.Values{"CTO"}
	r := f.run(tn, RunOptions{})
	if ev := event(t, r, "alice"); ev.Status != StatusFailure || !strings.HasPrefix(ev.Reason, "404 ") {
		t.Fatalf("%+v", ev)
	}
	if err := f.st.Save(filepath.Join(t.TempDir(), "s.json")); err != nil {
		t.Fatal(err)
	}
	r = f.run(tn, RunOptions{})
	if ev := event(t, r, "alice"); ev.Action != ActionCreate || ev.Status != StatusSuccess {
		t.Fatalf("%+v", ev)
	}
}

// A scoping filter narrows the users in scope; a user who stops passing it
// is disabled, like any user who leaves the scope.
func TestScopingFilterInACycle(t *testing.T) {
	f := newFixture(t, Settings{ScopingFilters: []ScopingFilter{{Title: "engineers",
		Clauses: []Clause{{Attribute: "department", Operator: "EQUALS", Value: "Engineering"}}}}})
	tn := testTenant()
	r := f.run(tn, RunOptions{})
	if r.Counts.Created != 1 || f.idc.user("alice@contoso.com") == nil || f.idc.user("carol@contoso.com") != nil {
		t.Fatalf("counts %+v", r.Counts)
	}
	tn.Users[0].Attributes["department"] = claims.Values{"Sales"}
	r = f.run(tn, RunOptions{})
	if ev := event(t, r, "alice"); ev.Action != ActionDisable {
		t.Fatalf("%+v", ev)
	}
}
