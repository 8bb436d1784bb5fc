#!/usr/bin/env bash
# Soak test: runs `samlab serve` with the demo tenant on a loopback port and
# drives a steady mixed load against it (logins, SP-initiated flows through
# the built-in test SP, IdP-initiated flows with a session cookie) with
# securitytest/soakload. The server is built with -tags pprof, which adds a
# profiling listener on a second loopback port (the default build has none),
# so every 10 seconds the load program reads the server's RSS, its live heap
# after a collection and its goroutine count, and once a minute saves a heap
# profile.
#
# The first WARMUP of load fills the server's bounded caches (pending
# requests live 10 minutes; replay markers up to that) and is not judged; the
# DURATION after it is the measured window.
#
# Usage: scripts/soak.sh [-d DURATION] [-W WARMUP] [-p PORT] [-r RATE] [-w WORKERS]
#
#   -d DURATION  the measured window, default 10m (env SOAK_DURATION)
#   -W WARMUP    load before the window, default 12m (env SOAK_WARMUP)
#   -p PORT      loopback port, default 18080; pprof listens on PORT+1
#                (env SOAK_PORT)
#   -r RATE      flows started per second, default 40 (env SOAK_RATE)
#   -w WORKERS   concurrent browsers, default 4 (env SOAK_WORKERS)
#
# Exit status 0 when every request succeeded (2xx/3xx and the expected page),
# the server logged no errors and its live heap grew by at most 25% from the
# window's first minute to its last. The server log, the load report and the
# heap profiles (heap/heap-MMmSSs.pb.gz) are kept in $SOAK_DIR (default: a new
# directory under /tmp); the report ends with the heap growth over the
# window by allocation site (go tool pprof -diff_base).
set -euo pipefail

cd "$(dirname "$0")/.."
duration=${SOAK_DURATION:-10m}
warmup=${SOAK_WARMUP:-12m}
port=${SOAK_PORT:-18080}
rate=${SOAK_RATE:-40}
workers=${SOAK_WORKERS:-4}
while getopts "d:W:p:r:w:h" opt; do
	case $opt in
	d) duration=$OPTARG ;;
	W) warmup=$OPTARG ;;
	p) port=$OPTARG ;;
	r) rate=$OPTARG ;;
	w) workers=$OPTARG ;;
	h) sed -n '2,31p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) exit 2 ;;
	esac
done

dir=${SOAK_DIR:-$(mktemp -d /tmp/samlab-soak.XXXXXX)}
mkdir -p "$dir/state" "$dir/heap"
base="http://127.0.0.1:$port"
pprof="127.0.0.1:$((port + 1))"
echo "soak.sh: building into $dir" >&2
go build -tags pprof -o "$dir/samlab" ./cmd/samlab
go build -o "$dir/soakload" ./securitytest/soakload
# The demo tenant, with base_url on our port so Destination checks match.
sed "s#^base_url = \"http://127.0.0.1:8080\"#base_url = \"$base\"#" config/demo.toml >"$dir/demo.toml"
grep -q "^base_url = \"$base\"" "$dir/demo.toml" || { echo "soak.sh: could not set base_url" >&2; exit 2; }

SAMLAB_STATE_DIR="$dir/state" SAMLAB_PPROF_ADDR="$pprof" "$dir/samlab" serve --config "$dir/demo.toml" --addr "127.0.0.1:$port" \
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

echo "soak.sh: server pid $server on $base; load for $warmup of warm-up, then $duration measured" >&2
status=0
"$dir/soakload" -base "$base" -pid "$server" -pprof "http://$pprof" -profile-dir "$dir/heap" \
	-warmup "$warmup" -duration "$duration" -rate "$rate" -workers "$workers" | tee "$dir/report.txt" || status=$?
# The server must still be healthy and must have logged no errors.
if ! curl -fsS "$base/healthz" >/dev/null; then
	echo "soak.sh: /healthz failed after the run" >&2
	status=1
fi
errors=$(grep -c 'level=ERROR' "$dir/server.log" || true)
echo "server log: $(wc -l <"$dir/server.log") lines, $errors at level ERROR ($dir/server.log)" | tee -a "$dir/report.txt"
[[ $errors == 0 ]] || status=1
# Where the heap grew over the window, by allocation site.
read -r first last < <(sed -n 's/^heap profiles over the window: //p' "$dir/report.txt") || true
if [[ -n ${last:-} ]]; then
	{
		echo
		echo "heap growth from $(basename "$first") to $(basename "$last") (inuse_space):"
		go tool pprof -sample_index=inuse_space -top -nodecount=15 -diff_base "$first" "$dir/samlab" "$last" 2>/dev/null |
			sed -n '/^Showing/,$p'
	} | tee -a "$dir/report.txt"
fi
exit $status
