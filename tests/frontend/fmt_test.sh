#!/bin/sh
# `rubricc fmt` over every bundled rubric (issue 12): the formatted text
# formats to itself (idempotent), `fmt --check` passes on it, `fmt -w` writes
# the same text, and its meaning is unchanged: the rubric's own 用例 still pass,
# the scoring IR is the same, and the bundled example records score the same.
# The bundled files are copied; they are never rewritten.
# usage: fmt_test.sh RUBRICC RUBRICS_DIR EXAMPLES_DIR SCRATCH
set -u
RUBRICC=$1 RUBRICS=$2 EXAMPLES=$3 TMP=$4
rm -rf "$TMP" && mkdir -p "$TMP"
fail=0 checked=0
bad() { echo "FAIL: $*"; fail=$((fail + 1)); }

for year in "$RUBRICS"/*/; do
  y=$(basename "$year")
  mkdir -p "$TMP/orig/$y" "$TMP/fmt/$y" "$TMP/again/$y" "$TMP/w/$y"
  cp "$year"*.rubric "$TMP/orig/$y/"
  for f in "$TMP/orig/$y"/*.rubric; do
    n=$(basename "$f")
    "$RUBRICC" fmt "$f" > "$TMP/fmt/$y/$n" || bad "fmt $y/$n exited $?"
  done
  # Every formatted file is in place before any is used: imports resolve to formatted siblings.
  for f in "$TMP/orig/$y"/*.rubric; do
    n=$(basename "$f") out="$TMP/fmt/$y/$n"
    checked=$((checked + 1))
    "$RUBRICC" fmt "$out" > "$TMP/again/$y/$n"
    cmp -s "$out" "$TMP/again/$y/$n" || { bad "$y/$n: formatting is not idempotent"; diff "$out" "$TMP/again/$y/$n" | head -10; }
    "$RUBRICC" fmt --check "$out" > /dev/null || bad "$y/$n: fmt --check fails on formatted text"
    cp "$f" "$TMP/w/$y/$n"
    "$RUBRICC" fmt -w "$TMP/w/$y/$n" || bad "$y/$n: fmt -w exited $?"
    cmp -s "$out" "$TMP/w/$y/$n" || bad "$y/$n: fmt -w wrote something else than fmt prints"
    "$RUBRICC" test "$out" > "$TMP/test.out" 2>&1 || { bad "$y/$n: 用例 fail after formatting"; head -20 "$TMP/test.out"; }
    "$RUBRICC" check -q --emit ast "$f" > "$TMP/ast.orig" 2>/dev/null
    "$RUBRICC" check -q --emit ast "$out" > "$TMP/ast.fmt" 2>/dev/null
    cmp -s "$TMP/ast.orig" "$TMP/ast.fmt" || bad "$y/$n: the canonical AST changed"
    "$RUBRICC" build --emit ir -o "$TMP/ir.orig" "$f" 2>/dev/null
    "$RUBRICC" build --emit ir -o "$TMP/ir.fmt" "$out" 2>/dev/null
    [ -s "$TMP/ir.orig" ] || bad "$y/$n: no scoring IR"
    cmp -s "$TMP/ir.orig" "$TMP/ir.fmt" || bad "$y/$n: the scoring IR changed"
    csv="$EXAMPLES/$y/${n%.rubric}.csv"
    if [ -f "$csv" ]; then
      params="$EXAMPLES/$y/${n%.rubric}.params.csv"
      set --
      [ -f "$params" ] && set -- --params "$params"
      "$RUBRICC" score --interp --items "$@" "$f" "$csv" > "$TMP/score.orig" 2>&1
      "$RUBRICC" score --interp --items "$@" "$out" "$csv" > "$TMP/score.fmt" 2>&1
      [ -s "$TMP/score.orig" ] || bad "$y/$n: no scores"
      cmp -s "$TMP/score.orig" "$TMP/score.fmt" || bad "$y/$n: scores changed after formatting"
    fi
  done
done

# The bundled rubrics are kept in the canonical layout (run `rubricc fmt -w` after editing one).
"$RUBRICC" fmt --check "$RUBRICS"/*/*.rubric > "$TMP/bundled.out"; rc=$?
[ $rc -eq 0 ] || { bad "bundled rubrics are not in the canonical layout (rubricc fmt -w them):"; cat "$TMP/bundled.out"; }

# Unformatted text: --check names the file and exits 1; a syntax error is refused.
printf '方案 甲 {}\n输入 {\n        单位: 文本 (标识) ;   达标: 是否\n}\n指标 一 "甲" 1分 {   当 达标 得 1分。 }\n' > "$TMP/messy.rubric"
"$RUBRICC" fmt --check "$TMP/messy.rubric" > "$TMP/check.out"; rc=$?
[ $rc -eq 1 ] || bad "fmt --check on unformatted text exited $rc, expected 1"
grep -q "需要格式化：$TMP/messy.rubric" "$TMP/check.out" || bad "fmt --check does not name the file"
# Expected layout, by the rules of service/Formatter.h: {} kept touching, 2-space
# indentation, one space where there were several, ASCII ; followed by a space,
# the trailing 。 dropped.
printf '方案 甲 {}\n输入 {\n  单位: 文本 (标识) ; 达标: 是否\n}\n指标 一 "甲" 1分 { 当 达标 得 1分 }\n' > "$TMP/messy.expected"
"$RUBRICC" fmt "$TMP/messy.rubric" > "$TMP/messy.out"
cmp -s "$TMP/messy.out" "$TMP/messy.expected" || { bad "fmt layout differs from the expected"; diff "$TMP/messy.expected" "$TMP/messy.out"; }
printf '方案 甲 { }\n指标 一 "甲" 1分 {\n' > "$TMP/broken.rubric"
"$RUBRICC" fmt "$TMP/broken.rubric" > /dev/null 2> "$TMP/broken.err"; rc=$?
[ $rc -eq 1 ] || bad "fmt on a syntax error exited $rc, expected 1"
grep -q "E0009" "$TMP/broken.err" || bad "fmt on a syntax error does not report it"

echo "fmt_test: $checked rubric(s), $fail failure(s)"
[ $fail -eq 0 ]
