#include "support/Suggest.h"

#include <algorithm>

#include "runtime/scoring/Text.h"

namespace rubric {

std::optional<std::string> suggestName(const std::string &name, const std::vector<std::string> &candidates) {
  size_t len = runtime::utf8Length(name);
  size_t limit = std::max<size_t>(1, (len + 1) / 3); // a third of the name, at least one
  std::optional<std::string> best;
  size_t bestDist = limit + 1;
  for (const auto &c : candidates) {
    if (c == name) continue;
    size_t d = runtime::editDistance(name, c);
    // A candidate that contains the name (or is contained) is a good guess too.
    if (d > limit && (c.find(name) != std::string::npos || name.find(c) != std::string::npos) &&
        std::min(runtime::utf8Length(c), len) >= 2)
      d = limit;
    if (d < bestDist) {
      bestDist = d;
      best = c;
    }
  }
  return best;
}

} // namespace rubric
