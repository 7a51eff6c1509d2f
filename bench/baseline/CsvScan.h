// The baseline's own CSV scan (RFC 4180 with LF or CRLF line ends), written
// without the runtime: read() into one large buffer, memchr for the line end
// and for each comma, cells as views into that buffer. A record with a quote
// in it takes the slow path, which unescapes into a scratch buffer and may
// span several lines.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace baseline {

class CsvScan {
public:
  explicit CsvScan(int fd) : fd_(fd), buf_(kInitialBuffer) {}

  // The next record's cells (views valid until the next call) and the line it
  // starts on (1 = the header). False at the end of the input.
  // `error` is set (and false returned) for a quote that is never closed or a
  // failed read.
  bool next(std::vector<std::string_view> &cells, int64_t &line, const char *&error);

private:
  static constexpr size_t kInitialBuffer = size_t{4} << 20;

  bool fill();  // keep the unread tail, read more; false when nothing more came
  bool splitPlain(const char *s, const char *e, std::vector<std::string_view> &cells);
  // 1 = done (pos_ moved past the record), 0 = need more input, -1 = unclosed quote at EOF
  int splitQuoted(std::vector<std::string_view> &cells);

  int fd_;
  std::vector<char> buf_;
  size_t pos_ = 0, end_ = 0;
  bool eof_ = false, readFailed_ = false;
  int64_t line_ = 1;  // the line the next record starts on
  std::vector<char> scratch_;
  std::vector<size_t> cellEnds_;
};

} // namespace baseline
