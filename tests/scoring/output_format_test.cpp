// Output formatting (session 7, issue 13): the CSV encoder's inline fast path
// and decText against the runtime's own formatters, and the result spill across
// its memory budget.
#include <catch2/catch.hpp>

#include <climits>
#include <cstring>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "rubric_decimal.h"
#include "runtime/scoring/Output.h"
#include "runtime/scoring/Population.h"

using rubric::Rational;
using rubric::runtime::decText;

namespace {
std::string viaDecText(int64_t x) {
  char buf[RB_DEC_FORMAT_CAP];
  return std::string(buf, decText(x, buf));
}
std::string viaDecText(Rational v) {
  char buf[RB_DEC_FORMAT_CAP];
  return std::string(buf, decText(v, buf));
}
std::string viaRbDecFormat(int64_t x) {
  char buf[RB_DEC_FORMAT_CAP];
  return std::string(buf, rb_dec_format(x, buf, sizeof buf));
}
} // namespace

TEST_CASE("decText: millionths as decimal text, by hand and against rb_dec_format", "[output]") {
  // By hand: the raw value is in millionths; trailing zeros of the fraction go.
  CHECK(viaDecText(0) == "0");
  CHECK(viaDecText(1) == "0.000001");            // 1 × 10⁻⁶
  CHECK(viaDecText(-1) == "-0.000001");
  CHECK(viaDecText(1000000) == "1");
  CHECK(viaDecText(-12500000) == "-12.5");       // −12 500 000 × 10⁻⁶
  CHECK(viaDecText(120000) == "0.12");
  CHECK(viaDecText(39999900) == "39.9999");      // 39 999 900 × 10⁻⁶
  CHECK(viaDecText(INT64_MAX) == "9223372036854.775807");   // 2⁶³ − 1 millionths
  CHECK(viaDecText(INT64_MIN) == "-9223372036854.775808");  // −2⁶³ millionths
  // Random values of every magnitude (bits 0–63, both signs) and the neighbours of powers of ten.
  std::mt19937_64 rng(2026);
  for (int k = 0; k < 200000; ++k) {
    int bits = static_cast<int>(rng() % 64);
    auto x = static_cast<int64_t>(rng() >> (63 - bits));
    if ((rng() & 1) && x != INT64_MIN) x = -x;
    INFO(x);
    REQUIRE(viaDecText(x) == viaRbDecFormat(x));
  }
  int64_t p = 1;
  for (int e = 0; e <= 18; ++e) {
    for (int64_t x : {p - 1, p, p + 1, -p - 1, -p, -p + 1}) REQUIRE(viaDecText(x) == viaRbDecFormat(x));
    if (e < 18) p *= 10;  // 10^18 is the last power of ten an int64 holds
  }
}

TEST_CASE("decText of an exact value: den 1 as it is, else rounded half away from zero to 6 decimals", "[output]") {
  CHECK(viaDecText(Rational{1000000, 3}) == "0.333333");   // 333 333.33… millionths → 333 333
  CHECK(viaDecText(Rational{2000000, 3}) == "0.666667");   // 666 666.67… → 666 667
  CHECK(viaDecText(Rational{-1, 2}) == "-0.000001");       // −0.5 millionths: half away from zero
  CHECK(viaDecText(Rational{INT64_MIN, 1}) == "-9223372036854.775808");
  std::mt19937_64 rng(9);
  for (int k = 0; k < 100000; ++k) {
    auto num = static_cast<int64_t>(rng());
    int64_t den = (k % 4 == 0) ? 1 : static_cast<int64_t>(rng() % 1000000 + 1);
    INFO(num << "/" << den);
    REQUIRE(viaDecText(Rational{num, den}) == viaRbDecFormat(rb_rat_to_dec(num, den)));
  }
}

TEST_CASE("decText's two-digit fast path (session 9): every boundary it has, against rb_dec_format", "[output]") {
  // By hand. Whole part below 100 (one or two digits from the pair table), 100 and above (the general path):
  CHECK(viaDecText(9'000'000) == "9");              // 9 × 10⁶ millionths
  CHECK(viaDecText(10'000'000) == "10");
  CHECK(viaDecText(99'999'999) == "99.999999");     // the last value below 100
  CHECK(viaDecText(100'000'000) == "100");
  CHECK(viaDecText(-100'000'001) == "-100.000001");
  // The fraction's six digits, trailing zeros dropped, inner zeros kept:
  CHECK(viaDecText(100'000) == "0.1");              // 100 000 millionths
  CHECK(viaDecText(10) == "0.00001");
  CHECK(viaDecText(1'010'100) == "1.0101");
  CHECK(viaDecText(47'999'970) == "47.99997");      // a total of the 1M-row file
  CHECK(viaDecText(-999'999) == "-0.999999");
  // Every whole part 0–120 with fractions that end in 0–5 zeros, both signs.
  for (int64_t whole = 0; whole <= 120; ++whole)
    for (int64_t frac : {0, 1, 10, 100, 1000, 10000, 100000, 5, 50, 500005, 999990, 999999, 123456, 120000}) {
      int64_t x = whole * 1'000'000 + frac;
      INFO(x);
      REQUIRE(viaDecText(x) == viaRbDecFormat(x));
      REQUIRE(viaDecText(-x) == viaRbDecFormat(-x));
    }
  // Every value of the first 3 points (0 to 3 000 000 millionths) — all six-digit fractions, three whole parts.
  for (int64_t x = 0; x <= 3'000'000; ++x)
    if (viaDecText(x) != viaRbDecFormat(x)) FAIL(x);
  // Fractions held exactly: half a millionth and more goes away from zero (语言说明 §“输出”).
  CHECK(viaDecText(Rational{3, 2}) == "0.000002");         // 1.5 millionths → 2
  CHECK(viaDecText(Rational{-3, 2}) == "-0.000002");       // −1.5 → −2
  CHECK(viaDecText(Rational{5, 4}) == "0.000001");         // 1.25 → 1
  CHECK(viaDecText(Rational{199'999'999, 2}) == "100");    // 99 999 999.5 millionths → 100 000 000: the carry crosses 100
  CHECK(viaDecText(Rational{-199'999'999, 2}) == "-100");
  CHECK(viaDecText(Rational{INT64_MAX, 1}) == "9223372036854.775807");
}

TEST_CASE("CSV cells: quoted only when they hold a comma, quote, CR or LF", "[output]") {
  using rubric::runtime::OutputFormat;
  using rubric::runtime::RowEncoder;
  RowEncoder csv(OutputFormat::Csv, {"姓名", "状态", "总分"});
  std::string out;
  csv.begin(out);
  csv.text(out, 0, "张三,李四");
  csv.text(out, 1, "取消资格：\"x\"");
  csv.number(out, 2, "39.9999");
  csv.end(out);
  CHECK(out == "\"张三,李四\",\"取消资格：\"\"x\"\"\",39.9999\n");
  out.clear();
  csv.text(out, 0, "有效");
  csv.text(out, 1, "a\rb");
  csv.text(out, 2, "");
  CHECK(out == "有效,\"a\rb\",");
  RowEncoder json(OutputFormat::JsonLines, {"a", "b"});  // the other formats keep their own path
  out.clear();
  json.begin(out);
  json.text(out, 0, "x,\"y\"");
  json.number(out, 1, "");
  json.end(out);
  CHECK(out == "{\"a\":\"x,\\\"y\\\"\",\"b\":null}\n");
}

TEST_CASE("CSV cells: the 16-byte quoting check finds a comma, quote, CR or LF at every place (session 9)", "[output]") {
  using rubric::runtime::appendCsvField;
  // Cells of 0–49 bytes (汉字 bytes ≥ 0x80, and '+' 0x2B and ' ' 0x20, the bytes just below and far below ','),
  // one special byte at each place: quoted, with a quote doubled; none: as it is.
  const std::string filler = "取消资格：+ 违反规范";
  for (size_t len = 0; len < 50; ++len) {
    std::string plain;
    for (size_t k = 0; plain.size() < len; ++k) plain.push_back(filler[k % filler.size()]);
    std::string out;
    appendCsvField(out, plain);
    REQUIRE(out == plain);
    for (size_t at = 0; at < len; ++at)
      for (char special : {',', '"', '\r', '\n'}) {
        std::string cell = plain;
        cell[at] = special;
        std::string want = "\"";
        for (char c : cell) want += c == '"' ? std::string("\"\"") : std::string(1, c);
        want += "\"";
        out.clear();
        appendCsvField(out, cell);
        INFO("length " << len << ", byte " << at << " is " << static_cast<int>(special));
        REQUIRE(out == want);
      }
  }
}

namespace {

// `count` records of 0–699 bytes and their number, seeded.
std::vector<std::string> spillRecords(int count, unsigned seed) {
  std::vector<std::string> recs;
  std::mt19937 rng(seed);
  for (int k = 0; k < count; ++k) recs.push_back(std::string(rng() % 700, static_cast<char>('a' + k % 26)) + std::to_string(k));
  return recs;
}

// Puts `recs` in `s`, rewinds and reads them back: all of them, in order, then
// record `probe` again by its offset.
void checkSpillRoundTrip(rubric::runtime::Spill &s, const std::vector<std::string> &recs, size_t probe) {
  REQUIRE(s.ok());
  for (const auto &r : recs) s.put(r);
  CHECK(s.records() == static_cast<int64_t>(recs.size()));
  s.rewind();
  std::string got;
  std::vector<int64_t> offsets;
  for (const auto &r : recs) {
    REQUIRE(s.get(got));
    REQUIRE(got == r);
    offsets.push_back(s.lastOffset());
  }
  CHECK_FALSE(s.get(got));
  CHECK(s.getAt(offsets[probe], got));
  CHECK(got == recs[probe]);
  CHECK_FALSE(s.failed());
}

} // namespace

TEST_CASE("JSON Lines text: quote, backslash and control characters escaped, 汉字 kept as UTF-8", "[output]") {
  using rubric::runtime::appendJsonString;
  auto json = [](std::string_view s) {
    std::string out;
    appendJsonString(out, s);
    return out;
  };
  CHECK(json("") == "\"\"");
  CHECK(json("市级甲") == "\"市级甲\"");
  CHECK(json("a\"b\\c") == "\"a\\\"b\\\\c\"");                       // "a\"b\\c"
  CHECK(json("1\n2\r3\t4") == "\"1\\n2\\r3\\t4\"");                     // short escapes
  CHECK(json(std::string_view("\x01\x1f\0", 3)) == "\"\\u0001\\u001f\\u0000\"");  // the rest below 0x20
  CHECK(json("a/b\x7f") == "\"a/b\x7f\"");                                    // '/' and DEL as they are
}

TEST_CASE("Spill: records read back whole and in order across its memory budget", "[output]") {
  std::vector<std::string> recs = spillRecords(3000, 5);
  for (size_t budget : {size_t{0}, size_t{16}, size_t{5000}, size_t{4} << 20}) {
    INFO(budget);
    rubric::runtime::Spill s(budget);
    checkSpillRoundTrip(s, recs, 1234);
  }
}

// next(): the records as views — in the read buffer, or copied into the
// scratch when one straddles the end of a read window (≈ 4 MiB here, about
// one window; the test below crosses more) — the same bytes and offsets as
// get() gives.
TEST_CASE("Spill: next() views the same records as get() copies, across read buffers (session 10)", "[output]") {
  std::vector<std::string> recs = spillRecords(12000, 11);
  for (size_t budget : {size_t{0}, size_t{5000}, size_t{8} << 20}) {
    INFO(budget);
    rubric::runtime::Spill viewed(budget), copied(budget);
    for (const auto &r : recs) viewed.put(r), copied.put(r);
    viewed.rewind();
    copied.rewind();
    std::string scratch, got;
    std::string_view record;
    size_t inScratch = 0;
    for (size_t k = 0; k < recs.size(); ++k) {
      INFO(k);
      REQUIRE(viewed.next(record, scratch));
      REQUIRE(copied.get(got));
      REQUIRE(record == recs[k]);
      REQUIRE(got == recs[k]);
      CHECK(viewed.lastOffset() == copied.lastOffset());
      inScratch += record.data() == scratch.data();
    }
    CHECK_FALSE(viewed.next(record, scratch));
    CHECK((budget == 0 || budget == 5000 ? inScratch > 0 : inScratch == 0));  // in memory: never copied
    CHECK_FALSE(viewed.failed());
  }
}

// The file read back through 4 MiB mapped windows (session 18): about 10 MiB
// of records, so records straddle two window ends. next() and nextRecords()
// in turns must give every record once, in order; getAt() then reads by
// offset, and a rewind() after it reads the whole file again.
TEST_CASE("Spill: mapped windows give every record once, by next(), nextRecords() and getAt()", "[output]") {
  std::vector<std::string> recs = spillRecords(30000, 17);
  rubric::runtime::Spill s(0);
  for (const auto &r : recs) s.put(r);
  s.rewind();
  std::vector<int64_t> offsets;
  int64_t offset = 0;
  for (const auto &r : recs) offsets.push_back(offset), offset += static_cast<int64_t>(4 + r.size());
  std::string scratch, bulk;
  std::string_view record;
  size_t k = 0;
  for (int turn = 0; k < recs.size(); ++turn) {
    INFO(k);
    if (turn % 2 == 0) {
      REQUIRE(s.next(record, scratch));
      CHECK(s.lastOffset() == offsets[k]);
      REQUIRE(record == recs[k++]);
      continue;
    }
    bulk.clear();
    REQUIRE(s.nextRecords(bulk, 100000));
    for (size_t at = 0; at < bulk.size(); ++k) {
      uint32_t n;
      std::memcpy(&n, bulk.data() + at, sizeof n);
      REQUIRE(k < recs.size());
      REQUIRE(std::string_view(bulk).substr(at + sizeof n, n) == recs[k]);
      at += sizeof n + n;
    }
  }
  CHECK_FALSE(s.next(record, scratch));
  std::string got;
  for (size_t probe : {size_t{29999}, size_t{0}, size_t{12345}}) {
    CHECK(s.getAt(offsets[probe], got));
    CHECK(got == recs[probe]);
  }
  s.rewind();
  for (const auto &r : recs) {
    REQUIRE(s.get(got));
    REQUIRE(got == r);
  }
  CHECK_FALSE(s.get(got));
  CHECK_FALSE(s.failed());
}

// --threads > 1: the 1 MiB writes on the ChunkWriter's thread. About 6 MiB of
// records (12,000 × 0–699 bytes + the number, ≈ 350 B each): several chunks
// handed over, and at the 4 MiB budget the switch from memory to the file
// while the writer exists. The bytes read back must be the records put, in order.
TEST_CASE("Spill: writes behind on another thread read back the same records", "[output]") {
  using rubric::runtime::Spill;
  std::vector<std::string> recs = spillRecords(12000, 9);
  for (size_t budget : {size_t{0}, size_t{5000}, size_t{4} << 20}) {
    INFO(budget);
    Spill s(budget);
    s.writeBehind();
    checkSpillRoundTrip(s, recs, 11999);
  }
  Spill unread;  // destroyed with writes still queued: the writer finishes before the file closes
  unread.writeBehind();
  for (const auto &r : recs) unread.put(r);
}

// Session 20: the last pass in input order reads the spill in segments, two
// threads at once (ResultOutput::spliceSegmentsInParallel). Each segment —
// from a segment start to the next, the last to bytesPut() — must give its
// records whole and in order, and the segments together every record once:
// in memory, on file (pread), with writes behind, and with no record at all.
// A segment ends at the first record that starts kSegmentBytes or more past
// its start (spillRecords: up to ≈ 700 bytes a record, so 30,000 records are
// about 20 segments).
TEST_CASE("Spill: segments read by view() on two threads give every record once and in order", "[output]") {
  using rubric::runtime::Spill;
  using rubric::runtime::SpillView;
  for (size_t count : {size_t{0}, size_t{1}, size_t{1500}, size_t{30000}}) {
    std::vector<std::string> recs = spillRecords(static_cast<int>(count), 23);
    for (size_t budget : {size_t{0}, size_t{64} << 20}) {
      for (bool behind : {false, true}) {
        INFO(count << " records, budget " << budget << (behind ? ", writes behind" : ""));
        Spill s(budget);
        if (behind) s.writeBehind();
        for (const auto &r : recs) s.put(r);
        s.rewind();
        const std::vector<int64_t> &starts = s.segmentStarts();
        REQUIRE(starts.empty() == (count == 0));
        for (size_t g = 0; g < starts.size(); ++g) {  // each segment's first record: kSegmentBytes past the last start, or more
          if (g == 0) CHECK(starts[g] == 0);
          else CHECK(starts[g] - starts[g - 1] >= Spill::kSegmentBytes);
          if (g > 0) CHECK(starts[g] - starts[g - 1] < Spill::kSegmentBytes + 4 + 700 + 5);  // not past one more record
        }
        if (count == 30000) CHECK(starts.size() > 5);
        std::vector<std::vector<std::string>> got(starts.size());
        auto read = [&](size_t first) {  // every other segment
          SpillView v;
          for (size_t g = first; g < starts.size(); g += 2) {
            int64_t end = g + 1 < starts.size() ? starts[g + 1] : s.bytesPut();
            if (!s.view(starts[g], end, v)) return;
            for (std::string_view r; v.next(r);) got[g].emplace_back(r);
          }
        };
        {
          std::jthread other(read, 1);
          read(0);
        }
        size_t k = 0;
        int64_t offset = 0;  // where record k starts: each segment's first record is at its start
        for (size_t g = 0; g < got.size(); ++g) {
          CHECK(!got[g].empty());
          CHECK(offset == starts[g]);
          for (const auto &r : got[g]) {
            offset += static_cast<int64_t>(4 + r.size());
            REQUIRE(k < recs.size());
            REQUIRE(r == recs[k++]);
          }
        }
        CHECK(k == recs.size());
        SpillView outside;
        CHECK_FALSE(s.view(0, s.bytesPut() + 1, outside));  // past the end: refused, not read
      }
    }
  }
}

TEST_CASE("RankHistogram: competition ranks equal a brute-force count, with many ties and rows taken out", "[output]") {
  using rubric::runtime::RankHistogram;
  // By hand: 3, 1/3 (as 2/6 and −1/−3 too), 3, 0, −2, 1/3: descending 3 3 | 1/3 1/3 1/3 | 0 | −2 → ranks 1, 3, 6, 7.
  RankHistogram small;
  for (Rational k : {Rational{3, 1}, Rational{2, 6}, Rational{3, 1}, Rational{0, 1}, Rational{-2, 1}, Rational{1, 3},
                     Rational{-1, -3}})
    small.add(k);
  small.finish(true);
  CHECK(small.rank(Rational{3, 1}) == 1);
  CHECK(small.rank(Rational{1, 3}) == 3);
  CHECK(small.rank(Rational{4, 12}) == 3);
  CHECK(small.rank(Rational{0, 1}) == 6);
  CHECK(small.rank(Rational{-2, 1}) == 7);
  CHECK(small.rank(Rational{5, 1}) == 0);  // never added
  CHECK(small.distinctKeys() == 4);
  // Random: keys from a few values (many ties, equal fractions in different terms), some rows taken out again.
  std::mt19937_64 rng(13);
  for (int round = 0; round < 20; ++round) {
    size_t n = 1 + rng() % 3000;
    int64_t spread = round % 2 ? 7 : 400;  // 7 values: ties everywhere; 400: fewer
    std::vector<Rational> keys(n);
    std::vector<uint8_t> kept(n, 1);
    RankHistogram h;
    for (size_t i = 0; i < n; ++i) {
      int64_t v = static_cast<int64_t>(rng() % static_cast<uint64_t>(spread)) - spread / 2;
      int64_t scale = 1 + static_cast<int64_t>(rng() % 3);       // v/3 written as (v·s)/(3·s)
      keys[i] = rng() % 4 ? Rational{v * 1'000'000, 1} : Rational{v * scale, 3 * scale};
      h.add(keys[i]);
    }
    for (size_t i = 0; i < n; ++i)
      if (rng() % 10 == 0) {  // a dropped row
        kept[i] = 0;
        h.add(keys[i], -1);
      }
    bool descending = round % 3 != 0;
    h.finish(descending);
    for (size_t i = 0; i < n; ++i) {
      if (!kept[i]) continue;
      int64_t before = 0;  // kept rows strictly ahead of row i
      for (size_t j = 0; j < n; ++j)
        if (kept[j] && (descending ? compare(keys[j], keys[i]) > 0 : compare(keys[j], keys[i]) < 0)) ++before;
      INFO("round " << round << " row " << i);
      REQUIRE(h.rank(keys[i]) == before + 1);
    }
  }
}
