package saml

import (
	"crypto"
	"crypto/x509"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/beevik/etree"
)

// ReadOptions say what Read trusts.
type ReadOptions struct {
	// Certificates are the trust anchors: a signature counts only when made
	// with the key of one of these. The certificate a message carries in
	// its KeyInfo is never trusted by itself. Empty: nothing is verified.
	Certificates []*x509.Certificate
	// DecryptionKey decrypts an EncryptedAssertion (an *rsa.PrivateKey).
	// Nil: an encrypted assertion is reported but not read.
	DecryptionKey crypto.PrivateKey
	// Now is the time at which the trusted certificates must be valid
	// (goxmldsig checks NotBefore/NotAfter). Nil means time.Now. The
	// assertion's own time limits are not checked here: see View.Check.
	Now func() time.Time
	// Limits bound the XML; zero fields take the defaults of ParseSafe.
	// Roots is ignored: Read accepts a Response or a bare Assertion.
	Limits Limits
}

// Read parses msg safely, checks its signatures against opts.Certificates,
// decrypts an EncryptedAssertion with opts.DecryptionKey, and returns what it
// holds as a View.
//
// The contract:
//   - (nil, err) when the message cannot be read at all: err wraps
//     ErrUnsafeXML (refused XML) or ErrMalformed (not a Response or
//     Assertion).
//   - Otherwise the View is always returned, for display, and err reports
//     every problem at once (errors.Join). err wraps ErrStructure when the
//     message has a signature-wrapping shape (more than one Assertion or
//     EncryptedAssertion anywhere, one out of place, a signature that is
//     not a direct child of what it signs or whose single Reference is not
//     that element's ID); ErrSignature when a signature present does not
//     verify against the certificates; ErrNotVerified when certificates were
//     given and no trusted signature covers the Response or the Assertion;
//     ErrDecrypt when an EncryptedAssertion could not be decrypted.
//   - With no certificates, signatures are listed but not checked,
//     View.Verified is false and that alone is no error.
//
// err == nil with certificates given means: the structure is sound, every
// signature present verified, and View.Verified is true. When Verified, the
// Assertion fields come only from the element goxmldsig returned as signed
// (the Response's verified copy when the Response is signed). Time limits,
// audience and recipient are checked separately by View.Check.
func Read(msg *Message, opts ReadOptions) (*View, error) {
	if msg == nil {
		return nil, fmt.Errorf("%w: no message", ErrMalformed)
	}
	limits := opts.Limits
	limits.Roots = ResponseLimits().Roots
	doc, err := ParseSafe(msg.XML, limits)
	if err != nil {
		return nil, err
	}
	now := time.Now
	if opts.Now != nil {
		now = opts.Now
	}
	r := &reader{opts: opts, now: now(), limits: limits}
	return r.read(doc, msg)
}

// reader carries one Read through its steps.
type reader struct {
	opts   ReadOptions
	now    time.Time
	limits Limits
	view   *View
	errs   []error
}

func (r *reader) fail(err error) { r.errs = append(r.errs, err) }

func (r *reader) read(doc *etree.Document, msg *Message) (*View, error) {
	root := doc.Root()
	v := &View{Root: root.Tag, Base64Len: msg.Base64Len, HasComments: readHasComments(&doc.Element)}
	r.view = v

	// Find every assertion, wherever it hides.
	var assertions []*etree.Element
	readWalk(root, func(el *etree.Element) {
		if (el.Tag == "Assertion" || el.Tag == "EncryptedAssertion") && el.NamespaceURI() == readNSAssertion {
			assertions = append(assertions, el)
		}
	})
	v.AssertionCount = len(assertions)
	var assertion *etree.Element // the one assertion in place, if any
	switch {
	case len(assertions) > 1:
		r.fail(fmt.Errorf("%w: the message holds %d assertions (%s); exactly one Assertion or EncryptedAssertion is allowed", ErrStructure, len(assertions), readPlaces(assertions)))
		// For display only: the first one in its proper place.
		for _, a := range assertions {
			if a == root || a.Parent() == root {
				assertion = a
				break
			}
		}
	case len(assertions) == 1:
		a := assertions[0]
		if a != root && a.Parent() != root {
			r.fail(fmt.Errorf("%w: the assertion is inside <%s>, not a direct child of the Response", ErrStructure, a.Parent().Tag))
		} else {
			assertion = a
		}
	}
	var plainAssertion *etree.Element
	if assertion != nil && assertion.Tag == "Assertion" {
		plainAssertion = assertion
	}

	sigs := readSignatures(root, plainAssertion)
	var respSig, assertSig *readSig
	for _, s := range sigs {
		if s.shapeErr != nil {
			r.fail(fmt.Errorf("%w: %v", ErrStructure, s.shapeErr))
			continue
		}
		if s.parent == root && root.Tag == "Response" {
			respSig = s
		} else if s.parent == plainAssertion {
			assertSig = s
		}
	}
	structural := len(r.errs) > 0
	trusted := len(r.opts.Certificates) > 0

	respEl := root // what the Response fields are read from
	if root.Tag == "Response" && respSig != nil && trusted && !structural {
		if ver, err := readVerify(root, respSig, r.opts.Certificates, r.now); err != nil {
			respSig.info.Error = err.Error()
			r.fail(fmt.Errorf("%w: Response signature: %v", ErrSignature, err))
		} else {
			respSig.info.Verified = true
			respEl = ver
			v.Verified = true
			v.VerifiedElement = "Response"
			// Read the assertion from the verified copy only.
			assertion = readOneAssertion(ver)
			if assertion != nil && assertion.Tag == "Assertion" {
				plainAssertion = assertion
			}
		}
	}

	if assertion != nil && assertion.Tag == "EncryptedAssertion" {
		v.Encrypted = true
		plainAssertion = nil
		if r.opts.DecryptionKey != nil {
			dec, err := readDecrypt(assertion, r.opts.DecryptionKey, r.limits)
			if err != nil {
				v.DecryptError = err.Error()
				r.fail(err)
			} else {
				v.Decrypted = true
				plainAssertion = dec
				// A signature inside the decrypted assertion.
				for _, s := range readSignatures(dec, dec) {
					sigs = append(sigs, s)
					if s.shapeErr != nil {
						r.fail(fmt.Errorf("%w: decrypted assertion: %v", ErrStructure, s.shapeErr))
						structural = true
					} else {
						assertSig = s
					}
				}
				var inner []*etree.Element
				readWalk(dec, func(el *etree.Element) {
					if el != dec && (el.Tag == "Assertion" || el.Tag == "EncryptedAssertion") && el.NamespaceURI() == readNSAssertion {
						inner = append(inner, el)
					}
				})
				if len(inner) > 0 {
					v.AssertionCount += len(inner)
					structural = true
					r.fail(fmt.Errorf("%w: the decrypted assertion holds %d more assertions", ErrStructure, len(inner)))
				}
			}
		}
	}

	assertFrom := plainAssertion
	if assertSig != nil && plainAssertion != nil {
		switch {
		case !trusted:
		case structural:
		default:
			// Check the signature on the assertion as it stands where the
			// view reads it: the Response's verified copy, the decrypted
			// element, or the document.
			target := plainAssertion
			ver, err := readVerify(target, assertSig, r.opts.Certificates, r.now)
			if err != nil {
				assertSig.info.Error = err.Error()
				r.fail(fmt.Errorf("%w: Assertion signature: %v", ErrSignature, err))
			} else {
				assertSig.info.Verified = true
				if !v.Verified {
					v.Verified = true
					v.VerifiedElement = "Assertion"
					assertFrom = ver
				}
			}
		}
	}

	for _, s := range sigs {
		if !s.info.Verified && s.info.Error == "" {
			switch {
			case !trusted:
				s.info.Error = "not checked: no trusted certificate given"
			case structural:
				s.info.Error = "not checked: the message structure is refused"
			}
		}
		v.Signatures = append(v.Signatures, s.info)
	}

	readFillResponse(v, respEl)
	if assertFrom != nil {
		v.Assertion = readFillAssertion(assertFrom, &v.Problems)
	}
	if trusted && !v.Verified {
		reason := "no signature covers the Response or the Assertion"
		if len(sigs) > 0 {
			reason = "no signature by a trusted certificate covers the Response or the Assertion"
		}
		r.fail(fmt.Errorf("%w: %s", ErrNotVerified, reason))
	}
	return v, errors.Join(r.errs...)
}

// readOneAssertion returns the single Assertion or EncryptedAssertion child
// of a verified Response copy.
func readOneAssertion(resp *etree.Element) *etree.Element {
	var found *etree.Element
	for _, c := range resp.ChildElements() {
		if (c.Tag == "Assertion" || c.Tag == "EncryptedAssertion") && c.NamespaceURI() == readNSAssertion {
			if found != nil {
				return nil
			}
			found = c
		}
	}
	return found
}

// readPlaces names where each assertion sits, for error messages.
func readPlaces(els []*etree.Element) string {
	places := make([]string, len(els))
	for i, el := range els {
		places[i] = readPath(el)
	}
	return strings.Join(places, ", ")
}

// readPath names el by the local names from the root down, as
// "Response/Extensions/Assertion".
func readPath(el *etree.Element) string {
	var parts []string
	for e := el; e != nil && e.Tag != ""; e = e.Parent() {
		parts = append(parts, e.Tag)
	}
	for i, j := 0, len(parts)-1; i < j; i, j = i+1, j-1 {
		parts[i], parts[j] = parts[j], parts[i]
	}
	return strings.Join(parts, "/")
}

// readFillResponse fills the Response-level fields from resp (a Response or
// a bare Assertion, in which case only Root and ID are set).
func readFillResponse(v *View, resp *etree.Element) {
	v.ID = readAttr(resp, "ID")
	if resp.Tag != "Response" {
		return
	}
	v.InResponseTo = readAttr(resp, "InResponseTo")
	v.Destination = readAttr(resp, "Destination")
	v.IssueInstant = readTime(readAttr(resp, "IssueInstant"), "Response IssueInstant", &v.Problems)
	if iss := readChild(resp, readNSAssertion, "Issuer"); iss != nil {
		v.Issuer = strings.TrimSpace(readText(iss))
	}
	if st := readChild(resp, readNSProtocol, "Status"); st != nil {
		if code := readChild(st, readNSProtocol, "StatusCode"); code != nil {
			v.StatusCode = readAttr(code, "Value")
			if sub := readChild(code, readNSProtocol, "StatusCode"); sub != nil {
				v.StatusSubCode = readAttr(sub, "Value")
			}
		}
		if m := readChild(st, readNSProtocol, "StatusMessage"); m != nil {
			v.StatusMessage = readText(m)
		}
	}
}

// readFillAssertion reads one Assertion element.
func readFillAssertion(a *etree.Element, problems *[]string) *AssertionView {
	av := &AssertionView{
		ID:           readAttr(a, "ID"),
		IssueInstant: readTime(readAttr(a, "IssueInstant"), "Assertion IssueInstant", problems),
	}
	if iss := readChild(a, readNSAssertion, "Issuer"); iss != nil {
		av.Issuer = strings.TrimSpace(readText(iss))
	}
	if subj := readChild(a, readNSAssertion, "Subject"); subj != nil {
		if n := readChild(subj, readNSAssertion, "NameID"); n != nil {
			av.NameID = readText(n)
			av.NameIDFormat = readAttr(n, "Format")
			av.NameIDSPNameQualifier = readAttr(n, "SPNameQualifier")
			av.NameIDNameQualifier = readAttr(n, "NameQualifier")
			av.NameIDHasComment = readHasComments(n)
		} else if readChild(subj, readNSAssertion, "EncryptedID") != nil {
			*problems = append(*problems, "the Subject carries an EncryptedID, which is not decrypted")
		}
		for _, sc := range readChildren(subj, readNSAssertion, "SubjectConfirmation") {
			c := SubjectConfirmation{Method: readAttr(sc, "Method")}
			if d := readChild(sc, readNSAssertion, "SubjectConfirmationData"); d != nil {
				c.Recipient = readAttr(d, "Recipient")
				c.InResponseTo = readAttr(d, "InResponseTo")
				c.Address = readAttr(d, "Address")
				c.NotBefore = readTime(readAttr(d, "NotBefore"), "SubjectConfirmationData NotBefore", problems)
				c.NotOnOrAfter = readTime(readAttr(d, "NotOnOrAfter"), "SubjectConfirmationData NotOnOrAfter", problems)
			}
			av.SubjectConfirmations = append(av.SubjectConfirmations, c)
		}
	}
	if cond := readChild(a, readNSAssertion, "Conditions"); cond != nil {
		av.NotBefore = readTime(readAttr(cond, "NotBefore"), "Conditions NotBefore", problems)
		av.NotOnOrAfter = readTime(readAttr(cond, "NotOnOrAfter"), "Conditions NotOnOrAfter", problems)
		for _, ar := range readChildren(cond, readNSAssertion, "AudienceRestriction") {
			for _, aud := range readChildren(ar, readNSAssertion, "Audience") {
				av.Audiences = append(av.Audiences, strings.TrimSpace(readText(aud)))
			}
		}
	}
	if as := readChild(a, readNSAssertion, "AuthnStatement"); as != nil {
		av.AuthnInstant = readTime(readAttr(as, "AuthnInstant"), "AuthnInstant", problems)
		av.SessionIndex = readAttr(as, "SessionIndex")
		av.SessionNotOnOrAfter = readTime(readAttr(as, "SessionNotOnOrAfter"), "SessionNotOnOrAfter", problems)
		if ac := readChild(as, readNSAssertion, "AuthnContext"); ac != nil {
			if ref := readChild(ac, readNSAssertion, "AuthnContextClassRef"); ref != nil {
				av.AuthnContextClassRef = strings.TrimSpace(readText(ref))
			}
		}
	}
	for _, st := range readChildren(a, readNSAssertion, "AttributeStatement") {
		for _, at := range readChildren(st, readNSAssertion, "Attribute") {
			attr := AttributeView{
				Name:         readAttr(at, "Name"),
				NameFormat:   readAttr(at, "NameFormat"),
				FriendlyName: readAttr(at, "FriendlyName"),
			}
			for _, val := range readChildren(at, readNSAssertion, "AttributeValue") {
				if len(val.ChildElements()) > 0 {
					attr.StructuredValue = true
				}
				if readHasComments(val) {
					attr.HasComment = true
				}
				attr.Values = append(attr.Values, readDeepText(val))
			}
			av.Attributes = append(av.Attributes, attr)
		}
		if readChild(st, readNSAssertion, "EncryptedAttribute") != nil {
			*problems = append(*problems, "an AttributeStatement carries EncryptedAttribute elements, which are not decrypted")
		}
	}
	return av
}

// readChild returns the first child of el with the given namespace URI and
// local name.
func readChild(el *etree.Element, ns, local string) *etree.Element {
	for _, c := range el.ChildElements() {
		if c.Tag == local && c.NamespaceURI() == ns {
			return c
		}
	}
	return nil
}

// readChildren returns every child of el with the given namespace and name.
func readChildren(el *etree.Element, ns, local string) []*etree.Element {
	var out []*etree.Element
	for _, c := range el.ChildElements() {
		if c.Tag == local && c.NamespaceURI() == ns {
			out = append(out, c)
		}
	}
	return out
}

// readAttr returns the unqualified attribute key of el, or "". Unlike
// etree's SelectAttr it never matches a prefixed attribute (a:ID, xmlns:ID).
func readAttr(el *etree.Element, key string) string {
	for _, a := range el.Attr {
		if a.Space == "" && a.Key == key {
			return a.Value
		}
	}
	return ""
}

// readText returns all the character data directly inside el, across
// comments: etree's Text stops at the first comment, which is how
// "admin@corp.com<!---->.evil.com" was read as admin@corp.com
// (CVE-2017-11427).
func readText(el *etree.Element) string {
	var b strings.Builder
	for _, t := range el.Child {
		if cd, ok := t.(*etree.CharData); ok {
			b.WriteString(cd.Data)
		}
	}
	return b.String()
}

// readDeepText returns all character data inside el, descendants included.
func readDeepText(el *etree.Element) string {
	var b strings.Builder
	var walk func(e *etree.Element)
	walk = func(e *etree.Element) {
		for _, t := range e.Child {
			switch x := t.(type) {
			case *etree.CharData:
				b.WriteString(x.Data)
			case *etree.Element:
				walk(x)
			}
		}
	}
	walk(el)
	return b.String()
}

// readWalk calls fn for el and every element below it, in document order.
func readWalk(el *etree.Element, fn func(*etree.Element)) {
	fn(el)
	for _, c := range el.ChildElements() {
		readWalk(c, fn)
	}
}

// readHasComments reports whether any comment appears under el.
func readHasComments(el *etree.Element) bool {
	for _, t := range el.Child {
		switch x := t.(type) {
		case *etree.Comment:
			return true
		case *etree.Element:
			if readHasComments(x) {
				return true
			}
		}
	}
	return false
}

// readTime parses an xs:dateTime; "" is the zero time. A value that does not
// parse is noted in problems and read as zero.
func readTime(s, what string, problems *[]string) time.Time {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		*problems = append(*problems, fmt.Sprintf("%s %q is not an xs:dateTime with a time zone", what, parseTruncate(s, 60)))
		return time.Time{}
	}
	return t.UTC()
}
