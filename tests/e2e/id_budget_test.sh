#!/usr/bin/env bash
# Repeated identifiers (the records contract) with tiny memory budgets (issue
# 13): once the identifier table is full, a repeat is found only at the end of
# the read and its row — scored meanwhile — is dropped before the population
# pass, the awards and the output. Outputs, rejected rows, messages and exit
# statuses must equal the run that keeps every identifier in memory.
# Usage: id_budget_test.sh RUBRICC GEN_CSV REPO_ROOT
set -euo pipefail
RUBRICC=$1 GEN_CSV=$2 ROOT=$3
source "$(dirname "$0")/harness.sh"
cd "$WORK"

run() { # scorer input name [env…]: NAME.csv, NAME.rejected.csv, NAME.err, NAME.rc (options: $OPTS)
  local scorer=$1 input=$2 name=$3
  shift 3
  set +e
  env "$@" "$scorer" "$input" -o "$name.csv" ${OPTS:-} 2> "$name.err"
  echo $? > "$name.rc"
  set -e
}
same() { # a b what: byte-identical outputs and exit statuses, the same rows rejected
  cmp -s "$1.csv" "$2.csv" && ok || bad "$3: outputs differ: $(diff "$1.csv" "$2.csv" | head -4)"
  cmp -s "$1.rc" "$2.rc" && ok || bad "$3: exit statuses differ"
  cmp -s <(grep -o '^[a-z]*\.csv,[0-9]*,' "$1.rejected.csv" | sort) <(grep -o '^[a-z]*\.csv,[0-9]*,' "$2.rejected.csv" | sort) &&
    ok || bad "$3: rejected rows differ"
}

# ── 1. A population pass (id_budget.rubric): 3000 units, unit k on file row
# k+1: 单位名称 U<k>, 级别 县级 when k % 3 = 0, 得票数 (37k mod 1000), 案卷号
# A<k>, 违纪 when k % 97 = 0. Planted repeats of 单位名称:
#   row 1201: U1100, 得票数 999, 县级 → repeats row 1101 (999 votes would rank it
#             1st of 县级 and win both awards, were it not dropped)
#   row 1501: U7 → repeats row 8;  row 3001: U7 again → repeats row 8
#   row 3000: U2998 → repeats row 2999
# and one 案卷号 repeat: row 2501: A10 → repeats row 11.
build() { # extra awk program → stdout
  awk -v OFS=, 'BEGIN {
    print "单位名称,级别,得票数,案卷号,违纪"
    for (k = 1; k <= 3000; k++) {
      id[k] = "U" k; lv[k] = k % 3 == 0 ? "县级" : "地州市级"; v[k] = (37 * k) % 1000
      cs[k] = "A" k; vt[k] = k % 97 == 0 ? "是" : "否"
    }
    id[1200] = "U1100"; v[1200] = 999; lv[1200] = "县级"
    id[1500] = "U7"; id[3000] = "U7"; id[2999] = "U2998"; cs[2500] = "A10"
    '"$1"'
    for (k = 1; k <= 3000; k++) print id[k], lv[k], v[k], cs[k], vt[k]
  }'
}
build "" > a.csv
# b.csv: also row 2001 = U100 with 得票数 "abc": rejected for its cell, and a repeat of row 101.
build 'id[2000] = "U100"; v[2000] = "abc"' > b.csv
"$RUBRICC" build "$ROOT/tests/e2e/id_budget.rubric" -o pop

run ./pop a.csv a_mem
run ./pop a.csv a_tiny RUBRICC_UNIQUE_BUDGET_BYTES=64
run ./pop a.csv a_mid RUBRICC_UNIQUE_BUDGET_BYTES=2200000  # ~1024 identifiers in the table, the rest spilled
m="重复；每个候选对象只能有一行，请删除或更正重复的行；该行未评分"
want="a.csv:1201: 错误: 标识“U1100”（列“单位名称”）与 a.csv:1101 $m
a.csv:1501: 错误: 标识“U7”（列“单位名称”）与 a.csv:8 $m
a.csv:3000: 错误: 标识“U2998”（列“单位名称”）与 a.csv:2999 $m
a.csv:3001: 错误: 标识“U7”（列“单位名称”）与 a.csv:8 $m"
[[ $(grep "标识" a_mem.err) == "$want" ]] && ok || bad "repeats: $(grep 标识 a_mem.err)"
# 3000 rows read, 4 of them repeats: 2996 scored, 4 rejected.
grep -q "^读取 3000 行，评分 2996 行，拒绝 4 行，" a_mem.err && ok || bad "summary: $(tail -1 a_mem.err)"
[[ $(grep -c "^U1100," a_mem.csv) -eq 1 && $(grep -c "^U7," a_mem.csv) -eq 1 ]] && ok || bad "a repeat reached the output"
[[ $(cat a_mem.rc) -eq 1 ]] && ok || bad "exit status $(cat a_mem.rc), expected 1"
# Every repeat found at the end: the same messages in the same order (here no
# other message is said during the read), the rejected list too.
same a_mem a_tiny "a_tiny"
cmp -s a_mem.err a_tiny.err && ok || bad "a_tiny: messages differ: $(diff a_mem.err a_tiny.err | head -6)"
cmp -s a_mem.rejected.csv a_tiny.rejected.csv && ok || bad "a_tiny: rejected lists differ"
# Some repeats found at once (rows 1501, 3001: U7 is in the table), others at
# the end (rows 1201, 3000): said in two groups, so compared as sets.
same a_mem a_mid "a_mid"
cmp -s <(sort a_mem.err) <(sort a_mid.err) && ok || bad "a_mid: messages differ: $(diff <(sort a_mem.err) <(sort a_mid.err) | head -6)"
grep -A1 "^a.csv:1501: 错误: 标识" a_mid.err | grep -q "^a.csv:3001: 错误: 标识" && ok || bad "a_mid: the repeats found at once come first"

# In rank order (the (rank, row) pairs sorted externally, in runs of the
# sorter's 4 KiB minimum with the tiny budget: several runs merged).
OPTS="--sort 排名" run ./pop a.csv r_mem
OPTS="--sort 排名" run ./pop a.csv r_tiny RUBRICC_UNIQUE_BUDGET_BYTES=64
same r_mem r_tiny "rank order"
cmp -s <(sort r_mem.csv) <(sort a_mem.csv) && ok || bad "rank order: not the same rows as input order"
# The first data row has rank 1 (the 排名 column follows the two node columns).
[[ $(sed -n 2p r_mem.csv | awk -F, '{ print $6 }') == 1 ]] && ok || bad "rank order: first row $(sed -n 2p r_mem.csv)"

# With a bad cell in a repeated row, the tiny budget says the repeat at the end
# of the read instead of with the row's other message: the same lines, in
# another order; the row is rejected once (its reason in the rejected list is
# the bad cell alone).
run ./pop b.csv b_mem
run ./pop b.csv b_tiny RUBRICC_UNIQUE_BUDGET_BYTES=64
same b_mem b_tiny "b.csv"
cmp -s <(sort b_mem.err) <(sort b_tiny.err) && ok || bad "b.csv: messages differ: $(diff <(sort b_mem.err) <(sort b_tiny.err) | head -6)"
grep -q "^b.csv:2001: 错误: 标识“U100”（列“单位名称”）与 b.csv:101 $m" b_tiny.err && ok || bad "b.csv: repeat of row 101"
# 5 repeats + the bad cell of row 2001 (one of them): 5 rows rejected, 2995 scored.
grep -q "^读取 3000 行，评分 2995 行，拒绝 5 行，" b_tiny.err && ok || bad "b.csv summary: $(tail -1 b_tiny.err)"

# --strict: a repeat found at the end of the read still blocks the output.
set +e
RUBRICC_UNIQUE_BUDGET_BYTES=64 ./pop a.csv -o strict.csv --strict 2> strict.err
rc=$?
set -e
[[ $rc -eq 1 && ! -e strict.csv ]] && ok || bad "--strict: exit $rc, output left: $(ls strict.csv 2>&1)"
grep -q "^a.csv:1201: 错误: 标识“U1100”" strict.err && ok || bad "--strict: $(cat strict.err)"

# ── 2. A streaming run (2025 巴南 个人: no population pass): the scored
# batches are held on disk once the table is full. gen_csv writes "R<k>" into
# every text column of record k (file row k+1); planted 姓名 repeats:
#   row 101: R7 → row 8;  row 2500: R1999 → row 2000;  row 3001: R1 → row 2
R=$ROOT/rubrics/2025/banan-individual.rubric
"$RUBRICC" build "$R" -o banan
"$GEN_CSV" "$R" 3000 5 gen.csv p.csv
name=$(head -1 gen.csv | tr ',' '\n' | grep -n -x 姓名 | cut -d: -f1)
awk -F, -v OFS=, -v c="$name" 'NR == 101 { $c = "R7" } NR == 2500 { $c = "R1999" } NR == 3001 { $c = "R1" } { print }' \
  gen.csv > s.csv
run ./banan s.csv s_mem
run ./banan s.csv s_tiny RUBRICC_UNIQUE_BUDGET_BYTES=64
grep -q "^读取 3000 行，评分 2997 行，拒绝 3 行" s_mem.err && ok || bad "streaming summary: $(tail -1 s_mem.err)"
[[ $(grep -c "标识" s_mem.err) -eq 3 ]] && ok || bad "streaming: $(grep 标识 s_mem.err)"
same s_mem s_tiny "streaming"
cmp -s s_mem.err s_tiny.err && ok || bad "streaming: messages differ: $(diff s_mem.err s_tiny.err | head -6)"
# The same with rows loaded and scored on worker threads (blocks of 512 rows,
# committed in input order): records committed once the table is full are held
# with the held batches, so the repeats found at the end are still dropped.
OPTS="--threads 1" run ./banan s.csv s_t1 RUBRICC_UNIQUE_BUDGET_BYTES=64
OPTS="--threads 2" run ./banan s.csv s_t2 RUBRICC_UNIQUE_BUDGET_BYTES=64
OPTS="--threads 3" run ./banan s.csv s_t3 RUBRICC_UNIQUE_BUDGET_BYTES=64
same s_mem s_t2 "streaming, 2 threads, tiny budget"
same s_t1 s_t3 "streaming, 1 vs 3 threads, tiny budget"
cmp -s s_t1.err s_t2.err && ok || bad "threads: messages differ: $(diff s_t1.err s_t2.err | head -6)"

# ── 3. A streaming run with 级别 and a 校验 当, on a.csv: once the table is
# full the output encodes and ranks each row as it comes and keeps what it
# says (a failed 校验) until the read ends; a dropped row then says nothing
# and leaves the ranks and counts. Row 1201 (U1100, 得票数 999 > 900, 县级)
# would fail the 校验 and rank 1st of 县级 (99.9 points) were it not dropped.
cat > stream.rubric <<'RUBRIC'
方案 流式示例 { 标题 "流式示例" 对象 集体 级别 {县级, 地州市级} }
输入 {
  单位名称: 文本 (标识)
  得票数: 件数
  案卷号: 文本
  违纪: 是否
}
否决 "违纪的取消资格" 当 违纪 => 取消资格
校验 "得票数超过 900" 当 得票数 > 900
指标 一 "票数" 100分 { 得 得票数 ÷ 10 }
RUBRIC
"$RUBRICC" build stream.rubric -o stream
run ./stream a.csv t_mem
run ./stream a.csv t_tiny RUBRICC_UNIQUE_BUDGET_BYTES=64
same t_mem t_tiny "streaming with levels and a 校验"
cmp -s <(sort t_mem.err) <(sort t_tiny.err) && ok || bad "streaming 校验: messages differ: $(diff <(sort t_mem.err) <(sort t_tiny.err) | head -6)"
! grep -q "^a.csv:1201: 错误: 校验" t_tiny.err && ok || bad "the dropped row 1201 reported a failed 校验"
# 3000 rows, 4 repeats rejected: 2996 scored.
grep -q "^读取 3000 行，评分 2996 行，拒绝 4 行，" t_tiny.err && ok || bad "streaming 校验 summary: $(tail -1 t_tiny.err)"
for opts in "--threads 2" "--sort 排名" "--sort 排名 --threads 3"; do
  OPTS="$opts" run ./stream a.csv o_mem
  OPTS="$opts" run ./stream a.csv o_tiny RUBRICC_UNIQUE_BUDGET_BYTES=64
  same o_mem o_tiny "streaming $opts"
  cmp -s <(sort o_tiny.csv) <(sort t_mem.csv) && ok || bad "streaming $opts: not the rows of one thread in input order"
done
# JSON Lines: the same rows.
set +e
./stream a.csv -o j_mem.jsonl 2> /dev/null
RUBRICC_UNIQUE_BUDGET_BYTES=64 ./stream a.csv -o j_tiny.jsonl 2> /dev/null
set -e
cmp -s j_mem.jsonl j_tiny.jsonl && ok || bad "JSON Lines: outputs differ: $(diff j_mem.jsonl j_tiny.jsonl | head -4)"

finish id_budget
