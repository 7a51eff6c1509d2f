#include "support/Suggest.h"

#include <algorithm>

namespace rubric {

static std::vector<std::u32string::value_type> codePoints(const std::string &s) {
  std::vector<char32_t> out;
  for (size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    int n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 1;
    char32_t cp = n == 1 ? c : c & (0x7F >> n);
    for (int k = 1; k < n && i + k < s.size(); ++k) cp = (cp << 6) | (s[i + k] & 0x3F);
    out.push_back(cp);
    i += n;
  }
  return out;
}

size_t editDistance(const std::string &a8, const std::string &b8) {
  auto a = codePoints(a8), b = codePoints(b8);
  std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (size_t j = 1; j <= b.size(); ++j)
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

std::optional<std::string> suggestName(const std::string &name, const std::vector<std::string> &candidates) {
  size_t len = codePoints(name).size();
  size_t limit = std::max<size_t>(1, (len + 1) / 3); // a third of the name, at least one
  std::optional<std::string> best;
  size_t bestDist = limit + 1;
  for (const auto &c : candidates) {
    if (c == name) continue;
    size_t d = editDistance(name, c);
    // A candidate that contains the name (or is contained) is a good guess too.
    if (d > limit && (c.find(name) != std::string::npos || name.find(c) != std::string::npos) &&
        std::min(codePoints(c).size(), len) >= 2)
      d = limit;
    if (d < bestDist) {
      bestDist = d;
      best = c;
    }
  }
  return best;
}

} // namespace rubric
