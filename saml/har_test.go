package saml

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// harTestEntra is the real Entra ID response of testdata/entra, base64 as
// it was posted.
func harTestEntra(t testing.TB) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "entra", "entra-response.b64"))
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimSpace(string(b))
}

// harReq is one request of a test HAR; Text and Params make postData.
type harReq struct {
	Method, URL, Text string
	Params            [][2]string
}

// harBuild writes a HAR 1.2 file as Chrome's "Save all as HAR" does,
// with the fields Decode ignores (headers, response content, timings)
// present so that they are shown not to matter.
func harBuild(t testing.TB, reqs ...harReq) []byte {
	t.Helper()
	var entries []any
	for _, r := range reqs {
		req := map[string]any{
			"method": r.Method, "url": r.URL, "httpVersion": "HTTP/2",
			"headers":     []any{map[string]string{"name": "accept", "value": "text/html"}},
			"queryString": []any{}, "cookies": []any{}, "headersSize": -1, "bodySize": len(r.Text),
		}
		if r.Text != "" || r.Params != nil {
			params := []any{}
			for _, p := range r.Params {
				params = append(params, map[string]string{"name": p[0], "value": p[1]})
			}
			pd := map[string]any{"mimeType": "application/x-www-form-urlencoded", "params": params}
			if r.Text != "" {
				pd["text"] = r.Text
			}
			req["postData"] = pd
		}
		entries = append(entries, map[string]any{
			"startedDateTime": "2026-12-06T10:00:00.000Z", "time": 12.5, "request": req,
			"response": map[string]any{"status": 200, "content": map[string]any{"size": 5, "mimeType": "text/html", "text": "<html>SAMLResponse=not-this</html>"}},
			"cache":    map[string]any{}, "timings": map[string]any{"send": 0, "wait": 10, "receive": 2},
		})
	}
	b, err := json.MarshalIndent(map[string]any{"log": map[string]any{
		"version": "1.2", "creator": map[string]string{"name": "WebInspector", "version": "537.36"},
		"pages": []any{}, "entries": entries,
	}}, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestDecodeHAR(t *testing.T) {
	posted := harTestEntra(t)
	entraXML, err := base64.StdEncoding.DecodeString(posted)
	if err != nil {
		t.Fatal(err)
	}
	reqXML := []byte(itAuthnRequest)
	deflated := base64.StdEncoding.EncodeToString(rtDeflate(t, reqXML))
	page := harReq{Method: "GET", URL: "https://console.aws.amazon.com/"}
	redirect := func(relay string) harReq {
		return harReq{Method: "GET", URL: "https://login.microsoftonline.com/tenant/saml2?SAMLRequest=" + url.QueryEscape(deflated) + "&RelayState=" + relay + "&SigAlg=" + url.QueryEscape("http://www.w3.org/2001/04/xmldsig-more#rsa-sha256") + "&Signature=" + url.QueryEscape(base64.StdEncoding.EncodeToString([]byte("sig")))}
	}
	acsText := harReq{Method: "POST", URL: "https://signin.aws.amazon.com/saml", Text: "SAMLResponse=" + url.QueryEscape(posted) + "&RelayState=%2Fconsole"}
	acsParams := harReq{Method: "POST", URL: "https://signin.aws.amazon.com/saml?x=1", Params: [][2]string{{"SAMLResponse", url.QueryEscape(posted)}, {"RelayState", "%2Fconsole"}}}
	acsRawParams := harReq{Method: "POST", URL: "https://signin.aws.amazon.com/saml", Params: [][2]string{{"RelayState", "/console"}, {"SAMLResponse", posted}}}

	tests := []struct {
		name     string
		har      []byte
		xml      []byte
		form     string
		entry    int
		param    string
		relay    string
		deflated bool
		signed   bool
	}{
		{"postData.text form body", harBuild(t, page, acsText), entraXML, "HAR entry 2 of 2: POST https://signin.aws.amazon.com/saml", 2, "SAMLResponse", "/console", false, false},
		{"postData.params, percent-encoded", harBuild(t, acsParams, page), entraXML, "HAR entry 1 of 2: POST https://signin.aws.amazon.com/saml", 1, "SAMLResponse", "/console", false, false},
		{"postData.params, decoded", harBuild(t, acsRawParams), entraXML, "HAR entry 1 of 1: POST https://signin.aws.amazon.com/saml", 1, "SAMLResponse", "/console", false, false},
		{"Redirect URL, the last of several requests", harBuild(t, page, redirect("r1"), page, redirect("r2"), page), reqXML, "HAR entry 4 of 5: GET https://login.microsoftonline.com/tenant/saml2", 4, "SAMLRequest", "r2", true, true},
		{"the response wins over a later request", harBuild(t, redirect("r1"), acsText, redirect("r2"), page), entraXML, "HAR entry 2 of 4: POST https://signin.aws.amazon.com/saml", 2, "SAMLResponse", "/console", false, false},
		{"long method and URL shown cut", harBuild(t, harReq{Method: strings.Repeat("M", 40), URL: "https://sp.example/" + strings.Repeat("p", 300) + "?SAMLResponse=" + url.QueryEscape(posted)}), entraXML, "HAR entry 1 of 1: " + strings.Repeat("M", 16) + "... https://sp.example/" + strings.Repeat("p", 200-len("https://sp.example/")) + "...", 1, "SAMLResponse", "", false, false},
		{"the last response of two", harBuild(t, acsRawParams, redirect("r1"), acsText), entraXML, "HAR entry 3 of 3: POST https://signin.aws.amazon.com/saml", 3, "SAMLResponse", "/console", false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			msg, err := Decode(tt.har)
			if err != nil {
				t.Fatalf("Decode: %v", err)
			}
			if !bytes.Equal(msg.XML, tt.xml) {
				t.Errorf("XML differs: got %.80q...", msg.XML)
			}
			got := [...]any{msg.Form, msg.HAREntry, msg.Param, msg.RelayState, msg.Deflated, msg.SignedQuery != ""}
			want := [...]any{tt.form, tt.entry, tt.param, tt.relay, tt.deflated, tt.signed}
			if got != want {
				t.Errorf("Form, HAREntry, Param, RelayState, Deflated, signed = %v\nwant %v", got, want)
			}
		})
	}
}

// A HAR read through Inspect gives the same report as the posted value,
// and its summary names the entry.
func TestInspectHAR(t *testing.T) {
	posted := harTestEntra(t)
	har := harBuild(t, harReq{Method: "GET", URL: "https://myapps.microsoft.com/"},
		harReq{Method: "POST", URL: "https://signin.aws.amazon.com/saml", Text: "SAMLResponse=" + url.QueryEscape(posted) + "&RelayState="})
	opts := InspectOptions{Certificates: nil, Now: func() time.Time { return rtEntraTime }}
	fromHAR, err := Inspect(har, opts)
	if err != nil {
		t.Fatalf("Inspect(HAR): %v", err)
	}
	direct, err := Inspect([]byte(posted), opts)
	if err != nil {
		t.Fatal(err)
	}
	if fromHAR.Kind != KindResponse || fromHAR.View.ID != direct.View.ID || fromHAR.View.Assertion.NameID != direct.View.Assertion.NameID {
		t.Errorf("HAR report: %s %s; want the posted value's %s", fromHAR.Kind, fromHAR.View.ID, direct.View.ID)
	}
	if b := fromHAR.Binding(); b != "HTTP-POST binding" {
		t.Errorf("Binding = %q", b)
	}
	rows := fromHAR.Summary(rtEntraTime)
	want := "Response (HAR entry 2 of 2: POST https://signin.aws.amazon.com/saml, 6296 base64 characters)"
	if len(rows) == 0 || rows[0].Name != "Message" || rows[0].Value != want {
		t.Errorf("first summary row = %v; want Message %q", rows[:1], want)
	}
}

func TestDecodeHARErrors(t *testing.T) {
	posted := harTestEntra(t)
	page := harReq{Method: "GET", URL: "https://console.aws.amazon.com/?a=b"}
	tests := []struct {
		name  string
		input []byte
		want  string
	}{
		{"no SAML message", harBuild(t, page, page, harReq{Method: "POST", URL: "https://x/", Text: "a=b"}), "the HAR file holds 3 requests and none carries SAMLRequest or SAMLResponse"},
		{"no entries", []byte(`{"log":{"version":"1.2","entries":[]}}`), "the HAR file holds 0 requests and none carries"},
		{"one entry", harBuild(t, page), "the HAR file holds 1 request and it does not carry SAMLRequest or SAMLResponse"},
		{"truncated JSON", []byte(`{"log": {"entries": [ {"request": `), "starts with '{' but is not a HAR file (JSON with log.entries): unexpected end of JSON input"},
		{"malformed JSON", []byte(`{"log": {"entries": [ {"request": x}]}}`), "not a HAR file (JSON with log.entries): invalid character 'x' looking for beginning of value at byte 35 of 39"},
		{"JSON that is not HAR", []byte(`{"SAMLResponse": "PHNhbWw+"}`), "the input is JSON but not a HAR file: it has no log.entries"},
		{"entries of the wrong type", []byte(`{"log":{"entries":{}}}`), "not a HAR file (JSON with log.entries): json: cannot unmarshal"},
		{"chosen entry is corrupt", harBuild(t, harReq{Method: "POST", URL: "https://signin.aws.amazon.com/saml", Text: "SAMLResponse=" + posted[:101]}), "HAR entry 1 of 1: POST https://signin.aws.amazon.com/saml: saml: malformed message: input is not XML, and its base64 is truncated or corrupt"},
		{"two SAML params", harBuild(t, harReq{Method: "POST", URL: "https://a/", Params: [][2]string{{"SAMLResponse", posted}, {"SAMLRequest", posted}}}), "want exactly one SAML parameter"},
		{"too large", append(harBuild(t, harReq{Method: "POST", URL: "https://a/", Text: "SAMLResponse=" + url.QueryEscape(posted)}), bytes.Repeat([]byte(" "), MaxHARBytes)...), "the limit is 67108864"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			msg, err := Decode(tt.input)
			if err == nil {
				t.Fatalf("Decode succeeded: %s", msg.Form)
			}
			if !errors.Is(err, ErrMalformed) {
				t.Errorf("err = %v; want it to wrap ErrMalformed", err)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v\nwant it to contain %q", err, tt.want)
			}
		})
	}
}

// A HAR of a few MiB, mostly page content, is read: above the bound of
// every other form (MaxInputBytes), below MaxHARBytes.
func TestDecodeHARLarge(t *testing.T) {
	posted := harTestEntra(t)
	filler := strings.Repeat("x", 64<<10)
	var reqs []harReq
	for i := 0; i < 80; i++ {
		reqs = append(reqs, harReq{Method: "POST", URL: "https://console.aws.amazon.com/api", Text: "blob=" + filler})
	}
	reqs = append(reqs, harReq{Method: "POST", URL: "https://signin.aws.amazon.com/saml", Text: "SAMLResponse=" + url.QueryEscape(posted)})
	har := harBuild(t, reqs...)
	if len(har) <= MaxInputBytes || len(har) > MaxHARBytes {
		t.Fatalf("test HAR is %d bytes; want between %d and %d", len(har), MaxInputBytes, MaxHARBytes)
	}
	msg, err := Decode(har)
	if err != nil {
		t.Fatal(err)
	}
	if msg.HAREntry != 81 || msg.Param != "SAMLResponse" {
		t.Errorf("entry %d param %q; want 81 SAMLResponse", msg.HAREntry, msg.Param)
	}
	// The same bytes in any other form stay bounded by MaxInputBytes.
	if _, err := Decode(append([]byte("SAMLResponse="), har...)); err == nil || !strings.Contains(err.Error(), "the limit is 2097152") {
		t.Errorf("a non-HAR input of %d bytes: %v", len(har)+13, err)
	}
}

// BenchmarkDecodeHAR: a HAR near the 2 MiB bound, mostly page content.
func BenchmarkDecodeHAR(b *testing.B) {
	posted := harTestEntra(b)
	var reqs []harReq
	for i := 0; i < 30; i++ {
		reqs = append(reqs, harReq{Method: "POST", URL: "https://console.aws.amazon.com/api", Text: "blob=" + strings.Repeat("x", 64<<10)})
	}
	reqs = append(reqs, harReq{Method: "POST", URL: "https://signin.aws.amazon.com/saml", Text: "SAMLResponse=" + url.QueryEscape(posted)})
	har := harBuild(b, reqs...)
	b.SetBytes(int64(len(har)))
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, err := Decode(har); err != nil {
			b.Fatal(err)
		}
	}
}

// A request taken from a HAR names its entry in the summary too, beside
// the binding.
func TestInspectHARRequestSummary(t *testing.T) {
	deflated := base64.StdEncoding.EncodeToString(rtDeflate(t, []byte(itAuthnRequest)))
	har := harBuild(t, harReq{Method: "GET", URL: "https://console.aws.amazon.com/"},
		harReq{Method: "GET", URL: "https://login.microsoftonline.com/tenant/saml2?SAMLRequest=" + url.QueryEscape(deflated) + "&RelayState=r"})
	rep, err := Inspect(har, InspectOptions{})
	if rep == nil {
		t.Fatalf("Inspect(HAR): %v", err)
	}
	rows := rep.Summary(rtEntraTime)
	want := "AuthnRequest (HTTP-Redirect binding, HAR entry 2 of 2: GET https://login.microsoftonline.com/tenant/saml2)"
	if len(rows) == 0 || rows[0].Name != "Message" || rows[0].Value != want {
		t.Errorf("first summary row = %v; want Message %q", rows[:1], want)
	}
}
