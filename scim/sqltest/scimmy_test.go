// Package sqltest_test tests and benchmarks the SCIM server on the embedded
// SQLite store, and runs SCIMMY against it. It lives apart from package scim
// so that scim's fuzz binary does not instrument SQLite.
package sqltest_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/samlab/samlab/scim"
	"github.com/samlab/samlab/scim/sqlstore"
)

const testToken = "test-token-0123456789"

func userBody(userName, email string, extra string) string {
	b := fmt.Sprintf(`{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":%q,
		"name":{"givenName":"Given","familyName":"Family"},"displayName":"Display Name","active":true`, userName)
	if email != "" {
		b += fmt.Sprintf(`,"emails":[{"value":%q,"type":"work","primary":true}]`, email)
	}
	if extra != "" {
		b += "," + extra
	}
	return b + "}"
}

// needTool skips a test whose tool is missing, or fails it when
// SAMLAB_REQUIRE_TOOLS=1 (CI installs the tools with scripts/test.sh).
func needTool(t *testing.T, ok bool, what string) {
	t.Helper()
	if ok {
		return
	}
	if os.Getenv("SAMLAB_REQUIRE_TOOLS") == "1" {
		t.Fatalf("%s is missing and SAMLAB_REQUIRE_TOOLS=1 (scripts/test.sh installs it)", what)
	}
	t.Skipf("%s is missing (scripts/test.sh installs it)", what)
}

type scimmyCheck struct {
	Name   string `json:"name"`
	Kind   string `json:"kind"`
	OK     bool   `json:"ok"`
	Detail string `json:"detail"`
	Rule   string `json:"rule"`
}

// TestSCIMMY runs SCIMMY, an independent SCIM 2.0 implementation from npm,
// against the server on the embedded SQLite store (testdata/scimmy).
// "conforms" checks: SCIMMY's schema, message and filter classes accept
// what samlab answers and takes. "differs" checks: RFC behaviours IdC does
// not have, each named with its AWS-SCIM rule, answered as IdC does.
func TestSCIMMY(t *testing.T) {
	node, err := exec.LookPath("node")
	needTool(t, err == nil, "node")
	dir, _ := filepath.Abs(filepath.Join("testdata", "scimmy"))
	_, err = os.Stat(filepath.Join(dir, "node_modules", "scimmy", "package.json"))
	needTool(t, err == nil, "the scimmy npm package (cd scim/sqltest/testdata/scimmy && npm ci)")

	st, err := sqlstore.Open(context.Background(), "", t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	const token = "scimmy-check-token-0123456789"
	h := scim.NewServer(st, scim.Options{Tokens: &scim.StoreTokens{Store: st, Static: []string{token}}})
	defer h.(*scim.Server).Close()
	mux := http.NewServeMux()
	mux.Handle("/scim/v2/", http.StripPrefix("/scim/v2", h))
	srv := httptest.NewServer(mux)
	defer srv.Close()

	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, "check.mjs")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "SCIM_URL="+srv.URL+"/scim/v2", "SCIM_TOKEN="+token)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("node check.mjs: %v\n%s\n%s", err, out, stderr.Bytes())
	}
	var checks []scimmyCheck
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		var c scimmyCheck
		if err := json.Unmarshal(sc.Bytes(), &c); err != nil {
			t.Fatalf("bad line %q: %v", sc.Text(), err)
		}
		checks = append(checks, c)
	}
	if len(checks) < 30 {
		t.Fatalf("only %d checks ran:\n%s\n%s", len(checks), out, stderr.Bytes())
	}
	conforms, differs := 0, 0
	for _, c := range checks {
		if c.Kind == "differs" && c.Rule == "" {
			t.Errorf("%s: a difference must name its AWS-SCIM rule", c.Name)
		}
		if !c.OK {
			t.Errorf("%s (%s %s): %s", c.Name, c.Kind, c.Rule, c.Detail)
			continue
		}
		if c.Kind == "conforms" {
			conforms++
		} else {
			differs++
		}
		t.Logf("ok  %-8s %-12s %s", c.Kind, c.Rule, c.Name)
	}
	t.Logf("%d checks conform to SCIMMY, %d differ from the RFC as IdC does", conforms, differs)
}

// Concurrent creates of one userName through the handler on the embedded
// store: exactly one 201, the rest 409 (AWS-SCIM-005, issue 12 §1), and
// every request in the provisioning log.
func TestConcurrentCreateSameUserName(t *testing.T) {
	st, err := sqlstore.Open(context.Background(), "", t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	h := scim.NewServer(st, scim.Options{Tokens: &scim.StoreTokens{Static: []string{testToken}}}).(*scim.Server)
	const n = 12
	codes := make(chan int, n)
	for i := range n {
		go func() {
			body := userBody("same@example.com", fmt.Sprintf("m%d@example.com", i), "")
			req := httptest.NewRequest("POST", "/Users", strings.NewReader(body))
			req.Header.Set("Authorization", "Bearer "+testToken)
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			codes <- rec.Code
		}()
	}
	count := map[int]int{}
	for range n {
		count[<-codes]++
	}
	if count[201] != 1 || count[409] != n-1 {
		t.Errorf("answers %v; want one 201 and %d 409", count, n-1)
	}
	h.Close()
	log, _ := st.Log(context.Background(), 0, 0)
	if len(log) != n {
		t.Errorf("log has %d entries, want %d", len(log), n)
	}
}
