package saml

import (
	"bytes"
	"compress/flate"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strings"
)

// ErrMalformed is wrapped by the errors Decode returns for input that is not
// a SAML message in any accepted form, and by Read and ParseSafe for a
// document whose root is not one they accept.
var ErrMalformed = errors.New("saml: malformed message")

// Decode limits.
const (
	// readMaxInput bounds the input Decode accepts, in bytes.
	readMaxInput = 2 << 20
	// harMaxInput bounds a HAR file instead: a browser saves the pages'
	// content with the requests, so the HAR of one sign-in is often
	// several MiB. Only the requests are decoded, and the message taken
	// from one still goes through the readMaxInput-sized paths.
	harMaxInput = 64 << 20
	// readMaxInflated bounds what a DEFLATE-compressed (HTTP-Redirect
	// binding) message may inflate to. AuthnRequests are < 10 KB; the cap
	// stops decompression bombs (about 1000:1) cheaply.
	readMaxInflated = 256 << 10
)

// Message is a SAML message taken out of the form it was carried in.
type Message struct {
	// XML is the message itself.
	XML []byte
	// Param is the form parameter the message came in: "SAMLResponse",
	// "SAMLRequest", or "" when a bare value or raw XML was given.
	Param string
	// RelayState is the RelayState parameter of a form body or URL, decoded.
	RelayState string
	// Deflated is true when the message was DEFLATE-compressed (the
	// HTTP-Redirect binding).
	Deflated bool
	// Base64Len is the length of the base64 text as received (white space
	// removed), or for raw XML the length its base64 encoding would have:
	// what AWS limits to 100,000 characters.
	Base64Len int
	// SigAlg and Signature are the HTTP-Redirect binding's query
	// signature, decoded, when the input was a URL or query string
	// carrying them; SignedQuery is the exact text they sign
	// ("SAMLRequest=...&RelayState=...&SigAlg=...", as received).
	SigAlg      string
	Signature   []byte
	SignedQuery string
	// Form names the input form recognised: "xml", "base64", "url-encoded"
	// (a percent-encoded base64 value), "form" (a form body with
	// SAMLResponse= or SAMLRequest=) or "url" (a URL whose query carries
	// the message), or for a HAR file the entry the message came from:
	// "HAR entry 7 of 12: POST https://signin.aws.amazon.com/saml" (the
	// URL without its query).
	Form string
	// HAREntry is the 1-based index, in log.entries, of the HAR entry the
	// message came from; 0 when the input was not a HAR file.
	HAREntry int
}

// Decode takes a SAML message out of what a user pasted or a server
// received. It accepts, after trimming white space and a byte order mark:
//   - raw XML (starting with '<');
//   - base64 in the standard or URL alphabet, padded or not, wrapped over
//     lines or not;
//   - a percent-encoded base64 value (%2B, %3D ...);
//   - a form body "SAMLResponse=...&RelayState=..." or "SAMLRequest=...";
//   - a URL whose query carries SAMLRequest or SAMLResponse (the
//     HTTP-Redirect binding);
//   - a HAR file (HAR 1.2 JSON, as a browser's developer tools save it):
//     the message is taken from the request of one entry, see decodeHAR
//     for which.
//
// Base64 that decodes to DEFLATE data is inflated (at most 256 KiB). Input
// above 2 MiB is refused, a HAR file above 64 MiB (MaxHARBytes). Errors wrap ErrMalformed. Decode does not parse
// the XML: Read and ParseSafe do.
func Decode(input []byte) (*Message, error) {
	if len(input) > harMaxInput || len(input) > readMaxInput && !decodeLooksHAR(input) {
		limit := readMaxInput
		if decodeLooksHAR(input) {
			limit = harMaxInput
		}
		return nil, fmt.Errorf("%w: input is %d bytes; the limit is %d", ErrMalformed, len(input), limit)
	}
	s := strings.TrimSpace(strings.TrimPrefix(string(input), "\ufeff"))
	if s == "" {
		return nil, fmt.Errorf("%w: input is empty", ErrMalformed)
	}
	if s[0] == '{' {
		return decodeHAR([]byte(s))
	}
	return decodeValue(s)
}

// decodeLooksHAR reports whether input starts, after a byte order mark and
// white space, with '{': the only JSON Decode reads is a HAR file.
func decodeLooksHAR(input []byte) bool {
	b := bytes.TrimLeft(bytes.TrimPrefix(input, []byte("\ufeff")), " \t\r\n")
	return len(b) > 0 && b[0] == '{'
}

// decodeValue is Decode for trimmed input that is not a HAR file: a HAR
// entry's form body, URL or parameter value goes through it too.
func decodeValue(s string) (*Message, error) {
	if s == "" {
		return nil, fmt.Errorf("%w: input is empty", ErrMalformed)
	}
	if s[0] == '<' {
		return &Message{XML: []byte(s), Base64Len: base64.StdEncoding.EncodedLen(len(s)), Form: "xml"}, nil
	}
	msg := &Message{Form: "base64"}
	value := s
	if lower := strings.ToLower(s); strings.HasPrefix(lower, "http://") || strings.HasPrefix(lower, "https://") {
		_, query, found := strings.Cut(s, "?")
		if !found {
			return nil, fmt.Errorf("%w: the URL has no query with SAMLRequest or SAMLResponse", ErrMalformed)
		}
		query, _, _ = strings.Cut(query, "#")
		value = query
		msg.Form = "url"
	}
	if decodeIsForm(value) {
		param, raw, relay, err := decodeForm(value, msg)
		if err != nil {
			return nil, err
		}
		msg.Param, msg.RelayState, value = param, relay, raw
		if msg.Form != "url" {
			msg.Form = "form"
		}
	} else if msg.Form == "url" {
		return nil, fmt.Errorf("%w: the URL query has no SAMLRequest or SAMLResponse parameter", ErrMalformed)
	}
	if strings.Contains(value, "%") {
		unescaped, err := url.PathUnescape(value)
		if err != nil {
			return nil, fmt.Errorf("%w: bad percent-encoding: %v", ErrMalformed, err)
		}
		value = unescaped
		if msg.Form == "base64" {
			msg.Form = "url-encoded"
		}
	}
	if t := strings.TrimSpace(value); strings.HasPrefix(t, "<") {
		msg.XML = []byte(t)
		msg.Base64Len = base64.StdEncoding.EncodedLen(len(t))
		return msg, nil
	}
	b64 := decodeNormalizeBase64(value)
	msg.Base64Len = len(b64)
	raw, err := decodeBase64(b64)
	if err != nil {
		return nil, err
	}
	if decodeLooksXML(raw) {
		msg.XML = bytes.TrimSpace(bytes.TrimPrefix(raw, []byte("\ufeff")))
		return msg, nil
	}
	inflated, err := decodeInflate(raw)
	if err != nil {
		return nil, err
	}
	if !decodeLooksXML(inflated) {
		return nil, fmt.Errorf("%w: the inflated message is not XML", ErrMalformed)
	}
	msg.XML = bytes.TrimSpace(bytes.TrimPrefix(inflated, []byte("\ufeff")))
	msg.Deflated = true
	return msg, nil
}

// decodeIsForm reports whether s looks like a form body or query string
// carrying a SAML message.
func decodeIsForm(s string) bool {
	for _, p := range []string{"SAMLResponse=", "SAMLRequest="} {
		if strings.HasPrefix(s, p) || strings.Contains(s, "&"+p) {
			return true
		}
	}
	return false
}

// decodeForm splits a form body into the SAML parameter (still encoded) and
// the decoded RelayState. Two SAML parameters, or a repeated one, are
// refused: which one a server would read is ambiguous.
func decodeForm(s string, msg *Message) (param, value, relayState string, err error) {
	relaySeen := false
	var rawRelay, rawSigAlg, rawSig string
	sigSeen := map[string]bool{}
	defer func() {
		if err != nil || rawSig == "" {
			return
		}
		// The Redirect binding signs the raw query text (bindings
		// §3.4.4.1): param, RelayState when present, SigAlg.
		sig, serr := base64.StdEncoding.DecodeString(decodeNormalizeBase64(rawSig))
		if serr != nil {
			return // reported as an unverifiable signature by the reader
		}
		alg, _ := url.QueryUnescape(rawSigAlg)
		signed := param + "=" + value
		if relaySeen {
			signed += "&RelayState=" + rawRelay
		}
		signed += "&SigAlg=" + rawSigAlg
		msg.SigAlg, msg.Signature, msg.SignedQuery = alg, sig, signed
	}()
	for _, pair := range strings.Split(s, "&") {
		k, v, _ := strings.Cut(pair, "=")
		key, kerr := url.QueryUnescape(k)
		if kerr != nil {
			continue
		}
		switch key {
		case "SAMLResponse", "SAMLRequest":
			if param != "" {
				return "", "", "", fmt.Errorf("%w: the form carries %s and %s; want exactly one SAML parameter", ErrMalformed, param, key)
			}
			param, value = key, v
		case "RelayState":
			if relaySeen {
				return "", "", "", fmt.Errorf("%w: the form carries RelayState twice", ErrMalformed)
			}
			relaySeen = true
			rawRelay = v
			rs, rerr := url.QueryUnescape(v)
			if rerr != nil {
				return "", "", "", fmt.Errorf("%w: bad percent-encoding in RelayState: %v", ErrMalformed, rerr)
			}
			relayState = rs
		case "SigAlg", "Signature":
			if sigSeen[key] {
				return "", "", "", fmt.Errorf("%w: the query carries %s twice", ErrMalformed, key)
			}
			sigSeen[key] = true
			if key == "SigAlg" {
				rawSigAlg = v
			} else {
				rawSig = v
				if v, uerr := url.QueryUnescape(v); uerr == nil {
					rawSig = v
				}
			}
		}
	}
	return param, value, relayState, nil
}

// decodeNormalizeBase64 removes line breaks and indentation, turns the
// spaces a form decoder makes of '+' back into '+', and maps the URL
// alphabet onto the standard one.
func decodeNormalizeBase64(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, line := range strings.FieldsFunc(s, func(r rune) bool { return r == '\n' || r == '\r' || r == '\t' }) {
		line = strings.Trim(line, " ")
		for i := 0; i < len(line); i++ {
			switch c := line[i]; c {
			case ' ':
				b.WriteByte('+')
			case '-':
				b.WriteByte('+')
			case '_':
				b.WriteByte('/')
			default:
				b.WriteByte(c)
			}
		}
	}
	return b.String()
}

// decodeBase64 decodes normalized base64, padded or not.
func decodeBase64(s string) ([]byte, error) {
	trimmed := strings.TrimRight(s, "=")
	raw, err := base64.RawStdEncoding.DecodeString(trimmed)
	if err != nil {
		var corrupt base64.CorruptInputError
		if errors.As(err, &corrupt) {
			at := int(corrupt)
			detail := ""
			if at < len(trimmed) {
				detail = fmt.Sprintf(" (%q)", trimmed[at])
			}
			return nil, fmt.Errorf("%w: input is not XML, and its base64 is truncated or corrupt at character %d of %d%s", ErrMalformed, at, len(s), detail)
		}
		return nil, fmt.Errorf("%w: bad base64: %v", ErrMalformed, err)
	}
	if len(raw) == 0 {
		return nil, fmt.Errorf("%w: base64 decodes to nothing", ErrMalformed)
	}
	return raw, nil
}

// decodeInflate inflates raw DEFLATE data through a limited reader.
func decodeInflate(data []byte) ([]byte, error) {
	src := bytes.NewReader(data)
	r := flate.NewReader(src)
	defer r.Close()
	out, err := io.ReadAll(io.LimitReader(r, readMaxInflated+1))
	if err != nil {
		return nil, fmt.Errorf("%w: the decoded base64 is neither XML nor complete DEFLATE data (%v)", ErrMalformed, err)
	}
	if len(out) > readMaxInflated {
		return nil, fmt.Errorf("%w: the DEFLATE-compressed message inflates to more than %d bytes", ErrMalformed, readMaxInflated)
	}
	if n := src.Len(); n > 0 {
		return nil, fmt.Errorf("%w: %d trailing bytes after the end of the DEFLATE data", ErrMalformed, n)
	}
	return out, nil
}

// decodeLooksXML reports whether b starts, after white space and a byte
// order mark, with '<'.
func decodeLooksXML(b []byte) bool {
	b = bytes.TrimLeft(bytes.TrimPrefix(b, []byte("\ufeff")), " \t\r\n")
	return len(b) > 0 && b[0] == '<'
}
