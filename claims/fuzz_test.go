package claims

import (
	"strings"
	"testing"
)

// FuzzEvaluate feeds random user data and random transformation
// parameters through NewDirectory, Compile and Evaluate. Errors are fine;
// panics, and output values XML cannot carry, are not.
func FuzzEvaluate(f *testing.F) {
	f.Add("Finance_BSimon_US", "x@y", "Extract", "between", "Finance_", "_US", "", "", "", "", 0, 0, false, "ToLowercase", "")
	f.Add("swmal@fabrikam.com", "US", "RegexReplace", "", "", "", "", "", `(?'domain'^.*?)(?i)(\@fabrikam\.com)$`, "{country}.{domain}@xyz.com", 0, 0, false, "", "user.country")
	f.Add("PleaseExtractThisNow", "", "Substring", "fixed", "", "", "", "", "", "", 6, 11, false, "Trim", "")
	f.Add("a,b,,c", "z", "Contains", "", ",", "", "user.country", "else", "", "", 0, 0, true, "ExtractAlpha", "")
	f.Add("日本語\xff", "\r", "IfEmpty", "", "", "", "out", "", "", "", 0, 0, false, "Join", "")
	f.Add("123_abc", "q", "ExtractNumeric", "prefix", "", "", "", "", "", "", 0, 0, false, "StartWith", "")
	f.Fuzz(func(t *testing.T, attr, country, fn, mode, value, value2, output, els, regex, repl string, start, length int, multi bool, fn2, extra string) {
		var extras []string
		if extra != "" {
			extras = []string{extra}
		}
		d, err := NewDirectory(Tenant{ID: "t", VerifiedDomains: []string{"contoso.com"}},
			[]User{{ID: "u", Type: UserType(mode), Groups: []string{"g"}, DirectoryRoles: []string{value2},
				AppRoles:   map[string][]string{"app": {attr, country}},
				Attributes: map[string]Values{"department": {attr, country}, "country": {country}, "mail": {attr}, "free": {value, attr}}}},
			[]Group{{ID: "g", DisplayName: attr, SAMAccountName: country}})
		if err != nil {
			d, err = NewDirectory(Tenant{ID: "t"}, []User{{ID: "u", Groups: []string{"g"}}}, []Group{{ID: "g"}})
			if err != nil {
				t.Fatal(err)
			}
		}
		t1 := Transformation{Function: fn, Mode: mode, Input: "user.department", Value: value, Value2: value2,
			Output: output, Else: els, Regex: regex, Replacement: repl, AdditionalInputs: extras,
			StartIndex: start, Length: length, MultiValued: multi}
		ts := []Transformation{t1}
		if fn2 != "" {
			ts = append(ts, Transformation{Function: fn2, Mode: mode, Value: value, Input2: value2, Output: output})
		}
		p := Policy{
			NameID: NameIDRule{Format: mode, Source: "user.mail", Transformations: []Transformation{{Function: fn2, Input: "user.mail", Input2: value}}},
			Claims: []Rule{
				{Name: "t", Transformations: ts, MultiValued: multi, Conditions: []Condition{{UserType: mode, Groups: []string{"g"}, Transformations: []Transformation{t1}}}},
				{Name: "free", Source: "user.free"},
				{Name: "c", Value: value},
			},
			GroupClaim:             &GroupClaim{Which: "all", Regex: regex, Replacement: repl, CloudDisplayName: multi},
			DefaultClaims:          multi,
			RoleClaim:              true,
			MatchIgnoreCase:        multi,
			ExtractFirstOccurrence: !multi,
		}
		for _, pol := range []Policy{p, {Claims: p.Claims[:1]}} {
			e, err := Compile(App{Name: "app"}, pol, CompileOptions{Extensions: []string{"free"}})
			if err != nil {
				continue
			}
			for _, req := range []string{"", NameIDPersistent, NameIDTransient, value} {
				res, err := e.Evaluate(d, mustUser(t, d, "u"), EvalOptions{Explain: multi, RequestedNameIDFormat: req, IDSource: RandomIDs{}})
				if err != nil {
					continue
				}
				for _, a := range res.Attributes {
					for _, v := range a.Values {
						if checkXMLText(v) != nil || v == "" {
							t.Fatalf("%s: bad value %q", a.Name, v)
						}
					}
				}
				if res.NameID.Value == "" || strings.ContainsRune(res.NameID.Value, '\r') {
					t.Fatalf("bad NameID %q", res.NameID.Value)
				}
			}
		}
	})
}

// FuzzRegexShape feeds arbitrary patterns to the backtracking-shape scan:
// it must not panic or loop, and what it reports is part of the pattern.
func FuzzRegexShape(f *testing.F) {
	for _, s := range []string{`^(a+)+$`, `(\w+\s?)*`, `([a-z]+\.)+com`, `[(a+)+]`, `\(a+\)+`, `(?<n>x*)*`, `(?#c)(?i)(?=a+)+`, `\p{L}+`, `[a-z-[aeiou]]+`, `(`, `\`, `(?'q`, `{,}`, `a{1,`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, pattern string) {
		if len(pattern) > MaxRegexLength {
			return
		}
		if g := backtrackingShape(pattern); g != "" && !strings.Contains(pattern, g) {
			t.Fatalf("backtrackingShape(%q) = %q, not part of the pattern", pattern, g)
		}
	})
}
