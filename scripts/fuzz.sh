#!/usr/bin/env bash
# Fuzzes the front end (parser + checker) with libFuzzer under ASan+UBSan for
# SECONDS (default 60), seeded with the bundled rubrics. Not part of the test
# suite; installs clang's runtime (libclang-rt-19-dev) it needs.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
if ! dpkg-query -W -f='${Status}' libclang-rt-19-dev 2>/dev/null | grep -q "install ok installed"; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libclang-rt-19-dev
fi
CC=clang-19 CXX=clang++-19 cmake -S . -B build-fuzz -G Ninja -DRUBRICC_FUZZ=ON >/dev/null
ninja -C build-fuzz fuzz_parser
mkdir -p build-fuzz/corpus
build-fuzz/tests/fuzz/fuzz_parser -max_total_time="${1:-60}" -timeout=10 -rss_limit_mb=4096 \
  build-fuzz/corpus rubrics/2019 rubrics/2022 rubrics/2024 rubrics/2025
