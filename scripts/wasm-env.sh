# Sourced by the scripts: run a command for one of the two wasm builds.
#   threaded CMD...         .cargo/config.toml's flags (atomics, shared memory); std rebuilt with them
#   single_threaded CMD...  no atomics, the prebuilt wasm32 std, its own target dir so neither build evicts
#                           the other's artifacts
threaded() { CARGO_UNSTABLE_BUILD_STD=panic_abort,std "$@"; }
single_threaded() { RUSTFLAGS="-Cdebuginfo=0" CARGO_TARGET_DIR="$PWD/target/wasm-st" "$@"; }
