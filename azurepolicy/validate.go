package azurepolicy

import (
	"strings"

	"github.com/samlab/samlab/claims"
)

// check compiles each converted piece with the claims engine and leaves
// out, with a warning, what the engine would refuse (a restricted claim
// name, an attribute Entra does not have, a regular expression that does
// not compile, ...), so that the imported rules always load. Each piece is
// compiled on its own so that a problem is tied to its policy entry.
func (c *converter) check(pol *claims.Policy, labels []string) {
	app := claims.App{Name: "imported"}
	opts := claims.CompileOptions{}
	for x := range c.extensions {
		opts.Extensions = append(opts.Extensions, x)
	}
	var keep []claims.Rule
	for i, r := range pol.Claims {
		if _, err := claims.Compile(app, claims.Policy{Claims: []claims.Rule{r}}, opts); err != nil {
			c.warn("%s: left out because samlab refuses the converted rule: %s", labels[i], oneLine(err))
			continue
		}
		keep = append(keep, r)
	}
	pol.Claims = keep
	if pol.NameID.Source != "" || len(pol.NameID.Transformations) > 0 || pol.NameID.Format != "" {
		if _, err := claims.Compile(app, claims.Policy{NameID: pol.NameID}, opts); err != nil {
			c.warn("%s: NameID left out (samlab's default applies) because samlab refuses it: %s", c.nameIDLabel, oneLine(err))
			pol.NameID = claims.NameIDRule{}
		}
	}
	if pol.GroupClaim != nil {
		if _, err := claims.Compile(app, claims.Policy{GroupClaim: pol.GroupClaim}, opts); err != nil {
			c.warn("%s.GroupFilter: left out because samlab refuses it: %s", c.where, oneLine(err))
			pol.GroupClaim = nil
		}
	}
}

// oneLine joins a multi-line (errors.Join) message with "; ".
func oneLine(err error) string {
	return strings.ReplaceAll(err.Error(), "\n", "; ")
}
