package main

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/samlab/samlab/config"
)

// scimCLI runs samlab with its own state directory (the SCIM store lives
// there) and extra environment.
func scimCLI(t *testing.T, dir string, envs map[string]string, args ...string) result {
	t.Helper()
	var out, errb bytes.Buffer
	e := &env{stdin: strings.NewReader(""), stdout: &out, stderr: &errb,
		getenv: func(k string) string {
			if k == "SAMLAB_STATE_DIR" {
				return dir
			}
			return envs[k]
		},
		now: func() time.Time { return fixedNow }}
	code := run(e, args)
	return result{out.String(), errb.String(), code}
}

func TestSCIMTokenCommands(t *testing.T) {
	dir := t.TempDir()
	r := scimCLI(t, dir, nil, "scim", "token", "create")
	if r.code != 0 || len(strings.TrimSpace(r.stdout)) < 40 || !strings.Contains(r.stderr, "shown only now") {
		t.Fatalf("token create: %+v", r)
	}
	token := strings.TrimSpace(r.stdout)
	firstID := strings.Fields(r.stderr)[1]
	if r := scimCLI(t, dir, nil, "scim", "token", "create", "--format", "json"); r.code != 0 || !strings.Contains(r.stdout, `"token"`) {
		t.Fatalf("second token: %+v", r)
	}
	// AWS-SCIM-001: at most two live tokens.
	if r := scimCLI(t, dir, nil, "scim", "token", "create"); r.code != 1 || !strings.Contains(r.stderr, "delete one first") || r.stdout != "" {
		t.Errorf("third token: %+v", r)
	}
	r = scimCLI(t, dir, nil, "scim", "token", "list", "--format", "json")
	var toks []struct {
		ID      string    `json:"id"`
		Expires time.Time `json:"expires"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &toks); err != nil || len(toks) != 2 {
		t.Fatalf("token list: %v %+v", err, r)
	}
	if strings.Contains(r.stdout, token) || !toks[0].Expires.Equal(fixedNow.Add(365*24*time.Hour)) {
		t.Errorf("token list shows the token or a wrong expiry: %s", r.stdout)
	}
	if r := scimCLI(t, dir, nil, "scim", "token", "list"); !strings.Contains(r.stdout, toks[0].ID) || !strings.Contains(r.stdout, "live") {
		t.Errorf("token list text: %+v", r)
	}
	if r := scimCLI(t, dir, nil, "scim", "token", "delete", "tok-nope"); r.code != 1 || !strings.Contains(r.stderr, "no token") {
		t.Errorf("delete unknown: %+v", r)
	}
	other := toks[0].ID
	if other == firstID {
		other = toks[1].ID
	}
	if r := scimCLI(t, dir, nil, "scim", "token", "delete", other); r.code != 0 {
		t.Errorf("delete: %+v", r)
	}
	for _, bad := range [][]string{{"scim"}, {"scim", "token"}, {"scim", "token", "rotate"}, {"scim", "token", "delete"}, {"scim", "logs"}, {"scim", "log", "--limit", "0"}, {"scim", "log", "--format", "xml"}} {
		if r := scimCLI(t, dir, nil, bad...); r.code != 2 || r.stdout != "" {
			t.Errorf("%v: %+v", bad, r)
		}
	}
	// The created token works against the endpoint serve mounts, and so does
	// $SAMLAB_SCIM_TOKEN; the log names them by id, never by value.
	cfg := config.Demo()
	store, err := openSCIMStore(t.Context(), &env{getenv: func(k string) string { return map[string]string{"SAMLAB_STATE_DIR": dir}[k] }}, cfg)
	if err != nil {
		t.Fatal(err)
	}
	e := &env{getenv: func(k string) string { return map[string]string{"SAMLAB_SCIM_TOKEN": "env-token-0123456789"}[k] }, now: time.Now}
	h := scimHandler(e, cfg, store, nil)
	for _, tok := range []string{token, "env-token-0123456789"} {
		req := httptest.NewRequest("GET", "/Users", nil)
		req.Header.Set("Authorization", "Bearer "+tok)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != 200 {
			t.Errorf("GET /Users with a token: %d %s", rec.Code, rec.Body)
		}
	}
	h.(io.Closer).Close()
	store.Close()
	r = scimCLI(t, dir, nil, "scim", "log", "--format", "json", "--limit", "5")
	var entries []struct {
		Client string `json:"client"`
		Status int    `json:"status"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &entries); err != nil || len(entries) != 2 {
		t.Fatalf("scim log: %v %+v", err, r)
	}
	if !strings.HasSuffix(entries[0].Client, " env") || !strings.HasSuffix(entries[1].Client, " "+firstID) {
		t.Errorf("log clients = %+v", entries)
	}
	if strings.Contains(r.stdout, token) || strings.Contains(r.stdout, "env-token-0123456789") {
		t.Errorf("the log shows a token: %s", r.stdout)
	}
	if r := scimCLI(t, dir, nil, "scim", "log"); r.code != 0 || !strings.Contains(r.stdout, "GET /Users") {
		t.Errorf("scim log text: %+v", r)
	}
}

// samlab config check prints the [scim] table with its defaults and no
// token or database password.
func TestConfigCheckPrintsSCIM(t *testing.T) {
	path := writeFile(t, "tenant.toml", `[idp]
base_url = "http://127.0.0.1:8080"
demo = true
[scim]
database = "postgres://u:pg-secret@db:5432/samlab"
tokens = ["config-token-0123456789"]
error_details = "idc"
`)
	r := scimCLI(t, t.TempDir(), nil, "config", "check", path)
	if r.code != 0 {
		t.Fatalf("config check: %+v", r)
	}
	for _, want := range []string{"[scim]", "enabled = true", `database = "postgres://u:xxxxx@db:5432/samlab"`, `tokens = ["(set)"]`, "max_body_bytes = 1048576", `error_details = "idc"`} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("config check output lacks %q:\n%s", want, r.stdout)
		}
	}
	if strings.Contains(r.stdout, "pg-secret") || strings.Contains(r.stdout, "config-token-0123456789") {
		t.Errorf("a secret was printed:\n%s", r.stdout)
	}
}
