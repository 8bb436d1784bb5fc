package main

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/samlab/samlab/aws"
	"github.com/samlab/samlab/saml"
)

func cmdLint(e *env, args []string) int {
	fs := newFlags(e, "lint", "lint [FILE|-] [--scim] [--profile auto|aws-sts|aws-identity-center|generic] [--now RFC3339] [--format text|json] [--issuer ID] [--audience ID] [--recipient URL] [--in-response-to ID] [--key PEM] [--require-encryption] [--role ARN] [--idc-attribute-keys K1,K2]",
		`Checks a SAML response against the rules AWS STS and IAM Identity Center
enforce and prints every finding with its rule ID, severity and what to
change. The profile is detected from the audience and recipient unless
given. Time-window checks run only with --now (a captured response is
usually expired by the time it is linted). With --scim the input is a
SCIM User or Group JSON body, checked against Identity Center's SCIM rules.
The SP's context makes more checks run: --issuer, --audience and
--recipient must match exactly; --in-response-to is the AuthnRequest ID
the response must answer; --key decrypts an EncryptedAssertion so its
content is linted (a key that cannot decrypt it is an error);
--require-encryption says the IAM SAML provider requires encrypted
assertions; --role is the role the caller will assume (a role ARN or
role-arn,provider-arn), which must be one of the Role values;
--idc-attribute-keys lists the keys configured on Identity Center's
Attributes for access control page (they replace SAML AccessControl:
values with the same key).
Exit status 1 when a finding is an error.`,
		"  pbpaste | samlab lint\n  samlab lint response.b64 --profile aws-identity-center --format json\n  samlab lint resp.b64 --key sp.key --require-encryption --role arn:aws:iam::111122223333:role/Dev\n  samlab lint --scim user.json")
	profileName := fs.String("profile", "auto", "`profile`: auto, aws-sts, aws-identity-center or generic")
	now := fs.String("now", "", "check the time window at this RFC 3339 time (default: not checked)")
	format := fs.String("format", "text", "output `format`: text or json")
	scim := fs.Bool("scim", false, "the input is a SCIM User or Group JSON payload")
	issuer := fs.String("issuer", "", "expected Issuer: the IdP entity `id` the SP trusts")
	audience := fs.String("audience", "", "expected Audience: the SP's entity `id`")
	recipient := fs.String("recipient", "", "expected Recipient and Destination: the ACS `URL`")
	inResponseTo := fs.String("in-response-to", "", "the `id` of the AuthnRequest the response must answer")
	keyFile := fs.String("key", "", "the SP's private key `file` (PEM): decrypt the assertion, then lint it")
	requireEnc := fs.Bool("require-encryption", false, "the IAM SAML provider requires encrypted assertions")
	role := fs.String("role", "", "the role `ARN` the caller will assume (or role-arn,provider-arn)")
	idcKeys := fs.String("idc-attribute-keys", "", "comma-separated `keys` configured on Identity Center's Attributes for access control page")
	ignoredConfigFlag(fs)
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
	var key any
	if *keyFile != "" {
		k, err := loadDecryptionKey(*keyFile)
		if err != nil {
			return fail(e, "lint", exitUsage, "%v", err)
		}
		key = k
	}
	var keys []string
	for _, k := range strings.Split(*idcKeys, ",") {
		if k = strings.TrimSpace(k); k != "" {
			keys = append(keys, k)
		}
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
		rep, readErr := saml.Inspect(data, saml.InspectOptions{DecryptionKey: key})
		if rep == nil {
			return fail(e, "lint", exitUsage, "%v", readErr)
		}
		if !rep.Kind.IsResponse() {
			return fail(e, "lint", exitUsage, "this is %s; lint checks responses (samlab inspect summarises it)", rep.Kind.Noun())
		}
		v := rep.View
		profile = *profileName
		if profile == "auto" {
			profile = aws.DetectProfile(v)
		}
		p, err := aws.ProfileByName(profile)
		if err != nil {
			return fail(e, "lint", exitUsage, "%v", err)
		}
		findings = aws.LintView(v, p, aws.Options{
			Now: when, Foreign: true,
			ExpectIssuer: *issuer, ExpectAudience: *audience, ExpectRecipient: *recipient,
			ExpectInResponseTo: *inResponseTo, RequireEncryption: *requireEnc,
			AssumeRole: *role, IdCAccessControlKeys: keys,
		})
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
