// Cell values straight from the bytes of a view: no strings, no double.
// Numbers are fixed point with 6 decimals ("raw" units: 1.5 → 1500000).
#pragma once

#include <cstdint>
#include <cstring>
#include <string_view>

namespace baseline {

constexpr int64_t kRawOne = 1000000;

// Spaces, tabs, CR, NBSP (C2 A0) and the ideographic space (E3 80 80) at either end.
inline std::string_view trim(std::string_view s) {
  for (;;) {
    if (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) s.remove_prefix(1);
    else if (s.size() >= 2 && s.substr(0, 2) == "\xC2\xA0") s.remove_prefix(2);
    else if (s.size() >= 3 && s.substr(0, 3) == "\xE3\x80\x80") s.remove_prefix(3);
    else break;
  }
  for (;;) {
    if (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
    else if (s.size() >= 2 && s.substr(s.size() - 2) == "\xC2\xA0") s.remove_suffix(2);
    else if (s.size() >= 3 && s.substr(s.size() - 3) == "\xE3\x80\x80") s.remove_suffix(3);
    else break;
  }
  return s;
}

// "d{1,12}[.d{0,6}]" or ".d{1,6}" → raw units. Anything else (signs, exponents, a 7th
// decimal, thousands separators) is refused, never guessed.
inline bool parseFixed(std::string_view s, int64_t &raw) {
  size_t i = 0, n = s.size();
  int64_t whole = 0;
  while (i < n && static_cast<unsigned char>(s[i] - '0') <= 9) whole = whole * 10 + (s[i++] - '0');
  if (i > 12) return false;
  size_t wholeDigits = i;
  int64_t frac = 0;
  size_t digits = 0;
  if (i < n && s[i] == '.') {
    for (++i; i < n && static_cast<unsigned char>(s[i] - '0') <= 9; ++i, ++digits)
      if (digits < 6) frac = frac * 10 + (s[i] - '0');
      else if (s[i] != '0') return false;  // a 7th non-zero decimal
  }
  if (i != n || wholeDigits + digits == 0) return false;  // ".5" is fine, "." is not
  static constexpr int64_t kScale[] = {1000000, 100000, 10000, 1000, 100, 10, 1};
  raw = whole * kRawOne + frac * kScale[digits < 6 ? digits : 6];
  return true;
}

// A count: a whole number ≥ 0 ("3", "3.0") → the number itself.
inline bool parseCount(std::string_view s, int64_t &n) {
  int64_t raw;
  if (!parseFixed(s, raw) || raw % kRawOne != 0) return false;
  n = raw / kRawOne;
  return true;
}

enum class PercentIssue { None, Syntax, TooPrecise, Ambiguous, OutOfRange };

// "85%", "85.25%", "0.8525" → the fraction in raw units (850000), within [0%, 100%].
// A bare number above 1 is refused: "85" could mean 85% or 8500%.
inline PercentIssue parsePercent(std::string_view s, int64_t &raw) {
  bool percent = true;
  if (!s.empty() && s.back() == '%') s.remove_suffix(1);
  else if (s.size() >= 3 && s.substr(s.size() - 3) == "\xEF\xBC\x85") s.remove_suffix(3);  // full-width ％
  else percent = false;
  if (percent) s = trim(s);
  int64_t v;
  if (!parseFixed(s, v)) return PercentIssue::Syntax;
  if (percent) {
    if (v % 100 != 0) return PercentIssue::TooPrecise;
    v /= 100;
  } else if (v > kRawOne) {
    return PercentIssue::Ambiguous;
  }
  if (v > kRawOne) return PercentIssue::OutOfRange;
  raw = v;
  return PercentIssue::None;
}

inline bool equalsAsciiNoCase(std::string_view s, const char *word) {
  size_t n = std::strlen(word);
  if (s.size() != n) return false;
  for (size_t i = 0; i < n; ++i) {
    char c = s[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != word[i]) return false;
  }
  return true;
}

// A year set as the records contract reads it: four-digit years 1990–2052, each
// optionally followed by 年, separated by 、，,；;／/ or spaces; a blank cell is
// no year. Full-width digits are refused here (the generated scorer accepts them).
constexpr int kFirstYear = 1990, kLastYear = 2052;
inline size_t yearSeparator(std::string_view s, size_t i) {
  static constexpr std::string_view kWide[] = {"、", "，", "；", "／", "\xE3\x80\x80"};
  char c = s[i];
  if (c == ',' || c == ';' || c == '/' || c == ' ' || c == '\t') return 1;
  for (std::string_view w : kWide)
    if (s.substr(i, w.size()) == w) return w.size();
  return 0;
}
inline bool parseYearSet(std::string_view s, uint64_t &years) {
  uint64_t set = 0;
  size_t i = 0;
  while (i < s.size()) {
    if (size_t sep = yearSeparator(s, i)) {
      i += sep;
      continue;
    }
    int year = 0, digits = 0;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9' && digits < 5) year = year * 10 + (s[i++] - '0'), ++digits;
    if (digits != 4 || year < kFirstYear || year > kLastYear) return false;
    if (s.substr(i, 3) == "年") i += 3;
    if (i < s.size() && yearSeparator(s, i) == 0) return false;
    set |= uint64_t{1} << (year - kFirstYear);
  }
  if (set == 0 && !s.empty()) return false;
  years = set;
  return true;
}

// 是/否 and the other spellings evaluators type (√/×, 1/0, yes/no, 对/错, 有/无 …).
inline bool parseBool(std::string_view s, bool &b) {
  if (s == "是" || s == "1") return b = true, true;
  if (s == "否" || s == "0") return b = false, true;
  static const char *const yes[] = {"√", "✓", "✔", "true", "yes", "y", "对", "有"};
  static const char *const no[] = {"×", "✗", "✘", "✕", "false", "no", "n", "错", "无"};
  for (const char *w : yes)
    if (equalsAsciiNoCase(s, w)) return b = true, true;
  for (const char *w : no)
    if (equalsAsciiNoCase(s, w)) return b = false, true;
  return false;
}

// Well-formed UTF-8 (shortest forms, no surrogates), ASCII checked 8 bytes at a time.
inline bool validUtf8(std::string_view s) {
  const auto *p = reinterpret_cast<const unsigned char *>(s.data());
  size_t n = s.size(), i = 0;
  while (i < n) {
    if (i + 8 <= n) {
      uint64_t w;
      std::memcpy(&w, p + i, 8);
      if ((w & 0x8080808080808080ULL) == 0) {
        i += 8;
        continue;
      }
    }
    unsigned char c = p[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    size_t len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 ? 2 : 0;
    if (len == 0 || c > 0xF4 || i + len > n) return false;
    for (size_t k = 1; k < len; ++k)
      if ((p[i + k] & 0xC0) != 0x80) return false;
    if ((c == 0xE0 && p[i + 1] < 0xA0) || (c == 0xED && p[i + 1] >= 0xA0) || (c == 0xF0 && p[i + 1] < 0x90) ||
        (c == 0xF4 && p[i + 1] >= 0x90))
      return false;
    i += len;
  }
  return true;
}

} // namespace baseline
