package web

import (
	"net/http"
	"strings"
	"testing"
)

// A response the AWS lint rejects is not sent: the user gets a page that
// names the findings, and no SAMLResponse leaves the IdP.
func TestLintBlocksIssuance(t *testing.T) {
	e := newTestEnv(t, withReplace(`department = "Engineering"`, `department = "R&D, Lab"`))
	b := e.browser()
	b.login("alice", "alice-demo")
	r := b.get("/apps/aws/start")
	if r.StatusCode != http.StatusInternalServerError {
		t.Fatalf("status %d, want 500", r.StatusCode)
	}
	assertNoResponse(t, r)
	for _, want := range []string{"Response not sent", "AWS-TAG-004", "PrincipalTag:Department"} {
		if !strings.Contains(r.body, want) {
			t.Errorf("blocked page lacks %q", want)
		}
	}
	if !strings.Contains(e.logs.String(), "response blocked by lint errors") {
		t.Error("no log line for the blocked response")
	}
	// The same user still reaches an app whose rules her data does not break.
	if r := b.get("/apps/test-sp/start"); r.StatusCode != http.StatusOK || !strings.Contains(r.body, "SAMLResponse") {
		t.Errorf("test-sp: status %d, want a posted response", r.StatusCode)
	}
}
