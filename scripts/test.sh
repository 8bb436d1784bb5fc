#!/usr/bin/env bash
# Runs the whole samlab test suite. On a fresh machine it first installs the
# tools the interoperability and browser tests use (xmlsec1, chromium,
# openssl, node and npm for the SCIM check) and PostgreSQL for the SCIM
# store, and starts a throwaway PostgreSQL server, so nothing is skipped.
# SAMLAB_REQUIRE_TOOLS=1 makes those tests fail, rather
# than skip, when a tool is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v xmlsec1 >/dev/null 2>&1 || need+=(xmlsec1)
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v openssl >/dev/null 2>&1 || need+=(openssl)
command -v node >/dev/null 2>&1 || need+=(nodejs)
command -v npm >/dev/null 2>&1 || need+=(npm)
# PostgreSQL, for the SCIM store's tests (scim/sqlstore), unless a server is
# given in SAMLAB_TEST_POSTGRES. Debian keeps its binaries off PATH.
pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
if [ -z "${SAMLAB_TEST_POSTGRES:-}" ] && [ -z "$pgbin" ] && ! command -v initdb >/dev/null 2>&1; then
  need+=(postgresql)
fi
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
[ -f scim/sqltest/testdata/scimmy/node_modules/scimmy/package.json ] ||
  npm ci --silent --no-audit --no-fund --prefix scim/sqltest/testdata/scimmy

# A throwaway PostgreSQL cluster for this run: initdb into a temp dir, a
# non-default port on 127.0.0.1 and a unix socket in that dir, fsync off
# (the tests kill the client, never the server); stopped and removed on exit.
if [ -z "${SAMLAB_TEST_POSTGRES:-}" ]; then
  pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  [ -n "$pgbin" ] || pgbin=$(dirname "$(command -v initdb)")
  pgdir=$(mktemp -d /tmp/samlab-pg.XXXXXX)
  as_pg=()
  if [ "$(id -u)" = 0 ]; then
    # initdb refuses to run as root.
    chown postgres "$pgdir"
    as_pg=(runuser -u postgres --)
  fi
  stop_pg() {
    "${as_pg[@]}" "$pgbin/pg_ctl" -D "$pgdir/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$pgdir"
  }
  trap stop_pg EXIT
  "${as_pg[@]}" "$pgbin/initdb" -D "$pgdir/data" -A trust -U samlab --no-sync >"$pgdir/initdb.log" 2>&1 ||
    { cat "$pgdir/initdb.log" >&2; exit 2; }
  pgport=
  for port in $((54320 + RANDOM % 1000)) $((55320 + RANDOM % 1000)) $((56320 + RANDOM % 1000)); do
    if "${as_pg[@]}" "$pgbin/pg_ctl" -D "$pgdir/data" -l "$pgdir/server.log" -w -t 20 \
      -o "-p $port -k $pgdir -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" start >/dev/null 2>&1; then
      pgport=$port
      break
    fi
  done
  if [ -z "$pgport" ]; then
    echo "test.sh: PostgreSQL did not start:" >&2
    cat "$pgdir/server.log" >&2
    exit 2
  fi
  "${as_pg[@]}" "$pgbin/createdb" -h 127.0.0.1 -p "$pgport" -U samlab samlab_test
  export SAMLAB_TEST_POSTGRES="postgres://samlab@127.0.0.1:$pgport/samlab_test?sslmode=disable"
  echo "test.sh: PostgreSQL $("$pgbin/postgres" --version | awk '{print $3}') on 127.0.0.1:$pgport" >&2
fi

# go.mod names the toolchain to use (it carries security fixes); "auto"
# lets the go command fetch it through the module proxy.
export GOTOOLCHAIN=auto
export SAMLAB_REQUIRE_TOOLS=1
go test -count=1 "$@" ./...
