#include "runtime/scoring/Dates.h"


#include <cstdio>
#include <vector>

namespace rubric::runtime {

namespace {

bool leap(int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int64_t daysIn(int64_t y, int64_t m) {
  static constexpr int64_t kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && leap(y) ? 29 : kDays[m - 1];
}

// The text as ASCII digits and separators: full-width ０–９ → 0–9, ／－． → / - .,
// 年 月 → '-', 日 → end. Anything else is kept (and refused by the caller).
std::string normalise(std::string_view s, bool &dayMark) {
  std::string out;
  dayMark = false;
  for (size_t i = 0; i < s.size();) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      out += static_cast<char>(c == '/' || c == '.' ? '-' : c);
      ++i;
      continue;
    }
    std::string_view rest = s.substr(i);
    auto starts = [&](std::string_view p) { return rest.substr(0, p.size()) == p; };
    if (starts("年") || starts("月") || starts("／") || starts("－") || starts("．")) out += '-';
    else if (starts("日")) out += 'D', dayMark = true;
    else if (c == 0xEF && rest.size() >= 3 && static_cast<unsigned char>(rest[1]) == 0xBC &&
             static_cast<unsigned char>(rest[2]) >= 0x90 && static_cast<unsigned char>(rest[2]) <= 0x99)
      out += static_cast<char>('0' + (static_cast<unsigned char>(rest[2]) - 0x90));  // ０–９ (U+FF10–FF19)
    else return "?";  // any other character: not a date
    i += 3;           // every character above is three bytes of UTF-8
  }
  return out;
}

// Splits "2021-12-31" into numbers; false on an empty part or a non-digit.
bool parts(const std::string &s, std::vector<int64_t> &out) {
  int64_t v = 0;
  size_t digits = 0;
  for (char c : s + "-") {
    if (c == '-') {
      if (digits == 0 || digits > 4) return false;
      out.push_back(v);
      v = 0, digits = 0;
    } else if (c >= '0' && c <= '9') {
      v = v * 10 + (c - '0'), ++digits;
    } else {
      return false;
    }
  }
  return true;
}

} // namespace

DateIssue parseDate(std::string_view text, int64_t &yyyymmdd) {
  bool dayMark = false;
  std::string s = normalise(text, dayMark);
  if (dayMark) {  // 2021年12月31日: the 日 ends it
    if (s.empty() || s.back() != 'D') return DateIssue::Syntax;
    s.pop_back();
  } else if (!s.empty() && s.back() == '-') {
    s.pop_back();  // 2021年12月
  }
  std::vector<int64_t> n;
  if (!parts(s, n) || n.size() < 2 || n.size() > 3) return DateIssue::Syntax;
  int64_t y = n[0], m = n[1];
  if (y < 1900 || y > 2099 || m < 1 || m > 12) return DateIssue::Syntax;
  if (n.size() == 2) return DateIssue::MonthOnly;
  int64_t d = n[2];
  if (d < 1 || d > daysIn(y, m)) return DateIssue::NoSuchDay;
  yyyymmdd = y * 10000 + m * 100 + d;
  return DateIssue::None;
}

std::string formatDate(int64_t v) {
  char buf[32];
  snprintf(buf, sizeof buf, "%04lld-%02lld-%02lld", static_cast<long long>(v / 10000),
           static_cast<long long>(v / 100 % 100), static_cast<long long>(v % 100));
  return buf;
}

std::string dateExpected(bool zh) {
  return zh ? "日期（如 2021-12-31、2021/12/31、2021年12月31日）" : "date (e.g. 2021-12-31, 2021/12/31, 2021年12月31日)";
}

std::string dateIssueText(DateIssue issue, bool zh) {
  switch (issue) {
  case DateIssue::MonthOnly:
    return zh ? "日期须写到日：只写年月时是该月1日还是月底无法确定，请写明哪一天（如 2021-12-31）"
              : "write the day: a year and month alone could mean the 1st or the last day of the month (e.g. 2021-12-31)";
  case DateIssue::NoSuchDay: return zh ? "该月没有这一天" : "the month has no such day";
  default: return {};
  }
}

} // namespace rubric::runtime
