package saml

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/beevik/etree"
)

// Namespaces the reader matches elements against. Prefixed to keep them
// apart from the builder's names in the same package.
const (
	readNSAssertion = "urn:oasis:names:tc:SAML:2.0:assertion"
	readNSProtocol  = "urn:oasis:names:tc:SAML:2.0:protocol"
	readNSMetadata  = "urn:oasis:names:tc:SAML:2.0:metadata"
	readNSDSig      = "http://www.w3.org/2000/09/xmldsig#"
	readNSXML       = "http://www.w3.org/XML/1998/namespace"
)

// ErrUnsafeXML is wrapped by every error ParseSafe returns for XML it
// refuses: input that is not well-formed, or that is well-formed but carries
// constructs used to attack SAML parsers (DOCTYPE, duplicate or namespaced
// ID attributes, content outside the root, excessive nesting).
var ErrUnsafeXML = errors.New("saml: unsafe XML")

// ErrNotWellFormed and ErrTruncatedXML name what is wrong with input that
// is simply not (complete) XML: text that is not XML at all or holds no
// element, or a document cut short, as a message copied only in part is.
// (Syntax errors inside a document stay "unsafe XML": the encoding/xml
// round-trip mutations are among them.) ParseSafe's errors for them read
// "saml: truncated XML: ..." rather than "unsafe XML", and match
// ErrUnsafeXML too (such input is refused all the same).
var (
	ErrNotWellFormed = errors.New("saml: not well-formed XML")
	ErrTruncatedXML  = errors.New("saml: truncated XML")
)

// xmlError reads as its own label and matches ErrUnsafeXML as well.
type xmlError struct {
	label  error
	detail string
}

func (e *xmlError) Error() string   { return e.label.Error() + ": " + e.detail }
func (e *xmlError) Unwrap() []error { return []error{e.label, ErrUnsafeXML} }

func notWellFormed(format string, args ...any) error {
	return &xmlError{ErrNotWellFormed, fmt.Sprintf(format, args...)}
}

// truncated says where a document that ends early ends.
func truncated(n int, stack []parseNSFrame) error {
	d := fmt.Sprintf("unexpected end of input after %d bytes", n)
	if len(stack) > 0 {
		d += fmt.Sprintf(", inside <%s>", parseRawName(stack[len(stack)-1].name))
	}
	return &xmlError{ErrTruncatedXML, d + "; the message was cut short: copy all of it (a SAMLResponse is often several kilobytes)"}
}

// Limits bound what ParseSafe accepts. A zero field takes its default.
type Limits struct {
	// MaxBytes is the largest document accepted. Default 2 MiB.
	MaxBytes int
	// MaxDepth is the deepest element nesting accepted; the root is depth 1.
	// Default 64.
	MaxDepth int
	// MaxElements is the largest number of elements accepted. Default 20,000.
	MaxElements int
	// MaxAttributes is the largest number of attributes (namespace
	// declarations included) on one element. Default 64.
	MaxAttributes int
	// Roots lists the document elements accepted, by namespace URI and
	// local name. Empty accepts any root.
	Roots []xml.Name
}

// Default limits; see Limits.
const (
	readDefaultMaxBytes      = 2 << 20
	readDefaultMaxDepth      = 64
	readDefaultMaxElements   = 20000
	readDefaultMaxAttributes = 64
)

// ResponseLimits returns the default limits with the roots a reader of
// responses accepts: samlp:Response and a bare saml:Assertion.
func ResponseLimits() Limits {
	return Limits{Roots: []xml.Name{
		{Space: readNSProtocol, Local: "Response"},
		{Space: readNSAssertion, Local: "Assertion"},
	}}
}

// RequestLimits returns the default limits with the roots an IdP accepts
// from a service provider: samlp:AuthnRequest, samlp:LogoutRequest and
// samlp:LogoutResponse.
func RequestLimits() Limits {
	return Limits{Roots: []xml.Name{
		{Space: readNSProtocol, Local: "AuthnRequest"},
		{Space: readNSProtocol, Local: "LogoutRequest"},
		{Space: readNSProtocol, Local: "LogoutResponse"},
	}}
}

func (l Limits) withDefaults() Limits {
	if l.MaxBytes <= 0 {
		l.MaxBytes = readDefaultMaxBytes
	}
	if l.MaxDepth <= 0 {
		l.MaxDepth = readDefaultMaxDepth
	}
	if l.MaxElements <= 0 {
		l.MaxElements = readDefaultMaxElements
	}
	if l.MaxAttributes <= 0 {
		l.MaxAttributes = readDefaultMaxAttributes
	}
	return l
}

// ParseSafe parses an XML document from outside after checking, in a
// streaming pre-pass that builds no tree, that it is one a SAML message may
// be. It refuses (with an error wrapping ErrUnsafeXML, naming line and
// column):
//   - DOCTYPE and every other <!...> declaration, so no DTD or entity;
//   - processing instructions other than the XML declaration at the start;
//   - a second root element, or text other than white space outside the root;
//   - duplicate attributes (also two prefixes bound to one namespace), and
//     two attributes sharing a local name (a:URI and URI, xmlns:Format and
//     Format), which encoding/xml and etree resolve differently;
//   - a namespace-qualified attribute named ID (a:ID, xmlns:ID), and two
//     elements with the same ID, which signature wrapping relies on;
//   - names with more than one colon, undeclared prefixes, empty namespace
//     declarations for a prefix (the encoding/xml round-trip mutations);
//   - input that is not UTF-8, or that exceeds limits (size, nesting depth,
//     element count, attributes per element).
//
// The depth is checked before any tree is built, so a 100,000-deep document
// fails at depth 65 and costs nothing. When limits.Roots is not empty, a root
// element not listed is refused with an error wrapping ErrMalformed.
// Comments are allowed; callers that read text must read all of it (see
// View.HasComments).
func ParseSafe(data []byte, limits Limits) (*etree.Document, error) {
	l := limits.withDefaults()
	if err := parseCheck(data, l); err != nil {
		return nil, err
	}
	doc := etree.NewDocument()
	if err := doc.ReadFromBytes(data); err != nil {
		return nil, notWellFormed("%v", err)
	}
	if doc.Root() == nil {
		return nil, notWellFormed("no root element")
	}
	return doc, nil
}

// parseNSFrame is one open element in the pre-pass: its raw name and the
// namespace prefixes it declares.
type parseNSFrame struct {
	name xml.Name
	decl map[string]string
}

// parseCheck is the streaming pre-pass of ParseSafe.
func parseCheck(data []byte, l Limits) error {
	if len(data) > l.MaxBytes {
		return fmt.Errorf("%w: document is %d bytes; the limit is %d", ErrUnsafeXML, len(data), l.MaxBytes)
	}
	if !utf8.Valid(data) {
		return fmt.Errorf("%w: document is not valid UTF-8", ErrUnsafeXML)
	}
	dec := xml.NewDecoder(bytes.NewReader(data))
	dec.Strict = true
	var (
		stack      []parseNSFrame
		ids        = map[string]bool{}
		elements   int
		rootSeen   bool
		rootClosed bool
		first      = true
	)
	for {
		line, col := dec.InputPos()
		tok, err := dec.RawToken()
		if err == io.EOF {
			break
		}
		fail := func(format string, args ...any) error {
			return fmt.Errorf("%w at line %d, column %d: %s", ErrUnsafeXML, line, col, fmt.Sprintf(format, args...))
		}
		if err != nil {
			var synErr *xml.SyntaxError
			if errors.As(err, &synErr) {
				if synErr.Msg == "unexpected EOF" {
					return truncated(len(data), stack)
				}
				// Kept under "unsafe XML": the encoding/xml round-trip
				// mutations (SEC-08) are syntax errors of this kind.
				return fmt.Errorf("%w: not well-formed: line %d: %s", ErrUnsafeXML, synErr.Line, synErr.Msg)
			}
			return fmt.Errorf("%w: not well-formed: %v", ErrUnsafeXML, err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if rootClosed {
				return fail("a second root element <%s> after the first one", parseRawName(t.Name))
			}
			if len(stack)+1 > l.MaxDepth {
				return fail("elements nested deeper than %d", l.MaxDepth)
			}
			elements++
			if elements > l.MaxElements {
				return fail("more than %d elements", l.MaxElements)
			}
			if len(t.Attr) > l.MaxAttributes {
				return fail("<%s> has %d attributes; the limit is %d", parseRawName(t.Name), len(t.Attr), l.MaxAttributes)
			}
			frame, err := parseStart(t, stack, ids)
			if err != nil {
				return fail("%s", err)
			}
			stack = append(stack, frame)
			if !rootSeen {
				rootSeen = true
				if len(l.Roots) > 0 {
					uri, _ := parseResolve(t.Name.Space, stack, true)
					if !parseRootAllowed(xml.Name{Space: uri, Local: t.Name.Local}, l.Roots) {
						return fmt.Errorf("%w: root element is <%s> in namespace %q; want %s", ErrMalformed, parseRawName(t.Name), uri, parseRootList(l.Roots))
					}
				}
			}
		case xml.EndElement:
			if len(stack) == 0 {
				return fail("unexpected end tag </%s>", parseRawName(t.Name))
			}
			top := stack[len(stack)-1]
			if top.name != t.Name {
				return fail("element <%s> closed by </%s>", parseRawName(top.name), parseRawName(t.Name))
			}
			stack = stack[:len(stack)-1]
			if len(stack) == 0 {
				rootClosed = true
			}
		case xml.CharData:
			if len(stack) == 0 && len(bytes.TrimSpace(t)) > 0 {
				if !rootSeen && first {
					return notWellFormed("this is not XML: it starts with %q", parseTruncate(string(bytes.TrimSpace(t)), 20))
				}
				where := "before"
				if rootClosed {
					where = "after"
				}
				return fail("text %s the root element", where)
			}
		case xml.ProcInst:
			if t.Target != "xml" || !first {
				return fail("processing instruction <?%s?> is not allowed", t.Target)
			}
		case xml.Directive:
			kind := "declaration"
			if bytes.HasPrefix(bytes.TrimSpace(t), []byte("DOCTYPE")) {
				kind = "DOCTYPE"
			}
			return fail("%s <!%s> is not allowed (no DTDs or entities in SAML)", kind, parseTruncate(string(t), 40))
		case xml.Comment:
			// allowed; readers read whole text nodes around comments.
		}
		first = false
	}
	if !rootSeen {
		return notWellFormed("no root element")
	}
	if len(stack) > 0 {
		return truncated(len(data), stack)
	}
	return nil
}

// parseStart checks one start tag's names and attributes and returns its
// frame. stack holds the open ancestors.
func parseStart(t xml.StartElement, stack []parseNSFrame, ids map[string]bool) (parseNSFrame, error) {
	frame := parseNSFrame{name: t.Name}
	if err := parseCheckName(t.Name); err != nil {
		return frame, err
	}
	seen := map[xml.Name]bool{}
	// encoding/xml matches an attribute field by local name in any
	// namespace, last one winning, and reports xmlns:p as an attribute p:
	// two attributes sharing a local name read differently in etree and in
	// encoding/xml, so they are refused.
	locals := map[string]xml.Name{}
	for _, a := range t.Attr {
		if err := parseCheckName(a.Name); err != nil {
			return frame, err
		}
		if seen[a.Name] {
			return frame, fmt.Errorf("duplicate attribute %s on <%s>", parseRawName(a.Name), parseRawName(t.Name))
		}
		seen[a.Name] = true
		if !(a.Name.Space == "" && a.Name.Local == "xmlns") {
			if prev, ok := locals[a.Name.Local]; ok {
				return frame, fmt.Errorf("attributes %s and %s on <%s> share a local name", parseRawName(prev), parseRawName(a.Name), parseRawName(t.Name))
			}
			locals[a.Name.Local] = a.Name
		}
		switch {
		case a.Name.Space == "xmlns":
			if a.Name.Local == "xmlns" {
				return frame, fmt.Errorf("the prefix xmlns cannot be declared")
			}
			if a.Value == "" {
				return frame, fmt.Errorf("empty namespace declaration xmlns:%s", a.Name.Local)
			}
			if (a.Name.Local == "xml") != (a.Value == readNSXML) {
				return frame, fmt.Errorf("the prefix xml can only be bound to %s", readNSXML)
			}
			if frame.decl == nil {
				frame.decl = map[string]string{}
			}
			frame.decl[a.Name.Local] = a.Value
		case a.Name.Space == "" && a.Name.Local == "xmlns":
			if frame.decl == nil {
				frame.decl = map[string]string{}
			}
			frame.decl[""] = a.Value
		}
		if a.Name.Local == "ID" {
			if a.Name.Space != "" {
				return frame, fmt.Errorf("namespaced ID attribute %s on <%s> (only an unqualified ID is allowed)", parseRawName(a.Name), parseRawName(t.Name))
			}
			if ids[a.Value] {
				return frame, fmt.Errorf("duplicate ID %q on <%s>", parseTruncate(a.Value, 80), parseRawName(t.Name))
			}
			ids[a.Value] = true
		}
	}
	// Resolve prefixes with this element's own declarations in scope.
	scope := append(stack[:len(stack):len(stack)], frame)
	if _, err := parseResolve(t.Name.Space, scope, true); err != nil {
		return frame, err
	}
	expanded := map[xml.Name]bool{}
	for _, a := range t.Attr {
		if a.Name.Space == "xmlns" || (a.Name.Space == "" && a.Name.Local == "xmlns") || a.Name.Space == "" {
			continue
		}
		uri, err := parseResolve(a.Name.Space, scope, false)
		if err != nil {
			return frame, err
		}
		n := xml.Name{Space: uri, Local: a.Name.Local}
		if expanded[n] {
			return frame, fmt.Errorf("duplicate attribute {%s}%s on <%s>", uri, a.Name.Local, parseRawName(t.Name))
		}
		expanded[n] = true
	}
	return frame, nil
}

// parseCheckName refuses names whose prefix/local split is ambiguous.
func parseCheckName(n xml.Name) error {
	if n.Local == "" || strings.Contains(n.Local, ":") || (n.Space == "" && strings.HasPrefix(n.Local, ":")) {
		return fmt.Errorf("malformed name %q", parseRawName(n))
	}
	return nil
}

// parseResolve returns the namespace URI bound to prefix in scope. The empty
// prefix of an element takes the default namespace; an undeclared prefix is
// an error.
func parseResolve(prefix string, scope []parseNSFrame, element bool) (string, error) {
	if prefix == "xml" {
		return readNSXML, nil
	}
	if prefix == "" && !element {
		return "", nil
	}
	for i := len(scope) - 1; i >= 0; i-- {
		if uri, ok := scope[i].decl[prefix]; ok {
			return uri, nil
		}
	}
	if prefix == "" {
		return "", nil
	}
	return "", fmt.Errorf("undeclared namespace prefix %q", prefix)
}

func parseRootAllowed(n xml.Name, roots []xml.Name) bool {
	for _, r := range roots {
		if r == n {
			return true
		}
	}
	return false
}

func parseRootList(roots []xml.Name) string {
	names := make([]string, len(roots))
	for i, r := range roots {
		names[i] = r.Local
	}
	if len(names) == 1 {
		return names[0]
	}
	return "one of " + strings.Join(names, ", ")
}

func parseRawName(n xml.Name) string {
	if n.Space == "" {
		return n.Local
	}
	return n.Space + ":" + n.Local
}

func parseTruncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	// Cut on a rune boundary.
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "..."
}
