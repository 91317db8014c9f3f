#!/usr/bin/env bash
# Installs the build into a temporary prefix, builds tests/install/consumer.c with
# `pkg-config --cflags --libs walkaway` alone, runs it on a bundled scenario, and checks
# that the shared library exports nothing but wa_ symbols.
set -euo pipefail
build=$1 src=$2
prefix=$(mktemp -d)
trap 'rm -rf "$prefix"' EXIT
cmake --install "$build" --prefix "$prefix" >/dev/null
export PKG_CONFIG_PATH="$prefix/lib/pkgconfig"
cc -std=c11 -Wall -Wextra "$src/tests/install/consumer.c" $(pkg-config --cflags --libs walkaway) \
   -o "$prefix/consumer"
LD_LIBRARY_PATH="$prefix/lib" "$prefix/consumer" "$src/scenarios/java-settlement.yaml"
others=$(nm -D --defined-only "$prefix/lib/libwalkaway.so" | awk '{print $3}' | grep -v '^wa_' || true)
if [ -n "$others" ]; then
  echo "exported symbols without the wa_ prefix:" $others >&2
  exit 1
fi
echo "install: 1 passed, 0 failed"
