package expression

import (
	"fmt"
	"sync"
	"testing"
)

const benchExpr = `ToLower(Join("@", NormalizeDiacritics(StripSpaces(Join(".",  [PreferredFirstName], [PreferredLastName]))), "contoso.com"))`

var benchIn = attrs{"PreferredFirstName": one("Zoë"), "PreferredLastName": one("Van Dyke"), "telephoneNumber": one("+91 9998887777")}

func BenchmarkParse(b *testing.B) {
	for b.Loop() {
		if _, err := Parse(benchExpr); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkEval(b *testing.B) {
	e, err := Parse(benchExpr)
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := e.Eval(benchIn); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkEvalRegexReplace(b *testing.B) {
	e, err := Parse(`Replace([telephoneNumber], , "\\+(?<isdCode>\\d* )(?<phoneNumber>\\d{10})", , "${phoneNumber}", , )`)
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := e.Eval(benchIn); err != nil {
			b.Fatal(err)
		}
	}
}

// TestConcurrentEval evaluates one Expression from many goroutines (run
// with -race): a parsed expression, with its compiled regex, is shared by
// every user of a provisioning cycle.
func TestConcurrentEval(t *testing.T) {
	e, err := Parse(`Join(" ", Replace([telephoneNumber], , "\\+(?<isdCode>\\d* )(?<phoneNumber>\\d{10})", , "${phoneNumber}", , ), ToUpper([PreferredLastName]))`)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make(chan string, 8)
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 200 {
				v, err := e.Eval(benchIn)
				if err != nil || v.String() != "9998887777 VAN DYKE" {
					errs <- fmt.Sprint(v.String(), err)
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for s := range errs {
		t.Fatalf("concurrent Eval = %q", s)
	}
}

func TestCallsAndFunction(t *testing.T) {
	e, _ := Parse(benchExpr)
	got := e.Calls()
	want := []string{"Join", "NormalizeDiacritics", "StripSpaces", "ToLower"}
	if len(got) != len(want) {
		t.Fatalf("Calls() = %q, want %q", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("Calls() = %q, want %q", got, want)
		}
	}
	if e.Function() != "ToLower" {
		t.Errorf("Function() = %q", e.Function())
	}
	a, _ := Parse(`[mail]`)
	if a.Function() != "" || len(a.Calls()) != 0 {
		t.Errorf("attribute: Function %q Calls %q", a.Function(), a.Calls())
	}
}

// TestFunctionList checks the function set is exactly Microsoft's: the
// function reference's list and AssertiveAppRoleAssignmentsComplex from
// "Customize user provisioning attribute-mappings".
func TestFunctionList(t *testing.T) {
	microsoft := []string{"Append", "AppRoleAssignmentsComplex", "AssertiveAppRoleAssignmentsComplex", "BitAnd", "CBool", "CDate", "Coalesce", "ConvertToBase64",
		"ConvertToUTF8Hex", "Count", "CStr", "DateAdd", "DateDiff", "DateFromNum", "FormatDateTime", "Guid",
		"IgnoreFlowIfNullOrEmpty", "IIF", "InStr", "IsNull", "IsNullOrEmpty", "IsPresent", "IsString", "Item", "Join",
		"Left", "Mid", "NormalizeDiacritics", "Not", "Now", "NumFromDate", "PCase", "RandomString", "Redact",
		"RemoveDuplicates", "Replace", "SelectUniqueValue", "SingleAppRoleAssignment", "Split", "StripSpaces",
		"Switch", "ToLower", "ToUpper", "Word"}
	got := map[string]bool{}
	for _, n := range Functions() {
		got[n] = true
	}
	for _, n := range microsoft {
		if !got[n] {
			t.Errorf("missing %s", n)
		}
		delete(got, n)
	}
	for n := range got {
		t.Errorf("%s is not in Microsoft's list", n)
	}
}
