package main

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"time"

	"github.com/samlab/samlab/config"
	"github.com/samlab/samlab/provision"
)

func cmdProvision(e *env, args []string) int {
	fs := newFlags(e, "provision", "provision [--config FILE] [--state DIR] [--app NAME] [--target URL --token T] [--dry-run] [--user ID] [--allow-deletes] [--verbose] [--format text|json]",
		`Runs one cycle of the app's provisioning job now, as Entra's provisioning
service would: each user in scope is matched in the target (GET with a
userName filter), then created (POST) or updated with what changed (PATCH);
users out of scope or soft-deleted are disabled, deleted users deleted;
then groups and their members. The first cycle is the initial one; later
cycles send only differences from the state kept in the state directory
(provision-<app>.json). --user provisions one user on demand.

The target is the app's [apps.provisioning] target, by default samlab's own
SCIM server (<base_url>/scim/v2). --dry-run reads the target (GET only),
prints every request it would send with the AWS lint's findings on it, and
writes nothing, not even the state. Exit status 1 when any object failed,
the cycle stopped, or (dry run) the lint finds an error in a request.`,
		"  samlab provision --dry-run\n  samlab provision --app aws-identity-center --user bob\n  samlab provision --target https://scim.us-east-1.amazonaws.com/abc/scim/v2 --token env:IDC_TOKEN")
	cfgPath := configFlag(fs)
	state := stateFlag(fs)
	appName := fs.String("app", "", "the app whose provisioning job runs (default: the only app with [apps.provisioning])")
	target := fs.String("target", "", "SCIM endpoint `URL` (default: the app's target, else samlab's own server)")
	token := fs.String("token", "", "bearer `token`, or env:NAME (default: the app's token; for samlab's own server the first of [scim] tokens; else $"+envSCIMToken+")")
	dryRun := fs.Bool("dry-run", false, "send no writes: print the requests with the AWS lint's findings")
	user := fs.String("user", "", "provision one user `ID` on demand")
	format := fs.String("format", "text", "output format: text or json")
	allowDeletes := fs.Bool("allow-deletes", false, "send disables and deletes above the accidental-deletions threshold")
	verbose := fs.Bool("verbose", false, "print every request and answer, not only the failed ones")
	pos, status, ok := parseFlags(e, fs, args)
	if !ok {
		return status
	}
	if len(pos) > 0 {
		return fail(e, "provision", exitUsage, "takes no arguments, got %q (see samlab provision --help)", pos[0])
	}
	if *format != "text" && *format != "json" {
		return fail(e, "provision", exitUsage, "--format %q: use text or json", *format)
	}
	cfg, err := loadConfig(e, *cfgPath)
	if err != nil {
		fmt.Fprintln(e.stderr, "samlab provision: the configuration is invalid:")
		errorLines(e.stderr, err)
		return exitUsage
	}
	pj, err := newProvisioning(cfg, *appName, e.getenv, e.now)
	if err != nil {
		return fail(e, "provision", exitUsage, "%v", err)
	}
	if *target != "" {
		// Another target: the app's token is not sent to it.
		pj.runner.Client.BaseURL = *target
		pj.runner.Client.Token = e.getenv(envSCIMToken)
	}
	if *token != "" {
		pj.runner.Client.Token = config.ResolveToken(*token, e.getenv)
	}
	if pj.runner.Client.Token == "" {
		return fail(e, "provision", exitUsage, "no token for %s: give --token, set token in [apps.provisioning], or $%s", pj.runner.Client.BaseURL, envSCIMToken)
	}
	dir, err := resolveStateDir(e, *state)
	if err != nil {
		return fail(e, "provision", exitUsage, "%v", err)
	}
	pj.runner.StatePath = provision.StateFile(dir, pj.app.Name)

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	opts := provision.RunOptions{DryRun: *dryRun, User: *user, AllowDeletes: *allowDeletes,
		Progress: progressPrinter(e.stderr, e.now, 5*time.Second)}
	res, err := pj.runner.Cycle(ctx, pj.tenant, opts)
	if err != nil {
		return fail(e, "provision", exitUsage, "%v", err)
	}
	if *format == "json" {
		err = provision.WriteJSON(e.stdout, res)
	} else {
		var b strings.Builder
		err = provision.WriteText(&b, res, *verbose)
		io.WriteString(e.stdout, clean(b.String()))
	}
	if err != nil {
		return fail(e, "provision", exitUsage, "%v", err)
	}
	if res.Counts.Failed > 0 || res.Stopped != "" || res.LintErrors() > 0 {
		return exitFindings
	}
	return exitOK
}

// provisioning is an app's provisioning job wired from the configuration.
type provisioning struct {
	app    *config.App
	runner *provision.Runner
	tenant *provision.Tenant
}

// newProvisioning builds the job of app name (or of the only app with
// [apps.provisioning]); the token comes from the app's configuration, else
// $SAMLAB_SCIM_TOKEN.
func newProvisioning(cfg *config.Config, name string, getenv func(string) string, now func() time.Time) (*provisioning, error) {
	var app *config.App
	if name != "" {
		if app = cfg.App(name); app == nil {
			return nil, fmt.Errorf("--app %q: no such app in %s", name, sourceLabel(cfg))
		}
		if app.Provisioning == nil {
			return nil, fmt.Errorf("app %q has no [apps.provisioning] table: add one (see docs/provisioning.md)", name)
		}
	} else {
		var with []string
		for i := range cfg.Apps {
			if cfg.Apps[i].Provisioning != nil {
				with = append(with, cfg.Apps[i].Name)
				app = &cfg.Apps[i]
			}
		}
		switch len(with) {
		case 0:
			return nil, fmt.Errorf("no app in %s has an [apps.provisioning] table: add one (see docs/provisioning.md)", sourceLabel(cfg))
		case 1:
		default:
			return nil, fmt.Errorf("several apps have [apps.provisioning] (%s): pick one with --app", strings.Join(with, ", "))
		}
	}
	s := app.Provisioning.Settings(app.Name)
	s.Clock = now
	job, err := provision.NewJob(s)
	if err != nil {
		return nil, err
	}
	target := app.Provisioning.TargetURL(cfg.IdP.BaseURL)
	tok := config.ResolveToken(app.Provisioning.Token, getenv)
	own := strings.TrimRight(target, "/") == strings.TrimRight(cfg.IdP.BaseURL, "/")+"/scim/v2"
	if tok == "" && own && len(cfg.SCIM.Tokens) > 0 {
		// samlab's own server accepts its [scim] tokens.
		tok = cfg.SCIM.Tokens[0]
	}
	if tok == "" && getenv != nil {
		tok = strings.TrimSpace(getenv(envSCIMToken))
	}
	client := &provision.Client{BaseURL: target, Token: tok}
	return &provisioning{app: app, runner: &provision.Runner{Job: job, Client: client},
		tenant: &provision.Tenant{Users: cfg.ClaimsUsers(), Groups: cfg.Groups}}, nil
}

// progressPrinter reports a cycle's progress on w: on a terminal a line
// rewritten after each object, otherwise a line every `every`.
func progressPrinter(w io.Writer, now func() time.Time, every time.Duration) func(provision.Progress) {
	tty := false
	if f, ok := w.(*os.File); ok {
		if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
			tty = true
		}
	}
	last := now()
	return func(p provision.Progress) {
		line := fmt.Sprintf("provisioning: %d/%d done, %d failed", p.Done, p.Total, p.Failed)
		switch {
		case tty:
			end := ""
			if p.Done == p.Total {
				end = "\n"
			}
			fmt.Fprintf(w, "\r%s%s", line, end)
		case now().Sub(last) >= every:
			last = now()
			fmt.Fprintln(w, line)
		}
	}
}

// startProvisioning runs, in the background until ctx ends, the schedule
// of every app whose [apps.provisioning] sets an interval, as Entra's
// service runs incremental cycles. The first cycle waits until the target
// answers (polled every delay, for at most 30 s), so that samlab's own SCIM
// server is listening. A job without a token is not scheduled (logged).
func startProvisioning(ctx context.Context, e *env, cfg *config.Config, logger *slog.Logger, delay time.Duration, stateDir string) {
	dir, err := resolveStateDir(e, stateDir)
	if err != nil {
		logger.Warn("provisioning: no state directory; no provisioning schedule", "err", err)
		return
	}
	for _, a := range cfg.Apps {
		if a.Provisioning == nil || a.Provisioning.Interval == "" {
			continue
		}
		pj, err := newProvisioning(cfg, a.Name, e.getenv, e.now)
		if err != nil {
			logger.Warn("provisioning: not scheduled", "app", a.Name, "err", err)
			continue
		}
		if pj.runner.Client.Token == "" {
			logger.Warn("provisioning: not scheduled: no token (set token in [apps.provisioning] or $"+envSCIMToken+")", "app", a.Name, "target", pj.runner.Client.BaseURL)
			continue
		}
		pj.runner.StatePath = provision.StateFile(dir, a.Name)
		interval := a.Provisioning.Interval.Value()
		logger.Info("provisioning: scheduled", "app", a.Name, "target", pj.runner.Client.BaseURL, "interval", interval.String())
		go func() {
			// The first cycle waits for the target to answer at all (samlab's
			// own endpoint starts with the listener): a refused connection
			// would put the job in quarantine for six hours.
			waitReachable(ctx, pj.runner.Client.BaseURL+"/ServiceProviderConfig", delay, 30*time.Second)
			if ctx.Err() != nil {
				return
			}
			pj.runner.Schedule(ctx, interval, func() *provision.Tenant { return pj.tenant }, func(format string, args ...any) {
				logger.Info(fmt.Sprintf(format, args...))
			})
		}()
	}
}

// ownProvisioningToken gives the provisioning jobs that target samlab's own
// SCIM server without a token of their own a random token, for this
// process only, accepted by the server as one of its [scim] tokens. It
// does nothing when [scim] tokens or $SAMLAB_SCIM_TOKEN already provide one.
func ownProvisioningToken(cfg *config.Config, getenv func(string) string) {
	if len(cfg.SCIM.Tokens) > 0 || (getenv != nil && strings.TrimSpace(getenv(envSCIMToken)) != "") {
		return
	}
	need := false
	for _, a := range cfg.Apps {
		if pv := a.Provisioning; pv != nil && pv.Interval != "" && pv.Token == "" &&
			strings.TrimRight(pv.TargetURL(cfg.IdP.BaseURL), "/") == strings.TrimRight(cfg.IdP.BaseURL, "/")+"/scim/v2" {
			need = true
		}
	}
	if !need {
		return
	}
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		return
	}
	cfg.SCIM.Tokens = append(cfg.SCIM.Tokens, base64.RawURLEncoding.EncodeToString(b[:]))
}

// waitReachable polls url every period until any HTTP answer comes, ctx
// ends or limit passes.
func waitReachable(ctx context.Context, url string, period, limit time.Duration) {
	deadline := time.Now().Add(limit)
	client := &http.Client{Timeout: 2 * time.Second}
	for {
		t := time.NewTimer(period)
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-t.C:
		}
		if req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil); err == nil {
			if resp, err := client.Do(req); err == nil {
				resp.Body.Close()
				return
			}
		}
		if time.Now().After(deadline) {
			return
		}
	}
}
