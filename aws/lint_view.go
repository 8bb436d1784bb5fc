package aws

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/samlab/samlab/saml"
)

// Options tune LintView.
type Options struct {
	// Now is the instant the response is checked at. Zero skips the
	// time-window checks (expired, not yet valid, 5-minute redemption):
	// the package never reads the system clock.
	Now time.Time
	// Skew is the clock skew allowed in the time-window checks (0: none;
	// AWS's tolerance is not documented).
	Skew time.Duration
	// ExpectAudience, ExpectRecipient and ExpectIssuer, when set, must be
	// matched exactly: the SP's entity ID, the ACS URL the response is
	// posted to, and the IdP entityID the SP trusts.
	ExpectAudience  string
	ExpectRecipient string
	ExpectIssuer    string
	// ExpectInResponseTo, when set, is the ID of the AuthnRequest the SP
	// sent: the Response's InResponseTo and that of every bearer
	// SubjectConfirmationData must equal it (AWS-IDC-009).
	ExpectInResponseTo string
	// RequireEncryption says the IAM SAML provider's assertion encryption
	// mode is Required: a plain assertion is refused (AWS-STS-019).
	RequireEncryption bool
	// AssumeRole is the role the caller will assume with
	// AssumeRoleWithSAML: a role ARN, or "role-arn,provider-arn" (either
	// order) to name the provider too. It must be one of the Role pairs
	// (AWS-STS-011).
	AssumeRole string
	// IdCAccessControlKeys are the keys configured on IAM Identity
	// Center's "Attributes for access control" page; their configured
	// values replace a SAML AccessControl:<Key> with the same key,
	// ignoring case (AWS-ABAC-007).
	IdCAccessControlKeys []string
	// Foreign marks a response that comes from outside (captured, pasted,
	// received): the checks that concern what its receiver must not trust
	// also run. samlab's issuer leaves it false for its own responses.
	Foreign bool
}

// redemptionWindow is how long after IssueInstant STS still takes an
// assertion, whatever its NotOnOrAfter says.
const redemptionWindow = 5 * time.Minute

// LintView checks a parsed SAML response (one samlab issued, or a foreign
// one) against the profile's rules. It never panics on odd input.
func LintView(v *saml.View, profile Profile, opts Options) []Finding {
	l := newLinter(profile, stageView)
	if v == nil {
		l.add("sts-status", "Response", "there is no response to lint")
		return l.findings()
	}
	l.response(v)
	if opts.Foreign {
		l.unsignedResponseFields(v)
	}
	if opts.RequireEncryption && !v.Encrypted && v.AssertionCount > 0 {
		l.add("sts-encryption-required", "Assertion", "the assertion is not encrypted, but the IAM SAML provider requires encrypted assertions, so AWS refuses it: encrypt to the provider's certificate (samlab: [apps.encrypt]) and post to the provider-specific ACS https://<region>.signin.aws.amazon.com/saml/acs/<IdP-ID>")
	}
	a := v.Assertion
	if opts.ExpectInResponseTo != "" {
		l.inResponseTo(v, a, opts.ExpectInResponseTo)
	}
	if a == nil {
		return l.findings()
	}
	if opts.AssumeRole != "" {
		l.assumeRole(a, opts.AssumeRole)
	}
	if len(opts.IdCAccessControlKeys) > 0 {
		l.configuredKeys(a, opts.IdCAccessControlKeys)
	}
	l.issuer(v, a, opts)
	l.subjectConfirmation(v, a, opts)
	l.audience(a, opts)
	l.timeWindow(v, a, opts)
	l.nameID(a.NameID, a.NameIDFormat)
	if a.NameIDHasComment {
		l.add("sts-nameid-comment", "Subject/NameID", "the NameID contains an XML comment; samlab reads all of it (%q), but a parser that stops at the comment reads only the part before it, a different identity (CVE-2017-11427): send the NameID without comments", a.NameID)
	}
	as := make([]attribute, 0, len(a.Attributes))
	for _, at := range a.Attributes {
		if at.HasComment {
			l.add("sts-attribute-comment", at.Name, "a value of %s contains an XML comment; samlab reads all of it, but a parser that stops at the comment reads a different value: send values without comments", short(at.Name))
		}
		as = append(as, attribute{Name: at.Name, NameFormat: at.NameFormat, Values: at.Values, Structured: at.StructuredValue, What: "attribute"})
	}
	l.attributes(as)
	l.sessionCap(a)
	return l.findings()
}

// response checks what belongs to the Response as a whole: status,
// assertion count, encryption, size and signatures.
func (l *linter) response(v *saml.View) {
	// A bare Assertion has no Status; a view that says nothing about
	// either (Root and StatusCode empty) is not judged.
	if v.Root != "Assertion" && (v.Root == "Response" || v.StatusCode != "") && v.StatusCode != statusSuccess {
		msg := "the Status is " + orNone(v.StatusCode)
		if v.StatusSubCode != "" {
			msg += " / " + v.StatusSubCode
		}
		if v.StatusMessage != "" {
			msg += " (" + v.StatusMessage + ")"
		}
		l.add("sts-status", "Status", "%s; AWS signs in only on %s: fix the IdP-side error first", msg, statusSuccess)
	}
	if v.AssertionCount == 0 && v.Assertion == nil {
		l.add("sts-status", "Assertion", "the Response carries no Assertion; AWS needs one: send exactly one assertion")
	}
	if v.AssertionCount > 1 {
		l.add("sts-assertion-count", "Assertion", "the Response carries %d assertions; send one (AWS's handling of several is not documented)", v.AssertionCount)
	}
	if l.is(ProfileIdentityCenter) {
		if v.AssertionCount > 1 {
			l.add("idc-assertion", "Assertion", "the Response carries %d assertions; IAM Identity Center takes exactly one: send one", v.AssertionCount)
		}
		if v.Encrypted {
			l.add("idc-assertion", "EncryptedAssertion", "the assertion is encrypted; IAM Identity Center does not accept encrypted assertions: turn assertion encryption off for this app")
		}
	}
	if v.Encrypted && !v.Decrypted && v.DecryptError != "" {
		l.add("sts-decrypt-failed", "EncryptedAssertion", "the assertion could not be decrypted with the SP's key (%s), so its content was not checked: encrypt to the certificate of that key (the SP's current encryption certificate) or give the matching key", v.DecryptError)
	} else if v.Encrypted && !v.Decrypted {
		l.add("sts-encrypted-undecrypted", "EncryptedAssertion", "the assertion is encrypted and was not decrypted, so its content was not checked: give the SP's decryption key to lint it")
	}
	if v.Encrypted && l.is(ProfileSTS) {
		var recips []string
		if v.Assertion != nil {
			for _, sc := range v.Assertion.SubjectConfirmations {
				recips = append(recips, sc.Recipient)
			}
		} else {
			recips = append(recips, v.Destination)
		}
		for _, r := range recips {
			if s, ok := parseSignIn(r); !ok || s.ProviderID == "" {
				l.add("sts-encrypted-acs", "Destination", "the assertion is encrypted but is sent to %s; AWS decrypts only at the provider-specific ACS: post to https://<region>.signin.aws.amazon.com/saml/acs/<IdP-ID> (from the IAM SAML provider page), or turn encryption off", orNone(r))
				break
			}
		}
	}
	if v.Base64Len > 100000 {
		l.add("sts-size", "Response", "the base64 Response is %d characters; AssumeRoleWithSAML takes at most 100,000: send fewer or shorter attributes (or fewer Role values)", v.Base64Len)
	} else if v.Base64Len > 50000 {
		l.add("sts-size-old-sdk", "Response", "the base64 Response is %d characters; older AWS SDKs and CLI tools take at most 50,000: trim attributes if such clients are used", v.Base64Len)
	}
	l.signatures(v)
}

func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}

// signatures checks signature presence, placement and algorithms.
func (l *linter) signatures(v *saml.View) {
	if v.Encrypted && v.Assertion == nil {
		return // the assertion's own signature is inside the ciphertext
	}
	var resp, assertion bool
	for _, s := range v.Signatures {
		switch s.Element {
		case "Response":
			resp = true
		case "Assertion":
			assertion = true
		}
		if isSHA1(s.Algorithm) || isSHA1(s.DigestAlgorithm) {
			msg := "the %s signature uses SHA-1 (%s); sign with RSA-SHA256 and a SHA-256 digest"
			alg := s.Algorithm
			if !isSHA1(alg) {
				alg = s.DigestAlgorithm
			}
			l.add("sts-sha1", "Signature", msg, orNone(s.Element), alg)
			l.add("idc-sha1", "Signature", msg, orNone(s.Element), alg)
		}
	}
	switch {
	case !resp && !assertion:
		l.add("sts-unsigned", "Signature", "neither the Response nor the Assertion is signed; AWS refuses unsigned responses: sign the Assertion (signing = \"assertion\" or \"both\")")
		l.add("idc-unsigned", "Signature", "neither the Response nor the Assertion is signed; IAM Identity Center refuses unsigned responses: sign both (signing = \"both\")")
	case !assertion:
		l.add("sts-response-only-signed", "Signature", "only the Response is signed; AWS's metadata asks for signed assertions (WantAssertionsSigned): sign the Assertion too (signing = \"both\")")
	}
}

// unsignedResponseFields warns, for a foreign Response signed only on
// its Assertion, that the Response's own fields are not authenticated.
func (l *linter) unsignedResponseFields(v *saml.View) {
	if v.Root != "Response" || (v.Encrypted && v.Assertion == nil) {
		return
	}
	var resp, assertion bool
	for _, s := range v.Signatures {
		resp = resp || s.Element == "Response"
		assertion = assertion || s.Element == "Assertion"
	}
	if !assertion || resp {
		return
	}
	fields := []string{"Destination " + orNone(v.Destination), "InResponseTo " + orNone(v.InResponseTo), "Status " + orNone(v.StatusCode)}
	l.add("sts-response-fields-unsigned", "Signature", "only the Assertion is signed, so the Response's %s are outside every signature and can be changed in transit: an SP must take Recipient and InResponseTo from the signed SubjectConfirmationData, or the IdP should sign the Response too (Entra: \"Sign SAML response and assertion\"; samlab: signing = \"both\")", strings.Join(fields, ", "))
}

func isSHA1(uri string) bool {
	u := strings.ToLower(uri)
	return strings.HasSuffix(u, "sha1")
}

// issuer checks the Issuer elements.
func (l *linter) issuer(v *saml.View, a *saml.AssertionView, o Options) {
	switch {
	case strings.TrimSpace(a.Issuer) == "":
		l.add("sts-issuer", "Issuer", "the Assertion has no Issuer; AWS finds the SAML provider by it: set it to the IdP entityID in the metadata uploaded to AWS")
	case v.Issuer != "" && v.Issuer != a.Issuer:
		l.add("sts-issuer", "Issuer", "the Response Issuer %q differs from the Assertion Issuer %q: both must be the IdP entityID", v.Issuer, a.Issuer)
	}
	if o.ExpectIssuer != "" && a.Issuer != "" && a.Issuer != o.ExpectIssuer {
		l.add("sts-issuer", "Issuer", "the Issuer %q is not the entityID AWS knows the IdP by (%q): make them equal (re-upload the IdP metadata or fix the entity_id)", a.Issuer, o.ExpectIssuer)
	}
}

// subjectConfirmation checks the bearer confirmation, Recipient and
// Destination.
func (l *linter) subjectConfirmation(v *saml.View, a *saml.AssertionView, o Options) {
	scs := a.SubjectConfirmations
	var bearer []saml.SubjectConfirmation
	for _, sc := range scs {
		if sc.Method == cmBearer {
			bearer = append(bearer, sc)
		}
	}
	switch {
	case len(scs) == 0:
		l.add("sts-subject-confirmation", "SubjectConfirmation", "the Subject has no SubjectConfirmation; AWS needs exactly one with Method %s, NotOnOrAfter and Recipient: add it", cmBearer)
	case len(bearer) == 0:
		l.add("sts-subject-confirmation", "SubjectConfirmation", "no SubjectConfirmation has Method %s (got %s): use the bearer method", cmBearer, orNone(scs[0].Method))
	case len(scs) > 1:
		l.add("sts-subject-confirmation", "SubjectConfirmation", "the Subject has %d SubjectConfirmation elements; AWS takes exactly one: send one bearer confirmation", len(scs))
	}
	var recipient string
	for _, sc := range bearer {
		if sc.NotOnOrAfter.IsZero() {
			l.add("sts-subject-confirmation", "SubjectConfirmationData", "SubjectConfirmationData has no NotOnOrAfter: set it (samlab uses IssueInstant + 5 minutes)")
		}
		if sc.Recipient == "" {
			l.add("sts-subject-confirmation", "SubjectConfirmationData", "SubjectConfirmationData has no Recipient: set it to the ACS URL the response is posted to")
			continue
		}
		if o.ExpectRecipient != "" && sc.Recipient != o.ExpectRecipient {
			l.add("sts-subject-confirmation", "SubjectConfirmationData", "Recipient %q is not the endpoint the response is posted to (%q): make them equal", sc.Recipient, o.ExpectRecipient)
			l.add("idc-acs", "SubjectConfirmationData", "Recipient %q is not the Identity Center ACS URL %q: copy the ACS URL from the Identity Center settings", sc.Recipient, o.ExpectRecipient)
		}
		if recipient == "" {
			recipient = sc.Recipient
		}
	}

	// Where the response goes: the sign-in endpoint shapes.
	targets := []struct{ what, url string }{{"Recipient", recipient}}
	if v.Destination != "" {
		targets = append(targets, struct{ what, url string }{"Destination", v.Destination})
	}
	if v.Destination != "" && recipient != "" && v.Destination != recipient {
		l.add("sts-recipient", "Destination", "Destination %q differs from Recipient %q: both must be the sign-in endpoint the response is posted to", v.Destination, recipient)
		l.add("idc-acs", "Destination", "Destination %q differs from Recipient %q: both must be the Identity Center ACS URL", v.Destination, recipient)
	}
	if o.ExpectRecipient != "" && v.Destination != "" && v.Destination != o.ExpectRecipient {
		l.add("idc-acs", "Destination", "Destination %q is not the Identity Center ACS URL %q: copy the ACS URL from the Identity Center settings", v.Destination, o.ExpectRecipient)
		l.add("sts-recipient", "Destination", "Destination %q is not the endpoint the response is posted to (%q): make them equal", v.Destination, o.ExpectRecipient)
	}
	for _, t := range targets {
		if t.url == "" {
			continue
		}
		if s, ok := parseSignIn(t.url); ok {
			if t.what == "Recipient" && s.Region != "" {
				l.add("sts-regional-recipient", "SubjectConfirmationData", "Recipient %q is regional; AWS uses the Recipient as saml:aud, and the console-made trust policy allows only https://signin.aws.amazon.com/saml: add %q to the role trust policy's saml:aud condition", t.url, t.url)
			}
			l.add("idc-acs", t.what, "%s %q is the IAM federation sign-in endpoint; IAM Identity Center has its own ACS URL (https://<region>.signin.aws.amazon.com/platform/saml/acs/<id>): copy it from the Identity Center settings", t.what, t.url)
			continue
		}
		if strings.Contains(t.url, "/platform/saml/") {
			l.add("sts-recipient", t.what, "%s %q is an IAM Identity Center ACS URL, but the profile is aws-sts: use the aws-identity-center profile or post to https://signin.aws.amazon.com/saml", t.what, t.url)
		} else {
			l.add("sts-recipient", t.what, "%s %q is not an AWS sign-in SAML endpoint: use https://signin.aws.amazon.com/saml (or https://<region>.signin.aws.amazon.com/saml)", t.what, t.url)
		}
		if !idcACSRE.MatchString(t.url) {
			l.add("idc-acs", t.what, "%s %q is not an IAM Identity Center ACS URL (https://<region>.signin.aws.amazon.com/platform/saml/acs/<id>): copy the ACS URL from the Identity Center settings", t.what, t.url)
		}
	}
}

// audience checks the AudienceRestriction.
func (l *linter) audience(a *saml.AssertionView, o Options) {
	auds := a.Audiences
	if len(auds) == 0 {
		l.add("sts-audience", "Conditions/AudienceRestriction", "the assertion has no Audience; AWS needs urn:amazon:webservices: add an AudienceRestriction")
		l.add("idc-audience", "Conditions/AudienceRestriction", "the assertion has no Audience; IAM Identity Center needs its issuer URL (https://<region>.signin.aws.amazon.com/platform/saml/d-<id>): add an AudienceRestriction")
		return
	}
	if o.ExpectAudience != "" {
		if !slices.Contains(auds, o.ExpectAudience) {
			l.add("sts-audience", "Conditions/AudienceRestriction", "the Audience %s does not include %q: set the app's entity ID to it", strings.Join(quoteAll(auds), ", "), o.ExpectAudience)
			l.add("idc-audience", "Conditions/AudienceRestriction", "the Audience %s is not the Identity Center issuer URL %q: set the app's entity ID to it", strings.Join(quoteAll(auds), ", "), o.ExpectAudience)
		}
		return
	}
	sts, _ := ProfileByName(ProfileSTS)
	var accepted, regional bool
	for _, au := range auds {
		if slices.Contains(sts.Audiences, au) {
			accepted = true
		} else if s, ok := parseSignIn(au); ok && s.Region != "" {
			regional = true
		}
	}
	switch {
	case accepted:
	case regional:
		l.add("sts-audience-regional", "Conditions/AudienceRestriction", "the Audience %s is a regional sign-in URL, which AWS is not documented to accept: use urn:amazon:webservices", strings.Join(quoteAll(auds), ", "))
	default:
		l.add("sts-audience", "Conditions/AudienceRestriction", "the Audience %s is not AWS's: use urn:amazon:webservices (aws-cn: urn:amazon:webservices:cn-north-1, aws-us-gov: urn:amazon:webservices:govcloud)", strings.Join(quoteAll(auds), ", "))
	}
	if !slices.ContainsFunc(auds, idcAudRE.MatchString) {
		l.add("idc-audience", "Conditions/AudienceRestriction", "the Audience %s is not an IAM Identity Center issuer URL (https://<region>.signin.aws.amazon.com/platform/saml/d-<10 hex>): copy the issuer URL from the Identity Center settings", strings.Join(quoteAll(auds), ", "))
	}
}

// timeWindow checks validity against opts.Now and the redemption window.
func (l *linter) timeWindow(v *saml.View, a *saml.AssertionView, o Options) {
	issued := a.IssueInstant
	if issued.IsZero() {
		issued = v.IssueInstant
	}
	// NotOnOrAfter values: Conditions and each SubjectConfirmationData.
	type limit struct {
		where string
		t     time.Time
	}
	var ends []limit
	if !a.NotOnOrAfter.IsZero() {
		ends = append(ends, limit{"Conditions", a.NotOnOrAfter})
	}
	starts := []limit{}
	if !a.NotBefore.IsZero() {
		starts = append(starts, limit{"Conditions", a.NotBefore})
	}
	for _, sc := range a.SubjectConfirmations {
		if !sc.NotOnOrAfter.IsZero() {
			ends = append(ends, limit{"SubjectConfirmationData", sc.NotOnOrAfter})
		}
		if !sc.NotBefore.IsZero() {
			starts = append(starts, limit{"SubjectConfirmationData", sc.NotBefore})
		}
	}
	if !issued.IsZero() {
		for _, e := range ends {
			if e.t.Sub(issued) > redemptionWindow {
				l.add("sts-redemption-note", e.where, "%s NotOnOrAfter is %s after IssueInstant; that is allowed, but STS refuses the assertion more than 5 minutes after issuance anyway", e.where, saml.HumanDuration(e.t.Sub(issued)))
				break
			}
		}
	}
	if o.Now.IsZero() {
		return
	}
	now := o.Now
	for _, e := range ends {
		if !now.Before(e.t.Add(o.Skew)) {
			l.add("sts-expired", e.where, "the assertion expired at %s (%s NotOnOrAfter), %s before %s: issue a fresh response", e.t.UTC().Format(time.RFC3339), e.where, saml.HumanDuration(now.Sub(e.t)), now.UTC().Format(time.RFC3339))
		}
	}
	for _, s := range starts {
		if s.t.After(now.Add(o.Skew)) {
			l.add("sts-not-yet-valid", s.where, "the assertion is not valid until %s (%s NotBefore), %s after %s: check the IdP clock", s.t.UTC().Format(time.RFC3339), s.where, saml.HumanDuration(s.t.Sub(now)), now.UTC().Format(time.RFC3339))
		}
	}
	if !issued.IsZero() && issued.After(now.Add(o.Skew)) {
		l.add("sts-not-yet-valid", "IssueInstant", "IssueInstant %s is %s in the future: check the IdP clock", issued.UTC().Format(time.RFC3339), saml.HumanDuration(issued.Sub(now)))
	}
	if !issued.IsZero() && now.After(issued.Add(redemptionWindow+o.Skew)) {
		l.add("sts-redemption", "IssueInstant", "the assertion was issued at %s, %s before %s; STS takes it only within 5 minutes of issuance: sign in again for a fresh response", issued.UTC().Format(time.RFC3339), saml.HumanDuration(now.Sub(issued)), now.UTC().Format(time.RFC3339))
	}
}

// sessionCap notes when SessionNotOnOrAfter cuts the console session
// shorter than SessionDuration.
func (l *linter) sessionCap(a *saml.AssertionView) {
	if a.SessionNotOnOrAfter.IsZero() {
		return
	}
	start := a.AuthnInstant
	if start.IsZero() {
		start = a.IssueInstant
	}
	if start.IsZero() {
		return
	}
	dur := 3600
	for _, at := range a.Attributes {
		if at.Name == AttrSessionDuration && len(at.Values) == 1 {
			if n, ok := atoiRange(at.Values[0]); ok {
				dur = n
			}
		}
	}
	if left := a.SessionNotOnOrAfter.Sub(start); left < time.Duration(dur)*time.Second {
		l.add("sts-session-duration-capped", "AuthnStatement", "SessionNotOnOrAfter ends the console session %s after sign-in, before the SessionDuration of %ds: raise SessionNotOnOrAfter if the longer session is wanted", saml.HumanDuration(left), dur)
	}
}

// inResponseTo checks that the response answers the AuthnRequest the SP
// sent.
func (l *linter) inResponseTo(v *saml.View, a *saml.AssertionView, want string) {
	if v.Root == "Response" && v.InResponseTo != want {
		if v.InResponseTo == "" {
			l.add("idc-in-response-to", "InResponseTo", "the Response has no InResponseTo, but it should answer the AuthnRequest %q: an SP that sent a request refuses an IdP-initiated response; start the sign-in from the SP or answer its request", want)
		} else {
			l.add("idc-in-response-to", "InResponseTo", "the Response answers the AuthnRequest %q, not %q (the one the SP sent): answer the SP's current request", v.InResponseTo, want)
		}
	}
	if a == nil {
		return
	}
	for _, sc := range a.SubjectConfirmations {
		if sc.Method == cmBearer && sc.InResponseTo != want {
			l.add("idc-in-response-to", "SubjectConfirmationData", "SubjectConfirmationData InResponseTo is %s, not the AuthnRequest ID %q: the signed assertion must name the request it answers", orNone(quoteOrEmpty(sc.InResponseTo)), want)
		}
	}
}

func quoteOrEmpty(s string) string {
	if s == "" {
		return ""
	}
	return strconv.Quote(s)
}

// assumeRole checks that the role the caller will assume is one of the
// Role pairs.
func (l *linter) assumeRole(a *saml.AssertionView, want string) {
	var wantRole, wantProvider string
	for _, part := range strings.Split(want, ",") {
		part = strings.TrimSpace(part)
		if strings.Contains(part, ":saml-provider/") {
			wantProvider = part
		} else {
			wantRole = part
		}
	}
	var offered []string
	for _, at := range a.Attributes {
		if at.Name != AttrRole {
			continue
		}
		for _, val := range at.Values {
			p, _ := parseRoleValue(val)
			if p.Role.Raw == "" {
				continue
			}
			offered = append(offered, p.Role.Raw)
			if p.Role.Raw == wantRole && (wantProvider == "" || p.Provider.Raw == wantProvider) {
				return
			}
		}
	}
	if len(offered) == 0 {
		l.add("sts-role-assumed", AttrRole, "the caller will assume %s, but the assertion offers no role: assign the user that role (a Role value role-arn,provider-arn)", want)
		return
	}
	l.add("sts-role-assumed", AttrRole, "the caller will assume %s, which is not one of the Role values (%s): AssumeRoleWithSAML takes a RoleArn and PrincipalArn from the assertion's pairs (saml2aws: \"Supplied RoleArn not found in saml assertion\"); assign that role to the user or assume one offered", want, strings.Join(offered, ", "))
}

// configuredKeys warns about AccessControl keys Identity Center also has
// configured: the configured value replaces the SAML one.
func (l *linter) configuredKeys(a *saml.AssertionView, keys []string) {
	for _, at := range a.Attributes {
		key, ok := strings.CutPrefix(at.Name, PrefixAccessControl)
		if !ok {
			continue
		}
		for _, k := range keys {
			if strings.EqualFold(strings.TrimSpace(k), key) {
				l.add("abac-configured-key", at.Name, "AccessControl:%s is also configured on Identity Center's Attributes for access control page (as %q), and the configured value replaces the one sent in SAML: remove the key from one of the two", key, k)
				break
			}
		}
	}
}
