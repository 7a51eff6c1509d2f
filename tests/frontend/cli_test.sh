#!/bin/sh
# The rubricc command line as CI and users see it: exit codes, output formats,
# message language, unreadable and non-UTF-8 input.
#   cli_test.sh RUBRICC RUBRICS_DIR TMPDIR
# Exits non-zero (after running every check) if any check fails.
set -u
. "$(dirname "$0")/cli_harness.sh"
RUBRICC=$(abs "$1")
RUBRICS=$(abs "$2")
TMP=$(abs "$3")
rm -rf "$TMP"
mkdir -p "$TMP"
cd "$TMP" || exit 2


cat >clean.rubric <<'EOF'
方案 甲 { 标题 "命令行测试" }
输入 { 单位: 文本 (标识); 达标: 是否 }
指标 一 "统一标识" 1分 { 当 达标 得 1分 }
EOF
cat >bad.rubric <<'EOF'
方案 甲 { }
输入 { 单位: 文本 (标识); 立案数: 件数 }
指标 一 "案件查办" 2分 { 当 立案数 得 2分 }
EOF
cat >warn.rubric <<'EOF'
方案 甲 { }
输入 { 单位: 文本 (标识); 达标: 是否; 着装问题: 次数 }
指标 一 "统一标识" 1分 { 当 达标 得 1分 }
EOF

# ── exit codes ──
run "check on a clean file" 0 "$RUBRICC" check clean.rubric
expect_in err.txt "检查了 1 个文件：0 个错误，0 个警告" "summary line of a clean check"
run "check on a file with an error" 1 "$RUBRICC" check bad.rubric
expect_in err.txt "bad.rubric:3:20: 错误[E0201]: 类型不符：此处需要是否（条件），实际为件数" "error location and message"
expect_in err.txt "检查了 1 个文件：1 个错误，0 个警告" "summary counts the error"
tr '\n' '\r' < bad.rubric > badcr.rubric  # old Mac line ends: a lone CR ends a line too
run "check on a bare-CR file with an error" 1 "$RUBRICC" check badcr.rubric
expect_in err.txt "badcr.rubric:3:20: 错误[E0201]" "a bare-CR file: the error on its own line, not line 1"
run "check on a warning-only file" 0 "$RUBRICC" check warn.rubric
expect_in err.txt "警告[W0801]" "the warning is shown"
run "--werror on a warning-only file" 1 "$RUBRICC" check --werror warn.rubric
run "--werror on a clean file" 0 "$RUBRICC" check --werror clean.rubric
run "several files, one bad" 1 "$RUBRICC" check clean.rubric bad.rubric warn.rubric
expect_in err.txt "检查了 3 个文件：1 个错误，1 个警告" "summary over several files"
run "-q drops the summary" 1 "$RUBRICC" check -q bad.rubric
if grep -qF "检查了" err.txt; then fail "-q still prints the summary"; else pass "-q prints no summary"; fi

# ── every rubric in the repository together ──
# shellcheck disable=SC2046
run "check every rubric under rubrics/" 0 "$RUBRICC" check $(find "$RUBRICS" -name '*.rubric' | sort)

# ── machine-readable formats ──
run "--format json (errors)" 1 "$RUBRICC" check --format json bad.rubric
if command -v python3 >/dev/null 2>&1; then
  if python3 -c '
import json, sys
d = json.load(sys.stdin)
assert isinstance(d, list) and len(d) == 1, d
e = d[0]
assert e["code"] == "E0201" and e["severity"] == "error", e
assert e["line"] == 3 and e["column"] == 20 and e["file"] == "bad.rubric", e
' <out.txt; then pass "json output parses and names code, severity, file, line, column"
  else fail "json output"; sed 's/^/     | /' out.txt | head -20; fi
else
  expect_in out.txt '"code": "E0201"' "json output names the code (no python3)"
fi
run "--format json (clean) prints an empty list" 0 "$RUBRICC" check --format json clean.rubric
if [ "$(tr -d ' \n' <out.txt)" = "[]" ]; then pass "clean json is []"; else fail "clean json is not []"; cat out.txt; fi

run "--format sarif" 1 "$RUBRICC" check --format sarif bad.rubric
expect_in out.txt '"version": "2.1.0"' "sarif version 2.1.0"
expect_in out.txt '"ruleId": "E0201"' "sarif result names the rule"
if command -v python3 >/dev/null 2>&1; then
  if python3 -c '
import json, sys
d = json.load(sys.stdin)
assert d["version"] == "2.1.0"
r = d["runs"][0]["results"][0]
assert r["ruleId"] == "E0201" and r["level"] == "error"
reg = r["locations"][0]["physicalLocation"]["region"]
assert reg["startLine"] == 3 and reg["startColumn"] == 20, reg
' <out.txt; then pass "sarif parses, with a located result"; else fail "sarif structure"; fi
fi

# ── language ──
run "--lang en" 1 "$RUBRICC" --lang en check bad.rubric
expect_in err.txt "error[E" "English severity word"
expect_in err.txt "bad.rubric:3:20: error[E0201]: type mismatch: expected" "English message"
expect_in err.txt "checked 1 file(s): 1 error(s), 0 warning(s)" "English summary"
run "--lang xx is a usage error" 2 "$RUBRICC" --lang xx check clean.rubric
# Usage errors are Chinese (CLI11's English with --lang en); the missing-subcommand
# message lists the subcommands rubricc really has, new ones included.
run "no subcommand" 2 "$RUBRICC"
expect_in err.txt "用法错误：需要一个子命令（check、fmt、diff、lsp、" "the usage error names every subcommand, in Chinese"
run "a missing argument of diff" 2 "$RUBRICC" diff clean.rubric
expect_in err.txt "用法错误：缺少必需的参数 new" "a missing argument is named in Chinese"

# ── unreadable input ──
# A missing file is E0001 and, like every unreadable file, exit 2 (issue 8:
# 1 = diagnostics, 2 = usage errors or unreadable files).
run "missing file" 2 "$RUBRICC" check does-not-exist.rubric
expect_in err.txt "E0001" "a missing file is E0001"
expect_in err.txt "does-not-exist.rubric" "the missing file is named"
run "no file at all" 2 "$RUBRICC" check
# The path exists but cannot be read. A Unix socket is not a regular file
# (E0111, refused before it is opened); chmod 000 works for other users (E0001).
made=""
if command -v python3 >/dev/null 2>&1 &&
   python3 -c 'import socket,sys; s=socket.socket(socket.AF_UNIX); s.bind(sys.argv[1])' unreadable.rubric 2>/dev/null; then
  made=socket
elif [ "$(id -u)" -ne 0 ]; then
  cp clean.rubric unreadable.rubric && chmod 000 unreadable.rubric && made=chmod
fi
if [ -n "$made" ]; then
  run "unreadable file ($made)" 2 "$RUBRICC" check unreadable.rubric
  if [ "$made" = socket ]; then
    expect_in err.txt "错误[E0111]: 不是普通文件，未读取：unreadable.rubric" "E0111 names the file"
  else
    expect_in err.txt "错误[E0001]: 无法读取文件：unreadable.rubric" "E0001 names the file"
  fi
else
  echo "skip - E0001: cannot make an unreadable file here"
fi

# E0002 with line and column: byte 0xFF after 达 on line 2.
printf '方案 甲 { }\n输入 { 单位: 文本 (标识); 达\377标: 是否 }\n' >utf8.rubric
run "invalid UTF-8" 1 "$RUBRICC" check utf8.rubric
expect_in err.txt "utf8.rubric:2:20: 错误[E0002]: 文件不是有效的 UTF-8 编码（第 53 字节）" "E0002 with line, column and byte"
# GBK text (what Chinese Excel / Notepad may save): 方案 in GBK is B7 BD B0 B8
printf '\267\275\260\270 \274\327 { }\n' >gbk.rubric
run "a GBK file" 1 "$RUBRICC" check gbk.rubric
expect_in err.txt "gbk.rubric:1:1: 错误[E0002]" "GBK is reported as not UTF-8 at 1:1"

# ── --emit ast ──
run "--emit ast" 0 "$RUBRICC" check --emit ast clean.rubric
expect_in out.txt '指标 一 "统一标识" 1分' "the AST dump shows the indicator"

# ── lowering diagnostics (E0901, E0902) appear when a scorer is built ──
cat >e0902.rubric <<'EOF'
方案 甲 { }
输入 { 单位: 文本 (标识); 成绩: 小数; 位数: 件数 }
指标 一 "比武成绩" 18分 { 得 四舍五入(成绩, 位数) }
EOF
cat >e0901.rubric <<'EOF'
方案 甲 { }
输入 { 单位: 文本 (标识); 地区: 文本 }
指标 一 "地区" 1分 { 当 地区 = "巴南" 得 1分 }
EOF
if "$RUBRICC" --help 2>&1 | grep -q '^ *template'; then
  run "template: rounding digits must be constant" 1 "$RUBRICC" template e0902.rubric
  expect_in err.txt "e0902.rubric:3:30: 错误[E0902]: 四舍五入的位数必须是常数" "E0902"
  run "template: text cannot be scored" 1 "$RUBRICC" template e0901.rubric
  expect_in err.txt "错误[E0901]: 无法生成评分程序：" "E0901"
else
  echo "skip - E0901/E0902: no template subcommand"
fi

echo "$failures failure(s)"
[ "$failures" -eq 0 ]
