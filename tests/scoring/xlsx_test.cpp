// .xlsx results: sheet "评分结果" with the CSV's header and rows (numbers as
// numbers), sheet "拒绝的行" with the rejected rows. The file is checked as a
// zip with `unzip -p` (Debian: unzip).
#include <catch2/catch.hpp>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>

#include "TestUtil.h"

using namespace rubric::runtime;
using testutil::lines;
using testutil::run;
using testutil::write;

namespace {

// A member of a zip file, via `unzip -p`; "" when it is missing.
std::string unzipMember(const std::string &zip, const std::string &member) {
  std::string cmd = "unzip -p '" + zip + "' '" + member + "' 2>/dev/null";
  std::FILE *p = popen(cmd.c_str(), "r");
  REQUIRE(p);
  std::string out;
  char buf[4096];
  for (size_t n; (n = std::fread(buf, 1, sizeof buf, p)) > 0;) out.append(buf, n);
  pclose(p);
  return out;
}

// Cell reference → value (the <t> text or the <v> number) of a worksheet.
std::map<std::string, std::string> cells(const std::string &sheet) {
  std::map<std::string, std::string> out;
  for (size_t p = sheet.find("<c r=\""); p != std::string::npos; p = sheet.find("<c r=\"", p + 1)) {
    size_t q = sheet.find('"', p + 6);
    std::string ref = sheet.substr(p + 6, q - p - 6);
    size_t end = sheet.find("</c>", q);
    std::string body = sheet.substr(q, end - q);
    for (const char *tag : {"<t>", "<v>"}) {
      size_t b = body.find(tag);
      if (b != std::string::npos) out[ref] = body.substr(b + 3, body.find("</", b) - b - 3);
    }
  }
  return out;
}

std::vector<std::string> split(const std::string &line) {
  std::vector<std::string> out(1);
  for (char c : line) {
    if (c == ',') out.emplace_back();
    else out.back().push_back(c);
  }
  return out;
}

bool isNumber(const std::string &s) {
  char *end = nullptr;
  std::strtod(s.c_str(), &end);
  return !s.empty() && *end == '\0';
}

size_t count(const std::string &s, const std::string &what) {
  size_t n = 0;
  for (size_t p = s.find(what); p != std::string::npos; p = s.find(what, p + 1)) ++n;
  return n;
}

const char *kSix =
    "姓名,甲,乙,廉洁问题,级别\n"
    "张三,3,2,否,县级\n"
    "李四,8.5,2,,市级\n"
    "王五,10,1,是,县级\n"
    "赵六,5,0,否,市级\n"
    "孙八,abc,1,否,县级\n"
    "钱七,1,,否,县级\n";

} // namespace

TEST_CASE("xlsx output: results sheet like the CSV, rejected rows in a second sheet") {
  auto in = write("x_in.csv", kSix);
  fake::Options po;
  po.population = true;  // level ranks
  po.quotaAward = true;  // an award column
  auto prog = fake::makeProgram(po);
  auto csv = run(prog, {in}, {}, "x_out.csv");
  auto x = run(prog, {in}, {}, "x_out.xlsx");
  CHECK(x.rc == csv.rc);
  CHECK(x.rc == kExitRejected);
  CHECK(x.stats.rowsRejected == 1);
  CHECK(x.stats.outputWritten);
  std::string file = testutil::path("x_out.xlsx");
  REQUIRE(std::filesystem::exists(file));
  CHECK(x.output.rfind("PK", 0) == 0);  // a zip

  std::string workbook = unzipMember(file, "xl/workbook.xml");
  CHECK(workbook.find("name=\"评分结果\"") != std::string::npos);
  CHECK(workbook.find("name=\"拒绝的行\"") != std::string::npos);

  std::string sheet = unzipMember(file, "xl/worksheets/sheet1.xml");
  REQUIRE_FALSE(sheet.empty());
  auto ls = lines(csv.output);
  REQUIRE(ls.size() == 6);  // header + 5 scored
  CHECK(count(sheet, "<row ") == ls.size());
  // Every header and id as text, in the same order as the CSV.
  size_t at = 0;
  for (const char *t : {"姓名", "状态", "总分", "排名", "张三", "李四", "王五", "赵六", "钱七"}) {
    size_t p = sheet.find(std::string("<t>") + t + "</t>", at);
    CHECK(p != std::string::npos);
    if (p != std::string::npos) at = p;
  }
  CHECK(sheet.find("孙八") == std::string::npos);
  // Cell by cell, the same as the CSV: numbers as number cells, text as text.
  auto got = cells(sheet);
  size_t width = split(ls[0]).size();
  REQUIRE(width <= 26);
  CHECK(sheet.find("<dimension ref=\"A1:" + std::string(1, char('A' + width - 1)) + std::to_string(ls.size()) + "\"/>") !=
        std::string::npos);
  CHECK(ls[0].find("奖项") != std::string::npos);
  for (size_t r = 0; r < ls.size(); ++r) {
    auto want = split(ls[r]);
    CHECK(want.size() == width);
    for (size_t c = 0; c < want.size(); ++c) {
      std::string ref = std::string(1, char('A' + c)) + std::to_string(r + 1);
      INFO("cell " << ref << " of " << ls[r]);
      if (want[c].empty()) {
        CHECK(got.count(ref) == 0);
      } else if (r > 0 && isNumber(want[c])) {
        REQUIRE(got.count(ref) == 1);
        CHECK(std::strtod(got[ref].c_str(), nullptr) == std::strtod(want[c].c_str(), nullptr));
        CHECK(sheet.find("<c r=\"" + ref + "\"><v>") != std::string::npos);
      } else {
        CHECK(got[ref] == want[c]);
        CHECK(sheet.find("<c r=\"" + ref + "\"") == sheet.find("<c r=\"" + ref + "\"" + (r == 0 ? " s=\"1\"" : "") + " t=\"inlineStr\""));
      }
    }
  }
  // 张三's total as a number cell (no t="..." attribute), the value the CSV has.
  std::string total = ls[1].substr(0, ls[1].find(',', ls[1].find(',', ls[1].find(',') + 1) + 1));
  total = total.substr(total.rfind(',') + 1);
  REQUIRE_FALSE(total.empty());
  CHECK(sheet.find("<c r=\"C2\"><v>" + total + "</v></c>") != std::string::npos);

  std::string rejected = unzipMember(file, "xl/worksheets/sheet2.xml");
  CHECK(rejected.find("<t>" + in + "</t>") != std::string::npos);
  CHECK(rejected.find("<c r=\"B2\"><v>6</v></c>") != std::string::npos);  // spreadsheet row 6
  CHECK(rejected.find("abc") != std::string::npos);                      // the message names the cell
}

TEST_CASE("xlsx output: no rejected sheet when all rows score — strict mode writes nothing") {
  auto in = write("x_ok.csv", "姓名,甲\n张三,1\n");
  auto x = run(fake::makeProgram({}), {in}, {}, "x_ok.xlsx");
  CHECK(x.rc == kExitOk);
  std::string file = testutil::path("x_ok.xlsx");
  CHECK(unzipMember(file, "xl/workbook.xml").find("拒绝的行") == std::string::npos);
  CHECK(unzipMember(file, "xl/worksheets/sheet1.xml").find("<t>张三</t>") != std::string::npos);

  auto bad = write("x_bad.csv", kSix);
  RunOptions strict;
  strict.strict = true;
  auto s = run(fake::makeProgram({}), {bad}, strict, "x_strict.xlsx");
  CHECK(s.rc == kExitRejected);
  CHECK_FALSE(std::filesystem::exists(testutil::path("x_strict.xlsx")));
}
