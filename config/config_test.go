package config

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/samlab/samlab/claims"
)

// markedLine returns the 1-based line of the text that holds the marker
// "#<", so expected messages can name lines without counting by hand.
func markedLine(t *testing.T, text string) int {
	t.Helper()
	for i, l := range strings.Split(text, "\n") {
		if strings.Contains(l, "#<") {
			return i + 1
		}
	}
	t.Fatalf("no #< marker in:\n%s", text)
	return 0
}

// withLine replaces LINE in want by the marked line.
func withLine(t *testing.T, text, want string) string {
	return strings.ReplaceAll(want, "LINE", strconv.Itoa(markedLine(t, text)))
}

func TestExamplesLoad(t *testing.T) {
	for _, name := range []string{"demo.toml", "minimal.toml", "aws-abac.toml"} {
		t.Run(name, func(t *testing.T) {
			c, err := Load(filepath.Join("..", "examples", name))
			if err != nil {
				t.Fatalf("Load: %v", err)
			}
			if len(c.Warnings) > 0 {
				t.Errorf("warnings: %q", c.Warnings)
			}
			if len(c.Users) == 0 || len(c.Apps) == 0 {
				t.Errorf("got %d users and %d apps, want some of each", len(c.Users), len(c.Apps))
			}
			for _, a := range c.Apps {
				if a.Line == 0 || len(a.ClaimLines) != len(a.Claims) {
					t.Errorf("app %q: line %d, claim lines %v for %d claims", a.Name, a.Line, a.ClaimLines, len(a.Claims))
				}
			}
		})
	}
}

func TestDemoFileIsExampleFile(t *testing.T) {
	example, err := os.ReadFile("../examples/demo.toml")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(example, demoTOML) {
		t.Fatal("examples/demo.toml differs from config/demo.toml; copy config/demo.toml over it")
	}
}

// tagValueRE is the AWS session tag value alphabet (AWS-ABAC-006).
var tagValueRE = regexp.MustCompile(`^[\p{L}\p{Z}\p{N}_.:/=+\-@]{0,256}$`)

var roleRE = regexp.MustCompile(`^arn:aws:iam::\d{12}:role/[\w+=,.@-]{1,64},arn:aws:iam::\d{12}:saml-provider/[\w._-]{1,128}$`)

func TestDemoTenant(t *testing.T) {
	c := Demo()
	if c.Source != DemoSource || !c.IdP.Demo || c.IdP.TenantID != DemoTenantID {
		t.Errorf("source %q demo %v tenant %q", c.Source, c.IdP.Demo, c.IdP.TenantID)
	}
	if got := c.IdP.VerifiedDomains; !reflect.DeepEqual(got, []string{"contoso.com"}) {
		t.Errorf("verified domains %q", got)
	}
	wantTypes := map[string]claims.UserType{"alice": claims.Member, "bob": claims.AADGuest, "carol": claims.ExternalGuest, "dave": claims.Member}
	for id, typ := range wantTypes {
		u := c.User(id)
		if u == nil {
			t.Errorf("no user %q", id)
			continue
		}
		if u.Type != typ {
			t.Errorf("%s: type %q, want %q", id, u.Type, typ)
		}
		if u.Password != id+"-demo" {
			t.Errorf("%s: password %q, want %q", id, u.Password, id+"-demo")
		}
		for app, roles := range u.AppRoles {
			for _, r := range roles {
				if app == "aws" && !roleRE.MatchString(r) {
					t.Errorf("%s: AWS role %q is not role-arn,provider-arn", id, r)
				}
			}
		}
		for _, attr := range []string{"department", "costcenter"} {
			for _, v := range u.Attributes[attr] {
				if !tagValueRE.MatchString(v) {
					t.Errorf("%s: %s %q is not a valid AWS tag value", id, attr, v)
				}
			}
		}
	}
	alice := c.User("alice")
	if len(alice.AppRoles["aws"]) != 2 || alice.Attributes["department"][0] != "Engineering" || alice.Attributes["costcenter"][0] != "CC-1001" {
		t.Errorf("alice: roles %q, attributes %v", alice.AppRoles["aws"], alice.Attributes)
	}
	var synced, cloud bool
	for _, g := range alice.Groups {
		if grp := c.Group(g); grp.SAMAccountName != "" {
			synced = grp.SID != "" && grp.NetBIOSDomain != "" && grp.DNSDomain != ""
		} else {
			cloud = true
		}
	}
	if !synced || !cloud {
		t.Errorf("alice: in a fully described synced group %v, in a cloud-only group %v", synced, cloud)
	}
	if n := len(c.User("dave").Groups); n <= 150 {
		t.Errorf("dave is in %d groups, want more than 150 for the overage", n)
	}
	var distribution bool
	for _, g := range c.Groups {
		distribution = distribution || g.Kind == claims.Distribution
	}
	if !distribution {
		t.Error("no distribution list")
	}

	wantClaims := map[string][]string{
		"aws":                 {"Role", "RoleSessionName", "SessionDuration", "PrincipalTag:Department", "PrincipalTag:CostCenter", "TransitiveTagKeys"},
		"aws-identity-center": {"AccessControl:Department", "AccessControl:CostCenter", "AccessControl:JobTitle"},
		"test-sp":             {"emailaddress", "givenname", "name", "surname"},
		"identity-center":     {"AccessControl:CostCenter", "AccessControl:Department"},
	}
	for name, want := range wantClaims {
		a := c.App(name)
		if a == nil {
			t.Errorf("no app %q", name)
			continue
		}
		var got []string
		for _, r := range a.Claims {
			got = append(got, r.Name)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("app %s: claims %q, want %q", name, got, want)
		}
	}
	if a := c.App("aws"); a.Profile != ProfileAWSSTS || a.NameID.Format != "persistent" {
		t.Errorf("aws: profile %q nameid %q", a.Profile, a.NameID.Format)
	}
	if a := c.App("aws-identity-center"); a.Profile != ProfileAWSIdentityCenter || a.NameID.Format != "email" {
		t.Errorf("aws-identity-center: profile %q nameid %q", a.Profile, a.NameID.Format)
	}
	if a := c.App("identity-center"); a.Profile != ProfileGeneric || a.EntityID != "http://127.0.0.1:8080/identity-center" ||
		!reflect.DeepEqual(a.ACSURLs, []string{"http://127.0.0.1:8080/identity-center/acs"}) || a.IdentityCenter.Precedence != DefaultIdCPrecedence ||
		a.IdentityCenter.Attributes["costCenter"] != "${path:enterprise.costCenter}" || len(a.IdCMappings()) != 3 {
		t.Errorf("identity-center: %+v %+v", a, a.IdentityCenter)
	}
	sp := c.App("test-sp")
	if sp.EntityID != "http://127.0.0.1:8080/test-sp" || !reflect.DeepEqual(sp.ACSURLs, []string{"http://127.0.0.1:8080/test-sp/acs"}) {
		t.Errorf("test-sp: entity %q acs %q", sp.EntityID, sp.ACSURLs)
	}
	if !sp.DefaultClaims || !sp.DebugView || sp.GroupClaim == nil || sp.GroupClaim.Format != "object_id" {
		t.Errorf("test-sp: default claims %v debug %v group claim %+v", sp.DefaultClaims, sp.DebugView, sp.GroupClaim)
	}
}

func TestDemoIsFresh(t *testing.T) {
	a, b := Demo(), Demo()
	a.Users[0].ID = "changed"
	if b.Users[0].ID != "alice" {
		t.Fatal("Demo returns shared state")
	}
}

// base is a valid file the validation cases add to.
const base = `[idp]
demo = true

[[groups]]
id = "g1"

[[users]]
id = "u1"
password = "p"
`

func TestUnknownKeys(t *testing.T) {
	tests := []struct {
		name, text, want string
	}{
		{"top level", "colour = 1 #<\n" + base, `x.toml:LINE: unknown key "colour"`},
		{"top-level table", base + "[server] #<\nport = 1\n", `x.toml:LINE: unknown key "server"`},
		{"idp typo", "[idp]\nbase_ur1 = \"x\" #<\n", `x.toml:LINE: idp: unknown key "base_ur1" (did you mean "base_url"?)`},
		{"in users", base + "pasword = \"x\" #<\n", `x.toml:LINE: users[u1]: unknown key "pasword" (did you mean "password"?)`},
		{"second user", base + "[[users]]\nid = \"u2\"\nbogus = 1 #<\n", `x.toml:LINE: users[u2]: unknown key "bogus"`},
		// toml itself matches keys case-insensitively, so "ID" sets the id.
		{"case matters", "[[users]]\nID = \"x\" #<\n", `x.toml:LINE: users[0]: unknown key "ID" (did you mean "id"?)`},
		{"in apps.claims", base + `[[apps]]
name = "a"
entity_id = "e"
acs_urls = ["https://sp/acs"]
[[apps.claims]]
name = "c1"
source = "user.mail"
[[apps.claims]]
name = "c2"
sorce = "user.mail" #<
`, `x.toml:LINE: apps[a]: claims[c2]: unknown key "sorce" (did you mean "source"?)`},
		{"in a transformation", base + `[[apps]]
name = "a"
entity_id = "e"
acs_urls = ["https://sp/acs"]
[[apps.claims]]
name = "c1"
transformations = [
  { function = "ToLowercase", input = "user.mail" },
  { function = "Trim", inptu = "x" }, #<
]
`, `x.toml:LINE: apps[a]: claims[c1]: transformations[1]: unknown key "inptu" (did you mean "input"?)`},
		{"in conditions", base + `[[apps]]
name = "a"
entity_id = "e"
acs_urls = ["https://sp/acs"]
[[apps.claims]]
name = "c1"
[[apps.claims.conditions]]
user_type = "members"
[[apps.claims.conditions]]
usertype = "members" #<
`, `x.toml:LINE: apps[a]: claims[c1]: conditions[1]: unknown key "usertype" (did you mean "user_type"?)`},
		{"in a sub-table", base + `[[apps]]
name = "a"
entity_id = "e"
acs_urls = ["https://sp/acs"]
[apps.nameid]
fromat = "email" #<
`, `x.toml:LINE: apps[a]: nameid: unknown key "fromat" (did you mean "format"?)`},
		{"dotted key", base + "[[apps]]\nname = \"a\"\nentity_id = \"e\"\nacs_urls = [\"https://sp/acs\"]\nencrypt.cert = \"c.pem\"\nencrypt.mode = \"x\" #<\n",
			`x.toml:LINE: apps[a]: encrypt: unknown key "mode"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("x.toml", []byte(tt.text))
			want := withLine(t, tt.text, tt.want)
			if err == nil || !strings.Contains(err.Error(), want) {
				t.Fatalf("got error:\n%v\nwant it to contain:\n%s", err, want)
			}
		})
	}
}

func TestFreeFormAttributesAreNotUnknown(t *testing.T) {
	text := base + `[users.attributes]
department = "Sales"
extension_0123_costCenter = "CC-1"
"odd key.with dot" = ["a", "b"]
[users.app_roles]
anything = ["x"] #<
`
	_, err := Parse("x.toml", []byte(text))
	// app_roles names must be apps: that is the only problem.
	want := withLine(t, text, `x.toml:LINE: users[u1]: app_roles: anything: no app is named "anything"`)
	if err == nil || err.Error() != want {
		t.Fatalf("got %v, want exactly %s", err, want)
	}
}

func TestTypeErrors(t *testing.T) {
	tests := []struct {
		name, text, want string
	}{
		{"syntax", "[idp]\nbase_url = = 1 #<\n", "x.toml:LINE: "},
		{"string for bool", "[idp]\ndemo = \"yes\" #<\n", "x.toml:LINE: idp: demo must be true or false (no quotes), e.g. demo = true"},
		{"in the right app", base + `[[apps]]
name = "a"
entity_id = "e1"
acs_urls = ["https://sp/acs"]
debug_view = false
[[apps]]
name = "b"
entity_id = "e2"
acs_urls = ["https://sp/acs"]
debug_view = "yes" #<
[[apps]]
name = "c"
entity_id = "e3"
acs_urls = ["https://sp/acs"]
debug_view = true
`, `x.toml:LINE: apps[b]: debug_view must be true or false (no quotes), e.g. debug_view = true`},
		{"attribute value", base + "[users.attributes]\nmail = { a = 1 } #<\n", "x.toml:LINE: users[u1]: attributes: mail must be a string or an array of strings"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("x.toml", []byte(tt.text))
			want := withLine(t, tt.text, tt.want)
			if err == nil || !strings.Contains(err.Error(), want) {
				t.Fatalf("got error:\n%v\nwant it to contain:\n%s", err, want)
			}
		})
	}
}

const hash = "$2a$10$xTljwua7a5klbACsQ.FhRuGJo.AUbww2s5McM7v8ddfFPrU1JOClC"

func TestValidation(t *testing.T) {
	app := func(lines string) string {
		return base + "[[apps]]\nname = \"a\"\nentity_id = \"https://sp/e\"\n" + lines
	}
	tests := []struct {
		name, text, want string
	}{
		{"app without name", base + "[[apps]] #<\nentity_id = \"e\"\nacs_urls = [\"https://sp/acs\"]\n", `x.toml:LINE: apps[0]: app has no name`},
		{"duplicate app name", app("acs_urls = [\"https://sp/acs\"]\n[[apps]]\nname = \"a\" #<\nentity_id = \"e2\"\nacs_urls = [\"https://sp/acs\"]\n"), `x.toml:LINE: apps[a]: name: name "a" is already used by the app at line 10`},
		{"bad app name", base + "[[apps]]\nname = \"a b\" #<\nentity_id = \"e\"\nacs_urls = [\"https://sp/acs\"]\n", `x.toml:LINE: apps[a b]: name: "a b": use letters`},
		{"duplicate entity id", app("acs_urls = [\"https://sp/acs\"]\n[[apps]]\nname = \"b\"\nentity_id = \"https://sp/e\" #<\nacs_urls = [\"https://sp/acs\"]\n"), `x.toml:LINE: apps[b]: entity_id: entity id "https://sp/e" is already used by app "a"`},
		{"no acs", base + "[[apps]] #<\nname = \"a\"\nentity_id = \"e\"\n", `x.toml:LINE: apps[a]: app has no ACS URL: set acs_urls, metadata (an SP metadata file) or builtin`},
		{"no entity id", base + "[[apps]] #<\nname = \"a\"\nacs_urls = [\"https://sp/acs\"]\n", `x.toml:LINE: apps[a]: app has no entity_id`},
		{"unknown profile", app("acs_urls = [\"https://sp/acs\"]\nprofile = \"aws\" #<\n"), `x.toml:LINE: apps[a]: profile: unknown profile "aws"; use one of aws-sts, aws-identity-center, generic`},
		{"unknown signing", app("acs_urls = [\"https://sp/acs\"]\nsigning = \"all\" #<\n"), `x.toml:LINE: apps[a]: signing: unknown signing "all"`},
		{"unknown algorithm", app("acs_urls = [\"https://sp/acs\"]\nsignature_algorithm = \"sha256\" #<\n"), `x.toml:LINE: apps[a]: signature_algorithm: unknown signature algorithm "sha256"`},
		{"removed algorithm", app("acs_urls = [\"https://sp/acs\"]\nsignature_algorithm = \"rsa-sha384\" #<\n"), `x.toml:LINE: apps[a]: signature_algorithm: unknown signature algorithm "rsa-sha384"`},
		{"slo_url scheme", app("acs_urls = [\"https://sp/acs\"]\nslo_url = \"javascript:alert(1)\" #<\n"), `x.toml:LINE: apps[a]: slo_url: `},
		{"unknown ECDSA format", app("acs_urls = [\"https://sp/acs\"]\necdsa_signature_format = \"der\" #<\n"), `x.toml:LINE: apps[a]: ecdsa_signature_format: unknown ECDSA signature format "der"; use rs or asn1`},
		{"unknown cipher", app("acs_urls = [\"https://sp/acs\"]\nencrypt = { cert = \"sp.crt\", method = \"aes192-cbc\" } #<\n"), `encrypt: method: unknown encryption method "aes192-cbc"; use one of aes256-gcm, aes128-cbc`},
		{"unknown encryption", app("acs_urls = [\"https://sp/acs\"]\nencrypt = { cert = \"sp.pem\", method = \"des\" } #<\n"), `x.toml:LINE: apps[a]: encrypt: method: unknown encryption method "des"`},
		{"encryption without cert", app("acs_urls = [\"https://sp/acs\"]\n[apps.encrypt] #<\nmethod = \"aes128-gcm\"\n"), `x.toml:LINE: apps[a]: encrypt: no encryption certificate`},
		{"unknown builtin", base + "[[apps]]\nname = \"t\"\nbuiltin = \"sp\" #<\n", `x.toml:LINE: apps[t]: builtin: unknown built-in app "sp"; use one of test-sp, identity-center`},
		{"identity_center on another app", app("acs_urls = [\"https://sp/acs\"]\nidentity_center = { precedence = \"saml\" } #<\n"), `x.toml:LINE: apps[a]: identity_center: identity_center configures the built-in Identity Center-like SP; use it only with builtin = "identity-center"`},
		{"identity-center with an AWS profile", base + "[[apps]]\nname = \"i\"\nbuiltin = \"identity-center\"\nprofile = \"aws-identity-center\" #<\n", `x.toml:LINE: apps[i]: profile: the built-in Identity Center SP checks responses as Identity Center does when they arrive`},
		{"identity_center precedence", base + "[[apps]]\nname = \"i\"\nbuiltin = \"identity-center\"\n[apps.identity_center]\nprecedence = \"store\" #<\n", `x.toml:LINE: apps[i]: identity_center: precedence: unknown precedence "store"; use one of identity-store, saml`},
		{"identity_center bad path", base + "[[apps]]\nname = \"i\"\nbuiltin = \"identity-center\"\n[apps.identity_center.attributes]\ncc = \"${path:enterprise.costcenter}\" #<\n", `x.toml:LINE: apps[i]: identity_center: attributes: cc: source "${path:enterprise.costcenter}": SCIM path "enterprise.costcenter" is spelled "enterprise.costCenter"`},
		{"identity_center user source", base + "[[apps]]\nname = \"i\"\nbuiltin = \"identity-center\"\n[apps.identity_center.attributes]\nmail = \"${user:email}\" #<\n", `x.toml:LINE: apps[i]: identity_center: attributes: mail: source "${user:email}" reads Identity Center's own directory`},
		{"identity_center case duplicate", base + "[[apps]]\nname = \"i\"\nbuiltin = \"identity-center\"\n[apps.identity_center.attributes]\nTeam = \"\"\nteam = \"\" #<\n", `x.toml:LINE: apps[i]: identity_center: attributes: team: "Team" and "team" are the same key`},
		{"builtin with acs", base + "[[apps]]\nname = \"t\"\nbuiltin = \"test-sp\" #<\nacs_urls = [\"https://sp/acs\"]\n", `x.toml:LINE: apps[t]: builtin: a built-in app derives entity_id`},
		{"http acs", app("acs_urls = [\n  \"https://sp/acs\",\n  \"http://sp.example.com/acs\", #<\n]\n"), `x.toml:LINE: apps[a]: acs_urls[1]: "http://sp.example.com/acs" uses http; use https`},
		{"javascript acs", app("acs_urls = [\"javascript:alert(1)\"] #<\n"), `x.toml:LINE: apps[a]: acs_urls[0]: scheme "javascript" is not allowed`},
		{"duplicate acs", app("acs_urls = [\"https://sp/acs\", \"https://sp/acs\"] #<\n"), `x.toml:LINE: apps[a]: acs_urls[1]: "https://sp/acs" is listed twice`},
		{"bad lifetime", app("acs_urls = [\"https://sp/acs\"]\nlifetime = \"5 minutes\" #<\n"), `x.toml:LINE: apps[a]: lifetime: "5 minutes" is not a duration; write it like "5m" or "1h30m"`},
		{"negative lifetime", app("acs_urls = [\"https://sp/acs\"]\nlifetime = \"-5m\" #<\n"), `x.toml:LINE: apps[a]: lifetime: "-5m" must be positive`},
		{"bad clock offset", app("acs_urls = [\"https://sp/acs\"]\nclock_offset = \"ten minutes ago\" #<\n"), `x.toml:LINE: apps[a]: clock_offset: "ten minutes ago" is not a duration; write it like "-10m" (the past) or "2m" (the future)`},
		{"bad session lifetime", "[idp]\nsession_lifetime = \"1d\" #<\n", `x.toml:LINE: idp: session_lifetime: "1d" is not a duration`},
		{"signed requests without cert", app("acs_urls = [\"https://sp/acs\"]\nrequire_signed_requests = true #<\n"), `x.toml:LINE: apps[a]: require_signed_requests: signed requests are required but there is no certificate`},
		{"relay state too long", app("acs_urls = [\"https://sp/acs\"]\nrelay_state = \"" + strings.Repeat("x", 4097) + "\" #<\n"), `x.toml:LINE: apps[a]: relay_state: relay_state is 4097 bytes`},
		{"nameid format", app("acs_urls = [\"https://sp/acs\"]\n[apps.nameid]\nformat = \"mail\" #<\n"), `x.toml:LINE: apps[a]: nameid: format: unknown NameID format "mail"`},
		{"claim without name", app("acs_urls = [\"https://sp/acs\"]\n[[apps.claims]] #<\nsource = \"user.mail\"\n"), `x.toml:LINE: apps[a]: claims[0]: claim has no name`},
		{"duplicate claim", app("acs_urls = [\"https://sp/acs\"]\n[[apps.claims]]\nname = \"x\"\nnamespace = \"urn:n/\"\n[[apps.claims]]\nname = \"x\" #<\nnamespace = \"urn:n\"\n"), `x.toml:LINE: apps[a]: claims[x]: name: claim "urn:n/x" is already defined at line 14`},
		{"condition user type", app("acs_urls = [\"https://sp/acs\"]\n[[apps.claims]]\nname = \"x\"\n[[apps.claims.conditions]]\nuser_type = \"guests\" #<\n"), `x.toml:LINE: apps[a]: claims[x]: conditions[0]: user_type: unknown user type "guests"; use one of any, members, all_guests, aad_guests, external_guests`},
		{"condition group", app("acs_urls = [\"https://sp/acs\"]\n[[apps.claims]]\nname = \"x\"\n[[apps.claims.conditions]]\ngroups = [\"g1\", \"nope\"] #<\n"), `x.toml:LINE: apps[a]: claims[x]: conditions[0]: groups[1]: no group has id "nope"`},
		{"nameid condition group", app("acs_urls = [\"https://sp/acs\"]\n[apps.nameid]\nsource = \"user.mail\"\n[[apps.nameid.conditions]]\ngroups = [\"nope\"] #<\n"), `x.toml:LINE: apps[a]: nameid: conditions[0]: groups[0]: no group has id "nope"`},
		{"built-in attribute twice", "[[users]]\nid = \"u\"\npassword = \"p\"\n[users.attributes]\nMail = \"b@x\"\nmail = \"a@x\" #<\n", `x.toml:LINE: users[u]: attributes: mail: "Mail" and "mail" are both the Entra attribute "mail" (attribute ids are case-insensitive); keep one`},
		{"nameid requested_unspecified", app("acs_urls = [\"https://sp/acs\"]\n[apps.nameid]\nrequested_unspecified = \"email\" #<\n"), `x.toml:LINE: apps[a]: nameid: requested_unspecified: unknown value "email"; use one of pairwise, configured`},
		{"group claim regex_no_match", app("acs_urls = [\"https://sp/acs\"]\n[apps.group_claim]\nwhich = \"security\"\nregex = \"^x\"\nregex_no_match = \"custom\" #<\n"), `x.toml:LINE: apps[a]: group_claim: regex_no_match: unknown value "custom"; use one of groups, configured_name`},
		{"group claim", app("acs_urls = [\"https://sp/acs\"]\n[apps.group_claim]\nwhich = \"security\"\nformat = \"guid\" #<\n"), `x.toml:LINE: apps[a]: group_claim: format: unknown group format "guid"`},
		{"user type", base + "type = \"guest\" #<\n", `x.toml:LINE: users[u1]: type: unknown user type "guest"; use one of member, aad_guest, external_guest`},
		{"user group", base + "groups = [\"g1\", \"g2\"] #<\n", `x.toml:LINE: users[u1]: groups[1]: no group has id "g2"`},
		{"duplicate user", base + "[[users]]\nid = \"u1\" #<\n", `x.toml:LINE: users[u1]: id: user id "u1" is already used at line 7`},
		{"user without id", base + "[[users]] #<\npassword = \"x\"\n", `x.toml:LINE: users[1]: user has no id`},
		{"app roles for unknown app", base + "app_roles = { nope = [\"r\"] } #<\n", `x.toml:LINE: users[u1]: app_roles: nope: no app is named "nope"`},
		{"bcrypt shape", "[[users]]\nid = \"u\"\npassword_hash = \"$1$abc\" #<\n", `x.toml:LINE: users[u]: password_hash: not a bcrypt hash`},
		{"bcrypt cost", "[[users]]\nid = \"u\"\npassword_hash = \"" + strings.Replace(hash, "$10$", "$03$", 1) + "\" #<\n", `x.toml:LINE: users[u]: password_hash: bcrypt cost 3 is out of range`},
		{"password and hash", "[[users]]\nid = \"u\"\npassword = \"p\" #<\npassword_hash = \"" + hash + "\"\n", `x.toml:LINE: users[u]: password: set password or password_hash, not both`},
		{"carriage return", base + "[users.attributes]\nmail = \"a\\rb\" #<\n", `x.toml:LINE: users[u1]: attributes: mail[0]: value has a carriage return`},
		{"duplicate group", base + "[[groups]]\nid = \"g1\" #<\n", `x.toml:LINE: groups[g1]: id: group id "g1" is used twice`},
		{"group kind", "[[groups]]\nid = \"g\"\nkind = \"mail\" #<\n", `x.toml:LINE: groups[g]: kind: unknown group kind "mail"`},
		{"group parent", "[[groups]]\nid = \"g\"\nmember_of = [\"p\"] #<\n", `x.toml:LINE: groups[g]: member_of[0]: no group has id "p"`},
		{"group cycle", "[[groups]]\nid = \"g\"\nmember_of = [\"h\"] #<\n[[groups]]\nid = \"h\"\nmember_of = [\"g\"]\n", `x.toml:LINE: groups[g]: member_of: groups nest in a circle: g -> h -> g`},
		{"tenant id", "[idp]\ntenant_id = \"contoso\" #<\n", `x.toml:LINE: idp: tenant_id: "contoso" is not a GUID`},
		{"base url", "[idp]\nbase_url = \"127.0.0.1:8080\" #<\n", `x.toml:LINE: idp: base_url: "127.0.0.1:8080" is not an http or https URL`},
		{"key without cert", "[idp]\nkey = \"idp.key\" #<\n", `x.toml:LINE: idp: key: set both key and cert`},
		{"key algorithm", "[idp]\nkey_algorithm = \"rsa-1024\" #<\n", `x.toml:LINE: idp: key_algorithm: unknown key algorithm "rsa-1024"`},
		{"session key env", "[idp]\nsession_key = \"env:1X\" #<\n", `x.toml:LINE: idp: session_key: "1X" is not an environment variable name`},
		{"verified domain", "[idp]\nverified_domains = [\"Contoso.com\"] #<\n", `x.toml:LINE: idp: verified_domains[0]: "Contoso.com" is not a domain name`},
		{"missing metadata", app("metadata = \"nope.xml\" #<\n"), `x.toml:LINE: apps[a]: metadata: open nope.xml`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("x.toml", []byte(tt.text))
			want := withLine(t, tt.text, tt.want)
			if err == nil || !strings.Contains(err.Error(), want) {
				t.Fatalf("got error:\n%v\nwant it to contain:\n%s", err, want)
			}
			var p *Problem
			if !errors.As(err, &p) {
				t.Errorf("error is not a *Problem: %T", err)
			}
		})
	}
}

func TestAllProblemsAtOnce(t *testing.T) {
	text := `[[apps]]
name = "one"
entity_id = "e1"
acs_urls = ["http://sp.example.com/acs"] #< first

[[apps]]
name = "two"
entity_id = "e2"
profile = "aws-sso"
acs_urls = ["https://sp.example.com/acs"]

[[users]]
id = "x"
type = "admin"
`
	_, err := Parse("x.toml", []byte(text))
	if err == nil {
		t.Fatal("no error")
	}
	want := []string{
		`x.toml:4: apps[one]: acs_urls[0]: "http://sp.example.com/acs" uses http`,
		`x.toml:9: apps[two]: profile: unknown profile "aws-sso"`,
		`x.toml:14: users[x]: type: unknown user type "admin"`,
	}
	got := strings.Split(err.Error(), "\n")
	if len(got) != len(want) {
		t.Fatalf("got %d problems, want %d:\n%v", len(got), len(want), err)
	}
	for i := range want {
		if !strings.HasPrefix(got[i], want[i]) {
			t.Errorf("problem %d:\ngot  %s\nwant %s...", i, got[i], want[i])
		}
	}
}

func TestAllUnknownKeysAtOnce(t *testing.T) {
	text := "[[apps]]\nname = \"a\"\nfoo = 1\n[[apps]]\nname = \"b\"\nbar = 2\n"
	_, err := Parse("x.toml", []byte(text))
	if err == nil {
		t.Fatal("no error")
	}
	for _, want := range []string{`x.toml:3: apps[a]: unknown key "foo"`, `x.toml:6: apps[b]: unknown key "bar"`} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("missing %q in:\n%v", want, err)
		}
	}
}

func TestWarnings(t *testing.T) {
	text := `[idp]
base_url = "http://idp.example.com"

[[users]]
id = "u"
password = "secret"

[[users]]
id = "v"

[[apps]]
name = "a"
entity_id = "e"
acs_urls = ["https://sp/acs"]
signature_algorithm = "rsa-sha1"
`
	c, err := Parse("x.toml", []byte(text))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		`x.toml:2: idp: base_url: "http://idp.example.com" is plain http on a non-loopback host`,
		`x.toml:15: apps[a]: signature_algorithm: rsa-sha1 is weak`,
		`x.toml:6: users[u]: password: plain password outside demo mode`,
		`x.toml:8: users[v]: user has no password_hash`,
	}
	if len(c.Warnings) != len(want) {
		t.Fatalf("got warnings:\n%s", strings.Join(c.Warnings, "\n"))
	}
	for i := range want {
		if !strings.HasPrefix(c.Warnings[i], want[i]) {
			t.Errorf("warning %d:\ngot  %s\nwant %s...", i, c.Warnings[i], want[i])
		}
	}
}

func TestDefaults(t *testing.T) {
	c, err := Parse("dir/x.toml", []byte(`[idp]
base_url = "https://idp.example.com/"
key = "k.pem"
cert = "/abs/c.pem"
session_key = "secret"

[[groups]]
id = "g"

[[users]]
id = "u"
password_hash = "`+hash+`"

[[apps]]
name = "a"
entity_id = "e"
acs_urls = ["https://sp/acs"]
encrypt = { cert = "sp.pem" }
`))
	if err != nil {
		t.Fatal(err)
	}
	idp := c.IdP
	got := []string{idp.BaseURL, idp.EntityID, idp.Issuer, idp.TenantID, idp.Key, idp.Cert, idp.SessionKey, idp.KeyAlgorithm, string(idp.SessionLifetime)}
	want := []string{"https://idp.example.com", "https://idp.example.com/metadata", "https://idp.example.com/metadata", DemoTenantID,
		filepath.Join("dir", "k.pem"), "/abs/c.pem", filepath.Join("dir", "secret"), "rsa-2048", "8h"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("idp:\ngot  %q\nwant %q", got, want)
	}
	a := c.Apps[0]
	if a.Profile != ProfileGeneric || a.DisplayName != "a" || a.Encrypt.Method != DefaultEncryptMethod || a.Encrypt.Cert != filepath.Join("dir", "sp.pem") {
		t.Errorf("app: profile %q display %q encrypt %+v", a.Profile, a.DisplayName, a.Encrypt)
	}
	if a.Signing != "" || a.Lifetime != "" || a.NameID.Format != "" {
		t.Errorf("profile-specific keys were filled: signing %q lifetime %q nameid %q", a.Signing, a.Lifetime, a.NameID.Format)
	}
	if c.Users[0].Type != claims.Member || c.Groups[0].ObjectID != "g" || c.Groups[0].Kind != claims.Security {
		t.Errorf("user type %q, group object id %q kind %q", c.Users[0].Type, c.Groups[0].ObjectID, c.Groups[0].Kind)
	}
	if d := idp.SessionLifetime.Value(); d.Hours() != 8 {
		t.Errorf("session lifetime %v", d)
	}
}

func TestResolve(t *testing.T) {
	dir := t.TempDir()
	flagFile := filepath.Join(dir, "flag.toml")
	envFile := filepath.Join(dir, "env.toml")
	for _, f := range []string{flagFile, envFile} {
		if err := os.WriteFile(f, []byte(""), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	env := func(v string) func(string) string {
		return func(k string) string {
			if k == EnvConfig {
				return v
			}
			return ""
		}
	}
	tests := []struct {
		name, flag, env, want, wantErr string
	}{
		{"flag wins", flagFile, envFile, flagFile, ""},
		{"env", "", envFile, envFile, ""},
		{"demo", "", "", "", ""},
		{"missing flag file", filepath.Join(dir, "nope.toml"), envFile, "", "--config names"},
		{"missing env file", "", filepath.Join(dir, "nope.toml"), "", "SAMLAB_CONFIG names"},
		{"directory", dir, "", "", "is a directory"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Resolve(tt.flag, env(tt.env))
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("got %q, %v; want error containing %q", got, err, tt.wantErr)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("got %q, %v; want %q", got, err, tt.want)
			}
		})
	}
	if got, err := Resolve("", nil); got != "" || err != nil {
		t.Errorf("nil getenv: %q, %v", got, err)
	}
	c, err := Load("")
	if err != nil || c.Source != DemoSource {
		t.Errorf("Load(\"\"): %v, %v", c, err)
	}
}

func TestEncodeRoundTrip(t *testing.T) {
	for _, name := range []string{"demo.toml", "aws-abac.toml"} {
		t.Run(name, func(t *testing.T) {
			c, err := Load(filepath.Join("..", "examples", name))
			if err != nil {
				t.Fatal(err)
			}
			var buf bytes.Buffer
			if err := c.Encode(&buf); err != nil {
				t.Fatal(err)
			}
			out := buf.String()
			for _, u := range c.Users {
				for _, secret := range []string{u.Password, u.PasswordHash} {
					if secret != "" && strings.Contains(out, secret) {
						t.Errorf("effective config shows %s's password or hash", u.ID)
					}
				}
			}
			// Hashes are redacted, so give the copy plain passwords back
			// through demo mode before comparing.
			again, err := Parse(name, bytes.ReplaceAll(buf.Bytes(), []byte(`password_hash = "(set)"`), []byte(`password = "(set)"`)))
			if err != nil {
				t.Fatalf("effective config does not load: %v\n%s", err, out)
			}
			normalize := func(c *Config) {
				for i := range c.Users {
					c.Users[i].Line, c.Users[i].Password, c.Users[i].PasswordHash = 0, "", ""
				}
				for i := range c.Apps {
					c.Apps[i].Line, c.Apps[i].ClaimLines = 0, nil
					if pv := c.Apps[i].Provisioning; pv != nil {
						for j := range pv.Mappings {
							pv.Mappings[j].Line = 0
						}
					}
				}
				c.loc, c.Warnings = nil, nil
			}
			normalize(c)
			normalize(again)
			if !reflect.DeepEqual(c.IdP, again.IdP) {
				t.Errorf("idp differs:\n%+v\n%+v", c.IdP, again.IdP)
			}
			if !reflect.DeepEqual(c.Users, again.Users) {
				t.Errorf("users differ")
			}
			if !reflect.DeepEqual(c.Groups, again.Groups) {
				t.Errorf("groups differ")
			}
			for i := range c.Apps {
				if !reflect.DeepEqual(c.Apps[i], again.Apps[i]) {
					t.Errorf("app %s differs:\n%+v\n%+v", c.Apps[i].Name, c.Apps[i], again.Apps[i])
				}
			}
		})
	}
}

func TestEncodeGolden(t *testing.T) {
	c, err := Parse("x.toml", []byte(`[idp]
demo = true
[[users]]
id = "u"
password = "p"
attributes = { mail = "u@x.example", "proxy.addresses" = ["a", "b\"c"] }
[[apps]]
name = "a"
entity_id = "e"
acs_urls = ["https://sp/acs"]
[[apps.claims]]
name = "c"
transformations = [{ function = "Join", input = "user.a", separator = "\\", input2 = "user.b" }]
[[apps.claims.conditions]]
user_type = "members"
value = "v"
`))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := c.Encode(&buf); err != nil {
		t.Fatal(err)
	}
	want := `# Effective configuration of x.toml, with defaults filled in.
# Passwords and hashes are shown as "(set)".

[idp]
base_url = "http://127.0.0.1:8080"
entity_id = "http://127.0.0.1:8080/metadata"
tenant_id = "` + DemoTenantID + `"
key_algorithm = "rsa-2048"
demo = true
issuer = "http://127.0.0.1:8080/metadata"
session_lifetime = "8h"

[[users]]
id = "u"
type = "member"
password = "(set)"

[users.attributes]
mail = "u@x.example"
"proxy.addresses" = ["a", "b\"c"]

[[apps]]
name = "a"
display_name = "a"
entity_id = "e"
acs_urls = ["https://sp/acs"]
profile = "generic"
# from profile generic: signing, signature_algorithm, lifetime, nameid.format

[[apps.claims]]
name = "c"
transformations = [{ function = "Join", input = "user.a", input2 = "user.b", separator = '\' }]

[[apps.claims.conditions]]
user_type = "members"
value = "v"

[scim]
enabled = true
database = "" # (embedded SQLite in the state directory)
max_body_bytes = 1048576
error_details = "idc"
# also accepted: the bearer token in $SAMLAB_SCIM_TOKEN

`
	if got := buf.String(); got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
}

func TestPositionAndLocate(t *testing.T) {
	c := Demo()
	aws := c.App("aws")
	text := string(demoTOML)
	lines := strings.Split(text, "\n")
	if got := lines[aws.Line-1]; got != "[[apps]]" {
		t.Errorf("aws line %d is %q", aws.Line, got)
	}
	if got := lines[aws.Line]; got != `name = "aws"` {
		t.Errorf("line after aws's is %q", got)
	}
	for i, l := range aws.ClaimLines {
		if lines[l-1] != "[[apps.claims]]" || lines[l] != `name = "`+aws.Claims[i].Name+`"` {
			t.Errorf("claim %d line %d: %q %q", i, l, lines[l-1], lines[l])
		}
	}
	if got, want := c.Position("aws", 1), "demo:"+strconv.Itoa(aws.ClaimLines[1]); got != want {
		t.Errorf("Position(aws, 1) = %q, want %q", got, want)
	}
	if got, want := c.Position("aws", -1), "demo:"+strconv.Itoa(aws.Line); got != want {
		t.Errorf("Position(aws, -1) = %q, want %q", got, want)
	}
	if got := c.Position("nope", 0); got != "demo" {
		t.Errorf("Position(nope) = %q", got)
	}
	loc := c.Locate("apps[0].claims[1].conditions[0].transformations[0]")
	n, _ := strconv.Atoi(strings.TrimPrefix(loc, "demo:"))
	if !strings.Contains(lines[n-1], `input = "user.mail"`) {
		t.Errorf("Locate gave %s: %q", loc, lines[n-1])
	}
	for path, want := range map[string]string{
		"users[1].attributes.department":           `department = "Sales"`,
		"users[3].attributes.department":           `department = "Operations"`,
		"users[0].app_roles.aws[1]":                `  "arn:aws:iam::111122223333:role/ReadOnly,arn:aws:iam::111122223333:saml-provider/samlab",`,
		"apps[1].nameid.conditions[0]":             `[[apps.nameid.conditions]]`,
		"apps[2].group_claim.format":               `format = "object_id"`,
		"apps[3].identity_center.attributes.title": `title = "${path:title}"`,
		"groups[4].object_id":                      `object_id = "d0a7e000-0000-4000-8000-000000000001"`,
		"apps[0].claims[5].value":                  `value = "Department"`,
		"apps[0].claims[1].conditions[0]":          `[[apps.claims.conditions]]`,
	} {
		loc := c.Locate(path)
		n, err := strconv.Atoi(strings.TrimPrefix(loc, "demo:"))
		if err != nil || lines[n-1] != want {
			t.Errorf("Locate(%s) = %s: %q, want %q", path, loc, lines[max(n-1, 0)], want)
		}
	}
	for _, u := range c.Users {
		if lines[u.Line] != `id = "`+u.ID+`"` {
			t.Errorf("user %s line %d", u.ID, u.Line)
		}
	}
	if got := (&Config{Source: "go"}).Locate("apps[0]"); got != "go" {
		t.Errorf("Locate without a file: %q", got)
	}
}

func TestLocatorStrings(t *testing.T) {
	// Keys inside multi-line strings and comments are not keys.
	text := `a = """
[[apps]]
name = "x"
"""
b = '''
c = 1
'''
# d = 2
"e.f" = "#"  # g = 3
h = [ # comment
  'i', "j\"", { k = 1 }, #<
]
`
	l := locate(text)
	var paths []string
	for _, e := range l.events {
		paths = append(paths, e.path+":"+strconv.Itoa(e.line))
	}
	want := []string{"a:1", "b:5", "e.f:9", "h:10", "h[0]:11", "h[1]:11", "h[2]:11", "h[2].k:11"}
	if !reflect.DeepEqual(paths, want) {
		t.Errorf("got %q\nwant %q", paths, want)
	}
}

func TestTypeErrorInIdPWithID(t *testing.T) {
	_, err := Parse("x.toml", []byte("[idp]\nid = \"x\"\ndemo = 1\n"))
	if err == nil || !strings.Contains(err.Error(), "x.toml:3: idp: demo must be true or false") {
		t.Fatalf("got %v", err)
	}
}

func TestAttributeNames(t *testing.T) {
	c, err := Parse("x.toml", []byte(base+"attributes = { mail = \"a\", department = \"b\" }\n[[users]]\nid = \"u2\"\npassword = \"p\"\nattributes = { mail = \"c\", costcenter = \"d\", Tags = \"e\" }\n"))
	if err != nil {
		t.Fatal(err)
	}
	// Entra attribute ids (any case) are not free-form names.
	if got, want := c.AttributeNames(), []string{"costcenter"}; !reflect.DeepEqual(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}

// clock_offset takes either sign: the past and the future are both tests.
func TestClockOffsetEitherSign(t *testing.T) {
	for _, off := range []string{"-10m", "90s", "0s"} {
		text := base + "[[apps]]\nname = \"a\"\nentity_id = \"https://sp/e\"\nacs_urls = [\"https://sp/acs\"]\nclock_offset = \"" + off + "\"\n"
		c, err := Parse("x.toml", []byte(text))
		if err != nil {
			t.Fatalf("clock_offset %q: %v", off, err)
		}
		want, _ := time.ParseDuration(off)
		if got := c.Apps[0].ClockOffset.Value(); got != want {
			t.Errorf("clock_offset %q = %v, want %v", off, got, want)
		}
	}
}

// Wrong types, unknown keys and invalid values of one file come out of one
// Parse, sorted by line, each worded once: no "idp: idp.demo:" or
// "colour: unknown key \"users.colour\"" (issue 13 item 13). A value of
// the wrong type is not reported again as missing.
func TestOnePassProblems(t *testing.T) {
	text := `[[apps]]
name = "a"
entity_id = 7
acs_urls = ["https://sp/acs"]
profile = "aws"

[idp]
demo = "yes"
verified_domains = "contoso.com"

[[users]]
id = "u"
groups = ["nope"]
type = 3
passwrod = "x"
`
	_, err := Parse("x.toml", []byte(text))
	got := strings.Split(err.Error(), "\n")
	want := []string{
		`x.toml:3: apps[a]: entity_id must be a string in quotes, e.g. entity_id = "https://sp.example.com/saml"`,
		`x.toml:5: apps[a]: profile: unknown profile "aws"; use one of aws-sts, aws-identity-center, generic`,
		`x.toml:8: idp: demo must be true or false (no quotes), e.g. demo = true`,
		`x.toml:9: idp: verified_domains must be an array of strings, e.g. verified_domains = ["contoso.com"]`,
		`x.toml:13: users[u]: groups[0]: no group has id "nope"; add it under [[groups]] or fix the id`,
		`x.toml:14: users[u]: type must be a string in quotes, e.g. type = "..."`,
		`x.toml:15: users[u]: unknown key "passwrod" (did you mean "password"?)`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestSCIMTable(t *testing.T) {
	c, err := Parse("x.toml", []byte(`[scim]
enabled = false
database = "postgres://u:secret@db:5432/samlab"
tokens = ["0123456789abcdef0123"]
max_body_bytes = 4096
error_details = "idc"
`))
	if err != nil {
		t.Fatal(err)
	}
	s := c.SCIM
	if s.IsEnabled() || s.Database != "postgres://u:secret@db:5432/samlab" || len(s.Tokens) != 1 || s.MaxBodyBytes != 4096 {
		t.Errorf("SCIM = %+v", s)
	}
	var buf strings.Builder
	if err := c.Encode(&buf); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{"enabled = false", `database = "postgres://u:xxxxx@db:5432/samlab"`, `tokens = ["(set)"]`, "max_body_bytes = 4096", `error_details = "idc"`} {
		if !strings.Contains(out, want) {
			t.Errorf("encoded [scim] lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "secret") || strings.Contains(out, "0123456789abcdef0123") {
		t.Errorf("a secret was printed:\n%s", out)
	}
	if d, _ := Parse("x.toml", []byte("[idp]\n")); !d.SCIM.IsEnabled() {
		t.Error("[scim] enabled must default to true")
	}
}

func TestSCIMTableErrors(t *testing.T) {
	_, err := Parse("x.toml", []byte(`[scim]
enabled = "yes"
database = "mysql://x"
tokens = ["short"]
max_body_bytes = 10
colour = "blue"
error_details = "verbose"
`))
	if err == nil {
		t.Fatal("no error")
	}
	msg := err.Error()
	for _, want := range []string{
		"x.toml:2", "enabled must be true or false",
		"x.toml:3", "mysql://x",
		"x.toml:4", "at least 16 characters",
		"x.toml:5", "max_body_bytes",
		"x.toml:6", `unknown key "colour"`,
		"x.toml:7", `"verbose" is not a choice`,
	} {
		if !strings.Contains(msg, want) {
			t.Errorf("errors lack %q:\n%s", want, msg)
		}
	}
}
