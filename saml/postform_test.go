package saml

import (
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"html"
	"regexp"
	"strings"
	"testing"
)

// postFormInputs extracts name → value of the hidden inputs.
func postFormInputs(t *testing.T, page string) map[string]string {
	t.Helper()
	re := regexp.MustCompile(`<input type="hidden" name="([^"]*)" value="([^"]*)">`)
	out := map[string]string{}
	for _, m := range re.FindAllStringSubmatch(page, -1) {
		out[m[1]] = html.UnescapeString(m[2])
	}
	return out
}

func TestWritePostForm(t *testing.T) {
	relay := `"><script>alert(1)</script>&x=1 ü`
	samlResp := base64.StdEncoding.EncodeToString([]byte("<samlp:Response/>+/=="))
	var b strings.Builder
	err := WritePostForm(&b, "https://sp.example.com/acs?a=1&b=2", PostFields{SAMLResponse: samlResp, RelayState: relay})
	if err != nil {
		t.Fatal(err)
	}
	page := b.String()
	got := postFormInputs(t, page)
	if got["SAMLResponse"] != samlResp || got["RelayState"] != relay || len(got) != 2 {
		t.Errorf("form fields = %q, want SAMLResponse and RelayState byte-exact", got)
	}
	for _, want := range []string{
		`<form method="post" action="https://sp.example.com/acs?a=1&amp;b=2">`,
		`<button type="submit">Continue</button>`,
		`<script>` + postFormScript + `</script>`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q:\n%s", want, page)
		}
	}
	if strings.Contains(page, "<script>alert") {
		t.Errorf("RelayState was not escaped:\n%s", page)
	}
}

func TestWritePostFormRequestAndNonce(t *testing.T) {
	var b strings.Builder
	if err := WritePostForm(&b, "http://127.0.0.1:8080/sso", PostFields{SAMLRequest: "PHg+", ScriptNonce: `n"1`}); err != nil {
		t.Fatal(err)
	}
	got := postFormInputs(t, b.String())
	if got["SAMLRequest"] != "PHg+" || len(got) != 1 {
		t.Errorf("form fields = %q, want only SAMLRequest", got)
	}
	if !strings.Contains(b.String(), `<script nonce="n&#34;1">`) {
		t.Errorf("nonce missing or unescaped:\n%s", b.String())
	}
}

func TestWritePostFormRefuses(t *testing.T) {
	tests := []struct {
		name   string
		action string
		fields PostFields
		want   string
	}{
		{"javascript action", "javascript:alert(1)", PostFields{SAMLResponse: "x"}, "not an absolute http(s) URL"},
		{"relative action", "/acs", PostFields{SAMLResponse: "x"}, "not an absolute http(s) URL"},
		{"no message", "https://sp.example.com/acs", PostFields{RelayState: "r"}, "exactly one of"},
		{"two messages", "https://sp.example.com/acs", PostFields{SAMLResponse: "x", SAMLRequest: "y"}, "exactly one of"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b strings.Builder
			err := WritePostForm(&b, tt.action, tt.fields)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error = %v, want one containing %q", err, tt.want)
			}
			if b.Len() != 0 {
				t.Errorf("wrote %d bytes before failing", b.Len())
			}
		})
	}
}

func TestPostFormScriptHash(t *testing.T) {
	sum := sha256.Sum256([]byte(postFormScript))
	if want := "'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"; PostFormScriptHash != want {
		t.Errorf("PostFormScriptHash = %s, want %s", PostFormScriptHash, want)
	}
}

func ExampleWritePostForm() {
	var page strings.Builder
	err := WritePostForm(&page, "https://signin.aws.amazon.com/saml", PostFields{
		SAMLResponse: "PHNhbWxwOlJlc3BvbnNlLz4=",
		RelayState:   `"><script>`,
	})
	if err != nil {
		panic(err)
	}
	for _, line := range strings.Split(page.String(), "\n") {
		if strings.Contains(line, "<form") || strings.Contains(line, "<input") || strings.Contains(line, "<button") {
			fmt.Println(line)
		}
	}
	// Output:
	// <form method="post" action="https://signin.aws.amazon.com/saml">
	// <input type="hidden" name="SAMLResponse" value="PHNhbWxwOlJlc3BvbnNlLz4=">
	// <input type="hidden" name="RelayState" value="&#34;&gt;&lt;script&gt;">
	// <button type="submit">Continue</button>
}
