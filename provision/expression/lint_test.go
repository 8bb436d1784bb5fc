package expression

import (
	"strings"
	"testing"
)

func TestWarnings(t *testing.T) {
	cases := []struct {
		expr string
		want []string // substrings, one per warning, in order
	}{
		// MS: IIF known limitations — the three unsupported examples.
		{`IIF([country]="","Other",[country])`, []string{"line 1 col 1: IIF: the condition tests for null or empty"}},
		{`IIF(IsNullOrEmpty([country]),"Other",[country])`, []string{"IIF: the condition tests for null or empty"}},
		{`IIF(IsPresent([country]),[country],"Other")`, []string{"IIF: the condition tests for null or empty"}},
		// MS: the recommended workaround has no warning.
		{`Switch([country],[country],"","Other")`, nil},
		// MS: Switch caution — IsPresent as the source.
		{`Switch(IsPresent([directManager]),[directManager], IsPresent([skiplevelManager]),[skiplevelManager], IsPresent([director]),[director])`, []string{"Switch: do not use IsPresent as the source"}},
		{`SelectUniqueValue([a], [b])`, []string{"SelectUniqueValue: Microsoft supports it only for Workday"}},
		{`SingleAppRoleAssignment([roles])`, []string{"its argument is the [appRoleAssignments] object"}},
		{`SingleAppRoleAssignment([appRoleAssignments])`, nil},
		{"Join(\" \", [a],\n  IIF(Not(IsPresent([b])), \"x\", \"y\"))", []string{"line 2 col 3: IIF:"}},
		{`Switch([IsSoftDeleted], , "False", "True", "True", "False")`, nil},
	}
	for _, tc := range cases {
		e, err := Parse(tc.expr)
		if err != nil {
			t.Fatalf("Parse(%s): %v", tc.expr, err)
		}
		got := e.Warnings()
		if len(got) != len(tc.want) {
			t.Errorf("Warnings(%s) = %q, want %d", tc.expr, got, len(tc.want))
			continue
		}
		for i := range got {
			if !strings.Contains(got[i], tc.want[i]) {
				t.Errorf("Warnings(%s)[%d] = %q, want it to contain %q", tc.expr, i, got[i], tc.want[i])
			}
		}
	}
}
