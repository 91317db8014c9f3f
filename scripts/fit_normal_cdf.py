#!/usr/bin/env python3
"""The table behind the vectorised normal CDF of correlated inputs (engine/sample/ncdf.c).

Phi(-x) = exp(-y^2) erfcx(y) / 2 with y = x / sqrt(2) and erfcx(y) = exp(y^2) erfc(y). On
y in [0, 6] (beyond, Phi(-x) is below the smallest uniform, 2^-53), erfcx(y) (1 + 2y) is a
smooth function of t = (y - K) / (y + K), interpolated here by a Chebyshev series in t at
the Chebyshev points, in 50-digit arithmetic, then turned into the coefficients of the
same polynomial in powers of s (still in 50 digits; their absolute values sum to 1.6, so
Horner's rule in doubles loses nothing: it takes two operations a degree where Clenshaw's
recurrence takes three). Prints the C table and the largest relative error of erfcx from
the double-precision Horner sum against mpmath on a fine grid.
Needs python3-mpmath (Debian).

    scripts/fit_normal_cdf.py [DEGREE [K]]
"""
import sys
import mpmath as mp

mp.mp.dps = 50
N = int(sys.argv[1]) if len(sys.argv) > 1 else 20
K = mp.mpf(sys.argv[2]) if len(sys.argv) > 2 else mp.mpf(3)
Y = mp.mpf(6)
TMAX = (Y - K) / (Y + K)


def y_of(s):  # s in [-1, 1] -> t in [-1, TMAX] -> y in [0, Y]
    t = (s + 1) * (TMAX + 1) / 2 - 1
    return K * (1 + t) / (1 - t)


def g(y):
    return mp.exp(y * y) * mp.erfc(y) * (1 + 2 * y)


nodes = [mp.cos(mp.pi * (k + mp.mpf(1) / 2) / (N + 1)) for k in range(N + 1)]
vals = [g(y_of(x)) for x in nodes]
coef = []
for j in range(N + 1):
    c = sum(vals[k] * mp.cos(mp.pi * j * (k + mp.mpf(1) / 2) / (N + 1)) for k in range(N + 1))
    coef.append(c * 2 / (N + 1))
coef[0] /= 2
# T_n in powers of s (T_n = 2 s T_{n-1} - T_{n-2}), then the series in powers of s
T = [[mp.mpf(1)], [mp.mpf(0), mp.mpf(1)]]
for n in range(2, N + 1):
    p = [mp.mpf(0)] + [2 * c for c in T[n - 1]]
    for i, c in enumerate(T[n - 2]):
        p[i] -= c
    T.append(p)
mono = [mp.mpf(0)] * (N + 1)
for n, c in enumerate(coef):
    for i, t in enumerate(T[n]):
        mono[i] += c * t
cd = [float(c) for c in mono]
k, a = float(K), float(2 / (TMAX + 1))


def erfcx(y):
    t = (y - k) / (y + k)
    s = a * t + (a - 1)
    p = cd[N]
    for c in reversed(cd[:N]):
        p = p * s + c
    return p / (1 + 2 * y)


worst = 0.0
for i in range(12001):
    y = 6.0 * i / 12000
    want = mp.exp(mp.mpf(y) ** 2) * mp.erfc(y)
    worst = max(worst, abs((erfcx(y) - want) / want))
print("/* scripts/fit_normal_cdf.py %d %g: erfcx(y) (1 + 2y) in t = (y - %g) / (y + %g), "
      "s = %.17g t + %.17g; largest relative error of erfcx %.2g */" % (N, k, k, k, a, a - 1, worst))
print("#define NCDF_K %.17g" % k)
print("#define NCDF_A %.17g" % a)
print("static const double ncdf_poly[%d] = {" % (N + 1))
for i in range(0, N + 1, 3):
    print("    " + ", ".join("%.17g" % c for c in cd[i:i + 3]) + ",")
print("};")
