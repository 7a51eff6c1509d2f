#include "report/Html.h"

namespace rubric::report {

std::string htmlEscape(const std::string &s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
    case '&': out += "&amp;"; break;
    case '<': out += "&lt;"; break;
    case '>': out += "&gt;"; break;
    case '"': out += "&quot;"; break;
    case '\'': out += "&#39;"; break;
    default: out += c;
    }
  }
  return out;
}

std::string htmlLines(const std::string &s) {
  std::string out;
  size_t start = 0;
  for (size_t nl; (nl = s.find('\n', start)) != std::string::npos; start = nl + 1)
    out += htmlEscape(s.substr(start, nl - start)) + "<br>";
  return out + htmlEscape(s.substr(start));
}

} // namespace rubric::report
