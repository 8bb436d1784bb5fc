#!/usr/bin/env bash
# Load test of the IdP server: IdP-initiated responses for a signed-in user
# (GET /apps/aws/start with alice's session cookie), on loopback only, with
# wrk. The helper server first measures one bare RSA-2048 signature on this
# machine, the baseline the throughput is compared with.
#
#   scripts/loadtest.sh                    # 2 minutes, 16 connections
#   DURATION=20s CONNS=8 scripts/loadtest.sh
#
# TARGET=scim runs `samlab serve` itself (embedded SQLite store in a fresh
# state directory, token from $SAMLAB_SCIM_TOKEN), provisions one user
# and loads GET /scim/v2/Users/{id} (PATH_KIND=get, default) or
# GET /scim/v2/Users?filter=userName eq "..." (PATH_KIND=filter), Entra's
# matching request; each request also writes the provisioning log.
#
# Needs wrk (apt-get install -y wrk). Results: see BENCHMARKS.md "Server load"
# and "SCIM server".
set -euo pipefail
DURATION=${DURATION:-120s}
CONNS=${CONNS:-16}
THREADS=${THREADS:-1}
ADDR=${ADDR:-127.0.0.1:18080}
TARGET=${TARGET:-idp}
case "$ADDR" in 127.*|localhost:*) ;; *) echo "loadtest: loopback addresses only" >&2; exit 2 ;; esac
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || { echo "loadtest: wrk not found (apt-get install -y wrk)" >&2; exit 2; }

tmp=$(mktemp -d)
pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT

if [ "$TARGET" = scim ]; then
  token="loadtest-$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')"
  go build -o "$tmp/samlab" ./cmd/samlab
  SAMLAB_STATE_DIR="$tmp/state" SAMLAB_SCIM_TOKEN="$token" "$tmp/samlab" serve --addr "$ADDR" --log-level warn >"$tmp/out" 2>&1 &
  pid=$!
  for _ in $(seq 1 300); do curl -sf "http://$ADDR/healthz" >/dev/null && break; sleep 0.1; done
  curl -sf "http://$ADDR/healthz" >/dev/null || { cat "$tmp/out"; echo "loadtest: server did not start" >&2; exit 1; }
  created=$(curl -sf -X POST -H "Authorization: Bearer $token" -H 'Content-Type: application/scim+json' \
    -d '{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"load@example.com","name":{"givenName":"Load","familyName":"Test"},"displayName":"Load Test","emails":[{"value":"load@example.com","type":"work","primary":true}],"active":true}' \
    "http://$ADDR/scim/v2/Users")
  id=$(printf '%s' "$created" | sed -n 's/^{"id":"\([^"]*\)".*/\1/p')
  [ -n "$id" ] || { echo "loadtest: create failed: $created" >&2; exit 1; }
  url="http://$ADDR/scim/v2/Users/$id"
  [ "${PATH_KIND:-get}" = filter ] && url="http://$ADDR/scim/v2/Users?filter=userName%20eq%20%22load%40example.com%22"
  echo "nproc: $(nproc); go: $(go version | cut -d' ' -f3); $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2-)"
  echo "+ wrk -t$THREADS -c$CONNS -d$DURATION --latency -H 'Authorization: Bearer ...' $url"
  ticks=$(getconf CLK_TCK)
  cpu0=$(awk -v t="$ticks" '{print ($14+$15)/t}' /proc/$pid/stat)
  TIMEFORMAT='wrk CPU: %U s user + %S s system in %R s'
  time wrk -t"$THREADS" -c"$CONNS" -d"$DURATION" --latency -H "Authorization: Bearer $token" "$url"
  cpu1=$(awk -v t="$ticks" '{print ($14+$15)/t}' /proc/$pid/stat)
  echo "server CPU during the run: $(awk -v a="$cpu0" -v b="$cpu1" 'BEGIN{printf "%.1f", b-a}') s"
  echo "server peak RSS: $(grep VmHWM /proc/$pid/status | awk '{print $2, $3}')"
  kill "$pid"; wait "$pid" 2>/dev/null || true; pid=
  echo "provisioning log entries kept: $(SAMLAB_STATE_DIR="$tmp/state" "$tmp/samlab" scim log --format json --limit 100000 | grep -c '"seq"')"
  exit 0
fi

go build -o "$tmp/loadserver" ./web/internal/loadserver
"$tmp/loadserver" -addr "$ADDR" -cookie-file "$tmp/cookie" -log "$tmp/server.log" >"$tmp/out" 2>&1 &
pid=$!
for _ in $(seq 1 300); do [ -s "$tmp/cookie" ] && break; sleep 0.1; done
[ -s "$tmp/cookie" ] || { cat "$tmp/out"; echo "loadtest: server did not start" >&2; exit 1; }
cat "$tmp/out"
cookie=$(cat "$tmp/cookie")
echo "nproc: $(nproc); go: $(go version | cut -d' ' -f3); $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2-)"
echo "+ wrk -t$THREADS -c$CONNS -d$DURATION --latency -H 'Cookie: samlab_session=...' http://$ADDR/apps/aws/start"
ticks=$(getconf CLK_TCK)
cpu0=$(awk -v t="$ticks" '{print ($14+$15)/t}' /proc/$pid/stat)
TIMEFORMAT='wrk CPU: %U s user + %S s system in %R s'
time wrk -t"$THREADS" -c"$CONNS" -d"$DURATION" --latency -H "Cookie: $cookie" "http://$ADDR/apps/aws/start"
cpu1=$(awk -v t="$ticks" '{print ($14+$15)/t}' /proc/$pid/stat)
echo "server CPU during the run: $(awk -v a="$cpu0" -v b="$cpu1" 'BEGIN{printf "%.1f", b-a}') s"
echo "server CPU per response: $(awk -v a="$cpu0" -v b="$cpu1" -v n="$(grep -c 'msg="response issued"' "$tmp/server.log")" 'BEGIN{printf "%.0f µs", (b-a)/n*1e6}')"
echo "server peak RSS: $(grep VmHWM /proc/$pid/status | awk '{print $2, $3}')"
echo "responses logged: $(grep -c 'msg="response issued"' "$tmp/server.log" || true)"
echo "non-200 or errors logged: $(grep -c 'level=ERROR' "$tmp/server.log" || true)"
