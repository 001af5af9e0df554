#!/usr/bin/env bash
# Set up a fresh machine for `tours`: Debian packages, a virtualenv in .venv, the package.
#   bash scripts/setup.sh          # to run tours (PDF fonts included)
#   bash scripts/setup.sh --test   # also the test tools and the headless browser
set -euo pipefail
cd "$(dirname "$0")/.."

want_tests=0
[ "${1:-}" = "--test" ] && want_tests=1

# Noto fonts: CJK (Chinese, Japanese), core (Latin, Greek, Cyrillic, Arabic) for every
# delegation language the print and maps offer.
debs=(fonts-noto-cjk fonts-noto-core libpango-1.0-0 libpangoft2-1.0-0)
# a C compiler and the Python headers: the solver kernels are compiled ahead of time into an
# extension module (without them, numba's slower-to-load just-in-time kernels are used)
debs+=(gcc)
python3 -c 'import os, sysconfig; raise SystemExit(not os.path.isfile(os.path.join(sysconfig.get_paths()["include"], "Python.h")))' \
  || debs+=(python3-dev)
[ "$want_tests" = 1 ] && debs+=(chromium poppler-utils)

missing=()
for pkg in "${debs[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "setup: installing Debian packages: ${missing[*]}" >&2
  sudo_cmd=()
  [ "$(id -u)" -ne 0 ] && sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
if [ "$want_tests" = 1 ]; then
  .venv/bin/python -m pip install -q -e ".[test]"
else
  .venv/bin/python -m pip install -q -e .
fi
# compile the solver kernels now, ahead of time, into an extension module beside the source
# (tours/planning/solver/__pycache__): every `tours plan` then loads them in milliseconds
# instead of compiling for a minute (or loading numba and its cache for a second)
.venv/bin/python -m tours.planning.solver.warmup
# parse the embedded city's street network into the cache now, when its extract is here
if .venv/bin/tours network info --no-progress >/dev/null 2>&1; then
  echo "setup: the embedded city's street network is parsed and cached" >&2
else
  echo "setup: note: the embedded city's OSM extract was not found (../shared/osm);" \
    "the first plan will parse its network" >&2
fi
echo "setup: ready (.venv)" >&2
