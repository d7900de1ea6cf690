#!/usr/bin/env bash
# `npm start`: installs what is missing, builds the three wasm builds in release mode and serves Juggle with
# COOP/COEP (cross-origin isolated, so shared memory and the worker pool work) on http://127.0.0.1:$PORT.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build-wasm.sh --release
# The catalogue the content plugin checks the lessons against (crate/examples/catalog.rs), built now so that
# the first page view does not wait for it.
cargo build --quiet --example catalog
port="${PORT:-5173}"
echo "Juggle: http://127.0.0.1:${port}/"
# Run vite's own entry so that the process we start is the server itself.
exec node node_modules/vite/bin/vite.js --host 127.0.0.1 --port "$port" --strictPort
