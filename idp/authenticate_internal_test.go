package idp

import (
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/samlab/samlab/certs"
	"github.com/samlab/samlab/config"
)

// TestDummyHashCost checks the dummy hash that unknown and plain-password
// users are compared with: it has the highest cost of the configured
// hashes, so their sign-ins take as long as a hashed user's (SEC-25), and
// it is absent when no user has a hash.
func TestDummyHashCost(t *testing.T) {
	kp, err := certs.Generate(certs.ECDSAP256, "", 0, nil, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	h5, _ := bcrypt.GenerateFromPassword([]byte("a"), 5)
	h6, _ := bcrypt.GenerateFromPassword([]byte("b"), 6)
	tests := []struct {
		name, users string
		want        int // 0: no dummy hash
	}{
		{"plain only", "[[users]]\nid = \"p\"\npassword = \"x\"\n", 0},
		{"highest cost", "[[users]]\nid = \"a\"\npassword_hash = \"" + string(h5) + "\"\n[[users]]\nid = \"b\"\npassword_hash = \"" + string(h6) + "\"\n[[users]]\nid = \"p\"\npassword = \"x\"\n", 6},
	}
	for _, tt := range tests {
		cfg, err := config.Parse("x.toml", []byte("[idp]\nbase_url = \"https://idp.example.com\"\ndemo = false\n"+tt.users))
		if err != nil {
			t.Fatal(err)
		}
		tn, err := New(cfg, Options{KeyPair: kp})
		if err != nil {
			t.Fatal(err)
		}
		got := 0
		if tn.dummyHash != nil {
			if got, err = bcrypt.Cost(tn.dummyHash); err != nil {
				t.Fatal(err)
			}
		}
		if got != tt.want {
			t.Errorf("%s: dummy hash cost %d, want %d", tt.name, got, tt.want)
		}
		for _, user := range []string{"p", "a", "nobody"} {
			if _, err := tn.Authenticate(user, "wrong"); err != ErrBadCredentials {
				t.Errorf("%s: Authenticate(%s) = %v", tt.name, user, err)
			}
		}
		if _, err := tn.Authenticate("p", "x"); err != nil {
			t.Errorf("%s: plain password refused: %v", tt.name, err)
		}
	}
}
