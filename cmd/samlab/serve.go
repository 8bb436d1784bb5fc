package main

import (
	"context"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/samlab/samlab/idp"
	"github.com/samlab/samlab/web"
)

func cmdServe(e *env, args []string) int {
	fs := newFlags(e, "serve", "serve [--config FILE] [--state DIR] [--addr HOST:PORT] [--tls-cert PEM --tls-key PEM] [--log-level debug|info|warn|error]",
		`Runs the Identity Provider. With no configuration it serves the built-in
demo tenant (users alice, bob, carol, dave; apps aws, aws-identity-center,
test-sp, identity-center) for loopback use: open the address in a browser,
pick a user, and follow a flow to the built-in test SP, or to samlab's own
Identity Center (/identity-center), which signs in only the users
provisioned to the SCIM server (/scim shows them). The demo is for loopback
use: on any other address (--addr 0.0.0.0:8080, as in the container image)
serve warns that anyone who reaches it can sign in. The generated signing
key, the SCIM store and the provisioning state are kept in the --state
directory; give assert, metadata, provision and scim the same one.`,
		"  samlab serve\n  samlab serve --config tenant.toml --addr 127.0.0.1:9000")
	cfgPath := configFlag(fs)
	state := stateFlag(fs)
	addr := fs.String("addr", "", "listen `address` (default: host and port of idp.base_url, 127.0.0.1:8080)")
	tlsCert := fs.String("tls-cert", "", "serve HTTPS with this certificate `file` (PEM)")
	tlsKey := fs.String("tls-key", "", "private key `file` (PEM) for --tls-cert")
	logLevel := fs.String("log-level", "info", "log `level`: debug, info, warn or error (debug logs attribute values)")
	pos, status, ok := parseFlags(e, fs, args)
	if !ok {
		return status
	}
	if len(pos) > 0 {
		return fail(e, "serve", exitUsage, "unexpected argument %q", pos[0])
	}
	if (*tlsCert == "") != (*tlsKey == "") {
		return fail(e, "serve", exitUsage, "--tls-cert and --tls-key go together")
	}
	var level slog.Level
	if err := level.UnmarshalText([]byte(*logLevel)); err != nil {
		return fail(e, "serve", exitUsage, "--log-level %q: use debug, info, warn or error", *logLevel)
	}
	logger := slog.New(slog.NewTextHandler(e.stderr, &slog.HandlerOptions{Level: level}))
	t, err := loadTenant(e, *cfgPath, idp.Options{Logger: logger, StateDir: *state})
	if err != nil {
		e.stderr.Write([]byte("samlab serve: the configuration is invalid; not starting:\n"))
		errorLines(e.stderr, err)
		return exitUsage
	}
	listen := *addr
	if listen == "" {
		listen = hostPort(t.BaseURL)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	opts := web.Options{Logger: logger, TLSCertFile: *tlsCert, TLSKeyFile: *tlsKey, Version: buildVersion()}
	if t.Config.SCIM.IsEnabled() {
		ownProvisioningToken(t.Config, e.getenv)
		store, err := openSCIMStore(ctx, e, t.Config, *state)
		if err != nil {
			return fail(e, "serve", exitUsage, "%v", err)
		}
		defer store.Close()
		h := scimHandler(e, t.Config, store, logger)
		defer h.(io.Closer).Close() // writes the queued log entries; before store.Close
		opts.SCIM = h
		// The Identity Center SP signs in from it, /scim shows it.
		opts.SCIMStore = store
		logger.Info("SCIM endpoint", "url", t.BaseURL+web.SCIMPrefix)
	}
	startProvisioning(ctx, e, t.Config, logger, 200*time.Millisecond, *state)
	err = web.Serve(ctx, t, listen, opts)
	if err != nil {
		return fail(e, "serve", exitUsage, "%v", err)
	}
	return exitOK
}

// hostPort takes the listen address from a base URL: its host and port,
// or port 80/443 by scheme.
func hostPort(base string) string {
	rest := base
	scheme := "http"
	if i := strings.Index(rest, "://"); i >= 0 {
		scheme, rest = rest[:i], rest[i+3:]
	}
	if i := strings.IndexAny(rest, "/?#"); i >= 0 {
		rest = rest[:i]
	}
	if strings.LastIndex(rest, ":") > strings.LastIndex(rest, "]") {
		return rest
	}
	if scheme == "https" {
		return rest + ":443"
	}
	return rest + ":80"
}
