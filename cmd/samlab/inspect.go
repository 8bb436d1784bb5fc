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
	fs := newFlags(e, "inspect", "inspect [FILE|-] [--format text|json] [--cert PEM | --metadata FILE] [--key PEM] [--now RFC3339]",
		`Decodes whatever is pasted — base64, a URL-encoded form value, raw XML, a
whole SAMLResponse=...&RelayState=... form body, or a SAMLRequest (also
DEFLATE-compressed, from a Redirect URL) — into a readable summary:
issuer, audience, recipient, times relative to now, NameID, attributes,
signature placement and algorithm, and the AWS view for AWS audiences.
Without --cert or --metadata signatures are shown but not checked.
Exit status 1 when --key was given and cannot decrypt the assertion
(the problem names the decryption failure), 0 otherwise.`,
		"  pbpaste | samlab inspect\n  samlab inspect response.b64 --metadata idp-metadata.xml")
	format := fs.String("format", "text", "output `format`: text or json")
	now := fs.String("now", "", "time to show times relative to, RFC 3339 (default: now)")
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
	msg, err := saml.Decode(data)
	if err != nil {
		return fail(e, "inspect", exitUsage, "%v", err)
	}
	if isRequest(msg) {
		if *format == "json" {
			return fail(e, "inspect", exitUsage, "--format json is for responses; this is a request")
		}
		if err := writeRequest(e.stdout, msg, when); err != nil {
			return fail(e, "inspect", exitUsage, "%v", err)
		}
		return exitOK
	}
	v, readErr := saml.Read(msg, saml.ReadOptions{Certificates: anchors, DecryptionKey: key, Now: func() time.Time { return when }})
	if v == nil {
		return fail(e, "inspect", exitUsage, "%v", readErr)
	}
	if *format == "json" {
		out := struct {
			Message  *saml.View   `json:"message"`
			AWS      *aws.Session `json:"aws,omitempty"`
			Problems []string     `json:"problems"`
		}{Message: v, Problems: []string{}}
		if aws.DetectProfile(v) != "generic" {
			out.AWS = aws.SessionView(v)
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
	writeView(e.stdout, v, msg, when, len(anchors) > 0, key != nil)
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
