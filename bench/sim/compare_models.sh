#!/usr/bin/env bash
# Runs one scenario in both SUMO traffic models (microscopic and mesoscopic) on the same
# demand and seed, and compares what the fixed cameras see: passes (reads; with the default
# "perfect" recognition every capture is a read) per camera and per hour of the day.
#
#   bash bench/sim/compare_models.sh [SCENARIO] [BUILD_DIR]
#   bash bench/sim/compare_models.sh --runs MICRO_RUN_DIR MESO_RUN_DIR   (compare finished runs)
#
# Prints each run's wall time, then per camera and per hour: micro, meso, (meso - micro) /
# micro; and the summary figures: total passes meso/micro, median and mean absolute relative
# difference per camera, Pearson correlation of the per-camera and per-hour counts.
# Mesoscopic sensing is an approximation (sensors/sensor_array.h): vehicles are dead-reckoned
# along lane 0 between their edge transitions.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
if [ "${1:-}" = "--runs" ]; then
  [ -f "${2:-}/results.json" ] && [ -f "${3:-}/results.json" ] || { echo "compare_models.sh --runs: need two finished run directories (with results.json)" >&2; exit 2; }
  ln -s "$(realpath "$2")" "$work/microscopic"
  ln -s "$(realpath "$3")" "$work/mesoscopic"
  models=""
else
  scenario="$(realpath "${1:-$root/scenarios/brookline-baseline.json}")"
  build="${2:-$root/build}"
  models="microscopic mesoscopic"
fi

for model in $models; do
  # The scenario is copied beside the original so that its relative data paths still resolve.
  copy="$(dirname "$scenario")/.compare-$model-$$.json"
  /usr/bin/python3 - "$scenario" "$model" "$copy" <<'PY'
import json, sys
src, model, dst = sys.argv[1:]
s = json.load(open(src))
s.setdefault("simulation", {})["model"] = model
s["name"] = s["name"] + "-" + model
json.dump(s, open(dst, "w"))
PY
  start=$(date +%s.%N)
  if ! "$build/alprsim" run "$copy" --out "$work/$model" > "$work/$model.log" 2>&1; then
    rm -f "$copy"; cat "$work/$model.log"; exit 1
  fi
  rm -f "$copy"
  printf '%s: %.1f s wall\n' "$model" "$(echo "$(date +%s.%N) - $start" | bc)"
done

/usr/bin/python3 - "$work/microscopic" "$work/mesoscopic" <<'PY'
import json, math, sqlite3, statistics, sys

def passes(run, key):
    db = sqlite3.connect(run + "/reads.sqlite")
    tables = [t for (t,) in db.execute("SELECT name FROM sqlite_master WHERE type='table' AND name LIKE 'reads%'")]
    union = " UNION ALL ".join(f"SELECT camera, time FROM {t}" for t in tables)
    return dict(db.execute(f"SELECT {key}, COUNT(*) FROM ({union}) GROUP BY 1").fetchall())

def pearson(a, b):
    ma, mb = statistics.mean(a), statistics.mean(b)
    sa = math.sqrt(sum((x - ma) ** 2 for x in a)); sb = math.sqrt(sum((y - mb) ** 2 for y in b))
    return sum((x - ma) * (y - mb) for x, y in zip(a, b)) / (sa * sb) if sa > 0 and sb > 0 else float("nan")

micro_dir, meso_dir = sys.argv[1:]
for d in (micro_dir, meso_dir):
    r = json.load(open(d + "/results.json"))
    f = r["sensing"]["fixed"]
    print(f"{r['simulated']['model']}: {r['counts']['trips_completed']} trips completed, "
          f"{r['counts']['trips_teleported']} teleported, fixed captures {f['captured']}, failures {json.dumps(f['failed'])}")
cameras = json.load(open(micro_dir + "/results.json"))["counts"]["cameras"]
for label, key in (("camera", "camera"), ("hour", "CAST(time / 3600 AS INT) % 24")):
    micro, meso = passes(micro_dir, key), passes(meso_dir, key)
    keys = sorted(set(micro) | set(meso))
    diffs = []
    print(f"\npasses per {label}: {label} micro meso (meso-micro)/micro")
    for k in keys:
        a, b = micro.get(k, 0), meso.get(k, 0)
        d = (b - a) / a if a else float("nan")
        if a: diffs.append(abs(d))
        print(f"  {k} {a} {b} {d:+.3f}")
    print(f"per {label}: median |relative difference| {statistics.median(diffs):.3f}, "
          f"mean {statistics.mean(diffs):.3f}, max {max(diffs):.3f}, "
          f"Pearson r {pearson([micro.get(k, 0) for k in keys], [meso.get(k, 0) for k in keys]):.4f}")
total_micro = sum(passes(micro_dir, "camera").values())
total_meso = sum(passes(meso_dir, "camera").values())
print(f"\ntotal passes: micro {total_micro}, meso {total_meso}, meso/micro {total_meso / max(1, total_micro):.3f}")
PY
