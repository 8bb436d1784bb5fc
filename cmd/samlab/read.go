package main

import (
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/beevik/etree"

	"github.com/samlab/samlab/aws"
	"github.com/samlab/samlab/certs"
	"github.com/samlab/samlab/saml"
)

// trustFlags are the ways to name what a response must be signed by.
type trustFlags struct {
	cert, metadata, key *string
}

func addTrustFlags(fsCert, fsMeta, fsKey func(name, value, usage string) *string) trustFlags {
	return trustFlags{
		cert:     fsCert("cert", "", "trusted IdP signing certificate `file` (PEM)"),
		metadata: fsMeta("metadata", "", "trusted IdP metadata `file`: its signing certificates are trusted"),
		key:      fsKey("key", "", "private key `file` (PEM) to decrypt an EncryptedAssertion"),
	}
}

// load reads the trust anchors and the decryption key.
func (tf trustFlags) load() (anchors []*x509.Certificate, entityID string, key any, err error) {
	if *tf.cert != "" && *tf.metadata != "" {
		return nil, "", nil, errors.New("give --cert or --metadata, not both")
	}
	if *tf.cert != "" {
		c, err := certs.LoadCertificate(*tf.cert)
		if err != nil {
			return nil, "", nil, err
		}
		anchors = []*x509.Certificate{c}
	}
	if *tf.metadata != "" {
		data, err := os.ReadFile(*tf.metadata)
		if err != nil {
			return nil, "", nil, err
		}
		entityID, anchors, err = saml.CertificatesFromMetadata(data)
		if err != nil {
			return nil, "", nil, fmt.Errorf("--metadata %s: %w", *tf.metadata, err)
		}
	}
	if *tf.key != "" {
		if key, err = loadDecryptionKey(*tf.key); err != nil {
			return nil, "", nil, err
		}
	}
	return anchors, entityID, key, nil
}

// loadDecryptionKey reads the SP private key (PEM) given with --key.
func loadDecryptionKey(path string) (any, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	k, err := certs.ParsePrivateKeyPEM(data)
	if err != nil {
		return nil, fmt.Errorf("--key %s: %w", path, err)
	}
	return k, nil
}

// isRequest tells an AuthnRequest or LogoutRequest from a response.
func isRequest(msg *saml.Message) bool {
	if msg.Param == "SAMLRequest" {
		return true
	}
	head := string(msg.XML[:min(len(msg.XML), 512)])
	return strings.Contains(head, "AuthnRequest") || strings.Contains(head, "LogoutRequest")
}

// writeRequest summarises an AuthnRequest or LogoutRequest.
func writeRequest(w io.Writer, msg *saml.Message, now time.Time) error {
	doc, err := saml.ParseSafe(msg.XML, saml.RequestLimits())
	if err != nil {
		return err
	}
	root := doc.Root()
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	row := func(k, v string) {
		if v != "" {
			fmt.Fprintf(tw, "%s\t%s\n", k, value(v))
		}
	}
	row("Message", root.Tag+" ("+bindingName(msg)+")")
	row("ID", root.SelectAttrValue("ID", ""))
	if t, err := time.Parse(time.RFC3339Nano, root.SelectAttrValue("IssueInstant", "")); err == nil {
		row("IssueInstant", t.UTC().Format(time.RFC3339)+" ("+relative(t, now)+")")
	}
	row("Issuer", childText(root, "Issuer"))
	row("Destination", root.SelectAttrValue("Destination", ""))
	row("ACS URL", root.SelectAttrValue("AssertionConsumerServiceURL", ""))
	row("ACS index", root.SelectAttrValue("AssertionConsumerServiceIndex", ""))
	row("ProtocolBinding", root.SelectAttrValue("ProtocolBinding", ""))
	row("ForceAuthn", root.SelectAttrValue("ForceAuthn", ""))
	row("IsPassive", root.SelectAttrValue("IsPassive", ""))
	if p := root.FindElement("./NameIDPolicy"); p != nil {
		row("NameIDPolicy", p.SelectAttrValue("Format", "(no format)"))
	}
	row("NameID", childText(root, "NameID"))
	row("SessionIndex", childText(root, "SessionIndex"))
	switch {
	case root.FindElement("./Signature") != nil:
		row("Signed", "yes (enveloped signature)")
	case msg.Deflated:
		row("Signed", "not in the XML (Redirect binding signs the URL query: Signature and SigAlg parameters)")
	default:
		row("Signed", "no")
	}
	row("RelayState", msg.RelayState)
	return tw.Flush()
}

func bindingName(msg *saml.Message) string {
	if msg.Deflated {
		return "HTTP-Redirect binding"
	}
	if msg.Param != "" {
		return "HTTP-POST binding"
	}
	return msg.Form
}

func childText(el *etree.Element, tag string) string {
	if c := el.FindElement("./" + tag); c != nil {
		return c.Text()
	}
	return ""
}

// relative says how far t is from now: "in 4m0s", "3m12s ago",
// "1121 days ago".
func relative(t, now time.Time) string {
	d := t.Sub(now).Round(time.Second)
	switch {
	case d > 0:
		return "in " + saml.HumanDuration(d)
	case d < 0:
		return saml.HumanDuration(-d) + " ago"
	}
	return "now"
}

// writeView prints a response for people.
func writeView(w io.Writer, v *saml.View, msg *saml.Message, now time.Time, trusted, keyGiven bool) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	row := func(k, val string) {
		if val != "" {
			fmt.Fprintf(tw, "%s\t%s\n", k, value(val))
		}
	}
	at := func(k string, t time.Time) {
		if !t.IsZero() {
			row(k, t.UTC().Format("2006-01-02T15:04:05.000Z")+" ("+relative(t, now)+")")
		}
	}
	row("Message", v.Root+" ("+msg.Form+", "+fmt.Sprint(msg.Base64Len)+" base64 characters)")
	row("ID", v.ID)
	row("Issuer", v.Issuer)
	row("Destination", v.Destination)
	row("InResponseTo", v.InResponseTo)
	at("IssueInstant", v.IssueInstant)
	status := v.StatusCode
	if v.StatusSubCode != "" {
		status += " / " + v.StatusSubCode
	}
	if v.StatusMessage != "" {
		status += ": " + v.StatusMessage
	}
	row("Status", status)
	row("RelayState", msg.RelayState)
	if v.Encrypted {
		switch {
		case v.Decrypted:
			row("Encrypted", "yes (decrypted)")
		case keyGiven:
			row("Encrypted", "yes (NOT decrypted: the --key given cannot decrypt it, see Problems)")
		default:
			row("Encrypted", "yes (not decrypted: give --key)")
		}
	}
	if a := v.Assertion; a != nil {
		row("Assertion", a.ID)
		if a.Issuer != v.Issuer {
			row("Assertion issuer", a.Issuer)
		}
		row("NameID", a.NameID)
		row("NameID format", a.NameIDFormat)
		row("SPNameQualifier", a.NameIDSPNameQualifier)
		for _, sc := range a.SubjectConfirmations {
			row("Recipient", sc.Recipient)
			at("Confirmation until", sc.NotOnOrAfter)
		}
		row("Audience", strings.Join(a.Audiences, ", "))
		at("NotBefore", a.NotBefore)
		at("NotOnOrAfter", a.NotOnOrAfter)
		at("AuthnInstant", a.AuthnInstant)
		row("SessionIndex", a.SessionIndex)
		row("AuthnContext", a.AuthnContextClassRef)
	}
	tw.Flush()
	if a := v.Assertion; a != nil && len(a.Attributes) > 0 {
		fmt.Fprintln(w, "\nAttributes")
		tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		for _, at := range a.Attributes {
			writeAttributeRows(tw, at.Name, at.Values)
		}
		tw.Flush()
	}
	fmt.Fprintln(w, "\nSignatures")
	if len(v.Signatures) == 0 {
		fmt.Fprintln(w, "  none: the message is not signed")
	}
	for _, s := range v.Signatures {
		state := "not checked (no trusted certificate given)"
		if trusted {
			state = "VALID"
			if !s.Verified {
				state = "INVALID: " + s.Error
			}
		}
		fmt.Fprintf(w, "  %s (%s), %s, digest %s: %s\n", s.Element, value(s.ReferenceID), shortAlg(s.Algorithm), shortAlg(s.DigestAlgorithm), value(state))
	}
	if v.HasComments {
		fmt.Fprintln(w, "  warning: the XML carries comments (a NameID truncation trick; Entra ID and samlab never send them)")
	}
	if aws.DetectProfile(v) != "generic" {
		s := aws.SessionView(v)
		fmt.Fprintf(w, "\nAWS view (%s)\n", s.Profile)
		for _, l := range s.Lines() {
			fmt.Fprintf(w, "  %s\n", clean(l))
		}
	}
}

// writeAttributeRows writes one attribute as aligned rows: its name beside
// the first value, each further value on a row of its own.
func writeAttributeRows(tw io.Writer, name string, values []string) {
	for i, v := range values {
		if i > 0 {
			name = ""
		}
		fmt.Fprintf(tw, "  %s\t%s\n", value(name), value(v))
	}
	if len(values) == 0 {
		fmt.Fprintf(tw, "  %s\t(no value)\n", value(name))
	}
}

func shortAlg(uri string) string {
	if i := strings.LastIndexAny(uri, "#"); i >= 0 {
		return uri[i+1:]
	}
	return uri
}
