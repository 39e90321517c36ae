#!/usr/bin/env bash
# ThreadLab set-up, shared by run.sh and test.sh: makes sure the Debian 12 packages needed to build are there.
# Quick (no apt-get) when everything is installed; installs what is missing when run as root; otherwise
# prints exactly which `sudo apt-get install ...` to run and exits 1.
set -euo pipefail

# qt6-svg-dev is the real Debian 12 package behind the virtual libqt6svg6-dev.
packages=(cmake ninja-build g++ qt6-base-dev qt6-svg-dev zlib1g-dev xvfb xauth)

if ! command -v dpkg-query >/dev/null 2>&1; then
    echo "threadlab setup: dpkg-query not found; this script expects Debian 12 (install: ${packages[*]})" >&2
    exit 1
fi

missing=()
for p in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
        missing+=("$p")
    fi
done

if ((${#missing[@]} > 0)); then
    if [[ $(id -u) -eq 0 ]]; then
        echo "threadlab setup: installing ${missing[*]}"
        export DEBIAN_FRONTEND=noninteractive
        apt-get update && apt-get install -y --no-install-recommends "${missing[@]}"
    else
        echo "threadlab setup: missing Debian packages: ${missing[*]}" >&2
        echo "threadlab setup: run: sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
        exit 1
    fi
fi
