#!/usr/bin/env bash
# The baseline and the generated scorer on the same N random rows of 2025 巴南 个人
# (tests/differential/gen_csv: values biased to every bound and cap, 0–5 rounds, the
# 案卷号 text columns filled): both must score every row and write identical output —
# id, status, exact total, the four indicators, the rank and the 校验 cell of every row.
# Usage: check_against_scorer.sh RUBRICC GEN_CSV BANAN_BASELINE RUBRIC [N [SEED]]
set -uo pipefail
RUBRICC=$1 GEN=$2 BASE=$3 RUBRIC=$4 N=${5:-20000} SEED=${6:-13}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

"$GEN" "$RUBRIC" "$N" "$SEED" "$WORK/in.csv" "$WORK/p.csv" || fail "gen_csv"
# gen_csv's 案卷号 never repeat: every 50th row's 推荐案卷号 is copied into the 抽查案卷号 of the row 7 below,
# so that the 唯一 check fails on some rows and both scorers must name it in the same rows' 校验 cells.
python3 - "$WORK/in.csv" <<'PY' || fail "sharing 案卷号"
import csv, sys
rows = list(csv.reader(open(sys.argv[1], encoding="utf-8-sig", newline="")))
rec, smp = rows[0].index("推荐案卷号"), rows[0].index("抽查案卷号")
for i in range(1, len(rows) - 7, 50):
    if rows[i][rec]: rows[i + 7][smp] = rows[i][rec]
csv.writer(open(sys.argv[1], "w", encoding="utf-8", newline=""), lineterminator="\n").writerows(rows)
PY
"$RUBRICC" build "$RUBRIC" -o "$WORK/scorer" || fail "rubricc build"
"$WORK/scorer" "$WORK/in.csv" -o "$WORK/generated.csv" 2> "$WORK/generated.err"
rc=$?  # 1: the failed checks (every row is still scored)
[ $rc -le 1 ] && [ -s "$WORK/generated.csv" ] || fail "generated scorer ($rc): $(tail -3 "$WORK/generated.err")"
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
shared=$(grep -c ',不同候选个人不得共用同一份案卷$' "$WORK/baseline.csv")
[ "$shared" -gt 0 ] || fail "no row shares a 案卷 with an earlier one"
echo "baseline = generated scorer on $N rows ($vetoed vetoed, $shared sharing a 案卷 with an earlier row)"
