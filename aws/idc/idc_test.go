package idc

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/samlab/samlab/aws"
	"github.com/samlab/samlab/saml"
	"github.com/samlab/samlab/scim"
	"github.com/samlab/samlab/scim/memstore"
)

func alice() *scim.User {
	return &scim.User{
		UserName: "alice@contoso.com", Name: scim.Name{GivenName: "Alice", FamilyName: "Anderson"},
		DisplayName: "Alice Anderson", Title: "Software Engineer", Active: true,
		Emails:       []scim.MultiValue{{Value: "alice@contoso.com", Type: "work", Primary: true}},
		PhoneNumbers: []scim.MultiValue{{Value: "+1 555 0100", Type: "work"}},
		Addresses:    []scim.Address{{Type: "work", Locality: "Redmond", Country: "US"}},
		Enterprise:   &scim.Enterprise{CostCenter: "CC-1001", Department: "Engineering", Manager: "mgr-1"},
	}
}

func ac(key string, values ...string) saml.AttributeView {
	return saml.AttributeView{Name: aws.PrefixAccessControl + key, Values: values}
}

func TestUserValue(t *testing.T) {
	u := alice()
	for _, tc := range []struct {
		path, want string
		ok         bool
	}{
		{"userName", "alice@contoso.com", true},
		{"name.givenName", "Alice", true},
		{"name.familyName", "Anderson", true},
		{"title", "Software Engineer", true},
		{"emails[primary eq true].value", "alice@contoso.com", true},
		{`phoneNumbers[type eq "work"].value`, "+1 555 0100", true},
		{`addresses[type eq "work"].locality`, "Redmond", true},
		{`addresses[type eq "work"].region`, "", false},
		{"enterprise.costCenter", "CC-1001", true},
		{"enterprise.manager.value", "mgr-1", true},
		{"enterprise.division", "", false},
		{"nickName", "", false},
		{"password", "", false},
	} {
		got, ok := UserValue(u, tc.path)
		if got != tc.want || ok != tc.ok {
			t.Errorf("UserValue(%s) = %q, %v; want %q, %v", tc.path, got, ok, tc.want, tc.ok)
		}
	}
	if v, ok := UserValue(&scim.User{}, "enterprise.costCenter"); ok || v != "" {
		t.Errorf("no enterprise extension: %q, %v", v, ok)
	}
	for _, p := range Paths {
		if err := checkSource("${path:" + p + "}"); err != nil {
			t.Errorf("listed path %s refused: %v", p, err)
		}
	}
}

func TestCheckMappings(t *testing.T) {
	for _, tc := range []struct {
		name string
		ms   []Mapping
		want []string // substrings of the error, none = valid
	}{
		{"valid", []Mapping{{"costCenter", "${path:enterprise.costCenter}"}, {"Department", ""}}, nil},
		{"empty key", []Mapping{{"", ""}}, []string{"key is empty"}},
		{"bad key chars", []Mapping{{"cost,center", ""}}, []string{`key "cost,center": use letters`}},
		{"aws prefix", []Mapping{{"aws:team", ""}}, []string{"aws: prefix is reserved"}},
		{"long key", []Mapping{{strings.Repeat("k", 129), ""}}, []string{"at most 128"}},
		{"case duplicate", []Mapping{{"Team", ""}, {"team", ""}}, []string{`keys "Team" and "team" are the same key`}},
		{"not a path", []Mapping{{"k", "enterprise.costCenter"}}, []string{`write "${path:<scim-path>}"`}},
		{"user source", []Mapping{{"k", "${user:email}"}}, []string{"users provisioned by SCIM"}},
		{"misspelt path", []Mapping{{"k", "${path:enterprise.costcenter}"}}, []string{`is spelled "enterprise.costCenter"`}},
		{"unknown path", []Mapping{{"k", "${path:groups}"}}, []string{`does not offer SCIM path "groups"`}},
		{"two problems", []Mapping{{"", "${path:x}"}}, []string{"key is empty", `SCIM path "x"`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := CheckMappings(tc.ms)
			if len(tc.want) == 0 {
				if err != nil {
					t.Fatalf("unexpected error: %v", err)
				}
				return
			}
			if err == nil {
				t.Fatalf("no error, want %q", tc.want)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
		})
	}
	many := make([]Mapping, MaxMappings+1)
	for i := range many {
		many[i] = Mapping{Key: "k" + strings.Repeat("x", i)}
	}
	if err := CheckMappings(many); err == nil || !strings.Contains(err.Error(), "at most 50") {
		t.Errorf("51 mappings: %v", err)
	}
}

// brief is an Attribute reduced to what the tests compare.
type brief struct {
	Key, Value string
	Origin     Origin
	Lost       string // value of the loser, "" when none
}

func briefs(as []Attribute) []brief {
	var out []brief
	for _, a := range as {
		b := brief{a.Key, a.Value, a.Origin, ""}
		if a.Lost != nil {
			b.Lost = a.Lost.Value
		}
		out = append(out, b)
	}
	return out
}

func TestResolve(t *testing.T) {
	cost := Mapping{"costCenter", "${path:enterprise.costCenter}"}
	for _, tc := range []struct {
		name     string
		user     *scim.User
		mappings []Mapping
		attrs    []saml.AttributeView
		prec     Precedence
		want     []brief
		dropped  []string
		problems []string
	}{
		{name: "store only", user: alice(), mappings: []Mapping{cost},
			want: []brief{{"costCenter", "CC-1001", FromIdentityStore, ""}}},
		{name: "SAML only, key not configured", user: alice(), attrs: []saml.AttributeView{ac("Department", "Engineering")},
			want: []brief{{"Department", "Engineering", FromSAML, ""}}},
		{name: "both: the store replaces SAML by default (AWS-ABAC-007)", user: alice(), mappings: []Mapping{cost},
			attrs: []saml.AttributeView{ac("CostCenter", "CC-9999")},
			want:  []brief{{"costCenter", "CC-1001", FromIdentityStore, "CC-9999"}}},
		{name: "both, precedence saml", user: alice(), mappings: []Mapping{cost}, prec: SAMLWins,
			attrs: []saml.AttributeView{ac("costCenter", "CC-9999")},
			want:  []brief{{"costCenter", "CC-9999", FromSAML, "CC-1001"}}},
		{name: "configured without source takes SAML", user: alice(), mappings: []Mapping{{"Department", ""}},
			attrs: []saml.AttributeView{ac("department", "Sales")},
			want:  []brief{{"Department", "Sales", FromSAML, ""}}},
		{name: "configured without source, nothing sent", user: alice(), mappings: []Mapping{{"Department", ""}},
			dropped: []string{"Department"}},
		{name: "store has no value: SAML used", user: alice(), mappings: []Mapping{{"division", "${path:enterprise.division}"}},
			attrs: []saml.AttributeView{ac("division", "EMEA")},
			want:  []brief{{"division", "EMEA", FromSAML, ""}}},
		{name: "store has no value, nothing sent", user: alice(), mappings: []Mapping{{"division", "${path:enterprise.division}"}},
			dropped: []string{"division"}},
		{name: "other attributes ignored, sorted by key", user: alice(), mappings: []Mapping{cost, {"title", "${path:title}"}},
			attrs: []saml.AttributeView{{Name: aws.AttrRole, Values: []string{"x"}}, ac("B", "2"), ac("a", "1")},
			want: []brief{{"a", "1", FromSAML, ""}, {"B", "2", FromSAML, ""}, {"costCenter", "CC-1001", FromIdentityStore, ""},
				{"title", "Software Engineer", FromIdentityStore, ""}}},
		{name: "multi-valued SAML (AWS-ABAC-004)", user: alice(), attrs: []saml.AttributeView{ac("team", "a", "b")},
			want: []brief{{"team", "a", FromSAML, ""}}, problems: []string{"AWS-ABAC-004"}},
		{name: "same key twice in SAML (AWS-ABAC-004)", user: alice(), attrs: []saml.AttributeView{ac("team", "a"), ac("Team", "b")},
			want: []brief{{"team", "a", FromSAML, ""}}, problems: []string{"AWS-ABAC-004"}},
		{name: "nil user", mappings: []Mapping{cost}, dropped: []string{"costCenter"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := Resolve(tc.user, tc.mappings, tc.attrs, tc.prec)
			if got := briefs(res.Attributes); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("attributes:\n got %+v\nwant %+v", got, tc.want)
			}
			var dropped, problems []string
			for _, d := range res.Dropped {
				dropped = append(dropped, d.Key)
			}
			for _, p := range res.Problems {
				problems = append(problems, p.Rule)
			}
			if !reflect.DeepEqual(dropped, tc.dropped) {
				t.Errorf("dropped = %v, want %v", dropped, tc.dropped)
			}
			if !reflect.DeepEqual(problems, tc.problems) {
				t.Errorf("problems = %v, want %v", problems, tc.problems)
			}
			for _, a := range res.Attributes {
				if a.Why == "" || a.From == "" {
					t.Errorf("%s: no provenance: %+v", a.Key, a)
				}
			}
		})
	}
}

func TestResolveTooMany(t *testing.T) {
	var attrs []saml.AttributeView
	for i := 0; i <= MaxMappings; i++ {
		attrs = append(attrs, ac(strings.Repeat("k", i+1), "v"))
	}
	res := Resolve(alice(), nil, attrs, "")
	if len(res.Problems) != 1 || res.Problems[0].Rule != "AWS-ABAC-003" {
		t.Errorf("problems = %+v", res.Problems)
	}
}

// fakeStore answers ListUsers by userName, ignoring case, as the store
// contract says; the rest of scim.Store is not used by FindUser.
type fakeStore struct {
	scim.Store
	users []scim.User
	err   error
}

func (f fakeStore) ListUsers(_ context.Context, q scim.UserQuery) ([]scim.User, string, error) {
	var out []scim.User
	for _, u := range f.users {
		if strings.EqualFold(u.UserName, q.UserName) {
			out = append(out, u)
		}
	}
	return out, "", f.err
}

func TestFindUser(t *testing.T) {
	off := *alice()
	off.UserName, off.Active = "bob@contoso.com", false
	store := fakeStore{users: []scim.User{*alice(), off}}
	for _, tc := range []struct {
		name, nameID, format string
		rule, shown          string
	}{
		{"provisioned", "alice@contoso.com", EmailNameFormat, "", ""},
		{"case-insensitive userName", "Alice@Contoso.com", EmailNameFormat, "", ""},
		{"never provisioned", "carol@contoso.com", EmailNameFormat, "AWS-IDC-005", MsgInvalidMFA},
		{"disabled", "bob@contoso.com", EmailNameFormat, "AWS-SCIM-014", MsgUnexpected},
		{"persistent format", "alice@contoso.com", "urn:oasis:names:tc:SAML:2.0:nameid-format:persistent", "AWS-IDC-003", MsgUnexpected},
		{"no NameID", "", EmailNameFormat, "AWS-IDC-004", MsgUnexpected},
	} {
		t.Run(tc.name, func(t *testing.T) {
			u, err := FindUser(context.Background(), store, tc.nameID, tc.format)
			if tc.rule == "" {
				if err != nil || u == nil || u.UserName != "alice@contoso.com" {
					t.Fatalf("FindUser = %v, %v", u, err)
				}
				return
			}
			r := AsRefusal(err)
			if r == nil || u != nil {
				t.Fatalf("FindUser = %v, %v; want a refusal", u, err)
			}
			if r.Rule != tc.rule || r.Shown != tc.shown || r.Explanation == "" {
				t.Errorf("refusal = %+v, want %s %q", r, tc.rule, tc.shown)
			}
		})
	}
	boom := errors.New("disk on fire")
	if _, err := FindUser(context.Background(), fakeStore{err: boom}, "a@b.c", EmailNameFormat); !errors.Is(err, boom) || AsRefusal(err) != nil {
		t.Errorf("store error: %v", err)
	}
}

// With a real store: userName matches ignoring case, as in the identity
// store (the scim.Store contract).
func TestFindUserMemstore(t *testing.T) {
	st := memstore.New()
	if err := st.CreateUser(context.Background(), alice()); err != nil {
		t.Fatal(err)
	}
	u, err := FindUser(context.Background(), st, "ALICE@Contoso.COM", EmailNameFormat)
	if err != nil || u.UserName != "alice@contoso.com" {
		t.Fatalf("FindUser = %v, %v", u, err)
	}
	if _, err := FindUser(context.Background(), st, "alice@contoso.co", EmailNameFormat); AsRefusal(err) == nil || AsRefusal(err).Rule != "AWS-IDC-005" {
		t.Fatalf("a near miss: %v", err)
	}
	// The IdP sends the mail, provisioning sent the UPN: a NameID equal to
	// an email but no userName is explained as such (AWS-IDC-004).
	upn := alice()
	upn.UserName = "aanderson@contoso.onmicrosoft.com"
	upn.Emails = []scim.MultiValue{{Value: "Alice.Anderson@contoso.com", Primary: true}}
	if err := st.CreateUser(context.Background(), upn); err != nil {
		t.Fatal(err)
	}
	_, err = FindUser(context.Background(), st, "alice.anderson@contoso.com", EmailNameFormat)
	r := AsRefusal(err)
	if r == nil || r.Rule != "AWS-IDC-004" || r.Shown != MsgInvalidMFA || !strings.Contains(r.Explanation, `send "aanderson@contoso.onmicrosoft.com" as the NameID`) {
		t.Fatalf("NameID equal to an email: %+v", r)
	}
}
