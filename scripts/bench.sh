#!/usr/bin/env bash
# `npm run bench`: builds the release page, then measures it in Chromium beside Python and native Rust
# (bench/run.mjs). Installs what is missing first, Chromium included.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --browser
bash scripts/build-wasm.sh --release
node node_modules/vite/bin/vite.js build --logLevel warn
cargo build --release --quiet --example native-speedup
node bench/run.mjs
