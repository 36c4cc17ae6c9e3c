#!/usr/bin/env bash
# carousel vs Typst vs Marp CLI on the same six Day 5 slides (issue #4).
#
#   bash benches/compare/run.sh            # from anywhere; RUNS=10 by default
#   RUNS=20 bash benches/compare/run.sh
#
# Installs what is missing (idempotent; needs root for apt-get, network to the registries only):
#   - Debian packages: chromium (for Marp), nodejs + npm, python3 (apt-get update once, only
#     when something is missing);
#   - Marp CLI 4 with npm into $CACHE/marp (never into the repo);
#   - the Typst CLI: `typst` on PATH, or $TYPST, or $CACHE/typst-cli/bin/typst; else
#     `cargo install typst-cli --locked` into $CACHE/typst-cli (no PyPI package ships the CLI:
#     `typst` on PyPI is typst-py, Python bindings; quarto-cli is an sdist that fetches its
#     binaries from GitHub at build time). That compile took 33 min on 2 busy cores (load ~7);
#     TYPST_INSTALL=py skips it and times `python3 -c 'import typst; typst.compile(...)'` as a
#     process instead (typst-py from PyPI in a venv in $CACHE/venv), which the output says.
# Then builds carousel (`cargo build --release` in the repo root) and runs measure.py: every job
# RUNS times as a cold process, interleaved, outputs checked (6 PNGs at 1080x1350, PDF header),
# and prints a markdown table plus the ratios against the issue's targets.
#
# Environment: RUNS (10), KEEP=1 (keep the outputs; their path is printed), CACHE
# (${XDG_CACHE_HOME:-~/.cache}/carousel-compare), TYPST (path of a typst binary), TYPST_INSTALL
# (cargo|py, default cargo), TYPST_VERSION (0.15.1), CHROME_PATH (/usr/bin/chromium).
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
RUNS=${RUNS:-10}
CACHE=${CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/carousel-compare}
TYPST_INSTALL=${TYPST_INSTALL:-cargo}
TYPST_VERSION=${TYPST_VERSION:-0.15.1}
CHROME_PATH=${CHROME_PATH:-/usr/bin/chromium}
mkdir -p "$CACHE"

say() { printf '== %s\n' "$*" >&2; }

# --- Debian packages -------------------------------------------------------------------------
apt_updated=
apt_install() {
  if [ -z "$apt_updated" ]; then
    say "apt-get update"
    apt-get update -qq
    apt_updated=1
  fi
  say "apt-get install -y $*"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}
missing=()
[ -x "$CHROME_PATH" ] || { missing+=(chromium); CHROME_PATH=/usr/bin/chromium; }
command -v npm >/dev/null || missing+=(nodejs npm)
command -v python3 >/dev/null || missing+=(python3)
if [ ${#missing[@]} -gt 0 ]; then apt_install "${missing[@]}"; fi

# --- Marp CLI (npm, outside the repo) --------------------------------------------------------
MARP=$CACHE/marp/node_modules/.bin/marp
if [ ! -x "$MARP" ]; then
  say "npm install @marp-team/marp-cli@4 into $CACHE/marp"
  mkdir -p "$CACHE/marp"
  [ -f "$CACHE/marp/package.json" ] || echo '{"private": true}' > "$CACHE/marp/package.json"
  (cd "$CACHE/marp" && nice -n 5 npm install --no-save --no-audit --no-fund --loglevel=error \
    @marp-team/marp-cli@4)
fi

# --- Typst -----------------------------------------------------------------------------------
TYPST=${TYPST:-}
TYPST_PY=
if [ -z "$TYPST" ]; then
  if command -v typst >/dev/null; then
    TYPST=$(command -v typst)
  elif [ -x "$CACHE/typst-cli/bin/typst" ]; then
    TYPST=$CACHE/typst-cli/bin/typst
  elif [ "$TYPST_INSTALL" = cargo ]; then
    say "cargo install typst-cli@$TYPST_VERSION --locked into $CACHE/typst-cli (slow: 33 min measured on 2 busy cores)"
    start=$(date +%s)
    if nice -n 5 cargo install typst-cli --version "$TYPST_VERSION" --locked --root "$CACHE/typst-cli" \
        --target-dir "$CACHE/typst-cli-target"; then
      TYPST=$CACHE/typst-cli/bin/typst
      rm -rf "$CACHE/typst-cli-target"
      say "typst-cli compiled in $(( $(date +%s) - start )) s"
    else
      say "cargo install typst-cli failed; falling back to typst-py"
    fi
  fi
fi
if [ -z "$TYPST" ]; then
  if [ ! -x "$CACHE/venv/bin/python" ] || ! "$CACHE/venv/bin/python" -c 'import typst' 2>/dev/null; then
    python3 -m venv "$CACHE/venv" 2>/dev/null || { apt_install python3-venv; python3 -m venv "$CACHE/venv"; }
    say "pip install typst (typst-py) into $CACHE/venv"
    "$CACHE/venv/bin/pip" install -q typst
  fi
  TYPST_PY=$CACHE/venv/bin/python
fi

# --- carousel --------------------------------------------------------------------------------
say "cargo build --release in $ROOT"
(cd "$ROOT" && nice -n 5 cargo build --release --quiet)
TARGET_DIR=$(cd "$ROOT" && cargo metadata --format-version 1 --no-deps \
  | python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')
CAROUSEL=$TARGET_DIR/release/carousel

# --- versions and the run --------------------------------------------------------------------
{
  echo "machine: $(nproc) cores, $(uname -srm), load $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "carousel: $CAROUSEL ($(cd "$ROOT" && git rev-parse --short HEAD 2>/dev/null || echo '?'))"
  if [ -n "$TYPST" ]; then echo "typst: $("$TYPST" --version)";
  else echo "typst: typst-py $("$TYPST_PY" -c 'import importlib.metadata as m; print(m.version("typst"))') (in-process, no CLI)"; fi
  echo "marp: $("$MARP" --version)"
  echo "chromium: $("$CHROME_PATH" --version 2>/dev/null || echo '?')"
}

ROOT=$ROOT HERE=$HERE RUNS=$RUNS CAROUSEL=$CAROUSEL TYPST=$TYPST TYPST_PY=$TYPST_PY MARP=$MARP \
  CHROME_PATH=$CHROME_PATH python3 "$HERE/measure.py"
