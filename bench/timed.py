#!/usr/bin/python3
"""bench/timed.py OUT CMD... — runs CMD with stdout to OUT and stderr to OUT.err, and
prints 'wall-seconds peak-KB' of the whole process: wall time from a monotonic clock to the
microsecond (/usr/bin/time rounds to 10 ms, too coarse for runs of a tenth of a second),
peak resident set from the kernel's rusage of the child (what /usr/bin/time -f %M reads).
Exits with CMD's status."""
import os
import sys
import time

out, cmd = sys.argv[1], sys.argv[2:]
with open(out, "wb") as fo, open(out + ".err", "wb") as fe:
    t0 = time.perf_counter()
    pid = os.fork()
    if pid == 0:
        os.dup2(fo.fileno(), 1)
        os.dup2(fe.fileno(), 2)
        try:
            os.execvp(cmd[0], cmd)
        finally:
            os._exit(127)
    _, status, ru = os.wait4(pid, 0)
    wall = time.perf_counter() - t0
print(f"{wall:.6f} {ru.ru_maxrss}")
sys.exit(os.waitstatus_to_exitcode(status))
