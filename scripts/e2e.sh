#!/usr/bin/env bash
# Runs ui/e2e against the built app: Xvfb, tauri-driver (port 4444) and WebKitWebDriver, with a
# fresh data folder so the app starts as on a new machine (on the sample project).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
app="${1:?usage: scripts/e2e.sh PATH-TO-baton-app}"
driver="$root/.tools/bin/tauri-driver"
[ -x "$driver" ] || { echo "e2e: tauri-driver is missing at $driver (run scripts/setup.sh)"; exit 1; }
[ -x "$app" ] || { echo "e2e: the app binary $app is missing (cargo build -p baton-app)"; exit 1; }
command -v WebKitWebDriver >/dev/null || { echo "e2e: WebKitWebDriver is missing (apt-get install webkit2gtk-driver)"; exit 1; }

# A WebKitWebDriver left by an interrupted earlier run holds its port and its session: clear it.
pkill -x WebKitWebDriver 2>/dev/null || true

data="$(mktemp -d)"
trap 'rm -rf "$data"' EXIT
export BATON_APP_BINARY="$app" BATON_DATA_DIR="$data" E2E_DRIVER="$driver" E2E_LOG="$data/driver.log"
# E2E_SCREEN sets the virtual screen (1280x800x24 by default; 1920x1080x24 for large screens).
xvfb-run -a -s "-screen 0 ${E2E_SCREEN:-1280x800x24}" bash -c '
  "$E2E_DRIVER" >"$E2E_LOG" 2>&1 &
  driver=$!
  for _ in $(seq 1 50); do (echo >/dev/tcp/127.0.0.1/4444) 2>/dev/null && break; sleep 0.2; done
  status=0
  (cd "'"$root"'/ui" && node --test e2e/) || status=$?
  kill "$driver" 2>/dev/null || true
  pkill -x WebKitWebDriver 2>/dev/null || true
  # The dark theme (the system asks for it through GTK): the accessibility check again.
  sleep 0.5
  GTK_THEME=Adwaita:dark "$E2E_DRIVER" >>"$E2E_LOG" 2>&1 &
  driver=$!
  for _ in $(seq 1 50); do (echo >/dev/tcp/127.0.0.1/4444) 2>/dev/null && break; sleep 0.2; done
  (cd "'"$root"'/ui" && E2E_SHOT_SUFFIX=-dark node --test e2e/accessibility.test.mjs) || status=$?
  kill "$driver" 2>/dev/null || true
  pkill -x WebKitWebDriver 2>/dev/null || true
  [ "$status" = 0 ] || { echo "e2e: tauri-driver log:"; cat "$E2E_LOG"; }
  exit "$status"
'
