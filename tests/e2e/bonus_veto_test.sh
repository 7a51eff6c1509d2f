#!/usr/bin/env bash
# A bonus without a limit of its own (不设上限), a bonus row at top level, and the
# 栏目 of a veto row (issue 11, gapsrest), through the command line on
# bonus_veto.rubric / bonus_veto.csv (hand computation in the rubric's header):
#  1. `check --werror` is clean; `test` passes every 用例;
#  2. `score`: totals by hand; the interpreter, the JIT and a `build` executable agree byte for byte;
#  3. `explain` shows a veto's 栏目 under 取消资格 and under a node the veto zeroed (text, json, html);
#  4. `table` shows the veto 栏目 and 不设上限 in md, csv, html and xlsx; `fmt --check` is clean;
#  5. the bundled rubrics that use them: 2024 如东 集体 (不设上限, top-level 加分) and the 2024/2025 巴南 veto 栏目.
# Usage: bonus_veto_test.sh RUBRICC REPO_ROOT
set -uo pipefail
RUBRICC=$1 ROOT=$2
source "$(dirname "$0")/harness.sh"
RUB=$ROOT/tests/e2e/bonus_veto.rubric
CSV=$ROOT/tests/e2e/bonus_veto.csv
totals() { csv_totals "$1" 单位; }

# ── 1. check and 用例 ──
rc=0; "$RUBRICC" check --werror "$RUB" >"$WORK/check.txt" 2>&1 || rc=$?
expect_rc "$rc" 0 "check --werror: $(cat "$WORK/check.txt")"
rc=0; "$RUBRICC" test "$RUB" >"$WORK/test.txt" 2>&1 || rc=$?
expect_rc "$rc" 0 "test: $(cat "$WORK/test.txt")"
expect_in "$WORK/test.txt" "4 个用例" "test: every case ran"

# ── 2. score: by hand 甲 38 (27 + 10 + 1), 乙 22, 丙 20 (disqualified), 丁 35.5 (27 + 8 + 0.5) ──
"$RUBRICC" score "$RUB" "$CSV" -o "$WORK/jit.csv" 2>"$WORK/score.err" || bad "score: $(cat "$WORK/score.err")"
got=$(totals "$WORK/jit.csv")
if [[ $got == "甲=38 乙=22 丙=20 丁=35.5" ]]; then ok; else bad "score totals: $got"; fi
"$RUBRICC" score "$RUB" "$CSV" --interp -o "$WORK/interp.csv" 2>/dev/null
if cmp -s "$WORK/jit.csv" "$WORK/interp.csv"; then ok; else bad "JIT and interpreter differ"; fi
"$RUBRICC" build "$RUB" -o "$WORK/scorer" 2>"$WORK/build.err" || bad "build: $(cat "$WORK/build.err")"
if [[ -x $WORK/scorer ]]; then
  "$WORK/scorer" "$CSV" -o "$WORK/exe.csv" 2>/dev/null || true
  if cmp -s "$WORK/jit.csv" "$WORK/exe.csv"; then ok; else bad "the built executable differs from score"; fi
fi

# ── 3. explain: the veto row's 栏目 where the veto is named ──
"$RUBRICC" explain "$RUB" "$CSV" --id 丙 >"$WORK/ex-bing.txt" 2>&1 || bad "explain 丙: $(cat "$WORK/ex-bing.txt")"
expect_in "$WORK/ex-bing.txt" "取消资格：主要负责人存在廉政纪律问题" "explain: the veto that held"
expect_in "$WORK/ex-bing.txt" "  指标说明：评价候选集体廉政纪律情况；数据来源：日常工作调度" "explain: its 栏目 under it"
"$RUBRICC" explain "$RUB" "$CSV" --id 乙 >"$WORK/ex-yi.txt" 2>&1 || bad "explain 乙: $(cat "$WORK/ex-yi.txt")"
expect_in "$WORK/ex-yi.txt" "否决：监督帮扶期间发现存在廉洁纪律问题" "explain: the node veto"
expect_in "$WORK/ex-yi.txt" "原文：监督帮扶期间发现存在廉洁纪律问题的，该项不得分；责任科室：综合科、二大队" "explain: the node veto's 栏目"
if grep -qF "指标说明：评价候选集体" "$WORK/ex-yi.txt"; then bad "explain 乙: a veto that did not hold shows its 栏目"; else ok; fi
"$RUBRICC" explain "$RUB" "$CSV" --id 丙 --format json >"$WORK/ex-bing.json" 2>/dev/null || bad "explain json"
python3 - "$WORK/ex-bing.json" <<'PY' && ok || bad "explain json: vetoes[0].meta"
import json, sys
j = json.load(open(sys.argv[1], encoding="utf-8"))
assert j["vetoes"][0]["meta"] == "指标说明：评价候选集体廉政纪律情况；数据来源：日常工作调度", j["vetoes"]
PY
"$RUBRICC" explain "$RUB" "$CSV" --id 乙 --format html >"$WORK/ex-yi.html" 2>&1 || bad "explain html"
expect_in "$WORK/ex-yi.html" "责任科室：综合科、二大队" "explain html: the node veto's 栏目"
"$RUBRICC" explain "$RUB" "$CSV" --id 丙 --format html >"$WORK/ex-bing.html" 2>&1 || bad "explain html 丙"
expect_in "$WORK/ex-bing.html" "=&gt; 取消资格；条件成立" "explain html: the veto as written, without its block's {"
"$RUBRICC" explain "$RUB" "$CSV" --id 丙 --lang en >"$WORK/ex-bing-en.txt" 2>&1 || bad "explain en"
expect_in "$WORK/ex-bing-en.txt" "  指标说明: 评价候选集体廉政纪律情况; 数据来源: 日常工作调度" "explain --lang en: the 栏目"

# ── 4. table in every format; fmt ──
VETO_MD="主要负责人存在廉政纪律问题的，取消评审资格〔判定：廉政问题〕（指标说明：评价候选集体廉政纪律情况；数据来源：日常工作调度）"
NODE_MD="（原文：监督帮扶期间发现存在廉洁纪律问题的，该项不得分；责任科室：综合科、二大队）"
for fmt in md csv html; do
  "$RUBRICC" table "$RUB" --format $fmt >"$WORK/table.$fmt" 2>"$WORK/table.err" || bad "table $fmt: $(cat "$WORK/table.err")"
  expect_in "$WORK/table.$fmt" "$VETO_MD" "table $fmt: the top-level veto's 栏目"
  expect_in "$WORK/table.$fmt" "$NODE_MD" "table $fmt: the node veto's 栏目"
done
expect_in "$WORK/table.md" "| 2. | 加分项 | 加分项 | 不设上限 |" "table md: 不设上限 in the points column"
expect_in "$WORK/table.csv" "2.,加分项,加分项,不设上限," "table csv: 不设上限 in the points column"
expect_in "$WORK/table.md" "| 三、 | 加分项 | 练兵成效 | 1 |" "table md: the top-level bonus row"
expect_in "$WORK/table.md" "| 合计 | 37 |" "table md: 合计 = 27 + 10, the top-level bonus row is not full marks"
"$RUBRICC" table "$RUB" -o "$WORK/table.xlsx" 2>"$WORK/table.err" || bad "table xlsx: $(cat "$WORK/table.err")"
unzip -p "$WORK/table.xlsx" xl/sharedStrings.xml >"$WORK/xlsx.xml" 2>/dev/null || unzip -p "$WORK/table.xlsx" 'xl/worksheets/sheet1.xml' >"$WORK/xlsx.xml"
expect_in "$WORK/xlsx.xml" "指标说明：评价候选集体廉政纪律情况；数据来源：日常工作调度" "table xlsx: the veto's 栏目"
expect_in "$WORK/xlsx.xml" "不设上限" "table xlsx: 不设上限"
"$RUBRICC" table "$RUB" --lang en >"$WORK/table-en.md" 2>/dev/null
expect_in "$WORK/table-en.md" "(指标说明: 评价候选集体廉政纪律情况; 数据来源: 日常工作调度)" "table --lang en: the veto's 栏目"
expect_in "$WORK/table-en.md" "no own limit" "table --lang en: 不设上限"
rc=0; "$RUBRICC" fmt --check "$RUB" >"$WORK/fmt.txt" 2>&1 || rc=$?
expect_rc "$rc" 0 "fmt --check: $(cat "$WORK/fmt.txt")"

# ── 5. the bundled rubrics ──
RC=$ROOT/rubrics/2024/rudong-collective.rubric
"$RUBRICC" table "$RC" >"$WORK/rc.md" 2>/dev/null
expect_in "$WORK/rc.md" "| 3. | 加分项 | 加分项 | 不设上限 |" "如东 集体 table: 加分项 不设上限"
expect_in "$WORK/rc.md" "| 四、 | 加分项 | 练兵成效 | 1 |" "如东 集体 table: 练兵成效 a top-level bonus row"
expect_in "$WORK/rc.md" "| 合计 | 95 |" "如东 集体 table: 合计 = 25 + 42 + 28 as the headers declare (练兵成效 not included)"
for r in 2024/banan-individual 2024/banan-collective 2025/banan-collective; do
  "$RUBRICC" table "$ROOT/rubrics/$r.rubric" >"$WORK/t.md" 2>/dev/null
  case $r in
    2024/banan-individual) want="（指标说明：评价候选个人廉政纪律和依法行政情况；数据来源：1.该指标为否决项；2.日常工作调度；3.省级生态环境部门提前考察推荐候选个人依法行政情况）" ;;
    2024/banan-collective) want="（指标说明：评价候选集体廉政纪律情况；数据来源：日常工作调度；指导处室：政治处（纪检室）、法制处；责任科室：各科室、大队；完成时限：2024年10月）" ;;
    2025/banan-collective) want="指导处室：政治处、二支队；责任科室：综合科、二大队；完成时限：2025年10月）" ;;
  esac
  expect_in "$WORK/t.md" "$want" "$r table: the veto row's 栏目"
  if grep -q "语言缺口：" "$ROOT/rubrics/$r.rubric"; then bad "$r still marks a 语言缺口"; else ok; fi
done

finish bonus_veto_cli
