// Package claims turns a directory user and an application's claim rules
// into SAML-ready claims the way Microsoft Entra ID's "User Attributes &
// Claims" does: claim names and namespaces, attribute, constant and
// extension sources, ordered conditions, chained transformations, the
// NameID with its pairwise fallback, group and role claims.
//
// The package has no HTTP, XML or file handling: rules and users come in as
// Go values (decodable from samlab's TOML format), claims and a trace come
// out. See the package example for a whole round.
package claims
