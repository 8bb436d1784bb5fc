package main

import (
	"bytes"
	"io"
	"os"
	"testing"
)

// The README quotes this program; its output must stay what it says.
func TestEmbedOutput(t *testing.T) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout := os.Stdout
	os.Stdout = w
	main()
	w.Close()
	os.Stdout = stdout
	got, _ := io.ReadAll(r)
	want := "https://aws.amazon.com/SAML/Attributes/Role [arn:aws:iam::111122223333:role/Dev,arn:aws:iam::111122223333:saml-provider/samlab]\n" +
		"https://aws.amazon.com/SAML/Attributes/RoleSessionName [alice]\n" +
		"https://aws.amazon.com/SAML/Attributes/PrincipalTag:Department [Engineering]\n"
	if !bytes.Equal(got, []byte(want)) {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}
