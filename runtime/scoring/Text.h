// Small text helpers shared by the scoring runtime: language choice, trimming
// and full-width normalisation of cells and headers, UTF-8 aware edit
// distance for "did you mean". (The runtime must not depend on compiler/.)
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
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
namespace detail {
// Per byte: 1 = white space may start with it, 2 = white space may end with it.
// Leading white space begins with a byte <= 0x20, 0xC2, 0xE3 or 0xEF;
// trailing white space ends with a byte <= 0x20, 0xA0, 0x80 or 0xBF.
struct TrimEdges {
  unsigned char t[256];
  constexpr TrimEdges() : t() {
    for (int c = 0; c <= 0x20; ++c) t[c] = 3;
    t[0xC2] |= 1;
    t[0xE3] |= 1;
    t[0xEF] |= 1;
    t[0xA0] |= 2;
    t[0x80] |= 2;
    t[0xBF] |= 2;
  }
};
inline constexpr TrimEdges kTrimEdges{};
} // namespace detail

// Always inlined: it runs for every cell (GCC kept it out of line once the
// row loop that calls it grew).
[[gnu::always_inline]] inline std::string_view trimCell(std::string_view s) {
  // The common case: neither end can be white space (nothing to strip).
  if (s.empty()) return s;
  auto a = static_cast<unsigned char>(s.front()), z = static_cast<unsigned char>(s.back());
  if (((detail::kTrimEdges.t[a] & 1) | (detail::kTrimEdges.t[z] & 2)) == 0) return s;
  return trimCellSlow(s);
}

// For numbers: full-width digits ０-９, ．，％－＋ and U+2212 (−) become
// their ASCII twins. Other bytes are kept.
std::string asciiNumber(std::string_view s);

// For headers: trimmed; full-width ［］．and digits become ASCII.
std::string normalizeHeader(std::string_view s);

// Edit distance over code points.
size_t editDistance(std::string_view a, std::string_view b);
// "Did you mean": the closest candidate within a third of the name's length
// in code points (at least one edit), or one that contains the name or is
// contained in it (two code points or more); never the name itself. The one
// rule for the compiler's diagnostics and the runtime's messages.
std::optional<std::string> suggest(std::string_view name, const std::vector<std::string> &candidates);

// For messages and outputs: valid UTF-8 as it is, except control characters
// (tab aside) and bytes that are not UTF-8, which become \xNN.
std::string printable(std::string_view s);

// Number of code points.
size_t utf8Length(std::string_view s);

// Width of s in a spreadsheet column, in Excel's width units (one digit): East
// Asian wide and full-width characters (汉字, full-width punctuation) count 2,
// others 1. For the results workbook's column widths. (compiler/support's
// displayWidth uses utf8proc, which the runtime and generated scorers do not link.)
size_t spreadsheetWidth(std::string_view s);

// Why a file could not be opened (its errno) and what to do, in the user's
// language; the system's own text (English only) for an unusual cause.
std::string openProblem(int systemError, bool forWriting, bool zh);

namespace detail {
// a[0, n) == b[0, n) for short strings (an enumeration's options such as
// 市级 and 省级, identifiers): two overlapping loads each side instead of a
// call to memcmp, which a loop over options or records would make each time.
[[gnu::always_inline]] inline bool sameBytes(const char *a, const char *b, size_t n) {
  auto load = [](const char *p, auto word) {
    std::memcpy(&word, p, sizeof word);
    return word;
  };
  if (n >= 8 && n <= 16)
    return load(a, uint64_t{}) == load(b, uint64_t{}) && load(a + n - 8, uint64_t{}) == load(b + n - 8, uint64_t{});
  if (n >= 4 && n < 8)
    return load(a, uint32_t{}) == load(b, uint32_t{}) && load(a + n - 4, uint32_t{}) == load(b + n - 4, uint32_t{});
  return std::memcmp(a, b, n) == 0;
}
} // namespace detail

} // namespace rubric::runtime
