#!/bin/sh
# `rubricc check --format sarif` validated against the official SARIF 2.1.0
# schema (tests/sarif/sarif-schema-2.1.0.json, from github.com/oasis-tcs/sarif-spec,
# sarif-2.1/schema/sarif-schema-2.1.0.json) with format checking on.
# usage: sarif_test.sh RUBRICC RUBRICS_DIR SCRATCH
set -u
RUBRICC=$1 RUBRICS=$2 TMP=$3
HERE=$(cd "$(dirname "$0")" && pwd)
rm -rf "$TMP" && mkdir -p "$TMP/带 空格"
PY=/usr/bin/python3   # the Debian interpreter that python3-jsonschema serves

# A clean rubric; one with a did-you-mean (note → relatedLocations, fix-it →
# fixes); an unclosed { (note + fix); a warning; a file that cannot be read; a
# path with CJK and a space (percent-encoded URI).
cp "$RUBRICS/2025/banan-individual.rubric" "$TMP/clean.rubric"
printf '方案 甲 { }\n输入 { 单位: 文本 (标识); 达标: 是否 }\n指标 一 "甲" 1分 { 当 达表 得 1分 }\n' > "$TMP/typo.rubric"
printf '方案 甲 { }\n输入 { 单位: 文本 (标识); 达标: 是否 }\n指标 一 "甲" 2分 {\n  项 1 "乙" 1分 {\n    当 达标 得 1分\n  项 2 "丙" 1分 {\n    当 达标 得 1分\n  }\n}\n' > "$TMP/brace.rubric"
printf '方案 甲 { }\n输入 { 单位: 文本 (标识); 达标: 是否; 多余: 是否 }\n指标 一 "甲" 1分 { 当 达标 得 1分 }\n' > "$TMP/带 空格/警告.rubric"

"$RUBRICC" check --format sarif "$TMP/clean.rubric" > "$TMP/clean.sarif"
"$RUBRICC" check --format sarif "$TMP/typo.rubric" > "$TMP/typo.sarif"
"$RUBRICC" --lang en check --format sarif "$TMP/typo.rubric" > "$TMP/typo-en.sarif"
"$RUBRICC" check --format sarif "$TMP/brace.rubric" > "$TMP/brace.sarif"
"$RUBRICC" check --format sarif "$TMP/带 空格/警告.rubric" > "$TMP/warn.sarif"
"$RUBRICC" check --format sarif "$TMP/missing.rubric" > "$TMP/missing.sarif"
(cd "$TMP" && "$RUBRICC" check --format sarif typo.rubric > relative.sarif)

"$PY" "$HERE/validate_sarif.py" "$HERE/sarif-schema-2.1.0.json" \
  "$TMP/clean.sarif" \
  "$TMP/typo.sarif" --expect=E0101:relatedLocations --expect=E0101:fixes \
  "$TMP/typo-en.sarif" --expect=E0101:fixes \
  "$TMP/brace.sarif" --expect=E0009:relatedLocations --expect=E0009:fixes \
  "$TMP/warn.sarif" --expect=W0801:locations \
  "$TMP/missing.sarif" \
  "$TMP/relative.sarif" --expect=E0101:fixes
