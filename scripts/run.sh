#!/usr/bin/env bash
# Quick start 1: set up, build the release preset and launch ThreadLab (arguments go to `threadlab`).
# With a display it opens the desktop lab; without one it says so in one line and runs `threadlab demo`.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

bash scripts/setup.sh
cmake --preset release >/dev/null
cmake --build --preset release -j2 --target threadlab
exec "$root/build/release/app/threadlab" "$@"
