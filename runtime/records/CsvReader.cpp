// CSV / TSV (RFC 4180) reading, streaming through a 1 MiB buffer.
#include <algorithm>
#include <cstring>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "CsvCutter.h"
#include "RecordReader.h"

namespace rubric::records {

namespace {

// Bytes of padding after the read buffer, so a block scan may load 64 bytes
// from any position before the end (what it finds past the end is ignored).
constexpr size_t kPad = 64;
constexpr size_t kReadBytes = size_t{1} << 20;
static_assert(kReadBytes <= kMaxCellBytes);

} // namespace

CsvParser::CsvParser(std::unique_ptr<ByteSource> src, char delimiter)
    : src_(std::move(src)), buf_(kReadBytes + kPad), base_(buf_.data()), delim_(delimiter) {
  special_.fill(0);
  special_[static_cast<unsigned char>(delimiter)] = 1;
  special_[static_cast<unsigned char>('\n')] = 1;
  special_[static_cast<unsigned char>('\r')] = 1;
}

// Whole records already in memory: one buffer, checked once, never refilled.
CsvParser::CsvParser(const char *p, size_t n, char delimiter) : base_(p), end_(n), eof_(true), delim_(delimiter) {
  special_.fill(0);
  special_[static_cast<unsigned char>(delimiter)] = 1;
  special_[static_cast<unsigned char>('\n')] = 1;
  special_[static_cast<unsigned char>('\r')] = 1;
  text_.check(p, n);
}

std::string CsvParser::unread() const { return std::string(base_ + pos_, end_ - pos_); }

bool CsvParser::fill() {
  ++fills_;
  if (eof_) return false;
  pos_ = 0;
  block_ = nullptr;  // the kept hits are of the old bytes
  end_ = src_->read(buf_.data(), buf_.size() - kPad);
  if (end_ == 0) {
    eof_ = true;
    return false;
  }
  text_.check(buf_.data(), end_);
  return true;
}

// The row's cells may view the buffer: they are copied before it is refilled.
bool CsvParser::refill(CellList &fields) {
  fields.own();
  return fill();
}

// Which of the 64 bytes at p are a delimiter, CR or LF (bit k: byte p[k]).
[[gnu::always_inline]] inline uint64_t CsvParser::specials(const char *p) const {
  uint64_t m = 0;
#if defined(__SSE2__)
  const __m128i d = _mm_set1_epi8(delim_), lf = _mm_set1_epi8('\n'), cr = _mm_set1_epi8('\r');
  for (int k = 0; k < 4; ++k) {
    __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i *>(p + 16 * k));
    __m128i hit = _mm_or_si128(_mm_cmpeq_epi8(v, d), _mm_or_si128(_mm_cmpeq_epi8(v, lf), _mm_cmpeq_epi8(v, cr)));
    m |= static_cast<uint64_t>(static_cast<uint32_t>(_mm_movemask_epi8(hit))) << (16 * k);
  }
#else
  for (int k = 0; k < 64; ++k) m |= static_cast<uint64_t>(special_[static_cast<unsigned char>(p[k])]) << k;
#endif
  return m;
}

// The first delimiter, CR or LF in [p, e), or e. Sixteen bytes at a time
// with SSE2 (the buffer is padded so the last load stays inside it), 64 to a
// block; the hits of the last block loaded are kept, so the short fields that
// share a block cost no second load.
[[gnu::always_inline]] inline const char *CsvParser::findSpecial(const char *p, const char *e) {
  if (block_ && p >= block_ && p < block_ + 64) {
    if (uint64_t m = blockHits_ & (~uint64_t{0} << (p - block_))) {
      const char *q = block_ + __builtin_ctzll(m);
      return q < e ? q : e;
    }
    p = block_ + 64;
  }
  for (; p < e; p += 64) {
    if (uint64_t m = specials(p)) {
      block_ = p;
      blockHits_ = m;
      const char *q = p + __builtin_ctzll(m);
      return q < e ? q : e;
    }
  }
  return e;
}

// Every byte of a field goes through here: a field stops growing at kMaxCellBytes.
[[gnu::always_inline]] inline void CsvParser::put(CellList &fields, const char *b, size_t n) {
  size_t have = fields.back().size();
  if (have + n > kMaxCellBytes) {
    if (oversized_ == std::string::npos) oversized_ = fields.size() - 1;
    n = kMaxCellBytes - std::min(have, kMaxCellBytes);
    if (n == 0) return;
  }
  fields.extendLast(b, n);
}

[[gnu::always_inline]] inline void CsvParser::newField(CellList &fields, const char *at) {
  if (fields.size() == kMaxColumns) {  // keep reading the row, but store no more fields
    tooManyFields_ = true;
    fields.clearLast();
    return;
  }
  fields.refer(at, 0);
}

// Line breaks among the n quoted bytes at b, of the field being read: the
// first field of a record with any is noted, and its breaks counted (CRLF,
// CR or LF each one, a CRLF split across two reads too).
void CsvParser::noteLineBreaks(const CellList &fields, const char *b, size_t n) {
  size_t field = fields.size() - 1;
  if (n == 0 || (broken_ != std::string::npos && broken_ != field)) return;
  if (!std::memchr(b, '\n', n) && !std::memchr(b, '\r', n)) {  // the common case, at memchr's speed
    quotedCR_ = endsInBreak_ = false;
    return;
  }
  size_t lines = 0;
  for (size_t i = 0; i < n; ++i)
    if (b[i] == '\r' || (b[i] == '\n' && !(i == 0 ? quotedCR_ : b[i - 1] == '\r'))) ++lines;
  quotedCR_ = b[n - 1] == '\r';
  endsInBreak_ = quotedCR_ || b[n - 1] == '\n';
  if (lines == 0) return;
  broken_ = field;
  brokenLines_ += lines;
}

// Inside quotes: up to the closing quote ("" is one quote). False when the
// input ended inside the quotes.
bool CsvParser::quotedField(CellList &fields, bool &unterminated) {
  quotedCR_ = endsInBreak_ = false;
  for (;;) {
    if (pos_ == end_ && !refill(fields)) {
      unterminated = true;
      if (broken_ == fields.size() - 1 && endsInBreak_ && --brokenLines_ == 0)  // the file's last line break starts no line
        broken_ = std::string::npos;
      return false;
    }
    const char *base = base_;
    const char *b = base + pos_, *e = base + end_;
    const char *q = static_cast<const char *>(std::memchr(b, '"', static_cast<size_t>(e - b)));
    if (!q) {
      noteLineBreaks(fields, b, static_cast<size_t>(e - b));
      put(fields, b, static_cast<size_t>(e - b));
      pos_ = end_;
      continue;
    }
    noteLineBreaks(fields, b, static_cast<size_t>(q - b));
    put(fields, b, static_cast<size_t>(q - b));
    pos_ = static_cast<size_t>(q - base) + 1;
    if (pos_ == end_ && !refill(fields)) return false;  // closing quote at the very end
    if (base_[pos_] != '"') return true;  // closed: anything up to the delimiter is kept literally
    quotedCR_ = endsInBreak_ = false;
    put(fields, base_ + pos_, 1);  // "" → "
    ++pos_;
  }
}

bool CsvParser::next(CellList &fields, bool &unterminated) {
  unterminated = false;
  fields.clear();
  oversized_ = std::string::npos;
  tooManyFields_ = false;
  broken_ = std::string::npos;
  brokenLines_ = 0;
  if (pos_ == end_ && !fill()) return false;
  size_t start = pos_;
  uint64_t fills = fills_;
  record(fields, unterminated);
  textClean_ = fills == fills_ && start >= text_.cleanFrom() && pos_ <= text_.dirtyFrom();
  return true;
}

// specials() of the 64 bytes at p, without the bits at or past e.
[[gnu::always_inline]] inline uint64_t CsvParser::blockSpecials(const char *p, const char *e) const {
  uint64_t m = specials(p);
  auto left = static_cast<size_t>(e - p);
  return left >= 64 ? m : m & ((uint64_t{1} << left) - 1);
}

// The common case, fast: fields without quotes that end inside the buffer,
// each taken as one view. True at the end of the record; false when a field
// opens with a quote, meets the end of the buffer, is longer than
// kMaxCellBytes or is one too many — that field is begun at pos_ and the
// general loop of record() goes on from there.
//
// A block at a time: the delimiters, CRs and LFs of 64 bytes are one mask
// (specials), and each field is the next set bit; its view is written
// straight into the list's cells through a pointer kept in a register
// (the list grows, a cell at a time, only while this row is its widest).
bool CsvParser::plainFields(CellList &fields) {
  const char *base = base_, *e = base + end_;
  const char *b = base + pos_, *blk = b;  // b: the field's first byte; blk: the block whose bits are in m
  uint64_t m = blockSpecials(blk, e);
  CellList::Span *first = fields.spans_.data(), *out = first + fields.count_, *limit = first + fields.spans_.size();
  size_t room = kMaxColumns - fields.count_;  // fields this record may still have
  for (;;) {
    if (*b == '"' || room == 0) break;  // (at e, *b is a padding byte: the next test stops there too)
    if (m == 0) {  // the field runs past this block
      do {
        blk += 64;
        if (blk >= e) break;
        m = blockSpecials(blk, e);
      } while (m == 0);
      if (m == 0 || static_cast<size_t>(blk + __builtin_ctzll(m) - b) > kMaxCellBytes) break;
    }
    if (out == limit) [[unlikely]] {
      fields.count_ = static_cast<size_t>(out - first);
      out = fields.spansFor(1);
      first = fields.spans_.data();
      limit = first + fields.spans_.size();
    }
    const char *q = blk + __builtin_ctzll(m);
    m &= m - 1;
    *out++ = {b, 0, static_cast<size_t>(q - b)};
    --room;
    b = q + 1;
    if (*q != delim_) {
      fields.count_ = static_cast<size_t>(out - first);
      pos_ = static_cast<size_t>(b - base);
      lineEnd(fields, *q);
      return true;
    }
  }
  fields.count_ = static_cast<size_t>(out - first);
  pos_ = static_cast<size_t>(b - base);
  newField(fields, b);
  return false;
}

// After a CR or LF that ended a record: a CR's LF is part of it.
void CsvParser::lineEnd(CellList &fields, char c) {
  if (c != '\r') return;
  if (pos_ == end_) refill(fields);
  if (pos_ < end_ && base_[pos_] == '\n') ++pos_;
}

// One record from pos_ (not at the end of the buffer) on.
void CsvParser::record(CellList &fields, bool &unterminated) {
  if (plainFields(fields)) return;
  bool atStart = true;
  for (;;) {
    if (pos_ == end_ && !refill(fields)) return;
    const char *base = base_;
    const char *b = base + pos_, *e = base + end_;
    if (atStart && *b == '"') {
      pos_ = static_cast<size_t>(b - base) + 1;
      atStart = false;
      if (!quotedField(fields, unterminated)) return;
      continue;
    }
    const char *p = findSpecial(b, e);
    if (p != b) put(fields, b, static_cast<size_t>(p - b));
    pos_ = static_cast<size_t>(p - base);
    if (p == e) {  // refill and go on with the same field
      atStart = false;
      continue;
    }
    char c = *p;
    ++pos_;
    if (c == delim_) {
      newField(fields, p + 1);
      atStart = true;
      continue;
    }
    lineEnd(fields, c);
    return;
  }
}

namespace {

bool blank(const CellList &cells) {
  for (std::string_view c : cells)
    for (char ch : c)
      if (ch != ' ' && ch != '\t') return false;
  return true;
}

// A row with fewer or more cells than the header is shifted (a comma lost,
// a stray one) and cannot be read by position — even when the cells beyond
// the header are empty: a stray comma before a row's empty last cells leaves
// only empty ones beyond it, with every column after the comma read from its
// neighbour. (Spreadsheets pad every row of a CSV, the header too, to the
// same width.)
bool fitsHeader(const CellList &cells, size_t headerCount) { return cells.size() == headerCount; }

// The record parser.next() just read into row.cells, as a reader gives it:
// its number and shape problem. False: a blank row (counted, not given).
bool shapeRow(const CsvParser &parser, bool unterminated, int64_t number, size_t headerCount, Row &row) {
  if (!unterminated && blank(row.cells)) return false;
  row.number = number;
  row.textChecked = parser.textClean();
  row.problem = unterminated ? RowProblem::UnterminatedQuote : RowProblem::None;
  row.detail.clear();
  row.problemCell = -1;
  row.brokenCell = parser.brokenField() == std::string::npos ? -1 : static_cast<int64_t>(parser.brokenField());
  row.brokenCellLines = static_cast<int64_t>(parser.brokenFieldLines());
  if (parser.tooManyFields()) {
    row.problem = RowProblem::TooManyCells;
  } else if (parser.oversizedField() != std::string::npos && !unterminated) {  // (else a consequence of the quote)
    row.problem = RowProblem::CellTooLarge;
    row.problemCell = static_cast<int64_t>(parser.oversizedField());
  } else if (!unterminated && !fitsHeader(row.cells, headerCount)) {
    row.problem = RowProblem::CellCount;
    row.detail = std::to_string(row.cells.size());
  }
  return true;
}

// The rest of a CSV file in slices (CsvSlicer), parsed with the reader's parser.
class SlicedCsv : public CsvSlicer {
 public:
  SlicedCsv(CsvParser &parser, char delimiter, int64_t rowsBefore, size_t maxRows, size_t headerCount)
      : cutter_(parser.unread(), parser.takeSource(), delimiter, rowsBefore, maxRows), delim_(delimiter),
        headerCount_(headerCount) {}
  bool next(CsvSlice &slice) override { return cutter_.next(slice); }
  size_t parse(const CsvSlice &slice, Row &row, const std::function<void(Row &)> &each) const override {
    CsvParser parser(slice.data, slice.size, delim_);
    int64_t number = slice.rowsBefore;
    size_t count = 0;
    for (bool unterminated;;) {
      if (!parser.next(row.cells, unterminated)) return count;
      if (shapeRow(parser, unterminated, ++number, headerCount_, row)) {
        each(row);
        ++count;
      }
    }
  }
  std::unique_ptr<ByteSource> rest(int64_t &rowsBefore) { return cutter_.rest(rowsBefore); }

 private:
  CsvCutter cutter_;
  char delim_;
  size_t headerCount_;
};

} // namespace

size_t CsvSlicer::parse(const CsvSlice &slice, std::vector<Row> &rows) const {
  Row row;
  size_t count = 0;
  parse(slice, row, [&](Row &parsed) {
    if (count == rows.size()) rows.emplace_back();
    std::swap(rows[count++], parsed);  // (the views into the slice kept; `parsed` reused)
  });
  return count;
}

namespace {

class CsvReader : public RecordReader {
 public:
  CsvReader(std::unique_ptr<ByteSource> src, std::string name, char delimiter)
      : RecordReader(std::move(name)), parser_(std::make_unique<CsvParser>(std::move(src), delimiter)),
        delim_(delimiter) {
    // The header is the first non-blank row.
    bool unterminated;
    CellList cells;
    while (parser_->next(cells, unterminated)) {
      ++row_;
      if (blank(cells)) continue;
      if (parser_->tooManyFields()) throw RecordFileError(FileProblem::TooManyColumns, name_);
      if (parser_->oversizedField() != std::string::npos)
        throw RecordFileError(FileProblem::HeaderTooLarge, name_, std::to_string(parser_->oversizedField() + 1));
      headers_ = cells.strings();
      break;
    }
  }

  bool headersFixed() const override { return true; }

  bool next(Row &row) override {
    if (!parser_) {  // the rows the slices did not hold, read here (sliced_ stays: slices may be in flight)
      parser_ = std::make_unique<CsvParser>(sliced_->rest(row_), delim_);
    }
    bool unterminated;
    for (;;) {
      if (!parser_->next(row.cells, unterminated)) return false;
      if (shapeRow(*parser_, unterminated, ++row_, headers_.size(), row)) return true;
    }
  }

  CsvSlicer *slicer(size_t maxRows) override {
    if (!sliced_ && parser_) {
      sliced_ = std::make_unique<SlicedCsv>(*parser_, delim_, row_, maxRows, headers_.size());
      parser_.reset();  // its buffer: the cutter has what it had not parsed
    }
    return sliced_.get();
  }

 private:
  std::unique_ptr<CsvParser> parser_;
  std::unique_ptr<SlicedCsv> sliced_;
  char delim_;
  int64_t row_ = 0;
};

} // namespace

std::unique_ptr<RecordReader> csvReader(std::unique_ptr<ByteSource> src, std::string name, char delimiter) {
  return std::make_unique<CsvReader>(std::move(src), std::move(name), delimiter);
}

} // namespace rubric::records
