#!/usr/bin/env bash
# Installs what Juggle needs and is missing; quick when everything is there.
#   scripts/setup.sh            Rust targets, wasm-bindgen-cli, wasm-pack, npm packages
#   scripts/setup.sh --browser  the same, plus Debian's chromium and chromium-driver (for tests)
#   scripts/setup.sh PART...    only those parts: rust (nightly's wasm32 target, rust-src, rustfmt,
#                               clippy), wasm-tools (wasm-bindgen-cli, wasm-pack), browser, npm,
#                               python (a venv in .tools/python with notebook/requirements-test.txt:
#                               pytest, ruff, JupyterLab, Notebook 7, anywidget) (scripts/test.sh asks
#                               for what each suite needs)
set -euo pipefail
cd "$(dirname "$0")/.."

parts=" $* "
case "$parts" in
  "  ") parts=" rust wasm-tools npm " ;;
  " --browser ") parts=" rust wasm-tools browser npm " ;;
esac
for part in $parts; do
  case "$part" in
    rust | wasm-tools | browser | npm | python) ;;
    *) echo "setup: unknown part '$part' (rust, wasm-tools, browser, npm, python, or --browser)" >&2; exit 2 ;;
  esac
done
wants() { [[ "$parts" == *" $1 "* ]]; }
say() { printf '\033[1;34msetup:\033[0m %s\n' "$*"; }

# 1. Nightly Rust with the wasm32 target and the std sources (rust-toolchain.toml names them; rustup here
#    does not auto-install, so add them explicitly).
if { wants rust || wants wasm-tools; } && ! command -v rustup >/dev/null; then
  echo "setup: rustup is required (this machine kind ships it); install it from rustup.rs" >&2
  exit 1
fi
if wants rust && ! rustup target list --installed --toolchain nightly 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target to nightly"
  rustup target add wasm32-unknown-unknown --toolchain nightly
fi
if wants rust; then
  installed_components=$(rustup component list --installed --toolchain nightly 2>/dev/null)
  for component in rust-src rustfmt clippy; do
    if ! grep -q "^${component}" <<<"$installed_components"; then
      say "adding $component to nightly"
      rustup component add "$component" --toolchain nightly
    fi
  done
fi

# 2. wasm-bindgen-cli of exactly the wasm-bindgen crate's version (Cargo.lock is the source of truth).
if wants wasm-tools; then
  bindgen_version=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
  if [[ "$(wasm-bindgen --version 2>/dev/null || true)" != "wasm-bindgen $bindgen_version" ]]; then
    say "installing wasm-bindgen-cli $bindgen_version (a few minutes, once)"
    # No --locked: one locked transitive version is missing from the registry mirror here.
    cargo +stable install wasm-bindgen-cli --version "$bindgen_version" --force
  fi
fi

# 3. wasm-pack.
if wants wasm-tools && ! command -v wasm-pack >/dev/null; then
  say "installing wasm-pack (a few minutes, once)"
  cargo +stable install --locked wasm-pack
fi

# 4. Debian's Chromium and its driver, for the browser tests. Never a browser download.
if wants browser && ! { command -v chromium && command -v chromedriver; } >/dev/null; then
  say "installing Debian chromium and chromium-driver"
  export DEBIAN_FRONTEND=noninteractive
  sudo_cmd=""
  [[ $(id -u) -ne 0 ]] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  $sudo_cmd apt-get install -y -qq --no-install-recommends chromium chromium-driver >/dev/null
fi

# 5. npm packages, when package-lock.json changed since the last install.
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
if wants npm && [[ ! -f node_modules/.package-lock.json || package-lock.json -nt node_modules/.package-lock.json ]]; then
  say "installing npm packages"
  npm ci --no-audit --no-fund --loglevel=error
fi

# 6. Python tools for the `python` suite and the notebook e2e test, in a venv of their own (.tools/python,
#    not committed), installed again only when notebook/requirements-test.txt changed.
if wants python; then
  venv=.tools/python
  if [[ ! -x $venv/bin/python ]]; then
    say "creating the Python venv $venv"
    python3 -m venv "$venv" || {
      echo "setup: python3 -m venv failed; on Debian, apt-get install python3-venv" >&2
      exit 1
    }
  fi
  if ! cmp -s notebook/requirements-test.txt "$venv/requirements-test.txt"; then
    say "installing pytest, ruff, JupyterLab, Notebook 7 and anywidget into $venv (about 2 minutes, once)"
    "$venv/bin/pip" install --quiet --disable-pip-version-check -r notebook/requirements-test.txt
    cp notebook/requirements-test.txt "$venv/requirements-test.txt"
  fi
fi
