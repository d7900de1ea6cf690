#!/usr/bin/env bash
# Builds the threaded wasm module into www/pkg (release by default; pass --dev for a debug build).
set -euo pipefail
cd "$(dirname "$0")/.."
profile="${1:---release}"
# std is rebuilt with atomics for wasm only; native cargo commands keep the prebuilt std.
export CARGO_UNSTABLE_BUILD_STD=panic_abort,std
wasm-pack --log-level warn build crate "$profile" --target web --out-dir ../www/pkg --no-typescript
