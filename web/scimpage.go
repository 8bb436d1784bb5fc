package web

import (
	"bytes"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/samlab/samlab/aws"
	"github.com/samlab/samlab/scim"
)

// The /scim page shows what samlab's SCIM server holds, as Identity
// Center's console would (users, groups), and its provisioning log: the
// last requests, with the payload of a failed one and the part Identity
// Center refuses marked.

const (
	scimPageUsers = 500 // users listed; the count says how many there are
	scimPageLog   = 50  // last log entries shown
	// Failures older than the last scimPageLog entries are looked for in
	// this many entries, and up to scimPageFailures of them shown: an
	// initial cycle's group PATCHes push a failed user out of the last 50.
	scimPageScan     = 2000
	scimPageFailures = 20
)

type scimUserRow struct {
	scim.User
	Emails     []string
	Enterprise []string // "costCenter=CC-1001"
}

type scimGroupRow struct {
	scim.Group
	MemberCount int
}

type scimLogRow struct {
	scim.LogEntry
	Failed bool
	// Payload is the request body, indented, in pieces; the marked pieces
	// are what the findings name.
	Payload  []jsonSegment
	Findings []aws.Finding
	Response string
}

type scimPageData struct {
	On        bool
	Error     string
	Users     []scimUserRow
	UserCount int
	MoreUsers int
	Groups    []scimGroupRow
	Log       []scimLogRow
	LogShown  int
	// Failures are failed requests older than Log.
	Failures    []scimLogRow
	GeneratedAt time.Time
}

func (sv *server) handleSCIMPage(w http.ResponseWriter, r *http.Request) {
	// Provisioned users and logged payloads are personal data: signed-in
	// users only, like the launcher.
	if sv.loggedIn(r) == nil {
		http.Redirect(w, r, "/login?next=%2Fscim", http.StatusSeeOther)
		return
	}
	d := scimPageData{On: sv.scimStore != nil, GeneratedAt: sv.now().UTC()}
	if sv.scimStore != nil {
		if err := sv.loadSCIMPage(r, &d); err != nil {
			sv.log.Error("scim page: reading the store", "err", err)
			d.Error = "The SCIM store could not be read; see the server log."
		}
	}
	w.Header().Set("Cache-Control", "no-store")
	sv.render(w, r, http.StatusOK, "scim", page{Title: "SCIM", Data: d})
}

func (sv *server) loadSCIMPage(r *http.Request, d *scimPageData) error {
	ctx := r.Context()
	n, err := sv.scimStore.CountUsers(ctx)
	if err != nil {
		return err
	}
	d.UserCount = n
	for cursor := ""; len(d.Users) < scimPageUsers; {
		users, next, err := sv.scimStore.ListUsers(ctx, scim.UserQuery{Count: 100, Cursor: cursor})
		if err != nil {
			return err
		}
		for _, u := range users {
			d.Users = append(d.Users, userRow(u))
		}
		if next == "" || len(users) == 0 {
			break
		}
		cursor = next
	}
	if len(d.Users) > scimPageUsers {
		d.Users = d.Users[:scimPageUsers]
	}
	d.MoreUsers = max(d.UserCount-len(d.Users), 0)
	for cursor := ""; len(d.Groups) < scimPageUsers; {
		groups, next, err := sv.scimStore.ListGroups(ctx, scim.GroupQuery{Count: 100, Cursor: cursor})
		if err != nil {
			return err
		}
		for _, g := range groups {
			d.Groups = append(d.Groups, scimGroupRow{Group: g, MemberCount: len(g.Members)})
		}
		if next == "" || len(groups) == 0 {
			break
		}
		cursor = next
	}
	entries, err := sv.scimStore.Log(ctx, scimPageLog, 0)
	if err != nil {
		return err
	}
	for _, e := range entries {
		d.Log = append(d.Log, logRow(e))
	}
	d.LogShown = len(d.Log)
	if len(entries) < scimPageLog {
		return nil
	}
	before := entries[len(entries)-1].Seq
	for scanned := 0; scanned < scimPageScan && len(d.Failures) < scimPageFailures; {
		older, err := sv.scimStore.Log(ctx, 200, before)
		if err != nil {
			return err
		}
		for _, e := range older {
			if e.Status >= 400 && len(d.Failures) < scimPageFailures {
				d.Failures = append(d.Failures, logRow(e))
			}
		}
		if len(older) < 200 {
			break
		}
		scanned += len(older)
		before = older[len(older)-1].Seq
	}
	return nil
}

func userRow(u scim.User) scimUserRow {
	row := scimUserRow{User: u}
	for _, e := range u.Emails {
		s := e.Value
		if e.Primary {
			s += " (primary)"
		}
		row.Emails = append(row.Emails, s)
	}
	if e := u.Enterprise; e != nil {
		for _, kv := range [][2]string{{"employeeNumber", e.EmployeeNumber}, {"costCenter", e.CostCenter},
			{"organization", e.Organization}, {"division", e.Division}, {"department", e.Department}, {"manager", e.Manager}} {
			if kv[1] != "" {
				row.Enterprise = append(row.Enterprise, kv[0]+"="+kv[1])
			}
		}
	}
	return row
}

// logRow prepares one log entry. A failed request's payload is linted as
// Identity Center's SCIM server sees it (aws.LintSCIM), and the top-level
// attributes the findings name are marked.
func logRow(e scim.LogEntry) scimLogRow {
	row := scimLogRow{LogEntry: e, Failed: e.Status >= 400}
	if !row.Failed {
		return row
	}
	row.Response = e.Response
	if strings.TrimSpace(e.Request) == "" {
		return row
	}
	kind := ""
	switch {
	case strings.Contains(e.Path, "/Users"):
		kind = "User"
	case strings.Contains(e.Path, "/Groups"):
		kind = "Group"
	}
	marks := map[string]bool{}
	for _, f := range aws.LintSCIM([]byte(e.Request), kind) {
		if f.Severity == aws.Info {
			continue
		}
		row.Findings = append(row.Findings, f)
		if k := topLevelKey(f.Attribute); k != "" {
			marks[k] = true
		}
	}
	if strings.Contains(e.Request, `"Operations"`) && len(row.Findings) > 0 {
		marks["Operations"] = true
	}
	row.Payload = highlightJSON(e.Request, marks)
	return row
}

// topLevelKey is the top-level JSON key a finding's attribute path names:
// "phoneNumbers" for "phoneNumbers[1].display", the enterprise URN for
// its attributes.
func topLevelKey(attr string) string {
	if strings.HasPrefix(attr, aws.SCIMEnterpriseSchema) {
		return aws.SCIMEnterpriseSchema
	}
	if i := strings.IndexAny(attr, ".["); i >= 0 {
		return attr[:i]
	}
	return attr
}

// jsonSegment is a piece of an indented JSON text; Mark pieces are shown
// highlighted.
type jsonSegment struct {
	Text string
	Mark bool
}

// highlightJSON indents body and marks each member of the top-level
// object whose key is in marks (the key and its whole value). A body that
// is not JSON is returned as it is, unmarked.
func highlightJSON(body string, marks map[string]bool) []jsonSegment {
	var buf bytes.Buffer
	if err := json.Indent(&buf, []byte(body), "", "  "); err != nil {
		return []jsonSegment{{Text: body}}
	}
	text := buf.String()
	type span struct{ from, to int }
	var spans []span
	depth, inStr, esc := 0, false, false
	expectKey, keyStart, markFrom := false, -1, -1
	closeMark := func(end int) {
		if markFrom < 0 {
			return
		}
		for end > markFrom && (text[end-1] == ' ' || text[end-1] == '\n') {
			end--
		}
		spans = append(spans, span{markFrom, end})
		markFrom = -1
	}
	for i := 0; i < len(text); i++ {
		c := text[i]
		if inStr {
			switch {
			case esc:
				esc = false
			case c == '\\':
				esc = true
			case c == '"':
				inStr = false
				if depth == 1 && expectKey && keyStart >= 0 {
					var key string
					if json.Unmarshal([]byte(text[keyStart:i+1]), &key) == nil && marks[key] {
						markFrom = keyStart
					}
					expectKey, keyStart = false, -1
				}
			}
			continue
		}
		switch c {
		case '"':
			inStr = true
			if depth == 1 && expectKey {
				keyStart = i
			}
		case '{', '[':
			depth++
			if depth == 1 {
				expectKey = c == '{'
			}
		case '}', ']':
			if depth == 1 {
				closeMark(i)
			}
			depth--
		case ',':
			if depth == 1 {
				closeMark(i)
				expectKey = true
			}
		}
	}
	if len(spans) == 0 {
		return []jsonSegment{{Text: text}}
	}
	slices.SortFunc(spans, func(a, b span) int { return a.from - b.from })
	var out []jsonSegment
	at := 0
	for _, s := range spans {
		if s.from > at {
			out = append(out, jsonSegment{Text: text[at:s.from]})
		}
		out = append(out, jsonSegment{Text: text[s.from:s.to], Mark: true})
		at = s.to
	}
	if at < len(text) {
		out = append(out, jsonSegment{Text: text[at:]})
	}
	return out
}
