// "Did you mean" suggestions: the closest candidate by edit distance over code
// points (a Chinese name differs by characters, not bytes). The distance is
// the runtime's (runtime/scoring/Text.h), the project's one implementation.
#pragma once
#include <optional>
#include <string>
#include <vector>

namespace rubric {
// The closest candidate within a distance proportional to the name's length, if any.
std::optional<std::string> suggestName(const std::string &name, const std::vector<std::string> &candidates);
} // namespace rubric
