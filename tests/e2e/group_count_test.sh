#!/usr/bin/env bash
# Issue 11 (gapsxj): 校验 "…" 按 字段 计数(条件) 在 低 至 高 — a check across records,
# on the 2019 新疆 collective scheme: “每个地州市推荐1-2个县级生态环境部门”.
# The bundled example has 1, 1, 1 and 2 县级 candidates in its four 地州市 (甲地区:
# 丙县; 乙州: 己县; 戊市: 庚县; 丁地区: 癸县 twice). Moving 丙县 to 丁地区 leaves 甲地区
# with 0 and gives 丁地区 3: both reported, named by the group's first row; 1 or 2 are not.
# Scores, ranks and awards stay as they were; the exit status is 1 (--strict: no output).
RUBRICC=$1
ROOT=$2
source "$(dirname "$0")/harness.sh"

XJ=$ROOT/rubrics/2019/xinjiang-collective.rubric
EX=$ROOT/examples/2019/xinjiang-collective.csv
P=(--params "$ROOT/examples/2019/xinjiang-collective.params.csv")
MSG="每个地州市推荐1-2个县级生态环境部门"

"$RUBRICC" score "$XJ" "$EX" "${P[@]}" -o "$WORK/base.csv" 2>"$WORK/base.err"
if ! grep -q "$MSG" "$WORK/base.err"; then ok; else bad "the example (1 or 2 per 地州市) was reported: $(cat "$WORK/base.err")"; fi

# 丙县 (row 4) moves from 甲地区 to 丁地区.
sed '4s/,甲地区\r$/,丁地区\r/' "$EX" > "$WORK/moved.csv"
if [[ $(grep -c ',丁地区'$'\r''$' "$WORK/moved.csv") -eq 4 ]]; then ok; else bad "the edit of row 4 did not apply"; fi
"$RUBRICC" score "$XJ" "$WORK/moved.csv" "${P[@]}" -o "$WORK/moved.out.csv" 2>"$WORK/moved.err"
rc=$?
if [[ $rc -eq 1 ]]; then ok; else bad "exit status $rc, want 1 (a failed 校验)"; fi
got=$(grep "$MSG" "$WORK/moved.err")
# 甲地区: first seen on row 2 (甲地区生态环境局), no 县级 left → 0; 丁地区: first seen on row 4 (丙县 now),
# 县级 丙县 + 癸县 + 癸县（读法） = 3. 乙州 (己县) and 戊市 (庚县) have 1 each: not reported.
want="$WORK/moved.csv:2: 错误: 校验不通过：$MSG：所属地州市“甲地区”有 0 个（应为 1 至 2 个）
$WORK/moved.csv:4: 错误: 校验不通过：$MSG：所属地州市“丁地区”有 3 个（应为 1 至 2 个）"
if [[ $got == "$want" ]]; then ok; else bad "messages: want
$want
got
$got"; fi
if cmp -s "$WORK/base.csv" "$WORK/moved.out.csv"; then ok; else bad "a group count changed the scores"; fi

"$RUBRICC" score "$XJ" "$WORK/moved.csv" "${P[@]}" --lang en -o "$WORK/en.csv" 2>"$WORK/en.err"
if grep -q "moved.csv:2: error: validation failed: $MSG: 所属地州市 \"甲地区\" has 0 (expected 1 to 2)" "$WORK/en.err"; then ok
else bad "English message: $(cat "$WORK/en.err")"; fi

"$RUBRICC" score "$XJ" "$WORK/moved.csv" "${P[@]}" --strict -o "$WORK/strict.csv" 2>/dev/null
if [[ $? -eq 1 && ! -e $WORK/strict.csv ]]; then ok; else bad "--strict wrote the output despite a failed group count"; fi

# A 县级 candidate with no 所属地州市 belongs to no group: reported with its row.
sed '6s/,乙州\r$/,\r/' "$EX" > "$WORK/blank.csv"
"$RUBRICC" score "$XJ" "$WORK/blank.csv" "${P[@]}" -o "$WORK/blank.out.csv" 2>"$WORK/blank.err"
got=$(grep "$MSG" "$WORK/blank.err")
# row 6 (己县) has no group; 乙州 is left with 0 县级 (first seen on row 3)
want="$WORK/blank.csv:6: 错误: 校验不通过：$MSG：列“所属地州市”为空，该记录不属于任何一组
$WORK/blank.csv:3: 错误: 校验不通过：$MSG：所属地州市“乙州”有 0 个（应为 1 至 2 个）"
if [[ $got == "$want" ]]; then ok; else bad "blank group: want
$want
got
$got"; fi

# The generated executable says the same.
"$RUBRICC" build "$XJ" -o "$WORK/xj" 2>"$WORK/build.err" || bad "build: $(cat "$WORK/build.err")"
"$WORK/xj" "$WORK/moved.csv" "${P[@]}" -o "$WORK/exe.csv" 2>"$WORK/exe.err"
if [[ $? -eq 1 ]] && diff <(grep "$MSG" "$WORK/moved.err") <(grep "$MSG" "$WORK/exe.err") >/dev/null; then ok
else bad "executable: $(cat "$WORK/exe.err")"; fi

# table and explain say the rule.
"$RUBRICC" table "$XJ" > "$WORK/table.txt" 2>&1
if grep -q "每个所属地州市中级别为县级的候选对象须有 1 至 2 个" "$WORK/table.txt"; then ok; else bad "table: $(grep -n "$MSG" "$WORK/table.txt")"; fi

finish group_count
