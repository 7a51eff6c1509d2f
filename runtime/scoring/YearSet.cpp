#include "runtime/scoring/YearSet.h"

#include "kernel_helpers.h"
#include "runtime/scoring/Text.h"

namespace rubric::runtime {

namespace {

// Separators between years, ASCII after asciiNumber (which turns ， into ,).
size_t separatorLength(std::string_view s, size_t i) {
  static constexpr std::string_view kWide[] = {"、", "；", "／", "\xE3\x80\x80"};  // U+3000
  char c = s[i];
  if (c == ',' || c == ';' || c == '/' || c == ' ' || c == '\t') return 1;
  for (std::string_view w : kWide)
    if (s.substr(i, w.size()) == w) return w.size();
  return 0;
}

} // namespace

bool parseYearSet(std::string_view raw, int64_t &years) {
  std::string text = asciiNumber(raw);
  std::string_view s = text;
  static constexpr std::string_view kYearWord = "年";
  int64_t set = 0;
  size_t i = 0;
  while (i < s.size()) {
    if (size_t sep = separatorLength(s, i)) {
      i += sep;
      continue;
    }
    int64_t year = 0;
    size_t digits = 0;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
      year = year * 10 + (s[i++] - '0');
      if (++digits > 4) return false;
    }
    if (digits != 4 || year < RB_YEAR_SET_FIRST || year > RB_YEAR_SET_LAST) return false;
    if (s.substr(i, kYearWord.size()) == kYearWord) i += kYearWord.size();
    if (i < s.size() && separatorLength(s, i) == 0) return false;  // "2022x", "20222"
    set |= int64_t{1} << (year - RB_YEAR_SET_FIRST);
  }
  if (set == 0) return false;  // separators only ("、、"): a blank cell is the caller's business
  years = set;
  return true;
}

std::string formatYearSet(int64_t years) {
  std::string out;
  for (int64_t y = RB_YEAR_SET_FIRST; y <= RB_YEAR_SET_LAST; ++y)
    if ((years >> (y - RB_YEAR_SET_FIRST)) & 1) out += (out.empty() ? "" : "、") + std::to_string(y);
  return out;
}

std::string yearSetExpected(bool zh) {
  std::string range = std::to_string(RB_YEAR_SET_FIRST) + (zh ? " 至 " : " to ") + std::to_string(RB_YEAR_SET_LAST);
  return zh ? "年份集（4 位年份，用、或逗号分隔，如 2022、2023、2024；年份在 " + range + " 之间）"
            : "year set (four-digit years separated by 、 or commas, e.g. 2022,2023,2024; years " + range + ")";
}

} // namespace rubric::runtime
