#!/usr/bin/env bash
# The website, as a reader meets it: built without Quarto by tools/build_site.py, README.md
# regenerated from nbs/index.ipynb and compared with the committed one, then every page opened
# in headless Chromium by tools/check_site.py (JavaScript errors, typeset math and its MathJax output,
# figures, internal links, show_doc blocks, folded cells, search, a phone's first screen and its menu
# button driven by the keyboard, no sideways scrolling at a 390-px phone width, every explorable
# figure driven by keyboard and slider, page and site sizes). Then the site is built a second time
# with the offline command README.md gives (Debian's MathJax from file://), into a temporary folder,
# and that copy gets the same check, so the recipe readers follow is the one that is tested.
# The one entry point for both CI (.ci/run, inside its virtual environment) and the GitHub Pages
# deploy (.github/workflows/deploy.yaml), so the site that is published is the site that was checked.
# Runs on its own too:
#   . .venv/bin/activate && bash .ci/site_check.sh
# The published pages load MathJax from its CDN; the check serves those requests from Debian's
# libjs-mathjax, so it needs no network.
set -euo pipefail
cd "$(dirname "$0")/.."
say() { printf '\n==> %s\n' "$*"; }
MATHJAX_DIR=/usr/share/javascript/mathjax

say "Debian's chromium and libjs-mathjax (MathJax for offline pages)"
SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
. /etc/os-release
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
need=()
[ -f "$MATHJAX_DIR/MathJax.js" ] || need+=(libjs-mathjax)
if [ ! -x "$CHROMIUM" ]; then
  if [ "${ID:-}" = debian ]; then need+=(chromium)
  elif command -v google-chrome >/dev/null; then CHROMIUM=$(command -v google-chrome)   # Ubuntu's chromium is a snap
  else need+=(chromium)
  fi
fi
if [ ${#need[@]} -gt 0 ]; then
  $SUDO apt-get update -q
  $SUDO apt-get install -y -q "${need[@]}"
else
  echo "already installed"
fi
"$CHROMIUM" --version

say "build the site: python tools/build_site.py"
start=$(date +%s)
python tools/build_site.py
echo "site build took $(( $(date +%s) - start ))s"

say "README.md is what tools/build_site.py generates from nbs/index.ipynb"
if [ -n "$(git status --porcelain -- README.md index_files)" ]; then
  echo "README.md is out of date with nbs/index.ipynb; run python tools/build_site.py and commit README.md:"
  git --no-pager diff -- README.md | head -60
  git status --porcelain -- README.md index_files
  exit 1
fi
echo "README.md is in sync"

say "every page in headless Chromium (screenshots in _site/screenshots/)"
start=$(date +%s)
python tools/check_site.py --chromium "$CHROMIUM" --mathjax-dir "$MATHJAX_DIR" --mathjax-output CommonHTML
echo "browser test took $(( $(date +%s) - start ))s"

say "README.md's offline recipe: build with the --mathjax it gives, and check that copy too"
OFFLINE_MATHJAX=$(python - <<'EOF'
import importlib.util, re, sys
recipes = re.findall(r"tools/build_site\.py --mathjax '([^']+)'", open('README.md', encoding='utf-8').read())
if len(recipes) != 1: sys.exit(f"README.md should give exactly one offline build command (build_site.py --mathjax '...'); found {recipes}")
spec = importlib.util.spec_from_file_location('build_site', 'tools/build_site.py')
build_site = importlib.util.module_from_spec(spec); spec.loader.exec_module(build_site)
if recipes[0] != build_site.DEBIAN_MATHJAX:
    sys.exit(f"README.md's offline --mathjax {recipes[0]} is not tools/build_site.py's DEBIAN_MATHJAX {build_site.DEBIAN_MATHJAX}")
print(recipes[0])
EOF
)
echo "README.md: python tools/build_site.py --mathjax '$OFFLINE_MATHJAX'"
OFFLINE_SITE=$(mktemp -d "${TMPDIR:-/tmp}/softmax-nb-offline-site.XXXXXX")
start=$(date +%s)
python tools/build_site.py --mathjax "$OFFLINE_MATHJAX" --out "$OFFLINE_SITE" --no-readme
python tools/check_site.py --site "$OFFLINE_SITE" --chromium "$CHROMIUM" --mathjax-dir "$MATHJAX_DIR" --mathjax-output CommonHTML
echo "offline build and browser test took $(( $(date +%s) - start ))s; its screenshots are in $OFFLINE_SITE/screenshots/"
