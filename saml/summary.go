package saml

import (
	"fmt"
	"strings"
	"time"
)

// SummaryRow is one line of a Report's summary: a label and its value,
// raw (the caller escapes it for a terminal or a page).
type SummaryRow struct {
	Name, Value string
}

// Summary lists what a person debugging the message looks at first, in a
// fixed order, times given relative to now: for a response its IDs,
// issuer, destination, status, RelayState, encryption, NameID, recipient,
// audience and time limits; for a request its IDs, issuer, ACS,
// NameIDPolicy and how it is signed. Empty values are left out. The
// attributes, signatures and problems are in Report.View / Report.Request.
// samlab inspect prints this table and the /inspect page shows it.
func (r *Report) Summary(now time.Time) []SummaryRow {
	var rows []SummaryRow
	row := func(k, v string) {
		if v != "" {
			rows = append(rows, SummaryRow{k, v})
		}
	}
	at := func(k string, t time.Time) {
		if !t.IsZero() {
			row(k, t.UTC().Format("2006-01-02T15:04:05.000Z")+" ("+summaryRelative(t, now)+")")
		}
	}
	msg := r.Message
	if rv := r.Request; rv != nil {
		how := r.Binding()
		if r.Message.HAREntry > 0 {
			how += ", " + r.Message.Form
		}
		row("Message", rv.Root+" ("+how+")")
		row("ID", rv.ID)
		if !rv.IssueInstant.IsZero() {
			row("IssueInstant", rv.IssueInstant.UTC().Format(time.RFC3339)+" ("+summaryRelative(rv.IssueInstant, now)+")")
		}
		row("Issuer", rv.Issuer)
		row("Destination", rv.Destination)
		row("InResponseTo", rv.InResponseTo)
		row("Status", rv.StatusCode)
		row("StatusMessage", rv.StatusMessage)
		row("ACS URL", rv.ACSURL)
		row("ACS index", rv.ACSIndex)
		row("ProtocolBinding", rv.ProtocolBinding)
		row("ForceAuthn", rv.ForceAuthn)
		row("IsPassive", rv.IsPassive)
		if rv.HasNameIDPolicy {
			f := rv.NameIDPolicy
			if f == "" {
				f = "(no format)"
			}
			row("NameIDPolicy", f)
		}
		row("NameID", rv.NameID)
		row("SessionIndex", rv.SessionIndex)
		switch {
		case msg.SignedQuery != "":
			row("Signed", "yes (HTTP-Redirect binding: Signature and SigAlg in the URL query)")
		case len(rv.Signatures) > 0:
			row("Signed", "yes (enveloped signature)")
		case msg.Deflated:
			row("Signed", "not in the XML (Redirect binding signs the URL query: Signature and SigAlg parameters)")
		default:
			row("Signed", "no")
		}
		row("RelayState", msg.RelayState)
		return rows
	}
	v := r.View
	if v == nil {
		return nil
	}
	row("Message", v.Root+" ("+msg.Form+", "+fmt.Sprint(msg.Base64Len)+" base64 characters)")
	row("ID", v.ID)
	row("Issuer", v.Issuer)
	row("Destination", v.Destination)
	row("InResponseTo", v.InResponseTo)
	at("IssueInstant", v.IssueInstant)
	status := v.StatusCode
	if v.StatusSubCode != "" {
		status += " / " + v.StatusSubCode
	}
	if v.StatusMessage != "" {
		status += ": " + v.StatusMessage
	}
	row("Status", status)
	row("RelayState", msg.RelayState)
	if v.Encrypted {
		switch {
		case v.Decrypted:
			row("Encrypted", "yes (decrypted)")
		case r.DecryptionKeyGiven:
			row("Encrypted", "yes (NOT decrypted: the key given cannot decrypt it, see Problems)")
		default:
			row("Encrypted", "yes (not decrypted: no decryption key given)")
		}
	}
	if a := v.Assertion; a != nil {
		row("Assertion", a.ID)
		if a.Issuer != v.Issuer {
			row("Assertion issuer", a.Issuer)
		}
		row("NameID", a.NameID)
		row("NameID format", a.NameIDFormat)
		row("SPNameQualifier", a.NameIDSPNameQualifier)
		for _, sc := range a.SubjectConfirmations {
			row("Recipient", sc.Recipient)
			at("Confirmation until", sc.NotOnOrAfter)
		}
		row("Audience", strings.Join(a.Audiences, ", "))
		at("NotBefore", a.NotBefore)
		at("NotOnOrAfter", a.NotOnOrAfter)
		at("AuthnInstant", a.AuthnInstant)
		row("SessionIndex", a.SessionIndex)
		row("AuthnContext", a.AuthnContextClassRef)
	}
	return rows
}

// Binding names how the message travelled: "HTTP-Redirect binding",
// "HTTP-POST binding", or the input form for a bare value.
func (r *Report) Binding() string {
	switch {
	case r.Message.Deflated:
		return "HTTP-Redirect binding"
	case r.Message.Param != "":
		return "HTTP-POST binding"
	}
	return r.Message.Form
}

// summaryRelative says how far t is from now, to the second under two
// days ("in 4m0s", "3m12s ago", "now"), in days beyond ("990 days ago").
func summaryRelative(t, now time.Time) string {
	d := t.Sub(now).Round(time.Second)
	abs := d
	if abs < 0 {
		abs = -abs
	}
	s := abs.String()
	if abs >= 48*time.Hour {
		s = fmt.Sprintf("%d days", int(abs/(24*time.Hour)))
	}
	switch {
	case d > 0:
		return "in " + s
	case d < 0:
		return s + " ago"
	}
	return "now"
}
