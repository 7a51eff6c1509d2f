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
  s=$(date +%s.%N); $RUBRICC check -q rubrics/*/*.rubric >/dev/null 2>&1; e=$(date +%s.%N)
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

echo; echo "## generated scorer vs hand-written baseline, streaming a 1,000,000-row CSV (issue 13)"
# The same CSV, the same run: the generated scorer (`rubricc build`, O2) and
# bench/baseline (hand-written: read() + memchr, int64 fixed point), ROUNDS
# (default 5) alternating runs each under /usr/bin/time. Best and median wall
# time and best CPU time (user + sys) count; the machine may be shared, so the
# load average is printed beside them.
# --no-text: the 案卷号 columns stay empty, so the uniqueness check (which must
# remember every value it has seen) does not dominate the memory figure.
BASELINE=$B/bench/banan_baseline
$B/tests/differential/gen_csv rubrics/2025/banan-individual.rubric 1000000 7 "$WORK/big.csv" "$WORK/p.csv" --no-text
$RUBRICC build rubrics/2025/banan-individual.rubric -o "$WORK/scorer"
ls -l "$WORK/big.csv" | awk '{printf "input: %.0f MB, 1,000,000 rows, 案卷号 empty\n", $5/1e6}'

# stream_pair CSV ROWS LABEL...: alternating timed runs of the generated scorer
# (--threads 1, --threads 2) and the baseline, the load average beside each;
# one line each, the ratio to the baseline and the second thread's gain.
# OUTDIR (default $WORK) is where the outputs go: on a disk the baseline's write() calls and the truncation of its
# previous output cost it 0.2–0.4 s of system time that tmpfs does not (docs/performance.md, session 15), so the
# ratio is shown both ways when /dev/shm exists.
stream_pair() {
  local csv=$1 rows=$2 label=$3 outdir=${4:-$WORK} who
  : > "$WORK/runs"
  # "halves": two one-thread scorers side by side, each on half of the rows — what two cores give when they
  # share nothing (session 25); bash -c gets "-o" and the second output as $5 and $6. Population functions
  # see half the rows each, so its output is not compared.
  awk -v half=$((rows / 2)) -v a="$WORK/half1.csv" -v b="$WORK/half2.csv" \
    'NR == 1 { print > a; print > b; next } { print > (NR - 1 <= half ? a : b) }' "$csv"
  for i in $(seq "${ROUNDS:-5}"); do
    local order="generated generated2 halves baseline $PINNED"
    [ $((i % 2)) = 0 ] && order="$PINNED_REVERSED baseline halves generated2 generated"  # neither side always runs first
    for who in $order; do
      local cmd=("$WORK/scorer" "$csv" --threads 1)
      [ $who = generated2 ] && cmd=("$WORK/scorer" "$csv" --threads 2)
      [ $who = baseline ] && cmd=("$BASELINE" "$csv")
      [[ $who = cpu* ]] && cmd=(taskset -c "${who#cpu}" "$WORK/scorer" "$csv" --threads 1)
      [ $who = halves ] && cmd=(bash -c '"$1" "$2" --threads 1 -o "$4" & "$1" "$3" --threads 1 -o "$6"; wait' halves
                                "$WORK/scorer" "$WORK/half1.csv" "$WORK/half2.csv" "$outdir/half1.out.csv")
      local load; load=$(cut -d' ' -f1 /proc/loadavg)
      /usr/bin/time -o "$WORK/t" -f "%e %U %S %M" "${cmd[@]}" -o "$outdir/$who.csv" 2>/dev/null || true
      echo "$who $(tail -1 "$WORK/t") $load $i" >> "$WORK/runs"
    done
    if [ -x "$B/bench/core_latency" ]; then
      "$B/bench/core_latency" 200000 | awk '{ if (match($0, /[0-9]+ ns/)) print "latency", substr($0, RSTART, RLENGTH - 3) }' >> "$WORK/runs"
    fi
  done
  same="identical output"
  for who in generated generated2 $PINNED; do cmp -s "$outdir/$who.csv" "$outdir/baseline.csv" || same="OUTPUTS DIFFER"; done
  rm -f "$WORK"/half{1,2}.csv "$outdir"/half1.out.csv "$outdir"/halves.csv
  [ "$outdir" = "$WORK" ] || rm -f "$outdir"/{generated,generated2,baseline,cpu0,cpu1}.csv
  echo "$label ($same; load average now $(cut -d' ' -f1-3 /proc/loadavg)):"
  awk -v rows="$rows" '
    function median(list,   n, v, i, j, t) {
      n = split(list, v, " ")
      for (i = 2; i <= n; i++) for (j = i; j > 1 && v[j] < v[j - 1]; j--) { t = v[j]; v[j] = v[j - 1]; v[j - 1] = t }
      return v[int((n + 1) / 2)]
    }
    $1 == "latency" { lat = lat " " $2; next }
    { c = $3 + $4
      round[$1, $7] = $2; rounds[$7] = 1
      walls[$1] = walls[$1] " " $2
      if (!($1 in w) || $2 < w[$1]) { w[$1] = $2; lw[$1] = $6 }
      if (!($1 in cpu) || c < cpu[$1]) cpu[$1] = c
      if ($5 > rss[$1]) rss[$1] = $5 }
    END {
      for (s in walls) med[s] = median(walls[s])  # (a slow spell of the machine moves the best less than the median)
      # Each round'"'"'s own ratios (its runs follow each other, so a slow spell of the host
      # that spans the round slows both sides), and their median.
      for (r in rounds) {
        threads = threads " " round["generated", r] / round["generated2", r]
        base = base " " round["baseline", r] / round["generated", r]
      }
      n = split("generated generated2 halves baseline cpu0 cpu1", names, " ")
      for (k = 1; k <= n; k++) { s = names[k]
        if (!(s in w)) continue
        printf "  %-10s best wall %6.2f s = %9.0f rows/s (load %s), median %6.2f s; best CPU %6.2f s = %9.0f rows/s; peak RSS %6.1f MB\n",
               s, w[s], rows / w[s], lw[s], med[s], cpu[s], rows / cpu[s], rss[s] / 1024 }
      printf "  ratio generated (1 thread)/baseline (rows/s): %.2f by wall time, %.2f by CPU time\n",
             w["baseline"] / w["generated"], cpu["baseline"] / cpu["generated"]
      printf "  --threads 2 / --threads 1 (rows/s by wall time): %.2f best, %.2f median\n", w["generated"] / w["generated2"],
             med["generated"] / med["generated2"]
      printf "  median of the rounds'"'"' own ratios: --threads 2 / --threads 1 %.2f; generated (1 thread)/baseline %.2f\n",
             median(threads), median(base)
      if (("cpu0", 1) in round) {
        # The most two threads could gain in each round: one thread run on each CPU alone gives each
        # CPU'"'"'s speed at this work; with no serial part and no cost of sharing, two threads would run
        # at their sum. On a VM the two vCPUs are not always alike (docs/performance.md, session 20).
        for (r in rounds) ceiling = ceiling " " round["generated", r] * (1 / round["cpu0", r] + 1 / round["cpu1", r])
        printf "  one thread pinned to CPU 0 / CPU 1: median %.2f / %.2f s; the rounds'"'"' ceiling for --threads 2 / --threads 1: median %.2f\n",
               med["cpu0"], med["cpu1"], median(ceiling)
        printf "  --threads 2 / one thread pinned to the faster CPU (median): %.2f\n",
               (med["cpu0"] < med["cpu1"] ? med["cpu0"] : med["cpu1"]) / med["generated2"] }
      if ("halves" in med) printf "  --threads 2 / two one-thread scorers on the two halves, side by side (median): %.2f\n",
                                  med["halves"] / med["generated2"]
      # Two threads hand rows between the cores: their time follows this (session 20).
      if (lat != "") printf "  cache-line round trip between CPU 0 and CPU 1 after each round (ns):%s\n", lat }' "$WORK/runs"
}
# When CPUs 0 and 1 may both be used, each round also runs one thread pinned to each.
PINNED="" PINNED_REVERSED=""
if command -v taskset >/dev/null && taskset -c 0,1 true 2>/dev/null; then PINNED="cpu0 cpu1" PINNED_REVERSED="cpu1 cpu0"; fi
if [ -x /usr/bin/time ]; then
  stream_pair "$WORK/big.csv" 1000000 "1,000,000 rows, 案卷号 empty"
  if [ -d /dev/shm ] && [ -w /dev/shm ]; then
    SHM=$(mktemp -d /dev/shm/rubricc-bench.XXXXXX)
    stream_pair "$WORK/big.csv" 1000000 "1,000,000 rows, 案卷号 empty, outputs on tmpfs" "$SHM"
    rmdir "$SHM"
  fi
  # The same records with the 案卷号 columns filled: the uniqueness check now remembers
  # 2 values a row (both scorers check it; the baseline in its own hash set).
  $B/tests/differential/gen_csv rubrics/2025/banan-individual.rubric 1000000 7 "$WORK/text.csv" "$WORK/p.csv"
  stream_pair "$WORK/text.csv" 1000000 "1,000,000 rows, 案卷号 filled"
  rm -f "$WORK/text.csv"
else
  echo "(install 'time' for the streaming comparison and peak RSS)"
fi
$B/tests/differential/gen_csv rubrics/2025/banan-individual.rubric 200000 7 "$WORK/small.csv" "$WORK/p.csv" --no-text
/usr/bin/time -f "generated scorer, 200,000 rows: wall %e s, peak RSS %M KB" "$WORK/scorer" "$WORK/small.csv" -o "$WORK/out2.csv" 2>&1 | tail -1 || true
