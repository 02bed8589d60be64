#!/usr/bin/env bash
# Retrains the plate finder (data/recognition/plate_finder.onnx) as committed: renders the
# training plates and street frames with alprsim, then trains in two stages (recognition/README.md,
# "Training"). Needs python3-torch and python3-opencv (`tools/install-deps.sh --with-torch`).
#   bash tools/train_plate_finder.sh [BUILD_DIR] [WORK_DIR]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${1:-$root/build}"
work="${2:-/tmp/alprsim-plate-finder}"
plates="${ALPRSIM_DATA:-$root/../shared/data}/plates"
mkdir -p "$work"

# Tight plate crops in every style the renderer has, and street frames with their plates' corners.
for style in MA NY CA NH CT VT RI TX PA; do
  "$build/alprsim" render --kind crop --style "$style" --count 350 --seed 7 --width 180 --out "$work/plates/$style" >/dev/null
done
i=0
for width in 40 60 90 130 180; do
  for yaw in -30 0 30; do
    i=$((i + 1))
    "$build/alprsim" render --kind frame --count 40 --seed $((100 + i)) --width "$width" --yaw "$yaw" --pitch 8 \
      --out "$work/frames/w${width}y${yaw}" >/dev/null
  done
done

# Stage 1: real backgrounds with real and rendered plates pasted in. Stage 2: the same with
# rendered street frames mixed in (their signs and panels as hard negatives), at a lower rate.
/usr/bin/python3 "$root/tools/train_plate_finder.py" --data "$plates" --rendered "$work/plates" \
  --steps 3000 --seed 1 --out "$work/stage1.onnx" --checkpoint "$work/stage1.pt"
/usr/bin/python3 "$root/tools/train_plate_finder.py" --data "$plates" --rendered "$work/plates" \
  --frames "$work/frames" --init "$work/stage1.pt" --lr 1e-3 --steps 1200 --seed 2 \
  --out "$root/data/recognition/plate_finder.onnx"
