// GB18030/GBK input (what Chinese Excel saves as CSV): detected or named,
// transcoded to UTF-8 while streaming; bad bytes name the row and offset.
// The GBK bytes are made at run time with iconv from the UTF-8 text.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <iconv.h>
#include <stdexcept>

#include "TestUtil.h"
#include "runtime/records/RecordReader.h"

using namespace rubric::records;
using rubric::runtime::kExitFatal;
using rubric::runtime::kExitRejected;
using rubric::runtime::RunOptions;
using testutil::run;
using testutil::write;

using testutil::kFive;
using testutil::readAll;

namespace {

std::string toGbk(const std::string &utf8) {
  iconv_t cd = iconv_open("GB18030", "UTF-8");
  REQUIRE(cd != reinterpret_cast<iconv_t>(-1));
  std::string out(utf8.size() * 4 + 16, '\0');
  char *in = const_cast<char *>(utf8.data());
  size_t inLeft = utf8.size();
  char *o = out.data();
  size_t oLeft = out.size();
  size_t r = iconv(cd, &in, &inLeft, &o, &oLeft);
  iconv_close(cd);
  REQUIRE(r != static_cast<size_t>(-1));
  out.resize(out.size() - oLeft);
  return out;
}

// Hands out at most `step` bytes per read, so multi-byte sequences are split.
class Trickle : public ByteSource {
 public:
  Trickle(std::string bytes, size_t step) : bytes_(std::move(bytes)), step_(step) {}
  size_t read(char *buf, size_t cap) override {
    size_t n = std::min({cap, step_, bytes_.size() - pos_});
    std::memcpy(buf, bytes_.data() + pos_, n);
    pos_ += n;
    return n;
  }

 private:
  std::string bytes_;
  size_t step_, pos_ = 0;
};

std::string drain(ByteSource &src) {
  std::string out;
  char buf[7];  // small reads on purpose
  for (size_t n; (n = src.read(buf, sizeof buf)) > 0;) out.append(buf, n);
  return out;
}

} // namespace

TEST_CASE("encoding names") {
  CHECK(parseEncoding("auto") == Encoding::Auto);
  CHECK(parseEncoding("") == Encoding::Auto);
  CHECK(parseEncoding("UTF-8") == Encoding::Utf8);
  CHECK(parseEncoding("gbk") == Encoding::Gb18030);
  CHECK(parseEncoding("GB18030") == Encoding::Gb18030);
  CHECK_FALSE(parseEncoding("latin1").has_value());
}

TEST_CASE("GB18030: auto-detected and transcoded — same rows as UTF-8, also when reads split sequences") {
  std::string gbk = toGbk(kFive);
  REQUIRE(gbk != kFive);
  for (size_t step : {size_t(1), size_t(2), size_t(3), size_t(1000)}) {
    auto src = decodedSource(std::make_unique<Trickle>(gbk, step), "g.csv");
    CHECK(drain(*src) == kFive);
  }
  auto u = csvReader(decodedSource(memorySource(kFive), "u.csv"), "u.csv");
  auto g = csvReader(decodedSource(memorySource(gbk), "g.csv"), "g.csv");
  CHECK(g->headers() == u->headers());
  auto ur = readAll(*u), gr = readAll(*g);
  REQUIRE(gr.size() == ur.size());
  for (size_t i = 0; i < ur.size(); ++i) {
    CHECK(gr[i].cells == ur[i].cells);
    CHECK(gr[i].number == ur[i].number);
  }
  // Named explicitly; a UTF-8 file stays UTF-8 under auto; a leading BOM is dropped.
  CHECK(drain(*decodedSource(memorySource(gbk), "g.csv", Encoding::Gb18030)) == kFive);
  CHECK(drain(*decodedSource(memorySource(kFive), "u.csv")) == kFive);
  CHECK(drain(*decodedSource(memorySource(toGbk("\xEF\xBB\xBF" "甲\n")), "b.csv", Encoding::Gb18030)) == "甲\n");
  // Told it is UTF-8: refused as before.
  CHECK_THROWS_AS(decodedSource(memorySource(gbk), "g.csv", Encoding::Utf8), RecordFileError);
}

TEST_CASE("GB18030: a file larger than the detection window streams through intact") {
  std::string text = "姓名,甲\n";
  for (int i = 0; text.size() < 300 * 1024; ++i) text += "考生" + std::to_string(i) + "号,中文内容\n";
  std::string gbk = toGbk(text);
  auto src = decodedSource(std::make_unique<Trickle>(gbk, 4093), "big.csv");
  CHECK(drain(*src) == text);
}

TEST_CASE("GB18030: an invalid sequence past the header passes its first byte through, in the header it refuses the file") {
  // Passed through as it is, each bad byte is invalid UTF-8 where it lands, so
  // the reader's text check rejects that row alone, naming its column.
  std::string head = toGbk("姓名,甲\n张三,1\n");
  CHECK(drain(*decodedSource(memorySource(head + toGbk("李") + "\xFF\xFF,2\n"), "bad.csv")) ==
        "姓名,甲\n张三,1\n李\xFF\xFF,2\n");
  // Past the detection window, in the streaming part, read a few bytes at a time:
  // a lead byte with an invalid trail (a space) — the lead passed, the space decoded.
  std::string big = toGbk("姓名,甲\n"), want = "姓名,甲\n";
  while (big.size() < 100 * 1024) {
    big += toGbk("张三,1\n");
    want += "张三,1\n";
  }
  CHECK(drain(*decodedSource(std::make_unique<Trickle>(big + "\x81\x20,1\n" + toGbk("李四,2\n"), 999), "big.csv")) ==
        want + "\x81 ,1\n李四,2\n");
  // A sequence cut off by the end of the file: its lead byte.
  CHECK(drain(*decodedSource(memorySource(toGbk("甲\n乙") + "\x81"), "cut.csv")) == "甲\n乙\x81");
  // In the header (line 1): the columns cannot be read — the file, the row and the offset.
  try {
    drain(*decodedSource(memorySource(toGbk("姓") + "\xFF" + toGbk("名,甲\n张三,1\n")), "head.csv"));
    FAIL("expected an error");
  } catch (const RecordFileError &e) {
    CHECK(e.kind() == FileProblem::BadEncoding);
    CHECK(e.file() == "head.csv");
    CHECK(e.row() == 1);
    CHECK(e.offset() == 2);
    CHECK(e.detail() == "0xFF");
  }
  // Neither UTF-8 nor GB18030 from the first byte: NotUtf8.
  try {
    decodedSource(memorySource("\xFF\xFF,a\n"), "x.csv");
    FAIL("expected an error");
  } catch (const RecordFileError &e) {
    CHECK(e.kind() == FileProblem::NotUtf8);
  }
}

TEST_CASE("runner: the same candidates in UTF-8 and in GBK score identically") {
  auto u = write("enc_u.csv", kFive);
  auto g = write("enc_g.csv", toGbk(kFive));
  auto prog = fake::makeProgram({});
  auto ru = run(prog, {u}, {}, "enc_u_out.csv");
  auto rg = run(prog, {g}, {}, "enc_g_out.csv");
  CHECK(ru.rc == rg.rc);
  CHECK(rg.stats.rowsScored == 5);
  CHECK(rg.stats.rowsRejected == 0);
  CHECK(rg.output == ru.output);
  CHECK(rg.output.find("张三") != std::string::npos);

  RunOptions named;
  named.encoding = "gbk";
  auto rn = run(prog, {g}, named, "enc_n_out.csv");
  CHECK(rn.output == ru.output);

  RunOptions utf8;
  utf8.encoding = "utf-8";
  auto r8 = run(prog, {g}, utf8, "enc_8_out.csv");
  CHECK(r8.rc == kExitFatal);
  CHECK(r8.diag.find("不是有效的 UTF-8") != std::string::npos);

  RunOptions unknown;
  unknown.encoding = "latin1";
  auto rx = run(prog, {u}, unknown, "enc_x_out.csv");
  CHECK(rx.rc == kExitFatal);
  CHECK(rx.diag.find("未知的编码“latin1”") != std::string::npos);
}

TEST_CASE("runner: bad bytes in a GBK data row reject that row, naming its column and character") {
  std::string head = toGbk("姓名,甲,乙,廉洁问题,级别\n张三,3,2,否,县级\n");
  auto g = write("enc_bad.csv", head + toGbk("李四,8") + "\x81\x7F" + toGbk(",2,,市级\n"));
  auto r = run(fake::makeProgram({}), {g}, {}, "enc_bad_out.csv");
  CHECK(r.rc == kExitRejected);
  // 甲 holds 8, then 0x81 (a lead byte whose trail 0x7F is not one): at its 2nd character.
  CHECK(r.diag.find(g + ":3: 错误: 列“甲”的第 2 个字符处有不是 GB18030/GBK 编码的字节（0x81）") != std::string::npos);
  CHECK(r.diag.find("读取 2 行，评分 1 行，拒绝 1 行") != std::string::npos);
  CHECK(r.output.find("张三") != std::string::npos);
  CHECK(r.output.find("李四") == std::string::npos);

  RunOptions en;
  en.lang = rubric::runtime::Lang::En;
  auto e = run(fake::makeProgram({}), {g}, en, "enc_bad_out.csv");
  CHECK(e.diag.find(g + ":3: error: column \"甲\": at character 2, a byte (0x81) that is not GB18030/GBK text") !=
        std::string::npos);
}
