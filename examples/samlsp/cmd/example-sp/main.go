// Command example-sp runs the example service provider against a samlab
// IdP:
//
//	example-sp --idp http://127.0.0.1:8080 --url http://127.0.0.1:9000
//
// Register it in samlab's configuration as an app with entity_id
// <url>/saml/metadata and acs_urls = ["<url>/saml/acs"], then open
// <url>/hello.
package main

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"flag"
	"fmt"
	"io"
	"log"
	"math/big"
	"net/http"
	"net/url"
	"os"
	"time"

	examplesp "github.com/samlab/samlab/examples/samlsp"
)

func main() {
	idp := flag.String("idp", "http://127.0.0.1:8080", "samlab base URL (its metadata is read from <idp>/metadata)")
	root := flag.String("url", "http://127.0.0.1:9000", "this SP's root URL")
	flag.Parse()
	u, err := url.Parse(*root)
	if err != nil {
		log.Fatal(err)
	}
	resp, err := http.Get(*idp + "/metadata")
	if err != nil {
		log.Fatal(err)
	}
	md, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	resp.Body.Close()
	if err != nil {
		log.Fatal(err)
	}
	// An ephemeral key pair: the example does not sign its requests.
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		log.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "example-sp"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(365 * 24 * time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		log.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(der)
	h, err := examplesp.New(examplesp.Config{URL: u, Key: key, Certificate: cert, IDPMetadata: md})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Fprintf(os.Stderr, "example SP: entity ID %s, ACS %s, open %s/hello\n", examplesp.EntityID(u), examplesp.ACSURL(u), u)
	srv := &http.Server{Addr: u.Host, Handler: h, ReadHeaderTimeout: 10 * time.Second}
	log.Fatal(srv.ListenAndServe())
}
