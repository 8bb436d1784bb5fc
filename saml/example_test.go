package saml_test

import (
	"fmt"
	"log"
	"os"
	"time"

	"github.com/samlab/samlab/saml"
)

// Inspect reads a response as it was posted (here the base64 of a real
// Entra ID response; a whole "SAMLResponse=...&RelayState=..." body, a
// Redirect URL or raw XML work the same), verifies it against the IdP's
// certificate as pasted (PEM, or the IdP's metadata XML), and returns the
// View, a summary and the XML with the signed lines marked.
func ExampleInspect() {
	posted, err := os.ReadFile("testdata/reader/entra-response.b64")
	if err != nil {
		log.Fatal(err)
	}
	idpCert, err := os.ReadFile("testdata/reader/entra-signing.pem")
	if err != nil {
		log.Fatal(err)
	}
	at := time.Date(2024, 3, 21, 13, 0, 0, 0, time.UTC)
	report, err := saml.Inspect(posted, saml.InspectOptions{
		Trust: idpCert,
		Now:   func() time.Time { return at },
	})
	if err != nil {
		log.Fatal(err) // unreadable, refused, or not verified
	}
	fmt.Println(report.Kind, "in", report.Message.Form, "verified:", report.Verified())
	for _, row := range report.Summary(at)[:3] {
		fmt.Printf("%s: %s\n", row.Name, row.Value)
	}
	for _, s := range report.Signatures() {
		fmt.Println("signature over the", s.Element+":", s.State(report.Trusted))
	}
	for _, problem := range report.View.Check(saml.Expect{
		Audience: "spn:95210223-1471-47de-8f76-c0f420c1738f",
		Now:      at,
	}) {
		fmt.Println(problem)
	}
	// Output:
	// Response in base64 verified: true
	// Message: Response (base64, 6296 base64 characters)
	// ID: _223f6f44-4e27-4fd6-bb7c-4dab599276cd
	// Issuer: https://sts.windows.net/603e9946-79fd-42bc-bae2-2abda19cb695/
	// signature over the Assertion: VALID
}
