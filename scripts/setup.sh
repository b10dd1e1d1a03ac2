#!/usr/bin/env bash
# Installs what building and testing Baton needs and is missing: Debian packages, the UI's npm
# packages and tauri-driver. Sourced by ./run and ./test; safe to run again (it skips what is there).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

packages=(libwebkit2gtk-4.1-dev build-essential pkg-config curl wget file libxdo-dev libssl-dev
  libayatana-appindicator3-dev librsvg2-dev xvfb xauth webkit2gtk-driver imagemagick xdotool
  poppler-utils libxml2-utils python3 python3-venv jq chromium)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "setup: installing Debian packages: ${missing[*]}"
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# npm ci whenever a lock file changed since the last install: the UI, and the tools that check
# the exports (XState, bpmn-moddle, bpmnlint).
for dir in ui tools/check-exports; do
  stamp="$root/$dir/node_modules/.baton-lock"
  if [ ! -f "$stamp" ] || ! cmp -s "$root/$dir/package-lock.json" "$stamp"; then
    echo "setup: installing the npm packages of $dir (npm ci)"
    (cd "$root/$dir" && npm ci --no-audit --no-fund --loglevel=error)
    cp "$root/$dir/package-lock.json" "$stamp"
  fi
done

if [ ! -x "$root/.tools/bin/cargo-deny" ]; then
  echo "setup: installing cargo-deny into .tools/"
  cargo install cargo-deny --locked --version 0.20.2 --root "$root/.tools" --quiet
fi

if [ ! -x "$root/.tools/bin/tauri-driver" ]; then
  echo "setup: installing tauri-driver into .tools/"
  cargo install tauri-driver --locked --version 2.1.0 --root "$root/.tools" --quiet
fi

# The engines that run the warehouse queries of `baton sql` (DuckDB, DataFusion) and the parser
# that checks the other dialects (sqlglot), from PyPI, in a virtual environment kept outside the
# clone like the Rust build; reinstalled when tools/check-sql/requirements.txt changes.
export BATON_SQL_VENV="${BATON_SQL_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/baton-sql-venv}"
if [ ! -f "$BATON_SQL_VENV/.baton-requirements" ] \
  || ! cmp -s "$root/tools/check-sql/requirements.txt" "$BATON_SQL_VENV/.baton-requirements"; then
  echo "setup: installing the SQL engines for the warehouse-query checks into $BATON_SQL_VENV"
  python3 -m venv "$BATON_SQL_VENV"
  "$BATON_SQL_VENV/bin/pip" install --quiet --disable-pip-version-check -r "$root/tools/check-sql/requirements.txt"
  cp "$root/tools/check-sql/requirements.txt" "$BATON_SQL_VENV/.baton-requirements"
fi

# Keep the Rust build outside the clone so a later run on this machine is incremental.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/baton-target}"
