#!/usr/bin/env bash
# Builds the release preset, installs it into a temporary prefix and smoke-tests that installed tree,
# validates the desktop entry and AppStream metadata, then builds the .deb (cpack) and checks it with lintian.
# --apt-install: also installs the .deb with apt-get, smoke-tests /usr/bin/threadlab and removes it again.
# Exits non-zero on the first failure; the .deb is left in build/release/.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

apt_install=false
for arg in "$@"; do
    case $arg in
        --apt-install) apt_install=true ;;
        *) echo "package.sh: unknown argument '$arg' (allowed: --apt-install)" >&2; exit 2 ;;
    esac
done

app_id=org.threadlab.ThreadLab
bash scripts/setup.sh --packaging
cmake --preset release >/dev/null
cmake --build --preset release -j2

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -m 700 "$work/runtime"

# smoke PREFIX: the installed tree under PREFIX works on its own (no build tree, no test hooks, plain PATH).
smoke()
{
    local prefix="$1" bin="$1/bin/threadlab" out
    local -a env_clean=(env -u THREADLAB_BIN_DIR -u DISPLAY -u WAYLAND_DISPLAY PATH=/usr/bin:/bin
        XDG_RUNTIME_DIR="$work/runtime")
    echo "== smoke test of $prefix"
    [[ -x $prefix/libexec/threadlab/threadlab-worker ]] || { echo "no host in $prefix/libexec/threadlab" >&2; return 1; }
    [[ ! -e $prefix/bin/threadlab-worker ]] || { echo "the host must not be in $prefix/bin" >&2; return 1; }
    out="$("${env_clean[@]}" "$bin" --version)"
    echo "$out"
    [[ $out == "threadlab "* ]] || { echo "unexpected --version output: $out" >&2; return 1; }
    # Each run must end "stopped" (a run whose worker could not start still exits 0).
    local backend
    for backend in thread process; do
        out="$(cd "$work" && "${env_clean[@]}" "$bin" run --backend "$backend" --workload sleep-steps --stop request \
            --stop-after 200 --screenshot "$work/x.png")"
        echo "$out"
        grep -E -q "^r1\.w1 +$backend .* stopped " <<<"$out" || { echo "the $backend run did not stop" >&2; return 1; }
    done
    # A copy of the app away from its host must not find one, even with the host's folder on PATH.
    mkdir -p "$work/alone"
    cp "$bin" "$work/alone/threadlab"
    out="$(cd "$work" && env -u THREADLAB_BIN_DIR PATH="$prefix/libexec/threadlab:/usr/bin:/bin" \
        "$work/alone/threadlab" run --backend process --workload sleep-steps --stop request --stop-after 50 2>&1 || true)"
    ! grep -E -q "^r1\.w1 +process .* stopped " <<<"$out" \
        || { echo "a threadlab without a host beside it found one anyway" >&2; return 1; }
    echo "a copy of threadlab away from its host does not find one (PATH is never used): ok"
    [[ $(head -c 8 "$work/x.png" | od -An -tx1 | tr -d ' \n') == 89504e470d0a1a0a ]] \
        || { echo "--screenshot did not write a PNG" >&2; return 1; }
    echo "screenshot: $(stat -c %s "$work/x.png") bytes of PNG"
    # The man page renders without groff warnings, and completion asks the installed binary.
    if command -v man >/dev/null; then
        local warnings
        warnings="$(MANWIDTH=80 man --warnings -l "$prefix/share/man/man1/threadlab.1.gz" 2>&1 >/dev/null)"
        [[ -z $warnings ]] || { echo "man page warnings: $warnings" >&2; return 1; }
    fi
    local completed
    completed="$(PATH="$prefix/bin:/usr/bin:/bin" bash -c '
        source "$1"
        COMP_WORDS=(threadlab run --backend ""); COMP_CWORD=3; _threadlab; echo "${COMPREPLY[*]}"
        COMP_WORDS=(threadlab scenario ""); COMP_CWORD=2; _threadlab; echo "${COMPREPLY[*]}"' _ \
        "$prefix/share/bash-completion/completions/threadlab")"
    echo "completion: ${completed//$'\n'/ | }"
    [[ $completed == *process* && $completed == *exit-flag* ]] || { echo "completion is missing names" >&2; return 1; }
    echo "== smoke test of $prefix passed"
}

cmake --install build/release --prefix "$work/prefix" >/dev/null
desktop-file-validate "$work/prefix/share/applications/$app_id.desktop"
appstreamcli validate --no-net "$work/prefix/share/metainfo/$app_id.metainfo.xml"
smoke "$work/prefix"

echo "== cpack -G DEB"
rm -f build/release/threadlab_*.deb
(cd build/release && cpack -G DEB >/dev/null)
deb="$(ls build/release/threadlab_*.deb)"
dpkg-deb --field "$deb" Package Version Architecture Depends
echo "== lintian $deb (errors fail; warnings are listed)"
lintian --fail-on error --tag-display-limit 0 "$deb"

if $apt_install; then
    echo "== apt-get install ./$deb"
    if dpkg-query -W -f='${Status}' threadlab 2>/dev/null | grep -q 'install ok installed'; then
        echo "threadlab is already installed; not touching it" >&2
        exit 1
    fi
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y "./$deb" >/dev/null
    status=0
    smoke /usr || status=$?
    apt-get remove -y threadlab >/dev/null
    [[ $status -eq 0 ]] || exit $status
fi
echo "== package.sh: all passed ($deb)"
