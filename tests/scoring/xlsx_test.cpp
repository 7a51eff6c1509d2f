// .xlsx results: sheet "评分结果" with the CSV's header and rows (numbers as
// numbers), sheet "拒绝的行" with the rejected rows. The file is checked as a
// zip with `unzip -p` (Debian: unzip).
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>

#include "TestUtil.h"
#include "runtime/records/RecordReader.h"

using namespace rubric::runtime;
using testutil::lines;
using testutil::run;
using testutil::write;

using testutil::splitCommas;

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
  RunOptions inputOrder;  // the CSV's order (a workbook's default is rank order)
  inputOrder.order = RowOrder::Input;
  auto x = run(prog, {in}, inputOrder, "x_out.xlsx");
  CHECK(x.rc == csv.rc);
  CHECK(x.rc == kExitRejected);
  CHECK(x.stats.rowsRejected == 1);
  CHECK(x.stats.outputWritten);
  std::string file = testutil::path("x_out.xlsx");
  REQUIRE(std::filesystem::exists(file));
  CHECK(x.output.rfind("PK", 0) == 0);  // a zip

  std::string workbook = unzipMember(file, "xl/workbook.xml");
  CHECK(workbook.find("name=\"评分结果\"") != std::string::npos);
  CHECK(workbook.find("name=\"汇总\"") != std::string::npos);
  CHECK(workbook.find("name=\"拒绝的行\"") != std::string::npos);

  std::string sheet = unzipMember(file, "xl/worksheets/sheet1.xml");
  REQUIRE_FALSE(sheet.empty());
  auto ls = lines(csv.output);
  REQUIRE(ls.size() == 6);  // header + 5 scored
  // Row 1 is the title (the fake scheme has no 文号 or 期间); the CSV's lines follow.
  CHECK(cells(sheet)["A1"] == "测试评分");
  CHECK(count(sheet, "<row ") == ls.size() + 1);
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
  size_t width = splitCommas(ls[0]).size();
  REQUIRE(width <= 26);
  CHECK(sheet.find("<dimension ref=\"A1:" + std::string(1, char('A' + width - 1)) + std::to_string(ls.size() + 1) + "\"/>") !=
        std::string::npos);
  CHECK(ls[0].find("奖项") != std::string::npos);
  for (size_t r = 0; r < ls.size(); ++r) {
    auto want = splitCommas(ls[r]);
    CHECK(want.size() == width);
    for (size_t c = 0; c < want.size(); ++c) {
      std::string ref = std::string(1, char('A' + c)) + std::to_string(r + 2);
      INFO("cell " << ref << " of " << ls[r]);
      if (want[c].empty()) {
        CHECK(got.count(ref) == 0);
      } else if (r > 0 && isNumber(want[c])) {
        REQUIRE(got.count(ref) == 1);
        CHECK(std::strtod(got[ref].c_str(), nullptr) == std::strtod(want[c].c_str(), nullptr));
        CHECK(sheet.find("<c r=\"" + ref + "\"><v>") != std::string::npos);
      } else {
        CHECK(got[ref] == want[c]);
        CHECK(sheet.find("<c r=\"" + ref + "\"") == sheet.find("<c r=\"" + ref + "\"" + (r == 0 ? " s=\"2\"" : "") + " t=\"inlineStr\""));
      }
    }
  }
  // 张三's total as a number cell (no t="..." attribute), the value the CSV has.
  std::string total = ls[1].substr(0, ls[1].find(',', ls[1].find(',', ls[1].find(',') + 1) + 1));
  total = total.substr(total.rfind(',') + 1);
  REQUIRE_FALSE(total.empty());
  CHECK(sheet.find("<c r=\"C3\"><v>" + total + "</v></c>") != std::string::npos);

  std::string rejected = unzipMember(file, "xl/worksheets/sheet3.xml");
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

namespace {

// A sheet of an .xlsx read back with the runtime's own reader: every row
// (its first non-blank row included) as its cells joined by "|".
std::vector<std::string> sheetRows(const std::string &file, const std::string &sheet) {
  auto r = rubric::records::openRecords(file, rubric::records::Encoding::Auto, sheet);
  std::vector<std::string> out;
  auto join = [](const std::vector<std::string> &cells) {
    std::string s;
    for (size_t i = 0; i < cells.size(); ++i) s += (i ? "|" : "") + cells[i];
    return s;
  };
  out.push_back(join(r->headers()));
  rubric::records::Row row;
  while (r->next(row)) out.push_back(join(row.cells.strings()));
  return out;
}

// 张三 3+2 = 5; 李四 8.5+2 = 10.5; 王五 10+1 = 11 but 廉洁问题 = 是 (取消资格);
// 赵六 5+0 = 5; 钱七 12+0 = 12; 孙八 "abc" is rejected. 赵六 repeats 张三's 案卷号.
const char *kRanked =
    "姓名,甲,乙,廉洁问题,级别,案卷号\n"
    "张三,3,2,否,县级,A1\n"
    "李四,8.5,2,,市级,A2\n"
    "王五,10,1,是,县级,A3\n"
    "赵六,5,0,否,市级,A1\n"
    "钱七,12,0,否,县级,A5\n"
    "孙八,abc,1,否,县级,A6\n";

// 34 汉字: with "取消资格：" the status is 39 汉字 = 78 width units, over the 50 cap.
const char *kLongReason = "监督帮扶期间发现存在廉洁纪律问题且情节严重造成不良影响的直接取消评选资格";

} // namespace

TEST_CASE("xlsx output: title rows, full marks in headers, fitted widths, rank order and a 汇总 sheet") {
  fake::Options po;
  po.quotaAward = true;  // 前二名: quota 2 by total
  po.validation = true;  // 案卷号 unique
  auto prog = fake::makeProgram(po);
  prog.documentNumber = "测试环发〔2025〕1号";
  prog.period = "2024-12 至 2025-11";
  prog.slots[0].marks = "20分";   // 一 基础
  prog.slots[3].marks = "100分";  // the total
  prog.slots[4].name = kLongReason;
  auto in = write("x_rank.csv", kRanked);
  auto x = run(prog, {in}, {}, "x_rank.xlsx");  // no --sort: a workbook is in rank order
  CHECK(x.rc == kExitRejected);
  std::string file = testutil::path("x_rank.xlsx");
  REQUIRE(std::filesystem::exists(file));

  auto rows = sheetRows(file, "评分结果");
  REQUIRE(rows.size() == 9);  // 3 title rows, the header, 5 scored rows
  CHECK(rows[0] == "测试评分");
  CHECK(rows[1] == "文号：测试环发〔2025〕1号");
  CHECK(rows[2] == "评价期间：2024-12 至 2025-11");
  CHECK(rows[3].rfind("姓名|状态|总分（100分）|一 基础（20分）|二 帮扶|", 0) == 0);
  // Rank order: 钱七 12 (1st), 李四 10.5 (2nd), 张三 and 赵六 5 (both 3rd, in input
  // order), then 王五, 取消资格 and unranked, last.
  std::vector<std::string> order;
  for (size_t r = 4; r < rows.size(); ++r) order.push_back(rows[r].substr(0, rows[r].find('|')));
  CHECK(order == std::vector<std::string>{"钱七", "李四", "张三", "赵六", "王五"});
  CHECK(rows[4].rfind("钱七|有效|12|", 0) == 0);
  CHECK(rows[8].rfind("王五|取消资格：" + std::string(kLongReason) + "|11|", 0) == 0);

  std::string sheet = unzipMember(file, "xl/worksheets/sheet1.xml");
  // The header (row 4) and the id column stay in view.
  CHECK(sheet.find("<pane xSplit=\"1\" ySplit=\"4\" topLeftCell=\"B5\"") != std::string::npos);
  // Widths: the widest cell + 2, 汉字 counting 2, capped at 50 + 2. libxlsxwriter
  // stores a width N as N + 0.7109375 (its pixel rounding for the default font).
  //   A: "姓名" and the names are 4 wide → 6;  B: the long status is 78 wide → cap 52;
  //   C: "总分（100分）" = 4 + 2 + 3 + 2 + 2 = 13 → 15.
  CHECK(sheet.find("<col min=\"1\" max=\"1\" width=\"6.7109375\"") != std::string::npos);
  CHECK(sheet.find("<col min=\"2\" max=\"2\" width=\"52.7109375\"") != std::string::npos);
  CHECK(sheet.find("<col min=\"3\" max=\"3\" width=\"15.7109375\"") != std::string::npos);
  // Only the over-wide status wraps, and its row is two lines high (78 / 50 → 2 × 15 pt).
  size_t row9 = sheet.find("<row r=\"9\"");
  REQUIRE(row9 != std::string::npos);
  CHECK(sheet.substr(row9, sheet.find('>', row9) - row9).find(" ht=\"30\" customHeight=\"1\"") != std::string::npos);
  CHECK(count(sheet, " customHeight=\"1\"") == 2);  // that row and the 24-pt title row

  auto summary = sheetRows(file, "汇总");
  std::vector<std::string> want{
      "评分情况", "状态|行数", "读取|6", "评分|5", "有效|4", "取消资格|1",
      "　其中：" + std::string(kLongReason) + "|1", "拒绝（未评分，见“拒绝的行”）|1",
      // 优秀: total ≥ 10 and not 取消资格 → 钱七 and 李四, in rank order.
      "奖项：优秀（2 名）", "姓名|总分|排名|备注", "钱七|12|1", "李四|10.5|2",
      "奖项：前二名（2 名，名额 2 名）", "姓名|总分|排名|备注", "钱七|12|1", "李四|10.5|2",
      "校验不通过（1 处）", "位置|姓名|校验",
      in + ":5||案卷不得重复使用：值“A1”（列“案卷号”）与 " + in + ":2（列“案卷号”）重复"};
  CHECK(summary == want);

  std::string workbook = unzipMember(file, "xl/workbook.xml");
  CHECK(workbook.find("name=\"评分结果\"") < workbook.find("name=\"汇总\""));
  CHECK(workbook.find("name=\"汇总\"") < workbook.find("name=\"拒绝的行\""));
}

TEST_CASE("row order (--sort): CSV stays in input order unless asked — 排名 orders it like the workbook") {
  auto prog = fake::makeProgram({});
  auto in = write("x_sort.csv", kRanked);
  auto ids = [](const std::string &csv) {
    std::vector<std::string> out;
    auto ls = lines(csv);
    for (size_t i = 1; i < ls.size(); ++i) out.push_back(ls[i].substr(0, ls[i].find(',')));
    return out;
  };
  auto plain = run(prog, {in}, {}, "x_sort_in.csv");
  CHECK(ids(plain.output) == std::vector<std::string>{"张三", "李四", "王五", "赵六", "钱七"});
  RunOptions byRank;
  byRank.order = RowOrder::Rank;
  auto ranked = run(prog, {in}, byRank, "x_sort_rank.csv");
  CHECK(ids(ranked.output) == std::vector<std::string>{"钱七", "李四", "张三", "赵六", "王五"});
  CHECK(ranked.rc == plain.rc);
  // The same lines, only reordered.
  auto a = lines(plain.output), b = lines(ranked.output);
  std::sort(a.begin(), a.end());
  std::sort(b.begin(), b.end());
  CHECK(a == b);
  CHECK(parseRowOrder("排名") == RowOrder::Rank);
  CHECK(parseRowOrder("input") == RowOrder::Input);
  CHECK_FALSE(parseRowOrder("总分").has_value());
}
