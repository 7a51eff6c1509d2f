#!/usr/bin/env bash
# The baseline and the generated scorer on the same N random rows of 2025 巴南 个人
# (tests/differential/gen_csv: values biased to every bound and cap, 0–5 rounds, the
# 案卷号 text columns filled): both must score every row and write identical output —
# id, status, exact total, the four indicators and the rank of every row.
# Usage: check_against_scorer.sh RUBRICC GEN_CSV BANAN_BASELINE RUBRIC [N [SEED]]
set -uo pipefail
RUBRICC=$1 GEN=$2 BASE=$3 RUBRIC=$4 N=${5:-20000} SEED=${6:-13}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

"$GEN" "$RUBRIC" "$N" "$SEED" "$WORK/in.csv" "$WORK/p.csv" || fail "gen_csv"
"$RUBRICC" build "$RUBRIC" -o "$WORK/scorer" || fail "rubricc build"
"$WORK/scorer" "$WORK/in.csv" -o "$WORK/generated.csv" 2> "$WORK/generated.err" || fail "generated scorer: $(tail -3 "$WORK/generated.err")"
"$BASE" "$WORK/in.csv" -o "$WORK/baseline.csv" 2> "$WORK/baseline.err" || fail "baseline: $(tail -3 "$WORK/baseline.err")"

rows=$(($(wc -l < "$WORK/baseline.csv") - 1))
[ "$rows" -eq "$N" ] || fail "baseline wrote $rows rows, expected $N"
if ! cmp -s "$WORK/generated.csv" "$WORK/baseline.csv"; then
  echo "first differing rows (< generated, > baseline):"
  diff "$WORK/generated.csv" "$WORK/baseline.csv" | head -20
  fail "$(diff "$WORK/generated.csv" "$WORK/baseline.csv" | grep -c '^<') of $N rows differ"
fi
# The same rows must have been vetoed and ranked: a sanity check that the data exercised both.
vetoed=$(grep -c ',取消资格：' "$WORK/baseline.csv")
[ "$vetoed" -gt 0 ] && [ "$vetoed" -lt "$N" ] || fail "no mix of vetoed and valid rows ($vetoed vetoed)"
echo "baseline = generated scorer on $N rows ($vetoed vetoed)"
