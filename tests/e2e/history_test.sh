#!/usr/bin/env bash
# History and cross-scheme constraints (issue 11), on history.rubric with the
# hand-made history.csv and history-collective.csv (the arithmetic is in the
# rubric's header comment):
#  1. `check --werror` is clean and the rubric's 用例 pass;
#  2. 年份集 cells in every accepted spelling score as computed by hand, and the
#     JIT, the interpreter and a `build` executable agree byte for byte;
#  3. bad 年份集 cells reject their row with file:row, the column and what to write;
#  4. explain shows 连续年数(…, 截至 2024) with the years read;
#  5. 不共用 with --with: each shared file number is reported with both files and
#     rows, exit 1, and no score or status changes (as 唯一's duplicates);
#     without --with a warning; a missing column / bad --with is exit 2;
#  6. the Sema errors E0140–E0145 on small rubrics;
#  7. the bundled 2025 巴南 个人 and 集体 check each other through --with.
# Usage: history_test.sh RUBRICC REPO_ROOT
set -euo pipefail
RUBRICC=$1 ROOT=$2
source "$(dirname "$0")/harness.sh"
RUB=$HERE/history.rubric
CSV=$HERE/history.csv
COLL=$HERE/history-collective.csv
# "id=total/status" per row of a CSV result, space-separated.
rows() { csv_rows "$1" 姓名 总分 状态; }

# ── 1. check and 用例 ──
expect_check_and_cases "$RUBRICC" "$RUB"

# ── 2. scores, three engines ──
# 甲 4 + 2 = 6; 乙 6 + 1 = 7 取消资格; 丙 0 + 1 = 1; 丁 2 + 4 = 6 (header comment of history.rubric).
WANT="甲=6/有效 乙=7/取消资格 丙=1/有效 丁=6/有效"
rc=0; "$RUBRICC" score "$RUB" "$CSV" -o "$WORK/jit.csv" 2>"$WORK/jit.err" || rc=$?
expect_rc "$rc" 0 "score (JIT): $(cat "$WORK/jit.err")"
expect_rows "$WORK/jit.csv" "$WANT" "score (JIT)"
expect_in "$WORK/jit.err" "未检查" "no --with: the 不共用 check is said to be not made"
"$RUBRICC" score "$RUB" "$CSV" --interp -o "$WORK/interp.csv" 2>/dev/null || true
cmp -s "$WORK/jit.csv" "$WORK/interp.csv" && ok || bad "JIT and interpreter differ"
"$RUBRICC" build "$RUB" -o "$WORK/scorer" 2>/dev/null
"$WORK/scorer" "$CSV" -o "$WORK/exe.csv" 2>/dev/null || true
cmp -s "$WORK/jit.csv" "$WORK/exe.csv" && ok || bad "JIT and the built executable differ"

# ── 3. bad cells ──
printf '姓名,推荐案卷号,抽查案卷号,获奖年份,考核年份\n戊,E-1,,2022、23,\n己,F-1,,2024,二〇二三\n庚,G-1,,1989,\n辛,H-1,,2024,2023-2024\n壬,I-1,,2024,\n' > "$WORK/bad.csv"
rc=0; "$RUBRICC" score "$RUB" "$WORK/bad.csv" -o "$WORK/bad.out.csv" 2>"$WORK/bad.err" || rc=$?
expect_rc "$rc" 1 "bad year cells"
expect_in "$WORK/bad.err" "bad.csv:2: 错误: 列“获奖年份”：“2022、23”不是有效的年份集" "a two-digit year"
expect_in "$WORK/bad.err" "bad.csv:3: 错误: 列“考核年份”：“二〇二三”" "a year in Chinese numerals"
expect_in "$WORK/bad.err" "bad.csv:4: 错误: 列“获奖年份”：“1989”" "a year before 1990"
expect_in "$WORK/bad.err" "bad.csv:5: 错误: 列“考核年份”：“2023-2024”" "a range of years"
expect_in "$WORK/bad.err" "如 2022、2023、2024" "the message says what to write"
expect_in "$WORK/bad.err" "读取 5 行，评分 1 行，拒绝 4 行" "only 壬 is scored"
expect_rows "$WORK/bad.out.csv" "壬=2/有效" "壬: 2024 alone → 1 年 → 2 分"
rc=0; "$RUBRICC" score "$RUB" "$WORK/bad.csv" --lang en -o "$WORK/bad-en.csv" 2>"$WORK/bad-en.err" || rc=$?
expect_in "$WORK/bad-en.err" "is not a valid year set" "English message"

# ── 4. explain ──
"$RUBRICC" explain "$RUB" "$CSV" --id 丁 >"$WORK/explain.txt" 2>/dev/null || true
# 丁: 获奖 2022、2024 → 1 year through 2024; 考核 2019–2023 → 5 years through 2023.
expect_in "$WORK/explain.txt" "2 × 1（获奖年份：2022、2024，截至 2024） = 2 分" "explain shows the years and the final year (default 截至)"
expect_in "$WORK/explain.txt" "1 × 5（考核年份：2019、2020、2021、2022、2023，截至 2023） = 5 分" "explain: the explicit 截至"

# ── 5. 不共用 with --with ──
rc=0; "$RUBRICC" score "$RUB" "$CSV" --with 集体="$COLL" -o "$WORK/with.csv" 2>"$WORK/with.err" || rc=$?
expect_rc "$rc" 1 "a shared file number is a validation error"
# 甲's 抽查案卷号 A-2 is 集体一's 抽查案卷号 (collective row 2); 丙's 推荐案卷号 C-1 is 集体二's
# 推荐案卷号 written " C-1 " (row 3, trimmed). 乙 and 丁 share nothing.
expect_in "$WORK/with.err" "history.csv:2: 错误: 个人与集体不得共用同一份案卷：值“A-2”（列“抽查案卷号”）与 集体 $COLL:2（列“抽查案卷号”）相同" "甲 ↔ 集体一"
expect_in "$WORK/with.err" "history.csv:4: 错误: 个人与集体不得共用同一份案卷：值“C-1”（列“推荐案卷号”）与 集体 $COLL:3（列“推荐案卷号”）相同" "丙 ↔ 集体二"
n=$(grep -c "不得共用同一份案卷：" "$WORK/with.err" || true)
[[ $n -eq 2 ]] && ok || bad "expected exactly 2 reports, got $n: $(cat "$WORK/with.err")"
expect_not_in "$WORK/with.err" "未检查" "with --with the check is made"
expect_rows "$WORK/with.csv" "$WANT" "report only: scores and status unchanged"
"$WORK/scorer" "$CSV" --with 集体="$COLL" -o "$WORK/with-exe.csv" 2>"$WORK/with-exe.err" || true
cmp -s "$WORK/with.csv" "$WORK/with-exe.csv" && ok || bad "the built executable's --with differs"
"$RUBRICC" score "$RUB" "$CSV" --interp --with 集体="$COLL" -o "$WORK/with-interp.csv" 2>/dev/null || true
cmp -s "$WORK/with.csv" "$WORK/with-interp.csv" && ok || bad "the interpreter's --with differs"
# A collective file without the named column, a malformed or unknown --with: exit 2, no output.
printf '单位,案卷号\n集体一,A-2\n' > "$WORK/nocol.csv"
rc=0; "$RUBRICC" score "$RUB" "$CSV" --with 集体="$WORK/nocol.csv" -o "$WORK/x.csv" 2>"$WORK/nocol.err" || rc=$?
expect_rc "$rc" 2 "a missing column"
expect_in "$WORK/nocol.err" "nocol.csv: 错误: 没有列“推荐案卷号”" "the missing column is named"
[[ ! -e $WORK/x.csv ]] && ok || bad "a fatal --with error left an output"
rc=0; "$RUBRICC" score "$RUB" "$CSV" --with 集体 -o "$WORK/x.csv" 2>"$WORK/malformed.err" || rc=$?
expect_rc "$rc" 2 "--with without ="
expect_in "$WORK/malformed.err" "--with 的写法是 方案名=文件" "malformed --with"
rc=0; "$RUBRICC" score "$RUB" "$CSV" --with 个人="$COLL" -o "$WORK/x.csv" 2>"$WORK/unknown.err" || rc=$?
expect_rc "$rc" 2 "--with a name no check refers to"
expect_in "$WORK/unknown.err" "细则中没有与“个人”的“不共用”校验" "unknown --with name"
rc=0; "$RUBRICC" score "$RUB" "$CSV" --with 集体="$WORK/nonexistent.csv" -o "$WORK/x.csv" 2>"$WORK/missing.err" || rc=$?
expect_rc "$rc" 2 "an unreadable --with file"
expect_in "$WORK/missing.err" "nonexistent.csv: 错误: 文件不存在；请检查路径与文件名" "unreadable --with file"

# ── 6. Sema ──
sema() { # name expected-id rubric-body
  printf '方案 示例 { 对象 个人 %s }\n%s\n' "$4" "$3" > "$WORK/s.rubric"
  local rc=0
  "$RUBRICC" check "$WORK/s.rubric" >"$WORK/s.txt" 2>&1 || rc=$?
  if [[ $rc -ne 0 ]] && grep -q "\[$2\]" "$WORK/s.txt"; then ok; else bad "$1: expected $2, got: $(cat "$WORK/s.txt")"; fi
}
IN='输入 { 姓名: 文本 (标识); 年份: 年份集; 办案量: 件数; 号: 文本 }'
sema "a count is not a year set" E0140 "$IN
指标 一 \"甲\" 5分 { 得 连续年数(办案量) }" "年度 2025"
sema "截至 left out" E0141 "$IN
指标 一 \"甲\" 5分 { 得 连续年数(年份, 2024) }" "年度 2025"
sema "a year beyond 2052" E0142 "$IN
指标 一 \"甲\" 5分 { 得 连续年数(年份, 截至 2060) }" "年度 2025"
sema "no 截至 and no 年度" E0143 "$IN
指标 一 \"甲\" 5分 { 得 连续年数(年份) }" ""
sema "a year set in a list" E0144 "输入 { 姓名: 文本 (标识); 各次: 列表{年份: 年份集} }
指标 一 \"甲\" 5分 { 得 个数(各次) }" "年度 2025"
sema "not_shared on a count" E0145 "$IN
指标 一 \"甲\" 5分 { 得 连续年数(年份) }
校验 \"…\" 不共用(办案量; 集体: 案卷号)" "年度 2025"
sema "a year set in arithmetic" E0201 "$IN
指标 一 \"甲\" 5分 { 得 年份 × 1分 }" "年度 2025"

# ── 7. the bundled 2025 巴南 schemes check each other ──
I25=$ROOT/rubrics/2025/banan-individual.rubric C25=$ROOT/rubrics/2025/banan-collective.rubric
"$RUBRICC" template "$I25" -o "$WORK/i.csv" >/dev/null
"$RUBRICC" template "$C25" -o "$WORK/c.csv" >/dev/null
"$PY" - "$WORK/i.csv" "$WORK/c.csv" <<'PYEOF'
import csv, sys
def fill(path, rows):
    header = next(csv.reader(open(path, encoding="utf-8-sig")))
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(header)
        for r in rows: w.writerow([r.get(h, "") for h in header])
fill(sys.argv[1], [{"姓名": "甲", "推荐案卷号": "BN-1", "抽查案卷号": "BN-2", "案卷评查得分": "80%"},
                   {"姓名": "乙", "推荐案卷号": "BN-3", "抽查案卷号": "BN-4", "案卷评查得分": "80%"}])
fill(sys.argv[2], [{"单位": "县级一", "级别": "县级", "推荐案卷号": "BN-4", "抽查案卷号": "BN-9"}])
PYEOF
rc=0; "$RUBRICC" score "$I25" "$WORK/i.csv" --with 集体="$WORK/c.csv" -o "$WORK/i.out.csv" 2>"$WORK/i.err" || rc=$?
expect_rc "$rc" 1 "2025 巴南 个人 --with 集体"
expect_in "$WORK/i.err" "i.csv:3: 错误: 候选个人与候选集体不得共用同一份案卷：值“BN-4”（列“抽查案卷号”）与 集体 $WORK/c.csv:2（列“推荐案卷号”）相同" "个人 乙 ↔ 集体 县级一"
rc=0; "$RUBRICC" score "$C25" "$WORK/c.csv" --with 个人="$WORK/i.csv" -o "$WORK/c.out.csv" 2>"$WORK/c.err" || rc=$?
expect_rc "$rc" 1 "2025 巴南 集体 --with 个人"
expect_in "$WORK/c.err" "c.csv:2: 错误: 候选集体与候选个人不得共用同一份案卷：值“BN-4”（列“推荐案卷号”）与 个人 $WORK/i.csv:3（列“抽查案卷号”）相同" "集体 县级一 ↔ 个人 乙"

finish history_test
