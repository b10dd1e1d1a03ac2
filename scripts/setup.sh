#!/usr/bin/env bash
# Installs what building and testing Baton needs and is missing: Debian packages, the UI's npm
# packages and tauri-driver. Sourced by ./run and ./test; safe to run again (it skips what is there).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

packages=(libwebkit2gtk-4.1-dev build-essential pkg-config curl wget file libxdo-dev libssl-dev
  libayatana-appindicator3-dev librsvg2-dev xvfb xauth webkit2gtk-driver imagemagick xdotool
  poppler-utils libxml2-utils)
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

# The OMG BPMN 2.0 XML Schema, as SpiffWorkflow ships it on PyPI (the BPMN export is checked
# against it with xmllint).
xsd="$root/.tools/bpmn-xsd"
if [ ! -f "$xsd/BPMN20.xsd" ]; then
  echo "setup: fetching the BPMN 2.0 XML Schema (SpiffWorkflow 3.2.0 from PyPI)"
  python3 -m pip --version >/dev/null 2>&1 || {
    [ "$(id -u)" -ne 0 ] && sudo="sudo" || sudo=""
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends python3-pip >/dev/null
  }
  wheel_dir="$(mktemp -d)"
  python3 -m pip download --quiet --no-deps --only-binary=:all: SpiffWorkflow==3.2.0 -d "$wheel_dir"
  python3 - "$wheel_dir" "$xsd" <<'PY'
import glob, os, sys, zipfile
wheel = glob.glob(os.path.join(sys.argv[1], "*.whl"))[0]
os.makedirs(sys.argv[2], exist_ok=True)
prefix = "SpiffWorkflow/bpmn/parser/schema/"
with zipfile.ZipFile(wheel) as z:
    for name in z.namelist():
        if name.startswith(prefix) and name.endswith(".xsd"):
            with open(os.path.join(sys.argv[2], name[len(prefix):]), "wb") as out:
                out.write(z.read(name))
PY
  rm -rf "$wheel_dir"
fi

if [ ! -x "$root/.tools/bin/tauri-driver" ]; then
  echo "setup: installing tauri-driver into .tools/"
  cargo install tauri-driver --locked --version 2.1.0 --root "$root/.tools" --quiet
fi

# Keep the Rust build outside the clone so a later run on this machine is incremental.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/baton-target}"
