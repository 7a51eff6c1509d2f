// `rubricc table` (issue 10): every rule's every branch as an official-style
// sentence in md, csv and html; the xlsx laid out like the official table,
// read back. The fixture is tests/table/branches.rubric; every expected
// sentence below was written by hand from that file, not copied from output.
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "parse/Parser.h"
#include "report/Table.h"
#include "runtime/records/RecordReader.h"
#include "sema/Sema.h"
#include "support/Source.h"

namespace {

using namespace rubric;

struct Loaded {
  std::shared_ptr<SourceFile> source;
  DiagnosticEngine diags;
  std::unique_ptr<ast::File> file;
};

std::unique_ptr<Loaded> loadFixture() {
  auto l = std::make_unique<Loaded>();
  std::string err;
  l->source = SourceFile::load(TABLE_FIXTURE, &err);
  REQUIRE(l->source);
  l->file = parse::parseFile(l->source, l->diags);
  REQUIRE(l->file);
  return l;
}

size_t occurrences(const std::string &text, const std::string &what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + what.size())) ++n;
  return n;
}

// One sentence per rule and branch of the fixture, as the document would say it.
const std::vector<std::string> kSentences = {
    // 项 1: 当 … 每增加 … 最高 … 否则 当 …
    "传输率达到90%的，得1分，每增加1%多得0.2分，最高得2分；否则，补全率达到95%的，得0.5分",
    // 项 2: 否则 每件 with points per level and a cap
    "新装备办案的，得4分；否则，立案件数，市级每件得0.5分，县级每件得1分，最高得3分",
    // 项 3: 分级 — 市级 with a multi-line 分档, 县级 its own rule
    "市级：培训覆盖率达到50%的，得2分；培训学时达到40的，得3分；达到20且不足40的，得1分；不足20的，不得分",
    "县级：派员参训的，得5分",
    // 项 4: 按 with 以上, and 县级 不参与
    "按比武级别：省级以上的，得3分；市级的，得2分；县级的，得1分",
    "县级不参与本项评分（不计入满分）",
    // 子项 (1): 全部(…) 否则 每月
    "每月均满足“录入比例达到80%”的，得2分；否则，每月录入比例达到80%的，得0.1分",
    // 指标 二: a node veto
    "帮扶期间违反纪律的，本项不得分",
    // 二.1, 二.2: list aggregates and 若无 policies
    "得分＝各帮扶轮次中8分×得分率的最高值",
    "无帮扶轮次的，本项不得分",
    "得分＝各远程轮次2分×发现问题的平均值",
    "无远程轮次的，本项相应分值计入“现场监督帮扶”",
    // 二.3 and its 扣分/加分 rows
    "得4分",
    "推送线索数为0的，本项不参与评分（不计入满分）",
    "记录不规范起数，每起扣0.5分，最多扣2分",
    "专案稽查的，得1分",
    "加分后不超过上级分值",
    // after the table: the top-level veto, both 校验 and the award
    "存在廉洁纪律问题的，取消评审资格",
    "自评得分不得超过30分：自评得分超过30的，报告校验不通过（不改变得分）",
    "不同候选集体不得共用同一份案卷：案卷号的值在不同候选对象之间不得重复",
    "表现突出集体：级别为县级的，按总分从高到低取前2名，并列者一并列入",
};

std::string unzipMember(const std::string &zip, const std::string &member) {
  std::string cmd = "unzip -p '" + zip + "' '" + member + "' 2>/dev/null";
  std::string out;
  if (FILE *p = popen(cmd.c_str(), "r")) {
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
    pclose(p);
  }
  return out;
}

std::string tempPath(const std::string &name) {
  auto dir = std::filesystem::temp_directory_path() / ("rubric-table-test-" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  return (dir / name).string();
}

} // namespace

TEST_CASE("table fixture is a clean rubric") {
  auto l = loadFixture();
  auto checked = sema::check(*l->file, l->diags);
  CHECK(l->diags.errorCount() == 0);
  CHECK(l->diags.warningCount() == 0);
}

TEST_CASE("table md: every branch as a sentence, document numbering, one title, 合计, no comments") {
  auto l = loadFixture();
  std::string md = report::renderTable(*l->file, report::TableFormat::Markdown);
  for (const auto &s : kSentences) {
    INFO(s);
    CHECK(md.find(s) != std::string::npos);
  }
  CHECK(md.find("注释泄漏标记") == std::string::npos);  // `//` comments never reach the table
  CHECK(occurrences(md, "表格分支测试细则") == 1);       // the title once …
  CHECK(md.find("- 文号：测试环发〔2025〕1号") != std::string::npos);  // … with its 文号
  // Numbering as the document writes it, never dotted paths.
  CHECK(md.find("| 一、 | 指标 | 队伍建设 | 16 |") != std::string::npos);
  CHECK(md.find("| 1. | 项 | 自动监测 | 2 |") != std::string::npos);
  CHECK(md.find("| （1） | 子项 | 录入比例 | 2 |") != std::string::npos);
  CHECK(md.find("一.") == std::string::npos);
  // A 扣分 row shows what it can take: 每起 0.5分，最多扣 2分.
  CHECK(md.find("| （1） | 扣分项 | 记录不规范（扣分项） | 最多扣2分 |") != std::string::npos);
  // 合计 = 16 + 14 = 30, the indicators' declared points.
  CHECK(md.find("| 合计 | 30 |") != std::string::npos);
  // Only filled columns: 原文 (with 指标说明 standing in where no 原文 is), no empty metadata.
  CHECK(md.find("| 序号 | 层级 | 指标/评审内容 | 分值 | 评分规则 | 原文 |\n") != std::string::npos);
  CHECK(md.find("| 运用新装备办案的，得4分；否则按立案件数计分。 |") != std::string::npos);
  CHECK(md.find("数据来源") == std::string::npos);
}

TEST_CASE("table csv: every branch, sections as rows") {
  auto l = loadFixture();
  std::string csv = report::renderTable(*l->file, report::TableFormat::Csv);
  for (const auto &s : kSentences) {
    INFO(s);
    CHECK(csv.find(s) != std::string::npos);
  }
  CHECK(csv.rfind("\xEF\xBB\xBF序号,层级,指标/评审内容,分值,评分规则,原文\r\n", 0) == 0);
  CHECK(csv.find(",,合计,30,,\r\n") != std::string::npos);
  CHECK(csv.find(",校验,,,自评得分不得超过30分：") != std::string::npos);
  // 2 indicators + 8 items + 3 sub-rows = 13 node rows, 合计, 1 veto + 2 checks + 1 award = 18 rows + header.
  CHECK(occurrences(csv, "\r\n") == 19);
}

TEST_CASE("table html: merged hierarchy cells, header once, printable") {
  auto l = loadFixture();
  std::string html = report::renderTable(*l->file, report::TableFormat::Html);
  CHECK(occurrences(html, "<h1>") == 1);
  CHECK(html.find("@page { size: A4 landscape") != std::string::npos);
  CHECK(html.find("<thead>") != std::string::npos);
  // 队伍建设 spans its five leaf rows (自动监测 … 录入比例); 监督帮扶 its own row and five more.
  CHECK(html.find("<td rowspan=\"5\" class=\"h h0\">一、队伍建设（16分）</td>") != std::string::npos);
  CHECK(html.find("<td rowspan=\"6\" class=\"h h0\">二、监督帮扶（14分）</td>") != std::string::npos);
  CHECK(html.find("<td colspan=\"2\" class=\"h\">1.自动监测</td>") != std::string::npos);
  for (const auto &s : kSentences) {
    INFO(s);
    CHECK(html.find(s) != std::string::npos);
  }
}

TEST_CASE("table --lang en: English sentences, names as written") {
  auto l = loadFixture();
  std::string md = report::renderTable(*l->file, report::TableFormat::Markdown, Lang::En);
  CHECK(md.find("If 传输率 ≥ 90%: 1 pt, plus 0.2 pts for each further 1%, at most 2 pts; otherwise if 补全率 ≥ 95%: 0.5 pts") !=
        std::string::npos);
  CHECK(md.find("| Total | 30 |") != std::string::npos);
  CHECK(md.find("## Checks") != std::string::npos);
}

TEST_CASE("table xlsx: read back — title, header, hierarchy merged as the official table") {
  auto l = loadFixture();
  std::string path = tempPath("branches.xlsx");
  std::string error;
  REQUIRE(report::writeTableXlsx(*l->file, Lang::Zh, path, &error));

  // Rows through the project's own xlsx reader: its "header" is the title row.
  auto reader = records::openRecords(path);
  REQUIRE(!reader->headers().empty());
  CHECK(reader->headers()[0] == "表格分支测试细则");
  std::vector<records::Row> rows;
  for (records::Row r; reader->next(r);) rows.push_back(r);
  REQUIRE(rows.size() >= 14);
  auto cell = [&](size_t i, size_t c) { return std::string(rows[i].cell(c)); };
  // rows[0] = sheet row 2 (facts), rows[1] = row 3 (header), rows[2] = row 4 (first data row).
  CHECK(cell(0, 0).rfind("文号：测试环发〔2025〕1号", 0) == 0);
  CHECK(rows[1].number == 3);
  CHECK(cell(1, 0) == "指标/评审内容");
  CHECK(cell(1, 3) == "分值");
  CHECK(cell(1, 4) == "评分规则");
  CHECK(cell(1, 5) == "原文");
  CHECK(cell(2, 0) == "一、队伍建设（16分）");
  CHECK(cell(2, 1) == "1.自动监测");
  CHECK(cell(2, 3) == "2");
  CHECK(cell(2, 4).find("否则，补全率达到95%的，得0.5分") != std::string::npos);
  CHECK(cell(6, 1) == "5.移动执法（2分）");  // row 8: a parent cell, its sub-item beside it
  CHECK(cell(6, 2) == "（1）录入比例");
  CHECK(cell(11, 2) == "（1）记录不规范（扣分项）");
  CHECK(cell(11, 3) == "最多扣2分");
  CHECK(rows[13].number == 15);
  CHECK(cell(13, 0) == "合计");
  CHECK(cell(13, 3) == "30");

  // Merged ranges, worked out by hand from the fixture: title and facts rows
  // (A1:F1, A2:F2); the header's hierarchy columns (A3:C3); 队伍建设 over its
  // five leaf rows 4–8, its leaves over columns B–C; 监督帮扶 over rows 9–14
  // (its own row 9 for its veto, the deeper columns blank there); 线索查办 over
  // its own row 12 and its 扣分/加分 rows 13–14; the 合计 row; each section line.
  std::string sheet = unzipMember(path, "xl/worksheets/sheet1.xml");
  std::set<std::string> merges;
  std::regex ref("<mergeCell ref=\"([A-Z]+[0-9]+:[A-Z]+[0-9]+)\"");
  for (auto it = std::sregex_iterator(sheet.begin(), sheet.end(), ref); it != std::sregex_iterator(); ++it)
    merges.insert((*it)[1]);
  std::set<std::string> expected = {"A1:F1",  "A2:F2",   "A3:C3",   "A4:A8",   "B4:C4",   "B5:C5",   "B6:C6",
                                    "B7:C7",  "A9:A14",  "B9:C9",   "B10:C10", "B11:C11", "B12:B14", "A15:C15",
                                    "E15:F15", "A17:F17", "A18:F18", "A20:F20", "A21:F21", "A22:F22", "A24:F24",
                                    "A25:F25"};
  CHECK(merges == expected);
  CHECK(sheet.find("<pageSetup paperSize=\"9\" fitToHeight=\"0\" orientation=\"landscape\"/>") != std::string::npos);  // A4, one page wide
  CHECK(sheet.find("<col min=\"5\" max=\"5\" width=\"46") != std::string::npos);  // 评分规则 is wide
  std::filesystem::remove_all(std::filesystem::path(path).parent_path());
}

TEST_CASE("rubricc table: xlsx chosen by the -o extension — xlsx to stdout refused") {
  std::string path = tempPath("cli.xlsx");
  std::string cmd = std::string("'") + RUBRICC + "' table '" + TABLE_FIXTURE + "' -o '" + path + "'";
  CHECK(std::system(cmd.c_str()) == 0);
  CHECK(unzipMember(path, "xl/workbook.xml").find("评分细则") != std::string::npos);
  std::string refused = std::string("'") + RUBRICC + "' table '" + TABLE_FIXTURE + "' --format xlsx 2>/dev/null";
  int rc = std::system(refused.c_str());
  CHECK(WIFEXITED(rc));
  CHECK(WEXITSTATUS(rc) == 2);
  std::filesystem::remove_all(std::filesystem::path(path).parent_path());
}

TEST_CASE("every bundled rubric renders in every format, with a sentence for every rule") {
  size_t files = 0;
  for (const auto &entry : std::filesystem::recursive_directory_iterator(RUBRICS_DIR)) {
    if (entry.path().extension() != ".rubric") continue;
    ++files;
    INFO(entry.path().string());
    std::string err;
    auto source = SourceFile::load(entry.path().string(), &err);
    REQUIRE(source);
    DiagnosticEngine diags;
    auto file = parse::parseFile(source, diags);
    REQUIRE(file);
    for (auto format : {report::TableFormat::Markdown, report::TableFormat::Csv, report::TableFormat::Html}) {
      std::string out = report::renderTable(*file, format);
      // No DSL syntax reaches the reader: arrows, keywords with their operands, empty sentences.
      CHECK(out.find("=>") == std::string::npos);
      CHECK(out.find("否则 当") == std::string::npos);
      CHECK(out.find("<br><br>") == std::string::npos);
      CHECK(out.find("。。") == std::string::npos);
    }
    std::string en = report::renderTable(*file, report::TableFormat::Markdown, Lang::En);
    CHECK(en.find("| Total |") != std::string::npos);
    std::string xlsx = tempPath(entry.path().stem().string() + ".xlsx");
    CHECK(report::writeTableXlsx(*file, Lang::Zh, xlsx, &err));
  }
  CHECK(files >= 11);
  std::filesystem::remove_all(std::filesystem::path(tempPath("x")).parent_path());
}
