package provision

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/samlab/samlab/claims"
)

// requireTool skips a test that needs an outside tool, or fails it when
// SAMLAB_REQUIRE_TOOLS=1 (CI, where scripts/test.sh installs the tools).
func requireTool(t *testing.T, what string, ok bool) {
	t.Helper()
	if ok {
		return
	}
	if os.Getenv("SAMLAB_REQUIRE_TOOLS") == "1" {
		t.Fatalf("%s is missing and SAMLAB_REQUIRE_TOOLS=1 (scripts/test.sh installs it)", what)
	}
	t.Skipf("%s is missing (scripts/test.sh installs it; SAMLAB_REQUIRE_TOOLS=1 makes this a failure)", what)
}

// startSCIMMY runs testdata/scimmy/server.js (SCIMMY + scimmy-routers on
// express, installed by `npm ci`) and returns its SCIM base URL.
func startSCIMMY(t *testing.T, token string) string {
	t.Helper()
	node, err := exec.LookPath("node")
	requireTool(t, "node", err == nil)
	dir, _ := filepath.Abs(filepath.Join("testdata", "scimmy"))
	_, err = os.Stat(filepath.Join(dir, "node_modules", "scimmy-routers"))
	requireTool(t, "testdata/scimmy/node_modules (npm ci in provision/testdata/scimmy)", err == nil)
	cmd := exec.Command(node, "server.js")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "SCIMMY_TOKEN="+token)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	port := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if p, ok := strings.CutPrefix(sc.Text(), "listening "); ok {
				port <- p
			}
		}
	}()
	select {
	case p := <-port:
		return "http://127.0.0.1:" + p + "/scim/v2"
	case <-time.After(30 * time.Second):
		t.Fatal("the SCIMMY server did not start in 30 s")
	}
	return ""
}

// An independent SCIM server (SCIMMY, RFC 7643/7644) takes what samlab's
// client sends, and the users it then holds equal the tenant's. Unlike
// IAM Identity Center it accepts two phone numbers, so bob lands too.
func TestAgainstSCIMMY(t *testing.T) {
	base := startSCIMMY(t, "scimmy-tok")
	c := &Client{BaseURL: base, Token: "scimmy-tok"}
	job, err := NewJob(Settings{App: "idc", Scope: ScopeAll})
	if err != nil {
		t.Fatal(err)
	}
	tn := testTenant()
	tn.Groups = []claims.Group{{ID: "g-eng", ObjectID: "oid-eng", DisplayName: "Engineering"}}
	tn.Users[0].Groups = []string{"g-eng"}
	tn.Users[1].Groups = []string{"g-eng"}
	st := NewState(base)
	ctx := context.Background()
	r, err := job.Run(ctx, c, tn, st, RunOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if r.Counts.Created != 4 || r.Counts.Failed != 0 {
		t.Fatalf("counts %+v: %+v", r.Counts, r.Events)
	}
	checkSCIMMYUsers(t, c, tn)
	g := scimGet(t, c, "/Groups/"+st.Groups["g-eng"].TargetID)
	if ms, _ := g["members"].([]any); len(ms) != 2 {
		t.Fatalf("group members %v", g["members"])
	}

	// Incremental: several attributes in one path-less replace with dotted
	// keys (aadOptscim062020), and a filtered path.
	tn.Users[0].Attributes["givenname"] = claims.Values{"Alicia"}
	tn.Users[0].Attributes["jobtitle"] = claims.Values{"CTO"}
	tn.Users[0].Attributes["mail"] = claims.Values{"alicia@contoso.com"}
	r, err = job.Run(ctx, c, tn, st, RunOptions{})
	if err != nil || r.Counts.Updated != 1 || r.Counts.Failed != 0 {
		t.Fatalf("incremental: %+v %v", r, err)
	}
	checkSCIMMYUsers(t, c, tn)
}

func scimGet(t *testing.T, c *Client, path string) map[string]any {
	t.Helper()
	x, err := c.Do(context.Background(), http.MethodGet, path, nil)
	if err != nil || x.Status != 200 {
		t.Fatalf("GET %s: %v %+v", path, err, x)
	}
	var m map[string]any
	json.Unmarshal(x.Response, &m)
	return m
}

// checkSCIMMYUsers compares each tenant user with what the server holds.
func checkSCIMMYUsers(t *testing.T, c *Client, tn *Tenant) {
	t.Helper()
	for _, u := range tn.Users {
		a := func(k string) string {
			if v := u.Attributes[k]; len(v) > 0 {
				return v[0]
			}
			return ""
		}
		x, err := c.Do(context.Background(), http.MethodGet, filterPath("Users", "userName", a("userprincipalname")), nil)
		if err != nil || x.Status != 200 {
			t.Fatalf("list: %v %+v", err, x)
		}
		got, n, err := listResult(x)
		if err != nil || n != 1 {
			t.Fatalf("%s: %d results, %v", u.ID, n, err)
		}
		b, _ := json.Marshal(got)
		var have struct {
			UserName string `json:"userName"`
			Name     struct {
				GivenName, FamilyName, Formatted string
			} `json:"name"`
			DisplayName string `json:"displayName"`
			Title       string `json:"title"`
			Active      bool   `json:"active"`
			Emails      []struct{ Value, Type string }
			Phones      []struct{ Value, Type string } `json:"phoneNumbers"`
			Enterprise  struct{ Department string }    `json:"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"`
		}
		json.Unmarshal(b, &have)
		var phones []string
		for _, p := range have.Phones {
			phones = append(phones, p.Type+"="+p.Value)
		}
		gotS := fmt.Sprintf("%s|%s|%s|%s|%s|%s|%v|%s|%v|%s", have.UserName, have.Name.GivenName, have.Name.FamilyName, have.Name.Formatted,
			have.DisplayName, have.Title, have.Active, have.Emails[0].Value, phones, have.Enterprise.Department)
		var wantPhones []string
		if p := a("telephonenumber"); p != "" {
			wantPhones = append(wantPhones, "work="+p)
		}
		if p := a("mobile"); p != "" {
			wantPhones = append(wantPhones, "mobile="+p)
		}
		wantS := fmt.Sprintf("%s|%s|%s|%s|%s|%s|%v|%s|%v|%s", a("userprincipalname"), a("givenname"), a("surname"), a("givenname")+" "+a("surname"),
			a("displayname"), a("jobtitle"), true, a("mail"), wantPhones, a("department"))
		if gotS != wantS {
			t.Errorf("%s in SCIMMY:\n got %s\nwant %s", u.ID, gotS, wantS)
		}
	}
}
