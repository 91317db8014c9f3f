#!/usr/bin/env bash
# Every allocation failure of the program, in turn: the walkaway program built with an
# allocator whose k-th request fails (tests/oom/failing_cli.c) runs a command once for
# every k from 1 to the number of allocations that the command makes. Each time it must
# either
#   - exit 1 saying "out of memory" on stderr, with -o's old file untouched, or
#   - exit 0 with exactly the output of the run where nothing failed (the failure was
#     got round),
# and never crash, leak (exit 98), or write a partial file. The commands are `run` with -o
# on the smallest bundled scenario, and a `sweep` (loading, runs and reports). The values
# of k are shared among as many workers as there are cores; STRIDE (default 1) tests
# every STRIDE-th k only, for the slower sanitized build.
#
#     tests/oom/check.sh WALKAWAY_FAILING SOURCE_DIR [STRIDE]
set -euo pipefail
wa=$1 src=$2 stride=${3:-1}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
workers=$(nproc)
fail=0

# One worker: every k = first, first + step, ... up to n, in its own folder.
worker() { # folder first step n, then the arguments
  local dir=$1 first=$2 step=$3 n=$4
  shift 4
  cd "$dir"
  local bad=0
  for ((k = first; k <= n; k += step)); do
    printf 'old\n' >out.csv
    local rc=0
    WA_FAIL_AT=$k "$wa" "$@" -o out.csv >/dev/null 2>err.txt || rc=$?
    if ! { [ "$rc" -eq 1 ] && grep -q 'out of memory' err.txt && [ "$(cat out.csv)" = old ]; } &&
       ! { [ "$rc" -eq 0 ] && cmp -s out.csv ../clean.csv; }; then
      echo "FAIL: allocation $k of $n failed: exit $rc" >&2
      head -n 5 err.txt >&2
      bad=$((bad + 1))
      [ "$bad" -lt 3 ] || return 1
    fi
  done
  [ "$bad" -eq 0 ]
}

every_k() { # label, then the arguments; the output file is out.csv
  local label=$1
  shift
  local run=$tmp/$label
  mkdir -p "$run"
  cp "$src/scenarios/vmware-renewal.yaml" "$run/s.yaml"
  if ! (cd "$run" && WA_FAIL_AT=0 "$wa" "$@" -o clean.csv 2>err.txt); then
    echo "FAIL $label: the clean run failed" >&2
    cat "$run/err.txt" >&2
    fail=$((fail + 1))
    return
  fi
  local n pids=() w
  n=$(sed -n 's/^allocations: //p' "$run/err.txt")
  for ((w = 0; w < workers; w++)); do
    mkdir -p "$run/w$w"
    cp "$run/s.yaml" "$run/w$w/"
    worker "$run/w$w" $((1 + w * stride)) $((workers * stride)) "$n" "$@" &
    pids+=($!)
  done
  for w in "${pids[@]}"; do
    wait "$w" || fail=$((fail + 1))
  done
  echo "$label: $n allocations, every ${stride}th failed in turn" >&2
}

every_k run run s.yaml -n 500 -j1 --format csv
every_k sweep sweep s.yaml --vary 'cores=1000:2000:2' -n 200 -j1 --format csv
[ "$fail" -eq 0 ]
