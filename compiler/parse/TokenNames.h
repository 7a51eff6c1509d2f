#pragma once
#include <string>
#include <unordered_map>

namespace rubric::parse {
// Symbolic token name (K_WHEN, RBRACE, …) → how a user sees it (“当”, “}”).
const std::unordered_map<std::string, std::string> &tokenDisplayNames();
} // namespace rubric::parse
