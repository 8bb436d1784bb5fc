// Package claims turns a directory user and an application's claim rules
// into SAML-ready claims the way Microsoft Entra ID's "User Attributes &
// Claims" does: claim names and namespaces, attribute, constant and
// extension sources, ordered conditions, chained transformations, the
// NameID with its pairwise fallback, group and role claims.
//
// The package has no HTTP, XML or file handling: rules and users come in as
// Go values (decodable from samlab's TOML format), claims and a trace come
// out. See the package example for a whole round.
//
// # Using it
//
//	dir, err := claims.NewDirectory(tenant, users, groups) // validate once
//	eng, err := claims.Compile(app, policy, claims.CompileOptions{Extensions: names})
//	res, err := eng.Evaluate(dir, user, claims.EvalOptions{Explain: true})
//
// NewDirectory and Compile report every problem at once ([errors.Join]);
// Compile's problems are [*RuleError] values naming the rule and what to
// change. A Directory and an Engine are immutable and safe for concurrent
// use; Evaluate does no per-call map building and a few allocations.
//
// # Decisions on points Entra ID does not document
//
// Where Microsoft's documentation is silent or contradicts observed
// behaviour, the package picks the most plausible behaviour below. Options
// in [Policy], [NameIDRule], [GroupClaim] and [CompileOptions] select the
// other where users may need it.
//
// Names. The emitted name is the namespace with one trailing "/" trimmed,
// "/", and the name ([ClaimName]); just the name without a namespace.
// Restricted names are the full URIs of Microsoft's published SAML
// restricted claim set (groups, role, wids, groups.link, tenantid,
// objectidentifier, identityprovider, authnmethodsreferences, upn,
// privatepersonalidentifier, samlissuername, ...) plus nameidentifier, the
// NameID's claim type, compared case-insensitively;
// [CompileOptions].CustomSigningKey allows upn, role and the Windows
// identity claims Microsoft restricts only by default. Two claims with the
// same emitted name are an error.
//
// Sources. A rule's Source must be an attribute: "user.<id>" or a declared
// extension name; a constant goes in Value (Entra's "constant typed without
// quotes" is refused to catch typos such as "usr.mail"). Entra attribute ids
// are matched case-insensitively; declared extensions case-sensitively
// (Entra reads them case-sensitively). user.extension_<32 hex>_<name>
// reads the user's attribute "extension_<hex>_<name>", else "<name>"; the
// name must be declared. Empty values are dropped everywhere; a claim whose
// sources give nothing is omitted and listed in Result.Omitted with the
// reason. Used directly, a built-in Entra attribute gives its first stored
// value only (Entra emits one value of othermail, proxyaddresses and tags),
// an extension or free-form attribute all its values, user.assignedroles
// every non-empty app role value. Extensions that are Entra attribute ids
// (any case) keep their built-in meaning. user.pairwiseid, the opaque
// pairwise id, is a NameID source only.
//
// Conditions. The claim's own source is an implicit first row matching
// everyone; then the rows whose source is an attribute or constant, top to
// bottom; then the rows with transformations, top to bottom. Every matching
// row with a non-empty value replaces the candidate: the last one wins. A
// row's scoped groups match a member of any of them, directly or through
// nesting (any-of; Entra's wording suggests all-of but its behaviour is
// any/last-match). A row with both an attribute and transformations uses
// the transformation output and falls back to the attribute when that is
// empty (the Graph model's rule). At most 50 unique scoped groups per app.
//
// Transformations. A parameter (input, input2, output, else) is an
// attribute when it starts with "user.", a constant otherwise, also when
// its text is an attribute's name ("department", a declared extension); value, value2 and separator are always constants. A
// transformation reads the first value of its input unless multi_valued is
// set on it or on the rule ("treat source as multivalued"); it then runs
// once per non-empty value. The second transformation receives the first
// one's outputs when its input is empty; when the first produced nothing it
// runs once on "" (so IfEmpty can supply a default). Other choices:
//
//   - Join concatenates empty parts as empty ("Jo" + " " + "" = "Jo "); both
//     empty gives nothing. In a NameID the input's domain (from the first
//     "@") is stripped and input2 must be a verified tenant domain; any other
//     domain is an illegal result and the NameID becomes the pairwise id.
//   - ToLowercase/ToUppercase use Unicode simple case mapping, like .NET's
//     invariant culture ("straße" stays "STRAßE").
//   - Contains/StartWith/EndWith are case-sensitive (Policy.MatchIgnoreCase
//     for the other); with no match the else value is used, else nothing.
//   - Extract uses the last occurrence of its markers, as the greedy regex
//     templates Entra reportedly uses (Policy.ExtractFirstOccurrence for the
//     first); no marker or an empty result gives nothing.
//   - ExtractAlpha/ExtractNumeric use Unicode letters and digits.
//   - ExtractMailPrefix cuts at the first "@"; no "@" keeps the input.
//   - IfEmpty gives output when the input is empty, else the else value, else
//     nothing.
//   - Substring counts characters (runes); a start past the end gives
//     nothing; a length running past the end is clamped.
//   - RegexReplace uses .NET regex syntax (github.com/dlclark/regexp2) with
//     Regex.Replace semantics: every match is replaced by the template and
//     unmatched text is kept. In the template, {name} is a named or numbered
//     group or an additional input by its attribute id ({country} for
//     user.country); everything else, "$" included, is literal. No match
//     gives the else value or nothing; a match with an empty result gives
//     nothing. Patterns are limited to 1 KiB and must not have the
//     catastrophic-backtracking shape (a+)+; inputs are limited to 4 KiB,
//     each match to 100 ms and all matches of one evaluation to
//     [RegexEvalBudget]; exceeding a time limit is an Evaluate error wrapping
//     [ErrRegexTimeout] and [ErrRegex].
//   - Trim (Graph only) trims white space, or any character of value (like
//     .NET String.Trim(char[])); mode defaults to both.
//
// NameID. The source defaults to user.userprincipalname. Format "default"
// is emailAddress for a mail or UPN source without transformations and
// unspecified otherwise. A format requested by the service provider wins
// (unspecified means no preference); one Entra does not issue is an error.
// A requested persistent format gives the pairwise id; a configured one
// carries the source value (as Entra's AWS app does). Unspecified carries
// the configured value, as observed in real responses
// (NameIDRule.UnspecifiedPairwise for the documented pairwise id).
// Transient takes a fresh value from EvalOptions.IDSource each call. An
// empty or illegal value falls back to the pairwise id with the persistent
// format. A multi-valued result uses its first value.
//
// Pairwise ids ([PairwiseID]): base64url without padding of
// HMAC-SHA256(key = Tenant.PairwiseSecret, or the tenant id when empty,
// message = tenantID + "|" + appID + "|" + user object id). Users without an
// objectid attribute get [DerivedObjectID], a version 5 UUID of
// "urn:samlab:tenant:{tenant}:user:{user}" in the URL namespace.
//
// Groups. Which defaults to security (nested groups and the user's
// directory roles), format to object_id. Directory roles are emitted as
// given, in every format, and are neither filtered nor transformed.
// netbios/dns formats without a domain give the bare sAMAccountName; sid
// drops groups without a SID; cloud_display_name (application groups only)
// gives display names of cloud-only groups and object ids of synced ones.
// Filters drop groups lacking the attribute they match on and are
// case-sensitive (GroupFilter.IgnoreCase). Values are in directory order,
// then roles. Overage: when the count exceeds 150 (GroupClaim.OverageLimit)
// the claim is replaced by groups.link =
// https://graph.windows.net/{tenant}/users/{objectid}/getMemberObjects. The
// count is the values the claim would carry after group type, format and
// filter, before the regex (GroupClaim.OverageBasis = "memberships" counts
// every group the user is in, plus roles). The wids claim has no overage.
//
// Defaults and roles. Policy.DefaultClaims emits tenantid,
// objectidentifier, displayname, identityprovider and
// authnmethodsreferences first, in that order. identityprovider is the
// user's "identityprovider" attribute when set, else the tenant issuer for
// members and Entra guests and "live.com" for external guests;
// authnmethodsreferences comes from EvalOptions.AuthnMethods (default the
// password method). Entra does not document automatic role claims;
// Policy.RoleClaim emits app roles as the role claim unless groups are
// emitted as roles. Output order: default claims, rules in order, the group
// claim, the role claim.
//
// Values XML cannot carry. NewDirectory refuses attribute values with CR,
// NUL and other control characters (TAB and LF are fine), U+FFFE/U+FFFF or
// invalid UTF-8; Compile refuses such constants; Evaluate returns an error
// naming the claim for any such output. Nothing is silently changed.
package claims
