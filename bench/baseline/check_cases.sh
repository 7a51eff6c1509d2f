#!/usr/bin/env bash
# The baseline on the rubric's own 用例 (rubrics/2025/banan-individual.rubric), plus three
# bad rows. Every expected value is hand-computed from 附件2; the arithmetic is beside it.
# Usage: check_cases.sh BANAN_BASELINE
set -uo pipefail
BIN=$(realpath "$1")
HERE=$(cd "$(dirname "$0")" && pwd)
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
cd "$WORK"
cp "$HERE/cases.csv" cases.csv
fail() { echo "FAIL: $*"; exit 1; }

"$BIN" cases.csv -o out.csv 2> err.txt
rc=$?
[ $rc -eq 1 ] || fail "exit status $rc, expected 1 (three rows rejected)"

{ printf '\xEF\xBB\xBF'; grep -v '^#' <<'CSV'; } > expected.csv
姓名,状态,总分,1 专业素养,2 案卷质量,3 案件查办,4 实战练兵,排名,校验
# 满分: 专业素养 4 (3 + 1, 累加) + 3 + 10 (4 + 2件×3) + 3 = 20; 案卷 30 × 100% = 30;
# 案件 2件×10 = 20 → 15, + 5 + 5 = 25; 帮扶 25 × (40% + 50% + 10%) = 25; 总分 100, 排名 1
甲,有效,100,20,30,25,25,1,
# 专业素养 3 + 2 + 6 (5件×3 = 15 → 6) = 11; 案卷 30 × 85% = 25.5; 案件 10 + 5 = 15, + 危废 5 = 20;
# 帮扶 best of 25×(36% + 40% + 5%) = 20.25 and 25×(28% + 50% + 0) = 19.5 → 20.25;
# 总分 11 + 25.5 + 20 + 20.25 = 76.75, 排名 2
乙,有效,76.75,11,25.5,20,20.25,2,
# 国家级 1; 30 × 60% = 18; 4件×5 = 20 → 15; no round → 0; 总分 34, 排名 4 (below 己's 39.9435)
丙,有效,34,1,18,15,0,4,
# vetoed, breakdown still scored: 技能 省级 3; 30 × 90% = 27; 总分 30; no rank
丁,取消资格：存在廉洁纪律问题,30,3,27,0,0,,
# 连续3年: vetoed; 30 × 50% = 15
戊,取消资格：连续3年获得市县级表现突出个人，不再推荐为本年度候选个人,15,0,15,0,0,,
# 1件×3 = 3; 30 × 0.8333 = 24.999; 帮扶 40%×0.3333 + 50%×0.6667 + 10%×0.1111 = 0.13332 + 0.33335 + 0.01111
# = 0.47778, × 25 = 11.9445; 总分 3 + 24.999 + 11.9445 = 39.9435, 排名 3;
# 校验: its 抽查案卷号 A-2 is 甲's 推荐案卷号 (line 2), so the check is named in its row
己,有效,39.9435,3,24.999,0,11.9445,3,不同候选个人不得共用同一份案卷
# adopted reading 累加: 省级 3 + 国家级 1 = 4; 排名 5
庚（取最高）,有效,4,4,0,0,0,5,
CSV
cmp -s out.csv expected.csv || { diff out.csv expected.csv; fail "output differs from the hand-computed rows"; }

# the bad rows: line 9 "85" (no %: 85% or 8500%?), line 10 a second 甲, line 11 only 2 of the
# 24 cells (its columns are shifted: never scored as if the rest were empty); the shared 案卷 A-2 (lines 2 and 7)
grep -q '^cases.csv:9: 错误: 列“案卷评查得分”：“85”' err.txt || fail "no message for line 9's percentage"
grep -q '^cases.csv:10: 错误: 标识“甲”.*cases.csv:2 重复' err.txt || fail "no message for the duplicate 甲"
grep -q '^cases.csv:11: 错误: 该行有 2 个单元格，而表头有 24 列' err.txt || fail "the short row was not refused"
grep -q '^cases.csv:7: 错误: 不同候选个人不得共用同一份案卷：值“A-2”与 cases.csv:2 重复' err.txt || fail "shared 案卷 not reported"
[ "$(grep -c 共用 err.txt)" = 1 ] || fail "B-1 in both columns of one row is one candidate's file, not shared"
grep -q '读取 10 行，评分 7 行，拒绝 3 行，校验错误 1 处' err.txt || fail "wrong summary: $(tail -1 err.txt)"

# 读法 师资库两级计分 = 取最高: 省级 and 国家级 both → 3 (not 3 + 1); 甲's 专业素养 20 − 1 = 19, 总分 99
"$BIN" cases.csv -o highest.csv --reading 师资库两级计分=取最高 2> /dev/null
grep -q '^庚（取最高）,有效,3,3,0,0,0,5,$' highest.csv || fail "取最高: 庚 should get 3"
grep -q '^甲,有效,99,19,30,25,25,1,$' highest.csv || fail "取最高: 甲 should get 99"
echo "baseline cases: ok"
