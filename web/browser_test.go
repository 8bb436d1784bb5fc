package web

import (
	"context"
	"flag"
	"fmt"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	examplesp "github.com/samlab/samlab/examples/samlsp"
)

var saveScreenshots = flag.Bool("screenshots", false, "write browser screenshots to testdata/screenshots")

// newChrome starts a fresh headless Chromium, or skips the test when there
// is none (unless SAMLAB_REQUIRE_TOOLS=1).
func newChrome(t *testing.T) context.Context {
	t.Helper()
	if testing.Short() {
		t.Skip("browser test skipped in -short mode")
	}
	var path string
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			path = p
			break
		}
	}
	if path == "" {
		if os.Getenv("SAMLAB_REQUIRE_TOOLS") == "1" {
			t.Fatal("chromium not found and SAMLAB_REQUIRE_TOOLS=1 (apt-get install -y chromium)")
		}
		t.Skip("chromium not found (apt-get install -y chromium)")
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true),
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1100, 900),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(actx)
	t.Cleanup(func() { cancelCtx(); cancelAlloc() })
	// The first call starts the browser; it must not carry a timeout.
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("starting chromium: %v", err)
	}
	tctx, cancelTimeout := context.WithTimeout(ctx, 60*time.Second)
	t.Cleanup(cancelTimeout)
	return tctx
}

// screenshot saves a full-page PNG: to testdata/screenshots with
// -screenshots, else to a temporary directory.
func screenshot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	dir := t.TempDir()
	if *saveScreenshots {
		dir = filepath.Join("testdata", "screenshots")
		os.MkdirAll(dir, 0o755)
	}
	if err := os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644); err != nil {
		t.Fatal(err)
	}
}

// do runs steps and fails with the page's location and text when one fails.
func do(t *testing.T, ctx context.Context, what string, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, steps...); err != nil {
		c, cancel := context.WithTimeout(ctx, 5*time.Second)
		defer cancel()
		loc, _ := chromedp.Run(c, chromedp.Location())
		body, _ := chromedp.Run(c, chromedp.Text(chromedp.CSS("body")))
		t.Fatalf("%s: %v\nat %s\n%s", what, err, loc, body)
	}
}

func text(t *testing.T, ctx context.Context, sel string) string {
	t.Helper()
	s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		t.Fatalf("text of %s: %v", sel, err)
	}
	return s
}

func location(t *testing.T, ctx context.Context) string {
	t.Helper()
	s, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// (a) SP-initiated sign-in from an SP built with crewjam/saml's samlsp,
// through the samlab login page, back to the SP.
func TestBrowserSPInitiatedSamlsp(t *testing.T) {
	ctx := newChrome(t)
	spSrv := httptest.NewUnstartedServer(nil)
	spURL, _ := url.Parse("http://" + spSrv.Listener.Addr().String())
	e := newTestEnv(t, withRealClock(), withTOML(fmt.Sprintf(`
[[apps]]
name = "example-sp"
display_name = "Example SP (crewjam samlsp)"
entity_id = %q
acs_urls = [%q]
[apps.nameid]
format = "persistent"
source = "user.userprincipalname"
[[apps.claims]]
name = "AccessControl:Department"
namespace = "https://aws.amazon.com/SAML/Attributes"
source = "user.department"
[[apps.claims]]
name = "PrincipalTag:CostCenter"
namespace = "https://aws.amazon.com/SAML/Attributes"
source = "user.costcenter"
`, examplesp.EntityID(spURL), examplesp.ACSURL(spURL))))
	md, err := e.tenant.Metadata()
	if err != nil {
		t.Fatal(err)
	}
	k := testSPKeys(t)[1]
	h, err := examplesp.New(examplesp.Config{URL: spURL, Key: k.key, Certificate: k.cert, IDPMetadata: md})
	if err != nil {
		t.Fatal(err)
	}
	spSrv.Config.Handler = h
	spSrv.Start()
	defer spSrv.Close()

	do(t, ctx, "open the SP", chromedp.Navigate(spURL.String()+"/hello"), chromedp.WaitVisible(chromedp.CSS(`#pick-alice`)))
	if loc := location(t, ctx); !strings.HasPrefix(loc, e.base+"/sso?SAMLRequest=") {
		t.Fatalf("the SP did not send the browser to samlab's SSO endpoint: %s", loc)
	}
	screenshot(t, ctx, "login")
	do(t, ctx, "sign in as alice", chromedp.Click(chromedp.CSS(`#pick-alice`)), chromedp.WaitVisible(chromedp.CSS(`#attributes`)))
	nameID, attrs := text(t, ctx, "#nameid"), text(t, ctx, "#attributes")
	if loc := location(t, ctx); loc != spURL.String()+"/hello" {
		t.Errorf("ended at %s, want the SP's /hello", loc)
	}
	if nameID == "" { // samlsp asks for a transient NameID
		t.Error("the SP saw no NameID")
	}
	for _, want := range []string{
		"https://aws.amazon.com/SAML/Attributes/AccessControl:Department", "Engineering",
		"https://aws.amazon.com/SAML/Attributes/PrincipalTag:CostCenter", "CC-1001",
	} {
		if !strings.Contains(attrs, want) {
			t.Errorf("the SP did not see %q:\n%s", want, attrs)
		}
	}
}

// (b) IdP-initiated sign-in to the built-in test SP from the launcher.
func TestBrowserIdPInitiatedTestSP(t *testing.T) {
	ctx := newChrome(t)
	e := newTestEnv(t, withRealClock(), withReplace("debug_view = true", "debug_view = false"))
	do(t, ctx, "open the launcher", chromedp.Navigate(e.base+"/apps"), chromedp.WaitVisible(chromedp.CSS(`#pick-alice`)))
	do(t, ctx, "sign in", chromedp.Click(chromedp.CSS(`#pick-alice`)), chromedp.WaitVisible(chromedp.CSS(`#open-test-sp`)))
	screenshot(t, ctx, "launcher")
	do(t, ctx, "open the test SP", chromedp.Click(chromedp.CSS(`#open-test-sp`)), chromedp.WaitVisible(chromedp.CSS(`#result`)))
	result, nameID := text(t, ctx, "#result"), text(t, ctx, "#nameid")
	if !strings.Contains(result, "Verified") || nameID != "alice@contoso.com" {
		t.Fatalf("test SP: %q, NameID %q", result, nameID)
	}
	screenshot(t, ctx, "testsp")
}

// (c) The debug view, then its post button.
func TestBrowserDebugView(t *testing.T) {
	ctx := newChrome(t)
	e := newTestEnv(t, withRealClock())
	do(t, ctx, "start SP-initiated from the test SP", chromedp.Navigate(e.base+"/test-sp/login"), chromedp.WaitVisible(chromedp.CSS(`#pick-alice`)))
	do(t, ctx, "sign in", chromedp.Click(chromedp.CSS(`#pick-alice`)), chromedp.WaitVisible(chromedp.CSS(`#post-response`)))
	xml := text(t, ctx, "pre.xml")
	if !strings.Contains(xml, "<samlp:Response") || !strings.Contains(xml, "alice@contoso.com") {
		t.Errorf("debug view XML:\n%s", xml)
	}
	screenshot(t, ctx, "debug")
	do(t, ctx, "post", chromedp.Click(chromedp.CSS(`#post-response`)), chromedp.WaitVisible(chromedp.CSS(`#result`)))
	if result := text(t, ctx, "#result"); !strings.Contains(result, "Verified") {
		t.Fatalf("test SP after the debug view: %q", result)
	}
}
