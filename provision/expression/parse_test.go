package expression

import (
	"reflect"
	"strings"
	"testing"
)

func TestParseCanonical(t *testing.T) {
	cases := []struct{ src, want string }{
		{`Append([userPrincipalName], ".test")`, `Append([userPrincipalName], ".test")`},
		{`Coalesce([mail],[userPrincipalName])`, `Coalesce([mail], [userPrincipalName])`},
		{`Switch([IsSoftDeleted], , "False", "True", "True", "False")`, `Switch([IsSoftDeleted], , "False", "True", "True", "False")`},
		{`IIF([country]="USA",[country],[department])`, `IIF([country] = "USA", [country], [department])`},
		{`Replace([mail], "@contoso.com", , ,"", ,)`, `Replace([mail], "@contoso.com", , , "", , )`},
		{`"Company name: \"Contoso\""`, `"Company name: \"Contoso\""`},
		{`"a\\b"`, `"a\\b"`},
		{`"\d"`, `"\\d"`}, // a lone backslash is literal and canonically escaped
		{`Join(&hf, &HF7)`, `Join(&HF, &HF7)`},
		{`Left("John Doe", 3)`, `Left("John Doe", 3)`},
		{`Mid([x], 1, -0)`, `Mid([x], 1, 0)`},
		{"SelectUniqueValue(\n  Join(\"@\", [a], \"contoso.com\"),\n  [b]\n)", `SelectUniqueValue(Join("@", [a], "contoso.com"), [b])`},
		{`[extensionAttribute1]`, `[extensionAttribute1]`},
		{`CBool(True)`, `CBool(True)`},
		{`IIF([a] <> [b], True, False)`, `IIF([a] <> [b], True, False)`},
	}
	for _, tc := range cases {
		e, err := Parse(tc.src)
		if err != nil {
			t.Errorf("Parse(%s): %v", tc.src, err)
			continue
		}
		if got := e.String(); got != tc.want {
			t.Errorf("Parse(%s).String() = %s, want %s", tc.src, got, tc.want)
		}
		again, err := Parse(e.String())
		if err != nil || again.String() != e.String() {
			t.Errorf("re-parse of %s: %v, %v", e.String(), again, err)
		}
	}
}

func TestAttributes(t *testing.T) {
	e, err := Parse(`Join(" ", [surname], [givenName], Coalesce([mail], [surname]), IIF([a.b] = "x", "y", [givenName]))`)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"a.b", "givenName", "mail", "surname"}
	if got := e.Attributes(); !reflect.DeepEqual(got, want) {
		t.Fatalf("Attributes() = %q, want %q", got, want)
	}
}

func TestParseErrors(t *testing.T) {
	deep := strings.Repeat("ToLower(", MaxDepth+1) + "[x]" + strings.Repeat(")", MaxDepth+1)
	cases := []struct {
		name, src  string
		line, col  int
		msg        string // substring of Error()
		function   string
		suggestion string
	}{
		{"unknown function", `Append(Joinn(" ", [a]), "x")`, 1, 8, `unknown function "Joinn" (did you mean "Join"?)`, "Joinn", "Join"},
		{"case-sensitive names", `join(" ", [a])`, 1, 1, `unknown function "join" (did you mean "Join"?)`, "join", "Join"},
		{"no suggestion", `Frobnicate([a])`, 1, 1, `unknown function "Frobnicate"`, "Frobnicate", ""},
		{"arity exact", `Left("John Doe")`, 1, 1, "Left takes 2 arguments: Left(String, NumChars); got 1", "Left", ""},
		{"arity range", `ToLower([a], "en-US", "x")`, 1, 1, "ToLower takes 1 or 2 arguments", "ToLower", ""},
		{"arity minimum", `Join(" ")`, 1, 1, "Join takes at least 2 arguments: Join(separator, source1, source2, …); got 1", "Join", ""},
		{"arity switch pairs", `Switch([a], "d", "k1", "v1", "k2")`, 1, 1, "an even number of arguments; got 5", "Switch", ""},
		{"arity replace", `Replace([a], "x", , , "y", , , )`, 1, 1, "Replace takes 2 to 7 arguments", "Replace", ""},
		{"unterminated string", `Append([a], "x)`, 1, 13, "unterminated string", "", ""},
		{"unterminated attribute", `Append([a, "x")`, 1, 8, "unterminated attribute name", "", ""},
		{"unterminated attribute at end", `Append("x", [abc`, 1, 13, `unterminated attribute name`, "", ""},
		{"unclosed paren", `Append([a], "x"`, 1, 7, `unbalanced "(": Append( is never closed`, "Append", ""},
		{"extra paren", `Append([a], "x"))`, 1, 17, `unbalanced ")"`, "", ""},
		{"stray bracket", `Append([a]], "x")`, 1, 11, `expected "," or ")"`, "Append", ""},
		{"empty", "  \n ", 1, 1, "empty expression", "", ""},
		{"empty attribute", `ToLower([])`, 1, 9, "empty attribute name", "", ""},
		{"bare word", `ToLower(mail)`, 1, 9, `unknown name "mail": attributes go in square brackets ([mail])`, "", ""},
		{"boolean typo", `CBool(Ture)`, 1, 7, `unknown name "Ture" (did you mean "True"?)`, "", "True"},
		{"function without parens", `Join(" ", ToLower)`, 1, 11, "needs parentheses", "ToLower", ""},
		{"single quotes", `Append([a], 'x')`, 1, 13, "double quotes", "", ""},
		{"two comparisons", `IIF([a] = [b] = [c], "x", "y")`, 1, 15, "only one comparison", "", ""},
		{"second line", "Join(\" \",\n  [a], Joim([b]))", 2, 8, `unknown function "Joim"`, "Joim", "Join"},
		{"nested SelectUniqueValue", `ToLower(SelectUniqueValue([a], [b]))`, 1, 9, "can't be nested", "SelectUniqueValue", ""},
		{"replace without replacement", `Replace([a], "x", , , , , )`, 1, 1, "Replace has no replacement", "Replace", ""},
		{"replace both forms", `Replace([a], "x", "y", , "z", , )`, 1, 1, "not both", "Replace", ""},
		{"bad regex", `Replace([a], , "(?<x>", , "", , )`, 1, 1, "does not compile", "Replace", ""},
		{"unknown regex group", `Replace([a], , "(?<x>a)", "y", "", , )`, 1, 1, `regexGroupName "y" is not a group`, "Replace", ""},
		{"trailing garbage", `[a] [b]`, 1, 5, "after the end of the expression", "", ""},
		{"decimal number", `Left([a], 1.5)`, 1, 11, "whole numbers", "", ""},
		{"too deep", deep, 1, 1 + 8*MaxDepth, "nested more than 64 deep", "ToLower", ""},
		{"too long", `"` + strings.Repeat("a", MaxLength) + `"`, 1, 1, "over the 16384-byte limit", "", ""},
		{"comparison without right side", `IIF([a] =, "x", "y")`, 1, 9, `comparison "=" needs a value`, "", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse(tc.src)
			se, ok := err.(*SyntaxError)
			if !ok {
				t.Fatalf("Parse(%s) error = %v (%T), want *SyntaxError", tc.src, err, err)
			}
			if !strings.Contains(se.Error(), tc.msg) {
				t.Errorf("Error() = %q, want it to contain %q", se.Error(), tc.msg)
			}
			if se.Line != tc.line || se.Col != tc.col {
				t.Errorf("position = line %d col %d, want line %d col %d (%s)", se.Line, se.Col, tc.line, tc.col, se.Error())
			}
			if se.Function != tc.function || se.Suggestion != tc.suggestion {
				t.Errorf("Function, Suggestion = %q, %q, want %q, %q", se.Function, se.Suggestion, tc.function, tc.suggestion)
			}
		})
	}
}

func TestSyntaxErrorFormat(t *testing.T) {
	_, err := Parse(`Append(Joinn(" ", [a]), "x")`)
	want := `expression: line 1 col 8: unknown function "Joinn" (did you mean "Join"?)`
	if err == nil || err.Error() != want {
		t.Fatalf("error = %v, want %s", err, want)
	}
}
