// Command samlab is a SAML 2.0 Identity Provider and toolkit for connecting
// Microsoft Entra ID (Azure AD) to AWS: it serves a test IdP, issues signed
// sample responses, explains claims, and decodes, verifies and lints any
// SAML response against the rules AWS enforces.
//
// Every command is a thin client of samlab's library packages; see
// `samlab help` and the README.
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"
)

// Exit statuses, as SPEC.md sets them.
const (
	exitOK       = 0
	exitFindings = 1 // lint errors, failed verification
	exitUsage    = 2 // bad usage or input
)

// env is what a command may touch: its streams, the environment and the
// clock. Tests run commands with their own env.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	getenv         func(string) string
	now            func() time.Time
}

type command struct {
	name    string
	summary string
	run     func(e *env, args []string) int
}

var commands []command

func init() {
	commands = []command{
		{"serve", "run the IdP server (no configuration: the demo tenant)", cmdServe},
		{"assert", "print a signed SAML response for a user and an app", cmdAssert},
		{"claims", "show (and explain) the NameID and attributes a user gets for an app", cmdClaims},
		{"inspect", "decode any SAML response or request into a readable summary", cmdInspect},
		{"verify", "verify a response's signature against a certificate or IdP metadata", cmdVerify},
		{"lint", "check a response (or a SCIM payload) against the rules AWS enforces", cmdLint},
		{"metadata", "print the IdP's SAML metadata", cmdMetadata},
		{"certs", "generate a signing key and certificate (certs generate)", cmdCerts},
		{"config", "check a configuration file and print it with defaults (config check)", cmdConfig},
		{"provision", "run a provisioning cycle (SCIM) as Entra's provisioning service would", cmdProvision},
		{"import", "turn an Entra Claims Mapping Policy into samlab rules (import azure-policy)", cmdImport},
		{"scim", "SCIM endpoint tokens and provisioning log (scim token create, scim log)", cmdSCIM},
		{"version", "print the version, commit and Go toolchain samlab was built with", cmdVersion},
	}
}

func main() {
	e := &env{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr, getenv: os.Getenv, now: time.Now}
	os.Exit(run(e, os.Args[1:]))
}

func run(e *env, args []string) int {
	if len(args) == 0 {
		usage(e.stderr)
		return exitUsage
	}
	name := args[0]
	switch name {
	case "help", "-h", "-help", "--help":
		if len(args) > 1 {
			return run(e, []string{args[1], "--help"})
		}
		usage(e.stdout)
		return exitOK
	case "--version", "-version":
		return cmdVersion(e, args[1:])
	}
	for _, c := range commands {
		if c.name == name {
			return c.run(e, args[1:])
		}
	}
	fmt.Fprintf(e.stderr, "samlab: unknown command %q\n\n", name)
	usage(e.stderr)
	return exitUsage
}

func usage(w io.Writer) {
	fmt.Fprint(w, `samlab: a SAML 2.0 IdP and toolkit for Entra ID and AWS

Usage: samlab <command> [flags] [arguments]

Commands:
`)
	for _, c := range commands {
		fmt.Fprintf(w, "  %-9s %s\n", c.name, c.summary)
	}
	fmt.Fprint(w, `
Every command takes --config FILE (default: $SAMLAB_CONFIG, else the
built-in demo tenant). Run "samlab <command> --help" for its flags and an
example. Exit status: 0 success, 1 findings (lint errors, failed
verification), 2 bad usage or input.
`)
}

// newFlags makes a command's flag set with a --help text that has a usage
// line, the flags and an example.
func newFlags(e *env, name, usageLine, about, example string) *flag.FlagSet {
	fs := flag.NewFlagSet("samlab "+name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.Usage = func() {
		w := fs.Output()
		fmt.Fprintf(w, "Usage: samlab %s\n\n%s\n\nFlags:\n", usageLine, strings.TrimSpace(about))
		fs.PrintDefaults()
		if example != "" {
			fmt.Fprintf(w, "\nExample:\n%s\n", example)
		}
	}
	return fs
}

// parseFlags parses args, allowing flags after positional arguments
// ("samlab lint resp.b64 --profile aws-sts"). It returns the positional
// arguments and true, or a status to exit with: --help prints the usage to
// standard output and is a success.
func parseFlags(e *env, fs *flag.FlagSet, args []string) ([]string, int, bool) {
	for _, a := range args {
		if a == "--" {
			break
		}
		if a == "-h" || a == "-help" || a == "--help" {
			fs.SetOutput(e.stdout)
			fs.Usage()
			return nil, exitOK, false
		}
	}
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, exitUsage, false
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, 0, true
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

// fail prints an error prefixed with the command and returns the status.
func fail(e *env, cmd string, status int, format string, a ...any) int {
	fmt.Fprintf(e.stderr, "samlab %s: %s\n", cmd, clean(fmt.Sprintf(format, a...)))
	return status
}

// clean escapes control characters (ANSI escapes, CR, NUL, ...) so that
// values from a message cannot rewrite the terminal or forge output lines.
// Newlines and tabs are kept: they come from our own formatting.
func clean(s string) string {
	if !hasControl(s) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if r == '\n' || r == '\t' || !isControl(r) {
			b.WriteRune(r)
			continue
		}
		fmt.Fprintf(&b, `\x%02x`, r)
	}
	return b.String()
}

// value escapes a single value for one output line: control characters
// including newlines and tabs.
func value(s string) string {
	if !hasControl(s) && !strings.ContainsAny(s, "\n\t") {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if isControl(r) || r == '\n' || r == '\t' {
			fmt.Fprintf(&b, `\x%02x`, r)
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

func hasControl(s string) bool {
	for _, r := range s {
		if isControl(r) && r != '\n' && r != '\t' {
			return true
		}
	}
	return false
}

func isControl(r rune) bool {
	return r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) || r == '\u2028' || r == '\u2029' || r == '\ufeff'
}
