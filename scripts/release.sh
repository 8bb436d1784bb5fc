#!/usr/bin/env bash
# Builds samlab's release binaries: linux, darwin and windows, each for
# amd64 and arm64; static (CGO_ENABLED=0), -trimpath, stripped, stamped
# with the version, commit, dirty flag and build time (samlab version
# prints them), plus SHA256SUMS. It publishes nothing: attach dist/* to a
# release by hand (gh release create vX.Y.Z dist/*).
#
#   scripts/release.sh [VERSION]   build into dist/ (VERSION defaults to
#                                  git describe --tags, else the commit)
#   scripts/release.sh --check     what CI runs: build all six into a
#                                  temporary directory, verify the
#                                  checksums and each binary's platform and
#                                  stamps, run the native one; then delete.
#
# Environment: JOBS (parallel builds, default 2), SOURCE_DATE_EPOCH (build
# time, for reproducible builds; default now), OUT (output directory),
# TARGETS (a subset such as "linux/amd64"; --check always builds all six).
set -euo pipefail
cd "$(dirname "$0")/.."
export GOTOOLCHAIN=${GOTOOLCHAIN:-auto}

check=false
version=""
for a in "$@"; do
  case "$a" in
    --check) check=true ;;
    -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
    -*) echo "release.sh: unknown flag $a (see --help)" >&2; exit 2 ;;
    *) version=$a ;;
  esac
done

all="linux/amd64 linux/arm64 darwin/amd64 darwin/arm64 windows/amd64 windows/arm64"
targets=${TARGETS:-$all}
$check && targets=$all

revision=$(git rev-parse HEAD 2>/dev/null || true)
revtime=""
[ -z "$revision" ] || revtime=$(TZ=UTC git log -1 --format=%cd --date=format-local:%Y-%m-%dT%H:%M:%SZ)
modified=false
if [ -n "$revision" ] && [ -n "$(git status --porcelain --untracked-files=no 2>/dev/null)" ]; then
  modified=true
fi
if [ -z "$version" ]; then
  version=$(git describe --tags --match 'v[0-9]*' 2>/dev/null || true)
  [ -n "$version" ] || version="v0.0.0-dev${revision:++${revision:0:12}}"
fi
case "$version" in
  *[!A-Za-z0-9._+-]*|"") echo "release.sh: version $version: use letters, digits and . _ + - (e.g. v1.2.3)" >&2; exit 2 ;;
esac
if [ -n "${SOURCE_DATE_EPOCH:-}" ]; then
  built=$(date -u -d "@$SOURCE_DATE_EPOCH" +%Y-%m-%dT%H:%M:%SZ)
else
  built=$(date -u +%Y-%m-%dT%H:%M:%SZ)
fi

if $check; then
  out=$(mktemp -d /tmp/samlab-release-XXXXXX)
  trap 'rm -rf "$out"' EXIT
else
  out=${OUT:-dist}
  rm -rf "$out"
  mkdir -p "$out"
fi

ldflags="-s -w -X main.linkVersion=$version -X main.linkRevision=$revision -X main.linkRevisionTime=$revtime -X main.linkModified=$modified -X main.linkBuildTime=$built"

name() { # os/arch -> file name
  local os=${1%/*} arch=${1#*/} ext=""
  [ "$os" = windows ] && ext=.exe
  echo "samlab_${version}_${os}_${arch}${ext}"
}

build() { # os/arch
  local t=$1 start=$SECONDS
  CGO_ENABLED=0 GOOS=${t%/*} GOARCH=${t#*/} GOFLAGS=-buildvcs=false \
    go build -trimpath -ldflags "$ldflags" -o "$out/$(name "$t")" ./cmd/samlab
  echo "  $t: $((SECONDS - start)) s"
}

echo "release.sh: samlab $version (commit ${revision:-none}, modified=$modified, built $built) into $out"
start=$SECONDS
jobs=${JOBS:-2}
pids=()
for t in $targets; do
  build "$t" &
  pids+=($!)
  while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do wait -n || true; done
done
failed=0
for p in "${pids[@]}"; do wait "$p" || failed=1; done
[ "$failed" = 0 ] || { echo "release.sh: a build failed" >&2; exit 1; }

( cd "$out" && sha256sum samlab_* > SHA256SUMS )
echo "release.sh: $(wc -l < "$out/SHA256SUMS") binaries and SHA256SUMS in $((SECONDS - start)) s"

if $check; then
  ( cd "$out" && sha256sum --quiet -c SHA256SUMS )
  [ "$(wc -l < "$out/SHA256SUMS")" = 6 ] || { echo "release.sh: SHA256SUMS does not list six binaries" >&2; exit 1; }
  for t in $targets; do
    f="$out/$(name "$t")"
    info=$(go version -m "$f")
    for want in "GOOS=${t%/*}" "GOARCH=${t#*/}" "CGO_ENABLED=0" "-trimpath=true"; do
      case "$info" in
        *"$want"*) ;;
        *) echo "release.sh: $f: build information lacks $want" >&2; exit 1 ;;
      esac
    done
    # -trimpath leaves -ldflags out of the build information; the stamped
    # strings are in the binary's data.
    for want in "$version" "$built"; do
      grep -qaF -- "$want" "$f" || { echo "release.sh: $f does not carry the stamp $want" >&2; exit 1; }
    done
  done
  native="$out/$(name "$(go env GOOS)/$(go env GOARCH)")"
  if [ -x "$native" ]; then
    got=$(env -i "$native" version)
    case "$got" in
      "samlab $version ("*"built $built"*) echo "release.sh: $got" ;;
      *) echo "release.sh: $native version printed: $got" >&2; exit 1 ;;
    esac
  fi
  echo "release.sh: check passed (nothing published)"
fi
