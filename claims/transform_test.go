package claims

import (
	"testing"
)

// TestTransformations runs each function through Compile and Evaluate on
// one user whose attributes the case sets.
func TestTransformations(t *testing.T) {
	type tc struct {
		name   string
		ts     []Transformation
		multi  bool
		attrs  map[string]Values
		policy Policy // options only
		want   []string
	}
	upn := func(v ...string) map[string]Values { return map[string]Values{"userprincipalname": v} }
	cases := []tc{
		{"mailprefix", []Transformation{{Function: "ExtractMailPrefix", Input: "user.userprincipalname"}}, false, upn("joe_smith@contoso.com"), Policy{}, []string{"joe_smith"}},
		{"mailprefix no @", []Transformation{{Function: "ExtractMailPrefix", Input: "user.userprincipalname"}}, false, upn("joe"), Policy{}, []string{"joe"}},
		{"mailprefix two @", []Transformation{{Function: "ExtractMailPrefix", Input: "user.userprincipalname"}}, false, upn("a@b@c"), Policy{}, []string{"a"}},
		{"mailprefix empty", []Transformation{{Function: "ExtractMailPrefix", Input: "user.userprincipalname"}}, false, upn(""), Policy{}, nil},
		{"mailprefix absent", []Transformation{{Function: "ExtractMailPrefix", Input: "user.mail"}}, false, nil, Policy{}, nil},
		{"mailprefix leading @", []Transformation{{Function: "ExtractMailPrefix", Input: "user.userprincipalname"}}, false, upn("@x"), Policy{}, nil},
		{"mailprefix non-ascii", []Transformation{{Function: "ExtractMailPrefix", Input: "user.userprincipalname"}}, false, upn("jürgen@例え.jp"), Policy{}, []string{"jürgen"}},
		{"mailprefix multi", []Transformation{{Function: "ExtractMailPrefix", Input: "user.othermail", MultiValued: true}}, false, map[string]Values{"othermail": {"a@x", "", "b@y"}}, Policy{}, []string{"a", "b"}},
		{"mailprefix first value only", []Transformation{{Function: "ExtractMailPrefix", Input: "user.othermail"}}, false, map[string]Values{"othermail": {"a@x", "b@y"}}, Policy{}, []string{"a"}},
		{"mailprefix rule multi", []Transformation{{Function: "ExtractMailPrefix", Input: "user.othermail"}}, true, map[string]Values{"othermail": {"a@x", "b@y"}}, Policy{}, []string{"a", "b"}},

		{"join", []Transformation{{Function: "Join", Input: "user.mail", Separator: ".", Input2: "sandbox"}}, false, map[string]Values{"mail": {"foo@bar.com"}}, Policy{}, []string{"foo@bar.com.sandbox"}},
		{"join attr+attr", []Transformation{{Function: "Join", Input: "user.givenname", Separator: " ", Input2: "user.surname"}}, false, map[string]Values{"givenname": {"Zoë"}, "surname": {"Ångström"}}, Policy{}, []string{"Zoë Ångström"}},
		{"join empty p2", []Transformation{{Function: "Join", Input: "user.givenname", Separator: " ", Input2: "user.surname"}}, false, map[string]Values{"givenname": {"Jo"}}, Policy{}, []string{"Jo "}},
		{"join both empty", []Transformation{{Function: "Join", Input: "user.givenname", Input2: "user.surname"}}, false, nil, Policy{}, nil},
		{"join no separator", []Transformation{{Function: "Join", Input: "user.givenname", Input2: "X"}}, false, map[string]Values{"givenname": {"a"}}, Policy{}, []string{"aX"}},

		{"lower", []Transformation{{Function: "ToLowercase", Input: "user.mail"}}, false, map[string]Values{"mail": {"ÅSA@X.COM"}}, Policy{}, []string{"åsa@x.com"}},
		{"upper invariant", []Transformation{{Function: "ToUppercase", Input: "user.mail"}}, false, map[string]Values{"mail": {"straße"}}, Policy{}, []string{"STRAßE"}},
		{"upper empty", []Transformation{{Function: "ToUppercase", Input: "user.mail"}}, false, nil, Policy{}, nil},
		{"lower alias", []Transformation{{Function: "tolower", Input: "user.mail"}}, false, map[string]Values{"mail": {"AB"}}, Policy{}, []string{"ab"}},

		{"contains match", []Transformation{{Function: "Contains", Input: "user.department", Value: "Eng", Output: "tech", Else: "other"}}, false, map[string]Values{"department": {"Engineering"}}, Policy{}, []string{"tech"}},
		{"contains else", []Transformation{{Function: "Contains", Input: "user.department", Value: "Eng", Output: "tech", Else: "other"}}, false, map[string]Values{"department": {"Sales"}}, Policy{}, []string{"other"}},
		{"contains no else", []Transformation{{Function: "Contains", Input: "user.department", Value: "Eng", Output: "tech"}}, false, map[string]Values{"department": {"Sales"}}, Policy{}, nil},
		{"contains case-sensitive", []Transformation{{Function: "Contains", Input: "user.department", Value: "eng", Output: "tech"}}, false, map[string]Values{"department": {"Engineering"}}, Policy{}, nil},
		{"contains ignore case", []Transformation{{Function: "Contains", Input: "user.department", Value: "eng", Output: "tech"}}, false, map[string]Values{"department": {"Engineering"}}, Policy{MatchIgnoreCase: true}, []string{"tech"}},
		{"contains output attr", []Transformation{{Function: "Contains", Input: "user.department", Value: "Eng", Output: "user.costcenter"}}, false, map[string]Values{"department": {"Eng"}, "costcenter": {"CC-7"}}, Policy{}, []string{"CC-7"}},
		{"contains empty input else", []Transformation{{Function: "Contains", Input: "user.department", Value: "x", Output: "a", Else: "b"}}, false, nil, Policy{}, []string{"b"}},
		{"startwith", []Transformation{{Function: "StartWith", Input: "user.jobtitle", Value: "Sr", Output: "senior"}}, false, map[string]Values{"jobtitle": {"Sr Dev"}}, Policy{}, []string{"senior"}},
		{"startwith no", []Transformation{{Function: "StartWith", Input: "user.jobtitle", Value: "Sr", Output: "senior"}}, false, map[string]Values{"jobtitle": {"Dev Sr"}}, Policy{}, nil},
		{"startswith alias ignorecase", []Transformation{{Function: "StartsWith", Input: "user.jobtitle", Value: "SR", Output: "senior"}}, false, map[string]Values{"jobtitle": {"sr dev"}}, Policy{MatchIgnoreCase: true}, []string{"senior"}},
		{"endwith", []Transformation{{Function: "EndWith", Input: "user.mail", Value: "@contoso.com", Output: "internal", Else: "external"}}, false, map[string]Values{"mail": {"x@contoso.com"}}, Policy{}, []string{"internal"}},
		{"endwith else", []Transformation{{Function: "EndWith", Input: "user.mail", Value: "@contoso.com", Output: "internal", Else: "external"}}, false, map[string]Values{"mail": {"x@CONTOSO.com"}}, Policy{}, []string{"external"}},
		{"endwith multi", []Transformation{{Function: "EndWith", Input: "user.othermail", Value: ".com", Output: "user.department", MultiValued: true}}, false, map[string]Values{"othermail": {"a.com", "b.org", "c.com"}, "department": {"D"}}, Policy{}, []string{"D", "D"}},

		{"extract after", []Transformation{{Function: "Extract", Mode: "after", Input: "user.department", Value: "Finance_"}}, false, map[string]Values{"department": {"Finance_BSimon"}}, Policy{}, []string{"BSimon"}},
		{"extract before", []Transformation{{Function: "Extract", Mode: "before", Input: "user.department", Value: "_US"}}, false, map[string]Values{"department": {"BSimon_US"}}, Policy{}, []string{"BSimon"}},
		{"extract between", []Transformation{{Function: "Extract", Mode: "between", Input: "user.department", Value: "Finance_", Value2: "_US"}}, false, map[string]Values{"department": {"Finance_BSimon_US"}}, Policy{}, []string{"BSimon"}},
		{"extract no match", []Transformation{{Function: "Extract", Mode: "after", Input: "user.department", Value: "X"}}, false, map[string]Values{"department": {"abc"}}, Policy{}, nil},
		{"extract after last", []Transformation{{Function: "Extract", Mode: "after", Input: "user.department", Value: "_"}}, false, map[string]Values{"department": {"a_b_c"}}, Policy{}, []string{"c"}},
		{"extract after first", []Transformation{{Function: "Extract", Mode: "after", Input: "user.department", Value: "_"}}, false, map[string]Values{"department": {"a_b_c"}}, Policy{ExtractFirstOccurrence: true}, []string{"b_c"}},
		{"extract before last", []Transformation{{Function: "Extract", Mode: "before", Input: "user.department", Value: "_"}}, false, map[string]Values{"department": {"a_b_c"}}, Policy{}, []string{"a_b"}},
		{"extract before first", []Transformation{{Function: "Extract", Mode: "before", Input: "user.department", Value: "_"}}, false, map[string]Values{"department": {"a_b_c"}}, Policy{ExtractFirstOccurrence: true}, []string{"a"}},
		{"extract between last", []Transformation{{Function: "Extract", Mode: "between", Input: "user.department", Value: "[", Value2: "]"}}, false, map[string]Values{"department": {"[a][b]"}}, Policy{}, []string{"b"}},
		{"extract between first", []Transformation{{Function: "Extract", Mode: "between", Input: "user.department", Value: "[", Value2: "]"}}, false, map[string]Values{"department": {"[a][b]"}}, Policy{ExtractFirstOccurrence: true}, []string{"a"}},
		{"extract between no end", []Transformation{{Function: "Extract", Mode: "between", Input: "user.department", Value: "[", Value2: "]"}}, false, map[string]Values{"department": {"[a"}}, Policy{}, nil},
		{"extract after at end", []Transformation{{Function: "Extract", Mode: "after", Input: "user.department", Value: "_"}}, false, map[string]Values{"department": {"abc_"}}, Policy{}, nil},
		{"extract non-ascii", []Transformation{{Function: "Extract", Mode: "after", Input: "user.department", Value: "→"}}, false, map[string]Values{"department": {"a→日本"}}, Policy{}, []string{"日本"}},

		{"alpha prefix", []Transformation{{Function: "ExtractAlpha", Mode: "prefix", Input: "user.department"}}, false, map[string]Values{"department": {"BSimon_123"}}, Policy{}, []string{"BSimon"}},
		{"alpha suffix", []Transformation{{Function: "ExtractAlpha", Mode: "suffix", Input: "user.department"}}, false, map[string]Values{"department": {"123_Simon"}}, Policy{}, []string{"Simon"}},
		{"alpha none", []Transformation{{Function: "ExtractAlpha", Mode: "prefix", Input: "user.department"}}, false, map[string]Values{"department": {"1abc"}}, Policy{}, nil},
		{"alpha unicode", []Transformation{{Function: "ExtractAlpha", Mode: "prefix", Input: "user.department"}}, false, map[string]Values{"department": {"Ñandú42"}}, Policy{}, []string{"Ñandú"}},
		{"numeric prefix", []Transformation{{Function: "ExtractNumeric", Mode: "prefix", Input: "user.department"}}, false, map[string]Values{"department": {"123_BSimon"}}, Policy{}, []string{"123"}},
		{"numeric suffix", []Transformation{{Function: "ExtractNumeric", Mode: "suffix", Input: "user.department"}}, false, map[string]Values{"department": {"BSimon_123"}}, Policy{}, []string{"123"}},
		{"numeric none", []Transformation{{Function: "ExtractNumeric", Mode: "suffix", Input: "user.department"}}, false, map[string]Values{"department": {"abc"}}, Policy{}, nil},
		{"numeric all digits", []Transformation{{Function: "ExtractNumber", Mode: "suffix", Input: "user.employeeid"}}, false, map[string]Values{"employeeid": {"007"}}, Policy{}, []string{"007"}},

		{"ifempty empty", []Transformation{{Function: "IfEmpty", Input: "user.employeeid", Output: "user.extensionattribute1"}}, false, map[string]Values{"extensionattribute1": {"E1"}}, Policy{}, []string{"E1"}},
		{"ifempty not empty no else", []Transformation{{Function: "IfEmpty", Input: "user.employeeid", Output: "x"}}, false, map[string]Values{"employeeid": {"1"}}, Policy{}, nil},
		{"ifempty not empty else", []Transformation{{Function: "IfEmpty", Input: "user.employeeid", Output: "x", Else: "user.employeeid"}}, false, map[string]Values{"employeeid": {"42"}}, Policy{}, []string{"42"}},
		{"ifempty output empty", []Transformation{{Function: "IfEmpty", Input: "user.employeeid", Output: "user.mail"}}, false, nil, Policy{}, nil},
		{"ifnotempty", []Transformation{{Function: "IfNotEmpty", Input: "user.employeeid", Output: "has-id"}}, false, map[string]Values{"employeeid": {"1"}}, Policy{}, []string{"has-id"}},
		{"ifnotempty empty", []Transformation{{Function: "IfNotEmpty", Input: "user.employeeid", Output: "has-id"}}, false, nil, Policy{}, nil},

		{"substring fixed", []Transformation{{Function: "Substring", Mode: "fixed", Input: "user.department", StartIndex: 6, Length: 11}}, false, map[string]Values{"department": {"PleaseExtractThisNow"}}, Policy{}, []string{"ExtractThis"}},
		{"substring end", []Transformation{{Function: "Substring", Mode: "end", Input: "user.department", StartIndex: 6}}, false, map[string]Values{"department": {"PleaseExtractThisNow"}}, Policy{}, []string{"ExtractThisNow"}},
		{"substring clamp", []Transformation{{Function: "Substring", Mode: "fixed", Input: "user.department", StartIndex: 2, Length: 100}}, false, map[string]Values{"department": {"abcd"}}, Policy{}, []string{"cd"}},
		{"substring past end", []Transformation{{Function: "Substring", Mode: "fixed", Input: "user.department", StartIndex: 4, Length: 1}}, false, map[string]Values{"department": {"abcd"}}, Policy{}, nil},
		{"substring runes", []Transformation{{Function: "Substring", Mode: "fixed", Input: "user.department", StartIndex: 1, Length: 2}}, false, map[string]Values{"department": {"日本語です"}}, Policy{}, []string{"本語"}},
		{"substring empty", []Transformation{{Function: "Substring", Mode: "end", Input: "user.department"}}, false, nil, Policy{}, nil},

		{"regex doc example", []Transformation{{Function: "RegexReplace", Input: "user.mail", Regex: `(?'domain'^.*?)(?i)(\@fabrikam\.com)$`, AdditionalInputs: []string{"user.country"}, Replacement: "{country}.{domain}@xyz.com"}}, false, map[string]Values{"mail": {"swmal@fabrikam.com"}, "country": {"US"}}, Policy{}, []string{"US.swmal@xyz.com"}},
		{"regex inline ignore case", []Transformation{{Function: "RegexReplace", Input: "user.mail", Regex: `(?'domain'^.*?)(?i)(\@fabrikam\.com)$`, Replacement: "{domain}"}}, false, map[string]Values{"mail": {"swmal@FABRIKAM.COM"}}, Policy{}, []string{"swmal"}},
		{"regex keeps unmatched", []Transformation{{Function: "RegexReplace", Input: "user.mail", Regex: `@(?<domain>.+)`, Replacement: "@company.com"}}, false, map[string]Values{"mail": {"john.doe@customer.nl"}}, Policy{}, []string{"john.doe@company.com"}},
		{"regex no match", []Transformation{{Function: "RegexReplace", Input: "user.mail", Regex: `^x(?<r>.*)`, Replacement: "{r}"}}, false, map[string]Values{"mail": {"abc"}}, Policy{}, nil},
		{"regex no match else", []Transformation{{Function: "RegexReplace", Input: "user.mail", Regex: `^x(?<r>.*)`, Replacement: "{r}", Else: "user.department"}}, false, map[string]Values{"mail": {"abc"}, "department": {"D"}}, Policy{}, []string{"D"}},
		{"regex numbered group and literal $", []Transformation{{Function: "RegexReplace", Input: "user.mail", Regex: `^(\w+)@`, Replacement: "$1-{1}@"}}, false, map[string]Values{"mail": {"ann@x"}}, Policy{}, []string{"$1-ann@x"}},
		{"regex multi", []Transformation{{Function: "RegexReplace", Input: "user.projects", Regex: `^(?<p>.+)$`, Replacement: "proj-{p}", MultiValued: true}}, false, map[string]Values{"projects": {"apollo", "gemini"}}, Policy{}, []string{"proj-apollo", "proj-gemini"}},
		{"regex non-ascii", []Transformation{{Function: "RegexReplace", Input: "user.department", Regex: `(?<a>\p{L}+)-(?<b>\d+)`, Replacement: "{b}:{a}"}}, false, map[string]Values{"department": {"Ωmega-12"}}, Policy{}, []string{"12:Ωmega"}},
		{"regex empty result", []Transformation{{Function: "RegexReplace", Input: "user.department", Regex: `.*`, Replacement: "", Else: "else"}}, false, map[string]Values{"department": {"x"}}, Policy{}, nil},

		{"trim both", []Transformation{{Function: "Trim", Input: "user.department"}}, false, map[string]Values{"department": {"  x y \t"}}, Policy{}, []string{"x y"}},
		{"trim leading", []Transformation{{Function: "Trim", Mode: "leading", Input: "user.department"}}, false, map[string]Values{"department": {"  x "}}, Policy{}, []string{"x "}},
		{"trim trailing cutset", []Transformation{{Function: "Trim", Mode: "trailing", Input: "user.department", Value: "_-"}}, false, map[string]Values{"department": {"_x-_"}}, Policy{}, []string{"_x"}},
		{"trim to empty", []Transformation{{Function: "Trim", Input: "user.department"}}, false, map[string]Values{"department": {"   "}}, Policy{}, nil},

		{"chain", []Transformation{{Function: "ExtractMailPrefix", Input: "user.mail"}, {Function: "ToLowercase"}}, false, map[string]Values{"mail": {"Alice.Smith@contoso.com"}}, Policy{}, []string{"alice.smith"}},
		{"chain multi", []Transformation{{Function: "ExtractMailPrefix", Input: "user.othermail", MultiValued: true}, {Function: "ToUppercase"}}, false, map[string]Values{"othermail": {"a@x", "b@y"}}, Policy{}, []string{"A", "B"}},
		{"chain regex second", []Transformation{{Function: "ToLowercase", Input: "user.mail"}, {Function: "RegexReplace", Regex: `^(?<u>[a-z]+)\.`, Replacement: "{u}_"}}, false, map[string]Values{"mail": {"Alice.Smith@x"}}, Policy{}, []string{"alice_smith@x"}},
		{"chain first empty", []Transformation{{Function: "Extract", Mode: "after", Input: "user.mail", Value: "#"}, {Function: "IfEmpty", Output: "none"}}, false, map[string]Values{"mail": {"abc"}}, Policy{}, []string{"none"}},
		{"chain second explicit input", []Transformation{{Function: "ToLowercase", Input: "user.mail"}, {Function: "ToUppercase", Input: "user.department"}}, false, map[string]Values{"mail": {"M"}, "department": {"d"}}, Policy{}, []string{"D"}},
	}
	tenant := Tenant{ID: testTenant}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d, err := NewDirectory(tenant, []User{{ID: "u", Attributes: c.attrs}}, nil)
			if err != nil {
				t.Fatal(err)
			}
			p := c.policy
			p.Claims = []Rule{{Name: "out", Transformations: c.ts, MultiValued: c.multi}}
			e := mustCompile(t, p)
			r := mustEval(t, e, d, "u", EvalOptions{Explain: true})
			got := r.values("out")
			if !eq(got, c.want) {
				t.Errorf("got %q, want %q", got, c.want)
			}
			if c.want == nil && (len(r.Omitted) != 1 || r.Omitted[0].Name != "out" || r.Omitted[0].Reason == "") {
				t.Errorf("want one omission for out, got %+v", r.Omitted)
			}
		})
	}
}
