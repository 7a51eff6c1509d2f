#!/usr/bin/env bash
# Population functions whose argument is an input column read the column itself
# (no PopArg slot copies it; issue 9), on population_column.rubric / .csv (hand
# computation in the rubric's header):
#  1. `check --werror` is clean;
#  2. `score`: ranks with ties (competition and dense), an average and a maximum over an
#     optional (可缺) column whose blank cells take no part (22 ÷ 4, not 22 ÷ 6), a vetoed
#     candidate outside every population value; the interpreter, the JIT, --threads 2 and a
#     `build` executable (one batch, and batches of 2 records) agree byte for byte;
#  3. a blank (可缺) cell is "no value": no notice that it was read as 0;
#  4. explain shows the ranks read from the column and the veto with its line.
# Usage: population_column_test.sh RUBRICC REPO_ROOT
set -uo pipefail
RUBRICC=$1 ROOT=$2
source "$(dirname "$0")/harness.sh"
RUB=$ROOT/tests/e2e/population_column.rubric
CSV=$ROOT/tests/e2e/population_column.csv
rows() { csv_rows "$1" 姓名 总分 一\ 得票名次 二\ 得票档次 三\ 上年平均 四\ 上年最多 排名; }
EXPECTED="甲=17/5/4/5.5/2.5/3 乙=22/10/4/5.5/2.5/1 丙=17/5/4/5.5/2.5/3 丁=8/0/0/5.5/2.5/5 戊=22/10/4/5.5/2.5/1 己=8/0/0/5.5/2.5/5 庚=8/0/0/5.5/2.5/"

# ── 1. check ──
rc=0; "$RUBRICC" check --werror "$RUB" >"$WORK/check.txt" 2>&1 || rc=$?
expect_rc "$rc" 0 "check --werror: $(cat "$WORK/check.txt")"

# ── 2. score through every engine ──
score_every_engine "$RUBRICC" "$RUB" "$CSV" "$EXPECTED"
expect_in "$WORK/jit.csv" "庚,取消资格：存在违纪问题," "score: 庚 vetoed"

# ── 3. blank (可缺) cells are not "read as 0" ──
expect_not_in "$WORK/score.err" "空格子" "score: a blank (可缺) cell noted as read as 0"

# ── 4. explain: the ranks read from the column, and the veto with its line ──
"$RUBRICC" explain "$RUB" "$CSV" --id 庚 >"$WORK/ex-geng.txt" 2>&1 || bad "explain 庚: $(cat "$WORK/ex-geng.txt")"
expect_in "$WORK/ex-geng.txt" "取消资格：存在违纪问题（第 22 行；违纪（是））" "explain 庚: the veto"
expect_in "$WORK/ex-geng.txt" "排名(得票数)（7）：按“否则” → 0 分" "explain 庚: ranked after the six not vetoed"
"$RUBRICC" --lang en explain "$RUB" "$CSV" --id 庚 >"$WORK/ex-geng-en.txt" 2>&1 || bad "explain --lang en 庚"
expect_in "$WORK/ex-geng-en.txt" "Disqualified: 存在违纪问题 (line 22; 违纪 (yes))" "explain --lang en 庚: the veto"
"$RUBRICC" explain "$RUB" "$CSV" --id 丙 >"$WORK/ex-bing.txt" 2>&1 || bad "explain 丙: $(cat "$WORK/ex-bing.txt")"
expect_in "$WORK/ex-bing.txt" "排名(得票数, 并列不跳号)（2）：按“1 至 2” → 4 分" "explain 丙: dense rank"
finish population_column
