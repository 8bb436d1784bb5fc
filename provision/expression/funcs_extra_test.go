package expression

import (
	"bytes"
	"regexp"
	"strings"
	"testing"
)

func TestExtraFunctions(t *testing.T) {
	runEval(t, []evalTest{
		// MS: BitAnd — BitAnd(&HF, &HF7) returns 7.
		{"MS BitAnd", `BitAnd(&HF, &HF7)`, nil, one("7")},
		// MS: ConvertToBase64 — ConvertToBase64("Hello world!") returns "SABlAGwAbABvACAAdwBvAHIAbABkACEA".
		{"MS ConvertToBase64", `ConvertToBase64("Hello world!")`, nil, one("SABlAGwAbABvACAAdwBvAHIAbABkACEA")},
		// MS: ConvertToUTF8Hex — ConvertToUTF8Hex("Hello world!") returns 48656C6C6F20776F726C6421.
		{"MS ConvertToUTF8Hex", `ConvertToUTF8Hex("Hello world!")`, nil, one("48656C6C6F20776F726C6421")},
		// MS: Examples — "Generate an ID for a user based on their Microsoft Entra
		// object ID". The reference's sample output does not correspond to its
		// sample input; this is the value the documented steps give for it.
		{"MS object ID", `Join("", 1000, Replace(ConvertToUTF8Hex([objectId]), , "[a-zA-Z_]*", , "", , ))`,
			attrs{"objectId": one("00aa00aa-bb11-cc22-dd33-44ee44ee44ee")}, one("1000" + "30306161303061612626231312636332322646433332343465653434656534346565")},
		{"Count", `Count([proxyAddresses])`, attrs{"proxyAddresses": {"a", "b", "c"}}, one("3")},
		{"Count null", `Count([proxyAddresses])`, attrs{}, one("0")},
		// MS: CStr — CStr([dn]) returns "cn=Joe,dc=contoso,dc=com".
		{"MS CStr", `CStr([dn])`, attrs{"dn": one("cn=Joe,dc=contoso,dc=com")}, one("cn=Joe,dc=contoso,dc=com")},
		// MS: IgnoreFlowIfNullOrEmpty examples 1 and 2.
		{"MS ignore null department", `IgnoreFlowIfNullOrEmpty([department])`, attrs{}, nil},
		{"MS ignore empty department", `IgnoreFlowIfNullOrEmpty([department])`, attrs{"department": one("")}, nil},
		{"ignore keeps value", `IgnoreFlowIfNullOrEmpty([department])`, attrs{"department": one("Sales")}, one("Sales")},
		{"MS ignore switch", `IgnoreFlowIfNullOrEmpty(Switch([prefix], "", "3443", "Dr.", "3444", "Prof.", "3445", "Prof. Dr."))`, attrs{"prefix": one("9999")}, nil},
		{"MS ignore switch match", `IgnoreFlowIfNullOrEmpty(Switch([prefix], "", "3443", "Dr.", "3444", "Prof.", "3445", "Prof. Dr."))`, attrs{"prefix": one("3444")}, one("Prof.")},
		// MS: InStr — InStr("The quick brown fox","quick") evaluates to 5.
		{"MS InStr", `InStr("The quick brown fox","quick")`, nil, one("5")},
		// MS: InStr — InStr("repEated","e",3,vbBinaryCompare) evaluates to 7.
		{"MS InStr binary", `InStr("repEated","e",3,vbBinaryCompare)`, nil, one("7")},
		{"InStr text", `InStr("repEated","e",3,vbTextCompare)`, nil, one("4")},
		{"InStr absent", `InStr("abc","z")`, nil, one("0")},
		{"InStr runes", `InStr("Zoë Smith","Smith")`, nil, one("5")},
		// MS: Item — Item([proxyAddresses], 1) returns the first item.
		{"MS Item", `Item([proxyAddresses], 1)`, attrs{"proxyAddresses": {"SMTP:a@x", "smtp:b@x"}}, one("SMTP:a@x")},
		{"Item past end", `Item([proxyAddresses], 3)`, attrs{"proxyAddresses": {"a"}}, nil},
		// MS: PCase examples.
		{"MS PCase default", `PCase([firstName])`, attrs{"firstName": one("PABLO GONSALVES (SECOND)")}, one("Pablo Gonsalves (Second)")},
		{"MS PCase separators", `PCase([lastName]," '-")`, attrs{"lastName": one("PINTO-DE'SILVA")}, one("Pinto-De'Silva")},
		{"PCase apostrophe inside a word", `PCase("O'HARA d'arte")`, nil, one("O'hara D'arte")},
		{"PCase digits", `PCase("3RD FLOOR a1B")`, nil, one("3Rd Floor A1b")},
		{"PCase hyphen and underscore", `PCase("jean-luc_picard")`, nil, one("Jean-Luc_Picard")},
		{"MS PCase join", `PCase(Join(" ",[firstName],[lastName]))`, attrs{"firstName": one("GREGORY"), "lastName": one("JAMES")}, one("Gregory James")},
		// MS: Redact example 1.
		{"MS Redact", `Redact([userPrincipalName])`, attrs{"userPrincipalName": one("a@x")}, one("a@x")},
		// MS: RemoveDuplicates — RemoveDuplicates([proxyAddresses]).
		{"MS RemoveDuplicates", `RemoveDuplicates([proxyAddresses])`, attrs{"proxyAddresses": {"a", "b", "a", "A"}}, []string{"a", "b", "A"}},
	})
	e, _ := Parse(`Redact("StringToBeRedacted")`)
	if v, _ := e.Eval(nil); !v.Redacted() {
		t.Error("Redact: value not marked")
	}
	if e := evalErr(t, `Item([a], 0)`, attrs{"a": one("x")}, Options{}); e.Function != "Item" {
		t.Errorf("Item 0: %v", e)
	}
}

func TestGuid(t *testing.T) {
	e, _ := Parse(`Guid()`)
	v, err := e.EvalWith(nil, Options{Rand: bytes.NewReader(bytes.Repeat([]byte{0xab}, 16))})
	if err != nil || v.String() != "abababab-abab-4bab-abab-abababababab" {
		t.Fatalf("Guid() = %v, %v", v, err)
	}
	v, err = e.Eval(nil)
	if err != nil || !regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`).MatchString(v.String()) {
		t.Fatalf("Guid() = %v, %v", v, err)
	}
}

func TestRandomString(t *testing.T) {
	count := func(s, set string) int {
		n := 0
		for _, r := range s {
			if strings.ContainsRune(set, r) {
				n++
			}
		}
		return n
	}
	for _, tc := range []struct {
		expr                               string
		length, digits, special, up, lower int
		avoid                              string
	}{
		// MS: RandomString example 1 — RandomString(6,3,0,0,3).
		{`RandomString(6,3,0,0,3)`, 6, 3, 0, 0, 3, ""},
		// MS: RandomString example 2 — RandomString(10,2,2,2,1,"?,").
		{`RandomString(10,2,2,2,1,"?,")`, 10, 2, 2, 2, 1, "?,"},
	} {
		e, err := Parse(tc.expr)
		if err != nil {
			t.Fatal(err)
		}
		for range 50 {
			v, err := e.Eval(nil)
			if err != nil {
				t.Fatalf("%s: %v", tc.expr, err)
			}
			s := v.String()
			if len(s) != tc.length || count(s, randDigits) < tc.digits || count(s, randSpecial) < tc.special ||
				count(s, randUpper) < tc.up || count(s, randLower) < tc.lower || (tc.avoid != "" && strings.ContainsAny(s, tc.avoid)) {
				t.Fatalf("%s = %q breaks its conditions", tc.expr, s)
			}
		}
	}
	for _, bad := range []string{`RandomString(300,0,0,0,0)`, `RandomString(3,2,2,0,0)`, `RandomString(2,2,0,0,0,"0123456789")`,
		`RandomString(10,9223372036854775807,9223372036854775807,2,2)`} {
		evalErr(t, bad, nil, Options{})
	}
}
