#!/usr/bin/python3
"""The benchmark's numpy peer: bench/reference.yaml written the way a numpy user would.

The same model as the scenario (same inputs, same items, same present-value formula,
`walk: best`), vectorised over trials with numpy's own samplers, in chunks so that memory
does not grow with the number of trials. Prints, per offer, the figures that bench/run
compares with walkaway's: p_walk_beats = mean(W < O), the mean of O, of W and of D = O - W.

    /usr/bin/python3 bench/peer_numpy.py --trials 1000000 --seed 1

Keep it in step with bench/reference.yaml: bench/run checks that both agree within Monte
Carlo error. Only numpy and the standard library are used.
"""
import argparse
import json
import math
import statistics
import sys

import numpy as np

# ---- The scenario's constants -------------------------------------------------------------
HORIZON = 5
DISCOUNT_RATE = 0.08
CORES = 2400
HOSTS = 75
VCF_LIST = 350.0
VVF_LIST = 135.0
VVF_TOOLING = 380e3  # the VVF offer's storage and network tooling, a year
VCF_ANNUAL = CORES * VCF_LIST

OFFERS = ["vcf-yearly", "vcf-3yr-commit", "vvf-downgrade"]
ALTERNATIVES = ["nutanix", "kvm-open-source", "public-cloud"]

Z90 = statistics.NormalDist().inv_cdf(0.9)  # the p90 of the standard normal


# ---- Samplers (numpy's own) -----------------------------------------------------------------
def pert(rng, lo, mode, hi, n, lam=4.0):
    """Beta-PERT: lo + (hi - lo) * Beta(1 + lam (mode-lo)/(hi-lo), 1 + lam (hi-mode)/(hi-lo))."""
    a = 1.0 + lam * (mode - lo) / (hi - lo)
    b = 1.0 + lam * (hi - mode) / (hi - lo)
    return lo + (hi - lo) * rng.beta(a, b, n)


def lognormal_p10_p90(rng, p10, p90, n):
    """The lognormal whose 10th and 90th percentiles are p10 and p90."""
    mu = 0.5 * (math.log(p10) + math.log(p90))
    sigma = (math.log(p90) - math.log(p10)) / (2.0 * Z90)
    return rng.lognormal(mu, sigma, n)


def bernoulli(rng, p, n):
    return (rng.random(n) < p).astype(np.float64)


# ---- Present value ----------------------------------------------------------------------------
DISC = [(1.0 + DISCOUNT_RATE) ** -t for t in range(HORIZON + 1)]


def flows(first, last, growth=0.0):
    """sum over t = first..last of (1 + growth)^(t - first) * (1 + r)^-t: the present value of
    one unit a year growing at `growth` (a number or an array of per-trial rates)."""
    if np.isscalar(growth):
        return sum((1.0 + growth) ** (t - first) * DISC[t] for t in range(first, last + 1))
    q = 1.0 + growth
    s = np.full_like(q, DISC[first])
    gk = q.copy()
    for t in range(first + 1, last + 1):
        s += gk * DISC[t]
        if t < last:
            gk *= q
    return s


def draw(rng, n):
    """The 24 sampled inputs and the five derived ones for n trials, by name."""
    d = {}
    # PERT
    d["effort_per_vm_hours"] = pert(rng, 1, 3, 8, n)
    d["hardware_refresh_share"] = pert(rng, 0.10, 0.25, 0.60, n)
    d["cloud_rightsizing"] = pert(rng, 0.15, 0.30, 0.45, n)
    d["downtime_hours"] = pert(rng, 4, 12, 48, n)
    # triangular
    d["day_rate"] = rng.triangular(900, 1100, 1500, n)
    d["dual_running_months"] = rng.triangular(3, 6, 12, n)
    d["training_cost"] = rng.triangular(60e3, 100e3, 180e3, n)
    d["cloud_egress_per_year"] = rng.triangular(40e3, 90e3, 200e3, n)
    # lognormal from p10, p90
    d["tooling_cost"] = lognormal_p10_p90(rng, 80e3, 250e3, n)
    d["downtime_cost_per_hour"] = lognormal_p10_p90(rng, 5e3, 40e3, n)
    d["cloud_compute_per_year"] = lognormal_p10_p90(rng, 700e3, 1.3e6, n)
    d["overrun"] = lognormal_p10_p90(rng, 0.05, 0.60, n)
    # normal
    d["nutanix_per_core"] = rng.normal(210, 25, n)
    d["kvm_support_per_host"] = rng.normal(2.2e3, 300, n)
    d["core_growth"] = rng.normal(0.04, 0.02, n)
    d["kvm_staff_per_year"] = rng.normal(150e3, 40e3, n)
    # bernoulli
    d["price_hike"] = bernoulli(rng, 0.35, n)
    d["nutanix_cutover_fails"] = bernoulli(rng, 0.12, n)
    d["kvm_cutover_fails"] = bernoulli(rng, 0.20, n)
    d["cloud_commit_shortfall"] = bernoulli(rng, 0.25, n)
    # uniform
    d["hardware_per_host"] = rng.uniform(25e3, 40e3, n)
    d["cloud_price_change"] = rng.uniform(-0.02, 0.06, n)
    d["support_uplift"] = rng.uniform(0.03, 0.09, n)
    d["vms"] = rng.uniform(1800, 2300, n)
    # derived
    d["migration_labour"] = (d["vms"] * d["effort_per_vm_hours"] / 8 * d["day_rate"]
                             * (1 + d["overrun"]))
    d["downtime"] = d["downtime_hours"] * d["downtime_cost_per_hour"]
    d["hardware_refresh"] = HOSTS * d["hardware_refresh_share"] * d["hardware_per_host"]
    d["vcf_after_commit"] = VCF_ANNUAL * (1 + d["support_uplift"]) ** 3
    d["cloud_run"] = d["cloud_compute_per_year"] * (1 - d["cloud_rightsizing"])
    return d


def options(d, vvf_list=VVF_LIST, vvf_tooling=VVF_TOOLING):
    """Present values of the six options from the draws d: rows are the offers, then the
    alternatives, in the scenario's order. vvf_list and vvf_tooling are the two prices of
    the vvf-downgrade offer that the sweep benchmark varies."""
    n = len(d["vms"])
    migration_labour, downtime = d["migration_labour"], d["downtime"]
    hardware_refresh, cloud_run = d["hardware_refresh"], d["cloud_run"]
    training_cost, tooling_cost = d["training_cost"], d["tooling_cost"]
    # annuity factors shared by several items
    uplift_0_5 = flows(0, 5, d["support_uplift"])
    uplift_3_5 = flows(3, 5, d["support_uplift"])
    true_up = CORES * d["core_growth"] * flows(1, 5, d["core_growth"])
    cloud_1_5 = flows(1, 5, d["cloud_price_change"])
    hike = d["price_hike"] * 0.20 * d["vcf_after_commit"] * uplift_3_5
    failed_cutover = (VCF_ANNUAL / 2 + migration_labour / 2) * DISC[1]

    pv = np.empty((6, n))
    # offers
    pv[0] = VCF_ANNUAL * uplift_0_5 + hike + true_up * VCF_LIST
    pv[1] = (VCF_ANNUAL * 0.80 * flows(0, 2) + d["vcf_after_commit"] * uplift_3_5 + hike
             + true_up * VCF_LIST * 0.80 - 150e3 * DISC[0])
    pv[2] = (CORES * vvf_list * uplift_0_5 + vvf_tooling * flows(0, 5, 0.05)
             + 0.25 * migration_labour * DISC[0] + true_up * vvf_list)
    # alternatives
    pv[3] = (VCF_ANNUAL * DISC[0] + CORES * d["nutanix_per_core"] * flows(1, 5, 0.03)
             + (migration_labour + tooling_cost + hardware_refresh + training_cost + downtime)
             * DISC[0] + d["nutanix_cutover_fails"] * failed_cutover)
    pv[4] = (VCF_ANNUAL * DISC[0] + HOSTS * d["kvm_support_per_host"] * flows(1, 5, 0.03)
             + d["kvm_staff_per_year"] * flows(1, 5, 0.04)
             + (1.4 * migration_labour + tooling_cost + 0.5 * hardware_refresh
                + 1.5 * training_cost + 1.5 * downtime) * DISC[0]
             + d["kvm_cutover_fails"] * failed_cutover)
    pv[5] = (VCF_ANNUAL * DISC[0] + (cloud_run + d["cloud_egress_per_year"]) * cloud_1_5
             + (1.2 * migration_labour + tooling_cost + d["dual_running_months"] / 12 * cloud_run
                + training_cost) * DISC[0]
             + d["cloud_commit_shortfall"] * 250e3 * flows(2, 5)
             - 300e3 * DISC[1] - 200e3 * flows(1, 5, 0.03))
    return pv


def simulate(rng, n):
    """Present values of the six options for n trials (see options)."""
    return options(draw(rng, n))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--trials", "-n", type=int, default=100000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--chunk", type=int, default=1 << 13,
                    help="trials per vectorised chunk (bounds memory; default 8192, the "
                         "fastest measured: small chunks stay in cache)")
    args = ap.parse_args()
    if args.trials < 1 or args.chunk < 1:
        ap.error("--trials and --chunk must be positive")

    rng = np.random.default_rng(args.seed)
    nopt = len(OFFERS) + len(ALTERNATIVES)
    sums = np.zeros(nopt)
    # beats[a, o]: trials in which alternative a is cheaper than offer o. Counting it for
    # every alternative lets `walk: best` be decided after one pass over the trials.
    beats = np.zeros((len(ALTERNATIVES), len(OFFERS)), dtype=np.int64)
    done = 0
    while done < args.trials:
        n = min(args.chunk, args.trials - done)
        pv = simulate(rng, n)
        sums += pv.sum(axis=1)
        for a in range(len(ALTERNATIVES)):
            w = pv[len(OFFERS) + a]
            for o in range(len(OFFERS)):
                beats[a, o] += np.count_nonzero(w < pv[o])
        done += n

    means = sums / args.trials
    alt_means = means[len(OFFERS):]
    walk = int(np.argmin(alt_means))  # the lowest mean; ties go to the first in file order
    w_mean = float(alt_means[walk])
    out = {
        "program": "numpy " + np.__version__,
        "trials": args.trials,
        "seed": args.seed,
        "walk": {"name": ALTERNATIVES[walk], "mean": w_mean},
        "alternatives": [{"name": ALTERNATIVES[a], "mean": float(alt_means[a])}
                         for a in range(len(ALTERNATIVES))],
        "offers": [{"name": OFFERS[o], "mean": float(means[o]),
                    "p_walk_beats": float(beats[walk, o]) / args.trials,
                    "walk_mean": w_mean, "advantage_mean": float(means[o]) - w_mean}
                   for o in range(len(OFFERS))],
    }
    json.dump(out, sys.stdout, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
