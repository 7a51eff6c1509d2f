#!/usr/bin/env bash
# Outputs show what happened (issue 9, parts 2–4):
#  1. a failed 校验 is reported (校验 column, exit 1) and changes nothing else;
#  2. every quota states its tie policy (E0610), and a tie at the edge is settled
#     by that policy whatever the row order;
#  3. a vetoed node and everything under it show 0（否决：…）, a not-applicable
#     node and everything under it show 不适用 — in CSV, JSON Lines and explain;
#  4. shuffling the rows of every bundled example gives the same results;
#  5. the .xlsx results (issue 10): title rows, headers with 满分, widths, a
#     frozen header, rank order and a 汇总 sheet — the same from `score` and
#     from a generated scorer; CSV stays in input order.
# Usage: outputs_test.sh RUBRICC REPO_ROOT
set -euo pipefail
RUBRICC=$1 ROOT=$2
source "$(dirname "$0")/harness.sh"
# The JSON Lines row whose first value (the id) is $2.
row() { "$PY" -c '
import json, sys
for line in open(sys.argv[1], encoding="utf-8"):
    r = json.loads(line)
    if str(next(iter(r.values()))) == sys.argv[2]:
        print(json.dumps(r, ensure_ascii=False)); break' "$1" "$2"; }
# Field $3 of that row, as JSON.
field() { "$PY" -c '
import json, sys
for line in open(sys.argv[1], encoding="utf-8"):
    r = json.loads(line)
    if str(next(iter(r.values()))) == sys.argv[2]:
        print(json.dumps(r.get(sys.argv[3]), ensure_ascii=False)); break' "$1" "$2" "$3"; }
expect_field() {
  local got
  got=$(field "$1" "$2" "$3" 2>/dev/null) || got="(no output)"
  if [[ $got == "$4" ]]; then ok; else bad "$5: $2 [$3] expected $4, got $got"; fi
}

# ── 1. 校验 reports, never disqualifies ──
# The 2019 新疆 collective, as bundled, and the same rubric with one more check
# that 甲 fails (得票数 500 > 400). Hand computation (rubric comments): votes
# 甲500 乙300 丙300 戊200 己100 庚50 (丁 vetoed) → ranks 1, 2, 2, 4, 5, 6 and
# 满意度 = 10 × (6 − rank) ÷ 5: 甲 10, 乙 8, 丙 8, 戊 4, 己 2, 庚 0. With the check
# failing, 甲 still takes part: every 满意度 stays the same.
X=$ROOT/rubrics/2019/xinjiang-collective.rubric
XIN=$ROOT/examples/2019/xinjiang-collective.csv
XP=(--params "$ROOT/examples/2019/xinjiang-collective.params.csv")
cp "$X" "$WORK/xj-check.rubric"
printf '\n校验 "测试：得票数不超过400" 当 得票数 > 400\n' >> "$WORK/xj-check.rubric"
rc=0; "$RUBRICC" score "$X" "$XIN" "${XP[@]}" --items -o "$WORK/xj0.jsonl" 2>"$WORK/xj0.err" || rc=$?
[[ $rc == 0 ]] && ok || bad "xinjiang collective without the extra check: exit $rc: $(cat "$WORK/xj0.err")"
rc=0; "$RUBRICC" score "$WORK/xj-check.rubric" "$XIN" "${XP[@]}" --items -o "$WORK/xj1.jsonl" 2>"$WORK/xj1.err" || rc=$?
[[ $rc == 1 ]] && ok || bad "a failed 校验 must give exit status 1, got $rc"
expect_in "$WORK/xj1.err" "xinjiang-collective.csv:2: 错误: 校验不通过：测试：得票数不超过400" "the failure is reported with file and row"
JIA=甲地区生态环境局
expect_field "$WORK/xj1.jsonl" "$JIA" 状态 '"有效"' "a failed 校验 leaves the status"
expect_field "$WORK/xj1.jsonl" "$JIA" 校验 '["测试：得票数不超过400"]' "the failed check is listed in the row"
expect_field "$WORK/xj1.jsonl" 乙州生态环境局 校验 '[]' "a passing row lists no check"
expect_field "$WORK/xj1.jsonl" "$JIA" "五 执法公众满意度" 10 "甲 keeps rank 1 in votes: 10 × (6 − 1) ÷ 5"
expect_field "$WORK/xj1.jsonl" 乙州生态环境局 "五 执法公众满意度" 8 "乙: 10 × (6 − 2) ÷ 5"
# Everything but the 校验 column is identical to the run without the check.
if "$PY" - "$WORK/xj0.jsonl" "$WORK/xj1.jsonl" <<'EOF'
import json, sys
a = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
b = [json.loads(l) for l in open(sys.argv[2], encoding="utf-8")]
for r in b: r.pop("校验", None)
for r in a: r.pop("校验", None)
sys.exit(0 if a == b else 1)
EOF
then ok; else bad "a failed 校验 changed scores, ranks or awards"; fi
"$RUBRICC" score "$WORK/xj-check.rubric" "$XIN" "${XP[@]}" -o "$WORK/xj1.csv" 2>/dev/null || true
expect_in "$WORK/xj1.csv" ",校验" "the CSV has a 校验 column"
expect_in "$WORK/xj1.csv" ",测试：得票数不超过400" "the CSV lists the failed check"
"$RUBRICC" explain "$WORK/xj-check.rubric" "$XIN" "${XP[@]}" --id "$JIA" > "$WORK/xj1.explain" 2>/dev/null || true
expect_in "$WORK/xj1.explain" "状态：有效" "explain: status"
expect_in "$WORK/xj1.explain" "校验：测试：得票数不超过400" "explain lists the failed check"

# ── 1b. checks that compare rows (唯一, 不共用) are named in the later row's 校验 cell ──
# They were said on stderr and in the workbook's 汇总 only: the results row of a candidate whose 案卷 another
# candidate (or a collective) also used showed nothing. 2025 巴南 个人 has no `校验 … 当`, so before it had
# no 校验 column at all. 丙 (row 4) repeats 甲's 推荐案卷号 AJ-1; 乙's 抽查案卷号 AJ-7 is the collective
# 市级甲's (and 县级乙's 抽查案卷号). In 2025 巴南 集体, 县级乙 (row 3) also fails its own 危废 check
# (9 cases both 移送 and 重大 > its 0 移送).
BI=$ROOT/rubrics/2025/banan-individual.rubric BC=$ROOT/rubrics/2025/banan-collective.rubric
"$PY" - "$ROOT/examples/2025" "$WORK" <<'PYEOF'
import csv, sys
def edit(src, dst, changes, extra=None):
    rows = list(csv.reader(open(f"{sys.argv[1]}/{src}", encoding="utf-8-sig")))
    if extra:
        rows[0].append(extra)
        for r in rows[1:]: r.append("")
    for r, col, val in changes: rows[r][rows[0].index(col)] = val
    csv.writer(open(f"{sys.argv[2]}/{dst}", "w", encoding="utf-8", newline="")).writerows(rows)
edit("banan-individual.csv", "bi.csv", [(1, "推荐案卷号", "AJ-1"), (3, "推荐案卷号", "AJ-1"), (2, "抽查案卷号", "AJ-7")])
edit("banan-collective.csv", "bc.csv", [(1, "推荐案卷号", "AJ-7"), (2, "抽查案卷号", "AJ-7"), (2, "危废移送且重大件数", "9")],
     extra="危废移送且重大件数")
PYEOF
SHARE=不同候选个人不得共用同一份案卷 WITH_COLL=候选个人与候选集体不得共用同一份案卷
for t in 1 2; do
  "$RUBRICC" score "$BI" "$WORK/bi.csv" --with 集体="$WORK/bc.csv" --threads $t -o "$WORK/bi$t.jsonl" 2>/dev/null || true
  expect_field "$WORK/bi$t.jsonl" 丙 校验 "[\"$SHARE\"]" "唯一: named in the repeating row (threads $t)"
  expect_field "$WORK/bi$t.jsonl" 甲 校验 '[]' "唯一: not in the row that holds the value first (threads $t)"
  expect_field "$WORK/bi$t.jsonl" 乙 校验 "[\"$WITH_COLL\"]" "不共用: named in the row (threads $t)"
done
# Found only at the end of the read (the values spilled to the temporary file): the same cells.
RUBRICC_UNIQUE_BUDGET_BYTES=1 "$RUBRICC" score "$BI" "$WORK/bi.csv" --with 集体="$WORK/bc.csv" -o "$WORK/bi-spill.jsonl" 2>/dev/null || true
if cmp -s "$WORK/bi1.jsonl" "$WORK/bi-spill.jsonl"; then ok; else bad "唯一 found at the end of the read: the 校验 cells differ"; fi
"$RUBRICC" score "$BI" "$WORK/bi.csv" --with 集体="$WORK/bc.csv" -o "$WORK/bi-out.csv" 2>/dev/null || true
expect_in "$WORK/bi-out.csv" ",排名,校验" "CSV: the 校验 column"
expect_in "$WORK/bi-out.csv" ",4,$SHARE" "CSV: 丙's row names the check"
"$RUBRICC" build "$BI" -o "$WORK/bi-scorer" 2>/dev/null
"$WORK/bi-scorer" "$WORK/bi.csv" --with 集体="$WORK/bc.csv" -o "$WORK/bi-exe.csv" 2>/dev/null || true
if cmp -s "$WORK/bi-out.csv" "$WORK/bi-exe.csv"; then ok; else bad "the generated scorer's 校验 cells differ from score's"; fi
# A row's own failed check first, then those across rows; the workbook's results sheet shows both.
"$RUBRICC" score "$BC" "$WORK/bc.csv" --with 个人="$WORK/bi.csv" -o "$WORK/bc.jsonl" 2>/dev/null || true
expect_field "$WORK/bc.jsonl" 县级乙 校验 '["既移送公安又是重大案件的危废案件，不得多于移送件数或重大案件件数", "候选集体与候选个人不得共用同一份案卷"]' \
  "own check, then the one across rows"
expect_field "$WORK/bc.jsonl" 市级甲 校验 '["候选集体与候选个人不得共用同一份案卷"]' "不共用 from the collective's side"
"$RUBRICC" score "$BC" "$WORK/bc.csv" --with 个人="$WORK/bi.csv" -o "$WORK/bc.xlsx" 2>/dev/null || true
"$PY" - "$WORK/bc.xlsx" <<'PYEOF' && ok || bad "xlsx: 县级乙's 校验 cell"
import re, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
text = "".join(z.read(n).decode() for n in z.namelist() if n.startswith("xl/worksheets/") or n == "xl/sharedStrings.xml")
assert "既移送公安又是重大案件的危废案件，不得多于移送件数或重大案件件数、候选集体与候选个人不得共用同一份案卷" in text
PYEOF

# ── 2. quotas: a tie policy is required, and decides ties whatever the order ──
cat > "$WORK/quota.rubric" <<'EOF'
方案 名额测试 { 标题 "名额并列" 年度 2025 对象 个人 }
输入 { 姓名: 文本 (标识); 甲: 小数; 乙: 小数 }
指标 一 "甲项" 10分 { 得 甲 }
指标 二 "乙项" 10分 { 得 乙 }
奖项 "前二" 名额 2 按 总分 降序
EOF
rc=0; "$RUBRICC" check "$WORK/quota.rubric" > "$WORK/quota.check" 2>&1 || rc=$?
[[ $rc != 0 ]] && ok || bad "check must fail on a 名额 without a tie policy"
expect_in "$WORK/quota.check" "E0610" "check names E0610"
expect_in "$WORK/quota.check" "并列一并列入 / 并列时按 总分 降序（再按 …）/ 并列时均不列入 / 并列时报告待定" "check lists the choices"
# Totals: 赵 9+9 = 18 (1st); 钱 9+5 = 14, 孙 5+9 = 14, 李 7+7 = 14 tie for 2nd;
# 周 3+3 = 6. By 【乙项】 降序 the tie breaks 孙 9 > 李 7 > 钱 5 → 前二 = 赵, 孙.
printf '姓名,甲,乙\n赵,9,9\n钱,9,5\n孙,5,9\n李,7,7\n周,3,3\n' > "$WORK/q1.csv"
printf '姓名,甲,乙\n周,3,3\n李,7,7\n孙,5,9\n钱,9,5\n赵,9,9\n' > "$WORK/q2.csv"
for policy in "并列时按 【乙项】 降序" "并列时报告待定" "并列时均不列入" "并列一并列入"; do
  sed "s/名额 2 按 总分 降序/名额 2 按 总分 降序 $policy/" "$WORK/quota.rubric" > "$WORK/q.rubric"
  for input in q1 q2; do
    "$RUBRICC" score "$WORK/q.rubric" "$WORK/$input.csv" -o "$WORK/$input.out.jsonl" 2>"$WORK/$input.err" || bad "score $policy $input"
  done
  for who in 赵 钱 孙 李 周; do
    a=$(field "$WORK/q1.out.jsonl" "$who" 奖项 2>/dev/null) || a="(no output)"
    b=$(field "$WORK/q2.out.jsonl" "$who" 奖项 2>/dev/null) || b="(no output)"
    [[ $a == "$b" ]] && ok || bad "$policy: $who's award depends on the row order ($a vs $b)"
    case "$policy/$who" in
      *按*/赵 | *按*/孙 | *一并列入/*) [[ $who == 周 ]] && want='[]' || want='["前二"]' ;;
      *待定/赵 | *均不列入/赵) want='["前二"]' ;;
      *待定/钱 | *待定/孙 | *待定/李) want='["前二（并列待定）"]' ;;
      *) want='[]' ;;
    esac
    [[ $a == "$want" ]] && ok || bad "$policy: $who expected $want, got $a"
  done
done
expect_in "$WORK/q1.err" "第 2 名起有 3 个并列（跨过第 2 名）：一并列入" "the edge tie is reported"

# ── 2b. (可缺) fields: every use says what happens without the value ──
cat > "$WORK/opt.rubric" <<'EOF'
方案 可缺测试 { 标题 "可缺" 年度 2025 对象 集体 }
输入 { 单位: 文本 (标识); 得分: 小数; 上年排名: 整数 (可缺) }
指标 一 "评分" 100分 { 得 得分 }
奖项 "进步" 名额 1 按 上年排名 - 排名(总分) 降序 并列一并列入
EOF
rc=0; "$RUBRICC" check "$WORK/opt.rubric" > "$WORK/opt.check" 2>&1 || rc=$?
[[ $rc != 0 ]] && ok || bad "check must refuse an unguarded optional field"
expect_in "$WORK/opt.check" "opt.rubric:4:16: 错误[E0611]: 可缺字段“上年排名”可能没有值" "E0611 names the use"
sed -i 's/并列一并列入$/并列一并列入 若无 上年排名 不参与/' "$WORK/opt.rubric"
"$RUBRICC" check "$WORK/opt.rubric" > "$WORK/opt.check" 2>&1 && ok || bad "若无 … 不参与 guards the award: $(cat "$WORK/opt.check")"
# Totals 90, 80, 70, 60: 丙 (no 上年排名) still ranks 3rd, so 丁 is 4th, not 3rd.
# Progress: 甲 2 − 1 = 1, 乙 4 − 2 = 2, 丁 5 − 4 = 1 → 进步 = 乙 alone.
printf '单位,得分,上年排名\n甲,90,2\n乙,80,4\n丙,70,\n丁,60,5\n' > "$WORK/opt.csv"
"$RUBRICC" score "$WORK/opt.rubric" "$WORK/opt.csv" -o "$WORK/opt.jsonl" 2>/dev/null || bad "score the optional-field rubric"
expect_field "$WORK/opt.jsonl" 丙 排名 3 "a candidate without the optional value is still ranked by total"
expect_field "$WORK/opt.jsonl" 丁 排名 4 "nobody moves up"
expect_field "$WORK/opt.jsonl" 丙 状态 '"有效"' "a missing optional value is not a disqualification"
expect_field "$WORK/opt.jsonl" 乙 奖项 '["进步"]' "乙 progresses most: 4 − 2"
expect_field "$WORK/opt.jsonl" 丙 奖项 '[]' "若无 上年排名 不参与"

# ── 3. vetoed and not-applicable nodes show what happened ──
# 2025 巴南 collective, 戊 (帮扶期间廉洁纪律问题 = 是): the veto zeroes 监督帮扶 (三.2)
# and everything under it; the raw item scores (15 and 3 before this change) are not shown.
B=$ROOT/rubrics/2025/banan-collective.rubric
BIN=$ROOT/examples/2025/banan-collective.csv
veto_id=$("$PY" - "$BIN" <<'EOF'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8-sig")))
print(next(r for r in rows if r["帮扶期间廉洁纪律问题"] in ("是", "1", "√"))["单位"])
EOF
)
"$RUBRICC" score "$B" "$BIN" --items -o "$WORK/b.jsonl" 2>/dev/null || true
"$RUBRICC" score "$B" "$BIN" --items -o "$WORK/b.csv" 2>/dev/null || true
row "$WORK/b.jsonl" "$veto_id" > "$WORK/b.row"
zero='0（否决：监督帮扶期间发现存在廉洁纪律问题）'
n=$(grep -o "$zero" "$WORK/b.row" | wc -l)
[[ $n -ge 3 ]] && ok || bad "JSONL: the vetoed 监督帮扶 and its children should all show $zero ($n found): $(cat "$WORK/b.row")"
if "$PY" - "$WORK/b.row" <<'EOF'
import json, sys
r = json.loads(open(sys.argv[1], encoding="utf-8").read())
under = [k for k in r if "监督帮扶" in k and k.split(" ")[0].count(".") >= 1]
bad = [k for k in under if isinstance(r[k], (int, float)) and r[k] != 0]
sys.exit(1 if bad or not under else 0)
EOF
then ok; else bad "JSONL: a child of the vetoed node still shows a number"; fi
grep -F "$veto_id," "$WORK/b.csv" > "$WORK/b.csvrow" || true
n=$(grep -o "$zero" "$WORK/b.csvrow" | wc -l)
[[ $n -ge 3 ]] && ok || bad "CSV: the vetoed subtree should show $zero ($n found)"
"$RUBRICC" score "$B" "$BIN" --items -o "$WORK/b.xlsx" 2>/dev/null || true
if "$PY" - "$WORK/b.xlsx" "$zero" <<'EOF'
import sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
text = "".join(z.read(n).decode("utf-8") for n in z.namelist() if n.startswith("xl/") and n.endswith(".xml"))
sys.exit(0 if sys.argv[2] in text and "不适用" in text else 1)
EOF
then ok; else bad "XLSX: the vetoed and N/A cells should read $zero and 不适用"; fi
"$RUBRICC" explain "$B" "$BIN" --id "$veto_id" > "$WORK/b.explain" 2>/dev/null || true
n=$(grep -c "〔否决：监督帮扶期间发现存在廉洁纪律问题〕" "$WORK/b.explain" || true)
[[ $n -ge 3 ]] && ok || bad "explain: the vetoed subtree should be marked ($n lines)"
expect_in "$WORK/b.explain" "各指标合计" "explain still accounts for the total"

# 2024 巴南 collective, 县级乙: 执法稽查 1 and 2 are 县级 不参与; 2 has sub-items (1) (2).
C=$ROOT/rubrics/2024/banan-collective.rubric
CIN=$ROOT/examples/2024/banan-collective.csv
"$RUBRICC" score "$C" "$CIN" --items -o "$WORK/c.jsonl" 2>/dev/null || true
"$RUBRICC" score "$C" "$CIN" --items -o "$WORK/c.csv" 2>/dev/null || true
for key in "一.3.1 稽查准备情况" "一.3.2 稽查开展情况"; do
  expect_field "$WORK/c.jsonl" 县级乙 "$key" '"不适用"' "JSONL: 县级 不参与"
  expect_field "$WORK/c.jsonl" 市级甲 "$key" "$(field "$WORK/c.jsonl" 市级甲 "$key")" "JSONL: city candidates are scored"
done
for key in $("$PY" -c '
import json, sys
r = json.loads(open(sys.argv[1], encoding="utf-8").readline())
print("\n".join(k.replace(" ", "\x01") for k in r if k.startswith("一.3.2.")))' "$WORK/c.jsonl"); do
  key=${key//$'\x01'/ }
  expect_field "$WORK/c.jsonl" 县级乙 "$key" '"不适用"' "JSONL: a sub-item under a 不参与 item"
done
if [[ $(field "$WORK/c.jsonl" 市级甲 "一.3.1 稽查准备情况") != '"不适用"' ]]; then ok; else bad "市级甲 is not N/A"; fi
grep -F "县级乙," "$WORK/c.csv" > "$WORK/c.csvrow" || true
n=$(grep -o ",不适用" "$WORK/c.csvrow" | wc -l)
[[ $n -ge 4 ]] && ok || bad "CSV: 县级乙 should show 不适用 for 一.3.1, 一.3.2 and its two sub-items ($n found)"
"$RUBRICC" explain "$C" "$CIN" --id 县级乙 > "$WORK/c.explain" 2>/dev/null || true
expect_in "$WORK/c.explain" "稽查准备情况：不适用" "explain: N/A item"
expect_in "$WORK/c.explain" "对本行政区域内不少于30%的下级生态环境执法机构或派出机构开展执法稽查：不适用" "explain: its sub-item"

# 用例: 不适用 is a value of its own — expecting 0 for an N/A item is a mismatch.
sed 's/    【稽查准备情况】: 不适用 /    【稽查准备情况】: 0 /' "$C" > "$WORK/c-zero.rubric"
rc=0; "$RUBRICC" test "$WORK/c-zero.rubric" > "$WORK/c-zero.out" 2>&1 || rc=$?
[[ $rc == 1 ]] && ok || bad "rubricc test must fail when a case expects 0 for an N/A item (exit $rc)"
expect_in "$WORK/c-zero.out" "【稽查准备情况】 期望 0，实际 不适用" "the mismatch names both values"
"$RUBRICC" test "$C" > "$WORK/c-na.out" 2>&1 && ok || bad "the bundled case expecting 不适用 passes: $(tail -3 "$WORK/c-na.out")"

# ── 4. shuffled rows, same results ──
for rubric in "$ROOT"/rubrics/*/*.rubric; do
  name=$(basename "$rubric" .rubric)
  year=$(basename "$(dirname "$rubric")")
  example=$ROOT/examples/$year/$name.csv
  [[ -f $example ]] || continue
  example_args "$example"
  params=("${EXARGS[@]}")
  # The interpreter (the oracle; the engines agree, see e2e_test.sh) keeps this loop quick.
  rc0=0; "$RUBRICC" score "$rubric" "$example" --items --interp "${params[@]}" -o "$WORK/s0.jsonl" 2>/dev/null || rc0=$?
  for seed in reverse 1 2 3; do
    "$PY" - "$example" "$WORK/s.csv" "$seed" <<'EOF'
import random, sys
lines = open(sys.argv[1], encoding="utf-8-sig", newline="").read().splitlines(True)
head, rows = lines[0], [l for l in lines[1:] if l.strip()]
if sys.argv[3] == "reverse": rows.reverse()
else: random.Random(int(sys.argv[3])).shuffle(rows)
if not rows[-1].endswith("\n"): rows[-1] += "\n"
open(sys.argv[2], "w", encoding="utf-8", newline="").write(head + "".join(rows))
EOF
    rc=0; "$RUBRICC" score "$rubric" "$WORK/s.csv" --items --interp "${params[@]}" -o "$WORK/s.jsonl" 2>/dev/null || rc=$?
    [[ $rc == "$rc0" ]] && ok || bad "$year/$name shuffled ($seed): exit $rc, unshuffled $rc0"
    if "$PY" - "$WORK/s0.jsonl" "$WORK/s.jsonl" <<'EOF'
import json, sys
def rows(p):
    out = {}
    for l in open(p, encoding="utf-8"):
        r = json.loads(l)
        out[str(next(iter(r.values())))] = r
    return out
a, b = rows(sys.argv[1]), rows(sys.argv[2])
sys.exit(0 if a == b and len(a) > 1 else 1)
EOF
    then ok; else bad "$year/$name: shuffling the rows ($seed) changed scores, ranks or awards"; fi
  done
  echo "$year/$name: the same results in 4 row orders"
done

# ── 5. the results workbook ──
# 2022 三门峡 规范化: 标题, 文号, 总分 100, two awards, a 取消资格 row.
X=$ROOT/rubrics/2022/sanmenxia-standardization.rubric
XIN=$ROOT/examples/2022/sanmenxia-standardization.csv
XP=(--params "$ROOT/examples/2022/sanmenxia-standardization.params.csv")
"$RUBRICC" score "$X" "$XIN" "${XP[@]}" -o "$WORK/x.xlsx" 2>/dev/null || true
"$RUBRICC" score "$X" "$XIN" "${XP[@]}" -o "$WORK/x.csv" 2>/dev/null || true
if "$RUBRICC" build "$X" -o "$WORK/x-scorer" 2>/dev/null; then ok; else bad "build $X"; fi
"$WORK/x-scorer" "$XIN" "${XP[@]}" -o "$WORK/x-exe.xlsx" 2>/dev/null || true
if "$PY" - "$WORK/x.xlsx" "$WORK/x-exe.xlsx" "$XIN" "$WORK/x.csv" <<'EOF'
import csv, re, sys, zipfile
def sheets(path):
    z = zipfile.ZipFile(path)
    names = re.findall(r'<sheet name="([^"]+)"', z.read("xl/workbook.xml").decode())
    return names, [z.read(f"xl/worksheets/sheet{i + 1}.xml").decode() for i in range(len(names))]
def cells(xml):  # {(row, column letters): text}
    out = {}
    for ref, body in re.findall(r'<c r="([A-Z]+[0-9]+)"[^>]*?(?:/>|>(.*?)</c>)', xml):
        m = re.search(r"<t[^>]*>(.*?)</t>|<v>(.*?)</v>", body or "")
        if m:
            col, row = re.match(r"([A-Z]+)([0-9]+)", ref).groups()
            out[(int(row), col)] = m.group(1) if m.group(1) is not None else m.group(2)
    return out
problems = []
def want(cond, what):
    if not cond: problems.append(what)
names, xml = sheets(sys.argv[1])
want(names == ["评分结果", "汇总"], f"sheets {names}")
c = cells(xml[0])
want(c.get((1, "A")) == "生态环境保护综合行政执法机构规范化单位建设评分标准（2022年度）", f"A1 {c.get((1, 'A'))}")
want(c.get((2, "A")) == "文号：三环文〔2022〕106号", f"A2 {c.get((2, 'A'))}")
header = {col: t for (r, col), t in c.items() if r == 3}
want(header.get("A") == "单位名称" and header.get("C") == "总分（100分）", f"header {header}")
want(any(t.startswith("一 ") and t.endswith("分）") for t in header.values()), "an indicator header with 满分")
want('<pane xSplit="1" ySplit="3" topLeftCell="B4"' in xml[0], "frozen below the header")
widths = [float(w) for w in re.findall(r'<col min="\d+" max="\d+" width="([0-9.]+)"', xml[0])]
want(len(widths) == len(header) and all(6 <= w <= 53 for w in widths), f"widths {widths}")
rank_col = next(col for col, t in header.items() if t == "排名")
rows = sorted({r for (r, _) in c if r > 3})
ranks = [c.get((r, rank_col)) for r in rows]
ranked = [int(x) for x in ranks if x is not None]
want(len(ranked) > 1 and ranked == sorted(ranked) and ranks[:len(ranked)] == [str(x) for x in ranked], f"rank order {ranks}")
inputs = [r["单位名称"] for r in csv.DictReader(open(sys.argv[3], encoding="utf-8-sig"))]
want(sorted(c[(r, "A")] for r in rows) == sorted(inputs), "every candidate once")
status = {c[(r, "A")]: c.get((r, "B"), "") for r in rows}
s = cells(xml[1])
counts = {s[(r, "A")]: s.get((r, "B")) for (r, col) in s if col == "A"}
want(counts.get("读取") == str(len(inputs)), f"读取 {counts.get('读取')}")
want(counts.get("有效") == str(sum(v == "有效" for v in status.values())), "有效 count")
want(counts.get("取消资格") == str(sum(v.startswith("取消资格") for v in status.values())), "取消资格 count")
awards = [t for t in counts if t.startswith("奖项：")]
want(len(awards) == 2, f"award blocks {awards}")
# The generated scorer writes the same sheets.
names2, xml2 = sheets(sys.argv[2])
want(names2 == names and xml2 == xml, "the generated scorer's workbook differs from score's")
# CSV keeps input order.
out = [r["单位名称"] for r in csv.DictReader(open(sys.argv[4], encoding="utf-8-sig"))]
want(out == inputs, f"CSV order {out}")
print("\n".join(problems))
sys.exit(1 if problems else 0)
EOF
then ok; else bad "the results workbook of $X (see above)"; fi
"$RUBRICC" score "$X" "$XIN" "${XP[@]}" --sort 排名 -o "$WORK/x-rank.csv" 2>/dev/null || true
if "$PY" - "$WORK/x-rank.csv" <<'EOF'
import csv, sys
ranks = [r["排名"] for r in csv.DictReader(open(sys.argv[1], encoding="utf-8-sig"))]
ranked = [int(x) for x in ranks if x]
sys.exit(0 if len(ranked) > 1 and ranked == sorted(ranked) and ranks[:len(ranked)] == [str(x) for x in ranked] else 1)
EOF
then ok; else bad "--sort 排名: the CSV should be in rank order, 取消资格 last"; fi

# 6. An output left by an earlier run, larger than the new one, is replaced whole. With two threads a large one
# (16 MiB or more) is opened without truncation and emptied on a thread of its own while the input is read
# (OutputStage.cpp, openKeepingOldBytes): a byte of it left behind would be a wrong file.
X=$ROOT/rubrics/2019/xinjiang-collective.rubric
XIN=$ROOT/examples/2019/xinjiang-collective.csv
XP=(--params "$ROOT/examples/2019/xinjiang-collective.params.csv")
"$RUBRICC" score "$X" "$XIN" "${XP[@]}" --threads 1 -o "$WORK/replace1.csv" 2>/dev/null || true
for threads in 1 2; do
  head -c $((17 << 20)) /dev/zero | tr '\0' 'x' > "$WORK/replace.csv"
  rc=0; "$RUBRICC" score "$X" "$XIN" "${XP[@]}" --threads $threads -o "$WORK/replace.csv" 2>"$WORK/replace.err" || rc=$?
  expect_rc $rc 0 "score over a 17 MiB old output, $threads thread(s): $(cat "$WORK/replace.err")"
  cmp -s "$WORK/replace.csv" "$WORK/replace1.csv" && ok ||
    bad "an old 17 MiB output was not replaced whole with $threads thread(s): $(stat -c %s "$WORK/replace.csv") bytes"
done
# --strict blocking the output removes it, old bytes and all.
head -c $((17 << 20)) /dev/zero > "$WORK/replace.csv"
"$RUBRICC" score "$WORK/xj-check.rubric" "$XIN" "${XP[@]}" --threads 2 --strict -o "$WORK/replace.csv" 2>/dev/null || true
[[ ! -e $WORK/replace.csv ]] && ok || bad "--strict with errors should leave no output file"

finish outputs
