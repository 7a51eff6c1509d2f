#!/usr/bin/env bash
# Issue 10: explain renders the interpreter's trace — the branch that fired,
# the values and the arithmetic, the limit that bound — as text, html and
# json; its total equals the JIT's for every bundled example row; `test`
# names the limit that actually cut a value; template notes name a list's
# sub-fields.
#   explain_test.sh RUBRICC REPO_ROOT
set -u
RUBRICC=$1
ROOT=$2
HERE=$(cd "$(dirname "$0")" && pwd)
source "$ROOT/tests/e2e/harness.sh"

expect_in() {  # FILE TEXT WHAT
  if grep -qF -- "$2" "$1"; then ok; else bad "$3: no '$2' in $(basename "$1")"; sed 's/^/    /' "$1" | head -60; fi
}
expect_not_in() {
  if grep -qF -- "$2" "$1"; then bad "$3: '$2' in $(basename "$1")"; else ok; fi
}

# ── 1. 2025 巴南 个人, candidate 乙 (examples/2025/banan-individual.csv row 乙) ──
# 非现场立案 = 5; rubric: 每件 非现场立案 得 3分，最高 6分 → 5 × 3 = 15 → 6.
# 帮扶轮次: round 1 = 25 × (40% × 90% + 50% × 80% + 10% × 50%) = 25 × (0.36 + 0.40 + 0.05) = 25 × 0.81 = 20.25;
#           round 2 = 25 × (40% × 70% + 50% × 100% + 10% × 0%) = 25 × (0.28 + 0.50 + 0) = 25 × 0.78 = 19.5;
#           最好 → 20.25.
# Total: 专业素养 3 + 2 + (0 + 6) + 0 = 11; 案卷质量 30 × 85% = 25.5; 案件查办 (10 + 5) + (5 + 0) = 20;
#        实战练兵 20.25 → 11 + 25.5 + 20 + 20.25 = 76.75.
B=$ROOT/rubrics/2025/banan-individual.rubric
BIN=$ROOT/examples/2025/banan-individual.csv
"$RUBRICC" explain "$B" "$BIN" --id 乙 > "$WORK/yi.txt" 2>"$WORK/yi.err" && ok || bad "explain 乙 failed: $(cat "$WORK/yi.err")"
expect_in "$WORK/yi.txt" "非现场立案 5 件 × 3 分 = 15 分 → 最高 6 分" "per-unit arithmetic and the rule's cap"
expect_in "$WORK/yi.txt" "帮扶轮次[1]：25 × (40% × 90% + 50% × 80% + 10% × 50%) = 20.25" "round 1 composite"
expect_in "$WORK/yi.txt" "帮扶轮次[2]：25 × (40% × 70% + 50% × 100% + 10% × 0%) = 19.5" "round 2 composite"
expect_in "$WORK/yi.txt" "最好(20.25, 19.5) = 20.25 分" "the best round chosen"
expect_in "$WORK/yi.txt" "总分：76.75" "total"
expect_in "$WORK/yi.txt" "巴南环保发〔2025〕14号" "the scheme's 文号"
# A zero-point item says why: 新装备办案 is blank (否) for 乙.
expect_in "$WORK/yi.txt" "条件不成立：新装备办案（否）" "zero-point item has a reason"
# 30分 × 案卷评查得分 = 30 × 85% = 25.5
expect_in "$WORK/yi.txt" "30 × 85% = 25.5 分" "plain formula with values"

# ── 2. a 否则 branch that fired is the one shown; deductions read as deductions ──
O=$HERE/otherwise.rubric
OIN=$HERE/otherwise.csv
"$RUBRICC" explain "$O" "$OIN" --id 乙 > "$WORK/o.txt" 2>"$WORK/o.err" && ok || bad "explain otherwise 乙: $(cat "$WORK/o.err")"
# 乙: 甲条件 否 → 否则 每件 立案数 得 2分: 3 × 2 = 6.
expect_in "$WORK/o.txt" "+6  否则 每件 立案数 得 2分" "the fallback that fired is shown"
expect_in "$WORK/o.txt" "条件不成立：甲条件（否），按“否则”计分" "why the fallback fired"
expect_in "$WORK/o.txt" "立案数 3 件 × 2 分 = 6 分" "fallback arithmetic"
expect_not_in "$WORK/o.txt" "+10" "the main branch did not fire"
# 着装: 5 × 0.3 = 1.5 → 最多扣 1 分; 办案 = 6 + 3 − 1 = 8.
expect_in "$WORK/o.txt" "扣分 着装：扣 1 分" "deduction row reads as a deduction"
expect_in "$WORK/o.txt" "合计 1.5 分，超过最多扣 1 分 → 1 分" "the deduction's own limit bound"
expect_in "$WORK/o.txt" "合计：6 + 3 − 1 = 8 分" "parent sums children with the deduction subtracted"
expect_not_in "$WORK/o.txt" "调整" "no unexplained adjustment line"
"$RUBRICC" explain "$O" "$OIN" --id 甲 > "$WORK/o2.txt" 2>/dev/null && ok || bad "explain otherwise 甲"
# 甲: 甲条件 是 → 10分, the 否则 rule is not shown.
expect_in "$WORK/o2.txt" "+10  当 甲条件 得 10分" "the main branch shown when it fired"
expect_not_in "$WORK/o2.txt" "否则 每件" "the fallback is not shown when it did not fire"
# 甲 has no 得分率: 若无 得分率 不得分.
expect_in "$WORK/o2.txt" "若无 得分率 不得分（得分率 没有记录）：不得分" "N/A policy with the triggering field"

# ── 3. the trace total equals the JIT total for every row of every bundled example ──
for example in "$ROOT"/examples/*/*.csv; do
  case $example in *.params.csv) continue ;; esac
  rel=${example#"$ROOT"/examples/}
  rubric=$ROOT/rubrics/${rel%.csv}.rubric
  params=()
  [[ -f ${example%.csv}.params.csv ]] && params=(--params "${example%.csv}.params.csv")
  # NAME.with: "名=文件" per line, the records of a 全体另给 import (file relative to the example's folder).
  if [[ -f ${example%.csv}.with ]]; then
    while IFS= read -r line; do [[ -n $line ]] && params+=(--with "${line%%=*}=$(dirname "$example")/${line#*=}"); done < "${example%.csv}.with"
  fi
  rm -rf "$WORK/all"
  "$RUBRICC" score "$rubric" "$example" "${params[@]}" -o "$WORK/jit.jsonl" 2>/dev/null
  "$RUBRICC" explain "$rubric" "$example" "${params[@]}" --all --format json -o "$WORK/all" 2>/dev/null
  if python3 - "$WORK/jit.jsonl" "$WORK/all" <<'PY'
import json, os, sys
from decimal import Decimal
rows = [json.loads(l, parse_float=Decimal) for l in open(sys.argv[1], encoding="utf-8") if l.strip()]
traces = {}
for name in os.listdir(sys.argv[2]):
    t = json.load(open(os.path.join(sys.argv[2], name), encoding="utf-8"))
    traces[t["candidate"]] = t
assert rows, "no scored rows"
assert len(traces) == len(rows), f"{len(traces)} explanations for {len(rows)} rows"
for row in rows:
    key = next(iter(row))
    cid = str(row[key])
    got, want = Decimal(traces[cid]["total"]), Decimal(str(row["总分"]))
    assert got == want, f"{cid}: trace total {got}, JIT total {want}"
print(f"{len(rows)} rows: trace total = JIT total")
PY
  then ok; else bad "$rel: trace totals differ from the JIT"; fi
done

# ── 4. html and json outputs parse ──
"$RUBRICC" explain "$B" "$BIN" --id 乙 --format json -o "$WORK/yi.json" 2>/dev/null && ok || bad "json explain"
python3 - "$WORK/yi.json" <<'PY' && ok || bad "json explain does not hold the trace"
import json, sys
j = json.load(open(sys.argv[1], encoding="utf-8"))
assert j["candidate"] == "乙" and j["total"] == "76.75" and j["status"] == "有效", j
assert j["scheme"]["docNo"] == "巴南环保发〔2025〕14号"
def find(nodes, title):
    for n in nodes:
        if n["title"] == title: return n
        c = find(n["children"], title)
        if c: return c
n = find(j["nodes"], "非现场执法监管发现线索立案")
r = n["rules"][0]
assert r["inputs"] == {"非现场立案": "5"} and r["points"] == "6" and r["limit"] == "最高 6 分", r
PY
"$RUBRICC" explain "$B" "$BIN" --all --format html -o "$WORK/html" 2>/dev/null && ok || bad "html --all"
n=$(ls "$WORK/html" | wc -l)
rows=$(($(wc -l <"$BIN") - 1))   # one page per candidate row of the example (header excluded)
[[ $n -eq $rows ]] && ok || bad "html --all wrote $n files for $rows candidates"
python3 - "$WORK"/html/*.html <<'PY' && ok || bad "html explain is not well-formed"
import sys
from html.parser import HTMLParser
VOID = {"meta", "br", "col", "img", "hr", "link", "input"}
class Check(HTMLParser):
    def __init__(self):
        super().__init__(); self.stack = []; self.text = []
    def handle_starttag(self, tag, attrs):
        if tag not in VOID: self.stack.append(tag)
    def handle_endtag(self, tag):
        assert self.stack and self.stack[-1] == tag, f"</{tag}> closes {self.stack[-1:]} at {self.getpos()}"
        self.stack.pop()
    def handle_data(self, d): self.text.append(d)
for path in sys.argv[1:]:
    c = Check(); c.feed(open(path, encoding="utf-8").read()); c.close()
    assert not c.stack, f"{path}: unclosed {c.stack}"
    text = "".join(c.text)
    for want in ["得分说明", "生态环境保护执法实战大练兵活动方案实施细则（个人指标）", "巴南环保发〔2025〕14号", "总分"]:
        assert want in text, f"{path}: no {want}"
print(len(sys.argv) - 1, "html pages well-formed")
PY
grep -qF "非现场立案 5 件 × 3 分 = 15 分 → 最高 6 分" "$WORK/html/乙.html" && ok || bad "html shows the arithmetic"

# ── 5. --lang en: every Chinese word comes from the rubric or the data ──
"$RUBRICC" --lang en explain "$B" "$BIN" --id 乙 > "$WORK/en.txt" 2>/dev/null && ok || bad "explain --lang en"
expect_in "$WORK/en.txt" "非现场立案 5 × 3 points = 15 points → at most 6 points" "English arithmetic"
python3 - "$WORK/en.txt" "$B" "$BIN" <<'PY' && ok || bad "--lang en output has Chinese text that is not a name from the rubric"
import re, sys
out = open(sys.argv[1], encoding="utf-8").read()
names = open(sys.argv[2], encoding="utf-8").read() + open(sys.argv[3], encoding="utf-8-sig").read()
runs = set(re.findall(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]+", out))
missing = [r for r in runs if r not in names]
assert not missing, missing
PY

# ── 6. `rubricc test` names the limit that cut the value ──
"$RUBRICC" test "$HERE/blame.rubric" > "$WORK/blame.txt" 2>&1
expect_in "$WORK/blame.txt" "起作用的上下限：1.1 按件计分：每件 立案数 得 1分，最高 4分（最高 4 分）" "blames the sub-item's 最高 4分"
expect_not_in "$WORK/blame.txt" "本项分值 8 分" "does not blame the parent's clamp"
expect_not_in "$WORK/blame.txt" "0 至 8" "does not blame the parent's clamp"
"$RUBRICC" test "$O" > "$WORK/otest.txt" 2>&1 && ok || bad "otherwise.rubric's own cases: $(cat "$WORK/otest.txt")"

# ── 7. template notes name a list's fields ──
"$RUBRICC" template "$B" -o "$WORK/t.csv" 2>"$WORK/notes.txt"
expect_in "$WORK/notes.txt" "帮扶轮次[1].任务完成、帮扶轮次[1].发现问题、帮扶轮次[1].典型问题" "record list sub-fields"
expect_in "$WORK/notes.txt" "任务完成：百分比" "a sub-field's type"
expect_not_in "$WORK/notes.txt" "[1].字段" "no placeholder field names"
"$RUBRICC" template "$O" -o "$WORK/t2.csv" 2>"$WORK/notes2.txt"
expect_in "$WORK/notes2.txt" "得分率[1]、得分率[2]" "a list of plain values"
expect_not_in "$WORK/notes2.txt" "得分率[1]." "a list of plain values has no sub-fields"

# ── 8. a 校验 failed across records is on the candidate's sheet ──
# 唯一 and 不共用 compare rows with each other: the run says them on stderr and in the workbook, and the
# sheet of the row they are said of lists them too (it did not: only per-record checks were there).
# 丙 repeats 甲's 推荐案卷号 AJ-1 (甲 holds it first: not said of 甲); 乙's 抽查案卷号 AJ-7 is the
# collective 市级甲's 推荐案卷号.
python3 - "$BIN" "$ROOT/examples/2025/banan-collective.csv" "$WORK" <<'PY'
import csv, sys
def edit(src, dst, changes):
    rows = list(csv.reader(open(src, encoding="utf-8-sig")))
    for r, col, val in changes: rows[r][rows[0].index(col)] = val
    csv.writer(open(dst, "w", encoding="utf-8", newline="")).writerows(rows)
edit(sys.argv[1], sys.argv[3] + "/shared.csv", [(1, "推荐案卷号", "AJ-1"), (3, "推荐案卷号", "AJ-1"), (2, "抽查案卷号", "AJ-7")])
edit(sys.argv[2], sys.argv[3] + "/shared-collective.csv", [(1, "推荐案卷号", "AJ-7")])
PY
for who in 甲 乙 丙; do
  "$RUBRICC" explain "$B" "$WORK/shared.csv" --id $who --with 集体="$WORK/shared-collective.csv" > "$WORK/across-$who.txt" 2>/dev/null
done
expect_in "$WORK/across-丙.txt" "校验：不同候选个人不得共用同一份案卷" "唯一 failed: on the repeating row's sheet"
expect_in "$WORK/across-丙.txt" "不同候选个人不得共用同一份案卷：值“AJ-1”（列“推荐案卷号”）与 $WORK/shared.csv:2（列“推荐案卷号”）重复" "唯一: the values and the row repeated"
expect_not_in "$WORK/across-甲.txt" "校验：" "唯一: not said of the row that holds the value first"
expect_in "$WORK/across-乙.txt" "候选个人与候选集体不得共用同一份案卷：值“AJ-7”（列“抽查案卷号”）与 集体 $WORK/shared-collective.csv:2（列“推荐案卷号”）相同" "不共用 failed: on the sheet"
expect_not_in "$WORK/across-乙.txt" "不同候选个人不得共用同一份案卷：" "乙's sheet has only its own failure"
# The same when the values outgrow memory and the repeats are found at the end of the read.
RUBRICC_UNIQUE_BUDGET_BYTES=1 "$RUBRICC" explain "$B" "$WORK/shared.csv" --id 丙 --with 集体="$WORK/shared-collective.csv" > "$WORK/across-spill.txt" 2>/dev/null
expect_in "$WORK/across-spill.txt" "不同候选个人不得共用同一份案卷：值“AJ-1”" "唯一 found at the end of the read: on the sheet"
"$RUBRICC" explain "$B" "$WORK/shared.csv" --id 丙 --with 集体="$WORK/shared-collective.csv" --format html -o "$WORK/across.html" 2>/dev/null
expect_in "$WORK/across.html" '<div class="checks"><b>校验不通过：</b><br>不同候选个人不得共用同一份案卷（值“AJ-1”' "html: the failed check's box"
"$RUBRICC" explain "$B" "$WORK/shared.csv" --id 乙 --with 集体="$WORK/shared-collective.csv" --format json -o "$WORK/across.json" 2>/dev/null
python3 -c '
import json, sys
checks = json.load(open(sys.argv[1], encoding="utf-8"))["failedChecks"]
assert [c["reason"] for c in checks] == ["候选个人与候选集体不得共用同一份案卷"], checks
' "$WORK/across.json" && ok || bad "json: failedChecks lists the 不共用 failure"

finish explain_test
