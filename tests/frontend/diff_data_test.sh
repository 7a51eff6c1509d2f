#!/bin/sh
# `rubricc diff OLD NEW --data FILE` on the 2024 and 2025 巴南 个人 rubrics:
# who changes total or rank when last year's candidates are scored under this
# year's rubric, and the message when one year cannot read the file.
#   diff_data_test.sh RUBRICC RUBRICS_DIR DATA_DIR TMPDIR
#
# data/banan-individual-both-years.csv holds every column of both years (each
# year ignores the other's, with a warning). Expected totals, by hand from the
# rubric sources (both years' 读法 as adopted):
#   张三 (国家级师资库, 新装备办案, one 帮扶 round at 100% / 100% / 100%)
#     2024: 入选人才师资库 国家级 2 + 现场监督帮扶 28×(40%+50%+10%) = 28 + 新装备 2 = 32
#     2025: 入选人才师资库 国家级 1 + 新装备办案 4 + 现场监督帮扶 25×100% = 25      = 30
#   李四 (省级以上荣誉 1 项; 一般案卷 / 案卷评查 80%; 刑事移送立案 1)
#     2024: 荣誉 1×3 = 3 + 一般案卷 17.5×80% = 14                                  = 17
#     2025: 案卷评查 30×80% = 24 + 重点案件 1×10 = 10                              = 34
#   王五 (环境污染犯罪立案 1; 非现场立案 2)
#     2024: 公安机关立案 1×6 = 6;  2025: 非现场立案 2×3 = 6 (最高6)                 = 6 both years
# Ranks by total: 2024 张三 1, 李四 2, 王五 3; 2025 李四 1, 张三 2, 王五 3.
# So 张三 and 李四 change total and rank; 王五 changes nothing and is not listed.
set -u
. "$(dirname "$0")/cli_harness.sh"
RUBRICC=$(abs "$1")
RUBRICS=$(abs "$2")
DATA=$(abs "$3")
TMP=$(abs "$4")
rm -rf "$TMP"
mkdir -p "$TMP"
cd "$TMP" || exit 2
cp "$DATA/banan-individual-both-years.csv" both.csv
cp "$DATA/banan-individual-2025-only.csv" only2025.csv
OLD="$RUBRICS/2024/banan-individual.rubric"
NEW="$RUBRICS/2025/banan-individual.rubric"


run "diff --data with a file both years read" 0 "$RUBRICC" diff "$OLD" "$NEW" --data both.csv
expect_in out.txt "数据 both.csv（3 个候选对象中 2 个的结果有变化）" "the data section counts who changes"
expect_in out.txt "  ~ 张三：总分 32 → 30；排名 1 → 2" "张三: 32 → 30, rank 1 → 2"
expect_in out.txt "  ~ 李四：总分 17 → 34；排名 2 → 1" "李四: 17 → 34, rank 2 → 1"
expect_not_in out.txt "王五" "王五 (6 and rank 3 both years) is not listed"
expect_in out.txt "指标 4 “实战练兵”：编号 指标 三 → 指标 4；分值 31分 → 25分" "the rubric diff is still there"
expect_in err.txt "按 $OLD 评分 both.csv：" "each year's runtime messages are headed by its rubric"

run "diff --data --format md" 0 "$RUBRICC" diff "$OLD" "$NEW" --data both.csv --format md
expect_in out.txt "## 数据 both.csv（3 个候选对象中 2 个的结果有变化）" "md: the data section"
expect_in out.txt "| 修改 | 张三 | 总分 32 → 30<br>排名 1 → 2 |" "md: 张三's row"
run "diff --data --lang en" 0 "$RUBRICC" --lang en diff "$OLD" "$NEW" --data both.csv --format html
expect_in out.txt "<h2>data both.csv (2 of 3 candidates change)</h2>" "html, English: the data section"
expect_in out.txt "<td>李四</td><td>total 17 → 34<br>rank 2 → 1</td>" "html, English: 李四's row"

# Only 2025's columns: the 2024 rubric cannot read the file. Exit 2, nothing
# on stdout, and the message names the year and each missing column.
run "diff --data with a file last year's rubric cannot read" 2 "$RUBRICC" diff "$OLD" "$NEW" --data only2025.csv
expect_in err.txt "only2025.csv 无法按 $OLD 评分（请让两年的细则都能读取此文件，或改用各自的数据）：" "the year that cannot read it is named"
expect_in err.txt "错误: 缺少必填的列“省级以上荣誉项数”" "a missing 2024 column is named"
expect_in err.txt "错误: 缺少必填的列“每月上传检查记录条数[1]…每月上传检查记录条数[12]”" "the missing monthly columns are named"
expect_not_in err.txt "无法按 $NEW" "2025 reads it"
if [ -s out.txt ]; then fail "nothing on stdout when a year cannot read the data"; else pass "nothing on stdout"; fi

# The 2024 rubric ignores 2025's columns (and the other way round): one line
# each year counting them, not a warning per column. The file's 64 columns less
# the 2024 rubric's inputs leave 15: 入选省级人才库或师资库 技能比武先进个人 非现场立案
# 参加省级以上稽查 案卷评查得分 刑事移送立案 行政拘留立案 危废或第三方案件 新领域案件
# 推荐案卷号 抽查案卷号 行政诉讼败诉或复议撤销 违反五个严禁八个不得 廉洁纪律问题 获表现突出年份.
run "diff --data: ignored columns counted" 0 "$RUBRICC" diff "$OLD" "$NEW" --data both.csv
expect_not_in err.txt "未知的列" "no warning per ignored column"
expect_in err.txt "both.csv：15 列不是本细则的字段，已忽略" "2024 ignores 2025's 15 columns, said once"

# Every bundled rubric against itself: nothing changed. (2019 新疆 集体 declares
# each award three times, one per 名额并列处理 option: the k-th declaration of a
# name is matched with the k-th, not all with the first.)
for r in "$RUBRICS"/*/*.rubric; do
  "$RUBRICC" diff "$r" "$r" > self.txt 2>&1
  if grep -q "没有差异" self.txt && ! grep -q "^  [~+-] " self.txt; then pass "self-diff of $(basename "$r") is empty"
  else fail "self-diff of $r lists changes:"; head -5 self.txt; fi
done

# --old-params / --new-params: the same 2019 新疆 集体 rubric, the bundled example,
# with 全区查处案件总数 2000 (old) and 4000 (new). 四.1 gives 5 points when
# 查处案件数 > 50% × 全区查处案件总数 × 基准比例, 基准比例 = (重点排污单位数量 ÷ 1000 +
# 工业污染源排放量 ÷ 10000) ÷ 2, minus its deductions (never below 0):
#   甲: (100/1000 + 1000/10000)/2 = 0.1; 150 > 100 → 5; 150 > 200? no → 0: total −5
#   乙: (60/1000 + 1400/10000)/2 = 0.1; 101 > 100 → 5 − (迟报 1 + ⌊12%/5%⌋ = 2) = 2; → 0: −2
#   丙: (10/1000 + 300/10000)/2 = 0.02; 21 > 20 → 5; 21 > 40? no → 0: −5
#   己: (10/1000 + 100/10000)/2 = 0.01; 11 > 10 → 5 − (1 + 1 + 通报批评 2) = 1; → 0: −1
#   戊: 100 > 100? no → 0 both years; 丁 (取消资格) and the units with no cases: unchanged totals.
EX="$RUBRICS/../examples/2019"
XJ="$RUBRICS/2019/xinjiang-collective.rubric"
sed 's/全区查处案件总数,2000/全区查处案件总数,4000/' "$EX/xinjiang-collective.params.csv" > doubled.csv
run "diff --data --old-params --new-params" 0 "$RUBRICC" diff "$XJ" "$XJ" --data "$EX/xinjiang-collective.csv" \
  --old-params "$EX/xinjiang-collective.params.csv" --new-params doubled.csv
delta() {  # delta NAME: new total − old total from "  ~ NAME：总分 A → B…"
  grep "^  ~ $1：总分 " out.txt | sed 's/.*总分 \([0-9.]*\) → \([0-9.]*\).*/\1 \2/' | awk '{print $2 - $1}'
}
for expected in "甲地区生态环境局 -5" "乙州生态环境局 -2" "丙县生态环境局 -5" "己县生态环境局 -1"; do
  set -- $expected
  got=$(delta "$1")
  if [ "$got" = "$2" ]; then pass "$1: total $2 under the doubled 全区查处案件总数"; else fail "$1: total changes by '$got', expected $2"; fi
done
expect_not_in out.txt "丁地区生态环境局：总分" "丁 (vetoed) keeps its total"
expect_not_in out.txt "戊市生态环境局：总分" "戊 (100 is not > 100 in either year) keeps its total"
sed 's/全区查处案件总数,2000/全区查处案件总数,-1/' "$EX/xinjiang-collective.params.csv" > negative.csv
run "diff --data: a bad --new-params value" 2 "$RUBRICC" diff "$XJ" "$XJ" --data "$EX/xinjiang-collective.csv" \
  --old-params "$EX/xinjiang-collective.params.csv" --new-params negative.csv
expect_in err.txt "negative.csv" "the bad parameter file is named"
expect_in err.txt "全区查处案件总数" "the bad parameter is named"

run "diff --data with a missing file" 2 "$RUBRICC" diff "$OLD" "$NEW" --data no-such.csv
expect_in err.txt "no-such.csv" "the missing data file is named"

echo "$failures failure(s)"
[ "$failures" -eq 0 ]
