package web

import (
	"fmt"
	"runtime"
	"runtime/debug"
	"strings"
)

// Version describes the running binary: what `samlab version` prints, the
// start-up log line and /healthz?verbose=1 carry.
type Version struct {
	// Module is the main module's path.
	Module string `json:"module"`
	// Version is the module version: a release tag (v1.2.3) for
	// `go install ...@v1.2.3`, a pseudo-version, or "(devel)" for a build
	// from a checkout without version stamping.
	Version string `json:"version"`
	// Revision is the VCS commit the binary was built from ("" when the
	// build had no VCS information, as with `go install ...@latest`).
	Revision string `json:"revision,omitempty"`
	// RevisionTime is the commit's time (RFC 3339).
	RevisionTime string `json:"revision_time,omitempty"`
	// Modified reports uncommitted changes in the work tree at build time.
	Modified bool `json:"modified"`
	// BuildTime is when the release script or the Dockerfile built the
	// binary (RFC 3339; "" for go build and go install, which stamp no
	// time so that builds are reproducible).
	BuildTime string `json:"build_time,omitempty"`
	// GoVersion is the toolchain that built the binary.
	GoVersion string `json:"go_version"`
	// Platform is GOOS/GOARCH.
	Platform string `json:"platform"`
}

// ReadVersion reads the running binary's version from its build
// information (runtime/debug.ReadBuildInfo). Values given at link time
// (scripts/release.sh and the Dockerfile pass -ldflags -X) fill what the
// build information lacks: a build from a source tree without .git has no
// VCS revision.
func ReadVersion(linked Version) Version {
	bi, _ := debug.ReadBuildInfo()
	return versionFrom(bi, linked)
}

func versionFrom(bi *debug.BuildInfo, linked Version) Version {
	v := Version{GoVersion: runtime.Version(), Platform: runtime.GOOS + "/" + runtime.GOARCH}
	if bi != nil {
		v.Module, v.Version = bi.Main.Path, bi.Main.Version
		if bi.GoVersion != "" {
			v.GoVersion = bi.GoVersion
		}
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				v.Revision = s.Value
			case "vcs.time":
				v.RevisionTime = s.Value
			case "vcs.modified":
				v.Modified = s.Value == "true"
			}
		}
	}
	if linked.Version != "" && (v.Version == "" || v.Version == "(devel)") {
		v.Version = linked.Version
	}
	if linked.Revision != "" && v.Revision == "" {
		v.Revision, v.Modified = linked.Revision, linked.Modified
	}
	if linked.RevisionTime != "" && v.RevisionTime == "" {
		v.RevisionTime = linked.RevisionTime
	}
	if linked.BuildTime != "" {
		v.BuildTime = linked.BuildTime
	}
	if v.Module == "" {
		v.Module = "github.com/samlab/samlab"
	}
	if v.Version == "" {
		v.Version = "(devel)"
	}
	return v
}

// String is the one-line form:
//
//	v0.4.0 (commit 0f489c6a1b2c, 2026-12-06T23:10:00Z; built 2026-12-07T01:00:00Z; go1.26.11 linux/amd64)
//
// with ", modified" after the commit when the work tree had changes.
func (v Version) String() string {
	var parts []string
	if v.Revision != "" {
		rev := v.Revision
		if len(rev) > 12 {
			rev = rev[:12]
		}
		c := "commit " + rev
		if v.Modified {
			c += ", modified"
		}
		if v.RevisionTime != "" {
			c += ", " + v.RevisionTime
		}
		parts = append(parts, c)
	}
	if v.BuildTime != "" {
		parts = append(parts, "built "+v.BuildTime)
	}
	parts = append(parts, v.GoVersion+" "+v.Platform)
	return fmt.Sprintf("%s (%s)", v.Version, strings.Join(parts, "; "))
}
