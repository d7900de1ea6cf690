#!/usr/bin/env bash
# `npm run bench`: builds the release page, then measures it in Chromium beside Python and native Rust
# (bench/run.mjs). Installs what is missing first, Chromium included.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --browser
bash scripts/build-wasm.sh --release
node node_modules/vite/bin/vite.js build --logLevel warn
cargo build --release --quiet --example native-speedup
# VizTracer (PyPI), for comparing the browser's Python tracer with CPython's traced by it.
if ! .venv-bench/bin/python -c 'import viztracer' 2>/dev/null; then
  python3 -m venv .venv-bench
  .venv-bench/bin/pip install --quiet 'viztracer==1.1.1'
fi
node bench/run.mjs
