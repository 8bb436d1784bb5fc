package main

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/samlab/samlab/aws"
	"github.com/samlab/samlab/saml"
)

func cmdLint(e *env, args []string) int {
	fs := newFlags(e, "lint", "lint [FILE|-] [--profile auto|aws-sts|aws-identity-center|generic] [--now RFC3339] [--format text|json]",
		`Checks a SAML response against the rules AWS STS and IAM Identity Center
enforce and prints every finding with its rule ID, severity and what to
change. The profile is detected from the audience and recipient unless
given. Time-window checks run only with --now (a captured response is
usually expired by the time it is linted). With --scim the input is a
SCIM User or Group JSON body, checked against Identity Center's SCIM rules.
Exit status 1 when a finding is an error.`,
		"  pbpaste | samlab lint\n  samlab lint response.b64 --profile aws-identity-center --format json\n  samlab lint --scim user.json")
	profileName := fs.String("profile", "auto", "`profile`: auto, aws-sts, aws-identity-center or generic")
	now := fs.String("now", "", "check the time window at this RFC 3339 time (default: not checked)")
	format := fs.String("format", "text", "output `format`: text or json")
	scim := fs.Bool("scim", false, "the input is a SCIM User or Group JSON payload")
	_ = configFlag(fs)
	pos, status, ok := parseFlags(e, fs, args)
	if !ok {
		return status
	}
	if *format != "text" && *format != "json" {
		return fail(e, "lint", exitUsage, "--format %q: use text or json", *format)
	}
	var when time.Time
	if *now != "" {
		t, err := parseNow(e, *now)
		if err != nil {
			return fail(e, "lint", exitUsage, "%v", err)
		}
		when = t
	}
	data, _, err := readInput(e, pos)
	if err != nil {
		return fail(e, "lint", exitUsage, "%v", err)
	}
	var findings []aws.Finding
	profile := "scim"
	if *scim {
		findings = aws.LintSCIM(data, "")
	} else {
		msg, err := saml.Decode(data)
		if err != nil {
			return fail(e, "lint", exitUsage, "%v", err)
		}
		if isRequest(msg) {
			return fail(e, "lint", exitUsage, "this is a %s; lint checks responses", msg.Param)
		}
		v, readErr := saml.Read(msg, saml.ReadOptions{})
		if v == nil {
			return fail(e, "lint", exitUsage, "%v", readErr)
		}
		profile = *profileName
		if profile == "auto" {
			profile = aws.DetectProfile(v)
		}
		p, err := aws.ProfileByName(profile)
		if err != nil {
			return fail(e, "lint", exitUsage, "%v", err)
		}
		findings = aws.LintView(v, p, aws.Options{Now: when, Foreign: true})
	}
	aws.Sort(findings)
	if *format == "json" {
		out := struct {
			Profile  string        `json:"profile"`
			Findings []aws.Finding `json:"findings"`
		}{profile, findings}
		if out.Findings == nil {
			out.Findings = []aws.Finding{}
		}
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		enc.Encode(out)
	} else {
		errs, warns := 0, 0
		for _, f := range findings {
			fmt.Fprintln(e.stdout, clean(f.String()))
			if f.AWSError != "" {
				fmt.Fprintf(e.stdout, "        AWS says: %s\n", clean(f.AWSError))
			}
			switch f.Severity {
			case aws.Error:
				errs++
			case aws.Warning:
				warns++
			}
		}
		fmt.Fprintf(e.stdout, "%s: %d errors, %d warnings\n", profile, errs, warns)
	}
	if aws.HasErrors(findings) {
		return exitFindings
	}
	return exitOK
}
