#!/usr/bin/env bash
# `npm run build`: the static site in dist/ (release wasm + bundled JS).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build-wasm.sh --release
node node_modules/vite/bin/vite.js build --logLevel warn
