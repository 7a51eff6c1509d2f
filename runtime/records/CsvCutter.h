// The reading thread's part of CsvSlicer (RecordReader.h): raw CSV bytes cut
// into slices of whole records, without parsing them. Internal to
// rubric_records.
#pragma once

#include <deque>
#include <exception>
#include <memory>
#include <string>
#include <vector>

#include "RecordReader.h"

namespace rubric::records {

// A record longer than this is not held whole: the slices stop before it and
// the rest of the file is read row by row (CsvParser's own 1 MiB buffer, its
// cells cut at kMaxCellBytes), so memory stays bounded whatever the file.
constexpr size_t kMaxHeldRecordBytes = size_t{8} << 20;

class CsvCutter {
 public:
  // `unread`: bytes read already (from the start of a record), then `src`.
  // Sizes from the environment, for tests only: RUBRICC_CSV_READ_BYTES (the
  // read buffer, 1 MiB), RUBRICC_CSV_HOLD_BYTES (kMaxHeldRecordBytes),
  // RUBRICC_CSV_SLICE_ROWS (fewer records per slice than maxRows).
  // rowsBefore: the row number of the record before them; maxRows: records per slice.
  CsvCutter(std::string unread, std::unique_ptr<ByteSource> src, char delimiter, int64_t rowsBefore, size_t maxRows);
  // CsvSlicer::next.
  bool next(CsvSlice &slice);
  // After next() returned false: the bytes not handed out, then the rest of
  // the source; rowsBefore becomes the row number of the record before them.
  std::unique_ptr<ByteSource> rest(int64_t &rowsBefore);

 private:
  using Buffer = std::vector<char>;
  char *data() { return buf_->data(); }
  void advance();
  void makeRoom();
  std::shared_ptr<Buffer> freeBuffer(size_t capacity);
  void scanChunks();
  void scanEnd(char after);
  void scanChunk(size_t at, uint64_t valid);
  uint64_t quotedBytes(size_t at, uint64_t quotes);
  void cut();

  std::unique_ptr<ByteSource> src_;
  char delim_;
  size_t maxRows_, readBytes_, holdBytes_;
  std::shared_ptr<Buffer> buf_;           // [0, n_) read; position 0 is the start of a record
  std::vector<std::shared_ptr<Buffer>> pool_;  // buffers to reuse once no slice holds them
  size_t cap_ = 0, n_ = 0;
  size_t start_ = 0;    // where the next slice begins
  size_t scanned_ = 0;  // bytes before it are scanned (a multiple of 64 past start of buffer)
  size_t lastEnd_ = 0;  // just after the last record end found
  int64_t ends_ = 0;    // records ended in [start_, lastEnd_)
  int64_t rowsBefore_;
  bool inQuotes_ = false;   // the scan stands inside a quoted field
  bool skipQuote_ = false;  // the next chunk's first byte is the second quote of a ""
  bool done_ = false;       // no more slices: at the end, after an error, or before a record too long
  std::exception_ptr error_;  // thrown by the source: after the slices of the records before it
  std::deque<CsvSlice> ready_;
};

} // namespace rubric::records
