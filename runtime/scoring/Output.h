// Result encoding (CSV with a UTF-8 BOM for Excel; JSON Lines) and the spill
// file that lets the runner stream records out before ranks are known.
//
// Rows are encoded straight into byte strings, cell by cell, so a row can be
// encoded in pieces: the runner encodes everything but the ranks when a
// record is scored, and splices the ranks in when the population is known.
#pragma once

#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace rubric::runtime {

enum class OutputFormat { Csv, JsonLines };

// .csv / .jsonl / .ndjson / .json by extension; "-" or "" → CSV.
bool outputFormatForPath(const std::string &path, OutputFormat &format);

// Appends s to out as a JSON string literal.
void appendJsonString(std::string &out, std::string_view s);

class RowEncoder {
 public:
  RowEncoder(OutputFormat format, std::vector<std::string> headers);

  // CSV: BOM + the header line. JSONL: nothing (every line names its keys).
  std::string headerBytes() const;

  // Each appends column `col` (0-based, in header order) to `out`, with the
  // separator it needs. A row is begin, every column in order, end.
  void begin(std::string &out) const;
  void text(std::string &out, size_t col, std::string_view s) const;
  void number(std::string &out, size_t col, std::string_view s) const;  // JSON number; CSV as is
  void null(std::string &out, size_t col) const;                        // JSON null; CSV empty
  // CSV: the items joined by "、"; JSON: an array of strings.
  void list(std::string &out, size_t col, const std::vector<std::string> &items) const;
  void end(std::string &out) const;

  OutputFormat format() const { return format_; }

 private:
  void key(std::string &out, size_t col) const;
  OutputFormat format_;
  std::vector<std::string> headers_;
  std::vector<std::string> jsonKeys_;  // "\"name\":"
};

// Records written once and read back once, in order, through an anonymous
// temporary file (so memory does not grow with the number of records).
class Spill {
 public:
  Spill();
  ~Spill();
  Spill(const Spill &) = delete;
  Spill &operator=(const Spill &) = delete;

  bool ok() const { return f_ != nullptr; }
  void put(const std::string &bytes);  // one record
  void rewind();                        // then:
  bool get(std::string &bytes);         // the records in order; false at the end
  int64_t records() const { return count_; }
  bool failed() const { return failed_; }

 private:
  void flush();
  bool readChunk(char *dst, size_t n);
  std::FILE *f_ = nullptr;
  std::string wbuf_;
  std::vector<char> rbuf_;
  size_t rpos_ = 0, rend_ = 0;
  int64_t count_ = 0;
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
