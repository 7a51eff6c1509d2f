#!/usr/bin/env bash
# Issue 8: no crash on any input, documented limits, run-time errors that say
# where and why, distinct exit statuses (docs/cli.md, "限制与退出状态").
#   robust_test.sh RUBRICC
# Every check runs; the script exits non-zero if any failed. A crash shows up
# as an exit status ≥ 128, which never equals an expected 0/1/2.
set -u
case $1 in /*) RUBRICC=$1 ;; *) RUBRICC=$PWD/$1 ;; esac
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
cd "$WORK" || exit 2
failures=0
pass() { echo "ok   - $1"; }
fail() { echo "FAIL - $1"; failures=$((failures + 1)); }
# run NAME EXPECTED_EXIT CMD... : stdout → out.txt, stderr → err.txt; at most 120 s
run() {
  local name=$1 want=$2; shift 2
  timeout 120 "$@" >out.txt 2>err.txt
  local got=$?
  if [ "$got" -eq "$want" ]; then pass "$name (exit $got)"; else
    fail "$name: exit $got, expected $want"; sed 's/^/     | /' err.txt | head -20; fi
}
expect_in() {
  if grep -qF -- "$2" "$1"; then pass "$3"; else fail "$3: '$2' not in $1"; sed 's/^/     | /' "$1" | head -20; fi
}
count_in() { grep -cF -- "$2" "$1"; }

# ── imports that would never end ──
importing() { printf '方案 甲 { }\n引用 "%s" 为 乙\n输入 { 单位: 文本 (标识) }\n指标 一 "装备" 12分 { 当 乙.总分 > 90 得 12分 }\n' "$1"; }
importing self.rubric >self.rubric
run "check: a rubric that imports itself" 1 "$RUBRICC" check self.rubric
expect_in err.txt "self.rubric:2:1: 错误[E0112]: 引用形成循环：self.rubric → self.rubric" "self-import: the cycle at the import line"
importing b.rubric >a.rubric; importing c.rubric >b.rubric; importing a.rubric >c.rubric
run "check: a → b → c → a" 1 "$RUBRICC" check a.rubric
expect_in err.txt "a.rubric:2:1: 错误[E0112]: 引用形成循环：a.rubric → b.rubric → c.rubric → a.rubric" "3-file cycle: its path"
printf '单位\n甲\n' >one.csv
run "score: a → b → c → a" 1 "$RUBRICC" score a.rubric one.csv
run "build: a → b → c → a" 1 "$RUBRICC" build a.rubric -o cycle.exe
run "--lang en: the cycle" 1 "$RUBRICC" --lang en check b.rubric
expect_in err.txt "error[E0112]: imports form a cycle: b.rubric → c.rubric → a.rubric → b.rubric" "the cycle in English"

# ── files that are not rubrics: refused quickly, exit 2 ──
importing /dev/zero >zero.rubric
start=$(date +%s)
run "check: 引用 \"/dev/zero\"" 1 "$RUBRICC" check zero.rubric
expect_in err.txt "错误[E0114]: 无法读取引用的方案文件：/dev/zero" "/dev/zero as an import: E0114"
run "check /dev/zero" 2 "$RUBRICC" check /dev/zero
expect_in err.txt "错误[E0111]: 不是普通文件，未读取：/dev/zero" "/dev/zero: E0111"
mkfifo fifo.rubric
run "check a FIFO (nobody writes to it)" 2 "$RUBRICC" check fifo.rubric
expect_in err.txt "错误[E0111]" "a FIFO: E0111"
run "check a directory" 2 "$RUBRICC" check .
expect_in err.txt "错误[E0111]" "a directory: E0111"
head -c $((8 * 1024 * 1024 + 1)) /dev/zero | tr '\0' ' ' >huge.rubric
run "check a rubric of 8 MiB + 1 byte" 2 "$RUBRICC" check huge.rubric
expect_in err.txt "错误[E0110]: 文件超过 8 MiB 的上限，未读取：huge.rubric" "over 8 MiB: E0110"
elapsed=$(($(date +%s) - start))
[ "$elapsed" -lt 20 ] && pass "the refusals took ${elapsed} s (< 20 s)" || fail "the refusals took ${elapsed} s"

# ── 20,000 indicators: check, score (JIT), score --interp, build ──
# Each indicator gives 1 point when 达标, so 甲 (是) totals 20,000 × 1 = 20000 and 乙 (否) 0.
{
  echo '方案 大 { }'
  echo '输入 { 单位: 文本 (标识); 达标: 是否 }'
  for ((i = 1; i <= 20000; i++)); do echo "指标 \"指标$i\" 1分 { 当 达标 得 1分 }"; done
} >big.rubric
printf '单位,达标\n甲,是\n乙,否\n' >big.csv
run "20,000 indicators: check" 0 "$RUBRICC" check big.rubric
run "20,000 indicators: score (JIT)" 0 "$RUBRICC" score big.rubric big.csv -o jit.csv
expect_in jit.csv "甲,有效,20000," "20,000 indicators: 甲 totals 20000 (JIT)"
expect_in jit.csv "乙,有效,0," "20,000 indicators: 乙 totals 0 (JIT)"
run "20,000 indicators: score --interp" 0 "$RUBRICC" score --interp big.rubric big.csv -o interp.csv
cmp -s jit.csv interp.csv && pass "20,000 indicators: interpreter = JIT" || fail "20,000 indicators: interpreter and JIT differ"
run "20,000 indicators: build" 0 "$RUBRICC" build -O 0 big.rubric -o big.exe
run "20,000 indicators: the built scorer" 0 ./big.exe big.csv -o exe.csv
cmp -s jit.csv exe.csv && pass "20,000 indicators: built scorer = JIT" || fail "20,000 indicators: built scorer and JIT differ"

# ── run-time errors: the item, the formula, the values; rows read = scored + rejected ──
cat >rank.rubric <<'R'
方案 巴南 { }
输入 { 单位: 文本 (标识); 总组数: 件数; 排名: 件数 }
指标 一 "实战练兵" 18分 {
  二级 2 "监督帮扶工作组表现" 18分 { 得 18 × (总组数 − 排名) ÷ (总组数 − 1) }
}
R
run "check: a divisor that can be 0 is a warning" 0 "$RUBRICC" check rank.rubric
expect_in err.txt "警告[W0820]: 除数 总组数 − 1 可能为 0" "W0820 names the divisor"
# 甲: 18 × (5 − 1) ÷ (5 − 1) = 18; 乙: 总组数 = 1, so the divisor 1 − 1 = 0.
printf '单位,总组数,排名\n甲,5,1\n乙,1,1\n' >rank.csv
msg='rank.csv:3: 错误: 计算“一.2 监督帮扶工作组表现”时除数为零：除数 总组数 − 1 为 0（总组数 = 1，排名 = 1）；公式：得 18 × (总组数 − 排名) ÷ (总组数 − 1)；该行未评分'
for engine in jit interp exe; do
  case $engine in
    jit) run "÷0 at run time (JIT)" 1 "$RUBRICC" score rank.rubric rank.csv -o rank.$engine.csv ;;
    interp) run "÷0 at run time (--interp)" 1 "$RUBRICC" score --interp rank.rubric rank.csv -o rank.$engine.csv ;;
    exe) "$RUBRICC" build rank.rubric -o rank.exe && run "÷0 at run time (built scorer)" 1 ./rank.exe rank.csv -o rank.$engine.csv ;;
  esac
  expect_in err.txt "$msg" "÷0 ($engine): item, divisor, values and formula"
  expect_in err.txt "读取 2 行，评分 1 行，拒绝 1 行" "÷0 ($engine): rows read = scored + rejected"
  expect_in rank.$engine.csv "甲,有效,18" "÷0 ($engine): the good row is scored (18)"
done
run "÷0 at run time, English" 1 "$RUBRICC" --lang en score rank.rubric rank.csv -o rank.en.csv
expect_in err.txt 'division by zero while scoring "一.2 监督帮扶工作组表现": the divisor 总组数 − 1 is 0 (总组数 = 1, 排名 = 1)' "÷0 in English"

# ── constant division by zero is an error in check ──
printf '方案 甲 { }\n输入 { 单位: 文本 (标识); 数量: 件数 }\n指标 一 "案件" 2分 { 得 数量 ÷ 0 }\n' >div0.rubric
run "check: 得 数量 ÷ 0" 1 "$RUBRICC" check div0.rubric
expect_in err.txt "div0.rubric:3:23: 错误[E0710]: 除数 0 恒为 0，每一行都会被拒绝" "E0710 at the divisor"

# ── records: a huge cell, many unknown columns ──
printf '方案 甲 { }\n输入 { 单位: 文本 (标识); 达标: 是否 }\n指标 一 "统一标识" 1分 { 当 达标 得 1分 }\n' >flag.rubric
{ printf '单位,达标\n甲,是\n乙,'; head -c $((2 * 1024 * 1024)) /dev/zero | tr '\0' 'x'; printf '\n丙,否\n'; } >hugecell.csv
run "a 2 MiB cell" 1 "$RUBRICC" score flag.rubric hugecell.csv -o hugecell.out.csv
expect_in err.txt "hugecell.csv:3: 错误: 列“达标”的内容超过每格 1 MiB 的上限；该行未评分" "the huge cell: row and column"
expect_in err.txt "读取 3 行，评分 2 行，拒绝 1 行" "the huge cell: rows read = scored + rejected"
{
  printf '单位,达标'; for ((i = 1; i <= 1000; i++)); do printf ',多余%d' "$i"; done; printf '\n甲,是'
  for ((i = 1; i <= 1000; i++)); do printf ',1'; done; printf '\n'
} >wide.csv
run "1,000 unknown columns" 0 "$RUBRICC" score flag.rubric wide.csv -o wide.out.csv
[ "$(count_in err.txt '警告: 未知的列')" -eq 10 ] && pass "10 unknown columns named one by one" ||
  fail "unknown-column warnings: $(count_in err.txt '警告: 未知的列') lines, expected 10"
expect_in err.txt "wide.csv: 警告: … 以及另外 990 个未知列，均已忽略" "the other 990 in one line"

# ── exit statuses: 0 clean, 1 diagnostics / rejected rows, 2 usage or unreadable ──
run "exit 0: a clean check" 0 "$RUBRICC" check flag.rubric
run "exit 1: diagnostics" 1 "$RUBRICC" check div0.rubric
run "exit 1: score with a rubric that has errors" 1 "$RUBRICC" score div0.rubric one.csv
run "exit 2: unknown option" 2 "$RUBRICC" check --bogus flag.rubric
expect_in err.txt "用法错误：无法识别的参数：--bogus" "usage errors are Chinese by default"
run "exit 2: unknown option, --lang en" 2 "$RUBRICC" --lang en check --bogus flag.rubric
expect_in err.txt "usage error: The following argument was not expected: --bogus" "usage errors in English with --lang en"
run "exit 2: no subcommand" 2 "$RUBRICC"
expect_in err.txt "用法错误：需要一个子命令" "no subcommand, in Chinese"
run "exit 2: missing rubric" 2 "$RUBRICC" score missing.rubric one.csv
run "exit 2: missing input" 2 "$RUBRICC" score flag.rubric missing.csv
run "exit 2: generated scorer, unknown option" 2 ./rank.exe --bogus rank.csv -o x.csv
expect_in err.txt "用法错误：无法识别的参数：--bogus" "generated scorer: usage error in Chinese"

echo "$failures failure(s)"
[ "$failures" -eq 0 ]
