package expression

import (
	"testing"
)

// seeds are the expressions of Microsoft's reference and of the tests.
var seeds = []string{
	`Append([userPrincipalName], ".test")`,
	`CBool([attribute1] = [attribute2])`,
	`Coalesce([mail],[userPrincipalName])`,
	`IIF([country]="USA",[country],[department])`,
	`IIF([country]="USA",IIF([state]="CA","True","False"),"False")`,
	`IIF([country]="USA","True",IIF([state]="CA","True","False"))`,
	`Switch([country],[country],"","Other")`,
	`IsNullOrEmpty([displayName])`,
	`Switch(IsPresent([directManager]),[directManager], IsPresent([skiplevelManager]),[skiplevelManager], IsPresent([director]),[director])`,
	`Join(", ", "", [surname], [givenName])`,
	`Left("John Doe", 3)`,
	`Append(Mid([givenName], 1, 3), Mid([surname], 1, 5))`,
	`NormalizeDiacritics([givenName])`,
	`Not([a])`,
	`Replace([BusinessTitle],"Product Developer", , , "Software Engineer", , )`,
	`Replace([UserID],"<username>", , , , , "<username>@contoso.com")`,
	`Replace([telephoneNumber], , "\\+(?<isdCode>\\d* )(?<phoneNumber>\\d{10})", , "${phoneNumber}", , )`,
	`Replace([mobile], , "[()\\s-]+", , "", , )`,
	`Replace([AddressLineData], ,"(?<streetNumber>^\\d*)","streetNumber", "888", , )`,
	`Replace([userPrincipalName], , "(?<Suffix>@(.)*)", "Suffix", "", , )`,
	`Replace([telephoneNumber], , "\\+(?<isdCode>\\d* )(?<phoneNumber>\\d{10})", "phoneNumber" , , [mobile], )`,
	`Replace([mailNickname], , "[a-zA-Z_]*", , "", , )`,
	`Replace([mail], "@contoso.com", , ,"", ,)`,
	"SelectUniqueValue( \n Join(\"@\", NormalizeDiacritics(StripSpaces(Join(\".\",  [PreferredFirstName], [PreferredLastName]))), \"contoso.com\"), \n Join(\"@\", NormalizeDiacritics(StripSpaces(Join(\".\",  Mid([PreferredFirstName], 1, 1), [PreferredLastName]))), \"contoso.com\")\n)",
	`SingleAppRoleAssignment([appRoleAssignments])`,
	`Split([extensionAttribute5], ",")`,
	`StripSpaces([a])`,
	`Switch([state], "Australia/Sydney", "NSW", "Australia/Sydney","QLD", "Australia/Brisbane", "SA", "Australia/Adelaide")`,
	`Switch(ToLower([statusFlag]), "0", "true", "1", "false", "0")`,
	`Switch([IsSoftDeleted], , "False", "True", "True", "False")`,
	`ToLower(Join("@", NormalizeDiacritics(StripSpaces(Join(".",  [PreferredFirstName], [PreferredLastName]))), "contoso.com"))`,
	`ToUpper([a], "tr-TR")`,
	`Word("The quick brown fox",3," ")`,
	`Word("This,string!has&many separators",3,",!&#")`,
	`"Company name: \"Contoso\""`,
	`Join(&HF, -10, True)`,
	`Append(Joinn(" ", [a]), "x")`,
	`Append([a, "x")`,
	`Append([a], "x"))`,
}

func FuzzParse(f *testing.F) {
	for _, s := range seeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		e, err := Parse(src)
		if err != nil {
			if _, ok := err.(*SyntaxError); !ok {
				t.Fatalf("Parse(%q) error %T, want *SyntaxError", src, err)
			}
			return
		}
		canon := e.String()
		again, err := Parse(canon)
		if err != nil {
			t.Fatalf("Parse(%q).String() = %q does not parse: %v", src, canon, err)
		}
		if again.String() != canon {
			t.Fatalf("String() not stable: %q → %q → %q", src, canon, again.String())
		}
	})
}

// fuzzInput answers every attribute with the same values, so every
// reference of a fuzzed expression has data.
type fuzzInput []string

func (f fuzzInput) Attribute(string) ([]string, bool) { return f, len(f) > 0 }

func FuzzEval(f *testing.F) {
	for _, s := range seeds {
		f.Add(s, "John Doe", "")
		f.Add(s, "", "x,y")
	}
	f.Fuzz(func(t *testing.T, src, v1, v2 string) {
		e, err := Parse(src)
		if err != nil {
			return
		}
		var in fuzzInput
		for _, v := range []string{v1, v2} {
			if v != "" {
				in = append(in, v)
			}
		}
		_, err = e.Eval(in)
		if err != nil {
			if _, ok := err.(*EvalError); !ok {
				t.Fatalf("Eval(%q) error %T, want *EvalError", src, err)
			}
		}
	})
}
