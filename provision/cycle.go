package provision

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/samlab/samlab/aws"
)

// Actions of a provisioning event, as Entra's provisioning log names them.
const (
	ActionCreate       = "Create"
	ActionUpdate       = "Update"
	ActionDisable      = "Disable"
	ActionDelete       = "Delete"
	ActionSkip         = "Skip"
	ActionStagedDelete = "StagedDelete" // held back by the deletion threshold
)

// Statuses of an event.
const (
	StatusSuccess = "Success"
	StatusFailure = "Failure"
	StatusSkipped = "Skipped"
	StatusWarning = "Warning"
)

// NoteStale is the note on an event whose user lost a source value that the
// target keeps: Entra does not clear attributes in the target.
const NoteStale = "stale value kept in target"

// Event is what the provisioning log records for one object in one cycle.
type Event struct {
	Object string `json:"object"` // user or group
	ID     string `json:"id"`     // the tenant's id
	// Name is the matching value (userName, displayName).
	Name   string `json:"name,omitempty"`
	Action string `json:"action"`
	Status string `json:"status"`
	// Reason says why a failure failed (the target's status and detail,
	// IdC's error) or why the object was skipped.
	Reason   string     `json:"reason,omitempty"`
	Modified []Modified `json:"modified,omitempty"`
	// Notes are warnings such as NoteStale.
	Notes    []string    `json:"notes,omitempty"`
	Requests []*Exchange `json:"requests,omitempty"`
}

// Modified is one modified property (old → new).
type Modified struct {
	Path string   `json:"path"`
	Old  []string `json:"old,omitempty"`
	New  []string `json:"new"`
}

// Counts sums a cycle's events.
type Counts struct {
	Created   int `json:"created"`
	Updated   int `json:"updated"`
	Disabled  int `json:"disabled"`
	Deleted   int `json:"deleted"`
	Skipped   int `json:"skipped"`
	Failed    int `json:"failed"`
	Unchanged int `json:"unchanged"`
	Staged    int `json:"staged,omitempty"`
}

// Result is one cycle.
type Result struct {
	App      string    `json:"app"`
	Target   string    `json:"target"`
	Cycle    string    `json:"cycle"` // initial, incremental or on-demand
	DryRun   bool      `json:"dryRun,omitempty"`
	Started  time.Time `json:"started"`
	Finished time.Time `json:"finished"`
	Counts   Counts    `json:"counts"`
	Events   []Event   `json:"events"`
	// Stopped says why the cycle stopped early (deletion threshold,
	// credentials); "" when it ran to the end.
	Stopped    string      `json:"stopped,omitempty"`
	Quarantine *Quarantine `json:"quarantine,omitempty"`
}

// Progress is reported after each object.
type Progress struct {
	Done, Total, Failed int
}

// RunOptions modify one cycle.
type RunOptions struct {
	// DryRun sends no writes: it reads the target (GET) to match, then
	// records the requests it would send with the AWS lint's findings,
	// and leaves the state unchanged.
	DryRun bool
	// User limits the cycle to one tenant user ("provision on demand"):
	// no groups, no deprovisioning of others.
	User string
	// AllowDeletes sends the disables and deletes even above the
	// deletion threshold ("Allow deletes").
	AllowDeletes bool
	// Progress, when set, is called after each object.
	Progress func(Progress)
}

// Run runs one cycle against the target through c. st is the job's state,
// updated in place (a dry run works on a copy). An error means the cycle
// could not run at all; failures of objects are events.
func (j *Job) Run(ctx context.Context, c *Client, t *Tenant, st *State, o RunOptions) (*Result, error) {
	if st == nil {
		st = NewState(c.BaseURL)
	}
	if o.DryRun {
		st = st.clone()
	}
	now := j.Clock()
	r := &Result{App: j.App, Target: c.BaseURL, Cycle: "initial", DryRun: o.DryRun, Started: now}
	if st.Cycles > 0 {
		r.Cycle = "incremental"
	}
	if o.User != "" {
		r.Cycle = "on-demand"
	}
	cy := &cycle{job: j, c: c, st: st, dry: o.DryRun, initial: st.Cycles == 0, res: r}
	inUsers, inGroups := j.scope(t)
	users := map[string]int{}
	for i, u := range t.Users {
		users[u.ID] = i
	}
	if o.User != "" {
		if _, ok := users[o.User]; !ok {
			return nil, fmt.Errorf("provision: --user %q: no such user in the tenant", o.User)
		}
	}

	// Deprovisioning first, so the deletion threshold can stop the cycle
	// before anything is sent.
	type deprov struct {
		id, action, why string
		group           bool
	}
	var plan []deprov
	{
		for _, id := range sortedKeys(st.Users) {
			if o.User != "" && id != o.User {
				continue
			}
			known := st.Users[id]
			if known.TargetID == "" {
				continue
			}
			i, exists := users[id]
			switch {
			case !exists:
				plan = append(plan, deprov{id: id, action: ActionDelete, why: "the user was deleted from the tenant"})
			case known.Disabled:
			case UserSource(&t.Users[i]).SoftDeleted():
				plan = append(plan, deprov{id: id, action: ActionDisable, why: "the user is soft-deleted or disabled in the tenant (accountEnabled false)"})
			case !inUsers[id] && !j.SkipOutOfScopeDeletions:
				plan = append(plan, deprov{id: id, action: ActionDisable, why: "the user is no longer in scope (unassigned from the app)"})
			}
		}
		if o.User == "" {
			for _, id := range sortedKeys(st.Groups) {
				if st.Groups[id].TargetID != "" && !inGroups[id] {
					plan = append(plan, deprov{id: id, action: ActionDelete, why: "the group is no longer in scope or was deleted", group: true})
				}
			}
		}
	}
	if j.DeletionThreshold >= 0 && len(plan) > j.DeletionThreshold && !o.AllowDeletes {
		for _, d := range plan {
			obj := ObjectUser
			if d.group {
				obj = ObjectGroup
			}
			r.Events = append(r.Events, Event{Object: obj, ID: d.id, Action: ActionStagedDelete, Status: StatusSkipped,
				Reason: fmt.Sprintf("%s; held back: %d disables and deletes exceed the accidental-deletions threshold of %d (allow them with --allow-deletes)", d.why, len(plan), j.DeletionThreshold)})
		}
		r.Stopped = fmt.Sprintf("accidental-deletions threshold: %d disables and deletes in this cycle, threshold %d; nothing was sent", len(plan), j.DeletionThreshold)
		cy.quarantine(now, ReasonTooManyDeletes, r.Stopped)
		return cy.finish(), nil
	}

	// Users in scope, in a stable order.
	var todo []int
	for i, u := range t.Users {
		if o.User != "" && u.ID != o.User {
			continue
		}
		if inUsers[u.ID] {
			todo = append(todo, i)
		} else if o.User != "" {
			r.Events = append(r.Events, Event{Object: ObjectUser, ID: u.ID, Action: ActionSkip, Status: StatusSkipped,
				Reason: "the user is not in scope: not assigned to the app (directly or by a group)"})
		}
	}
	sort.Slice(todo, func(a, b int) bool { return t.Users[todo[a]].ID < t.Users[todo[b]].ID })
	groupTodo := []int{}
	if o.User == "" {
		for i, g := range t.Groups {
			if inGroups[g.ID] && cy.hasGroupMappings() {
				groupTodo = append(groupTodo, i)
			}
		}
		sort.Slice(groupTodo, func(a, b int) bool { return t.Groups[groupTodo[a]].ID < t.Groups[groupTodo[b]].ID })
	}
	total := len(todo) + len(groupTodo) + len(plan)
	done, failed := 0, 0
	report := func(ev *Event) {
		done++
		if ev != nil && ev.Status == StatusFailure {
			failed++
		}
		if o.Progress != nil {
			o.Progress(Progress{Done: done, Total: total, Failed: failed})
		}
	}

	// Export users, Workers at a time; events keep the tenant's order.
	events := make([]*Event, len(todo))
	var mu sync.Mutex
	work := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < j.Workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := range work {
				if cy.stopped() {
					continue
				}
				ev := cy.user(ctx, &t.Users[todo[k]])
				mu.Lock()
				events[k] = ev
				report(ev)
				mu.Unlock()
			}
		}()
	}
	for k := range todo {
		if ctx.Err() != nil {
			break
		}
		work <- k
	}
	close(work)
	wg.Wait()
	for _, ev := range events {
		if ev != nil {
			r.Events = append(r.Events, *ev)
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if cy.stopped() {
		return cy.finish(), nil
	}

	// Deprovisioning.
	for _, d := range plan {
		var ev *Event
		if d.group {
			ev = cy.deleteGroup(ctx, d.id, d.why)
		} else {
			ev = cy.deprovisionUser(ctx, d.id, d.action, d.why)
		}
		if ev != nil {
			r.Events = append(r.Events, *ev)
		}
		report(ev)
		if cy.stopped() {
			return cy.finish(), nil
		}
	}

	// Groups and their members.
	members := map[string][]string{} // group id -> user ids
	for _, u := range t.Users {
		if !inUsers[u.ID] {
			continue
		}
		for _, g := range u.Groups {
			members[g] = append(members[g], u.ID)
		}
	}
	for _, i := range groupTodo {
		g := &t.Groups[i]
		ev := cy.group(ctx, g, members[g.ID])
		if ev != nil {
			r.Events = append(r.Events, *ev)
		}
		report(ev)
		if cy.stopped() {
			return cy.finish(), nil
		}
	}
	if o.User == "" {
		st.Cycles++
		st.LastCycle = now
	}
	return cy.finish(), nil
}

// cycle is one run's working state.
type cycle struct {
	job     *Job
	c       *Client
	st      *State
	dry     bool
	initial bool
	res     *Result

	mu      sync.Mutex
	stop    string
	lastDry int
}

func (cy *cycle) hasGroupMappings() bool {
	for _, m := range cy.job.mappings {
		if m.Object == ObjectGroup {
			return true
		}
	}
	return false
}

func (cy *cycle) stopped() bool {
	cy.mu.Lock()
	defer cy.mu.Unlock()
	return cy.stop != ""
}

// send makes a request, or in a dry run records a write without sending it.
// A credentials failure (401, 403) stops the cycle and quarantines the job.
func (cy *cycle) send(ctx context.Context, ev *Event, method, path string, body any, kind string) *Exchange {
	if cy.dry && method != http.MethodGet {
		x := &Exchange{Method: method, Path: path}
		if body != nil {
			x.Body, _ = json.Marshal(body)
			x.Findings = aws.LintSCIM(x.Body, kind)
			var rules []string
			for _, f := range x.Findings {
				if f.Severity == aws.Error && !slices.Contains(rules, f.Rule) {
					rules = append(rules, f.Rule)
				}
			}
			if len(rules) > 0 {
				ev.Status = StatusWarning
				ev.Notes = append(ev.Notes, fmt.Sprintf("dry run: the AWS lint predicts that IAM Identity Center refuses %s %s (%s)", method, path, strings.Join(rules, ", ")))
			}
		}
		ev.Requests = append(ev.Requests, x)
		return x
	}
	x, err := cy.c.Do(ctx, method, path, body)
	ev.Requests = append(ev.Requests, x)
	if err != nil {
		// No answer at all: every other call would fail the same way.
		cy.mu.Lock()
		if cy.stop == "" && ctx.Err() == nil {
			cy.stop = fmt.Sprintf("the target cannot be reached (%v): check the tenant URL", err)
		}
		cy.mu.Unlock()
		return x
	}
	if x.Status == http.StatusUnauthorized || x.Status == http.StatusForbidden {
		cy.mu.Lock()
		if cy.stop == "" {
			cy.stop = fmt.Sprintf("the target refused the credentials (%s): check the tenant URL and the secret token", x.Reason())
		}
		cy.mu.Unlock()
	}
	return x
}

// dryID is the placeholder id of an object a dry run would create.
func (cy *cycle) dryID(kind string) string {
	cy.mu.Lock()
	defer cy.mu.Unlock()
	cy.lastDry++
	return fmt.Sprintf("(new %s %d)", kind, cy.lastDry)
}

func fail(ev *Event, reason string) *Event {
	ev.Status = StatusFailure
	ev.Reason = reason
	return ev
}

// match looks the object up in the target with each matching attribute in
// precedence order; reason is set when the lookup itself failed.
func (cy *cycle) match(ctx context.Context, ev *Event, obj, collection string, src *Source, flowed Attrs) (res map[string]any, ok bool, err string) {
	for _, m := range matchers(cy.job.mappings, obj) {
		v := flowed[m.path.String()]
		if len(v) == 0 {
			continue
		}
		ev.Name = v[0]
		path := filterPath(collection, m.path.String(), v[0])
		if obj == ObjectGroup && !cy.job.PlainGroupMatch {
			path = "/" + collection + "?excludedAttributes=members&" + strings.TrimPrefix(path, "/"+collection+"?")
		}
		x := cy.send(ctx, ev, http.MethodGet, path, nil, "")
		if x.Failed() {
			return nil, false, x.Reason()
		}
		r, _, perr := listResult(x)
		if perr != nil {
			return nil, false, perr.Error()
		}
		if r != nil {
			return r, true, ""
		}
	}
	if ev.Name == "" {
		names := []string{}
		for _, m := range matchers(cy.job.mappings, obj) {
			names = append(names, m.Target)
		}
		return nil, false, fmt.Sprintf("the matching attribute (%s) has no value: the object cannot be matched or created", strings.Join(names, ", "))
	}
	return nil, false, ""
}

// refResolver resolves a manager value (a tenant user id or UPN) to the
// target id of that user.
func (cy *cycle) ref(v string) (string, bool) {
	cy.mu.Lock()
	defer cy.mu.Unlock()
	if known, ok := cy.st.Users[v]; ok && known.TargetID != "" {
		return known.TargetID, true
	}
	return "", false
}

func (cy *cycle) userState(id string) *ObjectState {
	cy.mu.Lock()
	defer cy.mu.Unlock()
	known := cy.st.Users[id]
	if known == nil {
		return nil
	}
	cp := *known
	return &cp
}

// setUserState records a user's state; nil forgets the user.
func (cy *cycle) setUserState(id string, known *ObjectState) {
	cy.mu.Lock()
	defer cy.mu.Unlock()
	if known == nil {
		delete(cy.st.Users, id)
		return
	}
	cy.st.Users[id] = known
}

// user provisions one user in scope.
func (cy *cycle) user(ctx context.Context, u *userT) *Event {
	j := cy.job
	src := UserSource(u)
	ev := &Event{Object: ObjectUser, ID: u.ID, Status: StatusSuccess}
	prev := cy.userState(u.ID)
	if src.SoftDeleted() {
		ev.Action, ev.Status = ActionSkip, StatusSkipped
		ev.Reason = "the user is soft-deleted or disabled in the tenant (accountEnabled false)"
		if prev != nil && prev.TargetID != "" {
			return nil // disabled by deprovisioning
		}
		return ev
	}
	always, _, err := flow(j.mappings, ObjectUser, src, false, cy.ref)
	if err != nil {
		ev.Action = ActionCreate
		if prev != nil && prev.TargetID != "" {
			ev.Action = ActionUpdate
		}
		return cy.failed(u.ID, prev, fail(ev, err.Error()))
	}
	createPaths := map[string]bool{}
	for _, m := range j.mappings {
		if m.Object == ObjectUser && m.Apply == ApplyCreate {
			createPaths[m.path.String()] = true
		}
	}

	var old Attrs
	targetID := ""
	if prev != nil && prev.TargetID != "" && !cy.initial {
		// Incremental: Entra uses the cached target id and sends what
		// changed since the last cycle.
		targetID, old = prev.TargetID, prev.Attrs
		if matchName := firstMatch(j.mappings, ObjectUser, always); matchName != "" {
			ev.Name = matchName
		}
	} else {
		res, found, reason := cy.match(ctx, ev, ObjectUser, "Users", src, always)
		if reason != "" {
			ev.Action = ActionCreate
			return cy.failed(u.ID, prev, fail(ev, reason))
		}
		if found {
			id, _ := res["id"].(string)
			if id == "" {
				ev.Action = ActionUpdate
				return cy.failed(u.ID, prev, fail(ev, "the target's matching user has no id"))
			}
			targetID, old = id, extract(j.mappings, ObjectUser, res)
		}
	}

	if targetID == "" {
		// Create.
		ev.Action = ActionCreate
		created, order, err := flow(j.mappings, ObjectUser, src, true, cy.ref)
		if err != nil {
			return cy.failed(u.ID, prev, fail(ev, err.Error()))
		}
		x := cy.send(ctx, ev, http.MethodPost, "/Users", resource(ObjectUser, order), "User")
		if x.Failed() {
			return cy.failed(u.ID, prev, fail(ev, x.Reason()))
		}
		id := cy.dryID("user")
		if !cy.dry {
			if id, err = resourceID(x); err != nil {
				return cy.failed(u.ID, prev, fail(ev, err.Error()))
			}
		}
		for _, p := range sortedPaths(created) {
			ev.Modified = append(ev.Modified, Modified{Path: p, New: created[p]})
		}
		cy.setUserState(u.ID, &ObjectState{TargetID: id, Attrs: created})
		return ev
	}

	// Update: only what differs from what the target holds.
	ev.Action = ActionUpdate
	var changes []change
	for _, m := range j.mappings {
		if m.Object != ObjectUser || m.Apply == ApplyCreate {
			continue
		}
		k := m.path.String()
		v, ok := always[k]
		if !ok || old.equal(k, v) {
			continue
		}
		_, had := old[k]
		changes = append(changes, change{path: m.path, vals: v, isNew: !had})
		ev.Modified = append(ev.Modified, Modified{Path: k, Old: old[k], New: v})
	}
	reenable := prev != nil && prev.Disabled
	if reenable && !hasTarget(j.mappings, "active") {
		changes = append(changes, change{path: Path{Attr: "active"}, vals: []string{"True"}})
		ev.Modified = append(ev.Modified, Modified{Path: "active", Old: []string{"False"}, New: []string{"True"}})
	}
	// Entra does not clear a value removed in the source: the target keeps
	// it, and ABAC keeps deciding on it.
	var stale []string
	for _, k := range sortedPaths(old) {
		if _, ok := always[k]; ok || createPaths[k] || !mapped(j.mappings, ObjectUser, k) || isDefault(j.mappings, k, old[k]) {
			continue
		}
		stale = append(stale, k)
		known := prev != nil && slices.Contains(prev.Stale, k)
		if !known {
			ev.Notes = append(ev.Notes, fmt.Sprintf("%s: %s (%s = %q): Entra does not clear attributes removed in the source", NoteStale, k, k, strings.Join(old[k], ", ")))
		}
	}
	next := &ObjectState{TargetID: targetID, Attrs: Attrs{}, Stale: stale}
	for k, v := range old {
		next.Attrs[k] = v
	}
	for k, v := range always {
		next.Attrs[k] = v
	}
	if len(changes) == 0 {
		if len(ev.Notes) > 0 {
			ev.Status = StatusWarning
			cy.setUserState(u.ID, next)
			return ev
		}
		cy.setUserState(u.ID, next)
		if cy.initial || prev == nil || prev.TargetID == "" {
			ev.Action, ev.Status, ev.Reason = ActionSkip, StatusSkipped, "matched in the target; no attribute differs"
			return ev
		}
		cy.mu.Lock()
		cy.res.Counts.Unchanged++
		cy.mu.Unlock()
		return nil
	}
	x := cy.send(ctx, ev, http.MethodPatch, "/Users/"+targetID, userPatch(j.Dialect, changes), "")
	if x.Status == http.StatusNotFound && !cy.initial {
		// The cached id is gone from the target: match again next cycle.
		cy.setUserState(u.ID, nil)
		return fail(ev, x.Reason()+" (the user was deleted in the target; it is matched again next cycle)")
	}
	if x.Failed() {
		return cy.failed(u.ID, prev, fail(ev, x.Reason()))
	}
	if len(ev.Notes) > 0 {
		ev.Status = StatusWarning
	}
	cy.setUserState(u.ID, next)
	return ev
}

// failed records a failed export in the state (escrow) and returns ev.
func (cy *cycle) failed(id string, prev *ObjectState, ev *Event) *Event {
	next := &ObjectState{}
	if prev != nil {
		cp := *prev
		next = &cp
	}
	next.Failures++
	next.LastError = ev.Reason
	cy.setUserState(id, next)
	return ev
}

func firstMatch(ms []mapping, obj string, a Attrs) string {
	for _, m := range matchers(ms, obj) {
		if v := a[m.path.String()]; len(v) > 0 {
			return v[0]
		}
	}
	return ""
}

// isDefault says whether v is the "default if null" that was sent at
// creation for path: the source had no value then either, so nothing went
// stale.
func isDefault(ms []mapping, path string, v []string) bool {
	for _, m := range ms {
		if m.Object == ObjectUser && m.path.String() == path && m.Default != "" {
			return len(v) == 1 && v[0] == m.Default
		}
	}
	return false
}

func hasTarget(ms []mapping, target string) bool {
	for _, m := range ms {
		if m.Object == ObjectUser && m.path.String() == target {
			return true
		}
	}
	return false
}

func mapped(ms []mapping, obj, path string) bool {
	for _, m := range ms {
		if m.Object == obj && m.path.String() == path {
			return true
		}
	}
	return false
}

// deprovisionUser disables (PATCH active false) or deletes a user.
func (cy *cycle) deprovisionUser(ctx context.Context, id, action, why string) *Event {
	prev := cy.userState(id)
	ev := &Event{Object: ObjectUser, ID: id, Action: action, Status: StatusSuccess, Reason: why}
	if prev == nil {
		return nil
	}
	if v := firstMatch(cy.job.mappings, ObjectUser, prev.Attrs); v != "" {
		ev.Name = v
	}
	var x *Exchange
	if action == ActionDelete {
		x = cy.send(ctx, ev, http.MethodDelete, "/Users/"+prev.TargetID, nil, "")
	} else {
		x = cy.send(ctx, ev, http.MethodPatch, "/Users/"+prev.TargetID, disablePatch(cy.job.Dialect), "")
	}
	if x.Status == http.StatusNotFound {
		ev.Status = StatusWarning
		ev.Notes = append(ev.Notes, "the user was already gone from the target")
		cy.dropUser(id, prev.TargetID)
		return ev
	}
	if x.Failed() {
		return cy.failed(id, prev, fail(ev, x.Reason()))
	}
	if action == ActionDelete {
		cy.dropUser(id, prev.TargetID)
		return ev
	}
	prev.Disabled = true
	prev.Failures, prev.LastError = 0, ""
	if prev.Attrs == nil {
		prev.Attrs = Attrs{}
	}
	if _, ok := prev.Attrs["active"]; ok || hasTarget(cy.job.mappings, "active") {
		prev.Attrs["active"] = []string{"False"}
	}
	ev.Modified = []Modified{{Path: "active", Old: []string{"True"}, New: []string{"False"}}}
	cy.setUserState(id, prev)
	return ev
}

// dropUser forgets a user, and its memberships in the state's groups (the
// target drops them with the user).
func (cy *cycle) dropUser(id, targetID string) {
	cy.mu.Lock()
	defer cy.mu.Unlock()
	delete(cy.st.Users, id)
	for _, g := range cy.st.Groups {
		g.Members = slices.DeleteFunc(g.Members, func(m string) bool { return m == targetID })
	}
}

// group provisions one group and its members.
func (cy *cycle) group(ctx context.Context, g *groupT, memberIDs []string) *Event {
	j := cy.job
	ev := &Event{Object: ObjectGroup, ID: g.ID, Status: StatusSuccess}
	// Members that are provisioned (have a target id) flow; the others are
	// reference failures Entra retries later.
	var targetMembers, missing []string
	for _, uid := range memberIDs {
		if id, ok := cy.ref(uid); ok {
			targetMembers = append(targetMembers, id)
		} else {
			missing = append(missing, uid)
		}
	}
	sort.Strings(targetMembers)
	src := GroupSource(g, nil)
	attrs, order, err := flow(j.mappings, ObjectGroup, src, true, nil)
	if err != nil {
		ev.Action = ActionCreate
		return fail(ev, err.Error())
	}
	withMembers := mapped(j.mappings, ObjectGroup, "members")
	prev := cy.st.Groups[g.ID]
	var old Attrs
	var oldMembers []string
	targetID := ""
	if prev != nil && prev.TargetID != "" && !cy.initial {
		targetID, old, oldMembers = prev.TargetID, prev.Attrs, prev.Members
		ev.Name = firstMatch(j.mappings, ObjectGroup, attrs)
	} else {
		res, found, reason := cy.match(ctx, ev, ObjectGroup, "Groups", src, attrs)
		if reason != "" {
			ev.Action = ActionCreate
			return fail(ev, reason)
		}
		if found {
			targetID, _ = res["id"].(string)
			old = extract(j.mappings, ObjectGroup, res)
			if prev != nil && prev.TargetID == targetID {
				oldMembers = prev.Members
			}
		}
	}
	if targetID == "" {
		ev.Action = ActionCreate
		x := cy.send(ctx, ev, http.MethodPost, "/Groups", resource(ObjectGroup, order), "Group")
		if x.Failed() {
			return fail(ev, x.Reason())
		}
		targetID = cy.dryID("group")
		if !cy.dry {
			if targetID, err = resourceID(x); err != nil {
				return fail(ev, err.Error())
			}
		}
		for _, p := range sortedPaths(attrs) {
			ev.Modified = append(ev.Modified, Modified{Path: p, New: attrs[p]})
		}
		old = attrs
	} else {
		ev.Action = ActionUpdate
		var changes []change
		for _, m := range j.mappings {
			k := m.path.String()
			if m.Object != ObjectGroup || k == "members" {
				continue
			}
			if v, ok := attrs[k]; ok && !old.equal(k, v) {
				_, had := old[k]
				changes = append(changes, change{path: m.path, vals: v, isNew: !had})
				ev.Modified = append(ev.Modified, Modified{Path: k, Old: old[k], New: v})
			}
		}
		if len(changes) > 0 {
			x := cy.send(ctx, ev, http.MethodPatch, "/Groups/"+targetID, userPatch(j.Dialect, changes), "")
			if x.Failed() {
				return cy.groupFailed(g.ID, ev, x, "")
			}
		}
		for k, v := range attrs {
			if old == nil {
				old = Attrs{}
			}
			old[k] = v
		}
	}
	state := &ObjectState{TargetID: targetID, Attrs: old, Members: oldMembers}
	cy.st.Groups[g.ID] = state
	if withMembers {
		add, remove := diffMembers(oldMembers, targetMembers)
		for _, body := range memberPatches(j.Dialect, add, remove, j.MemberBatch) {
			x := cy.send(ctx, ev, http.MethodPatch, "/Groups/"+targetID, body, "")
			if x.Failed() {
				return cy.groupFailed(g.ID, ev, x, "member update: ")
			}
		}
		if len(add)+len(remove) > 0 {
			ev.Modified = append(ev.Modified, Modified{Path: "members", Old: oldMembers, New: targetMembers})
		}
		state.Members = targetMembers
	}
	if len(missing) > 0 {
		ev.Status = StatusWarning
		ev.Notes = append(ev.Notes, fmt.Sprintf("members not in the target (not provisioned or failed), left out: %s", strings.Join(missing, ", ")))
	}
	if ev.Action == ActionUpdate && len(ev.Modified) == 0 {
		if len(ev.Notes) == 0 {
			if cy.initial {
				ev.Action, ev.Status, ev.Reason = ActionSkip, StatusSkipped, "matched in the target; nothing differs"
				return ev
			}
			cy.res.Counts.Unchanged++
			return nil
		}
	}
	return ev
}

// groupFailed fails a group's event; a 404 on the cached id means the group
// was deleted in the target: the job forgets it and matches again next cycle.
func (cy *cycle) groupFailed(id string, ev *Event, x *Exchange, prefix string) *Event {
	if x.Status == http.StatusNotFound {
		delete(cy.st.Groups, id)
		return fail(ev, prefix+x.Reason()+" (the group was deleted in the target; it is matched again next cycle)")
	}
	return fail(ev, prefix+x.Reason())
}

func diffMembers(old, cur []string) (add, remove []string) {
	o := map[string]bool{}
	for _, m := range old {
		o[m] = true
	}
	c := map[string]bool{}
	for _, m := range cur {
		c[m] = true
		if !o[m] {
			add = append(add, m)
		}
	}
	for _, m := range old {
		if !c[m] {
			remove = append(remove, m)
		}
	}
	return add, remove
}

// deleteGroup deletes a group that left the scope.
func (cy *cycle) deleteGroup(ctx context.Context, id, why string) *Event {
	prev := cy.st.Groups[id]
	ev := &Event{Object: ObjectGroup, ID: id, Action: ActionDelete, Status: StatusSuccess, Reason: why}
	ev.Name = firstMatch(cy.job.mappings, ObjectGroup, prev.Attrs)
	x := cy.send(ctx, ev, http.MethodDelete, "/Groups/"+prev.TargetID, nil, "")
	if x.Failed() && x.Status != http.StatusNotFound {
		return fail(ev, x.Reason())
	}
	delete(cy.st.Groups, id)
	return ev
}

// quarantine puts the job in quarantine (or keeps it there).
func (cy *cycle) quarantine(now time.Time, reason, detail string) {
	q := cy.st.Quarantine
	if q == nil {
		q = &Quarantine{SeriesBegan: now}
	}
	q.Reason, q.Detail, q.CurrentBegan = reason, detail, now
	// Retries 6 h, 12 h and 24 h after the first failure, then every 24 h;
	// after 28 days in quarantine the job is disabled.
	since := now.Sub(q.SeriesBegan)
	switch {
	case since < 6*time.Hour:
		q.NextAttempt = q.SeriesBegan.Add(6 * time.Hour)
	case since < 12*time.Hour:
		q.NextAttempt = q.SeriesBegan.Add(12 * time.Hour)
	case since < 24*time.Hour:
		q.NextAttempt = q.SeriesBegan.Add(24 * time.Hour)
	default:
		q.NextAttempt = now.Add(24 * time.Hour)
	}
	if since >= quarantineLimit {
		q.Disabled = true
	}
	cy.st.Quarantine = q
}

// finish counts the events, evaluates the quarantine and stamps the end.
func (cy *cycle) finish() *Result {
	r := cy.res
	now := cy.job.Clock()
	failures := 0
	for _, ev := range r.Events {
		switch {
		case ev.Action == ActionStagedDelete:
			r.Counts.Staged++
		case ev.Status == StatusFailure:
			r.Counts.Failed++
			if ev.Object == ObjectUser {
				failures++
			}
		case ev.Status == StatusSkipped:
			r.Counts.Skipped++
		case ev.Action == ActionCreate:
			r.Counts.Created++
		case ev.Action == ActionUpdate:
			r.Counts.Updated++
		case ev.Action == ActionDisable:
			r.Counts.Disabled++
		case ev.Action == ActionDelete:
			r.Counts.Deleted++
		}
	}
	st := cy.st
	switch {
	case r.Counts.Staged > 0:
		// quarantined by the deletion threshold already
	case cy.stop != "":
		r.Stopped = cy.stop
		cy.quarantine(now, ReasonQuarantineException, cy.stop)
	case r.Cycle == "on-demand":
		// Provision on demand does not move the job's quarantine.
	default:
		events := len(r.Events)
		st.Escrows += failures
		if failures == 0 {
			st.Escrows = 0
		}
		// A cycle that gets through leaves the quarantine, unless the
		// escrow rules hold it (in the same series).
		prev := st.Quarantine
		st.Quarantine = nil
		reason, detail := "", ""
		switch {
		case st.Escrows > escrowTotal:
			reason, detail = ReasonTotalEscrow, fmt.Sprintf("%d failures since the last clean cycle (more than %d)", st.Escrows, escrowTotal)
		case st.Escrows >= cy.job.QuarantineThreshold && events > 0 && float64(failures) > escrowProportion*float64(events):
			reason, detail = ReasonEscrowProportion, fmt.Sprintf("%d of %d events failed in this cycle (more than 40%%), %d failures since the last clean cycle (threshold %d)", failures, events, st.Escrows, cy.job.QuarantineThreshold)
		}
		if reason != "" {
			if prev != nil && (prev.Reason == ReasonEscrowProportion || prev.Reason == ReasonTotalEscrow) {
				st.Quarantine = prev
			}
			cy.quarantine(now, reason, detail)
		}
	}
	if st.Quarantine != nil {
		q := *st.Quarantine
		r.Quarantine = &q
	}
	r.Finished = now
	return r
}

// LintErrors counts the requests of a dry run that the AWS lint predicts
// IAM Identity Center refuses.
func (r *Result) LintErrors() int {
	n := 0
	for _, ev := range r.Events {
		for _, x := range ev.Requests {
			if aws.HasErrors(x.Findings) {
				n++
			}
		}
	}
	return n
}

// NextRun says when the scheduler should run the job next: interval after
// the last cycle, or in quarantine its next attempt; ok is false when the
// quarantine disabled the job.
func NextRun(st *State, interval time.Duration, now time.Time) (next time.Time, ok bool) {
	if st == nil || st.Cycles == 0 && st.Quarantine == nil {
		return now, true
	}
	if q := st.Quarantine; q != nil {
		if q.Disabled {
			return time.Time{}, false
		}
		return q.NextAttempt, true
	}
	return st.LastCycle.Add(interval), true
}

func (s *State) clone() *State {
	b, _ := json.Marshal(s)
	var c State
	_ = json.Unmarshal(b, &c)
	if c.Users == nil {
		c.Users = map[string]*ObjectState{}
	}
	if c.Groups == nil {
		c.Groups = map[string]*ObjectState{}
	}
	return &c
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
