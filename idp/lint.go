package idp

import (
	"fmt"

	"github.com/samlab/samlab/aws"
	"github.com/samlab/samlab/claims"
)

// lintUsers evaluates the app's claims for every assigned user and lints
// them, so that a rule set that fails for some user is known at load time.
// Findings become warnings: they concern one user's data, and Issue blocks
// that user's response when it is sent.
func (t *Tenant) lintUsers(a *App) []string {
	var out []string
	for _, u := range t.Directory.Users() {
		if !a.assigned(t.Directory, u) {
			continue
		}
		res, err := a.engine.Evaluate(t.Directory, u, claims.EvalOptions{IDSource: claims.RandomIDs{}})
		if err != nil {
			out = append(out, fmt.Sprintf("app %q: user %q: %v", a.Name, u.ID, err))
			continue
		}
		for _, f := range aws.LintClaims(res.NameID, res.Attributes, a.Profile) {
			out = append(out, fmt.Sprintf("app %q: user %q: %s", a.Name, u.ID, f))
		}
	}
	return out
}
