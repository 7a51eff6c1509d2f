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
