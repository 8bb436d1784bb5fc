package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/samlab/samlab/certs"
	"github.com/samlab/samlab/config"
	"github.com/samlab/samlab/scim"
	"github.com/samlab/samlab/scim/sqlstore"
)

// envSCIMToken is a bearer token accepted besides the stored ones.
const envSCIMToken = "SAMLAB_SCIM_TOKEN"

func scimStateDir(e *env) (string, error) {
	if d := e.getenv(certs.EnvStateDir); d != "" {
		return d, nil
	}
	return certs.DefaultStateDir()
}

// openSCIMStore opens the store [scim] database names: the embedded SQLite
// file in the state directory by default, or PostgreSQL.
func openSCIMStore(ctx context.Context, e *env, cfg *config.Config) (scim.Store, error) {
	dir := ""
	if cfg.SCIM.Database == "" {
		d, err := scimStateDir(e)
		if err != nil {
			return nil, err
		}
		dir = d
	}
	s, err := sqlstore.Open(ctx, cfg.SCIM.Database, dir)
	if err != nil {
		return nil, fmt.Errorf("[scim] database: %w", err)
	}
	return s, nil
}

// scimHandler is the SCIM endpoint of serve: the store's tokens, those of
// [scim] tokens and $SAMLAB_SCIM_TOKEN.
func scimHandler(e *env, cfg *config.Config, store scim.Store, logger *slog.Logger) http.Handler {
	var static, ids []string
	for i, t := range cfg.SCIM.Tokens {
		static, ids = append(static, t), append(ids, fmt.Sprintf("config-%d", i+1))
	}
	if t := strings.TrimSpace(e.getenv(envSCIMToken)); t != "" {
		static, ids = append(static, t), append(ids, "env")
	}
	return scim.NewServer(store, scim.Options{
		Tokens:       &scim.StoreTokens{Store: store, Static: static, StaticIDs: ids, Clock: e.now},
		Clock:        e.now,
		MaxBodyBytes: cfg.SCIM.MaxBodyBytes,
		IdCDetails:   cfg.SCIM.ErrorDetails == "idc",
		Logger:       logger,
	})
}

func cmdSCIM(e *env, args []string) int {
	fs := newFlags(e, "scim", "scim token create | token list | token delete ID | log [--limit N] [--format text|json]",
		`Manages the SCIM endpoint that samlab serve mounts at <base_url>/scim/v2,
in the store [scim] database names (default: the embedded SQLite file in
the state directory).

  token create   makes a bearer token, prints it once and keeps only its
                 SHA-256; a token lasts one year and at most two are live,
                 as in IAM Identity Center
  token list     the tokens' ids, creation and expiry (never the tokens)
  token delete   forgets a token; clients using it get 401
  log            the provisioning log, newest first: who, what, the status
                 and IdC's error detail`,
		"  samlab scim token create\n  samlab scim token delete tok-1a2b3c4d\n  samlab scim log --limit 20\n  samlab scim log --format json")
	cfgPath := configFlag(fs)
	limit := fs.Int("limit", 50, "log: how many `entries` to print (newest first)")
	format := fs.String("format", "text", "output `format`: text or json")
	pos, status, ok := parseFlags(e, fs, args)
	if !ok {
		return status
	}
	if *format != "text" && *format != "json" {
		return fail(e, "scim", exitUsage, "--format %q: use text or json", *format)
	}
	if len(pos) == 0 {
		return fail(e, "scim", exitUsage, "usage: samlab scim token create|list|delete ID, or samlab scim log (see samlab scim --help)")
	}
	switch {
	case pos[0] == "token" && len(pos) == 2 && (pos[1] == "create" || pos[1] == "list"):
	case pos[0] == "token" && len(pos) == 3 && pos[1] == "delete":
	case pos[0] == "log" && len(pos) == 1:
		if *limit < 1 {
			return fail(e, "scim", exitUsage, "--limit %d: give a number of entries, 1 or more", *limit)
		}
	case pos[0] == "token":
		return fail(e, "scim", exitUsage, "usage: samlab scim token create | token list | token delete ID")
	default:
		return fail(e, "scim", exitUsage, "unknown subcommand %q; use token or log (see samlab scim --help)", strings.Join(pos, " "))
	}
	cfg, err := loadConfig(e, *cfgPath)
	if err != nil {
		fmt.Fprintln(e.stderr, "samlab scim: the configuration is invalid:")
		errorLines(e.stderr, err)
		return exitUsage
	}
	ctx := context.Background()
	store, err := openSCIMStore(ctx, e, cfg)
	if err != nil {
		return fail(e, "scim", exitUsage, "%v", err)
	}
	defer store.Close()
	switch {
	case pos[0] == "log":
		return scimLog(e, store, *limit, *format)
	case pos[1] == "create":
		plain, t, err := scim.CreateToken(ctx, store, e.now())
		if errors.Is(err, scim.ErrTooManyTokens) {
			return fail(e, "scim", exitFindings, "%d tokens are live already (IAM Identity Center allows %d); delete one first: samlab scim token list, then samlab scim token delete ID", scim.MaxLiveTokens, scim.MaxLiveTokens)
		}
		if err != nil {
			return fail(e, "scim", exitUsage, "token create: %v", err)
		}
		if *format == "json" {
			return writeJSON(e, map[string]any{"id": t.ID, "token": plain, "created": t.Created, "expires": t.Expires})
		}
		fmt.Fprintln(e.stdout, plain)
		fmt.Fprintf(e.stderr, "token %s created, expires %s. It is shown only now; samlab keeps its SHA-256 hash.\n",
			t.ID, t.Expires.UTC().Format(time.RFC3339))
		return exitOK
	case pos[1] == "list":
		ts, err := store.Tokens(ctx)
		if err != nil {
			return fail(e, "scim", exitUsage, "token list: %v", err)
		}
		if *format == "json" {
			if ts == nil {
				ts = []scim.Token{}
			}
			return writeJSON(e, ts)
		}
		tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tCREATED\tEXPIRES\tSTATE")
		now := e.now()
		for _, t := range ts {
			state := "live"
			if !now.Before(t.Expires) {
				state = "expired"
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", t.ID, t.Created.UTC().Format(time.RFC3339), t.Expires.UTC().Format(time.RFC3339), state)
		}
		tw.Flush()
		if len(ts) == 0 {
			fmt.Fprintln(e.stderr, "no tokens; samlab scim token create makes one")
		}
		return exitOK
	default:
		id := pos[2]
		if err := store.DeleteToken(ctx, id); err != nil {
			if errors.Is(err, scim.ErrNotFound) {
				return fail(e, "scim", exitFindings, "no token %q; samlab scim token list shows the ids", id)
			}
			return fail(e, "scim", exitUsage, "token delete: %v", err)
		}
		fmt.Fprintf(e.stderr, "token %s deleted\n", clean(id))
		return exitOK
	}
}

func writeJSON(e *env, v any) int {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return fail(e, "scim", exitUsage, "%v", err)
	}
	e.stdout.Write(append(b, '\n'))
	return exitOK
}

func scimLog(e *env, store scim.Store, limit int, format string) int {
	entries, err := store.Log(context.Background(), limit, 0)
	if err != nil {
		return fail(e, "scim", exitUsage, "log: %v", err)
	}
	if format == "json" {
		if entries == nil {
			entries = []scim.LogEntry{}
		}
		return writeJSON(e, entries)
	}
	if len(entries) == 0 {
		fmt.Fprintln(e.stderr, "the provisioning log is empty")
		return exitOK
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "TIME\tSTATUS\tREQUEST\tCLIENT\tREQUEST ID\tERROR")
	for _, en := range entries {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", en.Time.UTC().Format("2006-01-02 15:04:05"), strconv.Itoa(en.Status),
			clean(en.Method+" "+en.Path), clean(en.Client), en.RequestID, clean(oneLine(en.Error)))
	}
	tw.Flush()
	return exitOK
}

func oneLine(s string) string {
	s = strings.ReplaceAll(s, "\n", " ")
	if len(s) > 200 {
		s = s[:200] + "…"
	}
	return s
}
