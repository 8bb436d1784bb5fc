package securitytest

import (
	"testing"

	"golang.org/x/crypto/bcrypt"

	"github.com/samlab/samlab/config"
	"github.com/samlab/samlab/idp"
)

// BenchmarkSEC25_Authenticate measures a failed sign-in for an unknown
// user, a user with a plain password and a user with a bcrypt hash in one
// tenant: the three should cost the same, so timing does not tell which
// user names exist (SEC-25). Timing is measured here, never asserted in a
// test.
//
//	go test ./securitytest -run '^$' -bench SEC25 -benchtime 20x
func BenchmarkSEC25_Authenticate(b *testing.B) {
	hash, err := bcrypt.GenerateFromPassword([]byte("right"), bcrypt.DefaultCost)
	if err != nil {
		b.Fatal(err)
	}
	cfg, err := config.Parse("x.toml", []byte("[idp]\nbase_url = \"https://idp.example.com\"\ndemo = false\n"+
		"[[users]]\nid = \"plain\"\npassword = \"right\"\n[[users]]\nid = \"hashed\"\npassword_hash = \""+string(hash)+"\"\n"))
	if err != nil {
		b.Fatal(err)
	}
	tn, err := idp.New(cfg, idp.Options{KeyPair: testIdPKey(b)})
	if err != nil {
		b.Fatal(err)
	}
	for _, user := range []string{"unknown", "plain", "hashed"} {
		b.Run(user, func(b *testing.B) {
			for b.Loop() {
				if _, err := tn.Authenticate(user, "wrong"); err == nil {
					b.Fatal("wrong password accepted")
				}
			}
		})
	}
}
