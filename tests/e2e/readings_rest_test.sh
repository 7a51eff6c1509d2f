#!/usr/bin/env bash
# Issue 11 remainder (helper readrest), on the fixtures in tests/e2e/readrest/
# (hand computation in each fixture's header comment):
#  1. --reading reaches an imported scheme's reading (别名.读法, or the bare
#     name when one import declares it); `readings` lists it with the prefix;
#     --impact tries it; wrong names/options and an ambiguous bare name are
#     usage errors (E0128, E0129, E0150); JIT, interpreter and a `build`
#     executable agree;
#  2. 级内候选数() and 级内最大(e): per-level population, vetoed excluded,
#     the three engines agree;
#  3. 校验 唯一(列表.字段, …): repeats within one record are reported (exit 1),
#     repeats across records are not; E0151 / E0152;
#  4. template --cases lists the cases that fix readings (NAME.readings.csv);
#  5. 2019 新疆 集体: the 满意度排名范围 reading is listed;
#  6. docs/source-findings.md lists every reading of every bundled rubric,
#     with its adopted option in bold and every other option, so it cannot go stale;
#  7. 有值(可缺字段) and 若 有值(x) 则 … x … 否则 …: a substitute for a missing
#     value; the three engines agree; E0165 and E0611 (else arm) refused;
#  8. 用例 set an imported scheme's inputs and fix its readings (读法 子.读法 = 选项);
#     wrong alias, reading, option and input are refused with a suggestion.
# Usage: readings_rest_test.sh RUBRICC REPO_ROOT
set -uo pipefail
RUBRICC=$1 ROOT=$2
source "$(dirname "$0")/harness.sh"
D=$ROOT/tests/e2e/readrest
# "id=total …" of a JSON Lines result, in row order.
totals() { "$PY" -c '
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
print(" ".join(str(list(r.values())[0]) + "=" + str(r["总分"]) for r in rows))' "$1"; }
expect_totals() {
  local got; got=$(totals "$1")
  if [[ $got == "$2" ]]; then ok; else bad "$3: totals '$got', expected '$2'"; fi
}
# Scores (with --items) with the interpreter, the JIT and a build executable
# built under the same --reading arguments; the three agree.
three_engines() {  # rubric input label [--reading …]
  local rubric=$1 input=$2 label=$3; shift 3
  "$RUBRICC" score "$rubric" "$input" --items --interp "$@" -o "$WORK/i.jsonl" 2>"$WORK/i.err"
  "$RUBRICC" score "$rubric" "$input" --items "$@" -o "$WORK/j.jsonl" 2>"$WORK/j.err"
  "$RUBRICC" build "$rubric" "$@" -o "$WORK/exe" 2>"$WORK/b.err" && "$WORK/exe" "$input" --items -o "$WORK/e.jsonl" 2>"$WORK/e.err"
  cmp -s "$WORK/i.jsonl" "$WORK/j.jsonl" && ok || bad "$label: JIT differs from the interpreter"
  cmp -s "$WORK/i.jsonl" "$WORK/e.jsonl" && ok || bad "$label: executable differs from the interpreter: $(cat "$WORK/b.err" "$WORK/e.err")"
}

# ── 1. readings of an imported scheme ──
M=$D/main.rubric
rc=0; "$RUBRICC" check --werror "$M" >"$WORK/c.txt" 2>&1 || rc=$?
expect_rc "$rc" 0 "check main.rubric: $(cat "$WORK/c.txt")"
"$RUBRICC" readings "$M" >"$WORK/r.txt" 2>&1
expect_in "$WORK/r.txt" "读法 子.出勤计分（sub.rubric 第 9 行）" "readings lists the import's reading with its alias"
"$RUBRICC" readings "$M" --format json >"$WORK/r.json" 2>&1
"$PY" - "$WORK/r.json" <<'PY' && ok || bad "readings --format json: $(cat "$WORK/r.json")"
import json, sys
r = json.load(open(sys.argv[1], encoding="utf-8"))
assert [(x["name"], x["scheme"], x["chosen"]) for x in r] == [("子.出勤计分", "子", "满勤")], r
PY
# 采用 满勤: 甲 5, 乙 0, 丙 0; 按天: 乙's 子.总分 12 × 0.5 = 6 → 2 分 (5 至 9.99).
three_engines "$M" "$D/main.csv" "import adopted"
expect_totals "$WORK/i.jsonl" "甲=5 乙=0 丙=0" "import, adopted reading"
three_engines "$M" "$D/main.csv" "import 子.出勤计分=按天" --reading 子.出勤计分=按天
expect_totals "$WORK/i.jsonl" "甲=5 乙=2 丙=0" "--reading 子.出勤计分=按天"
# The bare name: only 子 declares 出勤计分.
"$RUBRICC" score "$M" "$D/main.csv" --interp --reading 出勤计分=按天 -o "$WORK/bare.jsonl" 2>"$WORK/bare.err"
expect_totals "$WORK/bare.jsonl" "甲=5 乙=2 丙=0" "--reading 出勤计分=按天 (bare name)"
rc=0; "$RUBRICC" score "$M" "$D/main.csv" --reading 子.出勤=按天 -o "$WORK/x.jsonl" 2>"$WORK/x.err" || rc=$?
expect_rc "$rc" 2 "unknown imported reading"
expect_in "$WORK/x.err" "E0128" "unknown imported reading: E0128"
expect_in "$WORK/x.err" "子.出勤计分" "E0128 lists the import's readings with the alias"
rc=0; "$RUBRICC" score "$M" "$D/main.csv" --reading 子.出勤计分=每天 -o "$WORK/x.jsonl" 2>"$WORK/x.err" || rc=$?
expect_rc "$rc" 2 "unknown option of an imported reading"
expect_in "$WORK/x.err" "E0129" "unknown option of an imported reading: E0129"
rc=0; "$RUBRICC" score "$D/main2.rubric" "$D/main.csv" --reading 出勤计分=按天 -o "$WORK/x.jsonl" 2>"$WORK/x.err" || rc=$?
expect_rc "$rc" 2 "a bare name two imports declare"
expect_in "$WORK/x.err" "E0150" "a bare name two imports declare: E0150"
# main2: 子 and 子二 each 5 when 子.总分 = 10; 乙 (12 days) gets 0 under 满勤 in both.
"$RUBRICC" score "$D/main2.rubric" "$D/main.csv" --interp --reading 子二.出勤计分=按天 -o "$WORK/m2.jsonl" 2>"$WORK/m2.err"
expect_totals "$WORK/m2.jsonl" "甲=10 乙=0 丙=0" "main2 with 子二.出勤计分=按天 (乙 6 < 10 → 0)"
"$RUBRICC" readings "$M" --impact "$D/main.csv" --format json >"$WORK/imp.json" 2>"$WORK/imp.err"
"$PY" - "$WORK/imp.json" <<'PY' && ok || bad "--impact over the import's reading: $(cat "$WORK/imp.json" "$WORK/imp.err")"
import json, sys
r = json.load(open(sys.argv[1], encoding="utf-8"))
# 采用: 甲5 乙0 丙0 → 名次 1, 2, 2; 按天: 甲5 乙2 丙0 → 1, 2, 3 (乙's total, 丙's rank change).
assert [(x["reading"], x["option"], [c["id"] for c in x["changes"]]) for x in r] == [("子.出勤计分", "按天", ["乙", "丙"])], r
assert r[0]["changes"][0]["total"] == ["0", "2"] and r[0]["changes"][0]["changed"] == ["total"], r
assert r[0]["changes"][1]["rank"] == ["2", "3"] and r[0]["changes"][1]["changed"] == ["rank"], r
PY

# ── 2. 级内候选数() and 级内最大(e) ──
L=$D/levels.rubric
rc=0; "$RUBRICC" check --werror "$L" >"$WORK/c.txt" 2>&1 || rc=$?
expect_rc "$rc" 0 "check levels.rubric: $(cat "$WORK/c.txt")"
three_engines "$L" "$D/levels.csv" "levels"
"$PY" - "$WORK/i.jsonl" <<'PY' && ok || bad "级内候选数/级内最大: $(cat "$WORK/i.jsonl")"
import json, sys
rows = {r["单位名称"]: r for r in map(json.loads, open(sys.argv[1], encoding="utf-8"))}
want = {"甲": (6, 4, 10), "乙": (3, 2.4, 5.4), "戊": (0, 1.6, 1.6), "丙": (6, 4, 10), "丁": (0, 1.33, 1.33)}
for k, (a, b, t) in want.items():
    r = rows[k]
    got = (float(r["一 名次折算"]), float(r["二 得票比例"]), float(r["总分"]))
    assert got == (a, b, t), (k, got, (a, b, t))
assert rows["己"]["状态"] != "有效", rows["己"]
PY

# ── 3. 唯一 within one record ──
U=$D/unique.rubric
rc=0; "$RUBRICC" check --werror "$U" >"$WORK/c.txt" 2>&1 || rc=$?
expect_rc "$rc" 0 "check unique.rubric: $(cat "$WORK/c.txt")"
for engine in --interp ""; do
  rc=0; "$RUBRICC" score "$U" "$D/unique.csv" $engine -o "$WORK/u.jsonl" 2>"$WORK/u.err" || rc=$?
  expect_rc "$rc" 1 "a repeat within a record fails the run ($engine)"
  expect_in "$WORK/u.err" "同一案卷不得作为两类案卷重复报送：值“B2”（列“抽选案卷[1].案卷编号”）与本行的列“推选案卷[2].案卷编号”重复" "乙: B2 in both lists ($engine)"
  expect_in "$WORK/u.err" "值“C1”（列“推选案卷[2].案卷编号”）与本行的列“推选案卷[1].案卷编号”重复" "丙: C1 twice in one list ($engine)"
  n=$(grep -c '重复' "$WORK/u.err")
  [[ $n == 2 ]] && ok || bad "exactly two repeats reported (A1 of 甲 and 丁 is across records) ($engine): $(cat "$WORK/u.err")"
  [[ $(wc -l < "$WORK/u.jsonl") == 4 ]] && ok || bad "every record is still scored ($engine)"
done
rc=0; "$RUBRICC" score "$U" "$D/unique.csv" --lang en -o "$WORK/u.jsonl" 2>"$WORK/u.err" || rc=$?
expect_in "$WORK/u.err" "repeats column" "--lang en message"
rc=0; "$RUBRICC" check "$D/unique_bad.rubric" >"$WORK/ub.txt" 2>&1 || rc=$?
expect_rc "$rc" 1 "unique_bad.rubric is refused"
expect_in "$WORK/ub.txt" "E0151" "not a list of records"
expect_in "$WORK/ub.txt" "E0152" "no such element field"
expect_in "$WORK/ub.txt" "unique_bad.rubric:9:" "E0152 at its line"

# ── 4. template --cases and the cases' readings ──
"$RUBRICC" template "$ROOT/tests/e2e/readings.rubric" --cases -o "$WORK/cases.csv" 2>"$WORK/t.err"
"$PY" - "$WORK/cases.readings.csv" <<'PY' && ok || bad "cases.readings.csv: $(cat "$WORK/cases.readings.csv")"
import csv, sys
rows = list(csv.reader(open(sys.argv[1], encoding="utf-8-sig")))
assert rows == [["标识", "用例", "读法", "评分参数"],
                ["甲2", "甲（取最高）", "技能比武计分=取最高", "--reading 技能比武计分=取最高"],
                ["丁", "丁（按次）", "表扬计分=按次；技能比武计分=取最高", "--reading 表扬计分=按次 --reading 技能比武计分=取最高"]], rows
PY
expect_in "$WORK/t.err" "用例“甲（取最高）”的期望按另一读法：评分时加 --reading 技能比武计分=取最高" "template --cases says it on stderr"
"$RUBRICC" template "$M" --cases -o "$WORK/none.csv" 2>/dev/null
[[ ! -e $WORK/none.readings.csv ]] && ok || bad "no readings file when no case fixes a reading"

# ── 5. 2019 新疆 集体: 满意度排名范围 ──
X=$ROOT/rubrics/2019/xinjiang-collective.rubric
"$RUBRICC" readings "$X" --format json >"$WORK/x.json" 2>/dev/null
"$PY" - "$WORK/x.json" <<'PY' && ok || bad "新疆 集体 declares 满意度排名范围"
import json, sys
r = {x["name"]: x for x in json.load(open(sys.argv[1], encoding="utf-8"))}
assert r["满意度排名范围"]["chosen"] == "一起排名"
assert [o["name"] for o in r["满意度排名范围"]["options"]] == ["一起排名", "分级排名"]
PY

# ── 6. docs/source-findings.md lists every reading of every bundled rubric ──
# In the section of its document, a table row names the reading; its last cell
# starts the adopted option in bold (**选项…) and names every other option.
for r in "$ROOT"/rubrics/*/*.rubric; do
  "$RUBRICC" readings "$r" --format json >"$WORK/doc-$(basename "$(dirname "$r")")-$(basename "$r" .rubric).json" 2>/dev/null || bad "readings $r"
done
"$PY" - "$WORK" "$ROOT/docs/source-findings.md" <<'PY' && ok || bad "docs/source-findings.md does not list every reading (see above)"
import glob, json, os, sys
work, doc = sys.argv[1], open(sys.argv[2], encoding="utf-8").read()
titles = {"2019-xinjiang": "## 2019 新疆", "2024-rudong": "## 2024 如东", "2024-banan": "## 2024 巴南",
          "2025-banan": "## 2025 巴南", "2022-sanmenxia": "## 2022 三门峡"}
def section(title):
    start = doc.index(title)
    end = doc.find("\n## ", start + 1)
    return doc[start:end if end >= 0 else len(doc)]
errors, count = [], 0
for path in sorted(glob.glob(os.path.join(work, "doc-*.json"))):
    key = os.path.basename(path)[4:-5]                       # 2019-xinjiang-collective
    sec = section(titles["-".join(key.split("-")[:2])])
    rows = [l for l in sec.splitlines() if l.startswith("|")]
    for r in json.load(open(path, encoding="utf-8")):
        if r.get("scheme"):
            continue                                         # an import's: listed with its own scheme
        count += 1
        mine = [l.split(" | ")[-1] for l in rows if f"| {r['name']} |" in l]
        if not mine:
            errors.append(f"{key}: reading {r['name']} is not in the table")
        elif not any(f"**{r['chosen']}" in cell and all(o["name"] in cell for o in r["options"]) for cell in mine):
            errors.append(f"{key}: {r['name']}: the row does not lead with **{r['chosen']} and name every option")
for e in errors:
    print("FAIL:", e)
print(f"{count} readings checked against docs/source-findings.md")
sys.exit(1 if errors or count < 25 else 0)
PY

# ── 7. 有值(可缺字段): a substitute value instead of 不参与 (2019 新疆 突出进步单位, 读法 无上年名次) ──
H=$D/hasvalue.rubric
rc=0; "$RUBRICC" check --werror "$H" >"$WORK/c.txt" 2>&1 || rc=$?
expect_rc "$rc" 0 "check hasvalue.rubric: $(cat "$WORK/c.txt")"
three_engines "$H" "$D/hasvalue.csv" "has_value"
"$PY" - "$WORK/i.jsonl" <<'PY' && ok || bad "有值: $(cat "$WORK/i.jsonl")"
import json, sys
rows = {r["单位"]: r for r in map(json.loads, open(sys.argv[1], encoding="utf-8"))}
# 丙 has no 上年排名: 上年名次 = 全体最大 5 + 1 = 6, rank 3 → progress 3, the most (甲 1, 乙 2, 丁 1).
assert rows["丙"]["奖项"] == ["进步"], rows["丙"]
assert all(rows[k]["奖项"] == ["参评"] for k in ("甲", "乙", "丁")), rows
assert rows["丙"]["排名"] == 3 and rows["丙"]["状态"] == "有效", rows["丙"]
PY
rc=0; "$RUBRICC" check "$D/hasvalue_bad.rubric" >"$WORK/hb.txt" 2>&1 || rc=$?
expect_rc "$rc" 1 "有值 of a field that is not (可缺) is refused"
expect_in "$WORK/hb.txt" "hasvalue_bad.rubric:4:13: 错误[E0165]" "E0165 at the argument"
"$RUBRICC" check --lang en "$D/hasvalue_bad.rubric" >"$WORK/hb.txt" 2>&1
expect_in "$WORK/hb.txt" "has_value(…) takes an input field declared (可缺); '得分' is not one" "E0165 in English"
rc=0; "$RUBRICC" check "$D/hasvalue_else.rubric" >"$WORK/he.txt" 2>&1 || rc=$?
expect_rc "$rc" 1 "the else arm of 若 有值(x) may not read x"
expect_in "$WORK/he.txt" "hasvalue_else.rubric:5:" "E0611 at the else arm's line"
expect_in "$WORK/he.txt" "E0611" "the else arm is unguarded: E0611"

# ── 8. 用例 that set an imported scheme's inputs and fix its readings ──
MC=$D/main_cases.rubric
rc=0; "$RUBRICC" test "$MC" >"$WORK/mc.txt" 2>&1 || rc=$?
expect_rc "$rc" 0 "main_cases.rubric: $(cat "$WORK/mc.txt")"
expect_in "$WORK/mc.txt" "3 个用例，3 项期望，0 项不符" "the three cases (采用, 子.出勤计分 = 按天, 子.总分) pass"
# Variants are written beside a copy of sub.rubric in $WORK (the import path is relative).
cp "$D/sub.rubric" "$WORK/sub.rubric"
# The same case without its reading is checked under 满勤 and fails: the reading really switches.
sed 's/ 读法 子.出勤计分 = 按天 {/ {/' "$MC" >"$WORK/mc_tmp.rubric"
rc=0; "$RUBRICC" test "$WORK/mc_tmp.rubric" >"$WORK/mc2.txt" 2>&1 || rc=$?
expect_rc "$rc" 1 "without 读法 子.出勤计分 = 按天 the case of 乙2 fails"
expect_in "$WORK/mc2.txt" "总分 期望 2，实际 0" "under 满勤 乙2 scores 0"
# A wrong alias, reading or option, and a misspelt imported input, each with a suggestion.
sed 's/读法 子.出勤计分 = 按天/读法 字.出勤计分 = 按天/' "$MC" >"$WORK/mc_tmp.rubric"
rc=0; "$RUBRICC" check "$WORK/mc_tmp.rubric" >"$WORK/mc3.txt" 2>&1 || rc=$?
expect_rc "$rc" 1 "a wrong alias is refused"
expect_in "$WORK/mc3.txt" "错误[E0120]: 未定义的读法“字.出勤计分”" "wrong alias: E0120"
expect_in "$WORK/mc3.txt" "您是否想写“子.出勤计分”" "wrong alias: did you mean"
sed 's/读法 子.出勤计分 = 按天/读法 出勤计分 = 按天/' "$MC" >"$WORK/mc_tmp.rubric"
rc=0; "$RUBRICC" check "$WORK/mc_tmp.rubric" >"$WORK/mc4.txt" 2>&1 || rc=$?
expect_rc "$rc" 1 "an imported reading without its alias is refused in a case"
expect_in "$WORK/mc4.txt" "您是否想写“子.出勤计分”" "bare name: did you mean the alias form"
sed 's/读法 子.出勤计分 = 按天/读法 子.出勤计分 = 按日/' "$MC" >"$WORK/mc_tmp.rubric"
rc=0; "$RUBRICC" check "$WORK/mc_tmp.rubric" >"$WORK/mc5.txt" 2>&1 || rc=$?
expect_rc "$rc" 1 "a wrong option of an imported reading is refused"
expect_in "$WORK/mc5.txt" "错误[E0125]: “按日”不是读法“子.出勤计分”的选项（可选：满勤、按天）" "wrong option: E0125"
expect_in "$WORK/mc5.txt" "您是否想写“按天”" "wrong option: did you mean"
sed 's/姓名: "乙2"; 出勤天数: 12/姓名: "乙2"; 出勤天: 12/' "$MC" >"$WORK/mc_tmp.rubric"
rc=0; "$RUBRICC" check "$WORK/mc_tmp.rubric" >"$WORK/mc6.txt" 2>&1 || rc=$?
expect_rc "$rc" 1 "a misspelt imported input is refused"
expect_in "$WORK/mc6.txt" "错误[E0101]: 未定义的名称“出勤天”" "misspelt imported input: E0101"
expect_in "$WORK/mc6.txt" "您是否想写“出勤天数”" "misspelt imported input: did you mean the import's field"

finish readings_rest
