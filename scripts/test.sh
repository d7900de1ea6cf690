#!/usr/bin/env bash
# `npm test`: every check and every test suite, in order of speed. Installs what is missing first.
# `bash scripts/test.sh SUITE...` runs some of them (the npm scripts `lint`, `test:unit`, `test:rust`,
# `test:wasm`, `test:e2e` call it so), each installing only what it needs:
#   lint   rustfmt, clippy -D warnings (host, and wasm32 for both builds), Biome, tsc (tsconfig.json, then
#          tsconfig.strict.json's strict set; it reads the wasm exports' types from www/pkg*/juggle.d.ts, so
#          the release wasm is built first when those are missing or older than a Rust source)
#   unit   JS unit tests: node --test tests/unit/ (argument checks, verdicts, timeline shaping, URL state,
#          content plugin)
#   rust   native Rust tests: cargo test (scheduling, tracing, statistics, scenarios on the simulated loop)
#   wasm   browser Rust tests: wasm-pack test --headless --chrome wasm/main-thread, then wasm/threaded
#          (real Chromium, real workers, shared memory)
#   python ruff (lint and format check) over notebook/, www/python/ and tests/python/, then pytest:
#          tests/python/ (the browser's Python modules under CPython, when that folder has tests) and
#          notebook/tests/ (the juggle-notebook package, built as a wheel and installed as a teacher installs it)
#   e2e    the page built (release wasm + vite build), then Playwright + Debian Chromium against it,
#          served with COOP/COEP (tests/e2e/notebook.spec.js: JupyterLab from .tools/python)
#   all    (the default) all of the above
set -euo pipefail
cd "$(dirname "$0")/.."

suites=("$@")
[[ ${#suites[@]} -eq 0 ]] && suites=(all)
for suite in "${suites[@]}"; do
  case "$suite" in
    lint | unit | python | rust | wasm | e2e | all) ;;
    *) echo "test.sh: unknown suite '$suite' (lint, unit, python, rust, wasm, e2e or all)" >&2; exit 2 ;;
  esac
done
[[ " ${suites[*]} " == *" all "* ]] && suites=(lint unit python rust wasm e2e all)
wants() { [[ " ${suites[*]} " == *" $1 "* ]]; }

# Whether the wasm exports' TypeScript declarations (written by the wasm build) are missing or older than
# anything the build reads, so that tsc would check the page against stale types.
wasm_types_stale() {
  local pkg
  for pkg in pkg pkg-st pkg-lazy; do
    [[ -f "www/$pkg/juggle.d.ts" ]] || return 0
    [[ -z $(find crate wasm Cargo.toml Cargo.lock rust-toolchain.toml -newer "www/$pkg/juggle.d.ts" -print -quit) ]] ||
      return 0
  done
  return 1
}

# What the chosen suites need (scripts/setup.sh skips whatever is already there).
needs=(npm)
if wants lint || wants rust; then needs+=(rust); fi
if wants lint && wasm_types_stale; then needs+=(wasm-tools); fi
if wants wasm || wants e2e; then needs+=(rust wasm-tools browser); fi
if wants python || wants e2e; then needs+=(python); fi
bash scripts/setup.sh "${needs[@]}"

log=$(mktemp -d)/test.log
: >"$log"
step() { printf '\n\033[1;34m==> %s\033[0m\n' "$*"; }

if wants lint; then
  step "rustfmt"
  cargo fmt --all --check

  step "clippy (host)"
  cargo clippy --quiet --workspace --all-targets -- -D warnings

  # Cargo run in wasm/<build>/ reads that build's .cargo/config.toml (target, flags, build-std).
  step "clippy (wasm32: the threaded build, the build without atomics and its two halves)"
  (cd wasm/threaded && cargo clippy --quiet --workspace --all-targets -- -D warnings)
  (cd wasm/main-thread && cargo clippy --quiet --workspace --all-targets -- -D warnings)
  # The two halves of the build without atomics, each alone as scripts/build-wasm.sh builds them.
  for half in page on-demand; do
    (cd wasm/main-thread && cargo clippy --quiet -p juggle --no-default-features --features "$half" -- -D warnings)
  done

  step "Biome (JS lint and format)"
  node node_modules/@biomejs/biome/bin/biome ci

  # The release build, the one the page and the e2e suite use: about 1.5 min even when nothing changed
  # (wasm-bindgen and wasm-opt run again), so only when the declarations are missing or stale.
  if wasm_types_stale; then
    step "the wasm build, for its TypeScript declarations (www/pkg*/juggle.d.ts are missing or stale)"
    bash scripts/build-wasm.sh --release
  fi
  step "types (npm run typecheck: tsc over tsconfig.json, then tsconfig.strict.json's strict set)"
  npm run --silent typecheck
fi

if wants unit; then
  step "JS unit tests (node --test)"
  node --test tests/unit/ 2>&1 | tee -a "$log"
fi

if wants python; then
  py=.tools/python/bin
  ruff_dirs=(notebook www/python)
  [[ -d tests/python ]] && ruff_dirs+=(tests/python)
  step "Python: ruff (lint and format check: ${ruff_dirs[*]})"
  "$py/ruff" check "${ruff_dirs[@]}"
  "$py/ruff" format --check "${ruff_dirs[@]}"

  # The browser's Python modules under CPython (pytest exits 5 when a folder has no test: not a failure).
  if [[ -d tests/python ]]; then
    step "Python: pytest tests/python"
    status=0
    "$py/python" -m pytest -q -p no:cacheprovider tests/python 2>&1 | tee -a "$log" || status=${PIPESTATUS[0]}
    [[ $status -eq 0 || $status -eq 5 ]] || exit "$status"
  fi

  # The package as a teacher gets it: a wheel built from notebook/ and installed, then its tests.
  step "Python: the juggle-notebook wheel, built and installed; pytest notebook/tests"
  wheels=$(mktemp -d)
  "$py/pip" wheel --quiet --disable-pip-version-check --no-deps --no-build-isolation -w "$wheels" ./notebook
  "$py/pip" install --quiet --disable-pip-version-check --no-deps --force-reinstall "$wheels"/juggle_notebook-*.whl
  rm -rf "$wheels"
  (cd notebook && "../$py/python" -m pytest -q -p no:cacheprovider tests) 2>&1 | tee -a "$log"
fi

if wants rust; then
  step "native Rust tests"
  cargo test --quiet 2>&1 | tee -a "$log"
fi

if wants wasm; then
  step "browser Rust tests (wasm-pack, headless Chromium)"
  # Main-thread scenarios on the build the page's main thread loads; the pool on the threaded build.
  wasm-pack --log-level warn test --headless --chrome wasm/main-thread 2>&1 | tee -a "$log"
  wasm-pack --log-level warn test --headless --chrome wasm/threaded 2>&1 | tee -a "$log"
fi

if wants e2e; then
  step "build the page (release wasm + vite build)"
  bash scripts/build-wasm.sh --release
  node node_modules/vite/bin/vite.js build --logLevel warn

  step "end-to-end tests (Playwright, Debian Chromium)"
  node node_modules/@playwright/test/cli.js test 2>&1 | tee -a "$log"
fi

# One closing line over the suites that ran (each suite above already stopped the script on a failure).
# cargo's "test result: ok. N passed", Playwright's "  N passed (", node --test's "# pass N", pytest -q's
# "N passed in" or "N passed, M skipped in".
passed=$(grep -hoE '(test result: ok\. [0-9]+ passed|^ +[0-9]+ passed \(|^# pass [0-9]+|^[0-9]+ passed[, ])' "$log" | grep -oE '[0-9]+' | awk '{ n += $1 } END { print n + 0 }' || true)
label=$(wants all && echo 'all suites' || echo "${suites[*]}")
if [[ "$passed" -eq 0 ]]; then
  printf '\n%s: ok\n' "$label"
else
  printf '\n%s: %s passed, 0 failed\n' "$label" "$passed"
fi
