// Package aws knows what AWS accepts in a SAML response and in a SCIM
// payload, and shows what AWS would make of a response.
//
// Profiles ([ProfileByName], [DetectProfile]) give an application's
// defaults — audience, recipient, NameID format, lifetime, signing — for
// AWS sign-in / STS (aws-sts), IAM Identity Center (aws-identity-center)
// or any other service provider (generic), and select the lint rules.
//
// The checks ([Checks]) carry the rule IDs of the AWS reference
// (AWS-STS-*, AWS-TAG-*, AWS-IDC-*, AWS-ABAC-*, AWS-SCIM-*) and run on three
// kinds of input: a claim rule set before anyone logs in ([LintPolicy]),
// one user's evaluated claims ([LintClaims]) and a parsed response
// ([LintView]). [LintSCIM] checks Identity Center SCIM payloads.
//
// [SessionView] and [SessionFromClaims] return the AWS view: roles,
// session name and duration, session tags as aws:PrincipalTag/<Key> and
// the saml:* condition keys.
//
// The package reads no clock, files or network: the time to check at is
// [Options.Now].
package aws
