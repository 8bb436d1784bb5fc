// Package idp joins samlab's library packages into a tenant that issues
// responses: the configuration (config), the claims engine (claims), the
// AWS profiles and lint (aws), the response builder (saml) and the signing
// key (certs). The web server and the CLI are thin clients of it.
//
// New compiles every app's claim rules once and lints them (what can be
// known without a user, then each configured user's claims); Issue
// evaluates the claims for one sign-in, lints what would be sent and signs
// the response. An error-level lint finding blocks issuance unless the app
// sets allow_invalid, which exists to test how a service provider handles
// bad input.
//
// App assignment follows Entra ID's "Assignment required?": an app for
// which any user holds app roles (users.app_roles) or to which any group is
// assigned (groups.assigned_to) admits only assigned users; other apps
// admit everyone.
package idp
