package azurepolicy

import (
	"sort"
	"strings"
)

// slot is a samlab Transformation field a policy input can fill.
type slot string

const (
	slotInput       slot = "input"
	slotInput2      slot = "input2"
	slotSeparator   slot = "separator"
	slotValue       slot = "value"
	slotValue2      slot = "value2"
	slotOutput      slot = "output"
	slotElse        slot = "else"
	slotRegex       slot = "regex"
	slotReplacement slot = "replacement"
	slotMode        slot = "mode"
	slotStart       slot = "start_index"
	slotLength      slot = "length"
)

// allSlots lists the slots in the order they are filled and reported.
var allSlots = []slot{slotInput, slotInput2, slotSeparator, slotValue, slotValue2, slotOutput,
	slotElse, slotRegex, slotReplacement, slotMode, slotStart, slotLength}

// slotNames maps the names a policy gives inputs (TransformationClaimType
// of InputClaims, ID of InputParameters; lower case) to slots. The first
// names of each line are Entra's documented ones (string1, string2,
// separator, mail, sourceClaim, regex, replacement); the others follow the
// Graph transformation types (input, value, value2, output, type, index,
// length), which is how a policy exported from portal-made claims names
// them.
var slotNames = map[string]slot{
	"sourceclaim": slotInput, "string1": slotInput, "mail": slotInput, "input": slotInput,
	"inputclaim": slotInput, "email": slotInput, "upn": slotInput,
	"string2": slotInput2, "input2": slotInput2,
	"separator": slotSeparator,
	"value":     slotValue, "value1": slotValue,
	"value2": slotValue2,
	"output": slotOutput, "outputifmatch": slotOutput, "valueifmatch": slotOutput,
	"else": slotElse, "outputifnomatch": slotElse, "valueifnomatch": slotElse, "nomatchoutput": slotElse,
	"regex": slotRegex, "pattern": slotRegex,
	"replacement": slotReplacement,
	"type":        slotMode, "mode": slotMode,
	"index": slotStart, "startindex": slotStart,
	"length": slotLength,
}

// operandSlots take an attribute or a constant; the other slots take
// constant text only.
var operandSlots = map[slot]bool{slotInput: true, slotInput2: true, slotOutput: true, slotElse: true}

// method describes how one TransformationMethod maps to a samlab function.
type method struct {
	fn       string // samlab function name
	mode     string // mode implied by the method name, if any
	slots    []slot // slots the method takes
	required []slot
	// extraInputs: input claims with other names are additional named
	// inputs (RegexReplace).
	extraInputs bool
	// modes lists accepted Type values (lower case) and their samlab mode.
	modes map[string]string
}

func (m *method) takes(s slot) bool {
	for _, x := range m.slots {
		if x == s {
			return true
		}
	}
	return false
}

var (
	extractModes = map[string]string{"after": "after", "before": "before", "between": "between"}
	affixModes   = map[string]string{"prefix": "prefix", "suffix": "suffix"}
	trimModes    = map[string]string{"leading": "leading", "trailing": "trailing", "both": "both",
		"leadingandtrailing": "both", "leading_and_trailing": "both"}
	substringModes = map[string]string{"fixed": "fixed", "fixedlength": "fixed", "end": "end", "endofstring": "end"}
)

// methods maps lower-case TransformationMethod names to samlab functions.
// Join, ExtractMailPrefix, ToLowercase, ToUppercase and RegexReplace are
// the methods Entra documents for Claims Mapping Policies; the others are
// the portal's transformations under their portal and Graph names, which
// policies exported from portal-made configurations can carry.
var methods = map[string]*method{}

func init() {
	one := []slot{slotInput}
	test := &method{fn: "Contains", slots: []slot{slotInput, slotValue, slotOutput, slotElse}, required: []slot{slotInput, slotValue, slotOutput}}
	add := func(m *method, names ...string) {
		for _, n := range names {
			methods[n] = m
		}
	}
	add(&method{fn: "Join", slots: []slot{slotInput, slotInput2, slotSeparator}, required: []slot{slotInput, slotInput2}}, "join")
	add(&method{fn: "ExtractMailPrefix", slots: one, required: one}, "extractmailprefix")
	add(&method{fn: "ToLowercase", slots: one, required: one}, "tolowercase", "tolower")
	add(&method{fn: "ToUppercase", slots: one, required: one}, "touppercase", "toupper")
	add(&method{fn: "RegexReplace", slots: []slot{slotInput, slotRegex, slotReplacement, slotElse}, required: []slot{slotInput, slotRegex, slotReplacement}, extraInputs: true}, "regexreplace")
	add(test, "contains")
	startWith := *test
	startWith.fn = "StartWith"
	add(&startWith, "startwith", "startswith")
	endWith := *test
	endWith.fn = "EndWith"
	add(&endWith, "endwith", "endswith")
	extract := method{fn: "Extract", slots: []slot{slotInput, slotMode, slotValue, slotValue2}, required: []slot{slotInput, slotMode, slotValue}, modes: extractModes}
	add(&extract, "extract")
	for _, m := range []string{"after", "before", "between"} {
		v := extract
		v.mode = m
		add(&v, "extract"+m)
	}
	for _, fn := range []string{"ExtractAlpha", "ExtractNumeric"} {
		m := method{fn: fn, slots: []slot{slotInput, slotMode}, required: []slot{slotInput, slotMode}, modes: affixModes}
		lower := strings.ToLower(fn)
		add(&m, lower)
		if fn == "ExtractNumeric" {
			add(&m, "extractnumber")
		}
		for _, affix := range []string{"prefix", "suffix"} {
			v := m
			v.mode = affix
			add(&v, lower+affix)
		}
	}
	add(&method{fn: "IfEmpty", slots: []slot{slotInput, slotOutput, slotElse}, required: []slot{slotInput, slotOutput}}, "ifempty")
	add(&method{fn: "IfNotEmpty", slots: []slot{slotInput, slotOutput}, required: []slot{slotInput, slotOutput}}, "ifnotempty")
	substring := method{fn: "Substring", slots: []slot{slotInput, slotMode, slotStart, slotLength}, required: []slot{slotInput, slotStart}, modes: substringModes}
	add(&substring, "substring")
	fixed, end := substring, substring
	fixed.mode, end.mode = "fixed", "end"
	fixed.required = []slot{slotInput, slotStart, slotLength}
	add(&fixed, "substringfixedlength", "substringfixed")
	add(&end, "substringendofstring", "substringend")
	add(&method{fn: "Trim", slots: []slot{slotInput, slotMode, slotValue}, required: one, modes: trimModes}, "trim")
}

// supportedMethods lists the accepted method names for error messages.
func supportedMethods() string {
	seen := map[string]bool{}
	var out []string
	for _, m := range methods {
		if !seen[m.fn] {
			seen[m.fn] = true
			out = append(out, m.fn)
		}
	}
	sort.Strings(out)
	return strings.Join(out, ", ")
}
