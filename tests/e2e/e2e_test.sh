#!/usr/bin/env bash
# End-to-end: the interpreter, the JIT and a generated executable agree, byte
# for byte, on (1) the exactness examples, (2) every bundled example file and
# (3) 10,000 random records per bundled rubric; `explain` accounts for every
# point. Usage: e2e_test.sh RUBRICC GEN_CSV REPO_ROOT
set -euo pipefail
RUBRICC=$1 GEN_CSV=$2 ROOT=$3
source "$(dirname "$0")/harness.sh"

# ── 1. exactness ──
E=$ROOT/tests/e2e/exactness.rubric
{
  printf '编号,数量,单价,甲,乙,组数,名次,值,十件,三值[1],三值[2],三值[3]'
  for i in $(seq 1 1000); do printf ',千分[%d]' "$i"; done
  printf '\n甲,15,0.2,0.1,0.2,9,2,0.25,10,2,2,3'
  for i in $(seq 1 1000); do printf ',0.001'; done
  printf '\n'
} > "$WORK/exact.csv"
"$RUBRICC" build "$E" -o "$WORK/exact_bin"
for engine in interp jit exe; do
  case $engine in
    interp) "$RUBRICC" score "$E" "$WORK/exact.csv" --interp -o "$WORK/exact.$engine.jsonl" 2>/dev/null ;;
    jit) "$RUBRICC" score "$E" "$WORK/exact.csv" -o "$WORK/exact.$engine.jsonl" 2>/dev/null ;;
    exe) "$WORK/exact_bin" "$WORK/exact.csv" -o "$WORK/exact.$engine.jsonl" 2>/dev/null ;;
  esac
  line=$(cat "$WORK/exact.$engine.jsonl")
  # 15 × 0.2 = 3; 0.1 + 0.2 = 0.3; 四舍五入(18×7/8, 1) = 15.8; 四舍五入(0.25, 1) = 0.3; Σ 1000 × 0.001 = 1;
  # 10 ÷ 3 × 3 达到 10 → 1; 1/3 + 1/3 + 1/3 = 1; 10 ÷ 3 → 3.333333; 平均(2, 2, 3) × 3 = 7;
  # 四舍五入(7/3, 2) = 2.33; 总分 31.73 + 10/3 = 35.0633… → 35.063333 (see exactness.rubric)
  for expect in '"一 乘法":3,' '"二 加法":0.3,' '"三 四舍五入一":15.8,' '"四 四舍五入二":0.3,' '"五 累加":1,' \
                '"六 除三乘三":1,' '"七 三个三分之一":1,' '"八 除不尽":3.333333,' '"九 平均乘三":7,' \
                '"十 平均四舍五入":2.33,' '"总分":35.063333,'; do
    if [[ $line == *"$expect"* ]]; then ok; else bad "$engine exactness: expected $expect in $line"; fi
  done
done

# ── 1b. 新疆2019集体 四.1 at exactly half the baseline (issue 9) ──
# Baseline ratio (100 ÷ 3000 + 1000 ÷ 30000) ÷ 2 = (1/30 + 1/30) ÷ 2 = 1/30; baseline 600 × 1/30 = 20;
# "超过基准值50%": 10 cases is exactly 50% × 20 = 10, not above → 0 points; 11 cases → 5 points.
# (With 6-decimal division: 0.033333 + 0.033333 = 0.066666 → 50% × 600 × 0.066666 ÷ 2 = 9.9999 < 10 → 5, wrong.)
X=$ROOT/rubrics/2019/xinjiang-collective.rubric
# Every declared column must be present (the records contract); the others stay blank.
"$RUBRICC" template "$X" -o "$WORK/xj.template.csv"
python3 - "$WORK/xj.template.csv" "$WORK/xj.csv" <<'PY'
import csv, sys
header = next(csv.reader(open(sys.argv[1], encoding="utf-8-sig")))
# Both in one 地州市: its 1-2 县级 candidates pass the rubric's group check (a failed 校验 would exit 1).
rows = [{"单位名称": "恰好一半", "级别": "县级", "所属地州市": "甲地区", "重点排污单位数量": "100", "工业污染源排放量": "1000", "查处案件数": "10"},
        {"单位名称": "多一件", "级别": "县级", "所属地州市": "甲地区", "重点排污单位数量": "100", "工业污染源排放量": "1000", "查处案件数": "11"}]
with open(sys.argv[2], "w", encoding="utf-8", newline="") as out:
    w = csv.writer(out)
    w.writerow(header)
    for r in rows:
        w.writerow([r.get(h, "") for h in header])
PY
printf '名称,值\n全区查处案件总数,600\n全区罚款总金额,10000\n全区重大案件总数,200\n全区重点排污单位总数,3000\n全区工业污染源排放量,30000\n' > "$WORK/xj.params.csv"
"$RUBRICC" build "$X" -o "$WORK/xj_bin"
for engine in interp jit exe; do
  case $engine in
    interp) "$RUBRICC" score "$X" "$WORK/xj.csv" --params "$WORK/xj.params.csv" --items --interp -o "$WORK/xj.$engine.jsonl" 2>/dev/null ;;
    jit) "$RUBRICC" score "$X" "$WORK/xj.csv" --params "$WORK/xj.params.csv" --items -o "$WORK/xj.$engine.jsonl" 2>/dev/null ;;
    exe) "$WORK/xj_bin" "$WORK/xj.csv" --params "$WORK/xj.params.csv" --items -o "$WORK/xj.$engine.jsonl" 2>/dev/null ;;
  esac
  half=$(sed -n 1p "$WORK/xj.$engine.jsonl") more=$(sed -n 2p "$WORK/xj.$engine.jsonl")
  if [[ $half == *'"四.1 案件数量和填报":0,'* ]]; then ok; else bad "$engine 新疆 half baseline: expected 四.1 = 0 in $half"; fi
  if [[ $more == *'"四.1 案件数量和填报":5,'* ]]; then ok; else bad "$engine 新疆 above half baseline: expected 四.1 = 5 in $more"; fi
done

# ── 2 and 3. bundled examples and random records, three engines ──
for rubric in "$ROOT"/rubrics/*/*.rubric; do
  name=$(basename "$rubric" .rubric)
  year=$(basename "$(dirname "$rubric")")
  bin="$WORK/$year-$name"
  if ! "$RUBRICC" build "$rubric" -o "$bin" 2>"$WORK/build.err"; then
    bad "build $rubric: $(cat "$WORK/build.err")"; continue
  fi
  inputs=()
  example="$ROOT/examples/$year/$name.csv"
  [[ -f $example ]] && inputs+=("$example") || bad "no bundled example $example"
  # Random names match no record of a 全体另给 import's file (importpop_test.sh covers those rejections).
  if ! needs_with "$example"; then
    "$GEN_CSV" "$rubric" 10000 20261121 "$WORK/random.csv" "$WORK/random.params.csv"
    inputs+=("$WORK/random.csv")
  fi
  for input in "${inputs[@]}"; do
    params=()
    case $input in
      "$WORK/random.csv") [[ -s $WORK/random.params.csv ]] && params=(--params "$WORK/random.params.csv") ;;
      *) example_args "$input"; params=("${EXARGS[@]}") ;;
    esac
    "$RUBRICC" score "$rubric" "$input" --items --interp "${params[@]}" -o "$WORK/out.interp.jsonl" 2>"$WORK/interp.err" || true
    "$RUBRICC" score "$rubric" "$input" --items "${params[@]}" -o "$WORK/out.jit.jsonl" 2>"$WORK/jit.err" || true
    "$bin" "$input" --items "${params[@]}" -o "$WORK/out.exe.jsonl" 2>"$WORK/exe.err" || true
    if [[ ! -s $WORK/out.interp.jsonl ]]; then bad "$rubric $input: interpreter wrote nothing: $(head -3 "$WORK/interp.err")"; continue; fi
    rows=$(wc -l < "$WORK/out.interp.jsonl")
    if cmp -s "$WORK/out.interp.jsonl" "$WORK/out.jit.jsonl"; then ok; else bad "$rubric $(basename "$input"): JIT output differs from the interpreter"; fi
    if cmp -s "$WORK/out.interp.jsonl" "$WORK/out.exe.jsonl"; then ok; else bad "$rubric $(basename "$input"): executable output differs from the interpreter"; fi
    if cmp -s "$WORK/interp.err" "$WORK/exe.err"; then ok; else bad "$rubric $(basename "$input"): executable messages differ"; fi
    echo "$year/$name $(basename "$input"): $rows rows identical in interpreter, JIT and executable"
  done
  # explain: the account ends with the indicators' sum equal to the total.
  if [[ -f $example ]] && ! needs_with "$example"; then  # explain has no --with (language.md §2.4)
    id=$(sed -n 2p "$example" | cut -d, -f1 | tr -d '"')
    params=()
    [[ -f ${example%.csv}.params.csv ]] && params=(--params "${example%.csv}.params.csv")
    if "$RUBRICC" explain "$rubric" "$example" --id "$id" "${params[@]}" > "$WORK/explain.txt" 2>/dev/null &&
       grep -Eq '^各指标合计 ([0-9.]+)，总分 \1' "$WORK/explain.txt"; then ok
    else bad "$rubric explain --id $id does not account for the total: $(tail -2 "$WORK/explain.txt")"; fi
  fi
done

# explain --id with no such candidate: exit 1, the id column named, a near id suggested
# (市级乙 is one character from 市级甲, the first row of the example), or examples of ids.
ex=$ROOT/examples/2025/banan-collective.csv
"$RUBRICC" explain "$ROOT/rubrics/2025/banan-collective.rubric" "$ex" --id 市级乙 > /dev/null 2> "$WORK/noid.err" && rc=0 || rc=$?
expect_rc "$rc" 1 "explain --id 市级乙"
expect_in "$WORK/noid.err" '找不到“单位”为“市级乙”的候选对象（或该行被拒绝）；您是否想写“市级甲”？' "explain --id 市级乙"
"$RUBRICC" explain "$ROOT/rubrics/2025/banan-collective.rubric" "$ex" --id 1 > /dev/null 2> "$WORK/noid.err" && rc=0 || rc=$?
expect_rc "$rc" 1 "explain --id 1"
expect_in "$WORK/noid.err" '；--id 写“单位”列的值，例如 “市级甲”、“县级乙”、“市级丙”' "explain --id 1"

# ── 4. the spreadsheets evaluators have: a GBK CSV and an XLSX result ──
ex=$ROOT/examples/2025/banan-individual.csv
iconv -f UTF-8 -t GB18030 < <(sed '1s/^\xEF\xBB\xBF//' "$ex") > "$WORK/gbk.csv"
"$RUBRICC" score "$ROOT/rubrics/2025/banan-individual.rubric" "$ex" --interp -o "$WORK/utf8.jsonl" 2>/dev/null
"$WORK/2025-banan-individual" "$WORK/gbk.csv" -o "$WORK/gbk.jsonl" 2>/dev/null
if cmp -s "$WORK/utf8.jsonl" "$WORK/gbk.jsonl"; then ok; else bad "a GBK copy of $ex scores differently from the UTF-8 file"; fi
# the same candidates as JSON Lines (one object per row, keys = the CSV headers, a blank
# cell as null — every required key must be there; no cell of this example holds a comma
# or a quote) and as XLSX (written by a scorer, read back)
sed '1s/^\xEF\xBB\xBF//' "$ex" | tr -d '\r' | awk -F, 'NR==1 { for (i = 1; i <= NF; i++) h[i] = $i; n = NF; next }
  { s = "{"; for (i = 1; i <= n; i++) s = s (i > 1 ? "," : "") "\"" h[i] "\":" ($i == "" ? "null" : "\"" $i "\""); print s "}" }' > "$WORK/ex.jsonl"
"$WORK/2025-banan-individual" "$WORK/ex.jsonl" -o "$WORK/fromjsonl.jsonl" 2>/dev/null
if cmp -s "$WORK/utf8.jsonl" "$WORK/fromjsonl.jsonl"; then ok; else bad "the JSON Lines copy of $ex scores differently"; fi
"$WORK/2025-banan-individual" "$ex" -o "$WORK/out.xlsx" 2>/dev/null
if command -v unzip >/dev/null && unzip -p "$WORK/out.xlsx" xl/worksheets/sheet1.xml | grep -q '<t>76.75</t>\|<v>76.75</v>'; then ok
else bad "the executable's .xlsx result lacks 乙's total 76.75"; fi
# The same input gives the same workbook byte for byte: no run time inside
# (docProps/core.xml says 1980-01-01 unless SOURCE_DATE_EPOCH is set).
sleep 1.1
"$WORK/2025-banan-individual" "$ex" -o "$WORK/out2.xlsx" 2>/dev/null
cmp -s "$WORK/out.xlsx" "$WORK/out2.xlsx" && ok || bad "two runs on the same input wrote different .xlsx files"

# ── 5. the input template as a workbook: 级别 gets a drop-down of the declared levels ──
"$RUBRICC" template "$ROOT/rubrics/2025/banan-collective.rubric" -o "$WORK/template.xlsx"
if command -v unzip >/dev/null && unzip -p "$WORK/template.xlsx" xl/worksheets/sheet1.xml | grep -q '<formula1>"市级,县级"</formula1>'; then ok
else bad "template.xlsx has no 市级/县级 drop-down for 级别"; fi

# The rubric's 用例 as a workbook (--cases -o *.xlsx) is a real workbook, not CSV
# text with an .xlsx name, and scores as its CSV twin does: the same rows, the
# same results (both read back by the scorer).
B=$ROOT/rubrics/2025/banan-individual.rubric
"$RUBRICC" template "$B" --cases -o "$WORK/cases.xlsx" 2>/dev/null
"$RUBRICC" template "$B" --cases -o "$WORK/cases.csv" 2>/dev/null
[[ $(head -c 2 "$WORK/cases.xlsx") == PK ]] && ok || bad "template --cases -o cases.xlsx did not write a workbook"
"$RUBRICC" score "$B" "$WORK/cases.xlsx" -o "$WORK/cases.x.csv" 2>/dev/null || true
"$RUBRICC" score "$B" "$WORK/cases.csv" -o "$WORK/cases.c.csv" 2>/dev/null || true
[[ -s $WORK/cases.c.csv ]] && cmp -s "$WORK/cases.x.csv" "$WORK/cases.c.csv" && ok ||
  bad "the cases workbook scores differently from the cases CSV: $(diff "$WORK/cases.x.csv" "$WORK/cases.c.csv" | head -5)"
[[ $(($(wc -l < "$WORK/cases.c.csv") - 1)) -eq $(grep -c '^用例' "$B") ]] && ok || bad "cases.csv does not hold one row per 用例 of $B"

# Every template column once: a (可缺) field (2019 新疆 进步's 2018年排名, 2022 三门峡's 智慧办案系统建成时间)
# was listed twice, and what was typed into the second copy was ignored when scored (a reviewer's find).
for R in "$ROOT"/rubrics/*/*.rubric; do
  "$RUBRICC" template "$R" -o "$WORK/each.template.csv" 2>/dev/null
  dup=$(head -1 "$WORK/each.template.csv" | sed 's/^\xEF\xBB\xBF//' | tr ',' '\n' | sort | uniq -d | head -3 | tr '\n' ' ')
  [[ -s $WORK/each.template.csv && -z $dup ]] && ok || bad "template of $(basename "$R") lists a column twice: $dup"
done

finish e2e
