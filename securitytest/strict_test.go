package securitytest

import (
	"bufio"
	"encoding/base64"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// Strictness rows of issue 13 (items 7-9): malformed AuthnRequest IDs,
// trailing bytes after DEFLATE data and oversized bodies all get an HTTP
// status, never a response and never a reset connection.

// withID sets the ID attribute of an AuthnRequest to raw (already escaped
// for an XML attribute).
func withID(xml, raw string) string {
	return regexpReplace(xml, ` ID="[^"]*"`, ` ID="`+raw+`"`)
}

func TestRequestIDMustBeNCName(t *testing.T) {
	e := newEnv(t)
	b := e.signedInBrowser()
	bad := []struct{ name, raw string }{
		{"leading digit", "1abc"},
		{"quote", "_a&quot;b"},
		{"angle brackets", "_a&lt;script&gt;"},
		{"space", "_a b"},
		{"colon", "_a:b"},
		{"empty after trim", " "},
		{"too long", "_" + strings.Repeat("a", 300)},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			for _, binding := range bindings {
				xml := withID(e.authnXML(authn{Issuer: e.testSPEntity()}), tt.raw)
				r := b.sso(binding, xml, "")
				e.refused(t, r, http.StatusBadRequest, "Bad SAML request")
				if !strings.Contains(r.body, "ID") {
					t.Errorf("%s: the page does not name the ID:\n%s", binding, trim(r.body))
				}
			}
		})
	}
	// Controls: NCNames up to the bound are answered.
	for _, id := range []string{"_ok-1.2", "a" + strings.Repeat("b", 255), "id-" + "\u00e9t\u00e9"} {
		if x, _, _ := posted(t, b.sso("redirect", withID(e.authnXML(authn{Issuer: e.testSPEntity()}), id), "")); x == "" {
			t.Errorf("ID %.20q… refused", id)
		}
	}
	e.alive(t)
}

func TestRedirectTrailingBytesAfterDeflate(t *testing.T) {
	e := newEnv(t)
	b := e.signedInBrowser()
	xml := e.authnXML(authn{Issuer: e.testSPEntity()})
	for _, tail := range []string{"x", "\x00\x00\x00\x00", "<samlp:AuthnRequest/>"} {
		comp := append(deflate([]byte(xml)), tail...)
		q := "SAMLRequest=" + url.QueryEscape(base64.StdEncoding.EncodeToString(comp))
		e.refused(t, b.get("/sso?"+q), http.StatusBadRequest, "trailing")
	}
	// Control: the same request without the tail is answered.
	if x, _, _ := posted(t, b.get("/sso?"+redirectQuery(xml, ""))); x == "" {
		t.Error("the request without trailing bytes was refused")
	}
}

// rawResult is what a plain TCP client saw of one POST.
type rawResult struct {
	status   string // the status line, "" if none arrived
	writeErr error  // the first error writing the body (a reset or a closed pipe)
	endErr   error  // how the connection ended after the response: io.EOF is a clean close
}

// rawPost sends a POST over a plain TCP connection, writing the whole body
// first as a naive client (or a load balancer) does, then reads the status
// line and the rest of the connection.
func rawPost(t *testing.T, base, path string, header string, body []byte) rawResult {
	t.Helper()
	u, _ := url.Parse(base)
	conn, err := net.DialTimeout("tcp", u.Host, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(30 * time.Second))
	head := fmt.Sprintf("POST %s HTTP/1.1\r\nHost: %s\r\nContent-Type: application/x-www-form-urlencoded\r\nConnection: close\r\n%s\r\n", path, u.Host, header)
	var res rawResult
	if _, err := conn.Write([]byte(head)); err != nil {
		t.Fatal(err)
	}
	for off := 0; off < len(body); off += 32 << 10 {
		if _, err := conn.Write(body[off:min(off+32<<10, len(body))]); err != nil {
			res.writeErr = err
			break
		}
	}
	br := bufio.NewReader(conn)
	line, err := br.ReadString('\n')
	res.status = strings.TrimSpace(line)
	if err != nil {
		res.endErr = err
		return res
	}
	_, res.endErr = io.Copy(io.Discard, br)
	if res.endErr == nil {
		res.endErr = io.EOF
	}
	return res
}

// wantStatus checks that the client saw one of the statuses and a clean
// end: every body byte accepted, then EOF, never a reset.
func wantStatus(t *testing.T, what string, r rawResult, statuses ...string) {
	t.Helper()
	ok := false
	for _, s := range statuses {
		ok = ok || strings.HasPrefix(r.status, "HTTP/1.1 "+s)
	}
	if !ok {
		t.Errorf("%s: status line %q, want %s", what, r.status, strings.Join(statuses, " or "))
	}
	if r.writeErr != nil {
		t.Errorf("%s: writing the body failed (%v): the server closed before reading it", what, r.writeErr)
	}
	if r.endErr != io.EOF {
		t.Errorf("%s: the connection ended with %v, want a clean close (EOF)", what, r.endErr)
	}
}

func TestSEC06_OversizedBodyGetsAStatus(t *testing.T) {
	e := newEnv(t)
	big := []byte("SAMLRequest=" + strings.Repeat("A", 10<<20))
	t.Run("Content-Length", func(t *testing.T) {
		for _, path := range []string{"/sso", "/test-sp/acs", "/login", "/slo"} {
			r := rawPost(t, e.base, path, fmt.Sprintf("Content-Length: %d\r\n", len(big)), big)
			wantStatus(t, "POST "+path+" with 10 MB", r, "413")
		}
	})
	t.Run("chunked", func(t *testing.T) {
		var chunked strings.Builder
		for off := 0; off < len(big); off += 64 << 10 {
			part := big[off:min(off+64<<10, len(big))]
			fmt.Fprintf(&chunked, "%x\r\n%s\r\n", len(part), part)
		}
		chunked.WriteString("0\r\n\r\n")
		r := rawPost(t, e.base, "/sso", "Transfer-Encoding: chunked\r\n", []byte(chunked.String()))
		wantStatus(t, "chunked 10 MB", r, "413")
	})
	t.Run("deflate bomb posted as a form", func(t *testing.T) {
		body := []byte(url.Values{"SAMLResponse": {base64.StdEncoding.EncodeToString(deflateZeros(t, 512<<20))}}.Encode())
		r := rawPost(t, e.base, "/test-sp/acs", fmt.Sprintf("Content-Length: %d\r\n", len(body)), body)
		wantStatus(t, "deflate bomb", r, "400", "413")
	})
	e.alive(t)
}

// The test SP accepts a response for its lifetime plus the minute of skew
// it allows, so it must remember the response that long: a replay in the
// skew minute after NotOnOrAfter is refused (issue 13 item 12).
func TestTestSPReplayWithinSkew(t *testing.T) {
	for _, tt := range []struct {
		name  string
		start func(e *env, b *browser) string
	}{
		{"IdP-initiated", func(e *env, b *browser) string {
			x, _, _ := posted(t, b.get("/apps/test-sp/start"))
			return x
		}},
		{"SP-initiated", func(e *env, b *browser) string {
			r := b.get("/test-sp/login")
			x, _, _ := posted(t, b.get(r.Header.Get("Location")))
			return x
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			b := e.signedInBrowser()
			x := tt.start(e, b)
			if x == "" {
				t.Fatal("no response issued")
			}
			form := url.Values{"SAMLResponse": {base64.StdEncoding.EncodeToString([]byte(x))}, "RelayState": {"test-sp"}}
			if r := b.post("/test-sp/acs", form); r.StatusCode != http.StatusOK || !strings.Contains(r.body, "Verified") {
				t.Fatalf("first post = %d\n%s", r.StatusCode, trim(r.body))
			}
			// Past NotOnOrAfter (5 minutes) but within the minute of skew.
			e.advance(5*time.Minute + 30*time.Second)
			r := b.post("/test-sp/acs", form)
			if r.StatusCode != http.StatusBadRequest || strings.Contains(r.body, "Verified") {
				t.Fatalf("replay 30 s after NotOnOrAfter = %d, want 400 (replay)\n%s", r.StatusCode, trim(r.body))
			}
			if !strings.Contains(r.body, "replay") && !strings.Contains(r.body, "already received") {
				t.Errorf("the refusal does not name the replay:\n%s", trim(r.body))
			}
		})
	}
}
