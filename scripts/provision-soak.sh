#!/usr/bin/env bash
# Provisioning soak: repeated cycles of samlab's provisioning client (1,000
# users, a tenth changed per cycle, some unassigned and reassigned) against
# samlab's own SCIM handler in process, for a 2-minute warm-up (the store's
# request log fills) and then DURATION (default 10m), with the live heap
# after a collection logged every 30 s. Fails when the window's last
# minute's mean live heap is more than 25% above its first minute's.
#
# Usage: scripts/provision-soak.sh [DURATION]   (warm-up: env SAMLAB_PROVISION_SOAK_WARMUP)
set -euo pipefail
cd "$(dirname "$0")/.."
d=${1:-10m}
SAMLAB_PROVISION_SOAK=$d go test -count=1 -timeout 0 -run '^TestProvisionSoak$' -v ./provision/
