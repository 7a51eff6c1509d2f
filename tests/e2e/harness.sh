# Shared by the e2e scripts: a scratch folder removed at exit, and pass/fail
# counting. `source "$(dirname "$0")/harness.sh"`, call ok / bad "why" per
# check, and end with `finish NAME` (prints "NAME: N passed, N failed" and
# exits non-zero on any failure).
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
  python3 -c '
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8-sig")))
print(" ".join(r[sys.argv[2]] + "=" + r["总分"] for r in rows))' "$1" "$2"
}
