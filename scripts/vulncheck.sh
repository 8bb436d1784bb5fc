#!/usr/bin/env bash
# Runs govulncheck on samlab's own packages. The vulnerability database is
# built locally from golang.org/x/vulndb, fetched through the Go module
# proxy, because vuln.go.dev may be out of reach (it is from CI); the
# database is the newest vulndb the proxy has.
#
# Scanned: every package but examples/ and web/internal/loadserver. Those
# two run crewjam/saml's ServiceProvider, which has an unfixed advisory
# (GO-2026-6909, see SECURITY.md); samlab itself verifies responses with its
# own reader and never calls that code.
set -euo pipefail
cd "$(dirname "$0")/.."
export GOTOOLCHAIN=auto GOFLAGS=-mod=mod

govulncheck_version=v1.9.0
vulndb_version=$(go list -m -f '{{.Version}}' golang.org/x/vulndb@latest)
vulndb_dir=$(go mod download -json "golang.org/x/vulndb@$vulndb_version" | sed -n 's/^\t"Dir": "\(.*\)",$/\1/p')
db=$(mktemp -d)
trap 'rm -rf "$db"' EXIT

echo "vulncheck.sh: database from golang.org/x/vulndb@$vulndb_version" >&2
go run "golang.org/x/vulndb/cmd/indexdb@$vulndb_version" -vulns "$vulndb_dir/data/osv" -out "$db"
pkgs=$(GOFLAGS= go list ./... | grep -v -e '/examples/' -e '/internal/loadserver')
GOFLAGS= go run "golang.org/x/vuln/cmd/govulncheck@$govulncheck_version" -db "file://$db" $pkgs
