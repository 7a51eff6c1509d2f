#!/usr/bin/env bash
# Issue 11 (gapsxj): 日期 inputs on the 2022 三门峡 规范化 scheme, item 13 (1):
# “2021年12月完成…得2分；2022年6月完成的，得1分；2022年底前完成的，得0.5分”, written
# 不晚于 2021-12-31 / 2022-06-30 / 2022-12-31. The bundled example's 市级空白 row
# (all else blank) completed 2022年6月30日. Each score below is that row's 【二.13】
# (子项(2) 未排名 0, 子项(3) 0), so 【二.13】 = 子项(1).
RUBRICC=$1
ROOT=$2
source "$(dirname "$0")/harness.sh"

X=$ROOT/rubrics/2022/sanmenxia-standardization.rubric
EX=$ROOT/examples/2022/sanmenxia-standardization.csv
P=(--params "$ROOT/examples/2022/sanmenxia-standardization.params.csv")

rc=0; "$RUBRICC" test "$X" >"$WORK/test.txt" 2>&1 || rc=$?
if [[ $rc -eq 0 ]]; then ok; else bad "rubricc test: $(tail -20 "$WORK/test.txt")"; fi

row=$(grep -n '^市级空白,' "$EX" | cut -d: -f1)
col=$(head -1 "$EX" | tr -d '\r' | tr ',' '\n' | grep -n '^智慧办案系统建成时间$' | cut -d: -f1)
# item13 DATE → 【二.13】 of 市级空白 scored with that date in its cell
item13() {
  python3 - "$EX" "$row" "$col" "$1" "$WORK/in.csv" <<'PY'
import csv, sys
src, row, col, value, out = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], sys.argv[5]
rows = list(csv.reader(open(src, encoding="utf-8-sig")))
rows[row - 1][col - 1] = value
csv.writer(open(out, "w", encoding="utf-8-sig", newline=""), lineterminator="\r\n").writerows(rows)
PY
  "$RUBRICC" score "$X" "$WORK/in.csv" "${P[@]}" --items -o "$WORK/out.jsonl" 2>"$WORK/err.txt"
  python3 - "$WORK/out.jsonl" <<'PY'
import json, sys
for line in open(sys.argv[1], encoding="utf-8"):
    r = json.loads(line)
    if r.get("单位名称") == "市级空白":
        keys = [k for k in r if k.startswith("二.13") or k.endswith("二.13") or k == "【二.13】"]
        print(r[keys[0]] if keys else "no item column: " + ",".join(r))
PY
}
check() {  # DATE WANT WHY
  got=$(item13 "$1")
  if [[ $got == "$2" ]]; then ok; else bad "$1: 【二.13】 $got, want $2 ($3): $(head -3 "$WORK/err.txt")"; fi
}
check "2021-12-31" 2 "不晚于 2021-12-31 → 2"
check "2021/12/15" 2 "any day of 2021-12 → 2"
check "2020年3月5日" 2 "earlier still → 2"
check "2022-01-01" 1 "the day after 2021-12-31 → the 2022年6月 tier, 1"
check "2022年6月30日" 1 "不晚于 2022-06-30 → 1"
check "2022.7.1" 0.5 "after 2022-06-30, 不晚于 2022-12-31 → 0.5"
check "2022-12-31" 0.5 "the last day of 2022 → 0.5"
check "2023-01-01" 0 "after 2022-12-31 → 0"
check "" 0 "blank: not completed → 0"

# A month without a day, an impossible day, other text: the row is refused with file, row, column and why.
item13 "2021年12月" >/dev/null
want="$WORK/in.csv:$row: 错误: 列“智慧办案系统建成时间”：“2021年12月”不是有效的日期（如 2021-12-31、2021/12/31、2021年12月31日）：日期须写到日"
if grep -qF "$want" "$WORK/err.txt"; then ok; else bad "month only: $(cat "$WORK/err.txt")"; fi
item13 "2022-02-30" >/dev/null
if grep -qF "“2022-02-30”不是有效的日期（如 2021-12-31、2021/12/31、2021年12月31日）：该月没有这一天；该行未评分" "$WORK/err.txt"; then ok
else bad "2022-02-30: $(cat "$WORK/err.txt")"; fi
item13 "年底" >/dev/null
if grep -qF "“年底”不是有效的日期" "$WORK/err.txt"; then ok; else bad "年底: $(cat "$WORK/err.txt")"; fi

# explain shows the input and the constants as dates.
item13 "2022年6月30日" >/dev/null
"$RUBRICC" explain "$X" "$WORK/in.csv" "${P[@]}" --id 市级空白 >"$WORK/explain.txt" 2>&1 || true
if grep -q "2022-06-30" "$WORK/explain.txt" && grep -q "2021-12-31" "$WORK/explain.txt"; then ok
else bad "explain: $(grep -n '智慧办案' "$WORK/explain.txt" | head -5)"; fi
if ! grep -q "20220630\|20211231" "$WORK/explain.txt"; then ok; else bad "explain shows a date as an integer"; fi

finish dates
