package expression

import "testing"

// Expressions from other Microsoft pages (entra-docs) and from published
// setups, beyond the function reference.
func TestRealWorldExpressions(t *testing.T) {
	runEval(t, []evalTest{
		// hr-user-creation-issues.md, option 1: pass "N/A" for an empty or null title.
		{"HR empty title", `Switch([BusinessTitle],[BusinessTitle],"","N/A")`, attrs{"BusinessTitle": one("")}, one("N/A")},
		{"HR null title", `Switch([BusinessTitle],[BusinessTitle],"","N/A")`, attrs{}, one("N/A")},
		{"HR title", `Switch([BusinessTitle],[BusinessTitle],"","N/A")`, attrs{"BusinessTitle": one("Engineer")}, one("Engineer")},
		// hr-user-creation-issues.md, option 2.
		{"HR ignore flow", `IgnoreFlowIfNullOrEmpty([BusinessTitle])`, attrs{"BusinessTitle": one("")}, nil},
		// Google Cloud / G Suite group e-mail mapping (Google's and Microsoft's tutorials).
		{"Google group mail", `Join("@", NormalizeDiacritics(StripSpaces([displayName])), "contoso.com")`, attrs{"displayName": one("Équipe Ventes")}, one("EquipeVentes@contoso.com")},
		// The default active mapping of Entra's SCIM gallery apps.
		{"SCIM active", `Switch([IsSoftDeleted], , "False", "True", "True", "False")`, attrs{"IsSoftDeleted": one("False")}, one("True")},
		// The default name.formatted mapping.
		{"SCIM formatted", `Join(" ", [givenName], [surname])`, attrs{"givenName": one("Alice"), "surname": one("Martin")}, one("Alice Martin")},
	})
}
