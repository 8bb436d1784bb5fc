package claims

import (
	"fmt"
	"strconv"
)

// UnmarshalTOML lets an attribute be written as a string, a number, a
// boolean or an array of those in the configuration file. Numbers and
// booleans become their decimal or "true"/"false" text, as Entra ID would
// send them.
func (v *Values) UnmarshalTOML(data any) error {
	switch d := data.(type) {
	case []any:
		out := make(Values, 0, len(d))
		for i, e := range d {
			s, err := scalarText(e)
			if err != nil {
				return fmt.Errorf("value %d: %w", i+1, err)
			}
			out = append(out, s)
		}
		*v = out
		return nil
	default:
		s, err := scalarText(d)
		if err != nil {
			return err
		}
		*v = Values{s}
		return nil
	}
}

func scalarText(e any) (string, error) {
	switch x := e.(type) {
	case string:
		return x, nil
	case int64:
		return strconv.FormatInt(x, 10), nil
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64), nil
	case bool:
		return strconv.FormatBool(x), nil
	default:
		return "", fmt.Errorf("want a string or an array of strings, got %T", e)
	}
}
