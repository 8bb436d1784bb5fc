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
// The reading side decodes any response into a [View] and checks its
// signatures against pinned certificates.
package saml
