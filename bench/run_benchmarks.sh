#!/usr/bin/env bash
# Runs every benchmark and prints the figures for docs/performance.md.
# Usage: bench/run_benchmarks.sh [BUILD_DIR]   (from the repository root)
set -euo pipefail
B=${1:-build}
RUBRICC=$B/compiler/rubricc
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

echo "## machine"
echo "$(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB; $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2-)"
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"

echo; echo "## rubricc check on every bundled rubric (best of 5)"
best=999
for i in 1 2 3 4 5; do
  s=$(date +%s.%N); $RUBRICC check -q rubrics/*/*.rubric; e=$(date +%s.%N)
  best=$(echo "$s $e $best" | awk '{t=$2-$1; print (t<$3)?t:$3}')
done
echo "check, $(ls rubrics/*/*.rubric | wc -l) files: ${best} s"

echo; echo "## JIT compile time of the largest rubric (rubricc score --timing)"
for O in 0 2; do
  echo -n "O$O: "
  $RUBRICC score rubrics/2022/sanmenxia-standardization.rubric examples/2022/sanmenxia-standardization.csv \
    --params examples/2022/sanmenxia-standardization.params.csv -O $O --timing -o "$WORK/x.csv" 2>&1 | grep JIT
done

echo; echo "## kernel throughput (same random records, one process, best of 3 runs per engine; wall and CPU time)"
$B/bench/kernel_bench rubrics/2025/banan-individual.rubric 1000000
# the same with boundary percentages in 0.01% steps (typical data: fewer fractions)
$B/bench/kernel_bench rubrics/2025/banan-individual.rubric 1000000 100
$B/bench/kernel_bench rubrics/2022/sanmenxia-standardization.rubric 200000

echo; echo "## generated scorer streaming a 1,000,000-row CSV (per-record rubric)"
# --no-text: the 案卷号 columns stay empty, so the uniqueness check (which must
# remember every value it has seen) does not dominate the memory figure.
$B/tests/differential/gen_csv rubrics/2025/banan-individual.rubric 1000000 7 "$WORK/big.csv" "$WORK/p.csv" --no-text
$RUBRICC build rubrics/2025/banan-individual.rubric -o "$WORK/scorer"
ls -l "$WORK/big.csv" | awk '{printf "input: %.0f MB\n", $5/1e6}'
if [ -x /usr/bin/time ]; then
  /usr/bin/time -f "wall %e s, user %U s, peak RSS %M KB" "$WORK/scorer" "$WORK/big.csv" -o "$WORK/out.csv" 2>&1 | tail -2
else
  s=$(date +%s.%N); "$WORK/scorer" "$WORK/big.csv" -o "$WORK/out.csv" 2>&1 | tail -1; e=$(date +%s.%N)
  echo "wall $(echo "$s $e" | awk '{print $2-$1}') s (install 'time' for peak RSS)"
fi
echo "rows out: $(($(wc -l < "$WORK/out.csv") - 1))"
$B/tests/differential/gen_csv rubrics/2025/banan-individual.rubric 200000 7 "$WORK/small.csv" "$WORK/p.csv" --no-text
/usr/bin/time -f "200,000 rows: wall %e s, peak RSS %M KB" "$WORK/scorer" "$WORK/small.csv" -o "$WORK/out2.csv" 2>&1 | tail -1 || true
