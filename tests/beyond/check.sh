#!/usr/bin/env bash
# Runs beyond the memory budget: with `--memory SIZE` below what a run keeps per trial,
# run, sweep and solve regenerate the trials in windows instead of refusing the run. With a
# budget of 64K, far below what any of these runs needs, so that every one takes that path,
# the output must be byte for byte the in-memory output, all but the elapsed_s lines:
# every bundled scenario with its variants under every sampling method, the reference
# scenario, precision stopping, --no-insight, csv, a sweep (twice: Monte Carlo and Sobol'),
# a solve and a --set variant.
#
#     tests/beyond/check.sh WALKAWAY SOURCE_DIR
set -euo pipefail
wa=$1 src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
same() { # label, then the arguments after `walkaway`
  local label=$1
  shift
  "$wa" "$@" | grep -v '"elapsed_s"' >"$tmp/memory" || true
  "$wa" "$1" --memory 64K "${@:2}" | grep -v '"elapsed_s"' >"$tmp/beyond" || true
  if [ -s "$tmp/memory" ] && cmp -s "$tmp/memory" "$tmp/beyond"; then
    pass=$((pass + 1))
  else
    fail=$((fail + 1))
    echo "FAIL $label" >&2
    diff "$tmp/memory" "$tmp/beyond" | head -n 8 >&2 || true
  fi
}
for method in monte-carlo latin-hypercube sobol; do
  for f in "$src"/scenarios/*.yaml; do
    same "$(basename "$f") $method" run -q --format json -n 30000 --method "$method" "$f"
  done
done
same "reference.yaml" run -q --format json -n 30000 "$src/bench/reference.yaml"
ref=$src/scenarios/ibm-audit.yaml
sed '/^simulation:/a\  precision: 0.002' "$ref" >"$tmp/precision.yaml"
same "precision stopping" run -q --format json -n 2M "$tmp/precision.yaml"
same "--no-insight" run -q --format json -n 30000 --no-insight "$ref"
same "csv" run -q --format csv -n 30000 "$src/scenarios/vmware-renewal.yaml"
same "sweep" sweep -q --format json -n 20000 --vary subscription_discount=30%:60%:4 \
  "$src/scenarios/java-settlement.yaml"
same "sweep sobol" sweep -q --format json -n 20000 --method sobol \
  --vary subscription_discount=30%:60%:4 "$src/scenarios/java-settlement.yaml"
same "solve" solve -q --format json -n 20000 --offer subscription-3yr \
  --vary subscription_discount=20%:70% "$src/scenarios/java-settlement.yaml"
same "--set" run -q --format json -n 30000 --set subscription_per_year=900k "$ref"
echo "beyond memory: $pass same, $fail different"
[ "$fail" -eq 0 ]
