#!/usr/bin/env bash
# Installs the Debian 12 packages alprsim needs. Idempotent and non-interactive;
# runs as root, or through sudo when it is available.
set -euo pipefail

PACKAGES=(
  build-essential cmake pkg-config
  sumo sumo-tools
  libboost-graph-dev
  libopencv-dev
  nlohmann-json3-dev catch2 libsqlite3-dev sqlite3 zlib1g-dev libpugixml-dev
  libcli11-dev libspdlog-dev libtbb-dev
  libtesseract-dev tesseract-ocr-eng libopencv-contrib-dev fonts-roboto-unhinted
  slurm-wlm munge
  fonts-dejavu-core fonts-opendin fonts-bebas-neue fonts-b612 fonts-routed-gothic
  fonts-liberation fonts-urw-base35 fonts-freefont-ttf fonts-roadgeek
  time
  nodejs chromium
)
# Not installed here: python3-torch (PyTorch 1.13, ~1 GB with its dependencies). Only retraining
# the character CNN needs it (tools/train_char_cnn.py, recognition/README.md); the trained model
# is committed, and builds, tests and CI never train. `install-deps.sh --with-torch` adds it.
if [ "${1:-}" = "--with-torch" ]; then PACKAGES+=(python3-torch); fi
# npm installs the report's pinned JavaScript libraries. Debian ships it as its own package;
# a nodejs from elsewhere (NodeSource) bundles it and conflicts with Debian's.
command -v npm >/dev/null 2>&1 || PACKAGES+=(npm)

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "install-deps: run as root or install sudo" >&2; exit 1; }
  SUDO="sudo"
fi

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#PACKAGES[@]} packages already installed"
  exit 0
fi

echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
