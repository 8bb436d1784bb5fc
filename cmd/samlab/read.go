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

// writeReport prints a message for people: the library's summary, then
// for a response its attributes, signatures and the AWS view.
func writeReport(w io.Writer, rep *saml.Report, now time.Time) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, r := range rep.Summary(now) {
		fmt.Fprintf(tw, "%s\t%s\n", r.Name, value(r.Value))
	}
	tw.Flush()
	v := rep.View
	if v == nil {
		if rv := rep.Request; rv != nil && len(rv.Signatures) > 0 {
			writeSignatures(w, rv.Signatures, rep.Trusted)
		}
		return
	}
	if v.Encrypted && !v.Decrypted && !rep.DecryptionKeyGiven {
		fmt.Fprintln(w, "  (the assertion is encrypted: give --key, the SP's private key, to read it)")
	}
	if a := v.Assertion; a != nil && len(a.Attributes) > 0 {
		fmt.Fprintln(w, "\nAttributes")
		tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		for _, at := range a.Attributes {
			writeAttributeRows(tw, at.Name, at.Values)
		}
		tw.Flush()
	}
	writeSignatures(w, v.Signatures, rep.Trusted)
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

func writeSignatures(w io.Writer, sigs []saml.SignatureInfo, trusted bool) {
	fmt.Fprintln(w, "\nSignatures")
	if len(sigs) == 0 {
		fmt.Fprintln(w, "  none: the message is not signed")
	}
	for _, s := range sigs {
		fmt.Fprintf(w, "  %s (%s), %s, digest %s: %s\n", s.Element, value(s.ReferenceID), shortAlg(s.Algorithm), shortAlg(s.DigestAlgorithm), value(s.State(trusted)))
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
