#!/usr/bin/env bash
# Installs what the end-to-end tests need on a fresh Debian machine, and nothing twice:
#  - Debian's Chromium (driven by playwright-core), a CJK font for the fixture's Japanese in
#    screenshots, ripgrep, and what code-server's native modules build with (libkrb5-dev for
#    kerberos, a C++ toolchain, python3 for node-gyp);
#  - code-server (real VS Code in a browser) from npm into .e2e/code-server, not globally;
#  - playwright-core into .e2e/ only while the project itself does not provide it.
# Safe to run again: each step checks first.
set -euo pipefail
cd "$(dirname "$0")/.."

CODE_SERVER_VERSION="${CODE_SERVER_VERSION:-4.100.3}" # the newest code-server that runs on Node 20
PLAYWRIGHT_CORE_VERSION="${PLAYWRIGHT_CORE_VERSION:-1.65.1}"
E2E_DIR="$PWD/.e2e"

log() { echo "e2e-setup: $*"; }

# --- Debian packages -------------------------------------------------------------------------
missing=()
for pkg in chromium fonts-wqy-microhei ripgrep libkrb5-dev make g++ python3; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
done
if ((${#missing[@]})); then
  log "installing Debian packages: ${missing[*]}"
  SUDO=""
  [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# --- code-server -----------------------------------------------------------------------------
CODE_SERVER_BIN="$E2E_DIR/code-server/node_modules/.bin/code-server"
installed_version() { node -p "require('$E2E_DIR/code-server/node_modules/code-server/package.json').version" 2>/dev/null || true; }
if [ -x "$CODE_SERVER_BIN" ] && [ "$(installed_version)" = "$CODE_SERVER_VERSION" ]; then
  log "code-server $CODE_SERVER_VERSION already in .e2e/code-server"
else
  # code-server bundles VS Code, whose @vscode/ripgrep downloads a prebuilt rg from GitHub in its
  # postinstall. Its download step takes a tarball it finds in its cache folder instead
  # (lib/download.js: $TMPDIR/vscode-ripgrep-cache-<package version>/ripgrep-<rg version>-<target>.tar.gz,
  # holding `rg` at the top level), so Debian's rg goes there. code-server 4.100.x pins
  # @vscode/ripgrep 1.15.11, which asks for ripgrep v13.0.0-10.
  case "$(uname -m)" in
    x86_64) rg_target=x86_64-unknown-linux-musl ;;
    aarch64) rg_target=aarch64-unknown-linux-musl ;;
    *) echo "e2e-setup: no ripgrep target known for $(uname -m)" >&2; exit 1 ;;
  esac
  rg_cache="${TMPDIR:-/tmp}/vscode-ripgrep-cache-1.15.11"
  rg_tarball="$rg_cache/ripgrep-v13.0.0-10-$rg_target.tar.gz"
  if [ ! -s "$rg_tarball" ]; then
    log "placing Debian's rg at $rg_tarball"
    mkdir -p "$rg_cache"
    staging="$(mktemp -d)"
    cp "$(command -v rg)" "$staging/rg"
    tar -czf "$rg_tarball" -C "$staging" rg
    rm -rf "$staging"
  fi

  log "installing code-server $CODE_SERVER_VERSION into .e2e/code-server (builds native modules: a few minutes)"
  rm -rf "$E2E_DIR/code-server"
  mkdir -p "$E2E_DIR/code-server"
  echo '{ "private": true }' > "$E2E_DIR/code-server/package.json"
  # node-gyp takes Node's headers from the local install instead of downloading them.
  nodedir="$(dirname "$(dirname "$(readlink -f "$(command -v node)")")")"
  (
    cd "$E2E_DIR/code-server"
    export npm_config_yes=true npm_config_unsafe_perm=true npm_config_nodedir="$nodedir"
    npm install --no-audit --no-fund --loglevel=error "code-server@$CODE_SERVER_VERSION"
  )
  "$CODE_SERVER_BIN" --version >/dev/null
  log "code-server $("$CODE_SERVER_BIN" --version | head -1)"
fi

# --- playwright-core -------------------------------------------------------------------------
# The project's devDependencies provide it; until then (or without npm ci) .e2e/ does.
if node -e "require.resolve('playwright-core')" >/dev/null 2>&1; then
  log "playwright-core comes from the project's node_modules"
elif [ -f "$E2E_DIR/node_modules/playwright-core/package.json" ]; then
  log "playwright-core already in .e2e/node_modules"
else
  log "installing playwright-core $PLAYWRIGHT_CORE_VERSION into .e2e/node_modules"
  [ -f "$E2E_DIR/package.json" ] || echo '{ "private": true }' > "$E2E_DIR/package.json"
  npm install --prefix "$E2E_DIR" --no-audit --no-fund --loglevel=error "playwright-core@$PLAYWRIGHT_CORE_VERSION"
fi

log "ready: run npx vitest run --config test/e2e/vitest.e2e.config.mts"
