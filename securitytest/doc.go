// Package securitytest holds samlab's security regression suite: one test
// per threat of the reference threat table (SEC-01 to SEC-33, see
// SECURITY.md at the repository root), each sending the attack through the
// real code path — the HTTP server from web.New on a loopback listener, the
// saml reader, the configuration loader — and asserting the exact outcome.
// It also holds fuzz targets for the parsers of outside input that have no
// target in their own package, and the load generator behind
// scripts/soak.sh (securitytest/soakload).
//
// The package has no non-test code apart from this file; run it with
//
//	go test ./securitytest/
package securitytest
