package saml

import (
	"encoding/xml"
	"errors"
	"fmt"
	"strings"
	"testing"
)

const rtResp = `<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_r1">`

func TestParseSafeRejects(t *testing.T) {
	deep := rtResp + strings.Repeat("<a>", 100_000) + strings.Repeat("</a>", 100_000) + "</samlp:Response>"
	many := rtResp + strings.Repeat("<samlp:Extensions/>", readDefaultMaxElements) + "</samlp:Response>"
	manyAttrs := `<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol"`
	for i := 0; i < 65; i++ {
		manyAttrs += ` a` + strings.Repeat("x", i) + `="1"`
	}
	manyAttrs += `/>`
	tests := []struct {
		name string
		xml  string
		want string
	}{
		{"DOCTYPE", `<!DOCTYPE Response>` + rtResp + `</samlp:Response>`, "DOCTYPE <!DOCTYPE Response> is not allowed"},
		{"entity", `<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>` + rtResp + `&x;</samlp:Response>`, "DOCTYPE"},
		{"undefined entity without DOCTYPE", rtResp + `&x;</samlp:Response>`, "not well-formed"},
		{"two roots", rtResp + `</samlp:Response>` + rtResp + `</samlp:Response>`, "a second root element"},
		{"text before root", `junk` + rtResp + `</samlp:Response>`, `this is not XML: it starts with "junk"`},
		{"text after root", rtResp + `</samlp:Response>junk`, "text after the root element"},
		{"processing instruction", rtResp + `<?evil x?></samlp:Response>`, "processing instruction <?evil?>"},
		{"XML declaration not first", `<!-- c --><?xml version="1.0"?>` + rtResp + `</samlp:Response>`, "processing instruction <?xml?>"},
		{"duplicate ID", rtResp + `<samlp:Extensions ID="_r1"/></samlp:Response>`, `duplicate ID "_r1"`},
		{"duplicate attribute", `<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_a" ID="_b"/>`, "duplicate attribute ID"},
		{"duplicate attribute through two prefixes", `<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:a="urn:x" xmlns:b="urn:x" a:k="1" b:k="2"/>`, "share a local name"},
		{"attributes sharing a local name", `<a xmlns:p="urn:x" URI="#a" p:URI="#b"/>`, "attributes URI and p:URI on <a> share a local name"},
		{"declaration named like an attribute", `<a xmlns:Format="urn:x" Format="f"/>`, "attributes xmlns:Format and Format on <a> share a local name"},
		{"namespaced ID", `<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:a="urn:x" a:ID="_evil" ID="_r1"/>`, "namespaced ID attribute a:ID"},
		{"ID as a namespace declaration", `<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:ID="_evil" ID="_r1"/>`, "namespaced ID attribute xmlns:ID"},
		{"namespaced ID alone", `<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:a="urn:x" a:ID="_evil"/>`, "namespaced ID attribute a:ID"},
		{"ID declaration alone", `<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:ID="_evil"/>`, "namespaced ID attribute xmlns:ID"},
		{"depth bomb", deep, "nested deeper than 64"},
		{"too many elements", many, "more than 20000 elements"},
		{"too many attributes", manyAttrs, "66 attributes; the limit is 64"},
		{"undeclared prefix", `<saml:Assertion ID="x"/>`, `undeclared namespace prefix "saml"`},
		{"name with two colons", `<a:b:c xmlns:a="urn:x"/>`, "not well-formed"},
		{"attribute name with two colons", `<a xmlns:p="urn:x" p:b:c="1"/>`, "not well-formed"},
		{"empty prefix declaration", `<a xmlns:p=""/>`, "empty namespace declaration"},
		{"mismatched end tag", rtResp + `</samlp:Other>`, "closed by"},
		{"truncated", rtResp + `<samlp:Status>`, "inside <samlp:Status>"},
		{"not UTF-8", rtResp + "\xff</samlp:Response>", "not valid UTF-8"},
		{"non-UTF-8 encoding declared", `<?xml version="1.0" encoding="ISO-8859-1"?>` + rtResp + `</samlp:Response>`, "not well-formed"},
		{"no root", `<!-- only a comment -->`, "no root element"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := ParseSafe([]byte(tt.xml), ResponseLimits())
			if err == nil {
				t.Fatalf("ParseSafe accepted it: root %v", doc.Root().Tag)
			}
			if !errors.Is(err, ErrUnsafeXML) {
				t.Errorf("err = %v; want ErrUnsafeXML", err)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v; want it to contain %q", err, tt.want)
			}
		})
	}
}

// A plain truncation or syntax error is named for what it is, not labelled
// "unsafe XML" (which stays for the constructs attacks use); all of them
// still match ErrUnsafeXML.
func TestParseSafeNamesWhatIsWrong(t *testing.T) {
	full := rtResp + `<samlp:Status/></samlp:Response>`
	cut := full[:len(full)-20] // inside the closing tags
	tests := []struct {
		name, xml string
		label     error
		want      string
	}{
		{"cut after a start tag", rtResp + `<samlp:Status>`, ErrTruncatedXML,
			fmt.Sprintf("saml: truncated XML: unexpected end of input after %d bytes, inside <samlp:Status>; the message was cut short", len(rtResp)+len(`<samlp:Status>`))},
		{"cut inside a tag", cut, ErrTruncatedXML, fmt.Sprintf("saml: truncated XML: unexpected end of input after %d bytes", len(cut))},
		{"not XML at all", "hello world", ErrNotWellFormed, `saml: not well-formed XML: this is not XML: it starts with "hello world"`},
		{"empty", "  \n", ErrNotWellFormed, "saml: not well-formed XML: no root element"},
		{"mismatched end tag stays unsafe", rtResp + `</samlp:Other>`, nil, "saml: unsafe XML at line 1, column"},
		{"DOCTYPE stays unsafe", `<!DOCTYPE r>` + full, nil, "saml: unsafe XML at line 1, column 1: DOCTYPE"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseSafe([]byte(tt.xml), ResponseLimits())
			if !errors.Is(err, ErrUnsafeXML) {
				t.Fatalf("err = %v; want it to match ErrUnsafeXML", err)
			}
			if !strings.HasPrefix(err.Error(), tt.want) {
				t.Errorf("err = %v\nwant   %s...", err, tt.want)
			}
			for _, l := range []error{ErrTruncatedXML, ErrNotWellFormed} {
				if errors.Is(err, l) != (l == tt.label) {
					t.Errorf("errors.Is(err, %v) = %v", l, !(l == tt.label))
				}
			}
		})
	}
}

func TestParseSafeAccepts(t *testing.T) {
	tests := []struct {
		name   string
		xml    string
		limits Limits
	}{
		{"response with declaration and comments", `<?xml version="1.0" encoding="UTF-8"?>` + "\n<!-- hi -->\n" + rtResp + `<!-- c --></samlp:Response>` + "\n", ResponseLimits()},
		{"bare assertion", `<Assertion xmlns="urn:oasis:names:tc:SAML:2.0:assertion" ID="a"/>`, ResponseLimits()},
		{"authn request", `<samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="q"/>`, RequestLimits()},
		{"any root with no Roots", `<x xml:lang="en"/>`, Limits{}},
		{"exactly 64 deep", strings.Repeat("<a>", 64) + strings.Repeat("</a>", 64), Limits{}},
		{"custom depth", strings.Repeat("<a>", 100) + strings.Repeat("</a>", 100), Limits{MaxDepth: 100}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := ParseSafe([]byte(tt.xml), tt.limits); err != nil {
				t.Errorf("ParseSafe: %v", err)
			}
		})
	}
}

func TestParseSafeRoots(t *testing.T) {
	tests := []struct {
		name   string
		xml    string
		limits Limits
	}{
		{"request where a response is wanted", `<samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol"/>`, ResponseLimits()},
		{"response where a request is wanted", rtResp + `</samlp:Response>`, RequestLimits()},
		{"right name, wrong namespace", `<Response xmlns="urn:example"/>`, ResponseLimits()},
		{"custom roots", `<r/>`, Limits{Roots: []xml.Name{{Space: "urn:x", Local: "r"}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseSafe([]byte(tt.xml), tt.limits)
			if !errors.Is(err, ErrMalformed) || !strings.Contains(err.Error(), "root element is") {
				t.Errorf("err = %v; want ErrMalformed naming the root", err)
			}
		})
	}
}
