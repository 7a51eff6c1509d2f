// "Did you mean" suggestions: the closest candidate by edit distance over code
// points (a Chinese name differs by characters, not bytes).
#pragma once
#include <optional>
#include <string>
#include <vector>

namespace rubric {
size_t editDistance(const std::string &a, const std::string &b);
// The closest candidate within a distance proportional to the name's length, if any.
std::optional<std::string> suggestName(const std::string &name, const std::vector<std::string> &candidates);
} // namespace rubric
