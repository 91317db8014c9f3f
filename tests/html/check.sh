#!/usr/bin/env bash
# tests/html/check.sh WALKAWAY SOURCE_DIR — the HTML report as a person would see it.
#
# For every bundled scenario (all its variants), `walkaway run --report --charts` and the
# JSON of the same run; then a real browser (Debian's headless Chromium) and tidy check:
#   - the page is valid HTML (tidy -errors: no error, no warning);
#   - rendered, it logs nothing on the console (a blocked fetch, a script, an error would);
#   - it asks the network for nothing (the browser's net log; every host resolves nowhere);
#   - every chart is drawn with the marks its data call for (the DOM against the JSON: a
#     bar per bin, a line per series, two bars per tornado input ...), title and desc first;
#   - every chart on screen holds coloured marks (a screenshot of all the chart files,
#     each in a tile of its own, no tile blank); every chart file is well-formed SVG;
#   - printed, it makes A4 pages, at least one per run.
# Then the same for the pages of sweeps (lines and heat maps, with and without the
# vendor's side) and of solves, their marks counted against the study's JSON.
# Exit 0 when all hold, 1 otherwise; 77 (skipped) without chromium, tidy or python3.
set -euo pipefail

cli=$(realpath "$1")
src=$(realpath "$2")
here="$src/tests/html"
for tool in chromium tidy python3; do
    if ! command -v "$tool" >/dev/null; then
        echo "html check: $tool not found (scripts/setup installs it): skipped"
        exit 77
    fi
done

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Chromium with nothing of its own going on, and no way out: every host resolves nowhere.
browser() {
    local sandbox=()
    [ "$(id -u)" -eq 0 ] && sandbox=(--no-sandbox) # root may not use the sandbox
    timeout 180 chromium --headless "${sandbox[@]}" --disable-gpu --hide-scrollbars \
        --disable-background-networking --disable-component-update --disable-sync \
        --no-first-run --disable-default-apps --disable-extensions \
        "--host-resolver-rules=MAP * ~NOTFOUND" --user-data-dir="$tmp/profile" "$@"
}

failed=0
check() { # name, then the command that must succeed
    local what=$1
    shift
    if ! "$@"; then
        echo "FAIL: $what"
        failed=1
    fi
}

# The checks of one page: $1 its name, $2 its folder (page.html, run.json, charts/), $3
# "marks" for runs or "study" for a sweep or a solve.
page_checks() {
    local name=$1 d=$2 how=$3
    local runs
    runs=$(grep -c '<section class="run"' "$d/page.html")
    echo "page: $(stat -c %s "$d/page.html") bytes, $runs sections, $(ls "$d/charts" | wc -l) chart files"

    # valid HTML: tidy exits 0 only without errors and warnings
    check "$name: tidy" tidy -errors -q "$d/page.html"

    # rendered: the DOM, the console and the net log
    browser --enable-logging=stderr --v=0 --log-net-log="$d/net.json" \
        --dump-dom "file://$d/page.html" >"$d/dom.html" 2>"$d/browser.log" || true
    if grep ':CONSOLE' "$d/browser.log"; then
        echo "FAIL: $name: the console says the above"
        failed=1
    fi
    check "$name: net log" python3 "$here/inspect.py" netlog "$d/net.json"
    check "$name: marks" python3 "$here/inspect.py" "$how" "$d/dom.html" "$d/run.json"
    check "$name: chart files" python3 "$here/inspect.py" svgs "$d"/charts/*.svg

    # on screen: every chart file in a tile of its own at half size, 4 to a row
    local n rows
    n=$(ls "$d/charts" | wc -l)
    rows=$(((n + 3) / 4))
    {
        echo '<!DOCTYPE html><html><head><meta charset="utf-8"><title>tiles</title><style>'
        echo 'body{margin:0;background:#fff}div{display:grid;grid-template-columns:repeat(4,320px);grid-auto-rows:260px}'
        echo 'img{width:320px;height:260px;object-fit:contain}</style></head><body><div>'
        for f in "$d"/charts/*.svg; do echo "<img src=\"charts/$(basename "$f")\" alt=\"\">"; done
        echo '</div></body></html>'
    } >"$d/tiles.html"
    browser --window-size=1280,$((rows * 260)) --screenshot="$d/tiles.png" \
        "file://$d/tiles.html" >/dev/null 2>&1 || true
    check "$name: charts on screen" python3 "$here/inspect.py" tiles "$d/tiles.png" "$n" 4 320 260

    # printed: A4 (595 x 842 points), a page at least per section and one for the contents
    browser --no-pdf-header-footer --print-to-pdf="$d/page.pdf" "file://$d/page.html" \
        >/dev/null 2>&1 || true
    local pages a4
    pages=$(grep -a -c '/Type /Page\b' "$d/page.pdf" || true)
    a4=$(grep -a -o '/MediaBox \[0 0 59[45]\.[0-9]* 84[12]\.[0-9]*\]' "$d/page.pdf" | wc -l)
    echo "print: $pages pages, $a4 of them A4"
    if [ "$pages" -le "$runs" ] || [ "$a4" -ne "$pages" ]; then
        echo "FAIL: $name: printed on $pages pages ($a4 A4) for $runs sections"
        failed=1
    fi
}

for scenario in "$src"/scenarios/*.yaml; do
    name=$(basename "$scenario" .yaml)
    d="$tmp/$name"
    mkdir -p "$d"
    echo "== $name"
    "$cli" run -q -j 2 -n 20000 --format json -o "$d/run.json" --report "$d/page.html" \
        --charts "$d/charts" "$scenario"
    page_checks "$name" "$d" marks
done

# The studies: a sweep of one name (lines), of two (heat maps), and solves, on a scenario
# without a vendor section and on one with it (P(deal) and the cells both sides prefer).
study() { # name, command, its arguments
    local name=$1
    shift
    local d="$tmp/$name"
    mkdir -p "$d"
    echo "== $name"
    "$cli" "$@" -q -j 2 -n 20000 --format json -o "$d/run.json" --report "$d/page.html" \
        --charts "$d/charts"
    page_checks "$name" "$d" study
}
ibm="$src/scenarios/ibm-audit.yaml"
java="$src/scenarios/java-settlement.yaml"
study sweep-lines sweep "$ibm" --vary settlement_discount.max=15%:75%:5
study sweep-heatmap sweep "$ibm" --vary settlement_discount.max=15%:75%:7 \
    --vary subscription_per_year=500k:1.5M:9
study sweep-vendor-lines sweep "$java" --vary java_price=5,7.5,10,15
study sweep-vendor-heatmap sweep "$java" --vary java_price=5:15:6 --vary unlicensed_months=12:48:4
study solve solve "$ibm" --vary subscription_per_year=500k:1.5M --offer subscription-3yr
study solve-mean solve "$java" --vary java_price=5:15 --offer subscription-3yr --target mean

exit $failed
