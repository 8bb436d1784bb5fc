package expression

import (
	"errors"
	"strings"
	"testing"
)

// Test vectors marked "MS:" are the examples of Microsoft's "Reference for
// writing expressions for attribute mappings in Microsoft Entra ID"
// (entra-docs docs/identity/app-provisioning/functions-for-customizing-application-data.md),
// named by the heading they appear under.

func TestAppend(t *testing.T) {
	runEval(t, []evalTest{
		// MS: Append — "Append constant suffix to user name".
		{"MS append suffix", `Append([userPrincipalName], ".test")`, attrs{"userPrincipalName": one("John.Doe@contoso.com")}, one("John.Doe@contoso.com.test")},
		// MS: Examples — "Generate user alias by concatenating parts of first and last name".
		{"MS user alias", `Append(Mid([givenName], 1, 3), Mid([surname], 1, 5))`, attrs{"givenName": one("John"), "surname": one("Doe")}, one("JohDoe")},
		{"null source stays null", `Append([userPrincipalName], ".test")`, attrs{}, nil},
		{"null suffix appends nothing", `Append([a], [b])`, attrs{"a": one("x")}, one("x")},
		{"multi-valued source", `Append([a], "!")`, attrs{"a": {"x", "y"}}, []string{"x!", "y!"}},
	})
}

func TestCBool(t *testing.T) {
	runEval(t, []evalTest{
		// MS: CBool — CBool([attribute1] = [attribute2]) "Returns True if both attributes have the same value."
		{"MS equal attributes", `CBool([attribute1] = [attribute2])`, attrs{"attribute1": one("x"), "attribute2": one("x")}, one("True")},
		{"MS different attributes", `CBool([attribute1] = [attribute2])`, attrs{"attribute1": one("x"), "attribute2": one("y")}, one("False")},
		{"non-zero number", `CBool(5)`, nil, one("True")},
		{"zero", `CBool("0")`, nil, one("False")},
		{"null", `CBool([missing])`, attrs{}, one("False")},
		{"true string", `CBool("true")`, nil, one("True")},
	})
	if e := evalErr(t, `CBool("banana")`, nil, Options{}); e.Function != "CBool" {
		t.Errorf("Function = %q", e.Function)
	}
}

func TestCoalesce(t *testing.T) {
	runEval(t, []evalTest{
		// MS: Coalesce — "Flow mail value if not NULL, otherwise flow userPrincipalName".
		{"MS mail else UPN", `Coalesce([mail],[userPrincipalName])`, attrs{"userPrincipalName": one("John.Doe@contoso.com")}, one("John.Doe@contoso.com")},
		{"first non-null wins", `Coalesce([mail],[userPrincipalName])`, attrs{"mail": one("m@x"), "userPrincipalName": one("u@x")}, one("m@x")},
		{"empty string is not null", `Coalesce([mail],"default")`, attrs{"mail": one("")}, one("")},
		{"default value", `Coalesce([a], [b], "none")`, attrs{}, one("none")},
		{"all null", `Coalesce([a], [b])`, attrs{}, nil},
	})
}

func TestIIF(t *testing.T) {
	usa := attrs{"country": one("USA"), "department": one("Sales"), "state": one("WA")}
	fr := attrs{"country": one("FR"), "department": one("Sales"), "state": one("CA")}
	runEval(t, []evalTest{
		// MS: IIF — IIF([country]="USA",[country],[department]).
		{"MS country USA", `IIF([country]="USA",[country],[department])`, usa, one("USA")},
		{"MS country other", `IIF([country]="USA",[country],[department])`, fr, one("Sales")},
		// MS: IIF known limitations — AND through nested IIF on the true path.
		{"MS AND", `IIF([country]="USA",IIF([state]="CA","True","False"),"False")`, usa, one("False")},
		// MS: IIF known limitations — OR through nested IIF on the false path.
		{"MS OR", `IIF([country]="USA","True",IIF([state]="CA","True","False"))`, fr, one("True")},
		// MS: IIF known limitations — recommended workaround Switch([country],[country],"","Other").
		{"MS workaround empty", `Switch([country],[country],"","Other")`, attrs{"country": one("")}, one("Other")},
		{"MS workaround null", `Switch([country],[country],"","Other")`, attrs{}, one("Other")},
		{"MS workaround present", `Switch([country],[country],"","Other")`, usa, one("USA")},
		{"numeric comparison", `IIF([n] > 5, "big", "small")`, attrs{"n": one("10")}, one("big")},
		{"string comparison", `IIF([n] > "5", "big", "small")`, attrs{"n": one("10a")}, one("small")},
		{"not equal", `IIF([a] <> "x", "yes", "no")`, attrs{"a": one("y")}, one("yes")},
		{"only the chosen branch runs", `IIF([a] = "x", "ok", Mid([a], 0, 1))`, attrs{"a": one("x")}, one("ok")},
	})
	// MS: IIF known limitations — "If the source attribute used within the
	// IIF function is empty or null, the condition check fails", for each of
	// the three unsupported examples.
	for _, expr := range []string{
		`IIF([country]="","Other",[country])`,
		`IIF(IsNullOrEmpty([country]),"Other",[country])`,
		`IIF(IsPresent([country]),[country],"Other")`,
	} {
		e := evalErr(t, expr, attrs{}, Options{})
		if e.Function != "IIF" || !strings.Contains(e.Msg, "Switch([country], [country], \"\", \"Other\")") {
			t.Errorf("%s: error %v, want IIF error suggesting Switch", expr, e)
		}
	}
	e, _ := Parse(`IIF(IsPresent([country]),[country],"Other")`)
	v, err := e.EvalWith(attrs{}, Options{LenientIIF: true})
	if err != nil || v.String() != "Other" {
		t.Errorf("LenientIIF: %v, %v, want Other", v, err)
	}
	if e := evalErr(t, `IIF("maybe", "a", "b")`, nil, Options{}); !strings.Contains(e.Error(), "not True or False") {
		t.Errorf("non-boolean condition: %v", e)
	}
}

func TestIsNullOrEmptyIsPresent(t *testing.T) {
	runEval(t, []evalTest{
		// MS: IsNullOrEmpty — IsNullOrEmpty([displayName]) "Returns True if the attribute isn't present or is an empty string."
		{"MS absent", `IsNullOrEmpty([displayName])`, attrs{}, one("True")},
		{"MS empty", `IsNullOrEmpty([displayName])`, attrs{"displayName": one("")}, one("True")},
		{"MS present", `IsNullOrEmpty([displayName])`, attrs{"displayName": one("Bob")}, one("False")},
		{"IsPresent absent", `IsPresent([displayName])`, attrs{}, one("False")},
		{"IsPresent empty", `IsPresent([displayName])`, attrs{"displayName": one("")}, one("False")},
		{"IsPresent present", `IsPresent([displayName])`, attrs{"displayName": one("Bob")}, one("True")},
		// MS: IsNull — IsNull([displayName]) "Returns True if the attribute isn't present."
		{"MS IsNull absent", `IsNull([displayName])`, attrs{}, one("True")},
		{"IsNull empty is not null", `IsNull([displayName])`, attrs{"displayName": one("")}, one("False")},
		// MS: IsPresent — the Switch example, evaluated literally: its source
		// IsPresent([directManager]) is compared with the keys.
		{"MS IsPresent switch", `Switch(IsPresent([directManager]),[directManager], IsPresent([skiplevelManager]),[skiplevelManager], IsPresent([director]),[director])`,
			attrs{"directManager": one("dm"), "skiplevelManager": one("slm")}, one("slm")},
		{"IsString", `IsString([a])`, attrs{"a": one("")}, one("True")},
	})
}

func TestJoin(t *testing.T) {
	runEval(t, []evalTest{
		// MS: Examples — "Add a comma between last name and first name".
		{"MS last, first", `Join(", ", "", [surname], [givenName])`, attrs{"givenName": one("John"), "surname": one("Doe")}, one("Doe, John")},
		// entra-provisioning.md §2: name.formatted default mapping.
		{"formatted name", `Join(" ", [givenName], [surname])`, attrs{"givenName": one("John"), "surname": one("Doe")}, one("John Doe")},
		{"null skipped", `Join(" ", [givenName], [surname])`, attrs{"surname": one("Doe")}, one("Doe")},
		{"all null", `Join(" ", [givenName], [surname])`, attrs{}, nil},
		{"multi-valued source", `Join(";", [proxyAddresses], "x")`, attrs{"proxyAddresses": {"a", "b"}}, one("a;b;x")},
		{"number literal", `Join("", 1000, "x")`, nil, one("1000x")},
	})
}

func TestLeftMid(t *testing.T) {
	runEval(t, []evalTest{
		// MS: Left — Left("John Doe", 3) returns "Joh".
		{"MS Left", `Left("John Doe", 3)`, nil, one("Joh")},
		{"NumChars 0", `Left("John Doe", 0)`, nil, one("")},
		{"NumChars negative", `Left("John Doe", -1)`, nil, one("John Doe")},
		{"null string", `Left([missing], 3)`, attrs{}, one("")},
		{"short string", `Left("Jo", 3)`, nil, one("Jo")},
		{"runes", `Left("Zoë Z", 3)`, nil, one("Zoë")},
		{"NumChars from attribute", `Left("John", [n])`, attrs{"n": one("2")}, one("Jo")},
		{"Mid", `Mid("John Doe", 6, 3)`, nil, one("Doe")},
		{"Mid past end", `Mid("John", 3, 10)`, nil, one("hn")},
		{"Mid start past end", `Mid("John", 9, 1)`, nil, one("")},
		{"Mid null", `Mid([x], 1, 1)`, attrs{}, nil},
	})
	if e := evalErr(t, `Mid("John", 0, 1)`, nil, Options{}); e.Function != "Mid" {
		t.Errorf("Mid start 0: %v", e)
	}
	if e := evalErr(t, `Left("John", "three")`, nil, Options{}); !strings.Contains(e.Msg, "argument 2 (NumChars)") {
		t.Errorf("Left bad NumChars: %v", e)
	}
}

func TestNormalizeDiacritics(t *testing.T) {
	runEval(t, []evalTest{
		// MS: NormalizeDiacritics — "Remove diacritics from a string".
		{"MS Zoë", `NormalizeDiacritics([givenName])`, attrs{"givenName": one("Zoë")}, one("Zoe")},
		{"table letters", `NormalizeDiacritics("Æsir Øre Straße Łódź Ğ İ ı")`, nil, one("AEsir OEre Strasse Lodz G I i")},
		{"combining marks", "NormalizeDiacritics(\"Zoe\u0308 a\u0331\")", nil, one("Zoe a")},
		{"precomposed plus combining", "NormalizeDiacritics(\"\u0101\u0301\")", nil, one("a")},
		{"outside the table kept", `NormalizeDiacritics("Ђ中")`, nil, one("Ђ中")},
		{"null", `NormalizeDiacritics([x])`, attrs{}, nil},
	})
}

func TestNot(t *testing.T) {
	runEval(t, []evalTest{
		// MS: Not — "If source value is True, returns False. Otherwise, returns True."
		{"True", `Not("True")`, nil, one("False")},
		{"False", `Not("False")`, nil, one("True")},
		{"boolean literal", `Not(True)`, nil, one("False")},
		{"other", `Not("banana")`, nil, one("True")},
		{"null", `Not([x])`, attrs{}, one("True")},
		{"IsPresent", `Not(IsPresent([x]))`, attrs{}, one("True")},
	})
}

func TestReplace(t *testing.T) {
	runEval(t, []evalTest{
		// MS: Replace Example 1 — oldValue and replacementValue.
		{"MS example 1", `Replace([BusinessTitle],"Product Developer", , , "Software Engineer", , )`, attrs{"BusinessTitle": one("Product Developer")}, one("Software Engineer")},
		// MS: Replace Example 2 — oldValue and template.
		{"MS example 2", `Replace([UserID],"<username>", , , , , "<username>@contoso.com")`, attrs{"UserID": one("jsmith")}, one("jsmith@contoso.com")},
		// MS: Replace Example 3 — regexPattern and replacementValue with a group name.
		{"MS example 3 phone", `Replace([telephoneNumber], , "\\+(?<isdCode>\\d* )(?<phoneNumber>\\d{10})", , "${phoneNumber}", , )`, attrs{"telephoneNumber": one("+91 9998887777")}, one("9998887777")},
		// MS: Replace Example 3 — remove parentheses, dashes and spaces. The
		// reference prints 19998887777, but its pattern does not match "+",
		// so .NET (and samlab) keep it.
		{"MS example 3 mobile", `Replace([mobile], , "[()\\s-]+", , "", , )`, attrs{"mobile": one("+1 (999) 888-7777")}, one("+19998887777")},
		// MS: Replace Example 4 — regexPattern, regexGroupName, replacementValue.
		{"MS example 4 street", `Replace([AddressLineData], ,"(?<streetNumber>^\\d*)","streetNumber", "888", , )`, attrs{"AddressLineData": one("545 Tremont Street")}, one("888 Tremont Street")},
		{"MS example 4 UPN suffix", `Replace([userPrincipalName], , "(?<Suffix>@(.)*)", "Suffix", "", , )`, attrs{"userPrincipalName": one("jsmith@contoso.com")}, one("jsmith")},
		// MS: Replace Example 5 — replacementAttributeName when source is empty.
		{"MS example 5", `Replace([telephoneNumber], , "\\+(?<isdCode>\\d* )(?<phoneNumber>\\d{10})", "phoneNumber" , , [mobile], )`, attrs{"telephoneNumber": one(""), "mobile": one("+91 8887779999")}, one("8887779999")},
		{"example 5 source has a value", `Replace([telephoneNumber], , "\\+(?<isdCode>\\d* )(?<phoneNumber>\\d{10})", "phoneNumber" , , [mobile], )`, attrs{"telephoneNumber": one("+1 5550001111"), "mobile": one("+91 8887779999")}, one("+1 5550001111")},
		{"example 5 no match", `Replace([telephoneNumber], , "\\+(?<isdCode>\\d* )(?<phoneNumber>\\d{10})", "phoneNumber" , , [mobile], )`, attrs{"mobile": one("none")}, nil},
		// MS: Replace Example 6 — remove characters matching a regex.
		{"MS example 6", `Replace([mailNickname], , "[a-zA-Z_]*", , "", , )`, attrs{"mailNickname": one("john_doe72")}, one("72")},
		// MS: Examples — "Strip known domain name".
		{"MS strip domain", `Replace([mail], "@contoso.com", , ,"", ,)`, attrs{"mail": one("john.doe@contoso.com")}, one("john.doe")},
		{"case-sensitive", `Replace([mail], "@CONTOSO.com", , ,"", ,)`, attrs{"mail": one("john.doe@contoso.com")}, one("john.doe@contoso.com")},
		{"null source", `Replace([mail], "@contoso.com", , ,"", ,)`, attrs{}, nil},
		{"all occurrences", `Replace("a-b-c", "-", , , "+", , )`, nil, one("a+b+c")},
		{"short form", `Replace("a-b", "-", , , "+")`, nil, one("a+b")},
		{"regex from attribute", `Replace("a1b2", , [pat], , "#", , )`, attrs{"pat": one(`\d`)}, one("a#b#")},
	})
}

func TestReplaceRegexTimeout(t *testing.T) {
	// Catastrophic backtracking: the match timeout stops it.
	expr := `Replace([x], , "^(a+)+$", , "", , )`
	e := evalErr(t, expr, attrs{"x": one(strings.Repeat("a", 40) + "!")}, Options{})
	if e.Function != "Replace" || e.Err == nil {
		t.Fatalf("error %v, want a Replace timeout with a cause", e)
	}
}

type uniqueIn struct {
	attrs
	taken   map[string]bool
	checked []string
	err     error
}

func (u *uniqueIn) Unique(c string) (bool, error) {
	u.checked = append(u.checked, c)
	return !u.taken[c], u.err
}

func TestSelectUniqueValue(t *testing.T) {
	// MS: SelectUniqueValue — "Generate unique value for userPrincipalName (UPN) attribute".
	expr := `SelectUniqueValue( 
        Join("@", NormalizeDiacritics(StripSpaces(Join(".",  [PreferredFirstName], [PreferredLastName]))), "contoso.com"), 
        Join("@", NormalizeDiacritics(StripSpaces(Join(".",  Mid([PreferredFirstName], 1, 1), [PreferredLastName]))), "contoso.com"),
        Join("@", NormalizeDiacritics(StripSpaces(Join(".",  Mid([PreferredFirstName], 1, 2), [PreferredLastName]))), "contoso.com")
    )`
	e, err := Parse(expr)
	if err != nil {
		t.Fatal(err)
	}
	john := attrs{"PreferredFirstName": one("John"), "PreferredLastName": one("Smith")}
	for _, tc := range []struct {
		taken []string
		want  string
	}{
		{nil, "John.Smith@contoso.com"},
		{[]string{"John.Smith@contoso.com"}, "J.Smith@contoso.com"},
		{[]string{"John.Smith@contoso.com", "J.Smith@contoso.com"}, "Jo.Smith@contoso.com"},
	} {
		in := &uniqueIn{attrs: john, taken: map[string]bool{}}
		for _, s := range tc.taken {
			in.taken[s] = true
		}
		v, err := e.Eval(in)
		if err != nil || v.String() != tc.want {
			t.Errorf("taken %q: %v, %v, want %s", tc.taken, v, err, tc.want)
		}
		if len(in.checked) != len(tc.taken)+1 {
			t.Errorf("taken %q: checked %q", tc.taken, in.checked)
		}
	}
	all := &uniqueIn{attrs: john, taken: map[string]bool{"John.Smith@contoso.com": true, "J.Smith@contoso.com": true, "Jo.Smith@contoso.com": true}}
	if _, err := e.Eval(all); err == nil || !strings.Contains(err.Error(), "escrows") {
		t.Errorf("all taken: %v, want escrow error", err)
	}
	cause := errors.New("directory down")
	if _, err := e.Eval(&uniqueIn{attrs: john, err: cause}); !errors.Is(err, cause) {
		t.Errorf("uniqueness error: %v, want it wrapped", err)
	}
	// Without Uniqueness: the first non-null candidate.
	runEval(t, []evalTest{
		{"no Uniqueness", expr, john, one("John.Smith@contoso.com")},
		{"skips null candidates", `SelectUniqueValue([a], [b])`, attrs{"b": one("B")}, one("B")},
	})
}

func TestSingleAppRoleAssignment(t *testing.T) {
	runEval(t, []evalTest{
		{"one role", `SingleAppRoleAssignment([appRoleAssignments])`, attrs{"appRoleAssignments": one("Admin")}, one("Admin")},
		{"no role", `SingleAppRoleAssignment([appRoleAssignments])`, attrs{}, nil},
		{"same role twice", `SingleAppRoleAssignment([appRoleAssignments])`, attrs{"appRoleAssignments": {"Admin", "Admin"}}, one("Admin")},
		{"complex", `AppRoleAssignmentsComplex([appRoleAssignments])`, attrs{"appRoleAssignments": {"Admin", "Reader", "Admin"}}, []string{"Admin", "Reader"}},
	})
	// MS: "This function isn't supported in scenarios where users have multiple app role assignments."
	e := evalErr(t, `SingleAppRoleAssignment([appRoleAssignments])`, attrs{"appRoleAssignments": {"Admin", "Reader"}}, Options{})
	if !strings.Contains(e.Msg, "AppRoleAssignmentsComplex") || !strings.Contains(e.Msg, `"Reader"`) {
		t.Errorf("several roles: %v", e)
	}
}

func TestSplit(t *testing.T) {
	runEval(t, []evalTest{
		// MS: Split — "Split a string into a multi-valued array".
		{"MS permission sets", `Split([extensionAttribute5], ",")`, attrs{"extensionAttribute5": one("PermissionSetOne, PermissionSetTwo")}, []string{"PermissionSetOne", "PermissionSetTwo"}},
		{"null", `Split([x], ",")`, attrs{}, nil},
		{"no delimiter in source", `Split("abc", ",")`, nil, one("abc")},
		{"empty items dropped", `Split("a,,b,", ",")`, nil, []string{"a", "b"}},
	})
	if e := evalErr(t, `Split("abc", "")`, nil, Options{}); e.Function != "Split" {
		t.Errorf("empty delimiter: %v", e)
	}
}

func TestStripSpaces(t *testing.T) {
	runEval(t, []evalTest{
		{"spaces only", "StripSpaces(\" a b\tc \")", nil, one("ab\tc")},
		{"null", `StripSpaces([x])`, attrs{}, nil},
	})
}

func TestSwitch(t *testing.T) {
	tz := `Switch([state], "Australia/Sydney", "NSW", "Australia/Sydney","QLD", "Australia/Brisbane", "SA", "Australia/Adelaide")`
	active := `Switch([IsSoftDeleted], , "False", "True", "True", "False")`
	runEval(t, []evalTest{
		// MS: Switch — "Replace a value based on predefined set of options".
		{"MS QLD", tz, attrs{"state": one("QLD")}, one("Australia/Brisbane")},
		{"MS default", tz, attrs{"state": one("VIC")}, one("Australia/Sydney")},
		// MS: Switch note — case-insensitive comparison through ToLower.
		{"MS ToLower", `Switch(ToLower([statusFlag]), "0", "true", "1", "false", "0")`, attrs{"statusFlag": one("TRUE")}, one("1")},
		{"case-sensitive", `Switch([statusFlag], "0", "true", "1", "false", "0")`, attrs{"statusFlag": one("TRUE")}, one("0")},
		// MS: Switch caution — a literal empty key matches an empty source.
		{"MS empty key", `Switch([statusFlag], "Default Value", "true", "1", "", "0")`, attrs{"statusFlag": one("")}, one("0")},
		{"MS empty key null source", `Switch([statusFlag], "Default Value", "true", "1", "", "0")`, attrs{}, one("0")},
		// entra-provisioning.md §2: the active mapping.
		{"active not deleted", active, attrs{"IsSoftDeleted": one("False")}, one("True")},
		{"active deleted", active, attrs{"IsSoftDeleted": one("True")}, one("False")},
		{"active null default", active, attrs{}, nil},
		// MS: Switch caution — IIF replacement of a Switch.
		{"MS IIF instead", `IIF([companyName] = "Company A", "A", IIF([companyName] = "Company B", "B", "External"))`, attrs{"companyName": one("Company B")}, one("B")},
	})
}

func TestToLowerToUpper(t *testing.T) {
	runEval(t, []evalTest{
		// MS: ToLower — "Convert generated userPrincipalName (UPN) value to lower case".
		{"MS UPN", `ToLower(Join("@", NormalizeDiacritics(StripSpaces(Join(".",  [PreferredFirstName], [PreferredLastName]))), "contoso.com"))`, attrs{"PreferredFirstName": one("John"), "PreferredLastName": one("Smith")}, one("john.smith@contoso.com")},
		{"upper", `ToUpper("john")`, nil, one("JOHN")},
		{"upper culture", `ToUpper("john", "en-US")`, nil, one("JOHN")},
		{"turkish upper", `ToUpper("istanbul", "tr-TR")`, nil, one("İSTANBUL")},
		{"turkish lower", `ToLower("ISPARTA", "tr-TR")`, nil, one("ısparta")},
		{"invariant lower", `ToLower("ISPARTA")`, nil, one("isparta")},
		{"null", `ToLower([x])`, attrs{}, nil},
	})
}

func TestWord(t *testing.T) {
	runEval(t, []evalTest{
		// MS: Word — Word("The quick brown fox",3," ") returns "brown".
		{"MS brown", `Word("The quick brown fox",3," ")`, nil, one("brown")},
		// MS: Word — Word("This,string!has&many separators",3,",!&#") returns "has".
		{"MS has", `Word("This,string!has&many separators",3,",!&#")`, nil, one("has")},
		{"number below 1", `Word("a b", 0, " ")`, nil, one("")},
		{"null string", `Word([x], 1, " ")`, attrs{}, one("")},
		{"too few words", `Word("a b", 3, " ")`, nil, one("")},
		{"repeated delimiters", `Word("a  b", 2, " ")`, nil, one("b")},
	})
}

func TestValueBound(t *testing.T) {
	// Each Replace multiplies the length by 16; the bound stops the growth.
	expr := `[x]`
	for range 8 {
		expr = `Replace(` + expr + `, "a", , , "aaaaaaaaaaaaaaaa", , )`
	}
	e := evalErr(t, expr, attrs{"x": one("aaaa")}, Options{})
	if !strings.Contains(e.Msg, "byte limit") {
		t.Fatalf("error %v, want the size bound", e)
	}
}
