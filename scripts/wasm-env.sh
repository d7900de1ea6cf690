# Sourced by the scripts: run a command for one of the two wasm builds.
#   threaded CMD...         .cargo/config.toml's flags (atomics, shared memory); std rebuilt with them
#   single_threaded CMD...  no atomics, its own target dir so neither build evicts the other's artifacts
# Both rebuild std with panic=unwind: a panic becomes a rejected run instead of a trapped instance.
threaded() { CARGO_UNSTABLE_BUILD_STD=panic_unwind,std "$@"; }
single_threaded() {
  RUSTFLAGS="-Cdebuginfo=0 -Cpanic=unwind" CARGO_UNSTABLE_BUILD_STD=panic_unwind,std \
    CARGO_TARGET_DIR="$PWD/target/wasm-st" "$@"
}
