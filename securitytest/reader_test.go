package securitytest

import (
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"errors"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/beevik/etree"

	"github.com/samlab/samlab/aws"
	"github.com/samlab/samlab/claims"
	"github.com/samlab/samlab/saml"
)

// The rows about the CLI (SEC-30..33) test the reader APIs that samlab's
// inspect, verify and lint commands call: saml.Decode, saml.Read,
// View.Check and aws.LintView.

// readerNow is the time of reader tests: now, when the test certificates are valid.
var readerNow = time.Now().UTC().Truncate(time.Second)

// idpResponse builds a response signed by the test IdP key.
func idpResponse(t testing.TB, signing string, enc *saml.EncryptOptions, values ...string) string {
	t.Helper()
	kp := testIdPKey(t)
	iss := &saml.Issuer{EntityID: "https://idp.example.com", Key: kp.Signer, Certificate: kp.Certificate, Clock: saml.FixedClock(readerNow)}
	if len(values) == 0 {
		values = []string{"Engineering"}
	}
	r, err := iss.Build(saml.ResponseRequest{
		Audience: "https://sp.example.com", Recipient: "https://sp.example.com/acs",
		NameID:     claims.NameID{Format: claims.NameIDPersistent, Value: "alice@contoso.com"},
		Attributes: []claims.Attribute{{Name: "department", Values: values}},
	}, saml.ResponseOptions{Signing: signing, Encrypt: enc})
	if err != nil {
		t.Fatal(err)
	}
	return string(r.XML)
}

// readTrusted reads xml trusting only the test IdP certificate.
func readTrusted(xml string) (*saml.View, error) {
	return saml.Read(&saml.Message{XML: []byte(xml)}, saml.ReadOptions{
		Certificates: []*x509.Certificate{idpKey.Certificate}, Now: func() time.Time { return readerNow },
	})
}

// element returns the first element with the given local name.
func element(t testing.TB, doc *etree.Document, tag string) *etree.Element {
	t.Helper()
	var found *etree.Element
	var walk func(*etree.Element)
	walk = func(e *etree.Element) {
		if found != nil {
			return
		}
		if e.Tag == tag {
			found = e
			return
		}
		for _, c := range e.ChildElements() {
			walk(c)
		}
	}
	walk(doc.Root())
	if found == nil {
		t.Fatalf("no <%s>", tag)
	}
	return found
}

// forgedAssertion is an unsigned assertion for admin.
func forgedAssertion(id string) *etree.Element {
	doc := etree.NewDocument()
	if err := doc.ReadFromString(`<saml:Assertion xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="` + id + `" Version="2.0" IssueInstant="2026-03-01T12:00:00Z"><saml:Issuer>https://idp.example.com</saml:Issuer><saml:Subject><saml:NameID Format="urn:oasis:names:tc:SAML:2.0:nameid-format:persistent">admin@contoso.com</saml:NameID></saml:Subject><saml:AttributeStatement><saml:Attribute Name="department"><saml:AttributeValue>Admins</saml:AttributeValue></saml:Attribute></saml:AttributeStatement></saml:Assertion>`); err != nil {
		panic(err)
	}
	return doc.Root()
}

func TestSEC30_SignatureWrapping(t *testing.T) {
	type variant struct {
		name    string
		signing string
		mutate  func(t *testing.T, doc *etree.Document)
	}
	variants := []variant{
		{"forged assertion before the signed one", saml.SigningAssertion, func(t *testing.T, doc *etree.Document) {
			doc.Root().InsertChildAt(element(t, doc, "Assertion").Index(), forgedAssertion("_forged"))
		}},
		{"forged assertion after the signed one", saml.SigningAssertion, func(t *testing.T, doc *etree.Document) {
			doc.Root().AddChild(forgedAssertion("_forged"))
		}},
		{"signed assertion moved to Extensions, forged in its place", saml.SigningAssertion, func(t *testing.T, doc *etree.Document) {
			a := element(t, doc, "Assertion")
			at := a.Index()
			doc.Root().RemoveChild(a)
			ext := etree.NewElement("samlp:Extensions")
			ext.AddChild(a)
			doc.Root().InsertChildAt(at, ext)
			doc.Root().AddChild(forgedAssertion("_forged"))
		}},
		{"signed assertion in the forged one's Advice", saml.SigningAssertion, func(t *testing.T, doc *etree.Document) {
			a := element(t, doc, "Assertion")
			at := a.Index()
			doc.Root().RemoveChild(a)
			f := forgedAssertion("_forged")
			adv := etree.NewElement("saml:Advice")
			adv.AddChild(a)
			f.AddChild(adv)
			doc.Root().InsertChildAt(at, f)
		}},
		{"forged assertion in the signature's ds:Object", saml.SigningAssertion, func(t *testing.T, doc *etree.Document) {
			sig := element(t, doc, "Signature")
			obj := etree.NewElement("ds:Object")
			obj.AddChild(forgedAssertion("_forged"))
			sig.AddChild(obj)
		}},
		{"signed response wrapped in a forged one", saml.SigningResponse, func(t *testing.T, doc *etree.Document) {
			orig := doc.Root()
			outer := orig.Copy()
			for _, c := range outer.ChildElements() {
				if c.Tag == "Signature" || c.Tag == "Assertion" {
					outer.RemoveChild(c)
				}
			}
			outer.CreateAttr("ID", "_outer")
			ext := etree.NewElement("samlp:Extensions")
			ext.AddChild(orig)
			outer.InsertChildAt(1, ext)
			outer.AddChild(forgedAssertion("_forged"))
			doc.SetRoot(outer)
		}},
		{"signed response wrapped, its assertion only", saml.SigningResponse, func(t *testing.T, doc *etree.Document) {
			orig := doc.Root()
			outer := orig.Copy()
			for _, c := range outer.ChildElements() {
				if c.Tag == "Signature" || c.Tag == "Assertion" {
					outer.RemoveChild(c)
				}
			}
			outer.CreateAttr("ID", "_outer")
			ext := etree.NewElement("samlp:Extensions")
			ext.AddChild(orig)
			outer.InsertChildAt(1, ext)
			doc.SetRoot(outer)
		}},
		{"signed assertion's NameID edited", saml.SigningAssertion, func(t *testing.T, doc *etree.Document) {
			element(t, doc, "NameID").SetText("admin@contoso.com")
		}},
		{"signed response's assertion replaced", saml.SigningResponse, func(t *testing.T, doc *etree.Document) {
			a := element(t, doc, "Assertion")
			at := a.Index()
			doc.Root().RemoveChild(a)
			doc.Root().InsertChildAt(at, forgedAssertion(a.SelectAttrValue("ID", "")))
		}},
		{"Reference pointed at the forged assertion", saml.SigningAssertion, func(t *testing.T, doc *etree.Document) {
			ref := element(t, doc, "Reference")
			ref.CreateAttr("URI", "#_forged")
			doc.Root().AddChild(forgedAssertion("_forged"))
		}},
		{"signature moved from the assertion to the response", saml.SigningAssertion, func(t *testing.T, doc *etree.Document) {
			sig := element(t, doc, "Signature")
			sig.Parent().RemoveChild(sig)
			doc.Root().InsertChildAt(1, sig)
			element(t, doc, "NameID").SetText("admin@contoso.com")
		}},
	}
	for _, v := range variants {
		t.Run(v.name, func(t *testing.T) {
			doc := mustDoc(t, idpResponse(t, v.signing, nil))
			v.mutate(t, doc)
			xml, err := doc.WriteToString()
			if err != nil {
				t.Fatal(err)
			}
			view, err := readTrusted(xml)
			if err == nil {
				t.Fatal("the wrapped message was accepted")
			}
			if !errors.Is(err, saml.ErrStructure) && !errors.Is(err, saml.ErrSignature) && !errors.Is(err, saml.ErrNotVerified) && !errors.Is(err, saml.ErrUnsafeXML) {
				t.Errorf("error %v wraps none of the reader's refusals", err)
			}
			if view != nil && view.Verified && view.Assertion != nil && view.Assertion.NameID != "alice@contoso.com" {
				t.Errorf("verified view reports forged NameID %q", view.Assertion.NameID)
			}
			if view != nil && view.Assertion != nil && view.Assertion.NameID == "admin@contoso.com" && view.Verified {
				t.Error("the forged assertion is reported as verified")
			}
		})
	}
	// Controls: each signing mode verifies unmodified.
	for _, s := range []string{saml.SigningAssertion, saml.SigningResponse, saml.SigningBoth} {
		v, err := readTrusted(idpResponse(t, s, nil))
		if err != nil || !v.Verified || v.Assertion.NameID != "alice@contoso.com" {
			t.Errorf("%s: %v", s, err)
		}
	}
}

func TestSEC31_EmbeddedCertificateNotTrusted(t *testing.T) {
	attacker := testSPKeys(t)[1]
	// The attacker re-signs a forged assertion and embeds their own
	// certificate in KeyInfo.
	doc := mustDoc(t, idpResponse(t, saml.SigningNone, nil))
	a := element(t, doc, "Assertion")
	element(t, doc, "NameID").SetText("admin@contoso.com")
	at := a.Index()
	doc.Root().RemoveChild(a)
	doc.Root().InsertChildAt(at, signElement(t, a, attacker.key, attacker.cert))
	xml, _ := doc.WriteToString()
	if !strings.Contains(xml, base64.StdEncoding.EncodeToString(attacker.cert.Raw)[:40]) {
		t.Fatal("the attacker's certificate is not embedded")
	}
	v, err := readTrusted(xml)
	if err == nil || v == nil || v.Verified || !(errors.Is(err, saml.ErrSignature) || errors.Is(err, saml.ErrNotVerified)) {
		t.Errorf("pinned certificate: err %v, verified %v; want a signature error", err, v != nil && v.Verified)
	}
	// With no trust anchor nothing is "valid": the view is unverified and
	// every signature says it was not checked.
	v, err = saml.Read(&saml.Message{XML: []byte(xml)}, saml.ReadOptions{})
	if err != nil || v.Verified || v.VerifiedElement != "" || len(v.Signatures) != 1 || v.Signatures[0].Verified ||
		!strings.Contains(v.Signatures[0].Error, "not checked") {
		t.Errorf("no anchor: err %v, view %+v", err, v)
	}
	// Trusting the attacker's certificate explicitly is the only way it verifies.
	v, err = saml.Read(&saml.Message{XML: []byte(xml)}, saml.ReadOptions{Certificates: []*x509.Certificate{attacker.cert}})
	if err != nil || !v.Verified {
		t.Errorf("control, attacker cert pinned: %v", err)
	}
}

func TestSEC32_ParserDifferentials(t *testing.T) {
	good := idpResponse(t, saml.SigningAssertion, nil)
	root := regexp.MustCompile(`^<samlp:Response [^>]*>`).FindString(good)
	if root == "" {
		t.Fatalf("unexpected response start: %.80s", good)
	}
	tests := map[string]string{
		"duplicate ID attribute":        strings.Replace(good, root, strings.Replace(root, ` ID="`, ` ID="_dup" ID="`, 1), 1),
		"namespaced ID next to ID":      strings.Replace(good, root, strings.Replace(root, ` ID="`, ` xmlns:a="urn:a" a:ID="_x" ID="`, 1), 1),
		"namespaced ID alone":           strings.Replace(good, root, strings.Replace(root, ` ID="`, ` xmlns:a="urn:a" a:ID="`, 1), 1),
		"two roots":                     good + good,
		"second root after the first":   good + `<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_2"/>`,
		"text before the root":          "admin " + good,
		"text after the root":           good + " admin",
		"DOCTYPE":                       `<!DOCTYPE r>` + good,
		"attributes sharing a name":     strings.Replace(good, root, strings.Replace(root, ` ID="`, ` xmlns:a="urn:a" a:Destination="x" Destination="y" ID="`, 1), 1),
		"same ID on two elements":       strings.Replace(good, "<saml:Issuer", `<samlp:Extensions ID="`+regexp.MustCompile(`<saml:Assertion [^>]*ID="([^"]*)"`).FindStringSubmatch(good)[1]+`"/><saml:Issuer`, 1),
		"processing instruction inside": strings.Replace(good, "<saml:Issuer", "<?x y?><saml:Issuer", 1),
		"not UTF-8":                     strings.Replace(good, "Engineering", "Engin\xffering", 1),
	}
	for name, xml := range tests {
		t.Run(name, func(t *testing.T) {
			v, err := readTrusted(xml)
			if !errors.Is(err, saml.ErrUnsafeXML) || v != nil {
				t.Errorf("Read: %v, want ErrUnsafeXML and no view", err)
			}
			if _, err := saml.ParseSafe([]byte(xml), saml.ResponseLimits()); !errors.Is(err, saml.ErrUnsafeXML) {
				t.Errorf("ParseSafe: %v", err)
			}
		})
	}
	if v, err := readTrusted(good); err != nil || !v.Verified {
		t.Errorf("control: %v", err)
	}
}

func TestSEC33_OutputAndDecryption(t *testing.T) {
	t.Run("control characters survive reading byte-exact", func(t *testing.T) {
		// C1 controls are legal XML characters (the builder refuses C0
		// ones): the reader keeps them exact; the CLI escapes them when
		// printing (cmd/samlab clean, tested in cmd/samlab).
		const csi = "\u009b2J\u0085x"
		v, err := readTrusted(idpResponse(t, saml.SigningAssertion, nil, csi))
		if err != nil || v.Assertion.Attributes[0].Values[0] != csi {
			t.Errorf("value %q, %v", v.Assertion.Attributes[0].Values, err)
		}
		// A raw ESC or a character reference to one is not XML: refused.
		for _, esc := range []string{"\x1b[2J", "&#27;[2J", "&#x1B;"} {
			x := strings.Replace(idpResponse(t, saml.SigningNone, nil), "Engineering", esc, 1)
			if _, err := saml.Read(&saml.Message{XML: []byte(x)}, saml.ReadOptions{}); !errors.Is(err, saml.ErrUnsafeXML) {
				t.Errorf("%q: %v, want ErrUnsafeXML", esc, err)
			}
		}
	})
	sp := testSPKeys(t)
	spKey := sp[0].key.(*rsa.PrivateKey)
	for _, method := range []string{saml.EncryptAES128CBC, saml.EncryptAES256GCM} {
		t.Run("corrupt "+method, func(t *testing.T) {
			// Assertion signing only: the Response is unsigned, so the corrupt
			// ciphertext reaches the decryption code.
			enc := idpResponse(t, saml.SigningAssertion, &saml.EncryptOptions{Certificate: sp[0].cert, Method: method})
			read := func(xml string, key any) (*saml.View, error) {
				return saml.Read(&saml.Message{XML: []byte(xml)}, saml.ReadOptions{
					Certificates: []*x509.Certificate{idpKey.Certificate}, DecryptionKey: key, Now: func() time.Time { return readerNow }})
			}
			if v, err := read(enc, spKey); err != nil || !v.Decrypted || v.Assertion.NameID != "alice@contoso.com" {
				t.Fatalf("control: %v", err)
			}
			// The content's CipherValue is the last one in the document.
			re := regexp.MustCompile(`(?s)<xenc:CipherValue>([^<]*)</xenc:CipherValue>`)
			ms := re.FindAllStringSubmatchIndex(enc, -1)
			if len(ms) < 2 {
				t.Fatalf("want a key and a content CipherValue:\n%s", enc)
			}
			last := ms[len(ms)-1]
			cipher := enc[last[2]:last[3]]
			raw, err := base64.StdEncoding.DecodeString(strings.Join(strings.Fields(cipher), ""))
			if err != nil {
				t.Fatal(err)
			}
			with := func(b []byte) string {
				return enc[:last[2]] + base64.StdEncoding.EncodeToString(b) + enc[last[3]:]
			}
			flipped := append([]byte(nil), raw...)
			flipped[len(flipped)-17] ^= 0x5a // in CBC: garbles the last block's padding
			cases := map[string]string{
				"bad padding / tag":     with(flipped),
				"truncated":             with(raw[:len(raw)-5]),
				"one block":             with(raw[:16]),
				"empty":                 with(nil),
				"not base64":            enc[:last[2]] + "!!!" + enc[last[3]:],
				"unknown algorithm":     regexp.MustCompile(`Algorithm="http://www.w3.org/(2001/04/xmlenc#aes128-cbc|2009/xmlenc11#aes256-gcm)"`).ReplaceAllString(enc, `Algorithm="urn:evil"`),
				"wrapped key corrupted": enc[:ms[0][2]] + "AAAA" + enc[ms[0][3]:],
			}
			for name, xml := range cases {
				v, err := read(xml, spKey)
				if v == nil || !errors.Is(err, saml.ErrDecrypt) {
					t.Errorf("%s: %v, want ErrDecrypt", name, err)
				}
				if v != nil && v.Assertion != nil {
					t.Errorf("%s: an assertion was read", name)
				}
			}
			// The wrong key.
			if v, err := read(enc, sp[1].key); !errors.Is(err, saml.ErrDecrypt) || v.Decrypted {
				t.Errorf("wrong key: %v", err)
			}
		})
	}
	t.Run("lint of a hostile view does not panic", func(t *testing.T) {
		v, err := readTrusted(idpResponse(t, saml.SigningAssertion, nil, "\u009b", strings.Repeat("x", 100000), ""))
		if err != nil || !v.Verified {
			t.Fatalf("hostile but well-signed response: %v", err)
		}
		for _, p := range aws.Profiles() {
			_ = aws.LintView(v, p, aws.Options{Now: readerNow})
		}
		if s := aws.SessionView(v); s != nil {
			_ = s.Lines()
		}
	})
}
