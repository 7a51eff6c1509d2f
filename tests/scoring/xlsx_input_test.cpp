// .xlsx input: the first or a named sheet; shared strings (a workbook made
// with libxlsxwriter's default mode) and inline strings (the runner's own
// .xlsx output, constant-memory mode); numbers as their text.
#include <catch2/catch.hpp>

#include <xlsxwriter.h>

#include "TestUtil.h"
#include "runtime/records/RecordReader.h"

using namespace rubric::records;
using rubric::runtime::kExitFatal;
using rubric::runtime::RowOrder;
using rubric::runtime::RunOptions;
using testutil::lines;
using testutil::run;
using testutil::write;

using testutil::kFive;
using testutil::readAll;
using testutil::splitCommas;

namespace {

using Table = std::vector<std::vector<std::string>>;  // "" = no cell; "#n:5" = a number cell

// A workbook with shared strings (libxlsxwriter's default mode).
std::string makeWorkbook(const std::string &name, const std::vector<std::pair<std::string, Table>> &sheets) {
  std::string p = testutil::path(name);
  lxw_workbook *wb = workbook_new(p.c_str());
  REQUIRE(wb);
  for (const auto &[sheetName, table] : sheets) {
    lxw_worksheet *ws = workbook_add_worksheet(wb, sheetName.c_str());
    for (size_t r = 0; r < table.size(); ++r)
      for (size_t c = 0; c < table[r].size(); ++c) {
        const std::string &v = table[r][c];
        auto row = static_cast<lxw_row_t>(r);
        auto col = static_cast<lxw_col_t>(c);
        if (v.empty()) continue;
        if (v.rfind("#n:", 0) == 0) worksheet_write_number(ws, row, col, std::stod(v.substr(3)), nullptr);
        else if (v == "#true") worksheet_write_boolean(ws, row, col, 1, nullptr);
        else worksheet_write_string(ws, row, col, v.c_str(), nullptr);
      }
  }
  REQUIRE(workbook_close(wb) == LXW_NO_ERROR);
  return p;
}

const Table kFiveTable = {
    {"姓名", "甲", "乙", "廉洁问题", "级别"},
    {"张三", "#n:3", "#n:2", "否", "县级"},
    {"李四", "#n:8.5", "#n:2", "", "市级"},
    {"王五", "#n:10", "#n:1", "是", "县级"},
    {"赵六", "#n:5", "#n:0", "否", "市级"},
    {"钱七", "#n:1", "", "否", "县级"},
};

} // namespace

TEST_CASE("xlsx input: first sheet, shared strings, numbers as text, blank rows skipped, row numbers") {
  auto p = makeWorkbook("in1.xlsx", {{"名单", {{}, {"姓名", "甲", "", "是否"},
                                             {"张三", "#n:3.25", "x", "#true"},
                                             {},
                                             {"李四", "", "", ""},
                                             {"张三", "#n:100"}}},
                                    {"其他", {{"别的"}, {"不读"}}}});
  auto r = openRecords(p);
  CHECK(r->headersFixed());
  CHECK(r->headers() == std::vector<std::string>{"姓名", "甲", "", "是否"});
  auto rows = readAll(*r);
  REQUIRE(rows.size() == 3);
  CHECK(rows[0].number == 3);
  CHECK(rows[0].cells == std::vector<std::string>{"张三", "3.25", "x", "true"});
  CHECK(rows[1].number == 5);
  CHECK(rows[1].cells == std::vector<std::string>{"李四"});
  CHECK(rows[2].number == 6);
  CHECK(rows[2].cells == std::vector<std::string>{"张三", "100"});

  auto other = xlsxReader(p, "其他");
  CHECK(other->headers() == std::vector<std::string>{"别的"});
  auto orows = readAll(*other);
  REQUIRE(orows.size() == 1);
  CHECK(orows[0].cells == std::vector<std::string>{"不读"});
}

TEST_CASE("xlsx input: the runner's own .xlsx output reads back as its CSV output (inline strings)") {
  auto in = write("xi_in.csv", kFive);
  auto prog = fake::makeProgram({});
  auto csv = run(prog, {in}, {}, "xi_out.csv");
  RunOptions inputOrder;
  inputOrder.order = RowOrder::Input;
  auto x = run(prog, {in}, inputOrder, "xi_out.xlsx");
  REQUIRE(x.rc == csv.rc);
  auto r = openRecords(testutil::path("xi_out.xlsx"));
  auto ls = lines(csv.output);
  // Row 1 is the workbook's title row (the fake scheme's 标题), which the
  // reader takes for a header; the results' header and rows follow it.
  CHECK(r->headers() == std::vector<std::string>{"测试评分"});
  auto rows = readAll(*r);
  REQUIRE(rows.size() == ls.size());
  for (size_t i = 0; i < rows.size(); ++i) {
    auto want = splitCommas(ls[i]);
    while (!want.empty() && want.back().empty()) want.pop_back();
    CHECK(rows[i].cells == want);
    CHECK(rows[i].number == static_cast<int64_t>(i + 2));
  }
}

TEST_CASE("xlsx input: the same candidates as CSV and as XLSX score identically") {
  auto prog = fake::makeProgram({});
  auto c = run(prog, {write("xs.csv", kFive)}, {}, "xs_c.csv");
  auto x = run(prog, {makeWorkbook("xs.xlsx", {{"Sheet1", kFiveTable}})}, {}, "xs_x.csv");
  CHECK(x.rc == c.rc);
  CHECK(x.stats.rowsScored == 5);
  CHECK(x.output == c.output);

  RunOptions named;
  named.sheet = "第二页";
  auto two = makeWorkbook("xs2.xlsx", {{"说明", {{"这一页不是名单"}}}, {"第二页", kFiveTable}});
  auto n = run(prog, {two}, named, "xs_n.csv");
  CHECK(n.output == c.output);
}

TEST_CASE("xlsx input: not a zip, a missing sheet, a missing file") {
  auto junk = write("junk.xlsx", "姓名,甲\n");
  try {
    openRecords(junk);
    FAIL("expected an error");
  } catch (const RecordFileError &e) {
    CHECK(e.kind() == FileProblem::BadXlsx);
  }
  auto p = makeWorkbook("one.xlsx", {{"名单", {{"姓名"}}}});
  try {
    xlsxReader(p, "没有");
    FAIL("expected an error");
  } catch (const RecordFileError &e) {
    CHECK(e.kind() == FileProblem::NoSuchSheet);
    CHECK(e.detail() == "没有 (名单)");
  }
  try {
    openRecords(testutil::path("absent.xlsx"));
    FAIL("expected an error");
  } catch (const RecordFileError &e) {
    CHECK(e.kind() == FileProblem::CannotOpen);
  }

  RunOptions o;
  o.sheet = "没有";
  auto r = run(fake::makeProgram({}), {p}, o, "xm.csv");
  CHECK(r.rc == kExitFatal);
  CHECK(r.diag == p + ": 错误: 没有名为此的工作表：没有 (名单)\n");
  auto j = run(fake::makeProgram({}), {junk}, {}, "xm.csv");
  CHECK(j.rc == kExitFatal);
  CHECK(j.diag.rfind(junk + ": 错误: 无法读取 .xlsx 工作簿：", 0) == 0);
}
