#!/usr/bin/env bash
# Readings (读法, issue 11) through the command line, on readings.rubric and
# readings.csv (hand computation in the rubric's header comment):
#  1. `check` is clean; `test` runs each 用例 under its 读法 and passes;
#  2. `score --reading` switches a reading: totals computed by hand; the JIT,
#     the interpreter and a `build` executable agree byte for byte;
#  3. `explain --reading` names the reading behind a rule's points;
#  4. a bad --reading is a usage error (exit 2) that lists the choices;
#  5. `readings` lists the declarations (text; json parsed back);
#  6. `readings --impact` lists exactly the candidates computed by hand;
#  7. `table` has a 读法 section.
# Usage: readings_test.sh RUBRICC REPO_ROOT
set -euo pipefail
RUBRICC=$1 ROOT=$2
source "$(dirname "$0")/harness.sh"
RUB=$ROOT/tests/e2e/readings.rubric
CSV=$ROOT/tests/e2e/readings.csv
# The 总分 column of a CSV result, "id=total" per row, space-separated.
totals() { csv_totals "$1" 姓名; }
expect_totals() {
  local got; got=$(totals "$1")
  if [[ $got == "$2" ]]; then ok; else bad "$3: totals $got, expected $2"; fi
}

# ── 1. check and the rubric's own 用例 ──
rc=0; "$RUBRICC" check --werror "$RUB" >"$WORK/check.txt" 2>&1 || rc=$?
expect_rc "$rc" 0 "check --werror"
rc=0; "$RUBRICC" test "$RUB" >"$WORK/test.txt" 2>&1 || rc=$?
expect_rc "$rc" 0 "test"
expect_in "$WORK/test.txt" "4 个用例，9 项期望，0 项不符" "test: every case, under its own readings"
# Under --reading the cases without 读法 switch too: 甲（采用） expects 3 and gets 2 (省级 only).
rc=0; "$RUBRICC" test "$RUB" --reading 技能比武计分=取最高 >"$WORK/test2.txt" 2>&1 || rc=$?
expect_rc "$rc" 1 "test --reading: a case written for 累加 fails"
expect_in "$WORK/test2.txt" "【技能比武】 期望 3，实际 2" "test --reading: the mismatch"
expect_in "$WORK/test2.txt" "读法：技能比武计分 = 取最高" "test --reading: the rule that fired names the reading"

# ── 2. score under each reading ──
# Adopted (累加, 取最高): 甲 2+1+0=3, 乙 1+2=3, 丙 2+1=3, 丁 0+2=2.
"$RUBRICC" score "$RUB" "$CSV" -o "$WORK/base.csv" 2>/dev/null
expect_totals "$WORK/base.csv" "甲=3 乙=3 丙=3 丁=2" "score (采用)"
# 技能比武计分=取最高: 甲 only 省级 = 2; the others have one level at most.
"$RUBRICC" score "$RUB" "$CSV" --reading 技能比武计分=取最高 -o "$WORK/max.csv" 2>/dev/null
expect_totals "$WORK/max.csv" "甲=2 乙=3 丙=3 丁=2" "score --reading 技能比武计分=取最高"
# 表扬计分=按次: 乙 1 + 2×1+1×1 = 4, 丙 2 + 1×3 = 5, 丁 0 + 2×2 = 4.
"$RUBRICC" score "$RUB" "$CSV" --reading 表扬计分=按次 -o "$WORK/each.csv" 2>/dev/null
expect_totals "$WORK/each.csv" "甲=3 乙=4 丙=5 丁=4" "score --reading 表扬计分=按次"
# Both at once: 甲 2, 乙 1+3 = 4, 丙 2+3 = 5, 丁 4.
"$RUBRICC" score "$RUB" "$CSV" --reading 表扬计分=按次 --reading 技能比武计分=取最高 -o "$WORK/both.csv" 2>/dev/null
expect_totals "$WORK/both.csv" "甲=2 乙=4 丙=5 丁=4" "score with two --reading"
"$RUBRICC" score "$RUB" "$CSV" --reading 表扬计分=按次 --interp -o "$WORK/each-interp.csv" 2>/dev/null
if cmp -s "$WORK/each.csv" "$WORK/each-interp.csv"; then ok; else bad "JIT and interpreter differ under --reading"; fi
"$RUBRICC" build "$RUB" --reading 表扬计分=按次 -o "$WORK/scorer" 2>"$WORK/build.err" || bad "build --reading: $(cat "$WORK/build.err")"
if [[ -x $WORK/scorer ]]; then
  "$WORK/scorer" "$CSV" -o "$WORK/each-exe.csv" 2>/dev/null || true
  if cmp -s "$WORK/each.csv" "$WORK/each-exe.csv"; then ok; else bad "build --reading: the executable differs from score"; fi
fi

# ── 3. explain names the reading ──
"$RUBRICC" explain "$RUB" "$CSV" --id 甲 --reading 技能比武计分=取最高 >"$WORK/explain.txt" 2>/dev/null
expect_in "$WORK/explain.txt" "指标 一 技能比武：2 / 3 分" "explain --reading: the item's points"
expect_in "$WORK/explain.txt" "读法：技能比武计分 = 取最高" "explain --reading: the reading behind the rule"
# a condition on a reading reads as the reading and its option, not as two bare constants
expect_in "$WORK/explain.txt" "条件不成立：读法 表扬计分（取最高） = 按次" "explain: a reading's condition in words"
# the printable sheet says it too, beside the rule it governs (it did not: only the text form did)
"$RUBRICC" explain "$RUB" "$CSV" --id 甲 --reading 技能比武计分=取最高 --format html -o "$WORK/explain.html" 2>/dev/null
expect_in "$WORK/explain.html" '<div class="reading">读法：技能比武计分 = 取最高</div>' "explain html: the reading behind the rule"
"$RUBRICC" explain "$RUB" "$CSV" --id 甲 --format html -o "$WORK/explain-default.html" 2>/dev/null
expect_in "$WORK/explain-default.html" '<div class="reading">读法：技能比武计分 = 累加</div>' "explain html: the adopted reading when none is given"

# ── 4. bad --reading: usage errors that list the choices ──
rc=0; "$RUBRICC" score "$RUB" "$CSV" --reading 技能比武计分=最高级 >/dev/null 2>"$WORK/bad1.txt" || rc=$?
expect_rc "$rc" 2 "unknown option"
expect_in "$WORK/bad1.txt" "错误[E0129]: --reading 技能比武计分=最高级：“最高级”不是读法“技能比武计分”的选项（可选：累加、取最高）" "unknown option message"
rc=0; "$RUBRICC" test "$RUB" --reading 技能比武=累加 >/dev/null 2>"$WORK/bad2.txt" || rc=$?
expect_rc "$rc" 2 "unknown reading (test)"
expect_in "$WORK/bad2.txt" "错误[E0128]: --reading：细则中没有名为“技能比武”的读法（本细则的读法：技能比武计分、表扬计分）" "unknown reading message"
rc=0; "$RUBRICC" explain "$RUB" "$CSV" --id 甲 --reading 技能比武计分 >/dev/null 2>"$WORK/bad3.txt" || rc=$?
expect_rc "$rc" 2 "malformed --reading"
expect_in "$WORK/bad3.txt" "错误[E0127]: --reading 的写法是 名称=选项，收到“技能比武计分”" "malformed --reading message (E0127)"
rc=0; "$RUBRICC" --lang en build "$RUB" -o "$WORK/x" --reading 表扬计分=每次 >/dev/null 2>"$WORK/bad4.txt" || rc=$?
expect_rc "$rc" 2 "unknown option (build, English)"
expect_in "$WORK/bad4.txt" "is not an option of reading '表扬计分' (options: 按次、取最高)" "English message"

# ── 5. readings: text and json ──
"$RUBRICC" readings "$RUB" >"$WORK/readings.txt"
expect_in "$WORK/readings.txt" "读法 技能比武计分（第 19 行）" "readings: name and line"
expect_in "$WORK/readings.txt" "* 累加：省级、市级分别计分，两项都有得3分（采用）" "readings: the adopted option"
expect_in "$WORK/readings.txt" "用于：第 33 行【一 技能比武】" "readings: where it is used"
"$RUBRICC" readings "$RUB" --format json >"$WORK/readings.json"
"$PY" - "$WORK/readings.json" <<'PYEOF' && ok || bad "readings --format json"
import json, sys
d = json.load(open(sys.argv[1], encoding="utf-8"))
assert [r["name"] for r in d] == ["技能比武计分", "表扬计分"], d
a, b = d
assert a["text"] == "获得省级比武先进个人的，得2分，获得市级比武先进个人的，得1分"
assert a["chosen"] == "累加" and b["chosen"] == "取最高"
assert [o["name"] for o in a["options"]] == ["累加", "取最高"]
assert a["options"][1]["meaning"] == "只按最高一级计分"
assert a["reason"] == "该项满分3分，只有累加才能得满分" and b["reason"] is None
assert a["uses"] == [{"line": 33, "item": "一 技能比武"}], a["uses"]
assert [u["line"] for u in b["uses"]] == [45, 46, 47] and all(u["item"] == "二 表扬嘉奖" for u in b["uses"])
PYEOF

# ── 6. --impact: one reading changed at a time ──
# 技能比武计分=取最高: totals 甲2 乙3 丙3 丁2 → ranks 乙丙 1, 甲丁 3; 优秀 (名额 1, ties
#   included) goes to 乙丙 only. Changes: 甲 (3→2, rank 1→3, 优秀 lost), 丁 (rank 4→3).
# 表扬计分=按次: totals 甲3 乙4 丙5 丁4 → ranks 丙1, 乙丁 2, 甲 4; 优秀 to 丙 only.
#   Changes: 甲 (rank 1→4, award lost), 乙 (3→4, 1→2, award lost), 丙 (3→5), 丁 (2→4, 4→2).
"$RUBRICC" readings "$RUB" --impact "$CSV" >"$WORK/impact.txt" 2>/dev/null
expect_in "$WORK/impact.txt" "读法 技能比武计分 改为“取最高”（现为“累加”）：2 个候选对象有变化" "impact text"
expect_in "$WORK/impact.txt" "  甲：总分 3 → 2；排名 1 → 3；奖项 优秀 → 无" "impact text: 甲"
"$RUBRICC" readings "$RUB" --impact "$CSV" --format json >"$WORK/impact.json" 2>/dev/null
"$PY" - "$WORK/impact.json" <<'PYEOF' && ok || bad "readings --impact --format json"
import json, sys
d = json.load(open(sys.argv[1], encoding="utf-8"))
got = {(x["reading"], x["option"], x["current"]): {c["id"]: (c["changed"], c["total"], c["rank"], c["award"]) for c in x["changes"]} for x in d}
assert set(got) == {("技能比武计分", "取最高", "累加"), ("表扬计分", "按次", "取最高")}, got
assert got[("技能比武计分", "取最高", "累加")] == {
    "甲": (["total", "rank", "award"], ["3", "2"], ["1", "3"], ["优秀", ""]),
    "丁": (["rank"], ["2", "2"], ["4", "3"], ["", ""]),
}, got
each = got[("表扬计分", "按次", "取最高")]
assert sorted(each) == ["丁", "丙", "乙", "甲"], each
assert each["甲"][0] == ["rank", "award"] and each["甲"][2] == ["1", "4"]
assert each["乙"] == (["total", "rank", "award"], ["3", "4"], ["1", "2"], ["优秀", ""]), each["乙"]
assert each["丙"] == (["total"], ["3", "5"], ["1", "1"], ["优秀", "优秀"]), each["丙"]
assert each["丁"] == (["total", "rank"], ["2", "4"], ["4", "2"], ["", ""]), each["丁"]
PYEOF

# ── 7. table: the 读法 section ──
"$RUBRICC" table "$RUB" >"$WORK/table.md"
expect_in "$WORK/table.md" "## 读法" "table: section"
expect_in "$WORK/table.md" "- 技能比武计分：原文“获得省级比武先进个人的，得2分，获得市级比武先进个人的，得1分”。选项：累加——省级、市级分别计分，两项都有得3分；取最高——只按最高一级计分。采用：累加（理由：该项满分3分，只有累加才能得满分）。" "table: row"
"$RUBRICC" table "$RUB" --format html >"$WORK/table.html"
expect_in "$WORK/table.html" "<h2>读法</h2>" "table html: section"

# ── 8. 计入 the parent (a language gap of issue 11) ──
# move_to_parent.rubric's 用例 hold the hand computation (× 15/10 when 1.1 does not apply).
rc=0; "$RUBRICC" test "$ROOT/tests/e2e/move_to_parent.rubric" >"$WORK/move.txt" 2>&1 || rc=$?
expect_rc "$rc" 0 "计入 parent: the rubric's cases"
expect_in "$WORK/move.txt" "4 个用例，9 项期望，0 项不符" "计入 parent: every expectation checked"
printf '单位,综合执法,试点,培训,装备,装备计划,其他\n乙,是,是,是,否,否,否\n' >"$WORK/move.csv"
"$RUBRICC" explain "$ROOT/tests/e2e/move_to_parent.rubric" "$WORK/move.csv" --id 乙 >"$WORK/move-explain.txt" 2>/dev/null
expect_in "$WORK/move-explain.txt" "指标 1 队伍建设：7.5 / 15 分" "计入 parent: explain"
expect_in "$WORK/move-explain.txt" "“机构规范化建设”不适用，其 5 分计入本项，其余 10 分按 15 分折算：5 × 15 ÷ 10 = 7.5 分" "计入 parent: explain says why (5 × 15 ÷ 10 = 7.5)"
"$RUBRICC" score "$ROOT/tests/e2e/move_to_parent.rubric" "$WORK/move.csv" -o "$WORK/move-jit.csv" 2>/dev/null
"$RUBRICC" score "$ROOT/tests/e2e/move_to_parent.rubric" "$WORK/move.csv" --interp -o "$WORK/move-interp.csv" 2>/dev/null
if cmp -s "$WORK/move-jit.csv" "$WORK/move-interp.csv"; then ok; else bad "计入 parent: JIT and interpreter differ"; fi

# 计入 written inside a 按读法 option's block and inside a 分级 block (the points
# used to stay behind: the item showed 不适用 but the parent was not scaled).
rc=0; "$RUBRICC" test "$ROOT/tests/e2e/move_in_blocks.rubric" >"$WORK/moveblocks.txt" 2>&1 || rc=$?
expect_rc "$rc" 0 "计入 in a block: the rubric's cases"
expect_in "$WORK/moveblocks.txt" "4 个用例，15 项期望，0 项不符" "计入 in a block: every expectation checked"
printf '名,级别,甲,乙,丙\n一,市级,是,否,否\n二,县级,是,否,是\n三,县级,是,是,是\n' >"$WORK/moveblocks.csv"
"$RUBRICC" score "$ROOT/tests/e2e/move_in_blocks.rubric" "$WORK/moveblocks.csv" -o "$WORK/mb-jit.csv" 2>/dev/null
"$RUBRICC" score "$ROOT/tests/e2e/move_in_blocks.rubric" "$WORK/moveblocks.csv" --interp -o "$WORK/mb-interp.csv" 2>/dev/null
if cmp -s "$WORK/mb-jit.csv" "$WORK/mb-interp.csv"; then ok; else bad "计入 in a block: JIT and interpreter differ"; fi
expect_in "$WORK/mb-jit.csv" "二,有效,20," "计入 in a block: 县级 二 scores 10 + 10 = 20"

# ── 9. group-by maximum over a list (a language gap of issue 11) ──
# group_max.rubric's 用例 hold the hand computation; the JIT must agree with the interpreter.
rc=0; "$RUBRICC" test "$ROOT/tests/e2e/group_max.rubric" >"$WORK/group.txt" 2>&1 || rc=$?
expect_rc "$rc" 0 "分组最高: the rubric's cases"
expect_in "$WORK/group.txt" "3 个用例，4 项期望，0 项不符" "分组最高: every expectation checked"
cat >"$WORK/group.jsonl" <<'JSON'
{"单位": "甲", "工作": [{"类别": "专项行动", "分值": 2}, {"类别": "专项行动", "分值": 3}, {"类别": "联合执法", "分值": 1.5}]}
{"单位": "丁", "工作": [{"类别": "培训", "分值": 0.5}, {"类别": "培训", "分值": 0.25}]}
JSON
"$RUBRICC" score "$ROOT/tests/e2e/group_max.rubric" "$WORK/group.jsonl" -o "$WORK/group-jit.csv" 2>/dev/null
"$RUBRICC" score "$ROOT/tests/e2e/group_max.rubric" "$WORK/group.jsonl" --interp -o "$WORK/group-interp.csv" 2>/dev/null
if cmp -s "$WORK/group-jit.csv" "$WORK/group-interp.csv"; then ok; else bad "分组最高: JIT and interpreter differ"; fi
# 甲 max(2, 3) + 1.5 = 4.5; 丁 max(0.5, 0.25) = 0.5
expect_in "$WORK/group-jit.csv" "甲,有效,4.5" "分组最高: 甲"
expect_in "$WORK/group-jit.csv" "丁,有效,0.5" "分组最高: 丁"

finish readings_test
