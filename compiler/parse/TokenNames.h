#pragma once
#include <string>
#include <unordered_map>
#include <vector>

namespace rubric::parse {
// Symbolic token name (K_WHEN, RBRACE, …) → how a user sees it (“当”, “}”).
const std::unordered_map<std::string, std::string> &tokenDisplayNames();
// Keywords a user may glue to the following name ("当入选" for "当 入选").
const std::vector<std::string> &gluableKeywords();
// The keyword a name starts with, if it looks glued; "" otherwise.
std::string gluedKeyword(const std::string &name);
} // namespace rubric::parse
