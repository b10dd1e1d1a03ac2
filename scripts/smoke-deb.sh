#!/usr/bin/env bash
# The package, as a user installs it: `dpkg -i` the .deb, launch the installed app under Xvfb with
# a fresh data folder and see its home screen on the sample (through WebDriver), run `baton info`
# from the PATH on the project the app made, check the desktop entry, icon and file association,
# then remove the package. Prints the package size and the install-to-first-window time.
#
#   scripts/smoke-deb.sh PATH/TO/baton.deb
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
deb="${1:?usage: scripts/smoke-deb.sh PATH/TO/baton.deb}"
sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
name="$(dpkg-deb -f "$deb" Package)"
if dpkg-query -W -f='${Status}' "$name" 2>/dev/null | grep -q "install ok installed"; then
  echo "smoke: $name is already installed here; remove it first (dpkg -r $name)" >&2
  exit 1
fi
data="$(mktemp -d)"
cleanup() {
  $sudo dpkg -r "$name" >/dev/null 2>&1 || true
  rm -rf "$data"
}
trap cleanup EXIT

start=$(date +%s.%N)
$sudo dpkg -i "$deb" >/dev/null
installed=$(date +%s.%N)

# What the package put where.
app="$(command -v baton-app)" || { echo "smoke: baton-app is not on the PATH after install" >&2; exit 1; }
command -v baton >/dev/null || { echo "smoke: the baton CLI is not on the PATH after install" >&2; exit 1; }
desktop="$(dpkg -L "$name" | grep '\.desktop$' | head -n 1)"
[ -n "$desktop" ] || { echo "smoke: no desktop entry in the package" >&2; exit 1; }
grep -q '^MimeType=.*application/x-baton-project' "$desktop" || { echo "smoke: $desktop has no .baton file association" >&2; cat "$desktop" >&2; exit 1; }
grep -q '^Exec=baton-app' "$desktop" || { echo "smoke: $desktop does not start baton-app" >&2; exit 1; }
dpkg -L "$name" | grep -q '/usr/share/icons/hicolor/.*/apps/.*\.png$' || { echo "smoke: no icon installed" >&2; exit 1; }
dpkg -L "$name" | grep -q '^/usr/share/mime/packages/baton.xml$' || { echo "smoke: the .baton MIME type is not installed" >&2; exit 1; }

# The shared MIME database knows *.baton once dpkg's triggers ran (where shared-mime-info is installed).
if [ -f /usr/share/mime/globs2 ]; then
  grep -q 'application/x-baton-project:\*\.baton' /usr/share/mime/globs2 || { echo "smoke: *.baton is not in the MIME database" >&2; exit 1; }
fi

# The installed app, launched as from the desktop on a new machine.
export BATON_APP_BINARY="$app" BATON_DATA_DIR="$data" SMOKE_START="$start"
driver="$root/.tools/bin/tauri-driver"
pkill -x WebKitWebDriver 2>/dev/null || true
xvfb-run -a -s "-screen 0 1280x800x24" bash -c '
  "'"$driver"'" >"$BATON_DATA_DIR/driver.log" 2>&1 &
  driver=$!
  for _ in $(seq 1 50); do (echo >/dev/tcp/127.0.0.1/4444) 2>/dev/null && break; sleep 0.2; done
  status=0
  (cd "'"$root"'/ui" && node e2e/installed.mjs) || status=$?
  kill "$driver" 2>/dev/null || true
  pkill -x WebKitWebDriver 2>/dev/null || true
  [ "$status" = 0 ] || cat "$BATON_DATA_DIR/driver.log"
  exit "$status"
'
project="$(ls "$data"/*.baton | head -n 1)"
info="$(baton info "$project")"
echo "$info" | grep -q "Respiratory care network" || { echo "smoke: baton info did not read the app's project: $info" >&2; exit 1; }
echo "smoke: $(du -h "$deb" | cut -f1) package ($(dpkg-deb -f "$deb" Installed-Size) KiB installed); dpkg -i took $(awk "BEGIN { printf \"%.1f\", $installed - $start }") s"
echo "smoke: baton info from the PATH: $(echo "$info" | head -n 1)"
$sudo dpkg -r "$name" >/dev/null
command -v baton-app >/dev/null && { echo "smoke: baton-app is still on the PATH after dpkg -r" >&2; exit 1; }
echo "smoke: installed, launched, used and removed $name"
