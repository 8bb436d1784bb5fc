package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/samlab/samlab/aws"
	"github.com/samlab/samlab/saml"
)

func cmdInspect(e *env, args []string) int {
	fs := newFlags(e, "inspect", "inspect [FILE|-] [--format text|json] [--xml] [--cert PEM | --metadata FILE] [--key PEM] [--now RFC3339]",
		`Decodes whatever is pasted — base64, a URL-encoded form value, raw XML, a
whole SAMLResponse=...&RelayState=... form body, or a SAMLRequest (also
DEFLATE-compressed, from a Redirect URL) — into a readable summary:
issuer, audience, recipient, times relative to now, NameID, attributes,
signature placement and algorithm, and the AWS view for AWS audiences.
AuthnRequests, LogoutRequests and LogoutResponses are summarised too.
With --xml the message is also printed indented, the lines each
signature covers marked in the margin.
Without --cert or --metadata signatures are shown but not checked.
Exit status 1 when --key was given and cannot decrypt the assertion
(the problem names the decryption failure), 0 otherwise.`,
		"  pbpaste | samlab inspect\n  samlab inspect response.b64 --metadata idp-metadata.xml")
	format := fs.String("format", "text", "output `format`: text or json")
	now := fs.String("now", "", "time to show times relative to, RFC 3339 (default: now)")
	showXML := fs.Bool("xml", false, "also print the XML, indented, with the signed parts marked")
	tf := addTrustFlags(fs.String, fs.String, fs.String)
	ignoredConfigFlag(fs)
	pos, status, ok := parseFlags(e, fs, args)
	if !ok {
		return status
	}
	if *format != "text" && *format != "json" {
		return fail(e, "inspect", exitUsage, "--format %q: use text or json", *format)
	}
	when, err := parseNow(e, *now)
	if err != nil {
		return fail(e, "inspect", exitUsage, "%v", err)
	}
	anchors, _, key, err := tf.load()
	if err != nil {
		return fail(e, "inspect", exitUsage, "%v", err)
	}
	data, _, err := readInput(e, pos)
	if err != nil {
		return fail(e, "inspect", exitUsage, "%v", err)
	}
	rep, readErr := saml.Inspect(data, saml.InspectOptions{Certificates: anchors, DecryptionKey: key, Now: func() time.Time { return when }})
	if rep == nil {
		return fail(e, "inspect", exitUsage, "%v", readErr)
	}
	if *format == "json" {
		out := struct {
			Kind     saml.Kind         `json:"kind"`
			Message  *saml.View        `json:"message,omitempty"`
			Request  *saml.RequestView `json:"request,omitempty"`
			AWS      *aws.Session      `json:"aws,omitempty"`
			Problems []string          `json:"problems"`
		}{Kind: rep.Kind, Message: rep.View, Request: rep.Request, Problems: []string{}}
		if rep.View != nil && aws.DetectProfile(rep.View) != "generic" {
			out.AWS = aws.SessionView(rep.View)
		}
		for _, p := range flatten(readErr) {
			if p != nil {
				out.Problems = append(out.Problems, p.Error())
			}
		}
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		enc.Encode(out)
		return inspectStatus(readErr)
	}
	writeReport(e.stdout, rep, when)
	if *showXML {
		fmt.Fprintln(e.stdout, "\nXML (indented for reading; | verified signature, ? signed but not checked, ! signature failed)")
		fmt.Fprint(e.stdout, clean(rep.PrettyXML()))
	}
	if readErr != nil {
		fmt.Fprintln(e.stdout, "\nProblems")
		errorLines(e.stdout, readErr)
	}
	return inspectStatus(readErr)
}

// inspectStatus is inspect's exit status: 1 when the assertion could not
// be decrypted with the --key given (its content is then not shown), 0
// otherwise; other problems are shown but inspect is not a verdict.
func inspectStatus(readErr error) int {
	if errors.Is(readErr, saml.ErrDecrypt) {
		return exitFindings
	}
	return exitOK
}
