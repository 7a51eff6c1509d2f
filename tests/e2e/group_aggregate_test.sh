#!/usr/bin/env bash
# Issue 11 (groupagg): 2025 巴南 集体 5.1 with one 选派人员 element per person per
# round, merged per 姓名 (读法 多轮次成绩合成) before 前50%平均 — the JIT, the
# interpreter and a generated executable agree; the hand-computed values of the
# example; a blank 姓名 in a grouped list refuses the row; explain shows the groups.
RUBRICC=$1
ROOT=$2
source "$(dirname "$0")/harness.sh"

B=$ROOT/rubrics/2025/banan-collective.rubric
EX=$ROOT/examples/2025/banan-collective.csv

# The item 现场监督帮扶 of one candidate in a JSON Lines output.
item() {
  python3 - "$1" "$2" <<'PY'
import json, sys
for line in open(sys.argv[1], encoding="utf-8"):
    r = json.loads(line)
    if r.get("单位") == sys.argv[2]:
        print(next(v for k, v in r.items() if k.endswith("现场监督帮扶")))
PY
}

"$RUBRICC" score "$B" "$EX" --items -o "$WORK/jit.jsonl" 2>"$WORK/jit.err"
"$RUBRICC" score "$B" "$EX" --items --interp -o "$WORK/interp.jsonl" 2>"$WORK/interp.err"
if cmp -s "$WORK/jit.jsonl" "$WORK/interp.jsonl"; then ok; else bad "JIT and interpreter differ"; fi
if "$RUBRICC" build "$B" -o "$WORK/scorer" 2>"$WORK/build.err"; then ok; else bad "build: $(cat "$WORK/build.err")"; fi
"$WORK/scorer" "$EX" --items -o "$WORK/exe.jsonl" 2>"$WORK/exe.err"
if cmp -s "$WORK/jit.jsonl" "$WORK/exe.jsonl"; then ok; else bad "the generated executable differs from the JIT"; fi

# 市级多轮次: 甲 15×100% = 15 and (“ 甲 ” trimmed) 15×60% = 9, 乙 15×80% = 12, 丙 15×40% = 6.
# 取平均 (adopted): 甲 (15 + 9)/2 = 12, 乙 12, 丙 6; 3 persons, ⌊3/2⌋ = 1: 12.
got=$(item "$WORK/jit.jsonl" 市级多轮次)
[[ $got == 12 ]] && ok || bad "市级多轮次 现场监督帮扶 = $got, want 12"
# 县级乙: 甲 15×(40%×90% + 50%×80% + 10%×100%) = 12.9 and 15×(40%×70% + 50%×60% + 10%×100%) = 10.2 → 11.55;
# 乙 15×(40% + 30% + 0) = 10.5 and 15×(32% + 50% + 5%) = 13.05 → 11.775; 丙 15×50% = 7.5;
# 丁 15×(32% + 50% + 10%) = 13.8; 4 persons, top 2: (13.8 + 11.775)/2 = 12.7875.
got=$(item "$WORK/jit.jsonl" 县级乙)
[[ $got == 12.7875 ]] && ok || bad "县级乙 现场监督帮扶 = $got, want 12.7875"

# 取最高: 甲 max(15, 9) = 15 → 15; 县级乙: 甲 12.9, 乙 13.05, 丙 7.5, 丁 13.8 → (13.8 + 13.05)/2 = 13.425.
"$RUBRICC" score "$B" "$EX" --items --reading 多轮次成绩合成=取最高 -o "$WORK/max.jsonl" 2>/dev/null
got=$(item "$WORK/max.jsonl" 市级多轮次)
[[ $got == 15 ]] && ok || bad "取最高: 市级多轮次 = $got, want 15"
got=$(item "$WORK/max.jsonl" 县级乙)
[[ $got == 13.425 ]] && ok || bad "取最高: 县级乙 = $got, want 13.425"

# A blank 姓名 in an element with values: the row is refused with its file, row and column.
python3 - "$EX" "$WORK/blank.csv" <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], encoding="utf-8-sig")))
h = rows[0]
for r in rows:
    if r[0] == "市级多轮次":
        r[h.index("选派人员[3].姓名")] = "  "
csv.writer(open(sys.argv[2], "w", encoding="utf-8", newline="")).writerows(rows)
PY
row=$(grep -n '^市级多轮次,' "$WORK/blank.csv" | cut -d: -f1)
"$RUBRICC" score "$B" "$WORK/blank.csv" -o "$WORK/blank.out.csv" 2>"$WORK/blank.err"
want="$WORK/blank.csv:$row: 错误: 列“选派人员[3].姓名”为空：列表按“姓名”分组，每个元素都须填写姓名；该行未评分"
if grep -qF "$want" "$WORK/blank.err"; then ok; else bad "blank key: want $want, got $(cat "$WORK/blank.err")"; fi
if ! grep -q '^市级多轮次,' "$WORK/blank.out.csv"; then ok; else bad "the row with a blank key was scored"; fi
"$RUBRICC" score "$B" "$WORK/blank.csv" --lang en -o "$WORK/blank.en.csv" 2>"$WORK/blank.en.err"
if grep -qF "column \"选派人员[3].姓名\" is blank: the list is grouped by \"姓名\", so every element needs one" "$WORK/blank.en.err"; then ok
else bad "English blank-key message: $(cat "$WORK/blank.en.err")"; fi

# explain: each group by its key as written first (“ 甲 ” is trimmed to 甲), its places, values and
# merged value: 甲 (15 + 9)/2 = 12, 乙 12, 丙 6 (computed above).
"$RUBRICC" explain "$B" "$EX" --id 市级多轮次 > "$WORK/explain.txt" 2>&1
want="按 姓名: “甲”（选派人员[1,3]） 平均(15, 9) = 12；“乙”（选派人员[2]） 平均(12) = 12；“丙”（选派人员[4]） 平均(6) = 6) = 12"
if grep -qF "$want" "$WORK/explain.txt"; then ok; else bad "explain: $(grep -F 选派人员 "$WORK/explain.txt" | head -5)"; fi
"$RUBRICC" --lang en explain "$B" "$EX" --id 市级多轮次 > "$WORK/explain.en.txt" 2>&1
want="by 姓名: '甲' (选派人员[1,3]) average(15, 9) = 12; '乙' (选派人员[2]) average(12) = 12; '丙' (选派人员[4]) average(6) = 6) = 12"
if grep -qF "$want" "$WORK/explain.en.txt"; then ok; else bad "explain --lang en: $(grep -F 选派人员 "$WORK/explain.en.txt" | head -5)"; fi

finish group_aggregate
