package main

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/samlab/samlab/provision"
	"github.com/samlab/samlab/scim"
	"github.com/samlab/samlab/scim/memstore"
)

// The demo tenant provisioned to samlab's own SCIM server: a dry run
// writes nothing, then the cycle creates alice, carol and dave and fails
// bob (two phones) with IdC's 400, and the next cycle is incremental.
func TestProvisionDemo(t *testing.T) {
	store := memstore.New()
	srv := httptest.NewServer(scim.NewServer(store, scim.Options{Tokens: &scim.StoreTokens{Static: []string{"demo-token"}}}))
	defer srv.Close()
	statePath := filepath.Join(stateDir, "provision-aws-identity-center.json")
	os.Remove(statePath)

	r := samlab(t, "", "provision", "--target", srv.URL, "--token", "demo-token", "--dry-run")
	if r.code != exitOK {
		t.Fatalf("dry run: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	for _, want := range []string{"dry run: nothing was written", "POST /Users", "AWS-SCIM-004", "Currently list attributes only allow single item"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("dry run output lacks %q", want)
		}
	}
	if _, err := os.Stat(statePath); !os.IsNotExist(err) {
		t.Fatalf("dry run wrote the state file (%v)", err)
	}
	if n, _ := store.CountUsers(context.Background()); n != 0 {
		t.Fatalf("dry run created %d users", n)
	}

	r = samlab(t, "", "provision", "--target", srv.URL, "--token", "demo-token", "--format", "json")
	if r.code != exitFindings {
		t.Fatalf("exit %d, want 1 (bob fails)\n%s", r.code, r.stderr)
	}
	var res provision.Result
	if err := json.Unmarshal([]byte(r.stdout), &res); err != nil {
		t.Fatal(err)
	}
	failed := map[string]string{}
	for _, ev := range res.Events {
		if ev.Status == provision.StatusFailure {
			failed[ev.ID] = ev.Reason
		}
	}
	if len(failed) != 1 || !strings.HasPrefix(failed["bob"], "400 ") || res.Counts.Failed != 1 {
		t.Fatalf("failures %v, counts %+v", failed, res.Counts)
	}
	if n, _ := store.CountUsers(context.Background()); n != 3 {
		t.Fatalf("%d users in the store, want alice, carol and dave", n)
	}
	fi, err := os.Stat(statePath)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("state file: %v %v", fi, err)
	}

	r = samlab(t, "", "provision", "--target", srv.URL, "--token", "demo-token")
	if !strings.Contains(r.stdout, "Incremental cycle") || !strings.Contains(r.stdout, "Failures:\n  bob: 400 ") {
		t.Fatalf("incremental:\n%s", r.stdout)
	}
	r = samlab(t, "", "provision", "--target", srv.URL, "--token", "demo-token", "--user", "carol")
	if r.code != exitOK || !strings.Contains(r.stdout, "On-demand cycle") {
		t.Fatalf("on demand: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
}

func TestProvisionUsage(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"provision", "--format", "xml"}, `--format "xml"`},
		{[]string{"provision", "--app", "nope"}, `--app "nope": no such app`},
		{[]string{"provision", "--app", "aws"}, `app "aws" has no [apps.provisioning]`},
		{[]string{"provision"}, "no token for http://127.0.0.1:8080/scim/v2"},
		{[]string{"provision", "extra"}, "takes no arguments"},
	} {
		r := samlab(t, "", tc.args...)
		if r.code != exitUsage || !strings.Contains(r.stderr, tc.want) {
			t.Errorf("%v: exit %d, stderr %q, want %q", tc.args, r.code, r.stderr, tc.want)
		}
	}
}
