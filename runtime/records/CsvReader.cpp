// CSV / TSV (RFC 4180) reading, streaming through a 1 MiB buffer.
#include <algorithm>
#include <cstring>

#include "RecordReader.h"

namespace rubric::records {

CsvParser::CsvParser(std::unique_ptr<ByteSource> src, char delimiter)
    : src_(std::move(src)), buf_(1 << 20), delim_(delimiter) {
  special_.fill(0);
  special_[static_cast<unsigned char>(delimiter)] = 1;
  special_[static_cast<unsigned char>('\n')] = 1;
  special_[static_cast<unsigned char>('\r')] = 1;
}

bool CsvParser::fill() {
  if (eof_) return false;
  pos_ = 0;
  end_ = src_->read(buf_.data(), buf_.size());
  if (end_ == 0) {
    eof_ = true;
    return false;
  }
  return true;
}

bool CsvParser::next(std::vector<std::string> &fields, size_t &count, bool &unterminated) {
  unterminated = false;
  count = 0;
  oversized_ = std::string::npos;
  tooManyFields_ = false;
  if (pos_ == end_ && !fill()) return false;
  const char delim = delim_;
  auto newField = [&]() -> std::string * {
    if (count == kMaxColumns) {  // keep reading the row, but store no more fields
      tooManyFields_ = true;
      fields[count - 1].clear();
      return &fields[count - 1];
    }
    if (count == fields.size()) fields.emplace_back();
    std::string *f = &fields[count++];
    f->clear();
    return f;
  };
  std::string *f = newField();
  // Every byte of a field goes through here: a field stops growing at kMaxCellBytes.
  auto put = [&](const char *b, size_t n) {
    if (f->size() + n > kMaxCellBytes) {
      if (oversized_ == std::string::npos) oversized_ = count - 1;
      n = kMaxCellBytes - std::min(f->size(), kMaxCellBytes);
    }
    f->append(b, n);
  };
  bool quoted = false, atStart = true;
  for (;;) {
    if (pos_ == end_ && !fill()) {
      if (quoted) unterminated = true;
      return true;
    }
    const char *base = buf_.data();
    const char *b = base + pos_, *e = base + end_;
    if (quoted) {
      const char *q = static_cast<const char *>(std::memchr(b, '"', static_cast<size_t>(e - b)));
      if (!q) {
        put(b, static_cast<size_t>(e - b));
        pos_ = end_;
        continue;
      }
      put(b, static_cast<size_t>(q - b));
      pos_ = static_cast<size_t>(q - base) + 1;
      if (pos_ == end_ && !fill()) return true;  // closing quote at the very end
      if (buf_[pos_] == '"') {                   // "" → "
        put("\"", 1);
        ++pos_;
        continue;
      }
      quoted = false;  // anything up to the delimiter is kept literally
      continue;
    }
    // Unquoted fields, as many as the buffer holds.
    for (;;) {
      if (atStart && *b == '"') {
        quoted = true;
        atStart = false;
        ++b;
        break;
      }
      const char *p = b;
      while (p < e && !special_[static_cast<unsigned char>(*p)]) ++p;
      if (p != b) put(b, static_cast<size_t>(p - b));
      if (p == e) {  // refill and go on with the same field
        atStart = false;
        b = p;
        break;
      }
      char c = *p++;
      if (c == delim) {
        f = newField();
        atStart = true;
        b = p;
        if (b == e) break;
        continue;
      }
      pos_ = static_cast<size_t>(p - base);
      if (c == '\r') {
        if (pos_ == end_) fill();
        if (pos_ < end_ && buf_[pos_] == '\n') ++pos_;
      }
      return true;
    }
    pos_ = static_cast<size_t>(b - base);
  }
}

namespace {

bool blank(const std::vector<std::string> &cells) {
  for (const auto &c : cells)
    for (char ch : c)
      if (ch != ' ' && ch != '\t') return false;
  return true;
}

class CsvReader : public RecordReader {
 public:
  CsvReader(std::unique_ptr<ByteSource> src, std::string name, char delimiter)
      : RecordReader(std::move(name)), parser_(std::move(src), delimiter) {
    // The header is the first non-blank row.
    size_t n;
    bool unterminated;
    std::vector<std::string> cells;
    while (parser_.next(cells, n, unterminated)) {
      ++row_;
      cells.resize(n);
      if (blank(cells)) continue;
      if (parser_.tooManyFields()) throw RecordFileError(FileProblem::TooManyColumns, name_);
      if (parser_.oversizedField() != std::string::npos)
        throw RecordFileError(FileProblem::HeaderTooLarge, name_, std::to_string(parser_.oversizedField() + 1));
      headers_ = std::move(cells);
      break;
    }
  }

  bool headersFixed() const override { return true; }

  // A row with fewer cells than the header, or with text beyond its last
  // column, is shifted (a stray comma, a lost one) and cannot be read by
  // position. Empty cells beyond the header are tolerated.
  bool fitsHeader(const std::vector<std::string> &cells) const {
    if (cells.size() < headers_.size()) return false;
    for (size_t i = headers_.size(); i < cells.size(); ++i)
      for (char ch : cells[i])
        if (ch != ' ' && ch != '\t') return false;
    return true;
  }

  bool next(Row &row) override {
    size_t n;
    bool unterminated;
    for (;;) {
      if (!parser_.next(row.cells, n, unterminated)) return false;
      ++row_;
      row.cells.resize(n);
      if (!unterminated && blank(row.cells)) continue;
      row.number = row_;
      row.problem = unterminated ? RowProblem::UnterminatedQuote : RowProblem::None;
      row.detail.clear();
      row.problemCell = -1;
      if (parser_.tooManyFields()) {
        row.problem = RowProblem::TooManyCells;
      } else if (parser_.oversizedField() != std::string::npos) {
        row.problem = RowProblem::CellTooLarge;
        row.problemCell = static_cast<int64_t>(parser_.oversizedField());
      } else if (!unterminated && !fitsHeader(row.cells)) {
        row.problem = RowProblem::CellCount;
        row.detail = std::to_string(n);
      }
      return true;
    }
  }

 private:
  CsvParser parser_;
  int64_t row_ = 0;
};

} // namespace

std::unique_ptr<RecordReader> csvReader(std::unique_ptr<ByteSource> src, std::string name, char delimiter) {
  return std::make_unique<CsvReader>(std::move(src), std::move(name), delimiter);
}

} // namespace rubric::records
