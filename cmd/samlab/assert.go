package main

import (
	"bytes"
	"errors"
	"fmt"
	"time"

	"github.com/beevik/etree"

	"github.com/samlab/samlab/aws"
	"github.com/samlab/samlab/idp"
	"github.com/samlab/samlab/saml"
)

// deterministicEpoch is the issue instant of --deterministic output when
// --now is not given.
var deterministicEpoch = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

func cmdAssert(e *env, args []string) int {
	fs := newFlags(e, "assert", "assert --user ID --app NAME [--format xml|pretty|base64|html] [--config FILE] [--state DIR] [--now RFC3339] [--in-response-to ID] [--acs URL] [--nameid-format URN] [--relay-state STATE] [--deterministic] [--force]",
		`Prints a signed SAML response for a user and an app of the configuration,
exactly as the IdP would post it. Formats: xml (the exact signed bytes),
pretty (indented for reading; re-indenting breaks the signature, so verify
the xml form), base64 (the SAMLResponse form value), html (a page that posts
the response to the ACS).`,
		"  samlab assert --user alice --app aws --format base64\n  samlab assert --user alice --app aws | samlab verify --metadata <(samlab metadata)\n  samlab assert --user alice --app aws --deterministic > golden.xml")
	cfgPath := configFlag(fs)
	state := stateFlag(fs)
	user := fs.String("user", "", "user `id` (required)")
	app := fs.String("app", "", "app `name` (required)")
	format := fs.String("format", "xml", "output `format`: xml, pretty, base64 or html")
	now := fs.String("now", "", "issue instant, RFC 3339 (default: now)")
	inResponseTo := fs.String("in-response-to", "", "AuthnRequest `ID` to answer (SP-initiated shape)")
	acs := fs.String("acs", "", "ACS `URL` to send to; must be registered for the app (default: the app's first)")
	nameIDFormat := fs.String("nameid-format", "", "requested NameID format `URN`, as an AuthnRequest's NameIDPolicy would ask")
	relay := fs.String("relay-state", "", "RelayState for --format html (default: the app's relay_state)")
	deterministic := fs.Bool("deterministic", false, "sequential IDs and a fixed clock (--now, default 2026-01-01T00:00:00Z): byte-identical output for the same inputs")
	force := fs.Bool("force", false, "print the response even when the lint finds errors (as allow_invalid would)")
	pos, status, ok := parseFlags(e, fs, args)
	if !ok {
		return status
	}
	if len(pos) > 0 {
		return fail(e, "assert", exitUsage, "unexpected argument %q", pos[0])
	}
	if *user == "" || *app == "" {
		return fail(e, "assert", exitUsage, "--user and --app are required (see samlab assert --help)")
	}
	switch *format {
	case "xml", "pretty", "base64", "html":
	default:
		return fail(e, "assert", exitUsage, "--format %q: use xml, pretty, base64 or html", *format)
	}
	when, err := parseNow(e, *now)
	if err != nil {
		return fail(e, "assert", exitUsage, "%v", err)
	}
	opts := idp.Options{Clock: func() time.Time { return when }, StateDir: *state}
	if *deterministic {
		if *now == "" {
			when = deterministicEpoch
		}
		opts.IDs = &saml.SequentialIDs{}
	}
	t, err := loadTenant(e, *cfgPath, opts)
	if err != nil {
		fmt.Fprintln(e.stderr, "samlab assert: invalid configuration:")
		errorLines(e.stderr, err)
		return exitUsage
	}
	req := idp.IssueRequest{User: *user, App: *app, ACS: *acs, InResponseTo: *inResponseTo, NameIDFormat: *nameIDFormat, AuthnInstant: when}
	if *deterministic {
		req.IDs = &saml.SequentialIDs{Prefix: "transient"}
	}
	req.Force = *force
	is, err := t.Issue(req)
	if is != nil && (is.Blocked || *force) && hasErrorFindings(is) {
		fmt.Fprintf(e.stderr, "samlab assert: the response breaks AWS rules%s:\n", map[bool]string{true: " (printed anyway: --force)", false: ", so it was not issued (use --force to print it anyway)"}[*force])
		for _, f := range is.Findings {
			fmt.Fprintf(e.stderr, "  %s\n", clean(f.String()))
		}
	}
	if errors.Is(err, idp.ErrBlocked) {
		return exitFindings
	}
	if err != nil {
		return fail(e, "assert", exitUsage, "%v", err)
	}
	var out bytes.Buffer
	switch *format {
	case "xml":
		out.Write(is.Response.XML)
		out.WriteByte('\n')
	case "pretty":
		doc := etree.NewDocument()
		if err := doc.ReadFromBytes(is.Response.XML); err != nil {
			return fail(e, "assert", exitUsage, "%v", err)
		}
		doc.Indent(2)
		doc.WriteTo(&out)
	case "base64":
		out.WriteString(is.Response.Base64())
		out.WriteByte('\n')
	case "html":
		rs := *relay
		if rs == "" {
			rs = is.App.RelayState
		}
		if err := saml.WritePostForm(&out, is.ACS, saml.PostFields{SAMLResponse: is.Response.Base64(), RelayState: rs}); err != nil {
			return fail(e, "assert", exitUsage, "%v", err)
		}
	}
	e.stdout.Write(out.Bytes())
	return exitOK
}

func hasErrorFindings(is *idp.Issued) bool {
	for _, f := range is.Findings {
		if f.Severity == aws.Error {
			return true
		}
	}
	return false
}
