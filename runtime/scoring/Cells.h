// One cell → one int64, per ValueKind. Exact: decimals go through
// rb_dec_parse, never through double.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/scoring/Program.h"
#include "runtime/scoring/Text.h"

namespace rubric::runtime {

enum class CellIssue {
  None,
  Syntax,            // not a number
  Precision,         // more than 6 decimals
  Overflow,          // beyond ±9223372036854.775807
  Negative,          // a count below 0
  NotWhole,          // a count with a fraction
  PercentAmbiguous,  // a percentage written without % and outside [-1, 1] ("85" — 85% or 8500%?)
  NotBool,
  NotEnum,
  NotYearSet,
  NotDate,           // 日期 (Dates.h)
  DateMonthOnly,     // "2021年12月": the day is not written
  DateNoSuchDay,     // "2021-02-30"
};

// `text` is the raw cell; it is trimmed here and must not be empty after
// trimming (an empty cell means "the default" and is the caller's business).
//   Decimal  "12.5", "１２.５", "1,234.5", ".5"            → rb_dec raw
//   Percent  "85%", "85.5％", "0.85"                        → rb_dec raw of the fraction (0.85)
//   Count    "3", "1,234", "3.0"                            → rb_dec raw (n × 10^6)
//   Bool     是/否 √/× ✓/✗ ✔/✘ 1/0 true/false yes/no y/n 对/错 有/无 (Latin case-insensitive) → 1/0
//   Enum     exactly one of enumValues                      → its index
//   Text     anything                                       → 0 (the caller stores the text)
//   YearSet  "2022、2023、2024" (see YearSet.h)               → one bit per year
//   Date     "2021-12-31", "2021/12/31", "2021年12月31日" (see Dates.h) → yyyymmdd
CellIssue parseCell(std::string_view text, ValueKind kind, const std::vector<std::string> &enumValues, int64_t &out);

// Canonical text of a value of that kind ("3", "0.85", "是", "市级").
std::string formatValue(int64_t v, ValueKind kind, const std::vector<std::string> &enumValues);

// What the cell should have been, for messages: "小数（如 12.5）" / "decimal number (e.g. 12.5)".
std::string expectedText(ValueKind kind, const std::vector<std::string> &enumValues, Lang lang);
// Why it was not (empty when expectedText says it all).
std::string issueText(CellIssue issue, Lang lang);

} // namespace rubric::runtime
