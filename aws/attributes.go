package aws

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// stage is what the linter is looking at; it changes the wording and what
// can be known.
type stage int

const (
	stagePolicy stage = iota // a claim rule set, before anyone logs in
	stageClaims              // one user's evaluated claims
	stageView                // a parsed SAML response
)

// attribute is the common form of a claim rule, an evaluated claim and a
// SAML Attribute, so one set of checks serves all three.
type attribute struct {
	Name       string
	NameFormat string
	// Values are the attribute's values. At the policy stage they are the
	// constants the rule can emit, one of which is sent (Alternatives).
	Values       []string
	Alternatives bool
	// MultiValued is set at the policy stage when the rule can emit
	// several values at once (Treat source as multivalued, groups claim).
	MultiValued bool
	Structured  bool
	// What describes the attribute's origin for messages ("claim rule",
	// "attribute").
	What string
}

// multi reports whether the attribute sends, or may send, several values.
func (a attribute) multi() bool {
	return a.MultiValued || (!a.Alternatives && len(a.Values) > 1)
}

// multiText says how the attribute is multi-valued, for messages.
func (a attribute) multiText() string {
	if a.MultiValued && (a.Alternatives || len(a.Values) <= 1) {
		return fmt.Sprintf("%s %s can emit several values (Treat source as multivalued or a groups claim)", a.What, short(a.Name))
	}
	return fmt.Sprintf("%s %s has %d values", a.What, short(a.Name), len(a.Values))
}

// linter collects findings for one profile.
type linter struct {
	profile string
	stage   stage
	index   map[string]Check
	out     []Finding
}

func newLinter(p Profile, st stage) *linter {
	name := p.Name
	switch name {
	case ProfileSTS, ProfileIdentityCenter:
	default:
		name = ProfileGeneric
	}
	return &linter{profile: name, stage: st, index: checkIndex()}
}

// add records a finding for the named check, unless the check does not
// apply to the linter's profile. The rule ID, severity and AWS error come
// from the registry, so findings and the registry cannot drift apart.
func (l *linter) add(check, attr, format string, args ...any) {
	c, ok := l.index[check]
	if !ok {
		panic("aws: unregistered check " + check) // a programming error, caught by the tests
	}
	if c.Profiles != nil && !slices.Contains(c.Profiles, l.profile) {
		return
	}
	l.out = append(l.out, Finding{
		Rule:      c.Rule,
		Severity:  c.Severity,
		Attribute: attr,
		Message:   fmt.Sprintf(format, args...),
		AWSError:  c.Prevents,
		Check:     c.Name,
	})
}

// findings returns the collected findings, sorted.
func (l *linter) findings() []Finding {
	Sort(l.out)
	return l.out
}

func (l *linter) is(profile string) bool { return l.profile == profile }

// attributes runs every attribute-level check on the attribute list.
func (l *linter) attributes(as []attribute) {
	type tagRef struct {
		key  string
		name string
	}
	var tags, acs []tagRef
	var transitive []string
	var transitiveAttr string
	tagChars := 0
	names := map[string]int{}
	present := map[string]bool{}

	for _, a := range as {
		names[a.Name]++
		if l.is(ProfileIdentityCenter) {
			l.idcAttribute(a)
		}
		if right := caseVariant(a.Name); right != "" {
			l.add("sts-attribute-name-case", a.Name, "%s %q differs from the AWS name %q only in case; AWS attribute names are case-sensitive: rename it to %s", a.What, a.Name, right, right)
			continue
		}
		present[a.Name] = true
		switch {
		case a.Name == AttrRole:
			l.roleValues(a)
		case a.Name == AttrRoleSessionName:
			l.sessionName(a)
		case a.Name == AttrSessionDuration:
			l.sessionDuration(a)
		case a.Name == AttrSourceIdentity:
			l.sourceIdentity(a)
		case a.Name == AttrTransitiveTagKeys:
			transitiveAttr = a.Name
			transitive = append(transitive, a.Values...)
			if !a.Alternatives && len(a.Values) > maxTags {
				l.add("tag-transitive-count", a.Name, "TransitiveTagKeys lists %d keys; AWS takes at most %d: drop some", len(a.Values), maxTags)
			}
		case strings.HasPrefix(a.Name, PrefixPrincipalTag):
			key := strings.TrimPrefix(a.Name, PrefixPrincipalTag)
			tags = append(tags, tagRef{key, a.Name})
			l.principalTag(a, key)
			for _, v := range a.Values {
				tagChars += len([]rune(key)) + len([]rune(v))
			}
		case strings.HasPrefix(a.Name, PrefixAccessControl):
			key := strings.TrimPrefix(a.Name, PrefixAccessControl)
			acs = append(acs, tagRef{key, a.Name})
			l.accessControl(a, key)
		default:
			l.foreignName(a)
		}
	}

	// Across attributes: counts and duplicates.
	if len(tags) > maxTags {
		l.add("tag-count", "", "%d PrincipalTag attributes; AWS takes at most %d session tags: drop %d", len(tags), maxTags, len(tags)-maxTags)
	}
	dupKeys := func(refs []tagRef, check, kind string) {
		byFold := map[string][]string{}
		var order []string
		for _, t := range refs {
			k := strings.ToLower(t.key)
			if _, ok := byFold[k]; !ok {
				order = append(order, k)
			}
			byFold[k] = append(byFold[k], t.key)
		}
		for _, k := range order {
			if keys := byFold[k]; len(keys) > 1 {
				l.add(check, refs[slices.IndexFunc(refs, func(t tagRef) bool { return strings.ToLower(t.key) == k })].name,
					"%s key %q appears %d times (%s); keys are case-insensitive, so AWS sees one key: keep one attribute per key", kind, keys[0], len(keys), strings.Join(quoteAll(keys), ", "))
			}
		}
	}
	dupKeys(tags, "tag-duplicate-key", "PrincipalTag")
	dupKeys(acs, "abac-tag-rules", "AccessControl")
	if l.stage != stagePolicy && tagChars > packedWarn {
		l.add("tag-packed-size", "", "session tag keys and values total %d characters (over %d); the packed size limit may be hit even though each tag is valid: send fewer or shorter tags", tagChars, packedWarn)
	}
	if transitiveAttr != "" {
		keys := map[string]bool{}
		for _, t := range tags {
			keys[strings.ToLower(t.key)] = true
		}
		for _, k := range transitive {
			if !keys[strings.ToLower(k)] {
				l.add("tag-transitive-unknown", transitiveAttr, "TransitiveTagKeys names %q but no PrincipalTag:%s attribute is sent: add the tag or drop the key", k, k)
			}
		}
	}

	if l.is(ProfileSTS) {
		if !present[AttrRole] {
			l.add("sts-role-required", AttrRole, "no %s attribute%s: AWS needs it to pick the role; add a claim named Role in namespace %s with values role-arn,provider-arn", AttrRole, hintNear(as, "Role"), Namespace)
		}
		if !present[AttrRoleSessionName] {
			l.add("sts-session-name-required", AttrRoleSessionName, "no %s attribute%s: add a claim named RoleSessionName in namespace %s (e.g. the user's mail prefix)", AttrRoleSessionName, hintNear(as, "RoleSessionName"), Namespace)
		}
	}
	if l.is(ProfileIdentityCenter) {
		for _, n := range []string{AttrRole, AttrRoleSessionName} {
			if present[n] {
				l.add("idc-iam-attributes", n, "%s is an IAM federation attribute; IAM Identity Center does not use it: remove it from this app's claims", short(n))
			}
		}
		if len(as) > 50 {
			l.add("abac-count", "", "the assertion carries %d attributes; IAM Identity Center takes at most 50: remove %d", len(as), len(as)-50)
		}
		for n, c := range names {
			if c > 1 {
				l.add("abac-duplicate-name", n, "%d Attribute elements are named %s; IAM Identity Center refuses duplicate names: merge them into one attribute with one value", c, n)
			}
		}
	}
}

// hintNear points at an attribute that looks like the missing one but sits
// in another namespace.
func hintNear(as []attribute, want string) string {
	for _, a := range as {
		n := a.Name
		if i := strings.LastIndexAny(n, "/"); i >= 0 {
			n = n[i+1:]
		}
		if strings.EqualFold(n, want) && !strings.HasPrefix(a.Name, Namespace+"/") {
			return fmt.Sprintf(" (%q has the right name but not the namespace %s)", a.Name, Namespace)
		}
	}
	return ""
}

func quoteAll(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = strconv.Quote(s)
	}
	return out
}

// foreignName flags PrincipalTag/AccessControl attributes outside the AWS
// namespace (an Entra claim without its namespace, or in another one).
func (l *linter) foreignName(a attribute) {
	base := a.Name
	if i := strings.LastIndex(base, "/"); i >= 0 {
		base = base[i+1:]
	}
	// ".../PrincipalTag/Key" and ".../AccessControl/Key": a slash where
	// AWS wants a colon. AWS does not refuse them; it ignores them.
	for _, sep := range []struct{ prefix, check, right string }{
		{Namespace + "/PrincipalTag/", "tag-name-separator", PrefixPrincipalTag},
		{Namespace + "/AccessControl/", "abac-name-separator", PrefixAccessControl},
	} {
		if len(a.Name) > len(sep.prefix) && strings.EqualFold(a.Name[:len(sep.prefix)], sep.prefix) {
			right := sep.right + a.Name[len(sep.prefix):]
			l.add(sep.check, a.Name, "%s %q has a slash where AWS wants a colon, so AWS ignores it (no error, no tag): rename it to %s", a.What, a.Name, right)
			return
		}
	}
	switch {
	case strings.HasPrefix(base, "PrincipalTag:"):
		l.add("tag-namespace", a.Name, "%s %q is not in the AWS namespace, so AWS ignores it: set the claim's namespace to %s (giving %s)", a.What, a.Name, Namespace, fullName(Namespace, base))
	case strings.HasPrefix(base, "AccessControl:"):
		l.add("abac-namespace", a.Name, "%s %q is not in the AWS namespace, so IAM Identity Center ignores it: set the claim's namespace to %s (giving %s)", a.What, a.Name, Namespace, fullName(Namespace, base))
	}
}

// roleValues checks the Role attribute's values.
func (l *linter) roleValues(a attribute) {
	if len(a.Values) == 0 && l.stage != stagePolicy {
		l.add("sts-role-required", a.Name, "the Role attribute has no value: the user has no AWS role assigned; assign one (values role-arn,provider-arn)")
	}
	for _, v := range a.Values {
		p, probs := parseRoleValue(v)
		for _, pr := range probs {
			l.add("sts-role-value", a.Name, "Role %s", pr)
		}
		if len(probs) > 0 && (p.Role.Raw == "" || p.Provider.Raw == "") {
			continue
		}
		for _, arn := range []ARN{p.Role, p.Provider} {
			for _, pr := range arn.problems() {
				l.add("sts-role-arn", a.Name, "Role value %q: %s: fix the ARN", v, pr)
			}
		}
		if p.Role.Account != p.Provider.Account {
			l.add("sts-role-account", a.Name, "Role value %q pairs a role in account %s with a provider in account %s; they must be in the same account: use that account's SAML provider", v, p.Role.Account, p.Provider.Account)
		}
		if p.Role.Partition != p.Provider.Partition {
			l.add("sts-role-account", a.Name, "Role value %q pairs partition %s with partition %s: use one partition", v, p.Role.Partition, p.Provider.Partition)
		}
	}
}

// single checks that a single-valued AWS attribute has one value; ok is
// false when it has several.
func (l *linter) single(check string, a attribute) bool {
	if a.multi() {
		l.add(check, a.Name, "%s; AWS takes one value: send exactly one", a.multiText())
		return false
	}
	return true
}

func (l *linter) sessionName(a attribute) {
	if len(a.Values) == 0 && l.stage != stagePolicy {
		l.add("sts-session-name", a.Name, "RoleSessionName has no value; AWS needs 2-64 characters of [a-zA-Z_0-9+=,.@-]: give it a source every user has")
		return
	}
	l.single("sts-session-name", a)
	for _, v := range a.Values {
		if !sessionNameRE.MatchString(v) {
			l.add("sts-session-name", a.Name, "RoleSessionName %q does not match [a-zA-Z_0-9+=,.@-]{2,64}: %s", v, sessionNameFix(v))
		}
	}
}

// sessionNameFix says how to bring a value to [a-zA-Z_0-9+=,.@-]{2,64}.
func sessionNameFix(v string) string {
	var fixes []string
	if n := len(v); n < 2 {
		fixes = append(fixes, "make it at least 2 characters")
	} else if n > 64 {
		fixes = append(fixes, fmt.Sprintf("shorten it from %d to at most 64 characters", n))
	}
	var bad []string
	for _, r := range v {
		if !strings.ContainsRune("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_+=,.@-", r) {
			if q := strconv.QuoteRune(r); !slices.Contains(bad, q) {
				bad = append(bad, q)
			}
		}
	}
	if len(bad) > 0 {
		fixes = append(fixes, "remove "+strings.Join(bad, ", ")+" (e.g. with RegexReplace or ExtractMailPrefix)")
	}
	return strings.Join(fixes, "; ")
}

func (l *linter) sessionDuration(a attribute) {
	l.single("sts-session-duration", a)
	for _, v := range a.Values {
		n, err := strconv.Atoi(v)
		switch {
		case err != nil:
			l.add("sts-session-duration", a.Name, "SessionDuration %q is not an integer number of seconds: send e.g. 3600", v)
		case n < 900 || n > 43200:
			l.add("sts-session-duration", a.Name, "SessionDuration %d is outside 900-43200 seconds: pick a value in that range", n)
		}
	}
}

func (l *linter) sourceIdentity(a attribute) {
	l.single("sts-source-identity", a)
	for _, v := range a.Values {
		if !sessionNameRE.MatchString(v) {
			l.add("sts-source-identity", a.Name, "SourceIdentity %q does not match [a-zA-Z_0-9+=,.@-]{2,64}: %s", v, sessionNameFix(v))
		}
		if hasAWSPrefix(v) {
			l.add("sts-source-identity", a.Name, "SourceIdentity %q begins with the reserved prefix aws:: drop the prefix", v)
		}
	}
}

func (l *linter) principalTag(a attribute, key string) {
	label := a.What + " PrincipalTag:" + key
	if a.multi() {
		l.add("tag-single-value", a.Name, "%s; AWS session tags take one value: join them into one value (e.g. with \":\") or pick one claim condition", a.multiText())
	} else if len(a.Values) == 0 && l.stage != stagePolicy {
		l.add("tag-single-value", a.Name, "%s %s has no AttributeValue; a session tag takes exactly one (it may be empty): send one value or leave the attribute out", a.What, label)
	}
	for _, p := range tagKeyProblems(key) {
		l.add("tag-key", a.Name, "%s: %s", label, p)
	}
	if hasAWSPrefix(key) {
		l.add("tag-aws-prefix", a.Name, "%s: the key begins with the reserved prefix aws:: rename the tag", label)
	}
	for _, v := range a.Values {
		for _, p := range tagValueProblems(v) {
			l.add("tag-value", a.Name, "%s: %s", label, p)
		}
		if hasAWSPrefix(v) {
			l.add("tag-aws-prefix", a.Name, "%s: the value %q begins with the reserved prefix aws:: change the value", label, v)
		}
	}
}

func (l *linter) accessControl(a attribute, key string) {
	label := a.What + " AccessControl:" + key
	for _, p := range tagKeyProblems(key) {
		l.add("abac-tag-rules", a.Name, "%s: %s", label, p)
	}
	if hasAWSPrefix(key) {
		l.add("abac-tag-rules", a.Name, "%s: the key begins with the reserved prefix aws:: rename the attribute", label)
	}
	for _, v := range a.Values {
		for _, p := range tagValueProblems(v) {
			l.add("abac-tag-rules", a.Name, "%s: %s", label, p)
		}
		if hasAWSPrefix(v) {
			l.add("abac-tag-rules", a.Name, "%s: the value %q begins with the reserved prefix aws:: change the value", label, v)
		}
	}
}

// idcAttribute runs the Identity Center rules that hold for every
// attribute in the assertion.
func (l *linter) idcAttribute(a attribute) {
	if a.multi() {
		fix := "send one value (join several with Join, or pick one with a claim condition)"
		if strings.HasPrefix(a.Name, PrefixAccessControl) {
			fix = "join the values into one (e.g. with \":\") or pick one claim condition"
		}
		l.add("abac-multi-value", a.Name, "%s; IAM Identity Center refuses any multi-valued attribute in the assertion: %s", a.multiText(), fix)
	}
	if a.Structured {
		l.add("abac-structured-value", a.Name, "%s %s holds structured XML in an AttributeValue; IAM Identity Center takes text only: send a plain string", a.What, short(a.Name))
	}
	switch a.NameFormat {
	case "", NameFormatBasic, NameFormatURI, NameFormatUnspecified:
	default:
		l.add("abac-name-format", a.Name, "%s %s has NameFormat %q; IAM Identity Center takes only SAML-defined formats: use %s (or none)", a.What, short(a.Name), a.NameFormat, NameFormatURI)
	}
}
