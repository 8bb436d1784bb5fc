package web

import (
	"context"
	"io"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/samlab/samlab/provision"
	"github.com/samlab/samlab/scim"
	"github.com/samlab/samlab/scim/memstore"
)

// (d) Sign in to the Identity Center-like SP from the launcher as a
// provisioned user (attributes for access control shown, with the winner)
// and as a user who was never provisioned (refused with Identity Center's
// error); then the /scim page, reached from the header, with a failed
// request whose refused part is marked. One browser for all, to keep CI
// short.
func TestBrowserIdentityCenter(t *testing.T) {
	ctx := newChrome(t)
	st := provisioned(t)
	if err := st.AppendLog(context.Background(), scim.LogEntry{Time: time.Now(), Method: "POST", Path: "/scim/v2/Users", Status: 400,
		Request: bobCreate, Error: "Request is unparsable, syntactically incorrect, or violates schema."}); err != nil {
		t.Fatal(err)
	}
	e := newTestEnv(t, withRealClock(), withSCIMStore(st))
	do(t, ctx, "open the launcher", chromedp.Navigate(e.base+"/apps"), chromedp.WaitVisible(chromedp.CSS(`#pick-alice`)))
	do(t, ctx, "sign in as alice", chromedp.Click(chromedp.CSS(`#pick-alice`)), chromedp.WaitVisible(chromedp.CSS(`#open-identity-center`)))
	do(t, ctx, "open Identity Center", chromedp.Click(chromedp.CSS(`#open-identity-center`)), chromedp.WaitVisible(chromedp.CSS(`#result`)))
	if got := text(t, ctx, "#signed-in-user"); got != "alice@contoso.com" {
		t.Fatalf("signed in as %q\n%s", got, text(t, ctx, "#result"))
	}
	cost := text(t, ctx, "#abac-costCenter")
	for _, w := range []string{"CC-7777", "identity store", "replaces the value sent in SAML", "CC-1001"} {
		if !strings.Contains(cost, w) {
			t.Errorf("costCenter row lacks %q: %q", w, cost)
		}
	}
	if winner := text(t, ctx, "#abac-costCenter td.winner"); winner != "CC-7777" {
		t.Errorf("costCenter winner %q, want the identity store's CC-7777", winner)
	}
	if dept := text(t, ctx, "#abac-Department"); !strings.Contains(dept, "Engineering") || !strings.Contains(dept, "SAML") {
		t.Errorf("Department row: %q", dept)
	}
	screenshot(t, ctx, "identity-center")
	if *updateImages {
		png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join("..", "docs", "images", "identity-center.png"), png, 0o644); err != nil {
			t.Fatal(err)
		}
	}

	// bob has never been provisioned.
	do(t, ctx, "sign out", chromedp.Navigate(e.base+"/apps"), chromedp.WaitVisible(chromedp.CSS(`button.link`)),
		chromedp.Click(chromedp.CSS(`button.link`)), chromedp.WaitVisible(chromedp.CSS(`a[href="/login"].button`)))
	do(t, ctx, "sign in as bob", chromedp.Navigate(e.base+"/apps"), chromedp.WaitVisible(chromedp.CSS(`#pick-bob`)),
		chromedp.Click(chromedp.CSS(`#pick-bob`)), chromedp.WaitVisible(chromedp.CSS(`#open-identity-center`)))
	do(t, ctx, "open Identity Center as bob", chromedp.Click(chromedp.CSS(`#open-identity-center`)), chromedp.WaitVisible(chromedp.CSS(`#idc-error`)))
	if got := text(t, ctx, "#idc-error"); got != "Invalid MFA credentials" {
		t.Errorf("Identity Center's error: %q", got)
	}
	if ex := text(t, ctx, "#idc-explanation"); !strings.Contains(ex, "AWS-IDC-005") || !strings.Contains(ex, "bob@fabrikam.com") {
		t.Errorf("samlab's explanation: %q", ex)
	}
	screenshot(t, ctx, "identity-center-refused")

	do(t, ctx, "open /scim from the header", chromedp.Click(chromedp.CSS(`header a[href="/scim"]`)), chromedp.WaitVisible(chromedp.CSS(`.scim-log`)))
	if users := text(t, ctx, "#scim-users"); !strings.Contains(users, "alice@contoso.com") || !strings.Contains(users, "costCenter=CC-7777") {
		t.Errorf("users table: %q", users)
	}
	mark := text(t, ctx, ".scim-log mark.offending")
	if !strings.HasPrefix(mark, `"phoneNumbers": [`) || !strings.Contains(mark, "mobile") {
		t.Errorf("marked part: %q", mark)
	}
	if log := text(t, ctx, ".scim-log"); !strings.Contains(log, "AWS-SCIM-004") || !strings.Contains(log, "violates schema") {
		t.Errorf("log: %q", log)
	}
	screenshot(t, ctx, "scim")
}

// (f) End to end: provision the demo tenant to samlab's own SCIM server
// with the provisioning client, as Entra's provisioning service would;
// bob's two phones fail exactly as in Identity Center. Then alice signs in
// to the Identity Center SP with the attributes from the store, bob (never
// provisioned) is refused, and /scim shows his failed request marked.
func TestBrowserProvisionThenIdentityCenter(t *testing.T) {
	ctx := newChrome(t)
	store := memstore.New()
	scimHandler := scim.NewServer(store, scim.Options{Tokens: &scim.StoreTokens{Static: []string{"tok"}}})
	scimSrv := httptest.NewServer(scimHandler)
	defer scimSrv.Close()
	e := newTestEnv(t, withRealClock(), withSCIMStore(store))
	app := e.tenant.Config.App("aws-identity-center")
	if app == nil || app.Provisioning == nil {
		t.Fatal("the demo tenant has no provisioning job on aws-identity-center")
	}
	job, err := provision.NewJob(app.Provisioning.Settings(app.Name))
	if err != nil {
		t.Fatal(err)
	}
	cfg := e.tenant.Config
	res, err := job.Run(context.Background(), &provision.Client{BaseURL: scimSrv.URL, Token: "tok"},
		&provision.Tenant{Users: cfg.ClaimsUsers(), Groups: cfg.Groups}, nil, provision.RunOptions{})
	if err != nil {
		t.Fatal(err)
	}
	// The server writes its provisioning log in the background; closing it
	// writes what is queued.
	scimSrv.Close()
	if c, ok := scimHandler.(io.Closer); ok {
		c.Close()
	}
	if us, _, _ := store.ListUsers(context.Background(), scim.UserQuery{UserName: "alice@contoso.com", Count: 1}); len(us) != 1 {
		t.Fatalf("alice was not provisioned: %+v", res.Events)
	}

	do(t, ctx, "open the launcher", chromedp.Navigate(e.base+"/apps"), chromedp.WaitVisible(chromedp.CSS(`#pick-alice`)))
	do(t, ctx, "sign in as alice", chromedp.Click(chromedp.CSS(`#pick-alice`)), chromedp.WaitVisible(chromedp.CSS(`#open-identity-center`)))
	do(t, ctx, "open Identity Center", chromedp.Click(chromedp.CSS(`#open-identity-center`)), chromedp.WaitVisible(chromedp.CSS(`#result`)))
	if got := text(t, ctx, "#signed-in-user"); got != "alice@contoso.com" {
		t.Fatalf("signed in as %q\n%s", got, text(t, ctx, "#result"))
	}
	if title := text(t, ctx, "#abac-title"); !strings.Contains(title, "Software Engineer") || !strings.Contains(title, "identity store") {
		t.Errorf("title row (from the provisioned user): %q", title)
	}

	do(t, ctx, "open /scim", chromedp.Navigate(e.base+"/scim"), chromedp.WaitVisible(chromedp.CSS(`.scim-log`)))
	if mark := text(t, ctx, ".scim-log mark.offending"); !strings.HasPrefix(mark, `"phoneNumbers": [`) {
		t.Errorf("bob's refused part: %q\n%s", mark, text(t, ctx, "main"))
	}

	do(t, ctx, "sign out", chromedp.Navigate(e.base+"/apps"), chromedp.WaitVisible(chromedp.CSS(`button.link`)),
		chromedp.Click(chromedp.CSS(`button.link`)), chromedp.WaitVisible(chromedp.CSS(`a[href="/login"].button`)))
	do(t, ctx, "sign in as bob", chromedp.Navigate(e.base+"/apps"), chromedp.WaitVisible(chromedp.CSS(`#pick-bob`)),
		chromedp.Click(chromedp.CSS(`#pick-bob`)), chromedp.WaitVisible(chromedp.CSS(`#open-identity-center`)))
	do(t, ctx, "open Identity Center as bob", chromedp.Click(chromedp.CSS(`#open-identity-center`)), chromedp.WaitVisible(chromedp.CSS(`#idc-error`)))
	if got := text(t, ctx, "#idc-error"); got != "Invalid MFA credentials" {
		t.Errorf("Identity Center's error for bob: %q", got)
	}
}
