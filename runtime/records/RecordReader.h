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
#include <istream>
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
  CellCount,          // CSV/TSV: fewer cells than the header, or more with text in them
                      // (a shifted row; detail: the number of cells)
  DuplicateKey,       // JSONL: a key given twice in one object (problemCell: its header)
  FormulaNoValue,     // XLSX: a formula cell with no stored result (problemCell)
  ErrorValue,         // XLSX: a cell holding an Excel error such as #DIV/0! (problemCell; detail: the error)
  CellTooLarge,       // a cell holds more than kMaxCellBytes (problemCell says which)
  TooManyCells,       // more than kMaxColumns cells in the row
  LineTooLong,        // JSONL: the line is longer than kMaxLineBytes
};

struct Row {
  // As the user sees it: CSV — the spreadsheet row (header = 1, first data
  // row = 2; blank rows are skipped but still counted); JSONL — the line.
  int64_t number = 0;
  // cells[i] belongs to headers()[i]. May be shorter than headers(): a
  // missing cell is empty.
  std::vector<std::string> cells;
  RowProblem problem = RowProblem::None;
  std::string detail;
  int64_t problemCell = -1;  // the header index the problem is in, when it is in one cell
  // JSON Lines only: present[i] != 0 when this object has the key headers()[i]
  // (a null value is present and blank). Empty for CSV/XLSX, whose every
  // header is present in every row.
  std::vector<uint8_t> present;

  std::string_view cell(size_t i) const { return i < cells.size() ? std::string_view(cells[i]) : std::string_view(); }
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
  // BadEncoding: the line (1-based, as a text editor counts) and the byte
  // offset (0-based, in the file) of the invalid sequence; -1 otherwise.
  int64_t row() const noexcept { return row_; }
  int64_t offset() const noexcept { return offset_; }
  RecordFileError &at(int64_t row, int64_t offset) {
    row_ = row;
    offset_ = offset;
    return *this;
  }

 private:
  FileProblem kind_;
  std::string file_, detail_;
  int64_t row_ = -1, offset_ = -1;
};

// ───── bytes ─────

class ByteSource {
 public:
  virtual ~ByteSource() = default;
  // Reads up to cap bytes; returns 0 only at the end. Throws RecordFileError(ReadFailed).
  virtual size_t read(char *buf, size_t cap) = 0;
};

// A stream the caller keeps alive (stdin, a test's istringstream).
std::unique_ptr<ByteSource> streamSource(std::istream &in, std::string name);
// A file, opened now. Throws RecordFileError(CannotOpen).
std::unique_ptr<ByteSource> fileSource(const std::string &path);
// Bytes already in memory (copied).
std::unique_ptr<ByteSource> memorySource(std::string bytes);
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

// RFC 4180 records: quoted fields, "" inside quotes, embedded newlines,
// CRLF / LF / CR line ends. A quote inside an unquoted field, or text after a
// closing quote, is kept literally (as Excel does).
class CsvParser {
 public:
  explicit CsvParser(std::unique_ptr<ByteSource> src, char delimiter = ',');
  // Reads one record into fields[0 .. count). Returns false at the end.
  // `unterminated` is set when a quoted field ran to the end of the input.
  bool next(std::vector<std::string> &fields, size_t &count, bool &unterminated);
  // After next(): the first field cut at kMaxCellBytes (npos: none), and
  // whether fields past kMaxColumns were dropped.
  size_t oversizedField() const { return oversized_; }
  bool tooManyFields() const { return tooManyFields_; }

 private:
  bool fill();
  std::unique_ptr<ByteSource> src_;
  std::vector<char> buf_;
  size_t pos_ = 0, end_ = 0;
  bool eof_ = false;
  size_t oversized_ = std::string::npos;
  bool tooManyFields_ = false;
  char delim_;
  std::array<unsigned char, 256> special_;  // delimiter, CR, LF
};

// ───── records ─────

class RecordReader {
 public:
  virtual ~RecordReader() = default;
  // The name used in messages (the path as given).
  const std::string &name() const { return name_; }
  // Column headers. CSV: fixed by the first row. JSONL: grows as new keys
  // appear (append-only: an index, once given, keeps its meaning).
  const std::vector<std::string> &headers() const { return headers_; }
  // True when headers() can no longer change (CSV).
  virtual bool headersFixed() const = 0;
  // Reads the next non-blank row; false at the end. `row` is reused across
  // calls to save allocations.
  virtual bool next(Row &row) = 0;

 protected:
  explicit RecordReader(std::string name) : name_(std::move(name)) {}
  std::string name_;
  std::vector<std::string> headers_;
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
