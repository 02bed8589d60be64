#!/usr/bin/env bash
# The long-horizon benchmark of issue 3: Brookline's full 2010 population for 28 days in SUMO's
# mesoscopic model, each day in its own process (`run --day-processes N`), target under 60
# minutes on 2 cores. Prints wall time, CPU time, peak memory of the largest process, and the
# run's own figures (trips, reads, teleported share).
#
#   bash bench/sim/month_meso.sh [PROCESSES=2] [BUILD_DIR=build] [OUT=<temp, removed>]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
processes="${1:-2}"
build="${2:-$root/build}"
out="${3:-}"
keep=1
if [ -z "$out" ]; then
  out="$(mktemp -d)/month"
  keep=0
fi
export SUMO_HOME="${SUMO_HOME:-/usr/share/sumo}"
timing="$(mktemp)"
/usr/bin/time -v -o "$timing" "$build/alprsim" run "$root/scenarios/brookline-month-meso.json" --out "$out" --force \
  --day-processes "$processes"
echo "--- brookline-month-meso.json, $processes day processes"
grep -E "Elapsed|User time|System time|Maximum resident" "$timing"
/usr/bin/python3 - "$out/results.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
c, d = r["counts"], r["demand"]
print(f"days {r['simulated']['days']}, trips {c['trips_departed']:,}, reads {c['reads']:,}, "
      f"teleported share {d['teleported_share']:.4%}, vehicles {c['vehicles']:,}")
PY
rm -f "$timing"
[ "$keep" = 1 ] || rm -rf "$(dirname "$out")"
