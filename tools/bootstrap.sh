#!/usr/bin/env bash
# The two set-up commands of the README, in one script:
#   bash tools/bootstrap.sh demo   install packages, build (Release), run the default scenario
#   bash tools/bootstrap.sh test   install packages, build (Release), run the whole test suite
# Idempotent: a second call reinstalls nothing and rebuilds only what changed.
set -euo pipefail

mode="${1:-}"
case "$mode" in
  demo|test) ;;
  *) echo "usage: bash tools/bootstrap.sh demo|test" >&2; exit 2 ;;
esac

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${ALPRSIM_BUILD_DIR:-$root/build}"
jobs="$(nproc 2>/dev/null || echo 2)"

bash "$root/tools/install-deps.sh"
export SUMO_HOME="${SUMO_HOME:-/usr/share/sumo}"

# The report's JavaScript libraries, pinned in report/package-lock.json and inlined into every
# report page; reinstalled only when the lock file changed since the last install.
if ! cmp -s "$root/report/package-lock.json" "$root/report/node_modules/.alprsim-installed-lock"; then
  npm ci --prefix "$root/report" --no-audit --no-fund
  cp "$root/report/package-lock.json" "$root/report/node_modules/.alprsim-installed-lock"
fi

cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release
cmake --build "$build" -j "$jobs"

if [ "$mode" = demo ]; then
  out="${ALPRSIM_DEMO_OUT:-$root/out/brookline-baseline}"
  "$build/alprsim" run "$root/scenarios/brookline-baseline.json" --out "$out" --force
else
  ctest --test-dir "$build" --output-on-failure -j "$jobs" --timeout 900
fi
