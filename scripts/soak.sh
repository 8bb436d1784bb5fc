#!/usr/bin/env bash
# Soak test: runs `samlab serve` with the demo tenant on a loopback port and
# drives a steady mixed load against it (logins, SP-initiated flows through
# the built-in test SP, IdP-initiated flows with a session cookie) with
# securitytest/soakload, sampling the server's RSS every 10 seconds.
#
# Usage: scripts/soak.sh [-d DURATION] [-p PORT] [-r RATE] [-w WORKERS]
#
#   -d DURATION  how long to drive load, default 10m (env SOAK_DURATION)
#   -p PORT      loopback port, default 18080 (env SOAK_PORT)
#   -r RATE      flows started per second, default 40 (env SOAK_RATE)
#   -w WORKERS   concurrent browsers, default 4 (env SOAK_WORKERS)
#
# Exit status 0 when every request succeeded (2xx/3xx and the expected page)
# and the server logged no errors. The server log and the load report are
# kept in $SOAK_DIR (default: a new directory under /tmp).
set -euo pipefail

cd "$(dirname "$0")/.."
duration=${SOAK_DURATION:-10m}
port=${SOAK_PORT:-18080}
rate=${SOAK_RATE:-40}
workers=${SOAK_WORKERS:-4}
while getopts "d:p:r:w:h" opt; do
	case $opt in
	d) duration=$OPTARG ;;
	p) port=$OPTARG ;;
	r) rate=$OPTARG ;;
	w) workers=$OPTARG ;;
	h) sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) exit 2 ;;
	esac
done

dir=${SOAK_DIR:-$(mktemp -d /tmp/samlab-soak.XXXXXX)}
mkdir -p "$dir/state"
base="http://127.0.0.1:$port"
echo "soak.sh: building into $dir" >&2
go build -o "$dir/samlab" ./cmd/samlab
go build -o "$dir/soakload" ./securitytest/soakload
# The demo tenant, with base_url on our port so Destination checks match.
sed "s#^base_url = \"http://127.0.0.1:8080\"#base_url = \"$base\"#" config/demo.toml >"$dir/demo.toml"
grep -q "^base_url = \"$base\"" "$dir/demo.toml" || { echo "soak.sh: could not set base_url" >&2; exit 2; }

SAMLAB_STATE_DIR="$dir/state" "$dir/samlab" serve --config "$dir/demo.toml" --addr "127.0.0.1:$port" \
	>"$dir/server.log" 2>&1 &
server=$!
cleanup() { kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; }
trap cleanup EXIT
for _ in $(seq 1 100); do
	curl -fsS "$base/healthz" >/dev/null 2>&1 && break
	kill -0 "$server" 2>/dev/null || { echo "soak.sh: the server exited:" >&2; cat "$dir/server.log" >&2; exit 1; }
	sleep 0.2
done
curl -fsS "$base/healthz" >/dev/null

echo "soak.sh: server pid $server on $base; load for $duration" >&2
status=0
"$dir/soakload" -base "$base" -pid "$server" -duration "$duration" -rate "$rate" -workers "$workers" | tee "$dir/report.txt" || status=$?
# The server must still be healthy and must have logged no errors.
if ! curl -fsS "$base/healthz" >/dev/null; then
	echo "soak.sh: /healthz failed after the run" >&2
	status=1
fi
errors=$(grep -c 'level=ERROR' "$dir/server.log" || true)
echo "server log: $(wc -l <"$dir/server.log") lines, $errors at level ERROR ($dir/server.log)" | tee -a "$dir/report.txt"
[[ $errors == 0 ]] || status=1
exit $status
