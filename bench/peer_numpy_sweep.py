#!/usr/bin/python3
"""The sweep benchmark's numpy peer: a 20 x 20 study of two prices of one offer.

The study `walkaway sweep --vary vvf_list=100:180:20 --vary vvf_tooling=200k:600k:20
bench/reference.yaml` makes, written the way a numpy user would: the inputs are drawn once
(bench/peer_numpy.py's draw) and reused at every point, and every point recomputes the six
options' present values (vectorised over the trials) and the figures the sweep reports per
offer: p_walk_beats with its 95% Wilson interval, the mean advantage, the concession
needed (the c-quantile of D = O - W, numpy's default linear interpolation) and the verdict,
with `walk: best` decided at each point. Prints a small JSON summary.

    /usr/bin/python3 bench/peer_numpy_sweep.py --trials 100000 --seed 1
"""
import argparse
import json
import math
import sys

import numpy as np

import peer_numpy as ref

Z95 = 1.959963984540054


def wilson(k, n):
    p = k / n
    den = 1 + Z95 * Z95 / n
    mid = (p + Z95 * Z95 / (2 * n)) / den
    half = Z95 * math.sqrt(p * (1 - p) / n + Z95 * Z95 / (4 * n * n)) / den
    return mid - half, mid + half


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--trials", "-n", type=int, default=100000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--steps", type=int, default=20)
    ap.add_argument("--confidence", type=float, default=0.8)
    args = ap.parse_args()
    rng = np.random.default_rng(args.seed)
    d = ref.draw(rng, args.trials)
    c = args.confidence
    lists = np.linspace(100, 180, args.steps)
    toolings = np.linspace(200e3, 600e3, args.steps)
    nk = len(ref.OFFERS)
    points = []
    for vvf_list in lists:
        for vvf_tooling in toolings:
            pv = ref.options(d, vvf_list, vvf_tooling)
            means = pv.mean(axis=1)
            walk = nk + int(np.argmin(means[nk:]))
            w = pv[walk]
            offers = []
            for k in range(nk):
                dk = pv[k] - w
                beats = int(np.count_nonzero(dk > 0))
                p = beats / args.trials
                lo, hi = wilson(beats, args.trials)
                offers.append({"name": ref.OFFERS[k], "p_walk_beats": p,
                               "p_walk_beats_ci95": [lo, hi],
                               "advantage_mean": float(dk.mean()),
                               "concession_needed": float(np.quantile(dk, c)),
                               "verdict": "walk" if p >= c else "accept" if p <= 1 - c
                               else "negotiate"})
            points.append({"values": {"vvf_list": float(vvf_list),
                                      "vvf_tooling": float(vvf_tooling)},
                           "walk": ref.ALTERNATIVES[walk - nk], "offers": offers})
    # the summary bench/run compares: the vvf offer's p_walk_beats at the four corners
    corners = [points[i]["offers"][2]["p_walk_beats"]
               for i in (0, args.steps - 1, len(points) - args.steps, len(points) - 1)]
    json.dump({"program": "numpy " + np.__version__, "trials": args.trials,
               "points": len(points), "vvf_downgrade_corners": corners}, sys.stdout, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
