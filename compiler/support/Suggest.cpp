#include "support/Suggest.h"

#include "runtime/scoring/Text.h"

namespace rubric {

std::optional<std::string> suggestName(const std::string &name, const std::vector<std::string> &candidates) {
  return runtime::suggest(name, candidates);
}

} // namespace rubric
