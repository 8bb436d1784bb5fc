package expression_test

import (
	"errors"
	"fmt"
	"time"

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

// directory is an Input that also implements Uniqueness: it knows which
// userPrincipalNames the target already holds.
type directory struct {
	user
	taken map[string]bool
}

func (d directory) Unique(candidate string) (bool, error) { return !d.taken[candidate], nil }

func ExampleUniqueness() {
	e, _ := expression.Parse(`SelectUniqueValue(
		Join("@", NormalizeDiacritics(StripSpaces(Join(".", [PreferredFirstName], [PreferredLastName]))), "contoso.com"),
		Join("@", NormalizeDiacritics(StripSpaces(Join(".", Mid([PreferredFirstName], 1, 1), [PreferredLastName]))), "contoso.com"))`)
	in := directory{
		user:  user{"PreferredFirstName": {"John"}, "PreferredLastName": {"Smith"}},
		taken: map[string]bool{"John.Smith@contoso.com": true},
	}
	v, err := e.Eval(in)
	fmt.Println(v, err)
	// Output: J.Smith@contoso.com <nil>
}

func ExampleExpression_EvalWith() {
	e, _ := expression.Parse(`DateDiff("d", Now(), CDate([StatusHireDate]))`)
	clock := func() time.Time { return time.Date(2021, 8, 18, 9, 0, 0, 0, time.UTC) }
	v, _ := e.EvalWith(user{"StatusHireDate": {"2021-08-31-07:00"}}, expression.Options{Now: clock})
	fmt.Println(v)
	// Output: 13
}
