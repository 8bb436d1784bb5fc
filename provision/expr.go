package provision

import (
	"fmt"

	"github.com/samlab/samlab/provision/expression"
)

// exprMapping evaluates an expression mapping with Entra's expression
// language (package expression).
type exprMapping struct{ e *expression.Expression }

func compileExpression(src string) (evaluator, error) {
	e, err := expression.Parse(src)
	if err != nil {
		return nil, err
	}
	return exprMapping{e}, nil
}

func (m exprMapping) eval(in *Source) ([]string, bool, error) {
	v, err := m.e.Eval(in)
	if err != nil {
		return nil, false, fmt.Errorf("%w", err)
	}
	if v.IsNull() {
		return nil, true, nil
	}
	return v.Strings(), false, nil
}

func (m exprMapping) attributes() []string { return m.e.Attributes() }
