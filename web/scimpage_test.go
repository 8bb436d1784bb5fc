package web

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/samlab/samlab/scim"
)

// bobCreate is the seed's failing request: Entra maps both the mobile and
// the work phone into phoneNumbers, and Identity Center refuses two items
// (AWS-SCIM-004).
const bobCreate = `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"bob@fabrikam.com","active":true,` +
	`"displayName":"Bob <script>alert(1)</script>","name":{"givenName":"Bob","familyName":"Brown"},` +
	`"emails":[{"primary":true,"type":"work","value":"bob@fabrikam.com"}],` +
	`"phoneNumbers":[{"type":"mobile","value":"+1 555 0101"},{"type":"work","value":"+1 555 0102"}]}`

func TestHighlightJSON(t *testing.T) {
	for _, tc := range []struct {
		name, body string
		marks      []string
		want       []string // marked texts
	}{
		{"one key", `{"a":1,"phoneNumbers":[{"value":"x"},{"value":"y"}],"b":2}`, []string{"phoneNumbers"},
			[]string{"\"phoneNumbers\": [\n    {\n      \"value\": \"x\"\n    },\n    {\n      \"value\": \"y\"\n    }\n  ]"}},
		{"last key", `{"a":1,"b":{"c":[1,2]}}`, []string{"b"}, []string{"\"b\": {\n    \"c\": [\n      1,\n      2\n    ]\n  }"}},
		{"nested key of the same name is not top level", `{"x":{"b":1},"b":2}`, []string{"b"}, []string{`"b": 2`}},
		{"key inside a string", `{"s":"\"b\": 1","b":"q,\"}"}`, []string{"b"}, []string{`"b": "q,\"}"`}},
		{"escaped key", `{"p\u0068one":1}`, []string{"phone"}, []string{`"p\u0068one": 1`}},
		{"two keys", `{"a":1,"b":2,"c":3}`, []string{"a", "c"}, []string{`"a": 1`, `"c": 3`}},
		{"no mark", `{"a":1}`, []string{"z"}, nil},
		{"not JSON", `{"a":`, []string{"a"}, nil},
		{"array at top", `[{"a":1}]`, []string{"a"}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			marks := map[string]bool{}
			for _, m := range tc.marks {
				marks[m] = true
			}
			segs := highlightJSON(tc.body, marks)
			var got []string
			var all strings.Builder
			for _, s := range segs {
				all.WriteString(s.Text)
				if s.Mark {
					got = append(got, s.Text)
				}
			}
			if strings.Join(got, "|") != strings.Join(tc.want, "|") {
				t.Errorf("marked %q, want %q", got, tc.want)
			}
			if tc.name != "not JSON" && !strings.Contains(all.String(), "\n") && len(tc.body) > 10 {
				t.Errorf("not indented: %q", all.String())
			}
		})
	}
}

func TestSCIMPage(t *testing.T) {
	st := provisioned(t)
	ctx := context.Background()
	u, _, err := st.ListUsers(ctx, scim.UserQuery{UserName: "alice@contoso.com", Count: 1})
	if err != nil || len(u) != 1 {
		t.Fatal(err)
	}
	if err := st.CreateGroup(ctx, &scim.Group{DisplayName: "Engineering", ExternalID: "grp-eng", Members: []string{u[0].ID}}); err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 12, 7, 1, 0, 0, 0, time.UTC)
	for _, e := range []scim.LogEntry{
		{Time: now, RequestID: "r1", Client: "127.0.0.1 token t1", Method: "POST", Path: "/scim/v2/Users", Status: 201, Request: `{"userName":"alice@contoso.com"}`},
		{Time: now.Add(time.Second), RequestID: "r2", Client: "127.0.0.1 token t1", Method: "POST", Path: "/scim/v2/Users", Status: 400,
			Request: bobCreate, Response: `{"detail":"Request is unparsable, syntactically incorrect, or violates schema.","status":"400"}`,
			Error: "Request is unparsable, syntactically incorrect, or violates schema."},
	} {
		if err := st.AppendLog(ctx, e); err != nil {
			t.Fatal(err)
		}
	}
	e := newTestEnv(t, withSCIMStore(st))
	anon := e.browser().get("/scim")
	if anon.StatusCode != http.StatusSeeOther || anon.Header.Get("Location") != "/login?next=%2Fscim" {
		t.Fatalf("anonymous GET /scim = %d %q, want the login page", anon.StatusCode, anon.Header.Get("Location"))
	}
	b := e.browser()
	if r := b.loginForm(b.get(anon.Header.Get("Location")), "alice", "alice-demo"); r.Header.Get("Location") != "/scim" {
		t.Fatalf("after sign-in: %d %q, want back to /scim", r.StatusCode, r.Header.Get("Location"))
	}
	page := b.get("/scim")
	if page.StatusCode != 200 {
		t.Fatalf("GET /scim = %d", page.StatusCode)
	}
	body := page.body
	for _, w := range []string{
		"<code>alice@contoso.com</code>", "Alice Anderson", "costCenter=CC-7777", "alice@contoso.com (primary)",
		"<td><strong>no</strong></td>",                                        // dave is disabled
		"<td>Engineering</td><td><code>grp-eng</code></td><td>1</td>",         // member count
		"<code>POST /scim/v2/Users</code>", "<td>400</td>", "violates schema", // the failed request
		"AWS-SCIM-004", `<mark class="offending">&#34;phoneNumbers&#34;: [`, // the two phones marked
		"Bob &lt;script&gt;alert(1)&lt;/script&gt;", // escaped
	} {
		if !strings.Contains(body, w) {
			t.Errorf("/scim lacks %q", w)
		}
	}
	if strings.Contains(body, "<script>") {
		t.Error("/scim shows an unescaped payload")
	}
	// Only the failed request shows its payload.
	if strings.Count(body, `<pre class="payload" id="payload-`) != 1 {
		t.Errorf("want one payload shown")
	}
	mark := body[strings.Index(body, `<mark class="offending">`):]
	mark = mark[:strings.Index(mark, "</mark>")]
	if !strings.Contains(mark, "mobile") || !strings.Contains(mark, "0102") || strings.Contains(mark, "emails") {
		t.Errorf("marked part is not exactly phoneNumbers: %q", mark)
	}
}

func TestSCIMPageOff(t *testing.T) {
	b := newTestEnv(t).browser()
	b.login("alice", "alice-demo")
	page := b.get("/scim")
	if page.StatusCode != 200 || !strings.Contains(page.body, `id="scim-off"`) {
		t.Fatalf("GET /scim without a store = %d\n%s", page.StatusCode, page.body)
	}
}

// An initial cycle's group PATCHes push a failed user out of the last
// requests; the page still shows the failure, under Earlier failures.
func TestSCIMPageEarlierFailure(t *testing.T) {
	st := provisioned(t)
	ctx := context.Background()
	now := time.Date(2026, 12, 7, 1, 0, 0, 0, time.UTC)
	st.AppendLog(ctx, scim.LogEntry{Time: now, Method: "POST", Path: "/scim/v2/Users", Status: 400, Request: bobCreate, Error: "Currently list attributes only allow single item"})
	for i := 0; i < scimPageLog+10; i++ {
		st.AppendLog(ctx, scim.LogEntry{Time: now.Add(time.Duration(i) * time.Second), Method: "PATCH", Path: "/scim/v2/Groups/g", Status: 204})
	}
	b := newTestEnv(t, withSCIMStore(st)).browser()
	b.login("alice", "alice-demo")
	body := b.get("/scim").body
	i := strings.Index(body, "Earlier failures")
	if i < 0 {
		t.Fatal("no Earlier failures section")
	}
	if !strings.Contains(body[i:], `<mark class="offending">&#34;phoneNumbers&#34;`) || strings.Count(body, "PATCH /scim/v2/Groups/g") != scimPageLog {
		t.Errorf("earlier failure not shown marked, or the last requests are not %d", scimPageLog)
	}
}
