#!/usr/bin/env bash
# Renders a bundle's report.html in headless Chromium, takes a screenshot and checks the page:
# the comparison table is there, the plots are embedded <img> PNGs, and the screenshot is a real,
# non-trivial PNG. A suite's report (datasets:) must render a comparison table per dataset, the
# across-datasets rank table, the Friedman table and the critical-difference diagram. With a
# hyperparameter search, each searched model's candidate table (with its selected candidates marked)
# and selection table must render.
#
# Usage: scripts/check-report-html.sh BUNDLE [SCREENSHOT.png]
# Exit codes: 0 ok, 1 a check failed, 2 usage, 77 skipped (no chromium installed).
set -euo pipefail

if [ $# -lt 1 ] || [ $# -gt 2 ]; then
  echo "usage: $0 BUNDLE [SCREENSHOT.png]" >&2
  exit 2
fi
bundle="$(cd "$1" && pwd)"
report="$bundle/report.html"
[ -f "$report" ] || { echo "check-report-html: $report does not exist" >&2; exit 1; }

browser=""
for candidate in chromium chromium-browser google-chrome; do
  if command -v "$candidate" >/dev/null 2>&1; then browser="$candidate"; break; fi
done
if [ -z "$browser" ]; then
  echo "skipped: chromium not installed (apt-get install -y chromium)"
  exit 77
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
shot="${2:-$work/report.png}"
flags=(--headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking
       --disable-component-update --disable-sync --disable-dev-shm-usage --hide-scrollbars
       --user-data-dir="$work/profile")

timeout 120 "$browser" "${flags[@]}" --dump-dom "file://$report" > "$work/dom.html" 2> "$work/dom.log" || {
  echo "check-report-html: chromium could not render $report:" >&2; tail -5 "$work/dom.log" >&2; exit 1; }
timeout 120 "$browser" "${flags[@]}" --screenshot="$shot" --window-size=1280,2400 "file://$report" \
  > "$work/shot.log" 2>&1 || { echo "check-report-html: screenshot failed:" >&2; tail -5 "$work/shot.log" >&2; exit 1; }

fail() { echo "check-report-html: $*" >&2; exit 1; }
suite=""
if grep -q '<table id="ranks">' "$work/dom.html"; then
  tables=$(grep -o '<table id="comparison-[A-Za-z0-9._-]*">' "$work/dom.html" | sort -u | wc -l)
  [ "$tables" -ge 2 ] || fail "a suite's page needs a comparison table per dataset, found $tables"
  ranked=$(sed -n '/<table id="ranks">/,/<\/table>/p' "$work/dom.html" | grep -c '<tr>' || true)
  [ "$ranked" -ge 3 ] || fail "the rank table has $ranked rows (header included); expected one per model"
  if grep -q '<table id="friedman">' "$work/dom.html"; then
    grep -q '<img alt="Critical-difference diagram[^"]*" src="data:image/png;base64,' "$work/dom.html" \
      || fail "the suite's page has a Friedman table but no embedded critical-difference diagram"
    suite=" (suite: $tables per-dataset comparison tables, the rank table, the Friedman table and the critical-difference diagram)"
  else
    grep -q 'Friedman test and critical-difference diagram omitted: ' "$work/dom.html" \
      || fail "the suite's page neither shows the Friedman test nor says why it is omitted"
    suite=" (suite: $tables per-dataset comparison tables and the rank table; the Friedman test is omitted, with its reason)"
  fi
else
  grep -q '<table id="comparison">' "$work/dom.html" || fail "the rendered page has no comparison table"
fi
grep -q '<th>model</th>' "$work/dom.html" || fail "the comparison table has no header"
images=$(grep -o '<img[^>]*src="data:image/png;base64,' "$work/dom.html" | wc -l)
[ "$images" -ge 2 ] || fail "expected embedded PNG plots, found $images"
if grep -q 'src="plots/' "$work/dom.html"; then fail "the page links plots instead of embedding them"; fi
[ -f "$shot" ] || fail "no screenshot was written"
[ "$(head -c 8 "$shot" | od -An -tx1 | tr -d ' \n')" = "89504e470d0a1a0a" ] || fail "the screenshot is not a PNG"
size=$(stat -c %s "$shot")
[ "$size" -ge 30000 ] || fail "the screenshot is only $size bytes: the page looks empty"
rows=$(grep -c '<tr>' "$work/dom.html" || true)
searches=""
if grep -q '<table id="search-' "$report"; then
  # a hyperparameter search: each searched model's candidate table with its selection, and its selected table
  for table in $(grep -o '<table id="search-[^"]*"' "$report" | sed 's/<table id="search-//; s/"$//'); do
    grep -q "<table id=\"search-$table\">" "$work/dom.html" || fail "the rendered page lacks the search table of $table"
    grep -q "<table id=\"selected-$table\">" "$work/dom.html" || fail "the rendered page lacks the selection of $table"
  done
  selected=$(grep -o '(selected)</b>' "$work/dom.html" | wc -l)
  [ "$selected" -ge 1 ] || fail "the search tables mark no selected candidate"
  searches=", search tables with $selected selected candidate(s)"
fi
echo "report ok: $report renders with the comparison table, $images embedded plots, $rows table rows$suite$searches;" \
     "screenshot $shot ($size bytes)"
