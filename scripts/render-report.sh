#!/usr/bin/env bash
# Renders a run's report.html to report.png in headless Chromium, to check the
# report as a reader sees it (charts inline, tables, print layout).
#
#   scripts/render-report.sh reports/examples/island-cable-cut
#
# Needs Debian's `chromium` package (apt-get install chromium).
set -euo pipefail
dir="${1:?usage: scripts/render-report.sh REPORT_DIR}"
html="$(realpath "$dir/report.html")"
[ -f "$html" ] || { echo "no report.html in $dir" >&2; exit 2; }
browser="$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)"
[ -n "$browser" ] || { echo "chromium not found: apt-get install chromium" >&2; exit 2; }
out="$(realpath "$dir")/report.png"
"$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars \
    --window-size=1280,"${HEIGHT:-9000}" --screenshot="$out" "file://$html" 2>/dev/null
echo "wrote $out"
