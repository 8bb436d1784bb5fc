package aws

import (
	"strings"
	"testing"
	"time"

	"github.com/samlab/samlab/claims"
	"github.com/samlab/samlab/saml"
)

// FuzzLintView builds Views from random strings and checks that linting
// and the session view never panic, under every profile, and that every
// finding names a registered check.
func FuzzLintView(f *testing.F) {
	f.Add(signInURL, "urn:amazon:webservices", "alice", AttrRole, roleValue, PrefixPrincipalTag+"Team", "eng,core", int64(300), 2)
	f.Add(idcACS, idcAudience, "alice@contoso.com", PrefixAccessControl+"Dept", "x", PrefixAccessControl+"dept", "y", int64(-5), 1)
	f.Add("", "", "", "", "", "", "", int64(0), 0)
	f.Add("https://eu-west-1.signin.aws.amazon.com/saml/acs/X", "urn:amazon:webservices:govcloud", "a@b", AttrSessionDuration,
		"99999999999999999999", AttrTransitiveTagKeys, "Team", int64(1<<40), 7)
	f.Fuzz(func(t *testing.T, recipient, audience, nameID, name1, value1, name2, value2 string, secs int64, n int) {
		n = n % 64
		if n < 0 {
			n = -n
		}
		v := &saml.View{
			Root:           "Response",
			Destination:    recipient,
			Issuer:         value2,
			StatusCode:     audience,
			AssertionCount: n,
			Encrypted:      n%3 == 0,
			Decrypted:      n%2 == 0,
			Base64Len:      int(secs),
			IssueInstant:   t0.Add(time.Duration(secs) * time.Second),
		}
		if n%5 != 4 {
			a := &saml.AssertionView{
				Issuer:              value1,
				IssueInstant:        t0,
				NameID:              nameID,
				NameIDFormat:        name2,
				NotBefore:           t0.Add(-time.Duration(secs)),
				NotOnOrAfter:        t0.Add(time.Duration(secs) * time.Second),
				SessionNotOnOrAfter: t0.Add(time.Duration(secs)),
				Audiences:           []string{audience},
			}
			for i := range n % 4 {
				a.SubjectConfirmations = append(a.SubjectConfirmations, saml.SubjectConfirmation{
					Method: []string{cmBearer, value1}[i%2], Recipient: recipient, NotOnOrAfter: a.NotOnOrAfter,
				})
			}
			for i := range n {
				a.Attributes = append(a.Attributes,
					saml.AttributeView{Name: name1, NameFormat: value2, Values: strings.Split(value1, ","), StructuredValue: i%2 == 1},
					saml.AttributeView{Name: name2 + strings.Repeat("x", i), Values: []string{value2}})
			}
			v.Assertion = a
		}
		for i := range n % 3 {
			v.Signatures = append(v.Signatures, saml.SignatureInfo{Element: []string{"Response", "Assertion", name1}[i], Algorithm: value1})
		}
		index := checkIndex()
		for _, p := range Profiles() {
			for _, fd := range LintView(v, p, Options{Now: t0.Add(time.Minute), ExpectAudience: value2, ExpectRecipient: name1}) {
				if _, ok := index[fd.Check]; !ok || fd.Message == "" {
					t.Fatalf("finding %+v has no registered check or no message", fd)
				}
			}
		}
		_ = SessionView(v).String()
		DetectProfile(v)
		var attrs []claims.Attribute
		if v.Assertion != nil {
			for _, a := range v.Assertion.Attributes {
				attrs = append(attrs, claims.Attribute{Name: a.Name, NameFormat: a.NameFormat, Values: a.Values})
			}
		}
		for _, p := range Profiles() {
			LintClaims(claims.NameID{Value: nameID, Format: name2}, attrs, p)
			LintPolicy(claims.Policy{
				NameID:              claims.NameIDRule{Format: name2},
				AttributeNameFormat: value2,
				Claims:              []claims.Rule{{Name: name1, Namespace: recipient, Value: value1, MultiValued: n%2 == 0}},
			}, p)
		}
		_ = SessionFromClaims(claims.NameID{Value: nameID}, attrs).String()
	})
}

// FuzzLintSCIM feeds arbitrary bodies to LintSCIM: it must never panic,
// and invalid JSON must give exactly one finding.
func FuzzLintSCIM(f *testing.F) {
	f.Add([]byte(`{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"a","name":{"givenName":"A","familyName":"B"},"displayName":"A B"}`), "")
	f.Add([]byte(`{"emails":[{"value":1,"primary":"true","display":{}}],"phoneNumbers":{},"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"manager":[]}}`), "User")
	f.Add([]byte(`{"members":[1,2],"displayName":["x"],"meta":{"version":1}}`), "Group")
	f.Add([]byte(`{"a":`), "")
	f.Add([]byte(`null`), "")
	f.Fuzz(func(t *testing.T, body []byte, kind string) {
		got := LintSCIM(body, kind)
		for _, fd := range got {
			if fd.Check == "scim-json" && len(got) != 1 {
				t.Fatalf("invalid JSON gave %d findings", len(got))
			}
			if !strings.HasPrefix(fd.Rule, "AWS-SCIM-") || (fd.Severity == Error && fd.AWSError == "") {
				t.Fatalf("finding %+v", fd)
			}
		}
	})
}
