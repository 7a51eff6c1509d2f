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
# 13 MB of rows: the last pass hands every fourth 1 MiB chunk to the writer as the spill's bytes (whole
# records; some straddle the 1 MiB read buffer's end) — from the spill file above, from memory here.
same_both_ways "bad rows, JSON Lines out, spill in memory" "$WORK/badm" jsonl \
  env RUBRICC_UNIQUE_BUDGET_BYTES=268435456 "$WORK/scorer" "$WORK/bad.csv" --items

# Session 20: in input order with two threads or more the last pass splices the spill's segments
# (512 KiB each) on two threads, each writing its own in turn. 20,000 rows are about 6 segments:
# with the spill on file (a 400,000-byte budget: 100,000 bytes of it in memory) they are read with
# pread, and the bytes must still be one thread's; every row rejected leaves the header alone.
same_both_ways "bad rows, spill on file, segments" "$WORK/bads" csv \
  env RUBRICC_UNIQUE_BUDGET_BYTES=400000 "$WORK/scorer" "$WORK/bad.csv"
same_both_ways "bad rows, spill on file, segments, JSON Lines" "$WORK/badsj" jsonl \
  env RUBRICC_UNIQUE_BUDGET_BYTES=400000 "$WORK/scorer" "$WORK/bad.csv" --items
awk -F, -v OFS=, 'NR > 3000 { exit } NR > 1 { $6 = "两件" } { print }' "$WORK/gen.csv" > "$WORK/none.csv"
same_both_ways "every row rejected, header only" "$WORK/none" csv "$WORK/scorer" "$WORK/none.csv"
[[ $(wc -l < "$WORK/none.2.csv") -eq 1 ]] && ok || bad "every row rejected: expected the header alone, got $(wc -l < "$WORK/none.2.csv") lines"

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
# Session 8: at 2,200,000 bytes the identifier table (half of it: a 1 MiB text block and about
# 1,000 identifiers) freezes part-way, so the workers look identifiers up in the frozen table ahead
# of the in-order claim: the repeat of row 701 (in the table) is refused at once, the repeats of
# rows past the freeze (1402 … 5608) found at the end — the same 8 rejected rows, each naming its
# first row, at 1, 2 and 3 threads; also in rank order (the output's chunks written on a second thread).
same_both_ways "duplicates, id table frozen part-way" "$WORK/dupm" csv env RUBRICC_UNIQUE_BUDGET_BYTES=2200000 \
  "$WORK/scorer" "$WORK/dups.csv" --batch-size 100
grep -q "读取 6008 行，评分 6000 行，拒绝 8 行" "$WORK/err.3" && ok || bad "frozen part-way, counts with 3 threads: $(grep 读取 "$WORK/err.3")"
for k in 1 2 3 4 5 6 7 8; do  # the header and 6000 rows are rows 1–6001: the k-th repeat is row 6001 + k, naming row 701·k
  grep -q "dups.csv:$((6001 + k)): 错误: 标识.*与 .*dups.csv:$((701 * k)) 重复" "$WORK/err.2" && ok ||
    bad "frozen part-way: row $((6001 + k)) does not name row $((701 * k)): $(grep -m1 "dups.csv:$((6001 + k)):" "$WORK/err.2")"
done
same_both_ways "duplicates, frozen part-way, rank order" "$WORK/dupr" csv env RUBRICC_UNIQUE_BUDGET_BYTES=2200000 \
  "$WORK/scorer" "$WORK/dups.csv" --sort 排名
# Ranks with repeats refused mid-block (session 10): every 3rd row comes twice in a row —
# the repeat refused at once, its total tied with the first's — so a repeat left in the counts
# would move every rank below it.
awk 'NR > 1 && NR % 3 == 0 { print } { print }' "$WORK/gen.csv" > "$WORK/rep.csv"
same_both_ways "repeats refused at once, ranks" "$WORK/rep" csv "$WORK/scorer" "$WORK/rep.csv"
same_both_ways "repeats refused at once, rank order" "$WORK/repr" csv "$WORK/scorer" "$WORK/rep.csv" --sort 排名
# Rows 3, 6, … 20001 of gen.csv (the header is row 1): 20001 / 3 = 6667 repeats.
grep -q "读取 26667 行，评分 20000 行，拒绝 6667 行" "$WORK/err.3" && ok || bad "repeats, counts with 3 threads: $(grep 读取 "$WORK/err.3")"
# To a workbook with the identifier table frozen part-way: rows past the freeze are held in
# batches and counted only when they are sent.
for n in 1 2; do
  env RUBRICC_UNIQUE_BUDGET_BYTES=2200000 "$WORK/scorer" "$WORK/rep.csv" -o "$WORK/repx.$n.xlsx" --threads $n 2> /dev/null || true
done
cmp -s <(unzip -p "$WORK/repx.1.xlsx" xl/worksheets/sheet1.xml) <(unzip -p "$WORK/repx.2.xlsx" xl/worksheets/sheet1.xml) &&
  ok || bad "xlsx, id table frozen part-way: the ranked sheet differs between 1 and 2 threads"
cat "$WORK/gen.csv" "$WORK/gen.csv" > "$WORK/twice.csv"  # every identifier twice, in two files too
same_both_ways "two files" "$WORK/two" csv "$WORK/scorer" "$WORK/gen.csv" "$WORK/twice.csv"
# The output's last pass goes in 1 MiB chunks; with 2 and 3 threads every other chunk is
# spliced (ranks put in) by the writer thread, which writes all of them in order (session 11).
# Past 2 MiB there are at least three chunks, so both kinds meet a boundary each way.
size=$(stat -c %s "$WORK/two.2.csv")
[[ $size -gt 2097152 ]] && ok || bad "two files: an output of $size bytes, too few chunks to exercise the writer's splicing"
same_both_ways "two files, rank order" "$WORK/twor" csv "$WORK/scorer" "$WORK/gen.csv" "$WORK/twice.csv" --sort 排名
same_both_ways "two files, JSON Lines" "$WORK/twoj" jsonl "$WORK/scorer" "$WORK/gen.csv" "$WORK/twice.csv"

# ── GB18030 with a bad sequence part-way: line 15,001 begins with 0x81 0x20 (a lead byte
# and a trail it cannot have); that row is rejected, naming its column, the rest scored ──
iconv -f UTF-8 -t GB18030 "$WORK/gen.csv" > "$WORK/gbk-good.csv"
{ head -n 15000 "$WORK/gbk-good.csv"; printf '\x81\x20'; tail -n +15001 "$WORK/gbk-good.csv"; } > "$WORK/gbk.csv"
same_both_ways "GB18030 error part-way" "$WORK/gbk" csv "$WORK/scorer" "$WORK/gbk.csv" --encoding gb18030
grep -q "gbk.csv:15001: 错误: 列“姓名”的第 1 个字符处有不是 GB18030/GBK 编码的字节（0x81）" "$WORK/err.2" && ok ||
  bad "no rejection of line 15001 for its bad byte: $(grep 15001 "$WORK/err.2" | head -2)"

# ── CSV cut into slices on the reading thread, parsed on the workers (session 7) ──
# Quoted line ends (CRLF and LF) with "" escapes in 姓名, CRLF line ends, quoted
# numbers, blank lines and no final line end, so that with small read buffers
# and slices (RUBRICC_CSV_READ_BYTES, RUBRICC_CSV_SLICE_ROWS: for tests only)
# every kind of byte lands on a buffer and a slice boundary somewhere. Each cut
# must give what the row-by-row streaming reader gives (RUBRICC_CSV_HOLD_BYTES=1:
# no record is held whole, so the cutter hands the file to CsvParser at once):
# output, rejected rows, messages and exit status, at 1, 2 and 3 threads.
"$GEN_CSV" "$R" 3000 11 "$WORK/q0.csv" "$WORK/p.csv" --no-text
awk -F, -v OFS=, 'NR > 1 && NR % 7 == 0 { $1 = "\"名\"\"" NR "\"\"\r\n续\n尾\"" }
                  NR > 1 && NR % 11 == 0 { $6 = "\"" $6 "\"" }
                  NR > 1 && NR % 13 == 0 { print "" }
                  { printf "%s%s", $0, (NR % 5 == 0 ? "\r\n" : "\n") }' "$WORK/q0.csv" |
  head -c -1 > "$WORK/quoted.csv"  # (the last line end dropped)
printf ',\n"never closed,\r\n1\n' > "$WORK/tail.txt"
cat "$WORK/quoted.csv" "$WORK/tail.txt" > "$WORK/quoted-open.csv"
for file in quoted quoted-open; do
  rcs=0
  rm -f "$WORK/s.csv.rejected.csv" "$WORK/c.csv.rejected.csv"
  env RUBRICC_CSV_READ_BYTES=1 RUBRICC_CSV_HOLD_BYTES=1 "$WORK/scorer" "$WORK/$file.csv" -o "$WORK/s.csv" --threads 1 \
    2> "$WORK/s.err" || rcs=$?
  sed "s#$WORK/s\.#OUT.#g" "$WORK/s.err" > "$WORK/s.errn"
  grep -q "读取" "$WORK/s.err" && ok || bad "$file: streamed run said no summary: $(tail -2 "$WORK/s.err")"
  for cut in "1048576 512" "4096 512" "777 7" "65 3" "64 1" "1 2"; do
    set -- $cut
    for n in 1 2 3; do
      rc=0
      env RUBRICC_CSV_READ_BYTES=$1 RUBRICC_CSV_SLICE_ROWS=$2 "$WORK/scorer" "$WORK/$file.csv" -o "$WORK/c.csv" \
        --threads $n 2> "$WORK/c.err" || rc=$?
      label="$file, read $1 bytes, $2 rows a slice, $n threads"
      [[ $rc -eq $rcs ]] && ok || bad "$label: exit status $rc, streamed $rcs"
      cmp -s "$WORK/s.csv" "$WORK/c.csv" && ok || bad "$label: output differs from the streamed reader's"
      if [[ -f $WORK/s.csv.rejected.csv || -f $WORK/c.csv.rejected.csv ]]; then
        cmp -s "$WORK/s.csv.rejected.csv" "$WORK/c.csv.rejected.csv" && ok || bad "$label: rejected rows differ"
      fi
      sed "s#$WORK/c\.#OUT.#g" "$WORK/c.err" > "$WORK/c.errn"
      cmp -s "$WORK/s.errn" "$WORK/c.errn" && ok || bad "$label: messages differ: $(diff "$WORK/s.errn" "$WORK/c.errn" | head -5)"
    done
  done
done
# By hand: the header, 3000 rows and ⌊3001/13⌋ = 230 blank rows are rows 1–3231 (姓名 of every
# 7th row holds a quoted CRLF and LF, yet counts one row); the tail's "," ends row 3231 (an
# empty cell past the header), so the unterminated quote is row 3232.
grep -q "quoted-open.csv:3232: 错误: 引号没有闭合" "$WORK/c.err" && ok ||
  bad "unterminated quote not at row 3232: $(grep 引号 "$WORK/c.err" | head -2)"

finish threads_test
