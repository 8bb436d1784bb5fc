package saml

import "time"

// View is a structured, read-only summary of a SAML Response (or of a bare
// Assertion). The reader fills it from a decoded message; the AWS lint, the
// CLI's inspect and verify commands and the built-in test SP read it.
//
// When a View comes from a verified message, the Assertion fields are taken
// only from the element the trusted signature covers.
type View struct {
	// Root is the local name of the document element: "Response" or "Assertion".
	Root         string
	ID           string
	InResponseTo string
	Destination  string
	IssueInstant time.Time
	Issuer       string // the Response's Issuer ("" for a bare Assertion)
	// StatusCode is the top-level status URN; StatusSubCode the nested one.
	StatusCode    string
	StatusSubCode string
	StatusMessage string

	// AssertionCount counts Assertion and EncryptedAssertion elements found
	// anywhere in the message.
	AssertionCount int
	// Encrypted is true when the assertion arrived as an EncryptedAssertion.
	Encrypted bool
	// Decrypted is true when an EncryptedAssertion was decrypted with a key.
	Decrypted bool
	// DecryptError says why an EncryptedAssertion was not decrypted with
	// the key given ("" when no key was given or it decrypted).
	DecryptError string
	// Assertion is the one assertion, nil when absent or not decryptable.
	Assertion *AssertionView

	// Signatures lists every ds:Signature found, in document order.
	Signatures []SignatureInfo
	// Verified is true when a signature by a trusted certificate covers the
	// Response or the Assertion the view was read from. False when no trust
	// anchor was given.
	Verified bool
	// VerifiedElement is "Response" when the trusted signature covers the
	// whole Response (its Destination, InResponseTo and Status included),
	// "Assertion" when it covers only the Assertion, "" when not verified.
	VerifiedElement string

	// Base64Len is the length of the message in base64 as it would be (or
	// was) posted: what AWS limits to 100,000 characters.
	Base64Len int
	// HasComments is true when the XML carries comments (a NameID
	// truncation trick; the IdP never emits them).
	HasComments bool

	// Problems lists what the reader noticed but could read past: a time
	// that is not an xs:dateTime, an EncryptedID it did not decrypt.
	Problems []string
}

// AssertionView is the content of one Assertion.
type AssertionView struct {
	ID           string
	Issuer       string
	IssueInstant time.Time

	NameID                string
	NameIDFormat          string
	NameIDSPNameQualifier string
	NameIDNameQualifier   string
	// NameIDHasComment is true when an XML comment sits inside the NameID:
	// NameID holds all its text, but a parser that stops at the comment
	// reads a different identity (CVE-2017-11427).
	NameIDHasComment bool

	SubjectConfirmations []SubjectConfirmation

	// Conditions. Zero times mean absent.
	NotBefore    time.Time
	NotOnOrAfter time.Time
	Audiences    []string

	AuthnInstant         time.Time
	SessionIndex         string
	SessionNotOnOrAfter  time.Time
	AuthnContextClassRef string

	Attributes []AttributeView
}

// SubjectConfirmation is one saml:SubjectConfirmation with its data.
type SubjectConfirmation struct {
	Method       string
	Recipient    string
	InResponseTo string
	Address      string
	NotBefore    time.Time
	NotOnOrAfter time.Time
}

// AttributeView is one saml:Attribute.
type AttributeView struct {
	Name         string
	NameFormat   string
	FriendlyName string
	Values       []string
	// StructuredValue is true when an AttributeValue holds child elements
	// rather than text.
	StructuredValue bool
	// HasComment is true when an AttributeValue contains an XML comment
	// (Values hold the whole text, comments dropped).
	HasComment bool
}

// SignatureInfo describes one ds:Signature.
type SignatureInfo struct {
	// Element is the local name of the signed element ("Response",
	// "Assertion") and ReferenceID the ID its Reference points to.
	Element          string
	ReferenceID      string
	Algorithm        string // SignatureMethod URI
	DigestAlgorithm  string // DigestMethod URI
	Canonicalization string
	// Verified is true when the signature checked out against a trusted
	// certificate; Error says why not.
	Verified bool
	Error    string
}
