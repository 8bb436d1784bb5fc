#!/usr/bin/env bash
# Runs samlab's fuzz targets, a few at a time, and keeps what they find.
#
# Usage: scripts/fuzz.sh [-d DURATION] [-j JOBS] [-k KEEP] [-m DURATION] [-l] [TARGET ...]
#
#   -d DURATION  how long each target runs (go test -fuzztime), default 10m
#                (env FUZZTIME)
#   -j JOBS      how many targets run at once, default 2 (env FUZZ_JOBS);
#                each runs with -parallel=1, so JOBS is the number of cores used
#   -k KEEP      at most this many interesting inputs kept per target under
#                <pkg>/testdata/fuzz/<Target>/, default 20 (env FUZZ_KEEP)
#   -m DURATION  how long a worker may minimise each new interesting input
#                (go test -fuzzminimizetime), default 10s (env FUZZ_MINIMIZE).
#                Go's default of 60s stalls short runs of targets with large
#                seeds: the worker minimises instead of fuzzing
#   -l           list the targets and exit
#   TARGET       pkg:FuzzName (saml:FuzzRead) or FuzzName; default: every
#                func Fuzz* in the module's *_test.go files
#
# Crashing inputs are written to testdata/fuzz/<Target>/ by go test itself
# (the run then fails: add a regression test and fix). New interesting
# inputs only live in the fuzz cache ($(go env GOCACHE)/fuzz/...); this
# script copies up to KEEP of the smallest (at most 4 KiB each) into
# testdata/fuzz/<Target>/ so they become seed corpus for `go test`.
#
# Logs go to $FUZZ_LOGDIR (default /tmp/samlab-fuzz/<time>/); a Markdown
# table of target, duration, execs, new inputs and result is printed at the
# end and written to results.md in that directory.
set -euo pipefail

cd "$(dirname "$0")/.."
duration=${FUZZTIME:-10m}
jobs=${FUZZ_JOBS:-2}
keep=${FUZZ_KEEP:-20}
minimize=${FUZZ_MINIMIZE:-10s}
list=0
while getopts "d:j:k:m:lh" opt; do
	case $opt in
	d) duration=$OPTARG ;;
	j) jobs=$OPTARG ;;
	k) keep=$OPTARG ;;
	m) minimize=$OPTARG ;;
	l) list=1 ;;
	h) sed -n '2,28p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) exit 2 ;;
	esac
done
shift $((OPTIND - 1))

module=$(go list -m)
# Every target as pkg:Name, pkg relative to the module root.
all_targets() {
	grep -rHo --include='*_test.go' '^func Fuzz[A-Za-z0-9_]*(' . |
		sed -E 's#^\./##; s#/[^/]*_test\.go:func (Fuzz[A-Za-z0-9_]*)\($#:\1#' | sort -u
}
if [[ $list == 1 ]]; then
	all_targets
	exit 0
fi
targets=()
if [[ $# -eq 0 ]]; then
	mapfile -t targets < <(all_targets)
else
	for t in "$@"; do
		if [[ $t == *:* ]]; then
			targets+=("$t")
		else
			match=$(all_targets | grep ":$t\$" || true)
			[[ -n $match ]] || { echo "fuzz.sh: no target $t" >&2; exit 2; }
			targets+=("$match")
		fi
	done
fi

logdir=${FUZZ_LOGDIR:-/tmp/samlab-fuzz/$(date -u +%Y%m%dT%H%M%SZ)}
mkdir -p "$logdir"
cache=$(go env GOCACHE)/fuzz
echo "fuzz.sh: ${#targets[@]} targets, $duration each, $jobs at a time; logs in $logdir" >&2

# keep_corpus copies up to $keep small new interesting inputs of one target
# from the fuzz cache into its testdata.
keep_corpus() {
	local pkg=$1 name=$2 src dst have room
	src=$cache/$module/$pkg/$name
	dst=$pkg/testdata/fuzz/$name
	[[ -d $src ]] || return 0
	mkdir -p "$dst"
	have=$(find "$dst" -type f | wc -l)
	room=$((keep - have))
	((room > 0)) || return 0
	# Read the whole list first: leaving a pipeline early would SIGPIPE it,
	# and with pipefail and -e that ended the run before its result row.
	local files f
	mapfile -t files < <(find "$src" -type f -size -4097c -printf '%s %p\n' | sort -n | cut -d' ' -f2-)
	for f in "${files[@]}"; do
		((room > 0)) || break
		[[ -e $dst/$(basename "$f") ]] && continue
		cp "$f" "$dst/"
		room=$((room - 1))
	done
	# Drop an empty directory again.
	rmdir "$dst" 2>/dev/null || true
}

run_one() {
	local target=$1 pkg name log status start end
	pkg=${target%%:*}
	name=${target#*:}
	log=$logdir/${pkg//\//_}-$name.log
	start=$(date -u +%H:%M:%S)
	echo "fuzz.sh: $start start $pkg $name" >&2
	status=PASS
	if ! go test -run='^$' -fuzz="^$name\$" -fuzztime="$duration" -fuzzminimizetime="$minimize" -parallel=1 "./$pkg" >"$log" 2>&1; then
		status=FAIL
	fi
	end=$(date -u +%H:%M:%S)
	keep_corpus "$pkg" "$name"
	# The last progress line: "fuzz: elapsed: 10m0s, execs: 123 (205/sec), new interesting: 4 (total: 40)".
	local last execs rate newi elapsed
	last=$(grep -a 'fuzz: elapsed:' "$log" | tail -1 || true)
	elapsed=$(sed -nE 's/.*elapsed: ([^,]*),.*/\1/p' <<<"$last")
	execs=$(sed -nE 's/.*execs: ([0-9]+) .*/\1/p' <<<"$last")
	# Average rate over the run (the last line's own rate is for its last second).
	local secs
	secs=$(sed -E 's/([0-9]+)h/\1*3600+/; s/([0-9]+)m/\1*60+/; s/([0-9.]+)s$/\1/; s/\+$//' <<<"${elapsed:-0s}")
	rate=$(awk -v e="${execs:-0}" "BEGIN { s = $secs; if (s > 0) printf \"%d\", e / s; else print \"?\" }")
	newi=$(sed -nE 's/.*new interesting: ([0-9]+ \(total: [0-9]+\)).*/\1/p' <<<"$last")
	if [[ $status == FAIL ]]; then
		local why
		why=$(grep -a -m1 -E 'Failing input written to|panic:|--- FAIL' "$log" | tr '|' '/' || true)
		status="FAIL: ${why:-see log}"
	fi
	printf '| %s | %s | %s–%s | %s | %s | %s | %s |\n' "$pkg" "$name" "$start" "$end" "${elapsed:-?}" \
		"${execs:-?} (${rate:-?}/s)" "${newi:-?}" "$status" >>"$logdir/rows"
	echo "fuzz.sh: $end done  $pkg $name: $status, ${execs:-?} execs" >&2
}

: >"$logdir/rows"
running=0
for t in "${targets[@]}"; do
	if ((running >= jobs)); then
		wait -n || true
		running=$((running - 1))
	fi
	run_one "$t" &
	running=$((running + 1))
done
wait

{
	echo "| Package | Target | Time (UTC) | Duration | Execs | New interesting (total corpus) | Result |"
	echo "|---|---|---|---|---|---|---|"
	sort "$logdir/rows"
} | tee "$logdir/results.md"
! grep -q 'FAIL' "$logdir/rows"
