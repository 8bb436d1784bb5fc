package saml

import (
	"fmt"
	"strings"
	"time"
)

// readStatusSuccess is the top-level status of a successful Response.
const readStatusSuccess = "urn:oasis:names:tc:SAML:2.0:status:Success"

// readBearer is the bearer SubjectConfirmation method, the one Web SSO uses.
const readBearer = "urn:oasis:names:tc:SAML:2.0:cm:bearer"

// Expect is what a service provider expects of a response. An empty string
// field, or a zero Now, is not checked.
type Expect struct {
	// Audience must be among the assertion's Audiences.
	Audience string
	// Recipient must be the Recipient of a bearer SubjectConfirmationData.
	Recipient string
	// Destination must equal the Response's Destination when it has one; a
	// signed Response must have one.
	Destination string
	// InResponseTo must equal the Response's and the bearer confirmation's
	// InResponseTo (an SP-initiated flow).
	InResponseTo string
	// Issuer must equal the assertion's Issuer and, when present, the
	// Response's.
	Issuer string
	// Now is the time the time limits are checked at, Skew the clock skew
	// allowed either way.
	Now  time.Time
	Skew time.Duration
}

// Check compares the view with what the caller expects and returns one
// error per mismatch, in a stable order (status, issuer, audience,
// recipient, destination, InResponseTo, time limits); nil when all hold.
// Check reads only the view: it says nothing about signatures (see
// View.Verified).
func (v *View) Check(e Expect) []error {
	var errs []error
	add := func(format string, args ...any) {
		errs = append(errs, fmt.Errorf("saml: "+format, args...))
	}
	if v.Root == "Response" && v.StatusCode != readStatusSuccess {
		msg := fmt.Sprintf("status is %s, not Success", checkShort(v.StatusCode))
		if v.StatusSubCode != "" {
			msg += " (" + checkShort(v.StatusSubCode) + ")"
		}
		if v.StatusMessage != "" {
			msg += fmt.Sprintf(": %q", v.StatusMessage)
		}
		add("%s", msg)
	}
	a := v.Assertion
	if a == nil {
		switch {
		case v.Encrypted && !v.Decrypted:
			add("the assertion is encrypted and was not decrypted: nothing else can be checked")
		default:
			add("the message carries no assertion: nothing else can be checked")
		}
		return errs
	}
	if e.Issuer != "" {
		if a.Issuer != e.Issuer {
			add("assertion issuer %q, want %q", a.Issuer, e.Issuer)
		}
		if v.Issuer != "" && v.Issuer != e.Issuer {
			add("response issuer %q, want %q", v.Issuer, e.Issuer)
		}
	}
	if e.Audience != "" && !checkContains(a.Audiences, e.Audience) {
		if len(a.Audiences) == 0 {
			add("audience %q not in the assertion: it has no AudienceRestriction", e.Audience)
		} else {
			add("audience %q not in [%s]", e.Audience, strings.Join(a.Audiences, ", "))
		}
	}
	bearers := checkBearers(a)
	if len(bearers) == 0 && (e.Recipient != "" || e.InResponseTo != "" || !e.Now.IsZero()) {
		add("no bearer SubjectConfirmation (Method %s)", readBearer)
	}
	if e.Recipient != "" && len(bearers) > 0 {
		var got []string
		ok := false
		for _, b := range bearers {
			got = append(got, b.Recipient)
			ok = ok || b.Recipient == e.Recipient
		}
		if !ok {
			add("recipient mismatch: SubjectConfirmationData Recipient %s, want %q", checkQuoteList(got), e.Recipient)
		}
	}
	if e.Destination != "" && v.Root == "Response" {
		switch {
		case v.Destination == "" && v.VerifiedElement == "Response":
			add("the signed Response has no Destination; want %q", e.Destination)
		case v.Destination != "" && v.Destination != e.Destination:
			add("destination %q, want %q", v.Destination, e.Destination)
		}
	}
	if e.InResponseTo != "" {
		if v.Root == "Response" && v.InResponseTo != e.InResponseTo {
			add("response InResponseTo %q, want %q", v.InResponseTo, e.InResponseTo)
		}
		for _, b := range bearers {
			if b.InResponseTo != e.InResponseTo {
				add("SubjectConfirmationData InResponseTo %q, want %q", b.InResponseTo, e.InResponseTo)
			}
		}
	}
	if !e.Now.IsZero() {
		checkWindow(add, "assertion Conditions", a.NotBefore, a.NotOnOrAfter, e.Now, e.Skew)
		for _, b := range bearers {
			checkWindow(add, "SubjectConfirmationData", b.NotBefore, b.NotOnOrAfter, e.Now, e.Skew)
		}
	}
	return errs
}

// checkWindow reports now outside [notBefore-skew, notOnOrAfter+skew).
func checkWindow(add func(string, ...any), what string, notBefore, notOnOrAfter, now time.Time, skew time.Duration) {
	if !notBefore.IsZero() && now.Add(skew).Before(notBefore) {
		if d := notBefore.Sub(now); IsLongDuration(d) {
			add("%s not yet valid for another %s, until %s: NotBefore %s, now %s", what, HumanDuration(d), HumanTime(notBefore), notBefore.Format(time.RFC3339), now.UTC().Format(time.RFC3339))
		} else {
			add("%s not yet valid: NotBefore %s is %s after now (%s)", what, notBefore.Format(time.RFC3339), HumanDuration(d), now.UTC().Format(time.RFC3339))
		}
	}
	if !notOnOrAfter.IsZero() && !now.Add(-skew).Before(notOnOrAfter) {
		if d := now.Sub(notOnOrAfter); IsLongDuration(d) {
			add("%s expired %s ago, on %s: NotOnOrAfter %s, now %s", what, HumanDuration(d), HumanTime(notOnOrAfter), notOnOrAfter.Format(time.RFC3339), now.UTC().Format(time.RFC3339))
		} else {
			add("%s expired by %s: NotOnOrAfter %s, now %s", what, HumanDuration(d), notOnOrAfter.Format(time.RFC3339), now.UTC().Format(time.RFC3339))
		}
	}
}

func checkBearers(a *AssertionView) []SubjectConfirmation {
	var out []SubjectConfirmation
	for _, sc := range a.SubjectConfirmations {
		if sc.Method == readBearer {
			out = append(out, sc)
		}
	}
	return out
}

// checkShort drops the common status URN prefix.
func checkShort(s string) string {
	return strings.TrimPrefix(s, "urn:oasis:names:tc:SAML:2.0:status:")
}

func checkContains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func checkQuoteList(list []string) string {
	q := make([]string, len(list))
	for i, s := range list {
		q[i] = fmt.Sprintf("%q", s)
	}
	return strings.Join(q, ", ")
}
