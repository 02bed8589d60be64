#!/usr/bin/env bash
# The cost of full recognition against calibrated, and how well calibrated stands in for it
# (issue #27, items 2 and 3): runs one scenario with "recognition": {"mode": "calibrated"} and
# with "full", alternated REPEATS times in one bench run (so that load from other work falls on
# both alike), each a whole `alprsim run`.
#
#   bash bench/recognition/full_vs_calibrated.sh [SCENARIO] [BUILD_DIR] [REPEATS]
#
# Default: scenarios/brookline-baseline.json, build, 1 repeat. Prints each run's wall and CPU
# (user + system) seconds, the ratio full / calibrated of their medians (target: at most 2 on
# wall time) with each alternation's ratio and a 95% bootstrap interval, and from the last run
# of each mode: captures, no-read and misread shares, and the Pearson correlation of the reads
# per camera (targets: within 2 points, within 0.5 points, at least 0.95).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
scenario="$(realpath "${1:-$root/scenarios/brookline-baseline.json}")"
build="$(realpath "${2:-$root/build}")"
repeats="${3:-1}"
[ -x "$build/alprsim" ] || { echo "full_vs_calibrated.sh: no alprsim in $build (build it first)" >&2; exit 2; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

for mode in calibrated full; do
  printf '{"extends": "%s", "recognition": {"mode": "%s"}}\n' "$scenario" "$mode" > "$work/$mode.json"
done
for ((i = 1; i <= repeats; i++)); do
  for mode in calibrated full; do
    rm -rf "$work/$mode"
    if ! /usr/bin/time -f "%e %U %S" -o "$work/time" "$build/alprsim" run "$work/$mode.json" --out "$work/$mode" \
        > "$work/$mode.log" 2>&1; then
      cat "$work/$mode.log"; exit 1
    fi
    read -r wall user sys < "$work/time"
    echo "$mode $wall $(echo "$user + $sys" | bc)" >> "$work/times"
    printf '%s run %d: %.1f s wall, %.1f s CPU\n' "$mode" "$i" "$wall" "$(echo "$user + $sys" | bc)"
  done
done

/usr/bin/python3 - "$work" <<'PY'
import json, math, random, sqlite3, statistics, sys
work = sys.argv[1]
times = {}
for line in open(work + "/times"):
    mode, wall, cpu = line.split()
    times.setdefault(mode, []).append((float(wall), float(cpu)))
med = {m: (statistics.median(w for w, _ in t), statistics.median(c for _, c in t)) for m, t in times.items()}
print("median wall: calibrated %.1f s, full %.1f s: full / calibrated %.2f" % (med["calibrated"][0], med["full"][0], med["full"][0] / med["calibrated"][0]))
print("median CPU:  calibrated %.1f s, full %.1f s: full / calibrated %.2f" % (med["calibrated"][1], med["full"][1], med["full"][1] / med["calibrated"][1]))
# Each alternation's pair, and how far the load's swings leave the ratio of medians: a 95%
# interval from resampling the pairs (a fixed seed, so the same times give the same interval).
pairs = list(zip(times["calibrated"], times["full"]))
print("full / calibrated wall, each alternation: " + ", ".join("%.2f" % (f[0] / c[0]) for c, f in pairs))
if len(pairs) >= 3:
    rng = random.Random(1)
    boot = sorted(statistics.median(f[0] for _, f in s) / statistics.median(c[0] for c, _ in s)
                  for s in ([rng.choice(pairs) for _ in pairs] for _ in range(2000)))
    print("full / calibrated wall, 95%% interval (bootstrap over the %d alternations): %.2f-%.2f" % (len(pairs), boot[49], boot[1949]))

def reads_by_camera(run):
    db = sqlite3.connect(run + "/reads.sqlite")
    cams = {c: 0 for (c,) in db.execute("SELECT id FROM cameras")}
    tables = [t for (t,) in db.execute("SELECT name FROM sqlite_master WHERE type='table' AND name LIKE 'reads%'")]
    for t in tables:
        for c, n in db.execute(f"SELECT camera, COUNT(*) FROM {t} GROUP BY camera"):
            cams[c] = cams.get(c, 0) + n
    return cams

def pearson(a, b):
    ma, mb = statistics.mean(a), statistics.mean(b)
    sa = math.sqrt(sum((x - ma) ** 2 for x in a)); sb = math.sqrt(sum((y - mb) ** 2 for y in b))
    return sum((x - ma) * (y - mb) for x, y in zip(a, b)) / (sa * sb) if sa > 0 and sb > 0 else float("nan")

shares = {}
for mode in ("calibrated", "full"):
    c = json.load(open(f"{work}/{mode}/results.json"))["counts"]
    n = c["reads"] + c["captures_not_read"]
    shares[mode] = (n, c["captures_not_read"] / n, c["reads_misread"] / n)
    print("%-10s %d captures: no-read %.2f%%, misread %.2f%%" % (mode, n, 100 * shares[mode][1], 100 * shares[mode][2]))
print("calibrated - full: no-read %+.2f points, misread %+.2f points" % (
    100 * (shares["calibrated"][1] - shares["full"][1]), 100 * (shares["calibrated"][2] - shares["full"][2])))
a, b = reads_by_camera(work + "/full"), reads_by_camera(work + "/calibrated")
cams = sorted(a)
print("reads per camera, Pearson correlation calibrated vs full: %.4f (%d cameras)" % (pearson([a[k] for k in cams], [b.get(k, 0) for k in cams]), len(cams)))
PY
