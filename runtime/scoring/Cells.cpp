#include "runtime/scoring/Cells.h"

#include "kernel_helpers.h"
#include "rubric_decimal.h"
#include "runtime/scoring/Dates.h"
#include "runtime/scoring/YearSet.h"

namespace rubric::runtime {

namespace {

// parseDate (Dates.h) for a cell: the issue as a CellIssue.
CellIssue parseDateCell(std::string_view text, int64_t &yyyymmdd) {
  switch (parseDate(text, yyyymmdd)) {
  case DateIssue::None: return CellIssue::None;
  case DateIssue::MonthOnly: return CellIssue::DateMonthOnly;
  case DateIssue::NoSuchDay: return CellIssue::DateNoSuchDay;
  default: return CellIssue::NotDate;
  }
}

// Why a date cell was refused; empty for other issues.
std::string dateCellIssueText(CellIssue issue, bool zh) {
  if (issue == CellIssue::DateMonthOnly) return dateIssueText(DateIssue::MonthOnly, zh);
  if (issue == CellIssue::DateNoSuchDay) return dateIssueText(DateIssue::NoSuchDay, zh);
  return {};
}

} // namespace

static_assert(RB_DEC_ONE == 1000000, "parsePlainCell (Cells.h) counts in units of 10^-6");

bool detail::plainYearSet(std::string_view t, int64_t &years) {
  static constexpr std::string_view kComma = "、";
  int64_t set = 0;
  for (size_t i = 0;; i += kComma.size()) {
    if (t.size() - i < 4) return false;
    int year = 0;
    for (size_t k = i; k < i + 4; ++k) {
      auto d = static_cast<unsigned char>(t[k] - '0');
      if (d > 9) return false;
      year = year * 10 + d;
    }
    if (year < RB_YEAR_SET_FIRST || year > RB_YEAR_SET_LAST) return false;
    set |= int64_t{1} << (year - RB_YEAR_SET_FIRST);
    i += 4;
    if (i == t.size()) break;
    if (t.substr(i, kComma.size()) != kComma) return false;
  }
  years = set;
  return true;
}

namespace {

CellIssue fromDecError(int code) {
  switch (code) {
  case RB_DEC_ERR_PRECISION: return CellIssue::Precision;
  case RB_DEC_ERR_OVERFLOW: return CellIssue::Overflow;
  default: return CellIssue::Syntax;
  }
}

// "[+-]d{1,3}(,ddd)*[.d*]" or plain "[+-]d*[.d*]"; ".5" allowed. ASCII input.
CellIssue parseDecimal(std::string_view s, int64_t &out) {
  if (!s.empty() && s[0] >= '0' && s[0] <= '9' && s.find(',') == std::string_view::npos) {
    int rc = rb_dec_parse(s.data(), s.size(), &out);  // the common case: plain digits
    return rc == RB_DEC_OK ? CellIssue::None : fromDecError(rc);
  }
  std::string t;
  t.reserve(s.size() + 1);
  size_t i = 0;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) t.push_back(s[i++]);
  size_t intStart = i;
  while (i < s.size() && s[i] != '.') ++i;
  std::string_view intPart = s.substr(intStart, i - intStart);
  if (intPart.find(',') != std::string_view::npos) {
    // Thousands separators: the first group 1-3 digits, every later group exactly 3.
    size_t group = 0, groups = 0;
    for (size_t k = 0; k <= intPart.size(); ++k) {
      if (k == intPart.size() || intPart[k] == ',') {
        if (group == 0 || group > 3 || (groups > 0 && group != 3)) return CellIssue::Syntax;
        ++groups;
        group = 0;
      } else {
        ++group;
      }
    }
    for (char c : intPart)
      if (c != ',') t.push_back(c);
  } else {
    t.append(intPart);
  }
  if (t.empty() || t == "+" || t == "-") t.push_back('0');  // ".5" → "0.5"
  t.append(s.substr(i));
  bool anyDigit = false;
  for (char c : s) anyDigit |= (c >= '0' && c <= '9');
  if (!anyDigit) return CellIssue::Syntax;  // ".", "-", ""
  int rc = rb_dec_parse(t.data(), t.size(), &out);
  return rc == RB_DEC_OK ? CellIssue::None : fromDecError(rc);
}

std::string lowerAscii(std::string_view s) {
  std::string r(s);
  for (char &c : r)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return r;
}

// The text with full-width digits and signs made ASCII (a copy only when needed).
std::string_view asciiView(std::string_view text, std::string &scratch) {
  for (char c : text)
    if (static_cast<unsigned char>(c) >= 0x80) {
      scratch = asciiNumber(text);
      return scratch;
    }
  return text;
}

} // namespace

namespace {

// The spellings of 是/否 parsePlainCell leaves (√, true, Yes, 对 …).
CellIssue parseBool(std::string_view text, int64_t &out) {
  if (text == "否" || text == "0") return out = 0, CellIssue::None;  // the common spellings first
  if (text == "是" || text == "1") return out = 1, CellIssue::None;
  static const char *const yes[] = {"是", "√", "✓", "✔", "1", "true", "yes", "y", "对", "有"};
  static const char *const no[] = {"否", "×", "✗", "✘", "✕", "0", "false", "no", "n", "错", "无"};
  std::string t = lowerAscii(text);
  for (const char *y : yes)
    if (t == y) return out = 1, CellIssue::None;
  for (const char *n : no)
    if (t == n) return out = 0, CellIssue::None;
  return CellIssue::NotBool;
}

// A decimal that is not plain: full-width digits, thousands separators, a sign, ".5" …
CellIssue parseDecimalCell(std::string_view text, int64_t &out) {
  std::string scratch;
  int64_t v;
  CellIssue is = parseDecimal(asciiView(text, scratch), v);
  if (is == CellIssue::None) out = v;
  return is;
}

// A whole number, 0 or more ("3.0" is 3).
CellIssue parseCount(std::string_view text, int64_t &out) {
  int64_t v;
  std::string scratch;
  CellIssue is = parseDecimal(asciiView(text, scratch), v);
  if (is == CellIssue::Precision) return CellIssue::NotWhole;
  if (is != CellIssue::None) return is;
  if (v < 0) return CellIssue::Negative;
  if (v % RB_DEC_ONE != 0) return CellIssue::NotWhole;
  out = v;
  return CellIssue::None;
}

// "85%" (a fraction with at most 6 decimals) or a fraction within [-1, 1].
CellIssue parsePercent(std::string_view text, int64_t &out) {
  std::string scratch;
  std::string_view t = asciiView(text, scratch);
  bool percent = !t.empty() && t.back() == '%';
  if (percent) {
    t.remove_suffix(1);
    while (!t.empty() && t.back() == ' ') t.remove_suffix(1);
  }
  int64_t v;
  CellIssue is = parseDecimal(t, v);
  if (is != CellIssue::None) return is;
  if (percent) {
    if (v % 100 != 0) return CellIssue::Precision;  // 85.1234567% has more than 6 decimals as a fraction
    out = v / 100;
    return CellIssue::None;
  }
  if (v > RB_DEC_ONE || v < -RB_DEC_ONE) return CellIssue::PercentAmbiguous;
  out = v;
  return CellIssue::None;
}

} // namespace

CellIssue parseCell(std::string_view raw, ValueKind kind, const std::vector<std::string> &enumValues, int64_t &out) {
  std::string_view text = trimCell(raw);
  if (parsePlainCell(text, kind, enumValues, out)) return CellIssue::None;
  switch (kind) {
  case ValueKind::Text: out = 0; return CellIssue::None;
  case ValueKind::YearSet: return parseYearSet(text, out) ? CellIssue::None : CellIssue::NotYearSet;
  case ValueKind::Date: return parseDateCell(text, out);
  case ValueKind::Enum: return CellIssue::NotEnum;  // parsePlainCell compared it with every option
  case ValueKind::Bool: return parseBool(text, out);
  case ValueKind::Decimal: return parseDecimalCell(text, out);
  case ValueKind::Count: return parseCount(text, out);
  case ValueKind::Percent: return parsePercent(text, out);
  }
  return CellIssue::Syntax;
}

std::string formatValue(int64_t v, ValueKind kind, const std::vector<std::string> &enumValues) {
  switch (kind) {
  case ValueKind::Bool: return v ? "是" : "否";
  case ValueKind::Enum:
    if (v >= 0 && static_cast<size_t>(v) < enumValues.size()) return enumValues[static_cast<size_t>(v)];
    return std::to_string(v);
  case ValueKind::Text: return std::to_string(v);
  case ValueKind::YearSet: return formatYearSet(v);
  case ValueKind::Date: return formatDate(v);
  default: {
    char buf[RB_DEC_FORMAT_CAP];
    return std::string(buf, rb_dec_format(v, buf, sizeof buf));
  }
  }
}

std::string expectedText(ValueKind kind, const std::vector<std::string> &enumValues, Lang lang) {
  bool zh = lang == Lang::Zh;
  switch (kind) {
  case ValueKind::Decimal: return zh ? "小数（如 12.5）" : "decimal number (e.g. 12.5)";
  case ValueKind::Percent: return zh ? "百分比（如 85% 或 0.85）" : "percentage (e.g. 85% or 0.85)";
  case ValueKind::Count: return zh ? "件数（非负整数）" : "count (a whole number, 0 or more)";
  case ValueKind::Bool: return zh ? "是否值（是/否）" : "yes/no value (是/否)";
  case ValueKind::Enum: {
    std::string list;
    for (size_t i = 0; i < enumValues.size(); ++i) list += (i ? (zh ? "、" : ", ") : "") + enumValues[i];
    return zh ? "选项（" + list + " 之一）" : "option (one of " + list + ")";
  }
  case ValueKind::Text: return zh ? "文本" : "text";
  case ValueKind::YearSet: return yearSetExpected(zh);
  case ValueKind::Date: return dateExpected(zh);
  }
  return {};
}

std::string issueText(CellIssue issue, Lang lang) {
  bool zh = lang == Lang::Zh;
  switch (issue) {
  case CellIssue::Precision: return zh ? "小数位数超过 6 位" : "more than 6 decimal places";
  case CellIssue::Overflow: return zh ? "数值超出范围" : "number out of range";
  case CellIssue::Negative: return zh ? "不能为负数" : "must not be negative";
  case CellIssue::NotWhole: return zh ? "必须是整数" : "must be a whole number";
  case CellIssue::PercentAmbiguous:
    return zh ? "不带 % 的百分比应在 -1 到 1 之间，85% 请写作 85% 或 0.85"
              : "a percentage without % must lie between -1 and 1; write 85% as 85% or 0.85";
  default: return dateCellIssueText(issue, zh);
  }
}

} // namespace rubric::runtime
