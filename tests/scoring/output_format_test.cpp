// Output formatting (session 7, issue 13): the CSV encoder's inline fast path
// and decText against the runtime's own formatters, and the result spill across
// its memory budget.
#include <catch2/catch.hpp>

#include <climits>
#include <random>
#include <string>
#include <vector>

#include "rubric_decimal.h"
#include "runtime/scoring/Output.h"

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

TEST_CASE("Spill: records read back whole and in order across its memory budget", "[output]") {
  using rubric::runtime::Spill;
  std::vector<std::string> recs;
  std::mt19937 rng(5);
  for (int k = 0; k < 3000; ++k) recs.push_back(std::string(rng() % 700, static_cast<char>('a' + k % 26)) + std::to_string(k));
  for (size_t budget : {size_t{0}, size_t{16}, size_t{5000}, size_t{4} << 20}) {
    INFO(budget);
    Spill s(budget);
    REQUIRE(s.ok());
    for (const auto &r : recs) s.put(r);
    s.rewind();
    std::string got;
    std::vector<int64_t> offsets;
    for (const auto &r : recs) {
      REQUIRE(s.get(got));
      REQUIRE(got == r);
      offsets.push_back(s.lastOffset());
    }
    CHECK_FALSE(s.get(got));
    CHECK(s.getAt(offsets[1234], got));
    CHECK(got == recs[1234]);
    CHECK_FALSE(s.failed());
  }
}

// --threads > 1: the 1 MiB writes on the ChunkWriter's thread. About 6 MiB of
// records (12,000 × 0–699 bytes + the number, ≈ 350 B each): several chunks
// handed over, and at the 4 MiB budget the switch from memory to the file
// while the writer exists. The bytes read back must be the records put, in order.
TEST_CASE("Spill: writes behind on another thread read back the same records", "[output]") {
  using rubric::runtime::Spill;
  std::vector<std::string> recs;
  std::mt19937 rng(9);
  for (int k = 0; k < 12000; ++k) recs.push_back(std::string(rng() % 700, static_cast<char>('a' + k % 26)) + std::to_string(k));
  for (size_t budget : {size_t{0}, size_t{5000}, size_t{4} << 20}) {
    INFO(budget);
    Spill s(budget);
    REQUIRE(s.ok());
    s.writeBehind();
    for (const auto &r : recs) s.put(r);
    CHECK(s.records() == 12000);
    s.rewind();
    std::string got;
    std::vector<int64_t> offsets;
    for (const auto &r : recs) {
      REQUIRE(s.get(got));
      REQUIRE(got == r);
      offsets.push_back(s.lastOffset());
    }
    CHECK_FALSE(s.get(got));
    CHECK(s.getAt(offsets[11999], got));
    CHECK(got == recs[11999]);
    CHECK_FALSE(s.failed());
  }
  Spill unread;  // destroyed with writes still queued: the writer finishes before the file closes
  unread.writeBehind();
  for (const auto &r : recs) unread.put(r);
}
