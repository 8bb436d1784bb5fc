package scim_test

import (
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/samlab/samlab/scim"
)

// FuzzSCIMUserJSON sends random bodies to POST /Users and PUT: the server
// must answer 201, 400 or 409 and never panic.
func FuzzSCIMUserJSON(f *testing.F) {
	f.Add(userBody("alice@example.com", "alice@example.com", ""))
	f.Add(userBody("x", "", `"phoneNumbers":[{"value":"1"},{"value":"2"}]`))
	f.Add(`{"userName":"x","name":{"givenName":"a","familyName":"b"},"displayName":"d","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"manager":{"value":"m"}}}`)
	f.Add(`{"emails":[[]],"addresses":[{"primary":"True"}]}`)
	f.Add(`[[[[[[[[`)
	hs := newHarness(f)
	f.Fuzz(func(t *testing.T, body string) {
		hs.t = t
		r := hs.do("POST", "/Users", body)
		switch r.status {
		case 201, 400, 409:
		default:
			t.Fatalf("POST /Users answered %d: %s", r.status, r.body)
		}
	})
}

// FuzzFilter parses random filters: no panic, and what parses has at most
// MaxFilterTerms terms with non-empty attributes.
func FuzzFilter(f *testing.F) {
	for _, s := range []string{`userName eq "a"`, `id eq "1" and manager eq "2"`, `a eq "\"`, `(x)`, `x eq "y" or z eq "w"`, `emails[type eq "work"]`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		terms, err := scim.ParseFilter(s)
		if err != nil {
			return
		}
		if len(terms) == 0 || len(terms) > scim.MaxFilterTerms {
			t.Fatalf("ParseFilter(%q) = %d terms", s, len(terms))
		}
		for _, term := range terms {
			if term.Attr == "" || term.Key == "" {
				t.Fatalf("ParseFilter(%q): empty attribute in %+v", s, term)
			}
		}
	})
}

// FuzzPatch sends random PatchOp bodies to a user and a group: 200/204,
// 400, 404 or 409, never a panic or a 500.
func FuzzPatch(f *testing.F) {
	f.Add(patchBody(`{"op":"Replace","path":"active","value":"False"}`))
	f.Add(patchBody(`{"op":"replace","value":{"name.givenName":"x","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department":"d"}}`))
	f.Add(patchBody(`{"op":"add","path":"emails[type eq \"work\"].value","value":"a@b"}`))
	f.Add(patchBody(`{"op":"remove","path":"members[value eq \"x\"]"}`))
	f.Add(patchBody(`{"op":"add","path":"addresses[type eq \"work\"]","value":{"country":"FR"}}`))
	f.Add(patchBody(`{"op":"add","path":"members","value":[{"value":"x"}]}`))
	hs := newHarness(f)
	uid := hs.createUser("alice@example.com")
	gid := hs.createGroup("eng")
	f.Fuzz(func(t *testing.T, body string) {
		hs.t = t
		for _, p := range []string{"/Users/" + uid, "/Groups/" + gid} {
			r := hs.do("PATCH", p, body)
			switch r.status {
			case 200, 204, 400, 404, 409:
			default:
				t.Fatalf("PATCH %s answered %d: %s", p, r.status, r.body)
			}
		}
	})
}

func TestNewServerServesHTTP(t *testing.T) {
	// A handler built with zero Options works and refuses without a token.
	h := scim.NewServer(newHarness(t).store, scim.Options{})
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/Users", strings.NewReader("")))
	if rec.Code != 401 {
		t.Errorf("no token: %d", rec.Code)
	}
}
