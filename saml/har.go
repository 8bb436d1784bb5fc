package saml

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strings"
)

// harFile is the part of a HAR 1.2 file (http://www.softwareishard.com/blog/har-12-spec/)
// Decode reads: each entry's request. Responses, headers, cookies and
// timings are not decoded.
type harFile struct {
	Log *struct {
		Entries *[]harEntry `json:"entries"`
	} `json:"log"`
}

type harEntry struct {
	Request struct {
		Method   string `json:"method"`
		URL      string `json:"url"`
		PostData *struct {
			Text   string `json:"text"`
			Params []struct {
				Name  string `json:"name"`
				Value string `json:"value"`
			} `json:"params"`
		} `json:"postData"`
	} `json:"request"`
}

// harMaxURLShown and harMaxMethodShown bound the URL and the method
// shown in Message.Form: a HAR is outside input.
const (
	harMaxURLShown    = 200
	harMaxMethodShown = 16
)

// harCarrier says where in an entry's request the SAML message is.
type harCarrier int

const (
	harNone   harCarrier = iota
	harText              // request.postData.text, a form body
	harParams            // request.postData.params
	harURL               // the query of request.url
)

// harFind says which SAML parameter an entry's request carries and where:
// the posted body (text, else params) before the URL query.
func harFind(e *harEntry) (param string, where harCarrier) {
	if pd := e.Request.PostData; pd != nil {
		if decodeIsForm(pd.Text) {
			return harFormParam(pd.Text), harText
		}
		for _, p := range pd.Params {
			if p.Name == "SAMLResponse" || p.Name == "SAMLRequest" {
				return p.Name, harParams
			}
		}
	}
	if _, query, ok := strings.Cut(e.Request.URL, "?"); ok {
		query, _, _ = strings.Cut(query, "#")
		if decodeIsForm(query) {
			return harFormParam(query), harURL
		}
	}
	return "", harNone
}

// harFormParam names the SAML parameter of a form body decodeIsForm
// accepted; SAMLResponse wins when both are present (decodeForm then
// refuses the body).
func harFormParam(s string) string {
	for _, pair := range strings.Split(s, "&") {
		if strings.HasPrefix(pair, "SAMLResponse=") {
			return "SAMLResponse"
		}
	}
	return "SAMLRequest"
}

// decodeHAR takes the SAML message out of a HAR file: of the entries whose
// request carries SAMLResponse or SAMLRequest (as a posted form body in
// postData.text, a postData.params entry, or in the URL query), the LAST
// one carrying a SAMLResponse, or when none does the last one carrying a
// SAMLRequest. That is the message a person debugging a failed sign-in
// wants: the response the browser posted last to the service provider.
// Within an entry the posted body is read before the URL. Message.Form
// and Message.HAREntry name the entry.
func decodeHAR(input []byte) (*Message, error) {
	var har harFile
	if err := json.Unmarshal(input, &har); err != nil {
		var syntax *json.SyntaxError
		if errors.As(err, &syntax) {
			err = fmt.Errorf("%v at byte %d of %d", err, syntax.Offset, len(input))
		}
		return nil, fmt.Errorf("%w: the input starts with '{' but is not a HAR file (JSON with log.entries): %v", ErrMalformed, err)
	}
	if har.Log == nil || har.Log.Entries == nil {
		return nil, fmt.Errorf("%w: the input is JSON but not a HAR file: it has no log.entries", ErrMalformed)
	}
	entries := *har.Log.Entries
	pick, pickWhere, pickParam := -1, harNone, ""
	for i := range entries {
		param, where := harFind(&entries[i])
		if where == harNone {
			continue
		}
		if param == "SAMLResponse" || pickParam != "SAMLResponse" {
			pick, pickWhere, pickParam = i, where, param
		}
	}
	if pick < 0 {
		held := fmt.Sprintf("%d requests and none carries", len(entries))
		if len(entries) == 1 {
			held = "1 request and it does not carry"
		}
		return nil, fmt.Errorf("%w: the HAR file holds %s SAMLRequest or SAMLResponse (in its URL query or posted form)", ErrMalformed, held)
	}
	e := &entries[pick]
	shown := e.Request.URL
	shown, _, _ = strings.Cut(shown, "?")
	if len(shown) > harMaxURLShown {
		shown = shown[:harMaxURLShown] + "..."
	}
	method := e.Request.Method
	if len(method) > harMaxMethodShown {
		method = method[:harMaxMethodShown] + "..."
	}
	form := fmt.Sprintf("HAR entry %d of %d: %s %s", pick+1, len(entries), method, shown)

	var msg *Message
	var err error
	switch pickWhere {
	case harText:
		msg, err = decodeValue(strings.TrimSpace(e.Request.PostData.Text))
	case harURL:
		msg, err = decodeValue(strings.TrimSpace(e.Request.URL))
	case harParams:
		msg, err = harDecodeParams(e, pickParam)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", form, err)
	}
	msg.Form, msg.HAREntry = form, pick+1
	return msg, nil
}

// harDecodeParams decodes a message given as postData.params. Browsers
// differ on whether the values are still percent-encoded: the SAML value
// is decoded as Decode decodes a bare value (either works), and
// RelayState is unescaped when it unescapes.
func harDecodeParams(e *harEntry, param string) (*Message, error) {
	var value, relay string
	var seen, relaySeen bool
	for _, p := range e.Request.PostData.Params {
		switch p.Name {
		case "SAMLResponse", "SAMLRequest":
			if seen {
				return nil, fmt.Errorf("%w: the posted form carries %s and %s; want exactly one SAML parameter", ErrMalformed, param, p.Name)
			}
			seen, value = true, p.Value
		case "RelayState":
			if relaySeen {
				return nil, fmt.Errorf("%w: the posted form carries RelayState twice", ErrMalformed)
			}
			relaySeen, relay = true, p.Value
			if strings.Contains(relay, "%") {
				if u, err := url.QueryUnescape(relay); err == nil {
					relay = u
				}
			}
		}
	}
	msg, err := decodeValue(strings.TrimSpace(value))
	if err != nil {
		return nil, err
	}
	msg.Param, msg.RelayState = param, relay
	return msg, nil
}
