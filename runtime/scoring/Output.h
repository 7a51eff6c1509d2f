// Result encoding (CSV with a UTF-8 BOM for Excel; JSON Lines; XLSX) and the spill
// file that lets the runner stream records out before ranks are known.
//
// Rows are encoded straight into byte strings, cell by cell, so a row can be
// encoded in pieces: the runner encodes everything but the ranks when a
// record is scored, and splices the ranks in when the population is known.
#pragma once

#include <atomic>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "decimal.hpp"

namespace rubric::runtime {

enum class OutputFormat { Csv, JsonLines, Xlsx };

// .csv / .jsonl / .ndjson / .json / .xlsx by extension; "-" or "" → CSV.
bool outputFormatForPath(const std::string &path, OutputFormat &format);

// rb_dec_format's text ("-12.5", "0", "3"), written without its NUL; buf
// holds RB_DEC_FORMAT_CAP bytes. Returns the length.
size_t decText(int64_t x, char *buf);
// An exact value by the output rule: exact when it has at most 6 decimals,
// else rounded half away from zero to 6.
size_t decText(Rational v, char *buf);

// Appends s to out as a CSV field: quoted (with "" for ") when it holds a
// comma, quote, CR or LF, else as it is.
void appendCsvField(std::string &out, std::string_view s);

// Appends s to out as a JSON string literal.
void appendJsonString(std::string &out, std::string_view s);

class RowEncoder {
 public:
  RowEncoder(OutputFormat format, std::vector<std::string> headers);

  // CSV: BOM + the header line. JSONL, XLSX: nothing (XlsxWriter writes the header).
  // XLSX rows are an internal cell stream that only XlsxWriter reads.
  std::string headerBytes() const;

  // Each appends column `col` (0-based, in header order) to `out`, with the
  // separator it needs. A row is begin, every column in order, end.
  // (text and number are inline for CSV, a few cells of every row; the other formats: textOther, numberOther.)
  void begin(std::string &out) const;
  void text(std::string &out, size_t col, std::string_view s) const {
    if (format_ != OutputFormat::Csv) return textOther(out, col, s);
    if (col) out.push_back(',');
    appendCsvField(out, s);
  }
  void number(std::string &out, size_t col, std::string_view s) const {  // JSON number; CSV as is
    if (format_ != OutputFormat::Csv) return numberOther(out, col, s);
    if (col) out.push_back(',');
    out.append(s);
  }
  void null(std::string &out, size_t col) const;                        // JSON null; CSV empty
  // CSV: the items joined by "、"; JSON: an array of strings.
  void list(std::string &out, size_t col, const std::vector<std::string> &items) const;
  void end(std::string &out) const;

  OutputFormat format() const { return format_; }

 private:
  void key(std::string &out, size_t col) const;
  void textOther(std::string &out, size_t col, std::string_view s) const;
  void numberOther(std::string &out, size_t col, std::string_view s) const;
  OutputFormat format_;
  std::vector<std::string> headers_;
  std::vector<std::string> jsonKeys_;  // "\"name\":"
};

// The results sheet's frame: rows above the header, and the header itself.
struct WorkbookLayout {
  std::vector<std::string> titleRows;  // the title, "文号：…", "评价期间：…" (those the scheme gives)
  std::vector<std::string> headers;    // outputHeaders() with full marks: "总分（100分）"
};

// A block of the 汇总 sheet: a bold heading line, a bold column-header row,
// then rows in RowEncoder(Xlsx)'s cell stream (numbers as numbers).
struct SheetBlock {
  std::string heading;
  std::vector<std::string> columns;
  std::string cells;
};

// An .xlsx results file (libxlsxwriter, constant-memory mode: rows go to a
// temporary file as they come). Sheet 1 "评分结果": the layout's title rows,
// the header (frozen, with the id column), then the rows of RowEncoder(Xlsx)
// — numbers as numbers, text as text; each column as wide as its widest cell
// (汉字 count 2) up to a cap, and only a cell wider than the cap wraps. Sheet
// 2 "汇总" (when summary() was called): its blocks. Sheet 3 "拒绝的行" (only
// when there are any): file, row, message.
//
// The implementation (XlsxOutput.cpp, library rubric_scoring_xlsx) defines
// makeXlsxWriterImpl, referenced weakly by create(), so that programs linked
// with the core archives alone (`rubricc build` executables) need no libxlsxwriter.
class XlsxWriter {
 public:
  virtual ~XlsxWriter() = default;
  // Whole rows as RowEncoder(Xlsx) encodes them. False after an error (see close()).
  virtual bool rows(std::string_view bytes) = 0;
  virtual void rejected(std::string file, int64_t row, std::string message) = 0;
  virtual void summary(std::vector<SheetBlock> blocks) = 0;
  // Writes the file. False with `error` set when anything failed (including
  // more rows than a worksheet holds). Destroyed without close(): no file is written.
  virtual bool close(std::string &error) = 0;

  static constexpr int64_t kMaxRows = 1048576;  // an Excel worksheet, header included

  // nullptr with `error` set when XLSX output is not linked in or the
  // workbook cannot be started.
  static std::unique_ptr<XlsxWriter> create(const std::string &path, const WorkbookLayout &layout,
                                            std::string &error);
};

// The XLSX cell stream of RowEncoder(Xlsx): a tag byte, then (for Text and
// Number) a 4-byte length and the bytes. End ends a row.
namespace xlsxcell {
constexpr char kXText = 's', kXNumber = 'n', kXNull = '0', kXEnd = 'e';
}

class ChunkWriter;

// A range of a spill's bytes, read whole, for reading the spill in segments
// on several threads at once (Spill::view). One view per thread: its buffer
// is reused from one range to the next.
class SpillView {
 public:
  // The range's next record (a view into it); false at its end.
  bool next(std::string_view &record);

 private:
  friend class Spill;
  std::string read_;  // the range's bytes, read from the file
  std::string_view bytes_;
  size_t at_ = 0;
};

// Records written once and read back once, in order, through an anonymous
// temporary file (so memory does not grow with the number of records). Up to
// `memoryBudget` bytes of records stay in memory, and go to the file only when
// more come (then in 1 MiB writes).
class Spill {
 public:
  explicit Spill(size_t memoryBudget = 0);
  ~Spill();
  Spill(const Spill &) = delete;
  Spill &operator=(const Spill &) = delete;

  bool ok() const { return f_ != nullptr; }
  void put(std::string_view bytes);  // one record
  void rewind();                        // then:
  bool get(std::string &bytes);         // the records in order; false at the end
  // get() without the copy: the record as a view, valid until the next call,
  // into the read buffer (or the records in memory) when it lies whole there,
  // else copied into `scratch`.
  bool next(std::string_view &record, std::string &scratch);
  // Whole records as they lie in the spill (each after its uint32 length, as
  // put() framed it) appended to `out`, at least `want` bytes of them unless the
  // spill ends first; false when none was left. For handing records over in bulk
  // (no copy a record); lastOffset() is not kept.
  bool nextRecords(std::string &out, size_t want);
  int64_t lastOffset() const { return lastOffset_; }  // where get()'s record starts
  // The record at an offset lastOffset() gave (random access; after rewind()).
  bool getAt(int64_t offset, std::string &bytes);
  int64_t records() const { return count_; }
  // Where each segment of the spill starts — the first record, then the
  // first record put after kSegmentBytes more — and the bytes put: each
  // segment is read by view() on any thread after rewind() (the file is
  // complete then, and pread moves no file position).
  static constexpr int64_t kSegmentBytes = int64_t{512} << 10;  // ≈ 3,600 rows of 2025 巴南 个人
  const std::vector<int64_t> &segmentStarts() const { return segmentStarts_; }
  int64_t bytesPut() const { return bytesPut_; }
  bool view(int64_t from, int64_t to, SpillView &v) const;
  bool failed() const { return failed_ || writeFailed_; }
  // From now until rewind(), the file's writes run on a thread of their own
  // (ChunkWriter), so the caller encodes the next records meanwhile
  // (--threads > 1), from two 512 KiB buffers (as much memory as one thread's
  // 1 MiB buffer); the bytes are the same.
  void writeBehind();

 private:
  static constexpr size_t kWriteBuffer = size_t{1} << 20;
  void flush();
  bool readChunk(char *dst, size_t n);
  const char *readable(size_t n);
  bool refill();  // the next window of the file to read from; false at its end
  bool mapNext();
  void unmap();
  void write(const std::string &chunk);
  size_t writeBytes() const;
  std::FILE *f_ = nullptr;
  std::unique_ptr<ChunkWriter> writer_;  // writeBehind(): the thread that writes
  std::atomic<bool> writeFailed_{false};  // set by that thread
  size_t memoryBudget_;
  bool inMemory_;  // every record is still in wbuf_ (read from there)
  std::string wbuf_;
  // Reading back: the file mapped a window at a time (no copy into a buffer),
  // or read into rbuf_ where mapping fails or after getAt() moved the file.
  std::vector<char> rbuf_;
  const char *rdata_ = nullptr;  // the window read from: map_, rbuf_ or (in memory) wbuf_
  char *map_ = nullptr;
  size_t mapBytes_ = 0;
  int64_t mapEnd_ = 0, fileBytes_ = 0;  // the file offset past the window; the file's size at rewind()
  bool mapping_ = false;
  size_t rpos_ = 0, rend_ = 0;
  int64_t readOffset_ = 0, lastOffset_ = 0;  // of the next record, of the last one got
  int64_t count_ = 0;
  int64_t bytesPut_ = 0;
  std::vector<int64_t> segmentStarts_;
  bool failed_ = false;
};

// A tiny binary codec for spill records.
struct SpillCodec {
  static void putI64(std::string &b, int64_t v);
  static void putStr(std::string &b, std::string_view s);
  static int64_t getI64(const std::string &b, size_t &p);
  static std::string_view getStr(const std::string &b, size_t &p);
};

} // namespace rubric::runtime
