package aws

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"regexp"
	"strings"
	"testing"
	"text/template"
	"time"

	"github.com/samlab/samlab/saml"
)

var updateDocs = flag.Bool("update-docs", false, "rewrite docs/lint.md from Checks() and live example output")

const docsPath = "../docs/lint.md"

// TestDocs fails when docs/lint.md is not what the registry and the
// examples produce; go test ./aws -update-docs rewrites it.
func TestDocs(t *testing.T) {
	got := renderDocs(t)
	if *updateDocs {
		if err := os.WriteFile(docsPath, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(docsPath)
	if err != nil {
		t.Fatalf("%v (run go test ./aws -update-docs)", err)
	}
	if string(want) != got {
		t.Errorf("docs/lint.md is out of date: run go test ./aws -update-docs")
	}
}

// docsSTSView is the example in the docs: an Entra ID response to AWS
// sign-in with the mistakes people make.
func docsSTSView() *saml.View {
	v := baseView(ProfileSTS)
	v.Issuer = "https://sts.windows.net/603e9946-79fd-42bc-bae2-2abda19cb695/"
	v.Assertion.Issuer = v.Issuer
	v.Signatures = v.Signatures[1:]
	v.Assertion.NameID, v.Assertion.NameIDFormat = "alice@contoso.com", NameIDEmailAddress
	v.Assertion.Audiences = []string{signInURL}
	v.Assertion.Attributes = []saml.AttributeView{
		{Name: AttrRole, Values: []string{"arn:aws:iam::111122223333:role/Dev,arn:aws:iam::111122223333:saml-provider/AzureAD",
			"arn:aws:iam::111122223333:role/ReadOnly, arn:aws:iam::111122223333:saml-provider/AzureAD"}},
		{Name: AttrRoleSessionName, Values: []string{"Alice Smith"}},
		{Name: PrefixPrincipalTag + "Team", Values: []string{"eng", "core"}},
		{Name: PrefixPrincipalTag + "CostCenter", Values: []string{"CC#1001"}},
		{Name: PrefixPrincipalTag + "Department", Values: []string{"Engineering"}},
		{Name: AttrTransitiveTagKeys, Values: []string{"Department", "Project"}},
	}
	return v
}

func renderDocs(t *testing.T) string {
	t.Helper()
	type row struct {
		Check                                         Check
		Severity, Profiles, Inputs, Summary, Prevents string
		// Anchor is the HTML id on the first row of a rule ID, the
		// target of the /inspect page's finding links (docs#aws-sts-012).
		Anchor string
	}
	var rows []row
	anchored := map[string]bool{}
	cell := func(s string) string { return strings.ReplaceAll(s, "|", `\|`) }
	for _, c := range Checks() {
		profiles := strings.Join(c.Profiles, ", ")
		if c.Profiles == nil {
			profiles = "SCIM"
		}
		if len(c.Profiles) == 3 {
			profiles = "all"
		}
		prevents := strings.ReplaceAll(c.Prevents, "400 "+SCIMError400, "400 with the SCIM error body (see SCIM payloads)")
		anchor := ""
		if !anchored[c.Rule] {
			anchored[c.Rule] = true
			anchor = strings.ToLower(c.Rule)
		}
		rows = append(rows, row{c, c.Severity.String(), profiles, strings.Join(c.Inputs, ", "), cell(c.Summary), cell(prevents), anchor})
	}
	lines := func(fs []Finding) string {
		var b strings.Builder
		for _, f := range fs {
			b.WriteString(f.String() + "\n")
		}
		return b.String()
	}

	stsView := docsSTSView()
	stsFindings := LintView(stsView, mustProfile(ProfileSTS), Options{Now: t0.Add(10 * time.Minute)})
	seed := LintView(entraIdCView(), mustProfile(ProfileIdentityCenter), Options{Now: t0.Add(time.Minute)})
	policy := basePolicy(ProfileSTS)
	policy.Claims[4].Value = "platform,core"
	policy.Claims[3].MultiValued = true
	policy.Claims = policy.Claims[1:]
	policyFindings := LintPolicy(policy, mustProfile(ProfileSTS))
	jsonOut, err := json.MarshalIndent(map[string]any{"findings": seed}, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	n, attrs := baseClaims(ProfileSTS)
	fromClaims := SessionFromClaims(n, attrs)
	fromClaims.Issuer = idpEntity
	fromClaims.Qualify()
	scimBody := `{
  "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
  "userName": "alice smith@contoso.com",
  "displayName": "Alice Smith",
  "name": {"givenName": "Alice", "familyName": "Smith"},
  "emails": [{"value": "alice@contoso.com", "type": "work"}],
  "phoneNumbers": [{"value": "+1 555 0100", "type": "work"}, {"value": "+1 555 0199", "type": "mobile"}],
  "photos": []
}`
	data := map[string]any{
		"Rows":           rows,
		"Profiles":       Profiles(),
		"STSFindings":    lines(stsFindings),
		"SeedFindings":   lines(seed),
		"PolicyFindings": lines(policyFindings),
		"JSON":           string(jsonOut),
		"STSSession":     SessionView(stsView).String(),
		"IdCSession":     SessionView(entraIdCView()).String(),
		"ClaimsSession":  fromClaims.String(),
		"SCIMBody":       scimBody,
		"SCIMFindings":   lines(LintSCIM([]byte(scimBody), "")),
		"SCIMError":      SCIMError400,
		"SCIMList":       SCIMListError,
	}
	tmpl := template.Must(template.New("docs").Funcs(template.FuncMap{
		"join": func(ss []string) string { return strings.Join(ss, ", ") },
		"orDash": func(s string) string {
			if s == "" {
				return "—"
			}
			return s
		},
	}).Parse(docsTemplate))
	var b bytes.Buffer
	if err := tmpl.Execute(&b, data); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

const docsTemplate = `# AWS lint, profiles, the AWS view and SCIM checks

<!-- Generated by go test ./aws -update-docs from aws.Checks() and live example output. Do not edit by hand. -->

Package ` + "`aws`" + ` knows what AWS accepts in a SAML response: for AWS sign-in / STS
` + "`AssumeRoleWithSAML`" + ` through an IAM SAML provider (profile ` + "`aws-sts`" + `), for IAM Identity
Center (profile ` + "`aws-identity-center`" + `), and for Identity Center's SCIM endpoint. Each rule in
the AWS reference that can be decided from a response, from one user's claims or from a claim rule
set before anyone logs in is a *check* with a stable rule ID (` + "`AWS-STS-012`" + `, ` + "`AWS-TAG-004`" + `, ...),
a severity, and a message that says what to change. The same checks run

- on a claim rule set, at config load: ` + "`aws.LintPolicy(policy, profile)`" + ` (constant values, claim
  names, the NameID format, required claims, "Treat source as multivalued" on a tag);
- on one user's evaluated claims: ` + "`aws.LintClaims(nameID, attrs, profile)`" + ` (the config loader runs it
  for every demo user, the issuer before signing);
- on any parsed response, samlab's own or a foreign one: ` + "`aws.LintView(view, profile, opts)`" + `;
- on SCIM User/Group payloads: ` + "`aws.LintSCIM(body, kind)`" + `.

Severities: **error** — AWS rejects the response or sign-in fails; **warning** — risky, works in some
setups only; **info** — worth knowing, nothing to change. ` + "`aws.HasErrors`" + ` tells whether any error was
found; findings come sorted errors first, then by rule ID (` + "`aws.Sort`" + `).

A finding is ` + "`{Rule, Severity, Attribute, Message, AWSError, Check}`" + `: ` + "`Attribute`" + ` is the attribute
name or element it concerns (` + "`Subject/NameID`" + `, ` + "`Signature`" + `, ...), ` + "`AWSError`" + ` the literal error AWS
returns for the problem when known, ` + "`Check`" + ` the registry name (several checks can share one
reference rule ID; the message tells them apart).

## Profiles

` + "`aws.ProfileByName(name)`" + ` returns one of these (an unknown name is an error listing the valid ones);
` + "`aws.DetectProfile(view)`" + ` picks one from a response: an Identity Center path (` + "`/platform/saml/`" + `) in the
audience, recipient or destination means ` + "`aws-identity-center`" + `; ` + "`urn:amazon:webservices*`" + ` or an AWS
sign-in ` + "`/saml`" + ` endpoint means ` + "`aws-sts`" + `; otherwise a ` + "`Role`" + ` attribute means ` + "`aws-sts`" + ` and an
` + "`AccessControl:*`" + ` attribute ` + "`aws-identity-center`" + `; else ` + "`generic`" + `.

| Profile | Audience (default first) | Recipient / ACS shapes | NameID format | Lifetime | Signing | Algorithm |
|---|---|---|---|---|---|---|
{{range .Profiles}}| ` + "`{{.Name}}`" + ` | {{orDash (join .Audiences)}} | {{orDash (join .ACS)}} | ` + "`{{.NameIDFormat}}`" + ` | {{.Lifetime}} | {{.Signing}} | {{.Algorithm}} |
{{end}}
Under ` + "`generic`" + ` (and any unknown profile name) only plain SAML validity (status, time window) and the
checks on AWS-named attributes that happen to be present run.

` + "`aws.Options`" + ` for ` + "`LintView`" + `:

| Field | Meaning |
|---|---|
| ` + "`Now`" + ` | the instant to check at. Zero skips the time-window checks (expired, not yet valid, 5-minute redemption); the package never reads the system clock. |
| ` + "`Skew`" + ` | clock skew allowed in the time-window checks (default 0: AWS's tolerance is undocumented). |
| ` + "`ExpectAudience`" + ` | the SP entity ID the Audience must contain exactly (otherwise the profile's accepted audiences / shapes apply). |
| ` + "`ExpectRecipient`" + ` | the ACS URL the response is posted to; Recipient and Destination must equal it. |
| ` + "`ExpectIssuer`" + ` | the IdP entityID the SP trusts (what was uploaded to AWS). |
| ` + "`ExpectInResponseTo`" + ` | the ID of the AuthnRequest the SP sent: the Response and every bearer SubjectConfirmationData must carry it as InResponseTo (` + "`idc-in-response-to`" + `). |
| ` + "`RequireEncryption`" + ` | the IAM SAML provider's encryption mode is *Required*: a plain assertion is an error (` + "`sts-encryption-required`" + `). |
| ` + "`AssumeRole`" + ` | the role the caller will assume, a role ARN or ` + "`role-arn,provider-arn`" + `: it must be one of the Role pairs (` + "`sts-role-assumed`" + `). |
| ` + "`IdCAccessControlKeys`" + ` | the keys configured on Identity Center's *Attributes for access control* page: a SAML ` + "`AccessControl:<Key>`" + ` with the same key (ignoring case) is replaced by the configured value (` + "`abac-configured-key`" + `). |
| ` + "`Foreign`" + ` | the response comes from outside (` + "`samlab lint`" + ` sets it): also warn about what its receiver must not trust, i.e. a Response signed only on its Assertion, whose Destination, InResponseTo and Status are then outside every signature (` + "`sts-response-fields-unsigned`" + `). samlab's issuer leaves it off for its own responses (Entra's default, assertion-only signing, would otherwise warn on every one). |

The decryption key is not an option: ` + "`saml.Read`" + ` decrypts with ` + "`ReadOptions.DecryptionKey`" + ` and the
linted View then holds the assertion; when the key cannot decrypt it, ` + "`View.DecryptError`" + ` says why
and the lint reports it as an error (` + "`sts-decrypt-failed`" + `) instead of the "give the key" note.
` + "`samlab lint`" + ` takes all of these as flags (` + "`--issuer`" + `, ` + "`--audience`" + `, ` + "`--recipient`" + `,
` + "`--in-response-to`" + `, ` + "`--key`" + `, ` + "`--require-encryption`" + `, ` + "`--role`" + `, ` + "`--idc-attribute-keys`" + `).

## Checks

| ID | Severity | Profiles | Runs on | What it checks | AWS error it prevents |
|---|---|---|---|---|---|
{{range .Rows}}| {{if .Anchor}}<a id="{{.Anchor}}"></a>{{end}}{{.Check.Rule}} | {{.Severity}} | {{.Profiles}} | {{.Inputs}} | {{.Summary}} | {{orDash .Prevents}} |
{{end}}
Checkable only with the SP's context in ` + "`Options`" + `: AWS-STS-011 (the caller's RoleArn is one of the
Role pairs), AWS-STS-019 with ` + "`RequireEncryption`" + `, AWS-IDC-009 (InResponseTo) and AWS-ABAC-007
(keys also configured in Identity Center). Not checkable from a response or a rule set, so not
checks: AWS-STS-014 (DurationSeconds vs the role's MaxSessionDuration), AWS-STS-018 (IdP metadata
uploaded to IAM), AWS-TAG-009 (` + "`sts:TagSession`" + ` in the trust policy), AWS-TAG-010, AWS-IDC-005 (user
provisioned before sign-in), AWS-IDC-008 (IdC metadata), AWS-ABAC-002/008/009 (other Identity Center
settings), AWS-SCIM-001/002/009/010/011/014/015 (endpoint behaviour). AWS-SCIM-013 describes the 400 body; it is the rule ID of "not one JSON object".

Choices where the reference is unconfirmed: a regional sign-in URL as STS Audience is a warning;
response-only signing is a warning for STS and fine for Identity Center; an email-looking NameID
under ` + "`aws-sts`" + ` is a warning (it lands in CloudTrail); "more than 50 attributes" for Identity
Center counts every attribute in the assertion (at config load the Entra default claims count too);
a groups claim or "Treat source as multivalued" on a PrincipalTag/AccessControl claim is an error at
config load, because it sends several values as soon as a user has several.

Other decisions: an attribute Identity Center's SCIM schema does not have (` + "`mailNickname`" + `, an
unknown enterprise sub-attribute) is an **error**, because AWS documents a 400
` + "`ValidationException`" + ` for a request that "violates schema" (SCIM CreateUser/PutUser "Errors");
with several emails only the single-item error is reported, not "set primary" for each one (the fix
is to send one). ` + "`.../PrincipalTag/<Key>`" + ` and ` + "`.../AccessControl/<Key>`" + ` (a slash instead of the
colon) are warnings, like a wrong namespace: AWS does not refuse them, it ignores them, so the tag is
silently missing. Whitespace inside a Role ARN (a provider name with a space) is reported once, as
an invalid ARN; only whitespace around the ARNs is a Role-value (AWS-STS-009) finding.

### Example: an Entra ID response to AWS sign-in, checked 10 minutes after issue

` + "```" + `
{{.STSFindings}}` + "```" + `

### Example: the rule set behind it, at config load (` + "`LintPolicy`" + `)

A Role rule was deleted, PrincipalTag:Department has "Treat source as multivalued" and
PrincipalTag:Team a constant with a comma:

` + "```" + `
{{.PolicyFindings}}` + "```" + `

### Example: Entra ID to IAM Identity Center with a multi-valued AccessControl claim

` + "```" + `
{{.SeedFindings}}` + "```" + `

The same findings as JSON (the shape ` + "`samlab lint --format json`" + ` prints):

` + "```json" + `
{{.JSON}}
` + "```" + `

## The AWS view

` + "`aws.SessionView(view)`" + ` (or ` + "`aws.SessionFromClaims(nameID, attrs)`" + ` for claims not yet encoded) shows
what AWS would create: the role choices (role ARN, provider ARN, account, ` + "`saml:namequalifier`" + ` =
base64(SHA1(issuer + account + "/" + providerName))), ` + "`RoleSessionName`" + `, ` + "`SessionDuration`" + ` (3600 when
absent or invalid), ` + "`SourceIdentity`" + `, the SAML condition keys (` + "`saml:iss`" + `, ` + "`saml:sub`" + `,
` + "`saml:sub_type`" + `, and ` + "`saml:aud`" + `, which AWS takes from the Recipient), the session tags as
` + "`aws:PrincipalTag/<Key> = <value>`" + ` with transitive keys marked, and for Identity Center the userName the
NameID is looked up by, with ` + "`AccessControl:*`" + ` attributes shown as the session tags they become. A tag
AWS would refuse is shown with the reason. ` + "`Session.Lines()`" + ` / ` + "`String()`" + ` render it; ` + "`aws.NameQualifier`" + `
computes the qualifier alone. For a session built from claims, set ` + "`Issuer`" + ` and call ` + "`Qualify()`" + `.

The response from the first example:

` + "```" + `
{{.STSSession}}
` + "```" + `

A valid claim set for ` + "`aws-sts`" + ` (` + "`SessionFromClaims`" + `, then ` + "`Issuer`" + ` set and ` + "`Qualify()`" + ` called):

` + "```" + `
{{.ClaimsSession}}
` + "```" + `

The Identity Center response from the seed example:

` + "```" + `
{{.IdCSession}}
` + "```" + `

## SCIM payloads

` + "`aws.LintSCIM(body, kind)`" + ` checks a CreateUser/PutUser/CreateGroup body against what IAM Identity
Center's SCIM endpoint accepts (AWS-SCIM-003..008, 012). ` + "`kind`" + ` is ` + "`\"User\"`" + `, ` + "`\"Group\"`" + ` or ` + "`\"\"`" + ` to detect it
from ` + "`schemas`" + ` (case does not matter). A PatchOp body is checked only for the 100 member changes per
request Identity Center allows. Invalid JSON gives one finding and never a panic. Every error finding carries the
exact 400 body Identity Center returns:

` + "```" + `
{{.SCIMError}}
` + "```" + `

and, for a list with several items, also the CloudTrail message ` + "`{{.SCIMList}}`" + ` — the pair the
Azure provisioning log and CloudTrail show when Entra sends, say, a work and a mobile phone number.

Example body:

` + "```json" + `
{{.SCIMBody}}
` + "```" + `

` + "```" + `
{{.SCIMFindings}}` + "```" + `
`

const (
	readmePath       = "../README.md"
	readmeTableBegin = "<!-- lint-checks:begin (go test ./aws -update-docs) -->"
	readmeTableEnd   = "<!-- lint-checks:end -->"
)

// checksTable is the "## Checks" table of the rendered docs.
func checksTable(docs string) string {
	_, after, ok := strings.Cut(docs, "## Checks\n\n")
	if !ok {
		return ""
	}
	var b strings.Builder
	for _, line := range strings.SplitAfter(after, "\n") {
		if !strings.HasPrefix(line, "|") {
			break
		}
		b.WriteString(line)
	}
	// The anchors belong to docs/lint.md, the links' one target.
	return docsAnchor.ReplaceAllString(b.String(), "")
}

var docsAnchor = regexp.MustCompile(`<a id="[a-z0-9-]+"></a>`)

// TestReadmeChecksTable keeps the README's table of every check equal to
// the registry; go test ./aws -update-docs rewrites it.
func TestReadmeChecksTable(t *testing.T) {
	table := checksTable(renderDocs(t))
	if strings.Count(table, "\n") < len(Checks())+2 {
		t.Fatalf("rendered checks table has %d lines for %d checks", strings.Count(table, "\n"), len(Checks()))
	}
	readme, err := os.ReadFile(readmePath)
	if err != nil {
		t.Fatal(err)
	}
	before, rest, ok1 := strings.Cut(string(readme), readmeTableBegin)
	_, after, ok2 := strings.Cut(rest, readmeTableEnd)
	if !ok1 || !ok2 {
		t.Fatalf("README.md lacks the markers %q ... %q", readmeTableBegin, readmeTableEnd)
	}
	want := before + readmeTableBegin + "\n" + table + readmeTableEnd + after
	if *updateDocs {
		if err := os.WriteFile(readmePath, []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if string(readme) != want {
		t.Errorf("the checks table in README.md is out of date: run go test ./aws -update-docs")
	}
}
