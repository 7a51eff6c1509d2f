#!/usr/bin/env bash
# --threads: the output file, the messages (text, order, row numbers) and the
# summary counts are byte-identical with 1 and 2 threads — on every bundled
# example, on a generated CSV with bad rows spread over many read-ahead blocks,
# and on a file that fails half-way (a GB18030 error at a known row).
# Usage: threads_test.sh RUBRICC GEN_CSV REPO_ROOT
set -euo pipefail
RUBRICC=$1 GEN_CSV=$2 ROOT=$3
source "$(dirname "$0")/harness.sh"

# Runs CMD... with -o BASE.N.EXT --threads N for N = 1, 2, 3, and compares
# the outputs, the rejected-rows files, stderr (the output's name made the
# same) and the exit status with those of one thread. $1 = a label, $2 = BASE, $3 = EXT.
same_both_ways() {
  local label=$1 base=$2 ext=$3; shift 3
  local rc1=0 rcn n
  "$@" -o "$base.1.$ext" --threads 1 2> "$WORK/err.1" || rc1=$?
  [[ $rc1 -ne 2 || $label == *error* ]] && ok || bad "$label: the run failed: $(tail -2 "$WORK/err.1")"
  sed "s#$base\.1\.#OUT.#g" "$WORK/err.1" > "$WORK/err.1n"
  for n in 2 3; do
    rcn=0
    "$@" -o "$base.$n.$ext" --threads $n 2> "$WORK/err.$n" || rcn=$?
    [[ $rc1 -eq $rcn ]] && ok || bad "$label: exit status $rc1 with 1 thread, $rcn with $n"
    for suffix in ".$ext" ".rejected.csv"; do
      if [[ -f $base.1$suffix ]] || [[ -f $base.$n$suffix ]]; then
        cmp -s "$base.1$suffix" "$base.$n$suffix" && ok || bad "$label: $suffix differs between 1 and $n threads"
      fi
    done
    sed "s#$base\.$n\.#OUT.#g" "$WORK/err.$n" > "$WORK/err.nn"
    cmp -s "$WORK/err.1n" "$WORK/err.nn" && ok || bad "$label: messages differ (1, $n threads): $(diff "$WORK/err.1n" "$WORK/err.nn" | head -5)"
  done
}

# ── every bundled example, through `rubricc score` ──
for rubric in "$ROOT"/rubrics/*/*.rubric; do
  name=$(basename "$rubric" .rubric)
  year=$(basename "$(dirname "$rubric")")
  example="$ROOT/examples/$year/$name.csv"
  [[ -f $example ]] || continue
  example_args "$example"
  params=("${EXARGS[@]}")
  same_both_ways "$year/$name" "$WORK/ex" csv "$RUBRICC" score "$rubric" "$example" --items "${params[@]}"
done

# ── 20,000 generated rows with bad rows among them, through a generated scorer ──
R=$ROOT/rubrics/2025/banan-individual.rubric
"$RUBRICC" build "$R" -o "$WORK/scorer"
"$GEN_CSV" "$R" 20000 5 "$WORK/gen.csv" "$WORK/p.csv" --no-text
# Column 4 is 技能比武先进个人 (an enumeration), column 6 非现场立案 (a count).
awk -F, -v OFS=, 'NR > 1 && NR % 997 == 0 { $4 = "国家级" }
                  NR > 1 && NR % 1999 == 0 { $6 = "两件" }
                  NR > 1 && NR % 4001 == 0 { print "短行,1"; }
                  { print }' "$WORK/gen.csv" > "$WORK/bad.csv"
printf '张\xff三,1\n' >> "$WORK/bad.csv"
printf '"never closed,1\n' >> "$WORK/bad.csv"
rejected=$(( 20000 / 997 + 20000 / 1999 + 20000 / 4001 + 2 ))
same_both_ways "bad rows" "$WORK/bad" csv "$WORK/scorer" "$WORK/bad.csv"
grep -q "拒绝 [0-9]* 行" "$WORK/err.2" && ok || bad "no summary line: $(tail -1 "$WORK/err.2")"
got=$(grep -o "拒绝 [0-9]* 行" "$WORK/err.2" | grep -o "[0-9]*")
# 997, 1999, 4001: the awk rules above; rows 997·k and 1999·k never coincide below 20,001.
[[ $got -ge $rejected ]] && ok || bad "expected at least $rejected rejected rows (awk rules + 2), got $got"
same_both_ways "bad rows, --strict" "$WORK/strict" csv "$WORK/scorer" "$WORK/bad.csv" --strict
same_both_ways "bad rows, JSON Lines out" "$WORK/badj" jsonl "$WORK/scorer" "$WORK/bad.csv" --items

# ── repeated identifiers and 校验 唯一 values, across blocks of rows, with small batches ──
# (案卷号 filled: column 13 推荐案卷号, 14 抽查案卷号.) Every 701st row comes again at
# the end (its 姓名 repeated: rejected, naming the first); every 503rd row's
# 推荐案卷号 is that of row 2 (a 校验 唯一 duplicate, the row still scored).
"$GEN_CSV" "$R" 6000 9 "$WORK/text.csv" "$WORK/p.csv"
awk -F, -v OFS=, 'NR == 2 { first = $13 }
                  NR > 2 && NR % 503 == 0 { $13 = first }
                  NR > 1 && NR % 701 == 0 { again[++n] = $0 }
                  { print } END { for (k = 1; k <= n; ++k) print again[k] }' "$WORK/text.csv" > "$WORK/dups.csv"
same_both_ways "duplicates" "$WORK/dups" csv "$WORK/scorer" "$WORK/dups.csv" --batch-size 100
grep -q "与 .*dups.csv:701 重复" "$WORK/err.3" && ok || bad "no repeated identifier named with 3 threads: $(grep -m1 重复 "$WORK/err.3")"
# 6000 rows + 8 repeated (701·1 … 701·8 ≤ 6001): the 8 repeats are rejected.
grep -q "读取 6008 行，评分 6000 行，拒绝 8 行" "$WORK/err.3" && ok || bad "counts with 3 threads: $(grep 读取 "$WORK/err.3")"
same_both_ways "duplicates, --strict" "$WORK/dupstrict" csv "$WORK/scorer" "$WORK/dups.csv" --strict
# Rows encoded on the workers and only committed in order: once the identifier table is full
# (a 64-byte budget: at once) what they say waits for the end of the read and the repeats are
# dropped then; to JSON Lines the same. An .xlsx output's sheets (the 汇总 sheet counts vetoes
# from what the workers found) are the same too (the zip itself carries a time).
same_both_ways "duplicates, tiny id budget" "$WORK/dupt" csv env RUBRICC_UNIQUE_BUDGET_BYTES=64 "$WORK/scorer" "$WORK/dups.csv" --batch-size 100
grep -q "读取 6008 行，评分 6000 行，拒绝 8 行" "$WORK/err.3" && ok || bad "tiny budget, counts with 3 threads: $(grep 读取 "$WORK/err.3")"
same_both_ways "duplicates, tiny id budget, JSON Lines" "$WORK/dupj" jsonl env RUBRICC_UNIQUE_BUDGET_BYTES=64 "$WORK/scorer" "$WORK/dups.csv"
for n in 1 2; do "$WORK/scorer" "$WORK/dups.csv" -o "$WORK/dupx.$n.xlsx" --threads $n 2> /dev/null || true; done
for sheet in sheet1 sheet2; do
  cmp -s <(unzip -p "$WORK/dupx.1.xlsx" xl/worksheets/$sheet.xml) <(unzip -p "$WORK/dupx.2.xlsx" xl/worksheets/$sheet.xml) &&
    ok || bad "xlsx: $sheet differs between 1 and 2 threads"
done
unzip -p "$WORK/dupx.2.xlsx" xl/worksheets/sheet2.xml | grep -q "取消资格" && ok || bad "xlsx: no 取消资格 count in the 汇总 sheet"
cat "$WORK/gen.csv" "$WORK/gen.csv" > "$WORK/twice.csv"  # every identifier twice, in two files too
same_both_ways "two files" "$WORK/two" csv "$WORK/scorer" "$WORK/gen.csv" "$WORK/twice.csv"

# ── a file that cannot be read to its end: GB18030 with a bad sequence on line 15,001 ──
iconv -f UTF-8 -t GB18030 "$WORK/gen.csv" > "$WORK/gbk-good.csv"
{ head -n 15000 "$WORK/gbk-good.csv"; printf '\x81\x20,1\n'; tail -n +15001 "$WORK/gbk-good.csv"; } > "$WORK/gbk.csv"
same_both_ways "GB18030 error part-way" "$WORK/gbk" csv "$WORK/scorer" "$WORK/gbk.csv" --encoding gb18030
grep -q "第 15001 行.*无效的字节序列" "$WORK/err.2" && ok || bad "no encoding error at line 15001: $(tail -2 "$WORK/err.2")"

finish threads_test
