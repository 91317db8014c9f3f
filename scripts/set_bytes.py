#!/usr/bin/env python3
"""Prints the table wa_set_bytes of engine/sample/normq.c: for each byte value b, the
positions of its set bits, lowest first, one a byte of a 64-bit word (zeros after)."""
rows = []
for b in range(256):
    pos = [j for j in range(8) if b >> j & 1]
    rows.append(sum(p << (8 * i) for i, p in enumerate(pos)))
for i in range(0, 256, 4):
    print("    " + ", ".join("0x%016xu" % r for r in rows[i:i + 4]) + ",")
