package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/samlab/samlab/aws"
	"github.com/samlab/samlab/claims"
	"github.com/samlab/samlab/idp"
)

func cmdClaims(e *env, args []string) int {
	fs := newFlags(e, "claims", "claims --user ID --app NAME [--format table|json] [--explain] [--nameid-format URN] [--config FILE] [--state DIR]",
		`Shows the NameID and attributes a user gets for an app, and what AWS
would make of them (session tags, roles, session name). With --explain,
for every claim: which rule and condition row matched, each
transformation's input and output, and why omitted claims were omitted.`,
		"  samlab claims --user alice --app aws\n  samlab claims --user bob --app aws --explain\n  samlab claims --user alice --app aws --format json | jq .attributes")
	cfgPath := configFlag(fs)
	state := stateFlag(fs)
	user := fs.String("user", "", "user `id` (required)")
	app := fs.String("app", "", "app `name` (required)")
	format := fs.String("format", "table", "output `format`: table or json")
	explain := fs.Bool("explain", false, "show the trace of every claim")
	nameIDFormat := fs.String("nameid-format", "", "requested NameID format `URN` (as an AuthnRequest's NameIDPolicy)")
	pos, status, ok := parseFlags(e, fs, args)
	if !ok {
		return status
	}
	if len(pos) > 0 {
		return fail(e, "claims", exitUsage, "unexpected argument %q", pos[0])
	}
	if *user == "" || *app == "" {
		return fail(e, "claims", exitUsage, "--user and --app are required (see samlab claims --help)")
	}
	if *format != "table" && *format != "json" {
		return fail(e, "claims", exitUsage, "--format %q: use table or json", *format)
	}
	t, err := loadTenant(e, *cfgPath, idp.Options{StateDir: *state})
	if err != nil {
		fmt.Fprintln(e.stderr, "samlab claims: invalid configuration:")
		errorLines(e.stderr, err)
		return exitUsage
	}
	a, ok := t.App(*app)
	if !ok {
		return fail(e, "claims", exitUsage, "unknown app %q; apps: %s", *app, appNames(t))
	}
	u, ok := t.User(*user)
	if !ok {
		return fail(e, "claims", exitUsage, "unknown user %q", *user)
	}
	res, err := a.Engine().Evaluate(t.Directory, u, claims.EvalOptions{Explain: *explain, RequestedNameIDFormat: *nameIDFormat, IDSource: claims.RandomIDs{}})
	if err != nil {
		return fail(e, "claims", exitUsage, "%v", err)
	}
	findings := aws.LintClaims(res.NameID, res.Attributes, a.Profile)
	if *format == "json" {
		writeClaimsJSON(e.stdout, res, findings, *explain)
	} else {
		writeClaimsTable(e.stdout, res, a, t.Issuer().EntityID, findings, *explain)
		if !a.Assigned(t.Directory, u) {
			fmt.Fprintf(e.stdout, "\nnote: %s is not assigned to %s; the IdP would refuse this sign-in\n", u.ID, a.Name)
		}
	}
	return exitOK
}

func appNames(t *idp.Tenant) string {
	var n []string
	for _, a := range t.Apps() {
		n = append(n, a.Name)
	}
	return strings.Join(n, ", ")
}

func writeClaimsTable(w io.Writer, res *claims.Result, a *idp.App, issuer string, findings []aws.Finding, explain bool) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "NameID\t%s\n", value(res.NameID.Value))
	fmt.Fprintf(tw, "Format\t%s\n", res.NameID.Format)
	tw.Flush()
	if explain && res.NameID.Trace != nil {
		writeTrace(w, res.NameID.Trace)
	}
	fmt.Fprintln(w, "\nAttributes")
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, at := range res.Attributes {
		writeAttributeRows(tw, at.Name, at.Values)
		if explain && at.Trace != nil {
			tw.Flush()
			writeTrace(w, at.Trace)
		}
	}
	tw.Flush()
	if len(res.Omitted) > 0 {
		fmt.Fprintln(w, "\nOmitted")
		tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		for _, o := range res.Omitted {
			fmt.Fprintf(tw, "  %s\t%s\n", value(o.Name), value(o.Reason))
			if explain && o.Trace != nil {
				tw.Flush()
				writeTrace(w, o.Trace)
			}
		}
		tw.Flush()
	}
	if a.Profile.Name != "generic" {
		s := aws.SessionFromClaims(res.NameID, res.Attributes)
		// What the response would say: the IdP as issuer, and AWS takes
		// saml:aud from the Recipient, the app's default ACS.
		s.Profile, s.Issuer, s.Audience = a.Profile.Name, issuer, a.ACSURLs[0]
		s.Qualify()
		fmt.Fprintf(w, "\nAWS view (%s)\n", a.Profile.Name)
		for _, l := range s.Lines() {
			fmt.Fprintf(w, "  %s\n", clean(l))
		}
	}
	writeFindings(w, findings)
}

func writeTrace(w io.Writer, tr *claims.Trace) {
	for _, s := range tr.Steps {
		var b strings.Builder
		b.WriteString("      ")
		switch {
		case s.Row > 0:
			fmt.Fprintf(&b, "row %d ", s.Row)
		case s.Kind == "source":
			b.WriteString("base ")
		}
		b.WriteString(s.Kind)
		if s.Function != "" {
			b.WriteString(" " + s.Function)
		}
		if s.Kind == "condition" || s.Kind == "source" {
			if s.Matched {
				b.WriteString(" [matched]")
			} else {
				b.WriteString(" [skipped]")
			}
		}
		if len(s.Input) > 0 {
			fmt.Fprintf(&b, " in=%s", quoteList(s.Input))
		}
		if len(s.Output) > 0 {
			fmt.Fprintf(&b, " out=%s", quoteList(s.Output))
		}
		if s.Note != "" {
			b.WriteString(": " + s.Note)
		}
		fmt.Fprintln(w, value(b.String()))
	}
}

func quoteList(vs []string) string {
	q := make([]string, len(vs))
	for i, v := range vs {
		q[i] = fmt.Sprintf("%q", v)
	}
	return "[" + strings.Join(q, " ") + "]"
}

func writeFindings(w io.Writer, fs []aws.Finding) {
	if len(fs) == 0 {
		return
	}
	fmt.Fprintln(w, "\nFindings")
	for _, f := range fs {
		fmt.Fprintf(w, "  %s\n", clean(f.String()))
	}
}

// The --format json shapes, documented in the README.
type jsonNameID struct {
	Format string        `json:"format"`
	Value  string        `json:"value"`
	Trace  []claims.Step `json:"trace,omitempty"`
}

type jsonAttribute struct {
	Name       string        `json:"name"`
	NameFormat string        `json:"name_format,omitempty"`
	Values     []string      `json:"values"`
	Trace      []claims.Step `json:"trace,omitempty"`
}

type jsonOmitted struct {
	Name   string        `json:"name"`
	Reason string        `json:"reason"`
	Trace  []claims.Step `json:"trace,omitempty"`
}

type jsonClaims struct {
	NameID     jsonNameID      `json:"nameid"`
	Attributes []jsonAttribute `json:"attributes"`
	Omitted    []jsonOmitted   `json:"omitted,omitempty"`
	Findings   []aws.Finding   `json:"findings"`
}

// steps is a trace's steps for the JSON output (nil when not explained).
func steps(tr *claims.Trace) []claims.Step {
	if tr == nil {
		return nil
	}
	return tr.Steps
}

func writeClaimsJSON(w io.Writer, res *claims.Result, findings []aws.Finding, explain bool) {
	out := jsonClaims{
		NameID:     jsonNameID{Format: res.NameID.Format, Value: res.NameID.Value},
		Attributes: []jsonAttribute{},
		Findings:   findings,
	}
	if out.Findings == nil {
		out.Findings = []aws.Finding{}
	}
	if explain {
		out.NameID.Trace = steps(res.NameID.Trace)
	}
	for _, a := range res.Attributes {
		ja := jsonAttribute{Name: a.Name, NameFormat: a.NameFormat, Values: a.Values}
		if explain {
			ja.Trace = steps(a.Trace)
		}
		out.Attributes = append(out.Attributes, ja)
	}
	for _, o := range res.Omitted {
		jo := jsonOmitted{Name: o.Name, Reason: o.Reason}
		if explain {
			jo.Trace = steps(o.Trace)
		}
		out.Omitted = append(out.Omitted, jo)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.Encode(out)
}
