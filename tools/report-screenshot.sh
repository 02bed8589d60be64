#!/usr/bin/env bash
# A PNG of a report page as a browser draws it (headless Chromium, offline).
#
#   bash tools/report-screenshot.sh REPORT.html OUT.png [WIDTH HEIGHT]
#       screenshot an existing report (default 1200 x 4200 pixels: the whole page)
#   bash tools/report-screenshot.sh --brookline-pair OUTDIR
#       run brookline-baseline (20 cameras) and the same with 5 cameras, report the pair into
#       OUTDIR/report.html and screenshot it into OUTDIR/report.png (about 30 s)
#
# Needs a build (build/alprsim, or $ALPRSIM_BUILD_DIR) and chromium (tools/install-deps.sh).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${ALPRSIM_BUILD_DIR:-$root/build}"
chromium="${CHROMIUM:-chromium}"

screenshot() {  # html png width height
  local profile
  profile="$(mktemp -d)"
  trap 'rm -rf "$profile"' RETURN
  "$chromium" --headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update \
    --disable-sync --no-first-run --user-data-dir="$profile" --host-resolver-rules="MAP * ~NOTFOUND" \
    --hide-scrollbars --window-size="$3,$4" --virtual-time-budget=30000 \
    --screenshot="$(realpath -m "$2")" "file://$(realpath "$1")" 2>/dev/null
  [ -s "$2" ] || { echo "report-screenshot: chromium wrote no $2" >&2; exit 1; }
  echo "Screenshot: $2"
}

if [ "${1:-}" = "--brookline-pair" ]; then
  out="${2:?usage: bash tools/report-screenshot.sh --brookline-pair OUTDIR}"
  mkdir -p "$out"
  out="$(realpath "$out")"
  cat > "$out/brookline-5-cameras.json" <<JSON
{
  "extends": "$root/scenarios/brookline-baseline.json",
  "name": "brookline-5-cameras",
  "description": "Brookline's weekday morning as in brookline-baseline, with only the 5 busiest camera sites.",
  "cameras": { "count": 5 }
}
JSON
  "$build/alprsim" run "$root/scenarios/brookline-baseline.json" --out "$out/brookline-baseline" --force
  "$build/alprsim" run "$out/brookline-5-cameras.json" --out "$out/brookline-5-cameras" --force
  "$build/alprsim" report "$out/brookline-baseline" "$out/brookline-5-cameras" --out "$out/report.html"
  screenshot "$out/report.html" "$out/report.png" 1200 4200
elif [ $# -ge 2 ]; then
  screenshot "$1" "$2" "${3:-1200}" "${4:-4200}"
else
  sed -n '2,11p' "${BASH_SOURCE[0]}" >&2
  exit 2
fi
