package aws

import (
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/samlab/samlab/claims"
	"github.com/samlab/samlab/saml"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// golden compares got with testdata/name, rewriting it under -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./aws -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs (run go test ./aws -update after checking):\n--- got\n%s\n--- want\n%s", name, got, want)
	}
}

func TestNameQualifier(t *testing.T) {
	// Computed independently: base64(sha1("https://idp.example/metadata111122223333/samlab")).
	if got := NameQualifier(idpEntity, "111122223333", "samlab"); got != "yUbd1YFhion5T/+WjXBO71BYQcE=" {
		t.Errorf("NameQualifier = %q", got)
	}
}

func TestSessionView(t *testing.T) {
	v := baseView(ProfileSTS)
	setAttr(v, AttrRole, roleValue, "arn:aws:iam::111122223333:saml-provider/samlab,arn:aws:iam::111122223333:role/ops/ReadOnly")
	setAttr(v, PrefixPrincipalTag+"Team", "eng", "core")
	s := SessionView(v)
	if s.Profile != ProfileSTS || s.Subject != v.Assertion.NameID || s.SubjectType != "persistent" || s.Audience != signInURL {
		t.Errorf("subject = %q %q %q %q", s.Profile, s.Subject, s.SubjectType, s.Audience)
	}
	if len(s.Roles) != 2 || s.Roles[1].RoleARN != "arn:aws:iam::111122223333:role/ops/ReadOnly" ||
		s.Roles[1].Account != "111122223333" || s.Roles[1].ProviderName != "samlab" || s.Roles[0].NameQualifier != "yUbd1YFhion5T/+WjXBO71BYQcE=" {
		t.Errorf("roles = %+v", s.Roles)
	}
	if s.RoleSessionName != "alice" || s.SessionDuration != 3600 || s.DefaultDuration || s.SourceIdentity != "alice" {
		t.Errorf("session = %q %d %v %q", s.RoleSessionName, s.SessionDuration, s.DefaultDuration, s.SourceIdentity)
	}
	want := []Tag{
		{Key: "Department", Value: "Engineering", Transitive: true, Source: "PrincipalTag"},
		{Key: "CostCenter", Value: "CC-1001", Source: "PrincipalTag"},
		{Key: "Team", Value: "eng, core", Source: "PrincipalTag", Problem: "2 values; AWS takes one"},
	}
	if len(s.Tags) != len(want) {
		t.Fatalf("tags = %+v", s.Tags)
	}
	for i := range want {
		if s.Tags[i] != want[i] {
			t.Errorf("tag %d = %+v, want %+v", i, s.Tags[i], want[i])
		}
	}
	golden(t, "session_sts.txt", s.String()+"\n")

	idc := SessionView(entraIdCView())
	if idc.Profile != ProfileIdentityCenter || idc.UserName != "alice@contoso.com" || len(idc.Tags) != 1 || idc.Tags[0].Source != "AccessControl" {
		t.Errorf("identity center session = %+v", idc)
	}
	golden(t, "session_idc.txt", idc.String()+"\n")

	if SessionView(nil) != nil {
		t.Error("SessionView(nil) != nil")
	}
	empty := SessionView(&saml.View{})
	if empty == nil || empty.Profile != ProfileGeneric || len(empty.Lines()) == 0 {
		t.Errorf("SessionView(empty) = %+v", empty)
	}
}

func TestSessionFromClaims(t *testing.T) {
	n, attrs := baseClaims(ProfileSTS)
	attrs = append(attrs[:2], attrs[3:]...) // drop SessionDuration
	s := SessionFromClaims(n, attrs)
	if s.SessionDuration != 3600 || !s.DefaultDuration {
		t.Errorf("duration = %d default=%v, want 3600 default", s.SessionDuration, s.DefaultDuration)
	}
	if s.Roles[0].NameQualifier != "" {
		t.Error("NameQualifier set without an issuer")
	}
	s.Issuer = idpEntity
	s.Qualify()
	if s.Roles[0].NameQualifier != "yUbd1YFhion5T/+WjXBO71BYQcE=" {
		t.Errorf("after Qualify: %q", s.Roles[0].NameQualifier)
	}
	bad := SessionFromClaims(claims.NameID{}, []claims.Attribute{
		{Name: AttrRole, Values: []string{"Dev"}},
		{Name: AttrSessionDuration, Values: []string{"99999"}},
	})
	if bad.Roles[0].Problem == "" || bad.Roles[0].RoleARN != "Dev" || !bad.DefaultDuration {
		t.Errorf("invalid input session = %+v", bad)
	}
}
