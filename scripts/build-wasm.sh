#!/usr/bin/env bash
# Builds the core twice (release by default; pass --dev for debug builds):
#   www/pkg     threaded (atomics, shared memory, rayon pool): loaded by the engine worker
#   www/pkg-st  without atomics: loaded by the page's main thread, where futures must wake via microtasks
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/wasm-env.sh
profile="${1:---release}"
threaded wasm-pack --log-level warn build crate "$profile" --target web --out-dir ../www/pkg
single_threaded wasm-pack --log-level warn build crate "$profile" --target web --out-dir ../www/pkg-st
