package provision

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/samlab/samlab/aws"
)

// WriteJSON writes the result as indented JSON.
func WriteJSON(w io.Writer, r *Result) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

// WriteText writes the result as a provisioning log: one block per event
// (with every request when verbose or in a dry run, and the AWS lint's
// findings on each request of a dry run), then the summary table and the
// failure reasons.
func WriteText(w io.Writer, r *Result, verbose bool) error {
	b := &strings.Builder{}
	mode := ""
	if r.DryRun {
		mode = " (dry run: nothing was written)"
	}
	fmt.Fprintf(b, "%s cycle of app %q to %s%s\n\n", capital(r.Cycle), r.App, r.Target, mode)
	for _, ev := range r.Events {
		name := ev.ID
		if ev.Name != "" && ev.Name != ev.ID {
			name += " (" + ev.Name + ")"
		}
		fmt.Fprintf(b, "%-8s %-7s %s %s", ev.Status, ev.Action, ev.Object, name)
		if ev.Reason != "" {
			fmt.Fprintf(b, ": %s", ev.Reason)
		}
		b.WriteByte('\n')
		for _, m := range ev.Modified {
			if m.Old == nil {
				fmt.Fprintf(b, "    %s = %s\n", m.Path, show(m.New))
			} else {
				fmt.Fprintf(b, "    %s: %s -> %s\n", m.Path, show(m.Old), show(m.New))
			}
		}
		for _, n := range ev.Notes {
			fmt.Fprintf(b, "    note: %s\n", n)
		}
		if verbose || r.DryRun || ev.Status == StatusFailure {
			for _, x := range ev.Requests {
				if !verbose && !r.DryRun && !x.Failed() {
					continue
				}
				fmt.Fprintf(b, "    %s %s", x.Method, x.Path)
				if x.Status != 0 {
					fmt.Fprintf(b, " -> %d", x.Status)
				}
				b.WriteByte('\n')
				if len(x.Body) > 0 {
					fmt.Fprintf(b, "      %s\n", x.Body)
				}
				if x.Failed() && len(x.Response) > 0 {
					fmt.Fprintf(b, "      answer: %s\n", x.Response)
				}
				for _, f := range x.Findings {
					fmt.Fprintf(b, "      %s\n", f.String())
					if f.AWSError != "" && f.Severity == aws.Error {
						fmt.Fprintf(b, "        IdC answers: %s\n", f.AWSError)
					}
				}
			}
		}
	}
	if len(r.Events) > 0 {
		b.WriteByte('\n')
	}
	writeSummary(b, r)
	_, err := io.WriteString(w, b.String())
	return err
}

func capital(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

func show(v []string) string {
	if len(v) == 1 {
		return fmt.Sprintf("%q", v[0])
	}
	q := make([]string, len(v))
	for i, s := range v {
		q[i] = fmt.Sprintf("%q", s)
	}
	return "[" + strings.Join(q, ", ") + "]"
}

// writeSummary writes the counts, the failure reasons (IdC's error detail,
// grouped) and why the cycle stopped.
func writeSummary(b *strings.Builder, r *Result) {
	tw := tabwriter.NewWriter(b, 0, 0, 2, ' ', tabwriter.AlignRight)
	c := r.Counts
	fmt.Fprintln(tw, "created\tupdated\tdisabled\tdeleted\tskipped\tfailed\tunchanged\t")
	fmt.Fprintf(tw, "%d\t%d\t%d\t%d\t%d\t%d\t%d\t\n", c.Created, c.Updated, c.Disabled, c.Deleted, c.Skipped, c.Failed, c.Unchanged)
	tw.Flush()
	reasons := map[string][]string{}
	var order []string
	for _, ev := range r.Events {
		if ev.Status != StatusFailure {
			continue
		}
		if _, ok := reasons[ev.Reason]; !ok {
			order = append(order, ev.Reason)
		}
		reasons[ev.Reason] = append(reasons[ev.Reason], ev.ID)
	}
	if len(order) > 0 {
		b.WriteString("\nFailures:\n")
		for _, why := range order {
			fmt.Fprintf(b, "  %s: %s\n", strings.Join(reasons[why], ", "), why)
		}
	}
	if c.Staged > 0 {
		fmt.Fprintf(b, "\n%d disables and deletes held back (StagedDelete)\n", c.Staged)
	}
	if r.Stopped != "" {
		fmt.Fprintf(b, "\nThe cycle stopped: %s\n", r.Stopped)
	}
	if q := r.Quarantine; q != nil {
		fmt.Fprintf(b, "\nThe job is in quarantine (%s): %s; next attempt %s", q.Reason, q.Detail, q.NextAttempt.UTC().Format("2006-01-02 15:04 UTC"))
		if q.Disabled {
			b.WriteString("; in quarantine for four weeks, the job is disabled")
		}
		b.WriteByte('\n')
	}
}
