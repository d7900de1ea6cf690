#!/usr/bin/env bash
# Builds the core three times (release by default; pass --dev for debug builds):
#   www/pkg       threaded (atomics, shared memory, rayon pool): loaded by the engine worker
#   www/pkg-st    without atomics, feature `page`: what the page's main thread calls on every visit (the
#                 catalogue, runs, the replay); there futures must wake via microtasks
#   www/pkg-lazy  without atomics, feature `on-demand`: what the page needs now and then (exports, Python
#                 traces, the bench), loaded when first wanted, and the message-passing workers' core
# Each build's target, flags, build-std, release opt-level and target dir are in
# wasm/<build>/.cargo/config.toml, the same files `wasm-pack test wasm/<build>` uses; cargo gets the file
# with `--config` (wasm-pack runs cargo in crate/, where no .cargo/config.toml applies). The two builds
# without atomics share wasm/main-thread's file and target dir (and so its std), each with its feature.
# Release builds then go through binaryen's wasm-opt (npm `binaryen`, a devDependency: wasm-pack's own
# download of it does not work here, so crate/Cargo.toml turns wasm-pack's off).
set -euo pipefail
cd "$(dirname "$0")/.."
profile="${1:---release}"
root="$PWD"
wasm_opt="$root/node_modules/.bin/wasm-opt"
if [[ "$profile" == --release && ! -x "$wasm_opt" ]]; then
  echo "build-wasm: $wasm_opt is missing; run: bash scripts/setup.sh npm" >&2
  exit 1
fi
# output folder, wasm/<build> whose config it uses, cargo's feature arguments
builds=(
  "pkg threaded"
  "pkg-st main-thread --no-default-features --features page"
  "pkg-lazy main-thread --no-default-features --features on-demand"
)
for line in "${builds[@]}"; do
  read -r out build features <<<"$line"
  # shellcheck disable=SC2086 # the feature arguments are words
  wasm-pack --log-level warn build crate "$profile" --target web --out-dir "../www/$out" \
    -- --config "$root/wasm/$build/.cargo/config.toml" $features
  if [[ "$profile" == --release ]]; then
    # -Oz without inlining: binaryen's inlining makes the module smaller but gzip worse (the duplicated
    # bodies no longer repeat within gzip's window). Functions sorted by name put a generic's copies side by
    # side, which gzip then finds. Features come from the module's target_features section; the names and
    # the producers section are dropped. About 6% off the gzip size (issue #19).
    "$wasm_opt" -Oz --one-caller-inline-max-function-size 0 --always-inline-max-function-size 0 \
      --reorder-functions-by-name --strip-producers "www/$out/juggle_bg.wasm" -o "www/$out/juggle_bg.wasm"
  fi
done
