package main

import (
	"fmt"
	"time"

	"github.com/samlab/samlab/saml"
)

func cmdVerify(e *env, args []string) int {
	fs := newFlags(e, "verify", "verify [FILE|-] (--cert PEM | --metadata FILE) [--issuer ID] [--audience ID] [--recipient URL] [--now RFC3339] [--skew DURATION] [--key PEM]",
		`Verifies a SAML response as a service provider would: the signature must
be made by the given certificate (or one in the given IdP metadata) and
cover the Response or the Assertion; the certificate embedded in the
message is never trusted. Also checks the time window (at --now, default
now, with --skew), and --audience, --recipient, --issuer when given. A
response that is unsigned or cannot be verified is never reported valid.
Exit status 0: valid; 1: not valid; 2: bad usage or unreadable input.`,
		"  samlab assert --user alice --app aws | samlab verify --metadata <(samlab metadata)\n  samlab verify resp.b64 --cert idp.crt --audience urn:amazon:webservices --now 2026-01-01T00:01:00Z")
	tf := addTrustFlags(fs.String, fs.String, fs.String)
	audience := fs.String("audience", "", "expected audience (the SP's entity `id`)")
	recipient := fs.String("recipient", "", "expected Recipient and Destination (the ACS `URL`)")
	issuer := fs.String("issuer", "", "expected Issuer `id` (default: the metadata's entityID)")
	now := fs.String("now", "", "check the time window at this RFC 3339 time (default: now)")
	skew := fs.Duration("skew", 0, "clock skew to allow in the time checks, e.g. 30s")
	ignoredConfigFlag(fs)
	pos, status, ok := parseFlags(e, fs, args)
	if !ok {
		return status
	}
	if *tf.cert == "" && *tf.metadata == "" {
		return fail(e, "verify", exitUsage, "give the trusted signer: --cert PEM or --metadata FILE (the certificate inside the message is never trusted)")
	}
	when, err := parseNow(e, *now)
	if err != nil {
		return fail(e, "verify", exitUsage, "%v", err)
	}
	anchors, entityID, key, err := tf.load()
	if err != nil {
		return fail(e, "verify", exitUsage, "%v", err)
	}
	if len(anchors) == 0 {
		return fail(e, "verify", exitUsage, "no signing certificate found in --metadata")
	}
	data, _, err := readInput(e, pos)
	if err != nil {
		return fail(e, "verify", exitUsage, "%v", err)
	}
	rep, readErr := saml.Inspect(data, saml.InspectOptions{Certificates: anchors, DecryptionKey: key, Now: func() time.Time { return when }})
	if rep == nil {
		return fail(e, "verify", exitUsage, "%v", readErr)
	}
	if !rep.Kind.IsResponse() {
		return fail(e, "verify", exitUsage, "this is %s, not a response; verify checks responses (samlab inspect summarises it)", rep.Kind.Noun())
	}
	v := rep.View
	wantIssuer := *issuer
	if wantIssuer == "" {
		wantIssuer = entityID
	}
	var problems []error
	problems = append(problems, flatten(readErr)...)
	if readErr == nil && !v.Verified {
		problems = append(problems, fmt.Errorf("no trusted signature covers the Response or the Assertion"))
	}
	problems = append(problems, v.Check(saml.Expect{
		Audience: *audience, Recipient: *recipient, Destination: *recipient,
		Issuer: wantIssuer, Now: when, Skew: *skew,
	})...)
	var real []error
	for _, p := range problems {
		if p != nil {
			real = append(real, p)
		}
	}
	if len(real) > 0 || !v.Verified {
		fmt.Fprintln(e.stdout, "NOT VALID")
		for _, p := range real {
			fmt.Fprintf(e.stdout, "  - %s\n", clean(p.Error()))
		}
		return exitFindings
	}
	fmt.Fprintln(e.stdout, "VALID")
	for _, s := range v.Signatures {
		if s.Verified {
			fmt.Fprintf(e.stdout, "  - signature over the %s (%s) by the trusted key, %s\n", s.Element, value(s.ReferenceID), shortAlg(s.Algorithm))
		}
	}
	if a := v.Assertion; a != nil {
		fmt.Fprintf(e.stdout, "  - issuer %s, NameID %s\n", value(a.Issuer), value(a.NameID))
		fmt.Fprintf(e.stdout, "  - valid until %s (%s)\n", a.NotOnOrAfter.UTC().Format(time.RFC3339), relative(a.NotOnOrAfter, when))
	}
	return exitOK
}
