#!/usr/bin/env bash
# Records in, scores out, through a generated scorer:
#  (1) a 1,000,000-row CSV streams in bounded memory (peak RSS < 64 MB) and
#      every row comes out: rows scored + rows rejected = rows read;
#  (2) bad rows are rejected with file/row/column messages, listed in
#      <output>.rejected.csv, the others still scored, exit status 1.
# Usage: records_test.sh RUBRICC GEN_CSV REPO_ROOT
set -euo pipefail
RUBRICC=$1 GEN_CSV=$2 ROOT=$3
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { echo "FAIL: $*"; fail=$((fail + 1)); }
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
[[ $rss -lt 65536 ]] && ok || bad "peak RSS ${rss} KB is not bounded (≥ 64 MB)"

# (2) bad rows: a wrong type, an unknown enum value; the good rows are scored.
cat > "$WORK/mixed.csv" <<'CSV'
姓名,技能比武先进个人,非现场立案,案卷评查得分
甲,省级,1,80%
乙,国家级,1,80%
丙,市级,两件,80%
丁,无,0,50%
CSV
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
# (3) a catalogue of awkward files: each gets its message and the invariant
# rows scored + rows rejected = rows read, or a fatal error (exit 2) naming the file.
catalogue() { # name expected-exit expected-text file
  set +e
  "$WORK/scorer" "$4" -o "$WORK/cat.out.csv" > /dev/null 2> "$WORK/cat.err"
  local rc=$?
  set -e
  if [[ $rc -eq $2 ]] && grep -q -- "$3" "$WORK/cat.err"; then ok
  else bad "$1: exit $rc (expected $2), messages: $(cat "$WORK/cat.err")"; fi
}
: > "$WORK/empty.csv"
catalogue "an empty file" 0 "读取 0 行，评分 0 行，拒绝 0 行" "$WORK/empty.csv"
printf '姓名,案卷评查得分\n' > "$WORK/header.csv"
catalogue "a header only" 0 "读取 0 行，评分 0 行，拒绝 0 行" "$WORK/header.csv"
printf '姓名,案卷评查得分,案卷评查得分\n甲,80%%,90%%\n' > "$WORK/dup.csv"
catalogue "a duplicate column" 0 "列“案卷评查得分”出现了不止一次" "$WORK/dup.csv"
printf '姓名,案卷评查得分\n甲,80%%,多余\n乙,"未闭合\n' > "$WORK/ragged.csv"
catalogue "a long row and broken quoting" 1 "读取 2 行，评分 1 行，拒绝 1 行" "$WORK/ragged.csv"
printf '姓名,案卷评查得分\n\xff\xfe\xfd,80%%\n' > "$WORK/badutf8.csv"
catalogue "bytes that are neither UTF-8 nor GB18030" 2 "badutf8.csv" "$WORK/badutf8.csv"
: > "$WORK/zero.xlsx"
catalogue "a 0-byte XLSX" 2 "无法读取 .xlsx 工作簿" "$WORK/zero.xlsx"
"$WORK/scorer" "$ROOT/examples/2025/banan-individual.csv" -o "$WORK/full.xlsx" 2>/dev/null
head -c 700 "$WORK/full.xlsx" > "$WORK/truncated.xlsx"
catalogue "a truncated XLSX" 2 "无法读取 .xlsx 工作簿" "$WORK/truncated.xlsx"

echo "records: $pass passed, $fail failed"
[[ $fail -eq 0 ]]
