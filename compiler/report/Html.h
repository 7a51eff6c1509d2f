// The one HTML escaping of the reports (table, explain, diff).
#pragma once

#include <string>

namespace rubric::report {

// Text as HTML: & < > " ' escaped.
std::string htmlEscape(const std::string &s);
// The same, with line breaks kept as <br> (a table cell of several sentences).
std::string htmlLines(const std::string &s);

} // namespace rubric::report
