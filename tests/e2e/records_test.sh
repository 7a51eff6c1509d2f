#!/usr/bin/env bash
# Records in, scores out, through a generated scorer:
#  (1) a 1,000,000-row CSV streams in bounded memory (peak RSS < 64 MB) and
#      every row comes out: rows scored + rows rejected = rows read;
#  (2) bad rows are rejected with file/row/column messages, listed in
#      <output>.rejected.csv, the others still scored, exit status 1.
# Usage: records_test.sh RUBRICC GEN_CSV REPO_ROOT
set -euo pipefail
RUBRICC=$1 GEN_CSV=$2 ROOT=$3
source "$(dirname "$0")/harness.sh"
R=$ROOT/rubrics/2025/banan-individual.rubric
"$RUBRICC" build "$R" -o "$WORK/scorer"

# (1) one million rows; the 案卷号 text columns stay empty so the uniqueness check
# (which must remember every value) does not grow with the rows.
"$GEN_CSV" "$R" 1000000 11 "$WORK/big.csv" "$WORK/p.csv" --no-text
/usr/bin/time -f "%e %M" -o "$WORK/time.txt" "$WORK/scorer" "$WORK/big.csv" -o "$WORK/big.out.csv" 2> "$WORK/big.err"
read -r secs rss < "$WORK/time.txt"
rows=$(($(wc -l < "$WORK/big.out.csv") - 1))
echo "1,000,000-row CSV: ${secs} s, peak RSS ${rss} KB, ${rows} rows out"
[[ $rows -eq 1000000 ]] && ok || bad "expected 1000000 rows out, got $rows"
grep -q "读取 1000000 行，评分 1000000 行，拒绝 0 行" "$WORK/big.err" && ok || bad "summary: $(tail -1 "$WORK/big.err")"
# Under ASan (scripts/sanitize.sh sets RUBRICC_SANITIZED) RSS is the allocator's
# quarantine and shadow memory, not ours: the bound is checked by the normal build.
if [[ -n ${RUBRICC_SANITIZED:-} ]]; then
  echo "peak RSS not compared with 64 MB under a sanitizer"
else
  [[ $rss -lt 65536 ]] && ok || bad "peak RSS ${rss} KB is not bounded (≥ 64 MB)"
fi

# (2) bad rows: a wrong type, an unknown enum value; the good rows are scored.
# Every declared column is there (the records contract); columns 4, 6 and 8 are
# 技能比武先进个人, 非现场立案 and 案卷评查得分, the other 21 are left blank.
banan_row() { printf '%s,,,%s,,%s,,%s%s\n' "$1" "$2" "$3" "$4" ",,,,,,,,,,,,,,,,"; }
{ head -1 "$ROOT/examples/2025/banan-individual.csv"
  banan_row 甲 省级 1 80%; banan_row 乙 国家级 1 80%; banan_row 丙 市级 两件 80%; banan_row 丁 无 0 50%
} > "$WORK/mixed.csv"
set +e
"$WORK/scorer" "$WORK/mixed.csv" -o "$WORK/mixed.out.csv" 2> "$WORK/mixed.err"
rc=$?
set -e
[[ $rc -eq 1 ]] && ok || bad "exit status $rc, expected 1 when rows are rejected"
grep -q "读取 4 行，评分 2 行，拒绝 2 行" "$WORK/mixed.err" && ok || bad "summary: $(cat "$WORK/mixed.err")"
grep -q "mixed.csv:3: .*技能比武先进个人.*国家级" "$WORK/mixed.err" && ok || bad "no message for row 3's enum: $(cat "$WORK/mixed.err")"
grep -q "mixed.csv:4: .*非现场立案.*两件" "$WORK/mixed.err" && ok || bad "no message for row 4's count: $(cat "$WORK/mixed.err")"
[[ $(($(wc -l < "$WORK/mixed.out.csv") - 1)) -eq 2 ]] && ok || bad "expected the 2 good rows scored"
if [[ -f $WORK/mixed.out.rejected.csv ]] && grep -q "mixed.csv,3," "$WORK/mixed.out.rejected.csv" &&
   grep -q "mixed.csv,4," "$WORK/mixed.out.rejected.csv"; then ok
else bad "mixed.out.rejected.csv does not list rows 3 and 4"; fi

# (3) a catalogue of awkward files: each gets its exit status, its message
# (file:row and the column), and the invariant rows read = rows scored + rows
# rejected — or a fatal error (exit 2) naming the file and writing no output.
# The rubric of the records contract: tests/e2e/records_contract.rubric.
"$RUBRICC" build "$ROOT/tests/e2e/records_contract.rubric" -o "$WORK/contract"
catalogue() { # name scorer expected-exit expected-text file [read scored rejected]
  set +e
  "$2" "$5" -o "$WORK/cat.out.csv" > /dev/null 2> "$WORK/cat.err"
  local rc=$?
  set -e
  if [[ $rc -eq $3 ]] && grep -q -- "$4" "$WORK/cat.err"; then ok
  else bad "$1: exit $rc (expected $3), messages: $(cat "$WORK/cat.err")"; fi
  if [[ $# -ge 8 ]]; then
    [[ $6 -eq $(($7 + $8)) ]] || bad "$1: the test's own counts do not add up"
    grep -q "读取 $6 行，评分 $7 行，拒绝 $8 行" "$WORK/cat.err" && ok || bad "$1: summary: $(tail -1 "$WORK/cat.err")"
  fi
  if [[ $3 -eq 2 ]]; then [[ ! -e $WORK/cat.out.csv ]] && ok || bad "$1: a fatal error left an output"; fi
  rm -f "$WORK/cat.out.csv" "$WORK/cat.out.rejected.csv"
}
S=$WORK/scorer C=$WORK/contract
: > "$WORK/empty.csv"
catalogue "an empty file" $S 0 "读取 0 行，评分 0 行，拒绝 0 行" "$WORK/empty.csv"
head -1 "$ROOT/examples/2025/banan-individual.csv" > "$WORK/header.csv"
catalogue "a header only" $S 0 "读取 0 行，评分 0 行，拒绝 0 行" "$WORK/header.csv"
printf '姓名,案卷评查得分\n' > "$WORK/header2.csv"
catalogue "a header without most declared columns" $S 2 "header2.csv: 错误: 缺少必填的列“技能比武先进个人”" "$WORK/header2.csv"
{ head -1 "$ROOT/examples/2025/banan-individual.csv" | tr -d '\r' | sed 's/$/,案卷评查得分/'; banan_row 甲 无 0 80% | sed 's/$/,90%/'; } > "$WORK/dup.csv"
catalogue "a duplicate column" $S 0 "列“案卷评查得分”出现了不止一次" "$WORK/dup.csv"
printf '\xff\xfe\xfd,80%%\n' > "$WORK/badutf8.csv"
catalogue "bytes that are neither UTF-8 nor GB18030" $S 2 "badutf8.csv" "$WORK/badutf8.csv"
: > "$WORK/zero.xlsx"
catalogue "a 0-byte XLSX" $S 2 "无法读取 .xlsx 工作簿" "$WORK/zero.xlsx"
"$WORK/scorer" "$ROOT/examples/2025/banan-individual.csv" -o "$WORK/full.xlsx" 2>/dev/null
head -c 700 "$WORK/full.xlsx" > "$WORK/truncated.xlsx"
catalogue "a truncated XLSX" $S 2 "无法读取 .xlsx 工作簿" "$WORK/truncated.xlsx"

# The contract rubric. A good row, 甲: 一 = 件数甲 1 + 补充 (blank → 缺省 2) = 3;
# 二 = 80% × 100 = 80; 三 = 10 − 扣分额 2 = 8; 四 = 增幅 10% × 10 + 10 = 11;
# 五 = 12 months × 1 = 12; 六 = 轮次 成绩 5 → 5. Total 3 + 80 + 8 + 11 + 12 + 5 = 119.
H='姓名,件数甲,得分率,扣分额,补充,增幅,月报[1],月报[2],月报[3],月报[4],月报[5],月报[6],月报[7],月报[8],月报[9],月报[10],月报[11],月报[12],轮次[1].完成,轮次[1].成绩,等级'
M='1,1,1,1,1,1,1,1,1,1,1,1'
good() { echo "$1,1,80%,2,,10%,$M,是,5,良"; }
{ echo "$H"; good 甲; } > "$WORK/good.csv"
catalogue "a good row" $C 0 "读取 1 行" "$WORK/good.csv" 1 1 0
"$C" "$WORK/good.csv" -o "$WORK/good.out.jsonl" 2>/dev/null
grep -q '"总分": *"\?119"\?[,}]' "$WORK/good.out.jsonl" && ok || bad "甲 should total 119: $(cat "$WORK/good.out.jsonl")"

# Blank cells of required fields read as "nothing to claim" — never silently: the
# summary counts them and names the first. 甲's row has none (补充 is optional);
# 乙 leaves 件数甲 and 扣分额 blank: 2 cells, the first 件数甲 on file row 2.
grep -q "空格子" "$WORK/cat.err" && bad "a row without blank required cells got a blank-cell note: $(cat "$WORK/cat.err")" || ok
grep -q "跨行" "$WORK/cat.err" && bad "a row without quotes got a warning of a cell spanning lines" || ok
{ echo "$H"; echo "乙,,80%,,,10%,$M,是,5,良"; good 丙; } > "$WORK/blank.csv"
catalogue "blank required cells are counted" $C 0 "注意: 必填字段有 2 个空格子，已按“没有可申报的”计.*第一处在 $WORK/blank.csv:2 列“件数甲”" "$WORK/blank.csv" 2 2 0
# One row pasted in from another encoding near the top, where the encoding is
# decided (the first 64 KiB): that row is rejected, naming the column and the
# byte, and the others are scored — the file is not refused for one line.
# Most lines bad, or the header: the file is refused, naming the line.
{ echo "$H"; good 甲; good "乙$(printf '\xff')"; good 丙; } > "$WORK/onebad.csv"
catalogue "one row of bad bytes near the top" $C 1 "onebad.csv:3: 错误: 列“姓名”的第 4 个字节（0xFF）" "$WORK/onebad.csv" 3 2 1
{ echo "$H"; good "甲$(printf '\xff')"; good "乙$(printf '\xff')"; good 丙; } > "$WORK/mostbad.csv"
catalogue "most rows of bad bytes" $C 2 "mostbad.csv: 错误: 文件不是有效的 UTF-8 或 GB18030/GBK 编码（第 2 行" "$WORK/mostbad.csv"
# So are the blank required fields of a list's elements (up to its length):
# 丁's 轮次[1] has 完成 but no 成绩 (read as 0: 六 = 0), named by its place;
# 戊 has no 轮次 at all (both cells blank: a list of no elements), nothing to count.
{ echo "$H"; echo "丁,1,80%,2,,10%,$M,是,,良"; echo "戊,1,80%,2,,10%,$M,,,良"; } > "$WORK/blankelem.csv"
catalogue "blank cells of a list element are counted" $C 0 "注意: 必填字段有 1 个空格子，已按“没有可申报的”计.*第一处在 $WORK/blankelem.csv:2 列“轮次\[1\]\.成绩”" "$WORK/blankelem.csv" 2 2 0

# A missing required column is fatal and named, with did-you-mean against the header.
{ echo "$H" | sed 's/扣分额,/扣分頞,/'; good 甲; } > "$WORK/typo.csv"
catalogue "a misspelled required column" $C 2 "typo.csv: 错误: 缺少必填的列“扣分额”（表头中的“扣分頞”是否就是它？）" "$WORK/typo.csv"
{ echo "$H" | sed 's/,月报\[7\]//'; good 甲 | sed 's/,1,1,1,1,1,1,1,1,1,1,1,1,/,1,1,1,1,1,1,1,1,1,1,1,/'; } > "$WORK/nomonth.csv"
catalogue "a missing month" $C 2 "缺少必填的列“月报\[7\]”" "$WORK/nomonth.csv"
# An optional column (补充 缺省 2) may be left out: its default is used (total 119 again).
{ echo "$H" | sed 's/补充,//'; good 甲 | sed 's/,2,,10%/,2,10%/'; } > "$WORK/optional.csv"
catalogue "an optional column left out" $C 0 "读取 1 行" "$WORK/optional.csv" 1 1 0
"$C" "$WORK/optional.csv" -o "$WORK/optional.out.jsonl" 2>/dev/null
grep -q '"总分": *"\?119"\?[,}]' "$WORK/optional.out.jsonl" && ok || bad "optional: 甲 should total 119: $(cat "$WORK/optional.out.jsonl")"

# Shifted rows, blank identifiers, duplicate identifiers.
{ echo "$H"; good 甲; echo "乙,1,80%,2"; good 丙 | sed 's/$/,多余/'; echo ",1,80%,2,,10%,$M,是,5,良"; good 甲; } > "$WORK/rows.csv"
catalogue "short, long, blank-id and duplicate-id rows" $C 1 "rows.csv:3: 错误: 该行有 4 个单元格，而表头有 21 列（从列“补充”起没有单元格）" "$WORK/rows.csv" 5 1 4
grep -q "rows.csv:4: 错误: 该行有 22 个单元格" "$WORK/cat.err" && ok || bad "long row: $(cat "$WORK/cat.err")"
grep -q "rows.csv:5: 错误: 标识列“姓名”为空" "$WORK/cat.err" && ok || bad "blank id: $(cat "$WORK/cat.err")"
grep -q "rows.csv:6: 错误: 标识“甲”（列“姓名”）与 .*rows.csv:2 重复" "$WORK/cat.err" && ok || bad "duplicate id: $(cat "$WORK/cat.err")"
# A stray opening quote takes the lines after it into one cell, up to the next
# quote in the file. Those lines are never lost unsaid: 乙's "乙 reaches to the
# quote before 戊, so 丙's and 丁's lines and 戊's start (3 line breaks) are in
# 乙's 姓名 — a text cell, the row's shape right again after the closing
# quote (2 rows read): scored, with a warning naming the cell and the 3 lines. Quoted where a number belongs, the
# row is rejected for the value, and a note beside it says why. Never closed:
# the unterminated quote, with the 3 lines it took (the file's last line break
# starts no line).
{ echo "$H"; good 甲; good '"乙'; good 丙; good 丁; good '"戊"'; } > "$WORK/quote.csv"
catalogue "a stray quote in a text cell" $C 0 "警告: 1 个已评分的行有单元格跨行（引号内有换行），第一处在 $WORK/quote.csv:3 列“姓名”的引号内有 3 个换行：文件中其后 3 行都读进了这一格" "$WORK/quote.csv" 2 2 0
# A legitimate two-line name first must not hide the stray quote after it: the warning also names the cell
# with the most line breaks (a reviewer's find: it named only 甲's note, and 丙, 丁, 戊 were in 乙's name).
{ echo "$H"; good '"甲' | sed 's/^"甲/"甲\n（借调）"/'; good '"乙'; good 丙; good 丁; good '"戊"'; good 己; } > "$WORK/mask.csv"
catalogue "a stray quote after a cell that rightly spans lines" $C 0 "；换行最多的一格在 $WORK/mask.csv:3 列“姓名”的引号内有 3 个换行：文件中其后 3 行都读进了这一格" "$WORK/mask.csv" 3 3 0
{ echo "$H"; good 甲; good 乙 | sed 's/,80%,/,"80%,/'; good 丙; good 丁 | sed 's/,80%,/,80%",/'; } > "$WORK/quote2.csv"
catalogue "a stray quote in a number cell" $C 1 "quote2.csv:3: 注意: 列“得分率”的引号内有 2 个换行：文件中其后 2 行都读进了这一格" "$WORK/quote2.csv" 2 1 1
grep -q "quote2.csv:3: 错误: 列“得分率”：" "$WORK/cat.err" && ok || bad "stray quote in a number: $(cat "$WORK/cat.err")"
{ echo "$H"; good 甲; good '"乙'; good 丙; good 丁; good 戊; } > "$WORK/quote3.csv"
catalogue "a quote never closed" $C 1 "quote3.csv:3: 错误: 引号没有闭合（一直到文件末尾）（列“姓名”的引号内有 3 个换行：文件中其后 3 行都读进了这一格" "$WORK/quote3.csv" 2 1 1
# A row rejected for a bad value still holds its identifier: the later 甲 is a duplicate too.
{ echo "$H"; good 甲 | sed 's/,80%,/,150%,/'; good 甲; } > "$WORK/dupbad.csv"
catalogue "a duplicate of a rejected row" $C 1 "dupbad.csv:3: 错误: 标识“甲”（列“姓名”）与 .*dupbad.csv:2 重复" "$WORK/dupbad.csv" 2 0 2

# Ranges: 150% and −5% (percentages 0%–100%), −3 in a deduction amount (≥ 0),
# 增幅 −60% (范围 -50% 至 200%; 150% is inside), 轮次 成绩 11 (范围 0 至 10).
{ echo "$H"; good 甲 | sed 's/,80%,/,150%,/'; good 乙 | sed 's/,80%,/,-5%,/'; good 丙 | sed 's/,80%,2,/,80%,-3,/'
  good 丁 | sed 's/,10%,/,-60%,/'; good 戊 | sed 's/,10%,/,150%,/'; good 己 | sed 's/,是,5,/,是,11,/'; } > "$WORK/range.csv"
catalogue "values outside their range" $C 1 "range.csv:2: 错误: 列“得分率”：“150%”超出允许的范围 0% 至 100%" "$WORK/range.csv" 6 1 5
grep -q "range.csv:3: 错误: 列“得分率”：“-5%”超出允许的范围 0% 至 100%" "$WORK/cat.err" && ok || bad "-5%: $(cat "$WORK/cat.err")"
grep -q "range.csv:4: 错误: 列“扣分额”：“-3”超出允许的范围 ≥ 0" "$WORK/cat.err" && ok || bad "-3: $(cat "$WORK/cat.err")"
grep -q "range.csv:5: 错误: 列“增幅”：“-60%”超出允许的范围 -50% 至 200%" "$WORK/cat.err" && ok || bad "-60%: $(cat "$WORK/cat.err")"
grep -q "range.csv:7: 错误: 列“轮次\[1\].成绩”：“11”超出允许的范围 0 至 10" "$WORK/cat.err" && ok || bad "11: $(cat "$WORK/cat.err")"

# Bad bytes past the first 64 KiB: 5,000 UTF-8 rows, then one GBK row (甲 in GBK
# is B C 7 D... here the bytes of 张 0xD5 0xC5), then a NUL in a cell.
{ echo "$H"; for i in $(seq 1 5000); do good "R$i"; done
  printf '\xd5\xc5,1,80%%,2,,10%%,%s,是,5,良\n' "$M"; printf 'N\x00UL,1,80%%,2,,10%%,%s,是,5,良\n' "$M"; } > "$WORK/late.csv"
[[ $(stat -c %s "$WORK/late.csv") -gt 65536 ]] && ok || bad "late.csv is not past 64 KiB"
catalogue "bad bytes past 64 KiB" $C 1 "late.csv:5002: 错误: 列“姓名”的第 1 个字节（0xD5）不是有效的 UTF-8 文本" "$WORK/late.csv" 5002 5000 2
grep -q "late.csv:5003: 错误: 列“姓名”的第 2 个字节（0x00）不是有效的 UTF-8 文本（NUL 字节）" "$WORK/cat.err" && ok || bad "NUL: $(tail -3 "$WORK/cat.err")"
{ echo "$H"; for i in $(seq 1 5000); do good "R$i"; done
  printf '\xd5\xc5,1,80%%,2,,10%%,%s,是,5,良\n' "$M"; } > "$WORK/late2.csv"
for out in jsonl xlsx csv; do
  "$C" "$WORK/late2.csv" -o "$WORK/late.out.$out" 2>/dev/null || true
  if [[ $out == xlsx ]]; then python3 -c 'import sys,zipfile; [z.read(n).decode("utf-8") for z in [zipfile.ZipFile(sys.argv[1])] for n in z.namelist()]' "$WORK/late.out.xlsx"
  else iconv -f UTF-8 -t UTF-8 "$WORK/late.out.$out" > /dev/null; fi && ok || bad "late.out.$out is not valid UTF-8"
done
if grep -qaP '\x00' "$WORK/cat.err"; then bad "a NUL byte echoed in a message"; else ok; fi

# JSON Lines: a missing key, wrong shapes (an object for a list, {} for a
# monthly array, an array for a text field), a duplicate key, a NUL escape,
# a duplicate identifier.
J='"件数甲": 1, "得分率": "80%", "扣分额": 2, "增幅": "10%", "月报": [1,1,1,1,1,1,1,1,1,1,1,1], "等级": "良"'
{ echo "{\"姓名\": \"甲\", $J, \"轮次\": [{\"完成\": true, \"成绩\": 5}]}"
  echo "{\"姓名\": \"乙\", \"件数甲\": 1, \"得分率\": \"80%\", \"增幅\": \"10%\", \"月报\": [1,1,1,1,1,1,1,1,1,1,1,1], \"等级\": \"良\"}"
  echo "{\"姓名\": \"丙\", $J, \"轮次\": {\"完成\": true, \"成绩\": 5}}"
  echo "{\"姓名\": \"丁\", \"件数甲\": 1, \"得分率\": \"80%\", \"扣分额\": 2, \"增幅\": \"10%\", \"月报\": {}, \"等级\": \"良\"}"
  echo "{\"姓名\": [\"戊\"], $J}"
  echo "{\"姓名\": \"己\", $J, \"扣分额\": 3}"
  echo "{\"姓名\": \"N\\u0000UL\", $J}"
  echo "{\"姓名\": \"甲\", $J}"
} > "$WORK/shapes.jsonl"
catalogue "JSON Lines shapes" $C 1 "shapes.jsonl:2: 错误: 缺少必填字段“扣分额”（对象中没有这个键）" "$WORK/shapes.jsonl" 8 1 7
said() { # label patterns...: each pattern is in the last catalogue run's messages
  local label=$1 want; shift
  for want in "$@"; do
    grep -q -- "$want" "$WORK/cat.err" && ok || bad "$label: no \"$want\" in: $(cat "$WORK/cat.err")"
  done
}
said "JSON Lines" "shapes.jsonl:3: 错误: 列“轮次.完成”不是字段的有效写法：列表“轮次”" \
  "shapes.jsonl:4: 错误: 列“月报{}”不是字段的有效写法：月度字段“月报”" \
  "shapes.jsonl:5: 错误: 列“姓名\[1\]”不是字段的有效写法：字段“姓名”是单个值" \
  "shapes.jsonl:6: 错误: 键“扣分额”在同一对象中出现了两次" \
  "shapes.jsonl:7: 错误: 列“姓名”的第 2 个字节（0x00）" \
  "shapes.jsonl:8: 错误: 标识“甲”（列“姓名”）与 .*shapes.jsonl:1 重复"

# Arrays where they do not belong, and a monthly array missing: one message a
# field, saying what the object has — not "no such key" for a key that is there,
# nor one line for each of 12 months. 甲: 件数甲 []; 乙: 月报 of 2 values; 丙: no
# 月报 key; 丁: 月报 {}; 戊: 扣分额 [5].
K='"得分率": "80%", "增幅": "10%", "等级": "良"'
{ echo "{\"姓名\": \"甲\", \"件数甲\": [], \"扣分额\": 2, \"月报\": [1,1,1,1,1,1,1,1,1,1,1,1], $K}"
  echo "{\"姓名\": \"乙\", \"件数甲\": 1, \"扣分额\": 2, \"月报\": [1,1], $K}"
  echo "{\"姓名\": \"丙\", \"件数甲\": 1, \"扣分额\": 2, $K}"
  echo "{\"姓名\": \"丁\", \"件数甲\": 1, \"扣分额\": 2, \"月报\": {}, $K}"
  echo "{\"姓名\": \"戊\", \"件数甲\": 1, \"扣分额\": [5], \"月报\": [1,1,1,1,1,1,1,1,1,1,1,1], $K}"
} > "$WORK/arrays.jsonl"
catalogue "JSON Lines arrays" $C 1 "arrays.jsonl:1: 错误: 键“件数甲”是空数组 \[\]：字段“件数甲”是单个值" "$WORK/arrays.jsonl" 5 0 5
said "JSON Lines arrays" "arrays.jsonl:2: 错误: 键“月报”的数组有 2 个值：月度字段“月报”写作 月报\[1\]…月报\[12\]" \
  "arrays.jsonl:3: 错误: 缺少必填字段“月报”（对象中没有这个键）" \
  "arrays.jsonl:4: 错误: 列“月报{}”不是字段的有效写法" \
  "arrays.jsonl:5: 错误: 列“扣分额\[1\]”不是字段的有效写法"
for n in 1 2 3 4 5; do
  [[ $(grep -c "arrays.jsonl:$n:" "$WORK/cat.err") -eq 1 ]] && ok || bad "JSON Lines arrays: line $n said more than once: $(cat "$WORK/cat.err")"
done

# XLSX, hand-built (inline strings, stored number texts, a formula with no
# stored value): 0.30000000000000004 is read as Excel shows it, 0.3 (二 = 30);
# 0.8332999999999999 as 0.8333 (二 = 83.33); 1.5 (150%) is refused.
mkxlsx() { # out.xlsx rows... (cells separated by |; n:TEXT a number, f:FORMULA a formula without a value)
  python3 - "$@" <<'PY'
import sys, zipfile
out, rows = sys.argv[1], sys.argv[2:]
def col(i):
    s = ""
    i += 1
    while i: i, r = divmod(i - 1, 26); s = chr(65 + r) + s
    return s
def cell(ref, v):
    if v.startswith("n:"): return f'<c r="{ref}"><v>{v[2:]}</v></c>'
    if v.startswith("f:"): return f'<c r="{ref}"><f>{v[2:]}</f></c>'
    if v == "": return ""
    esc = v.replace("&", "&amp;").replace("<", "&lt;")
    return f'<c r="{ref}" t="inlineStr"><is><t>{esc}</t></is></c>'
xml = "".join(f'<row r="{r+1}">' + "".join(cell(f"{col(i)}{r+1}", v) for i, v in enumerate(row.split("|"))) + "</row>"
              for r, row in enumerate(rows))
ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
rel = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
with zipfile.ZipFile(out, "w") as z:
    z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>')
    z.writestr("_rels/.rels", '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
    z.writestr("xl/workbook.xml", f'<?xml version="1.0"?><workbook {ns} {rel}><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>')
    z.writestr("xl/_rels/workbook.xml.rels", '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>')
    z.writestr("xl/worksheets/sheet1.xml", f'<?xml version="1.0"?><worksheet {ns}><sheetData>{xml}</sheetData></worksheet>')
PY
}
XH=$(echo "$H" | tr , '|') XM=$(echo "$M" | sed 's/1/n:1/g' | tr , '|')
xrow() { echo "$1|n:1|$2|n:2||n:0.1|$XM|是|n:5|良"; }
mkxlsx "$WORK/book.xlsx" "$XH" "$(xrow 甲 n:0.30000000000000004)" "$(xrow 乙 n:0.8332999999999999)" \
  "$(xrow 丙 f:B2*2)" "$(xrow 丁 n:1.5)" "$(xrow 甲 n:0.5)"
catalogue "XLSX rows" $C 1 "book.xlsx:4: 错误: 列“得分率”是公式，但文件中没有保存它的计算结果" "$WORK/book.xlsx" 5 2 3
grep -q "book.xlsx:5: 错误: 列“得分率”：“1.5”不是有效的百分比" "$WORK/cat.err" && ok || bad "XLSX 1.5: $(cat "$WORK/cat.err")"
grep -q "book.xlsx:6: 错误: 标识“甲”（列“姓名”）与 .*book.xlsx:2 重复" "$WORK/cat.err" && ok || bad "XLSX duplicate id: $(cat "$WORK/cat.err")"
"$C" "$WORK/book.xlsx" --items -o "$WORK/book.out.jsonl" 2>/dev/null || true
# 甲: 3 + 30 + 8 + 11 + 12 + 5 = 69; 乙: 3 + 83.33 + 8 + 11 + 12 + 5 = 122.33.
grep -q '"总分": *"\?69"\?[,}]' "$WORK/book.out.jsonl" && grep -q '"总分": *"\?122.33"\?[,}]' "$WORK/book.out.jsonl" && ok ||
  bad "XLSX numbers as Excel shows them: $(cat "$WORK/book.out.jsonl")"
# A value past the header's last column (a note typed beside the table) is a
# column without a header: said, once, naming the row and column, the rows
# still scored (CSV rejects such a row: there a stray comma shifts its cells).
mkxlsx "$WORK/past.xlsx" "$XH" "$(xrow 甲 n:0.8)" "$(xrow 乙 n:0.8)|备注" "$(xrow 丙 n:0.8)|n:7"
catalogue "XLSX cells past the header" $C 0 "past.xlsx:3: 警告: 第 22 列没有表头，其中的值已忽略" "$WORK/past.xlsx" 3 3 0
[[ $(grep -c "没有表头" "$WORK/cat.err") -eq 1 ]] && ok || bad "XLSX cells past the header: said more than once: $(cat "$WORK/cat.err")"
mkxlsx "$WORK/nocol.xlsx" "$(echo "$XH" | sed 's/|得分率//')" "甲|n:1|n:2||n:0.1|$XM|是|n:5|良"
catalogue "XLSX without a required column" $C 2 "nocol.xlsx: 错误: 缺少必填的列“得分率”" "$WORK/nocol.xlsx"

# (4) run parameters obey the same ranges as inputs: an amount below 0 is refused
# before any row is read (exit 2), naming the file, the parameter and the range.
X=$ROOT/rubrics/2019/xinjiang-collective.rubric
sed 's/^全区罚款总金额,10000/全区罚款总金额,-5/' "$ROOT/examples/2019/xinjiang-collective.params.csv" > "$WORK/neg.params.csv"
set +e
"$RUBRICC" score "$X" "$ROOT/examples/2019/xinjiang-collective.csv" --params "$WORK/neg.params.csv" -o "$WORK/neg.out.csv" 2> "$WORK/neg.err"
rc=$?
set -e
[[ $rc -eq 2 ]] && ok || bad "a negative amount parameter: exit $rc, expected 2"
grep -q "neg.params.csv:3: 错误: 参数“全区罚款总金额”：“-5”超出允许的范围 ≥ 0" "$WORK/neg.err" && ok ||
  bad "negative parameter message: $(cat "$WORK/neg.err")"

finish records
