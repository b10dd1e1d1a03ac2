#!/usr/bin/env bash
# Builds Baton's installable package with Tauri's bundler (the npm @tauri-apps/cli, locked in
# ui/): a .deb with the app, its icon, a desktop entry, the .baton file association and the
# `baton` CLI in /usr/bin. Only the deb target is built here (the AppImage target downloads tools
# at build time); the MSI and NSIS installers are built the same way on Windows, the DMG on macOS
# (`--bundles msi,nsis` or `--bundles dmg`, see the README).
#
#   scripts/package.sh            release build (the package to hand out)
#   scripts/package.sh --debug    debug build (what ./test installs and smoke-tests)
#
# Prints the path of the .deb on its last line.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
source scripts/setup.sh >&2

profile=release
cargo_flag=(--release)
tauri_flag=()
if [ "${1:-}" = "--debug" ]; then
  profile=debug
  cargo_flag=()
  tauri_flag=(--debug)
fi

(cd ui && npm run --silent build) >&2
cargo build -p baton --bin baton --locked "${cargo_flag[@]}" >&2
# The CLI goes into the package stripped of its symbols (the app keeps what the bundler gives it).
stage="$CARGO_TARGET_DIR/package-stage"
mkdir -p "$stage"
strip -o "$stage/baton" "$CARGO_TARGET_DIR/$profile/baton"
config="$(printf '{"bundle":{"linux":{"deb":{"files":{"/usr/bin/baton":"%s","/usr/share/mime/packages/baton.xml":"linux/baton-mime.xml"}}}}}' "$stage/baton")"
# The bundler's own progress goes to stderr; the package path is the only thing on stdout.
node ui/node_modules/@tauri-apps/cli/tauri.js build --bundles deb --ci "${tauri_flag[@]}" --config "$config" >&2
deb="$(ls -t "$CARGO_TARGET_DIR/$profile/bundle/deb/"*.deb | head -n 1)"
echo "package: $(du -h "$deb" | cut -f1) $deb" >&2
echo "$deb"
