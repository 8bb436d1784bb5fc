package provision

import (
	"context"
	"fmt"
	"sync"
	"time"
)

// Runner runs a job's cycles with its state file: it loads the state,
// runs the cycle and saves the state (not after a dry run). One cycle runs
// at a time.
type Runner struct {
	Job    *Job
	Client *Client
	// StatePath is the state file; "" keeps the state in memory only.
	StatePath string

	mu    sync.Mutex
	state *State
}

// Cycle runs one cycle now.
func (r *Runner) Cycle(ctx context.Context, t *Tenant, o RunOptions) (*Result, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	st, err := r.load()
	if err != nil {
		return nil, err
	}
	res, err := r.Job.Run(ctx, r.Client, t, st, o)
	if err != nil || o.DryRun {
		return res, err
	}
	if r.StatePath == "" {
		r.state = st
		return res, nil
	}
	if err := st.Save(r.StatePath); err != nil {
		return res, err
	}
	return res, nil
}

func (r *Runner) load() (*State, error) {
	if r.StatePath == "" {
		if r.state == nil || r.state.Target != r.Client.BaseURL {
			r.state = NewState(r.Client.BaseURL)
		}
		return r.state, nil
	}
	return LoadState(r.StatePath, r.Client.BaseURL)
}

// State returns a copy of the job's state as last saved.
func (r *Runner) State() (*State, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	st, err := r.load()
	if err != nil {
		return nil, err
	}
	return st.clone(), nil
}

// Schedule runs cycles until ctx ends: the first when the job has not run
// (or is due), then every interval after the last, and in quarantine at
// the quarantine's next attempt, as Entra backs off. tenant returns the
// directory to read at each cycle; logf receives one line per cycle.
func (r *Runner) Schedule(ctx context.Context, interval time.Duration, tenant func() *Tenant, logf func(format string, a ...any)) {
	if interval <= 0 {
		interval = DefaultInterval
	}
	for {
		st, err := r.State()
		if err != nil {
			logf("provisioning %s: %v; the schedule stops", r.Job.App, err)
			return
		}
		next, ok := NextRun(st, interval, r.Job.Clock())
		if !ok {
			logf("provisioning %s: in quarantine for four weeks: the job is disabled (run samlab provision to try again)", r.Job.App)
			return
		}
		if wait := next.Sub(r.Job.Clock()); wait > 0 {
			t := time.NewTimer(wait)
			select {
			case <-ctx.Done():
				t.Stop()
				return
			case <-t.C:
			}
		}
		if ctx.Err() != nil {
			return
		}
		res, err := r.Cycle(ctx, tenant(), RunOptions{})
		if err != nil {
			if ctx.Err() != nil {
				return
			}
			logf("provisioning %s: %v", r.Job.App, err)
			// Try again after an interval rather than spinning.
			t := time.NewTimer(interval)
			select {
			case <-ctx.Done():
				t.Stop()
				return
			case <-t.C:
			}
			continue
		}
		logf("provisioning %s: %s", r.Job.App, res.Line())
	}
}

// Line summarises the cycle on one line, for logs.
func (r *Result) Line() string {
	c := r.Counts
	s := fmt.Sprintf("%s cycle to %s: %d created, %d updated, %d disabled, %d deleted, %d skipped, %d failed, %d unchanged",
		r.Cycle, r.Target, c.Created, c.Updated, c.Disabled, c.Deleted, c.Skipped, c.Failed, c.Unchanged)
	shown := 0
	for _, ev := range r.Events {
		if ev.Status == StatusFailure {
			if shown++; shown <= 5 {
				s += fmt.Sprintf("; %s %s: %s", ev.Object, ev.ID, ev.Reason)
			}
		}
	}
	if shown > 5 {
		s += fmt.Sprintf("; and %d more failures", shown-5)
	}
	if r.Stopped != "" {
		s += "; stopped: " + r.Stopped
	}
	if r.Quarantine != nil {
		s += "; quarantine: " + r.Quarantine.Reason
	}
	return s
}
