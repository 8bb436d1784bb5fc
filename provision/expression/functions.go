package expression

import (
	"fmt"
	"sort"
	"strings"
)

// function describes one function of Entra's expression language.
type function struct {
	name   string
	params []string // as Microsoft's reference names them; the last repeats when max < 0
	min    int
	max    int  // -1: no upper bound
	pairs  bool // Switch: the arguments after the first two are key/value pairs
	// check runs at parse time on the parsed call; it returns a message
	// when the call is one Entra would not accept.
	check func(c *callNode, depth int) string
	eval  func(ev *evaluator, c *callNode) (Value, error)
}

var registry map[string]*function

func init() {
	registry = make(map[string]*function)
	for _, f := range functionTable() {
		registry[f.name] = f
	}
}

func lookup(name string) *function { return registry[name] }

// Functions returns the names of every supported function, sorted.
func Functions() []string { return functionNames() }

func functionNames() []string {
	names := make([]string, 0, len(registry))
	for n := range registry {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Signature returns a function's signature as Microsoft's reference writes
// it, e.g. "Left(String, NumChars)", or "" for an unknown name.
func Signature(name string) string {
	f := lookup(name)
	if f == nil {
		return ""
	}
	return f.signature()
}

func (f *function) signature() string {
	ps := append([]string(nil), f.params...)
	if f.max < 0 && len(ps) > 0 {
		ps = append(ps, "…")
	}
	return f.name + "(" + strings.Join(ps, ", ") + ")"
}

// param names argument i for an error message.
func (f *function) param(i int) string {
	name := ""
	switch {
	case i < len(f.params):
		name = f.params[i]
	case len(f.params) > 0:
		name = f.params[len(f.params)-1]
	}
	if name == "" {
		return fmt.Sprintf("argument %d", i+1)
	}
	return fmt.Sprintf("argument %d (%s)", i+1, name)
}

func plural(n int) string {
	if n == 1 {
		return "1 argument"
	}
	return fmt.Sprintf("%d arguments", n)
}

func (f *function) checkArity(n int) string {
	want := ""
	switch {
	case f.max == 0 && n != 0:
		want = "takes no arguments"
	case f.min == f.max && n != f.min:
		want = "takes " + plural(f.min)
	case f.max > f.min && (n < f.min || n > f.max):
		if f.max == f.min+1 {
			want = fmt.Sprintf("takes %d or %s", f.min, plural(f.max))
		} else {
			want = fmt.Sprintf("takes %d to %s", f.min, plural(f.max))
		}
	case f.max < 0 && n < f.min:
		want = "takes at least " + plural(f.min)
	case f.pairs && (n-2)%2 != 0:
		return fmt.Sprintf("%s takes source, defaultValue and then key/value pairs, an even number of arguments; got %d (a key has no value)", f.name, n)
	}
	if want == "" {
		return ""
	}
	return fmt.Sprintf("%s %s: %s; got %d", f.name, want, f.signature(), n)
}

// functionTable lists every function, in the order of Microsoft's reference.
func functionTable() []*function {
	return []*function{
		{name: "Append", params: []string{"source", "suffix"}, min: 2, max: 2, eval: evalAppend},
		{name: "AppRoleAssignmentsComplex", params: []string{"[appRoleAssignments]"}, min: 1, max: 1, eval: evalAppRoleAssignmentsComplex},
		{name: "CBool", params: []string{"expression"}, min: 1, max: 1, eval: evalCBool},
		{name: "Coalesce", params: []string{"source1", "source2"}, min: 1, max: -1, eval: evalCoalesce},
		{name: "IIF", params: []string{"condition", "valueIfTrue", "valueIfFalse"}, min: 3, max: 3, check: checkIIF, eval: evalIIF},
		{name: "IsNull", params: []string{"expression"}, min: 1, max: 1, eval: evalIsNull},
		{name: "IsNullOrEmpty", params: []string{"expression"}, min: 1, max: 1, eval: evalIsNullOrEmpty},
		{name: "IsPresent", params: []string{"expression"}, min: 1, max: 1, eval: evalIsPresent},
		{name: "IsString", params: []string{"expression"}, min: 1, max: 1, eval: evalIsString},
		{name: "Join", params: []string{"separator", "source1", "source2"}, min: 2, max: -1, eval: evalJoin},
		{name: "Left", params: []string{"String", "NumChars"}, min: 2, max: 2, eval: evalLeft},
		{name: "Mid", params: []string{"source", "start", "length"}, min: 3, max: 3, eval: evalMid},
		{name: "NormalizeDiacritics", params: []string{"source"}, min: 1, max: 1, eval: evalNormalizeDiacritics},
		{name: "Not", params: []string{"source"}, min: 1, max: 1, eval: evalNot},
		{name: "Replace", params: []string{"source", "oldValue", "regexPattern", "regexGroupName", "replacementValue", "replacementAttributeName", "template"}, min: 2, max: 7, check: checkReplace, eval: evalReplace},
		{name: "SelectUniqueValue", params: []string{"uniqueValueRule1", "uniqueValueRule2"}, min: 2, max: -1, check: checkSelectUniqueValue, eval: evalSelectUniqueValue},
		{name: "SingleAppRoleAssignment", params: []string{"[appRoleAssignments]"}, min: 1, max: 1, eval: evalSingleAppRoleAssignment},
		{name: "Split", params: []string{"source", "delimiter"}, min: 2, max: 2, eval: evalSplit},
		{name: "StripSpaces", params: []string{"source"}, min: 1, max: 1, eval: evalStripSpaces},
		{name: "Switch", params: []string{"source", "defaultValue", "key1", "value1"}, min: 4, max: -1, pairs: true, eval: evalSwitch},
		{name: "ToLower", params: []string{"source", "culture"}, min: 1, max: 2, eval: evalToLower},
		{name: "ToUpper", params: []string{"source", "culture"}, min: 1, max: 2, eval: evalToUpper},
		{name: "Word", params: []string{"String", "WordNumber", "Delimiters"}, min: 3, max: 3, eval: evalWord},
	}
}
