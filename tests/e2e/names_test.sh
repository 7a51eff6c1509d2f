#!/usr/bin/env bash
# Local names (令) and conditional values (若 … 则 … 否则 …), issue 11, through the
# command line on names.rubric / names.csv (hand computation in the rubric's header):
#  1. `check --werror` is clean; `test` passes every 用例;
#  2. `score`: totals computed by hand; the interpreter, the JIT and a `build`
#     executable agree byte for byte;
#  3. `explain` shows a named value with its arithmetic before the rule that uses it;
#  4. `table` shows 令 as "其中 …" and 若 as a sentence; `fmt` is idempotent;
#  5. the 2019 新疆 collective rubric: its 用例 pass, and explain shows 基准比例.
# Usage: names_test.sh RUBRICC REPO_ROOT
set -euo pipefail
RUBRICC=$1 ROOT=$2
source "$(dirname "$0")/harness.sh"
RUB=$ROOT/tests/e2e/names.rubric
CSV=$ROOT/tests/e2e/names.csv
PAR=(--params "$ROOT/tests/e2e/names.params.csv")   # 全区案件总数 1000, as the 用例 assume
totals() { csv_totals "$1" 单位; }

# ── 1. check and 用例 ──
rc=0; "$RUBRICC" check --werror "$RUB" >"$WORK/check.txt" 2>&1 || rc=$?
expect_rc "$rc" 0 "check --werror: $(cat "$WORK/check.txt")"
rc=0; "$RUBRICC" test "$RUB" >"$WORK/test.txt" 2>&1 || rc=$?
expect_rc "$rc" 0 "test: $(cat "$WORK/test.txt")"
expect_in "$WORK/test.txt" "3 个用例" "test: every case ran"

# ── 2. score: by hand 甲 14.5, 乙 12, 丙 0 (see names.rubric) ──
"$RUBRICC" score "$RUB" "$CSV" "${PAR[@]}" -o "$WORK/jit.csv" 2>"$WORK/score.err" || bad "score: $(cat "$WORK/score.err")"
got=$(totals "$WORK/jit.csv")
if [[ $got == "甲=14.5 乙=12 丙=0" ]]; then ok; else bad "score totals: $got"; fi
"$RUBRICC" score "$RUB" "$CSV" "${PAR[@]}" --interp -o "$WORK/interp.csv" 2>/dev/null
if cmp -s "$WORK/jit.csv" "$WORK/interp.csv"; then ok; else bad "JIT and interpreter differ"; fi
"$RUBRICC" build "$RUB" -o "$WORK/scorer" 2>"$WORK/build.err" || bad "build: $(cat "$WORK/build.err")"
if [[ -x $WORK/scorer ]]; then
  "$WORK/scorer" "$CSV" "${PAR[@]}" -o "$WORK/exe.csv" 2>/dev/null || true
  if cmp -s "$WORK/jit.csv" "$WORK/exe.csv"; then ok; else bad "the built executable differs from score"; fi
fi

# ── 3. explain shows the named values ──
"$RUBRICC" explain "$RUB" "$CSV" "${PAR[@]}" --id 乙 >"$WORK/explain.txt" 2>&1 || bad "explain: $(cat "$WORK/explain.txt")"
expect_in "$WORK/explain.txt" "人均案件 = 6 ÷ 最大(4, 1) = 1.5" "explain: a top-level name's value"   # 6 ÷ 4
expect_in "$WORK/explain.txt" "基准 = 1000 × 1% = 10" "explain: a node's name's value"
expect_in "$WORK/explain.txt" "1.5 × 2 = 3 分" "explain: the else branch that was taken"          # 人均 1.5 < 2

# ── 4. table and fmt ──
"$RUBRICC" table "$RUB" >"$WORK/table.txt" 2>&1 || bad "table: $(cat "$WORK/table.txt")"
expect_in "$WORK/table.txt" "其中 基准 = 全区案件总数×1%" "table: a node's 令 as a sentence"
expect_in "$WORK/table.txt" "其中 人均案件 = " "table: a top-level 令 in the 名称 section"
expect_in "$WORK/table.txt" "未公开的，为0%，否则为得分率" "table: 若 as a sentence"
"$RUBRICC" fmt "$RUB" >"$WORK/once.rubric" 2>/dev/null
"$RUBRICC" fmt "$WORK/once.rubric" >"$WORK/twice.rubric" 2>/dev/null
if cmp -s "$WORK/once.rubric" "$WORK/twice.rubric"; then ok; else bad "fmt is not idempotent on names.rubric"; fi

# ── 5. the 2019 新疆 collective rubric ──
XJ=$ROOT/rubrics/2019/xinjiang-collective.rubric
rc=0; "$RUBRICC" test "$XJ" >"$WORK/xj-test.txt" 2>&1 || rc=$?
expect_rc "$rc" 0 "新疆 test: $(tail -20 "$WORK/xj-test.txt")"
"$RUBRICC" explain "$XJ" "$ROOT/examples/2019/xinjiang-collective.csv" --params "$ROOT/examples/2019/xinjiang-collective.params.csv" \
  --id 乙州生态环境局 >"$WORK/xj-explain.txt" 2>&1 || true
# 乙: 重点排污单位 60 of 1000, 排放量 1400 of 10000: (60 ÷ 1000 + 1400 ÷ 10000) ÷ 2 = (0.06 + 0.14) ÷ 2 = 0.1
expect_in "$WORK/xj-explain.txt" "基准比例 = (60 ÷ 1000 + 1400 ÷ 10000) ÷ 2 = 0.1" "新疆 explain: 基准比例"

finish names_cli
