package web

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

var updateImages = flag.Bool("update", false, "write docs/images/inspect.png from the /inspect browser test")

// (d) /inspect in a browser without JavaScript help: paste the real Entra
// response, see its summary and lint findings; paste it with the tenant
// certificate and see it verified.
func TestBrowserInspectEntra(t *testing.T) {
	ctx := newChrome(t)
	e := newTestEnv(t, withRealClock())
	entra := readFixture(t, entraFixture)
	do(t, ctx, "open /inspect from the test SP",
		chromedp.Navigate(e.base+"/test-sp"), chromedp.WaitVisible(chromedp.CSS(`#inspect-link`)),
		chromedp.Click(chromedp.CSS(`#inspect-link`)), chromedp.WaitVisible(chromedp.CSS(`#message`)))
	do(t, ctx, "paste the Entra response",
		chromedp.SetValue(chromedp.CSS(`#message`), entra),
		chromedp.SetValue(chromedp.CSS(`#profile`), "aws-sts"),
		chromedp.Click(chromedp.CSS(`#inspect-submit`)), chromedp.WaitVisible(chromedp.CSS(`#summary`)))
	summary, findings, verification := text(t, ctx, "#summary"), text(t, ctx, "#findings"), text(t, ctx, "#verification")
	for _, want := range []string{"https://sts.windows.net/603e9946-79fd-42bc-bae2-2abda19cb695/", "spn:95210223-1471-47de-8f76-c0f420c1738f", "V6nCP3nUyEPB-MjBnY5I8hucjll7hJ9IYhsJ5zNdkcs"} {
		if !strings.Contains(summary, want) {
			t.Errorf("summary lacks %q:\n%s", want, summary)
		}
	}
	// Entra's response to its own test SP is no AWS response: the
	// aws-sts profile says so, with rule IDs that link to docs/lint.md.
	for _, want := range []string{"AWS-STS-005", "AWS-STS-009", "AWS-STS-012"} {
		if !strings.Contains(findings, want) {
			t.Errorf("findings lack %s:\n%s", want, findings)
		}
	}
	if !strings.Contains(verification, "Not verified: no certificate given") {
		t.Errorf("verification banner: %q", verification)
	}
	href, err := chromedp.Run(ctx, chromedp.AttributeValue(chromedp.CSS(`#findings a.rule`), "href"))
	if err != nil || !strings.HasPrefix(href.Value, lintDocsURL+"#aws-") {
		t.Errorf("finding link %q: %v", href.Value, err)
	}

	do(t, ctx, "paste with the tenant certificate",
		chromedp.SetValue(chromedp.CSS(`#trust`), readFixture(t, entraFixtureCert)),
		chromedp.SetValue(chromedp.CSS(`#profile`), "auto"),
		chromedp.Click(chromedp.CSS(`#inspect-submit`)), chromedp.WaitVisible(chromedp.CSS(`#verification.ok`)))
	if v := text(t, ctx, "#verification"); !strings.Contains(v, "Verified: the Assertion signature was made by a trusted certificate") {
		t.Errorf("verification banner: %q", v)
	}
	if sigs := text(t, ctx, "#signatures"); !strings.Contains(sigs, "VALID") {
		t.Errorf("signatures: %q", sigs)
	}
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatal(err)
	}
	if len(png) < 1000 {
		t.Fatalf("screenshot of %d bytes", len(png))
	}
	if *updateImages {
		p := filepath.Join("..", "docs", "images", "inspect.png")
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, png, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// (f) From the test SP's result, "Inspect this response" posts what
// arrived to /inspect, verified with samlab's own key.
func TestBrowserInspectFromTestSP(t *testing.T) {
	ctx := newChrome(t)
	e := newTestEnv(t, withRealClock(), withReplace("debug_view = true", "debug_view = false"))
	do(t, ctx, "sign in to the test SP", chromedp.Navigate(e.base+"/test-sp/login"), chromedp.WaitVisible(chromedp.CSS(`#pick-alice`)),
		chromedp.Click(chromedp.CSS(`#pick-alice`)), chromedp.WaitVisible(chromedp.CSS(`#inspect-this`)))
	do(t, ctx, "inspect it", chromedp.Click(chromedp.CSS(`#inspect-this`)), chromedp.WaitVisible(chromedp.CSS(`#summary`)))
	if v := text(t, ctx, "#verification"); !strings.Contains(v, "Verified: the") {
		t.Errorf("verification: %q", v)
	}
	if s := text(t, ctx, "#summary"); !strings.Contains(s, "alice@contoso.com") || !strings.Contains(s, "/test-sp/acs") {
		t.Errorf("summary: %q", s)
	}
}

// (e) Hostile input: a DOCTYPE with an entity and a signature-wrapping
// response are refused with a clear message; a <script> in a value shows
// as text and never runs; a POST without the CSRF token is refused.
func TestBrowserInspectHostile(t *testing.T) {
	ctx := newChrome(t)
	e := newTestEnv(t, withRealClock())
	paste := func(what, message, waitFor string) {
		t.Helper()
		do(t, ctx, what,
			chromedp.Navigate(e.base+"/inspect"), chromedp.WaitVisible(chromedp.CSS(`#message`)),
			chromedp.SetValue(chromedp.CSS(`#message`), message),
			chromedp.Click(chromedp.CSS(`#inspect-submit`)), chromedp.WaitVisible(chromedp.CSS(waitFor)))
	}
	paste("paste a DOCTYPE with an entity", `<!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol">&xxe;</samlp:Response>`, `#refused`)
	if r := text(t, ctx, "#refused"); !strings.Contains(r, "Refused: unsafe or broken XML") || !strings.Contains(r, "DOCTYPE") {
		t.Errorf("DOCTYPE: %q", r)
	}
	paste("paste a wrapped response", wrappedResponse(), `#verification`)
	if r := text(t, ctx, "#verification"); !strings.Contains(r, "signature-wrapping") {
		t.Errorf("wrapping: %q", r)
	}
	if p := text(t, ctx, "#problems"); !strings.Contains(p, "2 assertions") {
		t.Errorf("wrapping problems: %q", p)
	}
	paste("paste a script in values", xssResponse(), `#summary`)
	title, err := chromedp.Run(ctx, chromedp.Title())
	if err != nil || strings.Contains(title, "pwned") {
		t.Fatalf("title %q (%v): a pasted script ran", title, err)
	}
	if s := text(t, ctx, "#summary"); !strings.Contains(s, `<script>document.title="pwned"</script>`) {
		t.Errorf("the script is not shown as text: %q", s)
	}
	injected, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("main script, main img").length`))
	if err != nil || injected != 0 {
		t.Errorf("%d script or img elements were injected (%v)", injected, err)
	}

	// The form without its token: refused.
	do(t, ctx, "post without the CSRF token",
		chromedp.Navigate(e.base+"/inspect"), chromedp.WaitVisible(chromedp.CSS(`#message`)),
		chromedp.SetAttributeValue(chromedp.CSS(`input[name=csrf]`), "value", ""),
		chromedp.SetValue(chromedp.CSS(`#message`), readFixture(t, entraFixture)),
		chromedp.Click(chromedp.CSS(`#inspect-submit`)), chromedp.WaitVisible(chromedp.CSS(`.card.error`)))
	if body := text(t, ctx, "main"); !strings.Contains(body, "Inspect form expired") || strings.Contains(body, "sts.windows.net") {
		t.Errorf("without the token: %q", body)
	}
}
