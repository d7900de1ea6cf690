#!/usr/bin/env bash
# `npm test`: every check and every test suite, in order of speed. Installs what is missing first.
#   formatting and lints: rustfmt, clippy -D warnings (host and wasm32), Biome
#   JS unit tests:        node --test tests/unit/ (argument checks, verdicts, timeline shaping, URL state,
#                         content plugin); types: tsc --noEmit (// @ts-check on the page's modules)
#   native Rust tests:    cargo test (scheduling, tracing, statistics, scenarios on the simulated loop)
#   browser Rust tests:   wasm-pack test --headless --chrome (real Chromium, real workers, shared memory)
#   end-to-end tests:     Playwright + Debian Chromium against the built page, served with COOP/COEP
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh --browser

source scripts/wasm-env.sh
log=$(mktemp -d)/test.log
step() { printf '\n\033[1;34m==> %s\033[0m\n' "$*"; }

step "rustfmt"
cargo fmt --all --check

step "clippy (host)"
cargo clippy --quiet --all-targets -- -D warnings

step "clippy (wasm32, threaded and single-threaded builds)"
threaded cargo clippy --quiet --target wasm32-unknown-unknown --all-targets -- -D warnings
single_threaded cargo clippy --quiet --target wasm32-unknown-unknown --all-targets -- -D warnings

step "Biome (JS lint and format)"
node node_modules/@biomejs/biome/bin/biome ci

step "JS unit tests (node --test)"
node --test tests/unit/ 2>&1 | tee -a "$log"

step "native Rust tests"
cargo test --quiet 2>&1 | tee -a "$log"

step "browser Rust tests (wasm-pack, headless Chromium)"
# Main-thread scenarios on the build the page's main thread loads; the pool on the threaded build.
# (wasm-pack passes options after the crate path to `cargo test`.)
single_threaded wasm-pack --log-level warn test --headless --chrome crate --test count --test cooperative \
  2>&1 | tee -a "$log"
threaded wasm-pack --log-level warn test --headless --chrome crate --test pool 2>&1 | tee -a "$log"

step "build the page (release wasm + vite build)"
bash scripts/build-wasm.sh --release
node node_modules/vite/bin/vite.js build --logLevel warn

step "types (tsc --noEmit, with the .d.ts wasm-bindgen just wrote for the core)"
node node_modules/typescript/bin/tsc --noEmit -p .

step "end-to-end tests (Playwright, Debian Chromium)"
node node_modules/@playwright/test/cli.js test 2>&1 | tee -a "$log"

# One closing line over all suites (each suite above already stopped the script if anything failed).
# cargo's "test result: ok. N passed", Playwright's "  N passed (", node --test's "# pass N".
passed=$(grep -hoE '(test result: ok\. [0-9]+ passed|^ +[0-9]+ passed \(|^# pass [0-9]+)' "$log" | grep -oE '[0-9]+' | awk '{ n += $1 } END { print n + 0 }')
printf '\nall suites: %s passed, 0 failed\n' "${passed:-0}"
