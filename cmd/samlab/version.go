package main

import (
	"encoding/json"
	"fmt"

	"github.com/samlab/samlab/web"
)

// Set at link time by scripts/release.sh and the Dockerfile
// (-ldflags "-X main.linkVersion=v1.2.3 ..."): they fill what the build
// information lacks, such as the commit of a source tree without .git, and
// the build time, which go build does not stamp.
var (
	linkVersion, linkRevision, linkRevisionTime, linkModified, linkBuildTime string
)

// buildVersion is the running binary's version.
func buildVersion() web.Version {
	return web.ReadVersion(web.Version{
		Version: linkVersion, Revision: linkRevision, RevisionTime: linkRevisionTime,
		Modified: linkModified == "true", BuildTime: linkBuildTime,
	})
}

func cmdVersion(e *env, args []string) int {
	fs := newFlags(e, "version", "version [--format text|json]",
		`Prints samlab's version: the module version (a release tag, a
pseudo-version, or (devel) for a build from a checkout), the commit it was
built from and whether the work tree had uncommitted changes, the build
time (release binaries and the container image), and the Go toolchain.
"samlab --version" is the same. GET /healthz?verbose=1 on a running server
answers the same fields as JSON.`,
		"  samlab version\n  samlab --version --format json")
	format := fs.String("format", "text", "output `format`: text or json")
	pos, status, ok := parseFlags(e, fs, args)
	if !ok {
		return status
	}
	if len(pos) > 0 {
		return fail(e, "version", exitUsage, "unexpected argument %q", pos[0])
	}
	v := buildVersion()
	switch *format {
	case "text":
		fmt.Fprintln(e.stdout, "samlab", v)
	case "json":
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		enc.Encode(v)
	default:
		return fail(e, "version", exitUsage, "--format %q: use text or json", *format)
	}
	return exitOK
}
