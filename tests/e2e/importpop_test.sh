#!/usr/bin/env bash
# 引用 … 为 集体 全体另给 (issue 11, helper importpop): an imported scheme scored
# over its own full population, given with --with, on importpop.rubric (the
# arithmetic is in its header comment) and the bundled 2019 新疆 进步 ← 集体:
#  1. check --werror is clean and the 用例 pass (they give 集体.总分 directly);
#  2. the full-population numbers, hand-computed (they differ from scoring the
#     imported scheme over this scheme's own records), through the JIT, the
#     interpreter and a `build` executable, byte for byte;
#  3. --reading 集体.满意度公式=得票比例 changes the imported scheme's reading;
#  4. missing --with → exit 2 naming the option; a record with no match → a
#     rejected row (file:row, column, name), exit 1; a bad row or a repeated
#     identifier in the other file → its own messages, exit 2, nothing scored;
#  5. 2019 新疆 进步 with --with the collective example: 集体.总分 of each unit is
#     exactly the 总分 `rubricc score xinjiang-collective.rubric` gives it.
# Usage: importpop_test.sh RUBRICC REPO_ROOT
set -euo pipefail
RUBRICC=$1 ROOT=$2
source "$(dirname "$0")/harness.sh"
RUB=$HERE/importpop.rubric
CSV=$HERE/importpop.csv
VOTES=$HERE/importpop-votes.csv
PARAMS=$HERE/importpop.params.csv
# "id=total/status/rank/awards" per row of a CSV result, space-separated.
rows() { csv_rows "$1" 单位名称 总分 状态 排名 奖项; }

# ── 1. check and 用例 ──
expect_check_and_cases "$RUBRICC" "$RUB"
rc=0; "$RUBRICC" test "$ROOT/rubrics/2019/xinjiang-progress.rubric" >"$WORK/test-xj.txt" 2>&1 || rc=$?
expect_rc "$rc" 0 "test 2019 新疆 进步: $(cat "$WORK/test-xj.txt")"

# ── 2. the full population, three engines ──
# 集体 over all 5 records (戊县 取消资格): 满意度 10 × (4 − 名次) ÷ 3 → 甲 10, 丙 10/3, 丁 0;
# 总分 甲 2 + 10 = 12, 丙 4 + 10/3 = 22/3 (shown 7.333333), 丁 9 + 0 = 9. Ranks here 甲1 丁2 丙3;
# 进步 丁 3 − 2 = 1, 丙 4 − 3 = 1: both (并列一并列入). 戊县: 集体.被取消资格 → 取消资格; its own
# score is still computed: 0 + 10 × (4 − 5) ÷ 3 < 0 → 满意度 0, total 0.
# (Over this file's own records 丙 would get 10 × (3 − 2) ÷ 2 = 5 → 9, tied with 丁 at 2nd.)
WANT="甲地区=12/有效/1/ 丙州=7.333333/有效/3/进步 丁市=9/有效/2/进步 戊县=0/取消资格//"
rc=0; "$RUBRICC" score "$RUB" "$CSV" --with 集体="$VOTES" --params "$PARAMS" -o "$WORK/jit.csv" 2>"$WORK/jit.err" || rc=$?
expect_rc "$rc" 0 "score (JIT): $(cat "$WORK/jit.err")"
expect_rows "$WORK/jit.csv" "$WANT" "score (JIT)"
expect_in "$WORK/jit.err" "被引用方案“集体”（全体另给）：按 $VOTES 的全部记录评分" "the imported run is announced"
expect_in "$WORK/jit.err" "读取 5 行，评分 5 行，拒绝 0 行" "the imported run read every record of the other file"
rc=0; "$RUBRICC" score "$RUB" "$CSV" --interp --with 集体="$VOTES" --params "$PARAMS" -o "$WORK/interp.csv" 2>/dev/null || rc=$?
expect_rc "$rc" 0 "score (interpreter)"
cmp -s "$WORK/jit.csv" "$WORK/interp.csv" && ok || bad "JIT and interpreter differ: $(cat "$WORK/interp.csv")"
"$RUBRICC" build "$RUB" -o "$WORK/scorer" 2>"$WORK/build.err" || bad "build: $(cat "$WORK/build.err")"
rc=0; "$WORK/scorer" "$CSV" --with 集体="$VOTES" --params "$PARAMS" -o "$WORK/exe.csv" 2>"$WORK/exe.err" || rc=$?
expect_rc "$rc" 0 "built scorer: $(cat "$WORK/exe.err")"
cmp -s "$WORK/jit.csv" "$WORK/exe.csv" && ok || bad "JIT and the built executable differ: $(cat "$WORK/exe.csv")"
# The imported scheme alone over the same file gives the same totals (丙州 7.333333, 丁市 9).
"$RUBRICC" score "$HERE/importpop-votes.rubric" "$VOTES" --params "$PARAMS" -o "$WORK/votes.csv" 2>/dev/null || true
expect_in "$WORK/votes.csv" "丙州,有效,7.333333" "the imported scheme alone: 丙州 22/3"

# ── 3. a reading of the imported scheme ──
# 得票比例: 10 × 得票数 ÷ 500 → 甲 10 → 12; 丙 6 → 10; 丁 2 → 11. Ranks 甲1 丁2 丙3; 进步 丁 1, 丙 1.
# 戊县 (取消资格 in both schemes) is still scored item by item: 0 + 10 × 50 ÷ 500 = 1.
rc=0; "$RUBRICC" score "$RUB" "$CSV" --with 集体="$VOTES" --params "$PARAMS" --reading 集体.满意度公式=得票比例 \
  -o "$WORK/reading.csv" 2>"$WORK/reading.err" || rc=$?
expect_rc "$rc" 0 "--reading 集体.满意度公式: $(cat "$WORK/reading.err")"
expect_rows "$WORK/reading.csv" "甲地区=12/有效/1/ 丙州=10/有效/3/进步 丁市=11/有效/2/进步 戊县=1/取消资格//" "--reading 集体.满意度公式=得票比例"

# ── 4. nothing silently wrong ──
rc=0; "$RUBRICC" score "$RUB" "$CSV" --params "$PARAMS" -o "$WORK/nowith.csv" 2>"$WORK/nowith.err" || rc=$?
expect_rc "$rc" 2 "no --with"
expect_in "$WORK/nowith.err" "--with 集体=文件" "no --with: the message names the option"
[[ ! -s "$WORK/nowith.csv" ]] && ok || bad "no --with: no output expected"
rc=0; "$RUBRICC" score "$RUB" "$CSV" --params "$PARAMS" --lang en -o "$WORK/nowith-en.csv" 2>"$WORK/nowith-en.err" || rc=$?
expect_in "$WORK/nowith-en.err" "add --with 集体=FILE" "no --with, in English"

printf '单位名称,上年名次\n甲地区,1\n庚州,2\n' > "$WORK/unmatched.csv"
rc=0; "$RUBRICC" score "$RUB" "$WORK/unmatched.csv" --with 集体="$VOTES" --params "$PARAMS" -o "$WORK/unmatched.out.csv" 2>"$WORK/unmatched.err" || rc=$?
expect_rc "$rc" 1 "a record with no match is a rejected row"
expect_in "$WORK/unmatched.err" "unmatched.csv:3: 错误: 列“单位名称”：“庚州”不是被引用方案“集体”的候选对象" "unmatched: file:row, column, name"
expect_in "$WORK/unmatched.err" "读取 2 行，评分 1 行，拒绝 1 行" "unmatched: only 甲地区 scored"

printf '单位名称,级别,材料分,得票数,廉洁问题\n甲地区,地州市级,2,500,\n乙县,县级,0,很多,\n丙州,地州市级,4,300,\n丁市,地州市级,9,100,\n' > "$WORK/badvotes.csv"
rc=0; "$RUBRICC" score "$RUB" "$CSV" --with 集体="$WORK/badvotes.csv" --params "$PARAMS" -o "$WORK/bad.out.csv" 2>"$WORK/bad.err" || rc=$?
expect_rc "$rc" 2 "a bad row in the other file"
expect_in "$WORK/bad.err" "badvotes.csv:3: 错误: 列“得票数”" "the other file's bad row: its file and row"
expect_in "$WORK/bad.err" "未能全部评分" "nothing scored against a partial population"
[[ ! -s "$WORK/bad.out.csv" ]] && ok || bad "bad other file: no output expected"

printf '单位名称,级别,材料分,得票数,廉洁问题\n甲地区,地州市级,2,500,\n丙州,地州市级,4,300,\n甲地区,县级,0,50,\n丁市,地州市级,9,100,\n' > "$WORK/dupvotes.csv"
rc=0; "$RUBRICC" score "$RUB" "$CSV" --with 集体="$WORK/dupvotes.csv" --params "$PARAMS" -o "$WORK/dup.out.csv" 2>"$WORK/dup.err" || rc=$?
expect_rc "$rc" 2 "a repeated identifier in the other file"
expect_in "$WORK/dup.err" "dupvotes.csv:4: 错误:" "the repeated identifier's own message, with file and row"

# ── 5. 2019 新疆 进步 ← 集体 (the bundled example) ──
XJ=$ROOT/rubrics/2019
EX=$ROOT/examples/2019
"$RUBRICC" score "$XJ/xinjiang-collective.rubric" "$EX/xinjiang-collective.csv" --params "$EX/xinjiang-collective.params.csv" \
  -o "$WORK/xj-coll.csv" 2>/dev/null || true
rc=0; "$RUBRICC" score "$XJ/xinjiang-progress.rubric" "$EX/xinjiang-progress.csv" --with 集体="$EX/xinjiang-collective.csv" \
  --params "$EX/xinjiang-collective.params.csv" -o "$WORK/xj-prog.csv" 2>"$WORK/xj-prog.err" || rc=$?
expect_rc "$rc" 0 "2019 新疆 进步 with --with: $(cat "$WORK/xj-prog.err")"
same=$("$PY" -c '
import csv, sys
coll = {r["单位名称"]: r for r in csv.DictReader(open(sys.argv[1], encoding="utf-8-sig"))}
prog = list(csv.DictReader(open(sys.argv[2], encoding="utf-8-sig")))
bad = [r["单位名称"] for r in prog if r["状态"] == "有效" and r["总分"] != coll[r["单位名称"]]["总分"]]
bad += [r["单位名称"] for r in prog if (r["状态"] == "有效") != (coll[r["单位名称"]]["状态"] == "有效")]
print("ok" if prog and not bad else "differ: " + " ".join(bad))' "$WORK/xj-coll.csv" "$WORK/xj-prog.csv")
[[ $same == ok ]] && ok || bad "2019 新疆 进步: 集体.总分 is the collective run's 总分 ($same)"
# By hand, from the collective's 用例 arithmetic (xinjiang-collective.rubric): its 6 valid candidates
# (甲乙丙戊己庚; 丁 取消资格) rank by votes 甲1 乙2 丙2 戊4 己5 庚6, 满意度 = 10 × (6 − 名次) ÷ 5:
# 甲 10, 乙 8, 戊 4. Totals 甲 28 + 20 + 15.5 + 20 + 10 = 93.5; 乙 2 + 13.5 + 18 + 2.5 + 8 = 44;
# 戊 0 + 13 + 11 + 5 + 4 = 33; 丁 5 + 3 + 20 + 0 + 0 = 28 (取消资格). Over the progress file's own
# records only (甲乙戊 valid) 满意度 would be 10 × (3 − 名次) ÷ 2: 乙 5 → 41, 戊 0 → 29.
# 进步 = 2018 − 2019: 甲 3 − 1 = 2, 乙 1 − 2 = −1, 戊 4 − 3 = 1 → 突出进步单位 甲、戊 (须有进步).
expect_rows "$WORK/xj-prog.csv" "甲地区生态环境局=93.5/有效/1/突出进步单位 乙州生态环境局=44/有效/2/ 戊市生态环境局=33/有效/3/突出进步单位 丁地区生态环境局=28/取消资格//" "2019 新疆 进步, hand-computed"
"$RUBRICC" build "$XJ/xinjiang-progress.rubric" -o "$WORK/xj-scorer" 2>/dev/null || bad "build 2019 新疆 进步"
"$WORK/xj-scorer" "$EX/xinjiang-progress.csv" --with 集体="$EX/xinjiang-collective.csv" \
  --params "$EX/xinjiang-collective.params.csv" -o "$WORK/xj-prog-exe.csv" 2>/dev/null || true
cmp -s "$WORK/xj-prog.csv" "$WORK/xj-prog-exe.csv" && ok || bad "2019 新疆 进步: JIT and the built executable differ"
"$RUBRICC" score "$XJ/xinjiang-progress.rubric" "$EX/xinjiang-progress.csv" --interp --with 集体="$EX/xinjiang-collective.csv" \
  --params "$EX/xinjiang-collective.params.csv" -o "$WORK/xj-prog-interp.csv" 2>/dev/null || true
cmp -s "$WORK/xj-prog.csv" "$WORK/xj-prog-interp.csv" && ok || bad "2019 新疆 进步: JIT and interpreter differ"


# readings --impact on a rubric with a 全体另给 import: --with gives the import's records, and an imported
# reading's alternative reaches the import, so 乙州's 集体.总分 moves exactly as the collective rubric's own
# impact says (its total there: 44 → 54 under 恰等于基准值一半 = 达到即得满分).
rc=0; "$RUBRICC" readings "$XJ/xinjiang-progress.rubric" --impact "$EX/xinjiang-progress.csv" \
  --params "$EX/xinjiang-collective.params.csv" >"$WORK/imp-nowith.txt" 2>&1 || rc=$?
expect_rc "$rc" 2 "readings --impact without --with for a 全体另给 import"
expect_in "$WORK/imp-nowith.txt" "--with 集体=" "the message names the option to add"
"$RUBRICC" readings "$XJ/xinjiang-collective.rubric" --impact "$EX/xinjiang-collective.csv" \
  --params "$EX/xinjiang-collective.params.csv" >"$WORK/imp-coll.txt" 2>/dev/null
expect_in "$WORK/imp-coll.txt" "  乙州生态环境局：总分 44 → 54" "the collective's own impact (the reference)"
rc=0; "$RUBRICC" readings "$XJ/xinjiang-progress.rubric" --impact "$EX/xinjiang-progress.csv" --with 集体="$EX/xinjiang-collective.csv" \
  --params "$EX/xinjiang-collective.params.csv" >"$WORK/imp-prog.txt" 2>"$WORK/imp-prog.err" || rc=$?
expect_rc "$rc" 0 "readings --impact --with: $(cat "$WORK/imp-prog.err")"
expect_in "$WORK/imp-prog.txt" "读法 集体.恰等于基准值一半 改为“达到即得满分”" "the import's readings are tried"
python3 - "$WORK/imp-prog.txt" <<'PY' && ok || bad "集体.恰等于基准值一半 should move 乙州's total 44 → 54 in the progress run"
import sys
block = open(sys.argv[1], encoding="utf-8").read().split("读法 集体.恰等于基准值一半")[1].split("\n读法 ")[0]
sys.exit(0 if "  乙州生态环境局：总分 44 → 54" in block else 1)
PY

# diff --data with --with: a copy of 新疆 进步 whose imported collective adopts 达到即得满分 instead of
# 未超过不得分. The two progress rubrics are the same text, so only the data section shows the change,
# and it must be the collective's own impact above: 乙州 44 → 54, 戊市 33 → 38 (每项 5 分 的恰好一半案件).
mkdir -p "$WORK/dw/old" "$WORK/dw/new"
cp "$XJ/xinjiang-progress.rubric" "$XJ/xinjiang-collective.rubric" "$WORK/dw/old/"
cp "$WORK/dw/old/"* "$WORK/dw/new/"
sed -i 's/^  采用 未超过不得分$/  采用 达到即得满分/' "$WORK/dw/new/xinjiang-collective.rubric"
expect_in "$WORK/dw/new/xinjiang-collective.rubric" "  采用 达到即得满分" "the copy adopts the other option"
DIFFARGS=(--data "$EX/xinjiang-progress.csv" --old-params "$EX/xinjiang-collective.params.csv"
  --new-params "$EX/xinjiang-collective.params.csv")
rc=0; "$RUBRICC" diff "$WORK/dw/old/xinjiang-progress.rubric" "$WORK/dw/new/xinjiang-progress.rubric" "${DIFFARGS[@]}" \
  --with 集体="$EX/xinjiang-collective.csv" >"$WORK/diff.txt" 2>"$WORK/diff.err" || rc=$?
expect_rc "$rc" 0 "diff --data --with: $(cat "$WORK/diff.err")"
expect_in "$WORK/diff.txt" "（4 个候选对象中 2 个的结果有变化）" "diff --data --with: two of four change"
expect_in "$WORK/diff.txt" "  ~ 乙州生态环境局：总分 44 → 54" "diff --data --with: 乙州 as in the collective's impact"
expect_in "$WORK/diff.txt" "  ~ 戊市生态环境局：总分 33 → 38" "diff --data --with: 戊市 as in the collective's impact"
expect_in "$WORK/diff.txt" "引用 集体 › 读法" "diff: the imported scheme's changes get their own section"
expect_in "$WORK/diff.txt" "  ~ 读法“恰等于基准值一半”：采用 未超过不得分 → 达到即得满分" "diff: the imported reading's 采用"
# The 引用 line itself: a renamed imported file is listed in the 引用 section.
cp "$WORK/dw/new/xinjiang-collective.rubric" "$WORK/dw/new/集体.rubric"
sed -i 's/^引用 "xinjiang-collective.rubric" 为 集体 全体另给$/引用 "集体.rubric" 为 集体 全体另给/' "$WORK/dw/new/xinjiang-progress.rubric"
rc=0; "$RUBRICC" diff "$WORK/dw/old/xinjiang-progress.rubric" "$WORK/dw/new/xinjiang-progress.rubric" >"$WORK/diff2.txt" 2>&1 || rc=$?
expect_rc "$rc" 0 "diff with a renamed import: $(cat "$WORK/diff2.txt")"
expect_in "$WORK/diff2.txt" "  ~ 引用 “集体”：文件 xinjiang-collective.rubric → 集体.rubric" "diff: the import's file"
rc=0; "$RUBRICC" diff "$WORK/dw/old/xinjiang-progress.rubric" "$WORK/dw/new/xinjiang-progress.rubric" "${DIFFARGS[@]}" \
  >"$WORK/diff-nowith.txt" 2>"$WORK/diff-nowith.err" || rc=$?
expect_rc "$rc" 2 "diff --data without --with for a 全体另给 import"
expect_in "$WORK/diff-nowith.err" "--with 集体=" "diff without --with names the option"
rc=0; "$RUBRICC" diff "$WORK/dw/old/xinjiang-progress.rubric" "$WORK/dw/new/xinjiang-progress.rubric" "${DIFFARGS[@]}" \
  --with 集体="$EX/xinjiang-collective.csv" --with 个人=x.csv >/dev/null 2>"$WORK/diff-unused.err" || rc=$?
expect_rc "$rc" 2 "diff --with naming a scheme neither year uses"
expect_in "$WORK/diff-unused.err" "两年的细则都没有名为“个人”的“全体另给”引用或“不共用”校验" "diff: the unused --with is named"

finish importpop_test
