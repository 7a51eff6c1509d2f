// Cell parsing per ValueKind: exact, full-width tolerant, strict about ambiguity.
#include <catch2/catch.hpp>

#include "kernel_helpers.h"
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

TEST_CASE("Year-set cells: separators, 年, full-width digits; refused when not four-digit years 1990–2052") {
  auto bit = [](int year) { return int64_t{1} << (year - 1990); };  // RB_YEAR_SET_FIRST = 1990
  int64_t three = bit(2022) | bit(2023) | bit(2024);
  CHECK(ok("2022、2023、2024", ValueKind::YearSet) == three);
  CHECK(ok("2024,2022,2023", ValueKind::YearSet) == three);          // any order
  CHECK(ok("2022，2023；2024", ValueKind::YearSet) == three);        // full-width ， ；
  CHECK(ok("2022年、2023年、2024年", ValueKind::YearSet) == three);
  CHECK(ok("２０２２ ２０２３ 2024", ValueKind::YearSet) == three);   // full-width digits, spaces
  CHECK(ok("2022、2022、2023、2024", ValueKind::YearSet) == three);  // a repeat counts once
  CHECK(ok("1990/2052", ValueKind::YearSet) == (bit(1990) | bit(2052)));  // both ends of the range
  CHECK(formatValue(three | bit(2019), ValueKind::YearSet, {}) == "2019、2022、2023、2024");
  CHECK(formatValue(0, ValueKind::YearSet, {}) == "");
  // "、、": separators and no year is refused too (a blank cell, meaning no year, never reaches parseCell).
  for (const char *text : {"2022、23", "1989", "2053", "20222", "二〇二二", "2022-2024", "2022x", "2022年年", "、、"}) {
    INFO(text);
    CHECK(bad(text, ValueKind::YearSet) == CellIssue::NotYearSet);
  }
  CHECK(expectedText(ValueKind::YearSet, {}, Lang::Zh).find("2022、2023、2024") != std::string::npos);
}

TEST_CASE("连续年数: consecutive years of a set ending at the final year (rb_kernel_year_run)") {
  auto bit = [](int year) { return int64_t{1} << (year - 1990); };
  int64_t years = bit(2019) | bit(2022) | bit(2023) | bit(2024);
  CHECK(rb_kernel_year_run(years, 2024) == 3 * RB_DEC_ONE);  // 2024, 2023, 2022; 2021 missing
  CHECK(rb_kernel_year_run(years, 2023) == 2 * RB_DEC_ONE);  // 2023, 2022
  CHECK(rb_kernel_year_run(years, 2025) == 0);               // 2025 itself is not in the set
  CHECK(rb_kernel_year_run(years, 2019) == 1 * RB_DEC_ONE);  // 2019; 2018 missing
  CHECK(rb_kernel_year_run(0, 2024) == 0);
  CHECK(rb_kernel_year_run(bit(1990) | bit(1991), 1991) == 2 * RB_DEC_ONE);  // stops at the first year a set holds
  CHECK(rb_kernel_year_run(years, 2060) == 0);               // beyond the last year a set holds
  CHECK(rb_kernel_year_run(bit(2052) | bit(2051), 2052) == 2 * RB_DEC_ONE);
}

TEST_CASE("Date cells: 2021-12-31, 2021/12/31, 2021年12月31日 → yyyymmdd; month only and impossible days refused") {
  CHECK(ok("2021-12-31", ValueKind::Date) == 20211231);
  CHECK(ok("2021/12/31", ValueKind::Date) == 20211231);
  CHECK(ok("2021.12.31", ValueKind::Date) == 20211231);
  CHECK(ok("2021年12月31日", ValueKind::Date) == 20211231);
  CHECK(ok(" 2021年12月1日 ", ValueKind::Date) == 20211201);   // trimmed; the day without a leading 0
  CHECK(ok("2022-6-30", ValueKind::Date) == 20220630);
  CHECK(ok("２０２２／０６／３０", ValueKind::Date) == 20220630);  // full-width digits and slashes
  CHECK(ok("2024-02-29", ValueKind::Date) == 20240229);         // 2024 is a leap year
  CHECK(bad("2023-02-29", ValueKind::Date) == CellIssue::DateNoSuchDay);  // 2023 is not
  CHECK(bad("2021-04-31", ValueKind::Date) == CellIssue::DateNoSuchDay);
  CHECK(bad("2021年12月", ValueKind::Date) == CellIssue::DateMonthOnly);
  CHECK(bad("2021-12", ValueKind::Date) == CellIssue::DateMonthOnly);
  for (const char *text : {"20211231", "12/31/2021", "2021-13-01", "2021年12月31号", "明年", "2021--12-31",
                          "1899-12-31", "2021-12-31 10:00"}) {
    INFO(text);
    CHECK(bad(text, ValueKind::Date) == CellIssue::NotDate);
  }
  CHECK(formatValue(20211231, ValueKind::Date, {}) == "2021-12-31");
  CHECK(formatValue(20220105, ValueKind::Date, {}) == "2022-01-05");
  CHECK(expectedText(ValueKind::Date, {}, Lang::Zh) == "日期（如 2021-12-31、2021/12/31、2021年12月31日）");
  CHECK(issueText(CellIssue::DateMonthOnly, Lang::Zh).find("须写到日") != std::string::npos);
  CHECK(issueText(CellIssue::DateNoSuchDay, Lang::En) == "the month has no such day");
}
