package saml

import (
	"bytes"
	"compress/flate"
	"encoding/base64"
	"errors"
	"net/url"
	"strings"
	"testing"
)

func rtDeflate(t testing.TB, b []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	w, err := flate.NewWriter(&buf, flate.BestCompression)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write(b); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// rtWrap breaks s into lines of n characters.
func rtWrap(s string, n int) string {
	var b strings.Builder
	for len(s) > n {
		b.WriteString(s[:n] + "\r\n")
		s = s[n:]
	}
	b.WriteString(s)
	return b.String()
}

func TestDecodeForms(t *testing.T) {
	posted := strings.TrimSpace(string(rtEntraB64(t)))
	wantXML, err := base64.StdEncoding.DecodeString(posted)
	if err != nil {
		t.Fatal(err)
	}
	rawURL := base64.RawURLEncoding.EncodeToString(wantXML)
	deflated := base64.StdEncoding.EncodeToString(rtDeflate(t, wantXML))

	tests := []struct {
		name       string
		input      string
		form       string
		param      string
		relayState string
		deflated   bool
		base64Len  int
	}{
		{"Entra fixture as posted", string(rtEntraB64(t)), "base64", "", "", false, len(posted)},
		{"raw XML", "\n  " + string(wantXML) + "\n", "xml", "", "", false, len(posted)},
		{"raw XML with byte order mark", "\ufeff" + string(wantXML), "xml", "", "", false, len(posted)},
		{"base64 wrapped at 76 columns", rtWrap(posted, 76), "base64", "", "", false, len(posted)},
		{"base64 wrapped and indented", "    " + strings.ReplaceAll(rtWrap(posted, 64), "\r\n", "\n    "), "base64", "", "", false, len(posted)},
		{"URL alphabet without padding", rawURL, "base64", "", "", false, len(rawURL)},
		{"Entra fixture URL-encoded", url.QueryEscape(posted), "url-encoded", "", "", false, len(posted)},
		{"plus signs turned into spaces", strings.ReplaceAll(posted, "+", " "), "base64", "", "", false, len(posted)},
		{"Entra fixture in a form body", "SAMLResponse=" + url.QueryEscape(posted) + "&RelayState=" + url.QueryEscape("https://console.aws.amazon.com/?a=1&b=2"), "form", "SAMLResponse", "https://console.aws.amazon.com/?a=1&b=2", false, len(posted)},
		{"form body, RelayState first, unescaped base64", "RelayState=abc+def&SAMLResponse=" + posted, "form", "SAMLResponse", "abc def", false, len(posted)},
		{"SAMLRequest deflated in a form body", "SAMLRequest=" + url.QueryEscape(deflated) + "&RelayState=xyz", "form", "SAMLRequest", "xyz", true, len(deflated)},
		{"Redirect binding URL", "https://idp.example.com/sso?SAMLRequest=" + url.QueryEscape(deflated) + "&RelayState=r1&SigAlg=x#frag", "url", "SAMLRequest", "r1", true, len(deflated)},
		{"bare deflated base64", deflated, "base64", "", "", true, len(deflated)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			msg, err := Decode([]byte(tt.input))
			if err != nil {
				t.Fatalf("Decode: %v", err)
			}
			if !bytes.Equal(msg.XML, wantXML) {
				t.Errorf("XML differs: got %.80q...", msg.XML)
			}
			got := [...]any{msg.Form, msg.Param, msg.RelayState, msg.Deflated, msg.Base64Len}
			want := [...]any{tt.form, tt.param, tt.relayState, tt.deflated, tt.base64Len}
			if got != want {
				t.Errorf("Form, Param, RelayState, Deflated, Base64Len = %v, want %v", got, want)
			}
		})
	}
}

func TestDecodeErrors(t *testing.T) {
	posted := strings.TrimSpace(string(rtEntraB64(t)))
	bomb := base64.StdEncoding.EncodeToString(rtDeflate(t, bytes.Repeat([]byte("<a>"), 200_000)))
	tests := []struct {
		name  string
		input string
		want  string
	}{
		{"empty", " \n\t", "input is empty"},
		{"garbage", "hello, world!", "truncated or corrupt at character 5 of 13 (',')"},
		{"truncated base64", posted[:len(posted)-7], "truncated or corrupt at character"},
		{"base64 of something else", base64.StdEncoding.EncodeToString([]byte("just some text, not XML at all")), "neither XML nor complete DEFLATE data"},
		{"deflate bomb", bomb, "inflates to more than 262144 bytes"},
		{"too large", strings.Repeat("A", 2<<20+1), "the limit is 2097152"},
		{"two SAML parameters", "SAMLResponse=" + posted + "&SAMLResponse=" + posted, "want exactly one SAML parameter"},
		{"RelayState twice", "SAMLResponse=" + posted + "&RelayState=a&RelayState=b", "RelayState twice"},
		{"URL without the message", "https://idp.example.com/sso?foo=bar", "no SAMLRequest or SAMLResponse"},
		{"bad percent-encoding", "abc%zz", "bad percent-encoding"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			msg, err := Decode([]byte(tt.input))
			if err == nil {
				t.Fatalf("Decode succeeded: %s, %.60q...", msg.Form, msg.XML)
			}
			if !errors.Is(err, ErrMalformed) {
				t.Errorf("err = %v; want it to wrap ErrMalformed", err)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v; want it to contain %q", err, tt.want)
			}
		})
	}
}

// A base64 value cut at a multiple of four decodes, but the XML ends early:
// Read says so.
func TestDecodeTruncatedAtBlockBoundary(t *testing.T) {
	posted := strings.TrimSpace(string(rtEntraB64(t)))
	msg, err := Decode([]byte(posted[:4000]))
	if err != nil {
		t.Fatalf("Decode: %v", err)
	}
	_, err = Read(msg, ReadOptions{})
	if !errors.Is(err, ErrUnsafeXML) || !strings.Contains(err.Error(), "not well-formed") && !strings.Contains(err.Error(), "truncated") {
		t.Errorf("Read err = %v; want a not well-formed/truncated error", err)
	}
}

// FuzzDecode feeds arbitrary input to Decode and, when it yields a message,
// to Read without trust anchors: neither may panic.
func FuzzDecode(f *testing.F) {
	posted := rtEntraB64(f)
	f.Add(posted)
	f.Add([]byte("SAMLResponse=" + url.QueryEscape(string(posted)) + "&RelayState=x"))
	f.Add([]byte(url.QueryEscape(string(posted))))
	f.Add([]byte("https://idp/sso?SAMLRequest=" + url.QueryEscape(base64.StdEncoding.EncodeToString(rtDeflate(f, []byte(`<samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="q"/>`))))))
	f.Add([]byte(rtResp + `</samlp:Response>`))
	f.Add([]byte("hello, world!"))
	f.Add(harBuild(f, harReq{Method: "GET", URL: "https://idp/sso?SAMLRequest=x&RelayState=y"}, harReq{Method: "POST", URL: "https://sp/acs", Text: "SAMLResponse=" + url.QueryEscape(string(posted))}))
	f.Add([]byte(`{"log":{"entries":[{"request":{"method":"POST","url":"https://sp/acs","postData":{"params":[{"name":"SAMLResponse","value":"PHNhbWw+"}]}}}]}}`))
	f.Fuzz(func(t *testing.T, input []byte) {
		msg, err := Decode(input)
		if err != nil {
			if msg != nil {
				t.Fatal("message and error")
			}
			return
		}
		if len(msg.XML) == 0 || msg.XML[0] != '<' {
			t.Fatalf("Decode returned %q, which does not start with '<'", msg.XML)
		}
		_, _ = Read(msg, ReadOptions{})
	})
}

func TestDecodeTrailingBytesAfterDeflate(t *testing.T) {
	xml := []byte(`<samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_a" Version="2.0"/>`)
	var buf bytes.Buffer
	w, _ := flate.NewWriter(&buf, flate.BestCompression)
	w.Write(xml)
	w.Close()
	clean := base64.StdEncoding.EncodeToString(buf.Bytes())
	if _, err := Decode([]byte(clean)); err != nil {
		t.Fatalf("Decode(clean) = %v", err)
	}
	tail := base64.StdEncoding.EncodeToString(append(buf.Bytes(), "trailing"...))
	_, err := Decode([]byte(tail))
	if !errors.Is(err, ErrMalformed) || !strings.Contains(err.Error(), "trailing bytes") {
		t.Fatalf("Decode(with trailing bytes) = %v, want ErrMalformed naming the trailing bytes", err)
	}
}
