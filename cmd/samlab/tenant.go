package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/samlab/samlab/config"
	"github.com/samlab/samlab/idp"
	"github.com/samlab/samlab/saml"
)

// maxInput bounds what a command reads from a file or standard input: a
// HAR file may be this large; every other form is refused by saml.Decode
// above saml.MaxInputBytes.
const maxInput = saml.MaxHARBytes

// configFlag adds --config to a flag set.
func configFlag(fs *flag.FlagSet) *string {
	return fs.String("config", "", "configuration `file` (default $SAMLAB_CONFIG, else the built-in demo tenant)")
}

// ignoredConfigFlag adds --config to a command that reads no
// configuration: every command takes it (so one alias or script can pass it
// to all), and says it is ignored.
func ignoredConfigFlag(fs *flag.FlagSet) {
	fs.String("config", "", "accepted and ignored: this command reads no configuration")
}

// stateFlag adds --state to a flag set: where the generated development key
// lives, shared by serve, assert and metadata (they must agree, or an SP
// that trusts one key gets responses signed with another).
func stateFlag(fs *flag.FlagSet) *string {
	return fs.String("state", "", "state `directory`: the generated signing key, the SCIM store (scim.db) and the provisioning state (default $SAMLAB_STATE_DIR, else $XDG_STATE_HOME/samlab, else ~/.local/state/samlab)")
}

// loadConfig resolves --config, $SAMLAB_CONFIG and the demo tenant.
func loadConfig(e *env, flagPath string) (*config.Config, error) {
	path, err := config.Resolve(flagPath, e.getenv)
	if err != nil {
		return nil, err
	}
	if path == "" {
		return config.Demo(), nil
	}
	cfg, err := config.LoadPartial(path)
	if err == nil {
		return cfg, nil
	}
	if cfg != nil {
		// One pass: the claim rules of what could be read are checked too,
		// so that problems of every kind come out together, by line.
		all := flatten(err)
		if rerr := idp.CheckRules(cfg, err); rerr != nil {
			all = append(all, flatten(rerr)...)
		}
		err = errors.Join(all...)
	}
	return nil, err
}

// loadTenant loads the configuration and the tenant with its key;
// opts.StateDir (from --state) wins over $SAMLAB_STATE_DIR.
func loadTenant(e *env, flagPath string, opts idp.Options) (*idp.Tenant, error) {
	cfg, err := loadConfig(e, flagPath)
	if err != nil {
		return nil, err
	}
	if opts.Clock == nil {
		opts.Clock = e.now
	}
	if opts.StateDir == "" {
		opts.StateDir = e.getenv("SAMLAB_STATE_DIR")
	}
	return idp.New(cfg, opts)
}

// readInput reads a FILE argument, "-" or no argument meaning standard
// input, bounded to maxInput.
func readInput(e *env, args []string) ([]byte, string, error) {
	var r io.Reader
	name := "standard input"
	switch {
	case len(args) > 1:
		return nil, "", fmt.Errorf("takes one input, got %d (%q ...)", len(args), args[1])
	case len(args) == 0 || args[0] == "-":
		r = e.stdin
	default:
		name = args[0]
		f, err := os.Open(args[0])
		if err != nil {
			return nil, name, err
		}
		defer f.Close()
		r = f
	}
	data, err := io.ReadAll(io.LimitReader(r, maxInput+1))
	if err != nil {
		return nil, name, fmt.Errorf("reading %s: %w", name, err)
	}
	if len(data) > maxInput {
		return nil, name, fmt.Errorf("%s is larger than %d MiB", name, maxInput>>20)
	}
	if len(data) == 0 {
		return nil, name, fmt.Errorf("%s is empty: give a SAML message (base64, URL-encoded, XML, a form body, a URL or a HAR file)", name)
	}
	return data, name, nil
}

// parseNow reads an RFC 3339 --now value; "" means the real clock.
func parseNow(e *env, s string) (time.Time, error) {
	if s == "" {
		return e.now(), nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("--now %q is not an RFC 3339 time such as 2026-01-02T15:04:05Z", s)
	}
	return t, nil
}

// errorLines prints every problem of a joined error on its own line.
func errorLines(w io.Writer, err error) {
	errs := flatten(err)
	config.SortByLine(errs)
	for _, e := range errs {
		fmt.Fprintf(w, "  %s\n", clean(e.Error()))
	}
}

func flatten(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		var out []error
		for _, e := range j.Unwrap() {
			out = append(out, flatten(e)...)
		}
		return out
	}
	return []error{err}
}
