// Package examplesp is a small service provider built with crewjam/saml's
// samlsp middleware: the kind of application people connect to samlab. It
// protects one page, /hello, which shows the NameID and every attribute the
// IdP sent. samlab's browser tests run it in-process; cmd/example-sp runs it
// on its own.
package examplesp

import (
	"crypto"
	"crypto/x509"
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"sort"

	"github.com/crewjam/saml/samlsp"
)

// Config says where the SP runs and which IdP it trusts.
type Config struct {
	// URL is the SP's root URL; its entity ID is URL + "/saml/metadata"
	// and its ACS URL + "/saml/acs".
	URL *url.URL
	// Key and Certificate are the SP's key pair (samlsp requires one).
	Key         crypto.Signer
	Certificate *x509.Certificate
	// IDPMetadata is the IdP's metadata XML (samlab serves it at /metadata).
	IDPMetadata []byte
	// SignRequests signs AuthnRequests with Key.
	SignRequests bool
}

// EntityID returns the entity ID of an SP rooted at u.
func EntityID(u *url.URL) string { return u.String() + "/saml/metadata" }

// ACSURL returns the ACS URL of an SP rooted at u.
func ACSURL(u *url.URL) string { return u.String() + "/saml/acs" }

// New returns the SP's handler: /saml/ (metadata, ACS), /hello (protected)
// and / (a link to /hello).
func New(c Config) (http.Handler, error) {
	if c.URL == nil || c.Key == nil || c.Certificate == nil {
		return nil, errors.New("examplesp: URL, Key and Certificate are required")
	}
	md, err := samlsp.ParseMetadata(c.IDPMetadata)
	if err != nil {
		return nil, fmt.Errorf("examplesp: IdP metadata: %w", err)
	}
	mw, err := samlsp.New(samlsp.Options{
		URL: *c.URL, Key: c.Key, Certificate: c.Certificate, IDPMetadata: md,
		SignRequest: c.SignRequests, AllowIDPInitiated: true, DefaultRedirectURI: "/hello",
	})
	if err != nil {
		return nil, fmt.Errorf("examplesp: %w", err)
	}
	mux := http.NewServeMux()
	mux.Handle("/saml/", mw)
	mux.Handle("/hello", mw.RequireAccount(http.HandlerFunc(hello)))
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, `<!DOCTYPE html><title>Example SP</title><h1>Example SP</h1><p><a id="hello" href="/hello">Sign in and say hello</a></p>`)
	})
	return mux, nil
}

type attribute struct {
	Name   string
	Values []string
}

var helloPage = template.Must(template.New("hello").Parse(`<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Hello · Example SP</title>
<style>body{font:15px/1.5 system-ui,sans-serif;margin:40px;color:#1f2328}code{background:#eff2f5;padding:1px 5px;border-radius:4px}td,th{text-align:left;padding:6px 10px;border-bottom:1px solid #d1d9e0}</style>
</head><body>
<h1>Hello from the example SP</h1>
<p>Signed in as <code id="nameid">{{.NameID}}</code></p>
<table id="attributes"><tr><th>Attribute</th><th>Values</th></tr>
{{range .Attributes}}<tr><td><code>{{.Name}}</code></td><td>{{range .Values}}<code class="value">{{.}}</code> {{end}}</td></tr>
{{end}}</table>
</body></html>
`))

func hello(w http.ResponseWriter, r *http.Request) {
	s := samlsp.SessionFromContext(r.Context())
	data := struct {
		NameID     string
		Attributes []attribute
	}{}
	if jc, ok := s.(samlsp.JWTSessionClaims); ok {
		data.NameID = jc.Subject
	}
	if sa, ok := s.(samlsp.SessionWithAttributes); ok {
		for name, values := range sa.GetAttributes() {
			data.Attributes = append(data.Attributes, attribute{Name: name, Values: values})
		}
	}
	sort.Slice(data.Attributes, func(i, j int) bool { return data.Attributes[i].Name < data.Attributes[j].Name })
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	helloPage.Execute(w, data)
}
