#!/usr/bin/env bash
# Runs the whole samlab test suite. On a fresh machine it first installs the
# tools the interoperability and browser tests use (xmlsec1, chromium,
# openssl, node and npm for the SCIM check), so
# nothing is skipped. SAMLAB_REQUIRE_TOOLS=1 makes those tests fail, rather
# than skip, when a tool is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v xmlsec1 >/dev/null 2>&1 || need+=(xmlsec1)
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v openssl >/dev/null 2>&1 || need+=(openssl)
command -v node >/dev/null 2>&1 || need+=(nodejs)
command -v npm >/dev/null 2>&1 || need+=(npm)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "test.sh: installing ${need[*]}" >&2
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
  else
    echo "test.sh: missing ${need[*]}; install them (Debian: apt-get install ${need[*]})" >&2
    exit 2
  fi
fi

# SCIMMY, the independent SCIM implementation scim.TestSCIMMY runs against
# the SCIM server, pinned by its package-lock.json.
[ -f scim/testdata/scimmy/node_modules/scimmy/package.json ] ||
  npm ci --silent --no-audit --no-fund --prefix scim/testdata/scimmy

# go.mod names the toolchain to use (it carries security fixes); "auto"
# lets the go command fetch it through the module proxy.
export GOTOOLCHAIN=auto
export SAMLAB_REQUIRE_TOOLS=1
go test -count=1 "$@" ./...
