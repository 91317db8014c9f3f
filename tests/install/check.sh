#!/usr/bin/env bash
# Installs the build into a temporary prefix, builds tests/install/consumer.c four ways
# (`pkg-config --cflags --libs walkaway`, pkg-config --static against libwalkaway.a, and
# find_package(walkaway) against walkaway::walkaway and walkaway::walkaway_static), runs
# each on a bundled scenario and compares the CSV it writes through the library with the
# installed CLI's, and checks that the shared library exports exactly the functions the
# header declares WA_API.
set -euo pipefail
build=$1 src=$2
prefix=$(mktemp -d)
trap 'rm -rf "$prefix"' EXIT
cmake --install "$build" --prefix "$prefix" >/dev/null
export PKG_CONFIG_PATH="$prefix/lib/pkgconfig"
cc -std=c11 -Wall -Wextra -Werror "$src/tests/install/consumer.c" \
   $(pkg-config --cflags --libs walkaway) -o "$prefix/consumer"
scenario="$src/scenarios/java-settlement.yaml"
LD_LIBRARY_PATH="$prefix/lib" "$prefix/consumer" "$scenario" > "$prefix/library.csv"
LD_LIBRARY_PATH="$prefix/lib" "$prefix/bin/walkaway" run -q -n 5000 --variant base \
   --format csv "$scenario" > "$prefix/cli.csv"
if ! cmp -s "$prefix/library.csv" "$prefix/cli.csv"; then
  echo "the library's CSV differs from the CLI's:" >&2
  diff "$prefix/library.csv" "$prefix/cli.csv" >&2 || true
  exit 1
fi
[ "$(wc -l < "$prefix/cli.csv")" -gt 1 ] || { echo "the CSV has no rows" >&2; exit 1; }

# the same program through find_package(walkaway), against the shared and the static
# library, and through pkg-config --static
cmake -S "$src/tests/install/cmake" -B "$prefix/consumer-build" -DCMAKE_PREFIX_PATH="$prefix" \
      -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$prefix/consumer-build" >/dev/null
cc -std=c11 -Wall -Wextra -Werror "$src/tests/install/consumer.c" \
   $(pkg-config --cflags walkaway) "$prefix/lib/libwalkaway.a" \
   $(pkg-config --static --libs walkaway | sed 's/-lwalkaway//') -o "$prefix/consumer_pc_static"
for program in consumer-build/consumer_shared consumer-build/consumer_static consumer_pc_static; do
  LD_LIBRARY_PATH="$prefix/lib" "$prefix/$program" "$scenario" > "$prefix/other.csv"
  if ! cmp -s "$prefix/other.csv" "$prefix/cli.csv"; then
    echo "$program's CSV differs from the CLI's" >&2
    exit 1
  fi
done
if nm -D "$prefix/consumer-build/consumer_static" 2>/dev/null | grep -q ' wa_run$' ||
   ldd "$prefix/consumer-build/consumer_static" | grep -q libwalkaway; then
  echo "consumer_static is not linked statically" >&2
  exit 1
fi

declared=$(sed -n 's/^WA_API [^(]*[ *]\(wa_[a-z0-9_]*\)(.*/\1/p' "$src/include/walkaway.h" | sort)
exported=$(nm -D --defined-only "$prefix/lib/libwalkaway.so" | awk '{print $3}' | sort)
if [ "$declared" != "$exported" ]; then
  echo "exported symbols differ from the header's WA_API functions:" >&2
  diff <(echo "$declared") <(echo "$exported") >&2 || true
  exit 1
fi
[ "$(echo "$declared" | wc -l)" -ge 30 ] || { echo "too few WA_API functions found" >&2; exit 1; }
echo "install: 4 programs passed, 0 failed"
