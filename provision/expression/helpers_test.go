package expression

import (
	"reflect"
	"testing"
)

// attrs is an Input backed by a map; a key mapped to nil is absent.
type attrs map[string][]string

func (a attrs) Attribute(name string) ([]string, bool) {
	v, ok := a[name]
	if !ok || v == nil {
		return nil, false
	}
	return v, true
}

// one is a single-valued attribute.
func one(s string) []string { return []string{s} }

type evalTest struct {
	name string // what Microsoft's reference calls the example, or the rule tested
	expr string
	in   attrs
	want []string // nil: null
}

func runEval(t *testing.T, cases []evalTest) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e, err := Parse(tc.expr)
			if err != nil {
				t.Fatalf("Parse(%s): %v", tc.expr, err)
			}
			got, err := e.Eval(tc.in)
			if err != nil {
				t.Fatalf("Eval(%s): %v", tc.expr, err)
			}
			if tc.want == nil {
				if !got.IsNull() {
					t.Fatalf("Eval(%s) = %s, want null", tc.expr, got)
				}
				return
			}
			if got.IsNull() || !reflect.DeepEqual(got.Strings(), tc.want) {
				t.Fatalf("Eval(%s) = %q (null %v), want %q", tc.expr, got.Strings(), got.IsNull(), tc.want)
			}
		})
	}
}

// evalErr parses expr and returns the evaluation error, failing if there is none.
func evalErr(t *testing.T, expr string, in Input, opt Options) *EvalError {
	t.Helper()
	e, err := Parse(expr)
	if err != nil {
		t.Fatalf("Parse(%s): %v", expr, err)
	}
	v, err := e.EvalWith(in, opt)
	if err == nil {
		t.Fatalf("Eval(%s) = %s, want an error", expr, v)
	}
	ee, ok := err.(*EvalError)
	if !ok {
		t.Fatalf("Eval(%s) error %T, want *EvalError", expr, err)
	}
	return ee
}
