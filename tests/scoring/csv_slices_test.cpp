// CSV read as slices of whole records (CsvSlicer: cut on the reading thread,
// parsed on a worker) must give exactly the rows the streaming reader gives:
// the same numbers, cells and problems, whatever falls on a buffer or slice
// boundary (quoted line ends, "" escapes, CRLF, a file without a final line
// end, an unterminated quote, a record longer than the buffer).
#include <algorithm>
#include <cstdlib>
#include <stdexcept>

#include <catch2/catch.hpp>

#include "runtime/records/RecordReader.h"

using namespace rubric::records;

namespace {

// The cutter's sizes for one test (read from the environment when a reader
// starts slicing).
class CutterSizes {
 public:
  CutterSizes(size_t readBytes, size_t sliceRows, size_t holdBytes) {
    setenv("RUBRICC_CSV_READ_BYTES", std::to_string(readBytes).c_str(), 1);
    setenv("RUBRICC_CSV_SLICE_ROWS", std::to_string(sliceRows).c_str(), 1);
    setenv("RUBRICC_CSV_HOLD_BYTES", std::to_string(holdBytes).c_str(), 1);
  }
  ~CutterSizes() {
    unsetenv("RUBRICC_CSV_READ_BYTES");
    unsetenv("RUBRICC_CSV_SLICE_ROWS");
    unsetenv("RUBRICC_CSV_HOLD_BYTES");
  }
};

// Its bytes, then (when `failAt` is reached) a read error.
class FailingSource : public ByteSource {
 public:
  FailingSource(std::string bytes, size_t failAt, size_t step) : bytes_(std::move(bytes)), failAt_(failAt), step_(step) {}
  size_t read(char *buf, size_t cap) override {
    if (pos_ >= failAt_) throw RecordFileError(FileProblem::ReadFailed, "t.csv", "disk gone");
    size_t n = std::min({cap, step_, failAt_ - pos_, bytes_.size() - pos_});
    std::copy_n(bytes_.data() + pos_, n, buf);
    pos_ += n;
    return n;
  }

 private:
  std::string bytes_;
  size_t failAt_, step_, pos_ = 0;
};

std::unique_ptr<ByteSource> source(const std::string &text, size_t failAt, size_t step) {
  if (failAt == std::string::npos) return memorySource(text);
  return std::make_unique<FailingSource>(text, failAt, step);
}

struct Read {
  std::vector<Row> rows;
  bool failed = false;
  int64_t sliceRecords = 0;  // records the slices said they hold
};

Read streamed(const std::string &text, char delim, size_t failAt = std::string::npos, size_t step = 1) {
  Read r;
  auto reader = csvReader(source(text, failAt, step), "t.csv", delim);
  Row row;
  try {
    while (reader->next(row)) r.rows.push_back(row);
  } catch (const RecordFileError &) {
    r.failed = true;
  }
  return r;
}

Read sliced(const std::string &text, char delim, size_t maxRows, size_t failAt = std::string::npos, size_t step = 1) {
  Read r;
  auto reader = csvReader(source(text, failAt, step), "t.csv", delim);
  CsvSlicer *slicer = reader->slicer(maxRows);
  CsvSlice slice;
  std::vector<Row> got;
  try {
    while (slicer->next(slice)) {
      REQUIRE(static_cast<size_t>(slice.records) <= maxRows);
      r.sliceRecords += slice.records;
      size_t n = slicer->parse(slice, got);
      REQUIRE(n <= static_cast<size_t>(slice.records));
      for (size_t i = 0; i < n; ++i) r.rows.push_back(got[i]);  // (a copy owns its cells)
    }
    Row row;
    while (reader->next(row)) r.rows.push_back(row);
  } catch (const RecordFileError &) {
    r.failed = true;
  }
  return r;
}

void requireSame(const Read &a, const Read &b, const std::string &text) {
  INFO("text: " << text);
  CHECK(a.failed == b.failed);
  REQUIRE(a.rows.size() == b.rows.size());
  for (size_t i = 0; i < a.rows.size(); ++i) {
    const Row &x = a.rows[i], &y = b.rows[i];
    INFO("row " << i);
    CHECK(x.number == y.number);
    CHECK(x.cells == y.cells);
    CHECK(x.problem == y.problem);
    CHECK(x.detail == y.detail);
    CHECK(x.problemCell == y.problemCell);
    if (y.textChecked)
      for (std::string_view c : y.cells) CHECK(firstBadTextByte(c) == std::string::npos);
  }
}

// Random CSV made of the pieces that matter to the cutter.
std::string randomCsv(uint64_t &seed, size_t pieces, char delim) {
  static const std::vector<std::string> from = {"a", "bc", ",", "\t", "\"", "\"\"", "\n", "\r", "\r\n", " ",
                                                "张三", "\xE6\x98", "x\"y", "\"q\",", std::string(1, '\0'),
                                                "0123456789012345678901234567890123456789012345678901234567890123"};
  std::string text = std::string("h1") + delim + "h2" + delim + "h3\n";
  for (size_t k = 0; k < pieces; ++k) {
    seed = seed * 6364136223846793005u + 1442695040888963407u;
    text += from[(seed >> 33) % from.size()];
  }
  return text;
}

} // namespace

TEST_CASE("CSV slices: quoted line ends, \"\" and CRLF on every buffer and slice boundary give the streamed rows") {
  // Row numbers by hand: header 1; "x CRLF y" is row 2 (its line end is quoted);
  // row 3 ends in CRLF; a lone CR ends row 4; row 5 is blank (skipped, counted);
  // row 6 holds "" escapes and a quoted CR; row 7 has no line end.
  std::string text = "a,b\r\n\"x\r\ny\",\"p\"\"q\"\r\n3,4\r5,\"6\"\n \n\"\"\"\",\"r\rs\"\"\"\r\nlast,\"row\"";
  Read want = streamed(text, ',');
  REQUIRE(want.rows.size() == 5);
  CHECK(want.rows[0].number == 2);
  CHECK(want.rows[0].cells == std::vector<std::string>{"x\r\ny", "p\"q"});
  CHECK(want.rows[1].number == 3);
  CHECK(want.rows[2].number == 4);
  CHECK(want.rows[2].cells == std::vector<std::string>{"5", "6"});
  CHECK(want.rows[3].number == 6);
  CHECK(want.rows[3].cells == std::vector<std::string>{"\"", "r\rs\""});
  CHECK(want.rows[4].number == 7);
  for (size_t readBytes = 1; readBytes <= text.size() + 1; ++readBytes)
    for (size_t rows : {1, 2, 3, 512}) {
      CutterSizes sizes(readBytes, rows, 1 << 20);
      Read got = sliced(text, ',', 512);
      requireSame(want, got, text);
      CHECK(got.sliceRecords == 6);  // rows 2–7
    }
}

TEST_CASE("CSV slices: an unterminated quote at the end, and a record longer than the held limit") {
  std::string text = "a,b\n1,2\n\"open,3\n4,5\n";
  Read want = streamed(text, ',');
  REQUIRE(want.rows.size() == 2);
  CHECK(want.rows[1].problem == RowProblem::UnterminatedQuote);
  CHECK(want.rows[1].number == 3);
  for (size_t readBytes : {1, 2, 5, 64, 1000})
    for (size_t hold : {1, 3, 8, 1000}) {  // a small hold: the rest is read row by row
      CutterSizes sizes(readBytes, 512, hold);
      requireSame(want, sliced(text, ',', 512), text);
    }
}

TEST_CASE("CSV slices: random CSV and TSV, cut anywhere, give the streamed rows") {
  uint64_t seed = 17;
  for (int round = 0; round < 1500; ++round) {
    char delim = round % 4 == 3 ? '\t' : ',';
    std::string text = randomCsv(seed, 1 + static_cast<size_t>(round % 120), delim);
    Read want = streamed(text, delim);
    size_t readBytes = 1 + (seed >> 40) % 150, rows = 1 + (seed >> 20) % 9, hold = round % 5 == 0 ? 40 : 1 << 20;
    CutterSizes sizes(readBytes, rows, hold);
    requireSame(want, sliced(text, delim, 512), text);
  }
}

TEST_CASE("CSV slices: a read error comes after the rows read whole before it, as when streamed") {
  uint64_t seed = 5;
  for (int round = 0; round < 600; ++round) {
    std::string text = randomCsv(seed, 1 + static_cast<size_t>(round % 60), ',');
    size_t header = text.find('\n') + 1;
    size_t failAt = header + (seed >> 35) % (text.size() - header + 1);
    size_t step = 1 + (seed >> 20) % 70;
    Read want = streamed(text, ',', failAt, step);
    CutterSizes sizes(1 + (seed >> 45) % 100, 1 + round % 4, 1 << 20);
    Read got = sliced(text, ',', 512, failAt, step);
    CHECK(want.failed);  // the source fails even at its end
    requireSame(want, got, text);
  }
}

TEST_CASE("CSV slices: a cell past the 1 MiB limit in a slice is cut and named, as when streamed") {
  // Row 3's second cell is 2 MiB of x, unquoted; then a quoted one. Both rows: CellTooLarge in column 2 (index 1).
  std::string big(2 << 20, 'x');
  std::string text = "a,b\n1,2\n3," + big + "\n4,\"" + big + "\"\n5,6\n";
  Read want = streamed(text, ',');
  REQUIRE(want.rows.size() == 4);
  CHECK(want.rows[1].problem == RowProblem::CellTooLarge);
  CHECK(want.rows[1].problemCell == 1);
  CHECK(want.rows[2].problem == RowProblem::CellTooLarge);
  CHECK(want.rows[3].number == 5);
  for (size_t readBytes : {size_t{1} << 20, size_t{4096}}) {
    CutterSizes sizes(readBytes, 512, 8 << 20);
    requireSame(want, sliced(text, ',', 512), "(2 MiB cells)");
  }
}
