#!/usr/bin/env bash
# ThreadLab set-up, shared by run.sh, test.sh and package.sh: makes sure the Debian 12 packages needed to
# build are there (`setup.sh --packaging`: also those that build, validate and check the .deb; `setup.sh --fuzz`:
# clang 14 and its libFuzzer runtime for the fuzz preset).
# Quick (no apt-get) when everything is installed; installs what is missing when run as root; otherwise
# prints exactly which `sudo apt-get install ...` to run and exits 1.
set -euo pipefail

# qt6-svg-dev is the real Debian 12 package behind the virtual libqt6svg6-dev. python3 writes the man page.
packages=(cmake ninja-build g++ qt6-base-dev qt6-svg-dev zlib1g-dev xvfb xauth python3)
if [[ ${1:-} == --packaging ]]; then
    # cpack's DEB generator needs dpkg-dev (dpkg-shlibdeps), fakeroot and file; the rest validate the result.
    packages+=(dpkg-dev fakeroot file desktop-file-utils appstream lintian man-db)
elif [[ ${1:-} == --fuzz ]]; then
    packages+=(clang-14 libclang-rt-14-dev)
elif [[ $# -gt 0 ]]; then
    echo "threadlab setup: unknown argument '$1' (allowed: --packaging, --fuzz)" >&2
    exit 2
fi

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
