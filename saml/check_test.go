package saml

import (
	"crypto/x509"
	"reflect"
	"testing"
	"time"
)

func TestCheckEntra(t *testing.T) {
	v, err := Read(rtEntraMessage(t), ReadOptions{
		Certificates: []*x509.Certificate{rtEntraCert(t)},
		Now:          func() time.Time { return rtEntraTime },
	})
	if err != nil {
		t.Fatal(err)
	}
	good := Expect{
		Audience:     "spn:95210223-1471-47de-8f76-c0f420c1738f",
		Recipient:    "http://localhost:8080/saml/SSO",
		Destination:  "http://localhost:8080/saml/SSO",
		InResponseTo: "ARQe02d7b7-ac3d-4b0d-bb17-6c54ef3b08f1",
		Issuer:       "https://sts.windows.net/603e9946-79fd-42bc-bae2-2abda19cb695/",
		Now:          rtEntraTime,
		Skew:         3 * time.Minute,
	}
	with := func(f func(*Expect)) Expect {
		e := good
		f(&e)
		return e
	}
	tests := []struct {
		name   string
		expect Expect
		want   []string
	}{
		{"all as expected", good, nil},
		{"nothing asked", Expect{}, nil},
		{"expired", with(func(e *Expect) { e.Now = time.Date(2024, 3, 21, 14, 0, 40, 0, time.UTC); e.Skew = 0 }), []string{
			"saml: assertion Conditions expired by 3m12s: NotOnOrAfter 2024-03-21T13:57:27Z, now 2024-03-21T14:00:40Z",
			"saml: SubjectConfirmationData expired by 3m12s: NotOnOrAfter 2024-03-21T13:57:27Z, now 2024-03-21T14:00:40Z",
		}},
		// A response captured years ago: days and the date, not "26914h45m30s".
		{"expired long ago", with(func(e *Expect) { e.Now = time.Date(2027, 4, 15, 14, 0, 40, 0, time.UTC); e.Skew = 0 }), []string{
			"saml: assertion Conditions expired 1120 days ago, on 2024-03-21 13:57:27 UTC: NotOnOrAfter 2024-03-21T13:57:27Z, now 2027-04-15T14:00:40Z",
			"saml: SubjectConfirmationData expired 1120 days ago, on 2024-03-21 13:57:27 UTC: NotOnOrAfter 2024-03-21T13:57:27Z, now 2027-04-15T14:00:40Z",
		}},
		{"not yet valid for days", with(func(e *Expect) { e.Now = time.Date(2024, 3, 18, 10, 0, 0, 0, time.UTC) }), []string{
			"saml: assertion Conditions not yet valid for another 3 days 2h, until 2024-03-21 12:52:27 UTC: NotBefore 2024-03-21T12:52:27Z, now 2024-03-18T10:00:00Z",
		}},
		{"expired but within skew", with(func(e *Expect) { e.Now = time.Date(2024, 3, 21, 14, 0, 0, 0, time.UTC) }), nil},
		{"not yet valid", with(func(e *Expect) { e.Now = time.Date(2024, 3, 21, 12, 40, 0, 0, time.UTC) }), []string{
			"saml: assertion Conditions not yet valid: NotBefore 2024-03-21T12:52:27Z is 12m28s after now (2024-03-21T12:40:00Z)",
		}},
		{"audience", with(func(e *Expect) { e.Audience = "urn:amazon:webservices" }), []string{
			`saml: audience "urn:amazon:webservices" not in [spn:95210223-1471-47de-8f76-c0f420c1738f]`,
		}},
		{"recipient", with(func(e *Expect) { e.Recipient = "https://signin.aws.amazon.com/saml" }), []string{
			`saml: recipient mismatch: SubjectConfirmationData Recipient "http://localhost:8080/saml/SSO", want "https://signin.aws.amazon.com/saml"`,
		}},
		{"destination", with(func(e *Expect) { e.Destination = "https://sp.example.com/acs" }), []string{
			`saml: destination "http://localhost:8080/saml/SSO", want "https://sp.example.com/acs"`,
		}},
		{"in response to", with(func(e *Expect) { e.InResponseTo = "_other" }), []string{
			`saml: response InResponseTo "ARQe02d7b7-ac3d-4b0d-bb17-6c54ef3b08f1", want "_other"`,
			`saml: SubjectConfirmationData InResponseTo "ARQe02d7b7-ac3d-4b0d-bb17-6c54ef3b08f1", want "_other"`,
		}},
		{"issuer", with(func(e *Expect) { e.Issuer = "https://evil.example/" }), []string{
			`saml: assertion issuer "https://sts.windows.net/603e9946-79fd-42bc-bae2-2abda19cb695/", want "https://evil.example/"`,
			`saml: response issuer "https://sts.windows.net/603e9946-79fd-42bc-bae2-2abda19cb695/", want "https://evil.example/"`,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, err := range v.Check(tt.expect) {
				got = append(got, err.Error())
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Check:\n got %q\nwant %q", got, tt.want)
			}
		})
	}
}

func TestCheckShapes(t *testing.T) {
	tests := []struct {
		name string
		view View
		want []string
	}{
		{
			"failed status",
			View{Root: "Response", StatusCode: "urn:oasis:names:tc:SAML:2.0:status:Responder", StatusSubCode: "urn:oasis:names:tc:SAML:2.0:status:NoPassive", StatusMessage: "no session"},
			[]string{`saml: status is Responder, not Success (NoPassive): "no session"`, "saml: the message carries no assertion: nothing else can be checked"},
		},
		{
			"encrypted, not decrypted",
			View{Root: "Response", StatusCode: readStatusSuccess, Encrypted: true},
			[]string{"saml: the assertion is encrypted and was not decrypted: nothing else can be checked"},
		},
		{
			"no audience restriction, no bearer",
			View{Root: "Assertion", Assertion: &AssertionView{}},
			[]string{
				`saml: audience "urn:sp" not in the assertion: it has no AudienceRestriction`,
				"saml: no bearer SubjectConfirmation (Method urn:oasis:names:tc:SAML:2.0:cm:bearer)",
			},
		},
		{
			"signed response without Destination",
			View{Root: "Response", StatusCode: readStatusSuccess, VerifiedElement: "Response", Assertion: &AssertionView{Audiences: []string{"urn:sp"}, SubjectConfirmations: []SubjectConfirmation{{Method: readBearer, Recipient: "https://sp/acs"}}}},
			[]string{`saml: the signed Response has no Destination; want "https://sp/acs"`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, err := range tt.view.Check(Expect{Audience: "urn:sp", Recipient: "https://sp/acs", Destination: "https://sp/acs"}) {
				got = append(got, err.Error())
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Check:\n got %q\nwant %q", got, tt.want)
			}
		})
	}
}
