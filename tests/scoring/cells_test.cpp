// Cell parsing per ValueKind: exact, full-width tolerant, strict about ambiguity.
#include <catch2/catch.hpp>

#include "rubric_decimal.h"
#include "runtime/scoring/Cells.h"
#include "runtime/scoring/Text.h"

using namespace rubric::runtime;

namespace {

int64_t ok(std::string_view text, ValueKind kind, const std::vector<std::string> &e = {}) {
  int64_t v = -999;
  CellIssue is = parseCell(text, kind, e, v);
  INFO(std::string(text));
  REQUIRE(is == CellIssue::None);
  return v;
}

CellIssue bad(std::string_view text, ValueKind kind, const std::vector<std::string> &e = {}) {
  int64_t v = -999;
  CellIssue is = parseCell(text, kind, e, v);
  CHECK(v == -999);
  return is;
}

} // namespace

TEST_CASE("Decimal cells: exact, full-width digits, thousands separators, white space") {
  CHECK(ok("12.5", ValueKind::Decimal) == 12'500'000);
  CHECK(ok("0.1", ValueKind::Decimal) == 100'000);
  CHECK(ok("-3", ValueKind::Decimal) == -3'000'000);
  CHECK(ok("１２．５", ValueKind::Decimal) == 12'500'000);
  CHECK(ok("1,234", ValueKind::Decimal) == 1'234'000'000);
  CHECK(ok("1,234,567.25", ValueKind::Decimal) == 1'234'567'250'000);
  CHECK(ok("１，２３４", ValueKind::Decimal) == 1'234'000'000);
  CHECK(ok(" 7 ", ValueKind::Decimal) == 7'000'000);
  CHECK(ok("\xE3\x80\x80" "7\xC2\xA0", ValueKind::Decimal) == 7'000'000);  // U+3000, NBSP
  CHECK(ok(".5", ValueKind::Decimal) == 500'000);
  CHECK(ok("－2", ValueKind::Decimal) == -2'000'000);
  CHECK(ok("9223372036854.775807", ValueKind::Decimal) == INT64_MAX);
  CHECK(bad("12,34", ValueKind::Decimal) == CellIssue::Syntax);
  CHECK(bad("1,2345", ValueKind::Decimal) == CellIssue::Syntax);
  CHECK(bad(",123", ValueKind::Decimal) == CellIssue::Syntax);
  CHECK(bad("1e5", ValueKind::Decimal) == CellIssue::Syntax);
  CHECK(bad("三", ValueKind::Decimal) == CellIssue::Syntax);
  CHECK(bad(".", ValueKind::Decimal) == CellIssue::Syntax);
  CHECK(bad("-", ValueKind::Decimal) == CellIssue::Syntax);
  CHECK(bad("0.1234567", ValueKind::Decimal) == CellIssue::Precision);
  CHECK(bad("99999999999999", ValueKind::Decimal) == CellIssue::Overflow);
}

TEST_CASE("Percent cells: 85% and 0.85 are the same — a bare 85 is refused") {
  CHECK(ok("85%", ValueKind::Percent) == 850'000);
  CHECK(ok("0.85", ValueKind::Percent) == 850'000);
  CHECK(ok("８５％", ValueKind::Percent) == 850'000);
  CHECK(ok("85.5%", ValueKind::Percent) == 855'000);
  CHECK(ok("100%", ValueKind::Percent) == 1'000'000);
  CHECK(ok("150%", ValueKind::Percent) == 1'500'000);
  CHECK(ok("1", ValueKind::Percent) == 1'000'000);
  CHECK(ok("0.0001%", ValueKind::Percent) == 1);
  CHECK(ok("85 %", ValueKind::Percent) == 850'000);
  CHECK(bad("85", ValueKind::Percent) == CellIssue::PercentAmbiguous);
  CHECK(bad("0.00001%", ValueKind::Percent) == CellIssue::Precision);
  CHECK(bad("%", ValueKind::Percent) == CellIssue::Syntax);
  CHECK(bad("八十%", ValueKind::Percent) == CellIssue::Syntax);
}

TEST_CASE("Count cells: whole and non-negative") {
  CHECK(ok("3", ValueKind::Count) == 3 * RB_DEC_ONE);
  CHECK(ok("３", ValueKind::Count) == 3 * RB_DEC_ONE);
  CHECK(ok("1,200", ValueKind::Count) == 1200 * RB_DEC_ONE);
  CHECK(ok("3.0", ValueKind::Count) == 3 * RB_DEC_ONE);
  CHECK(ok("0", ValueKind::Count) == 0);
  CHECK(bad("-1", ValueKind::Count) == CellIssue::Negative);
  CHECK(bad("2.5", ValueKind::Count) == CellIssue::NotWhole);
  CHECK(bad("三", ValueKind::Count) == CellIssue::Syntax);
}

TEST_CASE("Bool cells: the spellings people type") {
  for (const char *y : {"是", "√", "✓", "✔", "1", "true", "TRUE", "yes", "Yes", "Y", "y", "对", "有"})
    CHECK(ok(y, ValueKind::Bool) == 1);
  for (const char *n : {"否", "×", "✗", "✘", "0", "false", "False", "no", "NO", "N", "n", "错", "无"})
    CHECK(ok(n, ValueKind::Bool) == 0);
  CHECK(bad("是的吧", ValueKind::Bool) == CellIssue::NotBool);
  CHECK(bad("2", ValueKind::Bool) == CellIssue::NotBool);
}

TEST_CASE("Enum cells: the exact value name, by declared index") {
  std::vector<std::string> e{"无", "市级", "省级"};
  CHECK(ok("市级", ValueKind::Enum, e) == 1);
  CHECK(ok(" 省级 ", ValueKind::Enum, e) == 2);
  CHECK(bad("国家级", ValueKind::Enum, e) == CellIssue::NotEnum);
  CHECK(bad("1", ValueKind::Enum, e) == CellIssue::NotEnum);
}

TEST_CASE("expected-type texts name the type in Chinese and English") {
  CHECK(expectedText(ValueKind::Enum, {"无", "市级"}, Lang::Zh) == "选项（无、市级 之一）");
  CHECK(expectedText(ValueKind::Enum, {"无", "市级"}, Lang::En) == "option (one of 无, 市级)");
  CHECK(expectedText(ValueKind::Count, {}, Lang::Zh) == "件数（非负整数）");
  CHECK(formatValue(3 * RB_DEC_ONE, ValueKind::Count, {}) == "3");
  CHECK(formatValue(1, ValueKind::Bool, {}) == "是");
}

TEST_CASE("text helpers: trimming, header normalisation, edit distance over code points") {
  CHECK(trimCell("\xEF\xBB\xBF a \t") == "a");
  CHECK(normalizeHeader(" 帮扶轮次［２］．任务完成 ") == "帮扶轮次[2].任务完成");
  CHECK(editDistance("帮扶轮次", "帮扶论次") == 1);
  CHECK(suggest("帮扶论次[1].任务完成", {"帮扶轮次[1].任务完成", "姓名"}) == std::optional<std::string>("帮扶轮次[1].任务完成"));
  CHECK_FALSE(suggest("完全不同的名字", {"姓名"}).has_value());
}
