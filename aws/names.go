package aws

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// AWS SAML attribute names. They are case-sensitive.
const (
	Namespace             = "https://aws.amazon.com/SAML/Attributes"
	AttrRole              = Namespace + "/Role"
	AttrRoleSessionName   = Namespace + "/RoleSessionName"
	AttrSessionDuration   = Namespace + "/SessionDuration"
	AttrSourceIdentity    = Namespace + "/SourceIdentity"
	AttrTransitiveTagKeys = Namespace + "/TransitiveTagKeys"
	// PrefixPrincipalTag starts an STS session tag attribute name; the
	// tag key follows.
	PrefixPrincipalTag = Namespace + "/PrincipalTag:"
	// PrefixAccessControl starts an Identity Center ABAC attribute name;
	// the key follows.
	PrefixAccessControl = Namespace + "/AccessControl:"
)

// SAML attribute NameFormat URIs.
const (
	NameFormatBasic       = "urn:oasis:names:tc:SAML:2.0:attrname-format:basic"
	NameFormatURI         = "urn:oasis:names:tc:SAML:2.0:attrname-format:uri"
	NameFormatUnspecified = "urn:oasis:names:tc:SAML:2.0:attrname-format:unspecified"
)

const (
	statusSuccess = "urn:oasis:names:tc:SAML:2.0:status:Success"
	cmBearer      = "urn:oasis:names:tc:SAML:2.0:cm:bearer"
	maxTags       = 50
	maxTagKey     = 128
	maxTagValue   = 256
	// packedWarn is half of 50 × (128+256): past it the packed form may
	// overflow even though every single tag is within limits.
	packedWarn = 9600
)

// short returns an AWS attribute name without the namespace
// ("PrincipalTag:Team"), other names unchanged.
func short(name string) string {
	if rest, ok := strings.CutPrefix(name, Namespace+"/"); ok {
		return rest
	}
	return name
}

// exactNames are the fixed AWS attribute names, for the case check.
var exactNames = []string{AttrRole, AttrRoleSessionName, AttrSessionDuration, AttrSourceIdentity, AttrTransitiveTagKeys}

// caseVariant returns the correctly cased AWS name (or prefix) when name
// differs from one only in case, "" otherwise.
func caseVariant(name string) string {
	for _, n := range exactNames {
		if name != n && strings.EqualFold(name, n) {
			return n
		}
	}
	for _, p := range []string{PrefixPrincipalTag, PrefixAccessControl} {
		if len(name) >= len(p) && !strings.HasPrefix(name, p) && strings.EqualFold(name[:len(p)], p) {
			return p + name[len(p):]
		}
	}
	return ""
}

// Sign-in endpoints of IAM federation, in every partition, optionally
// regional; the provider-specific /saml/acs/<id> form is used with
// encryption.
var (
	signInRE = regexp.MustCompile(`^https://(?:([a-z]{2}(?:-[a-z]+)+-\d+)\.)?signin\.(aws\.amazon\.com|amazonaws\.cn|amazonaws-us-gov\.com)/(saml|static/saml|saml/acs/([A-Za-z0-9-]+))$`)
	idcACSRE = regexp.MustCompile(`^https://(?:[a-z0-9-]+\.)*(?:signin\.aws\.amazon\.com|signin\.aws|signin\.amazonaws\.cn|signin\.amazonaws-us-gov\.com)/platform/saml/acs/[A-Za-z0-9-]+$`)
	idcAudRE = regexp.MustCompile(`^https://(?:[a-z0-9-]+\.)*(?:signin\.aws\.amazon\.com|signin\.aws|signin\.amazonaws\.cn|signin\.amazonaws-us-gov\.com)/platform/saml/d-[0-9a-f]{10}$`)
)

// signIn is a parsed IAM federation sign-in URL.
type signIn struct {
	Region     string // "" for the global form
	ProviderID string // set for /saml/acs/<id>
}

func parseSignIn(u string) (signIn, bool) {
	m := signInRE.FindStringSubmatch(u)
	if m == nil {
		return signIn{}, false
	}
	return signIn{Region: m[1], ProviderID: m[4]}, true
}

// Session name and source identity pattern (STS).
var sessionNameRE = regexp.MustCompile(`^[a-zA-Z_0-9+=,.@-]{2,64}$`)

// tagRune reports whether r may appear in a session tag key or value:
// [\p{L}\p{Z}\p{N}_.:/=+\-@] (letters, separators, numbers and _ . : / = + - @).
func tagRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.Is(unicode.Z, r) || unicode.IsNumber(r) || strings.ContainsRune("_.:/=+-@", r)
}

// badTagChars lists, quoted and in order of first appearance, the
// characters of s a session tag may not contain.
func badTagChars(s string) string {
	var bad []string
	seen := map[rune]bool{}
	for _, r := range s {
		if seen[r] {
			continue
		}
		if r == utf8.RuneError || !tagRune(r) {
			seen[r] = true
			bad = append(bad, fmt.Sprintf("%q", r))
		}
	}
	return strings.Join(bad, ", ")
}

const tagCharsets = "letters, digits, spaces and _ . : / = + - @"

// tagKeyProblems says what is wrong with a session tag key, if anything.
func tagKeyProblems(key string) []string {
	var out []string
	n := utf8.RuneCountInString(key)
	switch {
	case n == 0:
		out = append(out, "the tag key is empty: put the key after the colon")
	case n > maxTagKey:
		out = append(out, fmt.Sprintf("the tag key is %d characters long; keys take at most %d: shorten it", n, maxTagKey))
	}
	if bad := badTagChars(key); bad != "" {
		out = append(out, fmt.Sprintf("the tag key contains %s; keys allow %s: remove or replace them", bad, tagCharsets))
	}
	return out
}

// tagValueProblems says what is wrong with a session tag value, if anything.
func tagValueProblems(v string) []string {
	var out []string
	if n := utf8.RuneCountInString(v); n > maxTagValue {
		out = append(out, fmt.Sprintf("the value is %d characters long; values take at most %d: shorten it", n, maxTagValue))
	}
	if bad := badTagChars(v); bad != "" {
		out = append(out, fmt.Sprintf("the value %q contains %s; values allow %s: remove or replace them (a list joined with commas can use \":\" instead)", v, bad, tagCharsets))
	}
	return out
}

// hasAWSPrefix reports whether s begins with the reserved "aws:" in any
// case.
func hasAWSPrefix(s string) bool {
	return len(s) >= 4 && strings.EqualFold(s[:4], "aws:")
}

// fullName joins a claim namespace and name the way Entra ID emits them.
func fullName(namespace, name string) string {
	if namespace == "" {
		return name
	}
	return strings.TrimSuffix(namespace, "/") + "/" + name
}

// nameFormatURN maps a configured NameFormat ("uri", "basic",
// "unspecified" or a URN) to its URN.
func nameFormatURN(f string) string {
	switch f {
	case "uri":
		return NameFormatURI
	case "basic":
		return NameFormatBasic
	case "unspecified":
		return NameFormatUnspecified
	}
	return f
}

// nameIDFormatURN maps a configured NameID format to its URN; "" for
// "default" and "" (the format then follows the source).
func nameIDFormatURN(f string) string {
	switch strings.ToLower(f) {
	case "", "default":
		return ""
	case "email", "emailaddress":
		return NameIDEmailAddress
	case "persistent":
		return NameIDPersistent
	case "transient":
		return NameIDTransient
	case "unspecified":
		return NameIDUnspecified
	case "windows_domain_qualified_name":
		return NameIDWindows
	case "kerberos":
		return NameIDKerberos
	case "entity":
		return NameIDEntity
	}
	return f
}

// stsNameIDFormats are the NameID formats STS accepts ("" means
// unspecified).
var stsNameIDFormats = []string{"", NameIDPersistent, NameIDTransient, NameIDKerberos, NameIDEntity,
	NameIDEmailAddress, NameIDUnspecified, NameIDX509Subject, NameIDWindows}

// addrSpecRE matches an RFC 2822 addr-spec: a dot-atom or quoted-string
// local part, "@", and a dot-atom or domain-literal domain.
var addrSpecRE = regexp.MustCompile(`^(?:[A-Za-z0-9!#$%&'*+/=?^_` + "`" + `{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_` + "`" + `{|}~-]+)*|"(?:[\x20\x21\x23-\x5b\x5d-\x7e]|\\[\x20-\x7e])*")@(?:[A-Za-z0-9!#$%&'*+/=?^_` + "`" + `{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_` + "`" + `{|}~-]+)*|\[[\x21-\x5a\x5e-\x7e]*\])$`)

// atoiRange parses a SessionDuration value; ok is false unless it is an
// integer from 900 to 43200.
func atoiRange(s string) (int, bool) {
	n, err := strconv.Atoi(s)
	if err != nil || n < 900 || n > 43200 {
		return 0, false
	}
	return n, true
}
