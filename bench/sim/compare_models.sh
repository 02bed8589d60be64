#!/usr/bin/env bash
# Runs one scenario in both SUMO traffic models (microscopic and mesoscopic) on the same
# demand and seed, and compares what the cameras see: passes per camera and per hour.
# Prints the relative difference per camera, its mean, and the total-read ratio.
#
#   bash bench/sim/compare_models.sh [SCENARIO] [BUILD_DIR]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
scenario="$(realpath "${1:-$root/scenarios/brookline-baseline.json}")"
build="${2:-$root/build}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

for model in microscopic mesoscopic; do
  /usr/bin/python3 - "$scenario" "$model" "$work/$model.json" <<'PY'
import json, sys, os
src, model, dst = sys.argv[1:]
s = json.load(open(src))
s.setdefault("simulation", {})["model"] = model
s["name"] = s["name"] + "-" + model
# keep data paths resolvable from the temporary folder
s["network"]["osm"] = os.path.join(os.path.dirname(src), s["network"]["osm"]) if os.path.exists(os.path.join(os.path.dirname(src), s["network"]["osm"])) else s["network"]["osm"]
json.dump(s, open(dst, "w"))
PY
  start=$(date +%s.%N)
  "$build/alprsim" run "$work/$model.json" --out "$work/$model" > /dev/null
  echo "$model: $(echo "$(date +%s.%N) - $start" | bc) s wall"
done

/usr/bin/python3 - "$work/microscopic/reads.sqlite" "$work/mesoscopic/reads.sqlite" <<'PY'
import sqlite3, sys
def counts(path, key):
    db = sqlite3.connect(path)
    return dict(db.execute(f"SELECT {key}, COUNT(*) FROM reads GROUP BY 1").fetchall())
for label, key in (("camera", "camera"), ("hour", "CAST(time / 3600 AS INT) % 24")):
    micro, meso = counts(sys.argv[1], key), counts(sys.argv[2], key)
    keys = sorted(set(micro) | set(meso))
    diffs = []
    print(f"passes per {label}: key micro meso rel.diff")
    for k in keys:
        a, b = micro.get(k, 0), meso.get(k, 0)
        d = abs(a - b) / max(a, 1)
        diffs.append(d)
        print(f"  {k} {a} {b} {d:.3f}")
    print(f"mean relative difference per {label}: {sum(diffs) / len(diffs):.3f}")
print(f"total reads meso/micro: {sum(counts(sys.argv[2], 'camera').values()) / max(1, sum(counts(sys.argv[1], 'camera').values())):.3f}")
PY
