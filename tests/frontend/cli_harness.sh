# Shared by the command-line test scripts (sh): pass/fail counting, `run` and
# the output checks. Source it before leaving the script's directory:
#   . "$(dirname "$0")/cli_harness.sh"
abs() { case $1 in /*) echo "$1" ;; *) echo "$PWD/$1" ;; esac; }
failures=0
pass() { echo "ok   - $1"; }
fail() { echo "FAIL - $1"; failures=$((failures + 1)); }

# run NAME EXPECTED_EXIT CMD... : runs CMD with stdout → out.txt, stderr → err.txt
run() {
  name=$1; want=$2; shift 2
  "$@" >out.txt 2>err.txt
  got=$?
  if [ "$got" -eq "$want" ]; then pass "$name (exit $got)"; else
    fail "$name: exit $got, expected $want"; sed 's/^/     | /' err.txt out.txt | head -20; fi
}
# expect_in FILE TEXT NAME : FILE contains the fixed string TEXT
expect_in() {
  if grep -qF -- "$2" "$1"; then pass "$3"; else fail "$3: '$2' not in $1"; sed 's/^/     | /' "$1" | head -20; fi
}
# expect_not_in FILE TEXT NAME : FILE does not contain TEXT
expect_not_in() {
  if grep -qF -- "$2" "$1"; then fail "$3: '$2' is in $1"; else pass "$3"; fi
}
