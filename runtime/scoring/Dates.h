// 日期 (ValueKind::Date): a calendar day, stored as the integer yyyymmdd
// (2021-12-31 → 20211231), so the kernel compares dates as it compares any
// integer and a rule's date constant is the same integer. A date is only
// compared (不晚于 / 早于 / …), never added or multiplied (sema refuses).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace rubric::runtime {

enum class DateIssue { None, Syntax, MonthOnly, NoSuchDay };

// A cell or a rule constant: 2021-12-31, 2021/12/31, 2021.12.31 or
// 2021年12月31日 (month and day with or without a leading 0, full-width digits
// accepted, surrounding blanks trimmed by the caller). A month without a day
// ("2021年12月", "2021-12") is MonthOnly: the day must be written, since
// whether it means the 1st or the last day of the month is a reading of the
// source, not something to guess. Years 1900–2099.
DateIssue parseDate(std::string_view text, int64_t &yyyymmdd);

// "2021-12-31".
std::string formatDate(int64_t yyyymmdd);

// For messages: 日期（如 2021-12-31、2021/12/31、2021年12月31日）.
std::string dateExpected(bool zh);
std::string dateIssueText(DateIssue issue, bool zh);

} // namespace rubric::runtime
