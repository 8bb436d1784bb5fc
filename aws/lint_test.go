package aws

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/samlab/samlab/claims"
	"github.com/samlab/samlab/saml"
)

func TestProfileByName(t *testing.T) {
	for _, tc := range []struct {
		name, audience, nameID, signing string
		acs                             string
	}{
		{ProfileSTS, "urn:amazon:webservices", NameIDPersistent, SignAssertion, signInURL},
		{ProfileIdentityCenter, "", NameIDEmailAddress, SignBoth, "https://<region>.signin.aws.amazon.com/platform/saml/acs/<id>"},
		{ProfileGeneric, "", NameIDUnspecified, SignAssertion, ""},
	} {
		p, err := ProfileByName(tc.name)
		if err != nil {
			t.Fatalf("ProfileByName(%q): %v", tc.name, err)
		}
		var acs string
		if len(p.ACS) > 0 {
			acs = p.ACS[0]
		}
		if p.Name != tc.name || p.Audience != tc.audience || p.NameIDFormat != tc.nameID || p.Signing != tc.signing || acs != tc.acs {
			t.Errorf("%s = {%q %q %q %q}, want {%q %q %q %q}", tc.name, p.Audience, p.NameIDFormat, p.Signing, acs, tc.audience, tc.nameID, tc.signing, tc.acs)
		}
		if p.Lifetime != 5*time.Minute || p.Algorithm != "rsa-sha256" {
			t.Errorf("%s: lifetime %v algorithm %q, want 5m0s rsa-sha256", tc.name, p.Lifetime, p.Algorithm)
		}
	}
	sts, _ := ProfileByName(ProfileSTS)
	for _, want := range []string{"urn:amazon:webservices:cn-north-1", "urn:amazon:webservices:govcloud", signInURL} {
		if !strings.Contains(strings.Join(sts.Audiences, " "), want) {
			t.Errorf("aws-sts audiences %v lack %q", sts.Audiences, want)
		}
	}
	_, err := ProfileByName("aws")
	if err == nil || !strings.Contains(err.Error(), "aws-sts, aws-identity-center, generic") || !strings.HasPrefix(err.Error(), "aws: ") {
		t.Errorf("ProfileByName(\"aws\") error = %v, want one listing the valid names", err)
	}
}

func TestDetectProfile(t *testing.T) {
	for _, tc := range []struct {
		name string
		mut  func(v *saml.View)
		base string
		want string
	}{
		{"sts", nil, ProfileSTS, ProfileSTS},
		{"identity center", nil, ProfileIdentityCenter, ProfileIdentityCenter},
		{"generic", nil, ProfileGeneric, ProfileGeneric},
		{"regional sign-in", func(v *saml.View) {
			setRecipient(v, "https://eu-west-1.signin.aws.amazon.com/saml")
			v.Assertion.Audiences = []string{"https://sp.example/"}
		}, ProfileGeneric, ProfileSTS},
		{"Entra audience", func(v *saml.View) { v.Assertion.Audiences = []string{signInURL} }, ProfileGeneric, ProfileSTS},
		{"China audience", func(v *saml.View) { v.Assertion.Audiences = []string{"urn:amazon:webservices:cn-north-1"} }, ProfileGeneric, ProfileSTS},
		{"Role attribute only", func(v *saml.View) { setAttr(v, AttrRole, roleValue) }, ProfileGeneric, ProfileSTS},
		{"AccessControl only", func(v *saml.View) { setAttr(v, PrefixAccessControl+"Team", "x") }, ProfileGeneric, ProfileIdentityCenter},
		{"no assertion", func(v *saml.View) { v.Assertion = nil; v.Destination = idcACS }, ProfileGeneric, ProfileIdentityCenter},
	} {
		v := baseView(tc.base)
		if tc.mut != nil {
			tc.mut(v)
		}
		if got := DetectProfile(v); got != tc.want {
			t.Errorf("%s: DetectProfile = %q, want %q", tc.name, got, tc.want)
		}
	}
	if got := DetectProfile(nil); got != ProfileGeneric {
		t.Errorf("DetectProfile(nil) = %q, want generic", got)
	}
}

func TestMessageSaysWhatToChange(t *testing.T) {
	p := basePolicy(ProfileSTS)
	p.Claims = append(p.Claims, claims.Rule{Name: "PrincipalTag:Team", Namespace: Namespace, Value: "eng,core"})
	p.Claims[4].Name = "PrincipalTag:Squad"
	got := LintPolicy(p, mustProfile(ProfileSTS))
	want := `claim rule PrincipalTag:Team: the value "eng,core" contains ','; values allow letters, digits, spaces and _ . : / = + - @: remove or replace them (a list joined with commas can use ":" instead)`
	if len(got) != 1 || got[0].Message != want || got[0].Rule != "AWS-TAG-004" {
		t.Fatalf("LintPolicy =\n%s\nwant one AWS-TAG-004 with message\n  %s", render(got), want)
	}

	n, attrs := baseClaims(ProfileSTS)
	attrs = append(attrs, claims.Attribute{Name: PrefixPrincipalTag + "Team", Values: []string{"eng", "core"}})
	got = LintClaims(n, attrs, mustProfile(ProfileSTS))
	want = `claim PrincipalTag:Team has 2 values; AWS session tags take one value: join them into one value (e.g. with ":") or pick one claim condition`
	if len(got) != 1 || got[0].Message != want {
		t.Fatalf("LintClaims =\n%s\nwant message\n  %s", render(got), want)
	}
}

// The seed scenario: Entra ID sends a multi-valued AccessControl claim to
// IAM Identity Center, which fails sign-in with "An unexpected error".
func TestSeedMultiValuedAccessControl(t *testing.T) {
	got := LintView(entraIdCView(), mustProfile(ProfileIdentityCenter), Options{Now: t0.Add(time.Minute)})
	if len(got) != 1 {
		t.Fatalf("got %d findings, want 1:\n%s", len(got), render(got))
	}
	f := got[0]
	if f.Rule != "AWS-ABAC-004" || f.Severity != Error || f.Attribute != PrefixAccessControl+"Department" ||
		!strings.Contains(f.Message, "has 2 values") || !strings.Contains(f.AWSError, "An unexpected error has occurred") {
		t.Errorf("finding = %+v", f)
	}
	if !HasErrors(got) {
		t.Error("HasErrors = false")
	}
}

func TestTimeChecksNeedNow(t *testing.T) {
	v := baseView(ProfileSTS)
	got := LintView(v, mustProfile(ProfileSTS), Options{}) // no clock: no time checks
	if len(got) != 0 {
		t.Errorf("zero Now: got\n%s", render(got))
	}
	got = LintView(v, mustProfile(ProfileSTS), Options{Now: t0.Add(24 * time.Hour)})
	var rules []string
	for _, f := range got {
		rules = append(rules, f.Check)
	}
	if strings.Join(rules, " ") != "sts-expired sts-redemption sts-expired" {
		t.Errorf("a day later: checks %v, want expired (Conditions), redemption (IssueInstant), expired (SubjectConfirmationData)", rules)
	}
}

func TestUnknownProfileIsGeneric(t *testing.T) {
	v := baseView(ProfileSTS)
	setAttr(v, PrefixPrincipalTag+"Team", "a,b")
	got := LintView(v, Profile{Name: "custom"}, Options{Now: lintNow})
	if len(got) != 1 || got[0].Check != "tag-value" {
		t.Errorf("custom profile: got\n%s\nwant only tag-value (generic rules)", render(got))
	}
}

func TestSortAndHasErrors(t *testing.T) {
	fs := []Finding{
		{Rule: "AWS-TAG-002", Severity: Info},
		{Rule: "AWS-STS-012", Severity: Warning},
		{Rule: "AWS-TAG-004", Severity: Error, Attribute: "b"},
		{Rule: "AWS-STS-009", Severity: Error},
		{Rule: "AWS-TAG-004", Severity: Error, Attribute: "a"},
	}
	if HasErrors(fs[:2]) {
		t.Error("HasErrors(warning, info) = true")
	}
	Sort(fs)
	var got []string
	for _, f := range fs {
		got = append(got, f.Severity.String()+" "+f.Rule+" "+f.Attribute)
	}
	want := "error AWS-STS-009 |error AWS-TAG-004 a|error AWS-TAG-004 b|warning AWS-STS-012 |info AWS-TAG-002 "
	if strings.Join(got, "|") != want {
		t.Errorf("Sort = %q, want %q", strings.Join(got, "|"), want)
	}
}

func TestFindingJSON(t *testing.T) {
	f := Finding{Rule: "AWS-STS-012", Severity: Warning, Attribute: AttrRoleSessionName, Message: "m", Check: "sts-session-name"}
	b, err := json.Marshal(f)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"rule":"AWS-STS-012","severity":"warning","attribute":"https://aws.amazon.com/SAML/Attributes/RoleSessionName","message":"m","check":"sts-session-name"}`
	if string(b) != want {
		t.Errorf("JSON = %s\nwant   %s", b, want)
	}
	var back Finding
	if err := json.Unmarshal(b, &back); err != nil || back != f {
		t.Errorf("round trip = %+v, %v", back, err)
	}
	var s Severity
	if err := s.UnmarshalText([]byte("fatal")); err == nil {
		t.Error("UnmarshalText(fatal) succeeded")
	}
}

func TestSCIMErrors(t *testing.T) {
	got := LintSCIM([]byte(`{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"alice@contoso.com",
		"displayName":"Alice","name":{"givenName":"Alice","familyName":"Smith"},
		"emails":[{"value":"alice@contoso.com","primary":true}],
		"phoneNumbers":[{"value":"1","type":"work"},{"value":"2","type":"mobile"},{"value":"3","type":"fax"}]}`), "User")
	if len(got) != 1 {
		t.Fatalf("got\n%s\nwant one finding", render(got))
	}
	f := got[0]
	if f.Rule != "AWS-SCIM-004" || f.Attribute != "phoneNumbers" || !strings.Contains(f.Message, "3 items") ||
		!strings.Contains(f.AWSError, SCIMError400) || !strings.Contains(f.AWSError, "Currently list attributes only allow single item") {
		t.Errorf("finding = %+v", f)
	}
	var body map[string]any
	if err := json.Unmarshal([]byte(SCIMError400), &body); err != nil || body["status"] != "400" {
		t.Errorf("SCIMError400 is not the 400 body: %v %v", body, err)
	}

	// kind overrides detection: a Group body linted as a User lacks userName.
	got = LintSCIM([]byte(`{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":"Eng"}`), "User")
	if !strings.Contains(render(got), "userName is missing") {
		t.Errorf("kind User: got\n%s", render(got))
	}
}

func TestRoleARNParsing(t *testing.T) {
	for _, tc := range []struct {
		in                           string
		kind, part, acct, path, name string
		ok                           bool
	}{
		{"arn:aws:iam::111122223333:role/Dev", "role", "aws", "111122223333", "/", "Dev", true},
		{"arn:aws-cn:iam::111122223333:role/a/b/Dev", "role", "aws-cn", "111122223333", "/a/b/", "Dev", true},
		{"arn:aws-us-gov:iam::111122223333:saml-provider/Entra", "saml-provider", "aws-us-gov", "111122223333", "", "Entra", true},
		{"arn:aws:s3:::bucket", "", "", "", "", "", false},
		{"arn:aws:iam::111122223333:user/bob", "", "", "", "", "", false},
	} {
		a, ok := parseIAMARN(tc.in)
		if ok != tc.ok || a.Kind != tc.kind || a.Partition != tc.part || a.Account != tc.acct || a.Path != tc.path || a.Name != tc.name {
			t.Errorf("parseIAMARN(%q) = %+v, %v", tc.in, a, ok)
		}
	}
}

func BenchmarkLintView(b *testing.B) {
	v := entraIdCView()
	p := mustProfile(ProfileIdentityCenter)
	for b.Loop() {
		LintView(v, p, Options{Now: lintNow})
	}
}

func BenchmarkLintClaims(b *testing.B) {
	n, attrs := baseClaims(ProfileSTS)
	p := mustProfile(ProfileSTS)
	for b.Loop() {
		LintClaims(n, attrs, p)
	}
}

// tagRune must agree with the pattern AWS documents.
func TestTagRuneMatchesAWSPattern(t *testing.T) {
	re := regexp.MustCompile(`^[\p{L}\p{Z}\p{N}_.:/=+\-@]$`)
	for r := rune(0); r < 0x3000; r++ {
		if got, want := tagRune(r), re.MatchString(string(r)); got != want {
			t.Fatalf("tagRune(%U) = %v, pattern says %v", r, got, want)
		}
	}
}

// An attribute Identity Center's SCIM schema does not have is an error:
// AWS documents ValidationException (400) for a request that "violates
// schema" (issue 13 item 5).
func TestSCIMUnsupportedAttributeIsError(t *testing.T) {
	body := `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"alice@contoso.com","displayName":"Alice","name":{"givenName":"Alice","familyName":"Smith"},"mailNickname":"alice"}`
	fs := LintSCIM([]byte(body), "User")
	if !HasErrors(fs) || len(fs) != 1 || fs[0].Check != "scim-unsupported-attribute" || fs[0].AWSError != "400 "+SCIMError400 {
		t.Fatalf("findings = %+v, want one scim-unsupported-attribute error with the 400 body", fs)
	}
}
