# Shared by the e2e scripts: a scratch folder removed at exit, and pass/fail
# counting. `source "$(dirname "$0")/harness.sh"`, call ok / bad "why" per
# check, and end with `finish NAME` (prints "NAME: N passed, N failed" and
# exits non-zero on any failure).
# PY: the system python3 starts fastest (no version-manager shim); HERE: the
# folder of the script that sources this (its rubrics and CSVs).
PY=python3
[[ -x /usr/bin/python3 ]] && PY=/usr/bin/python3
HERE=$(cd "$(dirname "$0")" && pwd)
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { echo "FAIL: $*"; fail=$((fail + 1)); }
finish() {
  echo "$1: $pass passed, $fail failed"
  [[ $fail -eq 0 ]]
}

# Checks every script uses: an exit status, a text that must (not) appear in a
# file (its start is shown on failure).
expect_rc() { if [[ $1 == "$2" ]]; then ok; else bad "$3: exit status $1, expected $2"; fi; }
expect_in() { if grep -qF -- "$2" "$1"; then ok; else bad "$3: expected '$2' in $1: $(head -c 1000 "$1")"; fi; }
expect_not_in() { if grep -qF -- "$2" "$1"; then bad "$3: did not expect '$2' in $1"; else ok; fi; }

# "id=total id=total …" of a results CSV, KEY naming the identifier column.
csv_totals() {  # FILE KEY
  "$PY" -c '
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8-sig")))
print(" ".join(r[sys.argv[2]] + "=" + r["总分"] for r in rows))' "$1" "$2"
}

# "key=c1/c2/…" per row of a results CSV, space-separated: KEY names the
# identifier column, each COLUMN a value (状态 cut at "：", a missing column empty).
csv_rows() {  # FILE KEY COLUMN…
  "$PY" -c '
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8-sig")))
def cell(r, c): return (r.get(c) or "").split("：")[0] if c == "状态" else r.get(c) or ""
print(" ".join(r[sys.argv[2]] + "=" + "/".join(cell(r, c) for c in sys.argv[3:]) for r in rows))' "$@"
}
# expect_rows FILE EXPECTED WHAT: the script's own `rows FILE` (usually csv_rows) gives EXPECTED.
expect_rows() {
  local got; got=$(rows "$1")
  if [[ $got == "$2" ]]; then ok; else bad "$3: rows $got, expected $2"; fi
}

# `check --werror` is clean and the rubric's 用例 pass (two checks).
expect_check_and_cases() {  # RUBRICC RUBRIC
  local rc=0
  "$1" check --werror "$2" >"$WORK/check.txt" 2>&1 || rc=$?
  expect_rc "$rc" 0 "check --werror $2: $(cat "$WORK/check.txt")"
  rc=0; "$1" test "$2" >"$WORK/test.txt" 2>&1 || rc=$?
  expect_rc "$rc" 0 "test $2: $(cat "$WORK/test.txt")"
}

# The arguments a bundled example needs besides the file itself, in EXARGS:
# --params NAME.params.csv when there is one, and --with 名=文件 for each line
# "名=文件" of NAME.with (the file relative to the example's folder; a rubric
# with 引用 … 全体另给 needs the imported scheme's records, language.md §2.4).
# needs_with EXAMPLE: true when the example has a NAME.with.
example_args() {
  local ex=$1 dir line
  dir=$(dirname "$ex")
  EXARGS=()
  [[ -f ${ex%.csv}.params.csv ]] && EXARGS+=(--params "${ex%.csv}.params.csv")
  if [[ -f ${ex%.csv}.with ]]; then
    while IFS= read -r line; do [[ -n $line ]] && EXARGS+=(--with "${line%%=*}=$dir/${line#*=}"); done < "${ex%.csv}.with"
  fi
  return 0
}
needs_with() { [[ -f ${1%.csv}.with ]]; }

# score_every_engine RUBRICC RUBRIC CSV EXPECTED: `score` (the JIT), `score --interp`, `score --threads 2` and a
# `build` executable (one batch, and batches of 2 records) — the JIT's and the interpreter's rows are EXPECTED
# (the script's own `rows`), the others byte-identical to the JIT's. Leaves $WORK/jit.csv and $WORK/score.err.
score_every_engine() {
  local rubricc=$1 rub=$2 csv=$3 expected=$4
  "$rubricc" score "$rub" "$csv" -o "$WORK/jit.csv" 2>"$WORK/score.err" || bad "score: $(cat "$WORK/score.err")"
  expect_rows "$WORK/jit.csv" "$expected" "score (JIT)"
  "$rubricc" score "$rub" "$csv" --interp -o "$WORK/interp.csv" 2>/dev/null
  expect_rows "$WORK/interp.csv" "$expected" "score --interp"
  if cmp -s "$WORK/jit.csv" "$WORK/interp.csv"; then ok; else bad "JIT and interpreter differ"; fi
  "$rubricc" score "$rub" "$csv" --threads 2 -o "$WORK/t2.csv" 2>/dev/null
  if cmp -s "$WORK/jit.csv" "$WORK/t2.csv"; then ok; else bad "--threads 2 differs"; fi
  "$rubricc" build "$rub" -o "$WORK/scorer" 2>"$WORK/build.err" || bad "build: $(cat "$WORK/build.err")"
  "$WORK/scorer" "$csv" -o "$WORK/exe.csv" 2>/dev/null
  if cmp -s "$WORK/jit.csv" "$WORK/exe.csv"; then ok; else bad "the built executable differs from score"; fi
  "$WORK/scorer" "$csv" --batch-size 2 -o "$WORK/exe2.csv" 2>/dev/null
  if cmp -s "$WORK/jit.csv" "$WORK/exe2.csv"; then ok; else bad "the built executable, batches of 2, differs"; fi
}
