#!/usr/bin/env bash
# A longer fuzzing session than the test suite's bounded one:
#   scripts/fuzz.sh [TARGET ...]      (default: every target; FUZZ_SECONDS, default 600, each)
# Targets: parser rubric csv jsonl xlsx (tests/fuzz/fuzz_<target>.cpp). Builds
# build-asan as scripts/sanitize.sh does (clang-19, ASan+UBSan, libFuzzer
# coverage), then fuzzes; the working corpus grows in build-asan/fuzz/corpus-<target>
# across sessions, crashes are written to build-asan/fuzz/<target>-crash-*.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
targets="${*:-parser rubric csv jsonl xlsx}"
SANITIZE_PHASES="build fuzz" FUZZ_TARGETS="$targets" FUZZ_SECONDS="${FUZZ_SECONDS:-600}" exec bash scripts/sanitize.sh
