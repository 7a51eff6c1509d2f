#!/usr/bin/env bash
# The sanitizer suite and bounded fuzzing (scripts/test.sh runs it after the
# normal suite; docs/testing.md explains it):
#   build  configure build-asan with clang-19, RUBRICC_SANITIZE=ON (ASan +
#          UBSan, -fno-sanitize=function) and RUBRICC_FUZZ=ON, and build it;
#   test   the whole ctest suite under ASan + UBSan + LeakSanitizer;
#   fuzz   every libFuzzer target in tests/fuzz for FUZZ_SECONDS from its
#          seed corpus (tests/fuzz/corpus/<target>).
# Any test failure, sanitizer report or fuzz crash fails the script with a
# message naming the phase, the target and the input that crashed.
#
# Settings (environment):
#   SANITIZE_PHASES  phases to run, default "build test fuzz"
#   FUZZ_TARGETS     default "parser rubric csv jsonl xlsx"
#   FUZZ_SECONDS     per target, default 40
#   ASAN_BUILD_DIR   default build-asan
#   CMAKE_ARGS       extra cmake arguments (e.g. a compiler launcher)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
BUILD_DIR="${ASAN_BUILD_DIR:-build-asan}"
PHASES="${SANITIZE_PHASES:-build test fuzz}"
TARGETS="${FUZZ_TARGETS:-parser rubric csv jsonl xlsx}"
SECONDS_EACH="${FUZZ_SECONDS:-40}"

# halt_on_error: the first report fails the process (UBSan: with
# -fno-sanitize-recover=undefined). LeakSanitizer runs at exit of every test
# program and of every executable `rubricc build` links; lsan.supp lists the
# third-party leaks it ignores (none of ours).
# Tests that measure memory (peak RSS) skip their absolute limits under a sanitizer.
export RUBRICC_SANITIZED=1
export ASAN_OPTIONS="halt_on_error=1:detect_leaks=1:check_initialization_order=1:strict_init_order=1:detect_stack_use_after_return=0${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}"
export LSAN_OPTIONS="suppressions=$ROOT/tests/fuzz/lsan.supp:print_suppressions=0${LSAN_OPTIONS:+:$LSAN_OPTIONS}"

fail() {
  echo "sanitize: FAILED — $*" >&2
  exit 1
}

phase_time() { # name start
  echo "sanitize: $1 took $(($(date +%s) - $2)) s"
}

has_phase() { [[ " $PHASES " == *" $1 "* ]]; }

if has_phase build; then
  start=$(date +%s)
  CC=clang-19 CXX=clang++-19 BUILD_DIR="$BUILD_DIR" \
    CMAKE_ARGS="-DRUBRICC_SANITIZE=ON -DRUBRICC_FUZZ=ON ${CMAKE_ARGS:-}" bash scripts/build.sh ||
    fail "the ASan+UBSan build (clang-19, $BUILD_DIR) did not build"
  phase_time "build ($BUILD_DIR)" "$start"
fi

if has_phase test; then
  start=$(date +%s)
  (cd "$BUILD_DIR" && ctest --output-on-failure -j "$(nproc)") ||
    fail "the test suite under ASan+UBSan (ctest in $BUILD_DIR): see the failing tests and sanitizer reports above"
  phase_time "test suite under ASan+UBSan" "$start"
fi

# libFuzzer dictionary for the rubric targets: every literal of the grammar
# (keywords in Chinese and English, full-width punctuation), kept in step with
# grammar/Rubric.g4 by generating it here. libFuzzer takes printable ASCII
# only, so other bytes are written \xNN.
rubric_dict() {
  local dict="$BUILD_DIR/fuzz/rubric.dict"
  grep -oE "'[^'\\\\\"]+'" grammar/Rubric.g4 | sort -u |
    perl -ne 'chomp; s/^.(.*).$/$1/; s/([^\x20-\x7e])/sprintf("\\x%02X", ord($1))/ge; print qq("$_"\n)' >"$dict"
  echo "$dict"
}

# Fuzzes one target; 0 when nothing was found. New inputs go to a working
# corpus under the build dir (the committed seeds stay as they are); a crash
# leaves its input in $BUILD_DIR/fuzz/<target>-crash-* (or -timeout-, -leak-, -oom-).
fuzz_one() {
  local target="$1" work="$BUILD_DIR/fuzz/corpus-$1" log="$BUILD_DIR/fuzz/$1.log"
  local exe="$BUILD_DIR/tests/fuzz/fuzz_$target" dict=()
  [ -x "$exe" ] || fail "fuzz target $exe was not built (is libclang-rt-19-dev installed?)"
  mkdir -p "$work"
  case "$target" in parser | rubric) dict=(-dict="$(rubric_dict)") ;; esac
  local start
  start=$(date +%s)
  if "$exe" -max_total_time="$SECONDS_EACH" -timeout=10 -rss_limit_mb=2048 -max_len=8192 -print_final_stats=1 \
    -artifact_prefix="$BUILD_DIR/fuzz/$target-" "${dict[@]}" "$work" "tests/fuzz/corpus/$target" >"$log" 2>&1; then
    echo "sanitize: fuzz_$target: $(grep -m1 -oE 'stat::number_of_executed_units: *[0-9]+' "$log" | grep -oE '[0-9]+$') inputs in $(($(date +%s) - start)) s, no crash"
    return 0
  fi
  echo "sanitize: fuzz_$target FOUND A BUG; the end of its log ($log):" >&2
  tail -n 60 "$log" >&2
  local artifact
  artifact=$(grep -oE "Test unit written to [^ ]+" "$log" | tail -1 | sed 's/Test unit written to //') || true
  [ -n "$artifact" ] && echo "sanitize: reproduce with: $exe $artifact" >&2
  return 1
}

if has_phase fuzz; then
  start=$(date +%s)
  mkdir -p "$BUILD_DIR/fuzz"
  failed=()
  for t in $TARGETS; do fuzz_one "$t" || failed+=("fuzz_$t"); done
  [ ${#failed[@]} -eq 0 ] || fail "bounded fuzzing found crashes in: ${failed[*]} (inputs and logs in $BUILD_DIR/fuzz/)"
  phase_time "bounded fuzzing (${SECONDS_EACH} s × $(echo $TARGETS | wc -w) targets)" "$start"
fi
echo "sanitize: passed ($PHASES)"
