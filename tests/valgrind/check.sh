#!/usr/bin/env bash
# Memory errors and leaks in the CLI, under valgrind's memcheck: every bundled scenario
# with all its variants (the default of `run`), every report format, -o, a sweep, a solve,
# a run and a sweep beyond --memory, `check`, and a scenario with errors (exit status 1).
# Any memory error, or a leak that is definite or indirect, fails; "possibly lost"
# (libgomp's idle thread pool) and "still reachable" do not. A small trial count keeps it
# to a minute or two on two cores.
#
#     tests/valgrind/check.sh WALKAWAY SOURCE_DIR
set -euo pipefail
wa=$1 src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
check() { # label, the exit status walkaway must give, then the arguments after `walkaway`
  local label=$1 want=$2 status=0
  shift 2
  valgrind -q --leak-check=full --errors-for-leak-kinds=definite,indirect \
    --error-exitcode=99 --log-file="$tmp/log" "$wa" "$@" >"$tmp/out" 2>"$tmp/err" || status=$?
  if [ "$status" -eq "$want" ]; then
    pass=$((pass + 1))
  else
    fail=$((fail + 1))
    echo "FAIL $label: exit status $status, expected $want (99: valgrind found errors)" >&2
    head -n 60 "$tmp/log" "$tmp/err" >&2
  fi
}
n=(-n 2000 -j 2)
for f in "$src"/scenarios/*.yaml; do
  check "$(basename "$f")" 0 run "${n[@]}" "$f"
done
ref=$src/scenarios/ibm-audit.yaml
check "json" 0 run "${n[@]}" --format json "$ref"
check "markdown" 0 run "${n[@]}" --format markdown "$ref"
check "csv to -o" 0 run "${n[@]}" --format csv -o "$tmp/report.csv" "$ref"
check "sweep" 0 sweep "${n[@]}" --format json --vary subscription_discount=30%:60%:4 \
  "$src/scenarios/java-settlement.yaml"
check "solve" 0 solve "${n[@]}" --offer subscription-3yr --vary subscription_discount=20%:70% \
  "$src/scenarios/java-settlement.yaml"
check "beyond --memory" 0 run "${n[@]}" --memory 64K "$src/scenarios/vmware-renewal.yaml"
check "sweep beyond --memory" 0 sweep "${n[@]}" --memory 64K --vary subscription_discount=30%:60%:3 \
  "$src/scenarios/java-settlement.yaml"
check "check" 0 check "$src"/scenarios/*.yaml
check "errors" 1 run "${n[@]}" "$src/tests/data/cli/two_errors.yaml"
echo "valgrind: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
