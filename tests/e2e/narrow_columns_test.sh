#!/usr/bin/env bash
# One-byte 是否/枚举 input columns (issue 9, narrow12) read back by every reader,
# on narrow_columns.rubric / narrow_columns.csv (hand computation in the rubric's
# header; enum indices up to 5, so a reader of the wrong width gets other values):
#  1. `check --werror` is clean (the widths themselves: tests/scoring program_json_test);
#  2. `score`: totals and ranks by hand (级内排名 reads the level column: population pass, kept columns);
#     the interpreter, the JIT, --threads 2 and a `build` executable (one batch, and batches of 2 records:
#     held on disk between the passes) agree byte for byte;
#  3. `explain` names the enum and 是否 values it read (首席, 中等, 是/否), groups by 类别, ranks within the level.
# Usage: narrow_columns_test.sh RUBRICC REPO_ROOT
set -uo pipefail
RUBRICC=$1 ROOT=$2
source "$(dirname "$0")/harness.sh"
RUB=$ROOT/tests/e2e/narrow_columns.rubric
CSV=$ROOT/tests/e2e/narrow_columns.csv
rows() { csv_rows "$1" 姓名 总分 排名 级内排名; }
# 级内排名 by 总分: 高级 丁 16.5 > 甲 12.5; 中级 戊 12 > 丙 7; 初级 乙.
EXPECTED="甲=12.5/2/2 乙=11/4/1 丙=7/5/2 丁=16.5/1/1 戊=12/3/1"

# ── 1. check ──
rc=0; "$RUBRICC" check --werror "$RUB" >"$WORK/check.txt" 2>&1 || rc=$?
expect_rc "$rc" 0 "check --werror: $(cat "$WORK/check.txt")"

# ── 2. score through every engine ──
score_every_engine "$RUBRICC" "$RUB" "$CSV" "$EXPECTED"

# ── 3. explain reads the values back ──
"$RUBRICC" explain "$RUB" "$CSV" --id 甲 >"$WORK/ex-jia.txt" 2>&1 || bad "explain 甲: $(cat "$WORK/ex-jia.txt")"
expect_in "$WORK/ex-jia.txt" "职级（首席）：按“首席” → 6 分" "explain 甲: 职级"
expect_in "$WORK/ex-jia.txt" "条件成立：持证（是）" "explain 甲: 持证"
expect_in "$WORK/ex-jia.txt" "条件不成立：复核（否）" "explain 甲: 复核"
# per 类别 in the enum's order (甲类 乙类 丙类 丁类), each of the three elements or 0
expect_in "$WORK/ex-jia.txt" "最好(0, 0, 0) + 最好(0, 0, 1.5) + 最好(0, 0, 0) + 最好(3, 2, 0) = 4.5 分" "explain 甲: 类别"
expect_in "$WORK/ex-jia.txt" "级内排名：2" "explain 甲: 级别"
"$RUBRICC" explain "$RUB" "$CSV" --id 乙 >"$WORK/ex-yi.txt" 2>&1 || bad "explain 乙: $(cat "$WORK/ex-yi.txt")"
expect_in "$WORK/ex-yi.txt" "条件成立：复核（是）" "explain 乙: 复核's 缺省"
expect_in "$WORK/ex-yi.txt" "职级（中等）：按“中等” → 3 分" "explain 乙: 职级"
finish narrow_columns
