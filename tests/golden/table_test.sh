#!/usr/bin/env bash
# Golden test: every titled, pointed row of each seed table must appear in that
# scheme's `rubricc table --format md` output with the same point value.
#
#   usage: table_test.sh RUBRICC REPO_ROOT
#
# Expected rows live in seed_tables/<year>-<name>.tsv next to this script, one
# line per seed row:  title<TAB>points<TAB>seed-file:line  ('#' lines are
# comments). They were read from the seed documents, not from the rubric files,
# so a failure here is a transcription error in rubrics/<year>/<name>.rubric
# (or a deliberate deviation that the data file must then document).
#
# Titles are compared after the same normalisation on both sides: whitespace
# removed; full-/half-width brackets, quotes and ，；：！？％ mapped to one form;
# a trailing 。 and a trailing (加分项)/(扣分项)/(否决项)/(一票否决项) dropped.
# Points are compared as numbers; the 分值 cell must be a plain number, with an
# optional 分 ("5", "5分", "0.8"); "（最高2）" and empty cells never match.
# Each rubric row satisfies at most one expected line, so a title expected
# twice must appear twice.
set -u

if [ $# -ne 2 ]; then
  echo "usage: $0 RUBRICC REPO_ROOT" >&2
  exit 2
fi
rubricc=$1
root=$2
here=$(cd "$(dirname "$0")" && pwd)
data=$here/seed_tables

if [ ! -x "$rubricc" ]; then
  echo "FAIL: rubricc binary '$rubricc' is not executable" >&2
  exit 2
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/golden-tables.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# The checker. Input: the markdown table (mdfile), then the .tsv.
read -r -d '' CHECK <<'AWK'
function norm(s) {
  gsub(/<br>/, "", s)
  gsub(/[ \t\r\n]/, "", s)
  gsub(/　/, "", s)                       # U+3000 ideographic space
  gsub(/ /, "", s)                        # U+00A0 no-break space
  gsub(/（|﹙/, "(", s); gsub(/）|﹚/, ")", s)
  gsub(/【|〔|［|〖/, "[", s); gsub(/】|〕|］|〗/, "]", s)
  gsub(/“|”|„|‟|＂|「|」|『|』|〝|〞/, "\"", s)
  gsub(/‘|’|‚|‛|＇/, "'", s)
  gsub(/，/, ",", s); gsub(/；/, ";", s); gsub(/：/, ":", s)
  gsub(/！/, "!", s); gsub(/？/, "?", s); gsub(/％/, "%", s)
  sub(/(。|\.)+$/, "", s)
  sub(/\((加分项|扣分项|否决项|一票否决项)\)$/, "", s)
  sub(/(。|\.)+$/, "", s)
  return s
}
function trim(s) { sub(/^[ \t]+/, "", s); sub(/[ \t]+$/, "", s); return s }
# numeric value of a points cell, or "" when it is not a plain number
function pnum(s) {
  s = trim(s); gsub(/[ \t]|　| /, "", s); sub(/分$/, "", s)
  if (s !~ /^[0-9]+(\.[0-9]+)?$/) return ""
  return s + 0
}
BEGIN { FS = "\t"; nrows = 0; tcol = 0; pcol = 0; exp_n = 0; bad = 0 }
# ---- markdown table -------------------------------------------------------
FILENAME == mdfile {
  if ($0 !~ /^\|/) { tcol = 0; next }        # leaving a table resets the header
  line = $0
  gsub(/\\\|/, "\001", line)                 # escaped pipes inside cells
  n = split(line, c, "|")
  for (i = 1; i <= n; i++) { gsub(/\001/, "|", c[i]); c[i] = trim(c[i]) }
  if (tcol == 0) {                           # header row of a table
    for (i = 1; i <= n; i++) {
      if (c[i] == "指标/评审内容") tcol = i
      if (c[i] == "分值") pcol = i
    }
    if (tcol == 0 || pcol == 0) tcol = -1    # some other table: ignore it
    next
  }
  if (tcol < 0) next
  if (c[tcol] ~ /^-+$/) next                 # |---|---| separator
  nrows++
  rt[nrows] = c[tcol]; rn[nrows] = norm(c[tcol]); rp[nrows] = c[pcol]
  rv[nrows] = pnum(c[pcol]); used[nrows] = 0
  next
}
# ---- expected rows ---------------------------------------------------------
/^#/ || /^[ \t]*$/ { next }
{
  exp_n++
  if (NF != 3) { printf "  BAD DATA  %s line %d: want title<TAB>points<TAB>seed:line\n", tsv, FNR; bad++; next }
  want = pnum($2)
  if (want == "") { printf "  BAD DATA  %s line %d: points '%s' is not a number\n", tsv, FNR, $2; bad++; next }
  key = norm($1); hit = 0
  for (i = 1; i <= nrows; i++)
    if (!used[i] && rn[i] == key && rv[i] != "" && rv[i] == want) { used[i] = 1; hit = i; break }
  if (hit) next
  bad++
  have = ""
  for (i = 1; i <= nrows; i++)
    if (rn[i] == key) have = have (have == "" ? "" : ", ") "'" rp[i] "'" (used[i] ? " (already matched)" : "")
  if (have == "")
    printf "  MISSING   %s | %s分 | seed %s | no row titled so in %s\n", $1, $2, $3, rubric
  else
    printf "  POINTS    %s | seed %s分 | rubric 分值 %s | seed %s | %s\n", $1, $2, have, $3, rubric
}
END {
  if (nrows == 0) { printf "  NO TABLE  no 指标/评审内容 | 分值 rows parsed from rubricc output for %s\n", rubric; bad++ }
  printf "%d %d\n", exp_n, bad > "/dev/stderr"
  exit (bad > 0 ? 1 : 0)
}
AWK

schemes=0
failed=0
total_expected=0
total_bad=0
shopt -s nullglob
for tsv in "$data"/*.tsv; do
  base=$(basename "$tsv" .tsv)
  year=${base%%-*}
  name=${base#*-}
  rel=rubrics/$year/$name.rubric
  schemes=$((schemes + 1))
  if [ ! -f "$root/$rel" ]; then
    echo "FAIL $base: $rel does not exist"
    failed=$((failed + 1))
    continue
  fi
  if ! "$rubricc" table "$root/$rel" --format md >"$tmp/$base.md" 2>"$tmp/$base.err"; then
    echo "FAIL $base: rubricc table $rel --format md failed:"
    sed 's/^/  /' "$tmp/$base.err"
    failed=$((failed + 1))
    continue
  fi
  LC_ALL=C awk -v mdfile="$tmp/$base.md" -v tsv="seed_tables/$base.tsv" -v rubric="$rel" "$CHECK" \
    "$tmp/$base.md" "$tsv" >"$tmp/$base.out" 2>"$tmp/$base.count"
  rc=$?
  read -r n bad <"$tmp/$base.count" || { n=0; bad=1; }
  total_expected=$((total_expected + n))
  total_bad=$((total_bad + bad))
  if [ $rc -eq 0 ]; then
    echo "ok   $base: $n seed rows found in $rel"
  else
    echo "FAIL $base: $bad of $n seed rows missing or mismatched in $rel"
    cat "$tmp/$base.out"
    failed=$((failed + 1))
  fi
done

# Every bundled rubric should have its seed table here.
for r in "$root"/rubrics/*/*.rubric; do
  y=$(basename "$(dirname "$r")")
  b=$(basename "$r" .rubric)
  [ -f "$data/$y-$b.tsv" ] || echo "warning: rubrics/$y/$b.rubric has no seed_tables/$y-$b.tsv"
done

if [ $schemes -eq 0 ]; then
  echo "FAIL: no seed tables under $data"
  exit 1
fi
echo "$schemes schemes, $total_expected expected seed rows, $total_bad missing/mismatched, $failed schemes failing"
[ $failed -eq 0 ]
