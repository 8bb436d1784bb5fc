package aws

import (
	"fmt"
	"regexp"
	"strings"
)

// ARN is a parsed IAM role or SAML provider ARN.
type ARN struct {
	Raw       string
	Partition string // aws, aws-cn, aws-us-gov (or what the ARN says)
	Account   string
	// Kind is "role" or "saml-provider".
	Kind string
	// Path is the role path ("/" when none); Name the role or provider
	// name.
	Path string
	Name string
}

var (
	iamARNRE       = regexp.MustCompile(`^arn:([^:]*):iam::([^:]*):(role|saml-provider)(/.*)?$`)
	accountRE      = regexp.MustCompile(`^\d{12}$`)
	roleNameRE     = regexp.MustCompile(`^[\w+=,.@-]+$`)
	rolePathRE     = regexp.MustCompile(`^/(?:[\x21-\x7e]*/)?$`)
	providerNameRE = regexp.MustCompile(`^[\w._-]+$`)
)

// parseIAMARN splits an IAM role or saml-provider ARN; ok is false when s
// is neither.
func parseIAMARN(s string) (ARN, bool) {
	m := iamARNRE.FindStringSubmatch(s)
	if m == nil {
		return ARN{}, false
	}
	a := ARN{Raw: s, Partition: m[1], Account: m[2], Kind: m[3]}
	rest := m[4] // "/path/name" or "/name"
	i := strings.LastIndex(rest, "/")
	if i < 0 {
		return a, true
	}
	if a.Kind == "role" {
		a.Path, a.Name = rest[:i+1], rest[i+1:]
	} else {
		a.Name = rest[1:]
	}
	return a, true
}

// problems lists what is wrong with the ARN's shape.
func (a ARN) problems() []string {
	var out []string
	if n := len(a.Raw); n < 20 || n > 2048 {
		out = append(out, fmt.Sprintf("%s is %d characters; ARNs are 20-2048", a.Raw, n))
	}
	switch a.Partition {
	case "aws", "aws-cn", "aws-us-gov":
	default:
		out = append(out, fmt.Sprintf("%s: partition %q is not aws, aws-cn or aws-us-gov", a.Raw, a.Partition))
	}
	if !accountRE.MatchString(a.Account) {
		out = append(out, fmt.Sprintf("%s: account %q is not 12 digits", a.Raw, a.Account))
	}
	switch a.Kind {
	case "role":
		switch {
		case a.Name == "":
			out = append(out, fmt.Sprintf("%s: the role name is missing (want role/<name>)", a.Raw))
		case len(a.Name) > 64:
			out = append(out, fmt.Sprintf("%s: the role name is %d characters; IAM allows 64", a.Raw, len(a.Name)))
		case !roleNameRE.MatchString(a.Name):
			out = append(out, fmt.Sprintf("%s: the role name %q may only hold letters, digits and _ + = , . @ -", a.Raw, a.Name))
		}
		switch {
		case len(a.Path) > 512:
			out = append(out, fmt.Sprintf("%s: the role path is %d characters; IAM allows 512", a.Raw, len(a.Path)))
		case a.Path != "" && !rolePathRE.MatchString(a.Path):
			out = append(out, fmt.Sprintf("%s: the role path %q must start and end with / and hold printable ASCII only", a.Raw, a.Path))
		}
	case "saml-provider":
		switch {
		case a.Name == "":
			out = append(out, fmt.Sprintf("%s: the provider name is missing (want saml-provider/<name>)", a.Raw))
		case len(a.Name) > 128:
			out = append(out, fmt.Sprintf("%s: the provider name is %d characters; IAM allows 128", a.Raw, len(a.Name)))
		case !providerNameRE.MatchString(a.Name):
			out = append(out, fmt.Sprintf("%s: the provider name %q may only hold letters, digits and _ . -", a.Raw, a.Name))
		}
	}
	return out
}

// RolePair is one value of the Role attribute: a role to assume and the
// SAML provider that vouches for the user.
type RolePair struct {
	Role, Provider ARN
	// ProviderFirst is true when the value lists the provider first
	// (accepted by AWS; samlab emits the role first).
	ProviderFirst bool
}

// parseRoleValue splits one Role attribute value. It returns the pair and
// what is wrong with the value's form (not with the ARNs' details).
func parseRoleValue(v string) (RolePair, []string) {
	parts := strings.Split(v, ",")
	if len(parts) != 2 {
		return RolePair{}, []string{fmt.Sprintf("value %q has %d comma-separated parts; want exactly two: role-arn,provider-arn", v, len(parts))}
	}
	var out []string
	// Whitespace around an ARN (after the comma, at either end) is a
	// form problem: remove it. Whitespace inside an ARN makes that ARN
	// invalid and is reported once, by the ARN checks, with their advice.
	for _, part := range parts {
		if strings.TrimSpace(part) != part {
			out = append(out, fmt.Sprintf("value %q has whitespace around an ARN: remove it (role-arn,provider-arn with no spaces)", v))
			break
		}
	}
	var p RolePair
	var roles, providers int
	for i, part := range parts {
		a, ok := parseIAMARN(strings.TrimSpace(part))
		switch {
		case !ok:
			out = append(out, fmt.Sprintf("value %q: %q is neither an IAM role ARN (arn:aws:iam::<account>:role/<name>) nor a SAML provider ARN (arn:aws:iam::<account>:saml-provider/<name>)", v, strings.TrimSpace(part)))
		case a.Kind == "role":
			roles++
			p.Role = a
		default:
			providers++
			p.Provider = a
			p.ProviderFirst = i == 0
		}
	}
	if roles == 2 || providers == 2 {
		out = append(out, fmt.Sprintf("value %q must pair one role ARN with one saml-provider ARN", v))
	}
	return p, out
}
