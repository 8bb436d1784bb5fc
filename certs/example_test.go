package certs_test

import (
	"fmt"
	"log"
	"os"
	"path/filepath"
	"time"

	"github.com/samlab/samlab/certs"
)

// Generate a pair, store it, and load it back as the IdP would at start-up.
func Example() {
	dir, err := os.MkdirTemp("", "samlab-example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)

	now := time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
	kp, err := certs.Generate(certs.ECDSAP256, "idp.example.test", 0, nil, now)
	if err != nil {
		log.Fatal(err)
	}
	keyPath, certPath, err := certs.Write(filepath.Join(dir, "certs"), kp)
	if err != nil {
		log.Fatal(err)
	}
	loaded, err := certs.LoadWith(keyPath, certPath, certs.LoadOptions{Now: func() time.Time { return now }})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(loaded.Algorithm(), loaded.Certificate.Subject, loaded.Certificate.NotAfter.Format(time.DateOnly))

	// A second Write to the same place is refused.
	_, _, err = certs.Write(filepath.Join(dir, "certs"), kp)
	fmt.Println(err != nil)
	// Output:
	// ecdsa-p256 CN=idp.example.test 2029-05-31
	// true
}

// An IdP without a configured key keeps a generated one in its state
// directory, so its metadata is the same after a restart.
func ExampleLoadOrCreate() {
	dir, err := os.MkdirTemp("", "samlab-state")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)

	first, created, err := certs.LoadOrCreate(dir, certs.ECDSAP256)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("first start, created:", created)
	second, created, err := certs.LoadOrCreate(dir, certs.ECDSAP256)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("restart, created:", created, "same certificate:", second.Fingerprint() == first.Fingerprint())
	// Output:
	// first start, created: true
	// restart, created: false same certificate: true
}
