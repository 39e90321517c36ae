#!/usr/bin/env bash
# Quick start 2: set up, build the dev preset with warnings as errors, and run every test (headless).
# Exits non-zero if the build or any test fails.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

bash scripts/setup.sh
cmake --preset dev -DTHREADLAB_WERROR=ON >/dev/null
cmake --build --preset dev -j2

# A private runtime dir silences Qt's "XDG_RUNTIME_DIR not set"; tests run offscreen (set by CTest).
runtime="$(mktemp -d)"
chmod 700 "$runtime"
trap 'rm -rf "$runtime"' EXIT
export XDG_RUNTIME_DIR="$runtime"
export QT_QPA_PLATFORM=offscreen
ctest --preset dev --output-on-failure -j2
