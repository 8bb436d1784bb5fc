package main

import (
	"bytes"
	"fmt"
	"time"

	"github.com/samlab/samlab/azurepolicy"
	"github.com/samlab/samlab/certs"
	"github.com/samlab/samlab/config"
	"github.com/samlab/samlab/idp"
)

func cmdMetadata(e *env, args []string) int {
	fs := newFlags(e, "metadata", "metadata [--config FILE] [--state DIR]",
		`Prints the IdP's SAML metadata: entity id, signing certificate, SSO
endpoints for the Redirect and POST bindings, Single Logout and NameID
formats. Upload it to AWS (IAM SAML provider or IAM Identity Center) or
give it to any SP.`,
		"  samlab metadata > idp-metadata.xml")
	cfgPath := configFlag(fs)
	state := stateFlag(fs)
	pos, status, ok := parseFlags(e, fs, args)
	if !ok {
		return status
	}
	if len(pos) > 0 {
		return fail(e, "metadata", exitUsage, "unexpected argument %q", pos[0])
	}
	t, err := loadTenant(e, *cfgPath, idp.Options{StateDir: *state})
	if err != nil {
		fmt.Fprintln(e.stderr, "samlab metadata: invalid configuration:")
		errorLines(e.stderr, err)
		return exitUsage
	}
	md, err := t.Metadata()
	if err != nil {
		return fail(e, "metadata", exitUsage, "%v", err)
	}
	e.stdout.Write(md)
	if len(md) > 0 && md[len(md)-1] != '\n' {
		e.stdout.Write([]byte("\n"))
	}
	return exitOK
}

func cmdCerts(e *env, args []string) int {
	fs := newFlags(e, "certs", "certs generate [--out DIR] [--key rsa-2048|rsa-3072|ecdsa-p256] [--cn NAME] [--days N] [--force]",
		`Generates a signing key and a self-signed certificate: DIR/idp.key
(PKCS#8 PEM, mode 0600) and DIR/idp.crt. Point idp.key and idp.cert of the
configuration at them. Existing files are never overwritten unless --force.`,
		"  samlab certs generate --out certs --key ecdsa-p256")
	out := fs.String("out", ".", "output `directory` (created with mode 0700 if missing)")
	alg := fs.String("key", certs.DefaultAlgorithm, "key `type`: rsa-2048, rsa-3072 or ecdsa-p256")
	cn := fs.String("cn", certs.DefaultCommonName, "certificate common `name`")
	days := fs.Int("days", 3*365, "certificate validity in `days`")
	force := fs.Bool("force", false, "overwrite existing idp.key and idp.crt")
	ignoredConfigFlag(fs)
	pos, status, ok := parseFlags(e, fs, args)
	if !ok {
		return status
	}
	if len(pos) != 1 || pos[0] != "generate" {
		return fail(e, "certs", exitUsage, "usage: samlab certs generate [--out DIR] [--key TYPE] (see samlab certs --help)")
	}
	if *days < 1 {
		return fail(e, "certs", exitUsage, "--days must be at least 1")
	}
	kp, err := certs.Generate(*alg, *cn, time.Duration(*days)*24*time.Hour, nil, e.now())
	if err != nil {
		return fail(e, "certs", exitUsage, "%v", err)
	}
	keyPath, certPath, err := certs.WriteWith(*out, kp, certs.WriteOptions{Overwrite: *force})
	if err != nil {
		return fail(e, "certs", exitUsage, "%v", err)
	}
	fmt.Fprintf(e.stdout, "wrote %s (mode 0600) and %s\n%s, SHA-256 fingerprint %s, valid until %s\n",
		keyPath, certPath, kp.Algorithm(), kp.Fingerprint(), kp.Certificate.NotAfter.UTC().Format(time.RFC3339))
	return exitOK
}

func cmdConfig(e *env, args []string) int {
	fs := newFlags(e, "config", "config check [FILE] [--config FILE] [--quiet]",
		`Checks a configuration file as samlab serve would load it — TOML syntax,
unknown keys, every value, every claim rule, and the AWS lint of each app's
rules with every user — and prints the effective configuration with all
defaults filled in, then every problem found. With no FILE: --config,
$SAMLAB_CONFIG, else the demo tenant. Exit status 2 when the file is
invalid.`,
		"  samlab config check tenant.toml")
	cfgPath := configFlag(fs)
	quiet := fs.Bool("quiet", false, "print only problems, not the effective configuration")
	pos, status, ok := parseFlags(e, fs, args)
	if !ok {
		return status
	}
	if len(pos) == 0 || pos[0] != "check" || len(pos) > 2 {
		return fail(e, "config", exitUsage, "usage: samlab config check [FILE] (see samlab config --help)")
	}
	path := *cfgPath
	if len(pos) == 2 {
		path = pos[1]
	}
	cfg, err := loadConfig(e, path)
	if err != nil {
		fmt.Fprintln(e.stderr, "samlab config: the configuration is invalid:")
		errorLines(e.stderr, err)
		return exitUsage
	}
	t, err := idp.New(cfg, idp.Options{StateDir: e.getenv("SAMLAB_STATE_DIR"), Clock: e.now})
	if err != nil {
		fmt.Fprintln(e.stderr, "samlab config: the configuration is invalid:")
		errorLines(e.stderr, err)
		return exitUsage
	}
	if !*quiet {
		var buf bytes.Buffer
		if err := cfg.Encode(&buf); err != nil {
			return fail(e, "config", exitUsage, "%v", err)
		}
		e.stdout.Write(buf.Bytes())
	}
	for _, w := range t.Warnings {
		fmt.Fprintf(e.stderr, "warning: %s\n", clean(w))
	}
	fmt.Fprintf(e.stderr, "%s: valid (%d users, %d groups, %d apps, %d warnings)\n", sourceLabel(cfg), len(cfg.Users), len(cfg.Groups), len(cfg.Apps), len(t.Warnings))
	return exitOK
}

func sourceLabel(cfg *config.Config) string {
	if cfg.Source == config.DemoSource {
		return "demo tenant"
	}
	return cfg.Source
}

func cmdImport(e *env, args []string) int {
	fs := newFlags(e, "import", "import azure-policy FILE [--app NAME]",
		`Turns a Microsoft Entra Claims Mapping Policy — the JSON that Graph and
PowerShell create and export, bare or wrapped in its Graph object — into
samlab claim rules: an [[apps]] fragment to paste into a configuration.
Whatever cannot be carried over is listed as a "# warning:" comment and
on standard error.`,
		"  samlab import azure-policy policy.json --app aws >> tenant.toml")
	app := fs.String("app", "imported", "app `name` for the fragment")
	ignoredConfigFlag(fs)
	pos, status, ok := parseFlags(e, fs, args)
	if !ok {
		return status
	}
	if len(pos) < 1 || pos[0] != "azure-policy" {
		return fail(e, "import", exitUsage, "usage: samlab import azure-policy FILE (see samlab import --help)")
	}
	data, name, err := readInput(e, pos[1:])
	if err != nil {
		return fail(e, "import", exitUsage, "%v", err)
	}
	res, err := azurepolicy.Convert(data)
	if err != nil {
		return fail(e, "import", exitUsage, "%s: %v", name, err)
	}
	var buf bytes.Buffer
	if err := azurepolicy.EncodeTOML(&buf, res, *app); err != nil {
		return fail(e, "import", exitUsage, "%v", err)
	}
	e.stdout.Write(buf.Bytes())
	for _, w := range res.Warnings {
		fmt.Fprintf(e.stderr, "warning: %s\n", clean(w))
	}
	return exitOK
}
