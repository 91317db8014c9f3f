#!/usr/bin/env python3
"""The table behind the vectorised normal CDF of correlated inputs (engine/sample/ncdf.c).

Phi(-x) = exp(-y^2) erfcx(y) / 2 with y = x / sqrt(2) and erfcx(y) = exp(y^2) erfc(y). On
y in [0, 6] (beyond, Phi(-x) is below the smallest uniform, 2^-53), erfcx(y) (1 + 2y) is a
smooth function of t = (y - K) / (y + K), interpolated here by a Chebyshev series in t at
the Chebyshev points, in 50-digit arithmetic. Prints the C table and the largest relative
error of erfcx from the double-precision Clenshaw sum against mpmath on a fine grid.
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
cd = [float(c) for c in coef]
k, a = float(K), float(2 / (TMAX + 1))


def erfcx(y):
    t = (y - k) / (y + k)
    s = a * t + (a - 1)
    b1 = b2 = 0.0
    for c in reversed(cd[1:]):
        b1, b2 = 2 * s * b1 - b2 + c, b1
    return (s * b1 - b2 + cd[0]) / (1 + 2 * y)


worst = 0.0
for i in range(12001):
    y = 6.0 * i / 12000
    want = mp.exp(mp.mpf(y) ** 2) * mp.erfc(y)
    worst = max(worst, abs((erfcx(y) - want) / want))
print("/* scripts/fit_normal_cdf.py %d %g: erfcx(y) (1 + 2y) in t = (y - %g) / (y + %g), "
      "s = %.17g t + %.17g; largest relative error of erfcx %.2g */" % (N, k, k, k, a, a - 1, worst))
print("#define NCDF_K %.17g" % k)
print("#define NCDF_A %.17g" % a)
print("static const double ncdf_cheb[%d] = {" % (N + 1))
for i in range(0, N + 1, 3):
    print("    " + ", ".join("%.17g" % c for c in cd[i:i + 3]) + ",")
print("};")
