#include "runtime/scoring/Text.h"

#include <cerrno>
#include <cstdio>
#include <cstring>

#include <algorithm>

namespace rubric::runtime {

std::optional<Lang> parseLang(std::string_view s) {
  if (s == "zh" || s == "zh-CN" || s == "zh_CN") return Lang::Zh;
  if (s == "en" || s == "en-US" || s == "en_US") return Lang::En;
  return std::nullopt;
}

namespace {

// Length of a white-space sequence at the start of s (0 if none).
size_t spaceAtStart(std::string_view s) {
  if (s.empty()) return 0;
  unsigned char c = static_cast<unsigned char>(s[0]);
  if (c > 0x20 && c < 0x80) return 0;  // the common case
  if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f') return 1;
  if (s.size() >= 2 && c == 0xC2 && static_cast<unsigned char>(s[1]) == 0xA0) return 2;
  if (s.size() >= 3 && c == 0xE3 && static_cast<unsigned char>(s[1]) == 0x80 && static_cast<unsigned char>(s[2]) == 0x80)
    return 3;
  if (s.size() >= 3 && c == 0xEF && static_cast<unsigned char>(s[1]) == 0xBB && static_cast<unsigned char>(s[2]) == 0xBF)
    return 3;
  return 0;
}

size_t spaceAtEnd(std::string_view s) {
  if (s.empty()) return 0;
  unsigned char c = static_cast<unsigned char>(s.back());
  if (c > 0x20 && c < 0x80) return 0;  // the common case
  if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f') return 1;
  if (s.size() >= 2 && spaceAtStart(s.substr(s.size() - 2)) == 2) return 2;
  if (s.size() >= 3 && spaceAtStart(s.substr(s.size() - 3)) == 3) return 3;
  return 0;
}

std::vector<uint32_t> codePoints(std::string_view s) {
  std::vector<uint32_t> out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    size_t len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    if (i + len > s.size()) len = s.size() - i;
    uint32_t cp = len == 1 ? c : c & (0x3F >> (len - 1));
    for (size_t k = 1; k < len; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
    out.push_back(cp);
    i += len;
  }
  return out;
}

} // namespace

std::string_view trimCellSlow(std::string_view s) {
  for (size_t n; (n = spaceAtStart(s)) != 0;) s.remove_prefix(n);
  for (size_t n; (n = spaceAtEnd(s)) != 0;) s.remove_suffix(n);
  return s;
}

namespace {

// Replaces full-width forms (U+FF01–U+FF5E, encoded EF BC xx) by their ASCII
// twins where `ascii(xx)` names one (0 = keep), plus U+2212 − as '-' when asked.
template <typename Map> std::string mapFullWidth(std::string_view s, Map ascii, bool minusSign) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c == 0xEF && i + 2 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0xBC) {
      if (char mapped = ascii(static_cast<unsigned char>(s[i + 2]))) {
        out.push_back(mapped);
        i += 2;
        continue;
      }
    }
    if (minusSign && c == 0xE2 && i + 2 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0x88 &&
        static_cast<unsigned char>(s[i + 2]) == 0x92) {
      out.push_back('-');
      i += 2;
      continue;
    }
    out.push_back(static_cast<char>(c));
  }
  return out;
}

char fullWidthDigit(unsigned char d) { return d >= 0x90 && d <= 0x99 ? static_cast<char>('0' + (d - 0x90)) : 0; }

} // namespace

std::string asciiNumber(std::string_view s) {
  return mapFullWidth(s, [](unsigned char d) -> char {
    if (char digit = fullWidthDigit(d)) return digit;
    switch (d) {
    case 0x8E: return '.';
    case 0x8C: return ',';
    case 0x85: return '%';
    case 0x8D: return '-';
    case 0x8B: return '+';
    default: return 0;
    }
  }, true);
}

std::string normalizeHeader(std::string_view s) {
  return mapFullWidth(trimCell(s), [](unsigned char d) -> char {
    if (char digit = fullWidthDigit(d)) return digit;
    switch (d) {
    case 0x8E: return '.';
    case 0xBB: return '[';
    case 0xBD: return ']';
    default: return 0;
    }
  }, false);
}

size_t editDistance(std::string_view a, std::string_view b) {
  auto x = codePoints(a), y = codePoints(b);
  std::vector<size_t> prev(y.size() + 1), cur(y.size() + 1);
  for (size_t j = 0; j <= y.size(); ++j) prev[j] = j;
  for (size_t i = 1; i <= x.size(); ++i) {
    cur[0] = i;
    for (size_t j = 1; j <= y.size(); ++j)
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (x[i - 1] == y[j - 1] ? 0 : 1)});
    std::swap(prev, cur);
  }
  return prev[y.size()];
}

std::optional<std::string> suggest(std::string_view name, const std::vector<std::string> &candidates) {
  size_t len = utf8Length(name);
  size_t limit = std::max<size_t>(1, (len + 1) / 3);  // a third of the name, at least one edit
  std::optional<std::string> best;
  size_t bestDistance = limit + 1;
  for (const auto &c : candidates) {
    if (c == name) continue;
    size_t d = editDistance(name, c);
    // A candidate that contains the name (or is contained in it) is a good guess too.
    if (d > limit && (c.find(name) != std::string::npos || name.find(c) != std::string_view::npos) &&
        std::min(utf8Length(c), len) >= 2)
      d = limit;
    if (d < bestDistance) {
      bestDistance = d;
      best = c;
    }
  }
  return best;
}

std::string printable(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c < 0x7F) {
      out += static_cast<char>(c);
      ++i;
      continue;
    }
    size_t len = c >= 0xC2 && c <= 0xDF ? 2 : c >= 0xE0 && c <= 0xEF ? 3 : c >= 0xF0 && c <= 0xF4 ? 4 : 1;
    bool whole = c == '\t' || (len > 1 && i + len <= s.size());
    for (size_t k = 1; whole && k < len; ++k) {
      auto b = static_cast<unsigned char>(s[i + k]);
      // The second byte's narrower ranges rule out overlong forms, surrogates and > U+10FFFF.
      unsigned char lo = k == 1 && c == 0xE0 ? 0xA0 : k == 1 && c == 0xF0 ? 0x90 : 0x80;
      unsigned char hi = k == 1 && c == 0xED ? 0x9F : k == 1 && c == 0xF4 ? 0x8F : 0xBF;
      whole = b >= lo && b <= hi;
    }
    if (whole) {
      out.append(s.substr(i, len));
      i += len;
    } else {
      char hex[8];
      std::snprintf(hex, sizeof hex, "\\x%02X", c);
      out += hex;
      ++i;
    }
  }
  return out;
}

size_t utf8Length(std::string_view s) {
  size_t n = 0;
  for (char c : s)
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++n;
  return n;
}

namespace {
// The East Asian Wide and Fullwidth blocks (Unicode UAX #11), coarsely.
bool isWide(uint32_t cp) {
  return (cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0x303E) || (cp >= 0x3041 && cp <= 0x33FF) ||
         (cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0xA000 && cp <= 0xA4CF) ||
         (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0xFE30 && cp <= 0xFE4F) ||
         (cp >= 0xFF00 && cp <= 0xFF60) || (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x20000 && cp <= 0x3FFFD);
}
} // namespace

size_t spreadsheetWidth(std::string_view s) {
  size_t width = 0;
  for (size_t i = 0; i < s.size();) {
    auto c = static_cast<unsigned char>(s[i]);
    size_t len = c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
    if (i + len > s.size()) len = 1;
    uint32_t cp = len == 1 ? c : c & (0x7F >> len);
    for (size_t k = 1; k < len; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
    width += isWide(cp) ? 2 : 1;
    i += len;
  }
  return width;
}

std::string openProblem(int systemError, bool forWriting, bool zh) {
  switch (systemError) {
  case ENOENT:
    if (forWriting) return zh ? "所在的文件夹不存在；请先建好文件夹或换一个路径" : "its folder does not exist; create it or choose another path";
    return zh ? "文件不存在；请检查路径与文件名" : "no such file; check the path and the file name";
  case EACCES:
  case EPERM:
  case EROFS:
    return forWriting ? (zh ? "没有写入权限" : "permission denied: the file cannot be written")
                      : (zh ? "没有读取该文件的权限" : "permission denied: the file cannot be read");
  case EISDIR: return zh ? "这是一个文件夹，不是文件" : "this is a folder, not a file";
  default: return std::strerror(systemError);
  }
}

} // namespace rubric::runtime
