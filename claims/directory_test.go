package claims

import (
	"strings"
	"testing"
)

func TestNewDirectoryValidation(t *testing.T) {
	users := []User{
		{ID: "a", Groups: []string{"engg"}},
		{ID: "a"},
		{ID: "b", Type: "guest"},
		{ID: "c", Attributes: map[string]Values{"department": {"Eng\r\n"}}},
		{ID: "d", Attributes: map[string]Values{"x": {"ok", "bad\x00"}}},
		{ID: "e", Attributes: map[string]Values{"y": {"\xff\xfe"}}},
		{ID: "f", AppRoles: map[string][]string{"aws": {"r\x01"}}},
		{ID: "", Attributes: map[string]Values{"z": {"\uFFFE"}}},
	}
	groups := []Group{
		{ID: "eng", MemberOf: []string{"nope"}},
		{ID: "eng"},
		{ID: "x", Kind: "mail"},
		{ID: "y", DisplayName: "tab\tok but bell \a"},
	}
	_, err := NewDirectory(Tenant{}, users, groups)
	wants := []string{
		`claims: directory: tenant id is empty`,
		`group "eng": member_of: unknown group "nope"`,
		`group "eng": duplicate group id`,
		`group "x": unknown kind "mail"`,
		`group "y": display_name: value cannot be carried in XML: control character U+0007`,
		`user "a": groups: unknown group "engg" (did you mean "eng"?)`,
		`user "a": duplicate user id`,
		`user "b": unknown type "guest"`,
		`user "c": attribute "department" value 1: value cannot be carried in XML: control character U+000D`,
		`user "d": attribute "x" value 2: value cannot be carried in XML: control character U+0000`,
		`user "e": attribute "y" value 1: value cannot be carried in XML: invalid UTF-8`,
		`user "f": app role for "aws"`,
		`user #8: id is empty`,
		`user #8: attribute "z" value 1: value cannot be carried in XML: non-character U+FFFE`,
	}
	errHas(t, err, wants...)
	if n := len(unjoin(err)); n != len(wants) {
		t.Errorf("got %d problems, want %d:\n%v", n, len(wants), err)
	}
}

func TestNewDirectoryDefaultsAndNesting(t *testing.T) {
	groups := []Group{
		{ID: "a", MemberOf: []string{"b"}},
		{ID: "b", MemberOf: []string{"c"}},
		{ID: "c", MemberOf: []string{"a"}}, // cycle: tolerated
		{ID: "d", ObjectID: "oid-d"},
	}
	users := []User{{ID: "u", Groups: []string{"a"}}, {ID: "v", Groups: []string{"d"}, Attributes: map[string]Values{"objectid": {"fixed"}}}}
	in := users[0]
	d, err := NewDirectory(Tenant{ID: "t"}, users, groups)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, g := range d.MemberOf("u") {
		got = append(got, g.ID)
	}
	if !eq(got, []string{"a", "b", "c"}) {
		t.Errorf("MemberOf(u) = %q", got)
	}
	u, _ := d.User("u")
	if oid := u.Attributes["objectid"]; len(oid) != 1 || oid[0] != DerivedObjectID("t", "u") {
		t.Errorf("objectid = %q", oid)
	}
	if in.Attributes != nil {
		t.Error("NewDirectory modified the caller's user")
	}
	if v, _ := d.User("v"); v.Attributes["objectid"][0] != "fixed" {
		t.Error("explicit objectid replaced")
	}
	if g, _ := d.Group("a"); g.ObjectID != "a" {
		t.Errorf("group object id default = %q", g.ObjectID)
	}
	if g, _ := d.Group("d"); g.ObjectID != "oid-d" {
		t.Errorf("group object id = %q", g.ObjectID)
	}
	var ids []string
	for _, u := range d.Users() {
		ids = append(ids, u.ID)
	}
	if !eq(ids, []string{"u", "v"}) {
		t.Errorf("Users() order = %q", ids)
	}
	if d.Tenant().Issuer != "https://sts.windows.net/t/" {
		t.Errorf("issuer default = %q", d.Tenant().Issuer)
	}
	if _, ok := d.User("nobody"); ok {
		t.Error("User(nobody) found")
	}
}

func TestNewDirectoryDuplicateObjectIDs(t *testing.T) {
	_, err := NewDirectory(Tenant{ID: "t"}, []User{
		{ID: "a", Attributes: map[string]Values{"objectid": {"x"}}},
		{ID: "b", Attributes: map[string]Values{"objectid": {"x"}}},
	}, []Group{{ID: "g", ObjectID: "x"}})
	errHas(t, err, `user "a": object id "x" already used by group "g"`, `user "b": object id "x" already used by group "g"`)
}

func TestCheckXMLText(t *testing.T) {
	for _, c := range []struct {
		in string
		ok bool
	}{
		{"plain", true}, {"tab\tand\nnewline", true}, {"ünïcødé 日本 🎉", true}, {"<markup & 'quotes'>", true},
		{"\r", false}, {"\x00", false}, {"\x1b[31m", false}, {"\xc3", false}, {"\uFFFF", false}, {"\ufffd", true},
	} {
		err := checkXMLText(c.in)
		if (err == nil) != c.ok {
			t.Errorf("checkXMLText(%q) = %v, want ok=%v", c.in, err, c.ok)
		}
	}
	if checkXMLName("a\tb") == nil || !strings.Contains(checkXMLName("a\nb").Error(), "U+000A") {
		t.Error("names must refuse TAB and LF")
	}
}
