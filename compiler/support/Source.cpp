#include "support/Source.h"

#include <algorithm>
#include <filesystem>
#include <fstream>

#include <utf8proc.h>

namespace rubric {

SourceFile::SourceFile(std::string path, std::string text)
    : path_(std::move(path)), text_(std::move(text)) {
  // A lone CR ends a line too (old Mac files; LSP counts it): as LF, byte for
  // byte, so the lexer's lines and every offset agree with the editor's.
  for (size_t i = 0; i < text_.size(); ++i)
    if (text_[i] == '\r' && (i + 1 == text_.size() || text_[i + 1] != '\n')) text_[i] = '\n';
  lineStarts_.push_back(0);
  for (size_t i = 0; i < text_.size(); ++i)
    if (text_[i] == '\n') lineStarts_.push_back(i + 1);
}

std::string_view SourceFile::lineText(uint32_t line) const {
  if (line == 0 || line > lineStarts_.size()) return {};
  size_t begin = lineStarts_[line - 1];
  size_t end = line < lineStarts_.size() ? lineStarts_[line] - 1 : text_.size();
  if (end > begin && text_[end - 1] == '\r') --end;
  return std::string_view(text_).substr(begin, end - begin);
}

std::shared_ptr<SourceFile> SourceFile::load(const std::string &path, std::string *error) {
  auto setError = [&](const std::string &e) {
    if (error) *error = e;
    return nullptr;
  };
  std::error_code ec;
  auto status = std::filesystem::status(path, ec);
  if (!ec && std::filesystem::exists(status) && !std::filesystem::is_regular_file(status)) return setError(kNotRegular);
  if (!ec && std::filesystem::is_regular_file(status) && std::filesystem::file_size(path, ec) > kMaxBytes && !ec)
    return setError(kTooLarge);
  std::ifstream in(path, std::ios::binary);
  if (!in) return setError("cannot open");
  // Read at most one byte past the limit (the size may have changed since
  // it was looked up): a larger file is refused, not truncated.
  uintmax_t size = std::filesystem::file_size(path, ec);
  std::string text((ec ? kMaxBytes : std::min<uintmax_t>(size, kMaxBytes)) + 1, '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  if (in.bad()) return setError("read failed");
  size_t got = static_cast<size_t>(in.gcount());
  if (got > kMaxBytes) return setError(kTooLarge);
  text.resize(got);
  return std::make_shared<SourceFile>(path, std::move(text));
}

std::string_view spanText(const SourceFile &file, Span span) {
  std::string_view line = file.lineText(span.line);
  size_t begin = byteOffsetOfCodePoint(line, span.col > 0 ? span.col - 1 : 0);
  size_t end = span.endCol > span.col ? byteOffsetOfCodePoint(line, span.endCol - 1) : line.size();
  return line.substr(begin, end > begin ? end - begin : 0);
}

static utf8proc_ssize_t decode(std::string_view s, size_t i, utf8proc_int32_t *cp) {
  return utf8proc_iterate(reinterpret_cast<const utf8proc_uint8_t *>(s.data() + i),
                          static_cast<utf8proc_ssize_t>(s.size() - i), cp);
}

uint32_t displayWidth(std::string_view s) {
  uint32_t width = 0;
  for (size_t i = 0; i < s.size();) {
    utf8proc_int32_t cp;
    utf8proc_ssize_t n = decode(s, i, &cp);
    if (n <= 0) { ++width; ++i; continue; }
    if (cp == '\t') width += 1;
    else {
      int w = utf8proc_charwidth(cp);
      // U+3000 and other ambiguous full-width punctuation: utf8proc says 2 already.
      width += w < 0 ? 1 : static_cast<uint32_t>(w);
    }
    i += static_cast<size_t>(n);
  }
  return width;
}

size_t byteOffsetOfCodePoint(std::string_view s, uint32_t index) {
  size_t i = 0;
  for (uint32_t k = 0; k < index && i < s.size(); ++k) {
    utf8proc_int32_t cp;
    utf8proc_ssize_t n = decode(s, i, &cp);
    i += n <= 0 ? 1 : static_cast<size_t>(n);
  }
  return i < s.size() ? i : s.size();
}

bool validateUtf8(std::string_view s, size_t *badOffset) {
  for (size_t i = 0; i < s.size();) {
    utf8proc_int32_t cp;
    utf8proc_ssize_t n = decode(s, i, &cp);
    if (n <= 0) {
      if (badOffset) *badOffset = i;
      return false;
    }
    i += static_cast<size_t>(n);
  }
  return true;
}

uint32_t codePointCount(std::string_view s) {
  uint32_t count = 0;
  for (unsigned char c : s)
    if ((c & 0xC0) != 0x80) ++count;
  return count;
}

} // namespace rubric
