// Package saml builds, signs, encrypts, decodes and verifies SAML 2.0
// messages for samlab.
//
// The writing side turns the claims engine's output into a response:
//
//	iss := &saml.Issuer{EntityID: "https://idp.example/metadata", Key: key, Certificate: cert}
//	resp, err := iss.Build(saml.ResponseRequest{
//		Audience:   "urn:amazon:webservices",
//		Recipient:  "https://signin.aws.amazon.com/saml",
//		NameID:     result.NameID,
//		Attributes: result.Attributes,
//	}, saml.ResponseOptions{}) // assertion signed, RSA-SHA256, 5 minutes
//	...
//	saml.WritePostForm(w, "https://signin.aws.amazon.com/saml", saml.PostFields{SAMLResponse: resp.Base64()})
//
// The XML tree is built with etree, never by string concatenation, and is
// signed with exclusive canonicalisation from goxmldsig. Values that signed
// XML cannot carry faithfully (CR, NUL, other non-XML characters, invalid
// UTF-8) are refused with [ErrInvalidText], never changed. Time and IDs come
// from an injected [Clock] and [IDSource], so with a [FixedClock] and
// [SequentialIDs] an RSA-signed response is byte-for-byte reproducible.
//
// The reading side has one front door, [Inspect], for any SAML message from
// outside, in whatever form it was captured (raw XML, base64, URL-encoded,
// DEFLATE-compressed from a Redirect URL, a whole
// "SAMLResponse=...&RelayState=..." body, a URL):
//
//	report, err := saml.Inspect(pasted, saml.InspectOptions{
//		Trust: idpCertPEMOrMetadata, // or Certificates: pinned
//		DecryptionKey: spKey,        // optional
//	})
//	if report == nil { ... } // unreadable or refused (ErrMalformed, ErrUnsafeXML, ErrTrust)
//	// err lists every problem (ErrStructure, ErrSignature, ErrNotVerified, ErrDecrypt)
//	report.Kind                         // Response, Assertion, AuthnRequest, LogoutRequest, LogoutResponse
//	report.View.Check(saml.Expect{...}) // audience, recipient, time limits of a response
//	report.Summary(now), report.XML     // what samlab inspect and the /inspect page show
//
// It decodes with [Decode]'s bounds, parses with [ParseSafe] (no DTDs, no
// entities, bounded size and depth), reads a Response or Assertion into a
// [View] with [Read]'s rules (signatures checked only against the trust
// given, signature-wrapping shapes refused, the View read from the signed
// element only) and a request into a [RequestView]. samlab inspect, verify
// and lint, the built-in test SP and the /inspect page all read messages
// through it; the AWS rules run on the View with aws.LintView.
package saml
