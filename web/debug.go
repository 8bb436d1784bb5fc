package web

import (
	"encoding/base64"
	"github.com/beevik/etree"
	"net/http"

	"github.com/samlab/samlab/aws"
	"github.com/samlab/samlab/claims"
	"github.com/samlab/samlab/idp"
)

// debugView is the page shown before posting when the app has debug_view or
// the request asked for ?debug=1.
type debugView struct {
	AppName       string
	User          string
	ACS           string
	InResponseTo  string
	RelayState    string
	HasRelayState bool
	NameID        claims.NameID
	Attributes    []claims.Attribute
	Omitted       []claims.Omission
	Findings      []aws.Finding
	AWS           []string
	XML           string
	SAMLResponse  string
	Base64Len     int
}

func (sv *server) showDebug(w http.ResponseWriter, r *http.Request, sess *session, p *pending, issued *idp.Issued) {
	d := debugView{
		AppName: issued.App.DisplayName, User: sess.User, ACS: issued.ACS, InResponseTo: p.InResponseTo,
		RelayState: p.RelayState, HasRelayState: p.RelayState != "",
		NameID: issued.Result.NameID, Attributes: issued.Result.Attributes, Omitted: issued.Result.Omitted,
		Findings: issued.Findings, XML: indentXML(issued.Response.XML), SAMLResponse: issued.Response.Base64(),
	}
	d.Base64Len = len(d.SAMLResponse)
	if issued.App.Profile.Name == "aws-sts" || issued.App.Profile.Name == "aws-identity-center" {
		s := aws.SessionFromClaims(issued.Result.NameID, issued.Result.Attributes)
		s.Profile = issued.App.Profile.Name
		d.AWS = s.Lines()
	}
	h := w.Header()
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'self'; img-src 'self'; form-action "+
		formActionSources(issued.ACS, issued.App)+" 'self'; frame-ancestors 'none'; base-uri 'none'")
	h.Set("Cache-Control", "no-store")
	sv.render(w, r, http.StatusOK, "debug", page{Title: "Debug view", User: sess.User, CSRF: sv.csrfToken(sess), Data: d})
}

// indentXML returns an indented copy of x for reading; the posted bytes
// are never re-serialised (that would break the signature).
func indentXML(x []byte) string {
	doc := etree.NewDocument()
	if err := doc.ReadFromBytes(x); err != nil {
		return string(x)
	}
	doc.Indent(2)
	s, err := doc.WriteToString()
	if err != nil {
		return string(x)
	}
	return s
}

func b64(b []byte) string { return base64.StdEncoding.EncodeToString(b) }
