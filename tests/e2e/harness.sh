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
