// A loaded source file and positions inside it.
//
// Columns are counted in code points (what ANTLR reports) and converted to
// display columns (CJK = 2) only when a caret is drawn.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace rubric {

// A half-open range on one source line: [col, endCol) in code points, 1-based.
// A construct spanning several lines is reported on its first line, caret to line end.
struct Span {
  uint32_t line = 0;
  uint32_t col = 0;
  uint32_t endCol = 0;
  bool valid() const { return line != 0; }
};

class SourceFile {
public:
  SourceFile(std::string path, std::string text);

  const std::string &path() const { return path_; }
  const std::string &text() const { return text_; }
  // The text of a 1-based line, without its line terminator.
  std::string_view lineText(uint32_t line) const;
  uint32_t lineCount() const { return static_cast<uint32_t>(lineStarts_.size()); }

  // Reads a rubric file. On failure returns null and stores in *error one of
  // the reasons below, or the system's message. Only regular files are read
  // (a device such as /dev/zero or a FIFO would never end or would block),
  // and reading stops at kMaxBytes, so no input can exhaust memory.
  static std::shared_ptr<SourceFile> load(const std::string &path, std::string *error);
  static constexpr size_t kMaxBytes = size_t{8} << 20;  // 8 MiB: the largest bundled rubric is ~40 KB
  static constexpr const char *kMaxBytesText = "8 MiB";
  static constexpr const char *kNotRegular = "not a regular file";
  static constexpr const char *kTooLarge = "file too large";

private:
  std::string path_;
  std::string text_;
  std::vector<size_t> lineStarts_;
};

// The source text a span covers (to the end of its line for a multi-line span).
std::string_view spanText(const SourceFile &file, Span span);

// Display width of UTF-8 text in a terminal: East Asian wide/fullwidth = 2.
uint32_t displayWidth(std::string_view utf8);
// The byte offset of the code point with the given 0-based index in `line`.
size_t byteOffsetOfCodePoint(std::string_view line, uint32_t index);
// Validates UTF-8; on failure returns false and the byte offset of the first bad byte.
bool validateUtf8(std::string_view text, size_t *badOffset);
// Number of code points in valid UTF-8 text.
uint32_t codePointCount(std::string_view utf8);

} // namespace rubric
