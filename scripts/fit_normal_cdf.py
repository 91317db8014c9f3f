#!/usr/bin/env python3
"""The tables behind the vectorised normal CDF of correlated inputs (engine/sample/ncdf.c).

The body, |z| <= ZB = Phi^-1(0.925) (85% of scores): Phi(z) = 1/2 + z B(z^2), B a
polynomial of degree NB (12) in w = z^2, the Chebyshev interpolant of (Phi(z) - 1/2) / z on
w in [0, ZB^2] in 50-digit arithmetic, in powers of w. Its error is below 1e-18 of Phi(-|z|),
far below the rounding of a double.

The tails:

Phi(-x) = exp(-y^2) erfcx(y) / 2 with y = x / sqrt(2) and erfcx(y) = exp(y^2) erfc(y). On
y in [0, 6] (beyond, Phi(-x) is below the smallest uniform, 2^-53), erfcx(y) (1 + 2y) is a
smooth function of t = (y - K) / (y + K), interpolated here by a Chebyshev series in t at
the Chebyshev points, in 50-digit arithmetic, then turned into the coefficients of the
same polynomial in powers of s (still in 50 digits; their absolute values sum to 1.6, so
Horner's rule in doubles loses nothing: it takes one fused multiply-add a degree where
Clenshaw's recurrence takes two operations). Prints the C tables and the largest relative
errors, of erfcx and of the body's Phi, from the double-precision sums (in fused
multiply-adds, as the C does) against mpmath on fine grids.
Needs python3-mpmath (Debian).

    scripts/fit_normal_cdf.py [DEGREE [K]]   (the tails' degree, 20, and K, 3)
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


def fma(x, y, z):  # exactly rounded: the product of two doubles is exact in 50 digits
    return float(mp.mpf(x) * y + z)


def erfcx(y):  # as ncdf.c sums it, in fused multiply-adds
    t = (y - k) / (y + k)
    s = a * t + (a - 1)
    p = cd[N]
    for c in reversed(cd[:N]):
        p = fma(p, s, c)
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

# The body: (Phi(z) - 1/2) / z in powers of w = z^2 on [0, ZB^2]
NB = 12
ZB = float(-mp.sqrt(2) * mp.erfinv(2 * mp.mpf(0.075) - 1))
WB = mp.mpf(ZB) ** 2


def body_b(w):
    if w == 0:
        return 1 / mp.sqrt(2 * mp.pi)
    z = mp.sqrt(w)
    return (mp.ncdf(z) - mp.mpf(1) / 2) / z


bn = [mp.cos(mp.pi * (k + mp.mpf(1) / 2) / (NB + 1)) for k in range(NB + 1)]
bv = [body_b((x + 1) * WB / 2) for x in bn]
bc = []
for j in range(NB + 1):
    c = sum(bv[k] * mp.cos(mp.pi * j * (k + mp.mpf(1) / 2) / (NB + 1)) for k in range(NB + 1))
    bc.append(c * 2 / (NB + 1))
bc[0] /= 2
# x = 2 w / WB - 1: T_n(x) in powers of w, through powers of x
bmono_x = [mp.mpf(0)] * (NB + 1)
for n, c in enumerate(bc):
    for i, t in enumerate(T[n]):
        bmono_x[i] += c * t
bmono = [mp.mpf(0)] * (NB + 1)  # (2 w / WB - 1)^i expanded
for i, c in enumerate(bmono_x):
    for j in range(i + 1):
        bmono[j] += c * mp.binomial(i, j) * (2 / WB) ** j * (-1) ** (i - j)
bd = [float(c) for c in bmono]


def body_phi(z):  # as ncdf.c: 1/2 + z B(z^2), B by fused multiply-adds
    w = z * z
    p = bd[NB]
    for c in reversed(bd[:NB]):
        p = fma(p, w, c)
    return 0.5 + z * p


bworst = 0.0
for i in range(8001):
    z = -ZB + 2 * ZB * i / 8000
    want = mp.ncdf(z)
    bworst = max(bworst, float(abs(body_phi(z) - want) / min(want, 1 - want)))
print()
print("/* scripts/fit_normal_cdf.py: the body, |z| <= Phi^-1(0.925): Phi(z) = 1/2 + z B(z^2), "
      "B in powers of z^2; largest error %.2g of min(Phi, 1 - Phi) */" % bworst)
print("#define NCDF_BODY %.17g" % ZB)
print("static const double ncdf_body[%d] = {" % (NB + 1))
for i in range(0, NB + 1, 3):
    print("    " + ", ".join("%.17g" % c for c in bd[i:i + 3]) + ",")
print("};")
