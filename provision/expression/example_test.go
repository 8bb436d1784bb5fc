package expression_test

import (
	"errors"
	"fmt"

	"github.com/samlab/samlab/provision/expression"
)

// user is an Input backed by a map: one object's source attributes.
type user map[string][]string

func (u user) Attribute(name string) ([]string, bool) {
	v, ok := u[name]
	return v, ok
}

func Example() {
	e, err := expression.Parse(`ToLower(Join("@", NormalizeDiacritics(StripSpaces(Join(".", [givenName], [surname]))), "contoso.com"))`)
	if err != nil {
		fmt.Println(err)
		return
	}
	v, err := e.Eval(user{"givenName": {"Zoë"}, "surname": {"Van Dyke"}})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(e.Attributes())
	fmt.Println(v)
	// Output:
	// [givenName surname]
	// zoe.vandyke@contoso.com
}

func ExampleParse_error() {
	_, err := expression.Parse(`Append(Joinn(" ", [givenName], [surname]), ".test")`)
	var se *expression.SyntaxError
	if errors.As(err, &se) {
		fmt.Println(se)
		fmt.Println(se.Suggestion)
	}
	// Output:
	// expression: line 1 col 8: unknown function "Joinn" (did you mean "Join"?)
	// Join
}

func ExampleExpression_Eval_multiValued() {
	e, _ := expression.Parse(`Split([extensionAttribute5], ",")`)
	v, _ := e.Eval(user{"extensionAttribute5": {"PermissionSetOne, PermissionSetTwo"}})
	fmt.Println(v.Strings())
	// Output: [PermissionSetOne PermissionSetTwo]
}
