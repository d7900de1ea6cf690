#!/usr/bin/env bash
# A manual check of the README's MyST / Jupyter Book 2 recipe, not run by `npm test`: renders the pages in
# docs/platforms/myst/ with mystmd (`myst build --html`, what `jupyter-book build --html` runs) and the
# book theme, serves the static site and Juggle's build on two origins, and checks the embeds in headless
# Chromium with scripts/embed-check.mjs (screenshots and a JSON report in the work folder).
#
#   MYST_THEME_GIT=/path/to/myst-theme.git bash scripts/try-myst.sh [WORK_DIR]
#
# mystmd downloads its theme from its template service at build time. Where that cannot be reached (this
# repository's test machines, CI), the theme is built here from a local clone of the myst-theme repository
# (github: jupyter-book/myst-theme) at MYST_THEME_COMMIT, the commit the published book-theme v1.1.2 was
# built from, with its npm dependencies pinned in docs/platforms/myst/theme-package.json (npm "overrides"
# keep one copy of each @myst-theme package: the registry lacks some of the exact versions the theme
# names). Ports: E2E_PORT (the course site) and E2E_PORT+1 (Juggle's build, dist/ with its _headers).
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
work=${1:-/tmp/juggle-myst}
port=${E2E_PORT:-4800}
theme_git=${MYST_THEME_GIT:?set MYST_THEME_GIT to a clone (or bare git dir) of the myst-theme repository}
theme_commit=${MYST_THEME_COMMIT:-9a700ae}
juggle="http://127.0.0.1:$((port + 1))"
mkdir -p "$work"
work=$(cd "$work" && pwd)

[ -f dist/embed.js ] || npm run build

if [ ! -f "$work/book-theme/build/index.js" ]; then
  echo "try-myst: building the book theme from $theme_git at $theme_commit"
  rm -rf "$work/book-theme" && mkdir -p "$work/book-theme"
  git --git-dir="$(git -C "$theme_git" rev-parse --absolute-git-dir)" archive "$theme_commit" themes/book \
    bin/copy-thebe-assets.cjs | tar -x -C "$work/book-theme"
  (
    cd "$work/book-theme"
    mv themes/book/* themes/book/.eslintrc.js . && rm -rf themes
    cp "$repo/docs/platforms/myst/theme-package.json" package.json
    cp "$repo/docs/platforms/myst/theme-server.js" server.js
    cp remix.config.prod.js remix.config.js
    npm install --no-audit --no-fund
    # The theme's own patch (patches/@jupyter-widgets+controls+5.0.11.patch in its repository): esbuild
    # cannot bundle these two CSS imports.
    sed -i -e "s#^@import './lumino.css';#/* & */#" -e "s#^@import './nouislider.css';#/* & */#" \
      node_modules/@jupyter-widgets/controls/css/widgets-base.css
    node bin/copy-thebe-assets.cjs public
    npm run build
  )
fi

[ -x "$work/node_modules/.bin/myst" ] || (cd "$work" && npm init -y >/dev/null && npm install --no-audit \
  --no-fund mystmd@1.8.3)

rm -rf "$work/site" && mkdir -p "$work/site"
for file in myst.yml index.md notebook.ipynb; do
  sed "s#{{JUGGLE}}#$juggle#g" "docs/platforms/myst/$file" >"$work/site/$file"
done
cp www/favicon.svg "$work/site/juggle.svg"
(cd "$work/site" && "$work/node_modules/.bin/myst" build --html)

pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; }
trap cleanup EXIT
node tests/e2e/static-host.js --root dist --headers dist/_headers --port $((port + 1)) &
pids+=($!)
# The course site as GitHub Pages serves it: no headers of its own.
node tests/e2e/static-host.js --root "$work/site/_build/html" --port "$port" &
pids+=($!)
sleep 1
status=0
# localhost, not 127.0.0.1: the course site is on another origin than Juggle's build.
node scripts/embed-check.mjs --url "http://localhost:$port/" --out "$work/myst-directive.png" \
  >"$work/myst-directive.json" || status=1
node scripts/embed-check.mjs --url "http://localhost:$port/notebook" --out "$work/myst-notebook.png" \
  >"$work/myst-notebook.json" || status=1
cat "$work/myst-directive.json" "$work/myst-notebook.json"
echo "try-myst: screenshots and reports in $work (exit $status)"
exit $status
