// One cell → one int64, per ValueKind. Exact: decimals go through
// rb_dec_parse, never through double.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
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

namespace detail {

// The value of a plain number "d{1,12}[.d{0,6}]" (with a final '%' when
// allowPercent: `percent` says so), exactly as rb_dec_parse gives it.
// False for anything else: parseCell's general path decides.
[[gnu::always_inline]] inline bool plainNumber(std::string_view t, bool allowPercent, int64_t &v, bool &percent) {
  size_t n = t.size();
  percent = false;
  if (n == 0) return false;
  const char *s = t.data();
  if (allowPercent && s[n - 1] == '%') {
    percent = true;
    --n;
  }
  size_t i = 0;
  uint64_t ip = 0;
  while (i < n && static_cast<unsigned char>(s[i] - '0') <= 9) ip = ip * 10 + static_cast<uint64_t>(s[i++] - '0');
  if (i == 0 || i > 12) return false;
  uint64_t fp = 0;
  size_t fd = 0;
  if (i < n && s[i] == '.') {
    ++i;
    size_t f0 = i;
    while (i < n && static_cast<unsigned char>(s[i] - '0') <= 9) fp = fp * 10 + static_cast<uint64_t>(s[i++] - '0');
    fd = i - f0;
    if (fd > 6) return false;
  }
  if (i != n) return false;
  static constexpr uint64_t kScale[] = {1000000, 100000, 10000, 1000, 100, 10, 1};
  v = static_cast<int64_t>(ip * 1000000u + fp * kScale[fd]);
  return true;
}

// A year set of plain four-digit years joined by 、 ("2019、2021、2022"), as
// parseYearSet reads it. False for anything else (parseYearSet decides).
bool plainYearSet(std::string_view t, int64_t &years);

} // namespace detail

// The commonest cells, decided inline with no copy: 是/否, plain numbers
// ("12", "12.5", "85%", "0.85" as parseCell reads them, within their kind's
// rules), an enumeration's option, plain year sets, text. `text` is trimmed
// and not empty. True: `out` is what parseCell gives; false: parseCell
// decides (the value, or why not). Always inlined: it runs once for every
// non-empty cell, and a call with its register saves cost as much as the
// common cases themselves.
[[gnu::always_inline]] inline bool parsePlainCell(std::string_view text, ValueKind kind, const std::vector<std::string> &enumValues,
                           int64_t &out) {
  int64_t v;
  bool pct;
  switch (kind) {
  case ValueKind::Bool: {  // 是/否 told apart without a branch: in a column of both, one would miss half the time
    if (text.size() != 3) return false;
    auto byte = [&](size_t i) { return static_cast<uint32_t>(static_cast<unsigned char>(text[i])); };
    uint32_t w = byte(0) | byte(1) << 8 | byte(2) << 16;
    bool yes = w == 0xAF98E6u, no = w == 0xA690E5u;  // 是 E6 98 AF, 否 E5 90 A6
    out = yes;
    return yes | no;
  }
  case ValueKind::Decimal:
    if (!detail::plainNumber(text, false, v, pct)) return false;
    return out = v, true;
  case ValueKind::Count:  // whole: a multiple of RB_DEC_ONE (10^6, checked in Cells.cpp)
    if (!detail::plainNumber(text, false, v, pct) || v % 1000000 != 0) return false;
    return out = v, true;
  case ValueKind::Percent:  // "85%" → 0.85 when it has at most 6 decimals as a fraction; "0.85" within [0, 1]
    if (!detail::plainNumber(text, true, v, pct)) return false;
    if (pct ? v % 100 != 0 : v > 1000000) return false;  // 1000000: RB_DEC_ONE
    return out = pct ? v / 100 : v, true;
  case ValueKind::Enum:
    for (size_t i = 0; i < enumValues.size(); ++i)
      if (text.size() == enumValues[i].size() && detail::sameBytes(text.data(), enumValues[i].data(), text.size()))
        return out = static_cast<int64_t>(i), true;
    return false;
  case ValueKind::YearSet: return detail::plainYearSet(text, out);
  case ValueKind::Text: return out = 0, true;
  case ValueKind::Date: return false;  // Dates.cpp, through parseCell
  }
  return false;
}

// Canonical text of a value of that kind ("3", "0.85", "是", "市级").
std::string formatValue(int64_t v, ValueKind kind, const std::vector<std::string> &enumValues);

// What the cell should have been, for messages: "小数（如 12.5）" / "decimal number (e.g. 12.5)".
std::string expectedText(ValueKind kind, const std::vector<std::string> &enumValues, Lang lang);
// Why it was not (empty when expectedText says it all).
std::string issueText(CellIssue issue, Lang lang);

} // namespace rubric::runtime
