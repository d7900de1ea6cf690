#!/usr/bin/env bash
# Builds the core twice (release by default; pass --dev for debug builds):
#   www/pkg     threaded (atomics, shared memory, rayon pool): loaded by the engine worker
#   www/pkg-st  without atomics: loaded by the page's main thread, where futures must wake via microtasks
# Each build's target, flags, build-std and target dir are in wasm/<build>/.cargo/config.toml, the same
# files `wasm-pack test wasm/<build>` uses; cargo gets the file with `--config` (wasm-pack runs cargo in
# crate/, where no .cargo/config.toml applies).
set -euo pipefail
cd "$(dirname "$0")/.."
profile="${1:---release}"
root="$PWD"
wasm-pack --log-level warn build crate "$profile" --target web --out-dir ../www/pkg \
  -- --config "$root/wasm/threaded/.cargo/config.toml"
wasm-pack --log-level warn build crate "$profile" --target web --out-dir ../www/pkg-st \
  -- --config "$root/wasm/main-thread/.cargo/config.toml"
