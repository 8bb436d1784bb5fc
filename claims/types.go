package claims

// This file holds the data model shared by the engine, the configuration
// loader, the SAML encoder and the CLI. Field tags are the TOML keys of the
// configuration format (see SPEC.md); the package itself reads no files.

// UserType is the kind of account, as Entra ID tells members from guests.
type UserType string

// User types. The zero value is treated as [Member].
const (
	Member        UserType = "member"
	AADGuest      UserType = "aad_guest"      // B2B guest from another Entra tenant
	ExternalGuest UserType = "external_guest" // guest from a non-Entra identity provider
)

// User is a directory user as the engine sees it.
type User struct {
	// ID is the login name, unique in the tenant.
	ID string `toml:"id"`
	// Type is member, aad_guest or external_guest.
	Type UserType `toml:"type"`
	// Groups lists the ids of the groups the user is a direct member of.
	Groups []string `toml:"groups"`
	// DirectoryRoles lists directory role template ids (emitted as wids or
	// with security-group claims).
	DirectoryRoles []string `toml:"directory_roles"`
	// AppRoles maps an app name to the values of the app roles assigned to
	// the user for that app (user.assignedroles). An empty value is a role
	// without a value, such as msiam_access, and is never emitted.
	AppRoles map[string][]string `toml:"app_roles"`
	// Attributes holds Entra user.* attributes by id ("department",
	// "userprincipalname"; case-insensitive, NewDirectory stores them in
	// lower case) and free-form or directory extension attributes by name
	// (case-sensitive). Several values make a multi-valued attribute.
	Attributes map[string]Values `toml:"attributes"`
}

// Values is the value list of one attribute. In TOML it is a string or an
// array of strings.
type Values []string

// GroupKind tells security groups from distribution lists.
type GroupKind string

// Group kinds. The zero value is treated as [Security].
const (
	Security     GroupKind = "security"
	Distribution GroupKind = "distribution"
)

// Group is a directory group. A group with SAMAccountName set counts as
// synchronised from on-premises Active Directory; others are cloud-only.
type Group struct {
	// ID is the name users and rules refer to the group by.
	ID string `toml:"id"`
	// ObjectID is the Entra object id; it defaults to ID.
	ObjectID       string    `toml:"object_id"`
	DisplayName    string    `toml:"display_name"`
	Kind           GroupKind `toml:"kind"`
	SAMAccountName string    `toml:"samaccountname"`
	NetBIOSDomain  string    `toml:"netbios_domain"`
	DNSDomain      string    `toml:"dns_domain"`
	SID            string    `toml:"sid"`
	// MemberOf lists the ids of groups this group is nested in.
	MemberOf []string `toml:"member_of"`
	// AssignedTo lists the names of apps this group is assigned to
	// (for "groups assigned to the application").
	AssignedTo []string `toml:"assigned_to"`
}

// Policy is the claim configuration of one application: Entra's
// "User Attributes & Claims" blade.
type Policy struct {
	NameID NameIDRule `toml:"nameid"`
	Claims []Rule     `toml:"claims"`
	// GroupClaim configures the groups claim; nil means no groups claim.
	GroupClaim *GroupClaim `toml:"group_claim"`
	// DefaultClaims adds the claims Entra ID always emits (tenantid,
	// objectidentifier, displayname, identityprovider,
	// authnmethodsreferences), first and in Azure's order.
	DefaultClaims bool `toml:"default_claims"`
	// AttributeNameFormat, when set, is the NameFormat given to every claim
	// that sets none itself (Entra's "Include attribute name format").
	AttributeNameFormat string `toml:"attribute_name_format"`
	// RoleClaim emits the user's app roles (user.assignedroles) as
	// http://schemas.microsoft.com/ws/2008/06/identity/claims/role without
	// a configured claim, unless GroupClaim.EmitAsRoles takes that claim.
	// Whether Entra ID does this for SAML apps is unconfirmed; off by default.
	RoleClaim bool `toml:"role_claim"`
	// MatchIgnoreCase makes Contains, StartWith and EndWith compare without
	// regard to case. Default: case-sensitive (Entra ID reportedly compiles
	// them to case-sensitive regex templates).
	MatchIgnoreCase bool `toml:"match_ignore_case"`
	// ExtractFirstOccurrence makes Extract use the first occurrence of its
	// markers. Default: the last occurrence (the greedy ".*" of the regex
	// templates Entra ID reportedly uses).
	ExtractFirstOccurrence bool `toml:"extract_first_occurrence"`
}

// Rule is one claim ("Manage claim" in the portal).
type Rule struct {
	Name       string `toml:"name"`
	Namespace  string `toml:"namespace"`
	NameFormat string `toml:"name_format"` // "", unspecified, uri, basic, or a URN
	// Source is an attribute (user.department, user.extension_<app>_<name>).
	Source string `toml:"source"`
	// Value is a constant. At most one of Source, Value and
	// Transformations is the claim's base source.
	Value           string           `toml:"value"`
	Transformations []Transformation `toml:"transformations"`
	// MultiValued is "Treat source as multivalued".
	MultiValued bool        `toml:"multi_valued"`
	Conditions  []Condition `toml:"conditions"`
}

// Condition is one row of a claim's conditions.
type Condition struct {
	// UserType: any (default), members, all_guests, aad_guests, external_guests.
	UserType string `toml:"user_type"`
	// Groups are scoped group ids; the row matches a member of any of them.
	Groups          []string         `toml:"groups"`
	Source          string           `toml:"source"`
	Value           string           `toml:"value"`
	Transformations []Transformation `toml:"transformations"`
}

// Transformation is one claim transformation. Which fields apply depends on
// Function; parameters named Input* and Output/Else are attributes when they
// start with "user." (or name an extension attribute) and constants otherwise.
type Transformation struct {
	Function string `toml:"function"`
	// Mode selects a variant: after|before|between (Extract), prefix|suffix
	// (ExtractAlpha, ExtractNumeric), fixed|end (Substring),
	// leading|trailing|both (Trim).
	Mode string `toml:"mode"`
	// Input is parameter 1. In a second transformation an empty Input means
	// the first transformation's output.
	Input     string `toml:"input"`
	Input2    string `toml:"input2"`    // Join parameter 2
	Separator string `toml:"separator"` // Join
	Value     string `toml:"value"`     // the value matched or extracted by
	Value2    string `toml:"value2"`    // Extract between: the end marker
	Output    string `toml:"output"`    // value when the test matches
	Else      string `toml:"else"`      // value when it does not (optional)
	// RegexReplace.
	Regex            string   `toml:"regex"`
	Replacement      string   `toml:"replacement"`
	AdditionalInputs []string `toml:"additional_inputs"`
	// Substring.
	StartIndex int `toml:"start_index"`
	Length     int `toml:"length"`
	// MultiValued runs the transformation once per value of Input.
	MultiValued bool `toml:"multi_valued"`
}

// NameIDRule configures the Subject NameID ("Unique User Identifier").
type NameIDRule struct {
	// Format: default, email, persistent, unspecified, transient,
	// windows_domain_qualified_name, or a full URN.
	Format          string           `toml:"format"`
	Source          string           `toml:"source"`
	Transformations []Transformation `toml:"transformations"`
	Conditions      []Condition      `toml:"conditions"`
	// UnspecifiedPairwise makes the unspecified format carry the pairwise
	// id, as Entra's documentation says. Default: the configured source
	// value, as observed in real Entra responses.
	UnspecifiedPairwise bool `toml:"unspecified_pairwise"`
	// RequestedUnspecified is what an AuthnRequest whose NameIDPolicy asks
	// for the unspecified format gets: "pairwise" (default: the pairwise
	// id, Format persistent, as Microsoft's SAML protocol page says Entra
	// ID issues it) or "configured" (unspecified read as "no preference":
	// the configured format and source).
	RequestedUnspecified string `toml:"requested_unspecified"`
}

// GroupClaim configures the groups claim.
type GroupClaim struct {
	// Which: security, directory_roles, all, application.
	Which string `toml:"which"`
	// Format: object_id, samaccountname, netbios_samaccountname,
	// dns_samaccountname, sid, cloud_display_name.
	Format string `toml:"format"`
	// CloudDisplayName also emits display names for cloud-only groups when
	// Format is an on-premises format.
	CloudDisplayName bool   `toml:"cloud_display_name"`
	Name             string `toml:"name"`
	Namespace        string `toml:"namespace"`
	// EmitAsRoles sends the values as role claims.
	EmitAsRoles bool         `toml:"emit_as_roles"`
	Filter      *GroupFilter `toml:"filter"`
	// Regex and Replacement transform each group value; groups that do
	// not match are dropped.
	Regex       string `toml:"regex"`
	Replacement string `toml:"replacement"`
	// RegexNoMatch says where the original values go when Regex matches
	// no group: "groups" (default, as Entra ID documents it: the
	// custom-named claim is left out and the values are sent under the
	// default groups claim name) or "configured_name" (under Name, or role
	// with EmitAsRoles).
	RegexNoMatch string `toml:"regex_no_match"`
	// OverageLimit is the number of groups above which the claim is
	// replaced by groups.link; default 150 (Entra's SAML limit).
	OverageLimit int `toml:"overage_limit"`
	// OverageBasis says what is counted against OverageLimit: "emitted"
	// (default: the values the claim would carry after group type, format
	// and filter, before the regex) or "memberships" (every group the user
	// belongs to, nested included, plus directory roles).
	OverageBasis string `toml:"overage_basis"`
}

// GroupFilter keeps only groups whose display name or sAMAccountName
// matches.
type GroupFilter struct {
	MatchOn string `toml:"match_on"` // display_name | samaccountname
	Type    string `toml:"type"`     // prefix | suffix | contains
	Value   string `toml:"value"`
	// IgnoreCase compares without regard to case. Default: case-sensitive
	// (unconfirmed in Entra ID).
	IgnoreCase bool `toml:"ignore_case"`
}

// Result is what the engine produces for one user and one app: protocol
// neutral, ready to be encoded as SAML.
type Result struct {
	NameID     NameID
	Attributes []Attribute
	// Omitted lists configured claims that produced no value, with why.
	Omitted []Omission
}

// NameID is the resolved subject identifier.
type NameID struct {
	Format string // full URN
	Value  string
	// SPNameQualifier echoes EvalOptions.SPNameQualifier.
	SPNameQualifier string
	Trace           *Trace // nil unless evaluated with Explain
}

// Attribute is one claim: one SAML Attribute with one AttributeValue per value.
type Attribute struct {
	Name       string // namespace + "/" + name
	NameFormat string // full URN, or "" for none
	Values     []string
	Trace      *Trace // nil unless evaluated with Explain
}

// Omission records a claim that was not emitted.
type Omission struct {
	Name   string
	Reason string
	Trace  *Trace // nil unless evaluated with Explain
}
