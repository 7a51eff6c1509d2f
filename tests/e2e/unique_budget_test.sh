#!/usr/bin/env bash
# 校验 唯一 with a tiny memory budget (issue 13): every value spilled to the
# temporary file and sorted externally gives byte-identical results, messages
# and exit status to the run that keeps every value in memory.
# Usage: unique_budget_test.sh RUBRICC GEN_CSV REPO_ROOT
set -euo pipefail
RUBRICC=$1 GEN_CSV=$2 ROOT=$3
source "$(dirname "$0")/harness.sh"
R=$ROOT/rubrics/2025/banan-individual.rubric
"$RUBRICC" build "$R" -o "$WORK/scorer"

# 3000 records; gen_csv writes "R<k>" into every text column of record k, so
# record k is file row k+1 and 推荐案卷号 = 抽查案卷号 = R<k> (one value: a repeat
# within a record is not a duplicate). Planted repeats of 推荐案卷号 (first of
# the two columns, so the one a record's value is reported under):
#   row  101: 抽查案卷号 R7    → repeats row 8
#   row 2500: 抽查案卷号 R1999 → repeats row 2000
#   row 3001: 推荐案卷号 R1    → repeats row 2
"$GEN_CSV" "$R" 3000 5 "$WORK/gen.csv" "$WORK/p.csv"
rec=$(head -1 "$WORK/gen.csv" | tr ',' '\n' | grep -n -x 推荐案卷号 | cut -d: -f1)
chk=$(head -1 "$WORK/gen.csv" | tr ',' '\n' | grep -n -x 抽查案卷号 | cut -d: -f1)
awk -F, -v OFS=, -v rec="$rec" -v chk="$chk" '
  NR == 101 { $chk = "R7" } NR == 2500 { $chk = "R1999" } NR == 3001 { $rec = "R1" } { print }' \
  "$WORK/gen.csv" > "$WORK/in.csv"

run() { # name [env…]: runs the scorer on in.csv into $WORK/NAME.{csv,err,rc}
  local name=$1
  shift
  set +e
  env "$@" "$WORK/scorer" "$WORK/in.csv" -o "$WORK/$name.csv" 2> "$WORK/$name.err"
  echo $? > "$WORK/$name.rc"
  set -e
}
run memory
run spilled RUBRICC_UNIQUE_BUDGET_BYTES=64

m="不同候选个人不得共用同一份案卷"
want="in.csv:101: 错误: $m：值“R7”（列“抽查案卷号”）与 .*in.csv:8（列“推荐案卷号”）重复
in.csv:2500: 错误: $m：值“R1999”（列“抽查案卷号”）与 .*in.csv:2000（列“推荐案卷号”）重复
in.csv:3001: 错误: $m：值“R1”（列“推荐案卷号”）与 .*in.csv:2（列“推荐案卷号”）重复"
got=$(grep "重复" "$WORK/memory.err" | sed "s|$WORK/||")
[[ $(echo "$got" | wc -l) -eq 3 ]] && ok || bad "expected 3 duplicates: $got"
while IFS= read -r line; do
  grep -q -- "$line" <<< "$got" && ok || bad "missing: $line"
done <<< "$want"
# In the order read: rows 101, 2500, 3001.
[[ $(echo "$got" | cut -d: -f2 | tr '\n' ' ') == "101 2500 3001 " ]] && ok || bad "order: $got"
grep -q "读取 3000 行，评分 3000 行，拒绝 0 行，校验错误 3 处" "$WORK/memory.err" && ok || bad "summary: $(tail -1 "$WORK/memory.err")"
[[ $(cat "$WORK/memory.rc") -eq 1 ]] && ok || bad "exit status $(cat "$WORK/memory.rc"), expected 1"

cmp -s "$WORK/memory.csv" "$WORK/spilled.csv" && ok || bad "outputs differ with a tiny budget"
cmp -s "$WORK/memory.err" "$WORK/spilled.err" && ok || bad "messages differ: $(diff "$WORK/memory.err" "$WORK/spilled.err" | head -5)"
cmp -s "$WORK/memory.rc" "$WORK/spilled.rc" && ok || bad "exit statuses differ"

# --strict with everything spilled: the repeats are found at the end of the
# read, reported, and no output is written.
set +e
RUBRICC_UNIQUE_BUDGET_BYTES=64 "$WORK/scorer" "$WORK/in.csv" -o "$WORK/strict.csv" --strict 2> "$WORK/strict.err"
rc=$?
set -e
[[ $rc -eq 1 && ! -e $WORK/strict.csv ]] && ok || bad "--strict: exit $rc, output $(ls "$WORK")"
grep -q "in.csv:101: 错误: $m" "$WORK/strict.err" && ok || bad "--strict: $(cat "$WORK/strict.err")"

finish unique_budget
