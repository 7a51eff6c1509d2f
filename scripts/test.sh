#!/usr/bin/env bash
# The whole test suite: install dependencies, build, run every test with ctest,
# then the sanitizer suite and bounded fuzzing (scripts/sanitize.sh: the same
# tests under ASan+UBSan in build-asan, and each libFuzzer target for a bounded
# time). Exits non-zero when any test fails, a sanitizer reports, or a fuzzer
# finds a crash. Phase times are printed (docs/testing.md has the figures).
# RUBRICC_SKIP_SANITIZE=1 skips the sanitizer part (a quick local run; CI runs it).
set -euo pipefail
cd "$(dirname "$0")/.."
start=$(date +%s)
bash scripts/install-deps.sh
bash scripts/build.sh
(cd build && ctest --output-on-failure -j "$(nproc)")
echo "test: build and suite took $(($(date +%s) - start)) s"
if [ "${RUBRICC_SKIP_SANITIZE:-0}" != 1 ]; then
  bash scripts/sanitize.sh
fi
echo "test: everything took $(($(date +%s) - start)) s"
