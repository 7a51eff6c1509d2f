#include "CsvScan.h"

#include <cerrno>
#include <cstring>
#include <unistd.h>

namespace baseline {

bool CsvScan::fill() {
  if (eof_) return false;
  if (pos_ > 0) {
    std::memmove(buf_.data(), buf_.data() + pos_, end_ - pos_);
    end_ -= pos_;
    pos_ = 0;
  }
  if (end_ == buf_.size()) buf_.resize(buf_.size() * 2);  // one record longer than the buffer
  ssize_t n;
  do n = ::read(fd_, buf_.data() + end_, buf_.size() - end_);
  while (n < 0 && errno == EINTR);
  if (n <= 0) {
    eof_ = true;
    readFailed_ = n < 0;
    return false;
  }
  end_ += static_cast<size_t>(n);
  return true;
}

bool CsvScan::splitPlain(const char *s, const char *e, std::vector<std::string_view> &cells) {
  if (e > s && e[-1] == '\r') --e;
  cells.clear();
  for (;;) {
    const char *comma = static_cast<const char *>(std::memchr(s, ',', static_cast<size_t>(e - s)));
    if (!comma) break;
    cells.emplace_back(s, static_cast<size_t>(comma - s));
    s = comma + 1;
  }
  cells.emplace_back(s, static_cast<size_t>(e - s));
  return true;
}

int CsvScan::splitQuoted(std::vector<std::string_view> &cells) {
  scratch_.clear();
  cellEnds_.clear();
  size_t i = pos_, quotedEnd = 0;
  int64_t newlines = 0;
  bool inQuotes = false, cellStart = true;
  for (;;) {
    if (i == end_) {
      if (!eof_) return 0;
      if (inQuotes) return -1;
      break;  // the last record has no line end
    }
    char c = buf_[i];
    if (inQuotes) {
      if (c == '"') {
        if (i + 1 == end_ && !eof_) return 0;  // "" or the closing quote: the next byte decides
        if (i + 1 < end_ && buf_[i + 1] == '"') {
          scratch_.push_back('"');
          i += 2;
          continue;
        }
        inQuotes = false;
        quotedEnd = scratch_.size();
        ++i;
        continue;
      }
      newlines += c == '\n';
      scratch_.push_back(c);
      ++i;
      continue;
    }
    ++i;
    if (c == '"' && cellStart) inQuotes = true;  // a quote inside an unquoted cell is a character
    else if (c == ',') cellEnds_.push_back(scratch_.size());
    else if (c == '\n') break;
    else scratch_.push_back(c);
    cellStart = c == ',';
  }
  // A CR before the line end is part of the line end, unless it was quoted.
  if (scratch_.size() > quotedEnd && !scratch_.empty() && scratch_.back() == '\r' &&
      (cellEnds_.empty() || cellEnds_.back() < scratch_.size()))
    scratch_.pop_back();
  cellEnds_.push_back(scratch_.size());
  cells.clear();
  size_t start = 0;
  for (size_t end : cellEnds_) {
    cells.emplace_back(scratch_.data() + start, end - start);
    start = end;
  }
  pos_ = i;
  line_ += 1 + newlines;
  return 1;
}

bool CsvScan::next(std::vector<std::string_view> &cells, int64_t &line, const char *&error) {
  error = nullptr;
  for (;;) {
    const char *s = buf_.data() + pos_, *e = buf_.data() + end_;
    if (s == e) {
      if (!fill()) {
        if (readFailed_) error = "读取失败 / read failed";
        return false;
      }
      continue;
    }
    const char *nl = static_cast<const char *>(std::memchr(s, '\n', static_cast<size_t>(e - s)));
    if (!nl && !eof_) {
      fill();
      continue;
    }
    const char *stop = nl ? nl : e;
    line = line_;
    if (!std::memchr(s, '"', static_cast<size_t>(stop - s))) {
      splitPlain(s, stop, cells);
      pos_ = static_cast<size_t>(stop - buf_.data()) + (nl ? 1 : 0);
      ++line_;
      return true;
    }
    int r = splitQuoted(cells);
    if (r == 1) return true;
    if (r < 0) {
      error = "引号没有闭合 / a quote is never closed";
      pos_ = end_;
      return false;
    }
    fill();  // the quoted record goes on past the data read so far
  }
}

} // namespace baseline
