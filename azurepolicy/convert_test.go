package azurepolicy

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/samlab/samlab/claims"
)

const (
	awsNS     = "https://aws.amazon.com/SAML/Attributes"
	contosoNS = "http://schemas.contoso.com/claims"
)

func convertFile(t *testing.T, name string) *Result {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	r, err := Convert(data)
	if err != nil {
		t.Fatalf("Convert(%s): %v", name, err)
	}
	return r
}

// ruleByName returns the rule emitting namespace/name.
func ruleByName(t *testing.T, p claims.Policy, namespace, name string) claims.Rule {
	t.Helper()
	for _, r := range p.Claims {
		if r.Namespace == namespace && r.Name == name {
			return r
		}
	}
	t.Fatalf("no rule %s/%s in %+v", namespace, name, p.Claims)
	return claims.Rule{}
}

// wantWarnings checks that every fragment occurs in some warning and that
// there are exactly n warnings.
func wantWarnings(t *testing.T, got []string, n int, fragments ...string) {
	t.Helper()
	for _, f := range fragments {
		found := false
		for _, w := range got {
			if strings.Contains(w, f) {
				found = true
				break
			}
		}
		if !found {
			t.Errorf("no warning contains %q; warnings:\n%s", f, strings.Join(got, "\n"))
		}
	}
	if n >= 0 && len(got) != n {
		t.Errorf("got %d warnings, want %d:\n%s", len(got), n, strings.Join(got, "\n"))
	}
}

func TestConvertAWSBasic(t *testing.T) {
	r := convertFile(t, "aws-basic.json")
	want := claims.Policy{
		NameID:        claims.NameIDRule{Format: "persistent", Source: "user.userprincipalname"},
		DefaultClaims: true,
		Claims: []claims.Rule{
			// The basic claim set, less "name", which the policy sets itself.
			{Name: "emailaddress", Namespace: xmlsoapClaims, Source: "user.mail"},
			{Name: "givenname", Namespace: xmlsoapClaims, Source: "user.givenname"},
			{Name: "surname", Namespace: xmlsoapClaims, Source: "user.surname"},
			{Name: "Role", Namespace: awsNS, Source: "user.assignedroles"},
			{Name: "RoleSessionName", Namespace: awsNS, Transformations: []claims.Transformation{
				{Function: "ExtractMailPrefix", Input: "user.mail"},
			}},
			{Name: "SessionDuration", Namespace: awsNS, Value: "3600"},
			{Name: "PrincipalTag:Department", Namespace: awsNS, NameFormat: "uri", Source: "user.department"},
			{Name: "PrincipalTag:CostCenter", Namespace: awsNS, Source: "user.extension_7ade56f812b0472ba923102874ee083a_costCenter"},
			{Name: "name", Namespace: xmlsoapClaims, Source: "user.givenname"},
		},
	}
	if !reflect.DeepEqual(r.Policy, want) {
		t.Errorf("policy:\n got %+v\nwant %+v", r.Policy, want)
	}
	wantWarnings(t, r.Warnings, 0)
	if got := r.Extensions; !reflect.DeepEqual(got, []string{"costCenter"}) {
		t.Errorf("Extensions = %q, want [costCenter]", got)
	}
}

func TestConvertGraphObject(t *testing.T) {
	r := convertFile(t, "graph-object.json")
	if r.DisplayName != "Contoso AWS claims" {
		t.Errorf("DisplayName = %q", r.DisplayName)
	}
	want := claims.Policy{
		DefaultClaims: true,
		Claims: []claims.Rule{
			{Name: "sandboxmail", Namespace: contosoNS, Transformations: []claims.Transformation{
				{Function: "Join", Input: "user.mail", Input2: "sandbox", Separator: "."},
			}},
			{Name: "alias", Namespace: contosoNS, Transformations: []claims.Transformation{
				{Function: "ExtractMailPrefix", Input: "user.userprincipalname"},
				{Function: "ToLowercase"}, // input: the output of the first
			}},
			{Name: "PrincipalTag:Department", Namespace: awsNS, Transformations: []claims.Transformation{
				{Function: "ToUppercase", Input: "user.department"},
			}},
			{Name: "partnermail", Namespace: contosoNS, Transformations: []claims.Transformation{{
				Function:         "RegexReplace",
				Input:            "user.mail",
				Regex:            `(?'domain'^.*?)(?i)(\@contoso\.com)$`,
				Replacement:      "{country}.{domain}@xyz.com", // {ctry} renamed to the attribute's id
				AdditionalInputs: []string{"user.country"},
			}}},
		},
		GroupClaim: &claims.GroupClaim{Which: "security", Filter: &claims.GroupFilter{MatchOn: "display_name", Type: "prefix", Value: "AWS-"}},
	}
	if !reflect.DeepEqual(r.Policy, want) {
		t.Errorf("policy:\n got %+v\nwant %+v", r.Policy, want)
	}
	wantWarnings(t, r.Warnings, 1, "GroupFilter: the groups claim itself is configured on the app registration")
}

func TestConvertPortalMethods(t *testing.T) {
	r := convertFile(t, "powershell-export.json")
	if r.DisplayName != "Portal transformations" {
		t.Errorf("DisplayName = %q", r.DisplayName)
	}
	if r.Policy.DefaultClaims != true || r.Policy.NameID.Source != "" {
		t.Errorf("DefaultClaims/NameID = %v/%+v", r.Policy.DefaultClaims, r.Policy.NameID)
	}
	tests := []struct {
		name string
		want claims.Transformation
	}{
		{"manager", claims.Transformation{Function: "Contains", Input: "user.jobtitle", Value: "Manager", Output: "yes", Else: "no"}},
		{"admin", claims.Transformation{Function: "StartWith", Input: "user.mail", Value: "adm-", Output: "user.mail"}},
		{"partner", claims.Transformation{Function: "EndWith", Input: "user.mail", Value: "@partner.example", Output: "Contractor"}},
		{"maildomain", claims.Transformation{Function: "Extract", Mode: "between", Input: "user.mail", Value: "@", Value2: ".com"}},
		{"badgeletters", claims.Transformation{Function: "ExtractAlpha", Mode: "prefix", Input: "user.employeeid"}},
		{"badgenumber", claims.Transformation{Function: "ExtractNumeric", Mode: "suffix", Input: "user.employeeid"}},
		{"title", claims.Transformation{Function: "IfEmpty", Input: "user.jobtitle", Output: "Staff", Else: "user.jobtitle"}},
		{"hasbadge", claims.Transformation{Function: "IfNotEmpty", Input: "user.employeeid", Output: "true"}},
		{"site", claims.Transformation{Function: "Substring", Mode: "fixed", Input: "user.extensionattribute1", StartIndex: 6, Length: 11}},
		{"code", claims.Transformation{Function: "Trim", Mode: "both", Input: "user.extensionattribute2", Value: "0"}},
	}
	if len(r.Policy.Claims) != len(tests) {
		t.Errorf("got %d claims, want %d", len(r.Policy.Claims), len(tests))
	}
	for _, tt := range tests {
		rule := ruleByName(t, r.Policy, contosoNS, tt.name)
		if want := []claims.Transformation{tt.want}; !reflect.DeepEqual(rule.Transformations, want) {
			t.Errorf("%s: transformations\n got %+v\nwant %+v", tt.name, rule.Transformations, want)
		}
		if rule.Source != "" || rule.Value != "" || len(rule.Conditions) != 0 {
			t.Errorf("%s: unexpected source/value/conditions in %+v", tt.name, rule)
		}
	}
	wantWarnings(t, r.Warnings, 0)
}

func TestConvertUnsupported(t *testing.T) {
	r := convertFile(t, "unsupported.json")
	login := ruleByName(t, r.Policy, contosoNS, "login")
	wantLogin := claims.Rule{Name: "login", Namespace: contosoNS, Value: "DefaultValueIfNoMatch",
		Conditions: []claims.Condition{{UserType: "any", Transformations: []claims.Transformation{{
			Function: "RegexReplace", Input: "user.onpremisessamaccountname", Regex: "^$",
			Replacement: "{userprincipalname}", AdditionalInputs: []string{"user.userprincipalname"},
		}}}}}
	if !reflect.DeepEqual(login, wantLogin) {
		t.Errorf("login:\n got %+v\nwant %+v", login, wantLogin)
	}
	schac := ruleByName(t, r.Policy, "", "urn:mace:terena.org:attribute-def:schacHomeOrganization")
	wantSchac := []claims.Transformation{{Function: "RegexReplace", Input: "user.mailnickname",
		Regex: "^.*?@(?'captureGroup'.*)$", Replacement: "{captureGroup}"}}
	if !reflect.DeepEqual(schac.Transformations, wantSchac) {
		t.Errorf("schacHomeOrganization: got %+v, want %+v", schac.Transformations, wantSchac)
	}
	if len(r.Policy.Claims) != 2 {
		t.Errorf("got %d claims, want 2 (login, schacHomeOrganization): %+v", len(r.Policy.Claims), r.Policy.Claims)
	}
	wantWarnings(t, r.Warnings, 7,
		`issuerWithApplicationId cannot be carried over`,
		`audienceOverride "https://app.contoso.com" cannot be carried over`,
		`ClaimsSchema[0] (SamlClaimType "http://schemas.contoso.com/claims/login"): ClaimsSchema[1] emits the same claim type again`,
		`ClaimsSchema[4] (SamlClaimType "http://schemas.contoso.com/claims/app"): not carried over: source "application" (ID "displayname") is not available in samlab`,
		`ClaimsSchema[5] (SamlClaimType "http://schemas.contoso.com/claims/tenantcountry"): not carried over: source "company"`,
		`ClaimsSchema[6] (ID "department"): has only a JwtClaimType`,
		`ClaimsSchema[7] (SamlClaimType "http://schemas.contoso.com/claims/encoded"): not carried over: ClaimsTransformations[1] (ID "Encode"): TransformationMethod "Base64Encode" has no samlab equivalent`,
	)
}

func TestConvertShapes(t *testing.T) {
	// One small policy in every envelope Convert accepts.
	def := `{"ClaimsMappingPolicy":{"Version":1,"IncludeBasicClaimSet":"false","ClaimsSchema":[{"Source":"user","ID":"Department","SamlClaimType":"https://aws.amazon.com/SAML/Attributes/PrincipalTag:Department"}]}}`
	quoted := strings.ReplaceAll(def, `"`, `\"`)
	utf16le := func(s string) []byte {
		out := []byte{0xFF, 0xFE}
		for _, r := range s {
			out = append(out, byte(r), byte(r>>8))
		}
		return out
	}
	tests := []struct {
		name  string
		input []byte
		note  string // a warning the shape causes, if any
	}{
		{"bare", []byte(def), ""},
		{"graph", []byte(`{"id":"1","definition":["` + quoted + `"],"displayName":"D"}`), ""},
		{"graph list", []byte(`{"@odata.context":"x","value":[{"id":"1","definition":["` + quoted + `"],"displayName":"D"}]}`), ""},
		{"powershell", []byte(`{"Id":"1","Definition":["` + quoted + `"],"DisplayName":"D","Type":"ClaimsMappingPolicy"}`), ""},
		{"powershell string", []byte(`{"Id":"1","Definition":"` + quoted + `"}`), ""},
		{"definition object", []byte(`{"definition":` + def + `}`), ""},
		{"array", []byte(`[{"Definition":["` + quoted + `"]}]`), ""},
		{"lower case keys", []byte(strings.NewReplacer(`"ClaimsMappingPolicy"`, `"claimsMappingPolicy"`, `"ClaimsSchema"`, `"claimsSchema"`, `"Source"`, `"source"`, `"ID"`, `"id"`, `"SamlClaimType"`, `"samlClaimType"`).Replace(def)), ""},
		{"boolean and string version", []byte(strings.NewReplacer(`"Version":1`, `"Version":"1"`, `"false"`, `false`).Replace(def)), ""},
		{"utf-8 bom", append([]byte{0xEF, 0xBB, 0xBF}, def...), ""},
		{"utf-16 bom", utf16le(def), ""},
		{"no wrapper", []byte(def[len(`{"ClaimsMappingPolicy":`) : len(def)-1]), `no "ClaimsMappingPolicy" wrapper`},
		{"no version", []byte(strings.Replace(def, `"Version":1,`, "", 1)), "no Version; read as version 1"},
	}
	want := []claims.Rule{{Name: "PrincipalTag:Department", Namespace: awsNS, Source: "user.department"}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := Convert(tt.input)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(r.Policy.Claims, want) {
				t.Errorf("claims = %+v, want %+v", r.Policy.Claims, want)
			}
			if tt.note == "" {
				wantWarnings(t, r.Warnings, 0)
			} else {
				wantWarnings(t, r.Warnings, 1, tt.note)
			}
		})
	}
}

func TestConvertErrors(t *testing.T) {
	good, err := os.ReadFile(filepath.Join("testdata", "aws-basic.json"))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		input []byte
		is    error  // sentinel errors.Is must match, if any
		want  string // fragment of the message
	}{
		{"empty", nil, ErrInvalidJSON, "line 1, column 1 (offset 0): unexpected end of JSON input"},
		{"truncated", good[:200], ErrInvalidJSON, "offset 200"},
		{"syntax", []byte("{\n  \"ClaimsMappingPolicy\": {\n    \"Version\": 1,,\n"), ErrInvalidJSON, "line 3, column 18 (offset 46): invalid character ','"},
		{"bad definition string", []byte(`{"definition":["{\"ClaimsMappingPolicy\": {"]}`), ErrInvalidJSON, "invalid JSON in definition[0] at line 1, column 26 (offset 25): unexpected end of JSON input"},
		{"too large", append(append([]byte(`{"x":"`), bytes.Repeat([]byte("a"), MaxInputSize)...), `"}`...), ErrTooLarge, "larger than 1 MiB"},
		{"not utf-8", []byte("{\"ClaimsMappingPolicy\":{\"Version\":1,\"x\":\"\xff\"}}"), nil, "not valid UTF-8"},
		{"not an object", []byte(`"hello"`), ErrNotPolicy, "the input is a string"},
		{"unrelated object", []byte(`{"foo":1}`), ErrNotPolicy, `no ClaimsMappingPolicy found in the input`},
		{"wrong version", []byte(`{"ClaimsMappingPolicy":{"Version":2,"ClaimsSchema":[]}}`), nil, "ClaimsMappingPolicy.Version is 2; only version 1 exists"},
		{"policy not object", []byte(`{"ClaimsMappingPolicy":[1]}`), nil, "ClaimsMappingPolicy: want a JSON object, got an array"},
		{"two definitions", []byte(`{"definition":["{}","{}"]}`), ErrNotPolicy, "definition holds 2 definitions"},
		{"empty definition", []byte(`{"definition":[]}`), ErrNotPolicy, "definition is empty"},
		{"two policies", []byte(`{"value":[{"definition":["{\"ClaimsMappingPolicy\":{}}"],"displayName":"A"},{"definition":["{\"ClaimsMappingPolicy\":{}}"],"displayName":"B"}]}`), ErrNotPolicy, `holds 2 policies ("A", "B")`},
		{"wrong types", []byte(`{"ClaimsMappingPolicy":{"Version":1,"IncludeBasicClaimSet":"maybe","ClaimsSchema":[{"Source":["user"]},7]}}`), nil,
			"azurepolicy: ClaimsMappingPolicy.IncludeBasicClaimSet: want true or false, got \"maybe\"\n" +
				"azurepolicy: ClaimsMappingPolicy.ClaimsSchema[0].Source: want a string, got an array\n" +
				"azurepolicy: ClaimsMappingPolicy.ClaimsSchema[1]: want a JSON object, got a number"},
		{"schema not array", []byte(`{"ClaimsMappingPolicy":{"Version":1,"ClaimsSchema":{}}}`), nil, "ClaimsMappingPolicy.ClaimsSchema: want an array, got an object"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := Convert(tt.input)
			if err == nil {
				t.Fatalf("Convert succeeded: %+v", r)
			}
			if !strings.HasPrefix(err.Error(), "azurepolicy: ") {
				t.Errorf("error lacks the package prefix: %v", err)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error = %q, want it to contain %q", err, tt.want)
			}
			if tt.is != nil && !errors.Is(err, tt.is) {
				t.Errorf("errors.Is(%v, %v) = false", err, tt.is)
			}
		})
	}
}

func TestConvertReaderTooLarge(t *testing.T) {
	_, err := ConvertReader(bytes.NewReader(make([]byte, MaxInputSize+10)))
	if !errors.Is(err, ErrTooLarge) {
		t.Errorf("err = %v, want ErrTooLarge", err)
	}
	r, err := ConvertReader(strings.NewReader(`{"ClaimsMappingPolicy":{"Version":1,"IncludeBasicClaimSet":true}}`))
	if err != nil || len(r.Policy.Claims) != len(basicClaimSet) {
		t.Errorf("ConvertReader = %+v, %v; want the basic claim set", r, err)
	}
}

func TestConvertOptions(t *testing.T) {
	in := []byte(`{"ClaimsMappingPolicy":{"Version":1,"IncludeBasicClaimSet":"false","ClaimsSchema":[{"Value":"x","SamlClaimType":"c"}]}}`)
	for _, tt := range []struct {
		opts Options
		want bool
	}{{Options{}, true}, {Options{DefaultClaimsFromBasicSet: true}, false}} {
		r, err := ConvertWith(in, tt.opts)
		if err != nil {
			t.Fatal(err)
		}
		if r.Policy.DefaultClaims != tt.want {
			t.Errorf("%+v: DefaultClaims = %v, want %v", tt.opts, r.Policy.DefaultClaims, tt.want)
		}
	}
}

func TestConvertRejected(t *testing.T) {
	r := convertFile(t, "rejected.json")
	want := claims.Policy{
		DefaultClaims: true,
		Claims: []claims.Rule{{Name: "uat", Namespace: contosoNS, Transformations: []claims.Transformation{{
			Function: "RegexReplace", Input: "user.mail", Regex: "^(?<full>.+@.+)$", Replacement: "{full}.uat",
		}}}},
	}
	if !reflect.DeepEqual(r.Policy, want) {
		t.Errorf("policy:\n got %+v\nwant %+v", r.Policy, want)
	}
	wantWarnings(t, r.Warnings, 16,
		`ClaimsMappingPolicy: key "Foo" not understood`,
		`ClaimsSchema[0] (SamlClaimType "http://schemas.contoso.com/claims/localupn"): left out because samlab refuses the converted rule: claims: rule "localupn": source: unknown attribute "user.localuserprincipalname"`,
		`ClaimsSchema[1] (SamlClaimType "http://schemas.microsoft.com/ws/2008/06/identity/claims/role"): left out because samlab refuses the converted rule: claims: rule "role": name: restricted claim name`,
		`ClaimsSchema[2] (SamlClaimType "http://schemas.contoso.com/claims/badregex"): left out because samlab refuses the converted rule: claims: rule "badregex": transformation 1: RegexReplace: regex: "(?<x" does not compile`,
		`ClaimsSchema[3] (SamlClaimType "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/nameidentifier"): a NameID may use only ExtractMailPrefix and Join`,
		`ClaimsSchema[4] (SamlClaimType "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/nameidentifier"): a constant NameID cannot be carried over`,
		`ClaimsSchema[5] (SamlClaimType "http://schemas.contoso.com/claims/toolong"): not carried over: ClaimsTransformations[4] (ID "third"): more than two transformations chained`,
		`ClaimsSchema[6] (SamlClaimType "http://schemas.contoso.com/claims/loop"): not carried over: ClaimsTransformations[5] (ID "loopA"): input "loopOut" (ClaimsSchema[6] (SamlClaimType "http://schemas.contoso.com/claims/loop")): ClaimsTransformations[5] (ID "loopA") takes its own output as input`,
		`ClaimsSchema[7] (SamlClaimType "http://schemas.contoso.com/claims/missing"): not carried over: TransformationId "missing" names no ClaimsTransformations entry`,
		`ClaimsSchema[8] (SamlClaimType "http://schemas.contoso.com/claims/joinout"): not carried over: ClaimsTransformations[6] (ID "joinOut"): input claim "string2" is another transformation's output`,
		`ClaimsTransformations[7] (ID "dollar"): replacement "${full}.uat" uses .NET $ substitutions; written as "{full}.uat"`,
		`ClaimsTransformations[7] (ID "dollar"): input claim "country" is not used in the replacement (as {country}); ignored`,
		`ClaimsSchema[14] (SamlClaimType "http://schemas.contoso.com/claims/noid"): not carried over: Source "user" needs an ID or an ExtensionID`,
		`ClaimsSchema[15] (SamlClaimType "http://schemas.contoso.com/claims/weird"): not carried over: unknown Source "directory"`,
		`ClaimsMappingPolicy.GroupFilter: MatchOn "objectid" is not displayname or samaccountname; filter not carried over`,
		`ClaimsTransformations[8] (ID "unused"): no ClaimsSchema entry uses it; ignored`,
	)
}

func TestDotNetSubstitutions(t *testing.T) {
	tests := []struct {
		in, out      string
		changed, odd bool
	}{
		{"{a}.x", "{a}.x", false, false},
		{"${full}.uat", "{full}.uat", true, false},
		{"$1-$23", "{1}-{23}", true, false},
		{"cost $$5", "cost $5", true, false},
		{"price $ and $x", "price $ and $x", false, false},
		{"$&!", "$&!", false, true},
		{"${unclosed", "${unclosed", false, false},
		{"end$", "end$", false, false},
	}
	for _, tt := range tests {
		out, changed, odd := dotNetSubstitutions(tt.in)
		if out != tt.out || changed != tt.changed || odd != tt.odd {
			t.Errorf("dotNetSubstitutions(%q) = %q, %v, %v; want %q, %v, %v", tt.in, out, changed, odd, tt.out, tt.changed, tt.odd)
		}
	}
}

func TestConvertMultiValued(t *testing.T) {
	in := `{"ClaimsMappingPolicy":{"Version":1,"ClaimsSchema":[
		{"Source":"user","ID":"proxyaddresses"},
		{"Source":"transformation","ID":"lower","TransformationId":"t","SamlClaimType":"http://schemas.contoso.com/claims/proxies"}],
	  "ClaimsTransformations":[{"ID":"t","TransformationMethod":"ToLowercase",
		"InputClaims":[{"ClaimTypeReferenceId":"proxyaddresses","TransformationClaimType":"sourceClaim","TreatAsMultiValue":"True"}]}]}}`
	r, err := Convert([]byte(in))
	if err != nil {
		t.Fatal(err)
	}
	want := []claims.Transformation{{Function: "ToLowercase", Input: "user.proxyaddresses", MultiValued: true}}
	if got := ruleByName(t, r.Policy, contosoNS, "proxies").Transformations; !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v, want %+v", got, want)
	}
}

func TestConvertSharedInputsStayLinear(t *testing.T) {
	// Each transformation reads the previous one's output twice; without
	// memoization converting this would take 2^60 steps.
	var b strings.Builder
	b.WriteString(`{"ClaimsMappingPolicy":{"Version":1,"ClaimsSchema":[{"Source":"user","ID":"mail"},{"Source":"transformation","ID":"o0","TransformationId":"t0"}`)
	for i := 1; i <= 60; i++ {
		fmt.Fprintf(&b, `,{"Source":"transformation","ID":"o%d","TransformationId":"t%d","SamlClaimType":"https://x.example/c%d"}`, i, i, i)
	}
	b.WriteString(`],"ClaimsTransformations":[{"ID":"t0","TransformationMethod":"ToLowercase","InputClaims":[{"ClaimTypeReferenceId":"mail","TransformationClaimType":"sourceClaim"}]}`)
	for i := 1; i <= 60; i++ {
		fmt.Fprintf(&b, `,{"ID":"t%d","TransformationMethod":"Join","InputClaims":[{"ClaimTypeReferenceId":"o%d","TransformationClaimType":"string1"},{"ClaimTypeReferenceId":"o%d","TransformationClaimType":"string2"}]}`, i, i-1, i-1)
	}
	b.WriteString(`]}}`)
	r, err := Convert([]byte(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	// No claim survives: every Join takes a transformation output as input2.
	if len(r.Policy.Claims) != 0 {
		t.Errorf("got %d claims, want 0", len(r.Policy.Claims))
	}
	wantWarnings(t, r.Warnings, 60, `ClaimsSchema[61] (SamlClaimType "https://x.example/c60"): not carried over`)
}
