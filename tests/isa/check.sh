#!/usr/bin/env bash
# The same bits on every instruction set (engine/util/simd.h). `walkaway` runs the hot loops in
# the best clone this CPU has (AVX-512, AVX2 or baseline SSE2); `walkaway_baseline` is the
# same source built with -DWA_NO_CLONES, baseline code only. Their JSON, all but the
# elapsed_s line, must be byte for byte the same on every bundled scenario, the benchmark's
# reference model, and every sampling method.
#
#     tests/isa/check.sh WALKAWAY WALKAWAY_BASELINE SOURCE_DIR
set -euo pipefail
wa=$1 base=$2 src=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
isa=baseline
grep -qw avx2 /proc/cpuinfo 2>/dev/null && isa=AVX2
grep -qw avx512f /proc/cpuinfo 2>/dev/null && isa=AVX-512
pass=0 fail=0
compare() { # label, then the arguments of `run`
  local label=$1
  shift
  "$wa" run -q --format json "$@" >"$tmp/a.json"
  "$base" run -q --format json "$@" >"$tmp/b.json"
  if cmp -s <(grep -v '"elapsed_s"' "$tmp/a.json") <(grep -v '"elapsed_s"' "$tmp/b.json"); then
    pass=$((pass + 1))
  else
    fail=$((fail + 1))
    echo "FAIL $label: $isa clone and baseline differ:" >&2
    diff <(grep -v '"elapsed_s"' "$tmp/a.json") <(grep -v '"elapsed_s"' "$tmp/b.json") | head -n 8 >&2 || true
  fi
}
for f in "$src"/scenarios/*.yaml "$src"/bench/reference.yaml; do
  compare "$(basename "$f")" -n 50000 --seed 11 -j2 "$f"
done
for m in latin-hypercube sobol; do
  compare "migration-plans.yaml --method $m" -n 30000 --seed 3 --method "$m" -j2 \
    "$src/scenarios/migration-plans.yaml"
done
echo "isa ($isa clone against baseline): $pass passed, $fail failed"
[ "$fail" = 0 ]
