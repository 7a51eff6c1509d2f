// Cell parsing per ValueKind: exact, full-width tolerant, strict about ambiguity.
#include <catch2/catch.hpp>

#include "kernel_helpers.h"
#include "rubric_decimal.h"
#include "runtime/scoring/Cells.h"
#include "runtime/scoring/Text.h"
#include "runtime/scoring/YearSet.h"

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
  // The one rule for diagnostics and messages: at most a third of the name's code points
  // ((len + 1) / 3, at least 1): 4 code points allow 1 edit, 5 allow 2 …
  CHECK_FALSE(suggest("案卷评比", {"案卷查办"}).has_value());  // 4 code points, 2 edits (评→查, 比→办)
  CHECK(suggest("新装各办按", {"新装备办案"}) == std::optional<std::string>("新装备办案"));  // 5, 2 edits (各→备, 按→案)
  // … or a candidate that contains the name or is contained in it (both 2 code points or more),
  CHECK(suggest("案卷评查", {"姓名", "案卷评查得分"}) == std::optional<std::string>("案卷评查得分"));
  CHECK(suggest("刑事移送立案件数", {"刑事移送"}) == std::optional<std::string>("刑事移送"));
  CHECK_FALSE(suggest("案", {"案卷评查得分"}).has_value());
  // … never the name itself.
  CHECK_FALSE(suggest("姓名", {"姓名"}).has_value());
}

TEST_CASE("trimCell: its quick test of both ends strips exactly what trimCellSlow strips") {
  // Pieces that are white space (ASCII, NBSP, U+3000, BOM), pieces that only
  // share bytes with them (无 E6 97 A0, 一 E4 B8 80, 、 E3 80 81, EF BB BE (not quite a BOM),
  // a lone C2 or A0), and plain text, joined at random into 1–5 pieces.
  const std::vector<std::string> pieces{" ", "\t", "\r\n", "\xC2\xA0", "\xE3\x80\x80", "\xEF\xBB\xBF",
                                        "\xE6\x97\xA0", "\xE4\xB8\x80", "\xE3\x80\x81", "\xEF\xBB\xBE",
                                        "\xC2", "\xA0", "a", "12", "\xE5\xB8\x82\xE7\xBA\xA7", "\x01"};
  uint64_t seed = 2026;
  auto next = [&] { return (seed = seed * 6364136223846793005u + 1442695040888963407u) >> 33; };
  size_t slow = 0;
  for (int round = 0; round < 100000; ++round) {
    std::string text;
    for (size_t n = next() % 5 + 1, k = 0; k < n; ++k) text += pieces[next() % pieces.size()];
    INFO(text);
    REQUIRE(trimCell(text) == trimCellSlow(text));
    slow += trimCellSlow(text).size() != text.size();
  }
  CHECK(slow > 10000);  // white space at an end was common, and stripped
  CHECK(trimCell("\xE6\x97\xA0") == "\xE6\x97\xA0");  // 无 is not NBSP
  CHECK(trimCell("\xC2\xA0\xE6\x97\xA0\xC2\xA0") == "\xE6\x97\xA0");
}

TEST_CASE("Year-set cells: separators, 年, full-width digits — refused when not four-digit years 1990–2052") {
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

TEST_CASE("Date cells: 2021-12-31, 2021/12/31, 2021年12月31日 → yyyymmdd — month only and impossible days refused") {
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

namespace {

// What parseCell's general path reads a plain ASCII number as: rb_dec_parse on
// the text (without a final '%'), the oracle parsePlainCell must agree with.
bool decOracle(std::string_view t, int64_t &v) { return rb_dec_parse(t.data(), t.size(), &v) == RB_DEC_OK; }

// parsePlainCell on `text`, checked against rb_dec_parse: when it takes the
// cell, the value is rb_dec_parse's (÷ 100 for "%"), within the kind's rules,
// and parseCell gives the same. Returns whether it took the cell.
bool plainAgrees(const std::string &text, ValueKind kind) {
  INFO("cell \"" << text << "\" kind " << static_cast<int>(kind));
  int64_t plain = -999, general = -999, dec = 0;
  if (!parsePlainCell(text, kind, {}, plain)) return false;
  bool pct = kind == ValueKind::Percent && !text.empty() && text.back() == '%';
  REQUIRE(decOracle(std::string_view(text).substr(0, text.size() - (pct ? 1 : 0)), dec));
  if (pct) {
    CHECK(dec % 100 == 0);
    CHECK(plain == dec / 100);
  } else {
    CHECK(plain == dec);
  }
  if (kind == ValueKind::Count) CHECK(dec % RB_DEC_ONE == 0);
  if (kind == ValueKind::Percent && !pct) CHECK((dec >= 0 && dec <= RB_DEC_ONE));
  CHECK(parseCell(text, kind, {}, general) == CellIssue::None);
  CHECK(general == plain);
  return true;
}

} // namespace

TEST_CASE("parsePlainCell: takes only what rb_dec_parse reads the same, leaves the rest to parseCell") {
  using K = ValueKind;
  // Taken: plain digits, an optional '.', up to 6 decimals, a final % for percentages.
  int64_t v = -1;
  CHECK((parsePlainCell("0", K::Decimal, {}, v) && v == 0));
  CHECK((parsePlainCell("1.", K::Decimal, {}, v) && v == 1'000'000));        // "1." = 1
  CHECK((parsePlainCell("007", K::Decimal, {}, v) && v == 7'000'000));
  CHECK((parsePlainCell("1.000000", K::Count, {}, v) && v == 1'000'000));    // whole: 1 × 10^6
  CHECK((parsePlainCell("99%", K::Percent, {}, v) && v == 990'000));         // 99 / 100 = 0.99
  CHECK((parsePlainCell("12.34%", K::Percent, {}, v) && v == 123'400));      // 0.1234
  CHECK((parsePlainCell("1", K::Percent, {}, v) && v == 1'000'000));         // a fraction: 1 = 100%
  CHECK((parsePlainCell("123456789012", K::Decimal, {}, v) && v == 123'456'789'012'000'000));  // 12 digits
  CHECK((parsePlainCell("\xE6\x98\xAF", K::Bool, {}, v) && v == 1));        // 是
  CHECK((parsePlainCell("\xE5\x90\xA6", K::Bool, {}, v) && v == 0));        // 否
  CHECK((parsePlainCell("市级", K::Enum, {"无", "市级", "省级"}, v) && v == 1));
  // Left to parseCell (which reads some of them, and says what is wrong with the rest).
  for (const char *text : {"", "-0", ".5", "+1", "-3", "1.0000005", "１２", " 12 ", "1e3", "1,234", "12 %", "%",
                           ".", "-", "1234567890123", "99999999999999999999", "12.345678%"}) {
    INFO(text);
    CHECK_FALSE(parsePlainCell(text, K::Decimal, {}, v));
    CHECK_FALSE(parsePlainCell(text, K::Percent, {}, v));
  }
  CHECK_FALSE(parsePlainCell("85", K::Percent, {}, v));       // ambiguous: parseCell refuses it
  CHECK((parsePlainCell("100.0001%", K::Percent, {}, v) && v == 1'000'001));  // 1.000001
  CHECK_FALSE(parsePlainCell("2.5", K::Count, {}, v));        // not whole
  CHECK_FALSE(parsePlainCell("12.345678%", K::Percent, {}, v));  // 8 decimals as a fraction
  CHECK_FALSE(parsePlainCell("是 ", K::Bool, {}, v));         // untrimmed: the caller trims
  CHECK_FALSE(parsePlainCell("√", K::Bool, {}, v));
  // Every edge string, and every kind: what is taken agrees with rb_dec_parse and parseCell.
  for (const char *text : {"0", "-0", ".5", "1.", "1.0000005", "99%", "１２", " 12 ", "1e3", "99999999999999999999",
                           "123456789012", "123456789012.999999", "0.000001", "1.5%", "100%", "150%", "0.0001%"})
    for (K kind : {K::Decimal, K::Count, K::Percent}) plainAgrees(text, kind);
}

TEST_CASE("parsePlainCell: 是/否 and options compared word-wise — a difference in any byte, at any length, is seen") {
  using K = ValueKind;
  int64_t v = -1;
  // 是 E6 98 AF and 否 E5 90 A6, each with one byte changed: 3-byte texts that are neither.
  for (std::string word : {std::string("\xE6\x98\xAF"), std::string("\xE5\x90\xA6")})
    for (size_t at = 0; at < 3; ++at)
      for (int flip : {0x01, 0x10, 0x80}) {
        std::string near = word;
        near[at] = static_cast<char>(near[at] ^ flip);
        INFO(at << " " << flip);
        CHECK_FALSE(parsePlainCell(near, K::Bool, {}, v));
      }
  CHECK_FALSE(parsePlainCell("\xE6\x98", K::Bool, {}, v));  // 是 cut short
  // Options of 1 to 20 bytes: each is found as itself only; a copy with one byte changed is none of them.
  std::vector<std::string> options;
  for (size_t n = 1; n <= 20; ++n) options.push_back(std::string(n, 'a'));
  for (size_t i = 0; i < options.size(); ++i) options[i].back() = static_cast<char>('A' + i);
  for (size_t i = 0; i < options.size(); ++i) {
    INFO(options[i]);
    CHECK((parsePlainCell(options[i], K::Enum, options, v) && v == static_cast<int64_t>(i)));
    for (size_t at = 0; at < options[i].size(); ++at) {
      std::string near = options[i];
      near[at] = 'z';
      INFO("changed at " << at);
      CHECK_FALSE(parsePlainCell(near, K::Enum, options, v));
    }
  }
}

TEST_CASE("parsePlainCell: random number-like cells agree with rb_dec_parse and parseCell") {
  const std::string alphabet = "0123456789000.%-+, e";
  uint64_t seed = 17;
  size_t taken = 0;
  for (int round = 0; round < 200000; ++round) {
    seed = seed * 6364136223846793005u + 1442695040888963407u;
    std::string text;
    for (size_t n = (seed >> 59) + 1, k = 0; k < n; ++k) {
      seed = seed * 6364136223846793005u + 1442695040888963407u;
      text += alphabet[(seed >> 33) % alphabet.size()];
    }
    for (ValueKind kind : {ValueKind::Decimal, ValueKind::Count, ValueKind::Percent}) taken += plainAgrees(text, kind);
  }
  CHECK(taken > 10000);  // the fast path is taken, not just declined
}

TEST_CASE("plain year sets: what the fast path takes parseYearSet reads the same") {
  const std::vector<std::string> pieces = {"2019", "1990", "2052", "1989", "2053", "、", ",", "年", "20", "x", "２０"};
  uint64_t seed = 23;
  size_t taken = 0;
  for (int round = 0; round < 50000; ++round) {
    std::string text;
    seed = seed * 6364136223846793005u + 1442695040888963407u;
    for (size_t n = (seed >> 61) + 1, k = 0; k < n; ++k) {
      seed = seed * 6364136223846793005u + 1442695040888963407u;
      text += pieces[(seed >> 33) % pieces.size()];
    }
    int64_t fast = -1, slow = -2;
    if (!parsePlainCell(text, ValueKind::YearSet, {}, fast)) continue;
    ++taken;
    INFO(text);
    REQUIRE(parseYearSet(text, slow));
    CHECK(fast == slow);
  }
  CHECK(taken > 1000);
  int64_t v = 0;
  auto bit = [](int year) { return int64_t{1} << (year - 1990); };
  CHECK((parsePlainCell("2019、2021、2022", ValueKind::YearSet, {}, v) && v == (bit(2019) | bit(2021) | bit(2022))));
  for (const char *text : {"2019、", "、2019", "2019,2020", "20190", "2019年", "1989", "2053", "２０１９"}) {
    INFO(text);
    CHECK_FALSE(parsePlainCell(text, ValueKind::YearSet, {}, v));
  }
}
