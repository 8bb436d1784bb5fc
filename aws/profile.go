package aws

import (
	"fmt"
	"strings"
	"time"

	"github.com/samlab/samlab/saml"
)

// Profile names.
const (
	// ProfileSTS is AWS sign-in / STS AssumeRoleWithSAML through an IAM
	// SAML provider.
	ProfileSTS = "aws-sts"
	// ProfileIdentityCenter is IAM Identity Center as the service provider.
	ProfileIdentityCenter = "aws-identity-center"
	// ProfileGeneric is any other service provider: only the checks on
	// AWS-named attributes and plain SAML validity run.
	ProfileGeneric = "generic"
)

// NameID formats.
const (
	NameIDPersistent   = "urn:oasis:names:tc:SAML:2.0:nameid-format:persistent"
	NameIDTransient    = "urn:oasis:names:tc:SAML:2.0:nameid-format:transient"
	NameIDKerberos     = "urn:oasis:names:tc:SAML:2.0:nameid-format:kerberos"
	NameIDEntity       = "urn:oasis:names:tc:SAML:2.0:nameid-format:entity"
	NameIDEmailAddress = "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress"
	NameIDUnspecified  = "urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified"
	NameIDX509Subject  = "urn:oasis:names:tc:SAML:1.1:nameid-format:X509SubjectName"
	NameIDWindows      = "urn:oasis:names:tc:SAML:1.1:nameid-format:WindowsDomainQualifiedName"
)

// Signature algorithm names, as the configuration spells them.
const (
	AlgorithmRSASHA256 = "rsa-sha256"
)

// What a profile signs.
const (
	SignAssertion = "assertion"
	SignResponse  = "response"
	SignBoth      = "both"
)

// Profile holds an application profile's defaults (what samlab issues)
// and selects the lint rules that apply to it.
type Profile struct {
	// Name is aws-sts, aws-identity-center or generic.
	Name string
	// Audience is the default Audience; "" means the SP's entity ID.
	Audience string
	// Audiences lists every audience AWS accepts for the profile, the
	// default first (partition variants for STS). Empty means "the SP's
	// entity ID, whatever it is".
	Audiences []string
	// ACS lists recipient shapes: the default first, then accepted
	// forms; "<region>" and "<id>" stand for an AWS region and an
	// instance or provider ID.
	ACS []string
	// NameIDFormat is the default NameID Format URN.
	NameIDFormat string
	// Lifetime is NotOnOrAfter - IssueInstant.
	Lifetime time.Duration
	// Signing is what gets signed: assertion, response or both.
	Signing string
	// Algorithm is the signature algorithm, e.g. rsa-sha256.
	Algorithm string
	// Encrypt is true when the profile encrypts assertions by default.
	Encrypt bool
	// Encryption tells whether the SP can take an encrypted assertion:
	// "optional" (STS, only with the provider-specific ACS), "never"
	// (Identity Center) or "" (up to the SP).
	Encryption string
	// Required lists attribute names every response must carry.
	Required []string
	// SessionDuration is the default SessionDuration attribute value in
	// seconds, 0 for none.
	SessionDuration int
}

// Partition is one AWS partition's SAML endpoints.
type Partition struct {
	// Name is aws, aws-cn or aws-us-gov.
	Name string
	// Audience is the AWS SP entityID in that partition.
	Audience string
	// SignIn is the sign-in ACS URL in that partition.
	SignIn string
}

// Partitions returns the AWS partitions samlab knows, commercial first.
// The GovCloud sign-in host is not confirmed by an AWS source.
func Partitions() []Partition {
	return []Partition{
		{Name: "aws", Audience: "urn:amazon:webservices", SignIn: "https://signin.aws.amazon.com/saml"},
		{Name: "aws-cn", Audience: "urn:amazon:webservices:cn-north-1", SignIn: "https://signin.amazonaws.cn/saml"},
		{Name: "aws-us-gov", Audience: "urn:amazon:webservices:govcloud", SignIn: "https://signin.amazonaws-us-gov.com/saml"},
	}
}

// Profiles returns the built-in profiles: aws-sts, aws-identity-center and
// generic. Each call returns fresh values.
func Profiles() []Profile {
	var stsAudiences, stsACS []string
	for _, p := range Partitions() {
		stsAudiences = append(stsAudiences, p.Audience)
	}
	// Entra ID's gallery app sends the sign-in URL as Audience; AWS takes it.
	stsAudiences = append(stsAudiences, "https://signin.aws.amazon.com/saml")
	stsACS = append(stsACS,
		"https://signin.aws.amazon.com/saml",
		"https://<region>.signin.aws.amazon.com/saml",
		"https://signin.aws.amazon.com/static/saml",
		"https://<region>.signin.aws.amazon.com/saml/acs/<id>",
		"https://signin.amazonaws.cn/saml",
		"https://signin.amazonaws-us-gov.com/saml",
	)
	return []Profile{
		{
			Name:            ProfileSTS,
			Audience:        "urn:amazon:webservices",
			Audiences:       stsAudiences,
			ACS:             stsACS,
			NameIDFormat:    NameIDPersistent,
			Lifetime:        5 * time.Minute,
			Signing:         SignAssertion,
			Algorithm:       AlgorithmRSASHA256,
			Encryption:      "optional",
			Required:        []string{AttrRole, AttrRoleSessionName},
			SessionDuration: 3600,
		},
		{
			Name: ProfileIdentityCenter,
			ACS: []string{
				"https://<region>.signin.aws.amazon.com/platform/saml/acs/<id>",
				"https://<region>.sso.signin.aws/platform/saml/acs/<id>",
			},
			NameIDFormat: NameIDEmailAddress,
			Lifetime:     5 * time.Minute,
			Signing:      SignBoth,
			Algorithm:    AlgorithmRSASHA256,
			Encryption:   "never",
		},
		{
			Name:         ProfileGeneric,
			NameIDFormat: NameIDUnspecified,
			Lifetime:     5 * time.Minute,
			Signing:      SignAssertion,
			Algorithm:    AlgorithmRSASHA256,
		},
	}
}

// ProfileByName returns the built-in profile with that name.
func ProfileByName(name string) (Profile, error) {
	var names []string
	for _, p := range Profiles() {
		if p.Name == name {
			return p, nil
		}
		names = append(names, p.Name)
	}
	return Profile{}, fmt.Errorf("aws: unknown profile %q (valid: %s)", name, strings.Join(names, ", "))
}

// DetectProfile guesses the profile a response was made for from its
// audience, recipient and destination: an Identity Center path
// (/platform/saml/) means aws-identity-center; urn:amazon:webservices or an
// AWS sign-in /saml endpoint means aws-sts. Without those it looks at the
// attributes (Role ⇒ aws-sts, AccessControl:* ⇒ aws-identity-center), and
// otherwise returns generic.
func DetectProfile(v *saml.View) string {
	if v == nil {
		return ProfileGeneric
	}
	urls := []string{v.Destination}
	if a := v.Assertion; a != nil {
		urls = append(urls, a.Audiences...)
		for _, sc := range a.SubjectConfirmations {
			urls = append(urls, sc.Recipient)
		}
	}
	for _, u := range urls {
		if strings.Contains(u, "/platform/saml/") {
			return ProfileIdentityCenter
		}
	}
	for _, u := range urls {
		if strings.HasPrefix(u, "urn:amazon:webservices") {
			return ProfileSTS
		}
		if _, ok := parseSignIn(u); ok {
			return ProfileSTS
		}
	}
	if a := v.Assertion; a != nil {
		for _, at := range a.Attributes {
			if at.Name == AttrRole {
				return ProfileSTS
			}
			if strings.HasPrefix(at.Name, PrefixAccessControl) {
				return ProfileIdentityCenter
			}
		}
	}
	return ProfileGeneric
}
