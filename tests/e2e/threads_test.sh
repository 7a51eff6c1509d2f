#!/usr/bin/env bash
# --threads: the output file, the messages (text, order, row numbers) and the
# summary counts are byte-identical with 1 and 2 threads — on every bundled
# example, on a generated CSV with bad rows spread over many read-ahead blocks,
# and on a file that fails half-way (a GB18030 error at a known row).
# Usage: threads_test.sh RUBRICC GEN_CSV REPO_ROOT
set -euo pipefail
RUBRICC=$1 GEN_CSV=$2 ROOT=$3
source "$(dirname "$0")/harness.sh"

# Runs CMD... twice, with -o BASE.1.EXT --threads 1 and -o BASE.2.EXT
# --threads 2, and compares the outputs, the rejected-rows files, stderr (the
# output's name made the same) and the exit status. $1 = a label, $2 = BASE, $3 = EXT.
same_both_ways() {
  local label=$1 base=$2 ext=$3; shift 3
  local rc1=0 rc2=0
  "$@" -o "$base.1.$ext" --threads 1 2> "$WORK/err.1" || rc1=$?
  "$@" -o "$base.2.$ext" --threads 2 2> "$WORK/err.2" || rc2=$?
  [[ $rc1 -eq $rc2 ]] && ok || bad "$label: exit status $rc1 with 1 thread, $rc2 with 2"
  [[ $rc1 -ne 2 || $label == *error* ]] && ok || bad "$label: the run failed: $(tail -2 "$WORK/err.1")"
  for suffix in ".$ext" ".rejected.csv"; do
    if [[ -f $base.1$suffix ]] || [[ -f $base.2$suffix ]]; then
      cmp -s "$base.1$suffix" "$base.2$suffix" && ok || bad "$label: $suffix differs between 1 and 2 threads"
    fi
  done
  sed "s#$base\.[12]\.#OUT.#g" "$WORK/err.1" > "$WORK/err.1n"
  sed "s#$base\.[12]\.#OUT.#g" "$WORK/err.2" > "$WORK/err.2n"
  cmp -s "$WORK/err.1n" "$WORK/err.2n" && ok || bad "$label: messages differ: $(diff "$WORK/err.1n" "$WORK/err.2n" | head -5)"
}

# ── every bundled example, through `rubricc score` ──
for rubric in "$ROOT"/rubrics/*/*.rubric; do
  name=$(basename "$rubric" .rubric)
  year=$(basename "$(dirname "$rubric")")
  example="$ROOT/examples/$year/$name.csv"
  [[ -f $example ]] || continue
  params=()
  [[ -f ${example%.csv}.params.csv ]] && params=(--params "${example%.csv}.params.csv")
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

# ── a file that cannot be read to its end: GB18030 with a bad sequence on line 15,001 ──
iconv -f UTF-8 -t GB18030 "$WORK/gen.csv" > "$WORK/gbk-good.csv"
{ head -n 15000 "$WORK/gbk-good.csv"; printf '\x81\x20,1\n'; tail -n +15001 "$WORK/gbk-good.csv"; } > "$WORK/gbk.csv"
same_both_ways "GB18030 error part-way" "$WORK/gbk" csv "$WORK/scorer" "$WORK/gbk.csv" --encoding gb18030
grep -q "第 15001 行.*无效的字节序列" "$WORK/err.2" && ok || bad "no encoding error at line 15001: $(tail -2 "$WORK/err.2")"

finish threads_test
