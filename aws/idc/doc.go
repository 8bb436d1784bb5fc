// Package idc models IAM Identity Center as a SAML service provider fed by
// SCIM: who may sign in (a NameID equal to a provisioned, active userName;
// AWS-IDC-003…005, AWS-SCIM-014) and which attributes for access control
// the session gets (AWS-ABAC-*), with the provenance of each value.
//
// It knows nothing of HTTP: the caller verifies the SAML response (package
// saml), reads the user from a [scim.Store] with [FindUser], and passes the
// store user, the instance's configured attributes ([Mapping]) and the
// response's attributes to [Resolve].
package idc
