// Record readers: CSV (RFC 4180 edge cases, BOM, CRLF) and JSON Lines.
#include <algorithm>
#include <utility>

#include <catch2/catch.hpp>

#include "TestUtil.h"
#include "runtime/records/RecordReader.h"

using namespace rubric::records;

using testutil::readAll;

namespace {

std::unique_ptr<RecordReader> csv(const std::string &text, char delim = ',') {
  return csvReader(utf8Source(memorySource(text), "t.csv"), "t.csv", delim);
}
std::unique_ptr<RecordReader> jsonl(const std::string &text) {
  return jsonLinesReader(utf8Source(memorySource(text), "t.jsonl"), "t.jsonl");
}

} // namespace

TEST_CASE("CSV: header, BOM stripped, plain rows numbered as a spreadsheet shows them") {
  auto r = csv("\xEF\xBB\xBF姓名,甲\n张三,1\n李四,2\n");
  REQUIRE(r->headers() == std::vector<std::string>{"姓名", "甲"});
  auto rows = readAll(*r);
  REQUIRE(rows.size() == 2);
  CHECK(rows[0].number == 2);
  CHECK(rows[0].cells == std::vector<std::string>{"张三", "1"});
  CHECK(rows[1].number == 3);
}

TEST_CASE("CSV: quotes, doubled quotes, embedded delimiters and newlines, CRLF") {
  auto r = csv("a,b,c\r\n\"x,1\",\"say \"\"hi\"\"\",\"line1\r\nline2\"\r\nplain,,\"\"\r\nlast,row,noeol");
  auto rows = readAll(*r);
  REQUIRE(rows.size() == 3);
  CHECK(rows[0].cells == std::vector<std::string>{"x,1", "say \"hi\"", "line1\r\nline2"});
  CHECK(rows[0].number == 2);
  CHECK(rows[1].cells == std::vector<std::string>{"plain", "", ""});
  CHECK(rows[1].number == 3);  // the embedded newline does not add a spreadsheet row
  CHECK(rows[2].cells == std::vector<std::string>{"last", "row", "noeol"});
  CHECK(rows[2].number == 4);
}

TEST_CASE("CSV: blank rows are skipped but keep the row numbering — lone CR ends a line") {
  auto r = csv("a,b\n1,2\n\n,\n  ,\t\n3,4\r5,6\n");
  auto rows = readAll(*r);
  REQUIRE(rows.size() == 3);
  CHECK(rows[0].number == 2);
  CHECK(rows[1].number == 6);
  CHECK(rows[1].cells == std::vector<std::string>{"3", "4"});
  CHECK(rows[2].number == 7);
}

TEST_CASE("CSV: short rows, text after a closing quote, a quote inside an unquoted field") {
  auto r = csv("a,b,c\n1\n\"ab\"cd,e\"f,g\n");
  auto rows = readAll(*r);
  REQUIRE(rows.size() == 2);
  CHECK(rows[0].cells == std::vector<std::string>{"1"});
  CHECK(rows[0].cell(2).empty());
  CHECK(rows[1].cells == std::vector<std::string>{"abcd", "e\"f", "g"});
}

TEST_CASE("CSV: an unterminated quote is a row problem, not a crash") {
  auto r = csv("a,b\n1,2\n3,\"never closed\n4,5\n");
  auto rows = readAll(*r);
  REQUIRE(rows.size() == 2);
  CHECK(rows[0].problem == RowProblem::None);
  CHECK(rows[1].problem == RowProblem::UnterminatedQuote);
  CHECK(rows[1].number == 3);
}

TEST_CASE("CSV: the first cell whose quotes hold line breaks is noted, with how many (a stray quote's swallowed lines)") {
  // Row 2: b holds CRLF, CR and LF — 3 breaks, c's one not counted (b came first).
  // Row 3: none. Row 4: an unterminated quote — 2 breaks: the file's last one starts no line.
  auto r = csv("a,b,c\n1,\"x\r\ny\rz\nw\",\"p\nq\"\n2,\"no break\",3\n3,\"open\n4,5\n6,7\n");
  auto rows = readAll(*r);
  REQUIRE(rows.size() == 3);
  CHECK(rows[0].brokenCell == 1);
  CHECK(rows[0].brokenCellLines == 3);
  CHECK(rows[1].brokenCell == -1);
  CHECK(rows[2].problem == RowProblem::UnterminatedQuote);
  CHECK(rows[2].brokenCell == 1);
  CHECK(rows[2].brokenCellLines == 2);
}

TEST_CASE("CSV: fields across the read buffer, and a buffer boundary inside CRLF") {
  // Cells of exactly the 1 MiB cell limit (the read buffer is 1 MiB too), quoted and not.
  std::string big(kMaxCellBytes, 'x');
  auto r = csv("a,b\n\"" + big + "\",1\n" + big + ",2\r\n");
  auto rows = readAll(*r);
  REQUIRE(rows.size() == 2);
  CHECK((rows[0].cells[0] == big));  // (no 1 MiB expansion in a failure message)
  CHECK((rows[1].cells[0] == big));
  CHECK(rows[1].cells[1] == "2");
  CHECK(rows[0].problem == RowProblem::None);
  CHECK(rows[1].problem == RowProblem::None);
}

TEST_CASE("CSV: a cell over the 1 MiB limit rejects its row, with the column — the next row is read") {
  std::string huge(3 << 20, 'x');  // 3 MiB
  auto r = csv("a,b\n1,\"" + huge + "\"\n2,\"x\"\"y\"\n3," + huge + "\n4,z\n");
  auto rows = readAll(*r);
  REQUIRE(rows.size() == 4);
  CHECK(rows[0].problem == RowProblem::CellTooLarge);
  CHECK(rows[0].problemCell == 1);
  CHECK(rows[0].cells[1].size() <= kMaxCellBytes);  // never held whole
  CHECK(rows[1].problem == RowProblem::None);
  CHECK(rows[1].cells[1] == "x\"y");
  CHECK(rows[2].problem == RowProblem::CellTooLarge);
  CHECK(rows[2].problemCell == 1);
  CHECK(rows[3].problem == RowProblem::None);
  CHECK(rows[3].cells == std::vector<std::string>{"4", "z"});
}

namespace {

// Serves its bytes `step` at a time (cycling through 1..7 when step is 0), so
// every field, quote and line end lands on a refill of the reader's buffer.
class TrickleSource : public ByteSource {
 public:
  TrickleSource(std::string bytes, size_t step) : bytes_(std::move(bytes)), step_(step) {}
  size_t read(char *buf, size_t cap) override {
    size_t want = step_ ? step_ : 1 + (calls_++ % 7);
    size_t n = std::min({cap, want, bytes_.size() - pos_});
    std::copy_n(bytes_.data() + pos_, n, buf);
    pos_ += n;
    return n;
  }

 private:
  std::string bytes_;
  size_t step_, pos_ = 0, calls_ = 0;
};

std::vector<Row> trickled(const std::string &text, size_t step) {
  auto r = csvReader(std::make_unique<TrickleSource>(text, step), "t.csv", ',');
  return readAll(*r);
}

} // namespace

TEST_CASE("CSV: cells that view the read buffer survive a refill in the middle of a row") {
  // Fields cut at every byte: ab""c is ab"c, CRLF split between reads, an empty last field.
  std::string text = "a,b,c\r\n\"ab\"\"c\",de,\r\nxyz,\"\",1\n";
  for (size_t step : {1, 2, 3}) {
    auto rows = trickled(text, step);
    REQUIRE(rows.size() == 2);
    CHECK(rows[0].cells == std::vector<std::string>{"ab\"c", "de", ""});
    CHECK(rows[0].number == 2);
    CHECK(rows[1].cells == std::vector<std::string>{"xyz", "", "1"});
    CHECK(rows[1].number == 3);
  }
}

TEST_CASE("CSV: random text reads the same whole and in 1-7-byte pieces") {
  // Every byte class the scan treats apart: delimiter, quote, CR, LF, plain
  // ASCII, a UTF-8 sequence; rows long enough to cross a 16-byte block.
  const std::vector<std::string> pieces = {",", "\"", "\r", "\n", "\r\n", "a", "12.5", "张三", "  ", "x\"y"};
  uint64_t seed = 7;
  for (int round = 0; round < 300; ++round) {
    std::string text = "h1,h2,h3\n";
    for (int k = 0; k < 60; ++k) {
      seed = seed * 6364136223846793005u + 1442695040888963407u;
      text += pieces[(seed >> 33) % pieces.size()];
    }
    auto whole = readAll(*csv(text));
    auto bits = trickled(text, 0);
    REQUIRE(whole.size() == bits.size());
    for (size_t i = 0; i < whole.size(); ++i) {
      CHECK(whole[i].cells == bits[i].cells);
      CHECK(whole[i].number == bits[i].number);
      CHECK(whole[i].problem == bits[i].problem);
      CHECK(whole[i].brokenCell == bits[i].brokenCell);
      CHECK(whole[i].brokenCellLines == bits[i].brokenCellLines);
    }
  }
}

TEST_CASE("TSV: tab as the delimiter") {
  auto r = csv("a\tb\n1,5\t2\n", '\t');
  auto rows = readAll(*r);
  REQUIRE(rows.size() == 1);
  CHECK(rows[0].cells == std::vector<std::string>{"1,5", "2"});
}

TEST_CASE("encodings: UTF-16 and GBK are refused with a file error") {
  CHECK_THROWS_AS(csv("\xFF\xFE" "a\0,\0b\0"), RecordFileError);
  try {
    csv("\xD0\xD5\xC3\xFB,a\n");  // 姓名 in GBK
    FAIL("expected an error");
  } catch (const RecordFileError &e) {
    CHECK(e.kind() == FileProblem::NotUtf8);
  }
}

TEST_CASE("files: open by extension, missing file") {
  std::string p = testutil::write("r.csv", "a\n1\n");
  auto r = openRecords(p);
  CHECK(readAll(*r).size() == 1);
  CHECK(formatForPath("x.JSONL") == Format::JsonLines);
  CHECK(formatForPath("x.tsv") == Format::Tsv);
  CHECK(formatForPath("x.XLSX") == Format::Xlsx);
  CHECK_FALSE(formatForPath("x.xls").has_value());
  CHECK_THROWS_AS(openRecords(testutil::path("nope.csv")), RecordFileError);
  CHECK_THROWS_AS(openRecords(testutil::path("x.xlsx")), RecordFileError);
}

TEST_CASE("JSONL: objects flattened to CSV-style headers — exact number text") {
  auto r = jsonl(
      "{\"姓名\":\"张三\",\"甲\":12345678901234.123456,\"乙\":3,\"丙\":true,\"丁\":null,"
      "\"帮扶轮次\":[{\"任务完成\":\"80%\",\"发现问题\":0.5},{}],\"数据质量\":[1,0.9]}\n"
      "\n"
      "{\"姓名\":\"李四\",\"新列\":\"x\"}\r\n");
  Row row;
  REQUIRE(r->next(row));
  CHECK(row.number == 1);
  auto get = [&](const std::string &h) -> std::string {
    const auto &hs = r->headers();
    for (size_t i = 0; i < hs.size(); ++i)
      if (hs[i] == h) return std::string(row.cell(i));
    return "<absent>";
  };
  CHECK(get("姓名") == "张三");
  CHECK(get("甲") == "12345678901234.123456");
  CHECK(get("乙") == "3");
  CHECK(get("丙") == "true");
  CHECK(get("丁") == "");
  CHECK(get("帮扶轮次[1].任务完成") == "80%");
  CHECK(get("帮扶轮次[1].发现问题") == "0.5");
  CHECK(get("帮扶轮次[#]") == "2");
  CHECK(get("数据质量[2]") == "0.9");
  CHECK(get("数据质量[#]") == "2");
  size_t before = r->headers().size();
  REQUIRE(r->next(row));
  CHECK(row.number == 3);
  CHECK(r->headers().size() == before + 1);  // append-only
  CHECK(get("姓名") == "李四");
  CHECK(get("甲") == "");
  CHECK(get("新列") == "x");
  CHECK_FALSE(r->next(row));
}

TEST_CASE("JSONL: bad lines are row problems") {
  auto r = jsonl("{\"a\":1}\n{\"a\":\n[1,2]\n{\"a\":[[1]]}\n\"str\"\n{\"a\":2}\n");
  auto rows = readAll(*r);
  REQUIRE(rows.size() == 6);
  CHECK(rows[0].problem == RowProblem::None);
  CHECK(rows[1].problem == RowProblem::BadJson);
  CHECK_FALSE(rows[1].detail.empty());
  CHECK(rows[2].problem == RowProblem::NotAnObject);
  CHECK(rows[3].problem == RowProblem::NestedArray);
  CHECK(rows[4].problem == RowProblem::NotAnObject);
  CHECK(rows[5].problem == RowProblem::None);
  CHECK(rows[5].number == 6);
}

// ───── the records contract (docs/cli.md “记录约定”) at the reader level ─────

TEST_CASE("CSV: a row with fewer or more cells than the header, empty ones too, is shifted: CellCount") {
  // Row 5: a stray comma after "1" leaves only an empty cell beyond the
  // header, and b, c read from their neighbours (session 23's review).
  auto r = csv("a,b,c,d\n1,2,3,\n1,2\n1,2,3,,4\n1,2,3,,\n1,,2,3,\n");
  auto rows = readAll(*r);
  REQUIRE(rows.size() == 5);
  CHECK(rows[0].problem == RowProblem::None);
  CHECK(rows[1].problem == RowProblem::CellCount);
  CHECK(rows[1].detail == "2");               // 2 cells for 4 columns
  CHECK(rows[2].problem == RowProblem::CellCount);
  CHECK(rows[2].detail == "5");               // text in a 5th cell
  CHECK(rows[3].problem == RowProblem::CellCount);
  CHECK(rows[3].detail == "5");               // an empty 5th cell
  CHECK(rows[4].problem == RowProblem::CellCount);
}

TEST_CASE("JSON Lines: keys present per object, a duplicate key, {} kept as a marker") {
  auto r = jsonl("{\"a\": 1, \"b\": null}\n{\"b\": 2}\n{\"a\": 1, \"a\": 2}\n{\"a\": 1, \"L\": {}}\n{\"L\": [{}]}\n");
  auto rows = readAll(*r);
  REQUIRE(rows.size() == 5);
  const auto &h = r->headers();
  auto at = [&](const std::string &k) { return static_cast<size_t>(std::find(h.begin(), h.end(), k) - h.begin()); };
  // Row 1 has both keys (null is present and blank); row 2 lacks "a".
  CHECK(rows[0].present[at("a")] == 1);
  CHECK(rows[0].present[at("b")] == 1);
  CHECK(rows[0].cells[at("b")].empty());
  CHECK(rows[1].present[at("a")] == 0);
  CHECK(rows[1].present[at("b")] == 1);
  CHECK(rows[2].problem == RowProblem::DuplicateKey);
  CHECK(rows[2].problemCell == static_cast<int64_t>(at("a")));
  // An empty object as a member is a marker header "L{}"; an empty element of an array is not.
  CHECK(rows[3].present[at("L{}")] == 1);
  CHECK(at("L[1]{}") == h.size());
  CHECK(rows[4].cells[at("L[#]")] == "1");
}

TEST_CASE("firstBadTextByte: invalid UTF-8 and NUL anywhere in a cell") {
  CHECK(firstBadTextByte("plain ascii") == std::string::npos);
  CHECK(firstBadTextByte("中文 ok") == std::string::npos);
  CHECK(firstBadTextByte("\xD5\xC5") == 0);                    // GBK 张
  CHECK(firstBadTextByte("ab\xE4\xB8") == 2);                  // a cut-off sequence
  CHECK(firstBadTextByte(std::string("N\0UL", 4)) == 1);
  CHECK(firstBadTextByte(std::string("中\0", 4)) == 3);
  CHECK(firstBadTextByte("\xED\xA0\x80") == 0);                // a UTF-16 surrogate
}

namespace {

// Random text from pieces that are valid UTF-8 (1–4 bytes, the edges of each
// range), invalid (a lone continuation byte, overlong, surrogate, past
// U+10FFFF, a cut-off sequence) or NUL, with the CSV specials among them.
std::string randomText(uint64_t &seed, size_t pieces, bool validOnly) {
  static const std::vector<std::string> good = {"a", "12.5", ",", "\n", "\r\n", "\"", " ", "\x7F", "\x01",
                                                "\xC2\x80", "\xDF\xBF", "\xE0\xA0\x80", "\xED\x9F\xBF", "张三",
                                                "\xEF\xBF\xBF", "\xF0\x90\x80\x80", "\xF4\x8F\xBF\xBF", "是",
                                                "0123456789abcdef0123456789abcdef0123"};
  static const std::vector<std::string> bad = {"\x80", "\xBF", "\xC0\xAF", "\xC1\xBF", "\xE0\x9F\xBF",
                                               "\xED\xA0\x80", "\xF0\x8F\xBF\xBF", "\xF4\x90\x80\x80", "\xF5",
                                               "\xFF", "\xE6\x98", "\xF0\x90\x80", std::string(1, '\0')};
  std::string text;
  for (size_t k = 0; k < pieces; ++k) {
    seed = seed * 6364136223846793005u + 1442695040888963407u;
    bool pickBad = !validOnly && (seed >> 60) == 0;  // 1 in 16
    const auto &from = pickBad ? bad : good;
    text += from[(seed >> 33) % from.size()];
  }
  return text;
}

} // namespace

TEST_CASE("BufferTextCheck: one buffer finds the first bad byte firstBadTextByte finds") {
  uint64_t seed = 11;
  for (int round = 0; round < 3000; ++round) {
    std::string text = randomText(seed, 1 + round % 40, false);
    BufferTextCheck check;
    check.check(text.data(), text.size());
    size_t bad = firstBadTextByte(text);  // a sequence cut off by the end counts as bad there too
    CHECK(check.cleanFrom() == 0);
    CHECK(check.dirtyFrom() == (bad == std::string::npos ? text.size() : bad));
  }
}

TEST_CASE("BufferTextCheck: every bad sequence at every offset across 16-byte blocks, in ASCII and in CJK") {
  const std::vector<std::string> bad = {"\x80", "\xBF", "\xC0\xAF", "\xC1\xBF", "\xE0\x9F\xBF", "\xED\xA0\x80",
                                        "\xF0\x8F\xBF\xBF", "\xF4\x90\x80\x80", "\xF5", "\xFF", "\xE6\x98",
                                        "\xF0\x90\x80", "\xE6\x98\xAF\xAF", "\xC2", std::string(1, '\0')};
  for (const std::string &fill : {std::string("a"), std::string("是"), std::string("\xF0\x90\x80\x80")})
    for (const std::string &b : bad)
      for (size_t at = 0; at < 40; ++at) {
        std::string text;
        while (text.size() < at) text += fill;
        text += b;
        while (text.size() < 80) text += fill;
        for (const std::string &tail : {std::string("\n"), std::string("a,"), std::string("是")}) {
          std::string t = text + tail;
          BufferTextCheck check;
          check.check(t.data(), t.size());
          INFO("fill " << fill.size() << " bad piece " << b.size() << " at " << at);
          CHECK(check.dirtyFrom() == firstBadTextByte(t));
        }
      }
}

TEST_CASE("BufferTextCheck: split anywhere, what it calls clean is valid, and valid text is clean") {
  uint64_t seed = 5;
  for (int round = 0; round < 3000; ++round) {
    bool validOnly = round % 2 == 0;
    std::string text = randomText(seed, 1 + round % 60, validOnly);
    BufferTextCheck check;
    size_t at = 0, clean = 0;  // clean: bytes proven in all
    while (at < text.size()) {
      seed = seed * 6364136223846793005u + 1442695040888963407u;
      size_t n = std::min(text.size() - at, size_t{1} + (seed >> 33) % 40);
      check.check(text.data() + at, n);
      REQUIRE(check.cleanFrom() <= check.dirtyFrom());
      REQUIRE(check.dirtyFrom() <= n);
      std::string_view part(text.data() + at + check.cleanFrom(), check.dirtyFrom() - check.cleanFrom());
      CHECK(firstBadTextByte(part) == std::string::npos);
      if (validOnly) {
        CHECK(check.cleanFrom() < 4);       // at most the rest of a sequence begun before
        CHECK(n - check.dirtyFrom() < 4);   // at most a sequence the buffer cuts off
      }
      clean += check.dirtyFrom() - check.cleanFrom();
      at += n;
    }
    if (validOnly) CHECK(check.dirtyFrom() <= text.size());
    CHECK(clean <= text.size());
  }
}

TEST_CASE("CSV: a row said to be textChecked has only valid UTF-8 cells without NUL, read whole or in pieces") {
  uint64_t seed = 3;
  size_t checkedRows = 0, rowsSeen = 0;
  for (int round = 0; round < 600; ++round) {
    bool validOnly = round % 3 == 0;
    std::string text = "h1,h2,h3\n" + randomText(seed, 80, validOnly);
    for (size_t step : {size_t{0}, size_t{1000000}}) {
      // (Straight from memory: utf8Source would refuse a bad head as a whole.)
      auto rows = step ? readAll(*csvReader(memorySource(text), "t.csv", ',')) : trickled(text, 0);
      for (const Row &row : rows) {
        rowsSeen += step ? 1 : 0;
        if (!row.textChecked) continue;
        checkedRows += step ? 1 : 0;
        for (std::string_view c : row.cells) CHECK(firstBadTextByte(c) == std::string::npos);
      }
      // Valid text read in one buffer: every row but the last (no line end
      // after it: the reader met the end of the file inside it) is checked.
      if (validOnly && step)
        for (size_t i = 0; i + 1 < rows.size(); ++i) CHECK(rows[i].textChecked);
    }
  }
  CHECK(checkedRows > rowsSeen / 3);  // read whole, the check does say yes (in pieces every row spans a refill)
}

// ───── the block scan of plain fields against a byte-at-a-time reading ─────

namespace {

// RFC 4180 as CsvParser documents it, one byte at a time, with no blocks and
// no buffer: a quote opens a quoted field only at the start of a field ("" is a
// quote inside, anything after the closing quote is kept literally); LF, CR
// and CRLF end a record; a quoted field open at the end of the input is
// unterminated. The reference the 64-byte block scan is checked against.
struct ScalarRecord {
  std::vector<std::string> cells;
  bool unterminated = false;
};

std::vector<ScalarRecord> scalarCsv(const std::string &t, char delim) {
  std::vector<ScalarRecord> out;
  size_t i = 0, n = t.size();
  while (i < n) {
    ScalarRecord r;
    std::string f;
    bool atStart = true;
    for (;;) {
      if (i == n) {
        r.cells.push_back(f);
        break;
      }
      char c = t[i];
      if (atStart && c == '"') {
        atStart = false;
        bool closed = false;
        for (++i; i < n && !closed;) {
          if (t[i] != '"') f += t[i++];
          else if (i + 1 < n && t[i + 1] == '"') f += '"', i += 2;
          else closed = true, ++i;
        }
        if (!closed) {
          r.unterminated = true;
          r.cells.push_back(f);
          break;
        }
        continue;
      }
      atStart = false;
      ++i;
      if (c == delim) {
        r.cells.push_back(std::exchange(f, {}));
        atStart = true;
      } else if (c == '\n' || c == '\r') {
        r.cells.push_back(f);
        if (c == '\r' && i < n && t[i] == '\n') ++i;
        break;
      } else {
        f += c;
      }
    }
    out.push_back(std::move(r));
  }
  return out;
}

// Every record CsvParser reads from `src` (read as it comes) equals the scalar
// reading of `text`: the same cells, the same unterminated quote.
void sameAsScalar(CsvParser &parser, const std::string &text, char delim, const std::string &what) {
  auto want = scalarCsv(text, delim);
  CellList cells;
  bool unterminated = false;
  size_t k = 0;
  for (; parser.next(cells, unterminated); ++k) {
    INFO(what << ", record " << k);
    REQUIRE(k < want.size());
    CHECK(cells == want[k].cells);
    CHECK(unterminated == want[k].unterminated);
    CHECK(!parser.tooManyFields());
    CHECK(parser.oversizedField() == std::string::npos);
  }
  INFO(what);
  CHECK(k == want.size());
}

// Random CSV text from pieces that put every byte class the scan treats apart
// everywhere: at each offset of a 64-byte block, on block edges, on refills.
std::string randomCsv(uint64_t &seed, size_t pieces, char delim) {
  const std::vector<std::string> kinds = {
      std::string(1, delim), std::string(3, delim), "\"", "\"\"", "\r", "\n", "\r\n", "a", "12.5", "张三", " ",
      "x\"y", std::string(1, '\0'), "\xFF\xFE", "\xE5\x90", std::string(63, 'p'), std::string(65, 'q'),
      std::string(130, 'r'), "\"quoted, with " + std::string(1, delim) + " and \r\n inside\"", "\t"};
  std::string text;
  for (size_t k = 0; k < pieces; ++k) {
    seed = seed * 6364136223846793005u + 1442695040888963407u;
    text += kinds[(seed >> 33) % kinds.size()];
  }
  return text;
}

} // namespace

TEST_CASE("CSV block scan: random and adversarial text reads as the byte-at-a-time reading, whole and in pieces") {
  uint64_t seed = 11;
  for (int round = 0; round < 400; ++round) {
    char delim = round % 4 == 3 ? '\t' : ',';
    std::string text = randomCsv(seed, 20 + static_cast<size_t>(round % 90), delim);
    {  // one read, the way a file is read
      CsvParser parser(memorySource(text), delim);
      sameAsScalar(parser, text, delim, "whole, round " + std::to_string(round));
    }
    {  // 1-7 bytes a read: every field, quote and CRLF split across refills
      CsvParser parser(std::make_unique<TrickleSource>(text, 0), delim);
      sameAsScalar(parser, text, delim, "in pieces, round " + std::to_string(round));
    }
    {  // records given whole (a slice): 64 readable bytes after the end, here all quotes and delimiters
      std::string padded = text + std::string(32, '"') + std::string(32, delim);
      CsvParser parser(padded.data(), text.size(), delim);
      sameAsScalar(parser, text, delim, "as a slice, round " + std::to_string(round));
    }
  }
}

TEST_CASE("CSV block scan: fields on every 64-byte block edge, empty fields at line ends, long fields") {
  // Rows of n one-byte fields (n - 1 delimiters): a delimiter at every offset of
  // the first blocks; then the same with the first field growing one byte at a
  // time, so every separator and quote shifts across the block edges.
  for (size_t lead = 0; lead < 140; ++lead) {
    std::string row = std::string(lead, 'L');
    for (int k = 0; k < 70; ++k) row += ",x";
    std::string text = "h\n" + row + ",\n" + row + ",,\r\n\"" + std::string(lead, 'q') + "\",\"a\"\"b\",\n" +
                       std::string(lead, 'z') + ",\"open at the end";
    auto want = scalarCsv(text, ',');
    REQUIRE(want.size() == 5);  // the header, the two long rows, the quoted row, the open quote
    CHECK(want[1].cells.size() == 72);  // L…, 70 × x, and the empty last field
    CHECK(want[1].cells.back().empty());
    CHECK(want[2].cells.size() == 73);
    CHECK(want[3].cells == std::vector<std::string>{std::string(lead, 'q'), "a\"b", ""});
    CHECK(want.back().unterminated);
    CsvParser whole(memorySource(text), ',');
    sameAsScalar(whole, text, ',', "lead " + std::to_string(lead));
    CsvParser pieces(std::make_unique<TrickleSource>(text, lead % 7 + 1), ',');
    sameAsScalar(pieces, text, ',', "pieces, lead " + std::to_string(lead));
  }
  // A field of 100,000 bytes between short ones, read whole and 4,096 bytes a read.
  std::string longRow = "a," + std::string(100000, 'w') + ",b\r\nc,,\n";
  CsvParser whole(memorySource(longRow), ',');
  sameAsScalar(whole, longRow, ',', "long field");
  CsvParser pieces(std::make_unique<TrickleSource>(longRow, 4096), ',');
  sameAsScalar(pieces, longRow, ',', "long field in 4 kB reads");
}

TEST_CASE("CSV block scan: a field one byte over the cell limit, and one too many fields, stop the fast path") {
  // kMaxCellBytes + 1 plain bytes: the row's cell 2 is cut and named, the next row reads whole.
  std::string big = "a," + std::string(kMaxCellBytes + 1, 'w') + ",b\nc,d\n";
  CsvParser parser(memorySource(big), ',');
  CellList cells;
  bool unterminated = false;
  REQUIRE(parser.next(cells, unterminated));
  CHECK(parser.oversizedField() == 1);
  CHECK(cells.size() == 3);
  CHECK(cells[1].size() == kMaxCellBytes);
  CHECK(cells[2] == "b");
  REQUIRE(parser.next(cells, unterminated));
  CHECK(parser.oversizedField() == std::string::npos);
  CHECK(cells == std::vector<std::string>{"c", "d"});
  // kMaxColumns + 1 empty fields: too many, the rest of the row read and dropped.
  std::string wide = std::string(kMaxColumns, ',') + "\nx\n";
  CsvParser wideParser(memorySource(wide), ',');
  REQUIRE(wideParser.next(cells, unterminated));
  CHECK(wideParser.tooManyFields());
  CHECK(cells.size() == kMaxColumns);
  REQUIRE(wideParser.next(cells, unterminated));
  CHECK(!wideParser.tooManyFields());
  CHECK(cells == std::vector<std::string>{"x"});
}
