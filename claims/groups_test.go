package claims

import (
	"fmt"
	"testing"
)

func TestGroupClaim(t *testing.T) {
	d := testDir(t)
	cases := []struct {
		name     string
		g        GroupClaim
		user     string
		wantName string
		want     []string
	}{
		{"security object ids nested and roles", GroupClaim{}, "alice", ClaimGroups, []string{"oid-eng", "all-staff", "admins", "role-global-reader"}},
		{"security excludes distribution lists", GroupClaim{Which: "security"}, "bob", "", nil},
		{"all includes distribution lists", GroupClaim{Which: "all"}, "bob", ClaimGroups, []string{"sales"}},
		{"directory roles as wids", GroupClaim{Which: "directory_roles"}, "alice", ClaimWids, []string{"role-global-reader"}},
		{"application: assigned, direct only", GroupClaim{Which: "application"}, "alice", ClaimGroups, []string{"admins"}},
		{"samaccountname drops cloud groups", GroupClaim{Format: "samaccountname"}, "alice", ClaimGroups, []string{"eng", "awsadmins", "role-global-reader"}},
		{"netbios", GroupClaim{Format: "netbios_samaccountname"}, "alice", ClaimGroups, []string{`CONTOSO\eng`, "awsadmins", "role-global-reader"}},
		{"dns", GroupClaim{Format: "dns_samaccountname"}, "alice", ClaimGroups, []string{`contoso.com\eng`, "awsadmins", "role-global-reader"}},
		{"sid", GroupClaim{Format: "sid"}, "alice", ClaimGroups, []string{"S-1-5-21-1", "role-global-reader"}},
		{"cloud display names for cloud groups", GroupClaim{Format: "samaccountname", CloudDisplayName: true}, "alice", ClaimGroups, []string{"eng", "All Staff", "awsadmins", "role-global-reader"}},
		{"cloud_display_name format", GroupClaim{Which: "application", Format: "cloud_display_name"}, "alice", ClaimGroups, []string{"admins"}},
		{"custom name", GroupClaim{Name: "groups", Namespace: awsNS + "/"}, "alice", awsNS + "/groups", []string{"oid-eng", "all-staff", "admins", "role-global-reader"}},
		{"emit as roles", GroupClaim{EmitAsRoles: true, Which: "application"}, "alice", ClaimRole, []string{"admins"}},
		{"filter display name prefix", GroupClaim{Filter: &GroupFilter{MatchOn: "display_name", Type: "prefix", Value: "Eng"}}, "alice", ClaimGroups, []string{"oid-eng", "role-global-reader"}},
		{"filter case-sensitive", GroupClaim{Filter: &GroupFilter{MatchOn: "display_name", Type: "prefix", Value: "eng"}}, "alice", ClaimGroups, []string{"role-global-reader"}},
		{"filter ignore case", GroupClaim{Filter: &GroupFilter{MatchOn: "display_name", Type: "suffix", Value: "STAFF", IgnoreCase: true}}, "alice", ClaimGroups, []string{"all-staff", "role-global-reader"}},
		{"filter samaccountname contains", GroupClaim{Filter: &GroupFilter{MatchOn: "samaccountname", Type: "contains", Value: "admin"}}, "alice", ClaimGroups, []string{"admins", "role-global-reader"}},
		{"regex transforms, drops non-matching", GroupClaim{Format: "samaccountname", Regex: `^aws(?<r>.+)$`, Replacement: "aws-{r}"}, "alice", ClaimGroups, []string{"aws-admins", "role-global-reader"}},
		{"regex keeps unmatched text", GroupClaim{Format: "samaccountname", Regex: `^e`, Replacement: "E"}, "alice", ClaimGroups, []string{"Eng", "role-global-reader"}},
		{"regex none match: original", GroupClaim{Format: "samaccountname", Regex: `^zzz`, Replacement: "x"}, "alice", ClaimGroups, []string{"eng", "awsadmins", "role-global-reader"}},
		// Entra: "if the configured regex doesn't match any value in the
		// original list, then the custom claim will not be present and the
		// original groups claim will be included in the token".
		{"regex none match, custom name: default groups claim", GroupClaim{Name: "grp", Namespace: awsNS, Format: "samaccountname", Regex: `^zzz`, Replacement: "x"}, "alice", ClaimGroups, []string{"eng", "awsadmins", "role-global-reader"}},
		{"regex none match, emit as roles: default groups claim", GroupClaim{EmitAsRoles: true, Format: "samaccountname", Regex: `^zzz`, Replacement: "x"}, "alice", ClaimGroups, []string{"eng", "awsadmins", "role-global-reader"}},
		{"regex none match, configured_name", GroupClaim{Name: "grp", Namespace: awsNS, Format: "samaccountname", Regex: `^zzz`, Replacement: "x", RegexNoMatch: "configured_name"}, "alice", awsNS + "/grp", []string{"eng", "awsadmins", "role-global-reader"}},
		{"regex matches, custom name kept", GroupClaim{Name: "grp", Namespace: awsNS, Format: "samaccountname", Regex: `^aws(?<r>.+)$`, Replacement: "aws-{r}"}, "alice", awsNS + "/grp", []string{"aws-admins", "role-global-reader"}},
		{"no groups", GroupClaim{}, "carol", "", nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			g := c.g
			e := mustCompile(t, Policy{GroupClaim: &g})
			r := mustEval(t, e, d, c.user, EvalOptions{Explain: true})
			if c.wantName == "" {
				if len(r.Attributes) != 0 || len(r.Omitted) != 1 {
					t.Fatalf("want no group claim, got %+v", r.Attributes)
				}
				return
			}
			if len(r.Attributes) != 1 {
				t.Fatalf("want one attribute, got %q", r.names())
			}
			a := r.Attributes[0]
			if a.Name != c.wantName || !eq(a.Values, c.want) {
				t.Errorf("got %s = %q, want %s = %q", a.Name, a.Values, c.wantName, c.want)
			}
			if a.Trace == nil || len(a.Trace.Steps) == 0 {
				t.Error("no trace")
			}
		})
	}
}

// overageDir has user dave in n security groups and one distribution list.
func overageDir(t *testing.T, n int) *Directory {
	var groups []Group
	var ids []string
	for i := 0; i < n; i++ {
		id := fmt.Sprintf("g%03d", i)
		groups = append(groups, Group{ID: id, DisplayName: "Group " + id})
		ids = append(ids, id)
	}
	groups = append(groups, Group{ID: "dl", Kind: Distribution})
	ids = append(ids, "dl")
	d, err := NewDirectory(Tenant{ID: testTenant}, []User{{ID: "dave", Groups: ids, Attributes: map[string]Values{"objectid": {"dave-oid"}}}}, groups)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestGroupOverage(t *testing.T) {
	link := "https://graph.windows.net/" + testTenant + "/users/dave-oid/getMemberObjects"
	cases := []struct {
		name     string
		groups   int
		g        GroupClaim
		wantName string
		wantN    int
	}{
		{"150 groups fit", 150, GroupClaim{}, ClaimGroups, 150},
		{"151 groups overflow", 151, GroupClaim{}, ClaimGroupsLink, 1},
		{"150 plus a distribution list fit security", 150, GroupClaim{Which: "security"}, ClaimGroups, 150},
		{"150 plus a distribution list overflow all", 150, GroupClaim{Which: "all"}, ClaimGroupsLink, 1},
		{"filter brings it under the limit", 151, GroupClaim{Filter: &GroupFilter{MatchOn: "display_name", Type: "prefix", Value: "Group g00"}}, ClaimGroups, 10},
		{"memberships basis ignores the filter", 151, GroupClaim{OverageBasis: "memberships", Filter: &GroupFilter{MatchOn: "display_name", Type: "prefix", Value: "Group g00"}}, ClaimGroupsLink, 1},
		{"custom limit", 5, GroupClaim{OverageLimit: 4}, ClaimGroupsLink, 1},
		{"emit as roles overflow", 151, GroupClaim{EmitAsRoles: true}, ClaimGroupsLink, 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d := overageDir(t, c.groups)
			g := c.g
			r := mustEval(t, mustCompile(t, Policy{GroupClaim: &g}), d, "dave", EvalOptions{})
			if len(r.Attributes) != 1 {
				t.Fatalf("attributes %q", r.names())
			}
			a := r.Attributes[0]
			if a.Name != c.wantName || len(a.Values) != c.wantN {
				t.Fatalf("got %s with %d values, want %s with %d", a.Name, len(a.Values), c.wantName, c.wantN)
			}
			if a.Name == ClaimGroupsLink && a.Values[0] != link {
				t.Errorf("link = %q, want %q", a.Values[0], link)
			}
		})
	}
}

func TestGroupClaimOmittedHasTrace(t *testing.T) {
	d := testDir(t)
	r := mustEval(t, mustCompile(t, Policy{GroupClaim: &GroupClaim{}}), d, "carol", EvalOptions{Explain: true})
	if len(r.Omitted) != 1 || r.Omitted[0].Name != ClaimGroups || r.Omitted[0].Reason != "the user has no groups to emit" || r.Omitted[0].Trace == nil {
		t.Fatalf("omitted = %+v", r.Omitted)
	}
}
