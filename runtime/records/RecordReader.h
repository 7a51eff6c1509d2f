// Record readers: candidate records as rows of cell strings keyed by header.
//
// Every reader streams: it holds one buffer and one row at a time, whatever
// the size of the file. A reader knows nothing about the rubric; turning
// cells into kernel columns is runtime/scoring/Columns.
//
// Structure (so new formats and encodings slot in):
//   ByteSource       raw bytes (a file, a stream, a GB18030 → UTF-8 transcoder)
//   utf8Source()     strips a UTF-8 BOM and refuses what is not UTF-8
//   decodedSource()  UTF-8 as is, GB18030/GBK transcoded (detected or explicit)
//   RecordReader     CSV/TSV (RFC 4180), JSON Lines, XLSX (a zip: read by path, not as a ByteSource)
//   openRecords()    picks the reader by file extension
#pragma once

#include <array>
#include <cstdint>
#include <cstring>
#include <istream>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace rubric::records {

// Limits that keep every reader in bounded memory whatever the file holds
// (documented in docs/cli.md, "限制与退出状态").
constexpr size_t kMaxCellBytes = size_t{1} << 20;   // one cell: 1 MiB (XLSX shared and inline strings too)
constexpr size_t kMaxColumns = size_t{1} << 20;     // columns of one file: 1,048,576
constexpr size_t kMaxLineBytes = size_t{64} << 20;  // one JSON Lines record: 64 MiB

// Why one row could not be read. The row still counts as read (and is then
// rejected by the caller), so nothing is dropped in silence.
enum class RowProblem {
  None,
  UnterminatedQuote,  // CSV: a quoted field runs to the end of the file
  BadJson,            // JSONL: the line is not valid JSON (detail: parser message)
  NotAnObject,        // JSONL: the line is JSON but not an object
  NestedArray,        // JSONL: an array directly inside an array
  CellCount,          // CSV/TSV: fewer or more cells than the header (empty ones too)
                      // (a shifted row; detail: the number of cells)
  DuplicateKey,       // JSONL: a key given twice in one object (problemCell: its header)
  FormulaNoValue,     // XLSX: a formula cell with no stored result (problemCell)
  ErrorValue,         // XLSX: a cell holding an Excel error such as #DIV/0! (problemCell; detail: the error)
  CellTooLarge,       // a cell holds more than kMaxCellBytes (problemCell says which)
  TooManyCells,       // more than kMaxColumns cells in the row
  LineTooLong,        // JSONL: the line is longer than kMaxLineBytes
};

// The cells of one row, without a std::string per cell: each cell is a view,
// either into bytes the reader still holds (the CSV read buffer; valid until
// the reader's next call) or into this list's own byte arena. Readers fill
// it; the scoring runtime only reads views.
class CellList {
 public:
  CellList() = default;
  // A copy owns its bytes (it may outlive the reader's buffer); a move keeps views.
  CellList(const CellList &o) : bytes_(o.bytes_), spans_(o.spans_.begin(), o.spans_.begin() + o.count_), count_(o.count_) {
    own();
  }
  CellList &operator=(const CellList &o) {
    if (this == &o) return *this;
    bytes_.assign(o.bytes_);
    spans_.assign(o.spans_.begin(), o.spans_.begin() + o.count_);
    count_ = o.count_;
    own();
    return *this;
  }
  CellList(CellList &&) noexcept = default;
  CellList &operator=(CellList &&) noexcept = default;

  size_t size() const { return count_; }
  bool empty() const { return count_ == 0; }
  std::string_view operator[](size_t i) const {
    const Span &s = spans_[i];
    return {s.at ? s.at : bytes_.data() + s.off, s.len};
  }
  std::string_view back() const { return (*this)[count_ - 1]; }

  void clear() {
    count_ = 0;
    bytes_.clear();
  }
  // Keeps the first n cells; new cells are empty.
  void resize(size_t n);
  // Appends a cell that views bytes the caller keeps until the next own() or clear().
  void refer(const char *p, size_t n) { pushSpan({p, 0, n}); }
  // Appends a cell holding a copy of s.
  void copy(std::string_view s) {
    pushSpan({nullptr, bytes_.size(), s.size()});
    bytes_.append(s);
  }
  // Cell i becomes a copy of s (the list grows to i + 1 cells when shorter).
  void set(size_t i, std::string_view s);
  // Appends bytes to the last cell: a view that ends at p just grows; otherwise
  // the cell is copied to the end of the arena first.
  void extendLast(const char *p, size_t n) {
    Span &s = spans_[count_ - 1];
    if (s.at && s.at + s.len == p) s.len += n;
    else extendSlow(p, n);
  }
  // The last cell becomes empty again.
  void clearLast() { spans_[count_ - 1] = {nullptr, bytes_.size(), 0}; }
  // Makes every viewed cell a copy (before the viewed bytes go away).
  void own();

  std::vector<std::string> strings() const;
  bool operator==(const CellList &o) const;
  bool operator==(const std::vector<std::string> &o) const;

  class iterator {
   public:
    iterator(const CellList *l, size_t i) : l_(l), i_(i) {}
    std::string_view operator*() const { return (*l_)[i_]; }
    iterator &operator++() { return ++i_, *this; }
    bool operator!=(const iterator &o) const { return i_ != o.i_; }
    bool operator==(const iterator &o) const { return i_ == o.i_; }

   private:
    const CellList *l_;
    size_t i_;
  };
  iterator begin() const { return {this, 0}; }
  iterator end() const { return {this, count_}; }

 private:
  // CsvParser::plainFields appends views through a pointer of its own
  // (spansFor), count_ set once per record.
  friend class CsvParser;
  struct Span {
    const char *at;  // a view, or nullptr: bytes_[off, off + len)
    size_t off;
    size_t len;
  };
  void extendSlow(const char *p, size_t n);
  [[gnu::always_inline]] void pushSpan(Span s) {
    if (count_ < spans_.size()) [[likely]] spans_[count_++] = s;
    else growSpans(s);
  }
  [[gnu::noinline]] void growSpans(Span s) {
    spans_.push_back(s);
    ++count_;
  }
  // Room for n more cells after the first count_ (exactly: spans_ is as long
  // as the widest row, as push_back leaves it): where the next one goes.
  Span *spansFor(size_t n) {
    if (spans_.size() < count_ + n) spans_.resize(count_ + n);
    return spans_.data() + count_;
  }
  std::string bytes_;
  std::vector<Span> spans_;  // reused across rows: the first count_ are this row's
  size_t count_ = 0;
};

// CellList, out of line but in the header: the XLSX reader (a separate
// archive, linked whole before this one) uses it too.

inline void CellList::resize(size_t n) {
  while (count_ < n) pushSpan({nullptr, bytes_.size(), 0});
  count_ = n;
}

inline void CellList::set(size_t i, std::string_view s) {
  if (i >= count_) resize(i + 1);
  spans_[i] = {nullptr, bytes_.size(), s.size()};
  bytes_.append(s);
}

inline void CellList::extendSlow(const char *p, size_t n) {
  Span &s = spans_[count_ - 1];
  if (s.at) {  // a view: copy it to the end of the arena
    size_t off = bytes_.size();
    bytes_.append(s.at, s.len);
    s = {nullptr, off, s.len};
  } else if (s.off + s.len != bytes_.size()) {  // owned, but not last in the arena
    size_t off = bytes_.size();
    bytes_.resize(off + s.len);
    std::memcpy(bytes_.data() + off, bytes_.data() + s.off, s.len);
    s.off = off;
  }
  bytes_.append(p, n);
  s.len += n;
}

inline void CellList::own() {
  for (size_t i = 0; i < count_; ++i) {
    Span &s = spans_[i];
    if (!s.at) continue;
    size_t off = bytes_.size();
    bytes_.append(s.at, s.len);
    s = {nullptr, off, s.len};
  }
}

inline std::vector<std::string> CellList::strings() const {
  std::vector<std::string> out;
  out.reserve(count_);
  for (std::string_view c : *this) out.emplace_back(c);
  return out;
}

inline bool CellList::operator==(const CellList &o) const {
  if (count_ != o.count_) return false;
  for (size_t i = 0; i < count_; ++i)
    if ((*this)[i] != o[i]) return false;
  return true;
}

inline bool CellList::operator==(const std::vector<std::string> &o) const {
  if (count_ != o.size()) return false;
  for (size_t i = 0; i < count_; ++i)
    if ((*this)[i] != o[i]) return false;
  return true;
}

struct Row {
  // As the user sees it: CSV — the spreadsheet row (header = 1, first data
  // row = 2; blank rows are skipped but still counted); JSONL — the line.
  int64_t number = 0;
  // cells[i] belongs to headers()[i]. May be shorter than headers(): a
  // missing cell is empty.
  CellList cells;
  RowProblem problem = RowProblem::None;
  std::string detail;
  int64_t problemCell = -1;  // the header index the problem is in, when it is in one cell
  // CSV: the first cell whose quotes hold line breaks (-1: none), and how
  // many — lines that may have been rows of their own (a stray quote).
  int64_t brokenCell = -1;
  int64_t brokenCellLines = 0;
  // JSON Lines only: present[i] != 0 when this object has the key headers()[i]
  // (a null value is present and blank). Empty for CSV/XLSX, whose every
  // header is present in every row.
  std::vector<uint8_t> present;

  // Every cell is known to be valid UTF-8 text without NUL (the reader
  // checked the bytes it read them from); false: unknown, check each cell.
  bool textChecked = false;

  std::string_view cell(size_t i) const { return i < cells.size() ? cells[i] : std::string_view(); }
};

// A whole file could not be read.
enum class FileProblem {
  CannotOpen,   // detail: strerror text
  Utf16,        // a UTF-16 byte-order mark
  NotUtf8,      // invalid UTF-8 near the start (most likely GBK/GB18030 from Chinese Excel)
  ReadFailed,   // an I/O error while reading
  UnknownFormat, // the extension names no known format
  BadEncoding,  // GB18030 input with an invalid byte sequence: row() and offset() say where
  UnknownEncoding, // the requested encoding is not one we know (detail: its name)
  BadXlsx,      // not a readable .xlsx workbook (detail: what is wrong)
  NoSuchSheet,  // XLSX: the named sheet does not exist (detail: "name (the sheets there are)")
  XlsxUnavailable, // XLSX input is not linked into this program (rubric_records_xlsx)
  TooManyColumns, // the header row has more than kMaxColumns cells
  HeaderTooLarge  // a header cell holds more than kMaxCellBytes (detail: its 1-based column)
};

class RecordFileError : public std::runtime_error {
 public:
  RecordFileError(FileProblem kind, std::string file, std::string detail = {})
      : std::runtime_error(file + ": " + detail), kind_(kind), file_(std::move(file)), detail_(std::move(detail)) {}
  FileProblem kind() const noexcept { return kind_; }
  const std::string &file() const noexcept { return file_; }
  const std::string &detail() const noexcept { return detail_; }
  // BadEncoding, NotUtf8: the line (1-based, as a text editor counts) and the byte
  // offset (0-based, in the file) of the invalid sequence; -1 otherwise.
  int64_t row() const noexcept { return row_; }
  int64_t offset() const noexcept { return offset_; }
  RecordFileError &at(int64_t row, int64_t offset) {
    row_ = row;
    offset_ = offset;
    return *this;
  }
  // CannotOpen: the system's error number (errno), 0 if none, so
  // the message can say what to do in the user's language.
  int systemError() const noexcept { return errno_; }
  RecordFileError &because(int systemError) {
    errno_ = systemError;
    return *this;
  }

 private:
  FileProblem kind_;
  std::string file_, detail_;
  int64_t row_ = -1, offset_ = -1;
  int errno_ = 0;
};

// ───── bytes ─────

class ByteSource {
 public:
  virtual ~ByteSource() = default;
  // Reads up to cap bytes; returns 0 only at the end. Throws RecordFileError(ReadFailed).
  virtual size_t read(char *buf, size_t cap) = 0;
  // True when the bytes read are UTF-8 decoded from GB18030/GBK (gb18030Source).
  virtual bool fromGb18030() const { return false; }
};

// A stream the caller keeps alive (stdin, a test's istringstream).
std::unique_ptr<ByteSource> streamSource(std::istream &in, std::string name);
// A file, opened now. Throws RecordFileError(CannotOpen).
std::unique_ptr<ByteSource> fileSource(const std::string &path);
// Bytes already in memory (copied).
std::unique_ptr<ByteSource> memorySource(std::string bytes);
// `head`, then the bytes of `rest`.
std::unique_ptr<ByteSource> prefixedSource(std::string head, std::unique_ptr<ByteSource> rest);
// Strips a UTF-8 BOM; throws RecordFileError(Utf16 / NotUtf8) when the first
// 64 KiB say the text is not UTF-8. (GB18030 transcoding will wrap here.)
std::unique_ptr<ByteSource> utf8Source(std::unique_ptr<ByteSource> src, const std::string &name);

enum class Encoding {
  Auto,     // UTF-8 unless the first 64 KiB are not UTF-8 but are valid GB18030
  Utf8,     // utf8Source()
  Gb18030,  // GB18030 (a superset of GBK and GB2312), transcoded to UTF-8
};
// "auto" / "" → Auto; "utf-8", "utf8" → Utf8; "gb18030", "gbk", "gb2312",
// "cp936" → Gb18030 (case-insensitive). nullopt for anything else.
std::optional<Encoding> parseEncoding(std::string_view name);

// Streams GB18030 bytes out as UTF-8 (glibc iconv; bounded buffers; a
// sequence split across reads is carried over). A leading BOM is dropped.
// An invalid sequence throws RecordFileError(BadEncoding) with the line and
// byte offset (row()/offset()).
std::unique_ptr<ByteSource> gb18030Source(std::unique_ptr<ByteSource> src, const std::string &name);

// UTF-8 text from `src` in the given encoding. Auto: a UTF-8 BOM or valid
// UTF-8 → utf8Source; otherwise valid GB18030 → gb18030Source; otherwise
// NotUtf8 (as utf8Source). Utf16 is refused in every mode.
std::unique_ptr<ByteSource> decodedSource(std::unique_ptr<ByteSource> src, const std::string &name,
                                          Encoding encoding = Encoding::Auto);

// Valid UTF-8 without NUL (what firstBadTextByte asks of a cell), checked a
// read buffer at a time instead of cell by cell: plain ASCII 32 bytes at a
// time. A sequence cut off by the end of one buffer is carried into the next.
class BufferTextCheck {
 public:
  // Checks the next buffer of the stream. Afterwards [cleanFrom(), dirtyFrom())
  // of it is, by itself, valid UTF-8 text without NUL; the bytes outside are
  // unproven (the rest of a sequence begun in the last buffer; the first bad
  // byte and all after it; a sequence cut off by the end).
  void check(const char *p, size_t n);
  size_t cleanFrom() const { return cleanFrom_; }
  size_t dirtyFrom() const { return dirtyFrom_; }

 private:
  size_t scan(const unsigned char *s, size_t i, size_t n);
  size_t cleanFrom_ = 0, dirtyFrom_ = 0;
  unsigned need_ = 0;                    // continuation bytes still due for a sequence cut off
  unsigned char lo_ = 0x80, hi_ = 0xBF;  // the range of the next of them
};

// RFC 4180 records: quoted fields, "" inside quotes, embedded newlines,
// CRLF / LF / CR line ends. A quote inside an unquoted field, or text after a
// closing quote, is kept literally (as Excel does).
//
// The one CSV parser: it parses the bytes of a buffer, which it either reads
// from a source (and refills when a record runs past its end), or is given
// whole — a slice of complete records cut by CsvSlicer, parsed on any thread.
class CsvParser {
 public:
  explicit CsvParser(std::unique_ptr<ByteSource> src, char delimiter = ',');
  // Parses the records in [p, p + n), which hold whole records; the 64 bytes
  // after p + n must be readable (a block scan loads past the end).
  CsvParser(const char *p, size_t n, char delimiter);
  // The bytes read but not parsed yet, and the source the rest is still in
  // (the parser is finished after takeSource()).
  std::string unread() const;
  std::unique_ptr<ByteSource> takeSource() { return std::move(src_); }
  // Reads one record into `fields` (views valid until the next call). Returns
  // false at the end. `unterminated` is set when a quoted field ran to the end
  // of the input.
  bool next(CellList &fields, bool &unterminated);
  // After next(): the first field cut at kMaxCellBytes (npos: none), and
  // whether fields past kMaxColumns were dropped.
  size_t oversizedField() const { return oversized_; }
  bool tooManyFields() const { return tooManyFields_; }
  // After next(): the first field whose quotes hold a line break (npos:
  // none), and how many it holds — a stray opening quote takes the lines
  // after it into one cell, up to the next quote in the file.
  size_t brokenField() const { return broken_; }
  size_t brokenFieldLines() const { return brokenLines_; }
  // After next(): every byte of the record lay in one read buffer's checked
  // range (BufferTextCheck), so every field is valid UTF-8 text without NUL.
  // False says nothing: the fields must be checked one by one.
  bool textClean() const { return textClean_; }

 private:
  bool fill();
  bool refill(CellList &fields);
  void record(CellList &fields, bool &unterminated);
  bool plainFields(CellList &fields);
  void lineEnd(CellList &fields, char c);
  uint64_t specials(const char *p) const;
  uint64_t blockSpecials(const char *p, const char *e) const;
  const char *findSpecial(const char *p, const char *e);
  void put(CellList &fields, const char *b, size_t n);
  void newField(CellList &fields, const char *at);
  bool quotedField(CellList &fields, bool &unterminated);
  void noteLineBreaks(const CellList &fields, const char *b, size_t n);
  std::unique_ptr<ByteSource> src_;
  std::vector<char> buf_;
  const char *base_ = nullptr;  // the bytes parsed: buf_, or the records given whole
  size_t pos_ = 0, end_ = 0;
  bool eof_ = false;
  size_t oversized_ = std::string::npos;
  bool tooManyFields_ = false;
  size_t broken_ = std::string::npos, brokenLines_ = 0;
  bool quotedCR_ = false, endsInBreak_ = false;  // the field's last quoted byte is a CR; a CR or LF
  bool textClean_ = false;
  BufferTextCheck text_;
  uint64_t fills_ = 0;  // fill() calls: a record read across one is not textClean()
  char delim_;
  std::array<unsigned char, 256> special_;  // delimiter, CR, LF
  const char *block_ = nullptr;  // findSpecial: the last 64 bytes scanned, and
  uint64_t blockHits_ = 0;       // which of them are a delimiter, CR or LF
};

// ───── records ─────

// Whole CSV records as raw bytes (CsvSlicer): cut on the reading thread,
// parsed wherever the slice goes.
struct CsvSlice {
  std::shared_ptr<const std::vector<char>> buffer;  // keeps `data` alive
  const char *data = nullptr;  // [data, data + size): whole records; 64 readable bytes follow
  size_t size = 0;
  int64_t rowsBefore = 0;  // the row number of the record before the first
  int64_t records = 0;     // records in it (blank ones too: they count as rows)
};

// A CSV/TSV file as slices of at most maxRows records. The reading thread
// only reads big buffers and finds the line ends outside quotes (a quote
// opens a quoted field only at the start of a field, as CsvParser reads it),
// counting them so each slice knows its first row number; parse() then finds
// the fields on any thread, with the parser that next() uses, into the very
// rows next() gives.
class CsvSlicer {
 public:
  virtual ~CsvSlicer() = default;
  // The next slice. False when there is none: at the end of the input, or
  // before a record too long to hold whole — then the rest is read with
  // RecordReader::next(). A read error is thrown after the slices of the
  // records read whole before it.
  virtual bool next(CsvSlice &slice) = 0;
  // The rows of a slice, blank rows left out, into rows[0, count) (grown
  // when short); cells are views into the slice's bytes. Any thread.
  size_t parse(const CsvSlice &slice, std::vector<Row> &rows) const;
  // The same a row at a time: each row parsed into `row` (reused; its cells
  // are views into the slice's bytes) and handed to each(row) at once, its
  // cells still in the cache. (A slice's 512 rows all parsed before any is
  // read are about 400 KB of cell views: written, then read back from further
  // away, and on two threads twice as slow.)
  virtual size_t parse(const CsvSlice &slice, Row &row, const std::function<void(Row &)> &each) const = 0;
};

class RecordReader {
 public:
  virtual ~RecordReader() = default;
  // The name used in messages (the path as given).
  const std::string &name() const { return name_; }
  // Column headers. CSV: fixed by the first row. JSONL: grows as new keys
  // appear (append-only: an index, once given, keeps its meaning).
  const std::vector<std::string> &headers() const { return headers_; }
  // The file was GB18030/GBK, read decoded (openRecords): a byte that is not
  // valid text is then not valid GB18030 (gb18030Source passes it through).
  bool fromGb18030() const { return fromGb18030_; }
  void setFromGb18030(bool gb) { fromGb18030_ = gb; }
  // True when headers() can no longer change (CSV).
  virtual bool headersFixed() const = 0;
  // Reads the next non-blank row; false at the end. `row` is reused across
  // calls to save allocations.
  virtual bool next(Row &row) = 0;
  // CSV/TSV: the rows not read yet as slices of at most maxRows records
  // (next() then gives the rows the slicer did not); nullptr for other formats.
  virtual CsvSlicer *slicer(size_t maxRows) {
    (void)maxRows;
    return nullptr;
  }

 protected:
  explicit RecordReader(std::string name) : name_(std::move(name)) {}
  std::string name_;
  std::vector<std::string> headers_;
  bool fromGb18030_ = false;
};

enum class Format { Csv, Tsv, JsonLines, Xlsx };

// By extension (case-insensitive): .csv, .tsv/.tab, .jsonl/.ndjson/.json, .xlsx. "-" = CSV on stdin.
std::optional<Format> formatForPath(const std::string &path);

// The first row is the header. Empty or whitespace-only rows are skipped.
std::unique_ptr<RecordReader> csvReader(std::unique_ptr<ByteSource> src, std::string name, char delimiter = ',');
// One JSON object per line (blank lines skipped), flattened to the same
// header names as CSV: {"a": 1} → a; {"L": [{"f": 1}]} → L[1].f;
// {"M": [1, 2]} → M[1], M[2]; {"o": {"k": 1}} → o.k. Every array also
// yields `name[#]` = its length (an all-empty element still counts).
// Numbers keep their exact source text; true/false → "true"/"false"; null → "".
std::unique_ptr<RecordReader> jsonLinesReader(std::unique_ptr<ByteSource> src, std::string name);

// One worksheet of an .xlsx file: the first, or the one named `sheet`. The
// first non-blank row is the header; row numbers are the sheet's; blank rows
// are skipped. Cells: shared and inline strings as their text, numbers as
// their stored text (no number formats: a date is its serial number),
// booleans "true"/"false". Throws RecordFileError (CannotOpen, BadXlsx,
// NoSuchSheet) — also from next() for a damaged sheet.
// The reader lives in rubric_records_xlsx (minizip, expat), which defines
// xlsxReaderImpl (weakly referenced here) when linked in whole; without it,
// xlsxReader throws XlsxUnavailable.
std::unique_ptr<RecordReader> xlsxReader(const std::string &path, const std::string &sheet = {});

// The same rows, read ahead on a thread of their own (blocks of rows handed
// over whole; an error thrown by `reader` comes out at the row it came at).
// A reader whose headers can still change (JSON Lines) is returned as it is.
std::unique_ptr<RecordReader> prefetched(std::unique_ptr<RecordReader> reader);

// Opens `path` by its extension (decodedSource applied to text formats;
// `sheet` is for .xlsx). Throws RecordFileError.
std::unique_ptr<RecordReader> openRecords(const std::string &path, Encoding encoding = Encoding::Auto,
                                          const std::string &sheet = {});

// The offset of the first byte of `s` that is not valid UTF-8 or is NUL,
// or npos. Readers pass cells through as bytes; the scoring runtime refuses
// a row with such a cell, so nothing invalid reaches an output.
size_t firstBadTextByte(std::string_view s);

// Flattens one JSON object as jsonLinesReader does. Returns None on success.
RowProblem flattenJsonObject(std::string_view text, std::vector<std::pair<std::string, std::string>> &out,
                             std::string &detail);

} // namespace rubric::records
