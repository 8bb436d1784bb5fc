package provision

import "errors"

// compileExpression is replaced by the expression package once it lands
// (branch h-expr); until then an expression mapping is a configuration
// error that says so.
func compileExpression(string) (evaluator, error) {
	return nil, errors.New("expression mappings need package provision/expression, which is not in this build yet")
}
