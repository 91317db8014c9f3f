#!/usr/bin/env bash
# MPI runs (SPEC 5): `mpirun -n N walkaway ...` splits the blocks of trials across N
# processes and one process writes. For N = 1, 2 and 3 (oversubscribed on a small machine)
# the output must be byte for byte the one-process output, all but the elapsed_s lines:
# every bundled scenario with its variants, every sampling method, precision stopping,
# a run beyond --memory (its trials simulated again window by window), a sweep, a solve,
# -o; and a scenario with an error is reported once, with exit status 1 from every
# process.
#
#     tests/mpi/check.sh WALKAWAY SOURCE_DIR
set -euo pipefail
wa=$1 src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
if [ "$(id -u)" -eq 0 ]; then # Open MPI refuses root unless told twice
  export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
fi
mpi() { local n=$1; shift; mpirun --oversubscribe -n "$n" "$@"; }
pass=0 fail=0
same() { # label, then the arguments after `walkaway`
  local label=$1
  shift
  "$wa" "$@" | grep -v '"elapsed_s"' >"$tmp/one" || true
  for n in 1 2 3; do
    mpi "$n" "$wa" "$@" | grep -v '"elapsed_s"' >"$tmp/n$n" || true
    if [ -s "$tmp/one" ] && cmp -s "$tmp/one" "$tmp/n$n"; then
      pass=$((pass + 1))
    else
      fail=$((fail + 1))
      echo "FAIL $label with $n processes:" >&2
      diff "$tmp/one" "$tmp/n$n" | head -n 8 >&2 || true
    fi
  done
}
for f in "$src"/scenarios/*.yaml; do
  same "$(basename "$f")" run -q --format json -n 30000 "$f"
done
ref=$src/scenarios/ibm-audit.yaml
same "latin-hypercube" run -q --format json -n 30000 --method latin-hypercube "$ref"
same "sobol" run -q --format json -n 30000 --method sobol "$ref"
sed '/^simulation:/a\  precision: 0.002' "$ref" >"$tmp/precision.yaml"
same "precision stopping" run -q --format json -n 2M "$tmp/precision.yaml"
same "beyond --memory" run -q --format json -n 30000 --memory 64K "$ref"
same "sweep" sweep -q --format json -n 20000 --vary subscription_discount=30%:60%:4 \
  "$src/scenarios/java-settlement.yaml"
same "solve" solve -q --format json -n 20000 --offer subscription-3yr \
  --vary subscription_discount=20%:70% "$src/scenarios/java-settlement.yaml"

# -o: one process writes the file
for n in 2 3; do
  mpi "$n" "$wa" run -q --format json -n 30000 -o "$tmp/out$n.json" "$ref"
  if cmp -s <(grep -v '"elapsed_s"' "$tmp/out$n.json") \
            <("$wa" run -q --format json -n 30000 "$ref" | grep -v '"elapsed_s"'); then
    pass=$((pass + 1))
  else
    fail=$((fail + 1))
    echo "FAIL -o with $n processes" >&2
  fi
done

# an error: said once, exit status 1
printf 'walkaway: 1\nhorizon: 1\noffers: []\n' >"$tmp/bad.yaml"
set +e
mpi 3 "$wa" run "$tmp/bad.yaml" >"$tmp/bad.out" 2>"$tmp/bad.err"
status=$?
set -e
said=$(grep -c "bad.yaml:3:9: error" "$tmp/bad.err" || true)
if [ "$status" -eq 1 ] && [ "$said" -eq 1 ]; then
  pass=$((pass + 1))
else
  fail=$((fail + 1))
  echo "FAIL an error under 3 processes: exit $status, said $said times:" >&2
  cat "$tmp/bad.err" >&2
fi
echo "mpi: $pass same, $fail different"
[ "$fail" -eq 0 ]
