#!/usr/bin/env bash
# Installs what Juggle needs and is missing; quick when everything is there.
#   scripts/setup.sh            Rust targets, wasm-bindgen-cli, wasm-pack, npm packages
#   scripts/setup.sh --browser  the same, plus Debian's chromium and chromium-driver (for tests)
set -euo pipefail
cd "$(dirname "$0")/.."

want_browser=false
[[ "${1:-}" == "--browser" ]] && want_browser=true
say() { printf '\033[1;34msetup:\033[0m %s\n' "$*"; }

# 1. Nightly Rust with the wasm32 target and the std sources (rust-toolchain.toml names them; rustup here
#    does not auto-install, so add them explicitly).
if ! command -v rustup >/dev/null; then
  echo "setup: rustup is required (this machine kind ships it); install it from rustup.rs" >&2
  exit 1
fi
if ! rustup target list --installed --toolchain nightly 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target to nightly"
  rustup target add wasm32-unknown-unknown --toolchain nightly
fi
installed_components=$(rustup component list --installed --toolchain nightly 2>/dev/null)
for component in rust-src rustfmt clippy; do
  if ! grep -q "^${component}" <<<"$installed_components"; then
    say "adding $component to nightly"
    rustup component add "$component" --toolchain nightly
  fi
done

# 2. wasm-bindgen-cli of exactly the wasm-bindgen crate's version (Cargo.lock is the source of truth).
bindgen_version=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
if [[ "$(wasm-bindgen --version 2>/dev/null || true)" != "wasm-bindgen $bindgen_version" ]]; then
  say "installing wasm-bindgen-cli $bindgen_version (a few minutes, once)"
  # No --locked: one locked transitive version is missing from the registry mirror here.
  cargo +stable install wasm-bindgen-cli --version "$bindgen_version" --force
fi

# 3. wasm-pack.
if ! command -v wasm-pack >/dev/null; then
  say "installing wasm-pack (a few minutes, once)"
  cargo +stable install --locked wasm-pack
fi

# 4. Debian's Chromium and its driver, for the browser tests. Never a browser download.
if $want_browser && ! { command -v chromium && command -v chromedriver; } >/dev/null; then
  say "installing Debian chromium and chromium-driver"
  export DEBIAN_FRONTEND=noninteractive
  sudo_cmd=""
  [[ $(id -u) -ne 0 ]] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  $sudo_cmd apt-get install -y -qq --no-install-recommends chromium chromium-driver >/dev/null
fi

# 5. npm packages, when package-lock.json changed since the last install.
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
if [[ ! -f node_modules/.package-lock.json || package-lock.json -nt node_modules/.package-lock.json ]]; then
  say "installing npm packages"
  npm ci --no-audit --no-fund --loglevel=error
fi
