// 年份集 cells: "2022、2023、2024" ⇄ the int64 a year-set column holds (one bit
// per year, see RB_YEAR_SET_FIRST in kernel_helpers.h). Kept apart from the
// other cell kinds (Cells.cpp calls in here) so the record path can change
// around it.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace rubric::runtime {

// Years separated by 、 ， , ； ; / or spaces; each four digits (full-width
// digits accepted), optionally followed by 年; a year may repeat. False when
// the cell has anything else, no year at all, or a year outside
// RB_YEAR_SET_FIRST … LAST; the
// caller reports it with the cell's position (the text is already trimmed).
bool parseYearSet(std::string_view text, int64_t &years);

// "2022、2023、2024" (ascending); "" for the empty set.
std::string formatYearSet(int64_t years);

// What to write, for messages: "年份集（如 2022、2023、2024；1990 至 2052 年）".
std::string yearSetExpected(bool zh);

} // namespace rubric::runtime
