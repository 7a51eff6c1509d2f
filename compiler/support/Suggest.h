// "Did you mean" suggestions for the compiler: the runtime's rule
// (runtime::suggest in runtime/scoring/Text.h), the project's one
// implementation, so a name is suggested alike in diagnostics and in the
// scorer's messages.
#pragma once
#include <optional>
#include <string>
#include <vector>

namespace rubric {
// runtime::suggest: the closest candidate within a third of the name's length, if any.
std::optional<std::string> suggestName(const std::string &name, const std::vector<std::string> &candidates);
} // namespace rubric
