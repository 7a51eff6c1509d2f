// Small text helpers shared by the scoring runtime: language choice, trimming
// and full-width normalisation of cells and headers, UTF-8 aware edit
// distance for "did you mean". (The runtime must not depend on compiler/.)
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rubric::runtime {

enum class Lang { Zh, En };

// "zh" / "en" (anything else: nullopt).
std::optional<Lang> parseLang(std::string_view s);

// Strips ASCII white space, NBSP, U+3000 (ideographic space) and U+FEFF at both ends.
std::string_view trimCellSlow(std::string_view s);
inline std::string_view trimCell(std::string_view s) {
  // The common case: neither end can start/end white space (nothing to strip).
  // Leading white space begins with a byte <= 0x20, 0xC2, 0xE3 or 0xEF;
  // trailing white space ends with a byte <= 0x20, 0xA0, 0x80 or 0xBF.
  if (s.empty()) return s;
  auto a = static_cast<unsigned char>(s.front()), z = static_cast<unsigned char>(s.back());
  if (a > 0x20 && a != 0xC2 && a != 0xE3 && a != 0xEF && z > 0x20 && z != 0xA0 && z != 0x80 && z != 0xBF) return s;
  return trimCellSlow(s);
}

// For numbers: full-width digits ０-９, ．，％－＋ and U+2212 (−) become
// their ASCII twins. Other bytes are kept.
std::string asciiNumber(std::string_view s);

// For headers: trimmed; full-width ［］．and digits become ASCII.
std::string normalizeHeader(std::string_view s);

// Edit distance over code points.
size_t editDistance(std::string_view a, std::string_view b);
// The closest candidate within max(1, (length + 2) / 3) edits, if any.
std::optional<std::string> suggest(std::string_view name, const std::vector<std::string> &candidates);

// Number of code points.
size_t utf8Length(std::string_view s);

} // namespace rubric::runtime
