#!/usr/bin/env python3
"""inspect.py — what tests/html/check.sh asks of what a real browser made of the report.

    inspect.py marks PAGE_DOM RESULTS_JSON   every chart drawn with the marks its data call for
    inspect.py study PAGE_DOM STUDY_JSON     the same for the page of a sweep or a solve
    inspect.py netlog NETLOG                 no request for anything but the page itself
    inspect.py tiles PNG COUNT COLS W H      every chart tile of a screenshot holds coloured marks
    inspect.py svgs DIR                      every chart file is a well-formed SVG with a title

Each prints what it found and exits 1 on the first kind of failure (after listing them all).
Standard library only: the PNG decoder below reads the 8-bit, non-interlaced images
Chromium writes.
"""
import json
import re
import struct
import sys
import xml.etree.ElementTree as ET
import zlib


def fail(problems):
    for p in problems:
        print("FAIL:", p)
    sys.exit(1 if problems else 0)


# ---- marks: the page's DOM against the run's JSON ------------------------------------------

MAX_ROWS, MAX_LINES = 10, 6  # report/charts.c: tornado and EVPPI rows, spider lines


def expected_figures(res):
    """[(kind, {what: count})] in the page's order for one result of the JSON."""
    offers = res["offers"]
    figs = [("scurves", {"polyline": 1 + len(offers)})]
    for o in offers:
        hist = o["advantage"].get("histogram")
        if hist:
            figs.append(("histogram", {'rect class="bar': len(hist["counts"])}))
        n = len(o["sensitivity"])
        if n:
            figs.append(("tornado", {'rect class="lo"': min(n, MAX_ROWS),
                                     'rect class="hi"': min(n, MAX_ROWS)}))
            figs.append(("spider", {"polyline": min(n, MAX_LINES)}))
    worth = [v for v in res["value_of_information"]["inputs"] if (v["evppi"] or 0) > 0]
    if worth:
        figs.append(("evppi", {'rect class="ev"': min(len(worth), MAX_ROWS)}))
    if res.get("vendor") and res["walk"]["cost"].get("histogram"):
        figs.append(("vendor", {"polyline": 2}))
    return figs


def check_sections(dom, items, want, label):
    """The page's sections against the JSON's items, want(item) their expected charts."""
    sections = re.findall(r'<section class="run" id="r\d+">(.*?)</section>', dom, re.S)
    problems = []
    if len(sections) != len(items):
        problems.append(f"{len(sections)} sections for {len(items)} {label}")
    total = 0
    for i, (sec, item) in enumerate(zip(sections, items), 1):
        figs = re.findall(r'<figure class="chart (\w+)">(.*?)</figure>', sec, re.S)
        wanted = want(item)
        kinds = [k for k, _ in figs]
        if kinds != [k for k, _ in wanted]:
            problems.append(f"{label} {i}: charts {kinds}, expected {[k for k, _ in wanted]}")
            continue
        for j, ((kind, svg), (_, counts)) in enumerate(zip(figs, wanted), 1):
            total += 1
            if not re.match(r"\s*<svg[^>]*>\s*<title>[^<]+</title>\s*<desc>[^<]+</desc>", svg):
                problems.append(f"{label} {i} chart {j} ({kind}): no <title> and <desc> first")
            for what, n in counts.items():
                got = svg.count("<" + what)
                if got != n:
                    problems.append(f"{label} {i} chart {j} ({kind}): {got} <{what}...>, expected {n}")
    print(f"marks: {len(sections)} {label}, {total} charts checked against the JSON")
    fail(problems)


def marks(dom_path, json_path):
    dom = open(dom_path, encoding="utf-8").read()
    results = json.load(open(json_path, encoding="utf-8"))["results"]
    check_sections(dom, results, expected_figures, "runs")


def expected_study(item, kind):
    """[(kind, {what: count})] for one sweep or solve of the JSON."""
    if kind == "solves":
        return [("solve", {'circle class="pt"': item["runs"],
                           'rect class="xi"': len(item["crossings"]) if item["found"] else 0,
                           "polyline": 1})]
    npoints, nvary = len(item["points"]), len(item["vary"])
    offers = item["points"][0]["offers"]
    deal = any(o.get("p_deal") is not None for o in offers)
    if npoints > 10000 or nvary > 2:  # report/study_charts.h: no chart
        return []
    if nvary == 1:
        return [("sweep", {'circle class="pt"': npoints, "polyline": 2 if deal else 1})
                for _ in offers]
    return [("heatmap", {'rect class="cell"': npoints}) for _ in offers]


def study(dom_path, json_path):
    dom = open(dom_path, encoding="utf-8").read()
    doc = json.load(open(json_path, encoding="utf-8"))
    kind = "sweeps" if "sweeps" in doc else "solves"
    check_sections(dom, doc[kind], lambda item: expected_study(item, kind), kind)


# ---- the network: nothing but the page ------------------------------------------------------

# The browser's own background calls (update checks, clock, account probes) go to these
# hosts whatever the page is; the host resolver rules of check.sh keep them on the machine.
BROWSER_HOSTS = re.compile(r"^https?://([a-z0-9-]+\.)*(google\.com|googleapis\.com|gvt1\.com)(/|:|$)")


def netlog(path):
    text = open(path, encoding="utf-8", errors="replace").read()
    urls = set(re.findall(r'"url":"([^"]*)"', text))
    page = sorted(u for u in urls if re.match(r"^[a-z]+://", u) and not u.startswith("file://")
                  and not u.startswith("data:") and not BROWSER_HOSTS.match(u))
    print(f"netlog: {len(urls)} URLs seen, {len(page)} asked for by the page")
    fail([f"the page asked for {u}" for u in page])


# ---- screenshots: coloured marks in every tile ---------------------------------------------

def read_png(path):
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG")
    pos, idat, hdr = 8, b"", None
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if kind == b"IHDR":
            hdr = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        pos += 12 + n
    w, h, depth, ctype, _, _, interlace = hdr
    if depth != 8 or ctype not in (2, 6) or interlace:
        raise ValueError(f"unsupported PNG (depth {depth}, colour type {ctype})")
    bpp = 3 if ctype == 2 else 4
    raw, stride = zlib.decompress(idat), w * bpp
    rows, prev = [], bytearray(stride)
    for y in range(h):
        f = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        if f == 1:
            for x in range(bpp, stride):
                line[x] = (line[x] + line[x - bpp]) & 255
        elif f == 2:
            for x in range(stride):
                line[x] = (line[x] + prev[x]) & 255
        elif f == 3:
            for x in range(stride):
                left = line[x - bpp] if x >= bpp else 0
                line[x] = (line[x] + ((left + prev[x]) >> 1)) & 255
        elif f == 4:
            for x in range(stride):
                a = line[x - bpp] if x >= bpp else 0
                b, c = prev[x], prev[x - bpp] if x >= bpp else 0
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pred = a if pa <= pb and pa <= pc else b if pb <= pc else c
                line[x] = (line[x] + pred) & 255
        rows.append(line)
        prev = line
    return w, h, bpp, rows


def tiles(path, count, cols, tw, th):
    w, h, bpp, rows = read_png(path)
    problems = []
    for t in range(count):
        x0, y0 = (t % cols) * tw, (t // cols) * th
        coloured = inked = 0
        for y in range(y0, min(y0 + th, h)):
            line = rows[y]
            for x in range(x0, min(x0 + tw, w)):
                r, g, b = line[x * bpp], line[x * bpp + 1], line[x * bpp + 2]
                if min(r, g, b) < 235:
                    inked += 1
                if max(r, g, b) - min(r, g, b) > 60:  # a colour of the palette, not grey
                    coloured += 1
        area = tw * th
        # axes and words alone are grey: a chart without its data has no colour (an
        # S-curve's dashed lines at half size colour about 0.2% of its tile)
        if inked < area * 0.02 or coloured < area * 0.001:
            problems.append(f"tile {t + 1}: {inked} inked and {coloured} coloured pixels of {area}")
    print(f"tiles: {count} charts on screen, {len(problems)} blank")
    fail(problems)


# ---- chart files ------------------------------------------------------------------------------

def svgs(paths):
    problems = []
    for p in paths:
        try:
            root = ET.parse(p).getroot()
        except ET.ParseError as e:
            problems.append(f"{p}: not well-formed: {e}")
            continue
        ns = "{http://www.w3.org/2000/svg}"
        if root.tag != ns + "svg":
            problems.append(f"{p}: the root is {root.tag}")
        kids = list(root)
        if len(kids) < 2 or kids[0].tag != ns + "title" or kids[1].tag != ns + "desc" \
                or not (kids[0].text or "").strip() or not (kids[1].text or "").strip():
            problems.append(f"{p}: no <title> and <desc> first")
    print(f"svgs: {len(paths)} chart files")
    fail(problems)


if __name__ == "__main__":
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd == "marks":
        marks(*args)
    elif cmd == "study":
        study(*args)
    elif cmd == "netlog":
        netlog(*args)
    elif cmd == "tiles":
        tiles(args[0], *map(int, args[1:]))
    elif cmd == "svgs":
        svgs(args)
    else:
        sys.exit(f"unknown command {cmd}")
