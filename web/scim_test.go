package web

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/samlab/samlab/scim"
	"github.com/samlab/samlab/scim/memstore"
)

func withOptions(o Options) envOption { return func(c *envConfig) { c.opts = o } }

// The SCIM handler answers under /scim/v2 on the IdP's listener, with its
// JSON errors (not the HTML pages) and its own body limit; other paths are
// the IdP's.
func TestSCIMMounted(t *testing.T) {
	store := memstore.New()
	h := scim.NewServer(store, scim.Options{Tokens: &scim.StoreTokens{Static: []string{"mount-test-token-123"}}, SyncLog: true})
	e := newTestEnv(t, withOptions(Options{SCIM: h}))
	do := func(method, path, body string) (*http.Response, string) {
		req, _ := http.NewRequest(method, e.base+path, strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer mount-test-token-123")
		req.Header.Set("Origin", "https://elsewhere.example") // a cross-site POST the IdP would refuse
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp, string(b)
	}
	resp, body := do("POST", "/scim/v2/Users", `{"userName":"a@example.com","name":{"givenName":"A","familyName":"B"},"displayName":"A B"}`)
	if resp.StatusCode != 201 || !strings.Contains(body, `"userName":"a@example.com"`) {
		t.Fatalf("POST /scim/v2/Users: %d %s", resp.StatusCode, body)
	}
	resp, body = do("GET", "/scim/v2/Me", "")
	if resp.StatusCode != 400 || resp.Header.Get("Content-Type") != "application/json" || !strings.Contains(body, `"status":"400"`) {
		t.Errorf("GET /scim/v2/Me: %d %s %s", resp.StatusCode, resp.Header.Get("Content-Type"), body)
	}
	if resp, _ := do("GET", "/scim/v2x", ""); resp.StatusCode != 404 || strings.Contains(resp.Header.Get("Content-Type"), "json") {
		t.Errorf("/scim/v2x must be the IdP's 404 page: %d", resp.StatusCode)
	}
	if resp, _ := do("GET", "/healthz", ""); resp.StatusCode != 200 {
		t.Errorf("/healthz: %d", resp.StatusCode)
	}
	if log, _ := store.Log(t.Context(), 10, 0); len(log) != 2 || log[1].Path != "/scim/v2/Users" {
		t.Errorf("log = %+v; want 2 entries with the full path", log)
	}
}
