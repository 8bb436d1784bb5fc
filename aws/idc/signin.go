package idc

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/samlab/samlab/scim"
)

// What Identity Center shows on its sign-in page when it refuses a
// response (AWS-IDC-001…005, AWS-ABAC-003…005).
const (
	MsgUnexpected   = "An unexpected error has occurred"
	MsgInvalidMFA   = "Invalid MFA credentials"
	EmailNameFormat = "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress"
)

// Refusal is a sign-in Identity Center refuses.
type Refusal struct {
	// Rule is the rule in aws-saml-rules.md (AWS-IDC-005).
	Rule string
	// Shown is the error Identity Center's page shows.
	Shown string
	// CloudTrail is the errorMessage of the ExternalIdPDirectoryLogin
	// event, when known.
	CloudTrail string
	// Explanation is samlab's: what is wrong and what to change.
	Explanation string
}

func (r *Refusal) Error() string {
	return fmt.Sprintf("idc: %s (%s): %s", r.Shown, r.Rule, r.Explanation)
}

// FindUser is Identity Center's user lookup for a verified response: the
// NameID must be in emailAddress format (AWS-IDC-003) and equal the
// userName of a provisioned user (compared ignoring case, as the identity
// store does; AWS-IDC-004, AWS-SCIM-014) who is active. There is no
// just-in-time creation (AWS-IDC-005). A refusal is a *Refusal; other
// errors come from the store.
func FindUser(ctx context.Context, store scim.Store, nameID, nameIDFormat string) (*scim.User, error) {
	if nameIDFormat != EmailNameFormat {
		f := nameIDFormat
		if f == "" {
			f = "none"
		}
		return nil, &Refusal{Rule: "AWS-IDC-003", Shown: MsgUnexpected,
			CloudTrail:  "Response contains invalid name id policy format",
			Explanation: fmt.Sprintf("the NameID format is %s; Identity Center takes only %s: set the app's NameID format to email", f, EmailNameFormat)}
	}
	if nameID == "" {
		return nil, &Refusal{Rule: "AWS-IDC-004", Shown: MsgUnexpected,
			Explanation: "the response has no NameID; send the user's Identity Center userName (an email address)"}
	}
	users, _, err := store.ListUsers(ctx, scim.UserQuery{UserName: nameID, Count: 1})
	if err != nil {
		return nil, fmt.Errorf("idc: reading the identity store: %w", err)
	}
	if len(users) == 0 {
		r := &Refusal{Rule: "AWS-IDC-005", Shown: MsgInvalidMFA,
			Explanation: fmt.Sprintf("no provisioned user has userName %q. Identity Center creates no users at sign-in: provision the user over SCIM first (samlab provision), with userName equal to the NameID; the NameID is matched against userName, not against emails", nameID)}
		if u, err := byEmail(ctx, store, nameID); err == nil && u != nil {
			r.Rule = "AWS-IDC-004"
			r.Explanation = fmt.Sprintf("no provisioned user has userName %q, but user %q has it as an email. Identity Center matches the NameID against userName only: send %q as the NameID, or provision userName from the attribute the NameID comes from", nameID, u.UserName, u.UserName)
		}
		return nil, r
	}
	u := users[0]
	if !u.Active {
		return nil, &Refusal{Rule: "AWS-SCIM-014", Shown: MsgUnexpected,
			Explanation: fmt.Sprintf("user %q is provisioned but disabled (active is false, as Entra sets it for users out of scope or soft-deleted): bring the user back in scope and provision again", u.UserName)}
	}
	return &u, nil
}

// AsRefusal returns the *Refusal in err's chain, or nil.
func AsRefusal(err error) *Refusal {
	var r *Refusal
	if errors.As(err, &r) {
		return r
	}
	return nil
}

// emailScan bounds how many users byEmail reads: it runs only for a
// refused sign-in, to explain it.
const emailScan = 1000

// byEmail finds a user, among the first emailScan, one of whose emails is
// addr (ignoring case): the usual reason a NameID matches no userName is
// an IdP sending the mail while provisioning sent the UPN, or the reverse.
func byEmail(ctx context.Context, store scim.Store, addr string) (*scim.User, error) {
	cursor := ""
	for read := 0; read < emailScan; {
		users, next, err := store.ListUsers(ctx, scim.UserQuery{Count: 100, Cursor: cursor})
		if err != nil {
			return nil, err
		}
		for i := range users {
			for _, e := range users[i].Emails {
				if strings.EqualFold(e.Value, addr) {
					return &users[i], nil
				}
			}
		}
		read += len(users)
		if next == "" || len(users) == 0 {
			return nil, nil
		}
		cursor = next
	}
	return nil, nil
}
